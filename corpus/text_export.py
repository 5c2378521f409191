"""Plain-text exports of the Code du travail (Légifrance « copier le texte » style).

Such an export keeps only the wording: each article is a line starting with « • », further
alinéas are the indented lines below it, and section titles and article numbers are gone (they
are recovered later by corpus.numbering). Nesting survives only as indentation. Inline notes
(« Conformément au II de l'article 10 de la loi … », « Loi n° 2008-776 … article 7 II : … »)
are printed as ordinary alinéas after the body; they are split off here because they are not
part of the article's text and must not be quoted as such.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import SourceFormatError
from corpus.html_text import clean_spaces
from corpus.model import Article
from corpus.source_files import historical_article, read_source_text

BULLET = "•"
_FOOTER = "Retourner en haut de la page"
_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
_VERSION = re.compile(
    r"version\s+en\s+vigueur\s+au\s+(\d{1,2})(?:er)?\s+([a-zéû]+)\s+(\d{4})", re.IGNORECASE
)
# Openings of the notes Légifrance appends to an article (its « nota » field): transitional
# provisions quoted with their source, errata, constitutional decisions. Checked against the
# official code, whose notes are kept apart: splitting each article's alinéas + notes with these
# openings gives back its body exactly for 11,442 of the 11,455 articles in force.
_LAW = r"(?:loi|ordonnance|décret|arrêté)\s+(?:n°\s*)?\d"
_NOTE = re.compile(
    rf"""^(?:\(\d+\)\s*)?(?:
        conformément\s+(?:à|au|aux)\b[^.;]{{0,200}}?(?:\b{_LAW}|décision)
        |aux\s+termes\s+(?:de|du|des)\b[^.;]{{0,200}}?\b{_LAW}
        |{_LAW}[^:]{{0,160}}?:
        |ces\s+dispositions\s+(?:entrent\s+en\s+vigueur
            |sont\s+applicables\s+aux\s+(?:contrats|instances|droits|versements))
        |se\s+(?:reporter|référer)\s+(?:à|au|aux)\b
        |(?:par\s+(?:une\s+)?|dans\s+sa\s+|selon\s+la\s+réserve\s+énoncée\s+par\s+le\s+conseil
            \s+constitutionnel\s+dans\s+sa\s+)?décision\s+(?:du\s+conseil\s+constitutionnel\s+)?n°
        |au\s+lieu\s+de\b
        |transféré\b)""",
    re.IGNORECASE | re.VERBOSE,
)
_FIX_EXPORT = (
    "Fournissez l'export texte d'un livre du Code du travail copié depuis Légifrance, "
    "où chaque article commence par une ligne « • »"
)


@dataclass(frozen=True)
class TextExport:
    """A parsed export: the date it is « en vigueur au » (when printed) and its articles."""

    version_date: dt.date | None
    articles: list[Article]


def parse_text_export(path: Path) -> TextExport:
    """Read an export file; raise SourceFormatError, naming the file and the fix, on bad input."""
    text = read_source_text(path, _FIX_EXPORT)
    lines = text.splitlines()
    _strip_footer(lines)
    blocks = _article_blocks(path, lines)
    if not blocks:
        raise SourceFormatError(path, "aucun article (puce •) trouvé", _FIX_EXPORT)
    indents = sorted({indent for _, indent, _ in blocks})
    articles = [
        _article(path, position, line, indents.index(indent) + 1, alineas)
        for position, (line, indent, alineas) in enumerate(blocks, start=1)
    ]
    return TextExport(_version_date(lines), articles)


def split_notes(alineas: list[str]) -> tuple[list[str], list[str]]:
    """Body and notes: notes start at the first alinéa opening like a Légifrance nota.

    Everything after that opening is note too, since a nota may run over several alinéas
    (« Conformément à l'article 9 de l'ordonnance … » then « Se reporter aux articles 2 à 8 … »),
    and notes only ever come last. The first alinéa is always body: it carries the bullet.
    """
    for index in range(1, len(alineas)):
        if _NOTE.match(alineas[index]):
            return alineas[:index], alineas[index:]
    return alineas, []


def _strip_footer(lines: list[str]) -> None:
    """Drop the page's « Retourner en haut de la page » link, alone or glued to the last line."""
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and lines[-1].rstrip().endswith(_FOOTER):
        lines[-1] = lines[-1].rstrip()[: -len(_FOOTER)]


def _article_blocks(path: Path, lines: list[str]) -> list[tuple[int, int, list[str]]]:
    """(bullet line number, bullet indentation, alinéas) for each article, in file order."""
    blocks: list[tuple[int, int, list[str]]] = []
    for number, raw in enumerate(lines, start=1):
        stripped = raw.lstrip()
        if stripped.startswith(BULLET):
            indent = len(raw.expandtabs(8)) - len(stripped)
            blocks.append((number, indent, [clean_spaces(stripped[len(BULLET) :])]))
        elif blocks and stripped:
            blocks[-1][2].append(clean_spaces(stripped))
    for number, _, alineas in blocks:
        if not any(alineas):
            fix = "Supprimez la puce ou complétez le texte de l'article"
            raise SourceFormatError(path, "article vide (puce • sans texte)", fix, number)
    return [(number, indent, [a for a in alineas if a]) for number, indent, alineas in blocks]


def _article(path: Path, position: int, line: int, depth: int, alineas: list[str]) -> Article:
    """One export article; ``depth`` ranks the bullet's indentation (1 = shallowest).

    Indentation is the only trace the export keeps of the section nesting, so it is kept.
    """
    body, notes = split_notes(alineas)
    return historical_article(None, body, notes, path, position, {"line": line, "depth": depth})


def _version_date(lines: list[str]) -> dt.date | None:
    """The « Version en vigueur au 16 avril 2024 » date of the header, if printed and valid."""
    for line in lines:
        if line.lstrip().startswith(BULLET):
            return None
        match = _VERSION.search(line)
        if match and match[2].lower() in _MONTHS:
            try:
                return dt.date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
            except ValueError:
                return None
    return None
