"""The ministry's practical sheets: the shipped snapshot, what the build keeps of the package, bad files."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import json
import re
from pathlib import Path

import pytest

from corpus.errors import CorpusError
from corpus.paths import SHIPPED_SHEETS
from corpus.sheet_html import is_boilerplate
from corpus.sheets import PINNED_VERSION, SheetSnapshot, load_sheets, read_sheets, sheets_source, write_sheets
from corpus.sheets_package import build_sheet_snapshot
from corpus.store import ArticleStore
from tests.conftest import assert_rejected, read_records


@pytest.fixture(scope="module")
def sheets() -> SheetSnapshot:
    return load_sheets()


def test_the_shipped_snapshot_is_the_pinned_package(sheets: SheetSnapshot) -> None:
    assert sheets.source == f"@socialgouv/fiches-travail-data@{PINNED_VERSION}"
    assert sheets.sheet_count == len({s.url.split("#")[0] for s in sheets.sections}) > 250
    assert sheets.newest == max(s.date for s in sheets.sections)
    assert len({s.key for s in sheets.sections}) == len(sheets.sections) > 1500


def test_dates_are_iso_in_the_file_and_dates_when_loaded(sheets: SheetSnapshot) -> None:
    with gzip.open(SHIPPED_SHEETS, "rt", encoding="utf-8") as lines:
        manifest, first = json.loads(next(lines)), json.loads(next(lines))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", manifest["newest_sheet_date"])
    assert first["date"] == "2025-11-13"  # « 13/11/2025 » in the package
    assert all(isinstance(s.date, dt.date) for s in sheets.sections)


def test_boilerplate_and_videos_are_left_out(sheets: SheetSnapshot) -> None:
    assert not [s.section_title for s in sheets.sections if is_boilerplate(s.section_title)]
    text = "\n".join(s.text for s in sheets.sections)
    assert "retranscription textuelle" not in text.casefold()
    assert "Web série droit du travail" not in {s.section_title for s in sheets.sections}


def test_paragraphs_are_not_glued(sheets: SheetSnapshot) -> None:
    """The package's `text` reads « Cas généralLe nombre des délégués… »: the HTML is the source."""
    section = next(s for s in sheets.sections if s.section_title == "Quel est le nombre de délégués syndicaux ?")
    assert section.paragraphs[:2] == ("Cas général", "Le nombre des délégués syndicaux dont dispose chaque section "
                                                     "syndicale est fixé soit par entreprise, soit par établissement distinct.")
    assert not any("généralLe" in p for s in sheets.sections for p in s.paragraphs)


def test_a_section_links_to_its_anchor_and_its_opening_to_the_page(sheets: SheetSnapshot) -> None:
    sheet = [s for s in sheets.sections if s.sheet_title == "Les délégués syndicaux"]
    assert sheet[0].section_title == "" and sheet[0].url == "https://travail-emploi.gouv.fr/les-delegues-syndicaux"
    assert sheet[0].heading == "Les délégués syndicaux"
    assert sheet[3].url == "https://travail-emploi.gouv.fr/les-delegues-syndicaux#quel-est-le-nombre-de-delegues-syndicaux"
    assert sheet[3].heading == "Les délégués syndicaux — Quel est le nombre de délégués syndicaux ?"


def test_cited_articles_are_in_force_in_the_corpus(sheets: SheetSnapshot, store: ArticleStore) -> None:
    in_force = {a.key for a in store.in_force}
    cited = [n for s in sheets.sections for n in s.articles]
    assert len(cited) > 2000
    assert set(cited) <= in_force


def _package(tmp_path: Path, sections: list[dict], intro: str = "<p>Résumé de la fiche.</p>") -> Path:
    sheet = {"date": "02/03/2026", "title": "Les congés payés", "url": "https://example.gouv.fr/conges", "pubId": "a1",
             "intro": intro, "description": "", "sections": sections}
    path = tmp_path / "fiches-travail.json"
    path.write_text(json.dumps([sheet, sheet], ensure_ascii=False), encoding="utf-8")
    return path


def _section(title: str, html: str, anchor: str = "", cited: tuple[str, ...] = ()) -> dict:
    articles = [{"fmt": n, "cid": "", "id": ""} for n in cited]
    return {"anchor": anchor, "title": title, "html": html, "text": "", "description": "",
            "references": {"LEGITEXT000006072050": {"articles": articles}} if cited else {}}


