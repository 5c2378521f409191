"""What kind of answer a question expects: a duration, an amount, a deadline, conditions, a yes or
no, or a list — read from its wording, because the sentence that answers « combien de jours… » is
the one with a number of days, and a question asking « quels sont les cas… » wants every case.
"""

from __future__ import annotations

import re
from enum import Enum

from corpus.text_forms import search_form


class Expects(str, Enum):
    DURATION = "durée"
    AMOUNT = "montant"
    DEADLINE = "délai"
    CONDITIONS = "conditions"
    YES_NO = "oui/non"
    OTHER = "autre"


# Questions and the sentences that answer them, in search form (lowercase, no accents).
_ASKS = {
    Expects.DEADLINE: re.compile(r"\bdelai|\bquand\b|\bau plus tard\b|\bavant quelle\b|\bdans quel\b|\bdate\b"),
    Expects.DURATION: re.compile(r"\bcombien de (?:jours?|semaines?|mois|ans|annees?|heures?|temps)\b|\bduree\b|"
                                 r"\bcombien de conges?\b|\bpendant combien\b"),
    Expects.AMOUNT: re.compile(r"\bmontant\b|\bcombien (?:coute|toucher|touche|paye|payer|verser|doit[- ]on)\b|"
                               r"\bindemnite\b|\btaux\b|\bsalaire minimum\b|\bcontribution\b|\bremuneration\b|\bcombien\b"),
    Expects.CONDITIONS: re.compile(r"\bconditions?\b|\bqui peut\b|\ba qui\b|\bdans quels? cas\b|\bquand peut\b"),
    Expects.YES_NO: re.compile(r"^(?:est-ce que|y a-t-il)|\b\w+-(?:t-)?(?:il|elle|on|je|ils|elles)\b"),
}
_ANSWERS = {
    Expects.DEADLINE: re.compile(r"\bdelai\b|\bau plus tard\b|\ba compter\b|\bavant l|\bdans les \w+ (?:jours|mois)|"
                                 r"\bdans un delai\b|\bau moins \w+ jours?\b"),
    Expects.DURATION: re.compile(r"\b(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|"
                                 r"trente|quarante|soixante|cent)\b[^.;]{0,20}\b(?:jours?|semaines?|mois|ans|annees?|"
                                 r"heures?)\b|\bduree\b"),
    Expects.AMOUNT: re.compile(r"€|\beuros?\b|%|\bpour cent\b|\bfois (?:le|la)\b|\btaux\b|\bmontant\b|\bsalaire\b|"
                               r"\bquart\b|\btiers\b|\bmoitie\b"),
    Expects.CONDITIONS: re.compile(r"\blorsque\b|\bsi\b|\ba condition\b|\bdes lors\b|\bsous reserve\b|\bqui justifie\b"),
    Expects.YES_NO: re.compile(r"\bpeut\b|\bpeuvent\b|\bne peut\b|\best tenu\b|\bdoit\b|\binterdit\b|\bobligatoire\b|"
                               r"\ba droit\b|\bne sont pas\b|\bsont autorises?\b"),
}
_LIST = re.compile(r"^(?:quel(?:le)?s sont|quel(?:le)?s \w+ (?:doit|doivent|peut|peuvent|sont)|quels? cas|"
                   r"dans quels cas|quelles? mentions)|\bliste\b|\bles cas\b|\bquels sont les\b|\bquelles sont les\b")


def expects(question: str) -> Expects:
    """The first kind of answer the question's wording asks for (deadline, duration and amount before
    conditions and yes/no: « combien de jours… si… » wants the number of days)."""
    folded = search_form(question)
    return next((kind for kind, asks in _ASKS.items() if asks.search(folded)), Expects.OTHER)


def answers(sentence: str, kind: Expects) -> bool:
    """Whether a sentence has the form of an answer of that kind (a number of days for a duration…)."""
    pattern = _ANSWERS.get(kind)
    return bool(pattern and pattern.search(search_form(sentence)))


def asks_for_list(question: str) -> bool:
    """« Quels sont les cas… », « la liste des… »: the answer may quote more articles."""
    return bool(_LIST.search(search_form(question)))
