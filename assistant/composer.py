"""The offline answer: extractive and deterministic, no language model.

It opens with « En bref »: one to three sentences, quoted verbatim, that most directly answer the
question (assistant/passages.py). Then only the articles that bear on the question (chosen by
assistant/selection.py), each with the headings that set its scope (a rule of the section on
work accidents must not read as one for every sick leave) and reduced to its relevant alinéas —
principle before exceptions, law (L) before regulations (R, D). Articles close to the question but
under the relevance bar are only linked, under « Voir aussi ». Fixed French sentences link the
quotations: every sentence that says what the law provides is a quotation with its article. A
calculator's result, when one applies, comes with its formula and the phrases of the articles it
relies on. Every answer ends with the cited articles and the corpus consolidation date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from corpus.model import Article
from corpus.presentation import heading_title, scope_headings
from corpus.sentences import sentences
from corpus.store import ArticleStore

from assistant import convention_answer
from assistant.answer import Citation
from assistant.calculators import formatting as fr
from assistant.calculators.base import CalculationResult
from assistant.calculators.registry import CALCULATORS
from assistant.calculators.rendering import value_text
from assistant.passages import MAX_BLOCKS, Block, blocks, lead_sentences, quoted_blocks, trim
from assistant.question_kind import expects
from assistant.rescrit import stated_facts
from assistant.selection import Candidate, Selection
from assistant.sheet_card import SheetCard

CONVENTION_HINT = "une convention collective, un accord d'entreprise ou le contrat de travail peuvent être plus favorables."


@dataclass(frozen=True)
class Quoted:
    """One article as the answer quotes it."""

    article: Article
    quotes: tuple[str, ...]  # verbatim; empty when the lead already quotes all that bears on the question
    exception: bool  # all its quotes are exceptions (« toutefois… », « par dérogation… »)


@dataclass(frozen=True)
class Lead:
    """« En bref »: sentences of the most relevant article, or of the ministry's sheet when it fits."""

    quotes: tuple[str, ...]  # verbatim: one per run of consecutive sentences
    article: str | None = None  # the key of the article they come from
    sheet: SheetCard | None = None  # or the sheet whose passage they are

    @property
    def markdown(self) -> str:
        if self.sheet is not None:
            return f"{self.sheet.passage} — *{self.sheet.title}*"
        return " ".join(f"« {quote} » [{self.article}]" for quote in self.quotes)


def lead(question: str, selection: Selection, card: SheetCard | None = None) -> Lead | None:
    """« En bref »: the sheet's passage when its section cites the article the answer relies on
    first (the same rule in plain words), else the sentences of that article that best answer."""
    if not selection.quoted:
        return None
    best = selection.quoted[0]
    if card is not None and best.key in card.section.articles:
        return Lead(card.quotes, sheet=card)
    found = lead_sentences(_blocks(best, question), question, expects(question))
    return Lead(tuple(found), article=best.key) if found else None


def lead_section(found: Lead | None) -> str:
    """The answer's opening section (empty without a lead), also put before an LLM's answer."""
    return f"**En bref**\n\n{found.markdown}\n\n" if found else ""


def checked_lead(text: str) -> str | None:
    """The lead as the citation check left it (a quotation it could not verify is gone from it too)."""
    opening = "**En bref**\n\n"
    return text[len(opening):].split("\n\n", 1)[0] if text.startswith(opening) else None


