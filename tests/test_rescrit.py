"""The rescrit draft's « Question posée » starts from what the employer asked, marked for them to rework."""

from __future__ import annotations

import pytest

from corpus.store import ArticleStore

from assistant import rescrit
from tests.conftest import TODAY

MARK = "[question posée à l'assistant : à préciser ou reformuler par vos soins]"


def _question_section(draft: str) -> str:
    return draft.split("## Question posée\n", 1)[1].split("\n\n", 1)[0]


@pytest.mark.parametrize(("question", "asked"), [
    ("Nous avons 120 salariés et employons 4 travailleurs handicapés. Sommes-nous en règle ? Que risquons-nous ?",
     "Sommes-nous en règle ? Que risquons-nous ?"),
    ("Nous avons 120 salariés : combien de travailleurs handicapés devons-nous employer ?",
     "Nous avons 120 salariés : combien de travailleurs handicapés devons-nous employer ?"),
    ("  Nous avons 120 salariés et 4 travailleurs handicapés.  ", "Nous avons 120 salariés et 4 travailleurs handicapés."),
])
def test_the_question_asked_is_prefilled_and_marked_to_be_reworded(store: ArticleStore, question: str,
                                                                   asked: str) -> None:
    draft = rescrit.draft(question, [], None, store, TODAY)
    assert _question_section(draft) == f"{asked} {MARK}"
    assert f"## Exposé de la situation de fait\n{question.strip()}\n" in draft  # the facts stay whole
