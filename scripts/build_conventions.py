"""Regenerate the shipped conventions collectives from the pinned `@socialgouv/kali-data` package.

Usage: python scripts/build_conventions.py [VERSION]   (default: the pinned version, corpus/conventions.py)
Writes corpus/snapshot/conventions/: one file per convention with text (« 1486.jsonl.gz ») and
index.jsonl.gz, every convention the package knows; commit them so that fresh clones work offline.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from corpus.conventions import PACKAGE, PINNED_VERSION, conventions_source, write_convention, write_index
from corpus.conventions_package import read_package
from corpus.official_package import fetch_package
from corpus.paths import SHIPPED_CONVENTIONS


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else PINNED_VERSION
    source = conventions_source(version)
    with tempfile.TemporaryDirectory() as workdir:
        known, full, report = read_package(fetch_package(PACKAGE, version, Path(workdir)))
    SHIPPED_CONVENTIONS.mkdir(parents=True, exist_ok=True)
    written = {write_convention(SHIPPED_CONVENTIONS, convention, source) for convention in full}
    written.add(write_index(SHIPPED_CONVENTIONS, known, source))
    for stale in set(SHIPPED_CONVENTIONS.glob("*.jsonl.gz")) - written:
        stale.unlink()
    print(f"{SHIPPED_CONVENTIONS}: {report.to_text()}")


if __name__ == "__main__":
    main()
