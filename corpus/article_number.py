"""Article numbers: one pattern for finding them in text, one canonical spelling for all of them.

Canonical form: prefix letter glued to the dotted-less number, e.g. ``L5212-2``, ``R5122-18``,
``D5212-20``, ``R*1233-3-4`` (décret en Conseil des ministres), ``L1453-1 A`` (inserted article),
``L23-111-1`` (special numbering) or ``L311-7`` (pre-2008 code). Users type ``L. 5212-2``,
``l5212-2`` or ``article L.5212-2``; all of them must reach the same article.

``ARTICLE_NUMBER`` is the one pattern of a number as texts, questions and answers write it; every
module that looks for numbers in running text uses it. It requires a hyphenated part: « L. 96 »
or « R. 77 » in the code's text are articles of other codes, never of this one. A whole input
(``normalize_number``) may also be one of the four hyphenless articles of this code (L1, L2, L3,
R6323), and its suffix letter may be typed in lower case.
"""

from __future__ import annotations

import re

from corpus.errors import CorpusError
from corpus.text_forms import verbatim_form

_PREFIX = r"[LRD]\s?(?:\.\s?)?\*?\s?(?:\.\s?)?"  # « L », « L. », « R.* », « R* »
_SUFFIX = r"(?:(?-i:\s[A-Z])(?![\w'’]))"  # « L1453-1 A »: one capital letter standing alone
ARTICLE_NUMBER = rf"{_PREFIX}\d+(?:\s?-\s?\d+)+{_SUFFIX}?"
# L1, L2, L3 and R6323 have no hyphen: a question means them only where « article » names them.
HYPHENLESS_NUMBER = rf"{_PREFIX}\d+(?![\w'’-])"
# A key of the code's other texts (corpus/model.py), all of them annexes: « Annexe I à l'article R4312-1
# (LEGIARTI000024777412) ». TEXT_KEY is what an answer may put between brackets to cite a text: a key,
# a number as written in text, or one of the four hyphenless articles in canonical form.
OTHER_TEXT_KEY = r"[Aa]nnexe[^\[\]«»()\n]{0,100}?\s\(LEGIARTI\d{12}\)"
TEXT_KEY = rf"(?:{OTHER_TEXT_KEY}|{ARTICLE_NUMBER}|[LRD]\d+(?![\w-]))"  # L1, R6323: canonical, hyphenless
_WHOLE_INPUT = re.compile(
    rf"(?:(?:articles?|art\.?)\s?)?(?P<number>{_PREFIX}\d+(?:\s?-\s?\d+)*)(?:\s(?P<suffix>[A-Za-z]))?",
    re.IGNORECASE,
)


class InvalidArticleNumber(CorpusError):
    """The text does not look like an article number of the Code du travail."""


def normalize_number(raw: str) -> str:
    """Return the canonical spelling of an article number, or raise InvalidArticleNumber."""
    match = _WHOLE_INPUT.fullmatch(verbatim_form(raw))
    if not match:
        raise InvalidArticleNumber(
            f"« {raw.strip()} » n'est pas un numéro d'article (exemples valides : L5212-2, "
            "L. 5212-2, R5122-18, D5212-20)"
        )
    body = re.sub(r"[\s.]", "", match["number"]).upper()
    suffix = f" {match['suffix'].upper()}" if match["suffix"] else ""
    return body + suffix


def try_normalize_number(raw: str) -> str | None:
    """Like normalize_number, but None for text that is not an article number."""
    try:
        return normalize_number(raw)
    except InvalidArticleNumber:
        return None


def is_article_number(label: str) -> bool:
    """True for a canonical L/R/D number; False for the code's other texts (« Annexe I à l'article R4312-1 »)."""
    return try_normalize_number(label) == label
