"""The assistant in service for a long-running process, switched to a new index once a build publishes it.

`cdt corpus update` then `cdt index build` may run while the page serves. The build publishes a
new index generation in one step (indexing/generations.py); this holder notices the new pointer
(a small file read at most every CHECK_EVERY_S seconds, on the requests' path), loads the new
corpus and index in a background thread — reusing the embedding model already in memory — and
swaps the assistant in one assignment. Requests keep being answered by the old assistant until
the new one is ready; a request that started before the swap finishes with the assistant it took.
A generation that cannot be loaded (built for another corpus, damaged) is not retried; the old
assistant keeps serving and the reason is kept for the « État » tab.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from corpus.errors import CorpusError
from corpus.store import load_store
from indexing.generations import generation_in_service
from indexing.index import open_searcher
from indexing.settings import IndexSettings

from assistant.chain import Assistant

CHECK_EVERY_S = 2.0
log = logging.getLogger(__name__)


@dataclass
class Switch:
    """The last attempt to change generation, for the « État » tab."""

    generation: str
    at: float  # time.time()
    error: str | None = None


class LiveAssistant:
    """Hands out the current assistant; ``settings`` None means a fixed assistant (tests, one-shot commands)."""

    def __init__(self, assistant: Assistant, settings: IndexSettings | None = None,
                 check_every_s: float = CHECK_EVERY_S) -> None:
        self._assistant = assistant
        self.settings = settings
        self.check_every_s = check_every_s
        self.warnings: list[str] = []
        self.last_switch: Switch | None = None
        self._checked_at = time.monotonic()
        self._loading: threading.Thread | None = None
        self._refused: set[str] = set()
        self._lock = threading.Lock()

    @property
    def current(self) -> Assistant:
        self._look_for_new_generation()
        return self._assistant

    def wait_idle(self, timeout: float | None = None) -> None:
        """Wait for a switch in progress to finish (tests and benchmarks)."""
        loading = self._loading
        if loading is not None:
            loading.join(timeout)

    def _look_for_new_generation(self) -> None:
        if self.settings is None or time.monotonic() - self._checked_at < self.check_every_s:
            return
        with self._lock:
            if time.monotonic() - self._checked_at < self.check_every_s or self._loading is not None:
                return
            self._checked_at = time.monotonic()
            try:
                published = generation_in_service(self.settings.index_dir)
            except CorpusError:  # a damaged pointer: keep serving what is loaded
                return
            if published is None or published == self._assistant.searcher.generation or published in self._refused:
                return
            self._loading = threading.Thread(target=self._switch_to, args=(published,), name="cdt-index-switch",
                                             daemon=True)
            self._loading.start()

    def _switch_to(self, generation: str) -> None:
        assert self.settings is not None
        old = self._assistant
        try:
            dense = old.searcher.dense
            searcher, warnings = open_searcher(load_store(), self.settings, getattr(dense, "embedder", None))
            self._assistant = Assistant(searcher, old.llm, old.abstain_below, old.k)
            self.warnings = warnings
            self.last_switch = Switch(str(searcher.generation), time.time())
            log.warning("index %s en service (corpus consolidé au %s)", searcher.generation,
                        searcher.store.consolidation_date)
        except CorpusError as error:
            self._refused.add(generation)
            self.last_switch = Switch(generation, time.time(), str(error))
            log.warning("nouvel index %s non chargé, l'ancien reste en service : %s", generation, error)
        finally:
            self._loading = None
