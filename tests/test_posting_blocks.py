"""The segment writer's posting lists are byte for byte Whoosh's own: the postings and terms
files of a segment written by FastSegmentWriter (whose block writer is
reader.core.search.posting_blocks) equal those Whoosh's SegmentWriter writes with the same
codec, whether the pool spills to disk or not, and for a merge of older segments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from reader.core.search import index_pool
from reader.core.search.index_pool import FastSegmentWriter
from reader.core.search.posting_blocks import _Blocks
from reader.core.search.schema import make_schema
from reader.core.search.stored_codec import ReaderCodec
from tests.test_index_pool import _build, _documents


def _files(ix: Any) -> dict[str, bytes]:
    """The postings (.pst) and terms (.trm) files of the index's one segment."""
    (segment,) = ix._segments()
    storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
    found = {name.rsplit(".", 1)[-1]: storage.open_file(name).read() for name in storage.list()}
    return {ext: found[ext] for ext in ("pst", "trm")}


def test_the_postings_and_terms_files_are_whooshs_bytes(tmp_path: Path) -> None:
    theirs = _files(_build(tmp_path / "whoosh", SegmentWriter, codec=ReaderCodec()))
    ours = _files(_build(tmp_path / "fast", FastSegmentWriter))
    assert len(theirs["pst"]) > 50_000 and len(theirs["trm"]) > 20_000
    assert ours == theirs


def test_the_bytes_are_the_same_when_the_pool_spills(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_pool, "_POSTING_BYTES", 4000)  # a run every few hundred postings
    theirs = _files(_build(tmp_path / "whoosh", SegmentWriter, codec=ReaderCodec()))
    ours = _files(_build(tmp_path / "fast", FastSegmentWriter, limitmb=1))
    assert ours == theirs


def test_a_merge_writes_whooshs_bytes(tmp_path: Path) -> None:
    """Older segments, one with a deleted document, merged into one by each writer."""

    def build(folder: Path, writer_class: Any) -> Any:
        folder.mkdir()
        FileStorage(str(folder)).create_index(make_schema(), indexname="MAIN")
        docs = _documents()[:90]
        for start in range(0, len(docs), 30):
            writer = writer_class(FileStorage(str(folder)).open_index("MAIN"), codec=ReaderCodec())
            for doc in docs[start : start + 30]:
                writer.add_document(**doc)
            if start:
                writer.delete_by_term("id", f"doc-{start - 27:03}")
            writer.commit(merge=False)
        writer = writer_class(FileStorage(str(folder)).open_index("MAIN"), codec=ReaderCodec())
        writer.add_document(**_documents()[200])
        writer.commit(optimize=True)
        return FileStorage(str(folder)).open_index("MAIN")

    assert _files(build(tmp_path / "fast", FastSegmentWriter)) == _files(
        build(tmp_path / "whoosh", SegmentWriter)
    )


@pytest.mark.parametrize("count", [1, 127, 128, 129, 300])
def test_blocks_hold_at_most_the_block_limit_the_last_marked(count: int) -> None:
    """A term of ``count`` postings: ceil(count / 128) blocks, every length positive but the
    last's, and a term info counting every posting from the first document to the last."""
    import pickle
    import struct

    blocks = _Blocks(128, 3)
    blocks.start_field(None, None, "body")
    docnums = [3 * n + 1 for n in range(count)]
    data, info = blocks.term(docnums, [1.0] * count, [b"v"] * count)
    assert data.startswith(b"W3Bl")
    at, sizes = 4, []
    while at < len(data):
        (size,) = struct.unpack("!i", data[at : at + 4])
        sizes.append(size)
        at += 4 + abs(size)
    assert at == len(data)
    assert len(sizes) == -(-count // 128)
    assert all(s > 0 for s in sizes[:-1]) and sizes[-1] < 0
    first_info = pickle.loads(data[8 : 8 + abs(sizes[0])])
    assert first_info[0] == min(count, 128) and first_info[1] == docnums[min(count, 128) - 1]
    _flags, weight, df, _mn, _mx, _maxw, minid, maxid = struct.unpack("!BfIBBfII", info)
    assert (weight, df, minid, maxid) == (count, count, docnums[0], docnums[-1])
