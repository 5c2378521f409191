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
from assistant.calculators.base import CalculationResult, Calculator, InputError, Trace, spec
from assistant.calculators.dates import add_jours_ouvrables, postpone_to_working_day
from assistant.calculators.indemnite_licenciement import SalaryInputs, legal_minimum, reference_salary
from assistant.calculators.seniority import SUSPENSION_RULES, counted_months

NAME = "rupture-conventionnelle"


@dataclass(frozen=True, kw_only=True)
class RuptureInputs(SalaryInputs):
    sortie: dt.date | None = spec(
        "date de rupture du contrat fixée par la convention",
        "À quelle date la convention fixe-t-elle la rupture du contrat ?",
    )
    signature: dt.date | None = spec(
        "date de signature de la convention par les deux parties",
        "À quelle date la convention de rupture a-t-elle été signée par les deux parties ?",
    )
    inaptitude_professionnelle: bool | None = spec(
        "salarié inapte d'origine professionnelle (sans effet sur le minimum de la rupture conventionnelle)",
        "Le salarié est-il inapte à la suite d'un accident du travail ou d'une maladie professionnelle ?",
        negative="inaptitude-non-professionnelle",
    )
    faute_grave: bool | None = spec(
        "sans objet : refusé (la rupture conventionnelle n'est pas un licenciement)",
        "Une faute grave est-elle invoquée ?", negative="sans-faute-grave",
    )

    def check(self) -> None:
        if self.faute_grave is not None:
            raise InputError("faute_grave", "sans objet pour une rupture conventionnelle, qui n'est pas un licenciement : "
                             "son indemnité minimale est due quel que soit le motif (L1237-13) ; retirez cette option")
        super().check()
        if self.signature is not None and self.sortie is not None:
            withdrawal_end = withdrawal_period_end(self.signature)
            if self.sortie <= withdrawal_end:
                raise InputError("sortie", f"la date de rupture ({fr.date_fr(self.sortie)}) doit suivre la fin du délai "
                                 f"de rétractation ({fr.date_fr(withdrawal_end)}) et l'homologation : la rupture ne peut "
                                 "intervenir avant le lendemain de l'homologation (L1237-13, L1237-14)")


def compute(inputs: RuptureInputs) -> CalculationResult:
    # The rules of a rupture conventionnelle are those of the day it is concluded (signed).
    date_field, day = ("signature", inputs.signature) if inputs.signature else ("sortie", inputs.sortie)
    trace = Trace(NAME, inputs, day, date_field)
    trace.covers(P.QUART_DE_MOIS, P.PLANCHER_RUPTURE_CONVENTIONNELLE)
    if inputs.inaptitude_professionnelle:
        trace.check("Inaptitude d'origine professionnelle : le doublement vise le licenciement pour inaptitude, pas "
                    "la rupture conventionnelle", refs=("L1226-14",))
    details = {}
    if inputs.signature is None:
        trace.ask("signature")
    else:
        withdrawal_end = _withdrawal_end(inputs.signature, trace)
        details["fin_retractation"] = withdrawal_end.isoformat()
        earliest = _earliest_rupture(withdrawal_end)
        details["rupture_au_plus_tot"] = earliest.isoformat()
        if inputs.sortie is not None and inputs.sortie < earliest:
            trace.flag(f"Rupture fixée au {fr.date_fr(inputs.sortie)} : avant le {fr.date_fr(earliest)}, premier jour "
                       "possible si la demande d'homologation est reçue le lendemain de la fin de la rétractation et "
                       "l'homologation acquise au terme des quinze jours ouvrables ; la rupture ne peut intervenir "
                       "avant le lendemain de l'homologation", P.DELAI_HOMOLOGATION, P.RUPTURE_APRES_HOMOLOGATION)
        elif inputs.sortie is not None:
            trace.check(f"Rupture fixée au {fr.date_fr(inputs.sortie)} : après le délai d'instruction de l'homologation "
                        f"(au plus tôt le {fr.date_fr(earliest)})", P.DELAI_HOMOLOGATION,
                        P.RUPTURE_APRES_HOMOLOGATION)
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


def withdrawal_period_end(signature: dt.date) -> dt.date:
    """The last day of the fifteen calendar days of withdrawal, prorogued to a working day (R1231-1)."""
    return postpone_to_working_day(signature + dt.timedelta(days=P.DELAI_RETRACTATION.value))


def _withdrawal_end(signature: dt.date, trace: Trace) -> dt.date:
    nominal = signature + dt.timedelta(days=P.DELAI_RETRACTATION.value)
    end = withdrawal_period_end(signature)
    moved = f", reporté du {fr.date_fr(nominal)} (samedi, dimanche ou jour férié)" if end != nominal else ""
    trace.check(f"Signature le {fr.date_fr(signature)} : rétractation possible jusqu'au {fr.date_fr(end)} "
                f"inclus{moved} ; la demande d'homologation ne peut partir qu'ensuite",
                P.DELAI_RETRACTATION, P.PROROGATION, P.JOURS_FERIES)
    trace.flag("Jours fériés locaux (Alsace-Moselle) et jours chômés de l'entreprise non pris en compte dans le "
               "report du délai", P.PROROGATION)
    return end


def _earliest_rupture(withdrawal_end: dt.date) -> dt.date:
    """The first possible date of rupture: the request received the day after the withdrawal period,
    fifteen jours ouvrables of instruction (every day but Sundays and public holidays; the day of
    receipt not counted), prorogued to a working day (R1231-1), then the day after the homologation."""
    received = withdrawal_end + dt.timedelta(days=1)
    homologation = add_jours_ouvrables(received, P.DELAI_HOMOLOGATION.value)
    return postpone_to_working_day(homologation) + dt.timedelta(days=1)


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
        P.DELAI_HOMOLOGATION, P.RUPTURE_APRES_HOMOLOGATION, P.INDEMNITE_TEMPS_PARTIEL,
        P.SUSPENSION_NON_DECOMPTEE, *SUSPENSION_RULES, P.SALAIRE_PLUS_AVANTAGEUX, P.MOYENNE_12_MOIS,
        P.MOYENNE_3_MOIS, P.PRIMES_PRORATA,
        P.QUART_DE_MOIS, P.TIERS_DE_MOIS, P.SEUIL_DIX_ANS, P.MOIS_COMPLETS,
    ),
)
