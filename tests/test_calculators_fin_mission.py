"""Indemnité de fin de mission of a temporary worker: 10 % of the total gross pay due (L1251-32),
not due with an immediate CDI at the user company nor in the cases of L1251-33 — its own rules,
not the CDD's (L1243-8 to L1243-10)."""

from __future__ import annotations

from assistant.calculators.base import CalculationResult
from assistant.calculators.registry import get_calculator
from corpus.store import ArticleStore
from tests.conftest import TODAY

NO_EXCLUSION = {"cdi_entreprise_utilisatrice": False, "mission_usage_accord": False, "mission_formation": False,
                "rupture_anticipee": False}


def fin_mission(store: ArticleStore, **values: object) -> CalculationResult:
    return get_calculator("indemnite-fin-mission").run(values, store, TODAY)


def test_ten_percent_with_the_temporary_work_articles(store: ArticleStore) -> None:
    # 10 % × 4 567,89 = 456,789 → 456,79.
    result = fin_mission(store, remuneration_totale="4567.89", **NO_EXCLUSION)
    assert result.to_dict()["value"] == "456.79" and not result.missing
    cited = {s.article for s in result.sources}
    assert {"L1251-32", "L1251-33"} <= cited and not cited & {"L1243-8", "L1243-9", "L1243-10"}


def test_unanswered_cases_are_asked(store: ArticleStore) -> None:
    result = fin_mission(store, remuneration_totale=3000)
    assert result.to_dict()["value"] == "300.00" and "si aucun cas d'exclusion" in result.summary
    assert [q.field for q in result.missing] == list(NO_EXCLUSION)


def test_immediate_cdi_at_the_user_company_means_no_allowance(store: ArticleStore) -> None:
    result = fin_mission(store, remuneration_totale=3000, cdi_entreprise_utilisatrice=True)
    assert result.to_dict()["value"] == "0.00" and result.details["due"] is False
    assert "entreprise utilisatrice" in result.summary and "fin de mission" in result.summary


def test_early_termination_by_the_worker(store: ArticleStore) -> None:
    result = fin_mission(store, remuneration_totale=3000, cdi_entreprise_utilisatrice=False, rupture_anticipee=True)
    assert result.value == 0 and any("L1251-33" in c for c in result.conditions_checked)
