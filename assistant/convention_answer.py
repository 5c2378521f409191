"""« Votre convention collective »: what the user's branch agreement says on the question, beside the Code.

When the user has chosen a convention (corpus/convention_directory.py), the chain searches it
(indexing/convention_search.py) with the question, and this module decides which of its articles bear
on the question, quotes them verbatim, and checks every citation of them in the answer:

- **Relevance.** The convention is taken to speak of the question when its best article is close enough
  to it: by the cosine of the question's vector with the article's, where the convention's vectors are
  shipped; otherwise when it holds enough of the question's words, weighted by how rare each is in the
  convention (its coverage, indexing/convention_search.py): a question on something the convention never
  mentions (« conseil de prud'hommes ») finds articles with a few common words only. Then its best-ranked
  articles are quoted; otherwise one sentence says none was found here.
- **Quotes.** Of each article, the passage sharing most words with the question, and the next one when
  it shares some too (« […] » between them; the figure is often in the second): an alinéa, or an
  alinéa announcing a list or a table (« …est au plus égale aux durées définies ci-après : ») with its
  rows, since a row (« D | 4 mois calendaires ») means nothing without its heading. The text's status
  goes beside it: a text not extended binds only the members of the signing employers' organisations.
  No comparison with the Code is written: « plus favorable » only where the text itself says it.
- **Citations.** `« quotation » [IDCC 1486 — Texte de base, article 3.4]`: the convention's number and the
  article's label (corpus/conventions.py). `check` verifies each one, whoever wrote it (the composer, or
  an LLM given these articles): the convention chosen, an article found for this answer, in force, the
  quotation word for word. Whatever fails is removed and reported, as for the Code (assistant/citations.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from corpus.conventions import BASE_PART, Convention, ConventionArticle
from corpus.text_forms import search_form
from indexing.convention_search import ConventionHit, ConventionSearcher
from indexing.lexical import tokenize

from assistant.answer import Citation
from assistant.citations import REMOVED_ARTICLE, REMOVED_QUOTE, CheckedText, checked_text, is_verbatim
from assistant.passages import Block, trim, word_shares

SEARCHED = 5  # convention articles searched per question
MAX_QUOTED = 3  # articles quoted at most
# The best hit's coverage under which the convention is taken to say nothing on the question. Chosen by
# bench/convention_answers.py on the tune parts (148 questions a convention answers, 70 it does not): 0.30
# quotes the gold article for 75.0 % and stays silent on 25.7 % of the others; 0.35: 73.0 % and 47.1 %;
# 0.40: 66.2 % and 61.4 %. Missing the convention's rule costs more than quoting an unrelated article the
# reader sees as such. Filtering the other hits by their own coverage only lost gold articles (0.35 and
# 70 % of the best: 64.2 %). With the search's base-text boost since: 0.30 → 79.1 % and 25.7 %, 0.35 →
# 77.0 % and 47.1 %, 0.40 → 69.6 % and 60.0 % (docs/BENCHMARKS.md).
COVERAGE_BAR = 0.35
# Where the convention's vectors are shipped, the best hit's cosine with the question decides instead. Chosen on
# the tune part of the 6 conventions embedded so far (45 answerable, 20 not): 0.45 → gold quoted 91.1 %, silent
# on negatives 45 %; 0.50 → 91.1 % and 75 %; 0.52 → 91.1 % and 80 %; 0.55 → 75.6 % and 85 % (coverage 0.35 on the
# same questions: 80.0 % and 75 %). 0.50 keeps a margin before the fall at 0.55 (docs/BENCHMARKS.md).
COSINE_BAR = 0.5
MAX_LIST_CHARS = 600  # a longer list or table is quoted by its items on the question, or its first rows
MAX_ITEMS = 3  # items of a long list quoted at most
SAME_WORDING = 0.6  # two quotes sharing this share of their stems say the same (an avenant and the text it rewrote)
GROUPS_QUOTED = 2  # passages of an article quoted: 1 → 0.480 answer quoted, 2 → 0.574, 3 → 0.622 (tune, bar 0.35,
# before the base-text boost; 0.601 with it)
# The second passage of an article is quoted only when it holds at least this share of the question's words
# that the first holds: one sharing fewer lengthened the quote without quoting the answer more often.
# Chosen on the tune part
# (bench/convention_answers.py --second-shares): 0 (any shared word) → gold quoted 0.858, answer quoted 0.662,
# median quote 516 characters; 0.5 → 0.865, 0.669, 490; 0.67 → 0.865, 0.649, 412; 1 → 0.858, 0.622, 364.
SECOND_SHARE = 0.5
SHORT_LINE = 90  # a line this short, without a final full stop, after « : » is a table's cell or heading

_ITEM = re.compile(r"^\s*(?:[–—•-]\s|\d+°|[a-z]\)\s)")
_CITATION = re.compile(
    r"(?:«\s*(?P<quote>(?:[^«»]|«[^«»]*»)+?)\s*»\s*)?"
    r"\[IDCC\s*(?P<idcc>\d{1,4})\s*(?:—|–|-|,|:)\s*(?P<label>[^\[\]]+?)\s*\]")
_EXCERPT = " (extrait)"
_OMISSION = re.compile(r"\s*\[…\]\s*")


@dataclass(frozen=True)
class ConventionPassage:
    """One article of the convention as the answer quotes it."""

    article: ConventionArticle
    label: str  # « Texte de base, article 3.4 »
    quote: str  # verbatim
    excerpt: bool  # the quote is the beginning of a longer list or table


@dataclass(frozen=True)
class ConventionFinding:
    """The chosen convention and what it says on the question (no passage: nothing relevant here)."""

    convention: Convention
    passages: tuple[ConventionPassage, ...]

    @property
    def idcc(self) -> int | None:
        return self.convention.info.idcc

    @property
    def title(self) -> str:
        """« IDCC 1486, Bureaux d'études techniques, … »: the number, then the name people know."""
        return f"IDCC {self.idcc}, {self.convention.info.short_title}"

    def marker(self, passage: ConventionPassage) -> str:
        return f"[IDCC {self.idcc} — {passage.label}]"


