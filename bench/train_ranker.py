"""Train the answer's article selection (assistant/selection.py) on the tuning sets, and choose its bar.

Usage: python bench/train_ranker.py [--write] [--plain] [--k K] [--sheet-queries]   (needs `cdt index build`)

Tuning sets only: bench/questions.jsonl and bench/ranker_questions.jsonl, and with --sheet-queries
the "tune" split of bench/sheet_queries.jsonl (whose gold articles are those the sheets cite).
Every question goes through the chain up to retrieval; each retrieved article is a row: its
features and its products (assistant/selection.py; --plain: the features only), labelled by
whether it is a gold article. A logistic regression (scikit-learn, used here only: the product
computes the same dot product) is fitted, its regularisation chosen by grouped cross-validation on
the share of questions whose most relevant article is gold. Then the quote bar, on the
cross-validated probabilities (what a question the model was not trained on gets): the bar with
the best balance of « quotes a gold article » (an answer that misses the rule is wrong) and «
share of quoted articles that are gold » (an answer padded with neighbours hides it), their
harmonic mean; the table also shows how often the articles linked under « Voir aussi » (relevance
≥ the bar / 2, not quoted) are gold. With --write, the model and its bar go to assistant/ranker.json.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from answer_quality import TUNING_FILES, read_rows, tuning_rows  # bench/answer_quality.py, beside this script
from assistant.chain import Assistant, chain_input, load_assistant
from assistant.question_kind import asks_for_list
from assistant.selection import FEATURES, HEADING_DIMS, MAX_QUOTED, MAX_QUOTED_LIST, RANKER_FILE, describe
from indexing.alineas import ALINEA_DIMS

C_VALUES = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
BARS = [round(0.05 * i, 2) for i in range(1, 20)]


def tuning_questions(with_sheets: bool) -> list[tuple[str, set[str]]]:
    questions = [(r["question"], set(r["gold"])) for r in tuning_rows()]
    if with_sheets:
        questions += [(r["query"], set(r["gold"])) for r in read_rows("sheet_queries.jsonl") if r["split"] == "tune"]
    return questions


def rows_of(assistant: Assistant, question: str, gold: set[str], plain: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """One row per retrieved article: its features, then (unless ``plain``) its products; its label."""
    state = assistant.prepare.invoke(chain_input(question))
    if state.plan is None or state.plan.abstained or state.search is None:
        return None
    candidates = describe(question, state.search.hits, assistant.store, state.search.query_vector,
                          assistant.searcher.alineas, assistant.sheet_citations)
    rows = [c.features if plain else np.concatenate([c.features, c.products]) for c in candidates]
    return np.array(rows), np.array([c.key in gold for c in candidates], dtype=int)


def first_gold(groups: list[tuple[np.ndarray, np.ndarray]], scores: list[np.ndarray]) -> float:
    return float(np.mean([labels[int(np.argmax(s))] for (_, labels), s in zip(groups, scores)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sheet-queries", action="store_true", help="also train on the sheets' tuning queries")
    parser.add_argument("--plain", action="store_true", help="the features only, without the learnt similarity")
    parser.add_argument("--write", action="store_true", help=f"write the model to {RANKER_FILE}")
    parser.add_argument("--k", type=int, help="articles retrieved per question (default: the chain's)")
    args = parser.parse_args()
    assistant, warnings = load_assistant()
    assistant.k = args.k or assistant.k
    if warnings:
        print("warnings:", *warnings)
    questions = tuning_questions(args.sheet_queries)
    data = [(q, rows_of(assistant, q, gold, args.plain)) for q, gold in questions]
    data = [(q, r) for q, r in data if r is not None]
    groups = [r for _, r in data]
    print(f"{len(groups)} tuning questions answered, {sum(len(y) for _, y in groups)} candidates, "
          f"{sum(int(y.any()) for _, y in groups)} with a gold candidate")
    print(f"retrieval order, first gold: {first_gold(groups, [-np.arange(len(y)) for _, y in groups]):.1%}")
    best_c, best, best_scores = C_VALUES[0], -1.0, []
    for c in C_VALUES:
        scores = _cross_validated(groups, c)
        value = first_gold(groups, scores)
        print(f"C={c}: cross-validated first gold {value:.1%}")
        if value > best:
            best_c, best, best_scores = c, value, scores
    model = _fit(groups, best_c)
    lists = [asks_for_list(q) for q, _ in data]
    bar = _choose_bar(groups, best_scores, lists)
    if args.write:
        _write(model, bar, args.plain)
        print(f"written to {RANKER_FILE}")


def _write(model: LogisticRegression, bar: float, plain: bool) -> None:
    weights = model.coef_[0]
    products = np.zeros(ALINEA_DIMS + HEADING_DIMS) if plain else weights[len(FEATURES):]
    RANKER_FILE.write_text(json.dumps({
        "trained_by": "bench/train_ranker.py" + (" --plain" if plain else ""),
        "trained_on": [f"bench/{name}" for name in TUNING_FILES],
        "features": list(FEATURES),
        "weights": [round(float(w), 4) for w in weights[:len(FEATURES)]],
        "bias": round(float(model.intercept_[0]), 4),
        "quote_bar": bar,
        "alinea_weights": [round(float(w), 4) for w in products[:ALINEA_DIMS]],
        "heading_weights": [round(float(w), 4) for w in products[ALINEA_DIMS:]],
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _cross_validated(groups: list[tuple[np.ndarray, np.ndarray]], c: float) -> list[np.ndarray]:
    """Each question's probabilities from a model trained on the other folds (5, grouped by question)."""
    index = np.arange(len(groups))
    scores: list[np.ndarray] = [np.zeros(0)] * len(groups)
    for train, test in GroupKFold(n_splits=5).split(index, groups=index):
        model = _fit([groups[i] for i in train], c)
        for i in test:
            scores[i] = model.predict_proba(groups[i][0])[:, 1]
    return scores


def _fit(groups: list[tuple[np.ndarray, np.ndarray]], c: float) -> LogisticRegression:
    x = np.concatenate([x for x, _ in groups])
    y = np.concatenate([y for _, y in groups])
    return LogisticRegression(C=c, max_iter=5000).fit(x, y)


def _choose_bar(groups: list[tuple[np.ndarray, np.ndarray]], probabilities: list[np.ndarray], lists: list[bool]) -> float:
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
    chosen = max(BARS, key=lambda b: _harmonic(results[b][0], results[b][2]))
    print(f"quote bar {chosen} (best harmonic mean of « cites gold » and « gold share »: "
          f"{_harmonic(results[chosen][0], results[chosen][2]):.1%})")
    return chosen


def _harmonic(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


if __name__ == "__main__":
    main()
