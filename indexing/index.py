"""Index lifecycle: build a new generation, publish it, and open the one in service for searching.

Each build writes a complete generation beside the one in service (indexing/generations.py) and
publishes it with one rename, so readers never see half an index and a killed build changes
nothing they read. Each generation's manifest records the corpus (source and consolidation date),
the chunking version and the model — opening an index built for anything else is refused with the
command that fixes it — and the slice (`--only`), which every search result from it then names, so
that a demo index never passes for the whole code. Vectors are reused whenever a chunk's text is
unchanged — from the generation in service, or from the vectors shipped with the repository — so
after `cdt corpus update` only changed chunks are embedded.

The ministry's practical sheets (corpus/sheets.py) are indexed in the same generation, in a BM25
index and a Chroma collection of their own (indexing/sheet_search.py searches them); the manifest
records their source and chunking version too, so an index built without them, or from other
sheets, is reported stale like one built for another corpus.

The Chroma collections are named after their content (model, chunking, every chunk's text hash): with
a Chroma server shared by several machines, the second machine to build the same corpus finds the
collection already filled and only writes its local files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from corpus.errors import CorpusError
from corpus.sheets import SheetSection, load_sheets, sheets_source
from corpus.store import ArticleStore
from indexing.chunks import CHUNKING_VERSION, IndexedChunk, corpus_chunks
from indexing.embedder import Embedder, EmbeddingUnavailable, load_embedder, model_name
from indexing.generations import (build_lock, build_running, generation_in_service, new_generation, publish,
                                  published, remove_folders, remove_legacy_layout, unpublished)
from indexing.lexical import LexicalIndex
from indexing.search import IndexSlice, Searcher
from indexing.settings import IndexSettings
from indexing.alineas import load_alinea_vectors
from indexing.sheet_chunks import SHEET_CHUNKING_VERSION, sheet_chunks
from indexing.sheet_search import SheetSearcher
from indexing.shipped_vectors import CHUNK_VECTORS, SHEET_VECTORS, ShippedVectors, load_shipped
from indexing.vector_store import ChromaVectorStore, VectorStoreError, delete_collection, open_vector_store

MANIFEST = "manifest.json"
FORMAT = "cdt-index/2"
SHEETS_LEXICAL = "sheets-lexical"  # the sheets' BM25 index, beside the code's "lexical"
_EMBED_BATCH = 64


class IndexUnavailable(CorpusError):
    """No usable index: missing, half-built, or built for another corpus or model."""


@dataclass
class VectorCounts:
    """How one Chroma collection was filled."""

    embedded: int = 0
    reused_shipped: int = 0
    reused_stored: int = 0
    deleted: int = 0

    def summary(self) -> str:
        return (f"vecteurs : {self.reused_stored} déjà en place, {self.reused_shipped} repris des vecteurs livrés, "
                f"{self.embedded} calculés, {self.deleted} supprimés")


@dataclass
class BuildReport(VectorCounts):
    """A build: its own counts are the code's collection's; the sheets' are apart."""

    chunks: int = 0
    dense: bool = False
    sheet_chunks: int = 0
    sheets: VectorCounts | None = None  # None: no sheets' vectors (no model, or no sheet in the slice)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        lexical_only = "index vectoriel non construit (recherche lexicale seule)"
        lines = [f"Index construit en {self.seconds:.1f} s : {self.chunks} segments ; "
                 f"{self.summary() if self.dense else lexical_only}."]
        if self.sheet_chunks:
            lines.append(f"Fiches pratiques du ministère : {self.sheet_chunks} segments ; "
                         f"{self.sheets.summary() if self.sheets else lexical_only}.")
        return "\n".join([*lines, *self.warnings])