def find(searcher: ConventionSearcher, question: str, query_vector: np.ndarray | None) -> ConventionFinding:
    """The convention's articles that bear on ``question``, each with its passage to quote."""
    hits = searcher.search(question, SEARCHED, query_vector)
    return ConventionFinding(searcher.convention, quoted(searcher.convention, hits, question))


def quoted(convention: Convention, hits: Sequence[ConventionHit], question: str, bar: float = COVERAGE_BAR,
           cosine_bar: float = COSINE_BAR, second_share: float = SECOND_SHARE) -> tuple[ConventionPassage, ...]:
    """The passages to quote, one per wording: none when the convention says nothing on the question
    (``speaks_to``), else those of the best-ranked hits."""
    if not speaks_to(hits, bar, cosine_bar):
        return ()
    return tuple(_distinct([_passage(convention, hit, question, second_share) for hit in hits],
                           convention)[:MAX_QUOTED])


def speaks_to(hits: Sequence[ConventionHit], bar: float, cosine_bar: float) -> bool:
    """Whether the best hit is close enough to the question: by its cosine where the convention's vectors
    are shipped, else by its coverage of the question's words."""
    cosines = [hit.cosine for hit in hits if hit.cosine is not None]
    if cosines:
        return max(cosines) >= cosine_bar
    return max((hit.coverage for hit in hits), default=0.0) >= bar


def section(finding: ConventionFinding) -> str:
    """The answer's section: each passage quoted, with its text's status and link; or one sentence."""
    heading = f"**Votre convention collective ({finding.title})**"
    if not finding.passages:
        return (f"{heading}\n\nJe n'ai trouvé, dans les textes de cette convention disponibles ici, aucun article qui "
                "porte sur cette question : la réponse ci-dessus vient du seul Code du travail.")
    convention = finding.convention
    lines = []
    for passage in finding.passages:
        status = convention.text_of(passage.article).status.label_fr
        excerpt = _EXCERPT if passage.excerpt else ""
        lines.append(f"- « {passage.quote} » {finding.marker(passage)}{excerpt} — texte {status} "
                     f"([Légifrance]({convention.url(passage.article)}))")
    return heading + "\n\n" + "\n".join(lines)


