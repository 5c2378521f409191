"""Train the scope decision (assistant/scope.py): what a question is about — work, another matter, the
content of a named convention collective — from its vector, then choose its bars; report held-out figures.

Usage: python bench/train_scope.py [--write] [--features FILE]   (needs `cdt index build`)

Material (docs/BENCHMARKS.md, « Scope »):
- headings of the Code du travail (work) and of three other codes without their parts on work (other),
  bench/scope_headings.jsonl (bench/scope_material.py);
- questions as people type them, bench/scope_natural_questions.jsonl: out of scope (other), in scope
  and mixed (work: answered, mixed ones with a notice), on a named convention (convention);
- the tuning sets' questions (bench/answer_quality.py tuning_rows), all in scope (work).
Parts: only the « tune » parts fit the model and choose the bars, by 5-fold cross-validation over the
questions (the tuning headings are in every fold's training). Reported, never tuned on: the « heldout »
parts of the natural questions and of the headings, the team's scope set (bench/scope_questions.jsonl)
and bench/heldout_questions.jsonl. The decision measured is the product's own (assistant.scope.decide):
rules, then the model's bars, then the article score. With --write, the model goes to
assistant/scope_model.json. --features FILE keeps the questions' signals (search results and vectors)
between runs: computing them takes about ten minutes.
"""

from __future__ import annotations

import argparse
import json
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from tqdm import tqdm

from answer_quality import read_rows, tuning_rows  # bench/answer_quality.py, beside this script
from assistant.chain import Assistant, chain_input, load_assistant
from assistant.scope import SCOPE_MODEL_FILE, Decision, Gate, Scope, ScopeModel, decide, decline_features
from indexing.embedder import model_name
from indexing.search import Hit
from indexing.settings import IndexSettings

C_VALUES = (0.3, 1.0, 3.0, 10.0)
HEADING_WEIGHTS = (0.1, 0.3, 1.0)  # what a heading counts for against a question in the fit
BARS = tuple(round(0.30 + 0.05 * i, 2) for i in range(14))  # 0.30 … 0.95
DECLINE_BARS = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 … 0.95
MAX_WORK_DECLINED = 0.05  # the share of work questions declined, cross-validated on the tuning questions (the target)
MAX_NOTICE_ON_WORK = 0.10  # the mixed notice on plain work questions, cross-validated
SCOPES = {"out": Scope.OTHER, "in": Scope.WORK, "mixed": Scope.WORK, "convention": Scope.CONVENTION}
OTHER_CATEGORIES = {"convention": Scope.CONVENTION}  # scope set: « out » questions are OTHER but for these


@dataclass
class Item:
    """One question or heading, its class, its part, and what the decision looks at."""

    text: str
    label: Scope
    kind: str  # « natural out », « headings in », « tuning », …: the rows of the report
    tune: bool
    vector: np.ndarray | None  # None: a rule refused it before any search
    gate: Gate | None = None  # None for a heading: only the model's decline is measured
    hits: tuple[Hit, ...] = ()
    calculable: bool = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the model to assistant/scope_model.json")
    parser.add_argument("--features", type=Path, help="cache of the questions' signals (read if present)")
    args = parser.parse_args()
    items = _load_items(args.features)
    tune = [i for i in items if i.tune and i.vector is not None]
    print(f"{len(tune)} tuning items, {sum(not i.tune for i in items)} held out")
    results = {(c, weight): _cross_validated(tune, c, weight) for c in C_VALUES for weight in HEADING_WEIGHTS}
    chosen = max(results, key=lambda setting: results[setting][0])
    _, decline_bar, mixed_bar = results[chosen]
    print(f"chosen: C {chosen[0]}, heading weight {chosen[1]}, decline bar {decline_bar}, mixed bar {mixed_bar}")
    headings, questions = _split(tune)
    first = _fit(headings + questions, *chosen)
    second = _second_stage(_probabilities(_out_of_fold(headings, questions, *chosen), questions), questions)
    model = _model(first, second, decline_bar, mixed_bar)
    _report([i for i in items if not i.tune], model, "held out")
    if args.write:
        _write(model, chosen, tune)


