"""Retrieval benchmark: Hit@5, Recall@10, MRR@10 for lexical-only, dense-only and hybrid search.

Usage: python bench/retrieval.py [--questions bench/questions.jsonl] [--index-dir DIR]
Builds a full index of the active corpus into DIR (default: a temporary folder; shipped vectors
make this quick), then runs every question of the evaluation set through each mode, plus a few
fusion weightings, and prints one table and the timing and memory figures. Weights are compared
on the odd-numbered questions and the chosen one is also reported on the even-numbered ones,
which played no part in the choice.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from corpus.store import load_store
from indexing.index import build_index, open_searcher
from indexing.search import DENSE_WEIGHT, LEXICAL_WEIGHT, Searcher
from indexing.settings import IndexSettings

WEIGHTINGS = [(1.0, 1.0), (0.5, 0.5), (0.35, 0.65), (0.25, 0.75), (0.15, 0.85)]


def metrics(rankings: list[list[str]], golds: list[list[str]]) -> dict[str, float]:
    hit5 = statistics.mean(any(g in r[:5] for g in gold) for r, gold in zip(rankings, golds))
    recall10 = statistics.mean(len(set(gold) & set(r[:10])) / len(gold) for r, gold in zip(rankings, golds))
    mrr10 = statistics.mean(
        next((1 / rank for rank, a in enumerate(r[:10], start=1) if a in gold), 0.0) for r, gold in zip(rankings, golds)
    )
    return {"Hit@5": hit5, "Recall@10": recall10, "MRR@10": mrr10}


def run(searcher: Searcher, questions: list[dict]) -> tuple[list[list[str]], list[float]]:
    rankings, latencies = [], []
    for item in questions:
        started = time.perf_counter()
        hits = searcher.search(item["question"], k=10).hits
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
    store = load_store()
    env = IndexSettings.from_env()
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="cdt-bench-"))
    settings = IndexSettings(index_dir, env.models_dir, env.embedding_model, env.embedding_dtype, env.allow_model_hub, env.chroma_url)

    started = time.perf_counter()
    report = build_index(store, settings, progress=False)
    build_s = time.perf_counter() - started
    hybrid, warnings = open_searcher(store, settings)
    if warnings or hybrid.dense is None:
        raise SystemExit(f"dense search unavailable: {warnings}")
    hybrid.search("échauffement")  # load everything once: latencies are for a warm process

    rows = {}
    modes = {
        "lexical-only": Searcher(store, hybrid.lexical, None),
        "dense-only": Searcher(store, hybrid.lexical, hybrid.dense, 0.0, 1.0),
        f"hybrid {LEXICAL_WEIGHT}/{DENSE_WEIGHT} (default)": hybrid,
    }
    modes |= {f"hybrid {w[0]}/{w[1]}": Searcher(store, hybrid.lexical, hybrid.dense, *w) for w in WEIGHTINGS}
    latencies_by_mode = {}
    for name, searcher in modes.items():
        rankings, latencies = run(searcher, questions)
        latencies_by_mode[name] = latencies
        odd = [i for i, q in enumerate(questions) if int(q["id"][1:]) % 2 == 1]
        even = [i for i in range(len(questions)) if i not in odd]
        rows[name] = {
            "all": metrics(rankings, golds),
            "odd (tuning)": metrics([rankings[i] for i in odd], [golds[i] for i in odd]),
            "even (held out)": metrics([rankings[i] for i in even], [golds[i] for i in even]),
        }

    print(f"{len(questions)} questions ({sum(q['livre_v'] for q in questions)} on the Cinquième partie)")
    print(f"index build: {build_s:.1f} s for {report.chunks} chunks ({report.reused_shipped} shipped vectors, "
          f"{report.embedded} embedded, {report.reused_stored} already stored)")
    print(f"{'mode':<32} {'subset':<16} {'Hit@5':>6} {'R@10':>6} {'MRR@10':>7}")
    for name, subsets in rows.items():
        for subset, values in subsets.items():
            print(f"{name:<32} {subset:<16} {values['Hit@5']:>6.3f} {values['Recall@10']:>6.3f} {values['MRR@10']:>7.3f}")
    for name in ("lexical-only", "dense-only", f"hybrid {LEXICAL_WEIGHT}/{DENSE_WEIGHT} (default)"):
        values = sorted(latencies_by_mode[name])
        p50, p95 = values[len(values) // 2], values[int(len(values) * 0.95) - 1]
        print(f"latency {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
