"""Conventions collectives as indexed: one chunk per article, or per run of alinéas of a long one.

Each chunk starts with its text's title (« Avenant n° 32 du 15 décembre 2005 relatif aux salaires
(ETAM) », or « Texte de base »), the last levels of its place in that text and its number, so that a piece read alone
still says what it is about, and is cut between alinéas like the code's (indexing/chunks.py).
Search runs within the chosen convention, so the convention's own name is left out: it would
weigh the same on every chunk. Articles not yet in force are not indexed. Vectors are keyed by the
chunk text's hash: changing the text here means embedding again (scripts/build_vectors.py conventions).
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.conventions import BASE_PART, Convention, ConventionArticle
from indexing.chunks import pack_paragraphs
from indexing.shipped_vectors import text_hash

CONVENTION_CHUNKING_VERSION = "conventions-v1"
BREADCRUMB_LEVELS = 2


@dataclass(frozen=True)
class ConventionChunk:
    chunk_id: str  # « KALIARTI000005851848#0 »: the article's version id and the position of the piece
    article: str  # the article's version id (KALIARTI…)
    position: int
    text: str  # header + alinéas: exactly what is embedded and tokenised

    @property
    def content_hash(self) -> str:
        return text_hash(self.text)

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata as Chroma stores it."""
        return {"article": self.article, "position": self.position, "content_hash": self.content_hash}


def convention_header(convention: Convention, article: ConventionArticle) -> str:
    """The text's title (« Texte de base » for the base agreement, whose title is the convention's), the
    last levels of the article's place in it, then « Article 7.2 »."""
    text = convention.text_of(article)
    lines = [text.part if text.part == BASE_PART else text.title, " > ".join(article.breadcrumbs[-BREADCRUMB_LEVELS:])]
    lines.append(f"Article {article.number}" if article.number else article.heading or "")
    return "\n".join(line for line in lines if line)


def convention_chunks(convention: Convention) -> list[ConventionChunk]:
    """The chunks of the convention's articles in force, in reading order."""
    return [ConventionChunk(f"{article.id}#{position}", article.id, position,
                            convention_header(convention, article) + "\n" + "\n".join(piece))
            for article in convention.articles if article.in_force
            for position, piece in enumerate(pack_paragraphs(article.paragraphs))]
