"""Index lifecycle: build (incrementally), record what was built, and open it for searching.

The manifest records the corpus (source and consolidation date), the chunking version and the
model; opening an index built for anything else is refused with the command that fixes it.
Vectors are reused whenever a chunk's text is unchanged — from the store itself, or from the
vectors shipped with the repository — so after `cdt corpus update` only changed chunks are
embedded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from corpus.errors import CorpusError
from corpus.store import ArticleStore
from indexing.chunks import CHUNKING_VERSION, Chunk, corpus_chunks
from indexing.embedder import Embedder, EmbeddingUnavailable, load_embedder, model_name
from indexing.lexical import LexicalIndex
from indexing.search import Searcher
from indexing.settings import IndexSettings
from indexing.shipped_vectors import load_shipped
from indexing.vector_store import ChromaVectorStore, VectorStoreError, open_vector_store

MANIFEST = "manifest.json"
FORMAT = "cdt-index/1"
_EMBED_BATCH = 64


class IndexUnavailable(CorpusError):
    """No usable index: missing, half-built, or built for another corpus or model."""


@dataclass
class BuildReport:
    chunks: int
    dense: bool
    embedded: int = 0
    reused_shipped: int = 0
    reused_stored: int = 0
    deleted: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        dense = (
            f"vecteurs : {self.reused_stored} déjà en place, {self.reused_shipped} repris des vecteurs livrés, "
            f"{self.embedded} calculés, {self.deleted} supprimés"
            if self.dense else "index vectoriel non construit (recherche lexicale seule)"
        )
        return "\n".join([f"Index construit en {self.seconds:.1f} s : {self.chunks} segments ; {dense}.", *self.warnings])


def build_index(store: ArticleStore, settings: IndexSettings, only: str | None = None,
                progress: bool = True, embedder: Embedder | None = None) -> BuildReport:
    """(Re)build the lexical index and bring the vector store up to date with the corpus."""
    started = time.perf_counter()
    chunks = corpus_chunks(store.in_force, only)
    if not chunks:
        raise CorpusError(f"aucun article en vigueur ne commence par « {only} » : rien à indexer")
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    _write_manifest(settings.index_dir, {"format": FORMAT, "state": "building"})
    LexicalIndex.build(chunks).save(settings.index_dir / "lexical")
    report = BuildReport(len(chunks), dense=False)
    if embedder is None:
        try:
            embedder = load_embedder(settings)
        except EmbeddingUnavailable as error:
            report.warnings.append(f"Attention : {error}. L'assistant fonctionnera en recherche lexicale seule.")
    if embedder is not None:
        _update_vectors(chunks, embedder, open_vector_store(settings.index_dir, embedder.name, settings.chroma_url),
                        report, progress)
        report.dense = True
    report.seconds = time.perf_counter() - started
    _write_manifest(settings.index_dir, {
        "format": FORMAT, "state": "complete",
        "corpus_source": store.source, "consolidation_date": _iso(store.consolidation_date),
        "chunking_version": CHUNKING_VERSION, "only": only, "chunks": len(chunks),
        "model": embedder.name if embedder else None,
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    })
    return report


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise IndexUnavailable(f"{index_dir / MANIFEST} illisible ({error}) : relancez `cdt index build`") from error


def check_index(store: ArticleStore, settings: IndexSettings) -> dict[str, Any]:
    """The manifest of a complete index built for this corpus; IndexUnavailable naming the fix otherwise."""
    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        raise IndexUnavailable(f"aucun index dans {settings.index_dir} : construisez-le avec `cdt index build`")
    if manifest.get("state") != "complete":
        raise IndexUnavailable(f"l'index de {settings.index_dir} est incomplet (construction interrompue) : relancez `cdt index build`")
    expected = {"corpus_source": store.source, "consolidation_date": _iso(store.consolidation_date),
                "chunking_version": CHUNKING_VERSION}
    stale = [f"{key} {manifest.get(key)} ≠ {value}" for key, value in expected.items() if manifest.get(key) != value]
    if stale:
        raise IndexUnavailable(f"l'index ne correspond plus au corpus ({'; '.join(stale)}) : relancez `cdt index build`")
    return manifest


def open_searcher(store: ArticleStore, settings: IndexSettings) -> tuple[Searcher, list[str]]:
    """A ready Searcher and the warnings to show (dense search unavailable → lexical only)."""
    manifest = check_index(store, settings)
    lexical = LexicalIndex.load(settings.index_dir / "lexical")
    warnings: list[str] = []
    dense = None
    if manifest.get("model") is None:
        warnings.append("index construit sans modèle d'embeddings : recherche lexicale seule (`cdt models fetch` puis `cdt index build`)")
    elif manifest["model"] != model_name(settings):
        warnings.append(f"l'index a été construit avec {manifest['model']}, le modèle configuré est {model_name(settings)} : "
                        "recherche lexicale seule jusqu'à `cdt index build`")
    else:
        try:
            dense = DenseSearch(load_embedder(settings), open_vector_store(settings.index_dir, manifest["model"], settings.chroma_url))
        except (EmbeddingUnavailable, VectorStoreError) as error:
            warnings.append(f"recherche lexicale seule : {error}")
    return Searcher(store, lexical, dense), warnings


@dataclass
class DenseSearch:
    embedder: Embedder
    vectors: ChromaVectorStore

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        return self.vectors.query(self.embedder.embed_query(query), k)


def _update_vectors(chunks: list[Chunk], embedder: Embedder, vectors: ChromaVectorStore,
                    report: BuildReport, progress: bool) -> None:
    stored = vectors.hashes()
    wanted = {c.chunk_id for c in chunks}
    stale = [i for i in stored if i not in wanted]
    vectors.delete(stale)
    report.deleted = len(stale)
    missing = [c for c in chunks if stored.get(c.chunk_id) != c.content_hash]
    report.reused_stored = len(chunks) - len(missing)
    shipped = load_shipped(embedder.name)
    from_shipped = [(c, shipped.get(c.content_hash)) for c in missing] if shipped else []
    ready = [(c, v) for c, v in from_shipped if v is not None]
    if ready:
        vectors.upsert([c for c, _ in ready], np.stack([v for _, v in ready]))
    report.reused_shipped = len(ready)
    done = {c.chunk_id for c, _ in ready}
    to_embed = [c for c in missing if c.chunk_id not in done]
    bar = tqdm(total=len(to_embed), desc="Calcul des vecteurs", unit="segment", disable=not progress or not to_embed,
               file=sys.stderr)
    for start in range(0, len(to_embed), _EMBED_BATCH):
        batch = to_embed[start : start + _EMBED_BATCH]
        vectors.upsert(batch, embedder.embed_documents([c.text for c in batch]))
        bar.update(len(batch))
    bar.close()
    report.embedded = len(to_embed)


def _write_manifest(index_dir: Path, manifest: dict[str, Any]) -> None:
    staged = index_dir / (MANIFEST + ".tmp")
    staged.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(staged, index_dir / MANIFEST)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
