"""Every calculator by its command-line name, in the order they are listed to users."""

from __future__ import annotations

from corpus.errors import CorpusError

from assistant.calculators import (
    activite_partielle,
    cej_eligibilite,
    indemnite_fin_contrat,
    indemnite_fin_mission,
    indemnite_licenciement,
    oeth,
    preavis_licenciement,
    rupture_conventionnelle,
)
from assistant.calculators.base import Calculator

CALCULATORS: dict[str, Calculator] = {
    module.CALCULATOR.name: module.CALCULATOR
    for module in (
        oeth, activite_partielle, indemnite_licenciement, rupture_conventionnelle, preavis_licenciement,
        indemnite_fin_contrat, indemnite_fin_mission, cej_eligibilite,
    )
}


def get_calculator(name: str) -> Calculator:
    """The calculator called ``name``; a French error listing the valid names otherwise."""
    try:
        return CALCULATORS[name]
    except KeyError:
        available = ", ".join(CALCULATORS)
        raise CorpusError(f"calculateur « {name} » inconnu ; calculateurs disponibles : {available}") from None
