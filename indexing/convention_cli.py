"""`cdt convention`: find a convention collective, browse its texts, open or search its articles.

For staff who look agreements up: `list` (the conventions with text here, or all known with --all),
`show CONVENTION [ARTICLE]` (its plan, or one article with its text's status and link), `search
CONVENTION QUESTION`; and `update`, which installs another version of the package (corpus/conventions_update.py). CONVENTION is what people write: an IDCC, « Syntec », « hôtels cafés
restaurants » (corpus/convention_directory.py); words that fit several list the candidates.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from corpus.convention_directory import load_directory
from corpus.conventions import Convention, ConventionArticle, load_convention, read_index
from corpus.conventions_update import ConventionsUpdate, update_conventions
from corpus.errors import CorpusError
from indexing.convention_chunks import convention_chunks
from indexing.convention_search import ConventionSearcher, chunk_vectors, load_convention_vectors
from indexing.embedder import load_embedder, model_name
from indexing.settings import IndexSettings


SHOWN = 20  # articles listed when a number repeats


@click.group("convention")
def convention_group() -> None:
    """Conventions collectives : lister, consulter, chercher."""


@convention_group.command("list")
@click.option("--all", "every", is_flag=True, help="Toutes les conventions connues, y compris sans texte ici.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def list_command(every: bool, as_json: bool) -> None:
    """Les conventions collectives disponibles (IDCC, titre, salariés couverts)."""
    shown = [c for c in read_index() if every or c.has_text]
    if as_json:
        _print_json([c.to_dict() for c in shown])
        return
    for c in shown:
        employees = f"{c.employees:,} salariés".replace(",", " ") if c.employees else ""
        text = "" if c.has_text else " (texte non disponible)"
        click.echo(f"{c.idcc if c.idcc is not None else '—':>5}  {c.short_title}{text}  {employees}".rstrip())


@convention_group.command("show")
@click.argument("convention")
@click.argument("article", required=False)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def show(convention: str, article: str | None, as_json: bool) -> None:
    """Le plan d'une convention, ou un de ses articles (identifiant KALIARTI ou numéro)."""
    chosen = choose_convention(convention, as_json)
    if article is None:
        _print_plan(chosen, as_json)
        return
    found = _articles(chosen, article)
    if len(found) != 1:
        labels = "\n".join([*(f"  {a.id}  {chosen.label(a)}" for a in found[:SHOWN]),
                            *([f"  … et {len(found) - SHOWN} autres"] if len(found) > SHOWN else [])])
        raise CorpusError(f"Article « {article} » : {len(found)} articles portent ce numéro dans l'IDCC "
                          f"{chosen.info.idcc} ; indiquez son identifiant :\n{labels}" if found else
                          f"Article « {article} » introuvable dans l'IDCC {chosen.info.idcc}.")
    _print_article(chosen, found[0], as_json)


@convention_group.command("search")
@click.argument("convention")
@click.argument("question")
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(1, 50), help="Nombre de résultats.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def search_command(convention: str, question: str, k: int, as_json: bool) -> None:
    """Les articles d'une convention les plus proches d'une question."""
    chosen = choose_convention(convention, as_json)
    settings = IndexSettings.from_env()
    vectors = load_convention_vectors(chosen, model_name(settings))
    query_vector = load_embedder(settings).embed_query(question) if vectors else None
    hits = ConventionSearcher(chosen, vectors).search(question, k, query_vector)
    if as_json:
        _print_json({"idcc": chosen.info.idcc, "convention": chosen.info.short_title,
                     "results": [h.to_dict(chosen) for h in hits]})
        return
    if not hits:
        click.echo("Aucun article de cette convention ne contient les mots de la question.")
    for rank, hit in enumerate(hits, 1):
        click.echo(f"{rank}. {chosen.label(hit.article)} ({hit.score:.2f})\n   {hit.snippet}\n   {chosen.url(hit.article)}")


