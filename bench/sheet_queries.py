"""Labelled queries from the ministry's sheets: a section's headings as the question, the articles it cites as the answer.

Usage: python bench/sheet_queries.py   (writes bench/sheet_queries.jsonl; run again after `make snapshot`)

Each section of the shipped sheets (corpus/sheets.py) that cites one to three articles in force
gives one line {"id", "query", "gold", "url", "split"}: « <sheet title> : <section title> » is
what a user asks about, and the few articles the ministry names to answer it are what retrieval
should find. A section citing more names a whole chapter and says little about which article
answers; one citing none labels nothing. Every third line (id number divisible by 3) is
"heldout", kept out of any tuning.
"""

from __future__ import annotations

import json
from pathlib import Path

from corpus.sheets import SheetSection, load_sheets

OUTPUT = Path(__file__).with_name("sheet_queries.jsonl")
MAX_GOLD = 3


def sheet_queries(sections: tuple[SheetSection, ...]) -> list[dict[str, object]]:
    labelled = [s for s in sections if 1 <= len(s.articles) <= MAX_GOLD]
    return [{"id": f"f{number:03d}",
             "query": f"{s.sheet_title} : {s.section_title}" if s.section_title else s.sheet_title,
             "gold": list(s.articles), "url": s.url, "split": "heldout" if number % 3 == 0 else "tune"}
            for number, s in enumerate(labelled, start=1)]


def main() -> None:
    lines = sheet_queries(load_sheets().sections)
    OUTPUT.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    print(f"{OUTPUT}: {len(lines)} requêtes, dont {sum(line['split'] == 'heldout' for line in lines)} réservées")


if __name__ == "__main__":
    main()