def build_index(store: ArticleStore, settings: IndexSettings, only: str | None = None,
                progress: bool = True, embedder: Embedder | None = None) -> BuildReport:
    """Build a new generation of the index for the corpus and the ministry's sheets, then put it in
    service in one step. A slice (``only``) holds the sheets' sections that cite one of its articles."""
    started = time.perf_counter()
    chunks = corpus_chunks(store.in_force, only)
    if not chunks:
        raise CorpusError(f"aucun article en vigueur ne commence par « {only} » : rien à indexer")
    sheets = load_sheets()
    pieces = sheet_chunks(_sections_of_slice(sheets.sections, only))
    index_dir = settings.index_dir
    with build_lock(index_dir):
        report = BuildReport(chunks=len(chunks), sheet_chunks=len(pieces))
        leftovers = unpublished(index_dir)
        if leftovers:
            remove_folders(index_dir, [f.name for f in leftovers])
            report.warnings.append(f"Construction interrompue précédente nettoyée ({', '.join(f.name for f in leftovers)}).")
        in_service = _manifest_in_service(index_dir)
        folder = new_generation(index_dir)
        _write_manifest(folder, {"format": FORMAT, "state": "building", "pid": os.getpid()})
        LexicalIndex.build(chunks).save(folder / "lexical")
        if pieces:
            LexicalIndex.build(pieces).save(folder / SHEETS_LEXICAL)
        if embedder is None:
            try:
                embedder = load_embedder(settings)
            except EmbeddingUnavailable as error:
                report.warnings.append(f"Attention : {error}. L'assistant fonctionnera en recherche lexicale seule.")
        collection = sheets_collection = None
        if embedder is not None:
            filler = _CollectionFiller(in_service, settings, embedder, progress)
            collection = filler.fill(folder, chunks, CHUNKING_VERSION, CHUNK_VECTORS, "collection", report)
            report.dense = True
            if pieces:
                report.sheets = VectorCounts()
                sheets_collection = filler.fill(folder, pieces, SHEET_CHUNKING_VERSION, SHEET_VECTORS,
                                                "sheets_collection", report.sheets)
        report.seconds = time.perf_counter() - started
        _write_manifest(folder, {
            "format": FORMAT, "state": "complete", "generation": folder.name,
            "corpus_source": store.source, "consolidation_date": _iso(store.consolidation_date),
            "chunking_version": CHUNKING_VERSION, "only": only, "chunks": len(chunks),
            "model": embedder.name if embedder else None, "collection": collection,
            "sheets_source": sheets.source, "sheets_chunking_version": SHEET_CHUNKING_VERSION,
            "sheet_chunks": len(pieces), "sheets_collection": sheets_collection,
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        })
        _retire(index_dir, publish(index_dir, folder.name), settings.chroma_url)
        remove_legacy_layout(index_dir)
    return report


