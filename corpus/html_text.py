"""HTML article bodies → clean alinéas.

Légifrance bodies mark alinéas with <p>, <br/> and, for a few dozen articles, tables. The
alinéa list is the canonical text of an article: quotations are checked against it, so the
conversion must be deterministic and keep every word.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString

_BLOCKS = ("p", "div", "center", "table", "li", "h1", "h2", "h3", "h4")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u202f]+")


def clean_spaces(text: str) -> str:
    """Collapse runs of spaces (non-breaking ones included) and trim."""
    return _SPACES.sub(" ", text).strip()


def html_to_paragraphs(html: str) -> list[str]:
    """Split an HTML body into non-empty alinéas; a table row becomes one « a | b | c » alinéa."""
    soup = BeautifulSoup(html, "html.parser")
    for row in soup.find_all("tr"):
        cells = [clean_spaces(cell.get_text(" ")) for cell in row.find_all(["td", "th"])]
        row.replace_with(NavigableString("\n" + " | ".join(cells) + "\n"))
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for block in soup.find_all(_BLOCKS):
        block.insert_before(NavigableString("\n"))
        block.insert_after(NavigableString("\n"))
    lines = (clean_spaces(line) for line in soup.get_text().split("\n"))
    return [line for line in lines if line]
