"""Indemnité de fin de mission of a temporary worker (L1251-32, L1251-33).

The temporary worker's allowance is not the CDD's: it is paid by the temporary-work agency at the
end of each mission, 10 % of the total gross pay due, unless the worker immediately gets a CDI
with the user company (L1251-32) or one of the cases of L1251-33 applies. There is no 6 % variant
(L1243-9 concerns the CDD only), and the CDD's exclusions (student holidays, refused CDI) are not
the temporary worker's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assistant.calculators import formatting as fr
from assistant.calculators import parameters as P
from assistant.calculators.base import CalculationResult, Calculator, Inputs, Trace, spec
from assistant.calculators.indemnite_fin_contrat import exclusion

NAME = "indemnite-fin-mission"


@dataclass(frozen=True, kw_only=True)
class FinMissionInputs(Inputs):
    remuneration_totale: Decimal | None = spec(
        "rémunération totale brute due au titre de la mission, en €",
        "Quelle est la rémunération totale brute due au salarié pour la mission ?",
        required=True, minimum=0, maximum=Decimal(100_000_000),
    )
    cdi_entreprise_utilisatrice: bool | None = spec(
        "le salarié est embauché immédiatement en CDI par l'entreprise utilisatrice",
        "À l'issue de la mission, l'entreprise utilisatrice embauche-t-elle immédiatement le salarié en CDI ?",
        negative="sans-cdi-utilisatrice",
    )
    mission_usage_accord: bool | None = spec(
        "mission saisonnière ou d'usage (3° de L1251-6) pour laquelle un accord du travail temporaire écarte "
        "l'indemnité",
        "La mission est-elle saisonnière ou d'usage (3° de L1251-6), avec un accord de la branche du travail "
        "temporaire ou de l'entreprise qui écarte l'indemnité ?",
        negative="sans-accord-usage",
    )
    mission_formation: bool | None = spec(
        "période de formation assimilée à une mission (L1251-57)",
        "S'agit-il d'une période de formation assimilée à une mission (L1251-57) ?",
        negative="hors-formation",
    )
    rupture_anticipee: bool | None = spec(
        "rupture anticipée à l'initiative du salarié, pour sa faute grave ou pour force majeure",
        "La mission a-t-elle été rompue avant son terme à l'initiative du salarié, pour faute grave ou force majeure ?",
        negative="sans-rupture-anticipee",
    )


_EXCLUSIONS = (
    ("cdi_entreprise_utilisatrice", P.CDI_ENTREPRISE_UTILISATRICE,
     "le salarié est embauché immédiatement en CDI par l'entreprise utilisatrice"),
    ("mission_usage_accord", P.EXCLUSION_MISSION_USAGE,
     "mission saisonnière ou d'usage pour laquelle un accord du travail temporaire écarte l'indemnité"),
    ("mission_formation", P.EXCLUSION_MISSION_FORMATION, "période de formation assimilée à une mission"),
    ("rupture_anticipee", P.EXCLUSION_MISSION_RUPTURE,
     "rupture anticipée (initiative du salarié, faute grave, force majeure)"),
)


def compute(inputs: FinMissionInputs) -> CalculationResult:
    trace = Trace(NAME, inputs)
    if excluded := exclusion(inputs, _EXCLUSIONS, "indemnité de fin de mission", trace):
        return excluded
    trace.flag("Versée par l'entreprise de travail temporaire à l'issue de chaque mission, avec le dernier salaire",
               refs=("L1251-32",))
    rate = P.TAUX_FIN_MISSION
    trace.use(rate)
    amount = inputs.remuneration_totale * rate.value
    condition = " (si aucun cas d'exclusion ne s'applique)" if trace.missing else ""
    return trace.result(amount, "EUR", f"Indemnité de fin de mission : {fr.euros(amount)}{condition}.",
                        f"{rate.shown()} × {fr.euros(inputs.remuneration_totale)} = {fr.euros(amount)}",
                        {"due": True, "taux": str(rate.value), "indemnite": str(fr.to_cents(amount))})


CALCULATOR = Calculator(
    name=NAME,
    title="Indemnité de fin de mission (intérim)",
    description="Indemnité de fin de mission d'un intérimaire : 10 % de la rémunération totale brute, sauf CDI immédiat "
                "chez l'utilisateur ou cas de L1251-33.",
    unit="EUR",
    inputs=FinMissionInputs,
    compute=compute,
    parameters=(
        P.CDI_ENTREPRISE_UTILISATRICE, P.EXCLUSION_MISSION_USAGE, P.EXCLUSION_MISSION_FORMATION,
        P.EXCLUSION_MISSION_RUPTURE, P.TAUX_FIN_MISSION,
    ),
)
