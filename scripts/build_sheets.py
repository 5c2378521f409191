"""Regenerate the shipped sheets: the labour ministry's practical sheets, against the shipped code.

Usage: python scripts/build_sheets.py [VERSION | --from-file JSON]   (default: the pinned version; `make snapshot`
runs it after scripts/build_snapshot.py, so that the articles a sheet cites are checked against the new code)
Writes corpus/snapshot/fiches-travail.jsonl.gz; commit it so that fresh clones work offline, then
re-embed what changed: python scripts/build_vectors.py fiches.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from corpus.errors import CorpusError
from corpus.paths import SHIPPED_OFFICIAL, SHIPPED_SHEETS
from corpus.sheets import PINNED_VERSION, write_sheets
from corpus.sheets_package import build_sheet_snapshot, fetch_sheets_json
from corpus.snapshot import read_snapshot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", nargs="?", default=PINNED_VERSION)
    parser.add_argument("--from-file", type=Path, help="data/fiches-travail.json of that version, already extracted")
    args = parser.parse_args()
    in_force = {a.key for a in read_snapshot(SHIPPED_OFFICIAL).articles if a.in_force}
    try:
        if args.from_file:
            snapshot, report = build_sheet_snapshot(args.from_file, args.version, in_force)
        else:
            with tempfile.TemporaryDirectory() as workdir:
                json_path = fetch_sheets_json(args.version, Path(workdir))
                snapshot, report = build_sheet_snapshot(json_path, args.version, in_force)
    except CorpusError as error:
        sys.exit(f"Erreur : {error}")
    write_sheets(SHIPPED_SHEETS, snapshot)
    print(f"{SHIPPED_SHEETS}: {report.to_text(snapshot)} ; fiche la plus récente du {snapshot.newest:%d/%m/%Y}")


if __name__ == "__main__":
    main()
