"""Errors users can act on: each names the file (and line) at fault and how to fix it."""

from __future__ import annotations

from pathlib import Path


class CorpusError(Exception):
    """Any problem with corpus data or a request about it; the message is meant for users."""


class UnknownArticle(CorpusError):
    """The requested article number is not in any loaded source."""


class SourceFormatError(CorpusError):
    """A source file cannot be read as the format it claims to be."""

    def __init__(self, path: Path | str, problem: str, fix: str, line: int | None = None) -> None:
        where = f"{path}, ligne {line}" if line is not None else str(path)
        super().__init__(f"{where} : {problem}. {fix}")
        self.path = Path(path)
        self.line = line
