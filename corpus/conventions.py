"""Conventions collectives: the branch agreements that decide most of what people ask (notice,
trial period, severance, leave, minimum wages), beside the Code du travail.

Source: the pinned `@socialgouv/kali-data` package (the labour ministry's team; texts DILA's, under
the Licence Ouverte), read by corpus/conventions_package.py. One convention is a tree: its parts
(« Texte de base », « Textes Attachés », « Textes Salaires ») hold texts (the base agreement, its
avenants, its wage agreements), whose sections hold articles. Two facts shape the records:

- **Status is on the texts.** An extended text (VIGUEUR_ETEN) binds every employer of the branch; a
  text in force but not extended (VIGUEUR_NON_ETEN) only the members of the signing employers'
  organisations, which a quotation must say; plain VIGUEUR says « en vigueur » without claiming
  extension. An article not yet in force (VIGUEUR_DIFF) is kept but never quoted as in force.
- **Numbers are not keys.** Some 16 % of articles have none, and each avenant restarts at « 1er »: an
  article is keyed by its version id (KALIARTI) and shown with its text's title and its number.

The shipped snapshot is one gzip JSON Lines file per convention with text (manifest line first, like
the code's, corpus/snapshot.py), and one index of every convention the package knows, text or not.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any

from corpus.errors import CorpusError, SourceFormatError
from corpus.paths import SHIPPED_CONVENTIONS, corpus_dir
from corpus.snapshot import read_jsonl_gz, write_jsonl_gz

PACKAGE = "@socialgouv/kali-data"
PINNED_VERSION = "3.449.0"
FORMAT = "cdt-convention-snapshot/1"
INDEX_FORMAT = "cdt-conventions-index/1"
INDEX_FILE = "index.jsonl.gz"
POINTER = "current.json"  # in the data folder's conventions/: which installed version serves
BASE_PART = "Texte de base"  # the part holding the base agreement; the others hold avenants and wage texts
LEGIFRANCE_CONVENTION_ARTICLE_URL = "https://www.legifrance.gouv.fr/conv_coll/id/{article}/?idConteneur={container}"
_FIX = "Régénérez-les avec `python scripts/build_conventions.py`"


def conventions_source(version: str = PINNED_VERSION) -> str:
    return f"{PACKAGE}@{version}"


def conventions_root() -> Path:
    """Where `cdt convention update` installs versions: one folder each, and the pointer to the one in use."""
    return corpus_dir() / "conventions"


def active_conventions() -> tuple[Path, str]:
    """(folder, source) of the conventions in use: the version an update installed, else the shipped one."""
    pointer = conventions_root() / POINTER
    if pointer.is_file():
        try:
            current = json.loads(pointer.read_text(encoding="utf-8"))
            folder, source = conventions_root() / current["folder"], current["source"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SourceFormatError(pointer, f"pointeur illisible ({error})", "Supprimez-le pour revenir aux "
                                    "conventions livrées, ou relancez `cdt convention update`") from error
        if (folder / INDEX_FILE).is_file():
            return folder, source
    return SHIPPED_CONVENTIONS, conventions_source()


class TextStatus(str, Enum):
    """Who a convention's text binds."""

    EXTENDED = "extended"  # VIGUEUR_ETEN: every employer of the branch
    NOT_EXTENDED = "not_extended"  # VIGUEUR_NON_ETEN: only members of the signing employers' organisations
    IN_FORCE = "in_force"  # VIGUEUR: in force, extension not stated

    @property
    def label_fr(self) -> str:
        return _TEXT_STATUS_FR[self]


_TEXT_STATUS_FR = {
    TextStatus.EXTENDED: "étendu",
    TextStatus.NOT_EXTENDED: "non étendu : ne s'applique qu'aux employeurs adhérents d'une organisation signataire",
    TextStatus.IN_FORCE: "en vigueur",
}
TEXT_STATES = {"VIGUEUR_ETEN": TextStatus.EXTENDED, "VIGUEUR_NON_ETEN": TextStatus.NOT_EXTENDED,
               "VIGUEUR": TextStatus.IN_FORCE}


@dataclass(frozen=True)
class ConventionText:
    """One text of a convention: the base agreement, an avenant, a wage agreement."""

    id: str  # KALITEXT… of this version
    title: str  # « Avenant n° 32 du 15 décembre 2005 relatif aux salaires (ETAM) »
    part: str  # « Texte de base », « Textes Attachés », « Textes Salaires »
    status: TextStatus
    modified: dt.date | None  # the package's « modifDate »

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "part": self.part, "status": self.status.value,
                "modified": self.modified.isoformat() if self.modified else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConventionText:
        return cls(data["id"], data["title"], data["part"], TextStatus(data["status"]),
                   dt.date.fromisoformat(data["modified"]) if data["modified"] else None)


@dataclass(frozen=True)
class ConventionArticle:
    """One article version of a convention's text."""

    id: str  # KALIARTI… of this version: the key
    cid: str  # KALIARTI… shared by the article's versions
    number: str | None  # « 1er », « 7.2 »; None when the text numbers nothing
    text_id: str  # its ConventionText
    breadcrumbs: tuple[str, ...]  # the section titles inside the text
    paragraphs: tuple[str, ...]  # verbatim, one per alinéa or table row
    in_force: bool  # False for VIGUEUR_DIFF (enters into force later): never quoted as in force
    heading: str | None = None  # the package's « surtitre » (« Objet de l'avenant »)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "cid": self.cid, "number": self.number, "text_id": self.text_id,
                "breadcrumbs": list(self.breadcrumbs), "paragraphs": list(self.paragraphs),
                "in_force": self.in_force, "heading": self.heading, "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConventionArticle:
        return cls(data["id"], data["cid"], data["number"], data["text_id"], tuple(data["breadcrumbs"]),
                   tuple(data["paragraphs"]), bool(data["in_force"]), data["heading"], tuple(data["notes"]))


