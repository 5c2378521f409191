"""Chroma server mode: a real `chroma run` on 127.0.0.1, the indexer and the assistant through its HTTP client."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.store import load_store
from indexing.index import build_index, open_searcher
from indexing.model_fetch import is_installed
from indexing.settings import DEFAULT_MODEL_NAME, IndexSettings
from tests.conftest import MODELS_DIR
from ui.cli import cdt

from assistant.chain import Assistant

CHROMA = Path(sys.executable).with_name("chroma")
pytestmark = pytest.mark.skipif(not is_installed(MODELS_DIR / DEFAULT_MODEL_NAME),
                                reason="run `cdt models fetch` first (make test does)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (the package's own `chroma run`), stopped after the tests."""
    port, data = _free_port(), tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen([str(CHROMA if CHROMA.exists() else shutil.which("chroma")), "run", "--path", str(data),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


def test_index_and_answers_go_through_the_chroma_server(chroma_url: str, tmp_path: Path) -> None:
    settings = dataclasses.replace(IndexSettings.from_env(), index_dir=tmp_path / "index", chroma_url=chroma_url)
    report = build_index(load_store(), settings, only="L5212", progress=False)
    assert report.chunks > 0 and not report.warnings
    assert not list((tmp_path / "index").glob("**/chroma"))  # no embedded store: the vectors are on the server
    second_machine = dataclasses.replace(settings, index_dir=tmp_path / "second-machine")
    again = build_index(load_store(), second_machine, only="L5212", progress=False)
    assert (again.reused_stored, again.reused_shipped, again.embedded) == (report.chunks, 0, 0)  # one copy, shared
    searcher, warnings = open_searcher(load_store(), settings)
    assert warnings == [] and searcher.dense.vectors.count() == report.chunks
    answer, _ = Assistant(searcher).ask("Combien de travailleurs handicapés doit employer une entreprise de 120 salariés ?")
    assert "L5212-2" in {c.article for c in answer.citations}
    assert searcher.search("obligation d'emploi des travailleurs handicapés").mode == "hybrid"


def test_a_second_process_serves_from_the_same_server(chroma_url: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CDT_CHROMA_URL", chroma_url)
    monkeypatch.setenv("CDT_INDEX_DIR", str(tmp_path / "index"))
    built = CliRunner().invoke(cdt, ["index", "build", "--only", "L5212", "--quiet"])
    assert built.exit_code == 0, built.output
    result = subprocess.run([sys.executable, "-m", "ui.cli", "search", "taux d'emploi de 6 %", "--k", "3"],
                            capture_output=True, text=True, env={**os.environ}, check=False)
    assert result.returncode == 0, result.stderr
    assert "L5212-2" in result.stdout and "mode hybrid" in result.stdout


def test_an_unreachable_server_is_named_with_the_fix(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CDT_INDEX_DIR", str(tmp_path / "index"))
    assert CliRunner().invoke(cdt, ["index", "build", "--only", "L5212", "--quiet"]).exit_code == 0
    monkeypatch.setenv("CDT_CHROMA_URL", f"http://127.0.0.1:{_free_port()}")
    result = CliRunner().invoke(cdt, ["search", "taux d'emploi de 6 %"])
    assert result.exit_code == 0  # lexical-only, with the reason
    assert "serveur Chroma injoignable" in result.output and "CDT_CHROMA_URL" in result.output


def test_a_collection_gone_from_the_server_gives_lexical_answers_that_say_why(chroma_url: str, tmp_path: Path) -> None:
    """A worker left on a retired generation (or a server that lost its data) still answers, and says why."""
    import chromadb

    settings = dataclasses.replace(IndexSettings.from_env(), index_dir=tmp_path / "index", chroma_url=chroma_url)
    build_index(load_store(), settings, only="L5212", progress=False)
    searcher, _ = open_searcher(load_store(), settings)
    port = int(chroma_url.rsplit(":", 1)[1])
    chromadb.HttpClient(host="127.0.0.1", port=port, settings=chromadb.Settings(anonymized_telemetry=False)) \
        .delete_collection(searcher.dense.vectors.name)
    result = searcher.search("obligation d'emploi des travailleurs handicapés")
    assert result.hits and "recherche lexicale seule pour cette question" in result.notices[-1]
    assert "cdt index build" in result.notices[-1]
