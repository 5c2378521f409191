"""Activité partielle: the employee's hourly indemnity, the employer's allocation, the 15-day rule.

Indemnity: 60 % of the hourly reference pay, pay counted at most 4.5 × SMIC (R5122-18); training
hours at 100 % of the previous net pay; temporary and part-time workers never below the SMIC
unless paid less. Allocation: 36 % of the same capped pay, at least 8.57 € except for the listed
cases, and never above the indemnity for apprentices (D5122-13, R5122-18). Without a decision
within fifteen days of receiving the request, the authorisation is implicitly granted (R5122-4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from assistant.calculators import formatting as fr
from assistant.calculators import parameters as P
from assistant.calculators.base import CalculationResult, Calculator, InputError, Inputs, NotCovered, Trace, spec
from assistant.calculators.smic import resolve_smic

NAME = "activite-partielle"
# Never the ordinary rates for APLD: its rates are in its own decree and the employer's agreement.
_LONG_TERM_REFUSAL = (
    "l'activité partielle de longue durée (APLD, APLD-Rebond) a ses propres taux d'indemnité et d'allocation, "
    "fixés par le décret du dispositif et par l'accord collectif ou le document unilatéral de l'employeur, qui ne "
    "figurent pas dans le Code du travail ; ce calculateur n'applique que les taux de droit commun (R5122-18, "
    "D5122-13), qui ne valent pas pour elle. Le Code du travail donne le cadre général de l'activité partielle "
    "(L5122-1 et suivants) : reportez-vous au décret et à l'accord applicables"
)


@dataclass(frozen=True, kw_only=True)
class ActivitePartielleInputs(Inputs):
    remuneration_horaire: Decimal | None = spec(
        "rémunération horaire brute de référence (assiette des congés payés ramenée à l'heure), en €",
        "Quelle est la rémunération horaire brute de référence du salarié ?",
        required=True, minimum=Decimal("0.01"), maximum=Decimal(1000),
    )
    heures: Decimal | None = spec(
        "nombre d'heures chômées indemnisables",
        "Combien d'heures chômées faut-il indemniser ?",
        minimum=0, maximum=Decimal(10_000),
    )
    date: dt.date | None = spec(
        "date des heures chômées (choisit le SMIC)", "À quelle date les heures ont-elles été chômées ?",
    )
    demande: dt.date | None = spec(
        "date de réception de la demande d'autorisation par l'administration",
        "À quelle date l'administration a-t-elle reçu la demande d'autorisation ?",
    )
    apprenti: bool | None = spec(
        "salarié en contrat d'apprentissage ou de professionnalisation",
        "Le salarié est-il en contrat d'apprentissage ou de professionnalisation ?",
        negative="non-apprenti",
    )
    interimaire_ou_temps_partiel: bool | None = spec(
        "salarié intérimaire ou à temps partiel (indemnité au moins égale au SMIC horaire)",
        "Le salarié est-il intérimaire ou à temps partiel ?",
        negative="temps-plein",
    )
    longue_duree: bool | None = spec(
        "activité partielle de longue durée (APLD, APLD-Rebond) : non calculée",
        "S'agit-il d'activité partielle de longue durée (APLD ou APLD-Rebond) ?",
        negative="droit-commun",
    )
    heures_formation: Decimal | None = spec(
        "dont heures de formation suivies pendant les heures chômées (indemnisées à 100 % du net)",
        "Combien de ces heures chômées ont été consacrées à une formation ?",
        minimum=0, maximum=Decimal(10_000),
    )
    remuneration_nette_horaire: Decimal | None = spec(
        "rémunération horaire nette antérieure (pour les heures de formation), en €",
        "Quelle est la rémunération horaire nette antérieure du salarié ?",
        minimum=Decimal("0.01"), maximum=Decimal(1000),
    )

    def check(self) -> None:
        if self.longue_duree:
            raise NotCovered("longue_duree", _LONG_TERM_REFUSAL)
        if self.heures_formation is not None:
            if self.heures is None:
                raise InputError("heures_formation", "indiquez aussi le nombre total d'heures chômées (« heures »)")
            if self.heures_formation > self.heures:
                raise InputError("heures_formation", f"ne peut pas dépasser les heures chômées "
                                 f"({fr.number(self.heures_formation)} pour {fr.number(self.heures)})")


def compute(inputs: ActivitePartielleInputs) -> CalculationResult:
    day = inputs.date or inputs.today
    trace = Trace(NAME, inputs, day)
    # The rates first: facts before the period they cover are refused before any SMIC is looked up.
    trace.covers(P.TAUX_INDEMNITE_AP, P.TAUX_ALLOCATION_AP)
    if inputs.date is None:
        trace.ask("date")
        trace.flag(f"Date des heures non indiquée : SMIC en vigueur aujourd'hui ({fr.date_fr(day)})")
    trace.smic = resolve_smic(inputs.smic, day)
    smic = trace.smic.hourly
    pay = inputs.remuneration_horaire
    trace.flag("Rémunération de référence : assiette de l'indemnité de congés payés (II de L3141-24) ramenée à "
               "l'heure sur la durée légale, collective ou contractuelle, éléments variables en moyenne sur douze mois",
               refs=("R5122-18", "L3141-24"))

    cap = P.PLAFOND_INDEMNITE_AP.value * smic
    counted = min(pay, cap)
    trace.check(f"Rémunération prise en compte : {fr.euros(counted)} (au plus "
                f"{fr.number(P.PLAFOND_INDEMNITE_AP.value)} × {fr.euros(smic)} = {fr.euros(cap)})",
                P.PLAFOND_INDEMNITE_AP, P.PLAFOND_ALLOCATION_AP)
    indemnity, indemnity_text = _hourly_indemnity(inputs, pay, counted, smic, trace)
    allocation, allocation_text = _hourly_allocation(inputs, pay, counted, smic, indemnity, day, trace)
    trace.flag("L'indemnité nette (après cotisations et contributions) ne peut excéder la rémunération nette "
               "horaire habituelle du salarié : à vérifier sur le bulletin", P.PLAFOND_NET_AP)
    trace.flag("Seules les heures chômées dans la limite de la durée légale, collective ou contractuelle ouvrent "
               "droit à l'indemnité et à l'allocation", refs=("R5122-11", "R5122-19"))
    details = {"indemnite_horaire": str(fr.to_cents(indemnity)), "allocation_horaire": str(fr.to_cents(allocation)),
               "remuneration_prise_en_compte": str(fr.to_cents(counted))}
    if inputs.demande is not None:
        deadline = _decision_deadline(inputs.demande, trace)
        details |= {"decision_au_plus_tard": deadline.isoformat(),
                    "acceptation_implicite_le": (deadline + dt.timedelta(days=1)).isoformat()}
    formula = f"indemnité horaire = {indemnity_text} ; allocation horaire = {allocation_text}"

    if inputs.heures is None:
        trace.ask("heures")
        return trace.result(indemnity, "EUR",
                            f"Indemnité d'activité partielle : {fr.euros(indemnity)} par heure chômée "
                            f"(allocation de l'employeur : {fr.euros(allocation)} par heure).", formula, details)
    training = inputs.heures_formation or Decimal(0)
    if training and inputs.remuneration_nette_horaire is None:
        trace.ask("remuneration_nette_horaire", blocking=True)
        return trace.incomplete(
            "EUR", "Heures de formation indiquées : il faut la rémunération horaire nette antérieure.", details)
    total = indemnity * (inputs.heures - training)
    formula += f" ; indemnité = {fr.number(inputs.heures - training)} h × {fr.euros(indemnity)}"
    if training:
        trace.check(f"{fr.number(training)} heures de formation indemnisées à "
                    f"{P.TAUX_FORMATION_AP.shown()} de la rémunération nette antérieure", P.TAUX_FORMATION_AP)
        total += training * inputs.remuneration_nette_horaire * P.TAUX_FORMATION_AP.value
        formula += f" + {fr.number(training)} h × {fr.euros(inputs.remuneration_nette_horaire)} (formation, net)"
    allocation_total = allocation * inputs.heures
    formula += (f" = {fr.euros(total)} ; allocation = {fr.number(inputs.heures)} h × {fr.euros(allocation)} "
                f"= {fr.euros(allocation_total)}")
    details |= {"heures": fr.plain(inputs.heures), "indemnite_totale": str(fr.to_cents(total)),
                "allocation_totale": str(fr.to_cents(allocation_total))}
    return trace.result(total, "EUR",
                        f"Indemnité d'activité partielle pour {fr.number(inputs.heures)} heures : {fr.euros(total)} "
                        f"(allocation de l'employeur : {fr.euros(allocation_total)}).", formula, details)


def _hourly_indemnity(inputs: ActivitePartielleInputs, pay: Decimal, counted: Decimal, smic: Decimal,
                      trace: Trace) -> tuple[Decimal, str]:
    indemnity = counted * P.TAUX_INDEMNITE_AP.value
    text = f"{P.TAUX_INDEMNITE_AP.shown()} × {fr.euros(counted)} = {fr.euros(indemnity)}"
    trace.use(P.TAUX_INDEMNITE_AP)
    if inputs.interimaire_ou_temps_partiel:
        floor = min(pay, smic)
        trace.check(f"Intérimaire ou temps partiel : indemnité horaire au moins égale au SMIC horaire, ou à la "
                    f"rémunération horaire si elle est inférieure ({fr.euros(floor)})", P.MINIMUM_INTERIM_TEMPS_PARTIEL)
        if indemnity < floor:
            indemnity = floor
            text += f", relevée à {fr.euros(floor)}"
    elif indemnity < smic:
        if inputs.interimaire_ou_temps_partiel is None:
            trace.ask("interimaire_ou_temps_partiel")
            trace.flag("Intérimaires et salariés à temps partiel : l'indemnité horaire ne peut être inférieure au "
                       "SMIC horaire", P.MINIMUM_INTERIM_TEMPS_PARTIEL)
        if not inputs.apprenti:
            who = "Salarié à temps plein" if inputs.interimaire_ou_temps_partiel is False else "S'il est à temps plein"
            trace.flag(f"{who} : l'indemnité horaire ({fr.euros(indemnity)}) est inférieure au SMIC "
                       f"horaire ({fr.euros(smic)}) ; la rémunération mensuelle minimale lui garantit, salaire et "
                       "indemnités du mois compris, au moins le SMIC net de la durée légale : l'employeur peut devoir "
                       "une allocation complémentaire", P.REMUNERATION_MENSUELLE_MINIMALE, P.ALLOCATION_COMPLEMENTAIRE,
                       refs=("L3232-3",))
    return indemnity, text


def _hourly_allocation(inputs: ActivitePartielleInputs, pay: Decimal, counted: Decimal, smic: Decimal,
                       indemnity: Decimal, day: dt.date, trace: Trace) -> tuple[Decimal, str]:
    allocation = counted * P.TAUX_ALLOCATION_AP.value
    text = f"{P.TAUX_ALLOCATION_AP.shown()} × {fr.euros(counted)} = {fr.euros(allocation)}"
    trace.use(P.TAUX_ALLOCATION_AP)
    floor = trace.at(P.PLANCHER_ALLOCATION_AP)  # the minimum of the hours' date, with its decree
    if pay < smic or inputs.apprenti:
        reason = ("apprenti ou contrat de professionnalisation" if inputs.apprenti
                  else "rémunération inférieure au SMIC")
        trace.check(f"Minimum de {floor.shown()} non applicable : {reason}", floor, P.EXCEPTIONS_PLANCHER_AP)
    else:
        if inputs.apprenti is None:
            trace.ask("apprenti")
        trace.flag("Le minimum de l'allocation ne s'applique pas aux apprentis, contrats de professionnalisation, "
                   "journalistes pigistes ni VRP", P.EXCEPTIONS_PLANCHER_AP, refs=("L7112-1",))
        if allocation < floor.value:
            allocation = floor.value
            text += f", portée au minimum de {floor.shown()}"
        if floor is not P.PLANCHER_ALLOCATION_AP:
            trace.check(f"Heures du {fr.date_fr(day)} : minimum de {floor.shown()} ({floor.since.source})", floor)
    if inputs.apprenti:
        allocation = min(allocation, indemnity)
        trace.check("Apprenti ou contrat de professionnalisation : allocation au plus égale à l'indemnité horaire",
                    P.PLAFOND_ALLOCATION_APPRENTI)
    return allocation, text


def _decision_deadline(received: dt.date, trace: Trace) -> dt.date:
    """R5122-4: last day of the fifteen days from receipt, the day of receipt not counted (usual
    reckoning of time limits); the silence is an acceptance once that day is over."""
    deadline = received + dt.timedelta(days=P.DELAI_ACCEPTATION_AP.value)
    accepted = deadline + dt.timedelta(days=1)
    trace.check(f"Demande reçue le {fr.date_fr(received)} : sans décision notifiée au plus tard le "
                f"{fr.date_fr(deadline)}, la demande est implicitement acceptée le {fr.date_fr(accepted)}",
                P.POINT_DEPART_AP, P.DELAI_ACCEPTATION_AP)
    return deadline


CALCULATOR = Calculator(
    name=NAME,
    title="Activité partielle : indemnité du salarié et allocation de l'employeur",
    description="Indemnité horaire (60 %) et allocation (36 %, minimum 8,57 €) d'activité partielle, pour une heure "
                "ou N heures.",
    unit="EUR",
    inputs=ActivitePartielleInputs,
    compute=compute,
    parameters=(
        P.TAUX_INDEMNITE_AP, P.PLAFOND_INDEMNITE_AP, P.TAUX_FORMATION_AP, P.PLAFOND_ALLOCATION_APPRENTI,
        P.PLAFOND_NET_AP, P.MINIMUM_INTERIM_TEMPS_PARTIEL, P.REMUNERATION_MENSUELLE_MINIMALE,
        P.ALLOCATION_COMPLEMENTAIRE, P.TAUX_ALLOCATION_AP, P.PLAFOND_ALLOCATION_AP,
        P.PLANCHER_ALLOCATION_AP, P.EXCEPTIONS_PLANCHER_AP, P.DELAI_ACCEPTATION_AP, P.POINT_DEPART_AP,
    ),
    uses_smic=True,
)
