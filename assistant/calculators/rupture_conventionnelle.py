"""Rupture conventionnelle: the minimum specific indemnity and the withdrawal period (L1237-13).

The indemnity may not be lower than the legal severance indemnity of L1234-9, computed the same
way but without its 8-month condition (L1237-13 sets an amount, not a right subject to
seniority). The fifteen calendar days of withdrawal run from the day after the signature; a
period ending on a Saturday, Sunday or public holiday runs to the next working day (R1231-1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assistant.calculators import formatting as fr
from assistant.calculators import parameters as P
from assistant.calculators.base import CalculationResult, Calculator, Trace, spec
from assistant.calculators.dates import postpone_to_working_day
from assistant.calculators.indemnite_licenciement import SeveranceInputs, legal_minimum, reference_salary
from assistant.calculators.seniority import counted_months

NAME = "rupture-conventionnelle"


@dataclass(frozen=True, kw_only=True)
class RuptureInputs(SeveranceInputs):
    sortie: dt.date | None = spec(
        "date de rupture du contrat fixée par la convention",
        "À quelle date la convention fixe-t-elle la rupture du contrat ?",
    )
    signature: dt.date | None = spec(
        "date de signature de la convention par les deux parties",
        "À quelle date la convention de rupture a-t-elle été signée par les deux parties ?",
    )


def compute(inputs: RuptureInputs) -> CalculationResult:
    trace = Trace(NAME, inputs)
    if inputs.faute_grave:
        trace.check("Faute grave invoquée : sans effet, la rupture conventionnelle n'est pas un licenciement et son "
                    "indemnité minimale reste due", P.PLANCHER_RUPTURE_CONVENTIONNELLE)
    if inputs.inaptitude_professionnelle:
        trace.check("Inaptitude d'origine professionnelle : le doublement vise le licenciement pour inaptitude, pas "
                    "la rupture conventionnelle", refs=("L1226-14",))
    details = {}
    if inputs.signature is None:
        trace.ask("signature")
    else:
        details["fin_retractation"] = _withdrawal_end(inputs.signature, trace).isoformat()
    months = counted_months(inputs, trace, P.SUSPENSION_NON_DECOMPTEE)
    reference = reference_salary(inputs, trace, special=False)
    if months is None or reference is None:
        return trace.incomplete(
            "EUR", "Il faut l'ancienneté et le salaire de référence pour calculer l'indemnité minimale.", details)
    trace.check("Indemnité au moins égale à l'indemnité légale de licenciement, sans condition d'ancienneté minimale",
                P.PLANCHER_RUPTURE_CONVENTIONNELLE)
    amount, formula = legal_minimum(reference, months, trace)
    details |= {"anciennete_mois": months, "salaire_reference": str(reference),
                "indemnite_minimale": str(fr.to_cents(amount))}
    return trace.result(amount, "EUR", f"Indemnité spécifique de rupture conventionnelle : au moins "
                        f"{fr.euros(amount)}.", formula, details)


def _withdrawal_end(signature: dt.date, trace: Trace) -> dt.date:
    nominal = signature + dt.timedelta(days=P.DELAI_RETRACTATION.value)
    end = postpone_to_working_day(nominal)
    moved = f", reporté du {fr.date_fr(nominal)} (samedi, dimanche ou jour férié)" if end != nominal else ""
    trace.check(f"Signature le {fr.date_fr(signature)} : rétractation possible jusqu'au {fr.date_fr(end)} "
                f"inclus{moved} ; la demande d'homologation ne peut partir qu'ensuite",
                P.DELAI_RETRACTATION, P.PROROGATION, P.JOURS_FERIES)
    trace.flag("Jours fériés locaux (Alsace-Moselle) et jours chômés de l'entreprise non pris en compte dans le "
               "report du délai", P.PROROGATION)
    return end


CALCULATOR = Calculator(
    name=NAME,
    title="Rupture conventionnelle : indemnité minimale et délai de rétractation",
    description="Indemnité spécifique minimale (indemnité légale de licenciement, sans condition d'ancienneté) et "
                "fin du délai de rétractation.",
    unit="EUR",
    inputs=RuptureInputs,
    compute=compute,
    parameters=(
        P.PLANCHER_RUPTURE_CONVENTIONNELLE, P.DELAI_RETRACTATION, P.PROROGATION, P.JOURS_FERIES,
        P.SUSPENSION_NON_DECOMPTEE, P.SUSPENSION_AT_MP_COMPTEE, P.ACCIDENT_DE_TRAJET_EXCLU, P.CONGE_PARENTAL_MOITIE, P.CONGE_PARENTAL_PARTIEL, P.SALAIRE_PLUS_AVANTAGEUX, P.MOYENNE_12_MOIS, P.MOYENNE_3_MOIS, P.PRIMES_PRORATA,
        P.QUART_DE_MOIS, P.TIERS_DE_MOIS, P.SEUIL_DIX_ANS, P.MOIS_COMPLETS,
    ),
)
