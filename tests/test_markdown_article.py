"""The pre-2008 Markdown article parser, on the real article L311-7 of the former code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_rejected

from corpus.markdown_article import CODE_VERSION, parse_markdown_article
from corpus.model import Reference, Status

SEED = Path(__file__).parent.parent / "data" / "seeds" / "000_b8bd698fde69301b.txt"


@pytest.fixture(scope="module")
def article():
    return parse_markdown_article(SEED)


def test_number_status_and_origin(article) -> None:
    assert article.number == "L311-7"
    assert article.status is Status.HISTORICAL
    assert article.source == SEED.name
    assert article.position == 1
    assert article.extra == {"code_version": CODE_VERSION}


def test_body_alineas(article) -> None:
    assert len(article.paragraphs) == 8
    assert article.paragraphs[0].startswith("Une institution nationale publique dotée de la personnalité morale")
    assert article.paragraphs[3].startswith("3° Procéder aux inscriptions sur la liste des demandeurs d'emploi")
    assert "L. 311-5 et L. 311-5-1 et assurer" in article.paragraphs[3]
    assert article.paragraphs[-1].startswith("L'institution nationale agit en collaboration")
    assert not any("<" in p or "NOTA" in p for p in article.paragraphs)


def test_nota_goes_to_notes_without_its_label(article) -> None:
    assert len(article.notes) == 2
    assert article.notes[0].startswith("Ordonnance 2007-329 2007-03-12 art. 14 :")
    assert article.notes[1].startswith("La loi n° 2008-67 du 21 janvier 2008")


def test_references(article) -> None:
    numbers = [r.number for r in article.references_out]
    assert numbers == ["L311-5", "L311-5-1", "L351-18", "L351-9", "L351-10", "L351-10-1", "L351-10-2",
                       "L351-13-1", "L322-12", "L351-20"]  # fmt: skip
    assert all(r == Reference(r.number) for r in article.references_out)


def test_missing_file(tmp_path: Path) -> None:
    assert_rejected(parse_markdown_article, tmp_path / "L311-7.md", "introuvable")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "vide.md"
    path.write_text("\n", encoding="utf-8")
    assert_rejected(parse_markdown_article, path, "fichier vide", "# Article")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_rejected(parse_markdown_article, path, "binaire")


def test_no_heading(tmp_path: Path) -> None:
    path = tmp_path / "sans-titre.md"
    path.write_text("\n<p>Une institution nationale publique.</p>\n", encoding="utf-8")
    assert_rejected(parse_markdown_article, path, "ligne 2", "# Article")


def test_heading_without_article_number(tmp_path: Path) -> None:
    path = tmp_path / "titre.md"
    path.write_text("# Article premier\n\n<p>Texte.</p>\n", encoding="utf-8")
    assert_rejected(parse_markdown_article, path, "ligne 1", "numéro d'article invalide")


def test_empty_body(tmp_path: Path) -> None:
    path = tmp_path / "corps-vide.md"
    path.write_text("# Article L311-7\n\n<p> </p><br/><i>NOTA: Ordonnance 2007-329.</i>\n", encoding="utf-8")
    assert_rejected(parse_markdown_article, path, "L311-7 n'a pas de texte")
