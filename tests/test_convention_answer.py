"""« Votre convention collective »: what the chosen convention says, quoted verbatim, and every citation
of it checked — offline, through a scripted LLM, and in the `cdt ask` / `cdt chat` contract.

The convention is Syntec (IDCC 1486) from the shipped snapshot, searched as the chain searches it.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from corpus.conventions import Convention, load_convention, read_index
from corpus.store import load_store
from indexing.convention_search import ConventionLibrary, ConventionSearcher
from indexing.index import open_searcher
from indexing.settings import IndexSettings
from ui.cli import cdt

from assistant.answer import Source
from assistant.chain import Assistant
from assistant.citations import REMOVED_ARTICLE, REMOVED_QUOTE
from assistant.convention_answer import ConventionFinding, check, find, quoted, section
from assistant.llm import ChatComposer

SYNTEC = 1486
TRIAL_CID = "KALIARTI000044253063"  # Texte de base, article 3.4: « Période d'essai »
ON_TRIAL = "Quelle est la durée de la période d'essai d'un cadre ?"
NOT_IN_SYNTEC = "Un salarié a critiqué la société sur LinkedIn, peut-on le sanctionner ?"  # bench/convention_negative_questions.jsonl n009


@pytest.fixture(scope="module")
def syntec() -> Convention:
    return load_convention(next(c for c in read_index() if c.idcc == SYNTEC))


@pytest.fixture(scope="module")
def on_trial(syntec: Convention) -> ConventionFinding:
    return find(ConventionSearcher(syntec), ON_TRIAL, None)


def test_the_article_that_answers_is_quoted_verbatim_with_its_status_and_link(on_trial: ConventionFinding) -> None:
    first = on_trial.passages[0]
    assert first.article.cid == TRIAL_CID and first.label == "Texte de base, article 3.4"
    assert "coefficient 95 au coefficient 270 de la grille de classification des emplois ingénieurs et cadres, la période " \
           "d'essai est de 4 mois maximum" in first.quote
    shown = section(on_trial)
    assert shown.startswith(f"**Votre convention collective (IDCC {SYNTEC}, Bureaux d'études techniques")
    assert f"» [IDCC {SYNTEC} — Texte de base, article 3.4] — texte étendu" in shown
    assert f"conv_coll/id/{first.article.id}/?idConteneur={on_trial.convention.info.id}" in shown
    checked = check(shown, on_trial)
    assert checked.notices == [] and checked.text == shown
    assert {c.cid for c in checked.citations} >= {TRIAL_CID}


def test_a_question_the_convention_does_not_address_gets_one_sentence(syntec: Convention) -> None:
    finding = find(ConventionSearcher(syntec), NOT_IN_SYNTEC, None)
    assert finding.passages == ()
    assert "aucun article qui porte sur cette question" in section(finding)


def test_an_avenant_repeating_the_base_text_is_not_quoted_beside_it(syntec: Convention) -> None:
    finding = find(ConventionSearcher(syntec), "Combien de jours de congé pour un mariage ?", None)
    quotes = [p.quote for p in finding.passages]
    assert sum("mariage ou pacte civil de solidarité (Pacs) : 4 jours ouvrés" in q for q in quotes) == 1
    assert finding.passages[0].label == "Texte de base, article 5.7"
    assert all(q.count("«") == q.count("»") for q in quotes)


def test_a_second_passage_is_quoted_only_with_enough_of_the_question_s_words() -> None:
    """Services de l'automobile, article 4.10: the question is on b) (time off to look for a job during the
    notice); a), on the notice's length, shares fewer than half as many of its words, and coming first in the
    article it made the quote start off the subject."""
    automobile = load_convention(next(c for c in read_index() if c.idcc == 1090))
    question = "Pendant mon préavis, combien d'heures d'absence pour chercher du travail ?"
    hits = ConventionSearcher(automobile).search(question, 5, None)
    article = next(p for p in quoted(automobile, hits, question) if p.label == "Texte de base, article 4.10")
    assert article.quote.startswith("b) Pendant la période de préavis, le salarié est autorisé à s'absenter")
    assert "a) Après expiration de la période d'essai" not in article.quote
    wordier = next(p for p in quoted(automobile, hits, question, second_share=0.0) if p.article == article.article)
    assert wordier.quote.startswith("a) Après expiration de la période d'essai")  # what any shared word let in


@pytest.mark.parametrize(("question", "shown", "left_out"), [
    ("Quelle est la durée du préavis en cas de démission après 4 ans d'ancienneté ?",
     "b) En cas de démission : - de la fin de période d'essai jusqu'à 3 mois d'ancienneté dans l'entreprise : 2 jours ; "
     "- au-delà de 3 mois d'ancienneté dans l'entreprise : 2 semaines.", "a) En cas de licenciement"),
    ("Quel préavis en cas de licenciement après 4 ans d'ancienneté ?",
     "a) En cas de licenciement : […] - de 6 mois à 2 ans d'ancienneté dans l'entreprise : 1 mois ; "
     "- plus de 2 ans d'ancienneté dans l'entreprise : 2 mois.", "b) En cas de démission"),
])
def test_rows_of_a_sub_list_are_quoted_with_its_heading(question: str, shown: str, left_out: str) -> None:
    """Bâtiment ouvriers, article 10.1: one list, a) dismissal then b) resignation. The dismissal's rows were
    quoted for a resignation question, without « a) En cas de licenciement », as if they were the rule."""
    batiment = load_convention(next(c for c in read_index() if c.idcc == 1597))
    hits = ConventionSearcher(batiment).search(question, 5, None)
    article = next(p for p in quoted(batiment, hits, question) if p.label == "Texte de base, article 10.1")
    assert shown in article.quote and left_out not in article.quote


def test_every_convention_citation_is_checked(on_trial: ConventionFinding) -> None:
    label = on_trial.passages[0].label
    text = " ".join([
        f"« la période d'essai est de 4 mois maximum » [IDCC {SYNTEC} — {label}]",  # verbatim: kept
        f"« la période d'essai dure six mois » [IDCC {SYNTEC} — {label}]",  # paraphrase
        f"« Elle peut être renouvelée » [IDCC 3248 — {label}]",  # another convention
        f"[IDCC {SYNTEC} — Texte de base, article 99]",  # not found for this answer
        f"« La durée de la période d'essai et de son renouvellement est la suivante : […] la période d'essai est de 4 "
        f"mois maximum » [IDCC {SYNTEC}, {label}]",  # an omission, and a comma: each part is verbatim
    ])
    checked = check(text, on_trial)
    assert checked.text.count(REMOVED_QUOTE) == 2 and checked.text.count(REMOVED_ARTICLE) == 1
    assert len(checked.notices) == 3
    assert any("mot pour mot" in n for n in checked.notices) and any("IDCC 3248" in n for n in checked.notices)
    assert [c.quote[:30] for c in checked.citations] == ["la période d'essai est de 4 mo", "La durée de la période d'essai"]
    assert checked.citations[0].to_dict() == {
        "article": label, "source": "convention", "id": on_trial.passages[0].article.id,
        "url": checked.citations[0].url, "quote": "la période d'essai est de 4 mois maximum", "idcc": SYNTEC,
        "cid": TRIAL_CID}
    nothing_chosen = check(text, None)
    assert nothing_chosen.citations == [] and "aucune convention choisie" in nothing_chosen.notices[0]


@pytest.fixture(scope="module")
def index_settings(full_index: Path) -> IndexSettings:
    return dataclasses.replace(IndexSettings.from_env(), index_dir=full_index)


@pytest.fixture(scope="module")
def with_conventions(index_settings: IndexSettings) -> Assistant:
    searcher, _ = open_searcher(load_store(), index_settings)
    return Assistant(searcher, conventions=ConventionLibrary(None))


def test_the_answer_quotes_the_code_and_the_chosen_convention(with_conventions: Assistant) -> None:
    chosen = with_conventions.conventions.by_idcc(SYNTEC)
    answer, _ = with_conventions.ask(ON_TRIAL, convention=chosen)
    assert not answer.abstained and "[L1221-19]" in answer.text
    code_part, convention_part = answer.text.split("**Votre convention collective", 1)
    assert "[IDCC" not in code_part.split("**À vérifier**")[0]
    assert "Texte de base, article 3.4" in convention_part
    sources = {c.source for c in answer.citations}
    assert sources == {Source.CODE, Source.CONVENTION}
    data = answer.to_dict()
    assert data["convention"] == {"idcc": SYNTEC, "title": chosen.short_title, "searched": True}
    assert f"Convention collective IDCC {SYNTEC}" in answer.text and "kali-data@3.449.0" in answer.text
    without, _ = with_conventions.ask(ON_TRIAL)
    assert "[IDCC" not in without.text and "convention collective, un accord d'entreprise" in without.text


def test_a_convention_question_is_answered_once_the_convention_is_known(with_conventions: Assistant) -> None:
    question = "Dans la convention des hôtels-cafés-restaurants, combien de jours fériés garantis ?"
    declined, _ = with_conventions.ask(question)  # a title's words in a question are not a choice
    assert declined.abstained and "indiquez-la d'abord" in declined.text and declined.convention is None
    answered, _ = with_conventions.ask(question, convention=with_conventions.conventions.by_idcc(1979))
    assert not answered.abstained and any(c.source is Source.CONVENTION for c in answered.citations)
    named, _ = with_conventions.ask("Que prévoit la convention Syntec pour l'indemnité de licenciement d'un ingénieur ?")
    assert named.convention["idcc"] == SYNTEC and any("prise dans votre question" in n for n in named.notices)
    assert any(c.source is Source.CONVENTION and "4.5" in c.label for c in named.citations)


def test_the_llm_gets_the_convention_articles_and_its_citations_of_them_are_checked(
        index_settings: IndexSettings, on_trial: ConventionFinding) -> None:
    label = on_trial.passages[0].label
    written = (f"La convention prévoit que « la période d'essai est de 4 mois maximum » [IDCC {SYNTEC} — {label}] "
               f"et que « la période d'essai est de 12 mois » [IDCC {SYNTEC} — {label}].")
    model = FakeListChatModel(responses=[written])
    searcher, _ = open_searcher(load_store(), index_settings)
    assistant = Assistant(searcher, ChatComposer(model, "faux"), conventions=ConventionLibrary(None))
    answer, _ = assistant.ask(ON_TRIAL, convention=assistant.conventions.by_idcc(SYNTEC))
    assert "« la période d'essai est de 4 mois maximum » [IDCC 1486 — Texte de base, article 3.4]" in answer.text
    assert "12 mois" not in answer.text and any("mot pour mot" in n for n in answer.notices)
    assert "**Votre convention collective" in answer.text  # the checked section follows the model's answer


@pytest.fixture
def use_full_index(full_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDT_INDEX_DIR", str(full_index))


@pytest.mark.usefixtures("use_full_index")
def test_cdt_ask_remembers_the_convention_in_the_conversation_file(tmp_path: Path) -> None:
    history = tmp_path / "conversation.json"
    history.write_text(json.dumps([]), encoding="utf-8")  # the form written before conventions: still read
    first = CliRunner().invoke(cdt, ["ask", ON_TRIAL, "--idcc", "syntec", "--json", "--history", str(history)])
    assert first.exit_code == 0, first.output
    cited = [c for c in json.loads(first.output)["citations"] if c["source"] == "convention"]
    assert cited and {"article", "source", "idcc", "id", "cid", "url", "quote"} == cited[0].keys()
    assert json.loads(history.read_text(encoding="utf-8"))["idcc"] == SYNTEC
    second = CliRunner().invoke(cdt, ["ask", "Et le préavis de démission ?", "--json", "--history", str(history)])
    assert second.exit_code == 0, second.output
    assert json.loads(second.output)["convention"]["idcc"] == SYNTEC


@pytest.mark.usefixtures("use_full_index")
def test_an_ambiguous_or_unknown_convention_is_refused_with_the_candidates(tmp_path: Path) -> None:
    ambiguous = CliRunner().invoke(cdt, ["ask", ON_TRIAL, "--idcc", "BTP"])
    assert ambiguous.exit_code == 1 and "plusieurs conventions" in ambiguous.output and "IDCC 1597" in ambiguous.output
    unknown = CliRunner().invoke(cdt, ["ask", ON_TRIAL, "--idcc", "9999"])
    assert unknown.exit_code == 1 and "Aucune convention collective connue sous l'IDCC 9999" in unknown.output
    history = tmp_path / "conversation.json"
    history.write_text(json.dumps({"idcc": "syntec", "turns": []}), encoding="utf-8")
    refused = CliRunner().invoke(cdt, ["ask", ON_TRIAL, "--history", str(history)])
    assert refused.exit_code == 1 and "« idcc » doit être un numéro" in refused.output


@pytest.mark.usefixtures("use_full_index")
def test_batch_lines_carry_their_own_convention(tmp_path: Path) -> None:
    batch = tmp_path / "questions.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in [
        {"id": "a", "question": ON_TRIAL, "idcc": SYNTEC},
        {"id": "b", "question": ON_TRIAL},
        {"id": "c", "question": ON_TRIAL, "idcc": 9999},
    ]), encoding="utf-8")
    result = CliRunner().invoke(cdt, ["ask", "--batch-file", str(batch)])
    assert result.exit_code == 0, result.output
    a, b, c = (json.loads(line) for line in result.output.splitlines() if line.startswith("{"))
    assert a["convention"]["idcc"] == SYNTEC and any(x["source"] == "convention" for x in a["citations"])
    assert b["convention"] is None and "IDCC 9999" in c["error"]


@pytest.mark.usefixtures("use_full_index")
def test_chat_chooses_shows_and_forgets_the_convention() -> None:
    typed = "\n".join(["/convention", "/convention BTP", "/convention 1486", ON_TRIAL, "/convention aucune", ON_TRIAL,
                       "/quitter"]) + "\n"
    result = CliRunner().invoke(cdt, ["chat"], input=typed)
    assert result.exit_code == 0, result.output
    assert "Aucune convention collective choisie" in result.output and "plusieurs conventions" in result.output
    assert "Convention collective choisie : IDCC 1486" in result.output
    first, second = result.output.split("Convention collective oubliée")
    assert "[IDCC 1486 — Texte de base, article 3.4]" in first and "[IDCC" not in second
