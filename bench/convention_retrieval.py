"""Retrieval within a chosen convention collective: does the article that states the rule come first, or
in the first five? BM25 alone against the hybrid search, on bench/convention_questions.jsonl.

Usage: python bench/convention_retrieval.py [--split tune|heldout|all] [--sweep]   (no index needed: the conventions'
indexes are built in memory; the question vectors come from the default embedding model)

Gold articles match by their stable id (cid), so a new version of an article still counts. The hybrid
rows use only the conventions whose vectors are shipped (scripts/build_vectors.py conventions); the
table says how many questions that is. Latency: the convention search alone, after the question's
vector is computed (the code's search computes it anyway), p50 and p95 over the questions; and the time
to build each convention's BM25 index when it is first chosen. With --index-dir (an index of the code),
also the whole search of a question with a convention chosen, as the chain runs it: the code's hybrid
search (the question embedded) then the convention's, with the question's vector. With --sweep, the
hybrid figures under every fusion setting of SWEEP, from which indexing/convention_search.py's were
chosen on the tune part.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from answer_quality import read_rows  # bench/answer_quality.py, beside this script
from corpus.store import load_store
from indexing.index import open_searcher
from corpus.conventions import load_convention, read_index
from indexing.convention_search import ConventionSearcher, load_convention_vectors
from indexing.embedder import load_embedder, model_name
from indexing.settings import IndexSettings

K = 5
SWEEP = [(weight, depth, bonus) for weight in (0.02, 0.1, 0.2, 0.3, 0.4) for depth in (5, 20, 50)
         for bonus in (0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15)]


@dataclass
class Ranked:
    """The gold's rank in one search (None: not in the first K), and the search's milliseconds."""

    rank: int | None
    ms: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "heldout", "all"), default="all")
    parser.add_argument("--sweep", action="store_true", help="also the hybrid search under other fusion settings "
                        "(lexical weight × rerank depth × base-text bonus), to choose them on the tune part")
    parser.add_argument("--index-dir", type=Path, help="an index of the code (`cdt index build`): also time the "
                        "whole search of a question with a convention chosen, code then convention")
    arguments = parser.parse_args()
    split = arguments.split
    rows = [r for r in read_rows("convention_questions.jsonl") if split in ("all", r["split"])]
    settings = IndexSettings.from_env()
    embedder = load_embedder(settings)
    conventions = {c.idcc: c for c in read_index() if c.has_text}
    results: dict[str, list[Ranked]] = {"BM25": [], "hybrid": [], "BM25 (same questions)": []}
    code = open_searcher(load_store(), dataclasses.replace(settings, index_dir=arguments.index_dir))[0] \
        if arguments.index_dir else None
    both: list[float] = []  # ms: the code's search (question embedded) then the convention's, as the chain does
    builds: list[tuple[float, int]] = []  # (seconds to build a convention's BM25 index, IDCC)
    sweep: dict[tuple[float, int, float], list[Ranked]] = {setting: [] for setting in SWEEP} if arguments.sweep else {}
    for idcc in sorted({r["idcc"] for r in rows}):
        convention = load_convention(conventions[idcc])
        vectors = load_convention_vectors(convention, model_name(settings))
        started = time.perf_counter()
        lexical = ConventionSearcher(convention)
        builds.append((time.perf_counter() - started, idcc))
        hybrid = ConventionSearcher(convention, vectors)
        defaults = hybrid.lexical_weight, hybrid.rerank_depth, hybrid.base_bonus
        for row in (r for r in rows if r["idcc"] == idcc):
            vector = embedder.embed_query(row["question"])
            results["BM25"].append(_ranked(lexical, row, None))
            if vectors is not None:
                results["hybrid"].append(_ranked(hybrid, row, vector))
                results["BM25 (same questions)"].append(results["BM25"][-1])
                for (weight, depth, bonus), ranked in sweep.items():
                    hybrid.lexical_weight, hybrid.rerank_depth, hybrid.base_bonus = weight, depth, bonus
                    ranked.append(_ranked(hybrid, row, vector))
                hybrid.lexical_weight, hybrid.rerank_depth, hybrid.base_bonus = defaults
            if code is not None:
                started = time.perf_counter()
                found = code.search(row["question"], 10)
                hybrid.search(row["question"], K, found.query_vector)
                both.append((time.perf_counter() - started) * 1000)
    print(f"{len(rows)} questions ({split}), {len({r['idcc'] for r in rows})} conventions; BM25 index built in "
          f"{sum(s for s, _ in builds):.1f} s in all, at most {max(builds)[0]:.2f} s (IDCC {max(builds)[1]})")
    print(f"| search | n | Hit@1 | Hit@{K} | MRR@{K} | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, ranked in results.items():
        if ranked:
            print(f"| {name} | {len(ranked)} | " + " | ".join(_figures(ranked)) + " |")
    if sweep:
        print(f"\n| hybrid: lexical weight, rerank depth, base-text bonus | n | Hit@1 | Hit@{K} | MRR@{K} |")
        print("|---|---|---|---|---|")
        for (weight, depth, bonus), ranked in sweep.items():
            print(f"| {weight}, {depth}, {bonus} | {len(ranked)} | " + " | ".join(_figures(ranked)[:3]) + " |")
    if both:
        both.sort()
        print(f"\nWhole search with a convention chosen (code, k=10, question embedded, then the convention), warm: "
              f"p50 {statistics.median(both):.0f} ms, p95 {both[min(len(both) - 1, int(0.95 * len(both)))]:.0f} ms "
              f"({len(both)} questions)")


def _ranked(searcher: ConventionSearcher, row: dict, vector: np.ndarray | None) -> Ranked:
    started = time.perf_counter()
    hits = searcher.search(row["question"], K, vector)
    ms = (time.perf_counter() - started) * 1000
    gold = set(row["gold_cid"])
    rank = next((i for i, hit in enumerate(hits, 1) if hit.article.cid in gold), None)
    return Ranked(rank, ms)


def _figures(ranked: list[Ranked]) -> list[str]:
    n = len(ranked)
    times = sorted(r.ms for r in ranked)
    return [f"{sum(r.rank == 1 for r in ranked) / n:.3f}", f"{sum(r.rank is not None for r in ranked) / n:.3f}",
            f"{sum(1 / r.rank for r in ranked if r.rank) / n:.3f}", f"{statistics.median(times):.1f}",
            f"{times[min(n - 1, int(0.95 * n))]:.1f}"]


if __name__ == "__main__":
    main()
