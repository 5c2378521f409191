"""The citation check on hand-written answers: what may be cited, what must be removed, and why."""

from __future__ import annotations

from corpus.store import ArticleStore

from assistant.citations import REMOVED_ARTICLE, REMOVED_QUOTE, check_citations, is_verbatim

RETRIEVED = ["L5212-2", "L5212-1", "D5212-20"]
TRUE_QUOTE = "dans la proportion minimale de 6 % de l'effectif total de ses salariés"


def test_a_verbatim_quotation_of_a_retrieved_article_is_kept(store: ArticleStore) -> None:
    checked = check_citations(f"L'employeur emploie « {TRUE_QUOTE} » [L5212-2].", RETRIEVED, store)
    assert checked.notices == []
    assert f"« {TRUE_QUOTE} » [L5212-2]" in checked.text
    [citation] = checked.citations
    assert (citation.article, citation.quote) == ("L5212-2", TRUE_QUOTE)
    assert citation.url == store.get("L5212-2").url


def test_an_invented_article_is_removed_and_reported(store: ArticleStore) -> None:
    checked = check_citations("Le taux est de 10 % [L9999-1], voir aussi l'article L9999-1.", RETRIEVED, store)
    assert "L9999-1" not in checked.text
    assert checked.text.count(REMOVED_ARTICLE) == 2
    assert checked.citations == []
    assert any("L9999-1" in n and "n'existe pas" in n for n in checked.notices)


def test_a_real_article_not_retrieved_for_this_answer_is_removed(store: ArticleStore) -> None:
    checked = check_citations("L'indemnité est due [L1234-9].", RETRIEVED, store)
    assert "L1234-9" not in checked.text
    assert any("L1234-9" in n and "pas été retrouvé" in n for n in checked.notices)


def test_a_misquotation_is_dropped_even_for_a_retrieved_article(store: ArticleStore) -> None:
    checked = check_citations("Selon la loi, « 10 % de l'effectif » [L5212-2].", RETRIEVED, store)
    assert "10 %" not in checked.text and REMOVED_QUOTE in checked.text
    assert checked.citations == []
    assert any("mot pour mot" in n for n in checked.notices)


def test_an_article_not_in_force_is_removed(store: ArticleStore) -> None:
    repealed = next(a for a in store.official.articles if a.number and not any(v.in_force for v in store.versions(a.number)))
    checked = check_citations(f"Voir [{repealed.number}].", [*RETRIEVED, repealed.number], store)
    assert repealed.number not in checked.text
    assert any("pas en vigueur" in n for n in checked.notices)


def test_quotations_and_other_codes_are_left_as_written(store: ArticleStore) -> None:
    text = ("L'effectif est calculé selon l'article L. 130-1 du code de la sécurité sociale ; « Les articles "
            "L. 5212-2 à L. 5212-17 s'appliquent » [L5212-1].")
    checked = check_citations(text, RETRIEVED, store)
    assert "L. 130-1 du code de la sécurité sociale" in checked.text
    assert "L. 5212-2 à L. 5212-17" in checked.text
    assert checked.notices == []


def test_spelling_variants_of_a_number_resolve_to_the_article(store: ArticleStore) -> None:
    checked = check_citations("Voir [L. 5212-2] et [art. D5212-20].", RETRIEVED, store)
    assert "[L5212-2]" in checked.text and "[D5212-20]" in checked.text
    assert [c.article for c in checked.citations] == ["L5212-2", "D5212-20"]


def test_verbatim_allows_spacing_and_apostrophe_style_only(store: ArticleStore) -> None:
    text = store.get("L5212-2").text
    assert is_verbatim(TRUE_QUOTE.replace("'", "’").replace(" ", "  "), text)
    assert not is_verbatim(TRUE_QUOTE.replace("6 %", "7 %"), text)
    assert not is_verbatim("", text)
