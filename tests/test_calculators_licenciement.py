"""Indemnité légale de licenciement and rupture conventionnelle: expected values worked by hand
from L1234-9, R1234-1, R1234-2, R1234-4, L1226-14, L1226-16, L1237-13 and R1231-1."""

from __future__ import annotations

import pytest

from assistant.calculators.base import CalculationResult, InputError
from assistant.calculators.registry import get_calculator
from corpus.store import ArticleStore
from tests.conftest import TODAY


def licenciement(store: ArticleStore, **values: object) -> CalculationResult:
    return get_calculator("indemnite-licenciement").run(values, store, TODAY)


def rupture(store: ArticleStore, **values: object) -> CalculationResult:
    return get_calculator("rupture-conventionnelle").run(values, store, TODAY)


@pytest.mark.parametrize(
    ("months", "salary", "expected"),
    [
        # 1 year at 2 000 €: 2 000 × 1/4 × 1 = 500,00.
        (12, "2000", "500.00"),
        # 8 months at 1 000 €: 1 000 × 1/4 × 8/12 = 166,666… → 166,67.
        (8, "1000", "166.67"),
        # 42 years at 2 500 €: 2 500 × 1/4 × 10 + 2 500 × 1/3 × 32 = 6 250 + 26 666,666… = 32 916,67.
        (504, "2500", "32916.67"),
        # Exactly 10 years at 3 000 €: 3 000 × 1/4 × 10 = 7 500,00.
        (120, "3000", "7500.00"),
        # 10 years and 1 month: 7 500 + 3 000 × 1/3 × 1/12 = 7 500 + 83,333… = 7 583,33.
        (121, "3000", "7583.33"),
        # 1 year and 6 months at 2 400 €: 2 400 × 1/4 × 18/12 = 900,00.
        (18, "2400", "900.00"),
        # 9 months at 1 801,80 €: 1 801,80 × 9/48 = 337,8375 → 337,84.
        (9, "1801.80", "337.84"),
        # 25 years at 4 200 €: 4 200 × 10/4 + 4 200 × 15/3 = 10 500 + 21 000 = 31 500,00.
        (300, "4200", "31500.00"),
    ],
)
def test_legal_minimum(store: ArticleStore, months: int, salary: str, expected: str) -> None:
    result = licenciement(store, anciennete_mois=months, salaire_reference=salary, faute_grave=False)
    assert result.to_dict()["value"] == expected
    assert result.details["due"] is True


def test_42_years_formula_shows_both_brackets(store: ArticleStore) -> None:
    result = licenciement(store, anciennete_mois=504, salaire_reference=2500)
    assert result.formula == ("2 500,00 € × 1/4 × 10 ans + 2 500,00 € × 1/3 × 32 ans = 6 250,00 € + 26 666,67 € "
                              "= 32 916,67 €")
    assert {p.name for p in result.parameters} >= {"quart_de_mois", "tiers_de_mois", "seuil_dix_ans"}
    assert {s.article for s in result.sources} >= {"L1234-9", "R1234-2", "R1234-4"}


def test_under_eight_months_nothing_with_the_reason(store: ArticleStore) -> None:
    result = licenciement(store, anciennete_mois=7, salaire_reference=2000)
    assert result.to_dict()["value"] == "0.00" and result.details["due"] is False
    assert "8 mois" in result.summary
    assert any("L1234-9" in c for c in result.conditions_checked)


def test_seniority_from_dates(store: ArticleStore) -> None:
    # 03/03/2019 → 15/09/2025: 6 years 6 months complete = 78 months; 2 500 × 78/48 = 4 062,50.
    result = licenciement(store, entree="2019-03-03", sortie="15/09/2025", salaire_reference=2500)
    assert result.details["anciennete_mois"] == 78 and result.to_dict()["value"] == "4062.50"
    # 01/01/2024 → 31/12/2024, both days worked: 12 months; 2 000 × 1/4 = 500,00.
    whole_year = licenciement(store, entree="2024-01-01", sortie="2024-12-31", salaire_reference=2000)
    assert whole_year.to_dict()["value"] == "500.00"
    # 15/01/2024 → 13/09/2024: 7 complete months only (the 8th would end on 14/09) → nothing.
    assert licenciement(store, entree="2024-01-15", sortie="2024-09-13", salaire_reference=2000).value == 0
    # 15/01/2024 → 14/09/2024: 8 complete months; 2 000 × 8/48 = 333,33.
    eight_months = licenciement(store, entree="2024-01-15", sortie="2024-09-14", salaire_reference=2000)
    assert eight_months.to_dict()["value"] == "333.33"


