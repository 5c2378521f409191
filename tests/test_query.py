import pytest

from corpus.text_forms import search_form
from indexing.lexical import tokenize
from indexing.query import MAX_QUERY_CHARS, EmptyQuery, parse_query


@pytest.mark.parametrize(
    ("question", "numbers"),
    [
        ("Que dit l'article L. 5212-2 ?", ["L5212-2"]),
        ("article R5122-18", ["R5122-18"]),
        ("l5212-2 et D. 5212-20", ["L5212-2", "D5212-20"]),
        ("R.* 1233-3-4", ["R*1233-3-4"]),
        ("L'employeur doit-il payer ?", []),
        ("L.5212-2 c'est quoi", ["L5212-2"]),  # « c' » is no suffix letter (there is no L5212-2 C)
        ("L1453-1 A et L. 5214-1 B", ["L1453-1 A", "L5214-1 B"]),
        ("Que dit l'article L1 ? et l'art. R 6323", ["L1", "R6323"]),  # hyphenless: only where « article » names them
        ("un salarié en L3, catégorie D1", []),
        ("R6323", ["R6323"]),  # a question that is only a number
        ("Que prévoit l'Annexe (LEGIARTI000036483371) ?", ["Annexe (LEGIARTI000036483371)"]),
        ("l'Annexe I à l'article R4312-1 (LEGIARTI000024777412)", ["Annexe I à l'article R4312-1 (LEGIARTI000024777412)"]),
    ],
)
def test_article_numbers_in_questions(question: str, numbers: list[str]) -> None:
    assert parse_query(question).numbers == numbers


def test_number_without_prefix() -> None:
    parsed = parse_query("que prévoit l'article 1234-9 ?")
    assert parsed.numbers == [] and parsed.bare_numbers == ["1234-9"]


def test_glossary_expands_acronyms_and_former_names() -> None:
    text = parse_query("OETH : que doit faire Pôle emploi ?").text
    assert "obligation d'emploi des travailleurs handicapés" in text and "France Travail" in text
    assert "(" not in parse_query("Une question sans sigle").text
    assert "obligation d'emploi" not in parse_query("oeth en minuscules n'est pas un sigle").text


@pytest.mark.parametrize("question", ["", "   ", "?!…;:", "\x00\x01\x02"])
def test_empty_questions_are_refused(question: str) -> None:
    with pytest.raises(EmptyQuery, match="question vide"):
        parse_query(question)


def test_huge_question_is_capped_with_a_notice() -> None:
    parsed = parse_query("licenciement " * 10_000)
    assert len(parsed.text) <= MAX_QUERY_CHARS and parsed.notices == [f"question tronquée à {MAX_QUERY_CHARS} caractères"]


def test_accents_do_not_matter_for_lexical_tokens() -> None:
    assert search_form("Indemnité de préavis, cœur") == "indemnite de preavis, coeur"
    assert tokenize(["indemnité préavis"]) == tokenize(["indemnite preavis"])
    assert tokenize(["le la les de du"]) == [[]]
