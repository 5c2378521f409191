"""bfloat16 versus float32 for EmbeddingGemma on this CPU, and the ONNX question encoder: speed and agreement.

Usage: python bench/dtype.py [--chunks 64]
Encodes a sample of chunks and the evaluation questions with each PyTorch dtype, then the
questions with the exported ONNX graph (`cdt models fetch` makes it), and compares, for each
question, the top 5 of the sample ranked by each set of vectors against float32 PyTorch.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np

from corpus.store import load_store
from indexing.chunks import corpus_chunks
from indexing.embedder import Embedder, load_embedder
from indexing.settings import IndexSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=64)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in Path(__file__).with_name("questions.jsonl").read_text().splitlines()]
    chunks = corpus_chunks(load_store().in_force)[:: max(1, 12_000 // args.chunks)][: args.chunks]
    texts = [c.text for c in chunks]
    tops, references = {}, {}
    for dtype in ("float32", "bfloat16"):
        embedder = load_embedder(dataclasses.replace(IndexSettings.from_env(), embedding_dtype=dtype,
                                                     query_runtime="pytorch"))
        started = time.perf_counter()
        references[dtype] = embedder.embed_documents(texts)
        doc_rate = len(texts) / (time.perf_counter() - started)
        queries, p50, p95 = _embed_questions(embedder, questions)
        tops[dtype] = np.argsort(-(queries @ references[dtype].T), axis=1)[:, :5]
        references[f"{dtype} queries"] = queries
        print(f"PyTorch {dtype}: {doc_rate:.1f} chunks/s; questions p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    _compare("bfloat16", tops["float32"], tops["bfloat16"], len(texts))
    onnx = load_embedder(dataclasses.replace(IndexSettings.from_env(), query_runtime="onnx"))
    if onnx.query_runtime != "onnxruntime":
        print("ONNX question graph absent: run `cdt models fetch`")
        return
    queries, p50, p95 = _embed_questions(onnx, questions)
    cosines = np.sum(queries * references["float32 queries"], axis=1)
    print(f"ONNX Runtime float32 graph: questions p50 {p50:.0f} ms, p95 {p95:.0f} ms; cosine with PyTorch float32 "
          f"min {cosines.min():.4f}, mean {cosines.mean():.4f}")
    _compare("ONNX questions on bfloat16 documents", tops["float32"],
             np.argsort(-(queries @ references["bfloat16"].T), axis=1)[:, :5], len(texts))


def _embed_questions(embedder: Embedder, questions: list[str]) -> tuple[np.ndarray, float, float]:
    """Question vectors and the p50 / p95 time of one question (after two warm-up questions)."""
    for question in questions[:2]:
        embedder.embed_query(question)
    vectors, times = [], []
    for question in questions:
        started = time.perf_counter()
        vectors.append(embedder.embed_query(question))
        times.append((time.perf_counter() - started) * 1000)
    return np.stack(vectors), float(np.percentile(times, 50)), float(np.percentile(times, 95))


def _compare(label: str, reference: np.ndarray, other: np.ndarray, chunks: int) -> None:
    same_first = np.mean(reference[:, 0] == other[:, 0])
    overlap = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(reference, other)])
    print(f"{label} against float32: same first result {same_first:.1%}; top-5 overlap {overlap:.1%} "
          f"({len(reference)} questions, {chunks} chunks)")


if __name__ == "__main__":
    main()
