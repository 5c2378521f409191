"""Hostile input through the real page's `/ask` API and through `cdt ask`: huge, binary, HTML, floods, bursts.

The page is served in a thread of this process, as `cdt serve` does (tests/page_server.py), and
called over HTTP without a browser: with gradio_client, the same client as bench/load.py, and with
`PageVisitor` (tests/page_server.py), which speaks the browser's own protocol. Nothing is mocked: real index, real
embedding model, offline (extractive) answers.
"""

from __future__ import annotations

import copy
import html
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from corpus.store import ArticleStore
from tests.page_server import PageVisitor, Served, serve_page
from ui.app import QUEUE_MAX_SIZE
from ui.cli import cdt

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # gradio_client: no telemetry thread

NORMAL = "Quelle est la durée maximale de la période d'essai d'un cadre ?"
NORMAL_ARTICLE = "L1221-19"
EMPTY_HINT = "Écrivez d'abord votre question"
POLITE = ("Je ne peux pas répondre", "Je réponds en français", "Votre question est vide")
DATE_LINE = "consolidé au"
LINK = re.compile(r"\(#cdt-article-([^)\s]+)\)")
FLOOD_REQUESTS = 2000
FLOOD_THREADS = 4


# --- the served page and its clients ------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(full_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve_page(full_index, tmp_path_factory.mktemp("page")) as page:
        yield page


@pytest.fixture(scope="module")
def client(served: Served) -> Iterator[Any]:
    from gradio_client import Client

    api = Client(served.url, verbose=False, download_files=False, analytics_enabled=False)
    yield api
    api.close()


