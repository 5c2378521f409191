"""Contrat d'engagement jeune (L5131-6): 16 to 25 years « révolus » (up to the eve of the 26th
birthday), 29 with the status of disabled worker, not a student, not in training."""

from __future__ import annotations

import pytest

from assistant.calculators.base import CalculationResult, InputError
from assistant.calculators.registry import get_calculator
from corpus.store import ArticleStore
from tests.conftest import TODAY

FREE = {"etudiant": False, "en_formation": False}


def cej(store: ArticleStore, **values: object) -> CalculationResult:
    return get_calculator("cej-eligibilite").run(values, store, TODAY)


@pytest.mark.parametrize(
    ("birth", "day", "rqth", "expected"),
    [
        ("2010-03-01", "2026-02-28", None, False),  # 15 years old, the day before the 16th birthday
        ("2010-03-01", "2026-03-01", None, True),  # 16th birthday
        ("2000-05-01", "2026-03-01", None, True),  # 25 « révolus »
        ("2000-05-01", "2026-04-30", None, True),  # last day at 25
        ("2000-05-01", "2026-05-01", False, False),  # 26, no RQTH
        ("2000-05-01", "2026-05-01", True, True),  # 26 with RQTH
        ("1996-05-02", "2026-05-01", True, True),  # 29 « révolus » with RQTH
        ("1996-05-02", "2026-05-02", True, False),  # 30, even with RQTH
        ("2008-02-29", "2024-02-28", None, False),  # born 29 February: 16 on 29 February 2024, not before
        ("2008-02-29", "2024-03-01", None, True),
    ],
)
def test_age_conditions(store: ArticleStore, birth: str, day: str, rqth: bool | None, expected: bool) -> None:
    result = cej(store, naissance=birth, date=day, rqth=rqth, **FREE)
    assert result.value is expected and result.to_dict()["value"] is expected and result.unit == "bool"


def test_between_26_and_29_without_rqth_answer_is_undetermined(store: ArticleStore) -> None:
    result = cej(store, naissance="1998-01-15", date="2026-03-01", **FREE)  # 28
    assert result.value is None and [q.field for q in result.missing] == ["rqth"]


@pytest.mark.parametrize(("situation", "expected"), [({"etudiant": True, "en_formation": False}, False),
                                                     ({"etudiant": False, "en_formation": True}, False),
                                                     ({"etudiant": False}, None), ({}, None)])
def test_student_or_training(store: ArticleStore, situation: dict, expected: bool | None) -> None:
    result = cej(store, naissance="2004-06-01", date="2026-03-01", **situation)
    assert result.value is expected


def test_age_alone_is_enough(store: ArticleStore) -> None:
    result = cej(store, age=22, **FREE)
    assert result.value is True and "22 ans" in result.formula
    assert any("difficultés d'accès à l'emploi durable" in c for c in result.conditions_unchecked)
    assert {s.article for s in result.sources} == {"L5131-6"}


@pytest.mark.parametrize(
    ("values", "field"),
    [({"naissance": "2030-01-01", "date": "2026-01-01"}, "naissance"),
     ({"naissance": "2000-01-01", "date": "2026-06-01", "age": 20}, "age"),
     ({"age": -2}, "age"), ({"age": 150}, "age"), ({"naissance": "hier"}, "naissance")],
)
def test_bad_inputs(store: ArticleStore, values: dict, field: str) -> None:
    with pytest.raises(InputError) as caught:
        cej(store, **values)
    assert caught.value.field == field


def test_missing_birth_date_is_blocking(store: ArticleStore) -> None:
    result = cej(store, etudiant=False)
    assert result.incomplete and result.missing[0].field == "naissance"


def test_before_the_scheme_existed_is_refused(store: ArticleStore) -> None:
    # The contrat d'engagement jeune exists since 1 March 2022 (décret n° 2022-199): no eligibility before.
    with pytest.raises(InputError, match="antérieur à la période couverte") as refused:
        get_calculator("cej-eligibilite").run({"naissance": "2003-01-01", "date": "2022-02-28"}, store, TODAY)
    assert refused.value.field == "date" and "2022-199" in str(refused.value) and "01/03/2022" in str(refused.value)
