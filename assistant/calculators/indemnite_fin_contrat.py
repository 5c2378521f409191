"""Indemnité de fin de contrat of a CDD (L1243-8 to L1243-10).

10 % of the total gross pay (6 % where a collective agreement offers training in return,
L1243-9), not due when the relationship continues as a CDI or in the cases of L1243-10, each
asked as a yes/no question: the amount is given « si aucun de ces cas ne s'applique ».
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assistant.calculators import formatting as fr
from assistant.calculators import parameters as P
from assistant.calculators.base import CalculationResult, Calculator, Inputs, Trace, spec
from assistant.calculators.parameters import Parameter

NAME = "indemnite-fin-contrat"


@dataclass(frozen=True, kw_only=True)
class FinContratInputs(Inputs):
    remuneration_totale: Decimal | None = spec(
        "rémunération totale brute versée pendant le contrat, en €",
        "Quelle est la rémunération totale brute versée au salarié pendant le CDD ?",
        required=True, minimum=0, maximum=Decimal(100_000_000),
    )
    poursuite_cdi: bool | None = spec(
        "la relation de travail se poursuit en CDI", "Le CDD est-il suivi d'un CDI chez le même employeur ?",
        negative="sans-cdi",
    )
    saisonnier_ou_usage: bool | None = spec(
        "contrat saisonnier, d'usage (3° de L1242-2) ou conclu au titre de L1242-3",
        "S'agit-il d'un contrat saisonnier, d'un CDD d'usage ou d'un contrat conclu au titre de L1242-3 "
        "(insertion, formation, recherche) ?",
        negative="ni-saisonnier-ni-usage",
    )
    jeune_vacances: bool | None = spec(
        "contrat d'un jeune pendant ses vacances scolaires ou universitaires",
        "Le contrat a-t-il été conclu avec un jeune pour une période comprise dans ses vacances scolaires ou "
        "universitaires ?",
        negative="hors-vacances",
    )
    refus_cdi: bool | None = spec(
        "le salarié a refusé un CDI pour le même emploi ou un emploi similaire, à rémunération au moins égale",
        "Le salarié a-t-il refusé un CDI pour le même emploi ou un emploi similaire, à rémunération au moins égale ?",
        negative="sans-refus-cdi",
    )
    rupture_anticipee: bool | None = spec(
        "rupture anticipée à l'initiative du salarié, pour sa faute grave ou pour force majeure",
        "Le contrat a-t-il été rompu avant son terme à l'initiative du salarié, pour faute grave ou force majeure ?",
        negative="sans-rupture-anticipee",
    )
    accord_6_pourcent: bool | None = spec(
        "un accord collectif limite l'indemnité à 6 % en contrepartie d'un accès à la formation",
        "Un accord collectif limite-t-il l'indemnité à 6 % en contrepartie d'un accès privilégié à la formation ?",
        negative="sans-accord-6-pourcent",
    )


# Each case where the indemnity is not due: the input that answers it and its legal source.
_EXCLUSIONS = (
    ("poursuite_cdi", P.POURSUITE_CDI, "la relation de travail se poursuit en CDI"),
    ("saisonnier_ou_usage", P.EXCLUSION_SAISONNIER,
     "contrat saisonnier, d'usage ou de L1242-3 (sauf convention plus favorable)"),
    ("jeune_vacances", P.EXCLUSION_VACANCES, "contrat d'un jeune pendant ses vacances scolaires ou universitaires"),
    ("refus_cdi", P.EXCLUSION_REFUS_CDI, "refus d'un CDI pour un emploi similaire à rémunération au moins équivalente"),
    ("rupture_anticipee", P.EXCLUSION_RUPTURE_ANTICIPEE,
     "rupture anticipée (initiative du salarié, faute grave, force majeure)"),
)


def compute(inputs: FinContratInputs) -> CalculationResult:
    trace = Trace(NAME, inputs)
    if excluded := exclusion(inputs, _EXCLUSIONS, "indemnité de fin de contrat", trace):
        return excluded
    rate = P.TAUX_FIN_CONTRAT_ACCORD if inputs.accord_6_pourcent else P.TAUX_FIN_CONTRAT
    if inputs.accord_6_pourcent:
        trace.check("Accord collectif limitant l'indemnité à 6 % avec des contreparties de formation", rate)
    else:
        trace.use(rate)
        if inputs.accord_6_pourcent is None:
            trace.ask("accord_6_pourcent")
            trace.flag("Un accord collectif peut limiter l'indemnité à 6 % en contrepartie d'un accès à la formation",
                       P.TAUX_FIN_CONTRAT_ACCORD)
    amount = inputs.remuneration_totale * rate.value
    condition = " (si aucun cas d'exclusion ne s'applique)" if trace.missing else ""
    return trace.result(amount, "EUR", f"Indemnité de fin de contrat : {fr.euros(amount)}{condition}.",
                        f"{rate.shown()} × {fr.euros(inputs.remuneration_totale)} = {fr.euros(amount)}",
                        {"due": True, "taux": str(rate.value), "indemnite": str(fr.to_cents(amount))})


def exclusion(inputs: Inputs, exclusions: tuple[tuple[str, Parameter, str], ...], allowance: str,
              trace: Trace) -> CalculationResult | None:
    """The « not due » result of the first exclusion the inputs state; None when none does, each
    unanswered one asked and flagged, each answered « non » recorded as set aside. Shared with the
    temporary worker's end-of-mission allowance, whose exclusions have the same shape."""
    for name, parameter, case in exclusions:
        answer = getattr(inputs, name)
        if answer:
            trace.check(f"Indemnité non due : {case}", parameter)
            return trace.result(Decimal(0), "EUR", f"Pas d'{allowance} : {case}.", f"{case} : 0,00 €",
                                {"due": False})
        if answer is None:
            trace.ask(name)
            trace.flag(f"Non due si : {case}", parameter)
        else:
            trace.check(f"Cas d'exclusion écarté : {case}", parameter)
    return None


CALCULATOR = Calculator(
    name=NAME,
    title="Indemnité de fin de contrat (CDD)",
    description="Indemnité de fin de CDD : 10 % de la rémunération totale brute, sauf les cas où elle n'est pas due.",
    unit="EUR",
    inputs=FinContratInputs,
    compute=compute,
    parameters=(
        P.POURSUITE_CDI, P.EXCLUSION_SAISONNIER, P.EXCLUSION_VACANCES, P.EXCLUSION_REFUS_CDI,
        P.EXCLUSION_RUPTURE_ANTICIPEE, P.TAUX_FIN_CONTRAT, P.TAUX_FIN_CONTRAT_ACCORD,
    ),
)
