"""What the assistant returns: one answer, its checked citations, the corpus date it speaks for.

The JSON form is the documented contract of `cdt ask --json` (README): `answer`, `citations`
(`article`: the label, `source`: "code" or "convention", `id`: the LEGIARTI or KALIARTI id of this version,
`url`, `quote`; a convention's article adds `idcc` and `cid`, the id shared by its versions), `calculation` (a calculator's result or null), `corpus_date`,
`abstained`, `lead` (« En bref », null when abstained), `sheets` (the ministry's sheet shown: `title`,
`section`, `url`, `date`, `quote`; empty when none), `convention` (the user's convention collective: `idcc`,
`title`, `searched`; null when none is chosen); the other keys (`mode`, `notices`, `retrieved`, `timings_ms`) help to audit it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from corpus.conventions import Convention, ConventionArticle
from corpus.model import Article, key_label


class Source(str, Enum):
    """Where a cited text comes from."""

    CODE = "code"
    CONVENTION = "convention"


@dataclass(frozen=True)
class Citation:
    article: str  # the text's key (corpus/model.py): what answers write between brackets
    url: str | None  # Légifrance, when the article has a LEGIARTI id
    quote: str  # verbatim from the article ("" when the article is cited without a quotation)
    label: str = ""  # what readers call it (« L5212-2 », « Annexe »); the key when empty
    legi_id: str | None = None  # the LEGIARTI id; a convention article's KALIARTI id of this version
    source: Source = Source.CODE
    idcc: int | None = None  # a convention article's convention
    cid: str | None = None  # a convention article's id shared by its versions

    @classmethod
    def of(cls, article: Article, quote: str = "") -> Citation:
        return cls(article.key, article.url, quote, article.label, article.legi_id)

    @classmethod
    def of_convention(cls, convention: Convention, article: ConventionArticle, quote: str = "") -> Citation:
        """A convention's article: keyed by its version id, shown as « IDCC 1486 — Texte de base, article 3.4 »."""
        return cls(article.id, convention.url(article), quote, convention.label(article), article.id,
                   Source.CONVENTION, convention.info.idcc, article.cid)

    def to_dict(self) -> dict[str, Any]:
        data = {"article": self.label or self.article, "source": self.source.value, "id": self.legi_id,
                "url": self.url, "quote": self.quote}
        if self.source is Source.CONVENTION:
            data |= {"idcc": self.idcc, "cid": self.cid}
        return data


@dataclass
class Answer:
    question: str  # as the user wrote it
    standalone: str  # the question as understood with the conversation (what was searched)
    text: str  # French, Markdown; ends with the cited articles and the corpus date
    citations: list[Citation]
    corpus_date: dt.date
    abstained: bool
    mode: str  # "extractif" or "llm:<model>"
    calculation: dict[str, Any] | None = None
    retrieved: list[str] = field(default_factory=list)  # the articles the answer could cite
    notices: list[str] = field(default_factory=list)  # removed citations, dropped quotations, search notes
    timings_ms: dict[str, float] = field(default_factory=dict)
    rescrit: str | None = None  # Markdown draft of a request for a formal position, when the question is one
    lead: str | None = None  # « En bref »: Markdown with the same [ARTICLE] markers as the text; None when abstained
    see_also: list[str] = field(default_factory=list)  # keys of texts only linked (« Voir aussi »), not cited
    sheets: list[dict[str, str]] = field(default_factory=list)  # the ministry's sheet shown: title, section, url, date, quote
    convention: dict[str, Any] | None = None  # the user's convention collective: idcc, title, searched (its text is here)

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "calculation": self.calculation,
            "corpus_date": self.corpus_date.isoformat(),
            "abstained": self.abstained,
            "question": self.question,
            "standalone_question": self.standalone,
            "mode": self.mode,
            "retrieved": self.retrieved,
            "notices": self.notices,
            "rescrit_draft": self.rescrit,
            "lead": self.lead,
            "sheets": self.sheets,
            "convention": self.convention,
            "see_also": [key_label(key) for key in self.see_also],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }

