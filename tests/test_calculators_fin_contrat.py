"""Indemnité de fin de contrat: 10 % of the total gross pay (L1243-8), 6 % under an agreement
(L1243-9), not due in the cases of L1243-8 and L1243-10, each asked as a yes/no question."""

from __future__ import annotations

import pytest

from assistant.calculators.base import CalculationResult, InputError
from assistant.calculators.registry import get_calculator
from corpus.store import ArticleStore
from tests.conftest import TODAY

NO_EXCLUSION = {"poursuite_cdi": False, "saisonnier_ou_usage": False, "jeune_vacances": False, "refus_cdi": False,
                "rupture_anticipee": False, "accord_6_pourcent": False}


def fin_contrat(store: ArticleStore, **values: object) -> CalculationResult:
    return get_calculator("indemnite-fin-contrat").run(values, store, TODAY)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("3000", "300.00"),  # 10 % × 3 000 = 300,00 (the example)
        ("12345,67", "1234.57"),  # 1 234,567 → 1 234,57
        ("1801.80", "180.18"),
        ("0", "0.00"),
        ("0.05", "0.01"),  # 0,005 → 0,01 (half up)
    ],
)
def test_ten_percent(store: ArticleStore, total: str, expected: str) -> None:
    result = fin_contrat(store, remuneration_totale=total, **NO_EXCLUSION)
    assert result.to_dict()["value"] == expected
    assert not result.missing and len(result.conditions_checked) == 5


def test_unanswered_exclusions_are_yes_no_questions(store: ArticleStore) -> None:
    result = fin_contrat(store, remuneration_totale=3000)
    assert result.to_dict()["value"] == "300.00" and "si aucun cas d'exclusion" in result.summary
    assert [q.field for q in result.missing] == [
        "poursuite_cdi", "saisonnier_ou_usage", "jeune_vacances", "refus_cdi", "rupture_anticipee", "accord_6_pourcent"]
    assert all(q.question.endswith("?") for q in result.missing)
    assert {s.article for s in result.sources} >= {"L1243-8", "L1243-10"}


@pytest.mark.parametrize("case", [k for k in NO_EXCLUSION if k != "accord_6_pourcent"])
def test_not_due(store: ArticleStore, case: str) -> None:
    result = fin_contrat(store, remuneration_totale=3000, **{**NO_EXCLUSION, case: True})
    assert result.to_dict()["value"] == "0.00" and result.details["due"] is False
    assert result.summary.startswith("Pas d'indemnité")


def test_agreement_at_six_percent(store: ArticleStore) -> None:
    # 6 % × 3 000 = 180,00 (L1243-9)
    result = fin_contrat(store, remuneration_totale=3000, **{**NO_EXCLUSION, "accord_6_pourcent": True})
    assert result.to_dict()["value"] == "180.00" and any(s.article == "L1243-9" for s in result.sources)


@pytest.mark.parametrize("total", ["-3000", "trois mille", "10 000 %"])
def test_bad_total(store: ArticleStore, total: str) -> None:
    with pytest.raises(InputError) as caught:
        fin_contrat(store, remuneration_totale=total)
    assert caught.value.field == "remuneration_totale" and "remuneration-totale" in str(caught.value)


def test_missing_total_is_blocking(store: ArticleStore) -> None:
    result = fin_contrat(store, refus_cdi=False)
    assert result.incomplete and result.missing[0].field == "remuneration_totale"
