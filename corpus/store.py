"""The article store: the official code in force plus imported exports, with lookups.

Lookups prefer the official current version of an article; exports (a dated version of a book,
an article of the pre-2008 code) are reachable too but always carry their historical status, so
that nothing downstream can mistake them for the law in force.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from corpus.article_number import normalize_number, try_normalize_number
from corpus.errors import UnknownArticle
from corpus.model import Article, Reference
from corpus.linked_codes import is_linked_key, linked_key
from corpus.paths import (
    LINKED_NAME, OFFICIAL_NAME, SHIPPED_EXPORTS, SHIPPED_LINKED, SHIPPED_OFFICIAL, corpus_dir, user_exports_dir,
)
from corpus.snapshot import Snapshot, read_snapshot
from corpus.text_forms import search_form

PART_NAMES = {"L": "législative", "R": "réglementaire (R)", "D": "réglementaire (D)"}
_LEGI_ID = re.compile(r"LEGIARTI\d{12}")


@dataclass
class ArticleStore:
    """Read-only view over one official snapshot and any number of export snapshots."""

    official: Snapshot
    official_path: Path
    exports: list[Snapshot] = field(default_factory=list)
    linked: Snapshot | None = None  # other codes' articles the calculators rely on, keyed « L130-1 CSS »

    @property
    def consolidation_date(self) -> dt.date | None:
        return self.official.manifest.consolidation_date

    @property
    def source(self) -> str:
        return self.official.manifest.source

    @cached_property
    def in_force(self) -> list[Article]:
        """Articles of the current code in force, in the code's reading order."""
        return [a for a in self.official.articles if a.in_force]

    @cached_property
    def _official_by_number(self) -> dict[str, list[Article]]:
        index: dict[str, list[Article]] = defaultdict(list)
        for article in self.official.articles:
            if article.number:
                index[article.number].append(article)
        return index

    @cached_property
    def _order(self) -> dict[str, int]:
        """Position of each text in force in the code's reading order, by key."""
        return {a.key: i for i, a in enumerate(self.in_force)}

    @cached_property
    def _by_legi_id(self) -> dict[str, Article]:
        return {a.legi_id: a for a in self.official.articles if a.legi_id}

    @cached_property
    def _other_texts(self) -> dict[str, list[Article]]:
        """The code's texts that are not L/R/D articles (annexes), by label in search form, in force first."""
        index: dict[str, list[Article]] = defaultdict(list)
        for article in sorted(self.official.articles, key=lambda a: not a.in_force):
            if article.number and article.key != article.number:
                index[search_form(article.label)].append(article)
        return index

    def versions(self, number: str) -> list[Article]:
        """Every version known under this number: official first (in force first), then exports."""
        canonical = normalize_number(number)
        official = sorted(self._official_by_number.get(canonical, []), key=lambda a: not a.in_force)
        exported = [a for s in self.exports for a in s.articles if a.number == canonical]
        return official + exported

    @cached_property
    def _linked(self) -> dict[str, Article]:
        return {linked_key(a): a for a in self.linked.articles} if self.linked else {}

    def find(self, reference: str) -> Article | None:
        """The text ``reference`` designates, or None: a key (« Annexe (LEGIARTI…) », « L130-1 CSS » for another
        code's article a calculator relies on), a number in any spelling, or the label of one of the code's
        other texts when only one text bears it."""
        if reference.strip() in self._linked:
            return self._linked[reference.strip()]
        if (legi_id := _LEGI_ID.search(reference)) and legi_id[0] in self._by_legi_id:
            return self._by_legi_id[legi_id[0]]
        if (number := try_normalize_number(reference)) is not None:
            return next(iter(self.versions(number)), None)
        labelled = self._other_texts.get(search_form(reference), [])
        in_force = [a for a in labelled if a.in_force]
        return in_force[0] if len(in_force) == 1 else (labelled[0] if len(labelled) == 1 else None)

    def get(self, reference: str) -> Article:
        """The text a user means (see ``find``); raise UnknownArticle with suggestions, or
        InvalidArticleNumber for words that name no text."""
        found = self.find(reference)
        if found is not None:
            return found
        if is_linked_key(reference.strip()):
            raise UnknownArticle(f"« {reference.strip()} » ne figure pas parmi les articles d'autres codes du corpus")
        labelled = self._other_texts.get(search_form(reference))
        if labelled:
            keys = ", ".join(a.key for a in labelled)
            raise UnknownArticle(f"« {reference.strip()} » désigne plusieurs textes du code : {keys}. Précisez "
                                 "lequel avec son identifiant LEGIARTI.")
        raise UnknownArticle(self._unknown_message(normalize_number(reference)))

    def expand(self, reference: Reference) -> list[str]:
        """Article numbers a reference designates in this corpus (ranges follow the code's order)."""
        if reference.is_external:
            return []
        if reference.range_end is None:
            return [reference.number] if reference.number in self._order else []
        start, end = self._order.get(reference.number), self._order.get(reference.range_end)
        if start is None or end is None or end < start:
            return [n for n in (reference.number, reference.range_end) if n in self._order]
        return [a.key for a in self.in_force[start : end + 1]]

    @cached_property
    def _citations(self) -> dict[str, list[str]]:
        cited_by: dict[str, list[str]] = defaultdict(list)
        for article in self.in_force:
            targets = {n for ref in article.references_out for n in self.expand(ref)}
            for target in sorted(targets - {article.key}, key=self._order.__getitem__):
                cited_by[target].append(article.key)
        return cited_by

    def references_in(self, key: str) -> list[str]:
        """Keys of the texts in force that cite this one (directly or inside a range)."""
        return list(self._citations.get(key, []))

    def neighbours(self, key: str) -> tuple[str | None, str | None]:
        """Keys of the previous and next texts in force, in the code's reading order."""
        index = self._order.get(key)
        if index is None:
            return None, None
        previous = self.in_force[index - 1].key if index > 0 else None
        following = self.in_force[index + 1].key if index + 1 < len(self.in_force) else None
        return previous, following

    def counts(self) -> dict[str, dict[str, int]]:
        """Official articles counted by part (L, R, D, other) and by status."""
        by_part = Counter(PART_NAMES.get((a.number or "?")[0], "autres") for a in self.in_force)
        by_status = Counter(a.status.value for a in self.official.articles)
        return {"in_force_by_part": dict(by_part), "by_status": dict(by_status)}

    def nearest(self, number: str, count: int = 4) -> list[str]:
        """Numbers in force closest to ``number`` in numeric order (same prefix), for suggestions."""
        key = _number_key(number)
        same_prefix = sorted((n for n in self._order if _number_key(n)[0] == key[0]), key=_number_key)
        position = bisect.bisect_left([_number_key(n) for n in same_prefix], key)
        return same_prefix[max(0, position - count // 2) : position + (count + 1) // 2]

    def _unknown_message(self, number: str) -> str:
        close = self.nearest(number)
        hint = f" Numéros les plus proches : {', '.join(close)}." if close else ""
        return (
            f"L'article {number} n'existe pas dans le corpus (Code du travail consolidé au "
            f"{self.consolidation_date}, {self.source}) ni dans les exports importés.{hint}"
        )


def _number_key(number: str) -> tuple[str, tuple[int, ...], str]:
    """Sort key « L5212-10 » > « L5212-9 »: prefix, then each numeric part as a number."""
    prefix = re.match(r"[A-Z*]*", number).group(0)
    parts = tuple(int(p) for p in re.findall(r"\d+", number))
    return prefix, parts, number


def active_official_path() -> Path:
    """The snapshot an update wrote into the data folder, else the one shipped with the package."""
    updated = corpus_dir() / OFFICIAL_NAME
    return updated if updated.exists() else SHIPPED_OFFICIAL


def export_paths() -> list[Path]:
    """Shipped exports first, then the user's imports, each folder in name order."""
    return [p for folder in (SHIPPED_EXPORTS, user_exports_dir()) for p in sorted(folder.glob("*.jsonl.gz"))]


def active_linked_path() -> Path:
    """Other codes' articles as an update refreshed them, else as shipped."""
    updated = corpus_dir() / LINKED_NAME
    return updated if updated.exists() else SHIPPED_LINKED


def load_store() -> ArticleStore:
    """Load the active official snapshot, every export snapshot and the other codes' linked articles."""
    path = active_official_path()
    return ArticleStore(read_snapshot(path), path, [read_snapshot(p) for p in export_paths()],
                        read_snapshot(active_linked_path()))
