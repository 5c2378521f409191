"""One article of the pre-2008 Code du travail, as published in Markdown with an HTML body.

The pre-2008 code (« ancien code du travail », replaced on 1 May 2008) is still cited in old
contracts, collective agreements and case law. These files hold a `# Article L311-7` heading,
then the body as Légifrance HTML (<p> alinéas, <a> links), then an « NOTA: » block. The note is
kept apart from the body because it is commentary, not the law's wording.
"""

from __future__ import annotations

import re
from pathlib import Path

from corpus.article_number import InvalidArticleNumber, normalize_number
from corpus.errors import SourceFormatError
from corpus.html_text import html_to_paragraphs
from corpus.model import Article
from corpus.source_files import historical_article, read_source_text

CODE_VERSION = "ancien code du travail (avant le 1er mai 2008)"
_HEADING = re.compile(r"^#\s+Article\s+(?P<number>.+?)\s*#*\s*$", re.IGNORECASE)
_NOTA = re.compile(r"^NOTA\s*:?\s*")
_FIX = (
    "Le fichier doit commencer par un titre « # Article L311-7 » suivi du texte de l'article "
    "(HTML ou texte), puis éventuellement de sa note « NOTA: … »"
)


def parse_markdown_article(path: Path) -> Article:
    """Read one article file; raise SourceFormatError, naming the file, line and fix, on bad input."""
    lines = read_source_text(path, _FIX).splitlines()
    heading_line = next(index for index, line in enumerate(lines) if line.strip())
    number = _number(path, lines[heading_line], heading_line + 1)
    paragraphs = html_to_paragraphs("\n".join(lines[heading_line + 1 :]))
    body, notes = _split_nota(paragraphs)
    if not body:
        raise SourceFormatError(path, f"l'article {number} n'a pas de texte", _FIX)
    return historical_article(number, body, notes, path, 1, {"code_version": CODE_VERSION})


def _number(path: Path, line: str, line_number: int) -> str:
    match = _HEADING.match(line.strip())
    if not match:
        problem = f"titre « # Article … » attendu, trouvé « {line.strip()[:60]} »"
        raise SourceFormatError(path, problem, _FIX, line_number)
    try:
        return normalize_number(match["number"])
    except InvalidArticleNumber as error:
        problem = f"numéro d'article invalide dans le titre ({error})"
        raise SourceFormatError(path, problem, _FIX, line_number) from error


def _split_nota(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Body and notes: the note starts at the « NOTA: » alinéa, whose label is dropped."""
    for index, paragraph in enumerate(paragraphs):
        if _NOTA.match(paragraph):
            notes = [_NOTA.sub("", paragraph, count=1), *paragraphs[index + 1 :]]
            return paragraphs[:index], [note for note in notes if note]
    return paragraphs, []
