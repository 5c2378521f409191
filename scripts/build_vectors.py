"""Regenerate the shipped vectors: the index's chunks, the alinéas the answer's lead is chosen from, or the sheets' chunks.

Usage:
  python scripts/build_vectors.py chunks    → indexing/vectors/embeddinggemma-300m.npz (about an hour)
  python scripts/build_vectors.py alineas   → indexing/vectors/embeddinggemma-300m-alineas.npz (about 50 min)
  python scripts/build_vectors.py headings  → indexing/vectors/embeddinggemma-300m-headings.npz (about 5 min)
  python scripts/build_vectors.py fiches    → indexing/vectors/embeddinggemma-300m-fiches.npz (the ministry's sheets, about 30 min)

(needs `cdt models fetch`; times on 2 CPU cores). Embeds the texts of the shipped snapshot with the
default model, the way `cdt index build` would, and stores the vectors int8-quantized, keyed by
content hash, so that they also serve any later corpus for every text that did not change. Texts
are embedded shortest first (batches of similar lengths waste no padding), and the work done is
saved every few batches under build/, so an interrupted run resumes where it stopped. Commit the
file after regenerating the snapshot (`make snapshot`), so that fresh clones embed nothing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from tqdm import tqdm

from corpus.sheets import load_sheets
from corpus.store import load_store
from indexing.alineas import ALINEA_DIMS, corpus_alineas, heading_path
from indexing.chunks import corpus_chunks
from indexing.embedder import load_embedder
from indexing.settings import IndexSettings
from indexing.sheet_chunks import sheet_chunks
from indexing.shipped_vectors import (ALINEA_VECTORS, CHUNK_VECTORS, HEADING_VECTORS, SHEET_VECTORS, save_shipped,
                                      text_hash)

BATCH = 64
SAVE_EVERY = 20  # batches between two saves of the work done
PARTIAL_DIR = Path("build/vectors-partial")


def chunk_texts() -> dict[str, str]:
    return {c.content_hash: c.text for c in corpus_chunks(load_store().in_force)}


def alinea_texts() -> dict[str, str]:
    return {a.content_hash: a.text for a in corpus_alineas(load_store().in_force)}


def heading_texts() -> dict[str, str]:
    return {text_hash(text): text for text in {heading_path(a) for a in load_store().in_force if a.number}}


def sheet_texts() -> dict[str, str]:
    return {c.content_hash: c.text for c in sheet_chunks(load_sheets().sections)}


KINDS: dict[str, tuple[Callable[[], dict[str, str]], Path]] = {
    "chunks": (chunk_texts, CHUNK_VECTORS),
    "alineas": (alinea_texts, ALINEA_VECTORS),
    "fiches": (sheet_texts, SHEET_VECTORS),
    "headings": (heading_texts, HEADING_VECTORS),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    kind = parser.parse_args().kind
    texts_of, path = KINDS[kind]
    texts = texts_of()
    partial = PARTIAL_DIR / f"{kind}.npz"
    done = _load_partial(partial)
    todo = sorted((h for h in texts if h not in done), key=lambda h: len(texts[h]))
    embedder = load_embedder(IndexSettings.from_env())
    started = time.perf_counter()
    batches = range(0, len(todo), BATCH)
    for number, start in enumerate(tqdm(batches, desc=f"Vecteurs ({kind})", unit="lot")):
        hashes = todo[start : start + BATCH]
        vectors = embedder.embed_documents([texts[h] for h in hashes], batch_size=BATCH)
        done.update(zip(hashes, vectors))
        if number % SAVE_EVERY == SAVE_EVERY - 1:
            _save_partial(partial, done)
    hashes = sorted(texts)
    path.parent.mkdir(exist_ok=True)
    vectors = np.stack([done[h] for h in hashes])
    save_shipped(path, embedder.name, hashes, vectors[:, :ALINEA_DIMS] if kind == "alineas" else vectors)
    print(f"{path}: {len(hashes)} vecteurs ({len(todo)} calculés en {time.perf_counter() - started:.0f} s)")


def _load_partial(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        return {}
    with np.load(path, allow_pickle=False) as data:
        return dict(zip((str(h) for h in data["hashes"]), data["vectors"]))


def _save_partial(path: Path, done: dict[str, np.ndarray]) -> None:
    """Written beside, then renamed: an interruption never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp.npz")
    np.savez(scratch, hashes=np.array(list(done)), vectors=np.stack(list(done.values())))
    scratch.replace(path)


if __name__ == "__main__":
    main()
