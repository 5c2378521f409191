"""Every text in force can be quoted and cited: the code's annexes, whose « numbers » are not L/R/D
numbers and repeat (two are just « Annexe »), as much as its articles.

The first test composes and checks an answer for each of the 11,000-odd texts with that text as
the only hit (no embedding: a few seconds); the others run the whole chain, through `cdt ask`'s
batch mode, on every annex and a fixed sample of articles.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.model import Article
from corpus.store import ArticleStore
from indexing.search import Hit
from ui.cli import cdt

from assistant.citations import REMOVED_ARTICLE, REMOVED_QUOTE, check_citations, is_verbatim
from assistant.composer import compose, headings_shown, lead
from assistant.selection import Selection, describe

ANNEXES_IN_FORCE = 8  # measured on the shipped snapshot (legi-data 2.513.0)


def _problems(article: Article, store: ArticleStore) -> list[str]:
    """What goes wrong when ``article`` is the only text retrieved for a question about it."""
    question = article.breadcrumbs[-1] if article.breadcrumbs else article.label
    hit = Hit(article.key, article.label, article.legi_id, 1.0, "", "dense")
    selection = Selection(describe(question, [hit], store, None, None), [])
    text = compose(question, selection, lead(question, selection), None, None, store, situation=False)
    checked = check_citations(text, [article.key], store, headings_shown(selection, None))
    problems = list(checked.notices)
    if {c.article for c in checked.citations} != {article.key}:
        problems.append(f"citations {[c.article for c in checked.citations]}")
    if not any(c.quote for c in checked.citations):
        problems.append("aucune citation textuelle")
    if REMOVED_QUOTE in checked.text or REMOVED_ARTICLE in checked.text:
        problems.append("citation retirée")
    return problems


def test_every_text_in_force_yields_a_valid_citation(store: ArticleStore) -> None:
    failures: dict[str, list[str]] = {}
    for article in store.in_force:
        try:
            problems = _problems(article, store)
        except Exception as error:  # noqa: BLE001 — any crash on any text is the failure this test looks for
            problems = [repr(error)]
        if problems:
            failures[article.key] = problems
    assert not failures, f"{len(failures)} textes : {list(failures.items())[:10]}"


def test_the_annexes_have_unique_keys_labels_and_citations(store: ArticleStore) -> None:
    annexes = [a for a in store.in_force if not a.is_article]
    assert len(annexes) == ANNEXES_IN_FORCE
    assert len({a.key for a in annexes}) == ANNEXES_IN_FORCE
    doubles = [a for a in annexes if a.label == "Annexe"]
    assert len(doubles) == 2 and all(store.get(a.key) is a for a in doubles)
    citation = check_citations(f"« {doubles[1].paragraphs[0]} » [{doubles[1].key}]", [doubles[1].key], store).citations[0]
    assert citation.to_dict() == {"article": "Annexe", "source": "code", "id": doubles[1].legi_id, "url": doubles[1].url,
                                  "quote": doubles[1].paragraphs[0]}


@pytest.fixture
def use_full_index(full_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDT_INDEX_DIR", str(full_index))


@pytest.mark.usefixtures("use_full_index")
def test_the_whole_chain_cites_every_annex_and_a_sample_of_articles(store: ArticleStore, tmp_path: Path) -> None:
    annexes = [a for a in store.in_force if not a.is_article]
    sample = random.Random(14).sample([a for a in store.in_force if a.is_article], 12)
    questions = [{"id": a.key, "question": f"Que prévoit l'{a.key} ?"} for a in annexes]
    questions += [{"id": a.key, "question": f"Que prévoit {a.designation} ?"} for a in sample]
    questions.append({"id": "tracteur", "question": "Comment assurer un tracteur ou un engin automoteur agricole ?"})
    batch = tmp_path / "questions.jsonl"
    batch.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in questions), encoding="utf-8")
    result = CliRunner().invoke(cdt, ["ask", "--batch-file", str(batch)])
    assert result.exit_code == 0, result.output
    lines = {line["id"]: line for line in map(json.loads, result.output.splitlines()) if "id" in line}
    assert set(lines) == {q["id"] for q in questions}
    assert not [key for key, line in lines.items() if "error" in line]
    for article in [*annexes, *sample]:
        answer = lines[article.key]
        assert not answer["abstained"], article.key
        first = answer["citations"][0]
        assert (first["article"], first["id"], first["url"]) == (article.label, article.legi_id, article.url)
        assert is_verbatim(first["quote"], article.text), article.key