@dataclass(frozen=True)
class ConventionInfo:
    """A convention as the package lists it, with or without its text here."""

    idcc: int | None  # the number on the payslip; None for a few national agreements that have none
    id: str  # KALICONT…
    title: str
    short_title: str
    employees: int | None  # « effectif »: employees covered, when the package gives it
    has_text: bool

    def to_dict(self) -> dict[str, Any]:
        return {"idcc": self.idcc, "id": self.id, "title": self.title, "short_title": self.short_title,
                "employees": self.employees, "has_text": self.has_text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConventionInfo:
        return cls(data["idcc"], data["id"], data["title"], data["short_title"], data["employees"],
                   bool(data["has_text"]))


@dataclass(frozen=True)
class Convention:
    """A convention with its texts in force and their articles, in the package's reading order."""

    info: ConventionInfo
    texts: tuple[ConventionText, ...]
    articles: tuple[ConventionArticle, ...]

    def text_of(self, article: ConventionArticle) -> ConventionText:
        return self._texts[article.text_id]

    @cached_property
    def _texts(self) -> dict[str, ConventionText]:
        return {text.id: text for text in self.texts}

    def label(self, article: ConventionArticle) -> str:
        """« Avenant n° 32 du 15 décembre 2005 relatif aux salaires (ETAM), article 1er »: numbers repeat
        across texts, so the text's title says which; the base agreement is « Texte de base » (its title is
        the convention's own, shown beside)."""
        text = self.text_of(article)
        title = BASE_PART if text.part == BASE_PART else text.title
        if article.number:
            return f"{title}, article {article.number}"
        return f"{title}, « {article.heading} »" if article.heading else f"{title}, article sans numéro"

    def url(self, article: ConventionArticle) -> str:
        return LEGIFRANCE_CONVENTION_ARTICLE_URL.format(article=article.id, container=self.info.id)

    def manifest(self, source: str) -> dict[str, Any]:
        return {"format": FORMAT, "source": source, "convention": self.info.to_dict(),
                "texts": [text.to_dict() for text in self.texts], "article_count": len(self.articles)}


def convention_path(folder: Path, info: ConventionInfo) -> Path:
    """« 1486.jsonl.gz »; an agreement without IDCC by its KALICONT id."""
    return folder / f"{info.idcc:04d}.jsonl.gz" if info.idcc is not None else folder / f"{info.id}.jsonl.gz"


def write_convention(folder: Path, convention: Convention, source: str) -> Path:
    """One file per convention, replaced atomically (corpus/snapshot.py)."""
    path = convention_path(folder, convention.info)
    write_jsonl_gz(path, [convention.manifest(source), *(a.to_dict() for a in convention.articles)])
    return path


def read_convention(path: Path, source: str = conventions_source()) -> Convention:
    """A convention's snapshot, checked whole and from the expected package version."""
    head, records = read_jsonl_gz(path, FORMAT, _FIX)
    try:
        convention = Convention(ConventionInfo.from_dict(head["convention"]),
                                tuple(ConventionText.from_dict(t) for t in head["texts"]),
                                tuple(ConventionArticle.from_dict(r) for r in records))
        expected, found_source = int(head["article_count"]), head["source"]
    except (KeyError, TypeError, ValueError) as error:
        raise SourceFormatError(path, f"contenu inattendu ({error!r})", _FIX) from error
    if len(convention.articles) != expected:
        raise SourceFormatError(path, f"{len(convention.articles)} articles lus pour {expected} annoncés "
                                      "(fichier tronqué)", _FIX)
    if found_source != source:
        raise SourceFormatError(path, f"convention de {found_source}, la version attendue est {source}", _FIX)
    return convention


def load_convention(info: ConventionInfo, active: tuple[Path, str] | None = None) -> Convention:
    """The text, in the conventions in use (``active``: a (folder, source) pair), of a convention the
    index lists with text."""
    if not info.has_text:
        raise CorpusError(f"IDCC {info.idcc} ({info.short_title}) : le texte de cette convention n'est pas disponible "
                          "ici ; seul le Code du travail peut répondre.")
    folder, source = active or active_conventions()
    return read_convention(convention_path(folder, info), source)


def write_index(folder: Path, conventions: list[ConventionInfo], source: str) -> Path:
    path = folder / INDEX_FILE
    write_jsonl_gz(path, [{"format": INDEX_FORMAT, "source": source, "count": len(conventions)},
                          *(c.to_dict() for c in conventions)])
    return path


def read_index(active: tuple[Path, str] | None = None) -> list[ConventionInfo]:
    """Every convention the package knows, by IDCC, in the conventions in use (``active``: a (folder,
    source) pair); those without text say so."""
    folder, source = active or active_conventions()
    path = folder / INDEX_FILE
    head, records = read_jsonl_gz(path, INDEX_FORMAT, _FIX)
    try:
        conventions = [ConventionInfo.from_dict(r) for r in records]
        expected, found_source = int(head["count"]), head["source"]
    except (KeyError, TypeError, ValueError) as error:
        raise SourceFormatError(path, f"contenu inattendu ({error!r})", _FIX) from error
    if len(conventions) != expected or found_source != source:
        raise SourceFormatError(path, f"{len(conventions)} conventions de {found_source} pour {expected} de "
                                      f"{source}", _FIX)
    return conventions
