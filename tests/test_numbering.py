"""Number recovery for the Livre V export of April 2024 against the shipped official code."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from corpus.model import Article
import numpy as np

from corpus.numbering import MATCH_THRESHOLD, align, candidate_range, number_export, rewritten_in_place, similarity_matrix
from corpus.wording import canonical_text, diff_summary
from corpus.paths import SHIPPED_OFFICIAL
from corpus.snapshot import read_snapshot
from corpus.text_export import TextExport, parse_text_export

SEED = Path(__file__).parent.parent / "data" / "seeds" / "004_fd4bfdb18ea373cc.txt"
# Rewritten from scratch by loi n° 2023-1196 (in force 1 January 2025): the same LEGI articles
# (same cid) but no wording left in common, so text alone cannot pair them; their place can.
REWRITTEN_FROM_SCRATCH = {
    "Le demandeur d'emploi immédiatement disponible pour occuper un emploi est orienté": "L5411-6",
    "Un projet personnalisé d'accès à l'emploi est élaboré et actualisé conjointement": "L5411-6-1",
    "Est radiée de la liste des demandeurs d'emploi, dans des conditions déterminées": "L5412-1",
}


@pytest.fixture(scope="module")
def official() -> list[Article]:
    return read_snapshot(SHIPPED_OFFICIAL).articles


@pytest.fixture(scope="module")
def parsed() -> TextExport:
    return parse_text_export(SEED)


@pytest.fixture(scope="module")
def export(parsed) -> list[Article]:
    return parsed.articles


@pytest.fixture(scope="module")
def numbered(parsed, official) -> list[Article]:
    return number_export(parsed.articles, official, parsed.version_date)


@pytest.fixture(scope="module")
def official_by_number(official) -> dict[str, Article]:
    return {a.number: a for a in official if a.in_force}


def _starting(articles: list[Article], opening: str) -> Article:
    (article,) = [a for a in articles if a.paragraphs[0].startswith(opening)]
    return article


def test_nearly_all_numbered_none_twice(numbered, export) -> None:
    assert [a.position for a in numbered] == [a.position for a in export]
    assert [a.paragraphs for a in numbered] == [a.paragraphs for a in export]
    numbers = [a.number for a in numbered if a.number]
    assert len(numbers) >= 394
    assert len(set(numbers)) == len(numbers)
    assert Counter(a.extra["match"] for a in numbered).keys() <= {"identical", "changed", "not_found"}


@pytest.mark.parametrize(
    ("opening", "number"),
    [
        ("Les aides à l'emploi ont pour objet", "L5111-1"),
        ("L'administration chargée des dispositifs en faveur de l'emploi", "L5112-1-1"),
        ("I.-Les salariés sont placés en position d'activité partielle", "L5122-1"),
        ("Tout employeur emploie des bénéficiaires de l'obligation d'emploi", "L5212-2"),
        ("I.-L'opérateur France Travail est une institution nationale publique", "L5312-1"),
        ("Un décret en Conseil d'Etat apporte aux dispositions du titre II du livre IV", "L5524-10"),
    ],
)
def test_well_known_articles(numbered, official_by_number, opening: str, number: str) -> None:
    article = _starting(numbered, opening)
    assert article.number == number
    assert article.legi_id == official_by_number[number].legi_id
    assert article.cid == official_by_number[number].cid


def test_identical_articles_have_the_official_text_and_notes(numbered, official_by_number) -> None:
    identical = [a for a in numbered if a.extra["match"] == "identical"]
    assert len(identical) > 350
    for article in identical:
        current = official_by_number[article.number]
        assert canonical_text(article.text) == canonical_text(current.text)
        assert [canonical_text(n) for n in article.notes] == [canonical_text(n) for n in current.notes]


def test_changed_articles_carry_a_short_diff(numbered) -> None:
    changed = [a for a in numbered if a.extra["match"] == "changed"]
    assert changed
    for article in changed:
        assert article.number and article.extra["diff"]
        assert len(article.extra["diff"].split()) <= 120
    compte = _starting(numbered, "Les activités bénévoles ou de volontariat permettant d'acquérir des droits")
    assert compte.number == "L5151-9"
    assert "« trois ans » → « un an »" in compte.extra["diff"]


def test_rewritten_articles_keep_their_number(numbered) -> None:
    registration = _starting(numbered, "Les demandeurs d'emploi renouvellent périodiquement leur inscription")
    assert (registration.number, registration.extra["match"]) == ("L5411-2", "changed")
    accompagnement = _starting(numbered, "I.-Les travailleurs handicapés reconnus au titre de l'article L. 5213-2")
    assert (accompagnement.number, accompagnement.extra["match"]) == ("L5213-2-1", "changed")


def test_articles_rewritten_from_scratch_are_numbered_by_their_place(numbered, official_by_number) -> None:
    assert all(a.number for a in numbered), "every article of the seed still exists in the current code"
    for opening, number in REWRITTEN_FROM_SCRATCH.items():
        article = _starting(numbered, opening)
        assert (article.number, article.extra["match"]) == (number, "changed")
        assert article.cid == official_by_number[number].cid
        assert article.extra["diff"].startswith("réécrit en totalité (nouvelle rédaction en vigueur depuis le 01/01/2025)")


def test_without_the_export_date_rewrites_stay_not_found(export, official) -> None:
    result = number_export(export, official)
    missing = [a for a in result if a.number is None]
    assert [a.paragraphs[0][: len(o)] for a, o in zip(missing, REWRITTEN_FROM_SCRATCH, strict=True)] == list(REWRITTEN_FROM_SCRATCH)
    for article in missing:
        assert article.extra["match"] == "not_found"
        assert article.extra["positional_id"] == f"{SEED.name}#{article.position}"
        assert article.legi_id is None and "diff" not in article.extra


def test_a_rewritten_article_repealed_since_never_lends_its_place(parsed, official) -> None:
    """Without L5411-6, the gap holds two old articles for one rewritten one: both stay unnumbered."""
    result = number_export(parsed.articles, [a for a in official if a.number != "L5411-6"], parsed.version_date)
    old_5411_6 = _starting(result, "Le demandeur d'emploi immédiatement disponible")
    old_5411_6_1 = _starting(result, "Un projet personnalisé d'accès à l'emploi")
    assert old_5411_6.number is None and old_5411_6_1.number is None
    assert "L5411-6" not in {a.number for a in result}


def test_repealed_articles_are_never_given_a_neighbours_number(parsed, export, official, numbered) -> None:
    """Remove some articles' current counterparts, as if repealed: only those lose their number."""
    repealed = {"L5111-1", "L5122-1", "L5134-34", "L5212-2", "L5213-2-1", "L5313-5", "L5411-2", "L5426-9"}
    renumbered = number_export(export, [a for a in official if a.number not in repealed], parsed.version_date)
    for before, after in zip(numbered, renumbered, strict=True):
        if before.number in repealed:
            assert (after.number, after.extra["match"]) == (None, "not_found")
        else:
            assert after.number == before.number


