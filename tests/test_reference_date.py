"""Time is an input: the reference date (« today ») is given to the calculators, the gate and the
rescrit draft, so the same question on the same date gives the same answer, and another date can
give another one — the SMIC in force, a year still to come, the date of the draft."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant import rescrit
from assistant.calculators.base import InputError
from assistant.calculators.registry import get_calculator
from assistant.chain import chain_input
from assistant.scope import gate
from corpus.store import ArticleStore
from tests.conftest import TODAY

# SMIC horaire brut: 11,88 € from 01/11/2024 (décret n° 2024-951), 12,31 € from 01/06/2026 (arrêté du 22 mai 2026).
IN_2025 = dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("name", "values", "on_2025", "on_2026"),
    [
        # No contribution year: the SMIC of the reference date. 3 missing × 400 × 11,88 / × 12,31.
        ("oeth", {"effectif": 120, "beneficiaires": 4, "annees_seuil": 5}, "14256.00", "14772.00"),
        # No date for the hours: the SMIC of the reference date caps the pay at 4,5 × SMIC; 60 % of the cap:
        # 0,6 × 4,5 × 11,88 = 32,076 → 32,08 ; 0,6 × 4,5 × 12,31 = 33,237 → 33,24.
        ("activite-partielle", {"remuneration_horaire": 100}, "32.08", "33.24"),
        # No date of assessment: born 01/09/1999, 25 on 01/06/2025 (eligible), 26 on 01/06/2026 (not, without RQTH).
        ("cej-eligibilite", {"naissance": "1999-09-01", "rqth": False, "etudiant": False, "en_formation": False},
         True, False),
    ],
)
def test_same_facts_same_date_same_result_another_date_another(
        store: ArticleStore, name: str, values: dict, on_2025: object, on_2026: object) -> None:
    calculator = get_calculator(name)
    first, again = (calculator.run(values, store, TODAY).to_dict() for _ in range(2))
    assert first == again and first["value"] == on_2026
    assert calculator.run(values, store, IN_2025).to_dict()["value"] == on_2025


def test_a_date_in_the_facts_makes_the_reference_date_irrelevant(store: ArticleStore) -> None:
    values = {"remuneration_horaire": 100, "date": "2026-03-02"}
    calculator = get_calculator("activite-partielle")
    assert calculator.run(values, store, IN_2025).to_dict() == calculator.run(values, store, TODAY).to_dict()


def test_a_contribution_year_still_open_on_the_reference_date_is_flagged(store: ArticleStore) -> None:
    values = {"effectif": 120, "beneficiaires": 4, "annees_seuil": 5, "date": "2026-12-31"}
    calculator = get_calculator("oeth")
    flag = "Le 31 décembre 2026 n'est pas encore passé"
    assert any(flag in c for c in calculator.run(values, store, TODAY).conditions_unchecked)
    assert not any(flag in c for c in calculator.run(values, store, dt.date(2027, 1, 15)).conditions_unchecked)


def test_a_birth_after_the_reference_date_is_refused_naming_that_date(store: ArticleStore) -> None:
    with pytest.raises(InputError, match="01/06/2026") as caught:
        get_calculator("cej-eligibilite").run({"naissance": "2026-07-01"}, store, TODAY)
    assert caught.value.field == "naissance"


def test_the_future_is_after_the_year_of_the_reference_date() -> None:
    question = "Quel sera le SMIC horaire en 2027 ?"
    assert gate(question, TODAY).reason == "futur"
    assert gate(question, dt.date(2027, 3, 1)).reason is None


def test_the_rescrit_draft_is_dated_on_the_reference_date(store: ArticleStore) -> None:
    text = rescrit.draft("Nous avons 120 salariés.", [], None, store, TODAY)
    assert "*Préparé le 01/06/2026 à partir du Code du travail consolidé au 27/03/2026." in text


def test_the_chain_keeps_the_date_it_is_given_and_reads_the_clock_only_without_one() -> None:
    assert chain_input("Question ?", today=TODAY).today == TODAY
    assert chain_input("Question ?").today == dt.date.today()
