"""The retrieval chain: conversation → standalone question → hybrid retrieval → answer → citation check.

A LangChain runnable sequence, so each step can be traced, streamed and replaced. The steps pass
one typed record, `ChainState`, each filling its own field, so a reader follows a question from
`Assistant.ask` to the checked answer by reading the fields in order:

1. `gate`: clean the question, refuse what the Code du travail cannot answer (assistant/scope.py);
2. `understand` → `resolved`: follow-ups resolved from the conversation (rules offline, the LLM when
   configured) and calculator inputs read;
3. `retrieve` → `search`: hybrid search (indexing/search.py), and `convention`: what the user's convention
   collective says on it, when one is chosen (assistant/convention_answer.py);
4. `calculate` → `calculation`: the deterministic calculator the question calls for, if any — never the LLM;
5. `plan`: abstain or answer, and from which texts;
6. `compose` → `text`: the extractive composer offline, or the configured LLM;
7. `check` → `answer`, `turn`: every citation and quotation against the corpus and the retrieved set
   (assistant/citations.py); the answer ends with the cited articles and the corpus date.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from langchain_core.runnables import RunnableLambda, RunnableSerializable

from corpus.convention_directory import named_in
from corpus.conventions import ConventionInfo
from corpus.errors import CorpusError
from corpus.model import Article
from corpus.sheets import SheetSection
from corpus.store import load_store
from indexing.convention_search import ConventionLibrary
from indexing.embedder import model_name
from indexing.index import open_searcher
from indexing.search import Searcher, SearchResult
from indexing.sheet_search import SheetHit
from indexing.settings import IndexSettings

from assistant import composer, convention_answer, rescrit, sheet_card
from assistant.composer import Lead
from assistant.answer import Answer
from assistant.calculators.base import CalculationResult
from assistant.calculators.extraction import calls_for_calculation
from assistant.calculators.registry import get_calculator
from assistant.citations import REMOVED_QUOTE, check_citations
from assistant.convention_answer import ConventionFinding
from assistant.conversation import Resolved, Turn, resolve
from assistant.llm import llm_from_settings
from assistant.llm_settings import LlmError
from assistant.scope import (
    ABSTAIN_BELOW, SCOPE_MODEL, Decision, Gate, Scope, ScopeModel, abstention_message, decide, gate, mixed_notice,
)
from assistant.selection import Selection, select
from assistant.sheet_card import SheetCard

RETRIEVED_ARTICLES = 8


class LlmComposer(Protocol):
    """What the chain needs from a configured language model (assistant/llm.py)."""

    name: str

    def standalone(self, history: list[Turn], question: str) -> str: ...

    def compose(self, question: str, articles: list[Article], calculation: CalculationResult | None,
                situation: bool, sheets: Sequence[SheetSection] = (),
                convention: ConventionFinding | None = None) -> str: ...

    def stream(self, question: str, articles: list[Article], calculation: CalculationResult | None,
               situation: bool, sheets: Sequence[SheetSection] = (),
               convention: ConventionFinding | None = None) -> Iterator[str]: ...


@dataclass(frozen=True)
class Plan:
    """The `plan` step's decision: whether to answer, in which structure, from which texts."""

    decision: Decision
    situation: bool  # the question describes a concrete case: « Votre situation » and the rescrit draft
    retrieved: list[str]  # keys of the texts the answer may cite: the hits, the calculator's sources…
    selection: Selection | None  # the articles quoted and those only linked (None when abstained)
    card: SheetCard | None  # the ministry's sheet shown beside them, when one is close enough

    @property
    def abstained(self) -> bool:
        return self.decision.abstained


