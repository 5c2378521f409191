"""Article numbers for exports that lost them, recovered by aligning texts with the current code.

A plain-text export lists articles in reading order without their numbers. The current official
code lists the same part in the same order, give or take articles created, rewritten or
repealed since. Recovering the numbers is therefore a sequence alignment: each export article
is paired with at most one official article, pairs never cross (the export's order maps
increasingly onto the official order), and the alignment maximises the total similarity of the
pairs above a threshold. An export article whose best place in that order has no similar enough
text is left unnumbered (« not_found »): a repealed article must never inherit a neighbour's
number, which would make the assistant cite the wrong text.

Similarity is the cosine of TF-IDF word vectors. Checked on the Livre V export of April 2024
against the March 2026 code, it separates true pairs from neighbours better than character
ratios: every article amended since still scores ≥ 74, while, with any one article's
counterpart removed (as if repealed), no article paired with a neighbour scoring above 49; the
threshold sits between the two. The mean of rapidfuzz's ratio and token_set_ratio, tried first,
let 2 to 11 of 396 articles drift onto a neighbour in the same test (thresholds 65 to 55).
An article rewritten from scratch under its old number cannot be recognised from its text and
stays « not_found ».
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import replace

import numpy as np

from corpus.model import Article
from corpus.wording import canonical_text, diff_summary, plain

MATCH_THRESHOLD = 60.0  # similarity (0-100) below which two texts are not the same article
# Floor for pairing by place an article rewritten since the export: the two wordings must still
# share some rare vocabulary. Measured on the April 2024 export: the three true rewrites score
# 17.6, 30.0 and 32.5; removing each matched article's counterpart in turn (as if repealed),
# the wrong pairs this rule would make score 10.4 to 14.8.
REWRITE_FLOOR = 16.0
ANCHOR_SHARE = 0.9  # share of exactly matching articles the candidate range must cover
_WORD = re.compile(r"\w+")


def number_export(
    export_articles: list[Article], official_articles: list[Article], version_date: dt.date | None = None
) -> list[Article]:
    """The export's articles with number, LEGI ids and extra["match"] (and "diff") filled in.

    ``version_date`` is the date the export is « en vigueur au »: when known, articles rewritten
    from scratch since then are recovered by position (see rewritten_in_place).

    extra["match"] is "identical" (same normalised text), "changed" (same article, new
    wording; extra["diff"] says what changed), "not_found" (no counterpart in the current code)
    or, without official data, "numbers_unknown". Matched articles get extra["similarity"]
    (0-100); unnumbered ones get extra["positional_id"] (« source#position ») so that they can
    still be cited.
    """
    if not official_articles:
        return [_unnumbered(article, "numbers_unknown") for article in export_articles]
    candidates = candidate_range(export_articles, [a for a in official_articles if a.in_force and a.number])
    scores = similarity_matrix([a.text for a in export_articles], [a.text for a in candidates])
    pairs = align(scores, MATCH_THRESHOLD)
    if version_date is not None:
        pairs |= rewritten_in_place(pairs, scores, candidates, version_date)
    numbered: list[Article] = []
    given: set[str] = set()
    for row, article in enumerate(export_articles):
        column = pairs.get(row)
        # Official data repeats a few numbers (« Annexe »): a number is still given only once.
        if column is None or candidates[column].number in given:
            numbered.append(_unnumbered(article, "not_found"))
            continue
        numbered.append(_numbered(article, candidates[column], float(scores[row, column])))
        given.add(str(candidates[column].number))
    return numbered


def rewritten_in_place(
    pairs: dict[int, int], scores: np.ndarray, candidates: list[Article], version_date: dt.date
) -> dict[int, int]:
    """Pairs for export articles whose text was rewritten from scratch since the export.

    Between two aligned neighbours, the official articles that already existed at the export's
    date (first entry into force on or before it) and got a new wording after it are the
    rewritten counterparts of the export articles left unpaired there: an article repealed since
    has no official counterpart at all, and one created since did not exist at that date. When
    both counts are equal they are paired in order, provided each pair still shares some
    vocabulary (REWRITE_FLOOR): exports can miss an article, and then counts alone would hand
    a repealed article its neighbour's number. Otherwise the gap stays unpaired.
    """
    anchors = [(-1, -1), *sorted(pairs.items()), scores.shape]
    extra: dict[int, int] = {}
    for (row_before, column_before), (row_after, column_after) in zip(anchors, anchors[1:]):
        rows = range(row_before + 1, row_after)
        columns = [
            column
            for column in range(column_before + 1, column_after)
            if _rewritten_since(candidates[column], version_date)
        ]
        if rows and len(rows) == len(columns) and all(scores[r, c] >= REWRITE_FLOOR for r, c in zip(rows, columns)):
            extra.update(zip(rows, columns))
    return extra


def _rewritten_since(article: Article, version_date: dt.date) -> bool:
    first, current = article.first_start_date, article.start_date
    return first is not None and current is not None and first <= version_date < current


def candidate_range(export_articles: list[Article], official_in_force: list[Article]) -> list[Article]:
    """The official articles of the part the export covers, in reading order.

    Export articles whose text occurs exactly once in the official code are certain anchors;
    the range is the deepest breadcrumb (partie, livre, titre…) holding nearly all of them.
    Without anchors the whole code is searched, which is only slower.
    """
    official_texts = [canonical_text(a.text) for a in official_in_force]
    occurrences = Counter(official_texts)
    export_texts = {canonical_text(a.text) for a in export_articles}
    anchors = [
        article
        for article, text in zip(official_in_force, official_texts)
        if occurrences[text] == 1 and text in export_texts
    ]
    prefix: tuple[str, ...] = ()
    for depth in range(1, max((len(a.breadcrumbs) for a in anchors), default=0) + 1):
        common, count = Counter(a.breadcrumbs[:depth] for a in anchors).most_common(1)[0]
        if len(common) < depth or count < ANCHOR_SHARE * len(anchors):
            break
        prefix = common
    return [a for a in official_in_force if a.breadcrumbs[: len(prefix)] == prefix]


def similarity_matrix(rows: list[str], columns: list[str]) -> np.ndarray:
    """Cosine similarity (0-100) of TF-IDF word vectors, IDF taken over both text lists.

    Rare words (« radiée », « offre raisonnable ») weigh more than the drafting vocabulary
    every article shares, so a rewritten article stays close to its former self and far from
    its neighbours.
    """
    counts = [Counter(_WORD.findall(plain(text))) for text in rows + columns]
    vocabulary = {word: index for index, word in enumerate({w for c in counts for w in c})}
    frequency = np.zeros(len(vocabulary))
    for count in counts:
        frequency[[vocabulary[w] for w in count]] += 1
    idf = np.log(len(counts) / frequency) + 1
    vectors = np.zeros((len(counts), len(vocabulary)), dtype=np.float32)
    for index, count in enumerate(counts):
        for word, n in count.items():
            vectors[index, vocabulary[word]] = (1 + math.log(n)) * idf[vocabulary[word]]
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return np.clip(vectors[: len(rows)] @ vectors[len(rows) :].T * 100, 0, 100)


def align(scores: np.ndarray, threshold: float) -> dict[int, int]:
    """Row → column pairs of a non-crossing alignment maximising Σ (score − threshold).

    Dynamic programming as in sequence alignment with free gaps on both sides; pairs scoring
    below the threshold are forbidden, so an unmatched row is always allowed.
    """
    rows, columns = scores.shape
    gain = np.where(scores >= threshold, scores - threshold, -np.inf)
    best = np.zeros((rows + 1, columns + 1))
    for i in range(1, rows + 1):
        step = best[i - 1].copy()
        step[1:] = np.maximum(best[i - 1, 1:], best[i - 1, :-1] + gain[i - 1])
        best[i] = np.maximum.accumulate(step)  # skipping official articles is free
    pairs: dict[int, int] = {}
    i, j = rows, columns
    while i > 0 and j > 0:
        if best[i, j] == best[i, j - 1]:
            j -= 1
        elif best[i, j] == best[i - 1, j]:
            i -= 1
        else:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
    return pairs


def _numbered(article: Article, official: Article, similarity: float) -> Article:
    extra = {**article.extra, "similarity": round(similarity, 1)}
    if canonical_text(article.text) == canonical_text(official.text):
        extra["match"] = "identical"
    else:
        extra["match"] = "changed"
        extra["diff"] = diff_summary(article.text, official.text)
        if similarity < MATCH_THRESHOLD:
            since = f"{official.start_date:%d/%m/%Y}" if official.start_date else "l'export"
            extra["diff"] = f"réécrit en totalité (nouvelle rédaction en vigueur depuis le {since}) ; " + extra["diff"]
    return replace(article, number=official.number, legi_id=official.legi_id, cid=official.cid, extra=extra)


def _unnumbered(article: Article, match: str) -> Article:
    extra = {**article.extra, "match": match, "positional_id": f"{article.source}#{article.position}"}
    return replace(article, number=None, extra=extra)