def collection_name(model: str, chunks: Sequence[IndexedChunk], chunking_version: str = CHUNKING_VERSION) -> str:
    """The same model and chunk texts always give the same name (shared Chroma servers reuse it)."""
    digest = hashlib.sha256(f"{model}\n{chunking_version}\n".encode())
    for chunk in sorted(chunks, key=lambda c: c.chunk_id):
        digest.update(f"{chunk.chunk_id}={chunk.content_hash}\n".encode())
    return f"cdt-{digest.hexdigest()[:24]}"


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The manifest of the generation in service (None before the first build)."""
    generation = generation_in_service(index_dir)
    if generation is None:
        return None
    path = index_dir / generation / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexUnavailable(f"{path} illisible ({error}) : relancez `cdt index build`") from error


def check_index(store: ArticleStore, settings: IndexSettings) -> dict[str, Any]:
    """The manifest of the generation in service, if built for this corpus; IndexUnavailable naming the fix otherwise."""
    manifest = read_manifest(settings.index_dir)
    note = build_note(settings.index_dir)
    if manifest is None:
        legacy = (settings.index_dir / MANIFEST).exists()
        what = "un index d'un format antérieur" if legacy else "aucun index"
        raise IndexUnavailable(f"{what} dans {settings.index_dir}{note} : construisez-le avec `cdt index build`")
    if manifest.get("state") != "complete" or manifest.get("format") != FORMAT:
        raise IndexUnavailable(f"l'index en service dans {settings.index_dir} est incomplet ou d'un autre format{note} : "
                               "relancez `cdt index build`")
    expected = {"corpus_source": store.source, "consolidation_date": _iso(store.consolidation_date),
                "chunking_version": CHUNKING_VERSION, "sheets_source": sheets_source(),
                "sheets_chunking_version": SHEET_CHUNKING_VERSION}
    stale = [f"{key} {manifest.get(key)} ≠ {value}" for key, value in expected.items() if manifest.get(key) != value]
    if stale:
        raise IndexUnavailable(f"l'index ne correspond plus au corpus ({'; '.join(stale)}){note} : relancez `cdt index build`")
    return manifest


def index_slice(manifest: dict[str, Any]) -> IndexSlice | None:
    """The slice an index was built for (`--only`), None for the whole code (manifests written before it say nothing)."""
    prefix = manifest.get("only")
    return IndexSlice(prefix, int(manifest.get("chunks") or 0)) if prefix else None


def build_note(index_dir: Path) -> str:
    """What a user should know about builds beside the generation in service: running, or killed midway."""
    if build_running(index_dir):
        return " (une construction est en cours : l'index actuel reste en service jusqu'à sa fin)"
    killed = unpublished(index_dir)
    if killed:
        return (f" (une construction a été interrompue avant la fin — {killed[-1].name} — ; l'index en service "
                "n'a pas été modifié)")
    return ""


def open_searcher(store: ArticleStore, settings: IndexSettings,
                  embedder: Embedder | None = None) -> tuple[Searcher, list[str]]:
    """A ready Searcher over the generation in service, and the warnings to show (dense unavailable → lexical only).

    ``embedder``: a model already loaded in this process (a server switching generations reuses it).
    """
    manifest = check_index(store, settings)
    folder = settings.index_dir / manifest["generation"]
    lexical = LexicalIndex.load(folder / "lexical")
    warnings: list[str] = []
    dense = None
    if manifest.get("model") is None:
        warnings.append("index construit sans modèle d'embeddings : recherche lexicale seule (`cdt models fetch` puis `cdt index build`)")
    elif manifest["model"] != model_name(settings):
        warnings.append(f"l'index a été construit avec {manifest['model']}, le modèle configuré est {model_name(settings)} : "
                        "recherche lexicale seule jusqu'à `cdt index build`")
    else:
        try:
            dense = DenseSearch(embedder or load_embedder(settings),
                                open_vector_store(folder, manifest["model"], manifest["collection"], settings.chroma_url))
        except (EmbeddingUnavailable, VectorStoreError) as error:
            warnings.append(f"recherche lexicale seule : {error}")
    searcher = Searcher(store, lexical, dense, generation=manifest["generation"], index_slice=index_slice(manifest),
                        alineas=load_alinea_vectors(manifest["model"]) if dense else None,
                        sheets=_open_sheets(folder, manifest, settings, dense is not None, warnings))
    return searcher, warnings


def _open_sheets(folder: Path, manifest: dict[str, Any], settings: IndexSettings, dense: bool,
                 warnings: list[str]) -> SheetSearcher | None:
    """The sheets' searcher of the generation (None for a slice no sheet cites); BM25 alone when the
    code's search is (its warning says why) or when their collection cannot be opened."""
    if not manifest.get("sheet_chunks"):
        return None
    sections = load_sheets().sections
    vectors = None
    if dense and manifest.get("sheets_collection"):
        try:
            vectors = open_vector_store(folder, manifest["model"], manifest["sheets_collection"], settings.chroma_url)
        except VectorStoreError as error:
            warnings.append(f"fiches pratiques en recherche lexicale seule : {error}")
    return SheetSearcher(list(sections), sheet_chunks(sections), LexicalIndex.load(folder / SHEETS_LEXICAL), vectors)


def _sections_of_slice(sections: Sequence[SheetSection], only: str | None) -> list[SheetSection]:
    """Every section for the whole code; for a slice, those citing one of its articles."""
    return [s for s in sections if not only or any(a.startswith(only) for a in s.articles)]


@dataclass
class DenseSearch:
    embedder: Embedder
    vectors: ChromaVectorStore

    def embed(self, query: str) -> np.ndarray:
        return self.embedder.embed_query(query)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        return self.vectors.query(vector, k)


@dataclass
class _CollectionFiller:
    """Fills the new generation's collections, from the vectors already known before embedding any:
    those shipped with the repository, and those of the generation in service (``manifest``)."""

    manifest: dict[str, Any] | None
    settings: IndexSettings
    embedder: Embedder
    progress: bool

    def fill(self, folder: Path, chunks: Sequence[IndexedChunk], chunking_version: str, shipped: Path,
             manifest_key: str, counts: VectorCounts) -> str:
        """Create and fill one collection of the new generation; its name (``manifest_key`` names it in manifests)."""
        name = collection_name(self.embedder.name, chunks, chunking_version)
        target = open_vector_store(folder, self.embedder.name, name, self.settings.chroma_url, create=True)
        previous = _previous_store(self.manifest, self.settings, self.embedder.name, manifest_key)
        _update_vectors(chunks, self.embedder, target, previous, load_shipped(self.embedder.name, shipped), counts,
                        self.progress)
        return name


