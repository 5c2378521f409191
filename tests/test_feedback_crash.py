"""Votes survive a crash of the page: the process recording them is killed (SIGKILL) in the middle of its writes.

The writer is a child process that calls `FeedbackStore.record`, the call `Page.on_feedback` makes
on a thumbs up or down, in a loop, and prints each vote's number once the call has returned: a
printed vote is one the page would have acknowledged (« Merci : votre avis … est enregistré »).
Each vote is a few kilobytes, so that a kill can land in the middle of a transaction or of a
checkpoint of the write-ahead log. The parent, another process, then reads the database back with
the page's own export.
"""

from __future__ import annotations

import csv
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from ui.feedback import FeedbackStore

REPO = Path(__file__).resolve().parents[1]  # not tests.conftest: the writer imports this module, and should stay light

WRITER = """
import sys
from pathlib import Path

from tests.test_feedback_crash import vote_of
from ui.feedback import FeedbackStore

store = FeedbackStore(Path(sys.argv[1]))
index = 0
while True:
    store.record(**vote_of(sys.argv[2], index))
    print(index, flush=True)
    index += 1
"""


def vote_of(session: str, index: int) -> dict[str, Any]:
    """The vote number `index` of a session: its content is known, so that every row can be checked exactly."""
    return {"session": session, "message_index": index, "rating": 1 if index % 3 else -1,
            "question": f"Question {index} ; « préavis » \"cité\"", "standalone_question": f"Question {index}",
            "answer": f"Réponse {index} de {session}\n" + "**Selon l'article L1234-1** : texte cité. " * 80,
            "articles": [f"L{1000 + index}-1", "D5212-20"], "mode": "extractif", "corpus_date": "2026-03-27"}


def _start_writer(db: Path, session: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(db), session], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill(writer: subprocess.Popen[str], acknowledged: int) -> int:
    """SIGKILL the writer while it still writes; the number of votes it acknowledged, those left in the pipe too."""
    assert writer.poll() is None, "l'écrivain s'est arrêté tout seul"
    writer.send_signal(signal.SIGKILL)
    remaining = writer.communicate()[0].split()
    assert writer.returncode == -signal.SIGKILL
    return int(remaining[-1]) + 1 if remaining else acknowledged


def _acknowledged(writer: subprocess.Popen[str], at_least: int) -> int:
    """Read the writer's acknowledgements until `at_least` votes are recorded; how many were read."""
    acknowledged = 0
    while acknowledged < at_least:
        line = writer.stdout.readline()
        assert line, f"l'écrivain s'est arrêté : {writer.stderr.read()}"
        acknowledged = int(line) + 1
    return acknowledged


def _check_database(db: Path) -> None:
    """Opened afresh after the crash: whole, and still in WAL mode (checked before FeedbackStore sets it again)."""
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _read_acknowledgements(writer: subprocess.Popen[str]) -> list[int]:
    """The writer's acknowledgements read in a thread as they come: [how many so far], readable without blocking.

    The count lags the writer's prints, never leads them: every vote it counts was acknowledged."""
    count = [0]

    def read() -> None:
        with writer.stdout:  # closed here, at the end of the stream, once the writer is killed
            for line in writer.stdout:
                count[0] = int(line) + 1

    threading.Thread(target=read, name="acquittements", daemon=True).start()
    return count


def _assert_prefix(rows: list[dict[str, Any]], session: str) -> int:
    """The session's votes are 0…n-1 exactly as written (no gap, no half-written vote); n, for the caller to bound."""
    mine = [row for row in rows if row["session"] == session]
    for index, row in enumerate(mine):
        assert {key: row[key] for key in vote_of(session, index)} == vote_of(session, index)
    return len(mine)


def test_a_killed_writer_loses_no_acknowledged_vote(tmp_path: Path) -> None:
    """Three crashes at different points: after each, the database is whole and holds every acknowledged vote."""
    db = tmp_path / "feedback.sqlite3"
    kept: dict[str, int] = {}
    for crash, at_least in enumerate((200, 260, 330)):
        session = f"crash-{crash}"
        writer = _start_writer(db, session)
        acknowledged = _kill(writer, _acknowledged(writer, at_least))
        _check_database(db)
        rows = FeedbackStore(db).rows()
        kept[session] = _assert_prefix(rows, session)
        # every acknowledged vote, and at most the one in flight when the kill landed
        assert acknowledged <= kept[session] <= acknowledged + 1, (session, acknowledged, kept[session])
        assert len(rows) == sum(kept.values())  # the votes of the earlier crashes are all still there
        print(f"arrêt brutal n° {crash + 1} : {acknowledged} avis confirmés, {kept[session]} enregistrés")
    store = FeedbackStore(db)
    exported = [json.loads(line) for line in
                store.export_jsonl(tmp_path / "avis.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = [(session, index) for session, count in kept.items() for index in range(count)]
    assert [(row["session"], row["message_index"]) for row in exported] == expected
    with store.export_csv(tmp_path / "avis.csv").open(encoding="utf-8-sig", newline="") as table:
        assert [(row["session"], int(row["message_index"])) for row in csv.DictReader(table, delimiter=";")] == expected


def test_exports_read_while_another_process_records_votes(tmp_path: Path) -> None:
    """WAL: the page's export, in this process, never fails nor sees half a vote while the writer keeps writing."""
    db = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(db)
    writer = _start_writer(db, "pendant")
    acknowledged = _read_acknowledgements(writer)
    seen: list[int] = []
    before = 0
    deadline = time.monotonic() + 60
    try:
        while before < 200 and time.monotonic() < deadline:
            assert writer.poll() is None, f"l'écrivain s'est arrêté : {writer.stderr.read()}"
            before = acknowledged[0]  # committed before the export starts: it must see them all
            target = tmp_path / f"avis-{len(seen)}.jsonl"
            rows = [json.loads(line) for line in store.export_jsonl(target).read_text(encoding="utf-8").splitlines()]
            seen.append(_assert_prefix(rows, "pendant"))
            assert seen[-1] >= before, (before, seen[-1])
            assert sum(store.counts().values()) >= seen[-1]
    finally:
        writer.kill()
        writer.wait()
        writer.stderr.close()
    assert before >= 200, f"{before} avis confirmés en 60 s"
    assert seen == sorted(seen) and len(set(seen)) > 2  # the exports overlapped the writes
    _check_database(db)
    print(f"{len(seen)} exports pendant l'écriture de {seen[-1]} avis")