def test_suspension_months_are_not_counted(store: ArticleStore) -> None:
    # 24 months with 6 months of suspension: 18 months; 2 400 × 18/48 = 900,00.
    result = licenciement(store, anciennete_mois=24, absences_mois=6, salaire_reference=2400)
    assert result.to_dict()["value"] == "900.00"
    assert any("L1234-11" in c for c in result.conditions_checked)
    # 10 months with 3 of suspension: 7 months → under 8, nothing.
    assert licenciement(store, anciennete_mois=10, absences_mois=3, salaire_reference=2400).value == 0


def test_faute_grave_excludes_the_indemnity(store: ArticleStore) -> None:
    result = licenciement(store, anciennete_mois=120, salaire_reference=3000, faute_grave=True)
    assert result.value == 0 and "faute grave" in result.summary
    # unknown: computed, but asked
    unknown = licenciement(store, anciennete_mois=120, salaire_reference=3000)
    assert any(q.field == "faute_grave" for q in unknown.missing)


def test_reference_salary_is_the_more_favourable_average(store: ArticleStore) -> None:
    # 12-month average 2 000, 3-month average 2 300 → 2 300; 1 year → 575,00.
    result = licenciement(store, anciennete_mois=12, moyenne_12_mois=2000, moyenne_3_mois=2300)
    assert result.to_dict()["value"] == "575.00"
    # The 12-month one when it is higher: 2 600 → 650,00.
    higher_twelve = licenciement(store, anciennete_mois=12, moyenne_12_mois=2600, moyenne_3_mois=2300)
    assert higher_twelve.to_dict()["value"] == "650.00"
    # Only one average: used, the other one asked.
    one = licenciement(store, anciennete_mois=12, moyenne_12_mois=2000)
    assert one.to_dict()["value"] == "500.00" and any(q.field == "moyenne_3_mois" for q in one.missing)


def test_inaptitude_doubles_then_rounds(store: ArticleStore) -> None:
    # 1 year at 2 000: 500,00 × 2 = 1 000,00.
    assert licenciement(store, anciennete_mois=12, salaire_reference=2000,
                        inaptitude_professionnelle=True).to_dict()["value"] == "1000.00"
    # 8 months at 1 000: base 166,666…, doubled 333,333… and only then rounded: 333,33 (not 333,34, the
    # figure of a base rounded before doubling).
    result = licenciement(store, anciennete_mois=8, salaire_reference=1000, inaptitude_professionnelle=True)
    assert result.to_dict()["value"] == "333.33"
    assert result.details["indemnite_legale"] == "166.67" and result.details["indemnite_speciale"] == "333.33"
    assert "2 × 166,6666… € = 333,33 €" in result.formula


def test_inaptitude_reference_is_the_three_month_average(store: ArticleStore) -> None:
    # L1226-16: 3-month average 2 100 even though the 12-month one is 2 400; 1 year → 525,00 × 2 = 1 050,00.
    result = licenciement(store, anciennete_mois=12, moyenne_12_mois=2400, moyenne_3_mois=2100,
                          inaptitude_professionnelle=True)
    assert result.to_dict()["value"] == "1050.00"
    missing = licenciement(store, anciennete_mois=12, moyenne_12_mois=2400, inaptitude_professionnelle=True)
    assert missing.incomplete and [q.field for q in missing.missing if q.blocking] == ["moyenne_3_mois"]