def _text(message: dict[str, Any]) -> str:
    """A chat message's text (Gradio 6 sends the content as a list of parts)."""
    content = message["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


def _last_answer(conversation: list[dict[str, Any]]) -> str:
    assert conversation and conversation[-1]["role"] == "assistant"
    return _text(conversation[-1])


def _assert_nothing_invented(answer: str, store: ArticleStore) -> list[str]:
    """The articles the answer links to, each an article of the corpus; no error message instead of an answer."""
    assert "Erreur" not in answer and DATE_LINE in answer
    linked = [unquote(number) for number in LINK.findall(answer)]  # hrefs are URL-quoted: R*3231-4
    for number in linked:
        assert store.get(number).number == number
    return linked


def _assert_answers_normally(client: Any, store: ArticleStore) -> None:
    answer = _last_answer(client.predict(NORMAL, api_name="/ask")[0])
    assert NORMAL_ARTICLE in _assert_nothing_invented(answer, store)


# --- the page ---------------------------------------------------------------------------------------
def test_a_one_megabyte_question_is_cut_answered_and_the_page_still_answers(client: Any, store: ArticleStore) -> None:
    """A paste of 1 000 000 characters: cut at the cap (assistant/scope.py), said so, answered, nothing breaks."""
    question = NORMAL + " " + "=" * (1_000_000 - len(NORMAL) - 1)  # the question, then a pasted separator line
    began = time.perf_counter()
    conversation = client.predict(question, api_name="/ask")[0]
    print(f"question de 1 Mo : réponse en {time.perf_counter() - began:.2f} s")
    answer = _last_answer(conversation)
    assert "Question tronquée à 2000 caractères (1000000 reçus)" in answer
    assert NORMAL_ARTICLE in _assert_nothing_invented(answer, store)
    client.reset_session()
    _assert_answers_normally(client, store)


@pytest.mark.parametrize("question", [
    (bytes(range(256)) * 4).decode("latin-1"),  # every byte, NULs and C1 controls included, read as Latin-1
    random.Random(7).randbytes(4096).decode("latin-1"),
    random.Random(7).randbytes(4096).decode("utf-8", errors="replace"),
], ids=["octets-latin1", "aleatoire-latin1", "aleatoire-utf8-remplace"])
def test_binary_garbage_gets_a_polite_answer_and_nothing_invented(client: Any, store: ArticleStore,
                                                                   question: str) -> None:
    client.reset_session()
    answer = _last_answer(client.predict(question, api_name="/ask")[0])
    assert any(polite in answer for polite in POLITE), answer[:300]
    assert _assert_nothing_invented(answer, store) == [] and "Articles cités : aucun" in answer


def test_undecodable_bytes_sent_by_a_browser_get_an_answer(served: Served, store: ArticleStore) -> None:
    """Broken text pasted in a browser reaches the server as lone surrogates (\\udcXX): answered, the next one too."""
    visitor = PageVisitor(served.url)
    question = random.Random(11).randbytes(4096).decode("utf-8", errors="surrogateescape")
    assert any("\udc80" <= c <= "\udcff" for c in question)
    answer = _last_answer(visitor.ask(question)[0])
    assert any(polite in answer for polite in POLITE) and _assert_nothing_invented(answer, store) == []
    following = _last_answer(visitor.ask(NORMAL)[0])
    assert NORMAL_ARTICLE in _assert_nothing_invented(following, store)
    results = visitor.call("lookup", ["préavis de licenciement \udce9\udc80 ancienneté"])[0]
    assert "pr\u00e9avis de licenciement \ufffd\ufffd anciennet\u00e9" in html.unescape(results)


def test_html_and_script_in_a_question_come_back_as_plain_text(client: Any, store: ArticleStore) -> None:
    """The user's message is Markdown with every `<` escaped (ui/render.py user_markdown): no tag, no link can open."""
    question = "<script>alert(1)</script><img src=x onerror=alert(2)> [clic](javascript:alert(3)) Quel est le SMIC ?"
    client.reset_session()
    conversation = client.predict(question, api_name="/ask")[0]
    user, assistant = conversation[-2:]
    shown = _text(user)
    assert user["role"] == "user" and "<" not in shown and ">" not in shown
    assert re.search(r"(?<!\\)[\[\]]", shown) is None  # brackets escaped: no Markdown link
    assert html.unescape(re.sub(r"\\(.)", r"\1", shown)) == question  # shown exactly as typed
    answer = _text(assistant)
    assert "<script" not in answer and "<img" not in answer
    _assert_nothing_invented(answer, store)


def test_thousands_of_empty_questions_all_get_the_hint_and_the_page_still_answers(served: Served, client: Any,
                                                                                   store: ArticleStore) -> None:
    """A flood of empty or blank questions from a few sessions: each gets the hint, none an error or a chat turn."""
    blanks = ["", " ", "\n\t  \r\n", "\u00a0\u3000"]  # nothing, spaces, line breaks, non-breaking, ideographic
    failures: list[str] = []
    hinted = [0] * FLOOD_THREADS

    def flood(worker: int) -> None:
        visitor = PageVisitor(served.url)
        for number in range(FLOOD_REQUESTS // FLOOD_THREADS):
            try:
                outputs = visitor.ask(blanks[number % len(blanks)])
            except Exception as error:  # counted, then reported by the assertion below
                failures.append(f"{type(error).__name__}: {error}")
                continue
            conversation, notice = outputs[0], html.unescape(outputs[6])
            if EMPTY_HINT in notice and conversation == {"__type__": "update"}:
                hinted[worker] += 1
            else:
                failures.append(f"réponse inattendue : {notice[:120]!r}, {str(conversation)[:120]}")

    began = time.perf_counter()
    threads = [threading.Thread(target=flood, args=(worker,)) for worker in range(FLOOD_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    print(f"{FLOOD_REQUESTS} questions vides ({FLOOD_THREADS} sessions) : {elapsed:.1f} s, "
          f"{FLOOD_REQUESTS / elapsed:.0f} par seconde")
    assert failures == [] and sum(hinted) == FLOOD_REQUESTS
    client.reset_session()
    _assert_answers_normally(client, store)


def test_a_burst_past_the_queue_bound_is_refused_in_french_and_every_accepted_question_is_answered(
        served: Served, store: ArticleStore) -> None:
    """At most QUEUE_MAX_SIZE questions wait (ui/app.py): the ones beyond are refused at once (HTTP 429, in French,
    with a Retry-After; ui/serve.py) instead of piling up, every accepted one is answered, and the page answers as
    before once the burst is served."""
    base = PageVisitor(served.url, timeout=300)
    accepted: list[PageVisitor] = []
    refused: list[tuple[int, str | None, str]] = []
    began = time.perf_counter()
    for _ in range(3 * QUEUE_MAX_SIZE):  # one new session each, joined back to back as fast as one client can
        visitor = copy.copy(base)  # shares the page's config, read once
        visitor.new_conversation()
        try:
            visitor.send(NORMAL)
        except urllib.error.HTTPError as error:
            refused.append((error.code, error.headers.get("Retry-After"), json.loads(error.read())["detail"]))
        else:
            accepted.append(visitor)
    print(f"{3 * QUEUE_MAX_SIZE} questions envoyées en {time.perf_counter() - began:.2f} s : "
          f"{len(accepted)} acceptées, {len(refused)} refusées")
    assert refused and set(refused) == {(429, "60", "Trop de demandes en attente : la vôtre n'a pas été prise en "
                                                    "compte. Réessayez dans une minute.")}, refused[:3]
    assert len(accepted) >= QUEUE_MAX_SIZE
    for visitor in accepted:
        assert NORMAL_ARTICLE in _assert_nothing_invented(_last_answer(visitor.result()[0]), store)
    base.new_conversation()
    assert NORMAL_ARTICLE in _assert_nothing_invented(_last_answer(base.ask(NORMAL)[0]), store)


# --- cdt ask ----------------------------------------------------------------------------------------
@pytest.fixture()
def use_full_index(full_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDT_INDEX_DIR", str(full_index))


@pytest.mark.usefixtures("use_full_index")
def test_a_batch_file_with_bad_bytes_names_each_bad_line_and_answers_the_others(tmp_path: Path) -> None:
    """Latin-1 text, a NUL byte, a BOM (Windows Notepad): each bad line is named in French, the others answered."""
    def line(identifier: str, question: str) -> bytes:
        return json.dumps({"id": identifier, "question": question}, ensure_ascii=False).encode("utf-8") + b"\n"

    batch = tmp_path / "questions.jsonl"
    batch.write_bytes(b"\xef\xbb\xbf" + line("bom", "Combien de jours de congés payés par mois de travail ?")
                      + line("latin1", "Combien de jours de congés payés ?").replace("é".encode(), b"\xe9")
                      + line("nul", "Quelle est la durée\x00 légale du travail ?").replace(b"\\u0000", b"\x00")
                      + line("echappe", "Quelle est la durée\u0000 maximale de la période\u001b d'essai d'un cadre ?")
                      + line("fin", "Quelle est la durée légale du travail ?"))
    result = CliRunner().invoke(cdt, ["ask", "--batch-file", str(batch)])
    assert result.exception is None and result.exit_code == 0, result.output
    out = [json.loads(text) for text in result.output.splitlines() if text.startswith("{")]
    assert [item["id"] for item in out] == ["bom", None, None, "echappe", "fin"]
    assert "L3141-3" in {c["article"] for c in out[0]["citations"]}
    assert out[1]["line"] == 2 and "ligne 2 : octet 0xe9" in out[1]["error"] and "UTF-8" in out[1]["error"]
    assert out[2]["line"] == 3 and "ligne 3 : caractère nul" in out[2]["error"]
    assert NORMAL_ARTICLE in {c["article"] for c in out[3]["citations"]}  # escaped controls are only removed
    assert "L3121-27" in {c["article"] for c in out[4]["citations"]}


@pytest.mark.usefixtures("use_full_index")
def test_a_batch_file_that_is_not_utf8_text_is_refused_with_a_non_zero_exit(tmp_path: Path) -> None:
    """A file saved as UTF-16 (« Unicode » in Windows): no line is usable, so the command fails, saying why."""
    batch = tmp_path / "questions.jsonl"
    batch.write_text(json.dumps({"id": "a", "question": NORMAL}) + "\n" + json.dumps({"id": "b", "question": NORMAL}),
                     encoding="utf-16")
    result = CliRunner().invoke(cdt, ["ask", "--batch-file", str(batch)])
    assert result.exit_code == 1 and not isinstance(result.exception, UnicodeError), result.output
    errors = [json.loads(text)["error"] for text in result.output.splitlines() if text.startswith("{")]
    assert errors[0].startswith("ligne 1 : octet 0xff") and errors[1].startswith("ligne 2 : caractère nul")
    assert "Erreur : aucune ligne utilisable" in result.output and "UTF-8" in result.output


@pytest.mark.usefixtures("use_full_index")
def test_ask_with_terminal_control_sequences_answers_and_prints_no_control_character(tmp_path: Path) -> None:
    """Escape sequences pasted from a terminal (title, screen clearing, colours, bell, NUL) never reach the output."""
    question = ("\x1b]0;pirate\x07Quelle est la durée\x00 maximale\x1b[2J de la \x1b[31mpériode\x1b[0m d'essai\r"
                " d'un cadre ?")
    result = CliRunner().invoke(cdt, ["ask", question])
    assert result.exit_code == 0, result.output
    assert f"{NORMAL_ARTICLE} : https://" in result.output
    assert re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", result.output) is None


@pytest.mark.usefixtures("use_full_index")
def test_ask_with_bytes_that_are_not_utf8_saves_the_conversation(tmp_path: Path) -> None:
    """A Latin-1 terminal: Python reads byte 0xE9 of argv as the lone surrogate \\udce9, which no file can store."""
    history = tmp_path / "conversation.json"
    result = CliRunner().invoke(cdt, ["ask", "Combien de jours de cong\udce9s pay\udce9s par mois ?",
                                      "--history", str(history)])
    assert result.exception is None and result.exit_code == 0, result.output
    assert "octets qui ne sont pas de l'UTF-8" in result.output and "L3141-3 : https://" in result.output
    (turn,) = json.loads(history.read_text(encoding="utf-8"))["turns"]
    assert turn["question"] == "Combien de jours de cong\ufffds pay\ufffds par mois ?"


def test_chat_under_a_strict_utf8_locale_survives_latin1_bytes(full_index: Path) -> None:
    """fr_FR.UTF-8 decodes stdin strictly (simulated by PYTHONIOENCODING, this machine has only C locales):
    a Latin-1 « é » used to end `cdt chat` with a traceback."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "CDT_INDEX_DIR": str(full_index)}
    typed = "Combien de jours de congés payés par mois ?\n".encode("latin-1") + "Et pour un cadre ?\n/quitter\n".encode()
    done = subprocess.run([str(Path(sys.executable).with_name("cdt")), "chat"], input=typed, env=env,
                          capture_output=True, timeout=300)
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0 and "Traceback" not in err, err[-2000:]
    assert "octets qui ne sont pas de l'UTF-8" in err and out.count("consolidé au") == 2
    assert "L3141-3 : https://" in out

