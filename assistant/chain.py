"""The retrieval chain: conversation → standalone question → hybrid retrieval → answer → citation check.

A LangChain runnable sequence, so each step can be traced, streamed and replaced:

1. `gate`: clean the question, refuse what the Code du travail cannot answer (assistant/scope.py);
2. `understand`: resolve follow-ups from the conversation (rules offline, the LLM when configured)
   and read calculator inputs;
3. `retrieve`: hybrid search (indexing/search.py); abstain when no article comes close enough;
4. `calculate`: the deterministic calculator the question calls for, if any — never the LLM;
5. `compose`: the extractive composer offline, or the configured LLM;
6. `check`: every citation and quotation against the corpus and the retrieved set
   (assistant/citations.py); the answer ends with the cited articles and the corpus date.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from langchain_core.runnables import RunnableLambda, RunnablePassthrough, RunnableSerializable

from corpus.errors import CorpusError
from corpus.model import Article
from corpus.store import load_store
from indexing.index import open_searcher
from indexing.search import Searcher, SearchResult
from indexing.settings import IndexSettings

from assistant import composer, rescrit
from assistant.answer import Answer
from assistant.calculators.base import CalculationResult
from assistant.calculators.registry import get_calculator
from assistant.citations import check_citations
from assistant.conversation import Resolved, Turn, resolve
from assistant.llm import llm_from_settings
from assistant.llm_settings import LlmError
from assistant.scope import ABSTAIN_BELOW, abstention_message, gate, should_abstain

RETRIEVED_ARTICLES = 8


class LlmComposer(Protocol):
    """What the chain needs from a configured language model (assistant/llm.py)."""

    name: str

    def standalone(self, history: list[Turn], question: str) -> str: ...

    def compose(self, question: str, articles: list[Article], calculation: CalculationResult | None,
                situation: bool) -> str: ...

    def stream(self, question: str, articles: list[Article], calculation: CalculationResult | None,
               situation: bool) -> Iterator[str]: ...


class Assistant:
    """The chain and everything it needs, loaded once per process."""

    def __init__(self, searcher: Searcher, llm: LlmComposer | None = None,
                 abstain_below: float = ABSTAIN_BELOW, k: int = RETRIEVED_ARTICLES,
                 max_articles: int = composer.MAX_ARTICLES) -> None:
        self.searcher = searcher
        self.store = searcher.store
        self.llm = llm
        self.abstain_below = abstain_below
        self.k = k
        self.max_articles = max_articles  # quoted by the extractive composer (bench/answers.py compares 4, 5, 6)
        self.prepare: RunnableSerializable[dict[str, Any], dict[str, Any]] = (
            RunnablePassthrough.assign(gate=_timed("gate", lambda s: gate(s["question"], s["today"])))
            | RunnablePassthrough.assign(resolved=_timed("understand", self._understand))
            | RunnablePassthrough.assign(search=_timed("retrieve", self._retrieve))
            | RunnablePassthrough.assign(calculation=_timed("calculate", self._calculate))
            | RunnablePassthrough.assign(plan=self._plan)
        )
        self.chain = (
            self.prepare
            | RunnablePassthrough.assign(text=_timed("compose", self._compose))
            | RunnableLambda(self._check, name="check")
        )

    @property
    def mode(self) -> str:
        return f"llm:{self.llm.name}" if self.llm else "extractif"

    def ask(self, question: str, history: list[Turn] | None = None,
            today: dt.date | None = None) -> tuple[Answer, Turn]:
        """The checked answer and the turn to add to the conversation (``today``: see ``chain_input``)."""
        state = self.chain.invoke(chain_input(question, history, today))
        return state["answer"], state["turn"]

    def stream(self, question: str, history: list[Turn] | None = None,
               today: dt.date | None = None) -> Iterator[str | tuple[Answer, Turn]]:
        """Draft text as the LLM writes it (unchecked), then the checked answer and its turn."""
        state = self.prepare.invoke(chain_input(question, history, today))
        if self.llm and not state["plan"]["abstained"]:
            started, parts = time.perf_counter(), []
            try:
                for part in self.llm.stream(state["resolved"].standalone, self._articles(state),
                                            state["calculation"], state["plan"]["situation"]):
                    parts.append(part)
                    yield part
                state["text"] = "".join(parts)
            except LlmError as error:  # as in _compose: the extractive answer, with a notice
                state["gate"].notices.append(f"{error} Réponse extractive, sans modèle de langage.")
                state["text"] = self._extractive(state)
            state["timings"]["compose"] = (time.perf_counter() - started) * 1000
        else:
            state["text"] = _timed("compose", self._compose).invoke(state)
        final = self._check(state)
        yield final["answer"], final["turn"]

    # --- steps -----------------------------------------------------------------------------------
    def _understand(self, state: dict[str, Any]) -> Resolved | None:
        if state["gate"].refusal:
            return None
        resolved = resolve(state["gate"].question, state["history"], self.store)
        if self.llm and state["history"] and not resolved.exact:
            try:
                return Resolved(self.llm.standalone(state["history"], state["gate"].question), resolved.topic,
                                resolved.extraction, resolved.notices)
            except LlmError as error:  # the rules' reading of the follow-up is still there
                state["gate"].notices.append(f"{error} Question reformulée sans modèle de langage.")
        return resolved

    def _retrieve(self, state: dict[str, Any]) -> SearchResult | None:
        resolved: Resolved | None = state["resolved"]
        return self.searcher.search(resolved.standalone, self.k) if resolved else None

    def _calculate(self, state: dict[str, Any]) -> CalculationResult | None:
        resolved: Resolved | None = state["resolved"]
        if resolved is None or resolved.extraction is None:
            return None
        try:
            return get_calculator(resolved.extraction.calculator).run(resolved.extraction.inputs, self.store,
                                                                         state["today"])
        except CorpusError as error:  # bad input, or a parameter the corpus no longer carries
            state["gate"].notices.append(f"Calcul impossible : {error}")
            return None

    def _plan(self, state: dict[str, Any]) -> dict[str, Any]:
        """Abstain or answer, from which articles, in which structure."""
        search: SearchResult | None = state["search"]
        calculation: CalculationResult | None = state["calculation"]
        hits = search.hits if search else []
        resolved: Resolved | None = state["resolved"]
        calculable = bool(resolved and resolved.extraction and resolved.extraction.inputs)
        abstained = search is None or should_abstain(state["gate"], hits, calculable, self.abstain_below)
        situation = not abstained and rescrit.describes_situation(state["resolved"].standalone)
        retrieved = [h.article for h in hits]
        if calculation is not None:
            retrieved += [s.article for s in calculation.sources]
        if situation and rescrit.applies_to(retrieved):
            retrieved.append(rescrit.RESCRIT_ARTICLE)
        return {"abstained": abstained, "situation": situation, "retrieved": list(dict.fromkeys(retrieved))}

    def _compose(self, state: dict[str, Any]) -> str:
        plan = state["plan"]
        if state["gate"].refusal:
            return state["gate"].refusal
        if plan["abstained"]:
            return abstention_message(state["gate"].question)
        if self.llm:
            try:
                return self.llm.compose(state["resolved"].standalone, self._articles(state), state["calculation"],
                                        plan["situation"])
            except LlmError as error:  # an unreachable model must not leave the user without an answer
                state["gate"].notices.append(f"{error} Réponse extractive, sans modèle de langage.")
        return self._extractive(state)

    def _extractive(self, state: dict[str, Any]) -> str:
        plan, search = state["plan"], state["search"]
        extracts = composer.select_extracts(state["resolved"].standalone, search.hits, self.store, self.max_articles)
        text = composer.compose(state["gate"].question, extracts, state["calculation"], self.store, plan["situation"])
        if plan["situation"] and rescrit.RESCRIT_ARTICLE in plan["retrieved"]:
            text += "\n\n" + rescrit.position_section()
        return text

    def _check(self, state: dict[str, Any]) -> dict[str, Any]:
        plan, search, resolved = state["plan"], state["search"], state["resolved"]
        started = time.perf_counter()
        checked = check_citations(state["text"], plan["retrieved"], self.store)
        cited = list(dict.fromkeys(c.article for c in checked.citations))
        state["timings"]["check"] = (time.perf_counter() - started) * 1000
        calculation: CalculationResult | None = None if plan["abstained"] else state["calculation"]
        notices = [*state["gate"].notices, *(resolved.notices if resolved else []),
                   *(search.notices if search else []), *checked.notices]
        answer = Answer(
            question=state["question"], standalone=resolved.standalone if resolved else state["gate"].question,
            text=checked.text + composer.footer(cited, self.store), citations=checked.citations,
            corpus_date=self.store.consolidation_date, abstained=plan["abstained"], mode=self.mode,
            calculation=calculation.to_dict() if calculation else None, retrieved=plan["retrieved"],
            notices=list(dict.fromkeys(notices)), timings_ms=dict(state["timings"]),
        )
        if plan["situation"]:
            answer.rescrit = rescrit.draft(answer.standalone, checked.citations, calculation, self.store,
                                           state["today"])
        turn = Turn(state["question"], answer.standalone, resolved.topic if resolved else answer.standalone,
                    tuple(cited), resolved.extraction if resolved else None, answer.text)
        return {"answer": answer, "turn": turn}

    def _articles(self, state: dict[str, Any]) -> list[Article]:
        return [self.store.get(number) for number in state["plan"]["retrieved"]]


def chain_input(question: str, history: list[Turn] | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """The state the chain starts from. Its entry is the one place the reference date is read: the
    question's ``today`` (the day it is asked, unless a caller replays it on a given date) goes down
    to the gate, the calculator and the rescrit draft, so that an answer can be reproduced."""
    return {"question": question, "history": history or [], "timings": {}, "today": today or dt.date.today()}


def _timed(step: str, function: Callable[[dict[str, Any]], Any]) -> RunnableLambda:
    """A chain step that records its duration in the state's timings."""

    def run(state: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return function(state)
        finally:
            state["timings"][step] = (time.perf_counter() - started) * 1000

    return RunnableLambda(run, name=step)


def load_assistant() -> tuple[Assistant, list[str]]:
    """The assistant over the active corpus and index, with the LLM the settings name (assistant/llm.py),
    and the warnings to show (lexical-only…)."""
    llm = llm_from_settings()  # a bad setting fails here, before the models load
    searcher, warnings = open_searcher(load_store(), IndexSettings.from_env())
    return Assistant(searcher, llm), warnings
