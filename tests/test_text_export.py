"""The plain-text export parser, on the real Livre V export of April 2024."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import assert_rejected

from corpus.html_text import clean_spaces
from corpus.model import Reference, Status
from corpus.paths import SHIPPED_OFFICIAL
from corpus.snapshot import read_snapshot
from corpus.source_files import MAX_BYTES
from corpus.text_export import parse_text_export, split_notes

SEED = Path(__file__).parent.parent / "data" / "seeds" / "004_fd4bfdb18ea373cc.txt"


@pytest.fixture(scope="module")
def export():
    return parse_text_export(SEED)


def _starting(export, opening: str):
    (article,) = [a for a in export.articles if a.paragraphs[0].startswith(opening)]
    return article


def test_reads_every_article_in_order(export) -> None:
    assert export.version_date == dt.date(2024, 4, 16)
    assert len(export.articles) == 398
    assert [a.position for a in export.articles] == list(range(1, 399))
    assert all(a.number is None and a.status is Status.HISTORICAL for a in export.articles)
    assert {a.source for a in export.articles} == {SEED.name}
    first = export.articles[0]
    assert first.paragraphs[0] == "Les aides à l'emploi ont pour objet :"
    assert first.paragraphs[-1] == "4° De contribuer à l'égalité professionnelle entre les femmes et les hommes."
    assert first.extra == {"line": 5, "depth": 1}
    assert {a.extra["depth"] for a in export.articles} == {1, 2, 3}


def test_page_footer_is_not_text(export) -> None:
    last = export.articles[-1]
    assert last.paragraphs[-1].endswith("à Saint-Martin et à Saint-Pierre-et-Miquelon.")
    assert not any("Retourner en haut" in p for a in export.articles for p in a.paragraphs + a.notes)


def test_footer_glued_to_the_last_line_is_dropped(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").rstrip()
    glued = tmp_path / "glued.txt"
    glued.write_text(text.replace("\n\nRetourner en haut de la page", "Retourner en haut de la page"), encoding="utf-8")
    assert parse_text_export(glued).articles[-1].paragraphs[-1].endswith("Saint-Pierre-et-Miquelon.")


def test_version_date_with_first_of_month(tmp_path: Path) -> None:
    redated = tmp_path / "redated.txt"
    redated.write_text(SEED.read_text(encoding="utf-8").replace("au 16 avril 2024", "au 1er août 2023"), encoding="utf-8")
    assert parse_text_export(redated).version_date == dt.date(2023, 8, 1)


def test_alineas_are_clean(export) -> None:
    for article in export.articles:
        assert all(p and p == clean_spaces(p) for p in article.paragraphs + article.notes)
        assert not any(p.startswith("•") for p in article.paragraphs)


def test_inline_note_goes_to_notes(export) -> None:
    article = _starting(export, "L'administration chargée des dispositifs en faveur de l'emploi")
    assert article.notes == (
        "Loi n° 2008-776 du 4 août 2008 article 7 II : Un décret en Conseil d'Etat définit les conditions "
        "d'application du I et fixe la date de son entrée en vigueur, au plus tard le 1er janvier 2010.",
    )
    assert len(article.paragraphs) == 1
    assert not any(p.startswith("Loi n°") for p in article.paragraphs)


def test_note_over_several_alineas(export) -> None:
    article = _starting(export, "Un établissement public de l'Etat à caractère industriel et commercial contribue")
    assert [n[:40] for n in article.notes] == [
        "Conformément à l'article 9 de l'ordonnan",
        "Se reporter aux articles 2 à 8 de l'ordo",
    ]
    assert article.paragraphs[-1].startswith("4° Il contribue à l'égal accès")


def test_body_sentences_that_look_like_notes_stay_in_the_body(export) -> None:
    bodies = [p for a in export.articles for p in a.paragraphs]
    assert "Ces dispositions s'appliquent notamment au cas des revenus tirés de travaux saisonniers." in bodies
    assert sum(1 for a in export.articles if a.notes) == 116


def test_references_come_from_the_body(export) -> None:
    article = _starting(export, "Tout employeur emploie des bénéficiaires de l'obligation d'emploi")
    assert Reference("L5212-13") in article.references_out
    noted = _starting(export, "L'administration chargée des dispositifs en faveur de l'emploi")
    assert noted.references_out == ()


def test_note_split_matches_the_official_code() -> None:
    """Joining each official article's body and notes, the split must give the body back."""
    articles = [a for a in read_snapshot(SHIPPED_OFFICIAL).articles if a.in_force]
    recovered = 0
    for article in articles:
        alineas = [clean_spaces(p) for p in article.paragraphs + article.notes if clean_spaces(p)]
        body, _ = split_notes(alineas)
        recovered += body == [clean_spaces(p) for p in article.paragraphs]
    assert recovered / len(articles) > 0.998


def test_missing_file(tmp_path: Path) -> None:
    assert_rejected(parse_text_export, tmp_path / "absent.txt", "introuvable")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "vide.txt"
    path.write_text("  \n\n", encoding="utf-8")
    assert_rejected(parse_text_export, path, "fichier vide", "•")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "export.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\x00\x01")
    assert_rejected(parse_text_export, path, "binaire", "ligne 3")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "windows-1252.txt"
    path.write_bytes("Version en vigueur au 16 avril 2024\n\n• Les aides à l'emploi\n".encode("cp1252"))
    assert_rejected(parse_text_export, path, "UTF-8", "ligne 3")


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "enorme.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    assert_rejected(parse_text_export, path, "trop volumineux", "50 Mo")


def test_no_bullet(tmp_path: Path) -> None:
    path = tmp_path / "sans-puces.txt"
    path.write_text("Code du travail\n\nVersion en vigueur au 16 avril 2024\n\nLes aides.\n", encoding="utf-8")
    assert_rejected(parse_text_export, path, "aucun article (puce •) trouvé")


def test_empty_bullet(tmp_path: Path) -> None:
    path = tmp_path / "puce-vide.txt"
    text = "Version en vigueur au 1er mai 2024\n\n  • Un article.\n\n  •\n\n  • Un autre.\n"
    path.write_text(text, encoding="utf-8")
    assert_rejected(parse_text_export, path, "ligne 5", "puce • sans texte")
