"""Préavis de licenciement: L1234-1 (under 6 months: law, agreement or usage; 6 months to under
2 years: one month; 2 years or more: two months; none for faute grave) and L5213-9 (doubled for a
beneficiary of the OETH, three months at most)."""

from __future__ import annotations

import pytest

from assistant.calculators.base import CalculationResult, InputError
from assistant.calculators.registry import get_calculator
from corpus.store import ArticleStore
from tests.conftest import TODAY


def preavis(store: ArticleStore, **values: object) -> CalculationResult:
    return get_calculator("preavis-licenciement").run(values, store, TODAY)


@pytest.mark.parametrize(
    ("months", "handicap", "expected"),
    [
        (5, False, None),  # under six months: no legal duration of its own
        (0, False, None),
        (6, False, 1),  # « comprise entre six mois et moins de deux ans »: one month
        (12, False, 1),
        (23, False, 1),
        (24, False, 2),  # « au moins deux ans »: two months
        (36, False, 2),
        (480, False, 2),
        (12, True, 2),  # 1 month doubled = 2
        (36, True, 3),  # 2 months doubled = 4, capped at 3
        (24, True, 3),
    ],
)
def test_notice_in_months(store: ArticleStore, months: int, handicap: bool, expected: int | None) -> None:
    result = preavis(store, anciennete_mois=months, travailleur_handicape=handicap, faute_grave=False)
    assert result.value == expected and result.unit == "mois"
    assert result.to_dict()["value"] == expected


def test_under_six_months_explains_law_agreement_or_usage(store: ArticleStore) -> None:
    result = preavis(store, anciennete_mois=5)
    assert result.value is None and not result.incomplete
    assert "convention" in result.summary and "usages" in result.summary
    assert result.details["preavis_legal_mois"] is None
    # doubled for a disabled worker, but the base is the agreement's or usage's: said, not computed
    handicap = preavis(store, anciennete_mois=5, travailleur_handicape=True)
    assert handicap.value is None and any("doublé" in c for c in handicap.conditions_checked)


def test_three_years_disabled_worker_cites_both_articles(store: ArticleStore) -> None:
    result = preavis(store, anciennete_mois=36, travailleur_handicape=True)
    assert result.value == 3 and "min(2 × 2 ; 3) = 3 mois" in result.formula
    assert {s.article for s in result.sources} >= {"L1234-1", "L5213-9"}
    assert any("trois mois" in c for c in result.conditions_unchecked)  # L5213-9, second paragraph


def test_faute_grave_means_no_notice(store: ArticleStore) -> None:
    result = preavis(store, anciennete_mois=36, faute_grave=True)
    assert result.value == 0 and "faute grave" in result.summary


def test_seniority_from_dates_and_suspensions(store: ArticleStore) -> None:
    # 01/09/2023 → notification 15/03/2026: 2 years 6 months → 2 months.
    assert preavis(store, entree="2023-09-01", sortie="2026-03-15").value == 2
    # 01/09/2025 → 28/02/2026, both days included: 6 complete months → one month.
    assert preavis(store, entree="2025-09-01", sortie="2026-02-28").value == 1
    # 01/09/2025 → 27/02/2026: 5 complete months (the 6th ends on 28/02) → no legal duration.
    assert preavis(store, entree="2025-09-01", sortie="2026-02-27").value is None
    # 7 months with 3 of suspension: 4 months → no legal duration.
    assert preavis(store, anciennete_mois=7, absences_mois=3).value is None


def test_unknown_handicap_and_faute_grave_are_asked(store: ArticleStore) -> None:
    result = preavis(store, anciennete_mois=12)
    assert result.value == 1
    assert {q.field for q in result.missing} == {"travailleur_handicape", "faute_grave"}


@pytest.mark.parametrize(
    ("values", "field"),
    [({"anciennete_mois": -1}, "anciennete_mois"), ({"anciennete_mois": 2400}, "anciennete_mois"),
     ({"anciennete_mois": "trois ans"}, "anciennete_mois"),
     ({"entree": "2026-01-01", "sortie": "2025-01-01"}, "sortie")],
)
def test_bad_inputs(store: ArticleStore, values: dict, field: str) -> None:
    with pytest.raises(InputError) as caught:
        preavis(store, **values)
    assert caught.value.field == field


def test_missing_seniority_is_blocking(store: ArticleStore) -> None:
    result = preavis(store, travailleur_handicape=True)
    assert result.incomplete and [q.field for q in result.missing if q.blocking] == ["anciennete_mois"]


def test_notification_date_and_its_old_name(store: ArticleStore) -> None:
    # Hired 01/09/2023, notified 15/03/2026: 2 years and 6 months at the notification → 2 months (L1234-1).
    result = preavis(store, entree="2023-09-01", notification="2026-03-15")
    assert result.value == 2 and any("notification du licenciement, le 15/03/2026" in c
                                      for c in result.conditions_checked)
    # « sortie » stays the notification here, as documented; both at once are refused.
    assert preavis(store, entree="2023-09-01", sortie="2026-03-15").value == 2
    with pytest.raises(InputError, match="notification"):
        preavis(store, entree="2023-09-01", sortie="2026-03-15", notification="2026-03-15")


def test_dismissal_before_the_recodified_code_is_refused(store: ArticleStore) -> None:
    # A dismissal notified in 1995: the calculator applies L1234-1 as in force since 01/05/2008 only.
    with pytest.raises(InputError, match="antérieur à la période couverte") as refused:
        preavis(store, entree="1985-01-01", notification="1995-03-01")
    assert refused.value.field == "notification" and "2007-329" in str(refused.value)
