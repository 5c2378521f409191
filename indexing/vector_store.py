"""The dense store behind one small interface: Chroma embedded on disk, or a Chroma server.

Vectors are always computed by our Embedder and passed explicitly; the collection is still
given an explicit embedding function, because Chroma's default one would download a model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from corpus.errors import CorpusError
from indexing.chunks import IndexedChunk

_BATCH = 1000


class VectorStoreError(CorpusError):
    """The dense store cannot be opened or read."""


class _RefuseToEmbed:
    """Explicit embedding function for the collection: it refuses, since we pass vectors ourselves."""

    def __init__(self, model: str = "") -> None:
        self.model = model

    def __call__(self, input: list[str]) -> list[np.ndarray]:  # noqa: A002 - Chroma's parameter name
        raise VectorStoreError("les vecteurs sont calculés par cdt, jamais par Chroma")

    @staticmethod
    def name() -> str:
        return "cdt-precomputed"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _RefuseToEmbed:
        return _RefuseToEmbed(config.get("model", ""))

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]


class ChromaVectorStore:
    """Chunk vectors in one Chroma collection (cosine space), keyed by chunk id."""

    def __init__(self, collection: Any, model: str) -> None:
        self.model = model
        self.name = str(collection.name)
        self._collection = collection

    def count(self) -> int:
        return self._collection.count()

    def hashes(self) -> dict[str, str]:
        """Chunk id → content hash of every stored vector (to re-embed only what changed)."""
        found: dict[str, str] = {}
        for offset in range(0, self.count(), _BATCH):
            page = self._collection.get(include=["metadatas"], limit=_BATCH, offset=offset)
            found.update({i: str(m.get("content_hash", "")) for i, m in zip(page["ids"], page["metadatas"])})
        return found

    def upsert(self, chunks: Sequence[IndexedChunk], vectors: np.ndarray) -> None:
        for start in range(0, len(chunks), _BATCH):
            part = chunks[start : start + _BATCH]
            self._collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=vectors[start : start + _BATCH],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )

    def vectors_for(self, chunks: Sequence[IndexedChunk]) -> dict[str, np.ndarray]:
        """Content hash → stored vector, for those of ``chunks`` stored here with the same text."""
        wanted = {c.chunk_id: c.content_hash for c in chunks}
        found: dict[str, np.ndarray] = {}
        ids = list(wanted)
        for start in range(0, len(ids), _BATCH):
            page = self._collection.get(ids=ids[start : start + _BATCH], include=["embeddings", "metadatas"])
            for chunk_id, vector, meta in zip(page["ids"], page["embeddings"], page["metadatas"]):
                if (meta or {}).get("content_hash") == wanted[chunk_id]:
                    found[wanted[chunk_id]] = np.asarray(vector, dtype=np.float32)
        return found

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), _BATCH):
            self._collection.delete(ids=ids[start : start + _BATCH])

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk id, cosine similarity), best first (fewer when the store holds fewer)."""
        try:
            found = self._collection.query(query_embeddings=[vector], n_results=k, include=["distances"])
        except Exception as error:  # a Chroma server gone, or a collection deleted under a running server
            raise VectorStoreError(f"index vectoriel inaccessible ({error}) ; vérifiez le serveur Chroma "
                                   "ou relancez `cdt index build`") from error
        return [(i, 1.0 - float(d)) for i, d in zip(found["ids"][0], found["distances"][0])]


def open_vector_store(folder: Path, model: str, collection: str, chroma_url: str | None = None,
                      create: bool = False) -> ChromaVectorStore:
    """The collection in an embedded PersistentClient under ``folder``, or on a server when a URL is set.

    ``create`` is for builds only: readers never create nor change a collection.
    """
    try:
        client = _client(folder, chroma_url)
        if not create:
            return ChromaVectorStore(client.get_collection(collection, embedding_function=_RefuseToEmbed(model)), model)
        found = client.get_or_create_collection(collection, embedding_function=_RefuseToEmbed(model),
                                                configuration={"hnsw": {"space": "cosine"}}, metadata={"model": model})
        if (found.metadata or {}).get("model") != model:
            raise VectorStoreError(f"la collection Chroma {collection} contient les vecteurs d'un autre modèle "
                                   f"({(found.metadata or {}).get('model')}) : supprimez-la ou changez de modèle")
        return ChromaVectorStore(found, model)
    except VectorStoreError:
        raise
    except Exception as error:  # chromadb raises assorted errors for a damaged store or a dead server
        if chroma_url:
            raise VectorStoreError(
                f"serveur Chroma injoignable à {chroma_url} ou collection {collection} absente ({error}). "
                f"Démarrez-le (`chroma run --path DOSSIER --host HÔTE --port PORT`) puis relancez `cdt index build`, "
                f"ou retirez CDT_CHROMA_URL pour l'index local."
            ) from error
        where = str(folder / "chroma")
        raise VectorStoreError(
            f"index vectoriel illisible ({where} : {error}). Reconstruisez-le avec `cdt index build`."
        ) from error


def delete_collection(collection: str, chroma_url: str) -> None:
    """Remove a retired generation's collection from a Chroma server (embedded ones go with their folder)."""
    _client(None, chroma_url).delete_collection(collection)


def _client(folder: Path | None, chroma_url: str | None) -> Any:
    import chromadb

    settings = chromadb.Settings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url)
        return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                   ssl=url.scheme == "https", settings=settings)
    assert folder is not None, "an embedded store needs its folder"
    return chromadb.PersistentClient(path=str(folder / "chroma"), settings=settings)
