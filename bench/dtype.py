"""bfloat16 versus float32 for EmbeddingGemma on this CPU, and the ONNX graph: speed and agreement.

Usage: python bench/dtype.py [--chunks 64] [--sample code|long]
Encodes a sample of chunks (the code's, or `long`: the longest chunks of a convention collective,
about 1,600 characters) and the evaluation questions with each PyTorch dtype, then both with the
exported ONNX graph (`cdt models fetch` makes it), and compares, for each question, the top 5 of
the sample ranked by each set of vectors against float32 PyTorch.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np

from corpus.conventions import load_convention, read_index
from corpus.store import load_store
from indexing.chunks import corpus_chunks
from indexing.convention_chunks import convention_chunks
from indexing.embedder import Embedder, load_embedder
from indexing.settings import IndexSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=64)
    parser.add_argument("--sample", choices=("code", "long"), default="code")
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in Path(__file__).with_name("questions.jsonl").read_text().splitlines()]
    texts = _code_sample(args.chunks) if args.sample == "code" else _long_sample(args.chunks)
    print(f"{len(texts)} chunks, {sum(map(len, texts)) / len(texts):.0f} characters on average")
    tops, references = {}, {}
    for dtype in ("float32", "bfloat16"):
        embedder = load_embedder(dataclasses.replace(IndexSettings.from_env(), embedding_dtype=dtype,
                                                     embedding_runtime="pytorch"))
        started = time.perf_counter()
        references[dtype] = embedder.embed_documents(texts)
        doc_rate = _rate(texts, time.perf_counter() - started)
        queries, p50, p95 = _embed_questions(embedder, questions)
        tops[dtype] = np.argsort(-(queries @ references[dtype].T), axis=1)[:, :5]
        references[f"{dtype} queries"] = queries
        print(f"PyTorch {dtype}: {doc_rate}; questions p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    _compare("bfloat16", tops["float32"], tops["bfloat16"], len(texts))
    onnx = load_embedder(dataclasses.replace(IndexSettings.from_env(), embedding_runtime="onnx"))
    if onnx.runtime != "onnxruntime":
        print("ONNX question graph absent: run `cdt models fetch`")
        return
    queries, p50, p95 = _embed_questions(onnx, questions)
    cosines = np.sum(queries * references["float32 queries"], axis=1)
    print(f"ONNX Runtime float32 graph: questions p50 {p50:.0f} ms, p95 {p95:.0f} ms; cosine with PyTorch float32 "
          f"min {cosines.min():.4f}, mean {cosines.mean():.4f}")
    _compare("ONNX questions on bfloat16 documents", tops["float32"],
             np.argsort(-(queries @ references["bfloat16"].T), axis=1)[:, :5], len(texts))
    started = time.perf_counter()
    documents = onnx.embed_documents(texts)
    cosines = np.sum(documents * references["float32"], axis=1)
    print(f"ONNX Runtime float32 graph: documents {_rate(texts, time.perf_counter() - started)}; cosine with "
          f"PyTorch float32 min {cosines.min():.4f}, mean {cosines.mean():.4f}")
    _compare("ONNX questions on ONNX documents", tops["float32"],
             np.argsort(-(queries @ documents.T), axis=1)[:, :5], len(texts))


def _code_sample(count: int) -> list[str]:
    return [c.text for c in corpus_chunks(load_store().in_force)[:: max(1, 12_000 // count)][:count]]


def _long_sample(count: int) -> list[str]:
    """Every sixth of the 6 × count longest chunks of IDCC 3248, the longest convention: what the
    background embedding of the conventions spends most of its time on."""
    info = next(i for i in read_index() if i.idcc == 3248)
    chunks = sorted(convention_chunks(load_convention(info)), key=lambda c: len(c.text))
    return [c.text for c in chunks[-6 * count :: 6]]


def _rate(texts: list[str], seconds: float) -> str:
    return f"{len(texts) / seconds:.1f} chunks/s ({sum(map(len, texts)) / seconds:.0f} characters/s)"


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
