"""OETH contribution: expected values worked by hand from L5212-1, L5212-2, D5212-2, D5212-3,
D5212-20 to D5212-23 (SMIC of 31 December of the contribution year)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assistant.calculators.base import CalculationResult, InputError
from assistant.calculators.registry import get_calculator
from corpus.store import ArticleStore
from tests.conftest import TODAY

YEAR_2026 = "2026-12-31"  # SMIC at 31/12/2026: 12,31 € (arrêté du 22 mai 2026)


def oeth(store: ArticleStore, **values: object) -> CalculationResult:
    """Subject to the threshold for five years (L130-1 CSS) unless a test says otherwise."""
    return get_calculator("oeth").run({"annees_seuil": 5, **values}, store, TODAY)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # The issue's example: ⌊120 × 6 %⌋ = ⌊7,2⌋ = 7 required, 4 employed, 3 missing; 3 × 400 × 12,31 = 14 772,00.
        ({"effectif": 120, "beneficiaires": 4}, "14772.00"),
        # Two of the four aged 50+: 2 + 2 × 1,5 = 5 counted; 7 − 5 = 2 missing; 2 × 400 × 12,31 = 9 848,00.
        ({"effectif": 120, "beneficiaires": 4, "beneficiaires_50_ans": 2}, "9848.00"),
        # All four aged 50+: 4 × 1,5 = 6 counted; 1 missing; 400 × 12,31 = 4 924,00.
        ({"effectif": 120, "beneficiaires": 4, "beneficiaires_50_ans": 4}, "4924.00"),
        # Exactly at the threshold: ⌊20 × 6 %⌋ = ⌊1,2⌋ = 1; nobody employed: 1 × 400 × 12,31 = 4 924,00.
        ({"effectif": 20, "beneficiaires": 0, "aucune_action_3_ans": False}, "4924.00"),
        # 249 employees, still the 400 band: ⌊14,94⌋ = 14 missing; 14 × 400 × 12,31 = 68 936,00.
        ({"effectif": 249, "beneficiaires": 0, "aucune_action_3_ans": False}, "68936.00"),
        # 250 employees, 500 band: ⌊15⌋ = 15, 5 employed, 10 missing; 10 × 500 × 12,31 = 61 550,00.
        ({"effectif": 250, "beneficiaires": 5}, "61550.00"),
        # 749 employees: ⌊44,94⌋ = 44, 4 employed, 40 missing; 40 × 500 × 12,31 = 246 200,00.
        ({"effectif": 749, "beneficiaires": 4}, "246200.00"),
        # 750 employees, 600 band: ⌊45⌋ = 45, 5 employed, 40 missing; 40 × 600 × 12,31 = 295 440,00.
        ({"effectif": 750, "beneficiaires": 5}, "295440.00"),
        # No action for more than three years: ⌊100 × 6 %⌋ = 6; 6 × 1 500 × 12,31 = 110 790,00.
        ({"effectif": 100, "beneficiaires": 0, "aucune_action_3_ans": True}, "110790.00"),
        # Annual averages: ⌊120,5 × 6 %⌋ = ⌊7,23⌋ = 7; 4,5 employed; 2,5 × 400 × 12,31 = 12 310,00.
        ({"effectif": "120,5", "beneficiaires": "4,5"}, "12310.00"),
        # Obligation met: ⌊100 × 6 %⌋ = 6, 6 employed.
        ({"effectif": 100, "beneficiaires": 6}, "0.00"),
        # Obligation met thanks to the 1,5 weight: 3 + 2 × 1,5 = 6.
        ({"effectif": 100, "beneficiaires": 5, "beneficiaires_50_ans": 2}, "0.00"),
        # More than required: never a negative contribution.
        ({"effectif": 100, "beneficiaires": 12}, "0.00"),
    ],
)
def test_contribution(store: ArticleStore, values: dict, expected: str) -> None:
    result = oeth(store, date=YEAR_2026, **values)
    assert result.to_dict()["value"] == expected
    assert result.unit == "EUR"
    assert result.value >= 0


def test_issue_example_formula_parameters_and_sources(store: ArticleStore) -> None:
    result = oeth(store, effectif=120, beneficiaires=4, date=YEAR_2026)
    assert result.details["obligation"] == 7 and result.details["manquants"] == "3"
    assert "⌊120 × 6 %⌋ = 7" in result.formula
    assert "3 × 400 × 12,31 € = 14 772,00 €" in result.formula
    used = {p.name for p in result.parameters}
    assert used >= {"seuil_assujettissement", "taux_oeth", "arrondi_obligation", "montant_20_249"}
    assert result.smic.hourly == Decimal("12.31") and "22 mai 2026" in result.smic.source
    articles = [s.article for s in result.sources]
    assert {"L5212-1", "L5212-2", "D5212-2", "D5212-20"} <= set(articles)
    assert all(s.url and s.url.startswith("https://www.legifrance.gouv.fr/") for s in result.sources)
    # beneficiaries aged 50+ not given: asked, and said to be counted as none
    assert any(q.field == "beneficiaires_50_ans" for q in result.missing)
    assert any("50 ans" in c for c in result.conditions_unchecked)
    assert "convention collective" in result.note


def test_under_twenty_employees_is_not_subject(store: ArticleStore) -> None:
    result = oeth(store, effectif=19, beneficiaires=0)
    assert result.value == 0 and result.details["assujetti"] is False
    assert "non assujettie" in result.summary.lower()
    assert any("L5212-1" in c for c in result.conditions_checked)
    assert result.smic is None  # nothing to price


def test_smic_of_31_december_of_the_contribution_year(store: ArticleStore) -> None:
    # Any date of 2024 → SMIC of 31/12/2024 = 11,88 €: 3 × 400 × 11,88 = 14 256,00.
    assert oeth(store, effectif=120, beneficiaires=4, date="2024-03-15").to_dict()["value"] == "14256.00"
    # 2023 → 31/12/2023 = 11,52 € (arrêté du 26 avril 2023): 3 × 400 × 11,52 = 13 824,00.
    result = oeth(store, effectif=120, beneficiaires=4, date="2023-01-10")
    assert result.to_dict()["value"] == "13824.00" and result.smic.since == dt.date(2023, 5, 1)


def test_without_a_year_the_smic_of_the_reference_date_is_used_and_the_year_asked(store: ArticleStore) -> None:
    # Reference date 01/06/2026: SMIC 12,31 € (since 01/06/2026); 3 × 400 × 12,31 = 14 772,00.
    result = oeth(store, effectif=120, beneficiaires=4)
    assert result.to_dict()["value"] == "14772.00" and result.smic.since == dt.date(2026, 6, 1)
    assert any("SMIC en vigueur aujourd'hui (01/06/2026)" in c for c in result.conditions_unchecked)
    assert any(q.field == "date" for q in result.missing)


def test_years_before_the_reform_are_refused_even_with_a_smic(store: ArticleStore) -> None:
    # The 2020 reform (loi n° 2018-771, décrets of 27 May 2019) set today's rules: 2019 is out of the period
    # covered, with or without a SMIC given, and the message names the period and its source.
    for extra in ({}, {"smic": "10,03"}):
        with pytest.raises(InputError, match="antérieur à la période couverte") as refused:
            oeth(store, effectif=120, beneficiaires=4, date="2019-06-30", **extra)
        assert refused.value.field == "date" and "2018-771" in str(refused.value) and "2020" in str(refused.value)
    # 2021: SMIC of 31/12/2021 = 10,48 € (arrêté du 27 septembre 2021): 3 × 400 × 10,48 = 12 576,00.
    result = oeth(store, effectif=120, beneficiaires=4, date="2021-03-01")
    assert result.to_dict()["value"] == "12576.00" and "27 septembre 2021" in result.smic.source


def test_user_smic_overrides_the_table(store: ArticleStore) -> None:
    # 3 × 400 × 12,50 = 15 000,00
    assert oeth(store, effectif=120, beneficiaires=4, date=YEAR_2026, smic="12.50").to_dict()["value"] == "15000.00"


def test_no_action_question_only_without_beneficiaries(store: ArticleStore) -> None:
    asked = oeth(store, effectif=120, beneficiaires=0, date=YEAR_2026)
    assert any(q.field == "aucune_action_3_ans" for q in asked.missing)
    employing = oeth(store, effectif=120, beneficiaires=1, date=YEAR_2026)
    assert not any(q.field == "aucune_action_3_ans" for q in employing.missing)


def test_deductions_with_caps(store: ArticleStore) -> None:
    # 120 employees, 1 employed: 6 missing, gross 6 × 400 × 12,31 = 29 544,00.
    # Direct rate 1/120 ≈ 0,83 % < 3 % (half of 6 %): contracts cap 50 % = 14 772,00.
    # Contracts 10 000 → 30 % = 3 000,00 (under the cap); expenses 5 000 → cap 10 % = 2 954,40.
    # Net: 29 544,00 − 3 000,00 − 2 954,40 = 23 589,60.
    result = oeth(store, effectif=120, beneficiaires=1, date=YEAR_2026, contrats_sous_traitance=10_000,
                  depenses_deductibles=5_000)
    assert result.details["contribution_brute"] == "29544.00"
    assert result.details["deduction_contrats"] == "3000.00"
    assert result.details["deduction_depenses"] == "2954.40"
    assert result.to_dict()["value"] == "23589.60"
    # Contracts 100 000 → 30 000 capped at 50 % of 29 544 = 14 772,00.
    capped = oeth(store, effectif=120, beneficiaires=1, date=YEAR_2026, contrats_sous_traitance=100_000)
    assert capped.details["deduction_contrats"] == "14772.00" and capped.to_dict()["value"] == "14772.00"


def test_contract_deduction_cap_rises_to_75_percent_at_half_the_rate(store: ArticleStore) -> None:
    # 100 employees, 3 employed: rate 3 % = half of 6 % → cap 75 %. 3 missing: 3 × 400 × 12,31 = 14 772,00.
    # Contracts 50 000 → 15 000 capped at 75 % × 14 772 = 11 079,00 → net 3 693,00.
    result = oeth(store, effectif=100, beneficiaires=3, date=YEAR_2026, contrats_sous_traitance=50_000)
    assert result.details["deduction_contrats"] == "11079.00"
    assert result.to_dict()["value"] == "3693.00"
    assert any("75 %" in c for c in result.conditions_checked)


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"effectif": -5, "beneficiaires": 1}, "effectif", "négatif"),
        ({"effectif": "cent vingt", "beneficiaires": 1}, "effectif", "nombre attendu"),
        ({"effectif": 120, "beneficiaires": -1}, "beneficiaires", "négatif"),
        ({"effectif": 120, "beneficiaires": 2, "beneficiaires_50_ans": 3}, "beneficiaires_50_ans", "dépasser"),
        ({"effectif": 120, "beneficiaires": 2, "aucune_action_3_ans": True}, "aucune_action_3_ans", "contradictoire"),
        ({"effectif": 10**9, "beneficiaires": 2}, "effectif", "invraisemblable"),
        ({"effectif": 120, "beneficiaires": 2, "date": "32/12/2025"}, "date", "date"),
        ({"effectif": 120, "beneficiaires": 2, "contrats_sous_traitance": "-10"}, "contrats_sous_traitance", "négatif"),
        ({"effectif": 120, "beneficiaires": 2, "smic": "0"}, "smic", "au moins"),
        ({"effectif": 120, "salaries_handicapes": 2}, "salaries_handicapes", "ne l'utilise pas"),
    ],
)
def test_bad_inputs_name_the_field(store: ArticleStore, values: dict, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        oeth(store, **values)
    assert caught.value.field == field
    assert field.replace("_", "-") in str(caught.value) and words in str(caught.value)


def test_missing_required_inputs_are_questions_not_defaults(store: ArticleStore) -> None:
    result = oeth(store, effectif=120)
    assert result.value is None and result.incomplete
    assert [q.field for q in result.missing] == ["beneficiaires"] and result.missing[0].blocking


def test_twenty_employees_count_only_after_five_consecutive_years(store: ArticleStore) -> None:
    # L5212-1 → L130-1 II CSS: 120 employees for 4 consecutive years (the contribution year included) → not subject yet.
    young = oeth(store, effectif=120, beneficiaires=0, annees_seuil=4, date=YEAR_2026)
    assert young.to_dict()["value"] == "0.00" and young.details["assujetti"] is False
    assert any("L130-1 du code de la sécurité sociale" in c for c in young.conditions_checked)
    source = next(s for s in young.sources if s.article == "L130-1 CSS")
    assert source.url.endswith("LEGIARTI000051287151") and "cinq années civiles consécutives" in source.phrase
    # The fifth year: subject; ⌊120 × 6 %⌋ = 7 missing × 400 × 12,31 = 34 468,00.
    fifth = oeth(store, effectif=120, beneficiaires=0, annees_seuil=5, aucune_action_3_ans=False, date=YEAR_2026)
    assert fifth.to_dict()["value"] == "34468.00"
    # Unknown: no contribution until it is answered, and the texts' lack of a transitional rule is said.
    unknown = get_calculator("oeth").run({"effectif": 120, "beneficiaires": 0, "date": YEAR_2026}, store, TODAY)
    assert unknown.incomplete and [q.field for q in unknown.missing if q.blocking] == ["annees_seuil"]
    assert any("disposition transitoire" in c and "2019-486" in c for c in unknown.conditions_unchecked)


def test_the_social_security_article_is_cited_as_another_codes(store: ArticleStore) -> None:
    # An answer brackets only Code du travail articles: L130-1 of the Code de la sécurité sociale is named in prose,
    # which the citation check leaves as written (a bracketed « [L130-1 CSS] » was removed as unknown).
    from assistant.citations import check_citations

    result = oeth(store, effectif=120, beneficiaires=0, annees_seuil=4, date=YEAR_2026)
    source = next(s for s in result.sources if s.article == "L130-1 CSS")
    line = f"« {source.phrase} » {source.cited()}"
    assert source.cited() == "(L130-1 du code de la sécurité sociale)"
    checked = check_citations(line, [s.article for s in result.sources], store)
    assert checked.text == line and checked.notices == []
