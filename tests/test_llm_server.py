"""The LLM mode against a real model server: llama-cpp-python's OpenAI-compatible server on 127.0.0.1,
serving SmolLM2-135M-Instruct (both prepared by `make test`: scripts/setup_llm_server.py).

Its answers are poor; the point is the protocol and the checks. The product's own settings build the
client (``CDT_LLM=openai:…`` and ``CDT_LLM_BASE_URL``); where a test needs the model to write something
precise (an invented article, an altered quotation), a llama.cpp grammar constrains its output, so the
citation check really meets a real server's streamed text. A real answer takes seconds on 2 cores: the
tests are few.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.chain import Assistant
from assistant.llm import ChatComposer, llm_from_settings
from assistant.llm_settings import LlmSettings
from corpus.store import load_store
from indexing.index import open_searcher
from indexing.settings import IndexSettings
from scripts.setup_llm_server import MODEL_SHA256, model_path, server_python
from ui.app import Page, PageConfig

QUESTION = "Quel est le taux d'emploi de travailleurs handicapés que doit respecter un employeur ?"
MAX_TOKENS = 120  # SmolLM2 may ramble to the end of its context: every request is capped
# The model must write an article that does not exist and a quotation that L5212-2 does not contain.
FORCED = ('root ::= "La proportion est fixée par la loi [L9999-1]. Selon le texte : « " [a-z ]{5,30} " » '
          '[L5212-2]."')

needs_server = pytest.mark.skipif(
    not (server_python().exists() and model_path().exists()),
    reason="run `make llm-server` first (make test does)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The server, started for this module and stopped after it (continued first if a test paused it)."""
    port = _free_port()
    process = subprocess.Popen(
        [str(server_python()), "-m", "llama_cpp.server", "--model", str(model_path()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "8192"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                model_id = json.load(response)["data"][0]["id"]
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("le serveur llama.cpp n'a pas démarré") from None
            time.sleep(0.5)
    yield url, process
    process.send_signal(signal.SIGCONT)
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    assert model_id


@pytest.fixture(scope="module")
def searcher(full_index: Path) -> Any:
    settings = dataclasses.replace(IndexSettings.from_env(), index_dir=full_index)
    found, _ = open_searcher(load_store(), settings)
    return found


def composer(url: str, timeout: float = 120, **constraints: Any) -> ChatComposer:
    """The composer the product builds from its settings for this server, each request capped (and, for
    some tests, its output constrained by a grammar)."""
    settings = LlmSettings.from_env({"CDT_LLM": "openai:smollm2", "CDT_LLM_BASE_URL": url,
                                     "CDT_LLM_TIMEOUT": str(timeout)})
    built = llm_from_settings(settings)
    assert built is not None and built.name == "openai:smollm2"
    body = {"max_tokens": MAX_TOKENS, **constraints}
    return ChatComposer(built.model.model_copy(update={"extra_body": body}), built.name)


@needs_server
def test_model_file_is_the_pinned_one() -> None:
    from indexing.model_fetch import sha256_of

    assert sha256_of(model_path()) == MODEL_SHA256


@needs_server
def test_page_streams_a_real_answer_and_the_checks_fire(server: tuple[str, Any], searcher: Any,
                                                         tmp_path: Path) -> None:
    url, _ = server
    page = Page(Assistant(searcher, llm=composer(url, grammar=FORCED)),
                PageConfig(feedback_path=tmp_path / "feedback.sqlite3", files_dir=tmp_path))
    page.build()
    updates = list(page.respond(QUESTION, [], [], []))
    drafts = [u[page.chatbot][-1]["content"] for u in updates[1:-1]]
    assert len(drafts) >= 3 and "Réponse en cours de rédaction" in drafts[0]  # streamed, piece by piece
    assert len(set(drafts)) >= 3
    final = updates[-1][page.chatbot][-1]["content"]  # the checked answer, its notices shown with it
    assert "[L9999-1]" not in final and "Référence L9999-1 retirée" in final
    assert "Citation attribuée à L5212-2 retirée" in final
    assert "consolidé au" in final and "modèle de langue configuré (openai:smollm2)" in page.status_markdown()


@needs_server
def test_a_stalled_server_hits_the_timeout_and_the_extractive_answer_comes(server: tuple[str, Any],
                                                                           searcher: Any) -> None:
    url, process = server
    process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        answer, _ = Assistant(searcher, llm=composer(url, timeout=2)).ask(QUESTION)
        elapsed = time.monotonic() - started
    finally:
        process.send_signal(signal.SIGCONT)
    assert any("openai:smollm2 n'a pas répondu" in n and "Réponse extractive" in n for n in answer.notices)
    assert answer.citations and "L5212-2" in {c.article for c in answer.citations}  # the extractive answer
    assert elapsed < 30  # two attempts of 2 s at most, not the default minute
    assert os.kill(process.pid, 0) is None  # the server is alive again for the other tests
