"""The `cdt` command as users run it: output, JSON contract, help, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ui.cli import cdt
from tests.conftest import BOOK_EXPORT, OLD_CODE_ARTICLE


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cdt, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> dict:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_show_prints_text_place_dates_references_and_link() -> None:
    code, out, _ = run("corpus", "show", "L. 5212-2")
    assert code == 0
    assert out.startswith("Article L5212-2 — en vigueur")
    assert "Partie législative > Cinquième partie : L'emploi > Livre II : Dispositions applicables à certaines catégories de travailleurs > Titre Ier : Travailleurs handicapés > Chapitre II" in out
    assert "En vigueur depuis le 01/01/2020" in out
    assert "proportion minimale de 6 % de l'effectif total" in out
    assert "Cite : L5212-13 ; L146-1 (code de l'action sociale et des familles)" in out
    assert "Cité par : L5212-1," in out
    assert "Légifrance : https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037388717" in out
    assert "Corpus : Code du travail consolidé au 27/03/2026 (@socialgouv/legi-data@2.513.0)" in out


@pytest.mark.parametrize(
    ("number", "words", "start"),
    [
        ("R5122-18", "correspondant à 60 % de sa rémunération brute", "2023-01-01"),
        ("D5212-20", "400 fois le salaire horaire minimum de croissance brut", "2023-04-23"),
        ("L1234-9", "8 mois d'ancienneté ininterrompus", "2017-09-24"),
    ],
)
def test_show_json_contract(number: str, words: str, start: str) -> None:
    data = run_json("corpus", "show", number.lower())
    for key in ("number", "legi_id", "status", "start_date", "breadcrumbs", "paragraphs", "notes",
                "references_out", "references_in", "url", "corpus_date"):
        assert key in data
    assert data["number"] == number and data["status"] == "in_force" and data["start_date"] == start
    assert any(words in p for p in data["paragraphs"])
    assert data["breadcrumbs"][0].startswith("Partie")
    assert data["corpus_date"] == "2026-03-27"
    assert data["url"].endswith(data["legi_id"])


def test_info_json() -> None:
    data = run_json("corpus", "info")
    assert data["consolidation_date"] == "2026-03-27"
    assert 11_400 <= data["in_force"] <= 11_500


@pytest.mark.parametrize(("number", "message"), [("L5212-99", "L5212-99 n'existe pas"), ("bonjour", "n'est pas un numéro d'article")])
def test_unknown_or_invalid_number_exits_non_zero_with_a_message(number: str, message: str) -> None:
    code, out, err = run("corpus", "show", number)
    assert code == 1 and out == ""
    assert err.startswith("Erreur : ") and message in err


@pytest.mark.parametrize(
    "args", [(), ("corpus",), ("corpus", "info"), ("corpus", "show"), ("corpus", "import"), ("corpus", "update"), ("corpus", "diff")]
)
def test_help_everywhere(args: tuple[str, ...]) -> None:
    code, out, _ = run(*args, "--help")
    assert code == 0 and "Usage:" in out and "--help" in out


def test_installed_entry_point_runs() -> None:
    executable = Path(sys.executable).with_name("cdt")
    assert executable.exists(), "the project's `cdt` script is installed beside its Python"
    result = subprocess.run([str(executable), "corpus", "show", "L5212-2", "--json"], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)["number"] == "L5212-2"
