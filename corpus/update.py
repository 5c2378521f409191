"""`cdt corpus update`: build a new official snapshot beside the current one, then swap.

Everything that can fail (download, parsing, sanity checks, writing) happens before the swap, on
temporary files in the data folder; the swap is one atomic rename. Until then, and whenever
anything goes wrong, the previous corpus keeps serving. The replaced snapshot is kept as
``code-du-travail.previous.jsonl.gz`` so that the change can be reviewed or reverted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from corpus.diff import ChangeReport, diff_articles
from corpus.errors import CorpusError
from corpus.linked_codes import build_linked_snapshot
from corpus.official_package import (
    build_official_snapshot, fetch_code_json, fetch_linked_jsons, latest_version, package_source,
)
from corpus.paths import LINKED_NAME, OFFICIAL_NAME, PREVIOUS_NAME, corpus_dir
from corpus.snapshot import Snapshot, read_snapshot, write_snapshot
from corpus.store import active_official_path

# A new snapshot that lost more than this share of the articles in force is refused as broken.
MAX_SHRINK = 0.10

# Checks that every newly installed corpus must pass, registered by downstream packages (the
# calculators check that the law still carries their parameters). Each raises a CorpusError.
_AFTER_UPDATE: list[Callable[[], object]] = []


def after_update(check: Callable[[], object]) -> None:
    """Register a check to run after each corpus update that installed a new snapshot."""
    _AFTER_UPDATE.append(check)


def run_after_update_checks() -> None:
    for check in _AFTER_UPDATE:
        check()


@dataclass(frozen=True)
class UpdateResult:
    report: ChangeReport
    snapshot: Snapshot
    path: Path
    replaced: bool  # False when the new snapshot is identical in content: nothing was swapped


def update_corpus(version: str | None = None, json_path: Path | None = None, force: bool = False) -> UpdateResult:
    """Fetch (or read ``json_path``), build, check, and atomically install a new official snapshot.

    ``version`` defaults to the newest published version of the package; with ``json_path`` it
    only labels the local file.
    """
    current_path = active_official_path()
    current = read_snapshot(current_path)
    target_dir = corpus_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target_dir)
    with tempfile.TemporaryDirectory(prefix=".update-", dir=target_dir) as workdir:
        linked = None
        if json_path is None:
            version = version or latest_version()
            json_path = fetch_code_json(version, Path(workdir))
            # the other codes' articles the calculators rely on come from the same version (a local
            # file gives only the Code du travail: they stay as they are)
            linked = build_linked_snapshot(fetch_linked_jsons(version, Path(workdir)), package_source(version))
        new = build_official_snapshot(Path(json_path), version or "local")
        _check_not_shrunk(current, new, force)
        report = diff_articles(
            (a for a in current.articles if a.in_force),
            (a for a in new.articles if a.in_force),
            _label(current),
            _label(new),
        )
        target = target_dir / OFFICIAL_NAME
        if report.is_empty and new.manifest.consolidation_date == current.manifest.consolidation_date:
            return UpdateResult(report, current, current_path, replaced=False)
        staged = Path(workdir) / OFFICIAL_NAME
        write_snapshot(staged, new)
        read_snapshot(staged)  # what we are about to serve must read back whole
        _keep_previous(current_path, target_dir / PREVIOUS_NAME)
        os.replace(staged, target)
        if linked is not None:
            write_snapshot(target_dir / LINKED_NAME, linked)  # atomic, like the code's
    return UpdateResult(report, new, target, replaced=True)


def _remove_leftovers(target_dir: Path) -> None:
    """Work folders of an update that was killed: never served, safe to delete."""
    for leftover in target_dir.glob(".update-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _check_not_shrunk(current: Snapshot, new: Snapshot, force: bool) -> None:
    before = sum(a.in_force for a in current.articles)
    after = sum(a.in_force for a in new.articles)
    if not force and after < before * (1 - MAX_SHRINK):
        raise CorpusError(
            f"La nouvelle version ({new.manifest.source}) n'a que {after} articles en vigueur contre "
            f"{before} aujourd'hui : elle semble incomplète, le corpus actuel est conservé. "
            "Relancez avec --force si cette baisse est attendue."
        )


def _keep_previous(current_path: Path, previous: Path) -> None:
    staged_copy = previous.with_name(previous.name + ".tmp")
    shutil.copyfile(current_path, staged_copy)
    os.replace(staged_copy, previous)


def _label(snapshot: Snapshot) -> str:
    return f"{snapshot.manifest.source} (consolidé au {snapshot.manifest.consolidation_date})"
