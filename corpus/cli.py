"""`cdt corpus …`: look articles up, import exports, update the official snapshot, compare versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from corpus.conventions_update import update_conventions
from corpus.diff import ChangeReport, diff_articles, diff_export
from corpus.errors import CorpusError
from corpus.imports import import_export, save_export
from corpus.official_package import PINNED_VERSION
from corpus.presentation import article_to_json, article_to_text, status_counts
from corpus.snapshot import Snapshot, read_snapshot
from corpus.store import ArticleStore, load_store
from corpus.update import run_after_update_checks, update_corpus


@click.group("corpus")
def corpus_group() -> None:
    """Le corpus : le Code du travail en vigueur et les exports importés."""


@corpus_group.command("info")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (consolidation_date, in_force, …).")
def info(as_json: bool) -> None:
    """Source, date de consolidation et nombre d'articles par partie et par statut."""
    store = load_store()
    counts = store.counts()
    data = {
        "source": store.source,
        "snapshot": str(store.official_path),
        "consolidation_date": store.consolidation_date.isoformat() if store.consolidation_date else None,
        "in_force": len(store.in_force),
        **counts,
        "exports": [
            {"source": s.manifest.source, "version_date": _iso(s.manifest.consolidation_date),
             "articles": s.manifest.article_count, "numbered": s.manifest.extra.get("numbered")}
            for s in store.exports
        ],
    }
    if as_json:
        _print_json(data)
        return
    click.echo(f"Code du travail consolidé au {store.consolidation_date:%d/%m/%Y} — source {store.source}")
    click.echo(f"Instantané : {store.official_path}")
    click.echo(f"Articles en vigueur : {len(store.in_force)}, par partie :")
    for part, count in sorted(counts["in_force_by_part"].items()):
        click.echo(f"  {part} : {count}")
    click.echo(f"Par statut : {status_counts(counts['by_status'])}")
    for export in data["exports"]:
        when = f"version au {export['version_date']}" if export["version_date"] else "date inconnue"
        click.echo(f"Export {export['source']} ({when}) : "
                   f"{_count(export['articles'], 'article')}, {_count(export['numbered'], 'numéroté')}")


@corpus_group.command("show")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def show(number: str, as_json: bool) -> None:
    """Affiche un article : texte, place dans le code, dates, renvois, lien Légifrance.

    NUMBER s'écrit librement : L5212-2, L. 5212-2, l5212-2, « article L.5212-2 » ; une annexe par son
    intitulé (« Annexe I à l'article R4312-1 ») ou son identifiant LEGIARTI.
    """
    store = load_store()
    article = store.get(number)
    if as_json:
        _print_json(article_to_json(store, article))
    else:
        click.echo(article_to_text(store, article))


# How `import` names each article that is not identical; --json keeps the codes (corpus/numbering.py).
_MATCH_LABELS = {"changed": "modifié depuis", "not_found": "sans équivalent actuel",
                 "numbers_unknown": "numéro inconnu"}


@corpus_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON : {\"articles\": [{position, number, status}]}.")
@click.option("--save", is_flag=True, help="Conserver l'export dans le dossier de données pour la consultation.")
def import_command(file: Path, as_json: bool, save: bool) -> None:
    """Importe un export (texte à puces ou article Markdown) et retrouve les numéros d'articles."""
    store = load_store()
    snapshot = import_export(file, store.in_force)
    rows = [
        {"position": a.position, "number": a.number, "status": a.extra.get("match", "not_found")}
        for a in snapshot.articles
    ]
    saved = save_export(snapshot) if save else None
    if as_json:
        _print_json({"source": snapshot.manifest.source, "version_date": _iso(snapshot.manifest.consolidation_date),
                     "saved_to": str(saved) if saved else None, "articles": rows})
        return
    counts = {status: sum(r["status"] == status for r in rows) for status in ("identical", "changed", "not_found", "numbers_unknown")}
    numbered = sum(r["number"] is not None for r in rows)
    click.echo(f"{file} : {_count(len(rows), 'article')}, {_count(numbered, 'numéroté')} — "
               f"{_count(counts['identical'], 'identique')}, {_count(counts['changed'], 'modifié')} depuis, "
               f"{counts['not_found']} sans équivalent actuel")
    if counts["numbers_unknown"]:
        click.echo("Numéros inconnus : aucune donnée officielle pour les retrouver (identifiants de position).")
    for article in snapshot.articles:
        if article.extra.get("match") != "identical":
            label = article.number or f"n° {article.position} (ligne {article.extra.get('line', '?')})"
            detail = article.extra.get("diff", "")
            match = _MATCH_LABELS[article.extra.get("match", "not_found")]
            click.echo(f"  {match} : {label}" + (f" — {detail}" if detail else ""))
    if saved:
        click.echo(f"Export conservé : {saved}")