def compose(question: str, selection: Selection, found: Lead | None, card: SheetCard | None,
            calculation: CalculationResult | None, store: ArticleStore, situation: bool,
            convention: convention_answer.ConventionFinding | None = None) -> str:
    """The answer in Markdown, with `« quotation » [ARTICLE]` citations, from its lead on; the user's
    convention collective's section after the Code's rule and the calculation."""
    quoted = [_quoted(c, _blocks(c, question), found, question, blocks_kept=MAX_BLOCKS if i == 0 else 1)
              for i, c in enumerate(selection.quoted)]
    sections = []
    if situation:
        sections.append("**Votre situation** — " + _facts(calculation, question))
    principles = [q for q in _ordered(quoted) if not q.exception]
    exceptions = [q for q in _ordered(quoted) if q.exception]
    if principles:
        sections.append("**Ce que prévoit le Code du travail**\n\n" + "\n\n".join(
            _sentence(q, first=i == 0) for i, q in enumerate(principles)))
    if exceptions:
        sections.append("**Exceptions et aménagements**\n\n" + "\n\n".join(
            f"Exception prévue par {_named(q.article)} : {_quotes(q)}" for q in exceptions))
    if calculation is not None:
        sections.append(_calculation(calculation))
    if convention is not None:
        sections.append(convention_answer.section(convention))
    if card is not None:
        sections.append(_card(card, in_lead=bool(found and found.sheet is card)))
    if linked := [c.article for c in selection.see_also if c.key not in _sources(calculation)]:
        sections.append("**Voir aussi** : " + " ; ".join(see_also_label(article) for article in linked) + ".")
    sections.append(_to_check_section(_to_check(calculation, convention)))
    return lead_section(found) + "\n\n".join(sections)


def _sources(calculation: CalculationResult | None) -> set[str]:
    """The articles a calculation quotes: cited already, never only linked."""
    return {s.article for s in calculation.sources} if calculation else set()


def see_also_label(article: Article) -> str:
    """« L3141-1 (Droit au congé) »: the text and the last heading of its place in the code."""
    headings = _scope(article)
    return f"{article.label} ({headings[-1]})" if headings else article.label


def _scope(article: Article) -> list[str]:
    """The titles of the headings that set the article's scope, as the answer shows them."""
    return [heading_title(h) for h in scope_headings(article)]


def headings_shown(selection: Selection | None, card: SheetCard | None) -> set[str]:
    """The headings the answer shows as they are written (each quoted or linked text's scope, the
    sheet's title), for the citation check."""
    shown = {card.title} if card else set()
    if selection is not None:
        shown |= {h for c in [*selection.quoted, *selection.see_also] for h in _scope(c.article)}
    return shown


def footer(cited: list[str], store: ArticleStore, convention_cited: Sequence[Citation] = (),
           convention: convention_answer.ConventionFinding | None = None, conventions_source: str | None = None) -> str:
    """The cited texts and the date of each source: the Code's consolidation, and for the user's
    convention the package version and its texts' latest change."""
    articles = ", ".join(cited) if cited else "aucun"
    text = (f"\n\n---\nArticles cités : {articles}. Code du travail consolidé au "
            f"{fr.date_fr(store.consolidation_date)} ({store.source}).") if store.consolidation_date else ""
    if convention is not None:
        labels = " ; ".join(dict.fromkeys(c.label for c in convention_cited)) or "aucun"
        changed = max((t.modified for t in convention.convention.texts if t.modified), default=None)
        text += (f"\nConvention collective {convention.title} : articles cités : {labels}. Textes de {conventions_source}"
                 + (f", dernière modification d'un texte le {fr.date_fr(changed)}." if changed else "."))
    return text


def card_section(card: SheetCard | None, found: Lead | None) -> str:
    """The sheet's card, also put after an LLM's answer."""
    return "\n\n" + _card(card, in_lead=bool(found and found.sheet is card)) if card else ""


def _card(card: SheetCard, in_lead: bool) -> str:
    """« Fiche pratique du ministère du Travail : <titre> — <section> (mise à jour le …) », link, passage."""
    link = f"> **[{card.title}]({card.section.url})** (mise à jour le {fr.date_fr(card.section.date)})"
    return f"{link}, citée en bref ci-dessus." if in_lead else f"{link}\n>\n> {card.passage}"


