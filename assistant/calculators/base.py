"""The interface every calculator shares: validated inputs, a traced computation, one result shape.

A calculator is a small module with an ``Inputs`` dataclass (each field says its French label,
the question to ask when it is missing and its plausible bounds) and a ``compute`` function that
records, through a ``Trace``, every legal parameter it used, every condition it checked and every
condition it could not check. The result therefore carries its own justification: the formula
with the numbers put in, the articles with the exact phrase relied on, and the questions left.

Inputs arrive as typed values (from the chat extraction) or as text (CLI, web form): both go
through the same coercion and bounds, and any problem is an ``InputError`` naming the field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from corpus.errors import CorpusError
from corpus.linked_codes import linked_reference
from corpus.store import ArticleStore

from assistant.calculators import formatting as fr
from assistant.calculators.dates import parse_date
from assistant.calculators.parameters import OutOfPeriod, Parameter, ParameterDrift, drift_failures

if TYPE_CHECKING:
    from assistant.calculators.smic import SmicRate

CONVENTION_NOTE = (
    "Ce résultat applique le Code du travail : votre convention collective, un accord collectif, "
    "votre contrat ou un usage peut prévoir plus favorable."
)


_LABEL_REFERENCE = re.compile(r" \([LRD]\d[\d-]*\)")  # « … employés (L5212-13) »


class InputError(CorpusError):
    """An input the calculators cannot use; the message names the field and what is expected."""

    def __init__(self, field_name: str, problem: str, label: str | None = None) -> None:
        what = f"« {option_name(field_name)} »" + (f" — {label} —" if label else " :")
        super().__init__(f"champ {what} {problem}.")
        self.field = field_name


class NotCovered(InputError):
    """A case the calculator refuses to compute rather than answer with rules that are not its own (a
    scheme whose rates are set outside the corpus, a date before the rules it knows); the message
    names the field, the case and where its rules are."""

    def __init__(self, field_name: str, problem: str, label: str | None = None) -> None:
        super().__init__(field_name, f"calcul refusé — {problem}", label)


class MissingInputs(CorpusError):
    """A calculation cannot give its result until these questions are answered."""

    def __init__(self, calculator: str, questions: list[Question]) -> None:
        asked = " ; ".join(f"« {option_name(q.field)} » : {q.question}" for q in questions)
        super().__init__(f"informations manquantes pour le calculateur {calculator} — {asked}")
        self.questions = questions


def option_name(field_name: str) -> str:
    """The CLI spelling of a field: ``beneficiaires_50_ans`` → ``beneficiaires-50-ans``."""
    return field_name.replace("_", "-")


@dataclass(frozen=True)
class FieldSpec:
    label: str
    question: str
    required: bool = False
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    too_high: str = "valeur invraisemblable"
    negative: str | None = None  # for yes/no fields: the CLI flag that answers « non »


def spec(label: str, question: str, **options: Any) -> Any:
    """Declare an input field (always optional at construction: missing ones become questions)."""
    return field(default=None, metadata={"spec": FieldSpec(label, question, **options)})


@dataclass(frozen=True)
class Question:
    field: str
    question: str
    blocking: bool = False  # True when the main result cannot be given without the answer

    def to_dict(self) -> dict[str, object]:
        return {"field": self.field, "option": f"--{option_name(self.field)}", "question": self.question,
                "blocking": self.blocking}


@dataclass(frozen=True, kw_only=True)
class Inputs:
    """Base of every calculator's inputs: coercion, bounds, then the calculator's own ``check``.

    ``today`` is the reference date, not a fact the user states: it stands for a date the facts
    leave out (the SMIC « en vigueur aujourd'hui »…). The caller gives it (the CLI, the chain's
    entry, the page default it once), so that the same facts on the same date give the same result.
    """

    today: dt.date
    smic: Decimal | None = spec(
        "SMIC horaire brut, à la place de la table", "Quel SMIC horaire brut faut-il retenir ?",
        minimum=Decimal("1"), maximum=Decimal("100"),
    )

    def __post_init__(self) -> None:
        for name, kind, field_spec in self.fields():
            raw = getattr(self, name)
            if raw is not None:
                value = _coerce(name, kind, raw, field_spec)
                _check_bounds(name, value, field_spec)
                object.__setattr__(self, name, value)
        self.check()

    def check(self) -> None:
        """Rules between fields (a leaving date after the hiring date…); override when needed."""

    @classmethod
    def from_values(cls, values: Mapping[str, object], today: dt.date) -> Inputs:
        """Build from a mapping (None values ignored) on the reference date ``today``, refusing names
        the calculator does not know."""
        known = {name for name, _, _ in cls.fields()}
        for name in values:
            if name not in known:
                possible = ", ".join(sorted(map(option_name, known)))
                raise InputError(name, f"ce calculateur ne l'utilise pas (champs possibles : {possible})")
        return cls(today=today, **{k: v for k, v in values.items() if v is not None})

    @classmethod
    @functools.cache
    def fields(cls) -> list[tuple[str, type, FieldSpec]]:
        """(name, type, spec) of each input, in declaration order, the shared SMIC last."""
        hints = typing.get_type_hints(cls)
        found = [
            (f.name, _base_type(hints[f.name]), f.metadata["spec"])
            for f in dataclasses.fields(cls) if "spec" in f.metadata
        ]
        return sorted(found, key=lambda item: item[0] == "smic")

    @classmethod
    def spec_of(cls, name: str) -> FieldSpec:
        return next(s for n, _, s in cls.fields() if n == name)

    def missing_required(self) -> list[Question]:
        return [Question(n, s.question, blocking=True) for n, _, s in self.fields()
                if s.required and getattr(self, n) is None]

    def given(self) -> dict[str, Any]:
        """The inputs actually provided, JSON-ready, for the result's details."""
        return {n: _jsonable(getattr(self, n)) for n, _, _ in self.fields() if getattr(self, n) is not None}


