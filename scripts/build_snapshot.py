"""Regenerate the shipped snapshots: the official code, then the seed exports numbered against it.

Usage: python scripts/build_snapshot.py [VERSION]   (default: the pinned version; `make snapshot`)
Writes corpus/snapshot/code-du-travail.jsonl.gz, corpus/snapshot/codes-lies.jsonl.gz (the other codes'
articles the calculators rely on, from the same package version) and corpus/snapshot/exports/*.jsonl.gz;
commit them so that fresh clones work offline.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from corpus.imports import import_export, save_export
from corpus.linked_codes import build_linked_snapshot
from corpus.official_package import (
    PINNED_VERSION, build_official_snapshot, fetch_code_json, fetch_linked_jsons, package_source,
)
from corpus.paths import SHIPPED_EXPORTS, SHIPPED_LINKED, SHIPPED_OFFICIAL
from corpus.snapshot import write_snapshot

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else PINNED_VERSION
    with tempfile.TemporaryDirectory() as workdir:
        official = build_official_snapshot(fetch_code_json(version, Path(workdir)), version)
        linked = build_linked_snapshot(fetch_linked_jsons(version, Path(workdir)), package_source(version))
    write_snapshot(SHIPPED_OFFICIAL, official)
    write_snapshot(SHIPPED_LINKED, linked)
    print(f"{SHIPPED_LINKED}: {linked.manifest.article_count} articles d'autres codes")
    print(f"{SHIPPED_OFFICIAL}: {official.manifest.article_count} articles, "
          f"consolidé au {official.manifest.consolidation_date}")
    in_force = [a for a in official.articles if a.in_force]
    for seed in sorted(SEEDS.glob("*.txt")):
        export = import_export(seed, in_force)
        path = save_export(export, SHIPPED_EXPORTS)
        print(f"{path}: {export.manifest.article_count} articles, {export.manifest.extra['numbered']} numérotés")


if __name__ == "__main__":
    main()
