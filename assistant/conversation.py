"""Follow-up questions understood from the conversation, without a language model.

Each turn keeps its topic (the last question that stood on its own), the articles it cited and the
calculator inputs read so far. A new message is resolved against them:

- « que dit l'article suivant ? » / « …précédent ? » → the neighbour of the last cited article;
- a message that continues the previous one (« et pour 300 salariés ? », « et si le salarié est
  reconnu travailleur handicapé ? »: it starts with « et », « mais », « si »…) → searched as
  the topic plus the new words, with the calculator inputs carried over (assistant/calculators/
  extraction.py replaces the ones the new message states). A message naming another way of ending the
  contract (« et si je démissionne ? » after a dismissal question) retells the topic with it
  (assistant/contract_endings.py): the thread goes on about the resignation, and its calculation is the
  retold topic's (none for a resignation; the dismissal notice again after « et pour un licenciement ? »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.errors import CorpusError
from corpus.store import ArticleStore
from corpus.text_forms import search_form

from assistant.calculators.extraction import Extraction, extract, extract_retold
from assistant.contract_endings import retold

_NEIGHBOUR = re.compile(r"\barticle (suivant|precedent|d'apres|d'avant)\b")
_CONTINUES = re.compile(r"^\s*(?:et|mais|meme|sinon|alors|dans ce cas|pareil|aussi|idem|et si|si)\b")


@dataclass(frozen=True)
class Turn:
    question: str
    standalone: str
    topic: str  # the question this turn's thread started from
    articles: tuple[str, ...] = ()  # cited, best first
    extraction: Extraction | None = None
    answer: str = ""


@dataclass(frozen=True)
class Resolved:
    standalone: str
    topic: str
    extraction: Extraction | None
    notices: list[str] = field(default_factory=list)
    exact: bool = False  # an article found by rule (« l'article suivant »): no rewording may replace it


def resolve(question: str, history: list[Turn], store: ArticleStore) -> Resolved:
    """The question as it must be searched and computed, given the previous turns."""
    previous = history[-1] if history else None
    folded = search_form(question)
    if previous and (neighbour := _NEIGHBOUR.search(folded)):
        return _neighbour(neighbour[1], previous, store)
    if previous and _CONTINUES.match(folded):
        if (topic := retold(previous.topic, question)) is not None:
            return Resolved(f"{topic} {question.strip()}", topic,
                            _calculation(extract_retold(topic, question, previous.extraction)))
        return Resolved(f"{previous.topic} {question.strip()}", previous.topic,
                        _calculation(extract(question, previous.extraction)))
    return Resolved(question.strip(), question.strip(), _calculation(extract(question)))


def _calculation(extraction: Extraction) -> Extraction | None:
    """The turn's calculator and inputs (carried over from the previous turn when the question continues it),
    or None when the question calls for no calculator."""
    return extraction if extraction.calculator else None


def _neighbour(direction: str, previous: Turn, store: ArticleStore) -> Resolved:
    if not previous.articles:
        return Resolved(previous.topic, previous.topic, None,
                        ["Aucun article n'a été cité au tour précédent : précisez le numéro de l'article."])
    before, after = store.neighbours(previous.articles[0])
    target = after if direction in ("suivant", "d'apres") else before
    if target is None:
        return Resolved(f"article {previous.articles[0]}", previous.topic, None,
                        [f"L'article {previous.articles[0]} n'a pas d'article {direction} dans le code."])
    return Resolved(f"article {target}", f"article {target}", None, exact=True)


def replay(recorded: list[dict[str, object]], store: ArticleStore) -> list[Turn]:
    """Turns rebuilt from a saved conversation ({"question", "answer", "articles"} per turn).

    Only the questions and the cited articles are needed: topic and calculator inputs follow from
    the questions by the same rules as during the conversation.
    """
    turns: list[Turn] = []
    for number, item in enumerate(recorded, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise HistoryError(f"tour {number} : objet {{\"question\": …, \"answer\": …, \"articles\": […]}} attendu")
        resolved = resolve(item["question"], turns, store)
        articles = tuple(str(a) for a in item.get("articles") or [])
        turns.append(Turn(item["question"], resolved.standalone, resolved.topic, articles, resolved.extraction,
                          str(item.get("answer") or "")))
    return turns


def record(turn: Turn) -> dict[str, object]:
    """The saved form of a turn (what `replay` reads back)."""
    return {"question": turn.question, "answer": turn.answer, "articles": list(turn.articles)}


class HistoryError(CorpusError):
    """A saved conversation that cannot be read."""
