"""Calibrate the ministry sheet card's bar (assistant/sheet_card.py SHEET_BAR).

Usage: python bench/calibrate_sheets.py   (the index must be built: `cdt index build`)

A card is relevant when its section cites one of the question's gold articles. On the tuning sets
(bench/questions.jsonl, bench/ranker_questions.jsonl) each question's best section citing an article
the answer quotes (the only ones a card may show) and its score are recorded; for each bar the
share of questions that get a card and the share of shown cards that are relevant are printed, and
the lowest bar whose cards are relevant at least PRECISION of the time is proposed. The held-out
sets are then reported with the configured bar, never used to choose it.
"""

from __future__ import annotations

from answer_quality import TUNING_FILES, read_rows, tuning_rows  # bench/answer_quality.py, beside this script
from assistant.chain import Assistant, chain_input, load_assistant
from assistant.sheet_card import SHEET_BAR, best_citing

PRECISION = 0.8
BARS = [round(0.50 + 0.01 * i, 2) for i in range(31)]


def best_sections(assistant: Assistant, rows: list[dict]) -> list[tuple[float, bool]]:
    """(score of the best section citing a quoted article, does it cite a gold article) for each
    question answered that has such a section."""
    found = []
    for row in rows:
        state = assistant.prepare.invoke(chain_input(row["question"]))
        if state.plan is None or state.plan.selection is None:
            continue
        hit = best_citing(state.sheets, [c.key for c in state.plan.selection.quoted])
        if hit is not None:
            found.append((hit.score, bool(set(hit.section.articles) & set(row["gold"]))))
    return found


def rates(found: list[tuple[float, bool]], bar: float) -> tuple[float, float]:
    shown = [relevant for score, relevant in found if score >= bar]
    return len(shown) / max(1, len(found)), sum(shown) / max(1, len(shown))


def main() -> None:
    assistant, warnings = load_assistant()
    if warnings:
        print("warnings:", *warnings)
    tuning = best_sections(assistant, tuning_rows())
    print(f"tuning: {len(tuning)} questions with a section citing a quoted article ({', '.join(TUNING_FILES)})")
    print(f"{'bar':>5} {'cards shown':>11} {'relevant':>9}")
    for bar in BARS:
        shown, relevant = rates(tuning, bar)
        print(f"{bar:>5.2f} {shown:>11.1%} {relevant:>9.1%}")
    proposed = next((b for b in BARS if rates(tuning, b)[1] >= PRECISION), BARS[-1])
    print(f"proposed SHEET_BAR: {proposed} (configured: {SHEET_BAR})")
    for name, keep in (("scope_questions.jsonl", lambda r: r["scope"] == "in"), ("heldout_questions.jsonl", lambda r: True)):
        shown, relevant = rates(best_sections(assistant, [r for r in read_rows(name) if keep(r)]), SHEET_BAR)
        print(f"held out, {name}: cards shown {shown:.1%}, relevant {relevant:.1%}")


if __name__ == "__main__":
    main()
