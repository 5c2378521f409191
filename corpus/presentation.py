"""How an article is shown to people (terminal) and to programs (JSON).

Both views carry the corpus consolidation date: a legal text without its date is not usable.
"""

from __future__ import annotations

import re
from typing import Any

from corpus.model import CODE_DU_TRAVAIL, Article, Reference, Status
from corpus.store import ArticleStore


def article_to_json(store: ArticleStore, article: Article) -> dict[str, Any]:
    """The `cdt corpus show --json` document."""
    current = article.in_force and article.source == store.source
    return {
        "number": article.number,
        "legi_id": article.legi_id,
        "cid": article.cid,
        "status": article.status.value,
        "status_label": article.status.label_fr,
        "start_date": article.start_date.isoformat() if article.start_date else None,
        "end_date": article.end_date.isoformat() if article.end_date else None,
        "breadcrumbs": list(article.breadcrumbs),
        "paragraphs": list(article.paragraphs),
        "notes": list(article.notes),
        "references_out": [_reference_json(store, r) for r in article.references_out],
        "references_in": store.references_in(article.key) if current else [],
        "url": article.url,
        "source": article.source,
        "corpus_date": store.consolidation_date.isoformat() if store.consolidation_date else None,
        "corpus_source": store.source,
        "extra": article.extra,
    }


def article_to_text(store: ArticleStore, article: Article) -> str:
    """A readable page for the terminal: header, place in the code, text, notes, links."""
    lines = [f"{article.title} — {article.status.label_fr}"]
    if article.status is Status.HISTORICAL:
        lines.append(f"ATTENTION : {version_label(article)} ; ce n'est pas le droit en vigueur.")
    if article.breadcrumbs:
        lines.append(" > ".join(article.breadcrumbs))
    lines += [_dates(article), "", *_paragraph_block(article.paragraphs)]
    if article.notes:
        lines += ["NOTA :", *_paragraph_block(article.notes)]
    if article.references_out:
        lines.append("Cite : " + " ; ".join(_reference_text(r) for r in article.references_out))
    if article.in_force and article.number and article.source == store.source:
        cited_by = store.references_in(article.key)
        lines.append("Cité par : " + (", ".join(cited_by) if cited_by else "aucun article en vigueur"))
        previous, following = store.neighbours(article.key)
        lines.append(f"Précédent : {previous or '—'} · Suivant : {following or '—'}")
        others = store.versions(article.number)[1:] if article.is_article else []
        if others:
            lines.append("Autres versions : " + " ; ".join(_other_version(a) for a in others))
    if article.url:
        lines.append(f"Légifrance : {article.url}")
    lines.append(f"Corpus : Code du travail consolidé au {store.consolidation_date:%d/%m/%Y} ({store.source})")
    return "\n".join(lines)


def version_label(article: Article) -> str:
    """Which past text a historical article is: the old code, or an export at a given date."""
    if article.extra.get("code_version"):
        return f"version historique, {article.extra['code_version']}"
    date = article.extra.get("version_date")
    return f"version historique, export {article.source}" + (f" (en vigueur au {date})" if date else "")


def status_counts(by_status: dict[str, int]) -> str:
    """ArticleStore.counts()["by_status"] for a reader: its keys stay codes for --json, people read French labels."""
    return ", ".join(f"{status.label_fr} : {by_status[status.value]}" for status in Status if status.value in by_status)


def _dates(article: Article) -> str:
    if article.start_date is None:
        return "Date d'entrée en vigueur inconnue"
    text = f"Version en vigueur depuis le {article.start_date:%d/%m/%Y}"
    if article.first_start_date and article.first_start_date < article.start_date:
        text += f" (article créé le {article.first_start_date:%d/%m/%Y})"
    return text + (f", jusqu'au {article.end_date:%d/%m/%Y}" if article.end_date else "")


def _other_version(article: Article) -> str:
    if article.status is not Status.HISTORICAL:
        return article.status.label_fr
    match = {"identical": "texte identique", "changed": "texte modifié depuis"}.get(article.extra.get("match", ""), "")
    return version_label(article) + (f", {match}" if match else "")


def _paragraph_block(paragraphs: tuple[str, ...]) -> list[str]:
    return [line for p in paragraphs for line in (p, "")]


def _reference_text(reference: Reference) -> str:
    text = reference.number + (f" à {reference.range_end}" if reference.range_end else "")
    return f"{text} ({reference.code})" if reference.code else text


def _reference_json(store: ArticleStore, reference: Reference) -> dict[str, Any]:
    return {
        "number": reference.number,
        "range_end": reference.range_end,
        "external": reference.is_external,
        "code": reference.code or CODE_DU_TRAVAIL,
        "articles": store.expand(reference),
    }


# Headings that organise a chapter without saying whom its rules apply to (the 2016 law's « ordre
# public / champ de la négociation collective / dispositions supplétives », « dispositions générales »…):
# the heading above them tells the scope. The five most frequent last headings of articles in force.
_GENERIC_HEADING = re.compile(r"^(?:Ordre public|Dispositions supplétives|Champ de la négociation collective|"
                              r"Dispositions générales|Dispositions communes|Chapitre unique)$")
SCOPE_LEVELS = 2


def scope_headings(article: Article) -> tuple[str, ...]:
    """The headings of the article's place in the code that set whom and what its rules apply to:
    the last two below the Livre, generic ones skipped
    (« Section 3 : Accident du travail ou maladie professionnelle », not « Sous-section 1 : Ordre
    public »). A rule read without them is taken for a general one: L1226-9 protects against
    dismissal during a work accident's leave only."""
    below_livre = [h for h in article.breadcrumbs[3:] if not _GENERIC_HEADING.match(heading_title(h))]
    return tuple(below_livre[-SCOPE_LEVELS:])


def heading_title(heading: str) -> str:
    """« Accident du travail ou maladie professionnelle » from « Section 3 : Accident du travail ou
    maladie professionnelle »: what an answer shows (the rank in the code says nothing to its reader)."""
    return heading.split(" : ", 1)[-1]
