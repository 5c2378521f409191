"""What the web page shows, as HTML or Markdown: answers, articles, the code's plan, calculations.

Presentation only: every fact comes from the store, the answer or the calculation result; nothing
here decides what the law says. Two rules hold for every function:

- text that comes from a user (a question, a form value) or from the corpus is escaped before it
  reaches the page, so that typed HTML or script is shown as text, never run;
- links inside the page are fragments, `#cdt-article-L5212-2` (open that article),
  `#cdt-node-12` (open that place of the code's plan) and `#cdt-convention-…` (a convention's article,
  ui/convention_render.py), that the page's script turns into events
  (ui/app.py); links out (Légifrance) open in a new tab.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote, unquote

from corpus.model import Article, Status, key_label
from corpus.presentation import article_to_json, version_label
from corpus.store import ArticleStore

from assistant.answer import Answer, Source
from assistant.calculators import formatting as fr
from assistant.calculators.base import CalculationResult, option_name
from assistant.calculators.rendering import value_text

ARTICLE_LINK = "#cdt-article-"
NODE_LINK = "#cdt-node-"
MAX_CITED_BY = 60  # « cité par » lists longer than this are cut, with the count of the others
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")  # kept few: screen readers read the escapes aloud


# --- escaping ---------------------------------------------------------------------------------------
def esc(text: object) -> str:
    """HTML-escaped text (quotes included, for attribute values)."""
    return html.escape(str(text), quote=True)


def user_markdown(text: str) -> str:
    """A user's message for the chat's Markdown: shown exactly as typed, never as HTML or links."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def safe_markdown(text: str) -> str:
    """Markdown written by the assistant, with any HTML it carries (a quoted question…) made inert.

    Only `&` and `<` are escaped: `>` still starts a quotation block, and no tag can open; `@` is
    written as an entity so that « legi-data@2.513.0 » is not turned into an e-mail link.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("@", "&#64;")


def article_href(key: str) -> str:
    return ARTICLE_LINK + quote(key, safe="")


def node_href(node_id: int) -> str:
    return f"{NODE_LINK}{node_id}"


def parse_link(data: dict[str, object]) -> tuple[str, str] | None:
    """("article", key), ("node", id) or ("convention", "IDCC-KALIARTI…", ui/convention_render.py) from the
    data a page link sends; None otherwise."""
    if isinstance(data.get("article"), str) and data["article"]:
        return "article", unquote(str(data["article"]))
    if isinstance(data.get("convention"), str) and data["convention"]:
        return "convention", str(data["convention"])
    if isinstance(data.get("node"), (str, int)) and str(data["node"]).isdigit():
        return "node", str(data["node"])
    return None


def article_chip(key: str, current: bool = False) -> str:
    """A link that opens the text of this key (corpus/model.py); it shows the text's label."""
    extra = ' aria-current="true"' if current else ""
    label = key_label(key)
    title = f"Ouvrir l'article {label}" if label == key else f"Ouvrir le texte « {label} »"
    return (f'<a class="cdt-chip" href="{esc(article_href(key))}" data-article="{esc(key)}" '
            f'title="{esc(title)}"{extra}>{esc(label)}</a>')


# --- the chat -----------------------------------------------------------------------------------------
def answer_markdown(answer: Answer) -> str:
    """The checked answer for the chat: inert HTML, each `[L5212-2]` a link that opens the article
    (a text cited by its key, « [Annexe (LEGIARTI…)] », shows its label)."""
    text = safe_markdown(answer.text)
    cited = sorted({c.article for c in answer.citations}, key=len, reverse=True)
    for key in cited:
        text = re.sub(rf"\[{re.escape(key)}\](?!\()", lambda _, key=key: f"[{key_label(key)}]({article_href(key)})", text)
    text = _see_also_links(text, answer.see_also)
    if answer.notices:
        text += "\n\n" + "\n".join(f"*Note : {safe_markdown(notice)}*  " for notice in answer.notices)
    return text


def _see_also_links(text: str, keys: list[str]) -> str:
    """« Voir aussi » names each text (« L3141-1 (Section 1 : …) »): each name becomes a link that
    opens it in the article panel, like a citation, though it is not one."""
    line = re.search(r"^\*\*Voir aussi\*\* : .*$", text, flags=re.MULTILINE)
    if line is None:
        return text
    linked = line[0]
    for key in keys:
        label = re.escape(key_label(key))
        linked = re.sub(rf"(?<=: |; ){label}(?= \(|;|\.$)", f"[{key_label(key)}]({article_href(key)})", linked, count=1)
    return text[: line.start()] + linked + text[line.end():]


