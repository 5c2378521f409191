"""Where corpus files live: the snapshots shipped in the package and the user's data folder.

The shipped snapshot makes a fresh clone work with no network. `cdt corpus update` and imported
exports write into the data folder (``CDT_DATA_DIR``, default the platform's user data folder),
which then takes precedence over the shipped files.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

SHIPPED_DIR = Path(__file__).parent / "snapshot"
SHIPPED_OFFICIAL = SHIPPED_DIR / "code-du-travail.jsonl.gz"
SHIPPED_EXPORTS = SHIPPED_DIR / "exports"
SHIPPED_LINKED = SHIPPED_DIR / "codes-lies.jsonl.gz"  # other codes' articles the calculators rely on (corpus/linked_codes.py)
SHIPPED_CONVENTIONS = SHIPPED_DIR / "conventions"  # one file per convention collective, and their index (corpus/conventions.py)
SHIPPED_SHEETS = SHIPPED_DIR / "fiches-travail.jsonl.gz"  # the ministry's practical sheets (corpus/sheets.py)
OFFICIAL_NAME = "code-du-travail.jsonl.gz"
LINKED_NAME = "codes-lies.jsonl.gz"
PREVIOUS_NAME = "code-du-travail.previous.jsonl.gz"


def data_dir() -> Path:
    """The writable data folder (read at call time so tests and deployments can redirect it)."""
    configured = os.environ.get("CDT_DATA_DIR")
    return Path(configured).expanduser() if configured else user_data_path("cdt")


def corpus_dir() -> Path:
    return data_dir() / "corpus"


def user_exports_dir() -> Path:
    return corpus_dir() / "exports"
