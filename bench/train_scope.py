"""Measure a learnt scope decision (issue 17): does a linear model on the question's vector tell work from
not work better than today's rules? A measurement only: the product does not use it yet.

Usage: python bench/train_scope.py   (needs `cdt index build`)

Data: bench/scope_natural_questions.jsonl, its « tune » part to fit, its « heldout » part (ids divisible
by 3, set aside before any tuning) to report; plus the in-scope questions of the tuning sets
(answer_quality.tuning_rows) as more « work » examples. Out-of-scope and named-convention questions are
« decline »; in-scope and mixed ones (answered from what the Code du travail covers) are « answer ».
Features: the question vector the search already computes (no extra embedding) and the best article
score. The decision declines when today's chain abstains or the model's probability reaches the bar; the
table gives the held-out share declined per class for each regularisation and bar, and today's figures.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from answer_quality import read_rows, tuning_rows  # bench/answer_quality.py, beside this script
from assistant.chain import Assistant, chain_input, load_assistant

CLASSES = ("out", "in", "mixed", "convention")
DECLINE = {"out", "convention"}
C_VALUES = (0.3, 1.0, 3.0, 10.0)
BARS = (0.3, 0.5, 0.7)
EXTRA_IN = 300  # in-scope tuning questions added as « answer » examples


def features(assistant: Assistant, question: str) -> tuple[np.ndarray | None, bool]:
    """(question vector + best score, or None when a rule declined before any search; whether today's
    chain abstains)."""
    state = assistant.prepare.invoke(chain_input(question))
    abstained = state.plan is None or state.plan.abstained
    if state.search is None or state.search.query_vector is None:
        return None, abstained
    best = max((h.score for h in state.search.hits), default=0.0)
    return np.append(state.search.query_vector, best), abstained


def main() -> None:
    assistant, warnings = load_assistant()
    if warnings:
        print("warnings:", *warnings)
    labelled = [(r["question"], r["scope"], r["split"]) for r in read_rows("scope_natural_questions.jsonl")]
    labelled += [(r["question"], "in", "tune") for r in tuning_rows()[:EXTRA_IN]]
    found = [features(assistant, question) for question, _, _ in labelled]
    searched = np.array([vector is not None for vector, _ in found])
    dims = next(len(vector) for vector, _ in found if vector is not None)
    x = np.array([vector if vector is not None else np.zeros(dims) for vector, _ in found])
    y = np.array([scope in DECLINE for _, scope, _ in labelled], dtype=int)
    today = np.array([abstained for _, abstained in found])
    scopes = np.array([scope for _, scope, _ in labelled])
    tune = np.array([split == "tune" for _, _, split in labelled])
    held = ~tune
    print(f"{tune.sum()} tuning, {held.sum()} held-out questions ({(~searched[held]).sum()} of them declined by a "
          "rule before any search, counted as declined everywhere)")
    print("| C | bar | " + " | ".join(f"{c} declined" for c in CLASSES) + " |")
    print("|---|---|" + "---|" * len(CLASSES))
    for c in C_VALUES:
        model = LogisticRegression(C=c, max_iter=3000).fit(x[tune & searched], y[tune & searched])
        probability = model.predict_proba(x[held])[:, 1]
        for bar in BARS:
            declined = (probability >= bar) | today[held]
            print(f"| {c} | {bar} | " + " | ".join(_share(declined, scopes[held], k) for k in CLASSES) + " |")
    print("| today | — | " + " | ".join(_share(today[held], scopes[held], k) for k in CLASSES) + " |")


def _share(declined: np.ndarray, scopes: np.ndarray, scope: str) -> str:
    chosen = scopes == scope
    return f"{declined[chosen].mean():.1%} ({chosen.sum()})"


if __name__ == "__main__":
    main()