def _load_items(cache: Path | None) -> list[Item]:
    if cache and cache.is_file():
        return pickle.loads(cache.read_bytes())
    assistant, warnings = load_assistant()
    if warnings:
        print("warnings:", *warnings)
    questions = [(r["question"], SCOPES[r["scope"]], f"natural {r['scope']}", r["split"] == "tune")
                 for r in read_rows("scope_natural_questions.jsonl")]
    questions += [(r["question"], Scope.WORK, "tuning", True) for r in tuning_rows()]
    questions += [(r["question"], Scope.WORK if r["scope"] == "in" else OTHER_CATEGORIES.get(r["category"], Scope.OTHER),
                   f"scope set {r['scope']}", False) for r in read_rows("scope_questions.jsonl")]
    questions += [(r["question"], Scope.WORK, "heldout set", False) for r in read_rows("heldout_questions.jsonl")]
    items = [_question(assistant, *q) for q in tqdm(questions, desc="questions")]
    items += [Item(r["text"], SCOPES[r["scope"]], f"headings {r['scope']}", r["split"] == "tune",
                   assistant.searcher.dense.embed(r["text"]))
              for r in tqdm(read_rows("scope_headings.jsonl"), desc="headings")]
    if cache:
        cache.write_bytes(pickle.dumps(items))
    return items


def _question(assistant: Assistant, text: str, label: Scope, kind: str, tune: bool) -> Item:
    state = assistant.prepare.invoke(chain_input(text))
    extraction = state.resolved.extraction if state.resolved else None
    search = state.search
    return Item(text, label, kind, tune, search.query_vector if search else None, state.gate,
                tuple(search.hits) if search else (), bool(extraction and extraction.inputs))


def _fit(items: list[Item], c: float, heading_weight: float) -> LogisticRegression:
    """Classes balanced (the convention questions are few); a heading counts ``heading_weight`` of a question."""
    x = np.array([i.vector for i in items])
    y = np.array([list(Scope).index(i.label) for i in items])
    weights = np.array([heading_weight if i.gate is None else 1.0 for i in items])
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y, sample_weight=weights)


def _model(first: LogisticRegression, second: LogisticRegression | None, decline_bar: float = 0.5,
           mixed_bar: float = 1.0) -> ScopeModel:
    decline_weights, decline_bias = (second.coef_[0], float(second.intercept_[0])) if second else (np.zeros(3), 0.0)
    return ScopeModel(model_name(IndexSettings.from_env()), first.coef_, first.intercept_, decline_weights,
                      decline_bias, decline_bar, mixed_bar)


def _split(tune: list[Item]) -> tuple[list[Item], list[Item]]:
    """(headings, questions)."""
    return [i for i in tune if i.gate is None], [i for i in tune if i.gate is not None]


def _folds(questions: list[Item]) -> list[tuple[np.ndarray, np.ndarray]]:
    strata = [f"{i.label}{i.kind}" for i in questions]
    return list(StratifiedKFold(5, shuffle=True, random_state=0).split(questions, strata))


def _out_of_fold(headings: list[Item], questions: list[Item], c: float, heading_weight: float
                 ) -> list[ScopeModel]:
    """For each tuning question, the first stage fitted without it (the tuning headings are in every
    fold's training); the same fold for every question of a fold."""
    fitted: list[ScopeModel] = [None] * len(questions)  # type: ignore[list-item]
    for train, test in _folds(questions):
        model = _model(_fit(headings + [questions[j] for j in train], c, heading_weight), None)
        for j in test:
            fitted[j] = model
    return fitted


def _probabilities(models: list[ScopeModel], questions: list[Item]) -> list[dict[Scope, float]]:
    return [model.probabilities(item.vector) for model, item in zip(models, questions, strict=True)]


def _second_stage(probabilities: list[dict[Scope, float]], questions: list[Item]) -> LogisticRegression:
    """Whether to decline, from the first stage's log-odds and the best score; the few convention questions
    weigh as much in all as the other matters' (each class of declines counts the same)."""
    x = np.array([decline_features(p, _best(i)) for p, i in zip(probabilities, questions, strict=True)])
    y = np.array([i.label is not Scope.WORK for i in questions], dtype=int)
    counts = {s: sum(i.label is s for i in questions) for s in Scope}
    weights = np.array([counts[Scope.OTHER] / counts[i.label] if i.label is Scope.CONVENTION else 1.0
                        for i in questions])
    return LogisticRegression(max_iter=1000).fit(x, y, sample_weight=weights)


def _best(item: Item) -> float:
    return item.hits[0].score if item.hits else 0.0


