"""The offline answer's shape, on real articles and sheets, without an index: the lead first, the
scope of each quoted article, the sheet card, « Voir aussi » apart from the citations."""

from __future__ import annotations

from corpus.presentation import heading_title
from corpus.sheets import load_sheets
from corpus.store import ArticleStore
from indexing.search import Hit

from assistant.citations import check_citations, is_verbatim
from assistant.composer import checked_lead, compose, headings_shown, lead
from assistant.passages import Block
from assistant.selection import Selection, describe, select
from assistant.sheet_card import SheetCard

QUESTION = "Mon employeur peut-il me licencier pendant un arrêt de travail pour accident du travail ?"


def _hits(store: ArticleStore, keys: list[str]) -> list[Hit]:
    return [Hit(k, store.get(k).label, store.get(k).legi_id, 0.7 - 0.01 * i, "", "dense", 0.7 - 0.01 * i, 0.5)
            for i, k in enumerate(keys)]


def _answer(store: ArticleStore, selection: Selection, card: SheetCard | None = None) -> str:
    found = lead(QUESTION, selection, card)
    text = compose(QUESTION, selection, found, card, None, store, situation=False)
    checked = check_citations(text, [c.key for c in [*selection.quoted, *selection.see_also]], store,
                              headings_shown(selection, card))
    assert not checked.notices, checked.notices
    return checked.text


def test_the_lead_comes_first_and_each_quoted_article_shows_its_scope(store: ArticleStore) -> None:
    quoted = describe(QUESTION, _hits(store, ["L1226-9", "L1226-7"]), store, None, None)
    text = _answer(store, Selection(quoted, []))
    assert text.startswith("**En bref**\n\n« ") and "[L1226-9]" in checked_lead(text)
    assert "(Accident du travail ou maladie professionnelle › Suspension du contrat et protection contre la rupture)" in text
    assert "Section 3 :" not in text  # the heading's title, not its rank in the code
    assert text.index("**En bref**") < text.index("**Ce que prévoit le Code du travail**") < text.index("**À vérifier**")


def test_see_also_names_the_article_and_its_heading_without_citing_it(store: ArticleStore) -> None:
    candidates = describe(QUESTION, _hits(store, ["L1226-9", "L1226-13"]), store, None, None)
    text = _answer(store, Selection(candidates[:1], candidates[1:]))
    see_also = text.split("**Voir aussi** : ", 1)[1].split("\n", 1)[0]
    assert see_also.startswith("L1226-13 (") and "[L1226-13]" not in text


def test_a_heading_naming_an_article_is_not_taken_for_a_citation(store: ArticleStore) -> None:
    article = next(a for a in store.in_force if any("L. " in h for h in a.breadcrumbs[-1:]))
    selection = Selection(describe(QUESTION, _hits(store, [article.key]), store, None, None), [])
    assert heading_title(article.breadcrumbs[-1]) in _answer(store, selection)  # no « Référence … retirée »


def test_special_regimes_are_left_out_unless_the_question_names_them(store: ArticleStore) -> None:
    hits = _hits(store, ["L7313-9", "L1234-1"])  # VRP's notice first, then the general rule
    general = select("Quelle est la durée du préavis de licenciement ?", hits, store, None, None)
    assert [c.key for c in general.quoted + general.see_also] == ["L1234-1"]
    named = select("Quelle est la durée du préavis de licenciement d'un VRP ?", hits, store, None, None)
    assert "L7313-9" in [c.key for c in named.quoted + named.see_also]


def test_the_sheet_card_quotes_its_section_verbatim_and_gives_the_lead_when_it_cites_the_best_article(
        store: ArticleStore) -> None:
    section = next(s for s in load_sheets().sections if "L1226-10" in s.articles)
    passage = section.paragraphs[0].split(". ")[0]
    card = SheetCard(section, 0.8, (passage,))
    selection = Selection(describe(QUESTION, _hits(store, ["L1226-10"]), store, None, None), [])
    text = _answer(store, selection, card)
    assert checked_lead(text).startswith(f"« {passage} » — *Fiche pratique du ministère du Travail : ")
    assert f"]({section.url})** (mise à jour le " in text and "citée en bref ci-dessus" in text
    assert is_verbatim(passage, section.text) and "[L1226-10]" in text  # the article still proves it
    other = Selection(describe(QUESTION, _hits(store, ["L1226-7"]), store, None, None), [])
    assert "L1226-7" not in section.articles
    apart = _answer(store, other, card)
    assert "[L1226-7]" in checked_lead(apart) and f"> « {passage} »" in apart


def test_the_lead_takes_the_list_item_the_question_names_and_the_list_stays_whole_below(store: ArticleStore) -> None:
    question = "Combien de temps dure la période d'essai d'un cadre ?"
    selection = Selection(describe(question, _hits(store, ["L1221-21"]), store, None, None), [])
    found = lead(question, selection)
    assert found is not None and "3° Huit mois pour les cadres." in found.markdown
    text = compose(question, selection, found, None, None, store, situation=False)
    body = text.split("**Ce que prévoit le Code du travail**", 1)[1]
    assert "2° Six mois pour les agents de maîtrise et techniciens ; 3° Huit mois pour les cadres." in body


def test_an_article_backing_the_first_one_quotes_one_block(store: ArticleStore) -> None:
    """L1226-14 has two blocks as relevant as each other: quoted first, both; quoted second, one."""
    alone = describe(QUESTION, _hits(store, ["L1226-14"]), store, None, None)
    assert _answer(store, Selection(alone, [])).count("[L1226-14]") == 2
    second = describe(QUESTION, _hits(store, ["L1226-9", "L1226-14"]), store, None, None)
    assert _answer(store, Selection(second, [])).count("[L1226-14]") == 1


def test_a_rule_with_a_case_carved_out_is_not_an_exception(store: ArticleStore) -> None:
    """« à l'exception de » inside a sentence narrows that sentence's own rule; a derogation opens the alinéa."""
    def alinea(key: str, start: str) -> Block:
        return Block(next(a for a in store.get(key).text.split("\n") if a.startswith(start)), 0.5, 0)

    assert not alinea("L1235-3", "Pour déterminer le montant de l'indemnité").exception
    assert alinea("L1234-1", "Toutefois").exception
    assert Block("Les dispositions du présent article ne s'appliquent pas aux salariés saisonniers.", 0.5, 0).exception
    assert Block("À l'exception des salariés saisonniers, ces dispositions s'appliquent.", 0.5, 0).exception
