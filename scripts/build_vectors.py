"""Regenerate the shipped vectors: the index's chunks, the alinéas the answer's lead is chosen from, or the sheets' chunks.

Usage:
  python scripts/build_vectors.py chunks    → indexing/vectors/embeddinggemma-300m.npz (about an hour)
  python scripts/build_vectors.py alineas   → indexing/vectors/embeddinggemma-300m-alineas.npz (about 50 min)
  python scripts/build_vectors.py headings  → indexing/vectors/embeddinggemma-300m-headings.npz (about 5 min)
  python scripts/build_vectors.py fiches    → indexing/vectors/embeddinggemma-300m-fiches.npz (the ministry's sheets, about 30 min)
  python scripts/build_vectors.py conventions → indexing/vectors/conventions/<IDCC>.npz (about 76 M characters for
                                              the 50, some 8 hours through the ONNX graph at ~2,500 characters/s:
                                              run it in the background, across sessions; it resumes)
  python scripts/build_vectors.py conventions --idcc 16 44 → those conventions only, in that order

(needs `cdt models fetch`; times on 2 CPU cores). Embeds the texts of the shipped snapshot with the
default model, the way `cdt index build` would, and stores the vectors int8-quantized, keyed by
content hash, so that they also serve any later corpus for every text that did not change (for the
conventions, a text whose vector any convention's file already holds is not embedded again). Texts
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

from corpus.conventions import load_convention, read_index
from corpus.sheets import load_sheets
from corpus.store import load_store
from indexing.alineas import ALINEA_DIMS, corpus_alineas, heading_path
from indexing.chunks import corpus_chunks
from indexing.convention_chunks import convention_chunks
from indexing.embedder import Embedder, load_embedder
from indexing.settings import IndexSettings
from indexing.sheet_chunks import sheet_chunks
from indexing.shipped_vectors import (ALINEA_VECTORS, CHUNK_VECTORS, CONVENTION_VECTORS, HEADING_VECTORS,
                                      SHEET_VECTORS, convention_vectors_path, load_shipped, save_shipped,
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
    parser.add_argument("kind", choices=sorted([*KINDS, "conventions"]))
    parser.add_argument("--idcc", type=int, nargs="+", help="conventions : seulement celles-ci, dans cet ordre")
    args = parser.parse_args()
    kind = args.kind
    if args.idcc and kind != "conventions":
        parser.error("--idcc ne vaut que pour « conventions »")
    embedder = load_embedder(IndexSettings.from_env())
    if kind == "conventions":
        build_convention_vectors(embedder, args.idcc)
        return
    texts_of, path = KINDS[kind]
    texts = texts_of()
    vectors = _embedded(texts, PARTIAL_DIR / f"{kind}.npz", embedder, kind)
    hashes = sorted(texts)
    path.parent.mkdir(exist_ok=True)
    matrix = np.stack([vectors[h] for h in hashes])
    save_shipped(path, embedder.name, hashes, matrix[:, :ALINEA_DIMS] if kind == "alineas" else matrix)
    print(f"{path}: {len(hashes)} vecteurs")


def build_convention_vectors(embedder: Embedder, only: list[int] | None = None) -> None:
    """One file per convention, the conventions covering most employees first (or ``only`` those, in
    that order: the evaluation set's first): a run stopped at any point leaves every finished
    convention's file and the work done on the current one."""
    with_text = {info.idcc: info for info in read_index() if info.has_text}
    if only:
        unknown = sorted(set(only) - set(with_text))
        if unknown:
            raise SystemExit(f"IDCC sans texte dans le paquet : {', '.join(map(str, unknown))}")
        conventions = [with_text[idcc] for idcc in only]
    else:
        conventions = sorted(with_text.values(), key=lambda i: -(i.employees or 0))
    for info in conventions:
        path = convention_vectors_path(info)
        texts = {c.content_hash: c.text for c in convention_chunks(load_convention(info))}
        shipped = load_shipped(embedder.name, path)
        if shipped is not None and set(shipped.by_hash) == set(texts):
            continue
        vectors = _embedded(texts, PARTIAL_DIR / f"conventions-{path.stem}.npz", embedder, f"IDCC {info.idcc}",
                            known_convention_vectors(texts, embedder.name))
        hashes = sorted(texts)
        path.parent.mkdir(parents=True, exist_ok=True)
        save_shipped(path, embedder.name, hashes, np.stack([vectors[h] for h in hashes]))
        print(f"{path}: {len(hashes)} vecteurs")


def known_convention_vectors(texts: dict[str, str], model: str) -> dict[str, np.ndarray]:
    """The vectors already shipped, in any convention's file, for these texts. After a new version of the
    package changes one avenant, only its chunks are embedded again, not the whole convention (an hour for
    the largest); a text that several conventions share (an interprofessional agreement) is embedded once.
    Read back from int8 and quantized again, a vector keeps exactly its shipped values."""
    known: dict[str, np.ndarray] = {}
    for path in sorted(CONVENTION_VECTORS.glob("*.npz")):
        if (shipped := load_shipped(model, path)) is None:
            continue
        for content_hash in texts.keys() & shipped.by_hash.keys():
            known.setdefault(content_hash, shipped.get(content_hash))
    return known


def _embedded(texts: dict[str, str], partial: Path, embedder: Embedder, label: str,
              known: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Every text's vector: those ``known`` or saved in ``partial`` by an interrupted run, and the others
    computed, the work saved every SAVE_EVERY batches."""
    done = {**(known or {}), **_load_partial(partial)}
    todo = sorted((h for h in texts if h not in done), key=lambda h: len(texts[h]))
    started = time.perf_counter()
    for number, start in enumerate(tqdm(range(0, len(todo), BATCH), desc=f"Vecteurs ({label})", unit="lot")):
        hashes = todo[start : start + BATCH]
        done.update(zip(hashes, embedder.embed_documents([texts[h] for h in hashes], batch_size=BATCH)))
        if number % SAVE_EVERY == SAVE_EVERY - 1:
            _save_partial(partial, done)
    print(f"{label} : {len(todo)} vecteurs calculés en {time.perf_counter() - started:.0f} s")
    return done


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
