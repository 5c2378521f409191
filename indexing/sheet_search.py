"""Search in the ministry's sheets, beside the code: the same hybrid scoring, the question embedded once.

The chain embeds the question for the code's search (SearchResult.query_vector) and hands that
vector here: embedding it a second time would cost as much as the code's whole search. Without a
vector (no model, or a lexical-only index) the sheets are searched by BM25 alone. Each section
counts once, with its best chunk, and the scores are fused as for articles (indexing/search.py's
fuse): the cosine, plus a small BM25 bonus among the dense retriever's first sections.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corpus.errors import CorpusError
from corpus.sheets import SheetSection
from indexing.lexical import LexicalIndex
from indexing.query import parse_query
from indexing.search import CANDIDATES, LEXICAL_WEIGHT, RERANK_DEPTH, fuse
from indexing.sheet_chunks import SheetChunk
from indexing.vector_store import ChromaVectorStore


@dataclass(frozen=True)
class SheetHit:
    section: SheetSection
    score: float  # 0–1, as Hit.score: the cosine with a small lexical bonus; BM25 / best BM25 without a vector
    text: str  # the section's best chunk, as indexed: « <sheet title> — <section title> » then its paragraphs
    via: str  # "hybride" | "dense" | "lexical", as Hit.via


class SheetSearcher:
    """The sheets' BM25 index and, when the index has vectors, their Chroma collection."""

    def __init__(self, sections: list[SheetSection], chunks: list[SheetChunk], lexical: LexicalIndex,
                 vectors: ChromaVectorStore | None) -> None:
        self.sections = {s.key: s for s in sections}
        self.chunks = {c.chunk_id: c for c in chunks}
        self.lexical = lexical
        self.vectors = vectors

    def search(self, question: str, query_vector: np.ndarray | None, k: int = 5) -> list[SheetHit]:
        """The ``k`` best sections for the question; ``query_vector``: the question's normalised vector
        from the code's search (SearchResult.query_vector), None for BM25 alone.

        If the dense store fails here, the code's search has already reported it: the sheets fall
        back on BM25 rather than failing the answer.
        """
        lexical = self._best_per_section(self.lexical.search(parse_query(question).text, CANDIDATES))
        dense: dict[str, tuple[float, str]] = {}
        if query_vector is not None and self.vectors is not None:
            try:
                dense = self._best_per_section(self.vectors.query(query_vector, CANDIDATES))
            except CorpusError:
                dense = {}
        fused = fuse({key: s for key, (s, _) in lexical.items()}, {key: s for key, (s, _) in dense.items()},
                     LEXICAL_WEIGHT, RERANK_DEPTH)
        return [SheetHit(self.sections[key], score, self.chunks[(dense.get(key) or lexical[key])[1]].text, via)
                for key, score, via in fused[:k]]

    def _best_per_section(self, found: list[tuple[str, float]]) -> dict[str, tuple[float, str]]:
        """Chunk scores → each section's best score and the chunk that has it."""
        best: dict[str, tuple[float, str]] = {}
        for chunk_id, score in found:
            section = self.chunks[chunk_id].section
            if section not in best or score > best[section][0]:
                best[section] = (score, chunk_id)
        return best
