"""Outgoing references parsed from an article's text.

French legislative drafting cites articles in a few fixed shapes, which we recognise:
single articles (« à l'article L. 5212-13 »), lists (« aux articles L. 351-9, L. 351-10 et
L. 351-13-1 »), ranges (« L. 5212-2 à L. 5212-17 ») and references to other codes, where the
code's name follows the whole group (« aux articles L. 161-17-4 et L. 351-1-1 du code de la
sécurité sociale », « du même code »). A number alone (« article 6 de l'ordonnance … ») is a
reference to a law, not to a code article, and is ignored.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from corpus.article_number import ARTICLE_NUMBER, normalize_number
from corpus.model import Reference
from corpus.text_forms import verbatim_form

_JOINER = r"\s*(?:,\s*|\s(?:et|ou)\s+|,\s*(?:et|ou)\s+|\s+à\s+)"
_GROUP = re.compile(rf"(?<![\w.-])({ARTICLE_NUMBER})((?:{_JOINER}{ARTICLE_NUMBER})*)")
_ITEM = re.compile(rf"(\s+à\s+)?({ARTICLE_NUMBER})")
_SAME_CODE = re.compile(r"^\s*,?\s*(?:du|de ce|dudit)\s+(?:même\s+)?code\b", re.IGNORECASE)
_THIS_CODE = re.compile(r"^\s*,?\s*du\s+(?:présent\s+code|code\s+du\s+travail)(?!\s+(?:applicable|maritime|des))", re.IGNORECASE)


def parse_references(text: str) -> list[Reference]:
    """All article references of a text, in order of appearance, without duplicates."""
    text = verbatim_form(text)
    found: list[Reference] = []
    last_external: str | None = None
    for group in _GROUP.finditer(text):
        following = text[group.end() : group.end() + 120]
        code = _external_code(following)
        if code is None and _SAME_CODE.match(following) and not _THIS_CODE.match(following):
            code = last_external  # « du même code » after an external reference
        if code is not None:
            last_external = code
        for reference in _group_references(group.group(0), code):
            if reference not in found:
                found.append(reference)
    return found


def _group_references(group: str, code: str | None) -> list[Reference]:
    references: list[Reference] = []
    for item in _ITEM.finditer(group):
        number = normalize_number(item.group(2))
        if item.group(1) and references and references[-1].range_end is None:
            start = references.pop()
            references.append(Reference(start.number, code, range_end=number))
        else:
            references.append(Reference(number, code))
    return references


def _external_code(following: str) -> str | None:
    """The other code named right after a reference group, if any."""
    if _THIS_CODE.match(following):
        return None
    match = re.match(r"^\s*,?\s*(?:du|de la|de l'|des|de)\s+(code\b.*)", following, re.IGNORECASE | re.DOTALL)
    if not match:
        return None
    tail = match.group(1).lower()
    for name in _known_codes():
        if tail.startswith(name):
            return name
    generic = re.match(r"code(?:\s+[\w'-]+){1,6}?(?=[,.;:()]|$)", tail)
    return generic.group(0) if generic else "code (non identifié)"


@lru_cache(maxsize=1)
def _known_codes() -> tuple[str, ...]:
    """Known code names, longest first so that « code rural et de la pêche maritime » wins."""
    lines = resources.files("corpus").joinpath("external_codes.txt").read_text(encoding="utf-8").splitlines()
    names = {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}
    return tuple(sorted(names, key=len, reverse=True))
