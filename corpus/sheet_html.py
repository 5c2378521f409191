"""A practical sheet's HTML → titled blocks of paragraphs, without what is not the sheet's own text.

The package's sections are cut at the page's anchors, so a section's HTML also carries whatever
the page shows before the next anchor: embedded videos and their spoken transcripts, « Services en
ligne » link lists, « À lire sur ce site » cards, « Textes de référence » accordions. Those are
removed here. Sheets whose page has no anchors arrive as one section holding the whole page; its
headed parts (an <h2> opening a top-level block) become blocks of their own, so that each keeps
its heading. Paragraph and list-item boundaries come from corpus/html_text.py, the code's own
conversion: the package's `text` field glues paragraphs (« syndicalesEn effet »), which would
make quotations wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from corpus.html_text import clean_spaces, html_to_paragraphs

# Section titles that are never the sheet's substance: links, contacts, lists of texts, documents
# to download. Chosen by counting titles over the 269 sheets of version 4.1174.0 (count after each);
# compared after title_key (case, spaces and final « ? » ignored).
BOILERPLATE_TITLES = frozenset({
    "services en ligne",  # 180
    "textes de référence",  # 170 (and « Texte de référence » inside other sections)
    "texte de référence",
    "à lire sur ce site",  # 105
    "à lire sur service-public. gouv. fr",  # 32
    "pour en savoir plus",  # 30: brochures and sites of other bodies
    "sources réglementaires",  # 28: lists of texts
    "modèles de documents",  # 22: links to letter templates
    "articles associés",  # 19: cards of other pages
    "documents",  # 18: PDF links
    "lire en complément",  # 15
    "à lire en complément",  # 14
    "documents à télécharger",  # 8
    "règlementation",  # 7: lists of texts
    "en savoir plus",  # 5: INRS resources
    "ressources",  # 3
    "téléchargement",  # 2
})
# « Qui contacter ? » (42), « Qui contacter » (16), « Qui contacter sur ce sujet ? » (6),
# « Qui contacter? » (4); « Ressources utiles … » (7): the same thing under several spellings.
BOILERPLATE_PREFIXES = ("qui contacter", "ressources utiles")

# Page furniture inside a section: embedded players, link lists, cards of other pages.
_FURNITURE = ("paragraph--type--insert-video", "youtube_player", "media-oembed-content", "ondine-links-list",
              "ondine-linked-pages")
# A block whose text is mostly links (« Sites à consulter », « Dépliant à télécharger », « À lire sur
# service-public. fr »: 29 blocks of version 4.1174.0 at 0.8 or more, none of them with text of its own).
LINK_LIST_SHARE = 0.8
_WEB_SERIES = re.compile(r"^En savoir plus sur la web série", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """Part of a section: its heading (None: the section's own) and its paragraphs."""

    title: str | None
    paragraphs: tuple[str, ...]


def title_key(title: str) -> str:
    """How titles are compared: « Qui contacter ? » (non-breaking space), « Qui contacter? » and
    « Qui contacter » are one title."""
    return clean_spaces(title).rstrip(" ?:!").casefold()


def is_boilerplate(title: str) -> bool:
    key = title_key(title)
    return key in BOILERPLATE_TITLES or key.startswith(BOILERPLATE_PREFIXES)


def section_blocks(html: str) -> list[Block]:
    """The section's text in blocks, furniture removed; blocks with a boilerplate heading, lists of
    links and blocks left with no text (a section that was only a video) are not returned."""
    soup = BeautifulSoup(html, "html.parser")
    _remove_furniture(soup)
    blocks: list[Block] = []
    for title, block_html in _split_at_headings(soup):
        paragraphs = tuple(html_to_paragraphs(block_html))
        if paragraphs and not (title and is_boilerplate(title)) and _link_share(block_html) < LINK_LIST_SHARE:
            blocks.append(Block(title, paragraphs))
    return blocks


def _remove_furniture(soup: BeautifulSoup) -> None:
    """Players, link lists, page cards; accordions holding a transcript or a boilerplate list; web series promos."""
    for element in soup.find_all(class_=_FURNITURE):
        element.decompose()
    for accordion in soup.find_all("section", class_="fr-accordion"):
        button = accordion.find(class_="fr-accordion__btn")
        label = button.get_text(" ", strip=True) if button else ""
        if "retranscription" in label.casefold() or is_boilerplate(label):
            accordion.decompose()
    for insert in soup.find_all("section", class_="ondine-insert-text"):
        if _WEB_SERIES.match(insert.get_text(" ", strip=True)):
            insert.decompose()


def _split_at_headings(soup: BeautifulSoup) -> list[tuple[str | None, str]]:
    """(heading, HTML) of each run of top-level elements; a run starts at an element opening with an <h2>."""
    parts: list[tuple[str | None, list[str]]] = [(None, [])]
    for child in list(soup.contents):
        heading = _opening_heading(child)
        if heading is not None:
            parts.append((clean_spaces(heading.get_text(" ")), []))
            if heading is child:
                continue
            heading.decompose()
        parts[-1][1].append(str(child))
    return [(title, "".join(pieces)) for title, pieces in parts]


def _link_share(html: str) -> float:
    """How much of a block's text is link text: a list of links to elsewhere is not the sheet's own text."""
    soup = BeautifulSoup(html, "html.parser")
    total = len(soup.get_text(strip=True))
    return sum(len(a.get_text(strip=True)) for a in soup.find_all("a")) / total if total else 0.0


def _opening_heading(node: object) -> Tag | None:
    """The <h2> a top-level element opens with (itself, or its first child element), if any."""
    if not isinstance(node, Tag):
        return None
    if node.name == "h2":
        return node
    first = next((c for c in node.children if isinstance(c, Tag)), None)
    return first if first is not None and first.name == "h2" else None
