"""A follow-up naming another way of ending the contract retells the topic with it (assistant/contract_endings.py)."""

from __future__ import annotations

import pytest

from assistant.contract_endings import Ending, endings_named, retold


@pytest.mark.parametrize(("text", "named"), [
    ("Et si je démissionne ?", {Ending.DEMISSION}),
    ("et en cas de demission", {Ending.DEMISSION}),
    ("Mon employeur veut me licencier", {Ending.LICENCIEMENT}),
    ("Et pour une rupture conventionnelle ?", {Ending.RUPTURE_CONVENTIONNELLE}),
    ("Et en cas de départ à la retraite ?", {Ending.RETRAITE}),
    ("Et ma retraite complémentaire ?", set()),  # a pension scheme, not a way of leaving
    ("Et avec 10 ans d'ancienneté ?", set()),
])
def test_endings_named(text: str, named: set[Ending]) -> None:
    assert endings_named(text) == named


def test_the_topic_is_retold_with_the_new_way_of_ending() -> None:
    topic = "Quel est le préavis de licenciement avec 3 ans d'ancienneté ?"
    assert retold(topic, "Et si je démissionne ?") == "Quel est le préavis de démission avec 3 ans d'ancienneté ?"
    assert retold("Indemnité si je suis licencié après 6 ans ?", "Et en rupture conventionnelle ?") == \
        "Indemnité si je suis rupture conventionnelle après 6 ans ?"


@pytest.mark.parametrize(("topic", "message"), [
    ("Quel est le préavis de licenciement ?", "Et avec 10 ans d'ancienneté ?"),  # no way of ending named
    ("Quel est le préavis de licenciement ?", "Et pour un licenciement économique ?"),  # the topic's own
    ("Combien de congés payés par an ?", "Et si je démissionne ?"),  # the topic named none: nothing to replace
    ("Quel préavis de licenciement ?", "Et si je démissionne avant mon départ à la retraite ?"),  # two: unclear
])
def test_the_topic_stays_when_the_message_does_not_switch(topic: str, message: str) -> None:
    assert retold(topic, message) is None
