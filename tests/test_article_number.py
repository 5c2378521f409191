import pytest

from corpus.article_number import InvalidArticleNumber, normalize_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("L5212-2", "L5212-2"),
        ("L. 5212-2", "L5212-2"),
        ("l5212-2", "L5212-2"),
        ("article L.5212-2", "L5212-2"),
        ("Article  l. 5212-2 ", "L5212-2"),
        ("R. 5122-18", "R5122-18"),
        ("d5212-20", "D5212-20"),
        ("art. L1234-9", "L1234-9"),
        ("R.* 1233-3-4", "R*1233-3-4"),
        ("R*1233-3-4", "R*1233-3-4"),
        ("L1453-1 A", "L1453-1 A"),
        ("L. 5214-1 b", "L5214-1 B"),
        ("L23-111-1", "L23-111-1"),
        ("L311-7", "L311-7"),
        ("L.\u00a05212-2", "L5212-2"),
    ],
)
def test_every_spelling_reaches_the_canonical_number(raw: str, expected: str) -> None:
    assert normalize_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "5212-2", "X5212-2", "L", "article", "L5212-2; drop table", "licenciement"])
def test_text_that_is_not_a_number_is_refused_with_examples(raw: str) -> None:
    with pytest.raises(InvalidArticleNumber, match="n'est pas un numéro d'article.*L5212-2"):
        normalize_number(raw)