@corpus_group.command("update")
@click.option("--version", help=f"Version du paquet officiel (défaut : la plus récente ; version figée : {PINNED_VERSION}).")
@click.option("--from-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Fichier LEGITEXT000006072050.json déjà téléchargé (hors ligne).")
@click.option("--force", is_flag=True, help="Accepter une version qui perd plus de 10 % des articles en vigueur.")
@click.option("--conventions", "with_conventions", is_flag=True,
              help="Mettre aussi à jour les conventions collectives (dernière version du paquet kali-data).")
@click.option("--conventions-from-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Archive du paquet kali-data déjà téléchargée (hors ligne) ; implique --conventions.")
@click.option("--json", "as_json", is_flag=True, help="Rapport de changements en JSON.")
def update(version: str | None, from_file: Path | None, force: bool, with_conventions: bool,
           conventions_from_file: Path | None, as_json: bool) -> None:
    """Récupère le Code du travail officiel, construit à côté, puis bascule d'un coup.

    Avec --conventions, les conventions collectives ensuite, de même (construites à côté, bascule,
    rapport) : chaque partie bascule seule, et si les conventions échouent le Code mis à jour reste.
    """
    result = update_corpus(version=version, json_path=from_file, force=force)
    if not as_json:
        click.echo(result.report.to_text())
        if result.replaced:
            click.echo(f"Nouveau corpus en service : {result.path} (consolidé au {result.snapshot.manifest.consolidation_date})")
        else:
            click.echo("Aucun changement : le corpus actuel reste en service.")
    conventions, failure = None, None
    if with_conventions or conventions_from_file:
        try:
            conventions = update_conventions(tarball=conventions_from_file)
        except CorpusError as error:  # reported after the code's report, which stands: the code switched alone
            failure = error
    if as_json:
        _print_json({"replaced": result.replaced, "snapshot": str(result.path), **result.report.to_dict(),
                     **({"conventions": conventions.to_dict()} if conventions else {}),
                     **({"conventions_error": str(failure)} if failure else {})})
    elif conventions:
        click.echo(conventions.to_text())
    if result.replaced:
        run_after_update_checks()  # e.g. calculator parameters still in the law: fails loudly otherwise
    if failure:
        raise failure


@corpus_group.command("diff")
@click.argument("old")
@click.argument("new", default="current")
@click.option("--json", "as_json", is_flag=True, help="Rapport en JSON.")
def diff(old: str, new: str, as_json: bool) -> None:
    """Articles ajoutés, modifiés, abrogés entre deux versions.

    OLD et NEW : un instantané (.jsonl.gz), un export (texte ou Markdown) pour OLD, ou « current »
    (le corpus en service, valeur par défaut de NEW).
    """
    store = load_store()
    new_snapshot = _resolve_official(store, new)
    current = [a for a in new_snapshot.articles if a.in_force]
    old_snapshot = _resolve_any(store, old, current)
    if old_snapshot.manifest.kind == "export":
        report = diff_export(
            old_snapshot.articles, current, _label(old_snapshot), _label(new_snapshot),
            old_snapshot.manifest.consolidation_date,
        )
    else:
        old_in_force = [a for a in old_snapshot.articles if a.in_force]
        report = diff_articles(old_in_force, current, _label(old_snapshot), _label(new_snapshot))
    _print_report(report, as_json)


def _resolve_official(store: ArticleStore, name: str) -> Snapshot:
    if name in ("current", "actuel"):
        return store.official
    snapshot = read_snapshot(Path(name))
    if snapshot.manifest.kind != "official":
        raise CorpusError(f"{name} : NEW doit être un instantané officiel ou « current », pas un export.")
    return snapshot


def _resolve_any(store: ArticleStore, name: str, current: list) -> Snapshot:
    if name in ("current", "actuel"):
        return store.official
    path = Path(name)
    if name.endswith(".jsonl.gz"):
        return read_snapshot(path)
    return import_export(path, current)


def _label(snapshot: Snapshot) -> str:
    date = snapshot.manifest.consolidation_date
    return f"{snapshot.manifest.source} ({'version au ' + date.strftime('%d/%m/%Y') if date else 'date inconnue'})"


def _print_report(report: ChangeReport, as_json: bool) -> None:
    if as_json:
        _print_json(report.to_dict())
    else:
        click.echo(report.to_text())


def _count(count: int, word: str) -> str:
    """« 1 article », « 0 numéroté », « 398 articles »: in French, 0 and 1 take the singular."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