def _base_type(hint: Any) -> type:
    return next(arg for arg in typing.get_args(hint) if arg is not type(None))


_YES = {"oui", "o", "vrai", "true", "1", "yes", "y"}
_NO = {"non", "n", "faux", "false", "0", "no"}


def _coerce(name: str, kind: type, raw: object, field_spec: FieldSpec) -> object:
    """Turn a typed value or a text into ``kind``, or raise an InputError naming the field."""
    label = field_spec.label
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _YES | _NO:
            return text in _YES
        raise InputError(name, f"réponse oui ou non attendue, « {raw} » reçu", label)
    if kind is dt.date:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            day = parse_date(str(raw))
        except ValueError:
            raise InputError(name, f"« {raw} » n'est pas une date qui existe", label) from None
        if day is None:
            expected = "date attendue (AAAA-MM-JJ, JJ/MM/AAAA ou « 3 mars 2019 »)"
            raise InputError(name, f"{expected}, « {raw} » reçu", label)
        return day
    number = _number(raw)
    if number is None:
        expected = "nombre entier" if kind is int else "nombre"
        raise InputError(name, f"{expected} attendu, « {raw} » reçu", label)
    if kind is int:
        if number != number.to_integral_value():
            raise InputError(name, f"nombre entier attendu, « {raw} » reçu", label)
        return int(number)
    return number


