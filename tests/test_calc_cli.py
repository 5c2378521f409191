"""`cdt calc` as users run it: the issue's example, JSON contract, help, list, check, errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from assistant.calculators.registry import CALCULATORS
from ui.cli import cdt


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cdt, ["calc", *args])
    return result.exit_code, result.stdout, result.stderr


def test_issue_example_prints_amount_formula_parameters_and_sources() -> None:
    code, out, _ = run("oeth", "--effectif", "120", "--beneficiaires", "4", "--annees-seuil", "5", "--date", "2026-12-31")
    assert code == 0
    assert "Résultat : 14 772,00 €" in out
    assert "3 × 400 × 12,31 € = 14 772,00 €" in out
    assert "taux d'emploi obligatoire : 6 % (L5212-2)" in out
    assert "SMIC horaire brut : 12,31 € depuis le 01/06/2026 (arrêté du 22 mai 2026)" in out
    assert "L5212-2 : https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037388717" in out
    assert "« proportion minimale de 6 % »" in out
    assert "Conditions vérifiées :" in out and "Questions :" in out and "(--beneficiaires-50-ans)" in out
    assert "convention collective" in out


def test_without_a_date_the_command_line_takes_today_as_the_reference_date() -> None:
    # The command line is where today's date is read; the amount it then gives moves with the SMIC
    # table, so it is checked on a literal reference date in test_calculators_oeth.py, not here.
    code, out, _ = run("oeth", "--effectif", "120", "--beneficiaires", "4", "--annees-seuil", "5")
    assert code == 0 and "3 × 400 × " in out
    assert f"SMIC en vigueur aujourd'hui ({dt.date.today():%d/%m/%Y})" in out
    assert "Pour quelle année la contribution est-elle due ? (--date)" in out


def test_json_shape() -> None:
    code, out, _ = run("oeth", "--effectif", "120", "--beneficiaires", "4", "--annees-seuil", "5", "--beneficiaires-50-ans", "2",
                       "--date", "2026-12-31", "--json")
    data = json.loads(out)
    assert code == 0 and list(data) == ["calculator", "value", "unit", "details", "formula", "sources", "missing"]
    assert data["calculator"] == "oeth" and data["value"] == "9848.00" and data["unit"] == "EUR"
    assert data["details"]["obligation"] == 7 and data["details"]["smic"]["hourly"] == "12.31"
    assert {"article": "L5212-2", "url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037388717",
            "phrase": "proportion minimale de 6 %"} in data["sources"]


@pytest.mark.parametrize(
    ("args", "value", "unit"),
    [
        (("indemnite-licenciement", "--anciennete-mois", "504", "--salaire-reference", "2500"), "32916.67", "EUR"),
        (("indemnite-licenciement", "--entree", "2025-01-01", "--sortie", "2025-08-31", "--salaire-reference", "1000"),
         "166.67", "EUR"),
        (("indemnite-licenciement", "--anciennete-mois", "8", "--salaire-reference", "1000",
          "--inaptitude-professionnelle"), "333.33", "EUR"),
        (("indemnite-licenciement", "--anciennete-mois", "60", "--salaire-reference", "1000", "--faute-grave"),
         "0.00", "EUR"),
        (("rupture-conventionnelle", "--anciennete-mois", "5", "--salaire-reference", "2000"), "208.33", "EUR"),
        (("activite-partielle", "--remuneration-horaire", "20", "--heures", "35", "--date", "2026-03-02"),
         "420.00", "EUR"),
        (("preavis-licenciement", "--anciennete-mois", "36", "--travailleur-handicape"), 3, "mois"),
        (("preavis-licenciement", "--anciennete-mois", "5"), None, "mois"),
        (("indemnite-fin-contrat", "--remuneration-totale", "3 000"), "300.00", "EUR"),
        (("indemnite-fin-contrat", "--remuneration-totale", "3000", "--refus-cdi"), "0.00", "EUR"),
        (("cej-eligibilite", "--naissance", "2000-05-01", "--date", "2026-05-01", "--rqth", "--non-etudiant",
          "--sans-formation"), True, "bool"),
        (("cej-eligibilite", "--naissance", "2000-05-01", "--date", "2026-05-01", "--sans-rqth"), False, "bool"),
    ],
)
def test_each_calculator_json_value(args: tuple[str, ...], value: object, unit: str) -> None:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["value"] == value and data["unit"] == unit and data["calculator"] == args[0]


def test_allocation_is_in_details() -> None:
    code, out, _ = run("activite-partielle", "--remuneration-horaire", "20", "--date", "2026-03-02", "--json")
    data = json.loads(out)
    assert data["value"] == "12.00" and data["details"]["allocation_horaire"] == "8.57"


def test_text_output_for_months_and_eligibility() -> None:
    assert "Résultat : 3 mois" in run("preavis-licenciement", "--anciennete-mois", "36", "--travailleur-handicape")[1]
    assert "Résultat : pas de durée légale" in run("preavis-licenciement", "--anciennete-mois", "5")[1]
    out = run("cej-eligibilite", "--naissance", "2004-01-01", "--date", "2026-03-01")[1]
    assert "Résultat : à confirmer" in out and "(--etudiant)" in out


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("oeth", "--effectif", "-5", "--beneficiaires", "1"), ["« effectif »", "négatif"]),
        (("oeth", "--effectif", "beaucoup", "--beneficiaires", "1"), ["« effectif »", "nombre attendu"]),
        (("oeth", "--effectif", "120"), ["« beneficiaires »", "Combien de bénéficiaires"]),
        (("indemnite-licenciement", "--entree", "2025-01-01", "--sortie", "2024-01-01", "--salaire-reference", "2000"),
         ["« sortie »", "précède"]),
        (("indemnite-licenciement", "--anciennete-mois", "2400", "--salaire-reference", "2000"),
         ["« anciennete-mois »", "75 ans"]),
        (("indemnite-licenciement", "--salaire-reference", "2000"), ["« anciennete-mois »"]),
        (("indemnite-licenciement", "--anciennete-mois", "12"), ["« salaire-reference »"]),
        (("activite-partielle", "--remuneration-horaire", "20", "--heures", "35", "--heures-formation", "40"),
         ["« heures-formation »", "dépasser"]),
        (("indemnite-fin-contrat", "--remuneration-totale", "10 000 %"), ["« remuneration-totale »", "nombre attendu"]),
        (("cej-eligibilite", "--naissance", "30/02/2001"), ["« naissance »", "n'est pas une date"]),
        (("oeth", "--effectif", "120", "--beneficiaires", "4", "--date", "2019-12-31"),
         ["« date »", "antérieur à la période couverte", "2018-771"]),
        (("oeth", "--effectif", "120", "--beneficiaires", "4", "--date", "2026-12-31"),
         ["« annees-seuil »", "années civiles consécutives"]),
        (("oeth", "--effectif", "120", "--beneficiaires", "4", "--date", "2019-12-31", "--smic", "10,03"),
         ["« date »", "antérieur à la période couverte"]),
        (("indemnite-licenciement", "--entree", "1985-01-01", "--sortie", "1995-03-01", "--salaire-reference", "2000"),
         ["« sortie »", "antérieur à la période couverte", "2017"]),
        (("activite-partielle", "--remuneration-horaire", "20", "--date", "2021-03-01", "--smic", "10,25"),
         ["« date »", "antérieur à la période couverte", "2021-671"]),
        (("cej-eligibilite", "--naissance", "2003-01-01", "--date", "2021-06-01"),
         ["« date »", "antérieur à la période couverte", "2022-199"]),
    ],
)
def test_bad_inputs_exit_1_with_a_french_message_naming_the_field(args: tuple[str, ...], fragments: list[str]) -> None:
    code, out, err = run(*args)
    assert code == 1 and out == ""
    assert err.startswith("Erreur : ")
    for fragment in fragments:
        assert fragment in err


def test_list() -> None:
    code, out, _ = run("--list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(CALCULATORS)


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_help_of_each_calculator(name: str) -> None:
    code, out, _ = run(name, "--help")
    assert code == 0 and "Usage:" in out and "--json" in out and "--smic" in out and "Articles :" in out
    for option in [f"--{n.replace('_', '-')}" for n, _, _ in CALCULATORS[name].inputs.fields()]:
        assert option in out


def test_issue_options_exist() -> None:
    expected = {
        "oeth": ["--effectif", "--beneficiaires", "--beneficiaires-50-ans", "--aucune-action-3-ans", "--date"],
        "activite-partielle": ["--remuneration-horaire", "--heures", "--date"],
        "indemnite-licenciement": ["--anciennete-mois", "--entree", "--sortie", "--salaire-reference",
                                   "--inaptitude-professionnelle", "--faute-grave"],
        "rupture-conventionnelle": ["--anciennete-mois", "--entree", "--sortie", "--salaire-reference",
                                    "--inaptitude-professionnelle", "--faute-grave"],
        "preavis-licenciement": ["--anciennete-mois", "--travailleur-handicape"],
        "indemnite-fin-contrat": ["--remuneration-totale"],
        "cej-eligibilite": ["--naissance", "--date", "--rqth", "--etudiant", "--en-formation"],
    }
    for name, options in expected.items():
        out = run(name, "--help")[1]
        assert all(option in out for option in options), name


def test_smic_override_on_the_command_line() -> None:
    code, out, _ = run("oeth", "--effectif", "120", "--beneficiaires", "4", "--annees-seuil", "5", "--smic", "12,50", "--date", "2026-12-31",
                       "--json")
    data = json.loads(out)
    assert data["value"] == "15000.00" and data["details"]["smic"]["source"] == "valeur fournie par l'utilisateur"


def test_parameter_check_command() -> None:
    code, out, _ = run("--verifier")
    assert code == 0 and "paramètres vérifiés" in out and "27/03/2026" in out


def test_calc_alone_shows_help() -> None:
    code, out, _ = run()
    assert code == 0 and "--list" in out and "oeth" in out


# Issue 16's cases on the command line: the figure worked by hand, or the refusal (exit 1) naming its field.
@pytest.mark.parametrize(
    ("args", "value"),
    [
        # 60 months with the accident du travail counted (L1226-7): 2 000 × 1/4 × 5 = 2 500,00.
        (("indemnite-licenciement", "--anciennete-mois", "60", "--arret-professionnel-mois", "12",
          "--salaire-reference", "2000"), "2500.00"),
        # 120 − 6 months (L1225-54): 2 500 × 114/48 = 5 937,50.
        (("indemnite-licenciement", "--anciennete-mois", "120", "--conge-parental-mois", "12",
          "--salaire-reference", "2500"), "5937.50"),
        # Notified 20/08/2025 after 7 months: nothing due, though 9 months at the end of notice.
        (("indemnite-licenciement", "--entree", "2025-01-01", "--notification", "2025-08-20", "--fin-preavis",
          "2025-09-30", "--salaire-reference", "2000"), "0.00"),
        # Intérim: 10 % × 3 000 = 300,00 (L1251-32).
        (("indemnite-fin-mission", "--remuneration-totale", "3000"), "300.00"),
        # OETH, 3 consecutive years at 20 or more: not subject yet (L130-1 CSS).
        (("oeth", "--effectif", "120", "--beneficiaires", "0", "--annees-seuil", "3", "--date", "2026-12-31"), "0.00"),
        # Hours of June 2023: allocation 36 % × 20 = 7,20 raised to that period's 8,21 € minimum; indemnity 12,00.
        (("activite-partielle", "--remuneration-horaire", "20", "--date", "2023-06-15", "--non-apprenti"), "12.00"),
    ],
)
def test_issue_cases_on_the_command_line(args: tuple[str, ...], value: str) -> None:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    assert json.loads(out)["value"] == value


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("activite-partielle", "--remuneration-horaire", "20", "--longue-duree"), ["« longue-duree »", "APLD"]),
        (("rupture-conventionnelle", "--anciennete-mois", "60", "--salaire-reference", "2000", "--faute-grave"),
         ["« faute-grave »", "sans objet"]),
        (("rupture-conventionnelle", "--entree", "2020-01-01", "--salaire-reference", "2000", "--signature",
          "2026-03-10", "--sortie", "2026-03-20"), ["« sortie »", "rétractation"]),
    ],
)
def test_issue_refusals_on_the_command_line(args: tuple[str, ...], fragments: list[str]) -> None:
    code, out, err = run(*args)
    assert code == 1 and out == ""
    assert all(f in err for f in fragments), err
