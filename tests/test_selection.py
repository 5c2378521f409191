"""The article selection's trained model (assistant/ranker.json): it loads, it matches the code's
features, and a file that does not is refused with the command that regenerates it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from corpus.errors import CorpusError
from corpus.store import ArticleStore
from indexing.alineas import ALINEA_DIMS, load_alinea_vectors
from indexing.shipped_vectors import ALINEA_VECTORS

from assistant.selection import FEATURES, HEADING_DIMS, RANKER, RANKER_FILE, load_ranker, products
from tests.conftest import altered_json


def test_the_shipped_model_matches_the_features() -> None:
    data = json.loads(RANKER_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES) and "bench/ranker_questions.jsonl" in data["trained_on"]
    assert 0 < RANKER.quote_bar < 1 and RANKER.weights.shape == (len(FEATURES),)
    assert np.any(RANKER.product_weights[:ALINEA_DIMS]) and np.any(RANKER.product_weights[ALINEA_DIMS:])  # in use


@pytest.mark.parametrize("change", [
    lambda d: d.update(features=d["features"][:-1]),
    lambda d: d.update(alinea_weights=d["alinea_weights"][:10]),
    lambda d: d.pop("quote_bar"),
])
def test_a_model_that_does_not_match_is_refused_with_the_fix(tmp_path: Path, change) -> None:
    path = altered_json(RANKER_FILE, change, tmp_path)
    with pytest.raises(CorpusError, match="bench/train_ranker.py --write"):
        load_ranker(path)


def test_products_are_the_question_times_the_best_alinea_and_the_headings(store: ArticleStore) -> None:
    vectors = load_alinea_vectors(_model_of(ALINEA_VECTORS))  # the product's loader, for the shipped files' model
    assert vectors is not None
    article = store.get("L3141-3")
    looked_up = vectors.of(article)
    query = looked_up.heading  # a 768-dimension unit vector the article is close to
    assert query is not None
    similarities = looked_up.similarities(query)
    found = products(query, looked_up, similarities)
    assert found.shape == (ALINEA_DIMS + HEADING_DIMS,)
    assert found[ALINEA_DIMS:].sum() == pytest.approx(10.0, rel=1e-3)  # its own headings: cosine 1, × PRODUCT_SCALE
    assert np.any(found[:ALINEA_DIMS])
    assert not np.any(products(None, looked_up, similarities))
    assert not np.any(products(query, None, similarities))


def _model_of(path: Path) -> str:
    with np.load(path, allow_pickle=False) as data:
        return str(data["model"])