@dataclass
class ChainState:
    """One question on its way through the chain; each step fills the field named after it.

    ``today`` is the reference date (see `chain_input`); ``timings`` the milliseconds of each step.
    """

    question: str  # as the user wrote it
    history: list[Turn]
    today: dt.date
    chosen: ConventionInfo | None = None  # the user's convention collective, chosen for the conversation
    timings: dict[str, float] = field(default_factory=dict)
    gate: Gate | None = None
    resolved: Resolved | None = None  # None when the gate refused the question
    search: SearchResult | None = None  # None when the gate refused the question
    sheets: list[SheetHit] = field(default_factory=list)  # the ministry's sections found with the articles
    convention: ConventionFinding | None = None  # what the chosen convention says (None: none chosen, or no text)
    calculation: CalculationResult | None = None
    plan: Plan | None = None
    text: str | None = None  # the composed answer, before the check
    lead: Lead | None = None  # its « En bref » (assistant/composer.py)
    answer: Answer | None = None
    turn: Turn | None = None

    @property
    def notices(self) -> list[str]:
        """Where steps add what the user must know (an unreachable model, a failed calculation)."""
        assert self.gate is not None, "the gate runs first"
        return self.gate.notices


class Assistant:
    """The chain and everything it needs, loaded once per process."""

    def __init__(self, searcher: Searcher, llm: LlmComposer | None = None,
                 abstain_below: float = ABSTAIN_BELOW, k: int = RETRIEVED_ARTICLES,
                 scope_model: ScopeModel | None = SCOPE_MODEL, conventions: ConventionLibrary | None = None) -> None:
        self.searcher = searcher
        self.conventions = conventions  # None: conventions not served (the answers come from the Code alone)
        self.scope_model = scope_model  # None: another embedding model's vectors, which it cannot read
        self.store = searcher.store
        self.llm = llm
        self.abstain_below = abstain_below
        self.k = k
        sections = self.searcher.sheets.sections.values() if self.searcher.sheets else []
        self.sheet_citations = Counter(key for section in sections for key in section.articles)
        self.prepare: RunnableSerializable[ChainState, ChainState] = (
            _step("gate", self._gate) | _step("understand", self._understand) | _step("retrieve", self._retrieve)
            | _step("calculate", self._calculate) | _step("plan", self._plan)
        )
        self.chain = self.prepare | _step("compose", self._compose) | RunnableLambda(self._check, name="check")

    @property
    def mode(self) -> str:
        return f"llm:{self.llm.name}" if self.llm else "extractif"

    def ask(self, question: str, history: list[Turn] | None = None, today: dt.date | None = None,
            convention: ConventionInfo | None = None) -> tuple[Answer, Turn]:
        """The checked answer and the turn to add to the conversation (``today``: see ``chain_input``;
        ``convention``: the user's, whose articles on the question the answer quotes beside the Code's)."""
        state = self.chain.invoke(chain_input(question, history, today, convention))
        assert state.answer is not None and state.turn is not None
        return state.answer, state.turn

    def stream(self, question: str, history: list[Turn] | None = None, today: dt.date | None = None,
               convention: ConventionInfo | None = None) -> Iterator[str | tuple[Answer, Turn]]:
        """Draft text as the LLM writes it (unchecked), then the checked answer and its turn."""
        state = self.prepare.invoke(chain_input(question, history, today, convention))
        assert state.plan is not None
        if self.llm and not state.plan.abstained:
            started = time.perf_counter()
            self._lead(state)
            parts = [composer.lead_section(state.lead)]
            if parts[0]:
                yield parts[0]
            try:
                for part in self.llm.stream(self._standalone(state), self._articles(state), state.calculation,
                                            state.plan.situation, self._sheets(state), state.convention):
                    parts.append(part)
                    yield part
                if state.convention is not None:
                    parts.append(section := "\n\n" + convention_answer.section(state.convention))
                    yield section
                if card := composer.card_section(state.plan.card, state.lead):
                    parts.append(card)
                    yield card
                state.text = "".join(parts)
            except LlmError as error:  # as in _compose: the extractive answer, with a notice
                state.notices.append(f"{error} Réponse extractive, sans modèle de langage.")
                state.text = self._extractive(state)
            state.timings["compose"] = (time.perf_counter() - started) * 1000
        else:
            state = _step("compose", self._compose).invoke(state)
        state = self._check(state)
        assert state.answer is not None and state.turn is not None
        yield state.answer, state.turn

    # --- steps: each fills its field of the state ------------------------------------------------
    def _gate(self, state: ChainState) -> None:
        state.gate = gate(state.question, state.today)

    def _understand(self, state: ChainState) -> None:
        assert state.gate is not None
        if state.gate.refusal:
            return
        resolved = resolve(state.gate.question, state.history, self.store)
        if self.llm and state.history and not resolved.exact:
            try:
                resolved = Resolved(self.llm.standalone(state.history, state.gate.question), resolved.topic,
                                    resolved.extraction, resolved.notices)
            except LlmError as error:  # the rules' reading of the follow-up is still there
                state.notices.append(f"{error} Question reformulée sans modèle de langage.")
        state.resolved = resolved

    def _retrieve(self, state: ChainState) -> None:
        if state.resolved:
            state.search = self.searcher.search(state.resolved.standalone, self.k)
            if self.searcher.sheets is not None:
                state.sheets = self.searcher.sheets.search(state.resolved.standalone, state.search.query_vector,
                                                           sheet_card.SHEET_CANDIDATES)
            self._search_convention(state)

    def _search_convention(self, state: ChainState) -> None:
        """The chosen convention's articles on the question (or those of the one convention the question
        names, with a notice saying so); a notice when its text is not here."""
        if state.chosen is None and self.conventions is not None and state.resolved is not None:
            state.chosen = named_in(state.resolved.standalone, self.conventions.conventions)
            if state.chosen is not None:
                state.notices.append(f"Convention collective prise dans votre question : IDCC {state.chosen.idcc} "
                                     f"({state.chosen.short_title}). Choisissez-la pour la garder dans la conversation.")
        chosen = state.chosen
        if chosen is None or state.search is None:
            return
        if self.conventions is None or not chosen.has_text:
            state.notices.append(f"Le texte de la convention collective IDCC {chosen.idcc} ({chosen.short_title}) "
                                 "n'est pas disponible ici : la réponse vient du seul Code du travail.")
            return
        try:
            searcher = self.conventions.searcher(chosen)
        except CorpusError as error:  # a damaged or missing snapshot: the Code still answers
            state.notices.append(f"{error} La réponse vient du seul Code du travail.")
            return
        state.convention = convention_answer.find(searcher, self._standalone(state), state.search.query_vector)

    def _calculate(self, state: ChainState) -> None:
        extraction = state.resolved.extraction if state.resolved else None
        if extraction is None or not calls_for_calculation(self._standalone(state), extraction):
            return  # a question on the rule that states no quantity and asks for no amount gets no empty calculation
        try:
            state.calculation = get_calculator(extraction.calculator).run(extraction.inputs, self.store, state.today)
        except CorpusError as error:  # bad input, or a parameter the corpus no longer carries
            state.notices.append(f"Calcul impossible : {error}")

    def _plan(self, state: ChainState) -> None:
        """Abstain or answer, from which articles, in which structure."""
        assert state.gate is not None
        hits = state.search.hits if state.search else []
        extraction = state.resolved.extraction if state.resolved else None
        calculable = bool(extraction and extraction.inputs)
        decision = Decision(True) if state.search is None else decide(
            state.gate, hits, calculable, state.search.query_vector, self.scope_model, self.abstain_below)
        if (decision.abstained and not state.gate.refusal and decision.declined is not Scope.OTHER
                and state.convention and state.convention.passages):
            decision = Decision(False)  # the chosen convention answers what the Code alone does not
        abstained = decision.abstained
        situation = not abstained and rescrit.describes_situation(self._standalone(state))
        retrieved = [h.article for h in hits]
        if state.calculation is not None:
            retrieved += [s.article for s in state.calculation.sources]
        if situation and rescrit.applies_to(retrieved):
            retrieved.append(rescrit.RESCRIT_ARTICLE)
        chosen = None if abstained or state.search is None else select(
            self._standalone(state), hits, self.store, state.search.query_vector, self.searcher.alineas,
            self.sheet_citations)
        card = None if chosen is None else sheet_card.choose(state.sheets, self._standalone(state),
                                                             [c.key for c in chosen.quoted])
        state.plan = Plan(decision, situation, list(dict.fromkeys(retrieved)), chosen, card)

    def _compose(self, state: ChainState) -> None:
        assert state.gate is not None and state.plan is not None
        if state.gate.refusal:
            state.text = state.gate.refusal
        elif state.plan.abstained:
            chosen = state.convention.title if state.convention else None
            state.text = abstention_message(state.gate.question, state.plan.decision.declined, chosen)
        else:
            self._lead(state)
            answer = self._llm_answer(state)
            convention = "\n\n" + convention_answer.section(state.convention) if state.convention else ""
            state.text = (composer.lead_section(state.lead) + answer + convention
                          + composer.card_section(state.plan.card, state.lead) if answer else self._extractive(state))
            if state.plan.decision.mixed:  # the answer says what it leaves to another code
                state.text += "\n\n" + mixed_notice(self._standalone(state))

    def _lead(self, state: ChainState) -> None:
        """« En bref », chosen without the LLM: quoted verbatim whoever writes the rest."""
        assert state.plan is not None and state.plan.selection is not None
        state.lead = composer.lead(self._standalone(state), state.plan.selection, state.plan.card)

    def _llm_answer(self, state: ChainState) -> str | None:
        """The configured model's answer; None offline, or when the model fails (an unreachable model
        must not leave the user without an answer: the extractive one comes, with a notice)."""
        assert state.plan is not None
        if not self.llm:
            return None
        try:
            return self.llm.compose(self._standalone(state), self._articles(state), state.calculation,
                                    state.plan.situation, self._sheets(state), state.convention)
        except LlmError as error:
            state.notices.append(f"{error} Réponse extractive, sans modèle de langage.")
            return None

    def _extractive(self, state: ChainState) -> str:
        assert state.plan is not None and state.plan.selection is not None
        text = composer.compose(self._standalone(state), state.plan.selection, state.lead, state.plan.card,
                                state.calculation, self.store, state.plan.situation, state.convention)
        if state.plan.situation and rescrit.RESCRIT_ARTICLE in state.plan.retrieved:
            text += "\n\n" + rescrit.position_section()
        return text

    def _check(self, state: ChainState) -> ChainState:
        assert state.gate is not None and state.plan is not None and state.text is not None
        plan, search, resolved = state.plan, state.search, state.resolved
        started = time.perf_counter()
        convention = convention_answer.check(state.text, None if plan.abstained else state.convention)
        checked = check_citations(convention.text, plan.retrieved, self.store,
                                  composer.headings_shown(plan.selection, plan.card))
        card = plan.card if plan.card and sheet_card.is_quoted_verbatim(plan.card) else None
        text = checked.text
        if plan.card and card is None:  # as for an article: the quotation goes, the answer says why
            text = text.replace(plan.card.passage, REMOVED_QUOTE)
            checked.notices.append(f"Citation de la fiche « {plan.card.section.heading} » retirée : elle ne figure "
                                   "pas mot pour mot dans la fiche.")
        cited = list(dict.fromkeys(c.article for c in checked.citations))
        state.timings["check"] = (time.perf_counter() - started) * 1000
        calculation = None if plan.abstained else state.calculation
        notices = [*state.gate.notices, *(resolved.notices if resolved else []),
                   *(search.notices if search else []), *convention.notices, *checked.notices]
        standalone = self._standalone(state)
        answer = Answer(
            question=state.question, standalone=standalone,
            text=text + composer.footer(cited, self.store, convention.citations,
                                        None if plan.abstained else state.convention,
                                        self.conventions.source if self.conventions else None),
            citations=checked.citations + convention.citations,
            corpus_date=self.store.consolidation_date, abstained=plan.abstained, mode=self.mode,
            calculation=calculation.to_dict() if calculation else None, retrieved=plan.retrieved,
            notices=list(dict.fromkeys(notices)), timings_ms=dict(state.timings),
            lead=composer.checked_lead(text) if state.lead else None,
            see_also=[c.key for c in plan.selection.see_also if c.key not in cited] if plan.selection else [],
            sheets=[card.to_dict()] if card else [],
            convention=_convention_summary(state),
        )
        if plan.situation:
            answer.rescrit = rescrit.draft(standalone, checked.citations, calculation, self.store, state.today)
        state.answer = answer
        state.turn = Turn(state.question, standalone, resolved.topic if resolved else standalone, tuple(cited),
                          resolved.extraction if resolved else None, answer.text)
        return state

    def _standalone(self, state: ChainState) -> str:
        """The question as understood with the conversation; the cleaned question when refused."""
        assert state.gate is not None
        return state.resolved.standalone if state.resolved else state.gate.question

    def _sheets(self, state: ChainState) -> list[SheetSection]:
        """What the LLM is given of the ministry's sheets: the section the answer shows."""
        assert state.plan is not None
        return [state.plan.card.section] if state.plan.card else []

    def _articles(self, state: ChainState) -> list[Article]:
        assert state.plan is not None
        return [self.store.get(key) for key in state.plan.retrieved]


