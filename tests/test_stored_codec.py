"""The index's stored fields go through LZ4 (reader/core/search/stored_codec.py), in every
writer of the index (a small build, the two writer processes of a large one, an incremental
update), and read back as they were written; reading a corpus file resolves the corpus
folders once per build, not for every file and sidecar."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import lz4.block
import pytest
from whoosh import columns
from whoosh.filedb.filestore import FileStorage, RamStorage

from reader.core.config import load_config
from reader.core.search.index import update_index
from reader.core.search.index_build import PARALLEL_FROM
from reader.core.search.index_files import INDEX_NAME, generation
from reader.core.search.stored_codec import STORED_COLUMN, LZ4BytesColumn, ReaderCodec
from reader.core.sources import corpus
from tests.conftest import write_config

HOSTILE = "Haftar\x1b[31m red [b]bold[/b] <script>\u202e حفتر end"


def _write(folder: Path, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(count):
        (folder / f"a{n:04d}.txt").write_text(
            f"Title {n}\n\nBody {n} about Tripoli and {HOSTILE!r}.\n", encoding="utf-8"
        )


def _segments_and_fields(config_path: Path) -> tuple[list[object], dict[str, str]]:
    config = load_config(config_path)
    folder = generation(config.index_dir)
    assert folder is not None
    ix = FileStorage(str(folder), supports_mmap=False).open_index(INDEX_NAME)
    with ix.reader() as reader:
        codecs = [s.codec() for s in ix._segments()]
        bodies = {f["id"]: f["body"] for f in reader.all_stored_fields()}
    return codecs, bodies


@pytest.mark.parametrize("count", [3, PARALLEL_FROM + 20])
def test_every_segment_stores_its_fields_through_lz4_and_reads_them_back(
    tmp_path: Path, count: int
) -> None:
    _write(tmp_path / "corpus", count)
    config_path = write_config(tmp_path)
    update_index(load_config(config_path))
    (tmp_path / "corpus" / "added.txt").write_text(f"Added\n\n{HOSTILE}\n", encoding="utf-8")
    update_index(load_config(config_path))  # an incremental update: a segment of its own
    codecs, bodies = _segments_and_fields(config_path)
    assert codecs and all(type(c) is ReaderCodec for c in codecs)
    assert len(bodies) == count + 1
    assert bodies["added"] == HOSTILE
    assert bodies["a0002"] == f"Body 2 about Tripoli and {HOSTILE!r}."


def test_the_column_keeps_each_value_compressed_by_lz4_and_an_empty_one_empty() -> None:
    storage = RamStorage()
    values = [b"x" * 5000, b"", "حفتر".encode() * 100]
    with storage.create_file("col") as f:
        writer = LZ4BytesColumn().writer(f)
        for docnum, value in enumerate(values):
            writer.add(docnum, value)
        writer.finish(len(values))
        length = f.tell()
    with storage.open_file("col") as f:
        ours = LZ4BytesColumn().reader(f, 0, length, len(values))
        assert [ours[n] for n in range(3)] == values
        assert list(ours) == values
        raw = columns.VarBytesColumn().reader(f, 0, length, len(values))
        assert raw[1] == b""
        assert len(raw[0]) < 100  # compressed, and by LZ4's block format
        assert lz4.block.decompress(raw[0]) == values[0]


def test_reading_a_corpus_resolves_its_folders_once_per_build_not_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "corpus", 30)
    for n in range(30):  # each file with a sidecar: a second link check each
        (tmp_path / "corpus" / f"a{n:04d}.toml").write_text('outlet = "X"\n', encoding="utf-8")
    config_path = write_config(tmp_path)
    calls = []
    real = os.path.realpath

    def counted(path: str, *, strict: bool = False) -> str:
        calls.append(path)
        return real(path, strict=strict)

    monkeypatch.setattr(os.path, "realpath", counted)
    update_index(load_config(config_path))
    # A file and its sidecar are each resolved once; the folders once for the build (and
    # a few times by the scan and the lock). Resolving the folders for each file and each
    # sidecar made it 6 a file.
    assert len(calls) <= 2 * 30 + 15, len(calls)


def test_a_corpus_read_without_its_folders_given_still_refuses_a_link_out(
    tmp_path: Path,
) -> None:
    if sys.platform == "win32":
        pytest.skip("symbolic links")
    (tmp_path / "corpus").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret\n\nbody\n", encoding="utf-8")
    link = tmp_path / "corpus" / "link.txt"
    link.symlink_to(outside)
    config = load_config(write_config(tmp_path))
    source = corpus.SourceFile(link, tmp_path / "corpus", 20, 0)
    articles, skipped = corpus.read_source(source, config)
    assert not articles and "outside the corpus folders" in skipped[0].reason


def test_stored_fields_that_cannot_be_decompressed_are_a_damaged_index(tmp_path: Path) -> None:
    # LZ4 is called from the codec, a module of reader's: what it raises on a damaged file
    # must still read as a damaged index (repaired by a rebuild), as zlib's error raised
    # inside Whoosh did, not as a bug of reader's.
    from reader.core.search.index_files import IndexDamaged, read_failure

    storage = RamStorage()
    with storage.create_file("col") as f:
        writer = columns.VarBytesColumn().writer(f)  # raw: the bytes are not LZ4's
        writer.add(0, b"\xff\x00\x00\x00 not lz4 at all")
        writer.finish(1)
        length = f.tell()
    with storage.open_file("col") as f:
        reader = STORED_COLUMN.reader(f, 0, length, 1)
        with pytest.raises(Exception) as raised:
            reader[0]
    found = read_failure(raised.value, tmp_path)
    assert isinstance(found, IndexDamaged)
    assert "cannot be read" in str(found)