def _number(raw: object) -> Decimal | None:
    """A finite Decimal from a number or a French-written text (« 2 500,50 € »); else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = re.sub(r"\s+", "", str(raw)).removesuffix("€").removesuffix("euros").replace(",", ".")
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
    return value if value.is_finite() else None


def _check_bounds(name: str, value: object, field_spec: FieldSpec) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, dt.date):
        if not 1900 <= value.year <= 2100:
            raise InputError(name, f"date invraisemblable ({fr.date_fr(value)})", field_spec.label)
        return
    low, high = field_spec.minimum, field_spec.maximum
    if low is not None and value < low:
        problem = "ne peut pas être négatif" if low == 0 else f"doit être au moins {fr.number(low)}"
        raise InputError(name, f"{problem} (« {fr.number(value)} » reçu)", field_spec.label)
    if high is not None and value > high:
        raise InputError(name, f"{field_spec.too_high} : au plus {fr.number(high)} (« {fr.number(value)} » reçu)",
                         field_spec.label)


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Source:
    article: str
    url: str | None
    phrase: str | None  # the words relied on; None for an article cited by a condition only

    def to_dict(self) -> dict[str, str | None]:
        return {"article": self.article, "url": self.url, "phrase": self.phrase}

    def cited(self) -> str:
        """How an answer cites it: « [L5212-2] » for the Code du travail; another code's article is named in
        prose (« (L130-1 du code de la sécurité sociale) »), never bracketed as if it were one of this code."""
        other = linked_reference(self.article)
        return f"({other})" if other else f"[{self.article}]"


@dataclass(frozen=True)
class CalculationResult:
    """What a calculator answers; ``value`` is None when inputs are missing or the law defers."""

    calculator: str
    value: Decimal | int | bool | None
    unit: str  # "EUR", "mois" or "bool"
    summary: str  # one French sentence with the answer
    formula: str  # the formula with the numbers put in
    details: dict[str, Any]
    parameters: tuple[Parameter, ...]
    smic: SmicRate | None
    conditions_checked: tuple[str, ...]
    conditions_unchecked: tuple[str, ...]
    missing: tuple[Question, ...]
    references: tuple[str, ...] = ()  # articles cited by conditions, beyond the parameters' ones
    incomplete: bool = False  # True when missing inputs prevent the main result
    sources: tuple[Source, ...] = ()
    note: str = CONVENTION_NOTE

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: calculator, value, unit, details, formula, sources, missing."""
        return {
            "calculator": self.calculator,
            "value": self._json_value(),
            "unit": self.unit,
            "details": {
                **self.details,
                "summary": self.summary,
                "parameters": [
                    {"name": p.name, "label": p.label, "value": p.shown(), "article": p.article}
                    for p in self.parameters
                ],
                "smic": self.smic.to_dict() if self.smic else None,
                "conditions_checked": list(self.conditions_checked),
                "conditions_unchecked": list(self.conditions_unchecked),
                "note": self.note,
            },
            "formula": self.formula,
            "sources": [s.to_dict() for s in self.sources],
            "missing": [q.to_dict() for q in self.missing],
        }

    def _json_value(self) -> object:
        if isinstance(self.value, Decimal):
            return str(fr.to_cents(self.value))
        return self.value


class Trace:
    """Collects, in order, what a computation relied on; ``result`` turns it into the answer.

    ``day`` is the date of the facts the law is applied to (a dismissal's notification, the hours
    chômées…; the reference date when the facts give none), and ``date_field`` the input it comes
    from: every parameter used must apply on that day, or the calculation is refused naming that
    input and the period covered.
    """

    def __init__(self, calculator: str, inputs: Inputs, day: dt.date | None = None, date_field: str = "date") -> None:
        self.calculator = calculator
        self.inputs = inputs
        self.day = day or inputs.today
        self.date_field = date_field
        self.parameters: list[Parameter] = []
        self.checked: list[str] = []
        self.unchecked: list[str] = []
        self.missing: list[Question] = []
        self.references: list[str] = []  # articles cited by a condition without a parameter
        self.smic: SmicRate | None = None

    def use(self, *parameters: Parameter) -> None:
        """Record the parameters, each as it applied on the facts' day (refused when none applied yet)."""
        for parameter in parameters:
            applicable = self._on_day(parameter)
            if applicable not in self.parameters:
                self.parameters.append(applicable)

    def covers(self, *parameters: Parameter) -> None:
        """Refuse at once facts older than the rules the calculation rests on, whichever branch it takes,
        so that the refusal names its main rules rather than the first condition met."""
        for parameter in parameters:
            self._on_day(parameter)

    def at(self, parameter: Parameter) -> Parameter:
        """``parameter`` as it applied on the facts' day (an earlier value with its decree, if any), recorded:
        what a calculation reads a dated value through."""
        applicable = self._on_day(parameter)
        self.use(applicable)
        return applicable

    def _on_day(self, parameter: Parameter) -> Parameter:
        try:
            return parameter.on(self.day)
        except OutOfPeriod as error:
            raise NotCovered(self.date_field, str(error)) from None

    def check(self, text: str, *parameters: Parameter, refs: tuple[str, ...] = ()) -> None:
        """A condition the inputs let us verify, with the articles it comes from (``refs``: articles
        cited without a parameter)."""
        self.use(*parameters)
        self._refer(refs)
        self.checked.append(_cite(text, parameters, refs))

    def flag(self, text: str, *parameters: Parameter, refs: tuple[str, ...] = ()) -> None:
        """A condition we could not verify: the user must."""
        self.use(*parameters)
        self._refer(refs)
        self.unchecked.append(_cite(text, parameters, refs))

    def _refer(self, refs: tuple[str, ...]) -> None:
        self.references.extend(r for r in refs if r not in self.references)

    def ask(self, name: str, blocking: bool = False) -> None:
        """Ask for an input whose absence leaves something undetermined (``blocking``: the result)."""
        question = Question(name, type(self.inputs).spec_of(name).question, blocking)
        if all(q.field != name for q in self.missing):
            self.missing.append(question)

    def result(self, value: Decimal | int | bool | None, unit: str, summary: str, formula: str,
               details: Mapping[str, Any]) -> CalculationResult:
        return CalculationResult(
            calculator=self.calculator, value=value, unit=unit, summary=summary, formula=formula,
            details={"inputs": self.inputs.given(), **details}, parameters=tuple(self.parameters),
            smic=self.smic, conditions_checked=tuple(self.checked), conditions_unchecked=tuple(self.unchecked),
            missing=tuple(self.missing), references=tuple(self.references),
        )

    def incomplete(self, unit: str, summary: str, details: Mapping[str, Any] | None = None) -> CalculationResult:
        """No result yet: the questions asked so far must be answered first."""
        return dataclasses.replace(self.result(None, unit, summary, "", details or {}), incomplete=True)


