"""Article numbers: one canonical spelling for the many ways people and texts write them.

Canonical form: prefix letter(s) glued to the dotted-less number, e.g. ``L5212-2``, ``R5122-18``,
``D5212-20``, ``R*1233-3-4`` (décret en Conseil des ministres), ``L1453-1 A`` (inserted article),
``L23-111-1`` (special numbering) or ``L311-7`` (pre-2008 code). Users type ``L. 5212-2``,
``l5212-2`` or ``article L.5212-2``; all of them must reach the same article.
"""

from __future__ import annotations

import re

from corpus.errors import CorpusError

_NUMBER = re.compile(
    r"""^\s*(?:(?:articles?|art\.?)\s*)?        # optional "article" / "art."
        (?P<prefix>[LRDA])\s*(?P<star>\*)?\s*\.?\s*\*?\s*
        (?P<body>\d+(?:\s*-\s*\d+)*)
        (?:\s+(?P<suffix>[A-Za-z]))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


class InvalidArticleNumber(CorpusError):
    """The text does not look like an article number of the Code du travail."""


def normalize_number(raw: str) -> str:
    """Return the canonical spelling of an article number, or raise InvalidArticleNumber."""
    match = _NUMBER.match(raw.replace("\u00a0", " "))
    if not match:
        raise InvalidArticleNumber(
            f"« {raw.strip()} » n'est pas un numéro d'article (exemples valides : L5212-2, "
            "L. 5212-2, R5122-18, D5212-20)"
        )
    star = "*" if match["star"] or "*" in raw else ""
    body = re.sub(r"\s+", "", match["body"])
    suffix = f" {match['suffix'].upper()}" if match["suffix"] else ""
    return f"{match['prefix'].upper()}{star}{body}{suffix}"


def try_normalize_number(raw: str) -> str | None:
    """Like normalize_number, but None for text that is not an article number."""
    try:
        return normalize_number(raw)
    except InvalidArticleNumber:
        return None
