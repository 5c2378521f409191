"""Regenerate the shipped document vectors (indexing/vectors/embeddinggemma-300m.npz).

Usage: python scripts/build_vectors.py   (needs `cdt models fetch`; about an hour on 2 CPU cores)
Embeds every chunk of the shipped snapshot with the default model, the way `cdt index build`
would, and stores the vectors int8-quantized, keyed by chunk content hash. Commit the file after
regenerating the snapshot (`make snapshot`), so that fresh clones build their index in seconds.
"""

from __future__ import annotations

import time

import numpy as np
from tqdm import tqdm

from corpus.store import load_store
from indexing.chunks import corpus_chunks
from indexing.embedder import load_embedder
from indexing.settings import IndexSettings
from indexing.shipped_vectors import VECTORS_DIR, save_shipped

BATCH = 256


def main() -> None:
    embedder = load_embedder(IndexSettings.from_env())
    chunks = corpus_chunks(load_store().in_force)
    started = time.perf_counter()
    parts = []
    for start in tqdm(range(0, len(chunks), BATCH), desc="Vecteurs", unit="lot"):
        parts.append(embedder.embed_documents([c.text for c in chunks[start : start + BATCH]]))
    vectors = np.concatenate(parts)
    path = VECTORS_DIR / "embeddinggemma-300m.npz"
    VECTORS_DIR.mkdir(exist_ok=True)
    save_shipped(path, embedder.name, [c.content_hash for c in chunks], vectors)
    print(f"{path}: {len(chunks)} vecteurs en {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
