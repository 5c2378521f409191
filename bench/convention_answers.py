"""The answer's « Votre convention collective » section: does it quote the article that answers, and stay
silent when the convention holds nothing on the question? And the coverage bar that decides it.

Usage: python bench/convention_answers.py [--split tune|heldout|all] [--bars 0.3,0.4,…] [--cosine-bars 0.5,…]
                                          [--second-shares 0,0.5,…]

On bench/convention_questions.jsonl (questions a convention answers, with their gold articles and the
words of the answer) and bench/convention_negative_questions.jsonl (questions on subjects the
convention's texts do not address, checked by searching its text), for each coverage bar:
- gold quoted: the gold article (by its stable cid) is among the quoted passages;
- answer quoted: the answer's words (its first line, spaces and apostrophes aside) are in a quote;
- silent on negatives: no passage quoted for a negative question (« nothing relevant here »).
Then, at the bar in use (assistant/convention_answer.py COVERAGE_BAR), the citation checks on every
passage: quote verbatim (each part), article in the pinned data, in force (never VIGUEUR_DIFF).
The bar is chosen on the tune parts; the held-out parts are only reported (docs/BENCHMARKS.md).
With --cosine-bars, the same figures on the questions of the conventions whose vectors are shipped, for
each bar on the best hit's cosine (COSINE_BAR decides there), beside each coverage bar on the same questions.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
from dataclasses import dataclass

import numpy as np

from answer_quality import read_rows  # bench/answer_quality.py, beside this script
from assistant.convention_answer import (
    COSINE_BAR, COVERAGE_BAR, SEARCHED, SECOND_SHARE, ConventionPassage, quoted, verbatim_parts,
)
from corpus.conventions import Convention, load_convention, read_index
from corpus.text_forms import verbatim_form
from indexing.convention_search import ConventionHit, ConventionSearcher, load_convention_vectors
from indexing.embedder import load_embedder, model_name
from indexing.settings import IndexSettings

DEFAULT_BARS = (0.0, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


@dataclass
class Searched:
    """One question's hits in its convention."""

    row: dict
    convention: Convention
    hits: list[ConventionHit]
    negative: bool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "heldout", "all"), default="tune")
    parser.add_argument("--bars", default=",".join(str(b) for b in DEFAULT_BARS))
    parser.add_argument("--cosine-bars", help="bars on the best hit's cosine, where vectors are shipped")
    parser.add_argument("--second-shares", help="shares of the first passage's question words a second passage "
                        "of the article needs to be quoted too (as in use otherwise)")
    arguments = parser.parse_args()
    bars = [float(b) for b in arguments.bars.split(",")]
    keep = lambda r: arguments.split in ("all", r["split"])  # noqa: E731
    positives = [r for r in read_rows("convention_questions.jsonl") if keep(r)]
    negatives = [r for r in read_rows("convention_negative_questions.jsonl") if keep(r)]
    searched = search_all(positives, negatives)
    print(f"{len(positives)} questions a convention answers, {len(negatives)} it does not ({arguments.split})")
    print("| coverage bar | gold quoted | answer quoted | nothing quoted (answerable) | silent on negatives |")
    print("|---|---|---|---|---|")
    bm25 = [dataclasses.replace(s, hits=[dataclasses.replace(h, cosine=None) for h in s.hits]) for s in searched]
    for bar in bars:  # coverage alone, as for a convention without vectors
        print(f"| {bar:.2f}{' (in use without vectors)' if bar == COVERAGE_BAR else ''} | " + " | ".join(_figures(bm25, bar)) + " |")
    if arguments.cosine_bars:
        hybrid = [s for s in searched if any(h.cosine is not None for h in s.hits)]
        print(f"\nConventions with vectors ({', '.join(sorted({str(s.row['idcc']) for s in hybrid}))}): "
              f"{sum(not s.negative for s in hybrid)} answerable, {sum(s.negative for s in hybrid)} negatives")
        print("| bar | gold quoted | answer quoted | nothing quoted (answerable) | silent on negatives |")
        print("|---|---|---|---|---|")
        for bar in [float(b) for b in arguments.cosine_bars.split(",")]:
            print(f"| cosine {bar:.2f}{' (in use)' if bar == COSINE_BAR else ''} | "
                  + " | ".join(_figures(hybrid, COVERAGE_BAR, bar)) + " |")
        hybrid_bm25 = [s for s in bm25 if s.row["id"] in {h.row["id"] for h in hybrid}]
        for bar in bars:
            print(f"| coverage {bar:.2f} | " + " | ".join(_figures(hybrid_bm25, bar)) + " |")
    print(f"| as in use (cosine {COSINE_BAR} where vectors are shipped, else coverage {COVERAGE_BAR}) | "
          + " | ".join(_figures(searched, COVERAGE_BAR)) + " |")
    if arguments.second_shares:
        print("\n| second passage's share | gold quoted | answer quoted | nothing quoted (answerable) | "
              "silent on negatives | median quote chars |\n|---|---|---|---|---|---|")
        for share in [float(s) for s in arguments.second_shares.split(",")]:
            print(f"| {share:.2f}{' (in use)' if share == SECOND_SHARE else ''} | "
                  + " | ".join(_figures(searched, COVERAGE_BAR, COSINE_BAR, share)) + " |")
    checks = _checks(searched)
    print(f"\nAs in use: {checks['passages']} passages quoted; not verbatim: "
          f"{checks['not_verbatim']}; not in the pinned data: {checks['absent']}; not in force: {checks['not_in_force']}")