def to_check(finding: ConventionFinding, calculated: bool) -> str:
    """The « À vérifier » point on the convention. After a calculation it names the convention's articles
    on the same subject: the calculator applies the Code's rule, the convention's may differ, and only its
    text says how (no comparison is made here)."""
    others = "un accord d'entreprise ou le contrat de travail peuvent aussi prévoir d'autres règles."
    if not finding.passages:
        return f"votre convention collective, dont aucun article trouvé ici ne porte sur ce sujet ; {others}"
    if not calculated:
        return f"comment s'articulent le Code du travail et votre convention collective, citée ci-dessus ; {others}"
    cited = " ; ".join(finding.marker(p) for p in finding.passages)
    return (f"le calcul applique le Code du travail : votre convention collective prévoit sur le même sujet {cited} "
            f"(cités ci-dessus) ; {others}")


def context(finding: ConventionFinding) -> str:
    """The convention's articles as an LLM is given them, with the label it must cite them by."""
    convention = finding.convention
    blocks = [f'<article_convention reference="IDCC {finding.idcc} — {p.label}" '
              f'statut="{convention.text_of(p.article).status.label_fr}">\n'
              + "\n".join(p.article.paragraphs) + "\n</article_convention>" for p in finding.passages]
    return (f"Articles de la convention collective de l'utilisateur ({finding.title}) retrouvés pour cette "
            f"question, à citer au format « mots exacts » [IDCC {finding.idcc} — LIBELLÉ] avec le libellé donné "
            "en référence ; indiquez le statut du texte quand il n'est pas étendu ; ne dites qu'une règle est plus "
            "favorable que si le texte le dit :\n\n" + "\n\n".join(blocks))


def check(text: str, finding: ConventionFinding | None) -> CheckedText:
    """Every convention citation of ``text`` checked against the convention chosen and the articles found
    for this answer; the text with failed ones removed, the citations kept, and why each was removed."""
    allowed = {search_form(p.label): p.article for p in finding.passages} if finding else {}
    citations: dict[tuple[str, str], Citation] = {}
    notices: list[str] = []

    def verdict(match: re.Match[str]) -> str:
        removed = REMOVED_QUOTE if match["quote"] else REMOVED_ARTICLE
        idcc, label = int(match["idcc"]), match["label"]
        if finding is None or idcc != finding.idcc:
            chosen = f"la convention choisie est l'IDCC {finding.idcc}" if finding else "aucune convention choisie"
            notices.append(f"Référence à la convention IDCC {idcc} retirée : {chosen}.")
            return removed
        article = allowed.get(search_form(label))
        if article is None or not article.in_force:
            notices.append(f"Référence « {label} » (IDCC {idcc}) retirée : cet article n'a pas été retrouvé dans la "
                           "convention pour cette question.")
            return removed
        quote = match["quote"] or ""
        if quote and not verbatim_parts(quote, "\n".join(article.paragraphs)):
            notices.append(f"Citation attribuée à « {label} » (IDCC {idcc}) retirée : elle ne figure pas mot pour "
                           "mot dans l'article.")
            return REMOVED_QUOTE
        label = finding.convention.label(article)
        citations.setdefault((article.id, quote), Citation.of_convention(finding.convention, article, quote))
        return (f"« {quote} » " if quote else "") + f"[IDCC {idcc} — {label}]"

    text = _CITATION.sub(verdict, text)
    return checked_text(text, citations.values(), notices)


def _distinct(passages: list[ConventionPassage], convention: Convention) -> list[ConventionPassage]:
    """One passage per wording: an avenant that rewrote an article repeats its words, and the base text,
    as consolidated, is the one to quote (when both are found, it takes the avenant's place)."""
    kept: list[ConventionPassage] = []
    for passage in passages:
        same = next((i for i, k in enumerate(kept) if _overlap(k.quote, passage.quote) >= SAME_WORDING), None)
        if same is None:
            kept.append(passage)
        elif _in_base(convention, passage) and not _in_base(convention, kept[same]):
            kept[same] = passage
    return kept


def _overlap(first: str, second: str) -> float:
    """Jaccard similarity of the two quotes' stems."""
    a, b = (set(tokens) for tokens in tokenize([first, second]))
    return len(a & b) / len(a | b) if a | b else 0.0


def _in_base(convention: Convention, passage: ConventionPassage) -> bool:
    return convention.text_of(passage.article).part == BASE_PART


def verbatim_parts(quote: str, text: str) -> bool:
    """Each part of the quotation between « […] » (what it leaves out) is in the article word for word."""
    return all(is_verbatim(part, text) for part in _OMISSION.split(quote) if part.strip(" .…"))


