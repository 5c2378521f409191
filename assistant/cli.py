"""`cdt ask` (one question, a saved conversation, or a batch file) and `cdt chat` (a terminal conversation)."""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import click

from corpus.conventions import ConventionInfo
from corpus.errors import CorpusError
from indexing.cli import run_batch

from assistant.answer import Answer
from assistant.chain import Assistant, load_assistant
from assistant.conversation import HistoryError, Turn, record, replay
from assistant.scope import mend_surrogates


def _assistant() -> Assistant:
    assistant, warnings = load_assistant()
    for warning in warnings:
        click.echo(f"Attention : {warning}", err=True)
    return assistant


@click.command("ask")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (schéma dans le README).")
@click.option("--history", "history_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Conversation enregistrée (JSON) : lue avant la question, complétée après la réponse.")
@click.option("--batch-file", type=click.File("rb"),
              help="Fichier JSONL {\"id\": …, \"question\": …, \"idcc\": … (facultatif)} ; une ligne JSON de "
                   "réponse par question.")
@click.option("--idcc", "convention", metavar="CONVENTION",
              help="Votre convention collective (IDCC, ou nom : « Syntec », « HCR »…) : ses articles sur la question "
                   "sont cités à côté du Code. Avec --history, elle est retenue pour la conversation.")
def ask(question: str | None, as_json: bool, history_file: Path | None, batch_file: BinaryIO | None,
        convention: str | None) -> None:
    """Répond à une question à partir du Code du travail, avec des citations vérifiées."""
    if (question is None) == (batch_file is None):
        raise click.UsageError("donnez soit une QUESTION, soit --batch-file FICHIER")
    if batch_file is not None and history_file is not None:
        raise click.UsageError("--history ne s'utilise pas avec --batch-file (chaque ligne est une question isolée)")
    history_data, remembered = _read_history(history_file) if history_file else ([], None)
    if question is not None:
        question = _typed(question)
    assistant = _assistant()
    chosen = _choose(assistant, convention) if convention else None
    if batch_file is not None:
        run_batch(batch_file, lambda q, line: assistant.ask(q, convention=_line_convention(assistant, line, chosen))[0]
                  .to_dict())
        return
    if chosen is None and remembered is not None:
        chosen = _choose(assistant, str(remembered))
    history = replay(history_data, assistant.store)
    answer, turn = assistant.ask(question, history, convention=chosen)
    if history_file:
        _write_history(history_file, [*history_data, record(turn)], chosen)
    click.echo(json.dumps(answer.to_dict(), ensure_ascii=False) if as_json else _as_text(answer))


