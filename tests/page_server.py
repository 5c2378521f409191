"""The real page served on 127.0.0.1 from a thread of the test process.

Shared by the browser tests (tests/e2e) and the tests that call the page's API without a browser
(tests/test_hostile_input.py), so that both test the very page `cdt serve` launches.
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpus.store import load_store
from indexing.index import open_searcher
from indexing.settings import IndexSettings


@dataclasses.dataclass
class Served:
    url: str
    feedback_db: Path
    page: Any  # ui.app.Page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_page(index_dir: Path, folder: Path) -> Iterator[Served]:
    """The page over the index in index_dir (real model, offline mode); its feedback and files go to folder."""
    from assistant.chain import Assistant
    from ui.app import Page, PageConfig
    from ui.serve import launch

    settings = dataclasses.replace(IndexSettings.from_env(), index_dir=index_dir)
    searcher, warnings = open_searcher(load_store(), settings)
    assert warnings == []
    page = Page(Assistant(searcher), PageConfig(feedback_path=folder / "feedback.sqlite3", files_dir=folder / "files",
                                                index_settings=settings))
    app = page.build()
    port = free_port()
    launch(app, "127.0.0.1", port, block=False)
    try:
        yield Served(f"http://127.0.0.1:{port}/", folder / "feedback.sqlite3", page)
    finally:
        app.close()
