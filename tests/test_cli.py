"""The `cdt` command as users run it: output, JSON contract, help, exit codes."""

from __future__ import annotations

import datetime as dt
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
    assert "Version en vigueur depuis le 01/01/2020 (article créé le 01/05/2008)" in out
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


def test_info_text_is_french_with_agreements() -> None:
    """The statuses are the codes of --json; people read their French labels, and « 1 article », not « 1 articles »."""
    code, out, _ = run("corpus", "info")
    assert code == 0 and "\n  législative : " in out
    assert "Par statut : en vigueur : " in out and "abrogation différée" in out and "in_force" not in out
    assert "Export 000_b8bd698fde69301b.txt (date inconnue) : 1 article, 1 numéroté\n" in out


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


def test_show_historical_article_is_marked_as_such() -> None:
    code, out, _ = run("corpus", "show", "L311-7")
    assert code == 0
    assert out.startswith("Article L311-7 — version historique")
    assert "ATTENTION : version historique, ancien code du travail (avant le 1er mai 2008) ; ce n'est pas le droit en vigueur." in out
    data = run_json("corpus", "show", "L311-7")
    assert data["status"] == "historical" and data["references_in"] == []
    assert data["notes"][0].startswith("Ordonnance 2007-329")


def test_show_in_force_article_mentions_its_exported_version() -> None:
    _, out, _ = run("corpus", "show", "L5411-6")
    assert "Version en vigueur depuis le 01/01/2025 (article créé le 01/05/2008)" in out
    assert "Autres versions : version historique, export 004_fd4bfdb18ea373cc.txt (en vigueur au 2024-04-16), texte modifié depuis" in out


def test_import_book_export_json_contract() -> None:
    data = run_json("corpus", "import", str(BOOK_EXPORT))
    rows = data["articles"]
    assert len(rows) == 398 and [r["position"] for r in rows] == list(range(1, 399))
    numbers = [r["number"] for r in rows if r["number"]]
    assert len(numbers) >= 394 and len(set(numbers)) == len(numbers)
    assert {r["status"] for r in rows} <= {"identical", "changed", "not_found"}
    assert rows[0] == {"position": 1, "number": "L5111-1", "status": "identical"}
    assert data["version_date"] == "2024-04-16"


def test_import_lists_what_changed_since_2024() -> None:
    code, out, _ = run("corpus", "import", str(BOOK_EXPORT))
    assert code == 0
    assert "398 articles, 398 numérotés" in out
    assert "398 articles, 398 numérotés — 373 identiques, 25 modifiés depuis, 0 sans équivalent actuel" in out
    assert "  modifié depuis : L5151-9 — 2 mot(s) supprimé(s), 2 ajouté(s) : « trois ans » → « un an »" in out
    assert "changed" not in out


def test_import_report_of_one_article_without_equivalent() -> None:
    code, out, _ = run("corpus", "import", str(OLD_CODE_ARTICLE))
    assert code == 0
    assert "1 article, 1 numéroté — 0 identique, 0 modifié depuis, 1 sans équivalent actuel\n" in out
    assert "  sans équivalent actuel : L311-7" in out and "not_found" not in out


def test_import_markdown_article_and_save(isolated_data_dir) -> None:
    data = run_json("corpus", "import", str(OLD_CODE_ARTICLE), "--save")
    assert data["articles"] == [{"position": 1, "number": "L311-7", "status": "not_found"}]
    assert (isolated_data_dir / "corpus" / "exports" / "000_b8bd698fde69301b.jsonl.gz").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "binaire"),
        ("Code du travail\n\nUn texte sans aucune puce.\n".encode(), "aucun article"),
        ("Code du travail\n\n   • \n".encode(), "ligne 3"),
    ],
)
def test_import_bad_files_exit_non_zero_naming_the_file(tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "mauvais.txt"
    path.write_bytes(content)
    code, out, err = run("corpus", "import", str(path))
    assert code == 1 and out == ""
    assert "mauvais.txt" in err and message in err


def test_import_missing_file() -> None:
    code, _, err = run("corpus", "import", "/nonexistent/export.txt")
    assert code == 1 and "export.txt" in err and "introuvable" in err


def test_diff_between_the_2024_export_and_the_current_code(store) -> None:
    data = run_json("corpus", "diff", str(BOOK_EXPORT), "current")
    changed = {c["article"]: c["summary"] for c in data["changed"]}
    assert {"L5151-9", "L5411-6", "L5412-1", "L5422-1"} <= changed.keys()
    assert len(changed) == 25
    assert "« trois ans » → « un an »" in changed["L5151-9"]
    added, absent = {c["article"] for c in data["added"]}, {c["article"] for c in data["absent"]}
    assert {"L5411-5-1", "L5411-5-2"} <= added  # created by loi n° 2023-1196, in force 1 January 2025
    assert all(store.get(a).first_start_date > dt.date(2024, 4, 16) for a in added)
    assert all(a.startswith("L5") or a == "D5424-6-1" for a in added | absent)
    assert {"L5212-3", "L5212-6", "L5411-1"} <= absent  # in force since 2008, missing from the export
    assert data["repealed"] == []


def test_diff_between_two_snapshots(tmp_path) -> None:
    from corpus.paths import SHIPPED_OFFICIAL

    code, out, _ = run("corpus", "diff", str(SHIPPED_OFFICIAL), str(SHIPPED_OFFICIAL))
    assert code == 0 and "0 ajouté(s), 0 modifié(s), 0 abrogé(s)" in out


@pytest.mark.parametrize(("content", "message"), [(b"", "JSON illisible"), (b"\xff\xfe\x00binary", "JSON illisible"), (b'{"data": {"id": "LEGITEXT000006073189"}}', "ce n'est pas le Code du travail")])
def test_update_from_a_broken_file_exits_non_zero_and_keeps_the_corpus(tmp_path, isolated_data_dir, content: bytes, message: str) -> None:
    path = tmp_path / "code.json"
    path.write_bytes(content)
    code, out, err = run("corpus", "update", "--from-file", str(path))
    assert code == 1 and "code.json" in err and message in err
    assert not (isolated_data_dir / "corpus" / "code-du-travail.jsonl.gz").exists()
    assert run_json("corpus", "info")["consolidation_date"] == "2026-03-27"
