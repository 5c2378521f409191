"""Question embeddings through ONNX Runtime: the same model, about twice as fast per question.

A question is some thirty tokens; PyTorch spends about half of its 120 ms on per-operator
overhead, which is what pushed search past its 150 ms target. ONNX Runtime runs the same float32
graph in about 75 ms and maps the weights from disk instead of loading the whole model
(docs/BENCHMARKS.md). The graph is exported here, locally, from the verified weights
(`cdt models fetch` does it once; nothing is downloaded), and it is accepted only if it
reproduces the PyTorch question embeddings on probe questions, the longest included. Documents are
still embedded by PyTorch in bfloat16 (batches, where ONNX Runtime brings nothing).
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

GRAPH_FOLDER = "onnx-query"
VERIFIED_MARK = ".verified"
MAX_TOKENS = 2048  # the model's own limit; questions are cut at 2,000 characters before this
MIN_AGREEMENT = 0.999  # lowest cosine accepted between the graph's and PyTorch's embedding of a probe
PROBES = [
    "OETH",
    "Quel est le délai de préavis d'un salarié licencié après trois ans d'ancienneté ?",
    "Nous avons 120 salariés et employons 4 travailleurs handicapés. Sommes-nous en règle ? "
    "Que risquons-nous si la contribution n'est pas versée à l'Urssaf avant la date prévue ?",
    "Article L. 5212-2 : obligation d'emploi des travailleurs handicapés, mutilés de guerre et assimilés, "
    * 24,  # about 700 tokens: beyond the model's 512-token attention window
]


class QueryGraphError(CorpusError):
    """The question graph could not be exported or does not reproduce the model."""


def graph_dir(model_dir: Path) -> Path:
    return model_dir / GRAPH_FOLDER


def is_exported(model_dir: Path, weights_stamp: str) -> bool:
    """True when a verified graph exists for exactly these weights (the stamp of their check)."""
    mark = graph_dir(model_dir) / VERIFIED_MARK
    return mark.is_file() and json.loads(mark.read_text()).get("weights") == weights_stamp


class OnnxQueryEncoder:
    """Tokenizer of the model folder + the exported graph; one question at a time."""

    def __init__(self, model_dir: Path, folder: Path | None = None) -> None:
        import onnxruntime
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        settings = json.loads((model_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
        self.prompt: str = settings["prompts"]["query"]
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.log_severity_level = 3  # errors only
        graph = (folder or graph_dir(model_dir)) / "model.onnx"
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def embed(self, text: str) -> np.ndarray:
        features = self.tokenizer([self.prompt + text], return_tensors="np", truncation=True, max_length=MAX_TOKENS)
        inputs = {name: features[name].astype(np.int64) for name in ("input_ids", "attention_mask")}
        vector = self.session.run(None, inputs)[0][0].astype(np.float32)
        return vector / np.linalg.norm(vector)


def export_query_graph(model_dir: Path, weights_stamp: str) -> float:
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
            raise QueryGraphError(f"export ONNX de l'encodeur de questions impossible : {error}") from error
        expected = model.encode_query(PROBES, convert_to_numpy=True, normalize_embeddings=True)
        encoder = OnnxQueryEncoder(model_dir, staged)
        agreement = min(float(np.dot(encoder.embed(p), e)) for p, e in zip(PROBES, expected))
        if agreement < MIN_AGREEMENT:
            raise QueryGraphError(
                f"le graphe ONNX exporté s'écarte du modèle (cosinus {agreement:.4f} < {MIN_AGREEMENT}) : "
                "les questions seront encodées par PyTorch"
            )
        (staged / VERIFIED_MARK).write_text(json.dumps({"weights": weights_stamp, "agreement": agreement}))
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