def test_inaptitude_under_eight_months_is_computed_and_flagged(store: ArticleStore) -> None:
    # 5 months at 1 000: 1 000 × 5/48 × 2 = 208,333… → 208,33 (rounded at the end); flagged for confirmation.
    result = licenciement(store, anciennete_mois=5, salaire_reference=1000, inaptitude_professionnelle=True)
    assert result.to_dict()["value"] == "208.33"
    assert any("jurisprudence" in c for c in result.conditions_unchecked)


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"entree": "2020-01-01", "sortie": "2019-01-01", "salaire_reference": 2000}, "sortie", "précède"),
        ({"anciennete_mois": 2400, "salaire_reference": 2000}, "anciennete_mois", "75 ans"),
        ({"entree": "1900-01-01", "sortie": "2026-01-01", "salaire_reference": 2000}, "entree", "75 ans"),
        ({"anciennete_mois": 12, "salaire_reference": "deux mille"}, "salaire_reference", "nombre attendu"),
        ({"anciennete_mois": 12, "salaire_reference": -2000}, "salaire_reference", "au moins"),
        ({"anciennete_mois": "1,5", "salaire_reference": 2000}, "anciennete_mois", "entier"),
        ({"anciennete_mois": 12, "absences_mois": 13, "salaire_reference": 2000}, "absences_mois", "plus de mois"),
        ({"anciennete_mois": 12, "salaire_reference": 2000, "moyenne_3_mois": 2100}, "salaire_reference",
         "pas les deux"),
        ({"anciennete_mois": 12, "entree": "2020-01-01", "sortie": "2021-01-01"}, "anciennete_mois", "pas les deux"),
        ({"entree": "2020-01-01", "salaire_reference": 2000}, "fin_preavis", "deux dates"),
        ({"anciennete_mois": 12, "salaire_reference": 2000, "faute_grave": "bof"}, "faute_grave", "oui ou non"),
    ],
)
def test_bad_inputs_name_the_field(store: ArticleStore, values: dict, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        licenciement(store, **values)
    assert caught.value.field == field and words in str(caught.value)


def test_missing_seniority_and_salary_are_blocking_questions(store: ArticleStore) -> None:
    result = licenciement(store)
    assert result.incomplete and result.value is None
    assert {q.field for q in result.missing if q.blocking} == {"anciennete_mois", "salaire_reference"}


# --- Rupture conventionnelle ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "salary", "expected"),
    [
        # No 8-month condition: 5 months at 2 000 → 2 000 × 5/48 = 208,333… → 208,33.
        (5, "2000", "208.33"),
        # Same minimum as the severance indemnity: 1 year at 2 000 → 500,00; 42 years at 2 500 → 32 916,67.
        (12, "2000", "500.00"),
        (504, "2500", "32916.67"),
        # 1 month at 3 000: 3 000 / 48 = 62,50.
        (1, "3000", "62.50"),
    ],
)
def test_rupture_minimum(store: ArticleStore, months: int, salary: str, expected: str) -> None:
    result = rupture(store, anciennete_mois=months, salaire_reference=salary, signature="2026-03-10")
    assert result.to_dict()["value"] == expected
    assert any("L1237-13" in c for c in result.conditions_checked)


@pytest.mark.parametrize(
    ("signed", "end"),
    [
        # Tuesday 10/03/2026 + 15 days = Wednesday 25/03/2026.
        ("2026-03-10", "2026-03-25"),
        # Friday 13/03/2026 + 15 = Saturday 28/03 → Monday 30/03 (R1231-1).
        ("2026-03-13", "2026-03-30"),
        # Saturday 14/03/2026 + 15 = Sunday 29/03 → Monday 30/03.
        ("2026-03-14", "2026-03-30"),
        # 16/04/2026 + 15 = Friday 01/05/2026 (fête du travail) → Saturday, Sunday → Monday 04/05.
        ("2026-04-16", "2026-05-04"),
        # 22/03/2026 + 15 = Monday 06/04/2026, lundi de Pâques (Easter 05/04/2026) → Tuesday 07/04.
        ("2026-03-22", "2026-04-07"),
        # 10/12/2025 + 15 = Thursday 25/12/2025 (Noël) → Friday 26/12.
        ("2025-12-10", "2025-12-26"),
    ],
)
def test_withdrawal_period_end(store: ArticleStore, signed: str, end: str) -> None:
    result = rupture(store, anciennete_mois=24, salaire_reference=2000, signature=signed)
    assert result.details["fin_retractation"] == end


def test_rupture_refuses_faute_grave_and_explains_inaptitude(store: ArticleStore) -> None:
    # A rupture conventionnelle is not a dismissal: « faute grave » has no meaning there, refused rather than ignored.
    for answer in (True, False):
        with pytest.raises(InputError, match="sans objet") as refused:
            rupture(store, anciennete_mois=12, salaire_reference=2000, faute_grave=answer)
        assert refused.value.field == "faute_grave"
    result = rupture(store, anciennete_mois=12, salaire_reference=2000, inaptitude_professionnelle=True)
    assert result.to_dict()["value"] == "500.00"
    assert any("L1226-14" in c for c in result.conditions_checked)


