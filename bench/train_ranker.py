"""Train the answer's article selection (assistant/selection.py) on the tuning sets, and choose its bars.

Usage: python bench/train_ranker.py [--sheet-queries]   (the index must be built: `cdt index build`)

Tuning sets only: bench/questions.jsonl, and with --sheet-queries the "tune" split of
bench/sheet_queries.jsonl (whose gold articles are those the sheets cite, so that the « sheets »
feature is told the answer there: docs/BENCHMARKS.md compares both trainings on held-out sets). Every
question goes through the chain up to retrieval; each retrieved article is a row (its features,
label: is it a gold article). A logistic regression (scikit-learn, used here only: the product
computes the same dot product) is fitted, its regularisation chosen by grouped cross-validation
on the share of questions whose most relevant article is gold. Then QUOTE_BAR: the bar maximising
« first quoted article gold » + « share of quoted articles that are gold » among those that keep
« quotes a gold article » within 3 points of the lowest bar's; the table also shows how often the
articles linked under « Voir aussi » (relevance ≥ QUOTE_BAR / 2, not quoted) are gold. Paste the
printed constants into assistant/selection.py.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from assistant.chain import Assistant, chain_input, load_assistant
from assistant.question_kind import asks_for_list
from assistant.selection import FEATURES, MAX_QUOTED, MAX_QUOTED_LIST, describe

BENCH = Path(__file__).parent
C_VALUES = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BARS = [round(0.05 * i, 2) for i in range(1, 20)]


def tuning_questions(with_sheets: bool) -> list[tuple[str, set[str]]]:
    rows = [json.loads(line) for line in (BENCH / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line]
    questions = [(r["question"], set(r["gold"])) for r in rows]
    sheets = BENCH / "sheet_queries.jsonl"
    if with_sheets:
        rows = [json.loads(line) for line in sheets.read_text(encoding="utf-8").splitlines() if line]
        questions += [(r["query"], set(r["gold"])) for r in rows if r["split"] == "tune"]
    return questions


def rows_of(assistant: Assistant, question: str, gold: set[str]) -> tuple[np.ndarray, np.ndarray] | None:
    state = assistant.prepare.invoke(chain_input(question))
    if state.plan is None or state.plan.abstained or state.search is None:
        return None
    candidates = describe(question, state.search.hits, assistant.store, state.search.query_vector,
                          assistant.searcher.alineas, assistant.sheet_citations)
    return np.array([c.features for c in candidates]), np.array([c.key in gold for c in candidates], dtype=int)


def first_gold(groups: list[tuple[np.ndarray, np.ndarray]], scores: list[np.ndarray]) -> float:
    return float(np.mean([labels[int(np.argmax(s))] for (_, labels), s in zip(groups, scores)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sheet-queries", action="store_true", help="also train on the sheets' tuning queries")
    with_sheets = parser.parse_args().sheet_queries
    assistant, warnings = load_assistant()
    if warnings:
        print("warnings:", *warnings)
    questions = tuning_questions(with_sheets)
    data = [(q, rows_of(assistant, q, gold)) for q, gold in questions]
    data = [(q, r) for q, r in data if r is not None]
    groups = [r for _, r in data]
    print(f"{len(groups)} tuning questions answered, {sum(len(y) for _, y in groups)} candidates, "
          f"{sum(int(y.any()) for _, y in groups)} with a gold candidate")
    print(f"retrieval order, first gold: {first_gold(groups, [-np.arange(len(y)) for _, y in groups]):.1%}")
    best_c, best = C_VALUES[0], -1.0
    for c in C_VALUES:
        folds = GroupKFold(n_splits=5)
        index = np.arange(len(groups))
        scores: list[np.ndarray] = [np.zeros(0)] * len(groups)
        for train, test in folds.split(index, groups=index):
            model = _fit([groups[i] for i in train], c)
            for i in test:
                scores[i] = model.decision_function(groups[i][0])
        value = first_gold(groups, scores)
        print(f"C={c}: cross-validated first gold {value:.1%}")
        if value > best:
            best_c, best = c, value
    model = _fit(groups, best_c)
    weights = tuple(round(float(w), 3) for w in model.coef_[0])
    print(f"FEATURES = {FEATURES}\nWEIGHTS = {weights}\nBIAS = {round(float(model.intercept_[0]), 3)}")
    probabilities = [model.predict_proba(x)[:, 1] for x, _ in groups]
    lists = [asks_for_list(q) for q, _ in data]
    _choose_bars(groups, probabilities, lists)


def _fit(groups: list[tuple[np.ndarray, np.ndarray]], c: float) -> LogisticRegression:
    x = np.concatenate([x for x, _ in groups])
    y = np.concatenate([y for _, y in groups])
    return LogisticRegression(C=c, max_iter=2000).fit(x, y)


def _choose_bars(groups: list[tuple[np.ndarray, np.ndarray]], probabilities: list[np.ndarray], lists: list[bool]) -> None:
    print(f"{'bar':>5} {'cites gold':>10} {'first gold':>10} {'gold share':>10} {'articles':>8} {'see also gold':>13}")
    results = {}
    for bar in BARS:
        cites, first, share, count, linked, linked_gold = [], [], [], [], 0, 0
        for (_, labels), p, is_list in zip(groups, probabilities, lists):
            order = np.argsort(-p)
            limit = MAX_QUOTED_LIST if is_list else MAX_QUOTED
            quoted = [i for i in order if p[i] >= bar][:limit] or [int(order[0])]
            cites.append(labels[quoted].any())
            first.append(labels[quoted[0]])
            share.append(labels[quoted].mean())
            count.append(len(quoted))
            others = [i for i in order if i not in quoted and p[i] >= bar / 2][:3]
            linked += len(others)
            linked_gold += int(labels[others].sum()) if others else 0
        results[bar] = (np.mean(cites), np.mean(first), np.mean(share))
        print(f"{bar:>5.2f} {np.mean(cites):>10.1%} {np.mean(first):>10.1%} {np.mean(share):>10.1%} "
              f"{np.mean(count):>8.2f} {linked_gold / max(1, linked):>13.1%}")
    floor = max(r[0] for r in results.values()) - 0.03
    chosen = max((b for b in BARS if results[b][0] >= floor), key=lambda b: results[b][1] + results[b][2])
    print(f"QUOTE_BAR = {chosen}  (quotes a gold article within 3 points of the best bar's {floor + 0.03:.1%})")


if __name__ == "__main__":
    main()