def _update_vectors(chunks: Sequence[IndexedChunk], embedder: Embedder, vectors: ChromaVectorStore,
                    previous: ChromaVectorStore | None, shipped: ShippedVectors | None, counts: VectorCounts,
                    progress: bool) -> None:
    """Fill the new generation's collection: vectors already there (a shared server), then the shipped
    ones, then those of the generation in service; only the remaining chunks are embedded."""
    stored = vectors.hashes()
    wanted = {c.chunk_id for c in chunks}
    stale = [i for i in stored if i not in wanted]
    vectors.delete(stale)
    counts.deleted = len(stale)
    missing = [c for c in chunks if stored.get(c.chunk_id) != c.content_hash]
    counts.reused_stored = len(chunks) - len(missing)
    missing, counts.reused_shipped = _copy_known(missing, shipped or {}, vectors)
    if previous is not None and missing:
        missing, reused = _copy_known(missing, previous.vectors_for(missing), vectors)
        counts.reused_stored += reused
    bar = tqdm(total=len(missing), desc="Calcul des vecteurs", unit="segment", disable=not progress or not missing,
               file=sys.stderr)
    for start in range(0, len(missing), _EMBED_BATCH):
        batch = missing[start : start + _EMBED_BATCH]
        vectors.upsert(batch, embedder.embed_documents([c.text for c in batch]))
        bar.update(len(batch))
    bar.close()
    counts.embedded = len(missing)


def _copy_known(chunks: Sequence[IndexedChunk], known: ShippedVectors | dict[str, np.ndarray],
                vectors: ChromaVectorStore) -> tuple[list[IndexedChunk], int]:
    """Store the vectors ``known`` by content hash; return the chunks still without one and how many were stored."""
    found = [(c, known.get(c.content_hash)) for c in chunks]
    ready = [(c, v) for c, v in found if v is not None]
    if ready:
        vectors.upsert([c for c, _ in ready], np.stack([v for _, v in ready]))
    return [c for c, v in found if v is None], len(ready)


def _manifest_in_service(index_dir: Path) -> dict[str, Any] | None:
    """The complete manifest in service, or None (none yet, or unreadable: then nothing is reused from it)."""
    try:
        manifest = read_manifest(index_dir)
    except CorpusError:
        return None
    return manifest if manifest and manifest.get("state") == "complete" else None


def _previous_store(manifest: dict[str, Any] | None, settings: IndexSettings, model: str,
                    key: str) -> ChromaVectorStore | None:
    """The collection in service that ``key`` names, read-only, when it holds vectors of the same model
    (else nothing to reuse)."""
    if not manifest or manifest.get("model") != model or not manifest.get(key):
        return None
    try:
        return open_vector_store(settings.index_dir / manifest["generation"], model, manifest[key],
                                 settings.chroma_url)
    except VectorStoreError:
        return None


def _retire(index_dir: Path, generations: list[str], chroma_url: str | None) -> None:
    """Remove generations no longer kept, and on a Chroma server their collections no kept one still uses."""
    if chroma_url:
        kept = {name for g in _kept(index_dir) for name in _collections(_manifest_of(index_dir / g))}
        for generation in generations:
            for name in _collections(_manifest_of(index_dir / generation)) - kept:
                try:
                    delete_collection(name, chroma_url)
                except Exception:  # already gone, or the server is away: nothing is served from it anyway
                    pass
    remove_folders(index_dir, generations)


def _collections(manifest: dict[str, Any] | None) -> set[str]:
    """The Chroma collections a generation's manifest names: the code's and the sheets'."""
    return {manifest[key] for key in ("collection", "sheets_collection") if manifest and manifest.get(key)}


def _kept(index_dir: Path) -> list[str]:
    pointer = published(index_dir) or {}
    return [g for g in (pointer.get("generation"), pointer.get("previous")) if g]


def _manifest_of(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_manifest(index_dir: Path, manifest: dict[str, Any]) -> None:
    staged = index_dir / (MANIFEST + ".tmp")
    staged.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(staged, index_dir / MANIFEST)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
