"""The offline answer: extractive and deterministic, no language model.

From the articles retrieved for a question it quotes, verbatim, the alinéas that share most words
with the question, orders them — principle before exceptions, law (L) before regulations (R, D) —
and links them with fixed French sentences. It never states a rule of its own: every sentence
that says what the law provides is a quotation with its article. A calculator's result, when one
applies, comes with its formula and the phrases of the articles it relies on. Every answer ends
with the cited articles and the corpus consolidation date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.model import Article
from corpus.sentences import sentences
from corpus.store import ArticleStore
from indexing.lexical import tokenize
from indexing.search import Hit

from assistant.calculators import formatting as fr
from assistant.calculators.base import CalculationResult
from assistant.calculators.registry import CALCULATORS
from assistant.calculators.rendering import value_text
from assistant.rescrit import stated_facts

MAX_ARTICLES = 5  # articles quoted in one answer (chosen on bench/questions.jsonl, docs/BENCHMARKS.md)
SCORE_MARGIN = 0.08  # an article is quoted when it scores within this margin of the best one
MAX_QUOTE_CHARS = 700  # longer alinéas are cut to their most relevant sentences
_EXCEPTION = re.compile(
    r"^(?:toutefois|par dérogation|par exception|sauf|cependant|néanmoins|ne sont pas|les dispositions du présent"
    r".{0,40}ne s'appliquent pas)|\b(?:à l'exception|ne s'applique pas|ne s'appliquent pas)\b",
    re.IGNORECASE,
)
_ITEM = re.compile(r"^\s*(?:\d+°|[a-z]\)|-\s)")
CONVENTION_HINT = ("Une convention collective, un accord d'entreprise ou le contrat de travail peuvent prévoir "
                   "des dispositions plus favorables : vérifiez ceux qui s'appliquent.")


@dataclass(frozen=True)
class Extract:
    article: str  # the text's key (corpus/model.py)
    quote: str
    exception: bool
    rank: int  # the article's retrieval rank


def select_extracts(question: str, hits: list[Hit], store: ArticleStore, max_articles: int = MAX_ARTICLES) -> list[Extract]:
    """The alinéas to quote: from the best articles (at most ``max_articles``), those sharing words with the question."""
    if not hits:
        return []
    wanted = set(tokenize([question])[0])
    best = hits[0].score
    chosen = [h for h in hits if h.via == "numéro" or h.score >= best - SCORE_MARGIN][:max_articles] or hits[:1]
    extracts: list[Extract] = []
    for rank, hit in enumerate(chosen):
        article = store.get(hit.article)
        for paragraph in _relevant_paragraphs(article, wanted, typed=hit.via == "numéro"):
            extracts.append(Extract(hit.article, _trim(paragraph, wanted), bool(_EXCEPTION.search(paragraph)), rank))
    return order_extracts(extracts)


def order_extracts(extracts: list[Extract]) -> list[Extract]:
    """Principle before exceptions; within each, law before regulations, then retrieval rank."""
    level = {"L": 0, "R": 1, "D": 2}
    return sorted(extracts, key=lambda e: (e.exception, level.get(e.article[0], 3), e.rank))


def compose(question: str, extracts: list[Extract], calculation: CalculationResult | None,
            store: ArticleStore, situation: bool) -> str:
    """The answer text in Markdown, with `« quotation » [ARTICLE]` citations."""
    sections: list[str] = []
    if situation:
        sections.append("**Votre situation** — " + _facts(calculation, question))
    principles = [e for e in extracts if not e.exception]
    exceptions = [e for e in extracts if e.exception]
    if principles:
        sections.append("**Ce que prévoit le Code du travail**\n\n" + "\n\n".join(
            _sentence(store.get(key), quotes, first=i == 0) for i, (key, quotes) in enumerate(_by_article(principles))))
    if exceptions:
        sections.append("**Exceptions et aménagements**\n\n" + "\n\n".join(
            f"Exception prévue par {store.get(key).designation} : {_quotes(key, quotes)}"
            for key, quotes in _by_article(exceptions)))
    if calculation is not None:
        sections.append(_calculation(calculation))
    sections.append("**À vérifier**\n\n" + "\n".join(f"- {item}" for item in _to_check(calculation)))
    return "\n\n".join(sections)


def footer(cited: list[str], store: ArticleStore) -> str:
    articles = ", ".join(cited) if cited else "aucun"
    return (f"\n\n---\nArticles cités : {articles}. Code du travail consolidé au "
            f"{fr.date_fr(store.consolidation_date)} ({store.source}).") if store.consolidation_date else ""


def _relevant_paragraphs(article: Article, wanted: set[str], typed: bool) -> list[str]:
    """The best block of alinéas, and a second one when nearly as relevant; the first ones when typed.

    A block is an alinéa, or an alinéa announcing a list (« …est : ») with its items (« 1° … »),
    so that a list is never quoted without what it enumerates, nor an item without its lead-in.
    """
    blocks = _blocks(list(article.paragraphs))
    if typed:  # « que dit l'article … » : its opening
        return blocks[:2]
    overlaps = [len(wanted & set(t)) for t in tokenize(blocks)]
    order = sorted(range(len(blocks)), key=lambda i: (-overlaps[i], i))
    picked = [order[0]]
    if len(order) > 1 and overlaps[order[1]] > 0 and overlaps[order[1]] * 2 >= overlaps[order[0]]:
        picked.append(order[1])
    return [blocks[i] for i in sorted(picked)]


def _blocks(paragraphs: list[str]) -> list[str]:
    blocks: list[str] = []
    for paragraph in paragraphs:
        if blocks and blocks[-1].rstrip().endswith(":") or blocks and _ITEM.match(paragraph) and _in_list(blocks[-1]):
            blocks[-1] = f"{blocks[-1]} {paragraph}"
        else:
            blocks.append(paragraph)
    return blocks


def _in_list(block: str) -> bool:
    """True when the block is a lead-in followed by items, so that the next item belongs to it."""
    return bool(re.search(r":\s+(?:\d+°|[a-z]\)|-)", block))


def _trim(paragraph: str, wanted: set[str]) -> str:
    """A long alinéa cut to its most relevant sentence and the next one (still verbatim)."""
    if len(paragraph) <= MAX_QUOTE_CHARS:
        return paragraph
    parts = sentences(paragraph)
    scores = [len(wanted & set(t)) for t in tokenize(parts)]
    start = max(range(len(parts)), key=lambda i: (scores[i], -i))
    return " ".join(parts[start : start + 2])


def _by_article(extracts: list[Extract]) -> list[tuple[str, list[str]]]:
    """Extracts grouped by article, in the order of each article's first extract."""
    grouped: dict[str, list[str]] = {}
    for extract in extracts:
        grouped.setdefault(extract.article, []).append(extract.quote)
    return list(grouped.items())


