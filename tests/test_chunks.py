import dataclasses
import datetime as dt

from corpus.model import Article, Status
from indexing.chunks import MAX_CHARS, article_chunks, corpus_chunks


def test_short_article_is_one_chunk_with_its_place_and_number(store) -> None:
    (chunk,) = article_chunks(store.get("L5212-2"))
    assert chunk.chunk_id == "L5212-2#0"
    assert chunk.text.startswith(
        "Titre Ier : Travailleurs handicapés > Chapitre II : Obligation d'emploi des travailleurs handicapés, "
        "mutilés de guerre et assimilés > Section 2 : Obligation d'emploi\nArticle L5212-2\nTout employeur emploie"
    )
    meta = chunk.metadata()
    assert meta["article"] == "L5212-2" and meta["legi_id"] == "LEGIARTI000037388717"
    assert meta["status"] == "in_force" and meta["start_date"] == "2020-01-01" and meta["position"] == 0
    assert len(meta["content_hash"]) == 32


def test_long_article_is_split_on_alinea_boundaries_each_piece_with_the_header(store) -> None:
    article = store.get("L1235-3")
    chunks = article_chunks(article)
    assert len(chunks) > 1
    header = chunks[0].text.split("\n")[:2]
    bodies = []
    for chunk in chunks:
        lines = chunk.text.split("\n")
        assert lines[:2] == header
        bodies.extend(lines[2:])
        assert sum(len(p) + 1 for p in lines[2:]) <= MAX_CHARS or len(lines) == 3
    assert bodies == list(article.paragraphs), "every alinéa once, in order, never cut"


def test_hash_changes_with_the_text_only(store) -> None:
    """The hash decides what an update re-embeds: a new version with the same text keeps it, a new text changes it."""
    article = store.get("L5212-2")
    (chunk,) = article_chunks(article)
    same_text = dataclasses.replace(article, legi_id="LEGIARTI999999999999", start_date=dt.date(2030, 1, 1),
                                    source="autre", position=1)
    changed = dataclasses.replace(article, paragraphs=("Texte modifié.",))
    assert article_chunks(same_text)[0].content_hash == chunk.content_hash
    assert article_chunks(changed)[0].content_hash != chunk.content_hash
    # pinned: the shipped vectors and every stored index are keyed by it, another hash would re-embed the whole code
    (tiny,) = article_chunks(Article("L1-1", Status.IN_FORCE, ("Texte.",)))
    assert tiny.text == "Article L1-1\nTexte." and tiny.content_hash == "43d6887867b2126831da18353011b733"


def test_only_articles_in_force_and_the_prefix(store) -> None:
    chunks = corpus_chunks(store.official.articles, only="L5212")
    assert chunks and all(c.article.startswith("L5212") for c in chunks)
    assert all(c.status == Status.IN_FORCE.value for c in corpus_chunks(store.official.articles))


def test_shared_numbers_get_distinct_ids(store) -> None:
    ids = [c.chunk_id for c in corpus_chunks(store.in_force)]
    assert len(ids) == len(set(ids))