def test_no_matched_article_would_take_a_neighbours_place_if_its_counterpart_were_repealed(parsed, official) -> None:
    """Exhaustive version of the test above, for the rewrite rule: drop each pair's official
    article in turn (as if repealed since) and check the export article is then left unpaired."""
    candidates = candidate_range(parsed.articles, [a for a in official if a.in_force])
    scores = similarity_matrix([a.text for a in parsed.articles], [a.text for a in candidates])
    pairs = align(scores, MATCH_THRESHOLD)
    for row, column in pairs.items():
        others = {r: c for r, c in pairs.items() if r != row}
        kept = np.delete(np.arange(len(candidates)), column)
        remaining = {r: int(np.searchsorted(kept, c)) for r, c in others.items()}
        added = rewritten_in_place(remaining, scores[:, kept], [candidates[c] for c in kept], parsed.version_date)
        assert row not in added, f"export article {row + 1} would take {candidates[kept[added[row]]].number}"


def test_candidate_range_is_the_exports_part(export, official) -> None:
    in_force = [a for a in official if a.in_force]
    candidates = candidate_range(export, in_force)
    part = ("Partie législative", "Cinquième partie : L'emploi")
    assert candidates == [a for a in in_force if a.breadcrumbs[:2] == part]
    numbers = {a.number for a in candidates}
    assert {a.number for a in in_force if a.number.startswith("L5")} <= numbers
    assert {n for n in numbers if not n.startswith("L5")} == {"D5424-6-1"}  # filed under the legislative part


def test_without_official_data_numbers_stay_unknown(export) -> None:
    result = number_export(export, [])
    assert all(a.number is None and a.extra["match"] == "numbers_unknown" for a in result)
    assert result[0].extra["positional_id"] == f"{SEED.name}#1"
    assert result[0].extra["line"] == 5


def test_diff_summary_names_removed_and_added_words() -> None:
    summary = diff_summary(
        "Le projet personnalisé d'accès à l'emploi prévoit un emploi à temps complet.",
        "Le contrat d'engagement prévoit un emploi à temps complet.",
    )
    assert summary == (
        "5 mot(s) supprimé(s), 2 ajouté(s) : "
        "« projet personnalisé d'accès à l'emploi » → « contrat d'engagement »"
    )