def _convention_summary(state: ChainState) -> dict[str, object] | None:
    """The convention the answer was given for, in the JSON contract: its IDCC and title, and whether its
    text was searched here."""
    if state.chosen is None:
        return None
    return {"idcc": state.chosen.idcc, "title": state.chosen.short_title, "searched": state.convention is not None}


def chain_input(question: str, history: list[Turn] | None = None, today: dt.date | None = None,
                convention: ConventionInfo | None = None) -> ChainState:
    """The state the chain starts from. Its entry is the one place the reference date is read: the
    question's ``today`` (the day it is asked, unless a caller replays it on a given date) goes down
    to the gate, the calculator and the rescrit draft, so that an answer can be reproduced."""
    return ChainState(question, history or [], today or dt.date.today(), convention)


def _step(name: str, function: Callable[[ChainState], object]) -> RunnableLambda:
    """A chain step: runs ``function`` on the state (which fills its field), records its duration,
    passes the state on."""

    def run(state: ChainState) -> ChainState:
        started = time.perf_counter()
        try:
            function(state)
        finally:
            state.timings[name] = (time.perf_counter() - started) * 1000
        return state

    return RunnableLambda(run, name=name)


def load_assistant() -> tuple[Assistant, list[str]]:
    """The assistant over the active corpus and index, with the LLM the settings name (assistant/llm.py),
    and the warnings to show (lexical-only…)."""
    llm = llm_from_settings()  # a bad setting fails here, before the models load
    settings = IndexSettings.from_env()
    searcher, warnings = open_searcher(load_store(), settings)
    scope_model = SCOPE_MODEL if model_name(settings) == SCOPE_MODEL.embedding_model else None
    try:
        conventions: ConventionLibrary | None = ConventionLibrary(model_name(settings) if searcher.dense else None)
    except CorpusError as error:  # the Code still answers without them
        conventions = None
        warnings.append(f"conventions collectives indisponibles : {error}")
    if searcher.dense and scope_model is None:
        warnings.append(f"le modèle de périmètre lit les vecteurs de {SCOPE_MODEL.embedding_model}, le modèle "
                        f"configuré est {model_name(settings)} : seule la distance des articles décide de s'abstenir.")
    return Assistant(searcher, llm, scope_model=scope_model, conventions=conventions), warnings
