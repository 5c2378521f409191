"""corpus/sentences.py: quotations are cut at the code's sentence ends, never inside a reference."""

from __future__ import annotations

import re

import pytest

from corpus.sentences import sentences
from corpus.store import ArticleStore

# What a cut inside a reference leaves: a sentence ending on the reference's abbreviation, or the
# next one starting with the rest of its number (« 5212-10-1 résultant… », « 2-1 »).
_BARE_REFERENCE_END = re.compile(r"(?:(?<!\w)(?:L|R|D|art|Art)\.|n°)$")
_NUMBER_FRAGMENT = re.compile(r"\d+(?:-\d+)+")


@pytest.mark.parametrize("text", [
    "Le montant de la déduction mentionnée à l'article L. 5212-10-1 résultant de la conclusion de contrats.",
    "En application des dispositions de l'article D. 5212-10-1 résultant de la loi.",
    "Dans les conditions prévues à l'article R. 1234-9 du présent code.",
    "Voir C. trav., art. L. 1234-9, al. 2 et ss. 12 du même chapitre.",
    "Comme le prévoit l'art. 3 de la loi.",
    "“ Art. L. 1237-5-1.-Aucune convention ne peut être conclue.",
    "Le décret n° 2016-1088 du 8 août 2016 est applicable.",
    "Les frais de transport, de repas, etc. sont remboursés.",
    "Sur le rapport de M. Dupont, cf. Les Cahiers sociaux.",
    "Mme Dupont est désignée par l'Institut national (I. N. S. E. E.) et par les unions.",
    "1. Règles techniques applicables.",
    "1.1.1. Définitions.",
    "I. Indicateurs sur la situation comparée.",
    "Le taux est de 4,5 % du montant.",
    "Prévues au code 92.3 et aux codes 92. 7A et 55. 4C de la nomenclature.",
    "Au paragraphe 1. 4 de l'annexe II.",
])
def test_references_abbreviations_markers_and_numbers_do_not_end_a_sentence(text: str) -> None:
    assert sentences(text) == [text]


def test_sentences_end_at_a_full_stop_semicolon_colon_question_or_exclamation_mark() -> None:
    text = ("Le salarié est informé de l'article L. 2242-3. L'autorité statue ; Elle est saisie : "
            "1° Par le salarié ; 2° Par l'employeur. Est-ce possible ? Oui ! « Article » cité.")
    assert sentences(text) == [
        "Le salarié est informé de l'article L. 2242-3.", "L'autorité statue ;", "Elle est saisie :",
        "1° Par le salarié ;", "2° Par l'employeur.", "Est-ce possible ?", "Oui !", "« Article » cité.",
    ]


def test_a_roman_numeral_closing_a_phrase_ends_the_sentence() -> None:
    text = "Les conditions sont mentionnées au présent I. Les modalités sont fixées au IV. Elles entrent."
    assert sentences(text) == ["Les conditions sont mentionnées au présent I.", "Les modalités sont fixées au IV.",
                               "Elles entrent."]


def test_a_lowercase_word_or_no_space_after_the_punctuation_never_ends_a_sentence() -> None:
    assert sentences("Les frais, etc. sont dus. Le I.-Sans préjudice.") == [
        "Les frais, etc. sont dus.", "Le I.-Sans préjudice."]


def test_sentences_give_back_the_text_up_to_its_spacing() -> None:
    text = "  Première phrase.\n Deuxième\u00a0phrase ;  Troisième.  "
    assert sentences(text) == ["Première phrase.", "Deuxième\u00a0phrase ;", "Troisième."]
    assert sentences("") == [] and sentences("   ") == []


def test_no_alinea_in_force_is_cut_inside_a_reference(store: ArticleStore) -> None:
    """Every alinéa of every text in force: its sentences give it back, and none ends on a bare
    « L. », « R. », « D. », « art. », « n° » nor starts with the rest of a reference's number."""
    bad: list[str] = []
    for article in store.in_force:
        for paragraph in article.paragraphs:
            parts = sentences(paragraph)
            assert " ".join(parts).split() == paragraph.split(), article.key
            cuts = zip(parts, parts[1:])
            bad += [f"{article.key}: …{a[-30:]} | {b[:30]}…" for a, b in cuts
                    if _BARE_REFERENCE_END.search(a) or _NUMBER_FRAGMENT.match(b)]
    assert bad == []
