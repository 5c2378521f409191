"""Regenerate the shipped official snapshot from the pinned `@socialgouv/legi-data` version.

Usage: python scripts/build_snapshot.py [VERSION]   (default: the pinned version)
Writes corpus/snapshot/code-du-travail.jsonl.gz; commit it so that fresh clones work offline.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from corpus.official_package import PINNED_VERSION, build_official_snapshot, fetch_code_json
from corpus.paths import SHIPPED_OFFICIAL
from corpus.snapshot import write_snapshot


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else PINNED_VERSION
    with tempfile.TemporaryDirectory() as workdir:
        snapshot = build_official_snapshot(fetch_code_json(version, Path(workdir)), version)
    write_snapshot(SHIPPED_OFFICIAL, snapshot)
    print(f"{SHIPPED_OFFICIAL}: {snapshot.manifest.article_count} articles, "
          f"consolidé au {snapshot.manifest.consolidation_date}")


if __name__ == "__main__":
    main()