def test_rupture_asks_for_the_signature_date(store: ArticleStore) -> None:
    result = rupture(store, anciennete_mois=12, salaire_reference=2000)
    assert any(q.field == "signature" for q in result.missing) and not result.incomplete


def test_work_accident_leave_counts_in_full(store: ArticleStore) -> None:
    # 5 years including 12 months off after an accident du travail, 2 000 €: the leave counts (L1226-7),
    # 60 months → 2 000 × 1/4 × 5 = 2 500,00 (deducting it would give 2 000,00).
    result = licenciement(store, anciennete_mois=60, arret_professionnel_mois=12, salaire_reference=2000)
    assert result.to_dict()["value"] == "2500.00"
    assert any("comptés en entier" in c and "L1226-7" in c for c in result.conditions_checked)
    # The same 12 months after an accident de trajet are an ordinary suspension (L1234-11): 48 months → 2 000,00.
    trajet = licenciement(store, anciennete_mois=60, absences_mois=12, salaire_reference=2000)
    assert trajet.to_dict()["value"] == "2000.00"
    assert any("L1234-11" in c for c in trajet.conditions_checked)


def test_full_time_parental_leave_counts_for_half(store: ArticleStore) -> None:
    # 10 years including 12 months of full-time congé parental, 2 500 €: 6 months left out (L1225-54),
    # 114 months → 2 500 × 1/4 × 114/12 = 5 937,50 (deducting all 12 months would give 5 625,00).
    result = licenciement(store, anciennete_mois=120, conge_parental_mois=12, salaire_reference=2500)
    assert result.to_dict()["value"] == "5937.50"
    assert any("pour moitié" in c and "L1225-54" in c for c in result.conditions_checked)
    # 7 months count 3.5: 4 months left out, seniority 116 months → 2 500 × 116/48 = 6 041,666… → 6 041,67.
    odd = licenciement(store, anciennete_mois=120, conge_parental_mois=7, salaire_reference=2500)
    assert odd.to_dict()["value"] == "6041.67"


def test_suspensions_cannot_exceed_the_seniority(store: ArticleStore) -> None:
    with pytest.raises(InputError, match="plus de mois de suspension"):
        licenciement(store, anciennete_mois=12, arret_professionnel_mois=6, absences_mois=7, salaire_reference=2000)


def test_notification_judges_the_condition_and_the_end_of_notice_the_amount(store: ArticleStore) -> None:
    # Hired 01/01/2025, notified 20/08/2025 (7 complete months), notice to 30/09/2025 (9 months): the 8-month
    # condition is judged at the notification (L1234-9), so nothing is due, though 9 months would qualify.
    short = licenciement(store, entree="2025-01-01", notification="2025-08-20", fin_preavis="2025-09-30",
                         salaire_reference=2000)
    assert short.to_dict()["value"] == "0.00" and "7 mois" in short.summary
    assert any("notifié le 20/08/2025" in c and "30/09/2025" in c for c in short.conditions_checked)
    # Notified 05/09/2025 (8 months), notice to 04/10/2025 (9 complete months): due, on 9 months:
    # 2 000 × 1/4 × 9/12 = 375,00.
    due = licenciement(store, entree="2025-01-01", notification="2025-09-05", fin_preavis="2025-10-04",
                       salaire_reference=2000)
    assert due.to_dict()["value"] == "375.00" and due.details["anciennete_mois"] == 9
    # « sortie » keeps its documented meaning (end of the contract, notice included): same 375,00, and the
    # notification is asked, the condition being said to be judged on it.
    legacy = licenciement(store, entree="2025-01-01", sortie="2025-10-04", salaire_reference=2000)
    assert legacy.to_dict()["value"] == "375.00" and any(q.field == "notification" for q in legacy.missing)
    with pytest.raises(InputError, match="une seule"):
        licenciement(store, entree="2025-01-01", sortie="2025-10-04", fin_preavis="2025-10-04", salaire_reference=2000)


def test_notification_without_the_end_of_notice_asks_for_it(store: ArticleStore) -> None:
    result = licenciement(store, entree="2015-01-01", notification="2025-08-20", salaire_reference=2000)
    assert result.incomplete and [q.field for q in result.missing if q.blocking] == ["fin_preavis"]
    assert "fin du préavis" in result.summary


