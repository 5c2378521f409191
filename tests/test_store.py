"""The shipped snapshot read through the store, as `cdt corpus show` uses it."""

import datetime as dt

import pytest

from corpus.errors import UnknownArticle
from corpus.model import Status


def test_snapshot_is_the_whole_code_with_its_consolidation_date(store) -> None:
    assert store.source == "@socialgouv/legi-data@2.513.0"
    assert store.consolidation_date == dt.date(2026, 3, 27)
    assert 11_400 <= len(store.in_force) <= 11_500
    parts = store.counts()["in_force_by_part"]
    assert parts["législative"] > 4000 and parts["réglementaire (R)"] > 5000 and parts["réglementaire (D)"] > 1000


def test_repealed_in_future_is_not_in_force(store) -> None:
    deferred = [a for a in store.official.articles if a.status is Status.REPEALED_IN_FUTURE]
    assert deferred, "the pinned package has ABROGE_DIFF articles"
    assert not any(a.in_force for a in deferred)
    deferred_ids = {a.legi_id for a in deferred}
    assert not deferred_ids & {a.legi_id for a in store.in_force}


def test_l5212_2(store) -> None:
    article = store.get("l. 5212-2")
    assert article.number == "L5212-2"
    assert article.status is Status.IN_FORCE
    assert article.legi_id == "LEGIARTI000037388717" and article.cid == "LEGIARTI000006903680"
    assert article.start_date == dt.date(2020, 1, 1) and article.end_date is None
    assert article.breadcrumbs == (
        "Partie législative",
        "Cinquième partie : L'emploi",
        "Livre II : Dispositions applicables à certaines catégories de travailleurs",
        "Titre Ier : Travailleurs handicapés",
        "Chapitre II : Obligation d'emploi des travailleurs handicapés, mutilés de guerre et assimilés",
        "Section 2 : Obligation d'emploi",
    )
    assert len(article.paragraphs) == 2
    assert "dans la proportion minimale de 6 % de l'effectif total de ses salariés." in article.paragraphs[0]
    assert article.url == "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037388717"


def test_r5122_18_paragraphs_and_notes_apart(store) -> None:
    article = store.get("R5122-18")
    assert article.start_date == dt.date(2023, 1, 1)
    assert article.breadcrumbs[-1] == "Chapitre II : Aide aux salariés placés en activité partielle"
    assert len(article.paragraphs) == 8
    assert "correspondant à 60 % de sa rémunération brute" in article.paragraphs[0]
    assert "4,5 fois le taux horaire du salaire minimum" in article.paragraphs[1]
    assert article.notes and article.notes[0].startswith("Conformément au II de l'article 3 du décret n° 2022-1665")
    assert not any(p.startswith("Conformément") for p in article.paragraphs)


def test_d5212_20_lists_every_alinea(store) -> None:
    article = store.get("D5212-20")
    assert article.breadcrumbs[-1] == "Sous-section 2 : Mise en œuvre par le versement d'une contribution annuelle"
    assert article.paragraphs[3] == "a) 400 fois le salaire horaire minimum de croissance brut pour les entreprises de 20 à moins de 250 salariés ;"
    assert article.start_date == dt.date(2023, 4, 23)


def test_l1234_9(store) -> None:
    article = store.get("article L.1234-9")
    assert article.paragraphs[0].startswith("Le salarié titulaire d'un contrat de travail à durée indéterminée, licencié alors qu'il compte 8 mois d'ancienneté")
    assert article.start_date == dt.date(2017, 9, 24)
    assert article.breadcrumbs[-1] == "Sous-section 2 : Indemnité de licenciement"


def test_tables_become_one_alinea_per_row(store) -> None:
    article = store.get("L1235-3")
    assert "1 | 1 | 2" in article.paragraphs


def test_incoming_references_include_ranges(store) -> None:
    # L5212-1 cites « L. 5212-2 à L. 5212-17 »: every article of the range is cited by it
    assert "L5212-1" in store.references_in("L5212-2")
    assert "L5212-1" in store.references_in("L5212-13-1")
    assert "D5212-20" in store.references_in("D5212-3")
    assert "L5212-2" not in store.references_in("L5212-2")


def test_external_references_are_never_resolved(store) -> None:
    article = store.get("L5212-2")
    external = [r for r in article.references_out if r.is_external]
    assert external and store.expand(external[0]) == []


def test_neighbours_follow_the_code_order(store) -> None:
    assert store.neighbours("L5212-2") == ("L5212-1", "L5212-3")


def test_unknown_number_names_the_corpus_and_suggests_neighbours(store) -> None:
    with pytest.raises(UnknownArticle, match=r"L5212-99 n.existe pas.*2026-03-27.*plus proches : L5212-16, L5212-17, L5213-1"):
        store.get("L5212-99")


def test_stored_references_match_the_current_parser(store) -> None:
    """The snapshot keeps parsed references; a parser change must come with a rebuilt snapshot (make snapshot)."""
    from corpus.references import parse_references

    stale = [a.number for a in store.in_force if a.references_out != tuple(parse_references("\n".join(a.paragraphs)))]
    assert stale == []
