"""What every calculator shares: the SMIC table, French formatting, dates, input coercion, the
result's JSON contract, and the rule that every parameter used is declared (so drift-checked)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from assistant.calculators import formatting as fr
from assistant.calculators.base import InputError
from assistant.calculators.dates import (
    add_months, age_on, complete_months, easter, parse_date, postpone_to_working_day, public_holidays,
)
from assistant.calculators.registry import CALCULATORS, get_calculator
from assistant.calculators.smic import SMIC_TABLE, resolve_smic, smic_on
from corpus.errors import CorpusError
from corpus.store import ArticleStore
from tests.conftest import TODAY

# One realistic case per calculator, reused by the contract tests below.
EXAMPLES = {
    "oeth": {"effectif": 120, "beneficiaires": 4, "annees_seuil": 5, "date": "2026-12-31"},
    "activite-partielle": {"remuneration_horaire": 20, "heures": 35, "date": "2026-03-02"},
    "indemnite-licenciement": {"anciennete_mois": 12, "salaire_reference": 2000},
    "rupture-conventionnelle": {"anciennete_mois": 12, "salaire_reference": 2000, "signature": "2026-03-10"},
    "preavis-licenciement": {"anciennete_mois": 36, "travailleur_handicape": True},
    "indemnite-fin-contrat": {"remuneration_totale": 3000},
    "indemnite-fin-mission": {"remuneration_totale": 3000},
    "cej-eligibilite": {"naissance": "2004-06-01", "date": "2026-03-01", "etudiant": False, "en_formation": False},
}


def test_every_calculator_has_an_example() -> None:
    assert list(CALCULATORS) == list(EXAMPLES)
    with pytest.raises(CorpusError, match="oeth"):
        get_calculator("prime-de-noel")


@pytest.mark.parametrize(
    ("day", "hourly", "source"),
    [
        ("2023-01-01", "11.27", "décret n° 2022-1608 du 22 décembre 2022"),
        ("2023-04-30", "11.27", "décret n° 2022-1608 du 22 décembre 2022"),
        ("2023-05-01", "11.52", "arrêté du 26 avril 2023"),
        ("2023-12-31", "11.52", "arrêté du 26 avril 2023"),
        ("2024-01-01", "11.65", "décret n° 2023-1216 du 20 décembre 2023"),
        ("2024-10-31", "11.65", "décret n° 2023-1216 du 20 décembre 2023"),
        ("2024-11-01", "11.88", "décret n° 2024-951 du 23 octobre 2024"),
        ("2025-12-31", "11.88", "décret n° 2024-951 du 23 octobre 2024"),
        ("2026-01-01", "12.02", "décret n° 2025-1228 du 17 décembre 2025"),
        ("2026-05-31", "12.02", "décret n° 2025-1228 du 17 décembre 2025"),
        ("2026-06-01", "12.31", "arrêté du 22 mai 2026"),
        ("2017-01-01", "9.76", "décret n° 2016-1818 du 22 décembre 2016"),
        ("2021-09-30", "10.25", "décret n° 2020-1598 du 16 décembre 2020"),
        ("2021-10-01", "10.48", "arrêté du 27 septembre 2021"),
        ("2022-05-01", "10.85", "arrêté du 19 avril 2022"),
        ("2022-08-01", "11.07", "arrêté du 29 juillet 2022"),
    ],
)
def test_smic_in_force_on_the_date_of_the_facts(day: str, hourly: str, source: str) -> None:
    rate = smic_on(dt.date.fromisoformat(day))
    assert rate.hourly == Decimal(hourly) and rate.source == source


def test_smic_table_is_dated_and_ordered_and_refuses_earlier_dates() -> None:
    assert [r.since for r in SMIC_TABLE] == sorted(r.since for r in SMIC_TABLE)
    assert all(r.source.startswith(("décret n° ", "arrêté du ")) for r in SMIC_TABLE)
    with pytest.raises(InputError) as caught:
        smic_on(dt.date(2016, 12, 31))
    assert caught.value.field == "smic" and "01/01/2017" in str(caught.value)
    user = resolve_smic(Decimal("12.5"), dt.date(2020, 1, 1))
    assert user.hourly == Decimal("12.5") and user.since is None


@pytest.mark.parametrize(
    ("value", "text"),
    [("14424", "14 424,00 €"), ("0", "0,00 €"), ("32916.666", "32 916,67 €"), ("0.005", "0,01 €"),
     ("1234567.891", "1 234 567,89 €"), ("999.995", "1 000,00 €")],
)
def test_euros_in_french(value: str, text: str) -> None:
    assert fr.euros(Decimal(value)) == text


def test_numbers_rates_and_months_in_french() -> None:
    assert fr.number(Decimal("1500")) == "1 500" and fr.number(Decimal("2.50")) == "2,5"
    assert fr.percent(Decimal("0.06")) == "6 %" and fr.percent(Decimal("0.36")) == "36 %"
    assert fr.months(78) == "6 ans et 6 mois" and fr.months(12) == "1 an" and fr.months(5) == "5 mois"


@pytest.mark.parametrize(
    ("text", "day"),
    [("2019-03-03", dt.date(2019, 3, 3)), ("03/03/2019", dt.date(2019, 3, 3)), ("3 mars 2019", dt.date(2019, 3, 3)),
     ("1er août 2025", dt.date(2025, 8, 1)), ("15 Septembre 2025", dt.date(2025, 9, 15)), ("demain", None)],
)
def test_parse_date(text: str, day: dt.date | None) -> None:
    assert parse_date(text) == day


def test_impossible_date_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_date("31 février 2024")


@pytest.mark.parametrize(
    ("first", "last", "months"),
    [
        ("2024-01-01", "2024-12-31", 12),  # both days included
        ("2024-01-01", "2024-12-30", 11),
        # 31/01 + one month = 29/02 (clamped to the month's end): 31/01–28/02 inclusive is one month
        ("2024-01-31", "2024-02-28", 1),
        ("2024-01-31", "2024-02-27", 0),
        ("2019-03-03", "2025-09-15", 78),
        ("2024-05-10", "2024-05-10", 0),
    ],
)
def test_complete_months(first: str, last: str, months: int) -> None:
    assert complete_months(dt.date.fromisoformat(first), dt.date.fromisoformat(last)) == months


def test_calendar_helpers() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert age_on(dt.date(2000, 5, 1), dt.date(2026, 4, 30)) == 25
    assert [easter(y) for y in (2024, 2025, 2026)] == [dt.date(2024, 3, 31), dt.date(2025, 4, 20), dt.date(2026, 4, 5)]
    holidays_2026 = public_holidays(2026)
    assert len(holidays_2026) == 11
    # lundi de Pâques, Ascension, lundi de Pentecôte
    assert {dt.date(2026, 4, 6), dt.date(2026, 5, 14), dt.date(2026, 5, 25)} <= holidays_2026
    assert postpone_to_working_day(dt.date(2026, 7, 14)) == dt.date(2026, 7, 15)
    assert postpone_to_working_day(dt.date(2026, 7, 13)) == dt.date(2026, 7, 13)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("2 500,50 €", Decimal("2500.50")), ("2500.5", Decimal("2500.5")), ("2\u202f500", Decimal("2500")),
     (2500, Decimal("2500")), (2500.5, Decimal("2500.5"))],
)
def test_amounts_are_read_as_written_in_french(store: ArticleStore, raw: object, value: Decimal) -> None:
    result = get_calculator("indemnite-fin-contrat").run({"remuneration_totale": raw}, store, TODAY)
    assert result.details["inputs"]["remuneration_totale"] == str(value)


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "1e3", "", "12,5,3", True])
def test_non_numbers_are_refused(store: ArticleStore, raw: object) -> None:
    with pytest.raises(InputError, match="remuneration-totale"):
        get_calculator("indemnite-fin-contrat").run({"remuneration_totale": raw}, store, TODAY)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_json_contract(store: ArticleStore, name: str) -> None:
    data = get_calculator(name).run(EXAMPLES[name], store, TODAY).to_dict()
    assert list(data) == ["calculator", "value", "unit", "details", "formula", "sources", "missing"]
    assert data["calculator"] == name and data["unit"] in ("EUR", "mois", "bool")
    if data["unit"] == "EUR":
        whole, _, cents = data["value"].partition(".")
        assert whole.isdigit() and len(cents) == 2 and cents.isdigit()
    elif data["unit"] == "mois":
        assert isinstance(data["value"], int)
    else:
        assert isinstance(data["value"], bool)
    assert data["formula"]
    for key in ("summary", "parameters", "smic", "conditions_checked", "conditions_unchecked", "note", "inputs"):
        assert key in data["details"]
    assert "convention collective" in data["details"]["note"]
    assert data["sources"] and all({"article", "url", "phrase"} == set(s) for s in data["sources"])
    assert all({"field", "option", "question", "blocking"} == set(q) for q in data["missing"])


def test_missing_inputs_are_named_once_and_asked_once(store: ArticleStore) -> None:
    """The summary names the facts; the questions are in ``missing`` (every reader lists them after it). The
    summary repeated the questions word for word, and a label's article (« (L5212-13) ») was removed from the
    answer by the citation check, not being retrieved for it."""
    result = get_calculator("oeth").run({}, store, TODAY)
    assert result.value is None and [q.field for q in result.missing] == ["effectif", "beneficiaires"]
    assert result.summary == ("Informations manquantes : effectif d'assujettissement (moyenne annuelle des salariés) ; "
                              "bénéficiaires de l'obligation d'emploi employés.")
    assert not any(q.question in result.summary for q in result.missing)


# Grids of plausible and edge inputs: no amount may ever come out negative.
_GRIDS = {
    "oeth": {"effectif": [0, 19, 20, 119.5, 250, 5000], "beneficiaires": [0, 3, 400], "date": ["2026-12-31"],
             "annees_seuil": [None, 1, 5],
             "contrats_sous_traitance": [None, 10**7], "depenses_deductibles": [None, 10**7]},
    "activite-partielle": {"remuneration_horaire": ["0.01", 5, 20, 500], "heures": [0, 1, 151.67],
                           "date": ["2026-03-02"], "apprenti": [None, True],
                           "interimaire_ou_temps_partiel": [None, True, False]},
    "indemnite-licenciement": {"anciennete_mois": [0, 7, 8, 120, 900], "salaire_reference": ["0.01", 1801.80, 90000],
                               "inaptitude_professionnelle": [None, True], "faute_grave": [None, True]},
    "rupture-conventionnelle": {"anciennete_mois": [0, 1, 119, 121], "salaire_reference": ["0.01", 2500]},
    "indemnite-fin-contrat": {"remuneration_totale": [0, "0.04", 3000], "accord_6_pourcent": [None, True]},
    "indemnite-fin-mission": {"remuneration_totale": [0, "0.04", 3000], "cdi_entreprise_utilisatrice": [None, True]},
}


@pytest.mark.parametrize("name", list(_GRIDS))
def test_never_a_negative_amount(store: ArticleStore, name: str) -> None:
    grid = _GRIDS[name]
    calculator = get_calculator(name)
    for combination in itertools.product(*grid.values()):
        result = calculator.run(dict(zip(grid, combination)), store, TODAY)
        assert result.value is None or result.value >= 0, combination


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_parameter_used_is_declared(store: ArticleStore, name: str) -> None:
    """run() itself refuses a parameter whose phrase left its article, but only declared parameters
    are checked after a corpus update (`cdt calc --verifier`): one used without being declared would
    escape that check. The example and every grid case, so that each branch's parameters are seen."""
    calculator = get_calculator(name)
    cases = [EXAMPLES[name]]
    if grid := _GRIDS.get(name):
        cases += [dict(zip(grid, combination)) for combination in itertools.product(*grid.values())]
    used = {p for case in cases for p in calculator.run(case, store, TODAY).parameters}
    assert used <= set(calculator.parameters), sorted(p.name for p in used - set(calculator.parameters))


def test_smic_given_to_a_calculator_that_does_not_use_it_is_said_unused(store: ArticleStore) -> None:
    result = get_calculator("indemnite-fin-contrat").run({"remuneration_totale": 3000, "smic": 12}, store, TODAY)
    assert result.to_dict()["value"] == "300.00"
    assert "n'intervient pas" in result.conditions_checked[-1]
