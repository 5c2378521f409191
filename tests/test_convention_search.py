"""Search within the chosen convention (indexing/convention_search.py): hybrid with the convention's
shipped vectors and the question vector, BM25 alone when its vectors do not cover every chunk.

The convention is Syntec (IDCC 1486), whose vectors are shipped; the question vector comes from the
fetched model, as the code's search computes it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from corpus.conventions import Convention, load_convention, read_index
from indexing.convention_chunks import convention_chunks
from indexing.convention_search import ConventionSearcher, load_convention_vectors
from indexing.embedder import load_embedder, model_name
from indexing.model_fetch import is_installed
from indexing.settings import IndexSettings
from indexing.shipped_vectors import ShippedVectors
from tests.conftest import MODELS_DIR

from assistant.convention_answer import COSINE_BAR, COVERAGE_BAR, find, speaks_to

SYNTEC = 1486
TRIAL_CID = "KALIARTI000044253063"  # Texte de base, article 3.4: « Période d'essai »
ON_TRIAL = "Quelle est la durée de la période d'essai d'un cadre ?"

pytestmark = pytest.mark.skipif(not is_installed(MODELS_DIR / "embeddinggemma-300m"),
                                reason="run `cdt models fetch` first (make test does)")


@pytest.fixture(scope="module")
def syntec() -> Convention:
    return load_convention(next(c for c in read_index() if c.idcc == SYNTEC))


@pytest.fixture(scope="module")
def settings() -> IndexSettings:
    return dataclasses.replace(IndexSettings.from_env(), models_dir=MODELS_DIR,
                               embedding_model=str(MODELS_DIR / "embeddinggemma-300m"))


@pytest.fixture(scope="module")
def vectors(syntec: Convention, settings: IndexSettings) -> ShippedVectors:
    shipped = load_convention_vectors(syntec, model_name(settings))
    assert shipped is not None, "indexing/vectors/conventions/1486.npz is shipped for the default model"
    return shipped


@pytest.fixture(scope="module")
def question_vector(settings: IndexSettings) -> np.ndarray:
    return load_embedder(settings).embed_query(ON_TRIAL)


def test_with_its_vectors_a_convention_is_searched_hybrid(syntec, vectors, question_vector) -> None:
    hits = ConventionSearcher(syntec, vectors).search(ON_TRIAL, query_vector=question_vector)
    assert TRIAL_CID in [h.article.cid for h in hits]
    assert {h.via for h in hits} <= {"hybride", "dense"} and all(h.cosine is not None for h in hits)
    bm25 = ConventionSearcher(syntec).search(ON_TRIAL, query_vector=question_vector)
    assert {h.via for h in bm25} == {"lexical"} and all(h.cosine is None for h in bm25)


def test_vectors_missing_for_a_chunk_leave_the_convention_to_bm25(syntec, vectors, question_vector) -> None:
    """After an update that rewords an article, its chunk has no shipped vector: the fusion, which ranks
    dense candidates, would never find it; the convention is searched by BM25 until its vectors are rebuilt."""
    trial = {a.id for a in syntec.articles if a.cid == TRIAL_CID}
    reworded = {c.content_hash for c in convention_chunks(syntec) if c.article in trial}
    partial = ShippedVectors(vectors.model, {h: row for h, row in vectors.by_hash.items() if h not in reworded},
                             vectors.quantized, vectors.scales)
    hits = ConventionSearcher(syntec, partial).search(ON_TRIAL, query_vector=question_vector)
    assert {h.via for h in hits} == {"lexical"}
    assert TRIAL_CID in [h.article.cid for h in hits]


def test_with_vectors_the_cosine_decides_whether_the_convention_speaks_to_the_question(syntec, vectors, settings) -> None:
    """The LinkedIn question (bench/convention_negative_questions.jsonl n009) shares words with Syntec's articles
    but none is close to it; the trial period is."""
    embedder = load_embedder(settings)
    searcher = ConventionSearcher(syntec, vectors)
    not_in_syntec = "Un salarié a critiqué la société sur LinkedIn, peut-on le sanctionner ?"
    silent = find(searcher, not_in_syntec, embedder.embed_query(not_in_syntec))
    answered = find(searcher, ON_TRIAL, embedder.embed_query(ON_TRIAL))
    assert not silent.passages
    assert TRIAL_CID in [p.article.cid for p in answered.passages]
    hits = searcher.search(not_in_syntec, query_vector=embedder.embed_query(not_in_syntec))
    assert not speaks_to(hits, COVERAGE_BAR, COSINE_BAR) and speaks_to(hits, COVERAGE_BAR, 0.0)