@convention_group.command("update")
@click.option("--version", help="Version du paquet @socialgouv/kali-data (défaut : la plus récente).")
@click.option("--from-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Archive du paquet déjà téléchargée (`npm pack`) au lieu du registre.")
@click.option("--json", "as_json", is_flag=True, help="Rapport en JSON.")
def update_command(version: str | None, from_file: Path | None, as_json: bool) -> None:
    """Installe une autre version des conventions collectives, puis bascule (rapport des changements)."""
    result = update_conventions(version, from_file)
    stale = _vectors_outdated(result)
    if as_json:
        _print_json({**result.to_dict(), "lexical_only": stale})
        return
    click.echo(result.to_text())
    if stale:
        click.echo("Recherche lexicale seule (BM25) pour IDCC " + ", ".join(map(str, stale)) + " : des textes ont "
                   "changé depuis le calcul de leurs vecteurs ; `python scripts/build_vectors.py conventions --idcc "
                   + " ".join(map(str, stale)) + "` rétablit la recherche hybride.")


def _vectors_outdated(result: ConventionsUpdate) -> list[int]:
    """The changed conventions that had shipped vectors which no longer cover every chunk: searched by
    BM25 alone until their vectors are computed again (indexing/convention_search.py)."""
    model = model_name(IndexSettings.from_env())
    changed = {change.idcc for change in result.changes}
    stale = []
    for info in read_index():
        if info.idcc in changed and info.has_text:
            convention = load_convention(info)
            vectors = load_convention_vectors(convention, model)
            if vectors is not None and chunk_vectors(convention_chunks(convention), vectors) is None:
                stale.append(info.idcc)
    return stale


def choose_convention(words: str, as_json: bool) -> Convention:
    """The convention ``words`` designate, with its text; otherwise the candidates or the reason, and exit 1."""
    choice = load_directory(read_index()).choose(words)
    if choice.convention is None or not choice.convention.has_text:
        if as_json:
            _print_json({"message": choice.message, "candidates": [c.to_dict() for c in choice.candidates]})
            sys.exit(1)
        raise CorpusError(choice.explanation())
    if choice.message:
        click.echo(choice.message, err=True)
    return load_convention(choice.convention)


def _articles(convention: Convention, wanted: str) -> list[ConventionArticle]:
    """By version id (KALIARTI…) or by number (« 4.3 », « 1er »), which may repeat across texts."""
    by_id = [a for a in convention.articles if a.id == wanted.strip().upper()]
    return by_id or [a for a in convention.articles if a.number and a.number.lower() == wanted.strip().lower()]


def _print_plan(convention: Convention, as_json: bool) -> None:
    counts = Counter(a.text_id for a in convention.articles)
    if as_json:
        _print_json({**convention.info.to_dict(), "texts": [{**t.to_dict(), "articles": counts[t.id]}
                                                            for t in convention.texts]})
        return
    click.echo(f"IDCC {convention.info.idcc} — {convention.info.title}")
    part = None
    for text in convention.texts:
        if text.part != part:
            part = text.part
            click.echo(f"\n{part}")
        click.echo(f"  {text.title} [{text.status.label_fr}] — {counts[text.id]} articles")


def _print_article(convention: Convention, article: ConventionArticle, as_json: bool) -> None:
    text = convention.text_of(article)
    data: dict[str, Any] = {
        "article": convention.label(article), "source": "convention", "idcc": convention.info.idcc,
        "id": article.id, "cid": article.cid, "url": convention.url(article), "text": text.title,
        "text_status": text.status.label_fr, "in_force": article.in_force, "place": list(article.breadcrumbs),
        "paragraphs": list(article.paragraphs), "notes": list(article.notes)}
    if as_json:
        _print_json(data)
        return
    state = "en vigueur" if article.in_force else "pas encore en vigueur"
    click.echo(f"{data['article']}\nIDCC {convention.info.idcc} — {convention.info.short_title}\n"
               f"Texte : {text.title} ({text.status.label_fr}) ; article {state}")
    if article.breadcrumbs:
        click.echo("Place : " + " › ".join(article.breadcrumbs))
    click.echo("\n" + "\n".join(article.paragraphs))
    if article.notes:
        click.echo("\nNota : " + "\n".join(article.notes))
    click.echo(f"\n{data['url']}")


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
