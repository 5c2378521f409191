"""Where an index lives on disk: one folder per build (a generation) and a pointer to the one in service.

A build writes a whole new generation beside the one in service and publishes it by replacing the
pointer file with one rename. Readers open whatever the pointer names, so:
- a page that serves keeps answering from its generation while a build runs, and switches when the
  pointer changes (assistant/live.py);
- a killed build leaves the generation in service untouched; its half-written folder is reported
  at the next start and removed by the next build;
- two builds cannot run at once (an advisory lock that the kernel releases if a build is killed).

The generation in service and the one before it are kept (a server may still be reading the older
one for a moment after the switch); older ones are removed when a new one is published.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpus.errors import CorpusError

POINTER = "current.json"
LOCK = "build.lock"
PREFIX = "gen-"
# The single-folder layout used before generations: removed once a generation is published.
_LEGACY = ("manifest.json", "manifest.json.tmp", "chroma", "lexical", "lexical.new", "lexical.old")


class IndexBusy(CorpusError):
    """Another build holds the index folder."""


def published(index_dir: Path) -> dict[str, Any] | None:
    """The pointer: {"generation": name in service, "previous": the one before or None}; None before any build."""
    try:
        pointer = json.loads((index_dir / POINTER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise CorpusError(f"{index_dir / POINTER} illisible ({error}) : relancez `cdt index build`") from error
    if not isinstance(pointer, dict) or not isinstance(pointer.get("generation"), str):
        raise CorpusError(f"{index_dir / POINTER} ne désigne aucune génération : relancez `cdt index build`")
    return pointer


def generation_in_service(index_dir: Path) -> str | None:
    pointer = published(index_dir)
    return pointer["generation"] if pointer else None


def new_generation(index_dir: Path) -> Path:
    """A fresh, empty folder for a build: named by its start time (UTC) and process, so never reused."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    folder = index_dir / f"{PREFIX}{stamp}-{os.getpid()}"
    folder.mkdir(parents=True)
    return folder


def publish(index_dir: Path, generation: str) -> list[str]:
    """Put ``generation`` in service in one rename; return the generations no longer kept."""
    before = generation_in_service(index_dir)
    pointer = {"generation": generation, "previous": before if before != generation else None,
               "published_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    staged = index_dir / (POINTER + ".tmp")
    staged.write_text(json.dumps(pointer, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(staged, index_dir / POINTER)
    kept = {generation, pointer["previous"]}
    return [folder.name for folder in generation_folders(index_dir) if folder.name not in kept]


def generation_folders(index_dir: Path) -> list[Path]:
    return sorted(p for p in index_dir.glob(f"{PREFIX}*") if p.is_dir()) if index_dir.is_dir() else []


def unpublished(index_dir: Path) -> list[Path]:
    """Folders of builds that never reached the pointer (killed, or still running)."""
    pointer = published(index_dir) or {}
    kept = {pointer.get("generation"), pointer.get("previous")}
    return [folder for folder in generation_folders(index_dir) if folder.name not in kept]


def remove_folders(index_dir: Path, names: list[str]) -> None:
    for name in names:
        shutil.rmtree(index_dir / name, ignore_errors=True)


def remove_legacy_layout(index_dir: Path) -> None:
    """The files of a single-folder index from before generations (never read any more)."""
    for name in _LEGACY:
        path = index_dir / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the folder's build lock, or refuse at once: two builds would publish over each other."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(f"une construction de l'index est déjà en cours dans {index_dir} : attendez qu'elle "
                            "se termine (l'index en service continue de répondre)") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_running(index_dir: Path) -> bool:
    """Whether a build holds the lock right now (a killed build does not: the kernel released it)."""
    if not (index_dir / LOCK).exists():
        return False
    with open(index_dir / LOCK, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
