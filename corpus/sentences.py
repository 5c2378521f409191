"""The sentences of an alinéa, verbatim, for quoting part of a long alinéa.

A quotation cut at a full stop must end where the code's sentence ends, never inside a
reference: « l'article L. 5212-10-1 » has a full stop followed by a digit, and a naive splitter
quotes « …de l'article L. » then « 5212-10-1 résultant… ». The general rule is the usual one — a
sentence ends at « . », « ; », « : », « ? » or « ! » followed by a space and a capital, a digit or
« « » — and the exceptions are those the code's wording needs, measured on every alinéa in force:

- abbreviations that introduce what follows (« L. », « R. », « D. », « art. », « al. », « ss. »,
  « cf. », « C. trav. », « M. ») and initials (« I. N. S. E. E. »);
- list markers that open a sentence (« 1. », « 1.1.1. », « I. », « II. »);
- dotted numbers written with a space (« code 92. 7A », « paragraphe 1. 4 »): a number, a full
  stop and a digit never end a sentence in the code.

A Roman numeral closing a phrase (« mentionnés au I. Les conditions… », « au présent III. Ils… »)
does end a sentence. pysbd's French rules, measured on the same alinéas, cut « Art. L. 1237-5-1 »
and « C. trav., art. L. … » after their abbreviations, « paragraphe 1. 4 » inside its number, and
« I.-Sans préjudice… » after its marker (1 161 alinéas not given back as written): these rules
are our own.
"""

from __future__ import annotations

import re

# A candidate end: the punctuation, the spaces after it, and the start of what follows.
_CANDIDATE = re.compile(r"[.;:?!]\s+(?=[A-ZÀ-ÝŒ0-9«])")
# Words after which a full stop abbreviates: references (« L. 5212-2 », « art. 3 », « al. 2 »,
# « ss. »), citations (« cf. », « C. trav. ») and titles (« M. Dupont »).
_ABBREVIATIONS = frozenset({"art", "Art", "al", "ss", "cf", "trav"})
# The word before a full stop: letters, digits and the dots and hyphens of a dotted number.
_LAST_WORD = re.compile(r"(?<![\w°])([\w°][\w°.\-]*)\.$")
_ROMAN = re.compile(r"[IVX]+")
_NUMBER_END = re.compile(r"(?<![\w\-])\d[\d,.]*$")  # « 92 », « 5,6 », not « 2242-3 »
_LIST_MARKER = re.compile(r"(?:\d+(?:\.\d+)*|[IVX]+)")
_INITIAL = re.compile(r"[A-Z]\.")
_AFTER_INITIAL = re.compile(r"(?<!\w)[A-Z]\.\s+[A-Z]\.$")  # the last « E. » of « I. N. S. E. E. »


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, verbatim: joined with single spaces they give back ``text``
    up to its spacing. An empty or blank text has none."""
    found: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _ends_sentence(text[start : match.start() + 1], text[match.end() :]):
            found.append(text[start : match.start() + 1].strip())
            start = match.end()
    last = text[start:].strip()
    return [*found, last] if last else found


def _ends_sentence(sentence: str, rest: str) -> bool:
    """Whether ``sentence`` (up to and including its punctuation) ends before ``rest``."""
    if not sentence.endswith("."):
        return True
    if rest[:1].isdigit() and _NUMBER_END.search(sentence[:-1].rstrip()):
        return False  # « 92. 7A », « 1. 4 », « 5,6 . 10 3 »: a dotted number or a product
    word_match = _LAST_WORD.search(sentence)
    if word_match is None:  # « ”. », « ). », « %. »: after a word's end, not an abbreviation
        return True
    word = word_match.group(1)
    if sentence[: word_match.start()].strip() == "" and _LIST_MARKER.fullmatch(word):
        return False  # « 1. », « 1.1. », « II. » opening the sentence: a list marker
    if word in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():
        # A capital alone is an initial or an abbreviation (« L. », « R. », « D. », « C. », « M. »),
        # except a Roman numeral closing a phrase: « au présent I. Les… », unless initials follow.
        return bool(_ROMAN.fullmatch(word)) and not _INITIAL.match(rest) and not _AFTER_INITIAL.search(sentence)
    return True