def draft_markdown(draft: str) -> str:
    """Text a language model is still writing: shown as it comes, marked as not yet checked."""
    return safe_markdown(draft) + "\n\n*Réponse en cours de rédaction ; les citations seront vérifiées à la fin.*"


def cited_articles(answer: Answer) -> list[str]:
    """The code's texts the answer cites (its convention's articles are linked in its own section)."""
    return list(dict.fromkeys(c.article for c in answer.citations if c.source is Source.CODE))


def citation_chips(keys: list[str]) -> str:
    """The row of the last answer's cited articles under the chat."""
    if not keys:
        return ""
    chips = "".join(article_chip(k) for k in keys)
    return (f'<nav class="cdt-chips" aria-label="Articles cités dans la dernière réponse">'
            f'<span class="cdt-chips-label">Articles cités :</span> {chips}</nav>')


def notice_html(text: str, kind: str = "info") -> str:
    """A short message under the question box (its container is a live region: read out when it changes)."""
    if not text:
        return ""
    return f'<p class="cdt-notice cdt-notice-{esc(kind)}">{esc(text)}</p>'


def corpus_line(store: ArticleStore, mode: str) -> str:
    date = fr.date_fr(store.consolidation_date) if store.consolidation_date else "date inconnue"
    answering = "extractif, hors ligne (citations du texte, sans modèle de langue)" if mode == "extractif" else mode
    return (f'<p class="cdt-corpus" id="cdt-corpus-date">Code du travail consolidé au <strong>{esc(date)}</strong> '
            f'· source {esc(store.source)} · réponses : {esc(answering)}</p>')


# --- articles -----------------------------------------------------------------------------------------
def article_html(store: ArticleStore, article: Article, plan: Plan | None = None) -> str:
    """An article as the side panel and the lookup show it: text, place, dates, links in and out."""
    data = article_to_json(store, article)
    heading_id = f"cdt-article-title-{re.sub(r'[^A-Za-z0-9-]', '', article.key)}"
    parts = [f'<article class="cdt-article" aria-labelledby="{esc(heading_id)}">',
             f'<h3 id="{esc(heading_id)}" tabindex="-1">{esc(article.title)} '
             f'<span class="cdt-status cdt-status-{esc(article.status.value)}">{esc(article.status.label_fr)}</span></h3>']
    if article.status is Status.HISTORICAL:
        parts.append(f'<p class="cdt-warning" role="note">Attention : {esc(version_label(article))} ; '
                     "ce n'est pas le droit en vigueur.</p>")
    elif not article.in_force:
        parts.append('<p class="cdt-warning" role="note">Attention : cet article n\'est pas en vigueur.</p>')
    if article.breadcrumbs:
        parts.append(_breadcrumbs(article.breadcrumbs, plan))
    parts.append(f'<p class="cdt-dates">{esc(_dates(article))}</p>')
    parts.append('<div class="cdt-text">' + "".join(f"<p>{esc(p)}</p>" for p in article.paragraphs) + "</div>")
    if article.notes:
        parts.append('<div class="cdt-notes"><p><strong>NOTA :</strong></p>'
                     + "".join(f"<p>{esc(p)}</p>" for p in article.notes) + "</div>")
    if data["references_out"]:
        parts.append('<p class="cdt-links"><strong>Cite :</strong> '
                     + " ".join(_reference(r) for r in data["references_out"]) + "</p>")
    if article.in_force and article.number and article.source == store.source:
        cited_by = data["references_in"]
        shown = " ".join(article_chip(n) for n in cited_by[:MAX_CITED_BY]) or "aucun article en vigueur"
        if len(cited_by) > MAX_CITED_BY:
            shown += f" et {len(cited_by) - MAX_CITED_BY} autres"
        parts.append(f'<p class="cdt-links"><strong>Cité par :</strong> {shown}</p>')
        previous, following = store.neighbours(article.key)
        parts.append('<p class="cdt-links cdt-neighbours"><strong>Article précédent :</strong> '
                     f'{article_chip(previous) if previous else "—"} · <strong>Article suivant :</strong> '
                     f'{article_chip(following) if following else "—"}</p>')
    if article.url:
        parts.append(f'<p><a class="cdt-out" href="{esc(article.url)}" target="_blank" rel="noopener noreferrer">'
                     f"Voir {esc(article.designation)} sur Légifrance (nouvel onglet)</a></p>")
    date = fr.date_fr(store.consolidation_date) if store.consolidation_date else "date inconnue"
    parts.append(f'<p class="cdt-corpus-small">Code du travail consolidé au {esc(date)} ({esc(store.source)}).</p>')
    parts.append("</article>")
    return "".join(parts)


