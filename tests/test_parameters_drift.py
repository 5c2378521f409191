"""The drift check on the shipped corpus, and on corpora where the law changed (real modified
stores, built from the shipped snapshot with one article rewritten or repealed)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from assistant.calculators import parameters as P
from assistant.calculators.drift import check_parameters, verify_parameters
from assistant.calculators.parameters import Parameter, ParameterDrift
from assistant.calculators.registry import CALCULATORS, get_calculator
from corpus.model import Article, Status
from corpus.snapshot import Snapshot
from corpus.store import ArticleStore
from tests.conftest import TODAY


def rewritten(store: ArticleStore, number: str, change: Callable[[Article], Article]) -> ArticleStore:
    """The same corpus with the version in force of ``number`` replaced by ``change(article)``."""
    articles = [change(a) if a.number == number and a.in_force else a for a in store.official.articles]
    return ArticleStore(Snapshot(store.official.manifest, articles), store.official_path, linked=store.linked)


def replace_text(old: str, new: str) -> Callable[[Article], Article]:
    def change(article: Article) -> Article:
        assert any(old in p for p in article.paragraphs), f"{old!r} not in {article.number}"
        return dataclasses.replace(article, paragraphs=tuple(p.replace(old, new) for p in article.paragraphs))
    return change


def test_every_parameter_is_found_in_the_shipped_corpus(store: ArticleStore) -> None:
    assert check_parameters(store) == []
    assert verify_parameters(store) == sum(len(c.parameters) for c in CALCULATORS.values())


def test_every_declared_parameter_belongs_to_a_calculator() -> None:
    declared = {v for v in vars(P).values() if isinstance(v, Parameter)}
    used = {p for c in CALCULATORS.values() for p in c.parameters}
    assert declared == used


def test_a_changed_rate_fails_loudly_naming_calculator_parameter_and_article(store: ArticleStore) -> None:
    changed = rewritten(store, "L5212-2", replace_text("proportion minimale de 6 %", "proportion minimale de 7 %"))
    failures = check_parameters(changed)
    named = [(f.calculator, f.parameter.name, f.parameter.article) for f in failures]
    assert named == [("oeth", "taux_oeth", "L5212-2")]
    with pytest.raises(ParameterDrift) as caught:
        verify_parameters(changed)
    message = str(caught.value)
    assert "calculateur oeth" in message and "taux_oeth" in message and "L5212-2" in message
    assert "« proportion minimale de 6 % »" in message and "parameters.py" in message


def test_a_calculator_refuses_to_compute_on_a_vanished_parameter(store: ArticleStore) -> None:
    changed = rewritten(store, "D5122-13", replace_text("8,57 euros", "8,73 euros"))
    with pytest.raises(ParameterDrift, match="activite-partielle.*plancher_allocation.*D5122-13"):
        get_calculator("activite-partielle").run({"remuneration_horaire": 20, "date": "2026-03-02"}, changed, TODAY)
    # calculators that do not rely on it still work on that corpus
    oeth = get_calculator("oeth").run({"effectif": 120, "beneficiaires": 4, "annees_seuil": 5, "date": "2026-12-31"},
                                      changed, TODAY)
    assert oeth.value > 0


def test_a_shared_parameter_names_every_calculator_using_it(store: ArticleStore) -> None:
    changed = rewritten(store, "R1234-2", replace_text("Un quart de mois", "Un cinquième de mois"))
    assert {f.calculator for f in check_parameters(changed)} == {"indemnite-licenciement", "rupture-conventionnelle"}


def test_spacing_and_apostrophes_are_not_drift(store: ArticleStore) -> None:
    def retyped(article: Article) -> Article:
        paragraphs = tuple(p.replace("'", "\u2019").replace(" ", "\u00a0") for p in article.paragraphs)
        return dataclasses.replace(article, paragraphs=paragraphs)
    assert check_parameters(rewritten(store, "L1234-9", retyped)) == []


def test_a_repealed_article_is_drift(store: ArticleStore) -> None:
    changed = rewritten(store, "L5213-9", lambda a: dataclasses.replace(a, status=Status.REPEALED))
    failures = check_parameters(changed)
    assert {f.parameter.article for f in failures} == {"L5213-9"}
    assert all("n'est plus en vigueur" in f.reason for f in failures)


def test_a_vanished_article_is_drift(store: ArticleStore) -> None:
    articles = [a for a in store.official.articles if a.number != "L1243-9"]
    changed = ArticleStore(Snapshot(store.official.manifest, articles), store.official_path, linked=store.linked)
    failures = check_parameters(changed)
    assert [(f.calculator, f.parameter.article) for f in failures] == [("indemnite-fin-contrat", "L1243-9")]
    assert "n'existe plus" in failures[0].reason


def test_other_codes_articles_are_checked_like_the_code(store: ArticleStore) -> None:
    # L130-1 of the Code de la sécurité sociale, which L5212-1 sends the OETH's threshold to, comes from the same
    # pinned package as the code and is checked the same way: rewritten, the calculator stops; absent, too.
    assert store.linked.manifest.source == store.official.manifest.source
    article = store.get("L130-1 CSS")
    assert article.breadcrumbs[0] == "Code de la sécurité sociale" and article.in_force
    changed_text = replace_text("cinq années civiles consécutives", "trois années civiles consécutives")(article)
    changed = ArticleStore(store.official, store.official_path,
                           linked=Snapshot(store.linked.manifest, [changed_text]))
    assert [(f.parameter.name, f.parameter.article) for f in check_parameters(changed)] == [
        ("annees_franchissement", "L130-1 CSS")]
    without = ArticleStore(store.official, store.official_path)
    assert any("n'existe plus" in f.reason for f in check_parameters(without))
    assert store.find("L130-1") is None  # not a Code du travail article
