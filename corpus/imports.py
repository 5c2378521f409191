"""`cdt corpus import`: read a user export (either seed format), number it, optionally keep it.

Two formats arrive from users: plain-text exports of a book (bullets, no numbers) and Markdown
files of single articles (heading « # Article L311-7 »). Both become an export snapshot whose
articles are historical versions, numbered against the current code when possible.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from corpus.diff import same_text
from corpus.markdown_article import parse_markdown_article
from corpus.model import Article
from corpus.numbering import number_export
from corpus.paths import user_exports_dir
from corpus.snapshot import Manifest, Snapshot, write_snapshot
from corpus.text_export import parse_text_export

_MARKDOWN_HEADING = re.compile(r"\A\s*#\s*Article\b", re.IGNORECASE)


def is_markdown_article(path: Path) -> bool:
    """Sniff the format from the first bytes (the parsers report any further problem)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    return bool(_MARKDOWN_HEADING.match(head))


def import_export(path: Path, official_in_force: list[Article]) -> Snapshot:
    """Parse ``path`` and give its articles numbers and match flags against the current code."""
    if is_markdown_article(path):
        article = parse_markdown_article(path)
        articles = [_flag_known_number(article, official_in_force)]
        version_date = None
    else:
        export = parse_text_export(path)
        version_date = export.version_date
        articles = [
            dataclasses.replace(a, extra={**a.extra, "version_date": version_date.isoformat()}) if version_date else a
            for a in number_export(export.articles, official_in_force, version_date)
        ]
    numbered = sum(a.number is not None for a in articles)
    manifest = Manifest(
        source=path.name,
        consolidation_date=version_date,
        kind="export",
        article_count=len(articles),
        extra={"numbered": numbered},
    )
    return Snapshot(manifest, articles)


def save_export(snapshot: Snapshot, folder: Path | None = None) -> Path:
    """Keep an imported export in the data folder so that lookups can reach it."""
    name = Path(snapshot.manifest.source).stem + ".jsonl.gz"
    target = (folder or user_exports_dir()) / name
    write_snapshot(target, snapshot)
    return target


def _flag_known_number(article: Article, official_in_force: list[Article]) -> Article:
    """A single article carries its number: flag whether the current code still has that text."""
    current = next((a for a in official_in_force if a.number == article.number), None)
    if current is None:
        match = "not_found"
    else:
        match = "identical" if same_text(article, current) else "changed"
    return dataclasses.replace(article, extra={**article.extra, "match": match})
