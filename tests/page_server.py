"""The real page served on 127.0.0.1 from a thread of the test process.

Shared by the browser tests (tests/e2e) and the tests that call the page's API without a browser
(tests/test_hostile_input.py), so that both test the very page `cdt serve` launches. `PageVisitor`,
a client of the page's queue protocol, also drives the load benchmark (bench/load.py).
"""

from __future__ import annotations

import dataclasses
import json
import socket
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpus.store import load_store
from indexing.convention_search import ConventionLibrary
from indexing.embedder import model_name
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
    conventions = ConventionLibrary(model_name(settings))  # as load_assistant: the page serves conventions too
    page = Page(Assistant(searcher, conventions=conventions), PageConfig(feedback_path=folder / "feedback.sqlite3", files_dir=folder / "files",
                                                index_settings=settings))
    app = page.build()
    port = free_port()
    launch(app, "127.0.0.1", port, block=False)
    try:
        yield Served(f"http://127.0.0.1:{port}/", folder / "feedback.sqlite3", page)
    finally:
        app.close()


class PageVisitor:
    """One browser session of the page, speaking the browser's protocol: join the queue, read the session's stream.

    gradio_client cannot send what a browser's JSON.stringify sends for broken text (a lone surrogate,
    escaped as \\udcXX), and it costs about 0.14 s of CPU per question on this side, where this costs
    next to nothing: thousands of questions stay affordable on two cores shared with the server.
    """

    def __init__(self, url: str, timeout: float = 60) -> None:
        self.url = url
        self.timeout = timeout
        self.session = uuid.uuid4().hex
        with urllib.request.urlopen(url + "config", timeout=30) as response:
            self.events = {d["api_name"]: d for d in json.load(response)["dependencies"] if d.get("api_name")}

    def new_conversation(self) -> None:
        """« Nouvelle conversation »: a fresh session, so fresh conversation state on the server."""
        self.session = uuid.uuid4().hex

    def ask(self, question: str) -> list[Any]:
        """The outputs of « Envoyer » (states included, as None); AssertionError when the page reports an error."""
        self.send(question)
        return self.result()

    def send(self, question: str) -> None:
        """Put the question in the page's queue as « Envoyer » does, without waiting for its answer."""
        self.join("ask", [question, None, None, None, None])  # the conversation's states, kept by the server

    def choose_convention(self, words: str) -> list[Any]:
        """The convention of this session's conversation, as « Choisir » sets it (a new session forgets it)."""
        return self.call("choose_convention", [words])

    def call(self, api_name: str, data: list[Any]) -> list[Any]:
        """The outputs of the page's event `api_name` for these inputs, read from the session's stream."""
        self.join(api_name, data)
        return self.result()

    def join(self, api_name: str, data: list[Any]) -> None:
        """Put the event in the page's queue; urllib.error.HTTPError 429 when the queue is full."""
        event = self.events[api_name]
        body = json.dumps({"data": data, "fn_index": event["id"], "trigger_id": event["targets"][0][0],
                           "session_hash": self.session,
                           "event_data": None}).encode("ascii")  # json.dumps escapes lone surrogates, as browsers do
        join = urllib.request.Request(self.url + "gradio_api/queue/join", data=body,
                                      headers={"Content-Type": "application/json"})
        urllib.request.urlopen(join, timeout=30).close()

    def result(self) -> list[Any]:
        """The outputs of the event this session joined, read from its stream (buffered by the page until read)."""
        deadline = time.monotonic() + self.timeout
        with urllib.request.urlopen(f"{self.url}gradio_api/queue/data?session_hash={self.session}",
                                    timeout=self.timeout) as stream:
            for line in stream:
                if time.monotonic() > deadline:  # the stream's heartbeats keep a slow answer's socket alive
                    raise TimeoutError(f"pas de réponse en {self.timeout:g} s")
                if not line.startswith(b"data:"):
                    continue
                message = json.loads(line[len(b"data:"):])
                if message["msg"] == "unexpected_error":
                    raise AssertionError(f"erreur de la page : {message['message']}")
                if message["msg"] == "process_completed":
                    assert message["success"], message["output"]
                    return message["output"]["data"]
        raise AssertionError("flux de la session interrompu sans réponse")
