"""The ways a contract ends, as a message names them: a follow-up that names another one changes the subject.

« Quel préavis de licenciement avec 3 ans d'ancienneté ? » then « Et si je démissionne ? »: the second
message continues the first (same seniority, same question of notice) but about a resignation, whose
notice the Code leaves to the law, the collective agreement or usage (L1237-1), not the dismissal's
(L1234-1). Searched as the first question plus the new words, it found L1234-1 again and the dismissal
notice was computed a second time. The conversation (assistant/conversation.py) therefore retells the
topic with the new way of ending, and the extraction (assistant/calculators/extraction.py) does not carry
a calculator of another way of ending into it.
"""

from __future__ import annotations

import re
from enum import Enum


class Ending(Enum):
    """A way the employment contract ends, with the noun that names it in a retold question."""

    LICENCIEMENT = "licenciement"
    DEMISSION = "démission"
    RUPTURE_CONVENTIONNELLE = "rupture conventionnelle"
    RETRAITE = "départ à la retraite"


# On the message as typed (accents optional, any case): the retold topic keeps the user's other words.
_PATTERNS: dict[Ending, re.Pattern[str]] = {
    Ending.LICENCIEMENT: re.compile(r"\blicenci\w*", re.IGNORECASE),
    Ending.DEMISSION: re.compile(r"\bd[ée]mission\w*", re.IGNORECASE),
    Ending.RUPTURE_CONVENTIONNELLE: re.compile(r"\brupture (?:conventionnelle|amiable)", re.IGNORECASE),
    Ending.RETRAITE: re.compile(r"\b(?:(?:d[ée]part|mise) (?:à|a|en) )?(?:la )?retraite\b"
                                r"(?! compl[ée]mentaire| progressive| suppl[ée]mentaire)", re.IGNORECASE),
}


def endings_named(text: str) -> set[Ending]:
    """The ways of ending the contract that ``text`` names."""
    return {ending for ending, pattern in _PATTERNS.items() if pattern.search(text)}


def retold(topic: str, message: str) -> str | None:
    """``topic`` about the one way of ending that ``message`` names, when the topic named others (None when
    the message names none, several, or the topic's own): « Quel préavis de licenciement ? » + « Et si je
    démissionne ? » → « Quel préavis de démission ? »."""
    named = endings_named(message)
    if len(named) != 1:
        return None
    new = named.pop()
    old = endings_named(topic)
    if not old or new in old:
        return None
    for ending in old:
        topic = _PATTERNS[ending].sub(new.value, topic)
    return topic
