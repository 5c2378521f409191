"""The real page served on 127.0.0.1 and driven in headless Chromium (Debian's package, never downloaded).

`make test` installs Chromium first (scripts/install_browser.sh); without /usr/bin/chromium these
tests are skipped with the reason. Screenshots of each state go to build/screenshots/.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.page_server import Served, serve_page

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "build" / "screenshots"
# Flags for this sandbox: no background connections (the network is closed), no GPU; Playwright adds
# --headless and a fresh temporary profile (--user-data-dir) itself.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    pytest.skip("Chromium absent (/usr/bin/chromium) : lancez scripts/install_browser.sh (make test le fait)",
                allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright absent : pip install -e '.[test]'")


@pytest.fixture(scope="package")
def served(full_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The page over the whole code (real index, real model, offline mode), in a thread of this process."""
    with serve_page(full_index, tmp_path_factory.mktemp("page")) as page:
        yield page


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclasses.dataclass
class Watched:
    """What a page did that it must not: requests leaving 127.0.0.1, script dialogs."""

    outside: list[str] = dataclasses.field(default_factory=list)
    dialogs: list[str] = dataclasses.field(default_factory=list)


def open_page(browser: Any, served: Served, width: int = 1280, height: int = 900) -> tuple[Any, Any, Watched]:
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    watched = Watched()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            request_route.continue_()
        else:
            watched.outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    page.set_default_timeout(15_000)
    page.goto(served.url)
    page.locator("#cdt-question textarea").wait_for()
    return context, page, watched


@pytest.fixture()
def page(browser: Any, served: Served) -> Iterator[Any]:
    context, tab, watched = open_page(browser, served)
    tab.watched = watched
    yield tab
    context.close()
    assert watched.outside == [], f"la page a tenté de joindre l'extérieur : {watched.outside}"
    assert watched.dialogs == [], f"une boîte de dialogue a été ouverte par un script : {watched.dialogs}"


def shot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target
