"""A calculation result as French text: answer, formula, parameters, conditions, questions, links."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from assistant.calculators import formatting as fr
from assistant.calculators.base import CalculationResult, option_name


def value_text(result: CalculationResult) -> str:
    """« 14 424,00 € », « 2 mois », « oui »; what stands in for a value the law leaves open."""
    value = result.value
    if value is None:
        if result.incomplete:
            return "non calculable (informations manquantes)"
        return {"mois": "pas de durée légale", "bool": "à confirmer"}.get(result.unit, "non déterminé")
    if result.unit == "bool":
        return "oui" if value else "non"
    if result.unit == "mois":
        return f"{value} mois"
    return fr.euros(Decimal(value))


def result_to_text(result: CalculationResult, title: str, corpus_date: dt.date | None) -> str:
    lines = [title, f"Résultat : {value_text(result)}", result.summary]
    if result.formula:
        lines += ["", f"Calcul : {result.formula}"]
    if result.parameters or result.smic:
        lines += ["", "Paramètres :"]
        lines += [f"  - {p.label} : {p.shown()} ({p.article})" for p in result.parameters]
        if result.smic:
            lines.append(f"  - {result.smic.describe()}")
    for heading, items in (("Conditions vérifiées :", result.conditions_checked),
                           ("Conditions non vérifiées, à confirmer :", result.conditions_unchecked)):
        if items:
            lines += ["", heading, *(f"  - {item}" for item in items)]
    if result.missing:
        lines += ["", "Questions :", *(f"  - {q.question} (--{option_name(q.field)})" for q in result.missing)]
    if result.sources:
        lines += ["", "Sources :"]
        for article in dict.fromkeys(s.article for s in result.sources):
            cited = [s for s in result.sources if s.article == article]
            lines.append(f"  - {article} : {cited[0].url or 'lien indisponible'}")
            lines += [f"      « {s.phrase} »" for s in cited if s.phrase]
        if corpus_date:
            lines.append(f"  (Code du travail consolidé au {fr.date_fr(corpus_date)})")
    lines += ["", result.note]
    return "\n".join(lines)
