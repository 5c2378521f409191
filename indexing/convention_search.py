"""Search within one convention collective: the articles of the convention the user chose, ranked for
the question, each with the label, status and link a citation needs.

BM25 over the convention's chunks (indexing/convention_chunks.py), built when the convention is first
searched (a fraction of a second for the largest): until the convention's vectors are shipped
(scripts/build_vectors.py conventions), this lexical ranking is the search; results say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.conventions import Convention, ConventionArticle
from indexing.convention_chunks import convention_chunks
from indexing.lexical import LexicalIndex, tokenize
from indexing.search import snippet

CANDIDATE_CHUNKS = 3  # chunks read per result wanted: an article's pieces must not crowd out others


@dataclass(frozen=True)
class ConventionHit:
    article: ConventionArticle
    score: float  # 0–1: BM25 over the best result's
    snippet: str  # verbatim: the alinéa sharing most words with the question
    via: str  # "lexical" until the convention's vectors are shipped

    def to_dict(self, convention: Convention) -> dict[str, object]:
        """The contract of `cdt search --idcc` and `cdt convention search --json`."""
        text = convention.text_of(self.article)
        return {"article": convention.label(self.article), "source": "convention", "idcc": convention.info.idcc,
                "id": self.article.id, "cid": self.article.cid, "url": convention.url(self.article),
                "text_status": text.status.label_fr, "score": round(self.score, 4), "snippet": self.snippet,
                "via": self.via}


class ConventionSearcher:
    """One convention's lexical index, built once per process and convention."""

    def __init__(self, convention: Convention) -> None:
        self.convention = convention
        chunks = convention_chunks(convention)
        self._article_of = {c.chunk_id: c.article for c in chunks}
        self._articles = {a.id: a for a in convention.articles}
        self.lexical = LexicalIndex.build(chunks)

    def search(self, question: str, k: int = 5) -> list[ConventionHit]:
        """The ``k`` best articles in force for ``question``, best first; none when no word matches."""
        best: dict[str, float] = {}
        for chunk_id, score in self.lexical.search(question, k * CANDIDATE_CHUNKS):
            article = self._article_of[chunk_id]
            best[article] = max(score, best.get(article, 0.0))
        ranked = sorted(best, key=lambda a: -best[a])[:k]
        top = best[ranked[0]] if ranked else 1.0
        wanted = set(tokenize([question])[0])
        return [ConventionHit(article, best[key] / top, _snippet(article, wanted), "lexical")
                for key in ranked for article in [self._articles[key]]]


def _snippet(article: ConventionArticle, wanted: set[str]) -> str:
    return snippet(article.paragraphs, [set(t) for t in tokenize(list(article.paragraphs))], wanted)
