"""corpus/regimes.py on the real corpus: which articles belong to a special regime, and which
questions name it (an answer quotes a regime's articles only then)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from corpus.article_number import is_article_number
from corpus.regimes import OUTRE_MER, REGIMES, Regime, RegimeKind, named_in, regime_of
from corpus.store import ArticleStore
from tests.conftest import read_records

BENCH = Path(__file__).resolve().parents[1] / "bench"
_PROFESSION_PARTS = ("Septième partie", "Livre VII : Dispositions particulières à certaines professions")


@pytest.mark.parametrize(("key", "label"), [
    ("L7311-1", "VRP"),
    ("L7111-3", "journalistes"),
    ("L7114-1", "journalistes"),  # the journalistes' « Dispositions pénales »: the profession first
    ("L7123-2", "mannequins"),
    ("L7221-1", "employés de maison"),
    ("L7412-1", "travailleurs à domicile"),
    ("L1521-2", "outre-mer"),
    ("R6341-1", "outre-mer"),  # « Financement des stages rémunérés par… le Département de Mayotte »
    ("L1155-2", "dispositions pénales"),
    ("L3134-13", "Alsace-Moselle"),
])
def test_an_article_s_regime_is_its_outermost_special_heading(store: ArticleStore, key: str, label: str) -> None:
    regime = regime_of(store.get(key))
    assert regime is not None and regime.label == label


@pytest.mark.parametrize("key", ["L1221-19", "L5212-2", "L2142-10"])  # L2142-10: « Réunions syndicales »
def test_the_common_law_has_no_regime(store: ArticleStore, key: str) -> None:
    assert regime_of(store.get(key)) is None


def test_every_regime_has_articles_and_every_profession_article_has_a_regime(store: ArticleStore) -> None:
    counts = Counter(regime_of(a) for a in store.in_force)
    assert all(counts[regime] > 0 for regime in REGIMES)
    professions = [a for a in store.in_force if any(h.startswith(_PROFESSION_PARTS) for h in a.breadcrumbs)]
    assert [a.key for a in professions if regime_of(a) is None] == []
    assert {regime_of(a).kind for a in professions} == {RegimeKind.PROFESSION, RegimeKind.OUTRE_MER}


def test_the_territories_are_those_of_the_code_s_heading(store: ArticleStore) -> None:
    headings = {h for a in store.in_force for h in a.breadcrumbs}
    territories = ", ".join(OUTRE_MER.heading_names[1:-1]) + " et " + OUTRE_MER.heading_names[-1]
    assert f"Titre II : {territories}" in headings


@pytest.mark.parametrize("regime", REGIMES, ids=lambda r: r.label)
def test_each_synonym_is_in_the_article_it_is_sourced_to(store: ArticleStore, regime: Regime) -> None:
    for synonym in regime.synonyms:
        if not is_article_number(synonym.source):  # ACRONYM, QUESTION_WORDING, another text
            continue
        alone = Regime(regime.label, regime.kind, (), (synonym,))
        assert named_in(store.get(synonym.source).text, alone), (synonym.words, synonym.source)


@pytest.mark.parametrize(("question", "label"), [
    ("Un VRP a-t-il droit à une indemnité de clientèle ?", "VRP"),
    ("Quel statut pour les voyageurs, représentants et placiers ?", "VRP"),
    ("Mon employée de maison peut-elle refuser des heures supplémentaires ?", "employés de maison"),
    ("Je suis gardienne d'immeuble, ai-je droit à un logement ?", "concierges"),
    ("Un journaliste pigiste a-t-il droit au 13e mois ?", "journalistes"),
    ("Le SMIC est-il le même en Guadeloupe ?", "outre-mer"),
    ("Je travaille à la Réunion : quel salaire minimum ?", "outre-mer"),
    ("Salariés ultramarins : congé bonifié ?", "outre-mer"),
    ("En Moselle, la Saint-Étienne est-elle fériée ?", "Alsace-Moselle"),
    ("Quel repos dominical dans le Bas-Rhin ?", "Alsace-Moselle"),
    ("Que risque un patron qui emploie un sans-papiers ?", "dispositions pénales"),
    ("Quelle amende pour travail dissimulé ?", "dispositions pénales"),
])
def test_a_question_names_a_regime_by_its_heading_or_a_synonym(question: str, label: str) -> None:
    assert [r.label for r in REGIMES if named_in(question, r)] == [label]


@pytest.mark.parametrize("question", [
    "Combien de temps dure la période d'essai ?",
    "Combien de réunions du CSE par an ?",
    "Réunions du CSE : qui les convoque ?",
    "Quels sont les représentants du personnel ?",  # « représentants » alone is not the VRP
    "Quelle pénalité si je ne déclare pas mes revenus à France Travail ?",
    "Le salarié en contrat d'accompagnement dans l'emploi (CAE) peut-il démissionner ?",
])
def test_the_common_law_s_questions_name_no_regime(question: str) -> None:
    assert [r.label for r in REGIMES if named_in(question, r)] == []


@pytest.mark.parametrize("name", ["questions.jsonl", "scope_questions.jsonl"])
def test_every_benchmark_gold_article_in_a_regime_has_a_question_that_names_it(store: ArticleStore, name: str) -> None:
    """The rule must keep the articles that answer: a gold article of a regime is named by its question."""
    misses = [(record["id"], key, regime.label) for record in read_records(BENCH / name)
              for key in record.get("gold") or []
              if (regime := regime_of(store.get(key))) is not None and not named_in(record["question"], regime)]
    assert misses == []
