"""The article model shared by every source and every downstream package."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from corpus.article_number import is_article_number

LEGIFRANCE_ARTICLE_URL = "https://www.legifrance.gouv.fr/codes/article_lc/{legi_id}"
CODE_DU_TRAVAIL = "code du travail"
_KEY_ID = re.compile(r" \(LEGIARTI\d{12}\)$")


class Status(str, Enum):
    """Legal status of one article version; only IN_FORCE may feed "in force" answers."""

    IN_FORCE = "in_force"  # etat VIGUEUR
    NOT_YET_IN_FORCE = "not_yet_in_force"  # etat VIGUEUR_DIFF: enters into force later
    REPEALED_IN_FUTURE = "repealed_in_future"  # etat ABROGE_DIFF: not in force for us
    REPEALED = "repealed"  # etat ABROGE
    SUPERSEDED = "superseded"  # etat MODIFIE: an older wording
    HISTORICAL = "historical"  # a past version from an export or the pre-2008 code

    @property
    def label_fr(self) -> str:
        """French label shown to users."""
        return _STATUS_LABELS_FR[self]


_STATUS_LABELS_FR = {
    Status.IN_FORCE: "en vigueur",
    Status.NOT_YET_IN_FORCE: "en vigueur différée (pas encore en vigueur)",
    Status.REPEALED_IN_FUTURE: "abrogation différée (article traité comme non en vigueur)",
    Status.REPEALED: "abrogé",
    Status.SUPERSEDED: "version modifiée (ancienne rédaction)",
    Status.HISTORICAL: "version historique",
}


@dataclass(frozen=True)
class Reference:
    """One article cited by another.

    ``code`` is None for the Code du travail itself, otherwise the other code's name as written
    (e.g. « code de la sécurité sociale »): such references are external and never resolved here.
    ``range_end`` is set for « L. 5212-2 à L. 5212-17 »; the range is expanded against the corpus
    order, because numbers alone do not say which articles lie between the bounds.
    """

    number: str
    code: str | None = None
    range_end: str | None = None

    @property
    def is_external(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class Article:
    """One version of one article, with everything needed to show and cite it."""

    number: str | None  # canonical number; None when an export did not let us recover it
    status: Status
    paragraphs: tuple[str, ...]
    breadcrumbs: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    legi_id: str | None = None
    cid: str | None = None
    start_date: dt.date | None = None  # this version's entry into force
    end_date: dt.date | None = None
    first_start_date: dt.date | None = None  # the article's first entry into force (its oldest version)
    references_out: tuple[Reference, ...] = ()
    source: str = ""  # which snapshot or export the version comes from
    position: int = 0  # 1-based order within its source (the code's reading order)
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str:
        """The text's unique key: its number for an L/R/D article; for the code's other texts, whose
        « numbers » repeat (two are just « Annexe »), the number and the LEGIARTI id."""
        if self.number and (self.is_article or not self.legi_id):
            return self.number
        return f"{self.label} ({self.legi_id})"

    @property
    def label(self) -> str:
        """What a reader calls the text: « L5212-2 », « Annexe I à l'article R4312-1 »."""
        return self.number or "(numéro inconnu)"

    @property
    def is_article(self) -> bool:
        """True for an L/R/D article, False for the code's other texts (annexes)."""
        return bool(self.number) and is_article_number(str(self.number))

    @property
    def title(self) -> str:
        """The text's heading: « Article L5212-2 », « Annexe I à l'article R4312-1 »."""
        return f"Article {self.label}" if self.is_article else self.label

    @property
    def kind(self) -> str:
        """« l'article » or « le texte » (an annex): what a French sentence calls it."""
        return "l'article" if self.is_article else "le texte"

    @property
    def designation(self) -> str:
        """The text named in a French sentence: « l'article L5212-2 », « le texte « Annexe I » »."""
        return f"{self.kind} {self.label}" if self.is_article else f"{self.kind} « {self.label} »"

    @property
    def url(self) -> str | None:
        """Public Légifrance link, when the article has a LEGI id."""
        return LEGIFRANCE_ARTICLE_URL.format(legi_id=self.legi_id) if self.legi_id else None

    @property
    def text(self) -> str:
        """The body as one string, alinéas separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    @property
    def in_force(self) -> bool:
        return self.status is Status.IN_FORCE

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; the inverse of from_dict."""
        data = dataclasses.asdict(self)
        data["status"] = self.status.value
        data["start_date"] = self.start_date.isoformat() if self.start_date else None
        data["end_date"] = self.end_date.isoformat() if self.end_date else None
        data["first_start_date"] = self.first_start_date.isoformat() if self.first_start_date else None
        data["references_out"] = [_compact_reference(r) for r in self.references_out]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            number=data["number"],
            status=Status(data["status"]),
            paragraphs=tuple(data["paragraphs"]),
            breadcrumbs=tuple(data.get("breadcrumbs", ())),
            notes=tuple(data.get("notes", ())),
            legi_id=data.get("legi_id"),
            cid=data.get("cid"),
            start_date=_date_or_none(data.get("start_date")),
            end_date=_date_or_none(data.get("end_date")),
            first_start_date=_date_or_none(data.get("first_start_date")),
            references_out=tuple(Reference(**r) for r in data.get("references_out", ())),
            source=data.get("source", ""),
            position=data.get("position", 0),
            extra=data.get("extra") or {},
        )


def key_label(key: str) -> str:
    """The label inside a key (« Annexe (LEGIARTI…) » → « Annexe »), for views that hold only keys."""
    return _KEY_ID.sub("", key)


def _compact_reference(reference: Reference) -> dict[str, str]:
    return {k: v for k, v in dataclasses.asdict(reference).items() if v is not None}


def _date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
