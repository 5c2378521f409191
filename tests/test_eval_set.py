"""Checks on the retrieval evaluation set ``bench/questions.jsonl``.

Each question also carries ``answer``: a short span (at most 250 characters) copied verbatim from one
alinéa of ``answer_article``, one of its gold articles, that most directly answers it (what the
answer's « En bref » lead should contain).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from corpus.store import ArticleStore, load_store
from tests.conftest import read_records

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "bench" / "questions.jsonl"

AUDIENCES = {"employeur", "salarié", "agent"}
KINDS = {"natural", "keyword", "number"}
FIELDS = {"id", "question", "gold", "audience", "topic", "livre_v", "kind", "answer", "answer_article"}
MAX_ANSWER_CHARS = 250
LIVRE_V_PREFIXES = ("L5", "R5", "D5")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return read_records(QUESTIONS)


def test_file_exists() -> None:
    assert QUESTIONS.is_file()


def test_each_line_is_a_well_formed_question(records: list[dict]) -> None:
    for r in records:
        assert set(r) == FIELDS, f"{r.get('id')}: champs {sorted(r)}"
        assert isinstance(r["id"], str) and r["id"]
        assert isinstance(r["question"], str) and r["question"].strip()
        assert isinstance(r["topic"], str) and r["topic"].strip()
        assert r["audience"] in AUDIENCES, r["id"]
        assert r["kind"] in KINDS, r["id"]
        assert isinstance(r["livre_v"], bool), r["id"]
        gold = r["gold"]
        assert isinstance(gold, list) and 1 <= len(gold) <= 4, r["id"]
        assert all(isinstance(g, str) and g for g in gold), r["id"]
        assert len(set(gold)) == len(gold), f"{r['id']}: doublon dans gold"


def test_ids_are_unique(records: list[dict]) -> None:
    ids = [r["id"] for r in records]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, duplicates


def test_questions_are_unique(records: list[dict]) -> None:
    texts = [r["question"].strip().lower() for r in records]
    duplicates = [t for t, n in Counter(texts).items() if n > 1]
    assert not duplicates, duplicates


def test_at_least_90_questions(records: list[dict]) -> None:
    assert len(records) >= 90


def test_livre_v_share(records: list[dict]) -> None:
    livre_v = [r for r in records if r["livre_v"]]
    assert len(livre_v) >= 32
    for r in livre_v:
        assert all(g.startswith(LIVRE_V_PREFIXES) for g in r["gold"]), r["id"]


def test_audiences_cover_the_three_values(records: list[dict]) -> None:
    assert {r["audience"] for r in records} == AUDIENCES


def test_at_least_8_number_questions(records: list[dict]) -> None:
    assert sum(r["kind"] == "number" for r in records) >= 8


def test_every_gold_article_is_in_force(records: list[dict], isolated_data_dir: Path) -> None:
    store = load_store()
    in_force = {a.number for a in store.in_force}
    missing = [(r["id"], g) for r in records for g in r["gold"] if g not in in_force]
    assert not missing, missing


def assert_answer_spans(records: list[dict], store: ArticleStore) -> None:
    """Each ``answer`` is a short span of one alinéa of ``answer_article``, a gold article in force."""
    problems = []
    for r in records:
        answer, article = r["answer"], r["answer_article"]
        if not (isinstance(answer, str) and answer.strip() and answer == answer.strip()):
            problems.append((r["id"], "answer vide ou mal bordé"))
            continue
        if len(answer) > MAX_ANSWER_CHARS:
            problems.append((r["id"], f"answer de {len(answer)} caractères"))
        if article not in r["gold"]:
            problems.append((r["id"], f"answer_article {article} hors gold"))
            continue
        text = store.find(article)
        if text is None or not text.in_force:
            problems.append((r["id"], f"answer_article {article} absent ou abrogé"))
        elif not any(answer in paragraph for paragraph in text.paragraphs):
            problems.append((r["id"], f"answer absent des alinéas de {article}"))
    assert not problems, problems


def test_answers_are_verbatim_spans_of_a_gold_article(records: list[dict], store: ArticleStore) -> None:
    assert_answer_spans(records, store)