def test_the_build_keeps_the_sheets_own_text(tmp_path: Path) -> None:
    path = _package(tmp_path, [
        _section("Combien de jours ?", "<p>Le salarié acquiert 2,5 jours par mois (article L. 3141-3).</p>"
                 "<ul><li>Premier cas ;</li><li>Second cas.</li></ul>"
                 '<div class="paragraph--type--insert-video"><div class="youtube_player"></div></div>'
                 '<section class="fr-accordion"><h3><button class="fr-accordion__btn">Lire la retranscription '
                 "textuelle</button></h3><p>Bonjour, article L. 3141-5.</p></section>",
                 "combien", cited=("L3141-3", "L3141-5", "L3141-12")),
        _section("Textes de référence", "<p>Articles L. 3141-1 à L. 3141-33</p>", "textes", cited=("L3141-1",)),
        _section("Le congé en vidéo", '<div class="paragraph--type--insert-video"><h2>Vidéo</h2></div>', "video"),
        _section("Quelle période ?", "<p>Voir les articles L. 3141-10 à L. 3141-14.</p>", "periode",
                 cited=("L3141-12", "L3141-20")),
    ])
    snapshot, report = build_sheet_snapshot(path, PINNED_VERSION, {"L3141-3", "L3141-5", "L3141-12", "L3141-20"})
    assert [s.section_title for s in snapshot.sections] == ["", "Combien de jours ?", "Quelle période ?"]
    days = snapshot.sections[1]
    assert days.paragraphs == ("Le salarié acquiert 2,5 jours par mois (article L. 3141-3).", "Premier cas ;", "Second cas.")
    assert days.url == "https://example.gouv.fr/conges#combien" and days.date == dt.date(2026, 3, 2)
    assert days.articles == ("L3141-3",)  # L3141-5 was only in the transcript, L3141-12 named nowhere
    assert snapshot.sections[2].articles == ("L3141-12",)  # inside the range; L3141-20 is not
    assert report.duplicate_sheets == 1 and snapshot.sheet_count == 1
    assert snapshot.source == sheets_source() and snapshot.newest == dt.date(2026, 3, 2)


def test_a_bad_package_file_is_refused_in_french(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="fichier introuvable"):
        build_sheet_snapshot(tmp_path / "absent.json", PINNED_VERSION, set())
    broken = tmp_path / "broken.json"
    broken.write_text('[{"title": "Les congés', encoding="utf-8")
    assert_rejected(lambda p: build_sheet_snapshot(p, PINNED_VERSION, set()), broken, "JSON invalide")
    wrong = tmp_path / "wrong.json"
    wrong.write_text('[{"title": "Les congés payés"}]', encoding="utf-8")
    assert_rejected(lambda p: build_sheet_snapshot(p, PINNED_VERSION, set()), wrong, "structure inattendue")


def test_a_bad_snapshot_file_is_refused_in_french(tmp_path: Path, sheets: SheetSnapshot) -> None:
    truncated = tmp_path / "truncated.jsonl.gz"
    truncated.write_bytes(SHIPPED_SHEETS.read_bytes()[:20000])
    assert_rejected(read_sheets, truncated, "illisible ou tronqué", "make snapshot")
    other = tmp_path / "other.jsonl.gz"
    write_sheets(other, SheetSnapshot(sheets_source("4.1.0"), sheets.newest, 1, sheets.sections[:2]))
    assert read_sheets(other).sections == sheets.sections[:2]
    assert_rejected(load_sheets, other, "4.1.0", f"la version attendue est {sheets_source()}")
    code = Path(__file__).resolve().parents[1] / "corpus" / "snapshot" / "code-du-travail.jsonl.gz"
    assert_rejected(read_sheets, code, "format inconnu")


def test_the_labelled_sheet_queries_are_those_of_the_shipped_sheets(sheets: SheetSnapshot, store: ArticleStore) -> None:
    """bench/sheet_queries.jsonl is what bench/sheet_queries.py writes from the snapshot: regenerated with it."""
    path = Path(__file__).resolve().parents[1] / "bench" / "sheet_queries.py"
    spec = importlib.util.spec_from_file_location("sheet_queries", path)
    assert spec and spec.loader
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    records = read_records(generator.OUTPUT)
    assert records == generator.sheet_queries(sheets.sections) and len(records) > 250
    in_force = {a.key for a in store.in_force}
    assert all(1 <= len(r["gold"]) <= 3 and set(r["gold"]) <= in_force for r in records)
    assert [r["split"] == "heldout" for r in records] == [int(r["id"][1:]) % 3 == 0 for r in records]
