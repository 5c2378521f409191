"""Property test over every calculator: whatever the inputs and the dates, the answer is a value with
its sources and conditions, or a question naming what is missing, or a refusal naming the field that is
missing, out of range or out of the period the rules cover — never a crash, never a bare number.

Inputs are drawn from each calculator's own field declarations (types and bounds, a little beyond them),
the reference date and the facts' dates over 1990–2031, so that dates before the rules' sources are hit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.calculators.base import Calculator, InputError, option_name
from assistant.calculators.registry import CALCULATORS
from corpus.store import ArticleStore

_DATES = st.dates(dt.date(1990, 1, 1), dt.date(2031, 12, 31))


def _value(kind: type, low: Decimal | int | None, high: Decimal | int | None,
           strict: bool) -> st.SearchStrategy[Any]:
    """A value of the field's type within its bounds (realistic amounts), or, unless ``strict``, sometimes just
    outside them."""
    if kind is bool:
        return st.booleans()
    if kind is dt.date:
        return _DATES
    low = Decimal(low) if low is not None else Decimal(0)
    high = min(Decimal(high), Decimal(100_000)) if high is not None else Decimal(100_000)
    if kind is int:
        inside, outside = st.integers(int(low), int(high)), st.sampled_from([int(low) - 1, int(high) + 1])
    else:
        inside = st.decimals(low, high, places=2, allow_nan=False, allow_infinity=False)
        outside = st.sampled_from([low - 1, Decimal("1e12")])
    return inside if strict else st.one_of(inside, inside, outside)


_CAREER = ("anciennete_mois", "entree", "sortie", "notification", "fin_preavis")


@st.composite
def _career(draw: st.DrawFn, names: set[str]) -> dict[str, Any]:
    """A seniority in months, or a hiring date and the dates after it that the calculator knows, in order."""
    if draw(st.booleans()):
        return {"anciennete_mois": draw(st.integers(0, 600))}
    days = sorted(draw(st.lists(_DATES, min_size=3, max_size=3)))
    dated = [name for name in ("entree", "notification", "fin_preavis") if name in names] if "notification" in names \
        else ["entree", "sortie"]
    return dict(zip(dated, days))


def _inputs(calculator: Calculator) -> st.SearchStrategy[dict[str, Any]]:
    """Half the draws within every bound with most fields left out and a consistent career (so that many are
    computed), half with any field present or not and values sometimes out of bounds (so that refusals are
    exercised)."""
    names = {name for name, _, _ in calculator.inputs.fields()}

    def draw(strict: bool) -> st.SearchStrategy[dict[str, Any]]:
        def field(kind: type, spec: Any) -> st.SearchStrategy[Any]:
            absent = [] if strict and spec.required else [st.none(), st.none()] if strict else [st.none()]
            return st.one_of(*absent, _value(kind, spec.minimum, spec.maximum, strict))
        fields = {name: field(kind, spec) for name, kind, spec in calculator.inputs.fields()
                  if not (strict and name in _CAREER)}
        values = st.fixed_dictionaries(fields).map(lambda found: {k: v for k, v in found.items() if v is not None})
        if strict and "entree" in names:
            values = st.tuples(values, _career(names)).map(lambda pair: pair[0] | pair[1])
        return values
    return st.one_of(draw(strict=True), draw(strict=False))


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_every_answer_is_sourced_or_a_named_question_or_refusal(store: ArticleStore, name: str) -> None:
    calculator = CALCULATORS[name]
    fields = {field for field, _, _ in calculator.inputs.fields()}

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(values=_inputs(calculator), today=st.dates(dt.date(2017, 1, 1), dt.date(2031, 12, 31)))
    def check(values: dict[str, Any], today: dt.date) -> None:
        try:
            result = calculator.run(values, store, today)
        except InputError as refusal:
            assert refusal.field in fields and f"« {option_name(refusal.field)} »" in str(refusal), str(refusal)
            return
        if result.incomplete:
            assert result.value is None and any(q.blocking for q in result.missing), result.summary
            assert all(q.field in fields for q in result.missing)
            return
        assert result.summary and (result.conditions_checked or result.conditions_unchecked)
        assert result.sources and all(s.url for s in result.sources), result.sources
        assert all(store.get(s.article).in_force for s in result.sources)
        if result.value is None:  # the law defers (notice under six months) or a yes/no is still open
            assert result.missing or "convention" in result.summary or "usages" in result.summary, result.summary
        elif not isinstance(result.value, bool):
            assert result.value >= 0 and result.formula

    check()
