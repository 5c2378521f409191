"""Checks on the evaluation sets ``bench/questions.jsonl`` (tuning) and ``bench/heldout_questions.jsonl``.

Each question of both sets carries ``answer``: a short span (at most 250 characters) copied verbatim
from one alinéa of ``answer_article``, one of its gold articles, that most directly answers it (what
the answer's « En bref » lead should contain).

The held-out set (never tuned on) has 150 questions written as people ask them, across the whole
code: kind « natural », « list » (the answer is an enumeration) or « regime » (the question names a
special regime: VRP, journalistes, particulier employeur, assistants maternels, agriculture,
outre-mer, Alsace-Moselle); the other questions name none. None repeats a question of the tuning set
or of the scope set.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from corpus.article_number import normalize_number
from corpus.conventions import load_convention, read_index
from corpus.store import ArticleStore, load_store
from corpus.text_forms import search_form
from tests.conftest import read_records

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "bench" / "questions.jsonl"
HELDOUT = REPO / "bench" / "heldout_questions.jsonl"
SCOPE_QUESTIONS = REPO / "bench" / "scope_questions.jsonl"

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


# --- held-out set ---------------------------------------------------------------------------------

HELDOUT_FIELDS = {"id", "question", "gold", "answer", "answer_article", "kind", "topic"}
HELDOUT_KINDS = {"natural", "list", "regime"}
HELDOUT_SIZE = 150
# Words (in search form) by which a question names a special regime of the code.
REGIME_WORDS = re.compile(
    r"\bvrp\b|voyageur|representant ou placier|journaliste|particulier employeur|employee? de maison"
    r"|assistante? maternel|cheque emploi|\bcesu\b|agricole|agricult|outre-mer|guadeloupe|martinique"
    r"|guyane|mayotte|\b(a|de|sur) la reunion\b|saint-martin|saint-barthelemy|saint-pierre"
    r"|alsace|moselle|bas-rhin|haut-rhin"
)


def _normalized(text: str) -> str:
    """Case-, accent-, punctuation- and spacing-insensitive form of a question."""
    return " ".join(re.sub(r"[^\w]+", " ", search_form(text)).split())


# The held-out set (never tuned on) and the ranker's tuning set (bench/ranker_questions.jsonl,
# written for bench/train_ranker.py) have the same form.
RANKER = REPO / "bench" / "ranker_questions.jsonl"
NATURAL_SETS = {"heldout": (HELDOUT, "h"), "ranker": (RANKER, "r")}
SCOPE_NATURAL = REPO / "bench" / "scope_natural_questions.jsonl"
ALL_SETS = (QUESTIONS, SCOPE_QUESTIONS, HELDOUT, RANKER, SCOPE_NATURAL)


@pytest.fixture(scope="module")
def heldout() -> list[dict]:
    return read_records(HELDOUT)


@pytest.fixture(scope="module", params=sorted(NATURAL_SETS))
def natural(request: pytest.FixtureRequest) -> tuple[str, list[dict]]:
    """(id prefix, records) of one set written as people ask."""
    path, prefix = NATURAL_SETS[request.param]
    assert path.is_file(), path
    return prefix, read_records(path)


def test_natural_lines_are_well_formed(natural: tuple[str, list[dict]]) -> None:
    for r in natural[1]:
        assert set(r) == HELDOUT_FIELDS, f"{r.get('id')}: champs {sorted(r)}"
        assert isinstance(r["question"], str) and r["question"].strip() == r["question"] != "", r["id"]
        assert isinstance(r["topic"], str) and r["topic"].strip(), r["id"]
        assert r["kind"] in HELDOUT_KINDS, r["id"]
        gold = r["gold"]
        assert isinstance(gold, list) and 1 <= len(gold) <= 3, r["id"]
        assert all(isinstance(g, str) and g and normalize_number(g) == g for g in gold), r["id"]
        assert len(set(gold)) == len(gold), f"{r['id']}: doublon dans gold"


def test_natural_ids_are_unique_and_in_order(natural: tuple[str, list[dict]]) -> None:
    prefix, records = natural
    assert [r["id"] for r in records] == [f"{prefix}{n:03d}" for n in range(1, len(records) + 1)]


def test_natural_questions_are_new(natural: tuple[str, list[dict]]) -> None:
    """No question repeats one of its own set or of another set (a tuning question must not be a
    held-out one)."""
    prefix, records = natural
    texts = [_normalized(r["question"]) for r in records]
    duplicates = [t for t, n in Counter(texts).items() if n > 1]
    assert not duplicates, duplicates
    own = NATURAL_SETS["heldout" if prefix == "h" else "ranker"][0]
    others = {_normalized(r["question"]) for path in ALL_SETS if path != own for r in read_records(path)}
    repeated = [r["id"] for r, t in zip(records, texts) if t in others]
    assert not repeated, repeated


def test_heldout_size_and_kinds(heldout: list[dict]) -> None:
    assert len(heldout) == HELDOUT_SIZE
    kinds = Counter(r["kind"] for r in heldout)
    assert 15 <= kinds["list"] <= 25, kinds
    assert 8 <= kinds["regime"] <= 15, kinds


def test_ranker_set_size_and_kinds() -> None:
    records = read_records(RANKER)
    kinds = Counter(r["kind"] for r in records)
    assert len(records) >= 250 and kinds["list"] >= 25 and kinds["regime"] >= 8, (len(records), kinds)


def test_natural_regime_questions_and_only_they_name_a_regime(natural: tuple[str, list[dict]]) -> None:
    wrong = [r["id"] for r in natural[1]
             if bool(REGIME_WORDS.search(search_form(r["question"]))) != (r["kind"] == "regime")]
    assert not wrong, wrong


def test_natural_gold_articles_are_in_force(natural: tuple[str, list[dict]], store: ArticleStore) -> None:
    in_force = {a.number for a in store.in_force}
    missing = [(r["id"], g) for r in natural[1] for g in r["gold"] if g not in in_force]
    assert not missing, missing


def test_natural_answers_are_verbatim_spans_of_a_gold_article(natural: tuple[str, list[dict]],
                                                              store: ArticleStore) -> None:
    assert_answer_spans(natural[1], store)


# The scope set written as people ask (bench/scope_natural_questions.jsonl, for the abstention of issue 17): in,
# out, mixed (both the code and another field) and convention (the content of a named collective agreement); one
# question in three (ids divisible by 3) is held out from any tuning.
SCOPE_CLASSES = {"in", "out", "mixed", "convention"}


def test_scope_natural_set_is_well_formed_split_and_new() -> None:
    records = read_records(SCOPE_NATURAL)
    assert [r["id"] for r in records] == [f"n{n:03d}" for n in range(1, len(records) + 1)]
    for r in records:
        assert set(r) == {"id", "question", "scope", "category", "split"}, r["id"]
        assert r["scope"] in SCOPE_CLASSES and r["question"].strip() == r["question"] != "", r["id"]
        assert r["split"] == ("heldout" if int(r["id"][1:]) % 3 == 0 else "tune"), r["id"]
    assert {r["scope"] for r in records if r["split"] == "heldout"} == SCOPE_CLASSES
    texts = [_normalized(r["question"]) for r in records]
    assert len(set(texts)) == len(texts)
    others = {_normalized(r["question"]) for path in ALL_SETS if path != SCOPE_NATURAL for r in read_records(path)}
    assert not [r["id"] for r, t in zip(records, texts) if t in others]


# The per-convention set (bench/convention_questions.jsonl, issue 18): questions a convention's employees or
# employers ask, each with the convention chosen (idcc), its gold articles (version id and stable cid, in
# force in the pinned kali-data) and a span copied verbatim from the first gold; one in three held out.
CONVENTION_QUESTIONS = REPO / "bench" / "convention_questions.jsonl"
CONVENTION_FIELDS = {"id", "idcc", "question", "gold", "gold_cid", "answer", "topic", "split"}


def test_convention_set_is_well_formed_and_its_gold_checked_against_the_pinned_texts() -> None:
    records = read_records(CONVENTION_QUESTIONS)
    assert [r["id"] for r in records] == [f"c{n:03d}" for n in range(1, len(records) + 1)]
    per_convention = Counter(r["idcc"] for r in records)
    assert len(records) >= 100 and len(per_convention) >= 10
    conventions = {c.idcc: c for c in read_index() if c.has_text}
    texts = {idcc: load_convention(conventions[idcc]) for idcc in per_convention}
    for r in records:
        assert set(r) == CONVENTION_FIELDS and r["split"] == ("heldout" if int(r["id"][1:]) % 3 == 0 else "tune"), r["id"]
        articles = {a.id: a for a in texts[r["idcc"]].articles}
        gold = [articles.get(g) for g in r["gold"]]
        assert all(a is not None and a.in_force for a in gold), f"{r['id']}: gold absent or not in force"
        assert [a.cid for a in gold] == r["gold_cid"], r["id"]
        assert r["answer"] in "\n".join(gold[0].paragraphs), f"{r['id']}: answer not verbatim"
    texts_seen = [_normalized(r["question"]) for r in records]
    assert len(set(texts_seen)) == len(texts_seen)


# Questions on subjects a convention's texts do not address (bench/convention_negative_questions.jsonl), for the
# answer's relevance bar (assistant/convention_answer.py): each with the stems searched in its convention.
CONVENTION_NEGATIVES = REPO / "bench" / "convention_negative_questions.jsonl"


def test_convention_negatives_are_absent_from_their_convention_and_split() -> None:
    records = read_records(CONVENTION_NEGATIVES)
    assert [r["id"] for r in records] == [f"n{n:03d}" for n in range(1, len(records) + 1)]
    conventions = {c.idcc: c for c in read_index() if c.has_text}
    texts: dict[int, str] = {}
    for r in records:
        assert set(r) == {"id", "idcc", "question", "subject", "absent", "split"}, r["id"]
        assert r["split"] == ("heldout" if int(r["id"][1:]) % 3 == 0 else "tune"), r["id"]
        assert r["absent"] and r["idcc"] in conventions, r["id"]
        if r["idcc"] not in texts:
            convention = load_convention(conventions[r["idcc"]])
            texts[r["idcc"]] = _normalized(" ".join(p for a in convention.articles if a.in_force for p in a.paragraphs))
        absent = [stem for stem in r["absent"] if _normalized(stem) not in texts[r["idcc"]]]
        assert absent, f"{r['id']}: every stem searched is in the convention's text"
    positives = {_normalized(r["question"]) for r in read_records(CONVENTION_QUESTIONS)}
    assert not positives & {_normalized(r["question"]) for r in records}