def _cross_validated(tune: list[Item], c: float, heading_weight: float) -> tuple[float, float, float]:
    """Both stages out of fold for every tuning question, and the bars they choose: the decline bar that
    declines the most out-of-scope and convention questions (their mean) while declining at most
    MAX_WORK_DECLINED of the work questions; the mixed bar that flags most mixed questions while flagging
    at most MAX_NOTICE_ON_WORK of plain work ones. Returns (that mean, decline bar, mixed bar)."""
    headings, questions = _split(tune)
    first = _out_of_fold(headings, questions, c, heading_weight)
    probabilities = _probabilities(first, questions)
    both: list[ScopeModel] = list(first)  # each question's two stages, fitted without it
    for train, test in _folds(questions):
        second = _second_stage([probabilities[j] for j in train], [questions[j] for j in train])
        for j in test:
            both[j] = replace(first[j], decline_weights=second.coef_[0], decline_bias=float(second.intercept_[0]))
    work = [j for j, i in enumerate(questions) if i.label is Scope.WORK]
    declined_by = [[j for j, i in enumerate(questions) if i.label is s] for s in (Scope.OTHER, Scope.CONVENTION)]
    best = (-1.0, 1.0)
    for bar in DECLINE_BARS:
        declined = [_decide(item, replace(both[j], decline_bar=bar)).abstained for j, item in enumerate(questions)]
        if np.mean([declined[j] for j in work]) <= MAX_WORK_DECLINED:
            caught = float(np.mean([np.mean([declined[j] for j in members]) for members in declined_by]))
            best = max(best, (caught, bar))
    other = [p[Scope.OTHER] for p in probabilities]
    plain = [j for j in work if questions[j].kind != "natural mixed"]
    mixed = [j for j in work if questions[j].kind == "natural mixed"]
    mixed_bar = min((b for b in BARS if np.mean([other[j] >= b for j in plain]) <= MAX_NOTICE_ON_WORK), default=1.0)
    flagged = np.mean([other[j] >= mixed_bar for j in mixed])
    declined = [_decide(item, replace(both[j], decline_bar=best[1])).abstained for j, item in enumerate(questions)]
    by_kind = ", ".join(f"{kind} {np.mean([d for d, i in zip(declined, questions) if i.kind == kind]):.1%}"
                        for kind in sorted({i.kind for i in questions}))
    print(f"  C {c}, heading weight {heading_weight}: bar {best[1]}, declined: {by_kind}; mixed flagged by the "
          f"model {flagged:.1%} at {mixed_bar}")
    return best[0], best[1], mixed_bar


def _decide(item: Item, model: ScopeModel) -> Decision:
    """The product's own decision (assistant.scope.decide) for a tuning or held-out question."""
    assert item.gate is not None
    return decide(item.gate, list(item.hits), item.calculable, item.vector, model)


def _report(items: list[Item], model: ScopeModel, part: str) -> None:
    """Per kind: the share declined by the whole decision (assistant.scope.decide: rules, both stages),
    the share the first stage puts outside work (for a heading, which has no article score, the only
    figure), the share answered with the mixed notice."""
    print(f"| {part} | n | declined | first stage: not work | answered with the mixed notice |")
    print("|---|---|---|---|---|")
    for kind in sorted({i.kind for i in items}):
        rows = [i for i in items if i.kind == kind]
        outcomes = np.array([_outcome(i, model) for i in rows], dtype=float)
        print(f"| {kind} | {len(rows)} | " + " | ".join(f"{share:.1%}" for share in outcomes.mean(axis=0)) + " |")


def _outcome(item: Item, model: ScopeModel) -> tuple[bool, bool, bool]:
    """(declined, the first stage's most likely class is not work, answered with the mixed notice)."""
    if item.vector is None:  # a rule refused it before any search
        return True, False, False
    probabilities = model.probabilities(item.vector)
    not_work = max(probabilities, key=probabilities.__getitem__) is not Scope.WORK
    if item.gate is None:
        return not_work, not_work, False
    decision = _decide(item, model)
    return decision.abstained, not_work, decision.mixed and not decision.abstained


def _write(model: ScopeModel, chosen: tuple[float, float], tune: list[Item]) -> None:
    counts: dict[str, int] = {}
    for item in tune:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    data = {
        "trained_by": "bench/train_scope.py", "embedding_model": model.embedding_model,
        "C": chosen[0], "heading_weight": chosen[1], "trained_on": counts,
        "classes": [s.value for s in Scope],
        "decline_weights": [round(float(w), 6) for w in model.decline_weights],
        "decline_bias": round(model.decline_bias, 6), "decline_bar": model.decline_bar, "mixed_bar": model.mixed_bar,
        "bias": [round(float(b), 6) for b in model.bias],
        "weights": [[round(float(w), 6) for w in row] for row in model.weights],
    }
    SCOPE_MODEL_FILE.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {SCOPE_MODEL_FILE}")


if __name__ == "__main__":
    main()
