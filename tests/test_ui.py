"""The web page without a browser: rendering and escaping, the code's plan, feedback storage, the
page's handlers on the whole code, and `cdt serve` refusing to start without an index.

The page itself, driven in Chromium, is tested in tests/e2e/.
"""

from __future__ import annotations

import csv
import html
import dataclasses
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from corpus.store import ArticleStore, load_store
from indexing.generations import publish
from indexing.chunks import corpus_chunks
from indexing.convention_search import ConventionLibrary
from indexing.index import FORMAT, MANIFEST, build_index, check_index, open_searcher, read_manifest
from indexing.search import IndexSlice
from indexing.settings import IndexSettings
from tests.conftest import REPO
from ui import render
from ui.cli import cdt
from ui.feedback import FeedbackStore

OETH = "Nous avons 120 salariés depuis plus de cinq ans et employons 4 travailleurs handicapés. Sommes-nous en règle ?"


# --- rendering -------------------------------------------------------------------------------------------
def test_user_text_is_escaped_for_the_chat() -> None:
    shown = render.user_markdown('<img src=x onerror="alert(1)"> **gras** [lien](javascript:alert(2)) & co')
    assert "<" not in shown and ">" not in shown and "&lt;img" in shown and "&amp; co" in shown
    assert r"\*\*gras\*\*" in shown and r"\[lien\]" in shown


def test_assistant_markdown_keeps_quotation_blocks_but_no_tag() -> None:
    shown = render.safe_markdown("> citation\n<script>alert(1)</script> @socialgouv/legi-data@2.513.0")
    assert shown.startswith("> citation") and "<script" not in shown and "&lt;script>" in shown
    assert "@" not in shown  # no e-mail autolink


def test_article_text_and_titles_are_escaped(store: ArticleStore) -> None:
    article = dataclasses.replace(store.get("L5212-2"), paragraphs=("<script>alert(1)</script>",),
                                  breadcrumbs=("Partie <b>législative</b>",))
    shown = render.article_html(store, article)
    assert "<script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "<b>" not in shown and "Partie &lt;b&gt;législative&lt;/b&gt;" in shown


def test_article_view_has_place_dates_links_in_and_out(store: ArticleStore) -> None:
    plan = render.Plan(store.in_force)
    shown = render.article_html(store, store.get("R5122-18"), plan)
    assert "Article R5122-18" in shown and "Version en vigueur depuis le 01/01/2023" in shown
    assert 'href="#cdt-article-R5122-17"' in shown and 'href="#cdt-article-R5122-19"' in shown  # neighbours
    for citing in store.references_in("R5122-18"):
        assert f'href="#cdt-article-{citing}"' in shown
    assert "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI" in shown and 'rel="noopener noreferrer"' in shown
    section = plan.node_of_article("R5122-18")
    assert f'href="#cdt-node-{section.id}"' in shown  # the breadcrumbs open the plan
    assert "consolidé au 27/03/2026" in shown


def test_answer_citations_become_links_only_for_checked_articles(store: ArticleStore) -> None:
    from assistant.answer import Answer, Citation

    answer = Answer(question="q", standalone="q", text="« x » [L5212-2] et [L9999-9] <b>",
                    citations=[Citation("L5212-2", None, "x")], corpus_date=store.consolidation_date,
                    abstained=False, mode="extractif", notices=["<i>note</i>"])
    shown = render.answer_markdown(answer)
    assert "[L5212-2](#cdt-article-L5212-2)" in shown and "[L9999-9](" not in shown
    assert "<b>" not in shown and "<i>" not in shown and "*Note : &lt;i>note&lt;/i>*" in shown


def test_an_annex_is_cited_shown_and_placed_by_its_key(store: ArticleStore) -> None:
    """The two texts labelled « Annexe » are told apart by their key everywhere the page shows them."""
    from assistant.answer import Answer, Citation

    first, second = (a for a in store.in_force if a.label == "Annexe")
    answer = Answer(question="q", standalone="q", text=f"« x » [{second.key}]", citations=[Citation.of(second, "x")],
                    corpus_date=store.consolidation_date, abstained=False, mode="extractif")
    href = render.article_href(second.key)
    assert f"[Annexe]({href})" in render.answer_markdown(answer) and second.legi_id in href
    assert f'data-article="{second.key}"' in render.citation_chips(render.cited_articles(answer))
    shown = render.article_html(store, second, render.Plan(store.in_force))
    assert ">Annexe <span" in shown and second.url in shown and "Voir le texte « Annexe » sur Légifrance" in shown
    plan = render.Plan(store.in_force)
    assert plan.node_of_article(first.key) != plan.node_of_article(second.key)