@click.command("chat")
@click.option("--idcc", "convention", metavar="CONVENTION", help="Votre convention collective dès le départ.")
def chat(convention: str | None) -> None:
    """Conversation dans le terminal (« /convention IDCC ou nom », « /nouveau » pour recommencer,
    « /rescrit FICHIER », « /quitter »)."""
    if isinstance(sys.stdin, io.TextIOWrapper):  # fr_FR.UTF-8 reads strictly: one Latin-1 byte would end the chat
        sys.stdin.reconfigure(errors="surrogateescape")  # such bytes arrive as surrogates, mended by _typed
    assistant = _assistant()
    click.echo(f"Assistant du Code du travail (mode {assistant.mode}). Posez votre question ; /convention pour "
               "indiquer votre convention collective, /quitter pour sortir.")
    history: list[Turn] = []
    last: Answer | None = None
    chosen = _choose(assistant, convention) if convention else None
    while True:
        try:
            line = input("\nVous : ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        command, _, argument = line.strip().partition(" ")
        if command == "/quitter":
            return
        if command == "/nouveau":
            history, last = [], None
            click.echo("Nouvelle conversation.")
            continue
        if command == "/rescrit":
            click.echo(_export_rescrit(last, argument.strip()))
            continue
        if command == "/convention":
            chosen = _convention_command(assistant, argument.strip(), chosen)
            continue
        last, turn = assistant.ask(_typed(line), history, convention=chosen)
        history.append(turn)
        click.echo("\n" + _as_text(last))


def _choose(assistant: Assistant, words: str) -> ConventionInfo:
    """The convention ``words`` designate; the candidates or the reason otherwise (CorpusError: exit 1).
    What the user must know of the choice (a merged IDCC, a text not here) goes to stderr."""
    if assistant.conventions is None:
        raise CorpusError("les conventions collectives ne sont pas disponibles ici (voir l'avertissement ci-dessus).")
    choice = assistant.conventions.directory.choose(words)
    if choice.convention is None:
        raise CorpusError(choice.explanation())
    if choice.message:
        click.echo(choice.message, err=True)
    return choice.convention


def _convention_command(assistant: Assistant, words: str, chosen: ConventionInfo | None) -> ConventionInfo | None:
    """`/convention` shows the convention chosen, `/convention aucune` forgets it, `/convention WORDS`
    chooses one (a mistake keeps the previous choice, and says why)."""
    if not words:
        click.echo(f"Convention collective : IDCC {chosen.idcc} — {chosen.short_title}." if chosen else
                   "Aucune convention collective choisie : /convention IDCC (ou nom, « Syntec », « HCR »…).")
        return chosen
    if words.lower() in ("aucune", "none"):
        click.echo("Convention collective oubliée : les réponses viennent du seul Code du travail.")
        return None
    try:
        found = _choose(assistant, words)
    except CorpusError as error:
        click.echo(str(error))
        return chosen
    click.echo(f"Convention collective choisie : IDCC {found.idcc} — {found.short_title}.")
    return found


def _line_convention(assistant: Assistant, line: dict[str, Any], default: ConventionInfo | None) -> ConventionInfo | None:
    """A batch line's "idcc" (a number, or a name), else the one given with --idcc."""
    wanted = line.get("idcc")
    return default if wanted is None else _choose(assistant, str(wanted))


def _typed(question: str) -> str:
    """The question as typed, where bytes that are not UTF-8 become « \ufffd » (with a warning)."""
    mended, changed = mend_surrogates(question)
    if changed:
        click.echo("Attention : la question contient des octets qui ne sont pas de l'UTF-8, remplacés par « \ufffd » : "
                   "réglez votre terminal en UTF-8.", err=True)
    return mended


def _as_text(answer: Answer) -> str:
    lines = [answer.text]
    if answer.notices:
        lines += ["", *(f"Note : {notice}" for notice in answer.notices)]
    for article, url in dict.fromkeys((c.label or c.article, c.url) for c in answer.citations):
        lines.append(f"  {article} : {url or 'lien indisponible'}")
    if answer.rescrit:
        lines += ["", "Un brouillon de demande de position formelle est disponible (`--json`, champ rescrit_draft ; "
                      "/rescrit FICHIER dans `cdt chat`)."]
    return "\n".join(lines)


def _export_rescrit(answer: Answer | None, target: str) -> str:
    if answer is None or not answer.rescrit:
        return "Aucun brouillon : décrivez d'abord la situation de votre entreprise."
    if not target:
        return "Indiquez le fichier : /rescrit demande.md"
    _atomic_write(Path(target), answer.rescrit)
    return f"Brouillon enregistré dans {target}."


def _read_history(path: Path) -> tuple[list[dict[str, Any]], int | None]:
    """The saved turns and the convention chosen for the conversation. Two forms are read: the list of
    turns written before conventions were served, and {"idcc": N or null, "turns": [...]}."""
    if not path.exists():
        return [], None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise HistoryError(f"{path} : conversation illisible ({error}) ; fichier laissé intact") from error
    if isinstance(data, list):
        return data, None
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list):
        raise HistoryError(f"{path} : une liste de tours JSON, ou un objet {{\"idcc\", \"turns\"}}, est attendu ; "
                           "fichier laissé intact")
    idcc = data.get("idcc")
    if idcc is not None and (isinstance(idcc, bool) or not isinstance(idcc, int)):
        raise HistoryError(f"{path} : « idcc » doit être un numéro de convention collective ou null ; fichier laissé "
                           "intact")
    return data["turns"], idcc


def _write_history(path: Path, turns: list[dict[str, Any]], convention: ConventionInfo | None) -> None:
    """Always the new form, so that the convention chosen is remembered with the turns."""
    data = {"idcc": convention.idcc if convention else None, "turns": turns}
    _atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2))


def _atomic_write(path: Path, text: str) -> None:
    """Write beside the target then rename: a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
