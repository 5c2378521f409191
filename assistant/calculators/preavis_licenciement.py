"""Préavis de licenciement (L1234-1) and its doubling for beneficiaries of the OETH (L5213-9).

Under six months of continuous service the law sets no duration of its own: it defers to the
law, the collective agreement or local usage, so the value is None with that explanation. No
notice is due after a dismissal for faute grave (L1234-1 applies « lorsque le licenciement n'est
pas motivé par une faute grave »).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assistant.calculators import formatting as fr
from assistant.calculators import parameters as P
from assistant.calculators.base import CalculationResult, Calculator, InputError, Trace, spec
from assistant.calculators.seniority import SUSPENSION_RULES, SeniorityInputs, counted_months

NAME = "preavis-licenciement"


@dataclass(frozen=True, kw_only=True)
class PreavisInputs(SeniorityInputs):
    sortie: dt.date | None = spec(
        "date de notification du licenciement (ancien nom de « notification »)",
        "À quelle date la lettre de licenciement a-t-elle été présentée au salarié ?",
    )
    notification: dt.date | None = spec(
        "date de notification du licenciement (présentation de la lettre recommandée)",
        "À quelle date la lettre de licenciement a-t-elle été présentée au salarié ?",
    )
    travailleur_handicape: bool | None = spec(
        "salarié bénéficiaire de l'obligation d'emploi (travailleur handicapé reconnu, L5212-13)",
        "Le salarié est-il bénéficiaire de l'obligation d'emploi des travailleurs handicapés (RQTH, pension "
        "d'invalidité…) ?",
        negative="non-handicape",
    )
    faute_grave: bool | None = spec(
        "licenciement pour faute grave (ou lourde)", "Le licenciement est-il prononcé pour faute grave ou lourde ?",
        negative="sans-faute-grave",
    )


    def period_end(self) -> tuple[str, dt.date | None]:
        """The notice depends on the seniority at the notification (« sortie » is its documented old name)."""
        return ("sortie", self.sortie) if self.sortie is not None else ("notification", self.notification)

    def check(self) -> None:
        if self.sortie is not None and self.notification is not None:
            raise InputError("sortie", "pour le préavis, « sortie » désigne la notification : indiquez seulement "
                             "« notification »")
        super().check()


def compute(inputs: PreavisInputs) -> CalculationResult:
    date_field, day = inputs.period_end()
    trace = Trace(NAME, inputs, day, date_field)
    if day is not None:
        trace.check(f"Ancienneté appréciée à la notification du licenciement, le {fr.date_fr(day)}",
                    refs=("L1234-1",))
    if inputs.faute_grave:
        trace.check("Licenciement pour faute grave (ou lourde) : pas de préavis", P.PREAVIS_FAUTE_GRAVE)
        return trace.result(0, "mois", "Pas de préavis : licenciement pour faute grave ou lourde.",
                            "faute grave : 0 mois", {"preavis_legal_mois": 0})
    if inputs.faute_grave is None:
        trace.ask("faute_grave")
        trace.flag("En cas de faute grave ou lourde, aucun préavis n'est dû", P.PREAVIS_FAUTE_GRAVE)
    months = counted_months(inputs, trace, P.SUSPENSION_PREAVIS)
    if inputs.travailleur_handicape is None:
        trace.ask("travailleur_handicape")
    if months is None:
        return trace.incomplete("mois", "Il faut l'ancienneté du salarié pour déterminer son préavis.")
    trace.flag("Une loi, une convention ou un accord collectif, le contrat ou un usage plus favorable l'emporte",
               P.PREAVIS_PLUS_FAVORABLE)
    if months < P.PREAVIS_SEUIL_SIX_MOIS.value:
        trace.check(f"Ancienneté de {fr.months(months)}, moins de six mois : la durée du préavis est fixée par la "
                    "loi, la convention ou l'accord collectif, à défaut par les usages de la localité et de la "
                    "profession", P.PREAVIS_SEUIL_SIX_MOIS, P.PREAVIS_MOINS_SIX_MOIS)
        if inputs.travailleur_handicape:
            trace.check("Bénéficiaire de l'obligation d'emploi : ce préavis est doublé, sans dépasser trois mois",
                        P.PREAVIS_DOUBLE_HANDICAP, P.PREAVIS_MAXIMUM_HANDICAP)
        return trace.result(
            None, "mois",
            "Pas de durée légale sous six mois d'ancienneté : voyez la convention collective ou, à défaut, les usages.",
            f"{months} mois < {P.PREAVIS_SEUIL_SIX_MOIS.value} mois : durée fixée par la loi, la convention ou l'usage",
            {"anciennete_mois": months, "preavis_legal_mois": None},
        )
    two_years = P.PREAVIS_SEUIL_DEUX_ANS.value
    legal = P.PREAVIS_UN_MOIS if months < two_years else P.PREAVIS_DEUX_MOIS
    trace.check(f"Ancienneté de {fr.months(months)} : préavis de {legal.value} mois", P.PREAVIS_SEUIL_SIX_MOIS,
                P.PREAVIS_SEUIL_DEUX_ANS, legal)
    formula = (f"ancienneté {months} mois {'<' if legal is P.PREAVIS_UN_MOIS else '≥'} {two_years} mois : "
               f"{legal.value} mois")
    details = {"anciennete_mois": months, "preavis_legal_mois": legal.value}
    if not inputs.travailleur_handicape:
        return trace.result(legal.value, "mois", f"Préavis légal de licenciement : {legal.value} mois.", formula,
                            details)
    doubled = min(legal.value * P.PREAVIS_DOUBLE_HANDICAP.value, P.PREAVIS_MAXIMUM_HANDICAP.value)
    trace.check(f"Bénéficiaire de l'obligation d'emploi : préavis doublé, sans dépasser "
                f"{P.PREAVIS_MAXIMUM_HANDICAP.value} mois", P.PREAVIS_DOUBLE_HANDICAP, P.PREAVIS_MAXIMUM_HANDICAP)
    trace.flag("Le doublement ne s'applique pas si la convention, l'accord collectif ou l'usage prévoit déjà au "
               "moins trois mois", refs=("L5213-9",))
    formula += (f" ; doublé : min({legal.value} × {P.PREAVIS_DOUBLE_HANDICAP.value} ; "
                f"{P.PREAVIS_MAXIMUM_HANDICAP.value}) = {doubled} mois")
    return trace.result(doubled, "mois", f"Préavis légal de licenciement : {doubled} mois (travailleur handicapé).",
                        formula, details | {"preavis_double_mois": doubled})


CALCULATOR = Calculator(
    name=NAME,
    title="Préavis de licenciement",
    description="Durée légale du préavis : 1 mois de 6 mois à 2 ans d'ancienneté, 2 mois au-delà ; doublée (3 mois "
                "au plus) pour un travailleur handicapé.",
    unit="mois",
    inputs=PreavisInputs,
    compute=compute,
    parameters=(
        P.PREAVIS_FAUTE_GRAVE, P.SUSPENSION_PREAVIS, *SUSPENSION_RULES, P.PREAVIS_PLUS_FAVORABLE,
        P.PREAVIS_SEUIL_SIX_MOIS,
        P.PREAVIS_SEUIL_DEUX_ANS, P.PREAVIS_MOINS_SIX_MOIS, P.PREAVIS_UN_MOIS, P.PREAVIS_DEUX_MOIS,
        P.PREAVIS_DOUBLE_HANDICAP, P.PREAVIS_MAXIMUM_HANDICAP,
    ),
)
