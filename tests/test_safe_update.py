"""Updating the law while the page serves: `cdt corpus update` + `cdt index build` against a running `cdt serve`.

Real processes throughout: the page is `cdt serve` on a free port, questions go through its API
(gradio_client, as a browser's requests do), the corpus update reads a real package JSON with one
article amended and a new consolidation date, and builds are `cdt index build` processes — one
stopped and killed midway, one run to the end. A thread keeps asking questions for the whole test:
not one may fail.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.chain import Assistant
from assistant.live import LiveAssistant
from corpus.snapshot import Snapshot
from corpus.store import ArticleStore, load_store
from indexing.generations import generation_in_service, unpublished
from indexing.index import build_index, open_searcher
from indexing.model_fetch import is_installed
from indexing.settings import DEFAULT_MODEL_NAME, IndexSettings
from tests.conftest import MODELS_DIR, save_tree, tree_articles

pytestmark = pytest.mark.skipif(not is_installed(MODELS_DIR / DEFAULT_MODEL_NAME),
                                reason="run `cdt models fetch` first (make test does)")
pytest.importorskip("gradio_client")

SLICE = "L5212"
QUESTION = "Quelle proportion de travailleurs handicapés un employeur doit-il employer ?"
ADDED = "Phrase ajoutée par le test de mise à jour."
OLD_DATE, NEW_DATE = "2026-03-27", "2026-04-03"


def _cdt(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "ui.cli", *args], env=env, capture_output=True, text=True,
                            check=False, timeout=600)
    if check:
        assert result.returncode == 0, f"cdt {' '.join(args)} : {result.stdout}\n{result.stderr}"
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def env(isolated_data_dir: Path, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CDT_DATA_DIR": str(isolated_data_dir), "CDT_INDEX_DIR": str(tmp_path / "index"),
            "CDT_MODELS_DIR": str(MODELS_DIR), "GRADIO_ANALYTICS_ENABLED": "False"}


@pytest.fixture()
def page_url(env: dict[str, str]) -> Iterator[str]:
    """`cdt serve` over an index of the L5212 slice of the shipped corpus."""
    _cdt("index", "build", "--only", SLICE, "--quiet", env=env)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while True:
        assert server.poll() is None, f"cdt serve s'est arrêté : {server.stderr.read().decode() if server.stderr else ''}"
        assert time.monotonic() < deadline, "la page n'a pas répondu en 180 s"
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=30)


def _answer(client: Any, question: str = QUESTION) -> str:
    """The last message of the conversation the page returns: the assistant's answer."""
    client.reset_session()
    outputs = client.predict(question, api_name="/ask")
    return str(outputs[0][-1]["content"])


def _corpus_date(answer: str) -> str:
    found = re.search(r"consolidé au (\d{2})/(\d{2})/(\d{4})", answer) or re.search(r"consolidé au ([^.*\n]+)", answer)
    assert found, f"réponse sans date du corpus : {answer[-300:]}"
    if len(found.groups()) == 3:
        day, month, year = found.groups()
        return f"{year}-{month}-{day}"
    return found.group(1).strip()


