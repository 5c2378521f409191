"""A time limit per request: an answer still running after REQUEST_TIMEOUT_S is given up.

The chain is plain synchronous Python (and a configured LLM may stall mid-stream), so it cannot be
interrupted from outside. Its generator runs in a worker thread of a small, bounded pool and hands
its items over a queue; the page's handler stops waiting at the deadline and tells the user, and
the worker stops at its next item (an LLM stream, token by token) or, offline, at the end of the
step it is in. The pool bounds how many such workers exist at once, abandoned ones included.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class RequestTimeout(Exception):
    """The answer was not complete within the time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"pas de réponse complète en {seconds:g} s")
        self.seconds = seconds


def within(items: Iterator[T], seconds: float, pool: ThreadPoolExecutor) -> Iterator[T]:
    """The items of ``items`` (consumed in ``pool``) as they come, until ``seconds`` have passed."""
    handed: queue.Queue[tuple[str, object]] = queue.Queue()
    stop = threading.Event()

    def pump() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                handed.put(("item", item))
            handed.put(("end", None))
        except BaseException as error:  # re-raised in the waiting thread
            handed.put(("error", error))

    deadline = time.monotonic() + seconds
    pool.submit(pump)
    try:
        while True:
            try:
                kind, value = handed.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise RequestTimeout(seconds) from None
            if kind == "end":
                return
            if kind == "error":
                assert isinstance(value, BaseException)
                raise value
            yield value  # type: ignore[misc]
    finally:
        stop.set()
