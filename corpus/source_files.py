"""What the readers of user-supplied exports share: safe reading of the file, and the article they build.

Exports come from users, so every way a file can be wrong (missing, huge, binary, another
encoding, empty) gets a message naming the file, the line and the fix before any parsing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.errors import SourceFormatError
from corpus.model import Article, Status
from corpus.references import parse_references

MAX_BYTES = 50 * 1024 * 1024


def read_source_text(path: Path, fix: str) -> str:
    """The file's text, or a SourceFormatError saying why it cannot be a text source.

    ``fix`` tells what a good file of the expected format looks like (used when it is empty).
    """
    if not path.is_file():
        raise SourceFormatError(path, "fichier introuvable", "Vérifiez le chemin du fichier")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceFormatError(
            path,
            f"fichier trop volumineux ({size / 1024 / 1024:.0f} Mo, maximum {MAX_BYTES // 1024 // 1024} Mo)",
            "Un export du Code du travail pèse quelques centaines de Ko : vérifiez qu'il s'agit du bon fichier",
        )
    data = path.read_bytes()
    if b"\x00" in data:
        raise SourceFormatError(
            path,
            "contenu binaire (octet nul), ce n'est pas un export texte",
            "Fournissez le fichier texte (.txt ou .md), pas un PDF, un document Word, une image ou une archive",
            line=data.count(b"\n", 0, data.index(b"\x00")) + 1,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceFormatError(
            path,
            "le fichier n'est pas encodé en UTF-8",
            "Réenregistrez l'export en UTF-8 (dans un éditeur de texte : « Enregistrer sous », encodage UTF-8)",
            line=data.count(b"\n", 0, error.start) + 1,
        ) from error
    if not text.strip():
        raise SourceFormatError(path, "fichier vide", fix)
    return text


def historical_article(
    number: str | None, body: list[str], notes: list[str], path: Path, position: int, extra: dict[str, Any]
) -> Article:
    """An article read from an export: a past version, never the law in force."""
    return Article(
        number=number,
        status=Status.HISTORICAL,
        paragraphs=tuple(body),
        notes=tuple(notes),
        references_out=tuple(parse_references("\n\n".join(body))),
        source=path.name,
        position=position,
        extra=extra,
    )
