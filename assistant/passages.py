"""The words of an article that bear on the question: its relevant alinéas, and the lead's sentences.

An alinéa's relevance is its similarity with the question, from the shipped alinéa vectors
(indexing/alineas.py), computed with the question's vector the search already has; where an
alinéa has no vector (its text changed since they were shipped), the share of the question's words
it contains stands in. Alinéas are grouped into blocks — an alinéa announcing a list (« …est : »)
with its items (« 1° … ») — so that a list is never quoted without what it enumerates, nor an item
without its lead-in. The lead (« En bref ») is one to three sentences: those of the most relevant
blocks that best have the form of an answer to this question (a number of days for « combien de
jours », an amount for « combien », a condition for « à quelles conditions »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from corpus.sentences import sentences
from indexing.lexical import tokenize

from assistant.question_kind import Expects, answers

BLOCK_MARGIN = 0.03  # a second block is quoted when its similarity is within this of the best one's
MAX_BLOCKS = 2
MAX_QUOTE_CHARS = 350  # a longer block is cut to its most relevant sentences
LEAD_SENTENCES = 3
LEAD_CHARS = 400  # the lead's sentences together, at most (the first one is always kept)
# Sentence score = the block's similarity + these bonuses, chosen by bench/tune_lead.py on the answer spans
# of the tuning sets (docs/BENCHMARKS.md; a bonus for the question's numbers gained nothing there, and on the
# 448 questions of both tuning sets the words' bonus lost 4 points: 0.05 → 58.0 %, 0 → 62.3 % of leads answering).
WORDS_WEIGHT = 0.0  # × the share of the question's words in the sentence
KIND_WEIGHT = 0.04  # the sentence has the form of the answer the question expects
LEAD_MARGIN = 0.0  # further sentences within this of the best one join the lead

_ITEM = re.compile(r"^\s*(?:\d+°|[a-z]\)|-\s)")
_LIST_OPENED = re.compile(r":\s+(?:\d+°|[a-z]\)|-)")
# A block that departs from the rule: it opens on a derogation, or says a provision does not apply. « à l'exception
# de » inside a sentence only carves a case out of the sentence's own rule (« le juge peut tenir compte des indemnités
# versées, à l'exception de l'indemnité de licenciement » [L1235-3]): it made such rules « exceptions ».
EXCEPTION = re.compile(
    r"^(?:toutefois|par dérogation|par exception|sauf|cependant|néanmoins|ne sont pas|à l'exception)"
    r"|\bne s'applique(?:nt)? pas\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Block:
    """Consecutive alinéas quoted together, with the question's similarity to the closest of them."""

    text: str
    relevance: float
    position: int  # of its first alinéa in the article

    @property
    def exception(self) -> bool:
        return bool(EXCEPTION.search(self.text))

    @property
    def enumerates(self) -> bool:
        """It holds a list (« …ne peut pas dépasser : 1° … ; 2° … »)."""
        return bool(_LIST_OPENED.search(self.text))


def blocks(paragraphs: tuple[str, ...], similarities: tuple[float | None, ...], question: str) -> list[Block]:
    """The article's blocks, in order, each with its relevance to the question."""
    relevance = _relevance(paragraphs, similarities, question)
    grouped: list[list[int]] = []
    for i, paragraph in enumerate(paragraphs):
        previous = " ".join(paragraphs[j] for j in grouped[-1]) if grouped else ""
        if grouped and (previous.rstrip().endswith(":") or _ITEM.match(paragraph) and _LIST_OPENED.search(previous)):
            grouped[-1].append(i)
        else:
            grouped.append([i])
    return [Block(" ".join(paragraphs[i] for i in group), max(relevance[i] for i in group), group[0])
            for group in grouped]


def quoted_blocks(all_blocks: list[Block], opening: bool = False, limit: int = MAX_BLOCKS) -> list[Block]:
    """The blocks to quote: the most relevant, and up to ``limit`` when nearly as relevant (the first
    ones when the article was asked for by its number: « que dit l'article … »)."""
    if opening:
        return all_blocks[:limit]
    ranked = sorted(all_blocks, key=lambda b: -b.relevance)
    best = ranked[0].relevance
    kept = [b for b in ranked[:limit] if b.relevance >= best - BLOCK_MARGIN]
    return sorted(kept, key=lambda b: b.position)


def trim(block: Block, question: str) -> str:
    """A long block cut to its most relevant sentence and the next one (verbatim, cut at sentence ends)."""
    if len(block.text) <= MAX_QUOTE_CHARS:
        return block.text
    parts = sentences(block.text)
    shares = word_shares(parts, question)
    start = max(range(len(parts)), key=lambda i: (shares[i], -i))
    return " ".join(parts[start : start + 2])


class _Scored(NamedTuple):
    """A candidate sentence of the lead."""

    score: float
    share: float  # of the question's words it contains
    position: int  # of its block in the article
    index: int  # in its block
    text: str


def lead_sentences(all_blocks: list[Block], question: str, kind: Expects, margin: float = LEAD_MARGIN) -> list[str]:
    """One to three sentences that most directly answer the question, in the article's order, those
    that follow each other in the text joined (each item is a verbatim quotation)."""
    scored = []
    for block in all_blocks:
        parts = sentences(block.text)
        for index, (sentence, share) in enumerate(zip(parts, word_shares(parts, question))):
            score = block.relevance + WORDS_WEIGHT * share + KIND_WEIGHT * answers(sentence, kind)
            scored.append(_Scored(score, share, block.position, index, sentence))
    if not scored:
        return []
    # The sentences of one block share its similarity: the question's words decide between them
    # (« période d'essai d'un cadre » wants the item on cadres, not the list's first items).
    ranked = sorted(scored, key=lambda s: (-s.score, -s.share, s.position, s.index))
    chosen, length = [ranked[0]], len(ranked[0].text)
    for candidate in ranked[1:LEAD_SENTENCES]:
        if candidate.score >= ranked[0].score - margin and length + len(candidate.text) <= LEAD_CHARS:
            chosen.append(candidate)
            length += len(candidate.text)
    runs: list[list[_Scored]] = []
    for sentence in sorted(chosen, key=lambda s: (s.position, s.index)):
        if runs and runs[-1][-1].position == sentence.position and runs[-1][-1].index + 1 == sentence.index:
            runs[-1].append(sentence)
        else:
            runs.append([sentence])
    return [" ".join(s.text for s in run) for run in runs]


def _relevance(paragraphs: tuple[str, ...], similarities: tuple[float | None, ...], question: str) -> list[float]:
    """Each alinéa's similarity with the question; the share of the question's words where it has no vector."""
    shares = word_shares(list(paragraphs), question)
    return [share if similarity is None else similarity for similarity, share in zip(similarities, shares)]


def word_shares(texts: list[str], question: str) -> list[float]:
    """The share of the question's words (stems, without stop words) each text contains."""
    wanted = set(tokenize([question])[0])
    if not wanted or not texts:
        return [0.0] * len(texts)
    return [len(wanted & set(tokens)) / len(wanted) for tokens in tokenize(texts)]
