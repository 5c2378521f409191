"""Comparing two wordings of an article: what counts as the same text, and a short diff.

Exports and the official data differ in typography (apostrophes, quotes, dashes, spacing) but
not in law; those differences must never flag an article as changed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from corpus.text_forms import verbatim_form

DIFF_MAX_WORDS = 40  # a change summary quotes at most about this many words
_FRAGMENT_WORDS = 8
_QUOTES_AND_DASHES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "―": "-", "–": "-", "—": "-", "‑": "-"})
_DASH_SPACING = re.compile(r"\s*-\s*")


def typographic(text: str) -> str:
    """The verbatim form (corpus/text_forms.py) with one spelling for quotes and dashes too, and
    compatibility characters unfolded: exports and the official data vary on these, never the law."""
    return verbatim_form(unicodedata.normalize("NFKC", text)).translate(_QUOTES_AND_DASHES)


def plain(text: str) -> str:
    """Typography unified and lowercased: the form word statistics are computed on."""
    return typographic(text).lower()


def canonical_text(text: str) -> str:
    """Text reduced to what wording comparisons care about: case, typography and spacing go."""
    return "".join(plain(text).split())


def same_wording(old: str, new: str) -> bool:
    return canonical_text(old) == canonical_text(new)


def diff_summary(old: str, new: str) -> str:
    """A short French account of the wording changes from ``old`` to ``new``, word by word."""
    old_words, new_words = _diff_words(old), _diff_words(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    changes = [opcode for opcode in matcher.get_opcodes() if opcode[0] != "equal"]
    removed = sum(i2 - i1 for _, i1, i2, _, _ in changes)
    added = sum(j2 - j1 for _, _, _, j1, j2 in changes)
    parts: list[str] = []
    budget = DIFF_MAX_WORDS
    for _, i1, i2, j1, j2 in changes:
        if budget <= 0:
            parts.append("…")
            break
        before, after = _fragment(old_words[i1:i2]), _fragment(new_words[j1:j2])
        if before and after:
            parts.append(f"« {before} » → « {after} »")
        else:
            parts.append(f"supprimé « {before} »" if before else f"ajouté « {after} »")
        budget -= min(i2 - i1, _FRAGMENT_WORDS) + min(j2 - j1, _FRAGMENT_WORDS)
    return f"{removed} mot(s) supprimé(s), {added} ajouté(s) : " + " ; ".join(parts)


def _diff_words(text: str) -> list[str]:
    """Words as printed, except typography: « I. - Le » and « I.-Le » are the same wording."""
    return _DASH_SPACING.sub("-", typographic(text)).split()


def _fragment(words: list[str]) -> str:
    return " ".join(words[:_FRAGMENT_WORDS]) + (" …" if len(words) > _FRAGMENT_WORDS else "")