def _quotes(key: str, quotes: list[str]) -> str:
    return " Et : ".join(f"« {quote} » [{key}]" for quote in quotes)


def _sentence(article: Article, quotes: list[str], first: bool) -> str:
    """The quotations of one text, introduced by its designation (« l'article L5212-2 »)."""
    named, cited = article.designation, _quotes(article.key, quotes)
    if first:
        return f"Selon {named} : {cited}"
    if article.key[0] in "RD":
        return f"Pour son application, {named} précise : {cited}"
    return f"{named[0].upper()}{named[1:]} prévoit aussi : {cited}"


def _facts(calculation: CalculationResult | None, question: str) -> str:
    facts = stated_facts(calculation) if calculation else []
    if not facts:
        return f"vous décrivez la situation suivante : « {question.strip()} »."
    return "faits retenus : " + " ; ".join(f"{label} : {value}" for label, value in facts) + "."


def _calculation(result: CalculationResult) -> str:
    title = CALCULATORS[result.calculator].title
    lines = [f"**Calcul** ({title}, calcul déterministe) : {value_text(result)}", "", result.summary]
    if result.formula:
        lines += ["", f"Formule : {result.formula}"]
    for source in result.sources:
        if source.phrase:
            lines.append(f"- « {source.phrase} » [{source.article}]")
    if result.missing:
        lines += ["", "Pour compléter le calcul :", *(f"- {q.question}" for q in result.missing)]
    return "\n".join(lines)


def _to_check(calculation: CalculationResult | None) -> list[str]:
    items = list(calculation.conditions_unchecked) if calculation else []
    return [*items, CONVENTION_HINT]
