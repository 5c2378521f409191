"""Citation checks applied to every answer, whoever wrote it (the extractive composer or an LLM).

Citations are the product's promise: an answer may only cite an article that exists in the corpus,
is in force, and was retrieved for this answer; a quotation must appear verbatim in the article it
is attributed to. The fixed inline format is `[L5212-2]` after the sentence it supports and
`« quotation » [L5212-2]` for a quotation. Whatever breaks a rule is removed from the text and
reported in a notice — never silently kept, never silently dropped. Every number inside brackets,
a quotation introduced by « l'article N : » without a bracket, and article numbers written in
prose (« l'article L9999-1 ») are checked the same way, except those of another code
(« L. 130-1 du code de la sécurité sociale ») and those inside a quotation (verbatim text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from corpus.article_number import InvalidArticleNumber, normalize_number
from corpus.store import ArticleStore

from assistant.answer import Citation

ARTICLE_NUMBER = r"[LRD]\s?\*?\s?\.?\s?\d{1,4}(?:\s?-\s?\d+)+(?:\s[A-Z]\b)?"
QUOTED = re.compile(rf"«\s*(?P<quote>[^«»]+?)\s*»\s*\[(?:art(?:icle)?\.?\s*)?(?P<number>{ARTICLE_NUMBER})\]")
PROSE_QUOTED = re.compile(  # « selon l'article L5212-2 : « … » » without the bracket: verified all the same
    rf"(?P<lead>\barticle\s+(?P<number>{ARTICLE_NUMBER})[^«»\[\].]{{0,80}}?)«\s*(?P<quote>[^«»]+?)\s*»(?!\s*\[)", re.IGNORECASE)
BRACKETED = re.compile(r"\[(?P<content>[^\[\]]*)\]")
CITED = re.compile(rf"\[(?:art(?:icle)?\.?\s*)?(?P<number>{ARTICLE_NUMBER})\]")  # the fixed format, one number
MENTIONED = re.compile(rf"(?<![\w\[-])(?P<number>{ARTICLE_NUMBER})(?![\w-])")
_OTHER_CODE = re.compile(r"\s*,?\s*(?:du|de l'|de la|des)\s+(?:même\s+)?code\s+(?!du travail)", re.IGNORECASE)
REMOVED_QUOTE = "[citation retirée : introuvable dans l'article]"
REMOVED_ARTICLE = "[référence retirée]"


@dataclass
class CheckedText:
    text: str
    citations: list[Citation]
    notices: list[str] = field(default_factory=list)


def check_citations(text: str, retrieved: list[str], store: ArticleStore) -> CheckedText:
    """Validate every quotation and article number in ``text``; return the cleaned text and citations.

    ``retrieved`` lists the articles found for this answer: only those may be cited.
    """
    allowed = set(retrieved)
    notices: list[str] = []
    citations: dict[tuple[str, str], Citation] = {}

    def verdict(raw: str) -> str | None:
        """The canonical number when it may be cited, else None (with a notice)."""
        try:
            number = normalize_number(raw)
        except InvalidArticleNumber:
            notices.append(f"Référence « {raw} » retirée : ce n'est pas un numéro d'article.")
            return None
        versions = store.versions(number)  # not store.get: no nearest-number suggestion to compute here
        if not versions:
            notices.append(f"Référence {number} retirée : cet article n'existe pas dans le Code du travail.")
            return None
        article = next((v for v in versions if v.in_force), versions[0])
        if not article.in_force:
            notices.append(f"Référence {number} retirée : l'article n'est pas en vigueur ({article.status.label_fr}).")
            return None
        if number not in allowed:
            notices.append(f"Référence {number} retirée : l'article n'a pas été retrouvé pour cette question.")
            return None
        return number

    def quoted(match: re.Match[str]) -> str:
        lead = match.groupdict().get("lead") or ""
        number = verdict(match["number"])
        if number is None:
            return lead + REMOVED_QUOTE
        quote = match["quote"]
        if not is_verbatim(quote, store.get(number).text):
            notices.append(f"Citation attribuée à {number} retirée : elle ne figure pas mot pour mot dans l'article.")
            return lead + REMOVED_QUOTE
        citations.setdefault((number, quote), Citation(number, store.get(number).url, quote))
        return f"{lead}« {quote} » [{number}]"

    def bracketed(match: re.Match[str]) -> str:
        """Every number inside brackets (« [L5212-2, L9999-1] », « [Article …] ») is checked."""
        found = list(MENTIONED.finditer(match["content"].replace("[", " ")))
        if not found:
            return match[0]  # « [à compléter] », or a removal note
        kept = []
        for item in found:
            number = verdict(item["number"])
            if number is None:
                kept.append(REMOVED_ARTICLE)
                continue
            if not any(c.article == number for c in citations.values()):
                citations[(number, "")] = Citation(number, store.get(number).url, "")
            kept.append(f"[{number}]")
        return " ".join(dict.fromkeys(kept))

    def mentioned(match: re.Match[str]) -> str:
        if _OTHER_CODE.match(match.string, match.end()):
            return match[0]  # « L. 130-1 du code de la sécurité sociale »: not an article of this code
        return match[0] if verdict(match["number"]) else REMOVED_ARTICLE

    text = QUOTED.sub(quoted, text)
    text = PROSE_QUOTED.sub(quoted, text)
    text = BRACKETED.sub(bracketed, text)
    text = _prose_only(text, mentioned)
    kept = [c for c in citations.values() if c.quote or not any(o.article == c.article and o.quote for o in citations.values())]
    return CheckedText(text, kept, list(dict.fromkeys(notices)))


def is_verbatim(quote: str, article_text: str) -> bool:
    """True when ``quote`` appears in the article word for word (spacing and apostrophe style aside)."""
    needle = _canonical(quote.strip(" .…"))
    return bool(needle) and needle in _canonical(article_text)


def _canonical(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("\u00a0", " ")).strip()


def _prose_only(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    """Apply MENTIONED to the prose only: citations were checked already, quotations are verbatim."""
    parts = re.split(r"(\[[^\]]*\]|«[^«»]*»)", text)
    return "".join(p if p[:1] in ("[", "«") else MENTIONED.sub(replace, p) for p in parts)
