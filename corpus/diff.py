"""Change reports between two versions of the code: what was added, changed or repealed.

Articles are matched by number. An administrator reads the report after `cdt corpus update`; a
staff member reads it to see what moved in a book since a dated export.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from corpus.model import Article
from corpus.wording import diff_summary, same_wording


@dataclass(frozen=True)
class ArticleChange:
    """One article that differs; ``label`` identifies it even without a number (an export's)."""

    label: str
    kind: str  # "added" | "changed" | "repealed"
    summary: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.label, "kind": self.kind, "summary": self.summary}


@dataclass
class ChangeReport:
    old_label: str
    new_label: str
    added: list[ArticleChange] = field(default_factory=list)
    changed: list[ArticleChange] = field(default_factory=list)
    repealed: list[ArticleChange] = field(default_factory=list)
    # Only for exports: articles already in force at the export's date but missing from it.
    absent: list[ArticleChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.repealed or self.absent)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "counts": {
                "added": len(self.added), "changed": len(self.changed),
                "repealed": len(self.repealed), "absent": len(self.absent),
            },
            "added": [c.to_dict() for c in self.added],
            "changed": [c.to_dict() for c in self.changed],
            "repealed": [c.to_dict() for c in self.repealed],
            "absent": [c.to_dict() for c in self.absent],
        }

    def to_text(self) -> str:
        lines = [
            f"Changements entre {self.old_label} et {self.new_label} : {len(self.added)} ajouté(s), "
            f"{len(self.changed)} modifié(s), {len(self.repealed)} abrogé(s) ou disparu(s)."
            + (f" {len(self.absent)} absent(s) de l'export bien qu'en vigueur à sa date." if self.absent else "")
        ]
        sections = (
            ("Ajoutés", self.added),
            ("Modifiés", self.changed),
            ("Abrogés ou disparus", self.repealed),
            ("Absents de l'export (déjà en vigueur à sa date : export incomplet)", self.absent),
        )
        for title, changes in sections:
            if changes:
                lines.append(f"\n{title} :")
                lines.extend(f"  - {c.label}" + (f" — {c.summary}" if c.summary else "") for c in changes)
        return "\n".join(lines)


def same_text(old: Article, new: Article) -> bool:
    """Equal bodies, ignoring typography and spacing (exports and Légifrance differ there)."""
    return same_wording(old.text, new.text)


def diff_articles(old: Iterable[Article], new: Iterable[Article], old_label: str, new_label: str) -> ChangeReport:
    """Compare two sets of articles in force, matched by number, in the new code's order."""
    old_by_key, new_by_key = _by_key(old), _by_key(new)
    report = ChangeReport(old_label, new_label)
    for key, article in new_by_key.items():
        previous = old_by_key.get(key)
        if previous is None:
            report.added.append(ArticleChange(key, "added"))
        elif not same_text(previous, article):
            summary = diff_summary(previous.text, article.text)
            report.changed.append(ArticleChange(key, "changed", summary))
    report.repealed.extend(ArticleChange(key, "repealed") for key in old_by_key if key not in new_by_key)
    return report


def _by_key(articles: Iterable[Article]) -> dict[str, Article]:
    """Articles by number, in order; a number shared by several (« Annexe ») is qualified by cid."""
    numbered = [a for a in articles if a.number]
    shared = {n for n, count in Counter(a.number for a in numbered).items() if count > 1}
    return {(f"{a.number} [{a.cid}]" if a.number in shared else a.number): a for a in numbered}


def diff_export(
    export: list[Article], current: list[Article], old_label: str, new_label: str, version_date: dt.date | None = None
) -> ChangeReport:
    """What changed in the current code since a numbered export (see corpus.numbering).

    The comparison covers the parts of the code the export covers (the first two levels of the
    breadcrumbs of its matched articles): articles of those parts missing from the export were
    added since, unless they were already in force at the export's date (``version_date``), in
    which case the export simply lacks them and they are reported apart; export articles without
    a counterpart were repealed or renumbered since.
    """
    by_number = {a.number: a for a in current if a.number}
    matched = {a.number for a in export if a.number in by_number}
    scope = {by_number[n].breadcrumbs[:2] for n in matched}
    report = ChangeReport(old_label, new_label)
    for article in export:
        counterpart = by_number.get(article.number) if article.number else None
        if counterpart is None:
            report.repealed.append(ArticleChange(_export_label(article), "repealed"))
        elif not same_text(article, counterpart):
            summary = article.extra.get("diff") or diff_summary(article.text, counterpart.text)
            report.changed.append(ArticleChange(article.number, "changed", summary))
    for article in current:
        if article.number and article.number not in matched and article.breadcrumbs[:2] in scope:
            if version_date and article.first_start_date and article.first_start_date <= version_date:
                report.absent.append(ArticleChange(article.number, "absent"))
            else:
                report.added.append(ArticleChange(article.number, "added"))
    return report


def _export_label(article: Article) -> str:
    words = " ".join(article.text.split()[:10])
    return f"article n° {article.position} de l'export, sans équivalent actuel (« {words} … »)"
