"""Assistant benchmark: abstention threshold calibration, abstention and answer rates, gold citations.

Usage: python bench/answers.py   (the index must be built: `cdt index build`)

1. Calibration of the score threshold that decides abstention when the scope model is off (another
   embedding model, a lexical-only index; assistant/scope.py ABSTAIN_BELOW): every question of
   bench/questions.jsonl (143, all in scope) and the odd-numbered out-of-scope questions of
   bench/scope_questions.jsonl go through the chain up to retrieval; for each threshold on the best
   article's score, the rates of wrongly abstained in-scope questions and of abstained out-of-scope
   ones are printed, and the threshold that maximises their balance (answered in-scope + abstained
   out-of-scope) is proposed. The scope model's own figures: bench/train_scope.py.
2. Evaluation with the product's decision (rules, scope model) on the scope set
   (in-scope and out-of-scope, the even-numbered out-of-scope ones held out of calibration): full
   answers; abstention rates, the share of in-scope answers citing at least one gold article, and
   a check of every citation (in force, quotation verbatim). The same on bench/questions.jsonl, the
   set on which the composer's settings were chosen (the articles quoted: bench/train_ranker.py).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.chain import Assistant, chain_input, load_assistant
from assistant.citations import is_verbatim
from assistant.scope import ABSTAIN_BELOW, Gate, decide
from indexing.search import Hit

BENCH = Path(__file__).parent
THRESHOLDS = [round(0.30 + 0.01 * i, 2) for i in range(41)]


def _read(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (BENCH / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _signals(assistant: Assistant, question: str) -> tuple[Gate, list[Hit], bool, np.ndarray | None]:
    """What the abstention decision looks at: the gate, the hits, whether a calculator read facts, the
    question's vector (for the scope model)."""
    state = assistant.prepare.invoke(chain_input(question))
    extraction = state.resolved.extraction if state.resolved else None
    assert state.gate is not None
    search = state.search
    return (state.gate, search.hits if search else [], bool(extraction and extraction.inputs),
            search.query_vector if search else None)


def _abstains(signals: tuple[Gate, list[Hit], bool, np.ndarray | None], threshold: float) -> bool:
    return decide(*signals, model=None, threshold=threshold).abstained


def main() -> None:
    assistant, warnings = load_assistant()
    if warnings:
        print("warnings:", *warnings)
    retrieval_set, scope_set = _read("questions.jsonl"), _read("scope_questions.jsonl")
    out_calibration = [q for q in scope_set if q["scope"] == "out" and int(q["id"][1:]) % 2 == 1]
    inside = [_signals(assistant, q["question"]) for q in retrieval_set]
    outside = [_signals(assistant, q["question"]) for q in out_calibration]
    print(f"calibration: {len(inside)} in-scope (bench/questions.jsonl), {len(outside)} out-of-scope (odd ids)")
    print(f"{'threshold':>9} {'in abstained':>13} {'out abstained':>14}")
    best = max(THRESHOLDS, key=lambda t: (sum(not _abstains(s, t) for s in inside) / len(inside)
                                          + sum(_abstains(s, t) for s in outside) / len(outside), -t))
    for threshold in sorted({*THRESHOLDS[::2], best, ABSTAIN_BELOW}):
        wrong = sum(_abstains(s, threshold) for s in inside) / len(inside)
        right = sum(_abstains(s, threshold) for s in outside) / len(outside)
        print(f"{threshold:>9.2f} {wrong:>13.1%} {right:>14.1%}")
    print(f"proposed threshold: {best:.2f} (configured: {ABSTAIN_BELOW:.2f})")
    _evaluate(assistant, scope_set, "bench/scope_questions.jsonl")
    _evaluate(assistant, [{**q, "scope": "in"} for q in retrieval_set], "bench/questions.jsonl (tuning set)")


def _evaluate(assistant: Assistant, scope_set: list[dict[str, Any]], label: str) -> None:
    results = {"in": [], "out": [], "out held out": []}
    problems: list[str] = []
    latencies: list[float] = []
    for item in scope_set:
        started = time.perf_counter()
        answer, _ = assistant.ask(item["question"])
        latencies.append((time.perf_counter() - started) * 1000)
        for citation in answer.citations:
            article = assistant.store.get(citation.article)
            if not article.in_force or (citation.quote and not is_verbatim(citation.quote, article.text)):
                problems.append(f"{item['id']} {citation.article}")
        cited = {c.article for c in answer.citations}
        record = {"abstained": answer.abstained, "gold": bool(cited & set(item["gold"]))}
        results[item["scope"]].append(record)
        if item["scope"] == "out" and int(item["id"][1:]) % 2 == 0:
            results["out held out"].append(record)
    answered_in = [r for r in results["in"] if not r["abstained"]]
    print(f"\nevaluation on {label} with threshold {ABSTAIN_BELOW:.2f}:")
    print(f"in-scope: {len(results['in'])} questions, wrongly abstained "
          f"{sum(r['abstained'] for r in results['in']) / len(results['in']):.1%}; "
          f"answer cites a gold article: {sum(r['gold'] for r in results['in']) / len(results['in']):.1%} "
          f"of all, {sum(r['gold'] for r in answered_in) / max(1, len(answered_in)):.1%} of those answered")
    for name in ("out", "out held out"):
        rows = results[name]
        if not rows:
            continue
        print(f"{name}: {len(rows)} questions, abstained {sum(r['abstained'] for r in rows) / len(rows):.1%}")
    print(f"citations not in force or not verbatim: {len(problems)} {problems[:10]}")
    latencies.sort()
    print(f"answer latency (offline, warm): p50 {statistics.median(latencies):.0f} ms, "
          f"p95 {latencies[max(0, round(len(latencies) * 0.95) - 1)]:.0f} ms")


if __name__ == "__main__":
    main()
