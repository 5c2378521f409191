"""`cdt serve`: the web page on 127.0.0.1:7860, with the assistant loaded once for the process.

It refuses to start when the index is missing or no longer matches the corpus, naming the command
that builds it; `--build-index` builds it first (what `make run` does). Gradio is imported only
when the page starts, so that the other `cdt` commands stay quick.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from tqdm import tqdm

from corpus.errors import CorpusError
from corpus.store import ArticleStore, load_store
from indexing.index import BuildReport, IndexUnavailable, build_index, check_index
from indexing.settings import IndexSettings

if TYPE_CHECKING:
    import gradio as gr
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import Response

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
QUEUE_FULL_RETRY_AFTER_S = 60
QUEUE_FULL_MESSAGE = ("Trop de demandes en attente : la vôtre n'a pas été prise en compte. "
                      "Réessayez dans une minute.")


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Adresse d'écoute (0.0.0.0 pour l'ouvrir au réseau local).")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--build-index", "build_first", is_flag=True,
              help="Construit l'index d'abord s'il manque ou ne correspond plus au corpus (barre de progression).")
def serve(host: str, port: int, build_first: bool) -> None:
    """Sert la page web : discussion, consultation des articles, calculateurs, état."""
    ensure_index(load_store(), IndexSettings.from_env(), build_first)
    click.echo("Chargement de l'assistant (corpus, index, modèle)…", err=True)
    from ui.app import PageConfig, build_app  # Gradio is heavy: imported only here

    from assistant.chain import load_assistant
    from assistant.live import LiveAssistant

    assistant, warnings = load_assistant()
    partial = assistant.searcher.index_slice  # « État » shows it too, as long as that index is in service
    if partial is not None:
        click.echo(f"Attention : {partial.notice}", err=True)
    for warning in warnings:
        click.echo(f"Attention : {warning}", err=True)
    # An index rebuilt while the page serves is put in service once complete (assistant/live.py).
    app = build_app(LiveAssistant(assistant, IndexSettings.from_env()), PageConfig(warnings=warnings))
    click.echo(f"Page servie sur http://{host}:{port} (Ctrl+C pour arrêter) — mode {assistant.mode}.", err=True)
    launch(app, host, port)


def ensure_index(store: ArticleStore, settings: IndexSettings, build_first: bool) -> None:
    """Return when the index is usable; build it when asked to, else refuse with the command to run."""
    try:
        check_index(store, settings)
        return
    except IndexUnavailable as error:
        if not build_first:
            raise CorpusError(f"{error}, puis relancez `cdt serve` (ou `cdt serve --build-index`, qui le construit "
                              "d'abord) : la page ne démarre pas sans index à jour.") from None
        click.echo(f"Index à construire : {error}.", err=True)
    report = _build_with_progress(store, settings)
    click.echo(report.to_text(), err=True)


def _build_with_progress(store: ArticleStore, settings: IndexSettings) -> BuildReport:
    """build_index in a thread, with a bar that shows it is alive (the embedding step has its own bar)."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["report"] = build_index(store, settings, progress=True)
        except BaseException as error:  # re-raised in the main thread
            outcome["error"] = error

    worker = threading.Thread(target=work, name="cdt-index-build", daemon=True)
    worker.start()
    with tqdm(desc="Construction de l'index", bar_format="{desc} : {elapsed}", file=sys.stderr) as bar:
        while worker.is_alive():
            worker.join(1.0)
            bar.update(0)
            bar.refresh()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["report"]


def launch(app: gr.Blocks, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, block: bool = True,
           favicon: Path | None = None) -> gr.Blocks:
    """Queue and launch the page: local only, no share link, no telemetry, nothing fetched."""
    from starlette.exceptions import HTTPException

    from ui.app import ASSISTANT_CONCURRENCY, CSS, QUEUE_MAX_SIZE, SESSION_CAPACITY, THEME

    app.queue(default_concurrency_limit=ASSISTANT_CONCURRENCY, max_size=QUEUE_MAX_SIZE)
    try:
        app.launch(
            server_name=host, server_port=port, share=False, inbrowser=False, prevent_thread_lock=not block,
            show_error=False, quiet=True, footer_links=[], ssr_mode=False, pwa=False, mcp_server=False,
            favicon_path=favicon, theme=THEME, css=CSS, max_file_size="1mb", state_session_capacity=SESSION_CAPACITY,
            app_kwargs={"exception_handlers": {HTTPException: _queue_full_in_french}},
        )
    except OSError as error:
        raise CorpusError(f"impossible d'ouvrir la page sur {host}:{port} ({error}) : choisissez un autre port "
                          "avec `cdt serve --port …`") from None
    return app


async def _queue_full_in_french(request: Request, error: HTTPException) -> Response:
    """Gradio refuses an event beyond QUEUE_MAX_SIZE with HTTP 503 and an English « Queue is full », and the
    page's script shows its own English sentence for any 503, whatever the body says. Such a refusal becomes a
    429 carrying QUEUE_FULL_MESSAGE, which the script shows as it is, and a Retry-After for programs; every
    other error goes to FastAPI's usual handler."""
    from fastapi.exception_handlers import http_exception_handler
    from fastapi.responses import JSONResponse

    if error.status_code == 503 and str(error.detail).startswith("Queue is full"):
        return JSONResponse({"detail": QUEUE_FULL_MESSAGE}, status_code=429,
                            headers={"Retry-After": str(QUEUE_FULL_RETRY_AFTER_S)})
    return await http_exception_handler(request, error)
