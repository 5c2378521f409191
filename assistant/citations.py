"""Citation checks applied to every answer, whoever wrote it (the extractive composer or an LLM).

Citations are the product's promise: an answer may only cite an article that exists in the corpus,
is in force, and was retrieved for this answer; a quotation must appear verbatim in the article it
is attributed to. The fixed inline format is `[L5212-2]` after the sentence it supports and
`« quotation » [L5212-2]` for a quotation; the code's other texts are cited by their key
(`[Annexe I à l'article R4312-1 (LEGIARTI000024777412)]`, corpus/model.py). Whatever breaks a rule is removed from the text and
reported in a notice — never silently kept, never silently dropped. Every number inside brackets,
a quotation introduced by « l'article N : » without a bracket, and article numbers written in
prose (« l'article L9999-1 ») are checked the same way, except those of another code
(« L. 130-1 du code de la sécurité sociale ») and those inside a quotation (verbatim text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from corpus.article_number import TEXT_KEY, try_normalize_number
from corpus.model import Article
from corpus.store import ArticleStore
from corpus.text_forms import verbatim_form

from assistant.answer import Citation

_IN_QUOTATION = r"(?:[^«»]|«[^«»]*»)"  # the law quotes too (« dénommé « chèque emploi-service » »): one level
QUOTATION = re.compile(rf"«{_IN_QUOTATION}*»")
QUOTED = re.compile(rf"«\s*(?P<quote>{_IN_QUOTATION}+?)\s*»\s*\[(?:art(?:icle)?\.?\s*)?(?P<number>{TEXT_KEY})\]")
PROSE_QUOTED = re.compile(  # « selon l'article L5212-2 : « … » » without the bracket: verified all the same
    rf"(?P<lead>\barticle\s+(?P<number>{TEXT_KEY})[^«»\[\].]{{0,80}}?)«\s*(?P<quote>{_IN_QUOTATION}+?)\s*»(?!\s*\[)",
    re.IGNORECASE)
BRACKETED = re.compile(r"\[(?P<content>[^\[\]]*)\]")
CITED = re.compile(rf"\[(?:art(?:icle)?\.?\s*)?(?P<number>{TEXT_KEY})\]")  # the fixed format, one number
MENTIONED = re.compile(rf"(?<![\w\[-])(?P<number>{TEXT_KEY})(?![\w-])")
OTHER_CODE = re.compile(r"\s*,?\s*(?:du|de l'|de la|des)\s+(?:même\s+)?code\s+(?!du travail)", re.IGNORECASE)
CONVENTION_CITED = re.compile(r"\s*IDCC\s*\d")  # « [IDCC 1486 — Texte de base, article 3.4] »
REMOVED_QUOTE = "[citation retirée : introuvable dans l'article]"
REMOVED_ARTICLE = "[référence retirée]"


@dataclass
class CheckedText:
    text: str
    citations: list[Citation]
    notices: list[str] = field(default_factory=list)


def check_citations(text: str, retrieved: list[str], store: ArticleStore,
                    headings: Collection[str] = ()) -> CheckedText:
    """Validate every quotation and article number in ``text``; return the cleaned text and citations.

    ``retrieved`` lists the keys of the texts found for this answer: only those may be cited.
    ``headings``: headings of the code shown as they are written (an article's scope, « Section 2 :
    Modalités d'application de l'article L. 2232-12 »): a number inside them is the code's own
    wording, not a citation.
    """
    allowed = set(retrieved)
    notices: list[str] = []
    citations: dict[tuple[str, str], Citation] = {}

    def verdict(raw: str) -> Article | None:
        """The text ``raw`` designates when it may be cited, else None (with a notice)."""
        article = store.find(raw)  # not store.get: no nearest-number suggestion to compute here
        if article is None:
            number = try_normalize_number(raw)
            notices.append(f"Référence {number} retirée : cet article n'existe pas dans le Code du travail." if number
                           else f"Référence « {raw} » retirée : ce texte n'existe pas dans le Code du travail.")
            return None
        if not article.in_force:
            notices.append(f"Référence {article.label} retirée : {article.kind} n'est pas en vigueur "
                           f"({article.status.label_fr}).")
            return None
        if article.key not in allowed:
            notices.append(f"Référence {article.label} retirée : {article.kind} n'a pas été retrouvé pour cette question.")
            return None
        return article

    def quoted(match: re.Match[str]) -> str:
        lead = match.groupdict().get("lead") or ""
        article = verdict(match["number"])
        if article is None:
            return lead + REMOVED_QUOTE
        quote = match["quote"]
        if not is_verbatim(quote, article.text):
            notices.append(f"Citation attribuée à {article.label} retirée : elle ne figure pas mot pour mot dans "
                           f"{article.kind}.")
            return lead + REMOVED_QUOTE
        citations.setdefault((article.key, quote), Citation.of(article, quote))
        return f"{lead}« {quote} » [{article.key}]"

    def bracketed(match: re.Match[str]) -> str:
        """Every number inside brackets (« [L5212-2, L9999-1] », « [Article …] ») is checked; a convention's
        article (« [IDCC 1486 — …] ») is checked by assistant/convention_answer.py."""
        found = list(MENTIONED.finditer(match["content"].replace("[", " ")))
        if not found or CONVENTION_CITED.match(match["content"]):
            return match[0]  # « [à compléter] », or a removal note
        kept = []
        for item in found:
            article = verdict(item["number"])
            if article is None:
                kept.append(REMOVED_ARTICLE)
                continue
            if not any(c.article == article.key for c in citations.values()):
                citations[(article.key, "")] = Citation.of(article)
            kept.append(f"[{article.key}]")
        return " ".join(dict.fromkeys(kept))

    def mentioned(match: re.Match[str]) -> str:
        if OTHER_CODE.match(match.string, match.end()):
            return match[0]  # « L. 130-1 du code de la sécurité sociale »: not an article of this code
        return match[0] if verdict(match["number"]) else REMOVED_ARTICLE

    text = QUOTED.sub(quoted, text)
    text = PROSE_QUOTED.sub(quoted, text)
    text = BRACKETED.sub(bracketed, text)
    text = _prose_only(text, mentioned, headings)
    return checked_text(text, citations.values(), notices)


def checked_text(text: str, citations: Collection[Citation], notices: list[str]) -> CheckedText:
    """The result of a check: an article cited bare is dropped where it is also quoted, notices once each."""
    kept = [c for c in citations if c.quote or not any(o.article == c.article and o.quote for o in citations)]
    return CheckedText(text, kept, list(dict.fromkeys(notices)))


def is_verbatim(quote: str, article_text: str) -> bool:
    """True when ``quote`` appears in the article word for word (spacing and apostrophe style aside)."""
    needle = verbatim_form(quote.strip(" .…"))
    return bool(needle) and needle in verbatim_form(article_text)


def _prose_only(text: str, replace: Callable[[re.Match[str]], str], headings: Collection[str] = ()) -> str:
    """Apply MENTIONED to the prose only: citations were checked already, quotations are verbatim,
    the code's headings are its own words."""
    shown = [re.escape(h) for h in sorted(headings, key=len, reverse=True) if h in text]
    parts = re.split(rf"(\[[^\]]*\]|{QUOTATION.pattern}{''.join('|' + h for h in shown)})", text)
    kept = set(headings)
    return "".join(p if p[:1] in ("[", "«") or p in kept else MENTIONED.sub(replace, p) for p in parts)
