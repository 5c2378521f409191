"""Query understanding: article numbers typed in the question, acronyms and former names.

A number in the question (« L. 5212-2 », « article R5122-18 », « l'article 1234-9 ») means the
user wants that article first. Acronyms (OETH, CSP, APLD…) and former names (Pôle emploi) are
expanded from `glossary.txt`, because the code's text spells them out or uses the new name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from corpus.article_number import ARTICLE_NUMBER, HYPHENLESS_NUMBER, OTHER_TEXT_KEY, normalize_number, try_normalize_number
from corpus.errors import CorpusError

MAX_QUERY_CHARS = 2000

_PREFIXED = re.compile(
    rf"(?<![\w'’])(?P<number>{ARTICLE_NUMBER})|\b(?:articles?|art\.)\s+(?P<hyphenless>{HYPHENLESS_NUMBER})", re.IGNORECASE)
_KEYED = re.compile(OTHER_TEXT_KEY)  # « Annexe (LEGIARTI…) », as « l'article suivant » may resolve to
_BARE = re.compile(r"\b(?:articles?|art\.)\s+(\d{3,4}(?:-\d+)+)\b", re.IGNORECASE)


class EmptyQuery(CorpusError):
    """The question has no word to search for."""


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the question as searched (capped, with glossary expansions appended)
    numbers: list[str] = field(default_factory=list)  # canonical numbers (or annex keys) typed, prefixed or not
    bare_numbers: list[str] = field(default_factory=list)  # « l'article 1234-9 »: prefix unknown
    notices: list[str] = field(default_factory=list)
    only_numbers: bool = False  # nothing but article numbers (and « article »): no text search


def parse_query(question: str) -> ParsedQuery:
    """Clean, cap, find article numbers and expand the glossary; raise EmptyQuery when nothing is left."""
    cleaned = " ".join("".join(c if c.isprintable() else " " for c in question).split())
    if not any(c.isalnum() for c in cleaned):
        raise EmptyQuery("question vide : écrivez une question ou un numéro d'article (ex. « L5212-2 »)")
    notices = []
    if len(cleaned) > MAX_QUERY_CHARS:
        cleaned = cleaned[:MAX_QUERY_CHARS]
        notices.append(f"question tronquée à {MAX_QUERY_CHARS} caractères")
    keys = [m[0] for m in _KEYED.finditer(cleaned)]
    unkeyed = _KEYED.sub(" ", cleaned)  # « Annexe … à l'article R4312-1 (LEGIARTI…) » does not mean R4312-1
    whole = try_normalize_number(cleaned)  # « R6323 » typed alone is a number, with or without a hyphen
    numbers = keys + ([whole] if whole else [normalize_number(m["number"] or m["hyphenless"])
                                             for m in _PREFIXED.finditer(unkeyed)])
    bare = [m[1] for m in _BARE.finditer(unkeyed)]
    expansions = [e for term, found in _glossary() if found.search(cleaned) for e in term]
    text = cleaned + (" (" + " ; ".join(dict.fromkeys(expansions)) + ")" if expansions else "")
    rest = "" if whole else _BARE.sub(" ", _PREFIXED.sub(" ", unkeyed))
    only_numbers = bool(numbers or bare) and not re.search(r"\w{2,}", re.sub(r"(?i)\b(?:l'|d')?(?:articles?|art)\b", " ", rest))
    return ParsedQuery(text, list(dict.fromkeys(numbers)), bare, notices, only_numbers)


@lru_cache(maxsize=1)
def _glossary() -> list[tuple[list[str], re.Pattern[str]]]:
    entries = []
    for line in resources.files("indexing").joinpath("glossary.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, _, expansion = line.partition("=")
        term = term.strip()
        flags = 0 if term.isupper() else re.IGNORECASE
        pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", flags)
        entries.append(([e.strip() for e in expansion.split(";") if e.strip()], pattern))
    return entries
