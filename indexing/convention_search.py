"""Search within one convention collective: the articles of the convention the user chose, ranked for
the question, each with the label, status and link a citation needs.

Hybrid like the code's search (indexing/search.py `fuse`): BM25 over the convention's chunks
(indexing/convention_chunks.py), built when the convention is first searched (a fraction of a second
for the largest), and, when the convention's vectors are shipped (scripts/build_vectors.py
conventions), the cosine of the question's vector — the one the code's search computed — with each
chunk's, by brute force over a few thousand vectors (milliseconds, no vector store needed). The
fusion has its own settings, chosen on the convention questions (below): more weight to the question's
exact words, and a preference for the base text, whose avenants restate it in nearly the same words. A
convention whose vectors are not there yet, or no longer cover every chunk (a text changed by
`cdt convention update`), is searched by BM25 alone, and its results say so (`via`): the fusion
ranks the dense candidates, so a chunk without its vector would never be found.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from corpus.convention_directory import ConventionDirectory, load_directory
from corpus.conventions import (
    BASE_PART, Convention, ConventionArticle, ConventionInfo, active_conventions, load_convention, read_index,
)
from indexing.convention_chunks import ConventionChunk, convention_chunks
from indexing.lexical import LexicalIndex, tokenize
from indexing.search import CANDIDATES, best_per_article, fuse, snippet
from indexing.shipped_vectors import ShippedVectors, convention_vectors_path, load_shipped


@dataclass(frozen=True)
class ConventionHit:
    article: ConventionArticle
    score: float  # 0–1, as the code's hits (indexing/search.py fuse)
    snippet: str  # verbatim: the alinéa sharing most words with the question
    via: str  # "hybride", "dense" or "lexical"
    coverage: float  # share of the question's word weight (IDF) found in the article: a relevance on its own
    cosine: float | None  # the article's best chunk's similarity with the question; None without vectors

    def to_dict(self, convention: Convention) -> dict[str, object]:
        """The contract of `cdt search --idcc` and `cdt convention search --json`."""
        text = convention.text_of(self.article)
        return {"article": convention.label(self.article), "source": "convention", "idcc": convention.info.idcc,
                "id": self.article.id, "cid": self.article.cid, "url": convention.url(self.article),
                "text_status": text.status.label_fr, "score": round(self.score, 4), "snippet": self.snippet,
                "via": self.via}


# BM25 scores of the base text's articles are raised by this share. The base text, as consolidated, states
# the rule in force; avenants and attached texts repeat or amend its words (« l'article 4.2 est ainsi
# rédigé : … ») and would otherwise tie with it. Chosen on the tune part of bench/convention_questions.jsonl
# (bench/convention_retrieval.py, BM25 Hit@5): 0 → 0.872, 0.1 → 0.899, 0.2 → 0.905, 0.3 → 0.912, 0.5 → 0.899.
BASE_TEXT_BOOST = 0.3
# The hybrid fusion within a convention (indexing/search.py `fuse`), chosen on the tune part of
# bench/convention_questions.jsonl once 21 conventions had their vectors (148 questions;
# `python bench/convention_retrieval.py --split tune --sweep`, docs/BENCHMARKS.md). The code's settings
# (lexical weight 0.02 on the dense top 5, no base-text preference) did worse there than BM25 alone:
# Hit@1 0.601, Hit@5 0.899, MRR@5 0.719 against 0.676, 0.912, 0.770. A convention's avenants and attached
# texts restate the base text in nearly the same words, so their cosines tie with it within a few
# hundredths, and the question's exact terms (« prime de panier », « cadres ») decide more than in the
# code. Lexical weight 0.1 → 0.2 → 0.4 (bonus 0.06, depth 50): MRR@5 0.814 → 0.823 → 0.816; reranking
# every dense candidate rather than the top 5 raises Hit@5 (0.2, bonus 0: 0.899 → 0.959), depth 20 or 50
# alike. The cosine bonus of the base text's articles, 0 → 0.04 → 0.06 → 0.08 → 0.1 → 0.15: Hit@1
# 0.682 → 0.716 → 0.723 → 0.730 → 0.750 → 0.736, Hit@5 0.959 → 0.966 → 0.966 → 0.966 → 0.959 → 0.946;
# 0.08 is the middle of that plateau.
CONVENTION_LEXICAL_WEIGHT = 0.2
CONVENTION_RERANK_DEPTH = CANDIDATES
BASE_TEXT_BONUS = 0.08


class ConventionSearcher:
    """One convention's indexes, built once per process and convention."""

    def __init__(self, convention: Convention, vectors: ShippedVectors | None = None) -> None:
        self.convention = convention
        # The fusion's settings, as attributes: bench/convention_retrieval.py --sweep tries others on one index
        self.lexical_weight = CONVENTION_LEXICAL_WEIGHT
        self.rerank_depth = CONVENTION_RERANK_DEPTH
        self.base_bonus = BASE_TEXT_BONUS
        chunks = convention_chunks(convention)
        self._articles = {a.id: a for a in convention.articles}
        self._base = {a.id for a in convention.articles if convention.text_of(a).part == BASE_PART}
        tokenized = tokenize([c.text for c in chunks])  # once, for BM25 and for each stem's document frequency
        self.lexical = LexicalIndex.build(chunks, tokenized)
        token_sets = [set(tokens) for tokens in tokenized]
        self._words: dict[str, set[str]] = {}  # each article's stems, for the question's coverage
        for chunk, tokens in zip(chunks, token_sets):
            self._words.setdefault(chunk.article, set()).update(tokens)
        frequencies = Counter(token for tokens in token_sets for token in tokens)
        self._idf = {token: _idf(len(chunks), count) for token, count in frequencies.items()}
        self._unknown_idf = _idf(len(chunks), 0)
        found = chunk_vectors(chunks, vectors)
        self._dense_ids = [c.chunk_id for c in chunks] if found else []
        self._matrix = np.stack(found) if found else None

    def search(self, question: str, k: int = 5, query_vector: np.ndarray | None = None) -> list[ConventionHit]:
        """The ``k`` best articles in force for ``question``, best first."""
        lexical = {key: score * (1 + BASE_TEXT_BOOST) if key in self._base else score
                   for key, score in best_per_article(self.lexical.search(question, CANDIDATES)).items()}
        dense = {}
        if self._matrix is not None and query_vector is not None:
            cosines = self._matrix @ query_vector
            top = np.argsort(-cosines)[:CANDIDATES]
            dense = best_per_article([(self._dense_ids[i], float(cosines[i])) for i in top])
        preferred = {key: cosine + self.base_bonus if key in self._base else cosine for key, cosine in dense.items()}
        wanted = set(tokenize([question])[0])
        return [ConventionHit(article, score, _snippet(article, wanted), via, self._coverage(wanted, key),
                              dense.get(key))
                for key, score, via in fuse(lexical, preferred, self.lexical_weight, self.rerank_depth)[:k]
                for article in [self._articles[key]]]

    def _coverage(self, wanted: set[str], article: str) -> float:
        """The IDF-weighted share of the question's stems the article contains. BM25 scores are only
        comparable within one question; this is comparable across questions, so it can say whether the
        best article is relevant at all: a stem the convention never uses (« panier ») weighs most."""
        weights = {token: self._idf.get(token, self._unknown_idf) for token in wanted}
        total = sum(weights.values())
        found = self._words.get(article, set())
        return sum(w for token, w in weights.items() if token in found) / total if total else 0.0


