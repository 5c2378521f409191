"""The ONNX encoder: used only when verified for these weights, equal to PyTorch for questions and
documents, safe when damaged."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from indexing.embedder import load_embedder
from indexing.model_fetch import is_installed, weights_stamp
from indexing.onnx_encoder import CHECKS, GRAPH_FOLDER, VERIFIED_MARK, is_exported
from indexing.settings import DEFAULT_MODEL_NAME, IndexSettings
from tests.conftest import MODELS_DIR

MODEL = MODELS_DIR / DEFAULT_MODEL_NAME
pytestmark = pytest.mark.skipif(
    not (is_installed(MODEL) and is_exported(MODEL, weights_stamp(MODEL))),
    reason="run `cdt models fetch` first (make test does): it fetches the model and exports the graph",
)
QUESTION = "Quelle indemnité est due au salarié licencié après huit ans d'ancienneté ?"


def _settings(models_dir: Path, runtime: str) -> IndexSettings:
    return dataclasses.replace(IndexSettings.from_env(), models_dir=models_dir,
                               embedding_model=str(models_dir / DEFAULT_MODEL_NAME), embedding_runtime=runtime)


def test_questions_go_through_onnx_and_agree_with_pytorch() -> None:
    onnx = load_embedder(_settings(MODELS_DIR, "onnx"))
    torch = load_embedder(_settings(MODELS_DIR, "pytorch"))
    assert (onnx.runtime, torch.runtime) == ("onnxruntime", "pytorch")
    assert onnx._model is None  # the PyTorch model is not loaded to answer questions
    agreement = float(np.dot(onnx.embed_query(QUESTION), torch.embed_query(QUESTION)))
    assert agreement > 0.995  # PyTorch runs in bfloat16 here, the graph in float32


def test_documents_go_through_onnx_one_at_a_time_and_agree_with_pytorch() -> None:
    """Long documents (a convention's articles) were 1.8 times as fast through the graph (docs/BENCHMARKS.md)."""
    texts = ["Texte de base\nArticle 4\nLa période d'essai des cadres est de quatre mois. " * 12, "Préavis : un mois."]
    onnx = load_embedder(_settings(MODELS_DIR, "onnx"))
    vectors = onnx.embed_documents(texts)
    assert onnx._model is None and vectors.shape == (2, 768)
    reference = load_embedder(_settings(MODELS_DIR, "pytorch")).embed_documents(texts)
    assert np.sum(vectors * reference, axis=1).min() > 0.995
    assert onnx.embed_documents([]).shape[0] == 0


def _copy_model(tmp_path: Path) -> Path:
    """A models folder whose model files are links to the real ones (no 1 GB copy)."""
    target = tmp_path / "models" / DEFAULT_MODEL_NAME
    target.mkdir(parents=True)
    for item in MODEL.iterdir():
        if item.name != GRAPH_FOLDER:
            (target / item.name).symlink_to(item)
    (target / GRAPH_FOLDER).mkdir()
    return target


def test_a_graph_verified_for_other_weights_is_not_used(tmp_path: Path) -> None:
    copy = _copy_model(tmp_path)
    for item in (MODEL / GRAPH_FOLDER).iterdir():
        (copy / GRAPH_FOLDER / item.name).symlink_to(item)
    (copy / GRAPH_FOLDER / VERIFIED_MARK).unlink()
    (copy / GRAPH_FOLDER / VERIFIED_MARK).write_text(json.dumps({"weights": "other weights", "agreement": 1.0,
                                                                "checks": CHECKS}))
    assert load_embedder(_settings(copy.parent, "onnx")).runtime == "pytorch"
    # a graph checked as questions only (before documents went through it) is not used either
    (copy / GRAPH_FOLDER / VERIFIED_MARK).write_text(json.dumps({"weights": weights_stamp(copy), "agreement": 1.0}))
    assert load_embedder(_settings(copy.parent, "onnx")).runtime == "pytorch"


def test_a_damaged_graph_falls_back_to_pytorch_with_a_warning(tmp_path: Path) -> None:
    copy = _copy_model(tmp_path)
    (copy / GRAPH_FOLDER / "model.onnx").write_bytes(b"not an onnx graph")
    (copy / GRAPH_FOLDER / VERIFIED_MARK).write_text(json.dumps({"weights": weights_stamp(copy), "agreement": 1.0,
                                                                "checks": CHECKS}))
    with pytest.warns(UserWarning, match="cdt models fetch"):
        embedder = load_embedder(_settings(copy.parent, "onnx"))
    assert embedder.runtime == "pytorch"
    assert embedder.embed_query(QUESTION).shape == (768,)


def test_onnx_runtime_is_told_to_send_no_telemetry_before_it_starts() -> None:
    """ONNX Runtime 1.29+ phones home from Linux unless ORT_DISABLE_TELEMETRY=1 is set before it starts."""
    code = ("import os; os.environ.pop('ORT_DISABLE_TELEMETRY', None); import ui.cli, onnxruntime; "
            "print(os.environ.get('ORT_DISABLE_TELEMETRY'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "1"
