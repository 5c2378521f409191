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
from indexing.shipped_vectors import ALINEA_VECTORS, HEADING_VECTORS, ShippedVectors, load_shipped, text_hash


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


ALINEA_DIMS = 512  # EmbeddingGemma's vectors cut to their first 512 dimensions (Matryoshka-trained): the
# shipped file stays under 20 MB; docs/BENCHMARKS.md compares the answers with the full 768
HEADING_LEVELS = 3  # as in the chunks' header (indexing/chunks.py)


def heading_path(article: Article) -> str:
    """« Titre IV : Congés payés et autres congés › Chapitre Ier : Congés payés › Section 2 : Durée du
    congé »: the article's place, whose similarity with the question tells a rule of the right part
    of the code from a neighbour sharing its words (« congé » of a jury member, not paid leave)."""
    return " › ".join(article.breadcrumbs[-HEADING_LEVELS:])


@dataclass(frozen=True)
class ArticleVectors:
    """One article's shipped vectors, looked up once per answer (each lookup dequantizes a row)."""

    alineas: tuple[np.ndarray | None, ...]  # one per alinéa (ALINEA_DIMS); None: its text has none
    heading: np.ndarray | None  # its place in the code (its last headings); None: not shipped

    def similarities(self, query_vector: np.ndarray) -> tuple[float | None, ...]:
        """Cosine similarity of the question with each alinéa, in order."""
        cut = cut_query(query_vector)
        return tuple(None if v is None else float(v @ cut[: len(v)]) for v in self.alineas)

    def heading_similarity(self, query_vector: np.ndarray) -> float | None:
        return None if self.heading is None else float(self.heading @ query_vector)


class AlineaVectors:
    """The shipped alinéa and heading vectors, looked up by text: a text changed since they were
    computed has none, and its score is then None (the caller falls back on the question's words)."""

    def __init__(self, alineas: ShippedVectors | None, headings: ShippedVectors | None) -> None:
        self.alineas = alineas
        self.headings = headings

    def of(self, article: Article) -> ArticleVectors:
        return ArticleVectors(
            tuple(self.alineas.get(text_hash(p)) if self.alineas else None for p in article.paragraphs),
            self.headings.get(text_hash(heading_path(article))) if self.headings else None,
        )


def cut_query(query_vector: np.ndarray) -> np.ndarray:
    """The question's vector cut to the alinéas' ALINEA_DIMS and normalised again."""
    cut = query_vector[:ALINEA_DIMS]
    return cut / max(float(np.linalg.norm(cut)), 1e-12)


def load_alinea_vectors(model: str) -> AlineaVectors | None:
    """The alinéa (and heading) vectors shipped for this model, or None (another model, or not shipped)."""
    alineas, headings = load_shipped(model, ALINEA_VECTORS), load_shipped(model, HEADING_VECTORS)
    return AlineaVectors(alineas, headings) if alineas or headings else None
