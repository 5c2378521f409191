"""The package `@socialgouv/fiches-travail-data` → the sheets snapshot (corpus/sheets.py).

The package is the ministry's pages as JSON: per sheet a title, a date, a summary (`intro`) and
sections cut at the page's anchors, each with its HTML and the articles it cites (found by the
package in the text, per code). What is kept: the summary and every section that is the sheet's
own text (corpus/sheet_html.py removes the rest), each sheet once (four are published twice under
two ids), each section text once (the posting-of-workers sheets share whole sections). A section
cites an article when the package lists it for the section's code and the kept text still names it
(alone, or inside a range « L. 3142-105 à L. 3142-116 »): a removed transcript or reference list
cites nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.article_number import ARTICLE_NUMBER, try_normalize_number
from corpus.errors import CorpusError, SourceFormatError
from corpus.html_text import clean_spaces, html_to_paragraphs
from corpus.legi_json import CODE_DU_TRAVAIL_ID
from corpus.official_package import fetch_package_file
from corpus.sheet_html import is_boilerplate, section_blocks
from corpus.sheets import PACKAGE, SheetSection, SheetSnapshot, sheets_source

MEMBER = "package/data/fiches-travail.json"
_FIX = f"Attendu : le fichier data/fiches-travail.json du paquet {PACKAGE} (`make snapshot` le télécharge)"
_RANGE = re.compile(rf"({ARTICLE_NUMBER})\s*(?:à|au)\s*((?:[LRD]\.?\s?)?\d+(?:\s?-\s?\d+)+)")
_NUMBER_PARTS = re.compile(r"([LRD])\*?(\d+(?:-\d+)*)")
_Place = tuple[str, tuple[int, ...]]  # an article's place in its part of the code: ("L", (3142, 105))


@dataclass
class SheetsReport:
    """What the build kept and left out, for the script's output and the README's numbers."""

    sheets: int = 0  # read once each
    duplicate_sheets: int = 0  # the same page under a second id
    kept_sheets: int = 0  # with at least one section kept (the others repeat another page word for word)
    dropped: Counter[str] = field(default_factory=Counter)  # reason → sections

    def to_text(self, snapshot: SheetSnapshot) -> str:
        dropped = ", ".join(f"{reason} : {count}" for reason, count in self.dropped.most_common())
        return (f"{self.sheets} fiches lues ({self.duplicate_sheets} autres en double), {self.kept_sheets} gardées, "
                f"{len(snapshot.sections)} sections gardées ; écartées : {dropped}")


def fetch_sheets_json(version: str, workdir: Path) -> Path:
    return fetch_package_file(PACKAGE, version, MEMBER, workdir)


def build_sheet_snapshot(json_path: Path, version: str, in_force: Collection[str]) -> tuple[SheetSnapshot, SheetsReport]:
    """The snapshot of the package's sheets; ``in_force``: the keys of the code's articles in force
    (a sheet older than a repeal may cite an article that no longer is)."""
    sheets = _read_package_json(json_path)
    report = SheetsReport()
    sections: list[SheetSection] = []
    seen_urls: set[str] = set()
    seen_texts: set[tuple[str, ...]] = set()
    try:
        for sheet in sheets:
            if sheet["url"] in seen_urls:
                report.duplicate_sheets += 1
                continue
            seen_urls.add(sheet["url"])
            report.sheets += 1
            kept = 0
            for section in _sheet_sections(sheet, in_force, report.dropped):
                if section.paragraphs in seen_texts:
                    report.dropped["même texte dans une autre fiche"] += 1
                    continue
                seen_texts.add(section.paragraphs)
                sections.append(section)
                kept += 1
            if kept:
                report.kept_sheets += 1
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise SourceFormatError(json_path, f"structure inattendue ({error!r})", _FIX) from error
    if not sections:
        raise SourceFormatError(json_path, "aucune section de fiche", _FIX)
    newest = max(s.date for s in sections)
    return SheetSnapshot(sheets_source(version), newest, report.kept_sheets, tuple(sections)), report


def _read_package_json(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError as error:
        raise CorpusError(f"{path} : fichier introuvable. {_FIX}") from error
    except OSError as error:
        raise CorpusError(f"{path} : fichier illisible ({error}). {_FIX}") from error
    except ValueError as error:  # UnicodeDecodeError included
        raise SourceFormatError(path, f"JSON invalide ou tronqué ({error})", _FIX) from error
    if not isinstance(data, list) or not data:
        raise SourceFormatError(path, "une liste de fiches est attendue", _FIX)
    return data


def _sheet_sections(sheet: dict[str, Any], in_force: Collection[str], dropped: Counter[str]) -> list[SheetSection]:
    """The sheet's summary, then the blocks of its sections that are its own text, in the page's order."""
    title = clean_spaces(sheet["title"])
    date = dt.datetime.strptime(sheet["date"], "%d/%m/%Y").date()
    parts: list[tuple[str, tuple[str, ...], str, list[str]]] = []  # (heading, paragraphs, url, articles listed)
    summary = tuple(html_to_paragraphs(sheet["intro"] or ""))
    if summary:
        parts.append(("", summary, sheet["url"], []))
    for section in sheet["sections"]:
        heading = clean_spaces(section["title"])
        if is_boilerplate(heading):
            dropped[f"« {heading} »"] += 1
            continue
        blocks = section_blocks(section["html"])
        if not blocks:
            dropped["sans texte propre (vidéo, liste de liens)"] += 1
            continue
        url = f"{sheet['url']}#{section['anchor']}" if section["anchor"] else sheet["url"]
        listed = [n for a in (section["references"] or {}).get(CODE_DU_TRAVAIL_ID, {}).get("articles", [])
                  if (n := try_normalize_number(a["fmt"]))]
        for block in blocks:
            own = heading if heading != title else ""  # the package titles a page's opening with the sheet's title
            parts.append((block.title or own, block.paragraphs, url, listed))
    return [SheetSection(f"{sheet['pubId']}-{position}", title, heading, paragraphs, url, date,
                         _cited(paragraphs, listed, in_force))
            for position, (heading, paragraphs, url, listed) in enumerate(parts)]


def _cited(paragraphs: tuple[str, ...], listed: list[str], in_force: Collection[str]) -> tuple[str, ...]:
    """Those of the package's articles that are in force and that this text still names."""
    text = "\n".join(paragraphs)
    named = {n for m in re.finditer(ARTICLE_NUMBER, text) if (n := try_normalize_number(m.group(0)))}
    ranges = [bounds for m in _RANGE.finditer(text) if (bounds := _range(m[1], m[2]))]

    def is_named(number: str) -> bool:
        place = _place(number)
        return number in named or (place is not None and any(low <= place <= high for low, high in ranges))

    return tuple(dict.fromkeys(n for n in listed if n in in_force and is_named(n)))


def _range(first: str, last: str) -> tuple[_Place, _Place] | None:
    """« L. 3142-105 à L. 3142-116 » or « L. 3142-105 à 3142-116 » → its two ends; None when unreadable."""
    start = _place(try_normalize_number(first))
    if start is None:
        return None
    end = _place(try_normalize_number(last if last[0].isalpha() else start[0] + last))
    return (start, end) if end is not None and end[0] == start[0] else None


def _place(number: str | None) -> _Place | None:
    """« L3142-105 » → ("L", (3142, 105)): numbers of one part compare in the code's order."""
    match = _NUMBER_PARTS.match(number or "")
    return (match[1], tuple(int(p) for p in match[2].split("-"))) if match else None
