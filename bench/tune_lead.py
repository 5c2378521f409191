"""Choose the weights of the lead's sentence score (assistant/passages.py) on the tuning set.

Usage: python bench/tune_lead.py   (the index must be built: `cdt index build`)

The tuning sets (bench/questions.jsonl, bench/ranker_questions.jsonl) give, for each question, the
span of a gold article that answers it. Each
question goes once through the chain up to the article selection; then, for every combination of
weights in the grid, the lead is chosen again from the same articles and counted as answering when
it contains two thirds of the span's words (bench/answer_quality.py's `contains_answer`). Prints
the best combinations; paste the chosen one into assistant/passages.py.
"""

from __future__ import annotations

import itertools

from assistant import composer, passages
from assistant.chain import chain_input, load_assistant
from answer_quality import contains_answer, tuning_rows  # bench/answer_quality.py, beside this script

GRID = {
    "WORDS_WEIGHT": (0.0, 0.05, 0.1, 0.2, 0.4),
    "KIND_WEIGHT": (0.0, 0.02, 0.04, 0.08),
    "LEAD_MARGIN": (0.0, 0.02, 0.04, 0.08),
}


def main() -> None:
    assistant, _ = load_assistant()
    states = []
    for row in tuning_rows():
        state = assistant.prepare.invoke(chain_input(row["question"]))
        if state.plan and state.plan.selection and state.plan.selection.quoted:
            states.append((row, state))
    print(f"{len(states)} tuning questions with a lead")
    configured = tuple(getattr(passages, name) for name in GRID)
    results = []
    for values in itertools.product(*GRID.values()):
        for name, value in zip(GRID, values):
            setattr(passages, name, value)
        leads = [composer.lead(row["question"], state.plan.selection) for row, state in states]
        answered = sum(contains_answer(found.markdown if found else None, row["answer"])
                       for found, (row, _) in zip(leads, states))
        lengths = sorted(len(found.markdown) for found in leads if found)
        results.append((answered / len(states), -lengths[len(lengths) // 2], values))
    print(" ".join(GRID), "| lead answers | median lead chars")
    for share, length, values in sorted(results, reverse=True)[:10]:
        print(values, f"| {share:.1%} | {-length}")
    share, length, _ = next(r for r in results if r[2] == configured)
    print(f"configured {configured} | {share:.1%} | {-length}")


if __name__ == "__main__":
    main()
