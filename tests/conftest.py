"""Shared fixtures: every test gets its own empty data folder, so nothing touches the user's."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest

from corpus.errors import SourceFormatError
from corpus.paths import SHIPPED_OFFICIAL
from corpus.snapshot import Snapshot, read_snapshot
from corpus.store import ArticleStore, load_store
from indexing.index import build_index
from indexing.model_fetch import is_installed
from indexing.settings import DEFAULT_MODEL_NAME, IndexSettings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "data" / "seeds"
BOOK_EXPORT = SEEDS / "004_fd4bfdb18ea373cc.txt"
OLD_CODE_ARTICLE = SEEDS / "000_b8bd698fde69301b.txt"
# The reference date calculator tests run on (what « today » stands for): SMIC horaire brut 12,31 €,
# in force since 1 June 2026 (arrêté du 22 mai 2026), so results do not move with the calendar.
TODAY = dt.date(2026, 6, 1)


# Models are big and fetched once by `make test` (`cdt models fetch`): tests keep using that folder
# even though each test gets its own data folder.
MODELS_DIR = Path(os.environ.get("CDT_MODELS_DIR") or IndexSettings.from_env().models_dir)


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("cdt-data")
    monkeypatch.setenv("CDT_DATA_DIR", str(folder))
    monkeypatch.setenv("CDT_MODELS_DIR", str(MODELS_DIR))
    monkeypatch.delenv("CDT_INDEX_DIR", raising=False)
    monkeypatch.delenv("CDT_EMBEDDING_MODEL", raising=False)
    return folder


@pytest.fixture(scope="session")
def shipped() -> Snapshot:
    """The official snapshot committed in the repository (read once per test session)."""
    return read_snapshot(SHIPPED_OFFICIAL)


@pytest.fixture(scope="session")
def store() -> ArticleStore:
    """The store as a fresh clone sees it: shipped snapshot and shipped exports."""
    return load_store()


def assert_rejected(parse: Callable[[Path], Any], path: Path, *fragments: str) -> None:
    """``parse(path)`` must refuse the file with a message naming it and saying each fragment."""
    with pytest.raises(SourceFormatError) as caught:
        parse(path)
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


@pytest.fixture(scope="session")
def full_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the whole code, built once per test session from the shipped vectors (about 40 s)."""
    if not is_installed(MODELS_DIR / DEFAULT_MODEL_NAME):
        pytest.skip("run `cdt models fetch` first (make test does)")
    folder = tmp_path_factory.mktemp("full-index")
    settings = IndexSettings(folder, MODELS_DIR, str(MODELS_DIR / DEFAULT_MODEL_NAME), "bfloat16", "onnx", False, None)
    build_index(load_store(), settings, progress=False)
    return folder


def read_records(path: Path) -> list[dict]:
    """The objects of a JSONL evaluation file; a blank line, bad JSON or a non-object fails the test."""
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name} ligne {lineno} vide"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path.name} ligne {lineno} : JSON invalide ({exc})")
        assert isinstance(record, dict), f"{path.name} ligne {lineno} : objet JSON attendu"
        records.append(record)
    return records


@pytest.fixture(scope="session")
def official_tree(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The pinned package's Code du travail JSON, fetched for real with `npm pack` (once per session)."""
    from corpus.official_package import PINNED_VERSION, fetch_code_json

    path = fetch_code_json(PINNED_VERSION, tmp_path_factory.mktemp("package"))
    return json.loads(path.read_bytes())


def save_tree(tree: dict[str, Any], path: Path) -> Path:
    """Write a package JSON for `cdt corpus update --from-file`."""
    path.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    return path


def altered_json(source: Path, change: Callable[[dict[str, Any]], Any], folder: Path) -> Path:
    """A copy of the JSON file ``source`` in ``folder``, with ``change`` applied to its data: a trained model
    that no longer matches the code, for the loaders' refusals."""
    data = json.loads(source.read_text(encoding="utf-8"))
    change(data)
    return save_tree(data, folder / source.name)


def tree_articles(node: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(section, article) pairs of a package JSON tree, in the code's order."""
    for child in node.get("children", ()):
        if child["type"] == "article":
            yield node, child
        else:
            yield from tree_articles(child)


def kali_tarball(folder: Path, trees: dict[str, dict], index: list[dict], name: str = "kali.tgz") -> Path:
    """A package tarball shaped like `@socialgouv/kali-data`'s: data/index.json and one tree per convention."""
    path = folder / name
    with tarfile.open(path, "w:gz") as archive:
        for name, data in {"index.json": index, **trees}.items():
            raw = json.dumps(data).encode()
            member = tarfile.TarInfo(f"package/data/{name}")
            member.size = len(raw)
            archive.addfile(member, io.BytesIO(raw))
    return path


def kali_article(id_: str, state: str, content: str = "<p>Texte.</p>", num: str | None = "1er") -> dict:
    """One article node of a kali-data tree."""
    return {"type": "article", "data": {"id": id_, "cid": id_, "num": num, "etat": state, "content": content}}
