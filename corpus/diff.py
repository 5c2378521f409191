"""Change reports between two versions of the code: what was added, changed or repealed.

Articles are matched by number. An administrator reads the report after `cdt corpus update`; a
staff member reads it to see what moved in a book since a dated export.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from corpus.model import Article

_WORD = re.compile(r"\w[\w'’-]*|\S")
_SUMMARY_WORDS = 12


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

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.repealed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "counts": {"added": len(self.added), "changed": len(self.changed), "repealed": len(self.repealed)},
            "added": [c.to_dict() for c in self.added],
            "changed": [c.to_dict() for c in self.changed],
            "repealed": [c.to_dict() for c in self.repealed],
        }

    def to_text(self) -> str:
        lines = [
            f"Changements entre {self.old_label} et {self.new_label} : {len(self.added)} ajouté(s), "
            f"{len(self.changed)} modifié(s), {len(self.repealed)} abrogé(s) ou disparu(s)."
        ]
        for title, changes in (("Ajoutés", self.added), ("Modifiés", self.changed), ("Abrogés ou disparus", self.repealed)):
            if changes:
                lines.append(f"\n{title} :")
                lines.extend(f"  - {c.label}" + (f" — {c.summary}" if c.summary else "") for c in changes)
        return "\n".join(lines)


def same_text(old: Article, new: Article) -> bool:
    """Equal bodies, ignoring spacing and apostrophe style (exports and Légifrance differ there)."""
    return normalized_text(old) == normalized_text(new)


def normalized_text(article: Article) -> str:
    return " ".join(" ".join(article.paragraphs).replace("’", "'").split())


def summarize_change(old_text: str, new_text: str) -> str:
    """A short French summary of a rewording: the first words removed and added."""
    old_words, new_words = _WORD.findall(old_text), _WORD.findall(new_text)
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.extend(old_words[i1:i2] + ["…"])
        if tag in ("replace", "insert"):
            added.extend(new_words[j1:j2] + ["…"])
    parts = []
    if removed:
        parts.append("retiré : « " + _clip(removed) + " »")
    if added:
        parts.append("ajouté : « " + _clip(added) + " »")
    similarity = round(matcher.ratio() * 100)
    return f"{similarity} % du texte inchangé ; " + " ; ".join(parts) if parts else "mise en forme seulement"


def diff_articles(old: Iterable[Article], new: Iterable[Article], old_label: str, new_label: str) -> ChangeReport:
    """Compare two sets of articles in force, matched by number, in the new code's order."""
    old_by_key, new_by_key = _by_key(old), _by_key(new)
    report = ChangeReport(old_label, new_label)
    for key, article in new_by_key.items():
        previous = old_by_key.get(key)
        if previous is None:
            report.added.append(ArticleChange(key, "added"))
        elif not same_text(previous, article):
            summary = summarize_change(normalized_text(previous), normalized_text(article))
            report.changed.append(ArticleChange(key, "changed", summary))
    report.repealed.extend(ArticleChange(key, "repealed") for key in old_by_key if key not in new_by_key)
    return report


def _by_key(articles: Iterable[Article]) -> dict[str, Article]:
    """Articles by number, in order; a number shared by several (« Annexe ») is qualified by cid."""
    numbered = [a for a in articles if a.number]
    shared = {n for n, count in Counter(a.number for a in numbered).items() if count > 1}
    return {(f"{a.number} [{a.cid}]" if a.number in shared else a.number): a for a in numbered}


def _clip(words: list[str]) -> str:
    text = " ".join(words[:_SUMMARY_WORDS]).removesuffix(" …")
    return text + (" …" if len(words) > _SUMMARY_WORDS else "")


def diff_export(export: list[Article], current: list[Article], old_label: str, new_label: str) -> ChangeReport:
    """What changed in the current code since a numbered export (see corpus.numbering).

    The comparison covers the parts of the code the export covers (the first two levels of the
    breadcrumbs of its matched articles): articles of those parts absent from the export were
    added since; export articles without a counterpart were repealed or renumbered since.
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
            summary = summarize_change(normalized_text(article), normalized_text(counterpart))
            report.changed.append(ArticleChange(article.number, "changed", summary))
    report.added.extend(
        ArticleChange(a.number, "added")
        for a in current
        if a.number and a.number not in matched and a.breadcrumbs[:2] in scope
    )
    return report


def _export_label(article: Article) -> str:
    words = " ".join(normalized_text(article).split()[:10])
    return f"article n° {article.position} de l'export, sans équivalent actuel (« {words} … »)"
