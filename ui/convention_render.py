"""What the page shows of conventions collectives: the choice, a convention's plan, one of its articles.

Presentation only, with ui/render.py's rules: corpus text escaped, links inside the page as fragments
the page's script turns into events — `#cdt-convention-1486-KALIARTI000047513825` opens that article of
that convention — and links out (Légifrance) in a new tab.
"""

from __future__ import annotations

import re

from corpus.convention_directory import Choice
from corpus.conventions import Convention, ConventionArticle, ConventionInfo

from assistant.answer import Answer, Source
from assistant.calculators import formatting as fr
from ui.render import esc, safe_markdown

CONVENTION_LINK = "#cdt-convention-"
_TARGET = re.compile(r"^(?P<idcc>\d{1,4})-(?P<article>KALIARTI\d{12})$")


def convention_href(idcc: int | None, article: ConventionArticle) -> str:
    return f"{CONVENTION_LINK}{idcc}-{article.id}"


def parse_target(value: object) -> tuple[int, str] | None:
    """(IDCC, KALIARTI id) from what a convention link sends; None when it is not one."""
    match = _TARGET.match(value) if isinstance(value, str) else None
    return (int(match["idcc"]), match["article"]) if match else None


def link_citations(text: str, answer: Answer) -> str:
    """Each `[IDCC 1486 — label]` of a checked answer (as ui/render.py's answer_markdown made it safe)
    becomes a link that opens the article in the page."""
    for citation in answer.citations:
        if citation.source is Source.CONVENTION:
            marker = safe_markdown(f"[IDCC {citation.idcc} — {citation.label}]")
            target = f"{CONVENTION_LINK}{citation.idcc}-{citation.legi_id}"
            text = re.sub(re.escape(marker) + r"(?!\()", lambda _, m=marker, t=target: f"{m}({t})", text)
    return text


def choice_html(choice: Choice) -> str:
    """The outcome of choosing a convention: the one chosen (with what the user must know), or why not."""
    if choice.convention is not None:
        info = choice.convention
        message = f'<p class="cdt-hint">{esc(choice.message)}</p>' if choice.message else ""
        return (f'<p class="cdt-notice cdt-notice-ok">Convention collective : <strong>IDCC {esc(info.idcc)} — '
                f"{esc(info.short_title)}</strong>. Ses articles sur chaque question sont cités à côté du Code.</p>{message}")
    candidates = "".join(f"<li>IDCC {esc(c.idcc)} — {esc(c.short_title)}</li>" for c in choice.candidates)
    return (f'<p class="cdt-notice cdt-notice-warning">{esc(choice.message or "Aucune convention trouvée.")}</p>'
            + (f'<ul class="cdt-candidates">{candidates}</ul>' if candidates else ""))


def plan_html(convention: Convention) -> str:
    """The convention's texts by part, each with its status and its articles (folded): what staff browse."""
    info = convention.info
    parts = [f'<h3 tabindex="-1">IDCC {esc(info.idcc)} — {esc(info.short_title)}</h3>',
             f'<p class="cdt-hint">{esc(info.title)}</p>']
    by_text: dict[str, list[ConventionArticle]] = {}
    for article in convention.articles:
        by_text.setdefault(article.text_id, []).append(article)
    current_part = None
    for text in convention.texts:
        articles = by_text.get(text.id, [])
        if not articles:
            continue
        if text.part != current_part:
            current_part = text.part
            parts.append(f"<h4>{esc(text.part)}</h4>")
        links = "".join(f'<li><a href="{esc(convention_href(info.idcc, a))}">{esc(_short(convention, a))}</a>'
                        + ("" if a.in_force else " (pas encore en vigueur)") + "</li>" for a in articles)
        parts.append(f'<details class="cdt-convention-text"><summary>{esc(text.title)} — '
                     f'<span class="cdt-status">{esc(text.status.label_fr)}</span> ({len(articles)} articles)</summary>'
                     f"<ul>{links}</ul></details>")
    return '<section class="cdt-convention-plan">' + "".join(parts) + "</section>"


def article_html(convention: Convention, article: ConventionArticle, source: str) -> str:
    """One article: its label, its text's status and date, its place, its words, the Légifrance link."""
    text = convention.text_of(article)
    info = convention.info
    heading_id = f"cdt-convention-title-{article.id}"
    parts = [f'<article class="cdt-article" aria-labelledby="{esc(heading_id)}">',
             f'<h3 id="{esc(heading_id)}" tabindex="-1">IDCC {esc(info.idcc)} — {esc(convention.label(article))}</h3>',
             f'<p class="cdt-hint">{esc(info.short_title)} · {esc(text.title)}</p>',
             f'<p>Texte <span class="cdt-status">{esc(text.status.label_fr)}</span>'
             + (f", modifié le {esc(fr.date_fr(text.modified))}" if text.modified else "") + ".</p>"]
    if not article.in_force:
        parts.append('<p class="cdt-warning" role="note">Attention : cet article n\'est pas encore en vigueur.</p>')
    if article.breadcrumbs:
        parts.append(f'<p class="cdt-breadcrumbs">{esc(" › ".join(article.breadcrumbs))}</p>')
    parts.append('<div class="cdt-text">' + "".join(f"<p>{esc(p)}</p>" for p in article.paragraphs) + "</div>")
    if article.notes:
        parts.append('<div class="cdt-notes"><p><strong>NOTA :</strong></p>'
                     + "".join(f"<p>{esc(p)}</p>" for p in article.notes) + "</div>")
    parts.append(f'<p><a class="cdt-out" href="{esc(convention.url(article))}" target="_blank" '
                 'rel="noopener noreferrer">Voir l\'article sur Légifrance (nouvel onglet)</a></p>')
    parts.append(f'<p class="cdt-corpus-small">Textes de {esc(source)}.</p></article>')
    return "".join(parts)


def missing_text_html(info: ConventionInfo) -> str:
    return (f'<p class="cdt-notice cdt-notice-warning">Le texte de la convention IDCC {esc(info.idcc)} '
            f"({esc(info.short_title)}) n'est pas disponible ici : seul le Code du travail peut répondre.</p>")


def _short(convention: Convention, article: ConventionArticle) -> str:
    """The article as listed under its text: its number, or its heading."""
    if article.number:
        return f"Article {article.number}"
    return article.heading or "Article sans numéro"
