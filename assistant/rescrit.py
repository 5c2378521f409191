"""Rescrit mode: an employer describing its own situation gets an answer it can turn into a request.

When a question describes the employer's own facts (« nous avons 120 salariés… »), the answer
follows the rescrit structure (facts, rules, calculation, what to check, how to obtain a formal
position) and a Markdown draft of a request for a formal position of the administration is
produced, for the employer to complete and send. For the Cinquième partie (emploi), L5112-1-1
obliges the administration to answer explicitly a question on a situation of fact.
"""

from __future__ import annotations

import datetime as dt
import re

from corpus.sentences import sentences
from corpus.store import ArticleStore
from corpus.text_forms import search_form

from assistant.answer import Citation
from assistant.calculators import formatting as fr
from assistant.calculators.base import CalculationResult
from assistant.calculators.registry import CALCULATORS

RESCRIT_ARTICLE = "L5112-1-1"
RESCRIT_QUOTE = ("doit se prononcer de manière explicite sur toute demande formulée par un employeur sur une "
                 "situation de fait")
_SITUATION = re.compile(
    r"\b(?:nous (?:avons|employons|sommes|comptons|allons|voulons|souhaitons|envisageons|devons)|notre "
    r"(?:entreprise|societe|association|structure|etablissement|salarie|salariee|cabinet|magasin)|mon entreprise|"
    r"ma societe|j'emploie|je suis (?:employeur|gerant|gerante|chef d'entreprise|dirigeant)|on a \d+|"
    r"(?:un|une|l'un|l'une) de nos (?:salarie|salariee|salaries))"
)


def describes_situation(question: str) -> bool:
    """True when the question states the employer's own facts."""
    return bool(_SITUATION.search(search_form(question)))


def applies_to(articles: list[str]) -> bool:
    """L5112-1-1 concerns the employment provisions: the Cinquième partie."""
    return any(a[:2] in ("L5", "R5", "D5") for a in articles)


def position_section() -> str:
    """How to obtain a formal position, quoting L5112-1-1 verbatim."""
    return (f"**Obtenir une position formelle de l'administration** — l'administration "
            f"« {RESCRIT_QUOTE} » [{RESCRIT_ARTICLE}]. Le brouillon de demande joint à cette réponse "
            "reprend vos faits et les articles cités ; complétez-le avant de l'envoyer.")


def draft(question: str, citations: list[Citation], calculation: CalculationResult | None,
          store: ArticleStore, today: dt.date) -> str:
    """Markdown draft of the request: facts, question, provisions cited; blanks left to the employer.
    Dated ``today``, the question's reference date, the same date its calculation was made on."""
    lines = [
        "# Demande de prise de position formelle de l'administration — brouillon",
        "",
        f"*Préparé le {fr.date_fr(today)} à partir du Code du travail consolidé au "
        f"{fr.date_fr(store.consolidation_date)}. À compléter, vérifier et signer avant envoi.*",
        "",
        "## Demandeur",
        "- Raison sociale : [à compléter]",
        "- SIRET : [à compléter]",
        "- Adresse : [à compléter]",
        "- Effectif et mode de calcul : [à compléter]",
        "- Convention collective applicable (IDCC) : [à compléter]",
        "",
        "## Exposé de la situation de fait",
        question.strip(),
    ]
    if calculation is not None:
        lines += ["", *(f"- {label} : {value}" for label, value in stated_facts(calculation))]
    lines += ["", "## Question posée",
              f"{_asked(question)} [question posée à l'assistant : à préciser ou reformuler par vos soins]",
              "", "## Dispositions en cause"]
    for citation in citations:
        quote = f" — « {citation.quote} »" if citation.quote else ""
        lines.append(f"- Article {citation.article}{quote} ({citation.url or 'lien indisponible'})")
    if applies_to([c.article for c in citations]):
        lines += ["", f"Demande formée sur le fondement de l'article {RESCRIT_ARTICLE} du Code du travail."]
    if calculation is not None:
        lines += ["", "## Calcul indicatif joint", f"{calculation.summary} {calculation.formula}".strip()]
    lines += ["", "## Analyse de l'employeur", "[à compléter]", "", "## Pièces jointes", "[à compléter]", ""]
    return "\n".join(lines)


def _asked(question: str) -> str:
    """What the employer asked: the question's sentences that end with « ? » (« Sommes-nous en
    règle ? Que risquons-nous ? », without the facts stated before), or all of it when none does.
    The draft's « Question posée » starts from it rather than blank, for the employer to sharpen."""
    return " ".join(s for s in sentences(question) if s.endswith("?")) or question.strip()


def stated_facts(calculation: CalculationResult) -> list[tuple[str, str]]:
    """The calculator inputs read in the question, with their labels."""
    inputs = CALCULATORS[calculation.calculator].inputs
    given = calculation.details.get("inputs") or {}
    return [(inputs.spec_of(name).label, str(value)) for name, value in given.items()]
