"""Answer quality: do answers cite the right articles, first, and nothing else, in few words?

Usage: python bench/answer_quality.py [--sets NAME…]   (the index must be built: `cdt index build`)

For each question set, every question goes through the whole chain (offline, extractive) and the
answer is compared with the set's gold articles (those that state the rule):
- wrongly abstained: in-scope questions declined;
- cites gold: answers citing at least one gold article (of the questions answered);
- first gold: answers whose first cited article is gold;
- gold share: per answer, the share of its cited articles that are gold (mean);
- median chars: the whole answer text, footer included;
- articles: cited articles per answer (mean);
- lead gold: answers whose « En bref » quotes a gold article;
- lead answers: where the set gives the span that answers the question, answers whose lead
  contains most of that span's words (the span is within one gold article);
- p95 ms: the whole chain's time per answer (warm, offline).
Which set tuned what is in docs/BENCHMARKS.md: bench/questions.jsonl, bench/ranker_questions.jsonl and
the "tune" split of bench/sheet_queries.jsonl are tuning sets; the scope set's in-scope questions,
bench/heldout_questions.jsonl and the "heldout" split of bench/sheet_queries.jsonl are never tuned on.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answer import Answer
from assistant.chain import Assistant, load_assistant
from indexing.lexical import tokenize

BENCH = Path(__file__).parent


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    gold: frozenset[str]
    answer: str | None = None  # the words that answer it, verbatim from a gold article


def read_rows(name: str) -> list[dict[str, Any]]:
    """The records of one of bench/'s JSON Lines sets (none when the file is absent)."""
    path = BENCH / name
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _read(name: str, keep: Callable[[dict[str, Any]], bool] = lambda q: True,
          text: str = "question") -> list[Question]:
    return [Question(r["id"], r[text], frozenset(r["gold"]), r.get("answer")) for r in read_rows(name) if keep(r)]


TUNING_FILES = ("questions.jsonl", "ranker_questions.jsonl")  # what the ranker, the lead and the sheet card are tuned on


def tuning_rows() -> list[dict[str, Any]]:
    """The questions of the tuning files (never the held-out ones)."""
    return [row for name in TUNING_FILES for row in read_rows(name)]


SETS: dict[str, Callable[[], list[Question]]] = {
    "questions (tune)": lambda: _read("questions.jsonl"),
    "ranker (tune)": lambda: _read("ranker_questions.jsonl"),
    "sheets (tune)": lambda: _read("sheet_queries.jsonl", lambda q: q["split"] == "tune", "query"),
    "scope in-scope (held out)": lambda: _read("scope_questions.jsonl", lambda q: q["scope"] == "in"),
    "heldout (held out)": lambda: _read("heldout_questions.jsonl"),
    "sheets (held out)": lambda: _read("sheet_queries.jsonl", lambda q: q["split"] == "heldout", "query"),
}


@dataclass(frozen=True)
class Scores:
    questions: int
    wrongly_abstained: float
    cites_gold: float
    first_gold: float
    gold_share: float
    median_chars: float
    articles: float
    lead_gold: float
    lead_answers: float | None
    p95_ms: float

    def row(self, name: str) -> str:
        spans = "–" if self.lead_answers is None else f"{self.lead_answers:.1%}"
        return (f"| {name} | {self.questions} | {self.wrongly_abstained:.1%} | {self.cites_gold:.1%} | "
                f"{self.first_gold:.1%} | {self.gold_share:.1%} | {self.median_chars:.0f} | {self.articles:.2f} | "
                f"{self.lead_gold:.1%} | {spans} | {self.p95_ms:.0f} |")


HEADER = ("| set | n | wrongly abstained | cites gold | first gold | gold share | median chars | articles | "
          "lead gold | lead answers | p95 ms |\n|---|---|---|---|---|---|---|---|---|---|---|")
_MARKER = re.compile(r"\[([^\]]+)\]")


def lead_articles(answer: Answer) -> set[str]:
    return set(_MARKER.findall(answer.lead or ""))


def contains_answer(lead: str | None, span: str) -> bool:
    """Most (two thirds) of the span's words are in the lead."""
    words = set(tokenize([span])[0])
    return bool(lead) and len(words & set(tokenize([lead or ""])[0])) >= 2 / 3 * len(words)


def score(answers: list[tuple[Question, Answer]], latencies: list[float]) -> Scores:
    answered = [(q, a) for q, a in answers if not a.abstained]
    cited = [(q, list(dict.fromkeys(c.article for c in a.citations))) for q, a in answered]
    n = max(1, len(answered))
    return Scores(
        questions=len(answers),
        wrongly_abstained=sum(a.abstained for _, a in answers) / max(1, len(answers)),
        cites_gold=sum(bool(set(c) & q.gold) for q, c in cited) / n,
        first_gold=sum(bool(c) and c[0] in q.gold for q, c in cited) / n,
        gold_share=sum(len(set(c) & q.gold) / len(c) for q, c in cited if c) / n,
        median_chars=statistics.median(len(a.text) for _, a in answered) if answered else 0.0,
        articles=sum(len(c) for _, c in cited) / n,
        lead_gold=sum(bool(lead_articles(a) & q.gold) for q, a in answered) / n,
        lead_answers=(sum(contains_answer(a.lead, q.answer) for q, a in spans) / len(spans)
                      if (spans := [(q, a) for q, a in answered if q.answer]) else None),
        p95_ms=sorted(latencies)[max(0, round(len(latencies) * 0.95) - 1)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    names = parser.parse_args().sets
    assistant, warnings = load_assistant()
    if warnings:
        print("warnings:", *warnings)
    print(HEADER)
    for name in names:
        questions = SETS[name]()
        if questions:
            timed = [ask(assistant, q.text) for q in questions]
            print(score([(q, a) for q, (a, _) in zip(questions, timed)], [ms for _, ms in timed]).row(name), flush=True)


def ask(assistant: Assistant, question: str) -> tuple[Answer, float]:
    """The answer and the milliseconds it took."""
    started = time.perf_counter()
    answer = assistant.ask(question)[0]
    return answer, (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
