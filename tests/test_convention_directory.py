"""Choosing a convention collective as people name it (corpus/convention_directory.py): by IDCC, by a
merged IDCC (resolved with a message), by a sourced common name, by its title with accents, plurals and
punctuation folded; several fits give candidates, never a silent guess."""

from __future__ import annotations

import pytest

from corpus.convention_directory import COMMON_NAMES, ConventionDirectory, load_directory, named_in
from corpus.conventions import read_index


@pytest.fixture(scope="module")
def directory() -> ConventionDirectory:
    return load_directory(read_index())


@pytest.mark.parametrize(("words", "idcc"), [
    ("1486", 1486), ("IDCC 1979", 1979), ("idcc n° 3248", 3248), ("650", 650),
    ("Syntec", 1486), ("syntec", 1486), ("HCR", 1979), ("CCN 66", 413), ("ccn 51", 29), ("FEHAP", 29),
    ("chimie", 44), ("la convention de la chimie", 44),
    ("hôtels cafés restaurants", 1979), ("Hotels-cafés-restaurants", 1979), ("coiffure", 2596),
    ("propreté", 3043), ("particulier employeur", 3239), ("restauration rapide", 1501),
    ("bureaux d'études techniques", 1486), ("experts comptables", 787), ("transport routier", 16),
    ("pharmacie d'officine", 1996), ("industries chimiques", 44),
])
def test_one_convention_is_chosen_when_the_words_designate_one(directory, words: str, idcc: int) -> None:
    choice = directory.choose(words)
    assert choice.convention is not None and choice.convention.idcc == idcc and not choice.candidates
    assert choice.message is None


@pytest.mark.parametrize(("words", "candidates"), [
    ("BTP", {1596, 1597, 2420, 2609, 1702, 2614}), ("pharmacie", {1996, 176}), ("boulangerie", {843, 1747}),
    ("banque", {2120}), ("sport", {2511, 1557}),
])
def test_words_that_fit_several_give_the_candidates(directory, words: str, candidates: set[int]) -> None:
    choice = directory.choose(words)
    assert choice.convention is None and candidates <= {c.idcc for c in choice.candidates}
    assert "plusieurs conventions" in choice.message.lower()


def test_a_merged_idcc_resolves_to_the_current_one_and_says_so(directory) -> None:
    savoie = directory.choose("IDCC 822")  # read from 3248's own text titles
    assert savoie.convention.idcc == 3248 and "L'IDCC 822 a été fusionné dans l'IDCC 3248" in savoie.message
    assert "ex-IDCC 822" in savoie.message
    assert len([n for n, (current, _) in directory.merged.items() if current == 3248]) >= 70
    nanny = directory.choose("2395")  # hand-kept, with its source
    assert nanny.convention.idcc == 3239 and "15 mars 2021" in nanny.message


def test_a_convention_without_text_here_is_chosen_with_a_notice(directory) -> None:
    choice = directory.choose("1747")
    assert choice.convention.idcc == 1747 and not choice.convention.has_text
    assert "seul Code du travail" in choice.message


@pytest.mark.parametrize(("words", "why"), [
    ("9999", "Aucune convention collective connue sous l'IDCC 9999"),
    ("zzz qqq", "Indiquez son IDCC"),
])
def test_nothing_found_says_why(directory, words: str, why: str) -> None:
    choice = directory.choose(words)
    assert choice.convention is None and not choice.candidates and why in choice.message


def test_every_common_name_points_to_known_conventions_with_a_source(directory) -> None:
    for name, (idccs, source) in COMMON_NAMES.items():
        assert source and all(directory.by_idcc(idcc) for idcc in idccs), name


@pytest.mark.parametrize(("question", "idcc"), [
    ("Que prévoit la convention Syntec pour le préavis d'un cadre ?", 1486),
    ("IDCC 3248 : préavis de démission d'un cadre ?", 3248),
    ("Combien de jours fériés dans la convention HCR ?", 1979),
    ("Dans le BTP, quelle prime de panier ?", None),  # a name of several conventions: the user chooses
    ("Quel préavis dans les transports routiers ?", None),  # a title's words are everyday words
    ("IDCC 9999, préavis ?", None),
])
def test_a_question_names_a_convention_only_by_its_idcc_or_one_common_name(question: str, idcc: int | None) -> None:
    named = named_in(question, read_index())
    assert (named.idcc if named else None) == idcc
