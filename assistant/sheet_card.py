"""The ministry's practical sheet beside the articles: it explains, the articles prove.

Of the sections the sheets' search found (indexing/sheet_search.py), the best one that cites an
article the answer quotes is shown when its score clears SHEET_BAR, calibrated by
bench/calibrate_sheets.py on the tuning questions (a card counts as relevant when its section
cites a gold article of the question): a section close to the question's words but about other
articles explains something else (measured: the best section alone cites a gold article one time
in five, whatever its score). Its passage is
one to three sentences of the section, quoted verbatim and checked like the articles' quotes: the
sentences that share most words with the question and have the form of its answer. When the
section cites the article the answer relies on first, its passage is the answer's lead (« En
bref »): the same rule, in the ministry's plain words.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from corpus.sheets import SheetSection
from indexing.sheet_search import SheetHit

from assistant.citations import is_verbatim
from assistant.passages import blocks, lead_sentences
from assistant.question_kind import expects

SHEET_BAR = 0.67  # see bench/calibrate_sheets.py and docs/BENCHMARKS.md
SHEET_CANDIDATES = 5  # sections searched; the card is the best of them citing a quoted article
# Without vectors for their sentences, a sheet's sentences are told apart by words alone: a margin
# lets unrelated sentences in, so the passage is the best sentence (and those tied with it).
PASSAGE_MARGIN = 0.0


@dataclass(frozen=True)
class SheetCard:
    section: SheetSection
    score: float
    quotes: tuple[str, ...]  # verbatim from the section, one per run of consecutive sentences

    @property
    def title(self) -> str:
        return f"Fiche pratique du ministère du Travail : {self.section.heading}"

    @property
    def passage(self) -> str:
        return " ".join(f"« {quote} »" for quote in self.quotes)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.section.sheet_title, "section": self.section.section_title, "url": self.section.url,
                "date": self.section.date.isoformat(), "quote": " […] ".join(self.quotes)}


def choose(hits: list[SheetHit], question: str, quoted: Collection[str], bar: float = SHEET_BAR) -> SheetCard | None:
    """The card of the best section citing one of the ``quoted`` articles, when it clears the bar
    and has a passage to quote."""
    hit = best_citing(hits, quoted)
    if hit is None or hit.score < bar:
        return None
    section = hit.section
    quotes = lead_sentences(blocks(section.paragraphs, (None,) * len(section.paragraphs), question), question,
                            expects(question), PASSAGE_MARGIN)
    return SheetCard(section, hit.score, tuple(quotes)) if quotes else None


def best_citing(hits: list[SheetHit], quoted: Collection[str]) -> SheetHit | None:
    """The best section that cites one of the articles the answer quotes."""
    return next((h for h in hits if set(h.section.articles) & set(quoted)), None)


def is_quoted_verbatim(card: SheetCard) -> bool:
    """The citation check for sheets: every quote is in the section, word for word."""
    return all(is_verbatim(quote, card.section.text) for quote in card.quotes)
