"""`cdt convention update` and `cdt corpus update --conventions` (corpus/conventions_update.py): another version is installed beside the one
in use and switched to in one rename, with what changed per convention; an identical one changes
nothing; a broken package leaves the conventions in use serving."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.conventions import POINTER, active_conventions, conventions_root, load_convention, read_index
from corpus.conventions_update import update_conventions
from corpus.errors import SourceFormatError
from corpus.paths import SHIPPED_CONVENTIONS
from corpus.store import load_store
from tests.conftest import kali_article, kali_tarball, save_tree
from ui.cli import cdt


def _package(folder: Path, name: str, articles: list[dict]) -> Path:
    base = {"type": "section", "data": {"id": "KALITEXT000000000001", "title": "Texte de base : Convention test",
                                        "etat": "VIGUEUR_ETEN"}, "children": articles}
    tree = {"type": "convention collective", "data": {"num": 9999, "id": "KALICONT000000000001",
                                                      "title": "Convention test", "shortTitle": "Test"},
            "children": [base]}
    return kali_tarball(folder, {"KALICONT000000000001.json": tree}, [{"id": "KALICONT000000000001", "effectif": 5}],
                        name)


FIRST = [kali_article("KALIARTI000000000001", "VIGUEUR", "<p>Préavis : un mois.</p>"),
         kali_article("KALIARTI000000000002", "VIGUEUR", "<p>Essai : deux mois.</p>", "2")]
SECOND = [kali_article("KALIARTI000000000001", "VIGUEUR", "<p>Préavis : deux mois.</p>"),
          kali_article("KALIARTI000000000002", "VIGUEUR", "<p>Essai : deux mois.</p>", "2"),
          kali_article("KALIARTI000000000003", "VIGUEUR", "<p>Prime : 100 euros.</p>", "3")]


def test_an_update_installs_beside_switches_and_reports_what_changed(tmp_path: Path) -> None:
    assert active_conventions()[0] == SHIPPED_CONVENTIONS
    first = update_conventions("9.0.0", _package(tmp_path, "a.tgz", FIRST))
    assert first.installed and first.source == "@socialgouv/kali-data@9.0.0"
    assert any(c.idcc == 9999 and c.added == 2 for c in first.changes)
    assert any(c.idcc == 1486 and c.removed > 1000 for c in first.changes)  # gone from this (test) package
    folder, source = active_conventions()
    assert folder.parent == conventions_root() and source == first.source
    assert [c.idcc for c in read_index()] == [9999]
    assert load_convention(read_index()[0]).articles[0].paragraphs == ("Préavis : un mois.",)

    again = update_conventions("9.0.0", _package(tmp_path, "a.tgz", FIRST))
    assert not again.installed and active_conventions()[0] == folder

    second = update_conventions("9.1.0", _package(tmp_path, "b.tgz", SECOND))
    assert [(c.idcc, c.added, c.removed, c.reworded) for c in second.changes] == [(9999, 1, 0, 1)]
    assert load_convention(read_index()[0]).articles[0].paragraphs == ("Préavis : deux mois.",)
    assert folder.is_dir()  # the version replaced is kept for a server still reading it
    update_conventions("9.2.0", _package(tmp_path, "c.tgz", FIRST))
    assert not folder.exists() and len(list(conventions_root().glob("version-*"))) == 2


def test_a_broken_package_leaves_the_conventions_in_use(tmp_path: Path) -> None:
    update_conventions("9.0.0", _package(tmp_path, "a.tgz", FIRST))
    in_use = active_conventions()
    broken = tmp_path / "broken.tgz"
    broken.write_bytes(b"not a tarball")
    with pytest.raises(SourceFormatError):
        update_conventions("9.9.9", broken)
    assert active_conventions() == in_use and len(list(conventions_root().glob("version-*"))) == 1


def test_the_command_prints_the_report_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cdt, ["convention", "update", "--from-file", str(_package(tmp_path, "a.tgz", FIRST)),
                                 "--version", "9.0.0", "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["installed"] and report["source"] == "@socialgouv/kali-data@9.0.0"
    assert {"idcc": 9999, "title": "Test", "added": 2, "removed": 0, "reworded": 0} in report["changes"]
    listed = runner.invoke(cdt, ["convention", "list"])
    assert listed.exit_code == 0 and listed.stdout.split() [:2] == ["9999", "Test"]
    (conventions_root() / POINTER).write_text("{", encoding="utf-8")
    broken = runner.invoke(cdt, ["convention", "list"])
    assert broken.exit_code == 1 and "pointeur illisible" in broken.stderr


def test_corpus_update_with_conventions_switches_both_and_reports_both(official_tree, tmp_path: Path) -> None:
    tree = copy.deepcopy(official_tree)
    tree["data"]["dateModif"] = "2026-04-03"
    result = CliRunner().invoke(cdt, ["corpus", "update", "--from-file", str(save_tree(tree, tmp_path / "code.json")),
                                      "--version", "test", "--conventions-from-file",
                                      str(_package(tmp_path, "kali.tgz", FIRST)), "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["replaced"] and report["conventions"]["installed"] and report["conventions"]["source"] == "kali.tgz"
    assert {"idcc": 9999, "title": "Test", "added": 2, "removed": 0, "reworded": 0} in report["conventions"]["changes"]
    assert str(load_store().consolidation_date) == "2026-04-03" and [c.idcc for c in read_index()] == [9999]


def test_corpus_update_keeps_the_conventions_in_use_when_their_package_is_broken(official_tree, tmp_path: Path) -> None:
    broken = tmp_path / "broken.tgz"
    broken.write_bytes(b"not a tarball")
    result = CliRunner().invoke(cdt, ["corpus", "update", "--from-file", str(save_tree(official_tree, tmp_path / "code.json")),
                                      "--version", "test", "--conventions-from-file", str(broken)])
    assert result.exit_code == 1
    assert "Aucun changement : le corpus actuel reste en service." in result.stdout  # the code's report came first
    assert "broken.tgz" in result.stderr
    assert active_conventions()[0] == SHIPPED_CONVENTIONS and 1486 in {c.idcc for c in read_index()}
    as_json = CliRunner().invoke(cdt, ["corpus", "update", "--from-file", str(tmp_path / "code.json"), "--version",
                                       "test", "--conventions-from-file", str(broken), "--json"])
    report = json.loads(as_json.stdout)  # the code's report still comes, with the conventions' failure
    assert as_json.exit_code == 1 and report["replaced"] is False and "broken.tgz" in report["conventions_error"]


def _syntec_package(folder: Path, name: str, wording: str) -> Path:
    """A package where Syntec (IDCC 1486, whose vectors are shipped) holds one article."""
    syntec = {"type": "convention collective", "children": [
        {"type": "section", "data": {"id": "KALITEXT000000000002", "title": "Texte de base", "etat": "VIGUEUR_ETEN"},
         "children": [kali_article("KALIARTI000000000009", "VIGUEUR", f"<p>{wording}</p>")]}],
        "data": {"num": 1486, "id": "KALICONT000005635173", "title": "Syntec", "shortTitle": "Syntec"}}
    return kali_tarball(folder, {"KALICONT000005635173.json": syntec}, [{"id": "KALICONT000005635173", "effectif": 5}],
                        name)


def test_a_convention_whose_text_changed_since_its_vectors_is_reported_lexical_only(tmp_path: Path) -> None:
    """Its vectors no longer cover its chunks: BM25 alone until they are rebuilt, and the update says so."""
    runner = CliRunner()
    first = runner.invoke(cdt, ["convention", "update", "--from-file",
                                str(_syntec_package(tmp_path, "a.tgz", "Essai : six mois.")), "--version", "9.0.0"])
    assert first.exit_code == 0, first.stderr
    assert "Recherche lexicale seule (BM25) pour IDCC 1486" in first.stdout and "--idcc 1486" in first.stdout
    second = runner.invoke(cdt, ["convention", "update", "--from-file",
                                 str(_syntec_package(tmp_path, "b.tgz", "Essai : trois mois.")), "--version", "9.1.0",
                                 "--json"])
    assert second.exit_code == 0 and json.loads(second.stdout)["lexical_only"] == [1486]
    third = runner.invoke(cdt, ["convention", "update", "--from-file", str(_package(tmp_path, "c.tgz", FIRST)),
                                "--version", "9.2.0", "--json"])
    assert json.loads(third.stdout)["lexical_only"] == []  # IDCC 9999 never had vectors
