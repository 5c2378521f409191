"""Snapshot files: round trip, and every way a damaged file is reported instead of half-read."""

import gzip

import pytest

from corpus.errors import SourceFormatError
from corpus.paths import SHIPPED_OFFICIAL
from corpus.snapshot import Manifest, Snapshot, read_snapshot, write_snapshot


def test_round_trip_keeps_every_field(shipped, tmp_path) -> None:
    sample = Snapshot(
        Manifest("test", shipped.manifest.consolidation_date, "official", 50), shipped.articles[3000:3050]
    )
    write_snapshot(tmp_path / "s.jsonl.gz", sample)
    again = read_snapshot(tmp_path / "s.jsonl.gz")
    assert again.manifest == sample.manifest
    assert again.articles == sample.articles
    assert not list(tmp_path.glob(".*tmp")), "no temporary file left behind"


def test_truncated_snapshot_is_refused(tmp_path) -> None:
    data = SHIPPED_OFFICIAL.read_bytes()
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFormatError, match="broken.jsonl.gz.*(tronqué|illisible)"):
        read_snapshot(broken)


def test_missing_articles_are_detected_from_the_manifest_count(tmp_path) -> None:
    with gzip.open(SHIPPED_OFFICIAL, "rt", encoding="utf-8") as lines:
        head = [next(lines) for _ in range(100)]
    short = tmp_path / "short.jsonl.gz"
    with gzip.open(short, "wt", encoding="utf-8") as out:
        out.writelines(head)
    with pytest.raises(SourceFormatError, match="99 articles lus pour 11545 annoncés"):
        read_snapshot(short)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "illisible|vide"),
        (b"\x00\x01binary\xff" * 100, "illisible"),
        (gzip.compress(b""), "vide"),
        (gzip.compress(b'{"format": "autre"}\n'), "format inconnu"),
        (gzip.compress(b"pas du json\n"), "ligne 1"),
    ],
)
def test_damaged_files_name_the_file_and_the_fix(tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(content)
    with pytest.raises(SourceFormatError, match=message) as error:
        read_snapshot(path)
    assert "bad.jsonl.gz" in str(error.value) and "cdt corpus update" in str(error.value)
