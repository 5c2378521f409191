"""Hybrid search: BM25 and dense rankings fused per article, article numbers first.

Fusion is a weighted reciprocal-rank fusion at article level (chunks of one article count once,
at their best rank). Plain RRF gives both rankings equal say; on natural questions the dense
ranking is the better one, so it weighs more (weights measured in docs/BENCHMARKS.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

from corpus.errors import UnknownArticle
from corpus.store import ArticleStore
from indexing.lexical import LexicalIndex, tokenize
from indexing.query import ParsedQuery, parse_query

RRF_K = 60
LEXICAL_WEIGHT = 0.35
DENSE_WEIGHT = 0.65
CANDIDATES = 50
SNIPPET_CHARS = 300


class DenseRetriever(Protocol):
    def search(self, query: str, k: int) -> list[tuple[str, float]]: ...


@dataclass(frozen=True)
class Hit:
    article: str
    score: float  # 0–1: 1 for an article typed by number or ranked first by every retriever
    snippet: str  # verbatim from the article: the alinéa sharing most words with the question
    via: str  # "numéro" | "hybride" | "lexical" | "dense"

    def to_dict(self) -> dict[str, object]:
        return {"article": self.article, "score": round(self.score, 4), "snippet": self.snippet, "via": self.via}


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    mode: str  # "hybrid" or "lexical-only"
    notices: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"query": self.query, "mode": self.mode, "notices": self.notices,
                "results": [h.to_dict() for h in self.hits]}


class Searcher:
    """Everything needed to answer a search, loaded once per process."""

    def __init__(self, store: ArticleStore, lexical: LexicalIndex, dense: DenseRetriever | None,
                 lexical_weight: float = LEXICAL_WEIGHT, dense_weight: float = DENSE_WEIGHT) -> None:
        self.store = store
        self.lexical = lexical
        self.dense = dense
        self.weights = (lexical_weight, dense_weight if dense else 0.0)

    @property
    def mode(self) -> str:
        return "hybrid" if self.dense else "lexical-only"

    def search(self, question: str, k: int = 10) -> SearchResult:
        started = time.perf_counter()
        parsed = parse_query(question)
        notices = list(parsed.notices)
        if self.dense is None:
            notices.append("recherche lexicale seule : index vectoriel indisponible (voir `cdt index status`)")
        typed = self._typed_articles(parsed, notices)
        if parsed.only_numbers:
            hits = [Hit(n, 1.0, self._snippet(n, parsed.text), "numéro") for n in typed]
            return SearchResult(question, hits[:k], self.mode, notices, {"total": (time.perf_counter() - started) * 1000})
        rankings = [self.lexical.search(parsed.text, CANDIDATES)]
        lexical_ms = (time.perf_counter() - started) * 1000
        if self.dense:
            rankings.append(self.dense.search(parsed.text, CANDIDATES))
        fused = fuse([_article_ranking(r) for r in rankings], self.weights)
        hits = [Hit(n, 1.0, self._snippet(n, parsed.text), "numéro") for n in typed]
        for number, score, via in fused:
            if number not in typed and len(hits) < k:
                hits.append(Hit(number, score, self._snippet(number, parsed.text), via))
        total_ms = (time.perf_counter() - started) * 1000
        return SearchResult(question, hits[:k], self.mode, notices, {"lexical": lexical_ms, "total": total_ms})

    def _typed_articles(self, parsed: ParsedQuery, notices: list[str]) -> list[str]:
        """Articles named in the question, in force; unknown ones become notices with neighbours."""
        found: list[str] = []
        for number in parsed.numbers:
            try:
                article = self.store.get(number)
            except UnknownArticle as error:
                notices.append(str(error))
                continue
            if article.in_force:
                found.append(number)
            else:
                notices.append(f"L'article {number} n'est pas en vigueur ({article.status.label_fr}).")
        for digits in parsed.bare_numbers:
            matches = [p + digits for p in "LRD" if self.store.versions(p + digits) and self.store.get(p + digits).in_force]
            if matches:
                found.append(matches[0])
                if len(matches) > 1:
                    notices.append(f"« article {digits} » : {matches[0]} retenu ; existent aussi {', '.join(matches[1:])}.")
            else:
                notices.append(f"Aucun article L, R ou D {digits} en vigueur dans le Code du travail.")
        return list(dict.fromkeys(found))

    def _snippet(self, number: str, query: str) -> str:
        article = self.store.get(number)
        wanted = set(tokenize([query])[0])
        best = max(article.paragraphs, key=lambda p: len(wanted & set(tokenize([p])[0])))
        return best if len(best) <= SNIPPET_CHARS else best[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def fuse(rankings: list[list[str]], weights: tuple[float, ...]) -> list[tuple[str, float, str]]:
    """Weighted reciprocal-rank fusion: (article, score in 0–1, which rankings found it), best first."""
    scores: dict[str, float] = {}
    sources: dict[str, list[int]] = {}
    for index, (ranking, weight) in enumerate(zip(rankings, weights)):
        for rank, number in enumerate(ranking, start=1):
            scores[number] = scores.get(number, 0.0) + weight / (RRF_K + rank)
            sources.setdefault(number, []).append(index)
    best = sum(weights) / (RRF_K + 1) or 1.0
    names = {(0,): "lexical", (1,): "dense", (0, 1): "hybride"}
    ordered = sorted(scores, key=lambda n: -scores[n])
    return [(n, scores[n] / best, names.get(tuple(sources[n]), "hybride")) for n in ordered]


def _article_ranking(chunks: list[tuple[str, float]]) -> list[str]:
    """Chunk ids ranked → article numbers ranked by their best chunk (« L5212-2#1 » → « L5212-2 »)."""
    return list(dict.fromkeys(chunk_id.split("#", 1)[0] for chunk_id, _ in chunks))
