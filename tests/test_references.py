from corpus.model import Reference
from corpus.references import parse_references

SSS = "code de la sécurité sociale"


def test_single_article() -> None:
    assert parse_references("mentionnés à l'article L. 5212-13 dans la proportion") == [Reference("L5212-13")]


def test_list_with_commas_and_et() -> None:
    text = "aux articles L. 351-9, L. 351-10 et L. 351-13-1, de la prime"
    assert parse_references(text) == [Reference("L351-9"), Reference("L351-10"), Reference("L351-13-1")]


def test_range() -> None:
    text = "Les articles L. 5134-54 à L. 5134-64 sont abrogés"
    assert parse_references(text) == [Reference("L5134-54", range_end="L5134-64")]


def test_external_code_applies_to_the_whole_list() -> None:
    text = "attribuée en application des articles L. 161-17-4, L. 351-1-1 et L. 351-1-4 du code de la sécurité sociale et des"
    assert parse_references(text) == [Reference(n, SSS) for n in ("L161-17-4", "L351-1-1", "L351-1-4")]


def test_long_code_names_and_same_code() -> None:
    text = (
        "après avis du conseil mentionné à l'article L. 146-1 du code de l'action sociale et des familles. "
        "Voir l'article L. 130-1 du code de la sécurité sociale et l'article L. 131-1 du même code, "
        "ainsi que l'article L. 5212-1 du présent code."
    )
    assert parse_references(text) == [
        Reference("L146-1", "code de l'action sociale et des familles"),
        Reference("L130-1", SSS),
        Reference("L131-1", SSS),
        Reference("L5212-1"),
    ]


def test_rural_code_longest_name_wins() -> None:
    text = "à l'article L. 722-20 du code rural et de la pêche maritime"
    assert parse_references(text) == [Reference("L722-20", "code rural et de la pêche maritime")]


def test_law_articles_without_prefix_are_not_code_references() -> None:
    assert parse_references("l'article 6 de l'ordonnance n° 2002-411 du 27 mars 2002") == []


def test_duplicates_are_dropped_and_order_kept() -> None:
    text = "l'article L. 1153-1, y compris au 1° du même article L. 1153-1, et à l'article L. 1121-2"
    assert parse_references(text) == [Reference("L1153-1"), Reference("L1121-2")]


def test_real_article_l5212_2_of_the_snapshot(store) -> None:
    article = store.get("L5212-2")
    assert article.references_out == (
        Reference("L5212-13"),
        Reference("L146-1", "code de l'action sociale et des familles"),
    )
