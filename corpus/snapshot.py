"""Snapshot files: one gzip-compressed JSON Lines file per article collection.

Line 1 is the manifest (source, version, consolidation date, counts); every other line is one
article. The ministry's practical sheets are stored the same way (corpus/sheets.py). A single file is replaced with one atomic rename, so readers see either the old or the
new corpus, never a half-written one.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.errors import SourceFormatError
from corpus.model import Article

FORMAT = "cdt-corpus-snapshot/1"
_FIX = "Reconstruisez-le (`cdt corpus update`) ou supprimez-le pour revenir au corpus livré"


@dataclass(frozen=True)
class Manifest:
    """What a snapshot holds and where it comes from."""

    source: str  # e.g. "@socialgouv/legi-data@2.513.0" or an export's file name
    consolidation_date: dt.date | None  # the date the text is "en vigueur au"
    kind: str  # "official" | "export"
    article_count: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "source": self.source,
            "consolidation_date": self.consolidation_date.isoformat() if self.consolidation_date else None,
            "kind": self.kind,
            "article_count": self.article_count,
            "extra": self.extra,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        date = data.get("consolidation_date")
        return cls(
            source=data["source"],
            consolidation_date=dt.date.fromisoformat(date) if date else None,
            kind=data["kind"],
            article_count=data["article_count"],
            extra=data.get("extra") or {},
        )


@dataclass(frozen=True)
class Snapshot:
    manifest: Manifest
    articles: list[Article]


def write_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Write the manifest line, then one line per article, in one atomic replacement of ``path``."""
    write_jsonl_gz(path, [snapshot.manifest.to_dict(), *(article.to_dict() for article in snapshot.articles)])


def read_snapshot(path: Path) -> Snapshot:
    """Read a snapshot, checking it is complete (article count matches the manifest)."""
    head, records = read_jsonl_gz(path, FORMAT, _FIX)
    try:
        manifest = Manifest.from_dict(head)
        articles = [Article.from_dict(record) for record in records]
    except (KeyError, TypeError, ValueError) as error:
        raise SourceFormatError(path, f"contenu inattendu ({error!r})", _FIX) from error
    if len(articles) != manifest.article_count:
        raise SourceFormatError(
            path, f"{len(articles)} articles lus pour {manifest.article_count} annoncés (fichier tronqué)", _FIX
        )
    return Snapshot(manifest, articles)


def write_jsonl_gz(path: Path, lines: Iterable[dict[str, Any]]) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            for line in lines:
                out.write(_json_line(line))
        os.chmod(temporary, 0o644)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_jsonl_gz(path: Path, expected_format: str, fix: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The manifest (line 1, whose "format" must be ``expected_format``) and the records of a file
    written by write_jsonl_gz; SourceFormatError naming the file, the line and ``fix`` otherwise."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            manifest_line = next(lines, None)
            if manifest_line is None:
                raise SourceFormatError(path, "fichier vide", fix)
            head = _parse(path, manifest_line, 1, fix)
            if head.get("format") != expected_format:
                raise SourceFormatError(path, f"format inconnu ({head.get('format')!r}, attendu {expected_format})",
                                        fix, 1)
            return head, [_parse(path, line, n, fix) for n, line in enumerate(lines, start=2)]
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise SourceFormatError(path, f"instantané illisible ou tronqué ({error})", fix) from error


def _json_line(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _parse(path: Path, line: str, number: int, fix: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise SourceFormatError(path, f"ligne JSON invalide ({error.msg})", fix, number) from error
    if not isinstance(data, dict):
        raise SourceFormatError(path, "objet JSON attendu", fix, number)
    return data
