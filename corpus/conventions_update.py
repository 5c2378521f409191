"""`cdt convention update`: install another version of the conventions collectives beside the one in
use, then switch, with the report of what changed.

Same principles as the code's update (corpus/update.py): everything that can fail (download,
reading, writing) happens in a new folder of the data folder; the switch is one atomic replacement
of the pointer file (`current.json`); until then, and whenever anything goes wrong, the conventions
in use keep serving. The folder of the version replaced is kept (a server may still read it).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.conventions import (
    PACKAGE, POINTER, Convention, active_conventions, conventions_root, conventions_source,
    load_convention, read_index, write_convention, write_index,
)
from corpus.conventions_package import ConventionsReport, read_package
from corpus.official_package import fetch_package, latest_version


@dataclass(frozen=True)
class ConventionChange:
    """What changed in one convention's articles, by their stable id (cid)."""

    idcc: int | None
    title: str
    added: int
    removed: int
    reworded: int

    def to_dict(self) -> dict[str, Any]:
        return {"idcc": self.idcc, "title": self.title, "added": self.added, "removed": self.removed,
                "reworded": self.reworded}


@dataclass(frozen=True)
class ConventionsUpdate:
    previous: str  # the source replaced (« @socialgouv/kali-data@3.449.0 »)
    source: str  # the source installed, or found identical
    installed: bool  # False: identical in content, nothing switched
    changes: list[ConventionChange]  # conventions whose text changed, appeared or went
    report: ConventionsReport

    def to_dict(self) -> dict[str, Any]:
        return {"previous": self.previous, "source": self.source, "installed": self.installed,
                "changes": [c.to_dict() for c in self.changes], "read": self.report.to_text()}

    def to_text(self) -> str:
        """The report both `cdt convention update` and `cdt corpus update --conventions` print."""
        if not self.installed:
            return f"Conventions inchangées ({self.source})."
        lines = [f"Conventions : {self.previous} → {self.source}", self.report.to_text()]
        lines += [f"  IDCC {c.idcc} — {c.title} : {c.added} articles ajoutés, {c.removed} retirés, "
                  f"{c.reworded} modifiés" for c in self.changes]
        return "\n".join(lines)


def update_conventions(version: str | None = None, tarball: Path | None = None) -> ConventionsUpdate:
    """Fetch ``version`` of the package (default: the newest) or read ``tarball``, install it, switch."""
    root = conventions_root()
    root.mkdir(parents=True, exist_ok=True)
    current = active_conventions()
    with tempfile.TemporaryDirectory(dir=root) as workdir:
        version = version or (None if tarball else latest_version(PACKAGE))
        source = conventions_source(version) if version else tarball.name  # a local file: its name labels it
        known, full, report = read_package(tarball or fetch_package(PACKAGE, str(version), Path(workdir)))
    changes = _changes(current, full)
    if not changes and source == current[1]:
        return ConventionsUpdate(current[1], source, False, [], report)
    folder = Path(tempfile.mkdtemp(prefix="version-", dir=root))
    try:
        for convention in full:
            write_convention(folder, convention, source)
        write_index(folder, known, source)
    except BaseException:  # a half-written version is never left behind, let alone pointed to
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _point_to(root, folder, source)
    return ConventionsUpdate(current[1], source, True, changes, report)


def _changes(current: tuple[Path, str], full: list[Convention]) -> list[ConventionChange]:
    """Per convention with text before or after: articles added, removed, reworded (by cid)."""
    before = {c.id: c for c in read_index(current) if c.has_text}
    after = {c.info.id: c for c in full}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old = _wordings(load_convention(before[key], current)) if key in before else {}
        new = _wordings(after[key]) if key in after else {}
        info = after[key].info if key in after else before[key]
        change = ConventionChange(info.idcc, info.short_title, len(new.keys() - old.keys()),
                                  len(old.keys() - new.keys()),
                                  sum(old[cid] != new[cid] for cid in old.keys() & new.keys()))
        if change.added or change.removed or change.reworded:
            changes.append(change)
    return changes


def _wordings(convention: Convention) -> dict[str, tuple[str, ...]]:
    return {a.cid: a.paragraphs for a in convention.articles}


def _point_to(root: Path, folder: Path, source: str) -> None:
    """Replace the pointer in one rename: readers see the old version or the new, never neither."""
    scratch = root / f".{POINTER}.tmp"
    scratch.write_text(json.dumps({"folder": folder.name, "source": source}), encoding="utf-8")
    os.replace(scratch, root / POINTER)
    in_use = {folder.name, *(p.name for p in _previous(root))}
    for stale in root.glob("version-*"):
        if stale.name not in in_use:
            shutil.rmtree(stale, ignore_errors=True)


def _previous(root: Path) -> list[Path]:
    """The most recent folder before the one in use: kept for a server still reading it."""
    folders = sorted(root.glob("version-*"), key=lambda p: p.stat().st_mtime)
    return folders[-2:-1]
