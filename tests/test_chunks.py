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
    article = store.get("L5212-2")
    changed = Article(**{**article.__dict__, "paragraphs": ("Texte modifié.",)})
    assert article_chunks(article)[0].content_hash == article_chunks(article)[0].content_hash
    assert article_chunks(changed)[0].content_hash != article_chunks(article)[0].content_hash


def test_only_articles_in_force_and_the_prefix(store) -> None:
    chunks = corpus_chunks(store.official.articles, only="L5212")
    assert chunks and all(c.article.startswith("L5212") for c in chunks)
    assert all(c.status == Status.IN_FORCE.value for c in corpus_chunks(store.official.articles))


def test_shared_numbers_get_distinct_ids(store) -> None:
    ids = [c.chunk_id for c in corpus_chunks(store.in_force)]
    assert len(ids) == len(set(ids))
