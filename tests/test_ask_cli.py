"""`cdt ask`: the documented JSON schema, saved conversations, batch mode, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ui.cli import cdt

SCHEMA = {"answer", "citations", "calculation", "corpus_date", "abstained"}


@pytest.fixture(autouse=True)
def use_full_index(full_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDT_INDEX_DIR", str(full_index))


def test_json_answer_follows_the_schema_and_the_conversation_is_saved(tmp_path: Path) -> None:
    history = tmp_path / "conversation.json"
    first = CliRunner().invoke(cdt, ["ask", "Nous avons 120 salariés depuis plus de cinq ans et 4 travailleurs handicapés, que devons-nous ?",
                                     "--json", "--history", str(history)])
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert SCHEMA <= data.keys() and data["corpus_date"] == "2026-03-27" and data["abstained"] is False
    assert {"article", "source", "id", "url", "quote"} == data["citations"][0].keys()
    assert data["citations"][0]["source"] == "code" and data["convention"] is None
    assert data["calculation"]["value"] == "14772.00"
    second = CliRunner().invoke(cdt, ["ask", "Et avec 300 salariés ?", "--json", "--history", str(history)])
    assert second.exit_code == 0, second.output
    assert json.loads(second.output)["calculation"]["details"]["inputs"]["effectif"] == "300"
    saved = json.loads(history.read_text(encoding="utf-8"))
    assert saved["idcc"] is None
    assert [turn["question"] for turn in saved["turns"]] == ["Nous avons 120 salariés depuis plus de cinq ans et 4 travailleurs handicapés, que devons-nous ?",
                                                     "Et avec 300 salariés ?"]
    assert "L5212-2" in saved["turns"][0]["articles"]


def test_a_damaged_conversation_file_is_refused_and_left_intact(tmp_path: Path) -> None:
    history = tmp_path / "conversation.json"
    history.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cdt, ["ask", "Quel est le SMIC ?", "--history", str(history)])
    assert result.exit_code == 1
    assert "conversation illisible" in result.output and "laissé intact" in result.output
    assert history.read_text(encoding="utf-8") == "{not json"


def test_batch_mode_answers_each_line_with_its_id_and_reports_bad_lines(tmp_path: Path) -> None:
    batch = tmp_path / "questions.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "question": "Combien de jours de congés payés par mois de travail ?"}),
        "not json",
        json.dumps({"id": "c", "question": "Une recette de crêpes ?"}),
    ]), encoding="utf-8")
    result = CliRunner().invoke(cdt, ["ask", "--batch-file", str(batch)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [line.get("id") for line in lines] == ["a", None, "c"]
    assert "L3141-3" in {c["article"] for c in lines[0]["citations"]}
    assert "ligne 2" in lines[1]["error"]
    assert lines[2]["abstained"] is True


def test_usage_errors_are_explained() -> None:
    result = CliRunner().invoke(cdt, ["ask"])
    assert result.exit_code == 2 and "QUESTION" in result.output
