"""Sentence embeddings through sentence-transformers, from a local folder unless told otherwise.

Nothing is downloaded at run time by default: the model comes from the folder `cdt models fetch`
fills (EmbeddingGemma-300M), from any local folder named in CDT_EMBEDDING_MODEL, or — only with
CDT_ALLOW_MODEL_HUB=1 — from a model hub. Queries and documents use the model's own prompts
(`encode_query` / `encode_document`); bfloat16 on CPU halves the time with the same ranking
(docs/BENCHMARKS.md). Questions and documents of the default model go through its verified ONNX
graph when `cdt models fetch` could export one (indexing/onnx_encoder.py).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
from tqdm import tqdm

from corpus.errors import CorpusError
from indexing.model_fetch import WEIGHTS_SHA256, is_installed, weights_stamp
from indexing.onnx_encoder import OnnxEncoder, is_exported
from indexing.settings import DEFAULT_MODEL_NAME, IndexSettings


class EmbeddingUnavailable(CorpusError):
    """No embedding model can be loaded; the message says how to get one."""


@dataclass
class Embedder:
    """Embeds through the verified ONNX graph when there is one, else the sentence-transformers model.

    The PyTorch model is loaded on first need only: a process whose texts all go through the ONNX
    graph never holds it (half the memory, docs/BENCHMARKS.md).
    """

    name: str  # recorded in the index manifest: vectors of different models never mix
    load_model: Callable[[], Any]  # → sentence_transformers.SentenceTransformer
    onnx: OnnxEncoder | None = None
    _model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = self.load_model()
        return self._model

    @property
    def runtime(self) -> str:
        return "onnxruntime" if self.onnx else "pytorch"

    def embed_documents(self, texts: list[str], batch_size: int = 16, progress: bool = False) -> np.ndarray:
        if self.onnx:
            onnx = self.onnx
            return np.stack([onnx.embed_document(t) for t in tqdm(texts, disable=not progress, unit="texte")]) \
                if texts else np.zeros((0, 0), dtype=np.float32)
        vectors = self.model.encode_document(texts, batch_size=batch_size, convert_to_numpy=True,
                                             normalize_embeddings=True, show_progress_bar=progress)
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        if self.onnx:
            return self.onnx.embed_query(text)
        vector = self.model.encode_query(text, convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(vector, dtype=np.float32)


def model_name(settings: IndexSettings) -> str:
    """Identity of the configured model, without loading it."""
    path = Path(settings.embedding_model)
    if path.name == DEFAULT_MODEL_NAME and path.parent == settings.models_dir:
        return f"google/embeddinggemma-300m@{WEIGHTS_SHA256[:12]}"
    return settings.embedding_model


def load_embedder(settings: IndexSettings) -> Embedder:
    """Load the configured model; raise EmbeddingUnavailable with the fix when it cannot be."""
    source = settings.embedding_model
    path = Path(source).expanduser()
    is_default = path.name == DEFAULT_MODEL_NAME and path.parent == settings.models_dir
    if is_default and not is_installed(path):
        raise EmbeddingUnavailable(
            f"modèle d'embeddings absent ou non vérifié dans {path} : lancez `cdt models fetch` "
            "(ou `make run`), ou indiquez un dossier local dans CDT_EMBEDDING_MODEL"
        )
    looks_like_path = path.is_absolute() or source.startswith(".") or path.exists()
    if looks_like_path and not path.is_dir():
        raise EmbeddingUnavailable(f"CDT_EMBEDDING_MODEL désigne {path}, qui n'est pas un dossier de modèle")
    if not settings.allow_model_hub:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a hub unless asked to
    location = str(path) if looks_like_path else source
    if is_default and settings.embedding_runtime == "onnx" and is_exported(path, weights_stamp(path)):
        try:
            return Embedder(model_name(settings), lambda: _load_model(location, settings), OnnxEncoder(path))
        except ImportError as error:  # onnxruntime not installed: PyTorch still answers, only slower
            warnings.warn(f"{_missing_library(error)} ; en attendant, questions et documents encodés par PyTorch", stacklevel=2)
        except Exception as error:  # a damaged graph or runtime: PyTorch still answers, only slower
            warnings.warn(f"graphe ONNX inutilisable ({error}) : questions et documents encodés par PyTorch ; "
                          "`cdt models fetch` le réexporte", stacklevel=2)
    return Embedder(model_name(settings), lambda: _load_model(location, settings), None, _load_model(location, settings))


def _missing_library(error: ImportError) -> str:
    """The fix for a Python package of the model that is not installed (a partial or broken environment)."""
    return f"bibliothèque manquante ({error.name}) : installez le projet avec `pip install -e .` (ou `make run`)"


def _load_model(location: str, settings: IndexSettings) -> Any:
    """The sentence-transformers model, in the configured dtype; EmbeddingUnavailable with the fix."""
    try:
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise EmbeddingUnavailable(_missing_library(error)) from error
    transformers.utils.logging.disable_progress_bar()  # no weight-loading bar in the CLI output
    transformers.utils.logging.set_verbosity_error()
    try:
        model = SentenceTransformer(location, device="cpu", local_files_only=not settings.allow_model_hub)
    except Exception as error:  # sentence-transformers raises many kinds for a bad folder or id
        hint = "" if settings.allow_model_hub else " (les modèles distants demandent CDT_ALLOW_MODEL_HUB=1)"
        raise EmbeddingUnavailable(f"impossible de charger le modèle {location} : {error}{hint}") from error
    if settings.embedding_dtype == "bfloat16":
        model = model.to(torch.bfloat16)
    torch.set_num_threads(os.cpu_count() or 1)
    return model
