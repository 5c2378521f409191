"""The conventions collectives' snapshot (corpus/conventions.py), read from the shipped files built from
the pinned `@socialgouv/kali-data`: every convention known, the 50 with text, texts with their status,
articles keyed by their version id and labelled by their text; broken or foreign files are refused."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from corpus.conventions import (
    TextStatus, conventions_source, convention_path, load_convention, read_convention, read_index,
    write_convention,
)
from corpus.conventions_package import read_package
from corpus.errors import CorpusError, SourceFormatError
from indexing.convention_chunks import convention_chunks
from indexing.shipped_vectors import convention_vectors_path
from tests.conftest import kali_article, kali_tarball


@pytest.fixture(scope="module")
def index():
    return read_index()


@pytest.fixture(scope="module")
def syntec(index):
    return load_convention(next(c for c in index if c.idcc == 1486))


def test_every_convention_the_package_knows_is_listed_and_50_have_their_text(index) -> None:
    assert len(index) == 393 and len({c.id for c in index}) == 393
    with_text = {c.idcc for c in index if c.has_text}
    assert len(with_text) == 50 and {1486, 1979, 3248, 650, 2511} <= with_text  # 650: full text, not in index.json
    assert sum(c.idcc is None for c in index) == 3  # national agreements without an IDCC
    stub = next(c for c in index if c.idcc == 1007)  # a local metallurgy convention, merged into 3248
    assert not stub.has_text and "métallurg" in stub.title
    with pytest.raises(CorpusError, match="seul le Code du travail"):
        load_convention(stub)
    assert next(c for c in index if c.idcc == 1979).employees == 580085


def test_texts_carry_their_status_and_articles_their_text(syntec) -> None:
    assert "bureaux d'études techniques" in syntec.info.title
    statuses = Counter(text.status for text in syntec.texts)
    assert statuses[TextStatus.EXTENDED] and statuses[TextStatus.NOT_EXTENDED]
    assert {text.part for text in syntec.texts} == {"Texte de base", "Textes Attachés", "Textes Salaires"}
    assert all(a.paragraphs and a.text_id in {t.id for t in syntec.texts} for a in syntec.articles)
    assert len({a.id for a in syntec.articles}) == len(syntec.articles)  # keyed by version id
    numbered_first = [a for a in syntec.articles if a.number == "1er"]
    assert len({syntec.text_of(a).id for a in numbered_first}) > 1  # each avenant restarts at « 1er »
    article = next(a for a in numbered_first if syntec.text_of(a).part != "Texte de base")
    assert syntec.label(article) == f"{syntec.text_of(article).title}, article 1er"
    base = next(a for a in syntec.articles if syntec.text_of(a).part == "Texte de base" and a.number)
    assert syntec.label(base) == f"Texte de base, article {base.number}"
    assert syntec.url(article) == (f"https://www.legifrance.gouv.fr/conv_coll/id/{article.id}/"
                                   f"?idConteneur={syntec.info.id}")
    assert TextStatus.NOT_EXTENDED.label_fr.startswith("non étendu")


def test_articles_not_yet_in_force_are_kept_and_flagged(index) -> None:
    to_come = sum(not a.in_force for c in index if c.has_text for a in load_convention(c).articles)
    assert to_come == 41


def test_a_convention_round_trips_and_a_broken_or_foreign_file_is_refused(syntec, tmp_path: Path) -> None:
    path = write_convention(tmp_path, syntec, conventions_source())
    assert path == convention_path(tmp_path, syntec.info) and path.name == "1486.jsonl.gz"
    assert read_convention(path) == syntec
    with pytest.raises(SourceFormatError, match="version attendue"):
        read_convention(path, conventions_source("0.0.1"))
    lines = gzip.decompress(path.read_bytes()).splitlines()
    path.write_bytes(gzip.compress(b"\n".join(lines[:-5]) + b"\n"))
    with pytest.raises(SourceFormatError, match="fichier tronqué"):
        read_convention(path)


def test_the_package_reader_keeps_texts_in_force_and_counts_what_it_leaves_out(tmp_path: Path) -> None:
    base = {"type": "section", "data": {"id": "KALITEXT000000000001", "title": "Texte de base : Convention",
                                        "etat": "VIGUEUR_ETEN"},
            "children": [{"type": "section", "data": {"title": "Titre I : Congés"},
                          "children": [kali_article("KALIARTI000000000001", "VIGUEUR"),
                                       kali_article("KALIARTI000000000002", "VIGUEUR_DIFF", num=None),
                                       kali_article("KALIARTI000000000003", "VIGUEUR", content="<p> </p>")]}]}
    attached = {"type": "section", "data": {"title": "Textes Attachés", "etat": "VIGUEUR"}, "children": [
        {"type": "section", "data": {"id": "KALITEXT000000000002", "title": "Avenant abrogé", "etat": "ABROGE"},
         "children": [kali_article("KALIARTI000000000004", "VIGUEUR")]},
        {"type": "section", "data": {"id": "KALITEXT000000000003", "title": "Avenant n° 1", "etat": "VIGUEUR_NON_ETEN",
                                     "modifDate": "2020-01-01"},
         "children": [kali_article("KALIARTI000000000005", "VIGUEUR"), kali_article("KALIARTI000000000006", "ABROGE")]}]}
    trees = {
        "KALICONT000000000001.json": {"type": "convention collective", "data": {
            "num": 9999, "id": "KALICONT000000000001", "title": "Convention  test", "shortTitle": "Test"},
            "children": [base, attached]},
        "KALICONT000000000002.json": {"type": "convention collective", "data": {
            "num": 42, "id": "KALICONT000000000002", "title": "Souche"}, "children": []},
    }
    known, full, report = read_package(kali_tarball(tmp_path, trees, [{"id": "KALICONT000000000001", "effectif": 12}]))
    assert [(c.idcc, c.has_text, c.employees) for c in known] == [(42, False, None), (9999, True, 12)]
    convention = full[0]
    assert convention.info.title == "Convention test" and [t.title for t in convention.texts] == [
        "Texte de base : Convention", "Avenant n° 1"]
    assert [(a.id[-1], a.in_force, a.breadcrumbs) for a in convention.articles] == [
        ("1", True, ("Titre I : Congés",)), ("2", False, ("Titre I : Congés",)), ("5", True, ())]
    assert convention.label(convention.articles[1]) == "Texte de base, article sans numéro"
    assert convention.label(convention.articles[2]) == "Avenant n° 1, article 1er"
    assert report.left_out == Counter({"texte ABROGE": 1, "article vide": 1, "article ABROGE": 1})
    assert report.to_come == 1 and "2 conventions connues, 1 avec leur texte" in report.to_text()


def test_an_unreadable_package_is_refused_with_the_fix(tmp_path: Path) -> None:
    broken = tmp_path / "kali.tgz"
    broken.write_bytes(b"not a tarball")
    with pytest.raises(SourceFormatError, match="scripts/build_conventions.py"):
        read_package(broken)


def test_chunks_say_which_text_and_article_they_come_from_and_skip_what_is_not_in_force(syntec) -> None:
    chunks = convention_chunks(syntec)
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    in_force = {a.id for a in syntec.articles if a.in_force}
    assert {c.article for c in chunks} == in_force
    base = next(a for a in syntec.articles if syntec.text_of(a).part == "Texte de base" and a.number)
    wages = next(a for a in syntec.articles if syntec.text_of(a).part == "Textes Salaires" and a.number)
    for article, first_line in [(base, "Texte de base"), (wages, syntec.text_of(wages).title)]:
        text = next(c.text for c in chunks if c.article == article.id)
        assert text.startswith(first_line + "\n") and f"Article {article.number}\n" in text
        assert article.paragraphs[0] in text
    assert syntec.info.title not in "".join(c.text for c in chunks[:50])  # the same on every chunk: left out
    assert convention_vectors_path(syntec.info).name == "1486.npz"


def test_an_article_not_yet_in_force_is_not_indexed(index) -> None:
    convention = next(load_convention(c) for c in index if c.has_text
                      and any(not a.in_force for a in load_convention(c).articles))
    waiting = {a.id for a in convention.articles if not a.in_force}
    assert waiting and not waiting & {c.article for c in convention_chunks(convention)}
