"""bfloat16 versus float32 for EmbeddingGemma on this CPU: speed and ranking agreement.

Usage: python bench/dtype.py [--chunks 64]
Encodes a sample of chunks and the evaluation questions with each dtype, then compares, for
each question, the top 5 of the sample ranked by the two sets of vectors.
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
from indexing.embedder import load_embedder
from indexing.settings import IndexSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=64)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in Path(__file__).with_name("questions.jsonl").read_text().splitlines()]
    chunks = corpus_chunks(load_store().in_force)[:: max(1, 12_000 // args.chunks)][: args.chunks]
    texts = [c.text for c in chunks]
    tops = {}
    for dtype in ("float32", "bfloat16"):
        embedder = load_embedder(dataclasses.replace(IndexSettings.from_env(), embedding_dtype=dtype))
        started = time.perf_counter()
        documents = embedder.embed_documents(texts)
        doc_rate = len(texts) / (time.perf_counter() - started)
        started = time.perf_counter()
        queries = np.stack([embedder.embed_query(q) for q in questions])
        query_ms = (time.perf_counter() - started) * 1000 / len(questions)
        tops[dtype] = np.argsort(-(queries @ documents.T), axis=1)[:, :5]
        print(f"{dtype}: {doc_rate:.1f} chunks/s, {query_ms:.0f} ms per query")
    same_first = np.mean(tops["float32"][:, 0] == tops["bfloat16"][:, 0])
    overlap = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(tops["float32"], tops["bfloat16"])])
    print(f"same first result: {same_first:.1%}; top-5 overlap: {overlap:.1%} ({len(questions)} questions, {len(texts)} chunks)")


if __name__ == "__main__":
    main()
