"""Precomputed document vectors shipped with the repository, so a fresh clone needs no embedding run.

Embedding the whole code takes about an hour on a 2-core machine; the vectors of the shipped
snapshot's chunks travel instead, keyed by chunk content hash (so they also serve any later
corpus for every chunk whose text did not change). They are stored as int8 with one scale per
vector (about 10 MB); the ranking they give is compared with float32 in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.conventions import ConventionInfo, convention_path

VECTORS_DIR = Path(__file__).parent / "vectors"
CHUNK_VECTORS = VECTORS_DIR / "embeddinggemma-300m.npz"  # one per chunk: the dense index
ALINEA_VECTORS = VECTORS_DIR / "embeddinggemma-300m-alineas.npz"  # one per alinéa: the answer's lead (indexing/alineas.py)
HEADING_VECTORS = VECTORS_DIR / "embeddinggemma-300m-headings.npz"  # one per place in the code (indexing/alineas.py)
SHEET_VECTORS = VECTORS_DIR / "embeddinggemma-300m-fiches.npz"  # one per chunk of the ministry's sheets (indexing/sheet_chunks.py)
CONVENTION_VECTORS = VECTORS_DIR / "conventions"  # one file per convention collective (indexing/convention_chunks.py)


def text_hash(text: str) -> str:
    """The key of a text's shipped vector: the same text always finds the same vector."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class ShippedVectors:
    model: str
    by_hash: dict[str, int]
    quantized: np.ndarray  # int8, one row per chunk text
    scales: np.ndarray  # float32, one per row

    def get(self, content_hash: str) -> np.ndarray | None:
        row = self.by_hash.get(content_hash)
        if row is None:
            return None
        vector = self.quantized[row].astype(np.float32) * self.scales[row]
        return vector / max(float(np.linalg.norm(vector)), 1e-12)


def convention_vectors_path(info: ConventionInfo) -> Path:
    """« conventions/1486.npz »: the vectors of one convention's chunks, named like its snapshot."""
    return CONVENTION_VECTORS / convention_path(CONVENTION_VECTORS, info).name.replace(".jsonl.gz", ".npz")


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 quantization per row: row ≈ q × scale."""
    scales = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127.0
    return np.round(vectors / scales[:, None]).astype(np.int8), scales.astype(np.float32)


def save_shipped(path: Path, model: str, hashes: list[str], vectors: np.ndarray) -> None:
    quantized, scales = quantize(vectors)
    np.savez_compressed(path, model=np.array(model), hashes=np.array(hashes), quantized=quantized, scales=scales)


def load_shipped(model: str, path: Path | None = None) -> ShippedVectors | None:
    """The shipped vectors of this model, or None (other model, or none shipped)."""
    path = path or CHUNK_VECTORS
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        if str(data["model"]) != model:
            return None
        hashes = [str(h) for h in data["hashes"]]
        return ShippedVectors(model, {h: i for i, h in enumerate(hashes)}, data["quantized"], data["scales"])
