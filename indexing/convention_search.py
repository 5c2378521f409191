"""Search within one convention collective: the articles of the convention the user chose, ranked for
the question, each with the label, status and link a citation needs.

Hybrid like the code's search (indexing/search.py `fuse`): BM25 over the convention's chunks
(indexing/convention_chunks.py), built when the convention is first searched (a fraction of a second
for the largest), and, when the convention's vectors are shipped (scripts/build_vectors.py
conventions), the cosine of the question's vector — the one the code's search computed — with each
chunk's, by brute force over a few thousand vectors (milliseconds, no vector store needed). A
convention whose vectors are not there yet is searched by BM25 alone, and its results say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corpus.conventions import Convention, ConventionArticle
from indexing.convention_chunks import convention_chunks
from indexing.lexical import LexicalIndex, tokenize
from indexing.search import CANDIDATES, LEXICAL_WEIGHT, RERANK_DEPTH, best_per_article, fuse, snippet
from indexing.shipped_vectors import ShippedVectors, convention_vectors_path, load_shipped


@dataclass(frozen=True)
class ConventionHit:
    article: ConventionArticle
    score: float  # 0–1, as the code's hits (indexing/search.py fuse)
    snippet: str  # verbatim: the alinéa sharing most words with the question
    via: str  # "hybride", "dense" or "lexical"

    def to_dict(self, convention: Convention) -> dict[str, object]:
        """The contract of `cdt search --idcc` and `cdt convention search --json`."""
        text = convention.text_of(self.article)
        return {"article": convention.label(self.article), "source": "convention", "idcc": convention.info.idcc,
                "id": self.article.id, "cid": self.article.cid, "url": convention.url(self.article),
                "text_status": text.status.label_fr, "score": round(self.score, 4), "snippet": self.snippet,
                "via": self.via}


class ConventionSearcher:
    """One convention's indexes, built once per process and convention."""

    def __init__(self, convention: Convention, vectors: ShippedVectors | None = None) -> None:
        self.convention = convention
        chunks = convention_chunks(convention)
        self._articles = {a.id: a for a in convention.articles}
        self.lexical = LexicalIndex.build(chunks)
        found = [(c.chunk_id, vectors.get(c.content_hash)) for c in chunks] if vectors else []
        self._dense_ids = [chunk_id for chunk_id, vector in found if vector is not None]
        self._matrix = np.stack([v for _, v in found if v is not None]) if self._dense_ids else None
        self.embedded_share = len(self._dense_ids) / len(chunks) if chunks else 0.0

    def search(self, question: str, k: int = 5, query_vector: np.ndarray | None = None) -> list[ConventionHit]:
        """The ``k`` best articles in force for ``question``, best first."""
        lexical = best_per_article(self.lexical.search(question, CANDIDATES))
        dense = {}
        if self._matrix is not None and query_vector is not None:
            cosines = self._matrix @ query_vector
            top = np.argsort(-cosines)[:CANDIDATES]
            dense = best_per_article([(self._dense_ids[i], float(cosines[i])) for i in top])
        wanted = set(tokenize([question])[0])
        return [ConventionHit(article, score, _snippet(article, wanted), via)
                for key, score, via in fuse(lexical, dense, LEXICAL_WEIGHT, RERANK_DEPTH)[:k]
                for article in [self._articles[key]]]


def load_convention_vectors(convention: Convention, model: str) -> ShippedVectors | None:
    """The convention's shipped vectors for this embedding model; None when not computed yet."""
    return load_shipped(model, convention_vectors_path(convention.info))


def _snippet(article: ConventionArticle, wanted: set[str]) -> str:
    return snippet(article.paragraphs, [set(t) for t in tokenize(list(article.paragraphs))], wanted)
