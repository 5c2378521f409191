"""Retrieval benchmark: Hit@5, Recall@10, MRR@10 for lexical-only, dense-only and hybrid search.

Usage: python bench/retrieval.py [--questions bench/questions.jsonl] [--index-dir DIR]
Builds a full index of the active corpus into DIR (default: a temporary folder) with
`cdt index build` in a child process (its time and peak memory are the build's), then, in this
process as a server would, runs every question of the evaluation set through lexical-only,
dense-only and hybrid search, a few lexical weights and rerank depths, and reciprocal-rank
fusion as a baseline.
Weights are compared on the odd-numbered questions; the even-numbered ones played no part in the
choice. Prints one table, the query latencies of a warm process and the peak memory.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus.store import load_store
from indexing.index import open_searcher, read_manifest
from indexing.search import CANDIDATES, LEXICAL_WEIGHT, RERANK_DEPTH, Searcher
from indexing.settings import IndexSettings

LEXICAL_WEIGHTS = [0.01, 0.02, 0.03, 0.05, 0.1]
RRF_WEIGHTINGS = [(1.0, 1.0), (0.35, 0.65), (0.15, 0.85)]


def rrf(lexical: list[str], dense: list[str], weights: tuple[float, float], k: int = 60) -> list[str]:
    """Baseline: weighted reciprocal-rank fusion of two article rankings."""
    scores: dict[str, float] = {}
    for ranking, weight in ((lexical, weights[0]), (dense, weights[1])):
        for rank, article in enumerate(ranking, start=1):
            scores[article] = scores.get(article, 0.0) + weight / (k + rank)
    return sorted(scores, key=lambda a: -scores[a])


def metrics(rankings: list[list[str]], golds: list[list[str]]) -> dict[str, float]:
    hit5 = statistics.mean(any(g in r[:5] for g in gold) for r, gold in zip(rankings, golds))
    recall10 = statistics.mean(len(set(gold) & set(r[:10])) / len(gold) for r, gold in zip(rankings, golds))
    mrr10 = statistics.mean(
        next((1 / rank for rank, a in enumerate(r[:10], start=1) if a in gold), 0.0) for r, gold in zip(rankings, golds)
    )
    return {"Hit@5": hit5, "Recall@10": recall10, "MRR@10": mrr10}


def run(searcher: Searcher, questions: list[dict], k: int = 10) -> tuple[list[list[str]], list[float]]:
    rankings, latencies = [], []
    for item in questions:
        started = time.perf_counter()
        hits = searcher.search(item["question"], k=k).hits
        latencies.append((time.perf_counter() - started) * 1000)
        rankings.append([h.article for h in hits])
    return rankings, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=Path(__file__).with_name("questions.jsonl"))
    parser.add_argument("--index-dir", type=Path)
    args = parser.parse_args()
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    golds = [q["gold"] for q in questions]
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="cdt-bench-"))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ui.cli", "index", "build", "--quiet"], check=True,
                   env={**os.environ, "CDT_INDEX_DIR": str(index_dir)})
    build_s = time.perf_counter() - started
    build_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    store = load_store()
    settings = dataclasses.replace(IndexSettings.from_env(), index_dir=index_dir)
    hybrid, warnings = open_searcher(store, settings)
    if warnings or hybrid.dense is None:
        raise SystemExit(f"dense search unavailable: {warnings}")
    hybrid.search("échauffement")  # load everything once: latencies are for a warm process

    lexical, dense = Searcher(store, hybrid.lexical, None), Searcher(store, hybrid.lexical, hybrid.dense, 0.0)
    rankings = {"lexical-only": run(lexical, questions, 50), "dense-only": run(dense, questions, 50),
                f"hybrid {LEXICAL_WEIGHT} top {RERANK_DEPTH} (default)": run(hybrid, questions)}
    rankings |= {
        f"hybrid {w} top {depth}": run(Searcher(store, hybrid.lexical, hybrid.dense, w, depth), questions)
        for depth in (RERANK_DEPTH, CANDIDATES) for w in LEXICAL_WEIGHTS
    }
    rankings |= {
        f"RRF {w[0]}/{w[1]} (baseline)": ([rrf(lex, den, w) for lex, den in zip(rankings["lexical-only"][0], rankings["dense-only"][0])], [])
        for w in RRF_WEIGHTINGS
    }
    odd = [i for i, q in enumerate(questions) if int(q["id"][1:]) % 2 == 1]
    even = [i for i in range(len(questions)) if i not in odd]

    print(f"{len(questions)} questions ({sum(q['livre_v'] for q in questions)} on the Cinquième partie)")
    chunks = read_manifest(index_dir)["chunks"]
    print(f"index build (cdt index build, child process): {chunks} chunks, {build_s:.1f} s, peak RSS {build_rss:.0f} MB")
    print(f"{'mode':<34} {'subset':<16} {'Hit@5':>6} {'R@10':>6} {'MRR@10':>7}")
    for name, (ranked, _) in rankings.items():
        for subset, rows in (("all", range(len(questions))), ("odd (tuning)", odd), ("even (held out)", even)):
            values = metrics([ranked[i] for i in rows], [golds[i] for i in rows])
            print(f"{name:<34} {subset:<16} {values['Hit@5']:>6.3f} {values['Recall@10']:>6.3f} {values['MRR@10']:>7.3f}")
    latencies = sorted(rankings[f"hybrid {LEXICAL_WEIGHT} top {RERANK_DEPTH} (default)"][1])
    p95 = latencies[max(0, round(len(latencies) * 0.95) - 1)]
    print(f"hybrid search latency (warm, k=10, query embedding included): p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms")
    print(f"peak RSS of this serving process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