class Asker(threading.Thread):
    """A user who keeps asking, for the whole test: every answer must come, with a corpus date."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        from gradio_client import Client

        self.client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
        self.dates: list[str] = []
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.dates.append(_corpus_date(_answer(self.client)))
            except Exception as error:  # any failure is a test failure, reported at the end
                self.errors.append(repr(error))


def _amended_code(official_tree: dict[str, Any], folder: Path) -> Path:
    """The official package JSON with a later consolidation date and L5212-2 amended (one more sentence)."""
    tree = copy.deepcopy(official_tree)
    tree["data"]["dateModif"] = NEW_DATE
    for _, node in tree_articles(tree):
        if node["data"]["num"] == "L5212-2":
            node["data"]["texteHtml"] += f"<p>{ADDED}</p>"
            node["data"]["texte"] = node["data"].get("texte", "") + "\n" + ADDED
    return save_tree(tree, folder / "code.json")


def test_the_page_answers_from_the_old_index_during_a_build_and_switches_once_it_is_complete(
        page_url: str, env: dict[str, str], official_tree: dict[str, Any], tmp_path: Path) -> None:
    from gradio_client import Client

    index_dir = Path(env["CDT_INDEX_DIR"])
    client = Client(page_url, verbose=False, download_files=False, analytics_enabled=False)
    assert _corpus_date(_answer(client)) == OLD_DATE
    asker = Asker(page_url)
    asker.start()

    _cdt("corpus", "update", "--from-file", str(_amended_code(official_tree, tmp_path)), "--version", "test", env=env)
    assert _corpus_date(_answer(client)) == OLD_DATE  # the new corpus waits for its index
    served = generation_in_service(index_dir)

    # A build stopped midway, then killed: the page keeps answering from the generation in service.
    build = subprocess.Popen([sys.executable, "-m", "ui.cli", "index", "build", "--only", SLICE, "--quiet"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not unpublished(index_dir):
        assert build.poll() is None and time.monotonic() < deadline, "la construction n'a pas démarré"
        time.sleep(0.05)
    build.send_signal(signal.SIGSTOP)
    status = _cdt("index", "status", env=env, check=False).stdout
    assert "construction est en cours" in status and "l'index actuel reste en service" in status
    assert _corpus_date(_answer(client)) == OLD_DATE
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    assert _corpus_date(_answer(client)) == OLD_DATE and generation_in_service(index_dir) == served

    # What the next start says: the index no longer matches the new corpus, a build was interrupted.
    refused = _cdt("serve", "--port", str(_free_port()), env=env, check=False)
    assert refused.returncode == 1
    assert "interrompue" in refused.stderr and "cdt index build" in refused.stderr, refused.stderr

    # A complete build: cleans the killed one's folder, publishes, and the page switches by itself.
    built = _cdt("index", "build", "--only", SLICE, "--quiet", env=env)
    assert "interrompue" in built.stdout and not unpublished(index_dir)
    deadline = time.monotonic() + 60
    while _corpus_date(_answer(client)) != NEW_DATE:
        assert time.monotonic() < deadline, "la page n'a pas basculé sur le nouvel index en 60 s"
        time.sleep(0.5)
    article = client.predict("L5212-2", api_name="/lookup")[0]
    assert ADDED in article
    time.sleep(2)  # a few more answers from the new index
    asker.stop.set()
    asker.join(timeout=120)
    assert asker.errors == [], asker.errors[:3]
    assert len(asker.dates) >= 5 and asker.dates[0] == OLD_DATE and asker.dates[-1] == NEW_DATE
    first_new = asker.dates.index(NEW_DATE)
    assert set(asker.dates[:first_new]) == {OLD_DATE} and set(asker.dates[first_new:]) == {NEW_DATE}, \
        "an answer from the old index after the switch"


def test_a_generation_for_another_corpus_is_refused_and_the_old_one_keeps_serving(tmp_path: Path) -> None:
    """In-process: the live assistant loads a new generation for the corpus on disk, and refuses one that is not."""
    settings = dataclasses.replace(IndexSettings.from_env(), index_dir=tmp_path / "index")
    store = load_store()
    build_index(store, settings, only=SLICE, progress=False)
    searcher, _ = open_searcher(store, settings)
    live = LiveAssistant(Assistant(searcher), settings, check_every_s=0)
    first = live.current
    build_index(store, settings, only=SLICE, progress=False)  # same corpus: a new generation to switch to
    live.current
    live.wait_idle(60)
    assert live.current is not first and live.current.searcher.generation == generation_in_service(settings.index_dir)
    assert live.current.searcher.dense.embedder is first.searcher.dense.embedder  # the model is not loaded twice
    other = ArticleStore(Snapshot(dataclasses.replace(store.official.manifest, source="autre-corpus"),
                                  store.official.articles), store.official_path)
    build_index(other, settings, only=SLICE, progress=False)  # built for a corpus the process cannot load
    serving = live.current
    live.wait_idle(60)
    assert live.current is serving and live.last_switch and "ne correspond plus au corpus" in (live.last_switch.error or "")
    assert live.current.ask(QUESTION)[0].citations
