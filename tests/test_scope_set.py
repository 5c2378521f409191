"""Checks on the scope evaluation set ``bench/scope_questions.jsonl``.

The set mixes questions the assistant must answer from the Code du travail (scope « in », with the
articles that answer them) and questions it must decline (scope « out », by category). It is used to
calibrate the abstention threshold, so its shape is checked here: fields, counts per category, gold
articles in force, and no overlap with the retrieval set ``bench/questions.jsonl``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from corpus.article_number import normalize_number
from corpus.store import load_store
from corpus.text_forms import search_form
from tests.conftest import read_records

REPO = Path(__file__).resolve().parents[1]
SCOPE_QUESTIONS = REPO / "bench" / "scope_questions.jsonl"
RETRIEVAL_QUESTIONS = REPO / "bench" / "questions.jsonl"

FIELDS = {"id", "question", "scope", "category", "gold"}
SCOPES = {"in", "out"}
# Minimum number of questions for each out-of-scope category.
OUT_CATEGORIES = {
    "fiscal": 3,
    "penal": 3,
    "civil": 3,
    "sante": 3,
    "cuisine": 3,
    "general": 3,
    "convention": 5,
    "futur": 5,
    "fonction_publique": 3,
    "securite_sociale": 3,
    "langue": 3,
    "injection": 5,
}
MIN_OUT = 50
MIN_IN = 70
LIVRE_V_PREFIXES = ("L5", "R5", "D5")


def _normalized(text: str) -> str:
    """Case-, accent-, punctuation- and spacing-insensitive form of a question."""
    return " ".join(re.sub(r"[^\w]+", " ", search_form(text)).split())


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return read_records(SCOPE_QUESTIONS)


@pytest.fixture(scope="module")
def in_scope(records: list[dict]) -> list[dict]:
    return [r for r in records if r.get("scope") == "in"]


@pytest.fixture(scope="module")
def out_scope(records: list[dict]) -> list[dict]:
    return [r for r in records if r.get("scope") == "out"]


def test_file_exists() -> None:
    assert SCOPE_QUESTIONS.is_file()


def test_each_line_is_a_well_formed_question(records: list[dict]) -> None:
    for r in records:
        assert set(r) == FIELDS, f"{r.get('id')}: champs {sorted(r)}"
        assert isinstance(r["id"], str) and r["id"], r
        assert isinstance(r["question"], str) and r["question"].strip(), r["id"]
        assert r["question"] == r["question"].strip(), f"{r['id']}: espaces en bord de question"
        assert r["scope"] in SCOPES, r["id"]
        assert isinstance(r["category"], str) and r["category"].strip(), r["id"]
        assert isinstance(r["gold"], list), r["id"]


def test_ids_are_unique_and_in_order(records: list[dict]) -> None:
    ids = [r["id"] for r in records]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, duplicates
    expected = [f"s{n:03d}" for n in range(1, len(records) + 1)]
    assert ids == expected, [(got, want) for got, want in zip(ids, expected) if got != want][:5]


def test_questions_are_unique(records: list[dict]) -> None:
    texts = [_normalized(r["question"]) for r in records]
    duplicates = [t for t, n in Counter(texts).items() if n > 1]
    assert not duplicates, duplicates


def test_enough_questions_per_scope(in_scope: list[dict], out_scope: list[dict]) -> None:
    assert len(out_scope) >= MIN_OUT, len(out_scope)
    assert len(in_scope) >= MIN_IN, len(in_scope)


def test_out_categories_are_known_and_each_has_its_minimum(out_scope: list[dict]) -> None:
    unknown = [(r["id"], r["category"]) for r in out_scope if r["category"] not in OUT_CATEGORIES]
    assert not unknown, unknown
    counts = Counter(r["category"] for r in out_scope)
    short = {c: counts[c] for c, minimum in OUT_CATEGORIES.items() if counts[c] < minimum}
    assert not short, short


def test_in_scope_categories_are_themes_not_out_categories(in_scope: list[dict]) -> None:
    wrong = [(r["id"], r["category"]) for r in in_scope if r["category"] in OUT_CATEGORIES]
    assert not wrong, wrong


def test_out_of_scope_gold_is_empty(out_scope: list[dict]) -> None:
    filled = [r["id"] for r in out_scope if r["gold"] != []]
    assert not filled, filled


def test_in_scope_gold_is_one_to_three_canonical_numbers(in_scope: list[dict]) -> None:
    for r in in_scope:
        gold = r["gold"]
        assert 1 <= len(gold) <= 3, r["id"]
        assert all(isinstance(g, str) and g for g in gold), r["id"]
        assert len(set(gold)) == len(gold), f"{r['id']}: doublon dans gold"
        assert all(normalize_number(g) == g for g in gold), f"{r['id']}: numéro non canonique {gold}"


def test_livre_v_share(in_scope: list[dict]) -> None:
    """At least a third of the in-scope questions are answered by the Cinquième partie alone."""
    livre_v = [r for r in in_scope if all(g.startswith(LIVRE_V_PREFIXES) for g in r["gold"])]
    assert 3 * len(livre_v) >= len(in_scope), (len(livre_v), len(in_scope))


def test_every_gold_article_is_in_force(in_scope: list[dict], isolated_data_dir: Path) -> None:
    store = load_store()
    in_force = {a.number for a in store.in_force}
    missing = [(r["id"], g) for r in in_scope for g in r["gold"] if g not in in_force]
    assert not missing, missing


def test_no_question_copied_from_the_retrieval_set(records: list[dict]) -> None:
    retrieval = {_normalized(r["question"]) for r in read_records(RETRIEVAL_QUESTIONS)}
    copied = [r["id"] for r in records if _normalized(r["question"]) in retrieval]
    assert not copied, copied
