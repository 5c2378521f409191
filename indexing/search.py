"""Hybrid search: BM25 and dense scores fused per article, article numbers first.

Each article counts once, with its best chunk. The dense retriever is far better on natural
questions (docs/BENCHMARKS.md); rank fusion (RRF), even weighted towards it, lost to dense
alone on every metric, so the fusion is on scores instead: the cosine similarity plus a small
bonus proportional to the BM25 score (normalised by the query's best BM25 score), given only to
the dense retriever's first RERANK_DEPTH articles. The bonus reorders near-ties — exact legal
terms, numbers — without letting keyword matches override meaning, and by construction the
hybrid ranking never loses a top-5 article of the dense one (a bonus over all candidates did, on
one question of the benchmark).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np

from corpus.errors import CorpusError, UnknownArticle
from corpus.store import ArticleStore
from indexing.alineas import AlineaVectors
from indexing.chunks import article_keys, chunk_key
from indexing.lexical import LexicalIndex, tokenize
from indexing.query import ParsedQuery, parse_query

if TYPE_CHECKING:  # indexing/sheet_search.py uses this module's fusion
    from indexing.sheet_search import SheetSearcher

LEXICAL_WEIGHT = 0.02  # chosen on the odd-numbered questions of bench/questions.jsonl
RERANK_DEPTH = 5  # the lexical bonus reorders the dense top 5 only
CANDIDATES = 50
SNIPPET_CHARS = 300


class DenseRetriever(Protocol):
    """Embedding the question and searching are apart, so that the question's vector, the costly
    part, serves every later use (the answer's alinéas, the ministry's sheets) without a second run."""

    def embed(self, query: str) -> np.ndarray: ...

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]: ...


@dataclass(frozen=True)
class Hit:
    article: str  # the text's key (corpus/model.py): « L5212-2 », « Annexe (LEGIARTI…) »
    label: str  # what readers call it: « L5212-2 », « Annexe »
    legi_id: str | None
    score: float  # 0–1: 1 for an article typed by number or ranked first by every retriever
    snippet: str  # verbatim from the article: the alinéa sharing most words with the question
    via: str  # "numéro" | "hybride" | "lexical" | "dense"
    cosine: float = 0.0  # the dense retriever's similarity (0: not among its candidates)
    bm25: float = 0.0  # the BM25 score over the question's best one (0: not among its candidates)

    def to_dict(self) -> dict[str, object]:
        return {"article": self.label, "source": "code", "id": self.legi_id, "score": round(self.score, 4),
                "snippet": self.snippet, "via": self.via}


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    mode: str  # "hybrid" or "lexical-only"
    notices: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    query_vector: np.ndarray | None = None  # the question's normalised vector; None when not embedded

    def to_dict(self) -> dict[str, object]:
        return {"query": self.query, "mode": self.mode, "notices": self.notices,
                "results": [h.to_dict() for h in self.hits]}


@dataclass(frozen=True)
class IndexSlice:
    """The part of the code an index holds when built with `cdt index build --only PREFIX` (a test, a demo).

    Every result from such an index says so: otherwise a question on any other article finds nothing,
    or a wrong neighbour, with no hint that the index is to blame.
    """

    prefix: str  # e.g. "L5212"
    chunks: int

    @property
    def notice(self) -> str:
        return (f"Index partiel : seuls les articles {self.prefix}… sont indexés ({self.chunks} segments), le reste "
                "du Code du travail n'est pas consulté ; reconstruisez l'index complet avec `cdt index build`.")


class Searcher:
    """Everything needed to answer a search, loaded once per process."""

    def __init__(self, store: ArticleStore, lexical: LexicalIndex, dense: DenseRetriever | None,
                 lexical_weight: float = LEXICAL_WEIGHT, rerank_depth: int = RERANK_DEPTH,
                 generation: str | None = None, index_slice: IndexSlice | None = None,
                 alineas: AlineaVectors | None = None, sheets: SheetSearcher | None = None) -> None:
        self.store = store
        self.generation = generation  # the index generation it reads (indexing/generations.py)
        self.index_slice = index_slice  # None: the whole code is indexed
        self.alineas = alineas  # the shipped alinéa vectors, for the answer (indexing/alineas.py)
        self.sheets = sheets  # the ministry's sheets of the same index (indexing/sheet_search.py); None: not indexed
        self.articles = article_keys(store.in_force)
        self.lexical = lexical
        self.dense = dense
        self.lexical_weight = lexical_weight
        self.rerank_depth = rerank_depth
        self._tokens: dict[str, list[set[str]]] = {}

    @property
    def mode(self) -> str:
        return "hybrid" if self.dense else "lexical-only"

    def search(self, question: str, k: int = 10) -> SearchResult:
        started = time.perf_counter()
        parsed = parse_query(question)
        notices = list(parsed.notices)
        if self.dense is None:
            notices.append("recherche lexicale seule : index vectoriel indisponible (voir `cdt index status`)")
        if self.index_slice is not None:
            notices.append(self.index_slice.notice)
        typed = self._typed_articles(parsed, notices)
        wanted = set(tokenize([parsed.text])[0])  # the question's stems, to pick each snippet
        if parsed.only_numbers:
            hits = [self._hit(key, 1.0, wanted, "numéro") for key in typed]
            return SearchResult(question, hits[:k], self.mode, notices, {"total": (time.perf_counter() - started) * 1000})
        lexical = best_per_article(self.lexical.search(parsed.text, CANDIDATES))
        lexical_ms = (time.perf_counter() - started) * 1000
        dense: dict[str, float] = {}
        vector = None
        if self.dense:
            try:
                vector = self.dense.embed(parsed.text)
                dense = best_per_article(self.dense.search(vector, CANDIDATES))
            except CorpusError as error:  # the answer still comes, from the lexical side, and says why
                notices.append(f"recherche lexicale seule pour cette question : {error}")
        fused = fuse(lexical, dense, self.lexical_weight, self.rerank_depth)
        best_lexical = max(lexical.values(), default=0.0) or 1.0
        scores = {key: (dense.get(key, 0.0), lexical.get(key, 0.0) / best_lexical) for key in {*lexical, *dense, *typed}}
        hits = [self._hit(key, 1.0, wanted, "numéro", *scores[key]) for key in typed]
        for key, score, via in fused:
            if key not in typed and len(hits) < k:
                hits.append(self._hit(key, score, wanted, via, *scores[key]))
        total_ms = (time.perf_counter() - started) * 1000
        return SearchResult(question, hits[:k], self.mode, notices, {"lexical": lexical_ms, "total": total_ms}, vector)

    def _typed_articles(self, parsed: ParsedQuery, notices: list[str]) -> list[str]:
        """Keys of the articles named in the question, in force; unknown ones become notices with neighbours."""
        found: list[str] = []
        for number in parsed.numbers:
            try:
                article = self.store.get(number)
            except UnknownArticle as error:
                notices.append(str(error))
                continue
            if article.in_force:
                found.append(article.key)
            else:
                notices.append(f"L'article {number} n'est pas en vigueur ({article.status.label_fr}).")
        for digits in parsed.bare_numbers:
            matches = [p + digits for p in "LRD" if any(a.in_force for a in self.store.versions(p + digits))]
            if matches:
                found.append(matches[0])
                if len(matches) > 1:
                    notices.append(f"« article {digits} » : {matches[0]} retenu ; existent aussi {', '.join(matches[1:])}.")
            else:
                notices.append(f"Aucun article L, R ou D {digits} en vigueur dans le Code du travail.")
        return list(dict.fromkeys(found))

    def _hit(self, key: str, score: float, wanted: set[str], via: str, cosine: float = 0.0, bm25: float = 0.0) -> Hit:
        article = self.articles[key]
        return Hit(key, article.label, article.legi_id, score, self._snippet(key, wanted), via, cosine, bm25)

    def _snippet(self, key: str, wanted: set[str]) -> str:
        article = self.articles[key]
        if key not in self._tokens:  # tokenised once per article and process
            self._tokens[key] = [set(t) for t in tokenize(list(article.paragraphs))]
        return snippet(article.paragraphs, self._tokens[key], wanted)


def snippet(paragraphs: Sequence[str], tokens: Sequence[set[str]], wanted: set[str]) -> str:
    """The alinéa sharing most words (``tokens``, one set per alinéa) with the question's ``wanted``, cut
    at SNIPPET_CHARS: what a result list shows of a text."""
    best = max(range(len(paragraphs)), key=lambda i: len(wanted & tokens[i]))
    text = paragraphs[best]
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def fuse(lexical: dict[str, float], dense: dict[str, float], lexical_weight: float,
         rerank_depth: int = RERANK_DEPTH) -> list[tuple[str, float, str]]:
    """(article key, score in 0–1, which retrievers found it), best first.

    With dense scores: the dense articles, each the cosine + (for the first ``rerank_depth`` of
    them) lexical_weight × BM25 / best BM25. Without: the lexical articles, BM25 / best BM25.
    """
    best_lexical = max(lexical.values(), default=0.0) or 1.0
    if not dense:
        return [(key, lexical[key] / best_lexical, "lexical") for key in sorted(lexical, key=lambda k: -lexical[k])]
    reranked = set(sorted(dense, key=lambda k: -dense[k])[:rerank_depth])
    combined = {
        key: (cosine + (lexical_weight * lexical.get(key, 0.0) / best_lexical if key in reranked else 0.0))
        / (1.0 + lexical_weight)
        for key, cosine in dense.items()
    }
    return [(key, max(0.0, min(1.0, combined[key])), "hybride" if key in lexical else "dense")
            for key in sorted(combined, key=lambda k: -combined[k])]


def best_per_article(chunks: list[tuple[str, float]]) -> dict[str, float]:
    """Chunk scores → each article's best chunk score (« L5212-2#1 » → « L5212-2 »)."""
    best: dict[str, float] = {}
    for chunk_id, score in chunks:
        key = chunk_key(chunk_id)
        best[key] = max(score, best.get(key, score))
    return best