def _breadcrumbs(breadcrumbs: tuple[str, ...], plan: Plan | None) -> str:
    items = []
    for depth in range(1, len(breadcrumbs) + 1):
        title = breadcrumbs[depth - 1]
        node = plan.node_for(breadcrumbs[:depth]) if plan else None
        shown = f'<a href="{node_href(node.id)}" title="Voir dans le plan du code">{esc(title)}</a>' if node else esc(title)
        items.append(f"<li>{shown}</li>")
    return f'<nav class="cdt-breadcrumbs" aria-label="Place dans le code"><ol>{"".join(items)}</ol></nav>'


def _dates(article: Article) -> str:
    if article.start_date is None:
        return "Date d'entrée en vigueur inconnue"
    text = f"Version en vigueur depuis le {fr.date_fr(article.start_date)}"
    if article.first_start_date and article.first_start_date < article.start_date:
        text += f" (article créé le {fr.date_fr(article.first_start_date)})"
    return text + (f", jusqu'au {fr.date_fr(article.end_date)}" if article.end_date else "")


def _reference(reference: dict[str, object]) -> str:
    shown = str(reference["number"]) + (f" à {reference['range_end']}" if reference["range_end"] else "")
    if reference["external"]:
        return f'<span class="cdt-external">{esc(shown)} ({esc(reference["code"])})</span>'
    articles = list(reference["articles"])  # type: ignore[call-overload]
    if reference["range_end"] is None and articles:
        return article_chip(articles[0])
    if articles:  # a range: its bounds are links, the text says how many articles it covers
        return (f'<span class="cdt-range">{article_chip(articles[0])} à {article_chip(articles[-1])} '
                f"({len(articles)} articles)</span>")
    return f'<span class="cdt-external">{esc(shown)} (absent du corpus en vigueur)</span>'


def unknown_article_html(store: ArticleStore, number: str, message: str) -> str:
    """The store's message for an unknown number, with its nearest numbers as links."""
    close = store.nearest(number)
    links = f'<p class="cdt-links">Numéros proches : {" ".join(article_chip(n) for n in close)}</p>' if close else ""
    return f'<div class="cdt-error" role="alert"><p>{esc(message)}</p>{links}</div>'


def search_results_html(query: str, hits: Iterable[object], notices: list[str]) -> str:
    """Articles found for words typed in the lookup, with the alinéa that matched."""
    items = []
    for hit in hits:
        key, snippet = getattr(hit, "article"), getattr(hit, "snippet", "")
        items.append(f'<li>{article_chip(key)} <span class="cdt-snippet">{esc(snippet)}</span></li>')
    notes = "".join(f'<p class="cdt-note">{esc(n)}</p>' for n in notices)
    if not items:
        return f'<div role="status">{notes}<p>Aucun article trouvé pour « {esc(query)} ».</p></div>'
    return (f'<section aria-label="Résultats de la recherche">{notes}<p>Articles trouvés pour « {esc(query)} » '
            f"(du plus proche au moins proche) :</p><ol class=\"cdt-results\">{''.join(items)}</ol></section>")


def message_html(text: str, role: str = "status") -> str:
    return f'<div class="cdt-message" role="{esc(role)}"><p>{esc(text)}</p></div>'


# --- the code's plan ----------------------------------------------------------------------------------
@dataclass
class Node:
    id: int
    title: str
    path: tuple[str, ...]
    parent: int | None
    children: list[int] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # keys of the texts in force directly at this level, in code order
    total: int = 0  # articles in force at this level and below


