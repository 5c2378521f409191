"""The ministry's sheets in the index: their own BM25 index and Chroma collection, and SheetSearcher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.sheets import load_sheets
from corpus.store import load_store
from indexing.generations import generation_in_service
from indexing.index import MANIFEST, IndexUnavailable, build_index, check_index, open_searcher, read_manifest
from indexing.settings import DEFAULT_MODEL_NAME, IndexSettings
from indexing.sheet_chunks import section_chunks, sheet_chunks
from indexing.vector_store import open_vector_store
from tests.conftest import MODELS_DIR

PAID_LEAVE = "congés payés acquis par mois"


def _lexical_settings(index_dir: Path) -> IndexSettings:
    """An index without a model (none at that path): BM25 only, built in a second."""
    return IndexSettings(index_dir, MODELS_DIR, str(index_dir / "no-model"), "bfloat16", "onnx", False, None)


def test_the_full_index_holds_the_sheets(full_index: Path) -> None:
    settings = IndexSettings(full_index, MODELS_DIR, str(MODELS_DIR / DEFAULT_MODEL_NAME), "bfloat16", "onnx", False,
                             None)
    manifest = read_manifest(full_index)
    expected = len(sheet_chunks(load_sheets().sections))
    assert manifest["sheet_chunks"] == expected and manifest["sheets_source"] == load_sheets().source
    folder = full_index / manifest["generation"]
    assert open_vector_store(folder, manifest["model"], manifest["sheets_collection"]).count() == expected
    searcher, warnings = open_searcher(load_store(), settings)
    assert warnings == [] and searcher.sheets is not None
    result = searcher.search(PAID_LEAVE, 5)
    hits = searcher.sheets.search(PAID_LEAVE, result.query_vector, 5)
    assert hits[0].section.sheet_title == "Les congés payés" and hits[0].via in {"hybride", "dense"}
    assert 0 < hits[-1].score <= hits[0].score <= 1
    assert hits[0].text in {c.text for c in section_chunks(hits[0].section)}
    assert hits[0].text.startswith(hits[0].section.heading + "\n")
    lexical = searcher.sheets.search(PAID_LEAVE, None, 5)
    assert any(h.section.sheet_title == "Les congés payés" for h in lexical) and {h.via for h in lexical} == {"lexical"}


def test_a_slice_holds_the_sections_citing_its_articles(tmp_path: Path) -> None:
    settings = _lexical_settings(tmp_path)
    report = build_index(load_store(), settings, only="L3141", progress=False)
    cited = [s for s in load_sheets().sections if any(a.startswith("L3141") for a in s.articles)]
    assert report.sheet_chunks == len(sheet_chunks(cited)) > 0 and report.sheets is None
    assert "Fiches pratiques du ministère" in report.to_text()
    searcher, _ = open_searcher(load_store(), settings)
    assert searcher.sheets is not None and searcher.sheets.vectors is None
    hits = searcher.sheets.search(PAID_LEAVE, None, 3)
    assert hits and {h.section.key for h in hits} <= {s.key for s in cited}
    assert "Les congés payés" in {h.section.sheet_title for h in hits} and hits[0].score == 1.0


def test_an_index_built_before_the_sheets_is_stale(tmp_path: Path) -> None:
    settings = _lexical_settings(tmp_path)
    build_index(load_store(), settings, only="L3141", progress=False)
    path = tmp_path / generation_in_service(tmp_path) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for key in ("sheets_source", "sheets_chunking_version", "sheet_chunks", "sheets_collection"):
        del manifest[key]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match=r"sheets_source None ≠ @socialgouv/fiches-travail-data@.*cdt index build"):
        check_index(load_store(), settings)
