"""The ministry's sheets as indexed: one chunk per section, or per run of paragraphs of a long one.

Each chunk starts with « <sheet title> — <section title> », so that a piece read alone still says
what it is about (« Quelle est la durée du mandat ? » means nothing without « Les délégués
syndicaux »), and is cut between paragraphs like an article (indexing/chunks.py). The shipped
vectors are keyed by the chunk text's hash: changing the text here means embedding again
(scripts/build_vectors.py fiches).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from corpus.sheets import SheetSection
from indexing.chunks import pack_paragraphs
from indexing.shipped_vectors import text_hash

SHEET_CHUNKING_VERSION = "sheets-v1"


@dataclass(frozen=True)
class SheetChunk:
    chunk_id: str  # « article375542-3#0 »: the section's key and the position of the piece
    section: str  # the section's key (corpus/sheets.py)
    position: int
    text: str  # heading + paragraphs: exactly what is embedded and tokenised

    @property
    def content_hash(self) -> str:
        return text_hash(self.text)

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata as Chroma stores it."""
        return {"section": self.section, "position": self.position, "content_hash": self.content_hash}


def section_chunks(section: SheetSection) -> list[SheetChunk]:
    return [SheetChunk(f"{section.key}#{position}", section.key, position, section.heading + "\n" + "\n".join(piece))
            for position, piece in enumerate(pack_paragraphs(section.paragraphs))]


def sheet_chunks(sections: Iterable[SheetSection]) -> list[SheetChunk]:
    return [chunk for section in sections for chunk in section_chunks(section)]
