"""Seniority in complete months, given directly or from the hiring and leaving dates.

Shared by the severance, rupture conventionnelle and notice calculators. Periods during which the
contract was suspended do not break seniority but are not counted (L1234-8, L1234-11): they are
given as ``absences_mois`` and subtracted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assistant.calculators import formatting as fr
from assistant.calculators.base import InputError, Inputs, Trace, spec
from assistant.calculators.dates import complete_months
from assistant.calculators.parameters import Parameter

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
        "mois de suspension du contrat non comptés (congé sans solde, arrêt maladie non professionnel…)",
        "Le contrat a-t-il été suspendu (hors périodes assimilées) ? Pendant combien de mois ?",
        minimum=0, maximum=MAX_MONTHS,
    )

    def check(self) -> None:
        dates = (self.entree, self.sortie)
        if self.anciennete_mois is not None and any(dates):
            raise InputError("anciennete_mois",
                             "indiquez soit l'ancienneté en mois, soit les dates d'entrée et de sortie, pas les deux")
        if any(dates) and not all(dates):
            missing = "sortie" if self.sortie is None else "entree"
            raise InputError(missing, "les deux dates d'entrée et de sortie sont nécessaires pour l'ancienneté")
        if self.entree and self.sortie:
            if self.sortie < self.entree:
                raise InputError("sortie", f"la date de sortie ({fr.date_fr(self.sortie)}) précède la date d'entrée "
                                 f"({fr.date_fr(self.entree)})")
            if complete_months(self.entree, self.sortie) > MAX_MONTHS:
                raise InputError("entree", "plus de 75 ans d'ancienneté entre ces dates, valeur invraisemblable")
        total = self.total_months()
        if self.absences_mois and total is not None and self.absences_mois > total:
            raise InputError("absences_mois",
                             f"plus de mois d'absence ({self.absences_mois}) que d'ancienneté ({total})")

    def total_months(self) -> int | None:
        """Complete months of presence before subtracting suspensions; None when not given."""
        if self.entree and self.sortie:
            return complete_months(self.entree, self.sortie)
        return self.anciennete_mois


def counted_months(inputs: SeniorityInputs, trace: Trace, suspension: Parameter) -> int | None:
    """Seniority retained, recorded in the trace; None (and a question) when it is not given."""
    total = inputs.total_months()
    if total is None:
        trace.ask("anciennete_mois", blocking=True)
        return None
    if inputs.entree and inputs.sortie:
        trace.check(f"Du {fr.date_fr(inputs.entree)} au {fr.date_fr(inputs.sortie)} inclus : "
                    f"{fr.months(total)} complets")
    absences = inputs.absences_mois or 0
    if absences:
        trace.check(f"{absences} mois de suspension non comptés : ancienneté retenue {fr.months(total - absences)}",
                    suspension)
    else:
        trace.flag("Les périodes de suspension du contrat (sauf celles que la loi assimile à du travail effectif) ne "
                   "comptent pas dans l'ancienneté : indiquez-les en mois si elles existent", suspension)
    return total - absences
