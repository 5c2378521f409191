"""The package `@socialgouv/kali-data` → the conventions snapshot (corpus/conventions.py).

The package holds one JSON tree per convention (`data/KALICONT….json`) and `data/index.json`, the
conventions it publishes in full with their employees covered. Most other trees are empty stubs (a
number and a title): they are listed as known, without text. One full tree is missing from the index
(IDCC 650, métallurgie, ingénieurs et cadres): it is read like the others. Kept: the texts in force
(extended, not extended, or plain « VIGUEUR »), and in them the articles in force or to come into
force (flagged); what is left out is counted, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tarfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.conventions import (
    BASE_PART, PACKAGE, TEXT_STATES, Convention, ConventionArticle, ConventionInfo, ConventionText,
)
from corpus.errors import SourceFormatError
from corpus.html_text import clean_spaces, html_to_paragraphs

_TREE = re.compile(r"package/data/KALICONT\d{12}(?:-\d+)?\.json")  # « -1007 »: a local metallurgy IDCC, a stub
_INDEX = "package/data/index.json"
_FIX = f"Attendu : l'archive du paquet {PACKAGE} (`python scripts/build_conventions.py` la télécharge)"
ARTICLE_IN_FORCE = {"VIGUEUR", "VIGUEUR_ETEN", "VIGUEUR_NON_ETEN"}  # a few articles carry their text's state
ARTICLE_TO_COME = "VIGUEUR_DIFF"


@dataclass
class ConventionsReport:
    """What the build kept and left out, for the script's output."""

    known: int = 0
    with_text: int = 0
    texts: Counter[str] = field(default_factory=Counter)  # state → texts kept
    articles: int = 0
    to_come: int = 0  # VIGUEUR_DIFF articles, kept and flagged
    left_out: Counter[str] = field(default_factory=Counter)  # reason → count

    def to_text(self) -> str:
        left = ", ".join(f"{reason} : {count}" for reason, count in self.left_out.most_common()) or "rien"
        texts = ", ".join(f"{state} {count}" for state, count in self.texts.most_common())
        return (f"{self.known} conventions connues, {self.with_text} avec leur texte ; textes gardés : {texts} ; "
                f"{self.articles} articles ({self.to_come} pas encore en vigueur) ; écartés : {left}")


def read_package(tarball: Path) -> tuple[list[ConventionInfo], list[Convention], ConventionsReport]:
    """Every convention the package knows, and those with text, read from its tarball."""
    report = ConventionsReport()
    try:
        with tarfile.open(tarball, "r:gz") as archive:
            employees = {entry["id"]: entry.get("effectif") for entry in _json(archive, _INDEX)}
            trees = [_json(archive, name) for name in sorted(archive.getnames()) if _TREE.fullmatch(name)]
    except (tarfile.TarError, EOFError, OSError, KeyError) as error:
        raise SourceFormatError(tarball, f"archive illisible ({error})", _FIX) from error
    known, full = [], []
    for tree in trees:
        info = _info(tree, employees)
        known.append(info)
        if info.has_text:
            full.append(_convention(tree, info, report))
    report.known, report.with_text = len(known), len(full)
    return sorted(known, key=_order), sorted(full, key=lambda c: _order(c.info)), report


def _order(info: ConventionInfo) -> tuple[int, str]:
    return (info.idcc if info.idcc is not None else 10_000, info.id)


def _json(archive: tarfile.TarFile, name: str) -> Any:
    member = archive.extractfile(name)
    if member is None:
        raise KeyError(name)
    with member:
        return json.load(member)


def _info(tree: dict[str, Any], employees: dict[str, int | None]) -> ConventionInfo:
    data = tree["data"]
    return ConventionInfo(int(data["num"]) if "num" in data else None, data["id"], clean_spaces(data["title"]),
                          clean_spaces(data.get("shortTitle") or data["title"]), employees.get(data["id"]),
                          bool(tree.get("children")))


def _convention(tree: dict[str, Any], info: ConventionInfo, report: ConventionsReport) -> Convention:
    texts: list[ConventionText] = []
    articles: list[ConventionArticle] = []
    for part, node in _texts(tree):
        data = node["data"]
        status = TEXT_STATES.get(data.get("etat", ""))
        if status is None:
            report.left_out[f"texte {data.get('etat')}"] += 1
            continue
        text = ConventionText(data["id"], clean_spaces(data["title"]), part, status, _date(data.get("modifDate")))
        texts.append(text)
        report.texts[data["etat"]] += 1
        for article, crumbs in _articles(node, ()):
            kept = _article(article, text, crumbs, report)
            if kept:
                articles.append(kept)
    return Convention(info, tuple(texts), tuple(articles))


def _texts(tree: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(part, text node): the base text is a part of its own (« Texte de base : … »), the others are
    grouped under « Textes Attachés » and « Textes Salaires »."""
    for part in tree["children"]:
        if part["data"].get("id", "").startswith("KALITEXT"):
            yield BASE_PART, part
        else:
            title = clean_spaces(part["data"]["title"])
            yield from ((title, text) for text in part.get("children") or ())


def _articles(node: dict[str, Any], crumbs: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
    for child in node.get("children") or ():
        if child["type"] == "article":
            yield child["data"], crumbs
        else:
            yield from _articles(child, crumbs + (clean_spaces(child["data"].get("title", "")),))


def _article(data: dict[str, Any], text: ConventionText, crumbs: tuple[str, ...],
             report: ConventionsReport) -> ConventionArticle | None:
    state = data.get("etat")
    if state not in ARTICLE_IN_FORCE and state != ARTICLE_TO_COME:
        report.left_out[f"article {state}"] += 1
        return None
    paragraphs = tuple(html_to_paragraphs(data.get("content") or ""))
    if not paragraphs:
        report.left_out["article vide"] += 1
        return None
    report.articles += 1
    report.to_come += state == ARTICLE_TO_COME
    number = clean_spaces(data.get("num") or "") or None
    heading = clean_spaces(data.get("surtitre") or "") or None
    return ConventionArticle(data["id"], data.get("cid") or data["id"], number, text.id, crumbs, paragraphs,
                             state != ARTICLE_TO_COME, heading, tuple(html_to_paragraphs(data.get("nota") or "")))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None