def _blocks(candidate: Candidate, question: str) -> list[Block]:
    return blocks(candidate.article.paragraphs, candidate.alineas, question)


def _quoted(candidate: Candidate, all_blocks: list[Block], found: Lead | None, question: str,
            blocks_kept: int) -> Quoted:
    """The article's relevant blocks, less those the lead already quotes from: up to two for the
    article the answer relies on, one for the others (they back it up, they do not retell it)."""
    chosen = quoted_blocks(all_blocks, opening=candidate.hit.via == "numéro", limit=blocks_kept)
    if found and found.article is not None and found.article == candidate.key:
        in_lead = " ".join(found.quotes)
        chosen = [b for b in chosen if not _in_lead(b, in_lead)]
    quotes = tuple(trim(b, question) for b in chosen)
    return Quoted(candidate.article, quotes, bool(chosen) and all(b.exception for b in chosen))


def _in_lead(block: Block, in_lead: str) -> bool:
    """Whether the lead already quotes the block: any of its sentences for prose, all of them for a
    list (a list the lead cut, « 1° … ; 3° … », is quoted whole below it)."""
    found = [s in in_lead for s in sentences(block.text)]
    return all(found) if block.enumerates else any(found)


def _ordered(quoted: list[Quoted]) -> list[Quoted]:
    """Law before regulations, then relevance (the selection's order)."""
    level = {"L": 0, "R": 1, "D": 2}
    return sorted(quoted, key=lambda q: level.get(q.article.key[0], 3))


def _named(article: Article) -> str:
    """« l'article L1226-9 (Accident du travail ou maladie professionnelle › Suspension du contrat et
    protection contre la rupture) »."""
    headings = _scope(article)
    return f"{article.designation} ({' › '.join(headings)})" if headings else article.designation


def _quotes(quoted: Quoted) -> str:
    if not quoted.quotes:
        return f"cité en bref ci-dessus [{quoted.article.key}]"
    return " Et : ".join(f"« {quote} » [{quoted.article.key}]" for quote in quoted.quotes)


def _sentence(quoted: Quoted, first: bool) -> str:
    """The quotations of one text, introduced by its designation and scope."""
    named, cited = _named(quoted.article), _quotes(quoted)
    if first:
        return f"Selon {named} : {cited}"
    if quoted.article.key[0] in "RD":
        return f"Pour son application, {named} précise : {cited}"
    return f"{named[0].upper()}{named[1:]} prévoit aussi : {cited}"


def _facts(calculation: CalculationResult | None, question: str) -> str:
    facts = stated_facts(calculation) if calculation else []
    if not facts:
        return f"vous décrivez la situation suivante : « {question.strip()} »."
    return "faits retenus : " + " ; ".join(f"{label} : {value}" for label, value in facts) + "."


def _calculation(result: CalculationResult) -> str:
    title = CALCULATORS[result.calculator].title
    lines = [f"**Calcul** ({title}, calcul déterministe) : {value_text(result)}", "", result.summary]
    if result.formula:
        lines += ["", f"Formule : {result.formula}"]
    for source in result.sources:
        if source.phrase:
            lines.append(f"- « {source.phrase} » {source.cited()}")
    if result.missing:
        lines += ["", "Pour compléter le calcul :", *(f"- {q.question}" for q in result.missing)]
    return "\n".join(lines)


def _to_check_section(items: list[str]) -> str:
    """« À vérifier » on one line when it holds one point, as a list otherwise."""
    if len(items) == 1:
        return f"**À vérifier** : {items[0]}"
    return "**À vérifier**\n\n" + "\n".join(f"- {item[0].upper()}{item[1:]}" for item in items)


def _to_check(calculation: CalculationResult | None, convention: convention_answer.ConventionFinding | None) -> list[str]:
    items = list(calculation.conditions_unchecked) if calculation else []
    return [*items, convention_answer.to_check(convention, calculation is not None) if convention else CONVENTION_HINT]
