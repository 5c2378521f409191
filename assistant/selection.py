"""Which retrieved articles the answer quotes, which it only links, and which it leaves out.

Retrieval ranks articles by how close they are to the question; an answer needs more: the article
that states the rule rather than the one applying it or a neighbour sharing words, and only
articles that bear on the question. Each candidate (a retrieved article) is described by a few
features the chain already has — its retrieval scores and rank, the similarity of its best alinéa
with the question (shipped alinéa vectors, indexing/alineas.py), its kind (L, R, D), whether other
candidates cite it — and a logistic model over them, trained by bench/train_ranker.py on the tuning
sets only, gives its relevance. Articles above QUOTE_BAR are quoted (at most MAX_QUOTED, more for a
question asking for a list), those above SEE_ALSO_BAR are linked under « Voir aussi ».
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from corpus.model import Article
from corpus.regimes import named_in, regime_of
from corpus.store import ArticleStore
from indexing.alineas import AlineaVectors
from indexing.search import Hit

from assistant.question_kind import Expects, answers, asks_for_list, expects

MAX_QUOTED = 3
MAX_QUOTED_LIST = 5  # « quels sont les cas… »
MAX_SEE_ALSO = 3

FEATURES = ("score", "gap", "cosine", "bm25", "rank", "alinea", "alinea_gap", "law", "cited_by", "cites", "typed",
            "in_degree", "sheets", "heading", "heading_gap", "kind")
# Trained by `python bench/train_ranker.py` on the tuning sets (docs/BENCHMARKS.md).
WEIGHTS = (0.245, 0.223, 0.087, 0.44, 1.231, 0.139, 0.149, 0.17, 0.606, -0.174, 0.191, 0.345, 0.14, 0.042, 0.041,
           0.068)
BIAS = -2.927
QUOTE_BAR = 0.15
SEE_ALSO_BAR = QUOTE_BAR / 2  # bench/train_ranker.py prints how often such links are gold


@dataclass(frozen=True)
class Candidate:
    """One retrieved article as the answer sees it."""

    hit: Hit
    article: Article
    alineas: tuple[float | None, ...]  # the question's similarity with each alinéa (None: no vector)
    features: tuple[float, ...]
    relevance: float  # 0–1

    @property
    def key(self) -> str:
        return self.article.key

    @property
    def typed(self) -> bool:
        """The question names it (« que dit l'article L1234-1 ? »)."""
        return self.hit.via == "numéro"


@dataclass(frozen=True)
class Selection:
    quoted: list[Candidate]  # most relevant first; the first gives the lead
    see_also: list[Candidate]


def select(question: str, hits: list[Hit], store: ArticleStore, query_vector: np.ndarray | None,
           alineas: AlineaVectors | None, sheet_citations: Mapping[str, int] | None = None) -> Selection:
    """The articles to quote and to link, from the retrieved ones."""
    described = sorted(describe(question, hits, store, query_vector, alineas, sheet_citations),
                       key=lambda c: (not c.typed, -c.relevance))  # an article the question names comes first
    candidates = [c for c in described if c.typed or applies(c.article, question)] or described[:1]
    if not candidates:
        return Selection([], [])
    limit = MAX_QUOTED_LIST if asks_for_list(question) else MAX_QUOTED
    quoted = [c for c in candidates if c.typed or c.relevance >= QUOTE_BAR][:limit] or candidates[:1]
    see_also = [c for c in candidates if c not in quoted and c.relevance >= SEE_ALSO_BAR][:MAX_SEE_ALSO]
    return Selection(quoted, see_also)


def applies(article: Article, question: str) -> bool:
    """False for a special regime's article (a profession of the Septième partie, overseas, agriculture,
    sanctions…) when the question does not name that regime: « préavis de licenciement » is not asking
    about VRP or journalists, whose articles share its words (corpus/regimes.py)."""
    regime = regime_of(article)
    return regime is None or named_in(question, regime)


def describe(question: str, hits: list[Hit], store: ArticleStore, query_vector: np.ndarray | None,
             alineas: AlineaVectors | None, sheet_citations: Mapping[str, int] | None = None) -> list[Candidate]:
    """Every hit with its features and relevance. ``sheet_citations``: how many of the ministry's sheet
    sections cite each article (the rules people ask about are those the sheets explain)."""
    sheet_citations = sheet_citations or {}
    kind = expects(question)
    articles = [store.get(h.article) for h in hits]
    similarities = [tuple(alineas.similarities(a, query_vector)) if alineas is not None and query_vector is not None
                    else (None,) * len(a.paragraphs) for a in articles]
    best_alinea = [max((s for s in sims if s is not None), default=hit.cosine) for hit, sims in zip(hits, similarities)]
    headings = [(alineas.heading_similarity(a, query_vector) if alineas is not None and query_vector is not None
                 else None) or 0.0 for a in articles]
    keys = {h.article for h in hits}
    citing = {h.article: set(store.references_in(h.article)) & keys - {h.article} for h in hits}  # candidates citing it
    top_score, top_alinea, top_heading = max(h.score for h in hits), max(best_alinea), max(headings)
    candidates = []
    for rank, (hit, article, sims, alinea, heading) in enumerate(zip(hits, articles, similarities, best_alinea,
                                                                     headings)):
        features = (
            hit.score, hit.score - top_score, hit.cosine, hit.bm25, 1.0 / (1 + rank), alinea, alinea - top_alinea,
            float(article.key.startswith("L")), min(3, len(citing[hit.article])) / 3,
            float(any(hit.article in c for c in citing.values())), float(hit.via == "numéro"),
            math.log1p(len(store.references_in(hit.article))) / 5, math.log1p(sheet_citations.get(hit.article, 0)) / 3,
            heading, heading - top_heading,
            float(kind is not Expects.OTHER and any(answers(p, kind) for p in article.paragraphs)),
        )
        candidates.append(Candidate(hit, article, sims, features, relevance(features)))
    return candidates


def relevance(features: tuple[float, ...]) -> float:
    """The logistic model: the probability that the article states the rule the question asks about."""
    z = BIAS + sum(w * f for w, f in zip(WEIGHTS, features))
    return 1.0 / (1.0 + math.exp(-z))
