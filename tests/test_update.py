"""`cdt corpus update` on the real official package: reports, atomic swap, failures that keep the corpus."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from corpus.errors import CorpusError
from corpus.official_package import PINNED_VERSION
from corpus.paths import OFFICIAL_NAME, PREVIOUS_NAME, SHIPPED_OFFICIAL
from corpus.store import active_official_path, load_store
from corpus.update import update_corpus
from tests.conftest import save_tree, tree_articles




def _assert_shipped_still_serves(data_dir: Path) -> None:
    assert active_official_path() == SHIPPED_OFFICIAL
    assert not (data_dir / "corpus" / OFFICIAL_NAME).exists()
    assert not list((data_dir / "corpus").glob(".update-*")), "no half-built leftovers"
    assert load_store().get("L5212-2").in_force


def test_pinned_package_rebuilds_exactly_the_shipped_snapshot() -> None:
    result = update_corpus(version=PINNED_VERSION)
    assert result.report.is_empty, result.report.to_text()
    assert result.replaced is False and result.path == SHIPPED_OFFICIAL


def test_update_reports_added_changed_repealed_and_swaps(official_tree, tmp_path, isolated_data_dir) -> None:
    tree = copy.deepcopy(official_tree)
    tree["data"]["dateModif"] = "2026-04-03"
    for section, node in list(tree_articles(tree)):
        data = node["data"]
        if data["num"] == "L5212-2":
            data["texteHtml"] = data["texteHtml"].replace("6 %", "7 %")
        elif data["num"] == "D5212-20":
            section["children"].remove(node)
        elif data["num"] == "L5212-3":
            added = copy.deepcopy(node)
            added["data"]["num"] = "L5212-3-1"
            section["children"].insert(section["children"].index(node) + 1, added)
    result = update_corpus(version="test", json_path=save_tree(tree, tmp_path / "code.json"))

    assert [c.label for c in result.report.added] == ["L5212-3-1"]
    assert [c.label for c in result.report.changed] == ["L5212-2"]
    assert "6" in result.report.changed[0].summary and "7" in result.report.changed[0].summary
    assert [c.label for c in result.report.repealed] == ["D5212-20"]
    assert result.replaced
    store = load_store()
    assert str(store.consolidation_date) == "2026-04-03"
    assert "7 %" in store.get("L5212-2").paragraphs[0]
    previous = isolated_data_dir / "corpus" / PREVIOUS_NAME
    assert previous.read_bytes() == SHIPPED_OFFICIAL.read_bytes(), "the replaced corpus is kept"


def test_update_through_the_cli_fails_loudly_when_a_calculator_parameter_left_the_law(official_tree, tmp_path) -> None:
    from click.testing import CliRunner

    from ui.cli import cdt

    tree = copy.deepcopy(official_tree)
    tree["data"]["dateModif"] = "2026-04-03"
    for _, node in tree_articles(tree):
        if node["data"]["num"] == "L5212-2":
            node["data"]["texteHtml"] = node["data"]["texteHtml"].replace("6 %", "7 %")
    result = CliRunner().invoke(cdt, ["corpus", "update", "--from-file", str(save_tree(tree, tmp_path / "code.json")), "--version", "test"])
    assert result.exit_code == 1
    assert "Modifiés :\n  - L5212-2" in result.stdout
    assert "calculateur oeth" in result.stderr and "L5212-2" in result.stderr and "proportion minimale de 6 %" in result.stderr


def test_truncated_package_json_keeps_the_current_corpus(official_tree, tmp_path, isolated_data_dir) -> None:
    full = save_tree(official_tree, tmp_path / "full.json").read_bytes()
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(full[: len(full) // 3])
    with pytest.raises(CorpusError, match="truncated.json.*JSON illisible"):
        update_corpus(version="test", json_path=truncated)
    _assert_shipped_still_serves(isolated_data_dir)


def _only_fifth_part(official_tree) -> dict[str, Any]:
    tree = copy.deepcopy(official_tree)
    for part in tree["children"]:
        part["children"] = [c for c in part["children"] if c["data"]["title"].startswith("Cinquième partie")]
    return tree


def test_a_much_smaller_code_is_refused_without_force(official_tree, tmp_path, isolated_data_dir) -> None:
    with pytest.raises(CorpusError, match="semble incomplète.*--force"):
        update_corpus(version="test", json_path=save_tree(_only_fifth_part(official_tree), tmp_path / "small.json"))
    _assert_shipped_still_serves(isolated_data_dir)


def test_crash_while_writing_keeps_the_current_corpus(official_tree, tmp_path, isolated_data_dir, monkeypatch) -> None:
    import corpus.update

    real_write = corpus.update.write_snapshot

    def write_half_then_fail(path, snapshot):
        real_write(path, type(snapshot)(snapshot.manifest, snapshot.articles))
        path.write_bytes(path.read_bytes()[:1000])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(corpus.update, "write_snapshot", write_half_then_fail)
    small = save_tree(_only_fifth_part(official_tree), tmp_path / "small.json")
    with pytest.raises(OSError, match="No space left"):
        update_corpus(version="test", json_path=small, force=True)
    _assert_shipped_still_serves(isolated_data_dir)


def test_killed_update_leaves_the_current_corpus_and_is_cleaned_next_time(official_tree, tmp_path, isolated_data_dir) -> None:
    full = save_tree(official_tree, tmp_path / "full.json")
    command = [sys.executable, "-m", "ui.cli", "corpus", "update", "--from-file", str(full), "--version", "test"]
    process = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not list((isolated_data_dir / "corpus").glob(".update-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # well inside the build, which takes several seconds
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert active_official_path() == SHIPPED_OFFICIAL
    assert load_store().get("L5212-2").in_force
    assert list((isolated_data_dir / "corpus").glob(".update-*")), "the killed run left its work folder"
    truncated = tmp_path / "t.json"
    truncated.write_text("{", encoding="utf-8")
    with pytest.raises(CorpusError):
        update_corpus(version="test", json_path=truncated)
    _assert_shipped_still_serves(isolated_data_dir)
