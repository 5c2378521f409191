"""Index build and hybrid search on a real slice of the code, with the real model and a real Chroma."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.snapshot import Snapshot
from corpus.store import ArticleStore, load_store
from indexing.generations import POINTER, generation_in_service
from indexing.index import (IndexUnavailable, build_index, build_note, check_index, index_slice, open_searcher,
                            read_manifest)
from indexing.model_fetch import is_installed
from indexing.query import EmptyQuery
from indexing.search import IndexSlice
from indexing.settings import DEFAULT_MODEL_NAME, IndexSettings
from tests.conftest import MODELS_DIR
from tests.page_server import free_port
from ui.cli import cdt

SLICE = "L5212"
SLICE_NOTICE = ("Index partiel : seuls les articles L5212… sont indexés (21 segments), le reste du Code du travail "
                "n'est pas consulté ; reconstruisez l'index complet avec `cdt index build`.")
pytestmark = pytest.mark.skipif(
    not is_installed(MODELS_DIR / DEFAULT_MODEL_NAME), reason="run `cdt models fetch` first (make test does)"
)


def _settings(index_dir: Path) -> IndexSettings:
    """Settings for an index folder of the tests, with the model `make test` fetched."""
    return IndexSettings(index_dir, MODELS_DIR, str(MODELS_DIR / DEFAULT_MODEL_NAME), "bfloat16", "onnx", False, None)


@pytest.fixture(scope="module")
def built_index(tmp_path_factory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("index")
    report = build_index(load_store(), _settings(folder), only=SLICE, progress=False)
    return folder, report


@pytest.fixture(autouse=True)
def use_built_index(built_index, monkeypatch) -> Path:
    monkeypatch.setenv("CDT_INDEX_DIR", str(built_index[0]))
    return built_index[0]


@pytest.fixture(scope="module")
def searcher(built_index):
    found, warnings = open_searcher(load_store(), _settings(built_index[0]))
    assert warnings == []
    return found


def _copy(index: Path, tmp_path: Path, monkeypatch) -> Path:
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    monkeypatch.setenv("CDT_INDEX_DIR", str(copy))
    return copy


def _in_service(index: Path) -> Path:
    """The folder of the generation the pointer names."""
    return index / generation_in_service(index)


def test_build_report_and_manifest(built_index) -> None:
    folder, report = built_index
    assert report.dense and report.chunks == 21 and report.deleted == 0
    assert report.embedded + report.reused_shipped == 21
    manifest = read_manifest(folder)
    assert manifest == json.loads((_in_service(folder) / "manifest.json").read_text())
    assert manifest["state"] == "complete" and manifest["consolidation_date"] == "2026-03-27"
    assert manifest["collection"].startswith("cdt-") and (_in_service(folder) / "chroma").is_dir()
    assert manifest["model"].startswith("google/embeddinggemma-300m@cbf5a783") and manifest["only"] == SLICE


def test_rebuild_reuses_every_vector(built_index, tmp_path, monkeypatch) -> None:
    copy = _copy(built_index[0], tmp_path, monkeypatch)
    before = generation_in_service(copy)
    report = build_index(load_store(), IndexSettings.from_env(), only=SLICE, progress=False)
    assert report.embedded == 0 and report.reused_stored + report.reused_shipped == 21
    after = generation_in_service(copy)
    assert after != before and json.loads((copy / POINTER).read_text())["previous"] == before
    assert sorted(p.name for p in copy.glob("gen-*")) == sorted([before, after])  # the one before is kept


def test_rebuild_after_a_text_change_embeds_only_that_chunk(built_index, tmp_path, monkeypatch) -> None:
    """The changed chunk is embedded once; the next build takes it from the generation in service."""
    copy = _copy(built_index[0], tmp_path, monkeypatch)
    store = load_store()
    article = store.get("L5212-4")
    articles = [dataclasses.replace(a, paragraphs=(*a.paragraphs, "Alinéa ajouté pour le test.")) if a is article
                else a for a in store.official.articles]
    changed = ArticleStore(Snapshot(store.official.manifest, articles), store.official_path)
    first = build_index(changed, IndexSettings.from_env(), only=SLICE, progress=False)
    assert first.embedded == 1 and first.reused_shipped == 20
    second = build_index(changed, IndexSettings.from_env(), only=SLICE, progress=False)
    assert (second.embedded, second.reused_stored, second.reused_shipped) == (0, 1, 20)
    hits = open_searcher(changed, IndexSettings.from_env())[0].search("alinéa ajouté pour le test", 3).hits
    assert hits[0].article == "L5212-4"
    assert copy.exists()


def test_natural_question_finds_the_rule(searcher) -> None:
    result = searcher.search("Nous avons 120 salariés : combien de travailleurs handicapés devons-nous employer ?", k=5)
    assert result.mode == "hybrid"
    assert "L5212-2" in [h.article for h in result.hits[:3]]
    store = load_store()
    for hit in result.hits:
        assert 0 < hit.score <= 1
        quoted = hit.snippet.removesuffix(" …")
        assert any(quoted in p for p in store.get(hit.article).paragraphs), "snippets are verbatim"


@pytest.mark.parametrize("question", ["Combien de travailleurs handicapés employer ?", "L5212-2"])
def test_every_result_of_a_slice_index_names_the_slice_and_the_full_build(searcher, question: str) -> None:
    """A slice index (a test, a demo) must not pass for the whole code: held-out questions would fail silently."""
    assert searcher.index_slice == IndexSlice(SLICE, 21)
    assert SLICE_NOTICE in searcher.search(question, k=3).notices


def test_a_manifest_that_records_no_slice_reads_as_the_whole_code(built_index) -> None:
    manifest = read_manifest(built_index[0])
    assert index_slice(manifest) == IndexSlice(SLICE, 21)
    del manifest["only"]  # as in a manifest written before slices were recorded
    assert index_slice(manifest) is None


def test_acronym_is_expanded(searcher) -> None:
    hits = searcher.search("OETH taux", k=3).hits
    assert "L5212-2" in [h.article for h in hits]


@pytest.mark.parametrize("question", ["article L. 5212-2", "l5212-2", "Que dit l'article 5212-2 ?"])
def test_article_number_goes_first(searcher, question: str) -> None:
    first = searcher.search(question, k=3).hits[0]
    assert (first.article, first.score, first.via) == ("L5212-2", 1.0, "numéro")


def test_unknown_number_says_so_and_suggests(searcher) -> None:
    result = searcher.search("L9999-1")
    assert result.hits == [] and result.notices[0] == SLICE_NOTICE
    assert "L9999-1 n'existe pas" in result.notices[1] and "plus proches : L8323-3, L8331-1" in result.notices[1]


@pytest.mark.parametrize("question", ["", "?!?!", "…"])
def test_empty_queries(searcher, question: str) -> None:
    with pytest.raises(EmptyQuery):
        searcher.search(question)


def test_huge_query_is_capped(searcher) -> None:
    result = searcher.search("obligation d'emploi des travailleurs handicapés " * 2500, k=3)
    assert result.hits and "tronquée" in result.notices[0]


def test_missing_model_falls_back_to_lexical_with_a_warning(monkeypatch) -> None:
    monkeypatch.setenv("CDT_MODELS_DIR", "/nonexistent/models")
    searcher, warnings = open_searcher(load_store(), IndexSettings.from_env())
    assert searcher.mode == "lexical-only"
    assert "recherche lexicale seule" in warnings[0] and "lancez `cdt models fetch`" in warnings[0]
    result = searcher.search("obligation d'emploi des travailleurs handicapés proportion", k=3)
    assert result.hits and "recherche lexicale seule" in result.notices[0] and result.notices[1] == SLICE_NOTICE


def test_missing_model_libraries_name_the_install_command(monkeypatch) -> None:
    """A broken environment (onnxruntime and sentence-transformers absent): lexical answers, and the command that fixes it."""
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if not installed
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.warns(UserWarning, match=r"bibliothèque manquante \(onnxruntime\) : installez le projet avec `pip inst"):
        searcher, warnings = open_searcher(load_store(), IndexSettings.from_env())
    assert searcher.mode == "lexical-only"
    assert warnings == ["recherche lexicale seule : bibliothèque manquante (sentence_transformers) : installez le projet "
                        "avec `pip install -e .` (ou `make run`)"]


def test_missing_index_names_the_build_command(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CDT_INDEX_DIR", str(tmp_path / "nothing"))
    with pytest.raises(IndexUnavailable, match="cdt index build"):
        open_searcher(load_store(), IndexSettings.from_env())


def test_damaged_lexical_index_names_the_build_command(built_index, tmp_path, monkeypatch) -> None:
    copy = _copy(built_index[0], tmp_path, monkeypatch)
    (_in_service(copy) / "lexical" / "chunk_ids.json").write_text("{broken")
    with pytest.raises(Exception, match="cdt index build"):
        open_searcher(load_store(), IndexSettings.from_env())


def test_a_killed_build_leaves_the_index_in_service_and_is_reported(built_index, tmp_path, monkeypatch) -> None:
    """What a build killed midway leaves: an unpublished folder (tests/test_safe_update.py kills a real one)."""
    copy = _copy(built_index[0], tmp_path, monkeypatch)
    killed = copy / "gen-29990101T000000000000-1"
    killed.mkdir()
    (killed / "manifest.json").write_text(json.dumps({"format": "cdt-index/2", "state": "building"}))
    searcher, warnings = open_searcher(load_store(), IndexSettings.from_env())
    assert searcher.generation == generation_in_service(copy) != killed.name and warnings == []
    assert "interrompue" in build_note(copy) and killed.name in build_note(copy)
    report = build_index(load_store(), IndexSettings.from_env(), only=SLICE, progress=False)
    assert not killed.exists() and any("interrompue" in w for w in report.warnings)


def test_pointer_to_a_half_written_generation_is_refused(built_index, tmp_path, monkeypatch) -> None:
    copy = _copy(built_index[0], tmp_path, monkeypatch)
    (_in_service(copy) / "manifest.json").write_text(json.dumps({"format": "cdt-index/2", "state": "building"}))
    with pytest.raises(IndexUnavailable, match="incomplet.*cdt index build"):
        check_index(load_store(), IndexSettings.from_env())
    (copy / POINTER).write_text("{")
    with pytest.raises(Exception, match="illisible.*cdt index build"):
        check_index(load_store(), IndexSettings.from_env())


def test_index_of_another_corpus_is_stale(built_index, tmp_path, monkeypatch) -> None:
    copy = _copy(built_index[0], tmp_path, monkeypatch)
    manifest = json.loads((_in_service(copy) / "manifest.json").read_text())
    manifest["consolidation_date"] = "2025-01-01"
    (_in_service(copy) / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexUnavailable, match="ne correspond plus au corpus.*2025-01-01.*cdt index build"):
        open_searcher(load_store(), IndexSettings.from_env())


def test_corrupted_chroma_store_falls_back_with_the_rebuild_command(built_index, tmp_path, monkeypatch) -> None:
    copy = _copy(built_index[0], tmp_path, monkeypatch)
    for sqlite in (_in_service(copy) / "chroma").glob("*.sqlite3"):
        sqlite.write_bytes(b"this is not a database" * 100)
    searcher, warnings = open_searcher(load_store(), IndexSettings.from_env())
    assert searcher.mode == "lexical-only" and "cdt index build" in warnings[0]


def test_cli_search_json_and_batch(tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(cdt, ["search", "obligation d'emploi 6 %", "--k", "3", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "obligation d'emploi 6 %" and len(data["results"]) == 3
    assert data["notices"] == [SLICE_NOTICE]
    assert set(data["results"][0]) >= {"article", "score", "snippet"}
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": "a", "question": "contribution annuelle OETH"}\n'
                     'pas du json\n{"id": "b", "question": "   "}\n{"id": "c", "question": "L5212-2"}\n', encoding="utf-8")
    result = runner.invoke(cdt, ["search", "--batch-file", str(batch), "--k", "2"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", None, "b", "c"]
    assert len(lines[0]["results"]) == 2 and lines[0]["notices"] == [SLICE_NOTICE] and "ligne 2" in lines[1]["error"]
    assert "question vide" in lines[2]["error"] and lines[3]["results"][0]["article"] == "L5212-2"


def test_cli_search_in_a_chosen_convention_tags_each_result_with_its_source() -> None:
    runner = CliRunner()
    result = runner.invoke(cdt, ["search", "préavis en cas de démission", "--k", "3", "--idcc", "Syntec", "--json"])
    assert result.exit_code == 0, result.stderr
    results = json.loads(result.stdout)["results"]
    assert [r["source"] for r in results] == ["code"] * 3 + ["convention"] * 3
    convention = results[3:]
    assert all(r["idcc"] == 1486 and r["cid"].startswith("KALIARTI") and "conv_coll" in r["url"] for r in convention)
    assert any("préavis" in r["snippet"] for r in convention)
    ambiguous = runner.invoke(cdt, ["search", "congés", "--idcc", "BTP"])
    assert ambiguous.exit_code == 1 and "précisez laquelle" in ambiguous.stderr


def test_cli_index_status_names_the_slice() -> None:
    runner = CliRunner()
    data = json.loads(runner.invoke(cdt, ["index", "status", "--json"]).stdout)
    assert data["status"] == "à jour" and data["only"] == SLICE and data["slice"] == SLICE_NOTICE
    text = runner.invoke(cdt, ["index", "status"]).stdout
    assert f"index partiel : {SLICE_NOTICE}" in text and f"articles indexés : {SLICE}" in text
    assert "état : à jour" in text and "construction : terminée" in text


def test_cli_ask_on_a_slice_index_says_so_under_the_answer() -> None:
    result = CliRunner().invoke(cdt, ["ask", "Combien de travailleurs handicapés doit employer une entreprise de 120 "
                                             "salariés ?"])
    assert result.exit_code == 0, result.stderr
    assert "L5212-2" in result.stdout and f"Note : {SLICE_NOTICE}" in result.stdout


def test_cdt_serve_warns_at_start_up_that_the_index_is_partial() -> None:
    """A real `cdt serve` process: the warning comes before the page is served, then the process is stopped."""
    server = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(free_port())],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    watchdog = threading.Timer(180, server.kill)  # a start that hangs ends the test instead of blocking it
    watchdog.start()
    said: list[str] = []
    try:
        for line in server.stderr:
            said.append(line.strip())
            if line.startswith("Page servie"):
                break
    finally:
        watchdog.cancel()
        server.kill()
        server.wait(timeout=30)
    assert f"Attention : {SLICE_NOTICE}" in said and said[-1].startswith("Page servie"), said


def test_cli_empty_question_exits_non_zero() -> None:
    result = CliRunner().invoke(cdt, ["search", "  "])
    assert result.exit_code == 1 and "question vide" in result.stderr


def test_vectors_of_another_model_are_never_reused(built_index, tmp_path) -> None:
    from indexing.vector_store import VectorStoreError, open_vector_store

    copy = tmp_path / "index"
    shutil.copytree(built_index[0], copy)
    manifest = read_manifest(copy)
    assert open_vector_store(_in_service(copy), manifest["model"], manifest["collection"]).count() == 21
    with pytest.raises(VectorStoreError, match="autre modèle"):
        open_vector_store(_in_service(copy), "another-model", manifest["collection"], create=True)