def _cite(text: str, parameters: tuple[Parameter, ...], refs: tuple[str, ...]) -> str:
    articles = list(dict.fromkeys([*(p.article for p in parameters), *refs]))
    named = [linked_reference(article) or article for article in articles]  # another code's article in prose
    return f"{text} ({', '.join(named)})" if named else text


@dataclass(frozen=True)
class Calculator:
    """One calculator: its name on the command line, its inputs, its computation, its parameters."""

    name: str
    title: str
    description: str
    unit: str
    inputs: type[Inputs]
    compute: Callable[[Any], CalculationResult]
    parameters: tuple[Parameter, ...]
    uses_smic: bool = False

    def run(self, values: Mapping[str, object], store: ArticleStore, today: dt.date) -> CalculationResult:
        """Validate, compute, refuse to answer on a parameter the law no longer carries, link sources.

        ``today`` is the reference date (see ``Inputs``): the result depends on it only where the
        facts leave a date out. Missing required inputs do not raise: the result has no value and
        asks for them (the CLI turns that into an error, the chat into questions).
        """
        inputs = self.inputs.from_values(values, today)
        if missing := inputs.missing_required():
            trace = Trace(self.name, inputs)
            trace.missing.extend(missing)
            # The facts by name (the questions that ask for them follow in `missing`, and every reader lists
            # them), without the article a label names: the answer cites only articles retrieved for it.
            return trace.incomplete(self.unit, "Informations manquantes : " + " ; ".join(
                _LABEL_REFERENCE.sub("", inputs.spec_of(q.field).label) for q in missing) + ".")
        result = self.compute(inputs)
        if failures := drift_failures(self.name, result.parameters, store):
            raise ParameterDrift(failures, store.consolidation_date)
        if inputs.smic is not None and not self.uses_smic:
            result = dataclasses.replace(result, conditions_checked=(*result.conditions_checked, _SMIC_UNUSED))
        return dataclasses.replace(result, sources=_sources(result, store))


_SMIC_UNUSED = "Le SMIC fourni n'intervient pas dans ce calcul."


def _sources(result: CalculationResult, store: ArticleStore) -> tuple[Source, ...]:
    """One source per phrase relied on, then the other articles the conditions cite (no phrase)."""
    pairs = list(dict.fromkeys((p.article, p.phrase) for p in result.parameters))
    cited = {  # a phrase inside a longer cited phrase of the same article adds nothing
        (article, phrase): None for article, phrase in pairs
        if not any(a == article and phrase != other and phrase in other for a, other in pairs)
    }
    with_phrase = {article for article, _ in cited}
    cited |= dict.fromkeys((article, None) for article in result.references if article not in with_phrase)
    return tuple(Source(article, _url(article, store), phrase) for article, phrase in cited)


def _url(number: str, store: ArticleStore) -> str | None:
    try:
        return store.get(number).url
    except CorpusError:
        return None
