"""BM25 over the chunks (the code's; the ministry's sheets' in an index of their own), with French
stemming and stop words (bm25s + PyStemmer).

Users type with or without accents (« indemnite », « préavis »), so accents are removed before
stemming, for the texts and the queries alike, and the stop word list is unaccented the same way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_FRENCH

from corpus.errors import CorpusError
from corpus.text_forms import search_form
from indexing.chunks import IndexedChunk

IDS_FILE = "chunk_ids.json"


class LexicalIndexError(CorpusError):
    """The saved lexical index is missing or damaged."""


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


@lru_cache(maxsize=1)
def _stopwords() -> list[str]:
    return sorted({search_form(w) for w in STOPWORDS_FRENCH})


def tokenize(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize([search_form(t) for t in texts], stopwords=_stopwords(), stemmer=_stemmer(),
                          return_ids=False, show_progress=False)


class LexicalIndex:
    """A BM25 retriever and the chunk ids of its rows."""

    def __init__(self, retriever: bm25s.BM25, ids: list[str]) -> None:
        self._retriever = retriever
        self.ids = ids

    @classmethod
    def build(cls, chunks: Sequence[IndexedChunk], tokens: list[list[str]] | None = None) -> LexicalIndex:
        """BM25 over the chunks; ``tokens``: their texts already tokenised (tokenize), when the caller needs them too."""
        retriever = bm25s.BM25()
        retriever.index(tokenize([c.text for c in chunks]) if tokens is None else tokens, show_progress=False)
        return cls(retriever, [c.chunk_id for c in chunks])

    def save(self, folder: Path) -> None:
        """Write into a new generation's folder (readers only open published generations)."""
        self._retriever.save(str(folder), show_progress=False)
        (folder / IDS_FILE).write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        try:
            ids = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
            retriever = bm25s.BM25.load(str(folder), show_progress=False)
        except (OSError, ValueError, KeyError) as error:
            raise LexicalIndexError(
                f"index lexical absent ou endommagé ({folder} : {error}). Reconstruisez-le avec `cdt index build`."
            ) from error
        return cls(retriever, ids)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Best chunks as (chunk id, BM25 score), best first; empty when no query word is indexed."""
        tokens = tokenize([query])
        if not tokens[0]:
            return []
        k = min(k, len(self.ids))
        documents, scores = self._retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [(self.ids[int(d)], float(s)) for d, s in zip(documents[0], scores[0]) if s > 0 and np.isfinite(s)]
