"""Contrat d'engagement jeune: the conditions of L5131-6 that can be checked from facts.

Open to young people « de seize à vingt-cinq ans révolus » (29 with the status of disabled
worker) who are neither students nor in training. « Vingt-cinq ans révolus » means up to the eve
of the 26th birthday: the age in completed years must be between 16 and 25 (29). The answer is
True or False when the facts settle it, None while a needed fact is unknown; the difficulty of
access to lasting employment is an assessment by the adviser, always listed as not checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assistant.calculators import formatting as fr
from assistant.calculators import parameters as P
from assistant.calculators.base import CalculationResult, Calculator, InputError, Inputs, Trace, spec
from assistant.calculators.dates import age_on

NAME = "cej-eligibilite"


@dataclass(frozen=True, kw_only=True)
class CejInputs(Inputs):
    naissance: dt.date | None = spec("date de naissance", "Quelle est la date de naissance du jeune ?")
    age: int | None = spec("âge en années révolues, si la date de naissance n'est pas connue", "Quel âge a le jeune ?",
                           minimum=0, maximum=120)
    date: dt.date | None = spec("date à laquelle apprécier l'éligibilité",
                                "À quelle date faut-il apprécier l'éligibilité ?")
    rqth: bool | None = spec("qualité de travailleur handicapé reconnue (RQTH)",
                             "La qualité de travailleur handicapé est-elle reconnue au jeune ?", negative="sans-rqth")
    etudiant: bool | None = spec("le jeune est étudiant", "Le jeune est-il étudiant ?", negative="non-etudiant")
    en_formation: bool | None = spec("le jeune suit une formation", "Le jeune suit-il une formation ?",
                                     negative="sans-formation")

    def check(self) -> None:
        reference = self.date or self.today
        if self.naissance is not None:
            if self.naissance > reference:
                raise InputError("naissance", f"la date de naissance ({fr.date_fr(self.naissance)}) est "
                                 f"postérieure à la date de référence ({fr.date_fr(reference)})")
            if self.age is not None and self.age != age_on(self.naissance, reference):
                actual = age_on(self.naissance, reference)
                raise InputError("age", f"ne correspond pas à la date de naissance ({actual} ans le "
                                 f"{fr.date_fr(reference)})")


def compute(inputs: CejInputs) -> CalculationResult:
    day = inputs.date or inputs.today
    trace = Trace(NAME, inputs, day)
    trace.covers(P.AGE_MINIMUM_CEJ)  # the contrat d'engagement jeune exists since 1 March 2022
    if inputs.date is None:
        trace.check(f"Éligibilité appréciée à la date d'aujourd'hui ({fr.date_fr(day)})")
    trace.flag("Le jeune doit rencontrer des difficultés d'accès à l'emploi durable (appréciation du conseiller)",
               P.CEJ_DIFFICULTES)
    trace.flag("Le bénéfice du contrat est subordonné à des exigences d'engagement, d'assiduité et de motivation",
               refs=("L5131-6",))
    if inputs.naissance is not None:
        age = age_on(inputs.naissance, day)
        age_text = f"né(e) le {fr.date_fr(inputs.naissance)} : {age} ans révolus le {fr.date_fr(day)}"
    elif inputs.age is not None:
        age, age_text = inputs.age, f"{inputs.age} ans révolus (âge déclaré)"
    else:
        trace.ask("naissance", blocking=True)
        return trace.incomplete("bool", "Il faut la date de naissance (ou l'âge) du jeune.")

    verdicts = [_age_verdict(age, age_text, inputs.rqth, trace)]
    for name, label in (("etudiant", "étudiant"), ("en_formation", "en formation")):
        answer = getattr(inputs, name)
        if answer is None:
            trace.ask(name)
            verdicts.append(None)
        else:
            verdicts.append(not answer)
            status = f"est {label} : condition non remplie" if answer else f"n'est pas {label}"
            trace.check(f"Le jeune {status}", P.CEJ_NI_ETUDES_NI_FORMATION)
    trace.use(P.CEJ_NI_ETUDES_NI_FORMATION)
    eligible = False if False in verdicts else (None if None in verdicts else True)
    summary = {True: "Éligible au contrat d'engagement jeune au vu des conditions vérifiables.",
               False: "Non éligible au contrat d'engagement jeune.",
               None: "Éligibilité au contrat d'engagement jeune à confirmer : réponses manquantes."}[eligible]
    verdict = {True: "éligible", False: "non éligible", None: "à confirmer"}[eligible]
    formula = f"{age_text} ; âge, études et formation → {verdict}"
    return trace.result(eligible, "bool", summary, formula, {"age": age})


def _age_verdict(age: int, age_text: str, rqth: bool | None, trace: Trace) -> bool | None:
    low, high, high_rqth = P.AGE_MINIMUM_CEJ, P.AGE_MAXIMUM_CEJ, P.AGE_MAXIMUM_CEJ_RQTH
    if low.value <= age <= high.value:
        trace.check(f"Âge : {age_text}, entre {low.value} et {high.value} ans révolus", low, high)
        return True
    if age < low.value:
        trace.check(f"Âge : {age_text}, moins de {low.value} ans", low)
        return False
    if age > high_rqth.value:
        trace.check(f"Âge : {age_text}, au-delà de {high_rqth.value} ans révolus, même avec la RQTH", high, high_rqth)
        return False
    if rqth is None:
        trace.ask("rqth")
        trace.flag(f"Âge : {age_text} ; éligible jusqu'à {high_rqth.value} ans révolus seulement avec la qualité de "
                   "travailleur handicapé reconnue", high, high_rqth)
        return None
    trace.check(f"Âge : {age_text}, au-delà de {high.value} ans : éligible jusqu'à {high_rqth.value} ans révolus "
                f"{'avec' if rqth else 'seulement avec'} la qualité de travailleur handicapé, "
                f"{'reconnue' if rqth else 'non reconnue ici'}", high, high_rqth)
    return rqth


CALCULATOR = Calculator(
    name=NAME,
    title="Éligibilité au contrat d'engagement jeune (CEJ)",
    description="Conditions d'âge (16 à 25 ans révolus, 29 avec RQTH), d'études et de formation du contrat "
                "d'engagement jeune.",
    unit="bool",
    inputs=CejInputs,
    compute=compute,
    parameters=(
        P.AGE_MINIMUM_CEJ, P.AGE_MAXIMUM_CEJ, P.AGE_MAXIMUM_CEJ_RQTH, P.CEJ_NI_ETUDES_NI_FORMATION, P.CEJ_DIFFICULTES,
    ),
)
