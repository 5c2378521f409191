"""The drift check: every calculator parameter must still be in the text of its article.

Run by the test suite on the shipped corpus and meant to run after every `cdt corpus update`
(``verify_parameters``, also reachable as `cdt calc --verifier`): when the law changes a value or
its wording, the check names the calculator, the parameter, the article and the missing phrase,
and the calculators refuse to compute with that parameter until someone updates it.
"""

from __future__ import annotations

from corpus.store import ArticleStore, load_store

from assistant.calculators.parameters import DriftFailure, ParameterDrift, drift_failures
from assistant.calculators.registry import CALCULATORS


def check_parameters(store: ArticleStore) -> list[DriftFailure]:
    """Failures for every calculator and every parameter it declares (empty when all is well)."""
    return [
        failure
        for calculator in CALCULATORS.values()
        for failure in drift_failures(calculator.name, calculator.parameters, store)
    ]


def verify_parameters(store: ArticleStore | None = None) -> int:
    """Raise ParameterDrift (a user-facing error) on any failure; return how many were checked."""
    store = store or load_store()
    if failures := check_parameters(store):
        raise ParameterDrift(failures, store.consolidation_date)
    return sum(len(calculator.parameters) for calculator in CALCULATORS.values())