def search_all(positives: list[dict], negatives: list[dict]) -> list[Searched]:
    """Every question searched in its convention, as the chain does (hybrid where vectors are shipped)."""
    settings = IndexSettings.from_env()
    embedder = load_embedder(settings)
    conventions = {c.idcc: c for c in read_index() if c.has_text}
    rows = [(r, False) for r in positives] + [(r, True) for r in negatives]
    searched = []
    for idcc in sorted({r["idcc"] for r, _ in rows}):
        convention = load_convention(conventions[idcc])
        vectors = load_convention_vectors(convention, model_name(settings))
        searcher = ConventionSearcher(convention, vectors)
        for row, negative in (item for item in rows if item[0]["idcc"] == idcc):
            vector: np.ndarray | None = embedder.embed_query(row["question"]) if vectors is not None else None
            searched.append(Searched(row, convention, searcher.search(row["question"], SEARCHED, vector), negative))
    return searched


def _figures(searched: list[Searched], bar: float, cosine_bar: float = COSINE_BAR,
             second_share: float | None = None) -> list[str]:
    """The four figures; with ``second_share``, also the median length of the quotes to questions answered."""
    gold = answer = empty = silent = 0
    lengths: list[int] = []
    positives = [s for s in searched if not s.negative]
    negatives = [s for s in searched if s.negative]
    for item in positives:
        passages = quoted(item.convention, item.hits, item.row["question"], bar, cosine_bar,
                          SECOND_SHARE if second_share is None else second_share)
        gold += any(p.article.cid in item.row["gold_cid"] for p in passages)
        answer += _answer_quoted(item.row["answer"], passages)
        empty += not passages
        lengths += [len(p.quote) for p in passages]
    for item in negatives:
        silent += not quoted(item.convention, item.hits, item.row["question"], bar, cosine_bar)
    share = lambda n, total: f"{n / total:.3f} ({n}/{total})" if total else "—"  # noqa: E731
    figures = [share(gold, len(positives)), share(answer, len(positives)), share(empty, len(positives)),
               share(silent, len(negatives))]
    return figures if second_share is None else [*figures, f"{statistics.median(lengths):.0f}" if lengths else "—"]


def _answer_quoted(answer: str, passages: tuple[ConventionPassage, ...]) -> bool:
    wanted = verbatim_form(answer.splitlines()[0]).lower()
    return any(wanted in verbatim_form(p.quote).lower() for p in passages)


def _checks(searched: list[Searched]) -> dict[str, int]:
    counts = {"passages": 0, "not_verbatim": 0, "absent": 0, "not_in_force": 0}
    for item in searched:
        articles = {a.id: a for a in item.convention.articles}
        for passage in quoted(item.convention, item.hits, item.row["question"]):
            counts["passages"] += 1
            article = articles.get(passage.article.id)
            counts["absent"] += article is None
            counts["not_in_force"] += article is not None and not article.in_force
            counts["not_verbatim"] += not verbatim_parts(passage.quote, "\n".join(passage.article.paragraphs))
    return counts


if __name__ == "__main__":
    main()