def _passage(convention: Convention, hit: ConventionHit, question: str, second_share: float) -> ConventionPassage:
    paragraphs = hit.article.paragraphs
    groups = _groups(paragraphs)
    shares = word_shares([" ".join(paragraphs[i] for i in group) for group in groups], question)
    ranked = sorted(range(len(groups)), key=lambda i: (-shares[i], i))
    ranked = ranked[:1] + [g for g in ranked[1:GROUPS_QUOTED]  # others only with enough words of the question
                           if shares[g] > 0 and shares[g] >= second_share * shares[ranked[0]]]
    quotes = [_quote([paragraphs[i] for i in groups[g]], question) for g in sorted(ranked)]
    joined = " […] ".join(q for q, _ in quotes)
    return ConventionPassage(hit.article, convention.label(hit.article), joined, any(e for _, e in quotes))


def _groups(paragraphs: Sequence[str]) -> list[list[int]]:
    """Alinéas grouped as they are read: one announcing a list or table (it ends with « : ») with the
    items and rows that follow it (a list marker, a table row « A et B | 2 mois », a short line)."""
    grouped: list[list[int]] = []
    for i, paragraph in enumerate(paragraphs):
        opened = bool(grouped) and paragraphs[grouped[-1][0]].rstrip().endswith(":")
        if opened and (_ITEM.match(paragraph) or "|" in paragraph
                       or (len(paragraph) < SHORT_LINE and not paragraph.rstrip().endswith("."))):
            grouped[-1].append(i)
        else:
            grouped.append([i])
    return grouped


def _quote(lines: list[str], question: str) -> tuple[str, bool]:
    """What is quoted of a group, verbatim: one long alinéa reduced to its most relevant sentences
    (assistant/passages.py); a list or table whole when short, else its lead-in and the items sharing most
    words with the question, « […] » marking what is left out, or its first rows with « (extrait) ». An
    item under a sub-list's heading (« b) En cas de démission : ») is read and quoted with it; among items
    as close to the question, those whose heading names more of it (« démission ») win."""
    if len(lines) == 1:
        return _balanced(trim(Block(lines[0], 0.0, 0), question)), False
    if len(" ".join(lines)) <= MAX_LIST_CHARS:
        return _balanced(" ".join(lines)), False
    items = lines[1:]
    headings = _subheadings(items)
    shares = word_shares([item if h is None else f"{items[h]} {item}" for item, h in zip(items, headings)], question)
    named = word_shares(["" if h is None else items[h] for h in headings], question)  # the sub-case the question names
    best = max(shares)
    if best > 0:
        heads = set(headings)
        tied = [i for i in range(len(items)) if shares[i] == best and i not in heads]
        most_named = max(named[i] for i in tied)
        chosen = [i for i in tied if named[i] == most_named][:MAX_ITEMS]
        parts, previous = [lines[0]], -1
        for i in sorted({*chosen, *(headings[i] for i in chosen if headings[i] is not None)}):
            parts.append(("" if i == previous + 1 else "[…] ") + items[i])
            previous = i
        return _balanced(" ".join(parts) + (" […]" if previous < len(items) - 1 else "")), False
    kept = [lines[0]]
    for line in items:
        if len(" ".join([*kept, line])) > MAX_LIST_CHARS and len(kept) > 1:
            break
        kept.append(line)
    return _balanced(" ".join(kept)), True


def _subheadings(items: list[str]) -> list[int | None]:
    """For each item of a list, the item heading the sub-list it belongs to (« a) En cas de licenciement : »
    above its rows), or None: a row quoted without it reads as the rule for every case."""
    current: int | None = None
    headings: list[int | None] = []
    for i, item in enumerate(items):
        opens = item.rstrip().endswith(":")
        headings.append(None if opens else current)
        current = i if opens else current
    return headings


def _balanced(quote: str) -> str:
    """The quote without a guillemet it opens and never closes, or closes without opening (an avenant
    quoting the new wording opens « in one alinéa and closes it in another): a quotation must nest
    them to be read back (assistant/citations.py). What remains is still verbatim."""
    opened = quote.count("«") - quote.count("»")
    if opened > 0 and quote.startswith("«"):
        quote = quote[1:].lstrip()
    elif opened < 0 and quote.endswith("»"):
        quote = quote[:-1].rstrip()
    if quote.count("«") == quote.count("»"):
        return quote
    pieces = re.split(r"[«»]", quote)
    return max(pieces[0], pieces[-1], key=len).strip()
