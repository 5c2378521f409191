"""Embeddings through ONNX Runtime: the same model, faster for questions and for long documents.

A question is some thirty tokens; PyTorch spends about half of its 120 ms on per-operator
overhead, which is what pushed search past its 150 ms target. ONNX Runtime runs the same float32
graph in about 75 ms and maps the weights from disk instead of loading the whole model
(docs/BENCHMARKS.md). Documents go through it too, one at a time: on chunks of about 1,700
characters (conventions collectives) PyTorch in bfloat16 embedded 903 characters/s and the graph
1,601, with exactly the float32 model's vectors (« Documents through ONNX Runtime » in
docs/BENCHMARKS.md). The graph is exported here, locally, from the verified weights (`cdt models
fetch` does it once; nothing is downloaded), and it is accepted only if it reproduces the PyTorch
embeddings of probe texts, as questions and as documents, the longest included.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from corpus.errors import CorpusError

# ONNX Runtime 1.29+ sends usage telemetry from Linux too unless told not to before it starts; nothing
# leaves this product's machine, so it is told here, on import, before any session exists.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

GRAPH_FOLDER = "onnx-query"  # its name since it served questions only: installed graphs keep it
VERIFIED_MARK = ".verified"
MAX_TOKENS = 2048  # the model's own limit; questions are cut at 2,000 characters before this
MIN_AGREEMENT = 0.999  # lowest cosine accepted between the graph's and PyTorch's embedding of a probe
CHECKS = 2  # what the verified mark vouches for: 1 = questions, 2 = questions and documents
PROBES = [
    "OETH",
    "Quel est le délai de préavis d'un salarié licencié après trois ans d'ancienneté ?",
    "Nous avons 120 salariés et employons 4 travailleurs handicapés. Sommes-nous en règle ? "
    "Que risquons-nous si la contribution n'est pas versée à l'Urssaf avant la date prévue ?",
    "Article L. 5212-2 : obligation d'emploi des travailleurs handicapés, mutilés de guerre et assimilés, "
    * 24,  # about 700 tokens: beyond the model's 512-token attention window
]


class GraphError(CorpusError):
    """The graph could not be exported or does not reproduce the model."""


def graph_dir(model_dir: Path) -> Path:
    return model_dir / GRAPH_FOLDER


def is_exported(model_dir: Path, weights_stamp: str) -> bool:
    """True when a graph was verified, as questions and as documents, for exactly these weights (the
    stamp of their check); a graph checked as questions only is exported again."""
    mark = graph_dir(model_dir) / VERIFIED_MARK
    if not mark.is_file():
        return False
    verified = json.loads(mark.read_text())
    return verified.get("weights") == weights_stamp and verified.get("checks") == CHECKS


class OnnxEncoder:
    """Tokenizer of the model folder + the exported graph; one text at a time (no padding to pay for)."""

    def __init__(self, model_dir: Path, folder: Path | None = None) -> None:
        import onnxruntime
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        settings = json.loads((model_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
        self.prompts: dict[str, str] = settings["prompts"]  # « query », « document »: the model's own
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.log_severity_level = 3  # errors only
        graph = (folder or graph_dir(model_dir)) / "model.onnx"
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed(self.prompts["query"] + text)

    def embed_document(self, text: str) -> np.ndarray:
        return self._embed(self.prompts["document"] + text)

    def _embed(self, text: str) -> np.ndarray:
        features = self.tokenizer([text], return_tensors="np", truncation=True, max_length=MAX_TOKENS)
        inputs = {name: features[name].astype(np.int64) for name in ("input_ids", "attention_mask")}
        vector = self.session.run(None, inputs)[0][0].astype(np.float32)
        return vector / np.linalg.norm(vector)


def export_graph(model_dir: Path, weights_stamp: str) -> float:
    """Export, check against PyTorch, install atomically; returns the lowest probe agreement."""
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.disable_progress_bar()
    logging.getLogger("torch.onnx").setLevel(logging.ERROR)  # the exporter's progress lines
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)  # float32: the reference
    with tempfile.TemporaryDirectory(prefix=".export-", dir=model_dir) as work:
        staged = Path(work) / GRAPH_FOLDER
        staged.mkdir()
        features = model.tokenizer([model.prompts["query"] + PROBES[1]], return_tensors="pt")
        tokens = torch.export.Dim("tokens", min=2, max=MAX_TOKENS)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the exporter's deprecation notes are not the user's concern
                torch.onnx.export(
                    _as_module(model), (features["input_ids"], features["attention_mask"]),
                    str(staged / "model.onnx"), input_names=["input_ids", "attention_mask"],
                    output_names=["sentence_embedding"], dynamo=True, external_data=True, verbose=False,
                    dynamic_shapes={"input_ids": {1: tokens}, "attention_mask": {1: tokens}},
                )  # fmt: skip
        except Exception as error:  # the exporter raises many kinds; any of them means "no graph"
            raise GraphError(f"export ONNX de l'encodeur impossible : {error}") from error
        questions = model.encode_query(PROBES, convert_to_numpy=True, normalize_embeddings=True)
        documents = model.encode_document(PROBES, convert_to_numpy=True, normalize_embeddings=True)
        encoder = OnnxEncoder(model_dir, staged)
        agreement = min([float(np.dot(encoder.embed_query(p), e)) for p, e in zip(PROBES, questions)]
                        + [float(np.dot(encoder.embed_document(p), e)) for p, e in zip(PROBES, documents)])
        if agreement < MIN_AGREEMENT:
            raise GraphError(
                f"le graphe ONNX exporté s'écarte du modèle (cosinus {agreement:.4f} < {MIN_AGREEMENT}) : "
                "questions et documents seront encodés par PyTorch"
            )
        (staged / VERIFIED_MARK).write_text(json.dumps({"weights": weights_stamp, "agreement": agreement,
                                                        "checks": CHECKS}))
        if graph_dir(model_dir).exists():
            shutil.rmtree(graph_dir(model_dir))
        os.replace(staged, graph_dir(model_dir))
    return agreement


def _as_module(model: Any) -> Any:
    """The whole sentence-transformers pipeline (transformer, pooling, dense layers) as one module."""
    import torch

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.model({"input_ids": input_ids, "attention_mask": attention_mask})["sentence_embedding"]

    return SentenceEmbedding().eval()
