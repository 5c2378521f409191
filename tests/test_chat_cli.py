"""`cdt chat`: a terminal conversation with follow-ups, a new conversation, the rescrit export."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ui.cli import cdt


@pytest.fixture(autouse=True)
def use_full_index(full_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDT_INDEX_DIR", str(full_index))


def test_a_conversation_follows_up_exports_the_draft_and_quits(tmp_path: Path) -> None:
    draft = tmp_path / "demande.md"
    lines = ["Nous avons 120 salariés depuis plus de cinq ans et employons 4 travailleurs handicapés. Sommes-nous en règle ?",
             "Et avec 300 salariés ?", f"/rescrit {draft}", "/nouveau", "/rescrit", "", "/quitter"]
    result = CliRunner().invoke(cdt, ["chat"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "14 772,00 €" in result.output and "86 170,00 €" in result.output
    assert f"Brouillon enregistré dans {draft}" in result.output
    assert "L5112-1-1" in draft.read_text(encoding="utf-8")
    assert "Nouvelle conversation." in result.output
    assert "Aucun brouillon" in result.output  # after /nouveau there is nothing to export
    assert "Votre question est vide" in result.output