def test_page_links_are_read_back() -> None:
    assert render.parse_link({"article": "L1453-1%20A"}) == ("article", "L1453-1 A")
    assert render.parse_link({"node": "12"}) == ("node", "12")
    assert render.parse_link({"node": "12; drop"}) is None and render.parse_link({}) is None
    assert render.article_href("L1453-1 A") == "#cdt-article-L1453-1%20A"


def test_plan_follows_the_breadcrumbs_in_code_order(store: ArticleStore) -> None:
    plan = render.Plan(store.in_force)
    root = plan.nodes[0]
    assert root.total == sum(1 for a in store.in_force if a.number)
    assert [plan.nodes[i].title for i in root.children][:2] == ["Partie législative", "Partie réglementaire"]
    node = plan.node_of_article("R5122-18")
    assert node.path == store.get("R5122-18").breadcrumbs
    assert node.articles.index("R5122-17") + 1 == node.articles.index("R5122-18")
    shown = plan.html(node.id, current_article="R5122-18")
    assert '<a class="cdt-chip" href="#cdt-article-R5122-18"' in shown and 'aria-current="true"' in shown
    assert shown.count("<li") >= len(node.articles) + len(node.path)  # every level up is a link
    assert plan.get(10**9) is None and "Code du travail" in plan.html(10**9)  # unknown node: the top


# --- feedback --------------------------------------------------------------------------------------------
def _vote(store: FeedbackStore, session: str, index: int, rating: int) -> None:
    store.record(session=session, message_index=index, rating=rating, question="Q ; « x »", standalone_question="Q",
                 answer="Réponse\n**gras**", articles=["L5212-2", "D5212-20"], mode="extractif",
                 corpus_date="2026-03-27")