class ConventionLibrary:
    """The conventions in use, the directory that finds them, and the searchers of those chosen:
    loaded once per process (the directory reads IDCC 3248's texts; a searcher builds its BM25 index),
    the KEPT most recently used searchers kept in memory."""

    # Searchers kept: loading IDCC 3248 (the largest) then 1486, 1979, 44 and 2216 in one process raised its RSS
    # by 73 MB for the first and 1–6 MB for each other (figures printed while writing this, issue 18); eight
    # stay well under the serving target's margin.
    KEPT = 8

    def __init__(self, model: str | None) -> None:
        self.model = model  # the embedding model whose shipped vectors the searchers use; None: BM25 only
        self.active = active_conventions()  # read once: a `cdt convention update` serves the next process
        self.source = self.active[1]
        self.conventions = read_index(self.active)
        self._searchers: OrderedDict[str, ConventionSearcher] = OrderedDict()
        self._lock = threading.Lock()  # the page answers several questions at once: one load per convention

    @cached_property
    def directory(self) -> ConventionDirectory:
        return load_directory(self.conventions)

    def by_idcc(self, idcc: int) -> ConventionInfo | None:
        """The convention with this IDCC, preferring one with text (an IDCC may be listed twice). Read from the
        index alone: the directory, which reads IDCC 3248's texts for the mergers, is not needed here."""
        found = sorted((c for c in self.conventions if c.idcc == idcc), key=lambda c: not c.has_text)
        return found[0] if found else None

    def searcher(self, info: ConventionInfo) -> ConventionSearcher:
        """The convention's searcher (its text must be here: load_convention says so otherwise)."""
        with self._lock:
            if info.id in self._searchers:
                self._searchers.move_to_end(info.id)
                return self._searchers[info.id]
            convention = load_convention(info, self.active)
            vectors = load_convention_vectors(convention, self.model) if self.model else None
            self._searchers[info.id] = searcher = ConventionSearcher(convention, vectors)
            while len(self._searchers) > self.KEPT:
                self._searchers.popitem(last=False)
            return searcher


def _idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency (the Lucene form, never negative)."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def chunk_vectors(chunks: list[ConventionChunk], vectors: ShippedVectors | None) -> list[np.ndarray] | None:
    """Each chunk's shipped vector; None unless every chunk has one (the convention is then searched by BM25)."""
    if vectors is None or not chunks:
        return None
    found = []
    for chunk in chunks:
        vector = vectors.get(chunk.content_hash)
        if vector is None:
            return None
        found.append(vector)
    return found


def load_convention_vectors(convention: Convention, model: str) -> ShippedVectors | None:
    """The convention's shipped vectors for this embedding model; None when not computed yet."""
    return load_shipped(model, convention_vectors_path(convention.info))


def _snippet(article: ConventionArticle, wanted: set[str]) -> str:
    return snippet(article.paragraphs, [set(t) for t in tokenize(list(article.paragraphs))], wanted)
