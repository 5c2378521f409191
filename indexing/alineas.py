"""Alinéas as units of meaning: what the answer's lead and quotes are chosen from.

An article's alinéas are scored against the question with vectors computed ahead of time and
shipped (indexing/vectors/…-alineas.npz, scripts/build_vectors.py): embedding them per question
would cost seconds, where a dot product with the question's vector, already computed for the
search, costs microseconds. The text embedded is the alinéa alone, verbatim, as stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from corpus.model import Article
from indexing.shipped_vectors import ALINEA_VECTORS, ShippedVectors, load_shipped, text_hash


@dataclass(frozen=True)
class Alinea:
    article: str  # the text's key (corpus/model.py)
    position: int  # its place in the article's paragraphs
    text: str

    @property
    def content_hash(self) -> str:
        return text_hash(self.text)


def corpus_alineas(articles: Iterable[Article]) -> list[Alinea]:
    """Every alinéa of every text in force."""
    return [Alinea(a.key, i, text) for a in articles if a.in_force and a.number
            for i, text in enumerate(a.paragraphs)]


class AlineaVectors:
    """The shipped alinéa vectors, looked up by text: an alinéa whose text changed since they were
    computed has none, and its score is then None (the caller falls back on the question's words)."""

    def __init__(self, shipped: ShippedVectors) -> None:
        self.shipped = shipped

    def similarities(self, article: Article, query_vector: np.ndarray) -> list[float | None]:
        """Cosine similarity of the question with each alinéa of the article, in order."""
        vectors = [self.shipped.get(text_hash(p)) for p in article.paragraphs]
        return [None if v is None else float(v @ query_vector) for v in vectors]


def load_alinea_vectors(model: str) -> AlineaVectors | None:
    """The alinéa vectors shipped for this model, or None (another model, or not shipped)."""
    shipped = load_shipped(model, ALINEA_VECTORS)
    return AlineaVectors(shipped) if shipped else None
