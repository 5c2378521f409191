"""The two forms texts are compared in: verbatim (for quotations) and search (for matching words).

Every comparison in the product goes through one of these two functions, so that a quotation
checked by the citation check, a parameter checked against its article, an export compared with
the official text and a question matched against a rule all agree on what « the same text » means:

- ``verbatim_form``: only what typing changes without changing the words — the Unicode
  composition of accents, the apostrophe style (’ ' ʼ …) and the kind and amount of spacing
  (non-breaking, narrow, line breaks). Accents, case and punctuation are kept: a quotation that
  differs in any of them is not verbatim.
- ``search_form``: the verbatim form, lowercased, with accents and ligatures removed, because
  users type « indemnite » or « Préavis » and mean the same words as the code.
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'’‘ʼ′`"  # every apostrophe style seen in the code, the exports and users' questions
_TO_STRAIGHT = str.maketrans({a: "'" for a in APOSTROPHES})
_SPACES = re.compile(r"\s+")  # Python's \s includes the non-breaking (U+00A0) and narrow (U+202F) spaces
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def verbatim_form(text: str) -> str:
    """``text`` with composed accents, straight apostrophes and single plain spaces, trimmed."""
    composed = unicodedata.normalize("NFC", text).translate(_TO_STRAIGHT)
    return _SPACES.sub(" ", composed).strip()


def search_form(text: str) -> str:
    """The verbatim form, lowercased, without accents or ligatures: « Indemnité » → « indemnite »."""
    lowered = verbatim_form(text).lower().translate(_LIGATURES)
    return "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))
