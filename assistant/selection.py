"""Which retrieved articles the answer quotes, which it only links, and which it leaves out.

Retrieval ranks articles by how close they are to the question; an answer needs more: the article
that states the rule rather than the one applying it or a neighbour sharing words, and only
articles that bear on the question. Each candidate (a retrieved article) is described by a few
features the chain already has — its retrieval scores and rank, the similarity of its best alinéa
with the question (shipped alinéa vectors, indexing/alineas.py), its kind (L, R, D), whether other
candidates cite it — and by the products, dimension by dimension, of the question's vector with its
best alinéa's and its headings' vectors. A logistic model over them, trained by
bench/train_ranker.py on the tuning sets only and written to ranker.json, gives its relevance: the
weights of the products are a similarity learnt for this code's questions on top of the embedding
model's plain cosine (docs/BENCHMARKS.md: first gold 66 → 70 % in cross-validation). Articles at or
above the model's quote bar are quoted (at most MAX_QUOTED, more for a question asking for a list),
those at or above half of it are linked under « Voir aussi ».
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.errors import CorpusError
from corpus.model import Article
from corpus.regimes import named_in, regime_of
from corpus.store import ArticleStore
from indexing.alineas import ALINEA_DIMS, AlineaVectors, ArticleVectors, cut_query
from indexing.search import Hit

from assistant.question_kind import Expects, answers, asks_for_list, expects

MAX_QUOTED = 3
MAX_QUOTED_LIST = 5  # « quels sont les cas… »
MAX_SEE_ALSO = 3

FEATURES = ("score", "gap", "cosine", "bm25", "rank", "alinea", "alinea_gap", "law", "cited_by", "cites", "typed",
            "in_degree", "sheets", "heading", "heading_gap", "kind")
HEADING_DIMS = 768  # the heading vectors are whole EmbeddingGemma vectors
PRODUCT_SCALE = 10.0  # a product's values are about 1/768 of a cosine: scaled so that one regularisation fits all
RANKER_FILE = Path(__file__).with_name("ranker.json")


@dataclass(frozen=True)
class Ranker:
    """The selection's logistic model, as bench/train_ranker.py wrote it to ranker.json."""

    weights: np.ndarray  # one per FEATURES name
    product_weights: np.ndarray  # one per dimension of question ⊙ best alinéa (ALINEA_DIMS), then ⊙ headings
    bias: float
    quote_bar: float  # quoted at or above it; linked under « Voir aussi » at or above half of it

    def relevance(self, features: tuple[float, ...], products: np.ndarray) -> float:
        """The probability that the article states the rule the question asks about."""
        z = self.bias + float(np.dot(self.weights, features)) + float(np.dot(self.product_weights, products))
        return 1.0 / (1.0 + math.exp(-z))


def load_ranker(path: Path = RANKER_FILE) -> Ranker:
    """The trained model; a file that does not match this code's features fails here, not in an answer."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"features {data['features']} instead of {list(FEATURES)}")
        weights, alinea, heading = (np.array(data[k], dtype=float) for k in ("weights", "alinea_weights",
                                                                              "heading_weights"))
        bias, quote_bar = float(data["bias"]), float(data["quote_bar"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CorpusError(f"Modèle de sélection des articles illisible ({path}) : {error}. "
                          "Régénérez-le avec `python bench/train_ranker.py --write`.") from error
    shapes = (len(weights), len(alinea), len(heading))
    if shapes != (len(FEATURES), ALINEA_DIMS, HEADING_DIMS):
        raise CorpusError(f"Modèle de sélection des articles ({path}) : dimensions {shapes} inattendues ; "
                          "régénérez-le avec `python bench/train_ranker.py --write`.")
    return Ranker(weights, np.concatenate([alinea, heading]), bias, quote_bar)


RANKER = load_ranker()


@dataclass(frozen=True)
class Candidate:
    """One retrieved article as the answer sees it."""

    hit: Hit
    article: Article
    alineas: tuple[float | None, ...]  # the question's similarity with each alinéa (None: no vector)
    features: tuple[float, ...]
    products: np.ndarray  # question ⊙ best alinéa, then question ⊙ headings, × PRODUCT_SCALE (zeros: no vector)
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
    quoted = [c for c in candidates if c.typed or c.relevance >= RANKER.quote_bar][:limit] or candidates[:1]
    see_also = [c for c in candidates if c not in quoted and c.relevance >= RANKER.quote_bar / 2][:MAX_SEE_ALSO]
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
    vectors_on = alineas is not None and query_vector is not None
    looked_up = [alineas.of(a) if vectors_on else None for a in articles]  # once: each lookup dequantizes
    similarities = [v.similarities(query_vector) if v else (None,) * len(a.paragraphs) for a, v in zip(articles, looked_up)]
    best_alinea = [max((s for s in sims if s is not None), default=hit.cosine) for hit, sims in zip(hits, similarities)]
    headings = [(v.heading_similarity(query_vector) if v else None) or 0.0 for v in looked_up]
    keys = {h.article for h in hits}
    citing = {h.article: set(store.references_in(h.article)) & keys - {h.article} for h in hits}  # candidates citing it
    top_score, top_alinea, top_heading = max(h.score for h in hits), max(best_alinea), max(headings)
    candidates = []
    for rank, (hit, article, vectors, sims, alinea, heading) in enumerate(zip(hits, articles, looked_up, similarities,
                                                                              best_alinea, headings)):
        features = (
            hit.score, hit.score - top_score, hit.cosine, hit.bm25, 1.0 / (1 + rank), alinea, alinea - top_alinea,
            float(article.key.startswith("L")), min(3, len(citing[hit.article])) / 3,
            float(any(hit.article in c for c in citing.values())), float(hit.via == "numéro"),
            math.log1p(len(store.references_in(hit.article))) / 5, math.log1p(sheet_citations.get(hit.article, 0)) / 3,
            heading, heading - top_heading,
            float(kind is not Expects.OTHER and any(answers(p, kind) for p in article.paragraphs)),
        )
        found = products(query_vector, vectors, sims)
        candidates.append(Candidate(hit, article, sims, features, found, RANKER.relevance(features, found)))
    return candidates


def products(query_vector: np.ndarray | None, vectors: ArticleVectors | None,
             similarities: tuple[float | None, ...]) -> np.ndarray:
    """The question's vector times, dimension by dimension, the article's best alinéa's and its
    headings' (zeros where there is no vector): what the learnt similarity weighs."""
    found = np.zeros(ALINEA_DIMS + HEADING_DIMS)
    if query_vector is None or vectors is None:
        return found
    scored = [(s, i) for i, s in enumerate(similarities) if s is not None]
    if scored and (best := vectors.alineas[max(scored)[1]]) is not None:
        found[:ALINEA_DIMS] = cut_query(query_vector) * best
    if vectors.heading is not None:
        found[ALINEA_DIMS:] = query_vector[:HEADING_DIMS] * vectors.heading
    return found * PRODUCT_SCALE
