"""Activité partielle: expected values worked by hand from R5122-18 (60 %, cap 4,5 SMIC, training,
temporary and part-time workers), D5122-13 (36 %, floor 8,57 €) and R5122-4 (fifteen days)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.calculators.base import CalculationResult, InputError, NotCovered
from assistant.calculators.registry import get_calculator
from corpus.store import ArticleStore
from tests.conftest import TODAY

IN_2026 = "2026-03-02"  # SMIC 12,02 €: cap 4,5 × 12,02 = 54,09 €


def ap(store: ArticleStore, **values: object) -> CalculationResult:
    return get_calculator("activite-partielle").run({"date": IN_2026, **values}, store, TODAY)


def test_issue_example_per_hour(store: ArticleStore) -> None:
    # 20 €/h: indemnity 60 % × 20 = 12,00 €; allocation 36 % × 20 = 7,20 € < 8,57 € → floor 8,57 €.
    result = ap(store, remuneration_horaire=20)
    assert result.to_dict()["value"] == "12.00"
    assert result.details["indemnite_horaire"] == "12.00"
    assert result.details["allocation_horaire"] == "8.57"
    assert "portée au minimum de 8,57 €" in result.formula
    assert any(q.field == "heures" for q in result.missing)  # per hour until the hours are given
    assert {s.article for s in result.sources} >= {"R5122-18", "D5122-13"}


@pytest.mark.parametrize(
    ("pay", "hours", "indemnity", "allocation"),
    [
        # 35 h × 12,00 = 420,00; allocation 35 × 8,57 = 299,95.
        ("20", "35", "420.00", "299.95"),
        # 30 €/h: 18,00 €/h; allocation 36 % × 30 = 10,80 (above the floor). 10 h → 180,00 and 108,00.
        ("30", "10", "180.00", "108.00"),
        # Above the cap: 60 €/h counted as 54,09; 60 % = 32,454 €/h → 10 h = 324,54;
        # allocation 36 % × 54,09 = 19,4724 → 10 h = 194,724 → 194,72 (rounded only at the end).
        ("60", "10", "324.54", "194.72"),
        # At the cap exactly: 54,09 × 60 % = 32,454 → 1 h = 32,45.
        ("54.09", "1", "32.45", "19.47"),
        # Floor boundary: 23,80 × 36 % = 8,568 < 8,57 → 8,57; 23,81 × 36 % = 8,5716 → kept, 100 h = 857,16.
        ("23.80", "100", "1428.00", "857.00"),
        ("23.81", "100", "1428.60", "857.16"),
        # Below the SMIC (12,02): no floor; 10 €/h → 6,00 and 3,60; 7 h → 42,00 and 25,20.
        ("10", "7", "42.00", "25.20"),
        # Half hours: 20 €/h × 60 % × 7,5 h = 90,00; allocation 8,57 × 7,5 = 64,275 → 64,28.
        ("20", "7,5", "90.00", "64.28"),
    ],
)
def test_indemnity_and_allocation_for_hours(store: ArticleStore, pay: str, hours: str, indemnity: str,
                                            allocation: str) -> None:
    result = ap(store, remuneration_horaire=pay, heures=hours, apprenti=False, interimaire_ou_temps_partiel=False)
    assert result.to_dict()["value"] == indemnity
    assert result.details["allocation_totale"] == allocation


def test_apprentice_no_floor_and_allocation_not_above_indemnity(store: ArticleStore) -> None:
    # 15 €/h apprentice: indemnity 9,00; allocation 36 % × 15 = 5,40, no 8,57 floor; 5,40 ≤ 9,00.
    result = ap(store, remuneration_horaire=15, heures=10, apprenti=True)
    assert result.details["allocation_horaire"] == "5.40"
    assert result.details["allocation_totale"] == "54.00" and result.to_dict()["value"] == "90.00"
    assert any("apprenti" in c.lower() for c in result.conditions_checked)


def test_temporary_or_part_time_worker_never_below_smic(store: ArticleStore) -> None:
    # 15 €/h: 60 % = 9,00 < SMIC 12,02 → 12,02 €/h; 10 h → 120,20.
    raised = ap(store, remuneration_horaire=15, heures=10, interimaire_ou_temps_partiel=True)
    assert raised.details["indemnite_horaire"] == "12.02" and raised.to_dict()["value"] == "120.20"
    # Paid 10 €/h, below the SMIC: the indemnity equals the pay, 10,00 €/h.
    below = ap(store, remuneration_horaire=10, heures=1, interimaire_ou_temps_partiel=True)
    assert below.to_dict()["value"] == "10.00"
    # Unknown status and an indemnity below the SMIC: the question is asked.
    assert any(q.field == "interimaire_ou_temps_partiel" for q in ap(store, remuneration_horaire=15).missing)


def test_training_hours_paid_at_full_net_pay(store: ArticleStore) -> None:
    # 35 h of which 7 h of training, 20 €/h gross, 15,50 €/h net: 28 × 12,00 + 7 × 15,50 = 336,00 + 108,50 = 444,50.
    result = ap(store, remuneration_horaire=20, heures=35, heures_formation=7, remuneration_nette_horaire="15,50")
    assert result.to_dict()["value"] == "444.50"
    assert "R5122-18" in " ".join(result.conditions_checked)


def test_training_hours_without_net_pay_ask_for_it(store: ArticleStore) -> None:
    result = ap(store, remuneration_horaire=20, heures=35, heures_formation=7)
    assert result.incomplete and result.value is None
    assert [q.field for q in result.missing if q.blocking] == ["remuneration_nette_horaire"]


def test_net_pay_rule_is_flagged(store: ArticleStore) -> None:
    result = ap(store, remuneration_horaire=20)
    assert any("rémunération nette horaire habituelle" in c for c in result.conditions_unchecked)


@pytest.mark.parametrize(
    ("received", "deadline", "accepted"),
    [
        # Fifteen days from receipt, the day of receipt not counted: 02/03 → 17/03, accepted on 18/03.
        ("2026-03-02", "2026-03-17", "2026-03-18"),
        # Across a month end: 20/02/2026 → 07/03/2026.
        ("20/02/2026", "2026-03-07", "2026-03-08"),
    ],
)
def test_implicit_acceptance_date(store: ArticleStore, received: str, deadline: str, accepted: str) -> None:
    result = ap(store, remuneration_horaire=20, demande=received)
    assert result.details["decision_au_plus_tard"] == deadline
    assert result.details["acceptation_implicite_le"] == accepted
    assert any(s.article == "R5122-4" for s in result.sources)


def test_hours_of_another_year_use_that_years_smic_and_minimum(store: ArticleStore) -> None:
    # June 2025: SMIC 11,88, cap 4,5 × 11,88 = 53,46; 100 €/h → 53,46 × 60 % = 32,076 → 32,08.
    result = ap(store, remuneration_horaire=100, date="2025-06-01")
    assert result.smic.hourly == Decimal("11.88") and result.to_dict()["value"] == "32.08"
    # 20 €/h in June 2023: allocation 36 % × 20 = 7,20, raised to that period's minimum, 8,21 € (décret
    # n° 2023-322, hours from 01/05/2023) — not today's 8,57 €.
    older = ap(store, remuneration_horaire=20, date="2023-06-15", apprenti=False)
    assert older.details["allocation_horaire"] == "8.21" and older.smic.hourly == Decimal("11.52")
    floor = next(p for p in older.parameters if p.name == "plancher_allocation")
    assert floor.shown() == "8,21 €" and "2023-322" in floor.since.source
    assert any("2023-322" in c for c in older.conditions_checked)


def test_hours_before_the_current_rates_are_refused(store: ArticleStore) -> None:
    # March 2021: the 60 % / 36 % rates apply to hours from 01/07/2021 (décrets n° 2021-671 and 2021-674); a SMIC
    # given by the user does not make the period covered.
    for extra in ({}, {"smic": "10.25"}):
        with pytest.raises(NotCovered, match="antérieur à la période couverte") as refused:
            ap(store, remuneration_horaire=20, date="2021-03-01", **extra)
        assert refused.value.field == "date" and "2021-671" in str(refused.value)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"remuneration_horaire": "vingt"}, "remuneration_horaire"),
        ({"remuneration_horaire": -3}, "remuneration_horaire"),
        ({"remuneration_horaire": 0}, "remuneration_horaire"),
        ({"remuneration_horaire": 20, "heures": -1}, "heures"),
        ({"remuneration_horaire": 20, "heures": 10, "heures_formation": 12}, "heures_formation"),
        ({"remuneration_horaire": 20, "heures_formation": 2}, "heures_formation"),
        ({"remuneration_horaire": 20, "apprenti": "peut-être"}, "apprenti"),
    ],
)
def test_bad_inputs(store: ArticleStore, values: dict, field: str) -> None:
    with pytest.raises(InputError) as caught:
        ap(store, **values)
    assert caught.value.field == field and field.replace("_", "-") in str(caught.value)


def test_missing_pay_is_a_blocking_question(store: ArticleStore) -> None:
    result = get_calculator("activite-partielle").run({"heures": 10}, store, TODAY)
    assert result.incomplete and result.missing[0].field == "remuneration_horaire"


def test_long_term_scheme_is_refused_not_computed_at_ordinary_rates(store: ArticleStore) -> None:
    with pytest.raises(NotCovered, match="APLD") as refused:
        ap(store, remuneration_horaire=20, heures=10, longue_duree=True)
    message = str(refused.value)
    assert "décret" in message and "accord" in message and "L5122-1" in message
    # Answering « droit commun » computes as before: 60 % × 20 = 12,00 €/h.
    assert ap(store, remuneration_horaire=20, longue_duree=False, date="2026-03-01").details["indemnite_horaire"] == "12.00"


def test_full_time_employee_below_the_smic_is_told_of_the_monthly_minimum(store: ArticleStore) -> None:
    # 15 €/h full time: 60 % = 9,00 €/h, below the SMIC: no raise of the hourly figure, but the monthly
    # minimum (L3232-1, L3232-5) may call for a complementary allowance, and the result says so.
    result = ap(store, remuneration_horaire=15, heures=10, interimaire_ou_temps_partiel=False, date="2026-03-01")
    assert result.details["indemnite_horaire"] == "9.00"
    assert any("allocation complémentaire" in c and "L3232-5" in c for c in result.conditions_unchecked)
    # Above the SMIC (30 €/h → 18,00 €/h) nothing to say.
    above = ap(store, remuneration_horaire=30, heures=10, interimaire_ou_temps_partiel=False, date="2026-03-01")
    assert not any("L3232-5" in c for c in above.conditions_unchecked)