@pytest.mark.parametrize(
    ("values", "field", "source"),
    [
        # A 1995 dismissal: the rates of R1234-2 apply to dismissals from 27/09/2017 (décret n° 2017-1398).
        ({"entree": "1985-01-01", "sortie": "1995-03-01"}, "sortie", "2017-1398"),
        # Notified on 20/09/2017, notice ending after the decree: the notification decides.
        ({"entree": "2010-01-01", "notification": "2017-09-20", "fin_preavis": "2017-11-20"}, "notification",
         "2017-1398"),
    ],
)
def test_dismissals_before_the_2017_rules_are_refused(store: ArticleStore, values: dict, field: str,
                                                       source: str) -> None:
    with pytest.raises(InputError, match="antérieur à la période couverte") as refused:
        licenciement(store, salaire_reference=2000, **values)
    assert refused.value.field == field and source in str(refused.value)
    # A rupture conventionnelle signed before 27/09/2017 too.
    with pytest.raises(InputError, match="antérieur à la période couverte"):
        rupture(store, anciennete_mois=60, salaire_reference=2000, signature="2017-06-01")


def test_rupture_date_must_follow_the_withdrawal_period_and_the_homologation(store: ArticleStore) -> None:
    # Signed Tuesday 10/03/2026: withdrawal until Wednesday 25/03/2026 inclusive. A rupture on that day is refused.
    with pytest.raises(InputError, match="rétractation") as refused:
        rupture(store, entree="2021-01-01", salaire_reference=2000, signature="2026-03-10", sortie="2026-03-25")
    assert refused.value.field == "sortie"
    # Request received Thursday 26/03 at the earliest; fifteen jours ouvrables (Sundays and Easter Monday 06/04
    # left out): 27, 28, 30, 31/03, 1, 2, 3, 4, 7, 8, 9, 10, 11, 13, 14/04 → homologation on Tuesday 14/04,
    # rupture on 15/04/2026 at the earliest. A rupture on 01/04 is flagged, one on 15/04 is not.
    early = rupture(store, entree="2021-01-01", salaire_reference=2000, signature="2026-03-10", sortie="2026-04-01")
    assert early.details["rupture_au_plus_tot"] == "2026-04-15"
    assert any("avant le 15/04/2026" in c and "L1237-14" in c for c in early.conditions_unchecked)
    on_time = rupture(store, entree="2021-01-01", salaire_reference=2000, signature="2026-03-10", sortie="2026-04-15")
    assert not any("L1237-14" in c for c in on_time.conditions_unchecked)


def test_reference_salary_points_to_check(store: ArticleStore) -> None:
    # Sick leave in the reference months: the amount stands (2 000 × 1/4 × 9 years = 4 500,00 after 12 months
    # left out of 10 years) and the choice of the months before the leave is flagged.
    sick = licenciement(store, anciennete_mois=120, absences_mois=12, salaire_reference=2000)
    assert sick.to_dict()["value"] == "4500.00"
    assert any("mois précédant l'arrêt" in c for c in sick.conditions_unchecked)
    # Full time then part time: L3123-5's proportional rule is flagged with its article.
    mixed = licenciement(store, anciennete_mois=120, salaire_reference=2000, temps_complet_et_partiel=True)
    assert any("proportionnellement" in c and "L3123-5" in c for c in mixed.conditions_unchecked)
    assert not any("L3123-5" in c for c in sick.conditions_unchecked)


def test_special_indemnity_never_drops_a_higher_twelve_month_average_silently(store: ArticleStore) -> None:
    # L1226-16: the 3-month average (2 000) is the base: 2 × 2 000 × 1/4 × 5 = 5 000,00; the higher 12-month
    # average the user gave (2 400) is not used, and the result says so instead of dropping it.
    result = licenciement(store, anciennete_mois=60, moyenne_3_mois=2000, moyenne_12_mois=2400,
                          inaptitude_professionnelle=True)
    assert result.to_dict()["value"] == "5000.00"
    assert any("2 400,00 €" in c and "L1226-16" in c and "R1234-4" in c for c in result.conditions_unchecked)
    # Only the 12-month one: the 3-month one is asked (blocking), the 12-month one mentioned.
    only_twelve = licenciement(store, anciennete_mois=60, moyenne_12_mois=2400, inaptitude_professionnelle=True)
    assert only_twelve.incomplete and any(q.field == "moyenne_3_mois" and q.blocking for q in only_twelve.missing)
    assert any("2 400,00 €" in c for c in only_twelve.conditions_unchecked)
