"""Every legal parameter of the calculators, bound to the article and the words that carry it.

Each value (6 %, 400 fois, 60 %, 4,5 fois, 8,57 euros, un quart de mois…) is declared once, with
its article number and the exact phrase of the current text in which it appears. The drift check
(`drift.py`) and every calculation verify that the phrase is still in the article in force, so
that a change of the law after `cdt corpus update` stops the calculators instead of letting them
compute with an outdated figure. Rules without a number (« arrondi à l'entier inférieur ») are
declared the same way: they are as much a part of the formula as the numbers.

Comparison ignores only differences of spacing and apostrophes (the official texts mix
non-breaking spaces and typographic apostrophes); any other change of wording is reported.

Each value is also dated from its legal source, in the manner of OpenFisca-France's parameters:
``since`` names the text that set it and the first day of the facts it applies to (a dismissal
notified, hours chômées, a contribution year…). It is not the date of the article's consolidated
version, which moves with unrelated amendments. A calculation whose facts are older than a value
it needs is refused (``Trace.use``), with the period covered, rather than computed with today's
law. Where a rule is older than the recodified code, the earliest date stated is its entry into
force on 1 May 2008: the calculators cite the recodified articles, not their predecessors. A value
that changed and whose earlier amounts are sourced (the allocation's hourly minimum) carries them
in ``earlier``, each with its decree; only the current one can be checked against the corpus.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Generic, TypeVar

from corpus.errors import CorpusError, UnknownArticle
from corpus.store import ArticleStore
from corpus.text_forms import verbatim_form

from assistant.calculators import formatting as fr

T = TypeVar("T", Decimal, int, Fraction, str)


@dataclass(frozen=True)
class Since:
    """When a value starts to apply, and the text that says so."""

    day: dt.date
    source: str  # the law or decree that set the value, and the facts it applies to from ``day``


@dataclass(frozen=True)
class Earlier(Generic[T]):
    """A value that applied before the current one, from ``since.day`` until the next one."""

    value: T
    since: Since


class OutOfPeriod(CorpusError):
    """Facts older than the first sourced value of a parameter: the calculator does not know the law
    that applied then."""

    def __init__(self, parameter: Parameter, day: dt.date) -> None:
        first = parameter.earlier[0].since if parameter.earlier else parameter.since
        super().__init__(
            f"le {fr.date_fr(day)} est antérieur à la période couverte : ce calculateur applique « "
            f"{parameter.label} » ({parameter.article}) à partir du {fr.date_fr(first.day)} ({first.source}) ; "
            "les règles antérieures ne sont pas dans ses paramètres"
        )
        self.parameter = parameter


@dataclass(frozen=True)
class Parameter(Generic[T]):
    """One legal value and its source: ``phrase`` must appear in the text of ``article``; the value
    applies to facts from ``since.day`` (earlier sourced values in ``earlier``, oldest first)."""

    name: str
    value: T
    article: str
    phrase: str
    label: str  # what the value is, in French, for the result's list of parameters
    unit: str = ""  # "%", "fois", "€", "mois", "ans", "jours" or "" (a rule stated in words)
    since: Since = field(kw_only=True)
    earlier: tuple[Earlier[T], ...] = field(default=(), kw_only=True)

    def on(self, day: dt.date) -> Parameter[T]:
        """The parameter as it applied to facts of ``day``: itself, or an earlier value with its own
        source; OutOfPeriod before the first sourced value."""
        if day >= self.since.day:
            return self
        applicable = [e for e in self.earlier if e.since.day <= day]
        if not applicable:
            raise OutOfPeriod(self, day)
        return replace(self, value=applicable[-1].value, since=applicable[-1].since, earlier=())

    def shown(self) -> str:
        """The value as a reader expects it: « 6 % », « 400 fois », « 1/4 », « 8,57 € »."""
        value = self.value
        if isinstance(value, Fraction):
            return fr.fraction(value)
        if isinstance(value, str):
            return value
        if self.unit == "%":
            return fr.percent(Decimal(value))
        if self.unit == "€":
            return fr.euros(Decimal(value))
        return f"{fr.number(value)} {self.unit}".strip()


def drift_reason(parameter: Parameter, store: ArticleStore) -> str | None:
    """Why ``parameter`` is no longer backed by the law in ``store``; None when it still is."""
    try:
        article = store.get(parameter.article)
    except UnknownArticle:
        return f"l'article {parameter.article} n'existe plus dans le corpus"
    if not article.in_force:
        return f"l'article {parameter.article} n'est plus en vigueur ({article.status.label_fr})"
    if verbatim_form(parameter.phrase) not in verbatim_form(article.text):
        return f"l'article {parameter.article} ne contient plus « {parameter.phrase} »"
    return None


@dataclass(frozen=True)
class DriftFailure:
    """A parameter whose phrase is gone from its article, and which calculator relies on it."""

    calculator: str
    parameter: Parameter
    reason: str

    def describe(self) -> str:
        return (f"calculateur {self.calculator}, paramètre {self.parameter.name} "
                f"({self.parameter.shown()}) : {self.reason}")


class ParameterDrift(CorpusError):
    """The law in the corpus no longer carries a value a calculator uses: refuse to compute."""

    def __init__(self, failures: list[DriftFailure], consolidation_date: dt.date | None) -> None:
        lines = "\n".join(f"  - {f.describe()}" for f in failures)
        super().__init__(
            f"{len(failures)} paramètre(s) des calculateurs ne figurent plus dans le Code du travail "
            f"consolidé au {consolidation_date} :\n{lines}\n"
            "Relisez ces articles et mettez à jour assistant/calculators/parameters.py (valeur et phrase) "
            "avant toute nouvelle utilisation de ces calculateurs."
        )
        self.failures = failures


def drift_failures(calculator: str, parameters: Iterable[Parameter], store: ArticleStore) -> list[DriftFailure]:
    """The parameters of ``calculator`` that the articles in ``store`` no longer carry."""
    return [
        DriftFailure(calculator, parameter, reason)
        for parameter in parameters
        if (reason := drift_reason(parameter, store)) is not None
    ]


# --- When the values apply, and the texts that say so -------------------------------------------
CODE_2008 = Since(dt.date(2008, 5, 1), "Code du travail recodifié (ordonnance n° 2007-329 du 12 mars 2007, loi "
                  "n° 2008-67 du 21 janvier 2008), en vigueur depuis le 1er mai 2008")
LOI_2008_596 = Since(dt.date(2008, 6, 27), "loi n° 2008-596 du 25 juin 2008, qui crée la rupture conventionnelle, "
                     "en vigueur depuis le 27 juin 2008")
ORDONNANCE_2017_1387 = Since(dt.date(2017, 9, 24), "ordonnance n° 2017-1387 du 22 septembre 2017 : licenciements "
                             "prononcés depuis le 24 septembre 2017")
DECRET_2017_1398 = Since(dt.date(2017, 9, 27), "décret n° 2017-1398 du 25 septembre 2017, art. 4 : licenciements "
                         "prononcés et ruptures conventionnelles conclues depuis le 27 septembre 2017")
DECRET_2021_671 = Since(dt.date(2021, 7, 1), "décret n° 2021-671 du 28 mai 2021 : heures chômées depuis le 1er "
                        "juillet 2021")
DECRET_2021_674 = Since(dt.date(2021, 7, 1), "décret n° 2021-674 du 28 mai 2021 : heures chômées depuis le 1er "
                        "juillet 2021")
# R5122-4's fifteen days are older; their earlier wording was not checked, so they are stated from the
# first day the activité partielle calculator covers.
AP_DEMANDE = Since(dt.date(2021, 7, 1), "R5122-4 dans sa rédaction en vigueur, appliquée depuis le 1er juillet "
                   "2021, début de la période que couvre le calculateur")
PLANCHER_2026 = Since(dt.date(2026, 1, 1), "décret n° 2026-35 du 29 janvier 2026 : heures chômées depuis le 1er "
                      "janvier 2026")
OETH_2020 = Since(dt.date(2020, 1, 1), "loi n° 2018-771 du 5 septembre 2018 et décrets n° 2019-521, 2019-522 et "
                  "2019-523 du 27 mai 2019 : obligation due au titre de 2020 et des années suivantes")
CEJ_2022 = Since(dt.date(2022, 3, 1), "loi n° 2021-1900 du 30 décembre 2021 (art. 208) et décret n° 2022-199 du 18 "
                 "février 2022 : contrat d'engagement jeune depuis le 1er mars 2022")
# D5122-13's hourly minimum before décret n° 2026-35, each for the hours chômées from its date.
PLANCHER_ANTERIEURS: tuple[Earlier[Decimal], ...] = tuple(
    Earlier(Decimal(value), Since(day, f"{decree} : heures chômées depuis le {fr.date_fr(day)}"))
    for value, day, decree in (
        ("7.47", dt.date(2021, 10, 1), "décret n° 2021-1252 du 29 septembre 2021"),
        ("7.53", dt.date(2022, 1, 1), "décret n° 2021-1878 du 29 décembre 2021"),
        ("7.73", dt.date(2022, 5, 1), "décret n° 2022-654 du 25 avril 2022"),
        ("7.88", dt.date(2022, 8, 1), "décret n° 2022-1072 du 29 juillet 2022"),
        ("8.03", dt.date(2023, 1, 1), "décret n° 2022-1632 du 22 décembre 2022"),
        ("8.21", dt.date(2023, 5, 1), "décret n° 2023-322 du 28 avril 2023"),
        ("8.30", dt.date(2024, 1, 1), "décret n° 2023-1305 du 27 décembre 2023"),
        ("8.46", dt.date(2024, 11, 1), "décret n° 2024-1149 du 4 décembre 2024"),
    )
)

# --- OETH: obligation d'emploi des travailleurs handicapés -------------------------------------
SEUIL_OETH = Parameter(
    "seuil_assujettissement", 20, "L5212-1",
    "s'appliquent à tout employeur occupant au moins vingt salariés",
    "effectif à partir duquel l'obligation s'applique", "salariés",
    since=OETH_2020,
)
RENVOI_FRANCHISSEMENT = Parameter(
    "renvoi_franchissement", "L130-1 du code de la sécurité sociale", "L5212-1",
    "l'effectif salarié et le franchissement de seuil sont déterminés selon les modalités prévues à l'article L. "
    "130-1 du code de la sécurité sociale",
    "règle de franchissement du seuil",
    since=OETH_2020,
)
ANNEES_FRANCHISSEMENT = Parameter(
    "annees_franchissement", 5, "L130-1 CSS",
    "Le franchissement à la hausse d'un seuil d'effectif salarié est pris en compte lorsque ce seuil a été atteint "
    "ou dépassé pendant cinq années civiles consécutives",
    "années civiles consécutives à 20 salariés ou plus avant que le seuil compte", "ans",
    since=OETH_2020,
)
TAUX_OETH = Parameter(
    "taux_oeth", Decimal("0.06"), "L5212-2",
    "proportion minimale de 6 %",
    "taux d'emploi obligatoire", "%",
    since=OETH_2020,
)
ARRONDI_OBLIGATION = Parameter(
    "arrondi_obligation", "entier inférieur", "D5212-2",
    "par le taux d'obligation d'emploi défini à l'article L. 5212-2, arrondi à l'entier inférieur",
    "arrondi du nombre de bénéficiaires à employer",
    since=OETH_2020,
)
COEFFICIENT_50_ANS = Parameter(
    "coefficient_50_ans", Decimal("1.5"), "D5212-3",
    "âgés d'au moins 50 ans par 1,5",
    "poids d'un bénéficiaire âgé d'au moins 50 ans",
    since=OETH_2020,
)
AGE_50_ANS = Parameter(
    "age_50_ans", 50, "D5212-3",
    "sont pris en compte les bénéficiaires qui atteignent l'âge de 50 ans au cours de l'année civile",
    "âge à partir duquel un bénéficiaire compte 1,5 (atteint dans l'année)", "ans",
    since=OETH_2020,
)
MONTANT_20_249 = Parameter(
    "montant_20_249", 400, "D5212-20",
    "400 fois le salaire horaire minimum de croissance brut pour les entreprises de 20 à moins de 250 salariés",
    "contribution par bénéficiaire manquant (20 à 249 salariés)", "fois le SMIC horaire",
    since=OETH_2020,
)
MONTANT_250_749 = Parameter(
    "montant_250_749", 500, "D5212-20",
    "500 fois le salaire horaire minimum de croissance brut pour les entreprises de 250 à moins de 750 salariés",
    "contribution par bénéficiaire manquant (250 à 749 salariés)", "fois le SMIC horaire",
    since=OETH_2020,
)
MONTANT_750_PLUS = Parameter(
    "montant_750_plus", 600, "D5212-20",
    "600 fois le salaire horaire minimum de croissance brut pour les entreprises de 750 salariés et plus",
    "contribution par bénéficiaire manquant (750 salariés et plus)", "fois le SMIC horaire",
    since=OETH_2020,
)
SMIC_31_DECEMBRE = Parameter(
    "smic_31_decembre", "31 décembre", "D5212-20",
    "le salaire applicable au 31 décembre de l'année au titre de laquelle la contribution est due",
    "date du SMIC retenu pour la contribution",
    since=OETH_2020,
)
MONTANT_SANS_ACTION = Parameter(
    "montant_sans_action", 1500, "D5212-21",
    "est fixé à 1 500 fois le salaire horaire minimum de croissance, quel que soit le nombre de salariés employés",
    "contribution par bénéficiaire manquant sans action depuis plus de trois ans", "fois le SMIC horaire",
    since=OETH_2020,
)
DUREE_SANS_ACTION = Parameter(
    "duree_sans_action", 3, "D5212-21",
    "pendant une période supérieure à trois ans",
    "durée sans action entraînant la contribution majorée", "ans",
    since=OETH_2020,
)
SEUIL_CONTRATS_SANS_ACTION = Parameter(
    "seuil_contrats_sans_action", 600, "D5212-21",
    "doit être supérieur, sur quatre ans, à 600 fois le salaire horaire minimum de croissance brut",
    "montant de contrats (sur quatre ans) qui écarte la contribution majorée", "fois le SMIC horaire",
    since=OETH_2020,
)
TAUX_DEDUCTION_CONTRATS = Parameter(
    "taux_deduction_contrats", Decimal("0.30"), "D5212-22",
    "en appliquant un taux de 30 % au prix hors taxes",
    "déduction pour contrats avec le secteur adapté ou protégé", "%",
    since=OETH_2020,
)
PLAFOND_DEDUCTION_CONTRATS = Parameter(
    "plafond_deduction_contrats", Decimal("0.50"), "D5212-22",
    "dans la limite de 50 % du montant de la contribution",
    "plafond de la déduction pour contrats (taux d'emploi inférieur à la moitié du taux légal)", "%",
    since=OETH_2020,
)
PLAFOND_DEDUCTION_CONTRATS_MAJORE = Parameter(
    "plafond_deduction_contrats_majore", Decimal("0.75"), "D5212-22",
    "Cette limite est portée à 75 %",
    "plafond de la déduction pour contrats (taux d'emploi d'au moins la moitié du taux légal)", "%",
    since=OETH_2020,
)
MOITIE_DU_TAUX = Parameter(
    "moitie_du_taux", Decimal("0.50"), "D5212-22",
    "moins de 50 % du taux mentionné à l'article L. 5212-2",
    "part du taux légal qui fixe le plafond de la déduction pour contrats", "%",
    since=OETH_2020,
)
PLAFOND_DEPENSES = Parameter(
    "plafond_depenses", Decimal("0.10"), "D5212-23",
    "dans la limite de 10 % du montant de la contribution annuelle",
    "plafond de la déduction des dépenses en faveur des travailleurs handicapés", "%",
    since=OETH_2020,
)

# --- Activité partielle -------------------------------------------------------------------------
TAUX_INDEMNITE_AP = Parameter(
    "taux_indemnite", Decimal("0.60"), "R5122-18",
    "correspondant à 60 % de sa rémunération brute",
    "indemnité horaire due au salarié", "%",
    since=DECRET_2021_671,
)
PLAFOND_INDEMNITE_AP = Parameter(
    "plafond_indemnite", Decimal("4.5"), "R5122-18",
    "La rémunération maximale prise en compte pour le calcul de l'indemnité horaire est égale à 4,5 fois le taux "
    "horaire du salaire minimum interprofessionnel de croissance",
    "rémunération horaire prise en compte au plus", "fois le SMIC horaire",
    since=DECRET_2021_671,
)
TAUX_FORMATION_AP = Parameter(
    "taux_formation", Decimal("1"), "R5122-18",
    "cette indemnité horaire est portée à 100 % de la rémunération nette antérieure du salarié",
    "indemnité des heures de formation (de la rémunération nette antérieure)", "%",
    since=DECRET_2021_671,
)
PLAFOND_ALLOCATION_APPRENTI = Parameter(
    "plafond_allocation_apprenti", "indemnité horaire", "R5122-18",
    "l'allocation mentionnée à l'article L. 5122-1 ne peut être supérieure au montant de l'indemnité horaire due "
    "par l'employeur",
    "allocation au plus égale à l'indemnité (apprentissage, professionnalisation)",
    since=DECRET_2021_671,
)
PLAFOND_NET_AP = Parameter(
    "plafond_net", "rémunération nette habituelle", "R5122-18",
    "L'indemnité nette versée par l'employeur ne peut excéder la rémunération nette horaire habituelle du salarié",
    "indemnité nette au plus égale à la rémunération nette habituelle",
    since=DECRET_2021_671,
)
MINIMUM_INTERIM_TEMPS_PARTIEL = Parameter(
    "minimum_interim_temps_partiel", "SMIC horaire", "R5122-18",
    "le taux horaire de l'indemnité d'activité partielle ne peut être inférieur au taux horaire du salaire "
    "minimum interprofessionnel de croissance",
    "indemnité horaire minimale des intérimaires et salariés à temps partiel",
    since=DECRET_2021_671,
)
REMUNERATION_MENSUELLE_MINIMALE = Parameter(
    "remuneration_mensuelle_minimale", "SMIC × durée légale du mois", "L3232-1",
    "Tout salarié dont l'horaire de travail est au moins égal à la durée légale hebdomadaire, perçoit, s'il n'est pas "
    "apprenti, une rémunération au moins égale au minimum",
    "rémunération mensuelle minimale des salariés à temps plein",
    since=CODE_2008,
)
ALLOCATION_COMPLEMENTAIRE = Parameter(
    "allocation_complementaire", "différence avec la rémunération minimale", "L3232-5",
    "il lui est alloué une allocation complémentaire égale à la différence entre la rémunération minimale et la somme "
    "qu'il a effectivement perçue",
    "complément dû quand salaire et indemnités du mois sont inférieurs à la rémunération minimale",
    since=CODE_2008,
)
TAUX_ALLOCATION_AP = Parameter(
    "taux_allocation", Decimal("0.36"), "D5122-13",
    "à 36 % de la rémunération horaire brute",
    "allocation horaire versée à l'employeur", "%",
    since=DECRET_2021_674,
)
PLAFOND_ALLOCATION_AP = Parameter(
    "plafond_allocation", Decimal("4.5"), "D5122-13",
    "limitée à 4,5 fois le taux horaire du salaire minimum interprofessionnel de croissance",
    "rémunération horaire prise en compte au plus pour l'allocation", "fois le SMIC horaire",
    since=DECRET_2021_674,
)
PLANCHER_ALLOCATION_AP = Parameter(
    "plancher_allocation", Decimal("8.57"), "D5122-13",
    "Ce taux horaire ne peut être inférieur à 8,57 euros",
    "allocation horaire minimale", "€",
    since=PLANCHER_2026,
    earlier=PLANCHER_ANTERIEURS,
)
EXCEPTIONS_PLANCHER_AP = Parameter(
    "exceptions_plancher", "rémunération inférieure au SMIC, apprentis, professionnalisation", "D5122-13",
    "Ce minimum n'est pas applicable lorsque leur rémunération est inférieure au salaire minimum "
    "interprofessionnel de croissance, aux salariés en contrat d'apprentissage ou de professionnalisation",
    "cas où le minimum de l'allocation ne s'applique pas",
    since=DECRET_2021_674,
)
DELAI_ACCEPTATION_AP = Parameter(
    "delai_acceptation_implicite", 15, "R5122-4",
    "L'absence de décision dans un délai de quinze jours vaut acceptation implicite de la demande",
    "délai au terme duquel le silence de l'administration vaut acceptation", "jours",
    since=AP_DEMANDE,
)
POINT_DEPART_AP = Parameter(
    "point_depart_delai", "réception de la demande", "R5122-4",
    "dans un délai de quinze jours à compter de la date de réception de la demande d'autorisation",
    "point de départ du délai d'instruction",
    since=AP_DEMANDE,
)

# --- Indemnité de licenciement, rupture conventionnelle -----------------------------------------
ANCIENNETE_MINIMALE = Parameter(
    "anciennete_minimale", 8, "L1234-9",
    "licencié alors qu'il compte 8 mois d'ancienneté ininterrompus",
    "ancienneté ouvrant droit à l'indemnité de licenciement", "mois",
    since=ORDONNANCE_2017_1387,
)
EXCLUSION_FAUTE_GRAVE = Parameter(
    "exclusion_faute_grave", "faute grave", "L1234-9",
    "a droit, sauf en cas de faute grave, à une indemnité de licenciement",
    "cas où l'indemnité n'est pas due",
    since=CODE_2008,
)
CONTRAT_CDI = Parameter(
    "contrat_cdi", "CDI", "L1234-9",
    "Le salarié titulaire d'un contrat de travail à durée indéterminée",
    "contrat ouvrant droit à l'indemnité",
    since=CODE_2008,
)
QUART_DE_MOIS = Parameter(
    "quart_de_mois", Fraction(1, 4), "R1234-2",
    "Un quart de mois de salaire par année d'ancienneté pour les années jusqu'à dix ans",
    "mois de salaire par année d'ancienneté, jusqu'à dix ans",
    since=DECRET_2017_1398,
)
TIERS_DE_MOIS = Parameter(
    "tiers_de_mois", Fraction(1, 3), "R1234-2",
    "Un tiers de mois de salaire par année d'ancienneté pour les années à partir de dix ans",
    "mois de salaire par année d'ancienneté, au-delà de dix ans",
    since=DECRET_2017_1398,
)
SEUIL_DIX_ANS = Parameter(
    "seuil_dix_ans", 10, "R1234-2",
    "pour les années jusqu'à dix ans",
    "ancienneté où le taux change", "ans",
    since=DECRET_2017_1398,
)
MOIS_COMPLETS = Parameter(
    "mois_complets", "mois complets", "R1234-1",
    "En cas d'année incomplète, l'indemnité est calculée proportionnellement au nombre de mois complets",
    "prise en compte d'une année incomplète",
    since=DECRET_2017_1398,
)
SALAIRE_PLUS_AVANTAGEUX = Parameter(
    "salaire_plus_avantageux", "formule la plus avantageuse", "R1234-4",
    "selon la formule la plus avantageuse pour le salarié",
    "salaire de référence retenu",
    since=DECRET_2017_1398,
)
MOYENNE_12_MOIS = Parameter(
    "moyenne_12_mois", 12, "R1234-4",
    "la moyenne mensuelle des douze derniers mois précédant le licenciement",
    "première formule : moyenne des derniers mois", "mois",
    since=DECRET_2017_1398,
)
MOYENNE_3_MOIS = Parameter(
    "moyenne_3_mois", 3, "R1234-4",
    "Soit le tiers des trois derniers mois",
    "seconde formule : tiers des trois derniers mois", "mois",
    since=DECRET_2017_1398,
)
PRIMES_PRORATA = Parameter(
    "primes_prorata", "à due proportion", "R1234-4",
    "n'est prise en compte que dans la limite d'un montant calculé à due proportion",
    "primes annuelles dans la moyenne des trois derniers mois",
    since=DECRET_2017_1398,
)
SUSPENSION_NON_DECOMPTEE = Parameter(
    "suspension_non_decomptee", "non décomptées", "L1234-11",
    "la période de suspension n'entre pas en compte pour la détermination de la durée d'ancienneté",
    "périodes de suspension du contrat",
    since=CODE_2008,
)
SUSPENSION_AT_MP_COMPTEE = Parameter(
    "suspension_at_mp_comptee", "comptées en entier", "L1226-7",
    "La durée des périodes de suspension est prise en compte pour la détermination de tous les avantages légaux ou "
    "conventionnels liés à l'ancienneté dans l'entreprise",
    "arrêts pour accident du travail ou maladie professionnelle",
    since=CODE_2008,
)
ACCIDENT_DE_TRAJET_EXCLU = Parameter(
    "accident_de_trajet_exclu", "accident de trajet non visé", "L1226-7",
    "victime d'un accident du travail, autre qu'un accident de trajet, ou d'une maladie professionnelle",
    "arrêts pour accident de trajet (suspension ordinaire)",
    since=CODE_2008,
)
CONGE_PARENTAL_MOITIE = Parameter(
    "conge_parental_moitie", Fraction(1, 2), "L1225-54",
    "La durée du congé parental d'éducation à temps plein est prise en compte pour moitié",
    "part comptée d'un congé parental d'éducation à temps plein",
    since=CODE_2008,
)
CONGE_PARENTAL_PARTIEL = Parameter(
    "conge_parental_partiel", "travail effectif", "L1225-54",
    "la durée du congé parental d'éducation à temps partiel est assimilée à une période de travail effectif",
    "congé parental d'éducation à temps partiel",
    since=CODE_2008,
)
INDEMNITE_TEMPS_PARTIEL = Parameter(
    "indemnite_temps_partiel", "proportionnelle aux périodes", "L3123-5",
    "sont calculées proportionnellement aux périodes d'emploi accomplies selon l'une et l'autre de ces deux modalités "
    "depuis son entrée dans l'entreprise",
    "indemnité d'un salarié occupé à temps complet et à temps partiel",
    since=CODE_2008,
)
DOUBLE_INAPTITUDE = Parameter(
    "double_inaptitude", 2, "L1226-14",
    "est égale au double de l'indemnité prévue par l'article L. 1234-9",
    "multiplicateur de l'indemnité spéciale (inaptitude d'origine professionnelle)", "fois",
    since=CODE_2008,
)
SALAIRE_INAPTITUDE = Parameter(
    "salaire_inaptitude", 3, "L1226-16",
    "sur la base du salaire moyen qui aurait été perçu par l'intéressé au cours des trois derniers mois",
    "salaire de référence de l'indemnité spéciale", "mois",
    since=CODE_2008,
)
PLANCHER_RUPTURE_CONVENTIONNELLE = Parameter(
    "plancher_rupture_conventionnelle", "indemnité légale de licenciement", "L1237-13",
    "ne peut pas être inférieur à celui de l'indemnité prévue à l'article L. 1234-9",
    "minimum de l'indemnité spécifique de rupture conventionnelle",
    since=LOI_2008_596,
)
DELAI_RETRACTATION = Parameter(
    "delai_retractation", 15, "L1237-13",
    "chacune d'entre elles dispose d'un délai de quinze jours calendaires pour exercer son droit de rétractation",
    "délai de rétractation à compter de la signature", "jours calendaires",
    since=LOI_2008_596,
)
RUPTURE_APRES_HOMOLOGATION = Parameter(
    "rupture_apres_homologation", "lendemain de l'homologation", "L1237-13",
    "Elle fixe la date de rupture du contrat de travail, qui ne peut intervenir avant le lendemain du jour de "
    "l'homologation",
    "date de rupture au plus tôt",
    since=LOI_2008_596,
)
DELAI_HOMOLOGATION = Parameter(
    "delai_homologation", 15, "L1237-14",
    "L'autorité administrative dispose d'un délai d'instruction de quinze jours ouvrables, à compter de la réception "
    "de la demande",
    "délai d'instruction de la demande d'homologation", "jours ouvrables",
    since=LOI_2008_596,
)
PROROGATION = Parameter(
    "prorogation", "premier jour ouvrable suivant", "R1231-1",
    "expirent un samedi, un dimanche ou un jour férié ou chômé, ils sont prorogés jusqu'au premier jour ouvrable "
    "suivant",
    "délai expirant un samedi, un dimanche ou un jour férié",
    since=CODE_2008,
)
JOURS_FERIES = Parameter(
    "jours_feries", "fêtes légales", "L3133-1",
    "Les fêtes légales ci-après désignées sont des jours fériés",
    "jours fériés pris en compte",
    since=CODE_2008,
)

# --- Préavis de licenciement --------------------------------------------------------------------
PREAVIS_MOINS_SIX_MOIS = Parameter(
    "preavis_moins_six_mois", "loi, convention ou usage", "L1234-1",
    "inférieure à six mois, à un préavis dont la durée est déterminée par la loi, la convention ou l'accord "
    "collectif de travail ou, à défaut, par les usages",
    "préavis en dessous de six mois d'ancienneté",
    since=CODE_2008,
)
PREAVIS_SEUIL_SIX_MOIS = Parameter(
    "preavis_seuil_six_mois", 6, "L1234-1",
    "d'une ancienneté de services continus inférieure à six mois",
    "ancienneté à partir de laquelle la loi fixe elle-même le préavis", "mois",
    since=CODE_2008,
)
PREAVIS_SEUIL_DEUX_ANS = Parameter(
    "preavis_seuil_deux_ans", 24, "L1234-1",
    "d'une ancienneté de services continus d'au moins deux ans",
    "ancienneté ouvrant droit à deux mois de préavis (deux ans)", "mois",
    since=CODE_2008,
)
PREAVIS_PLUS_FAVORABLE = Parameter(
    "preavis_plus_favorable", "s'applique s'il est plus favorable", "L1234-1",
    "ne prévoient pas un préavis ou une condition d'ancienneté de services plus favorable pour le salarié",
    "préavis prévu par la convention, le contrat ou l'usage",
    since=CODE_2008,
)
PREAVIS_UN_MOIS = Parameter(
    "preavis_un_mois", 1, "L1234-1",
    "comprise entre six mois et moins de deux ans, à un préavis d'un mois",
    "préavis de six mois à moins de deux ans d'ancienneté", "mois",
    since=CODE_2008,
)
PREAVIS_DEUX_MOIS = Parameter(
    "preavis_deux_mois", 2, "L1234-1",
    "d'au moins deux ans, à un préavis de deux mois",
    "préavis à partir de deux ans d'ancienneté", "mois",
    since=CODE_2008,
)
PREAVIS_FAUTE_GRAVE = Parameter(
    "preavis_faute_grave", "faute grave", "L1234-1",
    "Lorsque le licenciement n'est pas motivé par une faute grave",
    "licenciement sans préavis",
    since=CODE_2008,
)
SUSPENSION_PREAVIS = Parameter(
    "suspension_preavis", "non décomptées", "L1234-8",
    "la période de suspension n'entre pas en compte pour la détermination de la durée d'ancienneté",
    "périodes de suspension du contrat",
    since=CODE_2008,
)
PREAVIS_DOUBLE_HANDICAP = Parameter(
    "preavis_double_handicap", 2, "L5213-9",
    "est doublée pour les bénéficiaires du chapitre II",
    "préavis d'un bénéficiaire de l'obligation d'emploi", "fois",
    since=CODE_2008,
)
PREAVIS_MAXIMUM_HANDICAP = Parameter(
    "preavis_maximum_handicap", 3, "L5213-9",
    "sans toutefois que cette mesure puisse avoir pour effet de porter au-delà de trois mois la durée de ce "
    "préavis",
    "préavis doublé au plus", "mois",
    since=CODE_2008,
)

# --- Indemnité de fin de contrat (CDD) ------------------------------------------------------------
TAUX_FIN_CONTRAT = Parameter(
    "taux_fin_contrat", Decimal("0.10"), "L1243-8",
    "Cette indemnité est égale à 10 % de la rémunération totale brute versée au salarié",
    "indemnité de fin de contrat", "%",
    since=CODE_2008,
)
POURSUITE_CDI = Parameter(
    "poursuite_cdi", "pas de CDI à la suite", "L1243-8",
    "les relations contractuelles de travail ne se poursuivent pas par un contrat à durée indéterminée",
    "condition de l'indemnité",
    since=CODE_2008,
)
TAUX_FIN_CONTRAT_ACCORD = Parameter(
    "taux_fin_contrat_accord", Decimal("0.06"), "L1243-9",
    "limiter le montant de l'indemnité de fin de contrat à hauteur de 6 %",
    "taux réduit prévu par un accord collectif (contreparties de formation)", "%",
    since=CODE_2008,
)
EXCLUSION_SAISONNIER = Parameter(
    "exclusion_saisonnier", "saisonniers, d'usage, de L1242-3", "L1243-10",
    "Lorsque le contrat est conclu au titre du 3° de l'article L. 1242-2 ou de l'article L. 1242-3",
    "contrats sans indemnité",
    since=CODE_2008,
)
EXCLUSION_VACANCES = Parameter(
    "exclusion_vacances", "jeune pendant ses vacances", "L1243-10",
    "Lorsque le contrat est conclu avec un jeune pour une période comprise dans ses vacances scolaires ou "
    "universitaires",
    "contrats sans indemnité",
    since=CODE_2008,
)
EXCLUSION_REFUS_CDI = Parameter(
    "exclusion_refus_cdi", "refus d'un CDI équivalent", "L1243-10",
    "Lorsque le salarié refuse d'accepter la conclusion d'un contrat de travail à durée indéterminée pour occuper "
    "le même emploi ou un emploi similaire",
    "contrats sans indemnité",
    since=CODE_2008,
)
EXCLUSION_RUPTURE_ANTICIPEE = Parameter(
    "exclusion_rupture_anticipee", "rupture anticipée (salarié, faute grave, force majeure)", "L1243-10",
    "En cas de rupture anticipée du contrat due à l'initiative du salarié, à sa faute grave ou à un cas de force "
    "majeure",
    "contrats sans indemnité",
    since=CODE_2008,
)

# --- Indemnité de fin de mission (travail temporaire) ---------------------------------------------
TAUX_FIN_MISSION = Parameter(
    "taux_fin_mission", Decimal("0.10"), "L1251-32",
    "Cette indemnité est égale à 10 % de la rémunération totale brute due au salarié",
    "indemnité de fin de mission", "%",
    since=CODE_2008,
)
CDI_ENTREPRISE_UTILISATRICE = Parameter(
    "cdi_entreprise_utilisatrice", "pas de CDI immédiat chez l'utilisateur", "L1251-32",
    "le salarié ne bénéficie pas immédiatement d'un contrat de travail à durée indéterminée avec l'entreprise "
    "utilisatrice",
    "condition de l'indemnité",
    since=CODE_2008,
)
EXCLUSION_MISSION_USAGE = Parameter(
    "exclusion_mission_usage", "mission saisonnière ou d'usage, si un accord le prévoit", "L1251-33",
    "Lorsque le contrat de mission est conclu au titre du 3° de l'article L. 1251-6 si un accord collectif étendu",
    "missions sans indemnité",
    since=CODE_2008,
)
EXCLUSION_MISSION_FORMATION = Parameter(
    "exclusion_mission_formation", "périodes de formation assimilées à des missions", "L1251-33",
    "Lorsque le contrat de mission est conclu dans le cadre de l'article L. 1251-57",
    "missions sans indemnité",
    since=CODE_2008,
)
EXCLUSION_MISSION_RUPTURE = Parameter(
    "exclusion_mission_rupture", "rupture anticipée (salarié, faute grave, force majeure)", "L1251-33",
    "En cas de rupture anticipée du contrat à l'initiative du salarié, à sa faute grave ou en cas de force majeure",
    "missions sans indemnité",
    since=CODE_2008,
)

# --- Contrat d'engagement jeune -----------------------------------------------------------------
AGE_MINIMUM_CEJ = Parameter(
    "age_minimum", 16, "L5131-6",
    "un droit ouvert aux jeunes de seize à vingt-cinq ans révolus",
    "âge minimal", "ans",
    since=CEJ_2022,
)
AGE_MAXIMUM_CEJ = Parameter(
    "age_maximum", 25, "L5131-6",
    "un droit ouvert aux jeunes de seize à vingt-cinq ans révolus",
    "âge maximal (ans révolus)", "ans",
    since=CEJ_2022,
)
AGE_MAXIMUM_CEJ_RQTH = Parameter(
    "age_maximum_rqth", 29, "L5131-6",
    "vingt-neuf ans révolus lorsque la qualité de travailleur handicapé leur est reconnue",
    "âge maximal avec la qualité de travailleur handicapé (ans révolus)", "ans",
    since=CEJ_2022,
)
CEJ_NI_ETUDES_NI_FORMATION = Parameter(
    "ni_etudes_ni_formation", "ni étudiant ni en formation", "L5131-6",
    "qui ne sont pas étudiants et qui ne suivent pas une formation",
    "situation exigée",
    since=CEJ_2022,
)
CEJ_DIFFICULTES = Parameter(
    "difficultes_emploi", "difficultés d'accès à l'emploi durable", "L5131-6",
    "qui rencontrent des difficultés d'accès à l'emploi durable",
    "situation exigée",
    since=CEJ_2022,
)
