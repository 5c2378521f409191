"""Article-aware chunks: what both the dense and the lexical index see of an article.

One chunk per article, prefixed with the last levels of its place in the code and its number,
so that a chunk read alone still says what it is about (« Titre Ier : Travailleurs handicapés »
carries meaning the alinéa lacks). Long articles are split on alinéa boundaries, never inside
one, and every piece repeats the header. The content hash lets an update re-embed only the
chunks whose text changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

from corpus.model import Article
from indexing.shipped_vectors import text_hash

CHUNKING_VERSION = "articles-v2"  # v2: chunk ids are text keys (corpus/model.py), so an index of v1 ids is stale
MAX_CHARS = 1500
BREADCRUMB_LEVELS = 3


class IndexedChunk(Protocol):
    """What the lexical and dense stores need of a chunk: an article's (Chunk) or a sheet's (indexing/sheet_chunks.py)."""

    @property
    def chunk_id(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def content_hash(self) -> str: ...

    def metadata(self) -> dict[str, str | int]: ...


@dataclass(frozen=True)
class Chunk:
    """One piece of one article, as indexed."""

    chunk_id: str  # « L5212-2#0 »: the text's key (corpus/model.py) and the position of the piece
    article: str  # the text's key
    position: int
    text: str  # header + alinéas: exactly what is embedded and tokenised
    legi_id: str | None
    breadcrumbs: tuple[str, ...]
    status: str
    start_date: str | None

    @property
    def content_hash(self) -> str:
        return text_hash(self.text)

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata as Chroma stores it (no None, no lists)."""
        return {
            "article": self.article,
            "position": self.position,
            "legi_id": self.legi_id or "",
            "breadcrumbs": " > ".join(self.breadcrumbs),
            "status": self.status,
            "start_date": self.start_date or "",
            "content_hash": self.content_hash,
        }


def header(article: Article) -> str:
    """The last breadcrumb levels (« Titre … > Chapitre … > Section … »), then « Article L5212-2 »."""
    place = " > ".join(article.breadcrumbs[-BREADCRUMB_LEVELS:])
    return f"{place}\nArticle {article.number}" if place else f"Article {article.number}"


def article_chunks(article: Article, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Split one article into chunks of at most about ``max_chars`` characters of alinéas."""
    pieces = pack_paragraphs(article.paragraphs, max_chars)
    head = header(article)
    return [
        Chunk(
            chunk_id=f"{article.key}#{position}",
            article=article.key,
            position=position,
            text=head + "\n" + "\n".join(piece),
            legi_id=article.legi_id,
            breadcrumbs=article.breadcrumbs,
            status=article.status.value,
            start_date=article.start_date.isoformat() if article.start_date else None,
        )
        for position, piece in enumerate(pieces)
    ]


def pack_paragraphs(paragraphs: Sequence[str], max_chars: int = MAX_CHARS) -> list[list[str]]:
    """Consecutive paragraphs in pieces of at most about ``max_chars`` characters, never cutting one
    (a paragraph longer than that is a piece alone): each piece reads whole on its own."""
    pieces: list[list[str]] = [[]]
    for paragraph in paragraphs:
        size = sum(len(p) + 1 for p in pieces[-1])
        if pieces[-1] and size + len(paragraph) > max_chars:
            pieces.append([])
        pieces[-1].append(paragraph)
    return pieces


def article_keys(articles: Iterable[Article]) -> dict[str, Article]:
    """Texts in force by key (the number, or « Annexe (LEGIARTI…) » for the code's other texts)."""
    return {a.key: a for a in articles if a.in_force and a.number}


def chunk_key(chunk_id: str) -> str:
    """« L5212-2#1 » → « L5212-2 »: the article key of a chunk id."""
    return chunk_id.rsplit("#", 1)[0]


def corpus_chunks(articles: Iterable[Article], only: str | None = None) -> list[Chunk]:
    """Chunks of the articles in force, optionally only those whose number starts with ``only``."""
    return [
        chunk
        for article in article_keys(articles).values()
        if not only or str(article.number).startswith(only)
        for chunk in article_chunks(article)
    ]
