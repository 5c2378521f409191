"""Thumbs up / down on the page's answers, kept locally in SQLite and exportable.

One row per answer and browser session: voting again replaces the vote, withdrawing it deletes the
row. Each row keeps what is needed to review the answer later without the conversation: the
question as typed and as searched, the answer's text, the cited articles, the answering mode and
the corpus date. The database is in WAL mode, so that the page can record votes while an export
reads them; each call opens its own connection (the page serves several sessions at once).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpus.paths import data_dir

FILE_NAME = "feedback.sqlite3"
COLUMNS = ("id", "created_at", "session", "message_index", "rating", "question", "standalone_question",
           "answer", "articles", "mode", "corpus_date")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    session TEXT NOT NULL,
    message_index INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    question TEXT NOT NULL,
    standalone_question TEXT NOT NULL,
    answer TEXT NOT NULL,
    articles TEXT NOT NULL,
    mode TEXT NOT NULL,
    corpus_date TEXT,
    UNIQUE (session, message_index)
)
"""


def default_path() -> Path:
    """`<data folder>/feedback.sqlite3` (CDT_DATA_DIR, default the user data folder)."""
    return data_dir() / FILE_NAME


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            with connection:  # commits, or rolls back on error
                yield connection
        finally:
            connection.close()

    def record(self, *, session: str, message_index: int, rating: int, question: str, standalone_question: str,
               answer: str, articles: list[str], mode: str, corpus_date: str | None) -> None:
        """Store (or replace) this session's vote on this answer; rating is 1 (utile) or -1 (pas utile)."""
        if rating not in (-1, 1):
            raise ValueError(f"rating must be 1 or -1, not {rating!r}")
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._connect() as connection:
            connection.execute(
                "INSERT INTO feedback (created_at, session, message_index, rating, question, standalone_question,"
                " answer, articles, mode, corpus_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (session, message_index) DO UPDATE SET created_at = excluded.created_at,"
                " rating = excluded.rating",
                (now, session, message_index, rating, question, standalone_question, answer,
                 json.dumps(articles, ensure_ascii=False), mode, corpus_date),
            )

    def withdraw(self, session: str, message_index: int) -> None:
        with self._connect() as connection:
            connection.execute("DELETE FROM feedback WHERE session = ? AND message_index = ?", (session, message_index))

    def rows(self) -> list[dict[str, Any]]:
        with self._connect() as connection:
            connection.row_factory = sqlite3.Row
            found = connection.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [{**dict(row), "articles": json.loads(row["articles"])} for row in found]

    def counts(self) -> dict[str, int]:
        with self._connect() as connection:
            up, down = connection.execute(
                "SELECT COALESCE(SUM(rating = 1), 0), COALESCE(SUM(rating = -1), 0) FROM feedback").fetchone()
        return {"utile": up, "pas_utile": down}

    def export_jsonl(self, target: Path) -> Path:
        target.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in self.rows()), encoding="utf-8")
        return target

    def export_csv(self, target: Path) -> Path:
        """UTF-8 with a BOM and `;` separators, so that a spreadsheet in French opens it as it is."""
        with target.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";")
            writer.writeheader()
            for row in self.rows():
                writer.writerow({**row, "articles": ", ".join(row["articles"])})
        return target