class Plan:
    """The code's hierarchy (Partie > Livre > Titre > Chapitre > Section…) from the articles in force."""

    ROOT_TITLE = "Code du travail"

    def __init__(self, articles: Iterable[Article]) -> None:
        self.nodes: list[Node] = [Node(0, self.ROOT_TITLE, (), None)]
        self._by_path: dict[tuple[str, ...], int] = {(): 0}
        self._node_of_article: dict[str, int] = {}
        for article in articles:
            if not article.number:
                continue
            node = self._node(article.breadcrumbs)
            self.nodes[node].articles.append(article.key)
            self._node_of_article[article.key] = node
            walk: int | None = node
            while walk is not None:
                self.nodes[walk].total += 1
                walk = self.nodes[walk].parent

    def _node(self, path: tuple[str, ...]) -> int:
        if path in self._by_path:
            return self._by_path[path]
        parent = self._node(path[:-1])
        node = Node(len(self.nodes), path[-1], path, parent)
        self.nodes.append(node)
        self.nodes[parent].children.append(node.id)
        self._by_path[path] = node.id
        return node.id

    def node_for(self, path: tuple[str, ...]) -> Node | None:
        index = self._by_path.get(tuple(path))
        return self.nodes[index] if index is not None else None

    def node_of_article(self, key: str) -> Node | None:
        index = self._node_of_article.get(key)
        return self.nodes[index] if index is not None else None

    def get(self, node_id: int | str) -> Node | None:
        index = int(node_id)
        return self.nodes[index] if 0 <= index < len(self.nodes) else None

    def html(self, node_id: int | str = 0, current_article: str | None = None) -> str:
        """One level of the plan: the way back up, the sub-levels, then the articles at this level."""
        node = self.get(node_id) or self.nodes[0]
        trail = []
        walk: Node | None = node
        while walk is not None:
            trail.append(walk)
            walk = self.nodes[walk.parent] if walk.parent is not None else None
        crumbs = "".join(
            f'<li><a href="{node_href(n.id)}">{esc(n.title)}</a></li>' if n.id != node.id
            else f'<li aria-current="location">{esc(n.title)}</li>' for n in reversed(trail))
        parts = ['<section class="cdt-plan" aria-labelledby="cdt-plan-title">',
                 f'<nav class="cdt-breadcrumbs" aria-label="Niveau du plan"><ol>{crumbs}</ol></nav>',
                 f'<h3 id="cdt-plan-title" tabindex="-1">{esc(node.title)}</h3>']
        if node.children:
            items = "".join(
                f'<li><a href="{node_href(c.id)}">{esc(c.title)}</a> <span class="cdt-count">'
                f'({c.total} article{"s" if c.total > 1 else ""})</span></li>'
                for c in (self.nodes[i] for i in node.children))
            parts.append(f'<ul class="cdt-plan-children" aria-label="Subdivisions">{items}</ul>')
        if node.articles:
            items = "".join(f"<li>{article_chip(n, current=n == current_article)}</li>" for n in node.articles)
            parts.append(f'<p class="cdt-plan-label">Articles en vigueur à ce niveau :</p>'
                         f'<ul class="cdt-plan-articles" aria-label="Articles">{items}</ul>')
        parts.append("</section>")
        return "".join(parts)


# --- calculators --------------------------------------------------------------------------------------
def calculation_markdown(result: CalculationResult, title: str, corpus_date: dt.date | None) -> str:
    """A calculator's result for the page: the answer, the formula, parameters, conditions, sources.

    The same content as `cdt calc` (assistant/calculators/rendering.py), laid out in Markdown.
    """
    lines = [f"### {safe_markdown(title)}", "", f"**Résultat : {safe_markdown(value_text(result))}**", "",
             safe_markdown(result.summary)]
    if result.formula:
        lines += ["", f"**Calcul** : {safe_markdown(result.formula)}"]
    if result.parameters or result.smic:
        lines += ["", "**Paramètres**", ""]
        lines += [f"- {safe_markdown(p.label)} : {safe_markdown(p.shown())} ({_link(p.article)})" for p in result.parameters]
        if result.smic:
            lines.append(f"- {safe_markdown(result.smic.describe())}")
    for heading, items in (("Conditions vérifiées", result.conditions_checked),
                           ("Conditions non vérifiées, à confirmer", result.conditions_unchecked)):
        if items:
            lines += ["", f"**{heading}**", "", *(f"- {safe_markdown(item)}" for item in items)]
    if result.missing:
        lines += ["", "**Pour compléter le calcul**", "",
                  *(f"- {safe_markdown(q.question)} (champ « {option_name(q.field)} »)" for q in result.missing)]
    if result.sources:
        lines += ["", "**Sources**", ""]
        for article in dict.fromkeys(s.article for s in result.sources):
            cited = [s for s in result.sources if s.article == article]
            url = cited[0].url
            where = f"[{article} sur Légifrance]({url})" if url else f"{article} (lien indisponible)"
            phrases = " ; ".join(f"« {safe_markdown(s.phrase)} »" for s in cited if s.phrase)
            lines.append(f"- {where}" + (f" : {phrases}" if phrases else ""))
        if corpus_date:
            lines.append(f"\n*Code du travail consolidé au {fr.date_fr(corpus_date)}.*")
    lines += ["", f"*{safe_markdown(result.note)}*"]
    return "\n".join(lines)


def _link(article: str) -> str:
    return f"[{article}]({article_href(article)})"


def input_error_markdown(message: str) -> str:
    return f"**Saisie à corriger** — {safe_markdown(message)}"


def form_value(value: object) -> str:
    """A form value as the chat prefill writes it."""
    if isinstance(value, Decimal):
        return fr.number(value)
    if isinstance(value, dt.date):
        return fr.date_fr(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)