def test_feedback_is_stored_in_wal_mode_replaced_withdrawn_and_exported(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    _vote(store, "s1", 1, 1)
    _vote(store, "s1", 1, -1)  # a second vote on the same answer replaces the first
    _vote(store, "s2", 1, 1)
    _vote(store, "s2", 3, 1)
    store.withdraw("s2", 3)
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = store.rows()
    assert [(r["session"], r["rating"]) for r in rows] == [("s1", -1), ("s2", 1)]
    assert rows[0]["articles"] == ["L5212-2", "D5212-20"] and rows[0]["answer"] == "Réponse\n**gras**"
    assert store.counts() == {"utile": 1, "pas_utile": 1}
    lines = store.export_jsonl(tmp_path / "avis.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["rating"] for line in lines] == [-1, 1]
    with store.export_csv(tmp_path / "avis.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle, delimiter=";"))
    assert table[0]["articles"] == "L5212-2, D5212-20" and table[0]["question"] == "Q ; « x »"
    with pytest.raises(ValueError):
        _vote(store, "s3", 1, 0)


# --- `cdt serve` -----------------------------------------------------------------------------------------
def test_serve_refuses_to_start_without_an_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDT_INDEX_DIR", str(tmp_path / "index"))
    result = CliRunner().invoke(cdt, ["serve", "--port", "7999"])
    assert result.exit_code == 1
    assert "aucun index" in result.output and "`cdt index build`" in result.output
    assert "`cdt serve --build-index`" in result.output


def test_serve_refuses_a_stale_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: ArticleStore) -> None:
    index = tmp_path / "index"
    (index / "gen-1").mkdir(parents=True)
    (index / "gen-1" / MANIFEST).write_text(json.dumps({"format": FORMAT, "state": "complete", "generation": "gen-1",
                                                        "corpus_source": store.source,
                                                        "consolidation_date": "2020-01-01", "chunking_version": 0}))
    publish(index, "gen-1")
    monkeypatch.setenv("CDT_INDEX_DIR", str(index))
    result = CliRunner().invoke(cdt, ["serve"])
    assert result.exit_code == 1 and "ne correspond plus au corpus" in result.output and "cdt index build" in result.output


def test_build_index_option_builds_a_missing_index_first(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         store: ArticleStore) -> None:
    """The real builder, lexical only (no model in this models folder) to stay quick, on the whole code."""
    from ui.serve import ensure_index

    models = tmp_path / "models"
    settings = dataclasses.replace(IndexSettings.from_env(), index_dir=tmp_path / "index", models_dir=models,
                                   embedding_model=str(models / "absent"), chroma_url=None)
    ensure_index(store, settings, build_first=True)
    manifest = check_index(store, settings)  # what `cdt serve` requires: raises when missing or stale
    assert manifest["only"] is None and manifest["chunks"] == len(corpus_chunks(store.in_force))
    assert "Index construit" in capsys.readouterr().err
    ensure_index(store, settings, build_first=True)  # now up to date: served as it is, not rebuilt
    assert read_manifest(settings.index_dir)["generation"] == manifest["generation"]


def test_the_cdt_command_does_not_import_gradio() -> None:
    code = "import sys, ui.cli; assert 'gradio' not in sys.modules, 'gradio importé'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


# --- the page's handlers on the whole code ---------------------------------------------------------------
@pytest.fixture(scope="module")
def page(full_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from assistant.chain import Assistant
    from ui.app import Page, PageConfig

    settings = dataclasses.replace(IndexSettings.from_env(), index_dir=full_index)
    searcher, _ = open_searcher(load_store(), settings)
    folder = tmp_path_factory.mktemp("page")
    page = Page(Assistant(searcher, conventions=ConventionLibrary(None)),
                PageConfig(feedback_path=folder / "feedback.sqlite3", files_dir=folder,
                                                index_settings=settings))
    page.build()
    return page


def test_an_empty_question_gets_a_message_and_no_turn(page: Any) -> None:
    updates = list(page.respond("   ", [], [], []))
    assert len(updates) == 1 and "Écrivez d'abord votre question" in html.unescape(updates[0][page.notice])
    assert page.chatbot not in updates[0]


def test_a_question_then_a_follow_up_then_feedback(page: Any) -> None:
    first = list(page.respond(OETH, [], [], []))
    final = first[-1]
    messages, turns, records = final[page.messages], final[page.turns], final[page.records]
    assert [m["role"] for m in messages] == ["user", "assistant"] and len(turns) == 1
    assert "14 772,00 €" in messages[1]["content"] and "(#cdt-article-L5212-2)" in messages[1]["content"]
    assert 'data-article="L5212-2"' in final[page.chips]
    assert final[page.rescrit].visible is True
    (draft,) = page.files.glob("brouillon-rescrit-*.md")
    assert "## Exposé de la situation de fait" in draft.read_text(encoding="utf-8")
    second = list(page.respond("Et si nous avions 300 salariés ?", messages, turns, records))[-1]
    assert "86 170,00 €" in second[page.messages][3]["content"] and len(second[page.turns]) == 2
    import gradio as gr

    like = gr.LikeData(None, {"index": 3, "value": ["…"], "liked": False})
    notice = page.on_feedback(second[page.records], like, SimpleNamespace(session_hash="abc"))
    assert "enregistré" in notice
    (row,) = page.feedback.rows()
    assert row["rating"] == -1 and row["question"] == "Et si nous avions 300 salariés ?" and row["session"] == "abc"
    assert "86 170,00 €" in row["answer"] and "L5212-2" in row["articles"]
    withdrawn = gr.LikeData(None, {"index": 3, "value": ["…"], "liked": ""})
    page.on_feedback(second[page.records], withdrawn, SimpleNamespace(session_hash="abc"))
    assert page.feedback.rows() == []
    assert "ne peut pas être évaluée" in page.on_feedback(second[page.records], gr.LikeData(
        None, {"index": 0, "value": [], "liked": True}), SimpleNamespace(session_hash="abc"))


@pytest.mark.parametrize("typed", ["L5212-2", "l. 5212-2", "article L.5212-2", "l5212-2"])
def test_lookup_by_number_in_any_spelling(page: Any, typed: str) -> None:
    view, plan = page.lookup(typed)
    assert "Article L5212-2" in view and 'aria-current="true"' in plan


def test_lookup_of_an_annex_by_its_label_key_or_id(page: Any, store: ArticleStore) -> None:
    annex = store.get("Annexe I à l'article R4312-1")
    for typed in ("annexe I à l'article R4312-1", annex.key, str(annex.legi_id)):
        view, plan = page.lookup(typed)
        assert "Annexe I à l&#x27;article R4312-1" in view and annex.paragraphs[0][:40] in html.unescape(view)
        assert 'aria-current="true"' in plan
    view, _ = page.lookup("Annexe")  # two texts bear that label: the lookup searches rather than pick one
    assert "Articles trouvés" in view


def test_lookup_of_an_unknown_number_or_of_words(page: Any) -> None:
    view, _ = page.lookup("R5122-99")
    view = html.unescape(view)
    assert "n'existe pas dans le corpus" in view and "R5122-" in view and 'role="alert"' in view
    view, _ = page.lookup("période d'essai <script>")
    assert "Articles trouvés" in view and "« période d&#x27;essai &lt;script&gt; »" in view and "<script>" not in view
    view, _ = page.lookup("")
    assert "Tapez un numéro" in view


def test_calculator_forms_validate_on_the_field_and_compute(page: Any) -> None:
    form = next(f for f in page.calc_forms if f.calculator.name == "oeth")
    names = [name for name, _ in form.fields]
    raw = ["" if name not in ("effectif", "beneficiaires") else "" for name in names]
    checks = form.validate(*raw)
    assert [c["is_valid"] for c in checks][:2] == [False, False] and "Champ obligatoire" in checks[0]["message"]
    raw[names.index("effectif")], raw[names.index("beneficiaires")] = "douze", "4"
    checks = form.validate(*raw)
    assert checks[0]["is_valid"] is False and "« douze » reçu" in checks[0]["message"] and checks[1]["is_valid"]
    raw[names.index("effectif")], raw[names.index("date")] = "120", "31/12/2026"  # SMIC 12,31 € on 31/12/2026
    raw[names.index("annees_seuil")] = "5"  # subject: 20 employees or more for five consecutive years
    assert all(c["is_valid"] for c in form.validate(*raw))
    text, question, button = form.compute(page)(*raw)
    assert "**Résultat : 14 772,00 €**" in text and "[D5212-20](#cdt-article-D5212-20)" in text
    assert "Sources" in text and "legifrance.gouv.fr" in text
    assert "120" in question and button.visible is True
    bools = next(f for f in page.calc_forms if f.calculator.name == "indemnite-fin-contrat")
    assert bools.values(("2000", "Oui", "Non", "Non précisé", "", None, "Non précisé")) == {
        "remuneration_totale": "2000", "poursuite_cdi": True, "saisonnier_ou_usage": False}


def test_every_calculator_has_a_form_with_labelled_fields(page: Any) -> None:
    from assistant.calculators.registry import CALCULATORS

    assert [f.calculator.name for f in page.calc_forms] == list(CALCULATORS)
    for form in page.calc_forms:
        assert form.fields and all(component.label for _, component in form.fields)


def test_status_tells_corpus_index_model_and_mode(page: Any) -> None:
    text = page.status_markdown()
    for expected in ("27/03/2026", "législative : 4408", "Articles par statut : en vigueur : ", "à jour", "hybride",
                     "embeddinggemma", "onnxruntime", "extractif", "Utile"):
        assert expected in text, expected
    assert "in_force" not in text  # the statuses' codes, for --json only
    jsonl, csv_file = page.export_feedback()
    assert Path(jsonl).suffix == ".jsonl" and Path(csv_file).suffix == ".csv"


def test_a_whole_index_claims_no_slice(page: Any) -> None:
    assert page.assistant.searcher.index_slice is None
    assert not [n for n in page.assistant.searcher.search(OETH, k=3).notices if "Index partiel" in n]
    assert "Index partiel" not in page.status_markdown()


def test_a_slice_index_is_named_in_the_status_and_under_each_answer(page: Any, store: ArticleStore,
                                                                     tmp_path: Path) -> None:
    """`cdt index build --only L5212` (a demo) must not pass for the whole code: the page says so, where it answers."""
    from assistant.chain import Assistant
    from ui.app import Page, PageConfig

    settings = dataclasses.replace(IndexSettings.from_env(), index_dir=tmp_path / "index")
    embedder = page.assistant.searcher.dense.embedder  # loaded once for the module
    build_index(store, settings, only="L5212", progress=False, embedder=embedder)
    sliced = Page(Assistant(open_searcher(store, settings, embedder)[0]),
                  PageConfig(feedback_path=tmp_path / "f.sqlite3", files_dir=tmp_path, index_settings=settings))
    sliced.build()
    notice = IndexSlice("L5212", 21).notice  # its wording: tests/test_index_search.py
    assert f"### Avertissements\n- {notice}" in sliced.status_markdown()
    final = list(sliced.respond(OETH, [], [], []))[-1][sliced.chatbot][-1]["content"]
    assert "L5212-2" in final and f"*Note : {notice}*" in final


class _StreamingLlm:
    """A stand-in language model that writes a verbatim quotation in three pieces."""

    name = "essai"
    PIECES = ["Selon l'article L5212-2 : « Tout employeur emploie des bénéficiaires de l'obligation d'emploi ",
              "mentionnés à l'article L. 5212-13 dans la proportion minimale de 6 % de l'effectif total de ses ",
              "salariés. » [L5212-2] <b>fin</b>"]

    def standalone(self, history: list[Any], question: str) -> str:
        return question

    def compose(self, question: str, articles: list[Any], calculation: Any, situation: bool, sheets: Any = (),
                convention: Any = None) -> str:
        return "".join(self.PIECES)

    def stream(self, question: str, articles: list[Any], calculation: Any, situation: bool, sheets: Any = (),
               convention: Any = None) -> Any:
        yield from self.PIECES


def test_llm_mode_streams_the_draft_then_shows_the_checked_answer(page: Any, tmp_path: Path) -> None:
    from assistant.chain import Assistant
    from assistant.citations import QUOTED, REMOVED_QUOTE, is_verbatim
    from assistant.composer import checked_lead
    from ui.app import Page, PageConfig

    streaming = Page(Assistant(page.assistant.searcher, llm=_StreamingLlm()),
                     PageConfig(feedback_path=tmp_path / "f.sqlite3", files_dir=tmp_path))
    streaming.build()
    updates = list(streaming.respond(OETH, [], [], []))
    drafts = [u[streaming.chatbot][-1]["content"] for u in updates[1:-1]]
    assert len(drafts) == 4 and all("Réponse en cours de rédaction" in d for d in drafts)
    text = updates[-1][streaming.last_answer]  # the checked answer's text
    lead = checked_lead(text)  # « En bref », shown first, whole, before the model writes
    assert lead and drafts[0].startswith(f"**En bref**\n\n{render.safe_markdown(lead)}\n\n")
    for quote in QUOTED.finditer(lead):  # quotations only, each verbatim from the article it cites
        assert is_verbatim(quote["quote"], page.assistant.store.get(quote["number"]).text)
    assert QUOTED.sub("", lead).strip() == "" and REMOVED_QUOTE not in lead
    written = [d.split(render.safe_markdown(lead), 1)[1] for d in drafts]  # what the model wrote so far
    assert "proportion minimale" not in written[1] and "proportion minimale" in written[2]
    assert text.startswith(f"**En bref**\n\n{lead}\n\n{''.join(_StreamingLlm.PIECES)}")  # kept, checked
    final = updates[-1][streaming.chatbot][-1]["content"]
    assert final.startswith("**En bref**\n\n") and "Réponse en cours" not in final
    after_lead = final.split("\n\n", 2)[2]
    assert after_lead.startswith("Selon l'article L5212-2") and "[L5212-2](#cdt-article-L5212-2)" in after_lead
    assert "<b>" not in final and "consolidé au 27/03/2026" in final
    assert "modèle de langue configuré (essai)" in streaming.status_markdown()


def test_an_answer_past_the_time_limit_is_given_up_with_a_message(page: Any, tmp_path: Path) -> None:
    """A configured LLM that stalls (LangChain's fake model, one character every 0.5 s): the page stops waiting."""
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.chain import Assistant
    from assistant.llm import ChatComposer
    from ui.app import Page, PageConfig

    stalled = FakeListChatModel(responses=["Selon l'article L5212-2, la proportion est de 6 %."], sleep=0.5)
    slow = Page(Assistant(page.assistant.searcher, llm=ChatComposer(stalled, "lent")),
                PageConfig(feedback_path=tmp_path / "feedback.sqlite3", files_dir=tmp_path, request_timeout_s=1.5))
    slow.build()
    updates = list(slow.respond("Quelle proportion de travailleurs handicapés faut-il employer ?", [], [], []))
    last = updates[-1][slow.chatbot][-1]["content"]
    assert "Délai dépassé" in last and "1.5 s" in last
    assert slow.turns not in updates[-1]  # no turn recorded for an abandoned answer


def test_the_convention_chosen_is_quoted_and_a_bad_choice_keeps_the_previous_one(page: Any) -> None:
    import gradio as gr

    idcc, status = page.choose_convention("syntec")
    assert idcc == 1486 and "IDCC 1486" in status
    kept, refused = page.choose_convention("BTP")
    assert kept == gr.skip()  # the state is left as it was
    assert "plusieurs conventions" in refused and "IDCC 1597" in refused
    updates = list(page.respond("Quelle est la durée de la période d'essai d'un cadre ?", [], [], [], idcc))
    shown = updates[-1][page.chatbot][-1]["content"]
    assert "Votre convention collective (IDCC 1486" in shown and "](#cdt-convention-1486-KALIARTI" in shown
    target = re.search(r"#cdt-convention-(1486-KALIARTI\d{12})", shown)[1]
    assert "Texte de base, article 3.4" in page._convention_article(target)
    assert "introuvable" in page._convention_article("1486-KALIARTI000000000000")
    plan, _ = page.show_convention("3248")
    assert "IDCC 3248 — Métallurgie" in plan and "<details" in plan
    assert "plusieurs" in page.show_convention("pharmacie")[0]
