"""A segment's postings without positions (``.rvp``, :mod:`reader.core.search.postings_file`):
written beside Whoosh's blocks, read back exactly (the same documents, the same weights as
Whoosh reads them), used by the vectorised path instead of unpickling the blocks, refused when
damaged; and a phrase decodes the positions of the documents all its words share only."""

from __future__ import annotations

import pickle
import subprocess
import sys
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

from reader.core.config import load_config
from reader.core.search import postings as postings_module
from reader.core.search import vector_phrases
from reader.core.search.index import update_index
from reader.core.search.postings_file import PostingsFile, PostingsFileWriter
from reader.core.search.searcher import Searcher
from reader.core.search.vector import VectorIndex
from tests.conftest import ROOT, write_config
from tests.test_search_vector import _whoosh_scores
from tests.test_search_vector import config_file as config_file
from tests.test_search_vector import searcher as searcher


class _Bytes:
    """A file that keeps what is written (what ``PostingsFileWriter`` needs of one)."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.closed = False

    def write(self, chunk: bytes) -> None:
        self.data += chunk

    def close(self) -> None:
        self.closed = True

    def get(self, at: int, size: int) -> bytes:
        return bytes(self.data[at : at + size])


def _written(terms: list[tuple[int, list[int], list[float]]]) -> _Bytes:
    out = _Bytes()
    writer = PostingsFileWriter(out)
    for key, docnums, weights in terms:
        writer.add(key, array("q", docnums), array("d", weights))
    writer.close()
    assert out.closed
    return out


def test_postings_read_back_as_written_in_every_kind() -> None:
    terms = [
        (4, [0, 7, 65535], [1.0, 3.0, 255.0]),  # narrow ids, whole weights
        (90, [3, 70000, 123456], [1.0, 2.0, 1.0]),  # wide ids
        (400, [1, 2], [0.5, 1.1]),  # weights kept as float32, as Whoosh keeps them
        (900, [5], [256.0]),  # too big for a byte
    ]
    out = _written(terms)
    plain = PostingsFile.parse(out.get, len(out.data))
    assert plain is not None
    for key, docnums, weights in terms:
        found = plain.postings(key, len(docnums))
        assert found is not None
        ids, got = found
        assert ids.dtype == np.int64 and got.dtype == np.float64
        assert ids.tolist() == docnums
        assert got.tolist() == list(array("f", weights))  # float32, as array("f") reads back
    assert plain.postings(5, 3) is None  # no term there
    assert plain.postings(4, 2) is None  # not the count its TermInfo says: not this term
    assert plain.read == 4


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1],  # cut short
        lambda data: b"XXXX" + data[4:],  # not its magic
        lambda data: data[:-4] + b"XXXX",  # nor at the end
        lambda data: data[:-20] + (99).to_bytes(8, "little") + data[-12:],  # a wrong term count
    ],
)
def test_a_damaged_file_is_refused(damage: Any) -> None:
    out = _written([(4, [0, 7], [1.0, 2.0]), (90, [3], [1.0])])
    data = damage(bytes(out.data))
    assert PostingsFile.parse(lambda at, size: data[at : at + size], len(data)) is None


def test_terms_must_come_in_the_order_of_the_postings_file() -> None:
    writer = PostingsFileWriter(_Bytes())
    writer.add(10, array("q", [1]), array("d", [1.0]))
    with pytest.raises(ValueError):
        writer.add(10, array("q", [2]), array("d", [1.0]))


def test_every_scored_term_of_a_built_index_reads_as_whoosh_reads_it(searcher: Searcher) -> None:
    checked = 0
    for sub, _offset in searcher._searcher.leaf_searchers():
        reader = sub.reader()
        plain = PostingsFile.open(reader)
        assert plain is not None
        for fieldname, btext in reader.all_terms():
            if not searcher._searcher.schema[fieldname].scorable:
                continue
            info = reader._terms.term_info(fieldname, btext)
            matcher = W3LeafMatcher(
                reader._terms._postfile,
                info.extent()[0],
                info.extent()[1],
                reader.schema[fieldname].format,
            )
            ids, weights = [], []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                matcher.next()
            found = plain.postings(info.extent()[0], info.doc_frequency())
            assert found is not None, (fieldname, btext)
            assert found[0].tolist() == ids
            assert found[1].tolist() == weights
            checked += 1
    assert checked > 100


def test_the_vectorised_path_reads_no_whoosh_block_for_scored_terms(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    unpickled = {"blocks": 0}
    read_extent = postings_module.read_extent

    def counting(*args: Any) -> Any:
        unpickled["blocks"] += 1
        return read_extent(*args)

    monkeypatch.setattr(postings_module, "read_extent", counting)
    vector = VectorIndex(searcher._searcher)
    for text in ("wor*", "worak OR worbl OR filaab", "filaaa AND filaab AND wor*"):
        q = searcher._expand(searcher.parse(text))
        found = vector.top(q, 10)
        assert found is not None
        want = sorted(((-s, d) for d, s in _whoosh_scores(searcher, q).items()))[:10]
        assert [d for _s, d in found[0]] == [d for _s, d in want]
        assert [s for s, _d in found[0]] == pytest.approx([-s for s, _d in want], rel=1e-12)
    assert vector.lists_read > 10
    assert unpickled["blocks"] == 0


@pytest.fixture(scope="module")
def phrase_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 articles with "alpha" in every body (several blocks of postings in each segment)
    and "beta" in two, right after "alpha" in one of them."""
    folder = tmp_path_factory.mktemp("phrase")
    corpus = folder / "corpus"
    corpus.mkdir()
    for number in range(600):
        words = f"gamma{number % 7} alpha delta{number % 11} epsilon"
        if number == 17:
            words += " beta zeta"
        if number == 301:
            words += " alpha beta"
        (corpus / f"p{number:04d}.txt").write_text(
            f"Title {number}\n\n{words} end.\n", encoding="utf-8"
        )
    path = write_config(folder)
    update_index(load_config(path))
    return path


