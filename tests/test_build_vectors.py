"""scripts/build_vectors.py conventions reuses the vectors already shipped: after a package update only the
changed texts are embedded again, and the vectors it writes back are the shipped ones exactly. Every
convention with text ships the vectors of exactly its chunks."""

from __future__ import annotations

import numpy as np

from corpus.conventions import load_convention, read_index
from indexing.convention_chunks import convention_chunks
from indexing.embedder import model_name
from indexing.settings import IndexSettings
from indexing.shipped_vectors import convention_vectors_path, load_shipped, quantize
from scripts.build_vectors import known_convention_vectors


def test_shipped_vectors_are_reused_for_unchanged_texts_only() -> None:
    info = next(c for c in read_index() if c.idcc == 1486)
    path = convention_vectors_path(info)
    with np.load(path, allow_pickle=False) as data:
        model = str(data["model"])
    shipped = load_shipped(model, path)
    assert shipped is not None
    chunks = convention_chunks(load_convention(info))
    texts = {c.content_hash: c.text for c in chunks}
    changed = chunks[0].text + " (modifié par avenant)"  # a reworded chunk has another hash: embedded again
    texts[chunks[0].content_hash + "-changed"] = changed
    known = known_convention_vectors(texts, model)
    assert known.keys() == set(shipped.by_hash) and chunks[0].content_hash + "-changed" not in known
    hashes = sorted(known)
    quantized, _ = quantize(np.stack([known[h] for h in hashes]))
    assert np.array_equal(quantized, shipped.quantized[[shipped.by_hash[h] for h in hashes]])
    assert known_convention_vectors(texts, "another-model") == {}


def test_every_convention_with_text_ships_vectors_for_exactly_its_chunks() -> None:
    """All 50 are searched hybrid from a fresh clone: a snapshot regenerated without embedding its changed
    texts again (or a vector file of another convention) would leave one to BM25 without anyone knowing."""
    model = model_name(IndexSettings.from_env())
    uncovered = []
    for info in (c for c in read_index() if c.has_text):
        shipped = load_shipped(model, convention_vectors_path(info))
        hashes = {c.content_hash for c in convention_chunks(load_convention(info))}
        if shipped is None or set(shipped.by_hash) != hashes:
            uncovered.append(info.idcc)
    assert uncovered == [], f"`python scripts/build_vectors.py conventions --idcc {' '.join(map(str, uncovered))}`"
