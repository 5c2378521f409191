"""Articles of other codes that the Code du travail refers to and the calculators rely on.

L5212-1 sends the OETH's headcount and threshold rule to L130-1 of the Code de la sécurité sociale
(a threshold counts once reached or exceeded for five consecutive calendar years). That code is in
the same pinned `@socialgouv/legi-data` package, so the few articles the calculators rely on are
extracted from it into a small snapshot of their own, and their phrases are checked like the Code du
travail's. They are not part of the searched corpus: they are cited by a calculator only, under a
key that names their code (« L130-1 CSS »), so that nobody takes them for the Code du travail.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from corpus.errors import SourceFormatError
from corpus.legi_json import load_official_code
from corpus.model import Article
from corpus.snapshot import Manifest, Snapshot

SECURITE_SOCIALE = "LEGITEXT000006073189"
# Code identifier → (abbreviation in keys, title, the articles kept).
LINKED_CODES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    SECURITE_SOCIALE: ("CSS", "Code de la sécurité sociale", ("L130-1",)),
}


ABBREVIATIONS = frozenset(abbreviation for abbreviation, _, _ in LINKED_CODES.values())


def is_linked_key(reference: str) -> bool:
    """Whether ``reference`` names another code's article (« L130-1 CSS »)."""
    parts = reference.split()
    return len(parts) == 2 and parts[1] in ABBREVIATIONS


def linked_reference(key: str) -> str | None:
    """« L130-1 du code de la sécurité sociale » for a linked key, as prose names another code's article (and
    the citation check leaves it as written); None for any other key."""
    if not is_linked_key(key):
        return None
    number, abbreviation = key.split()
    title = next(title for abbr, title, _ in LINKED_CODES.values() if abbr == abbreviation)
    return f"{number} du {title[0].lower()}{title[1:]}"


def linked_key(article: Article) -> str:
    """« L130-1 CSS »: the number and the code's abbreviation (kept in the article's ``extra``)."""
    return f"{article.number} {article.extra['code']}"


def build_linked_snapshot(json_paths: dict[str, Path], source: str) -> Snapshot:
    """The kept articles in force of each code file (code identifier → JSON of the package)."""
    articles: list[Article] = []
    dates = []
    for code_id, path in json_paths.items():
        abbreviation, title, numbers = LINKED_CODES[code_id]
        code = load_official_code(path, source, code_id)
        dates.append(code.consolidation_date)
        kept = [a for a in code.articles if a.in_force and a.number in numbers]
        missing = set(numbers) - {a.number for a in kept}
        if missing:
            raise SourceFormatError(path, f"{title} : articles en vigueur introuvables : {', '.join(sorted(missing))}",
                                    "Reprenez un paquet @socialgouv/legi-data complet")
        articles += [dataclasses.replace(a, breadcrumbs=(title, *a.breadcrumbs), references_out=(),
                                         extra={"code": abbreviation, "code_id": code_id}) for a in kept]
    return Snapshot(Manifest(source=source, consolidation_date=min(dates), kind="linked", article_count=len(articles),
                             extra={"codes": sorted(json_paths)}), articles)