def test_a_phrase_decodes_only_the_blocks_of_documents_all_its_words_share(
    phrase_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded = {"blocks": 0}
    read_data = W3LeafMatcher._read_data

    def counting(self: Any) -> Any:
        decoded["blocks"] += 1
        return read_data(self)

    class CountingPickle:  # the blocks postings.py unpickles itself
        load = staticmethod(pickle.load)

        @staticmethod
        def loads(data: bytes) -> Any:
            decoded["blocks"] += 1
            return pickle.loads(data)

    with Searcher(load_config(phrase_config)) as opened:
        q = wq.Phrase("body", ["alpha", "beta"])
        want = _whoosh_scores(opened, q)
        assert len(want) == 1
        vector = VectorIndex(opened._searcher)
        monkeypatch.setattr(W3LeafMatcher, "_read_data", counting)
        monkeypatch.setattr(postings_module, "pickle", CountingPickle)
        found = vector.top(q, 10)
        assert found is not None
        assert [d for _s, d in found[0]] == list(want)
        assert found[0][0][0] == pytest.approx(next(iter(want.values())), rel=1e-12)
        # Two documents hold both words: at most one block of each word for each of them
        # (before: every block of "alpha", five in each segment, and those of "beta").
        assert 1 <= decoded["blocks"] <= 4


def test_a_phrase_in_segments_with_deleted_articles_matches_what_whoosh_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Such an index reads its terms from their entries, deleted documents left out, and the
    positions in place too, for the documents the words share only, at their places in the
    lists as written (where the deleted documents' postings still are): never through
    Whoosh's matcher."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(300):
        extra = " alpha beta" if number % 3 == 0 else " beta alpha"
        (corpus / f"d{number:03d}.txt").write_text(
            f"Title {number}\n\nalpha gamma{number % 5}{extra} end.\n", encoding="utf-8"
        )
    config = load_config(write_config(tmp_path))
    update_index(config)
    for number in range(0, 300, 7):
        (corpus / f"d{number:03d}.txt").unlink()
    update_index(config)
    with Searcher(config) as opened:
        reader = opened._searcher.reader()
        if not any(sub.has_deletions() for sub, _ in reader.leaf_readers()):
            pytest.skip("the update merged the deletions away")
        vector = VectorIndex(opened._searcher)
        assert vector._direct.usable
        assert not all(vector._direct.whole(leaf) for leaf in range(len(vector._leaves)))

        def through_whoosh(*args: Any) -> Any:
            raise AssertionError("positions read through Whoosh's matcher")

        monkeypatch.setattr(vector_phrases, "_positions", through_whoosh)
        for q in (wq.Phrase("body", ["alpha", "beta"]), wq.Phrase("body", ["beta", "alpha"])):
            want = _whoosh_scores(opened, q)
            found = vector.top(q, 10**6)
            assert found is not None and found[1] == len(want) > 50
            assert {d: s for s, d in found[0]} == pytest.approx(want, rel=1e-12)


def test_writing_a_segment_does_not_load_numpy(tmp_path: Path) -> None:
    """The writer processes write the file with plain arrays: numpy (15-20 MB a process)
    stays out of them."""
    script = (
        "import sys\n"
        "from tests.test_index_pool import _build\n"
        "from reader.core.search.index_pool import FastSegmentWriter\n"
        "from pathlib import Path\n"
        f"ix = _build(Path({str(tmp_path / 'ix')!r}), FastSegmentWriter)\n"
        "assert any(n.endswith('.rvp') for s in ix._segments() for n in "
        "s.open_compound_file(ix.storage).list())\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"


def test_one_position_is_read_without_unpickling_as_whoosh_decodes_it() -> None:
    from whoosh.formats import Positions

    from reader.core.search.postings import single_or

    form = Positions()
    calls = {"decode": 0}

    def decode(value: bytes) -> list[int]:
        calls["decode"] += 1
        return list(form.decode_positions(value))

    fast = single_or(decode)
    lists = [[0], [5], [255], [256], [4097], [65535], [65536], [1 << 20], [3, 9], [0, 256, 70000]]
    for poslist in lists:
        value = form.encode(poslist)
        for stored in (value, value[:-1]):  # kept with or without pickle's STOP
            assert fast(stored) == form.decode_positions(stored) == poslist
    # Only the lists of one position below 65,536 skip the unpickling.
    assert calls["decode"] == 2 * 4
