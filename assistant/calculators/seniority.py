"""Seniority in complete months, given directly or from the hiring and leaving dates.

Shared by the severance, rupture conventionnelle and notice calculators. Periods during which the
contract was suspended do not break seniority but are not counted (L1234-8, L1234-11): they are
given as ``absences_mois`` and subtracted. Two suspensions are the law's exceptions and have their
own inputs, because lumping them with the others gives a wrong amount: an arrêt for an accident du
travail (not an accident de trajet) or a maladie professionnelle counts in full (L1226-7), a
full-time congé parental d'éducation counts for half (L1225-54).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from assistant.calculators import formatting as fr
from assistant.calculators import parameters as P
from assistant.calculators.base import InputError, Inputs, Trace, spec
from assistant.calculators.dates import complete_months
from assistant.calculators.parameters import Parameter

# The rules on suspensions counted_months applies, for every calculator that counts seniority to declare.
SUSPENSION_RULES = (P.SUSPENSION_AT_MP_COMPTEE, P.ACCIDENT_DE_TRAJET_EXCLU, P.CONGE_PARENTAL_MOITIE,
                    P.CONGE_PARENTAL_PARTIEL)
MAX_MONTHS = 900  # 75 years: beyond, the input is a typing error, not a career


@dataclass(frozen=True, kw_only=True)
class SeniorityInputs(Inputs):
    anciennete_mois: int | None = spec(
        "ancienneté en mois complets",
        "Quelle est l'ancienneté du salarié (en mois complets), ou ses dates d'entrée et de sortie ?",
        minimum=0, maximum=MAX_MONTHS, too_high="plus de 75 ans d'ancienneté, valeur invraisemblable",
    )
    entree: dt.date | None = spec("date d'entrée dans l'entreprise", "À quelle date le salarié a-t-il été embauché ?")
    sortie: dt.date | None = spec(
        "date de fin du contrat (fin du préavis, même non exécuté)",
        "À quelle date le contrat prend-il fin (préavis compris) ?",
    )
    absences_mois: int | None = spec(
        "mois de suspension du contrat non comptés (arrêt maladie non professionnel, accident de trajet, congé sans "
        "solde…)",
        "Le contrat a-t-il été suspendu (arrêt maladie non professionnel, congé sans solde…) ? Pendant combien de "
        "mois ?",
        minimum=0, maximum=MAX_MONTHS,
    )
    arret_professionnel_mois: int | None = spec(
        "mois d'arrêt pour accident du travail (hors accident de trajet) ou maladie professionnelle, comptés en entier",
        "Combien de mois d'arrêt pour accident du travail ou maladie professionnelle ?",
        minimum=0, maximum=MAX_MONTHS,
    )
    conge_parental_mois: int | None = spec(
        "mois de congé parental d'éducation à temps plein, comptés pour moitié",
        "Combien de mois de congé parental d'éducation à temps plein ?",
        minimum=0, maximum=MAX_MONTHS,
    )

    def period_end(self) -> tuple[str, dt.date | None]:
        """The input that closes the seniority counted from ``entree``, and its date: « sortie » here; a
        calculator where another date closes it (the end of notice) overrides this."""
        return "sortie", self.sortie

    def waits_for_end(self) -> bool:
        """Whether a hiring date without the closing date is a question (True) rather than an error."""
        return False

    def check(self) -> None:
        end_field, end = self.period_end()
        # A seniority in months and a closing date go together (the date then only dates the facts); with a
        # hiring date the seniority would be said twice.
        if self.anciennete_mois is not None and self.entree:
            raise InputError("anciennete_mois",
                             "indiquez soit l'ancienneté en mois, soit les dates d'entrée et de sortie, pas les deux")
        if end and not self.entree and self.anciennete_mois is None:
            raise InputError("entree", "les deux dates d'entrée et de sortie sont nécessaires pour l'ancienneté")
        if self.entree and not end and not self.waits_for_end():
            raise InputError(end_field, "les deux dates d'entrée et de sortie sont nécessaires pour l'ancienneté")
        if self.entree and end:
            if end < self.entree:
                raise InputError(end_field, f"la date de sortie ({fr.date_fr(end)}) précède la date d'entrée "
                                 f"({fr.date_fr(self.entree)})")
            if complete_months(self.entree, end) > MAX_MONTHS:
                raise InputError("entree", "plus de 75 ans d'ancienneté entre ces dates, valeur invraisemblable")
        total = self.total_months()
        suspended = sum(m or 0 for m in (self.absences_mois, self.arret_professionnel_mois, self.conge_parental_mois))
        if total is not None and suspended > total:
            field_name = next(n for n in ("absences_mois", "arret_professionnel_mois", "conge_parental_mois")
                              if getattr(self, n))
            raise InputError(field_name, f"plus de mois de suspension ({suspended}) que d'ancienneté ({total})")

    def total_months(self) -> int | None:
        """Complete months of presence before subtracting suspensions; None when not given."""
        _, end = self.period_end()
        if self.entree and end:
            return complete_months(self.entree, end)
        return self.anciennete_mois

    def left_out_months(self) -> int:
        """Months of suspension that do not count: the ordinary ones, and half of a full-time congé parental
        rounded up, so that the seniority stays in complete months (R1234-1): 7 months of leave count 3.5,
        i.e. 4 months are left out."""
        parental = self.conge_parental_mois or 0
        return (self.absences_mois or 0) + math.ceil(parental * (1 - P.CONGE_PARENTAL_MOITIE.value))


def counted_months(inputs: SeniorityInputs, trace: Trace, suspension: Parameter) -> int | None:
    """Seniority retained, recorded in the trace with the rule applied to each kind of suspension; None
    (and a question) when it is not given. ``suspension`` is the rule that leaves the other suspensions
    out (L1234-11 for the indemnity, L1234-8 for the notice)."""
    total = inputs.total_months()
    end_field, end = inputs.period_end()
    if total is None:
        trace.ask(end_field if inputs.entree else "anciennete_mois", blocking=True)
        return None
    if inputs.entree and end:
        trace.check(f"Du {fr.date_fr(inputs.entree)} au {fr.date_fr(end)} inclus : {fr.months(total)} complets")
    absences, professional, parental = (inputs.absences_mois or 0, inputs.arret_professionnel_mois or 0,
                                        inputs.conge_parental_mois or 0)
    if professional:
        trace.check(f"{professional} mois d'arrêt pour accident du travail ou maladie professionnelle : comptés en "
                    "entier dans l'ancienneté", P.SUSPENSION_AT_MP_COMPTEE, P.ACCIDENT_DE_TRAJET_EXCLU)
    if parental:
        trace.check(f"{parental} mois de congé parental d'éducation à temps plein comptés pour moitié : "
                    f"{inputs.left_out_months() - absences} mois non comptés", P.CONGE_PARENTAL_MOITIE)
        trace.flag("Un congé parental à temps partiel n'est pas une suspension : il compte en entier",
                   P.CONGE_PARENTAL_PARTIEL)
    if absences:
        trace.check(f"{absences} mois de suspension non comptés (arrêt maladie non professionnel, accident de "
                    "trajet, congé sans solde…)", suspension)
    elif not (professional or parental):
        trace.flag("Les périodes de suspension du contrat ne comptent pas dans l'ancienneté (arrêt maladie non "
                   "professionnel, accident de trajet, congé sans solde…) ; un arrêt pour accident du travail ou "
                   "maladie professionnelle compte en entier, un congé parental à temps plein pour moitié : "
                   "indiquez-les en mois s'il y en a", suspension, refs=("L1226-7", "L1225-54"))
    counted = total - inputs.left_out_months()
    if absences or parental:
        trace.check(f"Ancienneté retenue : {fr.months(counted)}")
    return counted
