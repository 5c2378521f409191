"""Reader for the official Code du travail JSON of the `@socialgouv/legi-data` npm package.

The file (``data/LEGITEXT000006072050.json``) is a tree code → sections → articles. We flatten
it in reading order, keep every article with its status (callers filter on ``in_force``), and
carry the consolidation date (``data.dateModif`` of the root) into the manifest.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from corpus.article_number import try_normalize_number
from corpus.errors import SourceFormatError
from corpus.html_text import clean_spaces, html_to_paragraphs
from corpus.model import Article, Status
from corpus.references import parse_references

CODE_DU_TRAVAIL_ID = "LEGITEXT000006072050"
_FAR_FUTURE = dt.date(2999, 1, 1)
_STATUSES = {
    "VIGUEUR": Status.IN_FORCE,
    "VIGUEUR_DIFF": Status.NOT_YET_IN_FORCE,
    "ABROGE_DIFF": Status.REPEALED_IN_FUTURE,
    "ABROGE": Status.REPEALED,
    "MODIFIE": Status.SUPERSEDED,
}
_FIX = "Reprenez le fichier data/LEGITEXT000006072050.json du paquet @socialgouv/legi-data"


@dataclass(frozen=True)
class OfficialCode:
    """The articles of one official JSON file and the date it was consolidated at."""

    consolidation_date: dt.date
    articles: list[Article]


def load_official_code(path: Path, source: str, code_id: str = CODE_DU_TRAVAIL_ID) -> OfficialCode:
    """Read and flatten the official JSON of ``code_id`` (the Code du travail unless told otherwise: the
    package's other codes have the same shape); raise SourceFormatError naming the file when broken."""
    try:
        root = json.loads(Path(path).read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise SourceFormatError(path, f"JSON illisible ({error})", _FIX, line) from error
    except OSError as error:
        raise SourceFormatError(path, f"lecture impossible ({error.strerror})", _FIX) from error
    try:
        if root["data"]["id"] != code_id:
            expected = "le Code du travail" if code_id == CODE_DU_TRAVAIL_ID else f"le code {code_id}"
            raise SourceFormatError(path, f"ce n'est pas {expected} ({root['data']['id']})", _FIX)
        consolidation = dt.date.fromisoformat(root["data"]["dateModif"])
        articles = [
            _article(node, crumbs, position, source)
            for position, (node, crumbs) in enumerate(_walk(root, ()), start=1)
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise SourceFormatError(path, f"structure inattendue ({error!r})", _FIX) from error
    if not articles:
        raise SourceFormatError(path, "aucun article trouvé", _FIX)
    return OfficialCode(consolidation, articles)


def clean_title(title: str) -> str:
    """Section titles come with trailing dots and spaces (« Section 2 : Obligation d'emploi. »)."""
    return clean_spaces(title).rstrip(". ").strip()


def _walk(node: dict[str, Any], crumbs: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
    for child in node.get("children", ()):
        if child["type"] == "article":
            yield child["data"], crumbs
        else:
            yield from _walk(child, crumbs + (clean_title(child["data"]["title"]),))


def _article(data: dict[str, Any], crumbs: tuple[str, ...], position: int, source: str) -> Article:
    paragraphs = tuple(html_to_paragraphs(data.get("texteHtml") or "") or [clean_spaces(data["texte"])])
    notes = tuple(html_to_paragraphs(data.get("notaHtml") or "")) if (data.get("nota") or "").strip() else ()
    number = try_normalize_number(data["num"]) or clean_spaces(data["num"])
    return Article(
        number=number,
        status=_STATUSES.get(data["etat"], Status.REPEALED),
        paragraphs=paragraphs,
        breadcrumbs=crumbs,
        notes=notes,
        legi_id=data["id"],
        cid=data["cid"],
        start_date=_epoch_ms_to_date(data.get("dateDebut")),
        end_date=_epoch_ms_to_date(data.get("dateFin")),
        first_start_date=_first_start(data),
        references_out=tuple(parse_references("\n".join(paragraphs))),
        source=source,
        position=position,
    )


def _first_start(data: dict[str, Any]) -> dt.date | None:
    """When the article first entered into force: the start of its oldest listed version."""
    starts = [_epoch_ms_to_date(v.get("dateDebut")) for v in data.get("articleVersions") or ()]
    return min((d for d in starts if d), default=_epoch_ms_to_date(data.get("dateDebut")))


def _epoch_ms_to_date(value: int | None) -> dt.date | None:
    if value is None:
        return None
    day = dt.datetime.fromtimestamp(value / 1000, tz=dt.timezone.utc).date()
    return None if day >= _FAR_FUTURE else day
