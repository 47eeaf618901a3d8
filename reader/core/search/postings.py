"""A term's postings as numpy arrays, for the vectorised path (:mod:`reader.core.search.vector`).

Whoosh's own way to a term's postings looks the term up again at every step: ``term in
reader``, its document frequency, its IDF and opening its posting list each hash the term and
read its entry from the terms table (about a dozen look-ups a term over two segments), and a
rare term's postings, kept inline in that entry, are then stepped through one Python call a
posting. A typed prefix stands for up to a hundred rare words in two fields, so those
look-ups were most of a first prefix search.

:class:`DirectTerms` looks a term up once per segment (its ``TermInfo``: document frequency,
and the postings themselves when they are inline) and reads the postings from it: inline ones
straight into arrays, others from the segment's ``.rvp`` file in one read
(:mod:`reader.core.search.postings_file`: no positions unpickled), else from Whoosh's blocks
in one read (:func:`read_extent`). A phrase's positions are read for the documents its words
share only (:func:`values_at`, :func:`matcher_values`) and checked by :func:`in_order`.
It applies only where that is
exactly what Whoosh reads: Whoosh 3 segments and the IDF of Whoosh's own
``WeightingModel.idf``, computed here in the same operations from the same counts. A segment
with deleted documents (an article changed or removed since the segment was written) still
lists them in its terms' entries and postings, and counts them in the document frequency, as
Whoosh's IDF does; Whoosh filters them out of the postings it gives, and so does
:meth:`DirectTerms.postings` (one mask a segment). Positions are read in place
(:meth:`DirectTerms.values_at`) at places in the list as written, deleted documents' postings
counted: in a segment with deletions the caller's places (in the list it was given) are
mapped to those (:meth:`DirectTerms.written_ranks`).
"""

from __future__ import annotations

import pickle
import struct
import zlib
from collections.abc import Callable
from io import BytesIO
from math import log
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3TermsReader
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.scoring import WeightingModel
from whoosh.util.numeric import byte_to_length

from reader.core.search.postings_file import PostingsFile

EMPTY_DOCS = np.zeros(0, dtype=np.int64)
EMPTY_SCORES = np.zeros(0, dtype=np.float64)
_LENGTH_OF_BYTE = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)


def field_lengths(sub: Any, fieldname: str) -> Any:
    """Each document's length of the field in one segment's searcher ``sub``, as Whoosh's
    scorer reads it (float64, one a document)."""
    reader = sub.reader()
    count = reader.doc_count_all()
    column = None
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is not None and getattr(column, "_fixedlen", None) == 1:
        # One byte a document, stored in a row: read at once (documents past the stored
        # ones have the column's default, 0).
        stored = min(count, column._count)
        raw = np.zeros(count, dtype=np.uint8)
        data = column._dbfile.get(column._basepos, stored)
        raw[:stored] = np.frombuffer(bytes(data), dtype=np.uint8)
        return _LENGTH_OF_BYTE[raw]
    if column is not None:
        raw = np.fromiter((column[i] for i in range(count)), dtype=np.uint8, count=count)
        return _LENGTH_OF_BYTE[raw]
    return np.array(
        [sub.doc_field_length(i, fieldname, 1) or 0 for i in range(count)], dtype=np.float64
    )


def blocks(matcher: W3LeafMatcher, *, values: bool) -> tuple[Any, Any, list[Any] | None]:
    """(segment document numbers, weights, and with ``values`` each posting's encoded value)
    of a Whoosh 3 posting list, read a block at a time."""
    ids: list[Any] = []
    weights: list[Any] = []
    encoded: list[Any] = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        data = matcher._data
        block = data[0]
        if matcher._byteids:
            ids.append(np.frombuffer(bytes(block), dtype=np.uint8).astype(np.int64))
        else:
            ids.append(np.cumsum(np.asarray(block, dtype=np.int64)))
        weights.append(_block_weights(data[1], matcher._blocklength))
        if values:
            encoded.extend(data[2])
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    if not ids:
        return EMPTY_DOCS, EMPTY_SCORES, ([] if values else None)
    return np.concatenate(ids), np.concatenate(weights), (encoded if values else None)


def _block_weights(w: Any, count: int) -> Any:
    """A block's weights as an array: Whoosh 3 stores None when they are all 1, one float when
    they are all the same, else one a posting."""
    if w is None:
        return np.ones(count, dtype=np.float64)
    if isinstance(w, float):
        return np.full(count, w, dtype=np.float64)
    return np.asarray(w, dtype=np.float64)


_LENGTH = struct.Struct("!i")  # a block's length (negative for the last block), as Whoosh 3


class BadPostings(Exception):
    """A posting list that is not what Whoosh 3 writes (a damaged file)."""


def read_extent(postfile: Any, offset: int, length: int) -> tuple[Any, Any]:
    """(segment document numbers, weights) of a Whoosh 3 posting list of ``length`` bytes at
    ``offset``, read in one call and its blocks taken apart in memory: what
    :class:`W3LeafMatcher` reads block by block, field by field (``_goto``, ``_read_data``:
    each block's signed length, its pickled info tuple, its data pickled and, when the
    info says so, compressed; document numbers delta-coded within the block)."""
    buf = postfile.get(offset, length)
    if buf[:4] != WHOOSH3_HEADER_MAGIC:
        raise BadPostings(f"block tag error {bytes(buf[:4])!r}")
    stream = BytesIO(buf)
    ids: list[Any] = []
    weights: list[Any] = []
    position = 4
    while True:
        (size,) = _LENGTH.unpack_from(buf, position)
        last = size < 0
        start = position + _LENGTH.size
        end = start + abs(size)
        stream.seek(start)
        count, _maxid, _maxweight, compression, _mnlen, _mxlen = pickle.load(stream)
        data = buf[stream.tell() : end]
        block_ids, w, _values = pickle.loads(zlib.decompress(data) if compression else data)
        ids.append(np.cumsum(np.asarray(block_ids, dtype=np.int64)))
        weights.append(_block_weights(w, count))
        if last:
            break
        if end + _LENGTH.size > len(buf):
            raise BadPostings("the posting list ends before its last block")
        position = end
    return np.concatenate(ids), np.concatenate(weights)


def values_at(postfile: Any, offset: int, length: int, ranks: list[int]) -> list[Any]:
    """The encoded values (positions) of the postings at ``ranks`` (sorted places in the
    list, from 0) of a Whoosh 3 posting list of ``length`` bytes at ``offset`` whose values
    are of variable size, read in one call: each block's header is read, and only the blocks
    that hold one of ``ranks`` are unpickled (with their values, as ``W3LeafMatcher`` reads
    them)."""
    buf = postfile.get(offset, length)
    if buf[:4] != WHOOSH3_HEADER_MAGIC:
        raise BadPostings(f"block tag error {bytes(buf[:4])!r}")
    stream = BytesIO(buf)
    found: list[Any] = []
    position, first, k = 4, 0, 0
    while k < len(ranks):
        if position + _LENGTH.size > len(buf):
            raise BadPostings("the posting list ends before its last block")
        (size,) = _LENGTH.unpack_from(buf, position)
        start = position + _LENGTH.size
        end = start + abs(size)
        stream.seek(start)
        count, _maxid, _maxweight, compression, _mnlen, _mxlen = pickle.load(stream)
        if ranks[k] < first + count:
            data = buf[stream.tell() : end]
            _ids, _w, values = pickle.loads(zlib.decompress(data) if compression else data)
            while k < len(ranks) and ranks[k] < first + count:
                found.append(values[ranks[k] - first])
                k += 1
        first += count
        if size < 0:
            break
        position = end
    if k < len(ranks):
        raise BadPostings("fewer postings than asked for")
    return found


def matcher_values(matcher: Any, docnums: list[int]) -> list[Any]:
    """The encoded value of the current posting of a Whoosh ``matcher`` at each of
    ``docnums`` (sorted, each one it holds), stepping with ``skip_to`` (a block that holds
    none is skipped on its header); BadPostings when it does not hold one of them."""
    values = []
    for docnum in docnums:
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if not matcher.is_active() or matcher.id() != docnum:
            raise BadPostings(f"the postings do not hold document {docnum}")
        values.append(matcher.value())
    return values


# One position, as Whoosh's ``Positions.encode`` (and reader's writer) encodes it: the count 1,
# then the pickle (protocol 2) of a list of that one position: below 256 in a byte ("K"),
# below 65,536 in two ("M"); then APPEND and STOP (stored with or without the STOP).
_ONE_BYTE = b"\x00\x00\x00\x01\x80\x02]q\x00K"
_ONE_SHORT = b"\x00\x00\x00\x01\x80\x02]q\x00M"


def single_or(decode: Callable[[Any], list[int]]) -> Callable[[Any], list[int]]:
    """``decode`` (a Positions format's ``decode_positions``), reading a posting that holds
    one position (most postings) from its bytes without unpickling them: the same list."""

    def positions(value: Any) -> list[int]:
        if value[11:12] == b"a" and value[12:] in (b"", b".") and value[:10] == _ONE_BYTE:
            return [value[10]]
        if value[12:13] == b"a" and value[13:] in (b"", b".") and value[:10] == _ONE_SHORT:
            return [value[10] | value[11] << 8]
        return decode(value)

    return positions


def in_order(
    decode: Callable[[Any], list[int]], positions: list[list[Any]], slop: int
) -> list[int]:
    """Which documents hold a phrase, as Whoosh's ``Phrase`` checks it: ``positions[i][k]``,
    the encoded positions of word ``i`` in document ``k``, decoded with ``decode``; each word
    from 1 to ``slop`` positions after a place where the words before it end. The places
    ``k`` of the documents that do, in order."""
    decode = single_or(decode)
    hits = []
    for k in range(len(positions[0])):
        ends = decode(positions[0][k])
        for word in positions[1:]:
            found = decode(word[k])
            if slop == 1:
                reach = {end + 1 for end in ends}
                ends = [p for p in found if p in reach]
            else:
                ends = [p for p in found if any(1 <= p - e <= slop for e in ends)]
            if not ends:
                break
        if ends:
            hits.append(k)
    return hits


def _direct(reader: Any) -> bool:
    """Whether a segment reader's terms can be read from their entries (see the module doc)."""
    if type(reader) is not SegmentReader:
        return False
    terms: Any = getattr(reader, "_terms", None)
    if type(terms) is not W3TermsReader:
        return False
    return type(terms._codec).postings_reader is W3Codec.postings_reader


def _deleted_mask(reader: Any) -> Any:
    """A segment's deleted documents as a bool array (one a document), or None if none."""
    if not reader.has_deletions():
        return None
    mask = np.zeros(reader.doc_count_all(), dtype=bool)
    mask[np.fromiter(reader.deleted_docs_set, dtype=np.int64)] = True
    return mask


class DirectTerms:
    """Terms of one open searcher read with one look-up per segment. ``usable`` says whether
    every segment allows it (else the caller takes Whoosh's way for every term)."""

    def __init__(self, searcher: Any, leaves: list[tuple[Any, int]]) -> None:
        self._leaves = leaves
        self._readers = [sub.reader() for sub, _offset in leaves]
        self.usable = type(searcher.weighting).idf is WeightingModel.idf and all(
            _direct(reader) for reader in self._readers
        )
        self._doc_count = searcher.get_parent().doc_count_all()
        # Each segment's deleted documents (True where deleted), or None where it has none.
        self._deleted = [_deleted_mask(reader) for reader in self._readers]
        self._plain: list[PostingsFile | None] | None = None  # each segment's .rvp, opened once
        self.lookups = 0  # term entries read (for tests: one per segment and term)
        self.blocks_read = 0  # posting lists read from Whoosh's blocks (for tests)

    def infos(self, fieldname: str, btext: bytes) -> list[tuple[int, Any]]:
        """(leaf number, TermInfo) of each segment that holds the term."""
        found = []
        for leaf, reader in enumerate(self._readers):
            self.lookups += 1
            try:
                found.append((leaf, reader._terms.term_info(fieldname, btext)))
            except (TermNotFound, KeyError):
                continue
        return found

    def idf(self, infos: list[tuple[int, Any]]) -> float:
        """The term's IDF as Whoosh's ``WeightingModel.idf`` computes it (the index's
        document frequency: the segments' summed; its document count, deleted included)."""
        n = sum(info.doc_frequency() for _leaf, info in infos)
        return log(self._doc_count / (n + 1)) + 1

    def whole(self, leaf: int) -> bool:
        """Whether segment ``leaf`` has no deleted documents (its lists are as written)."""
        return self._deleted[leaf] is None

    def written_ranks(self, leaf: int, fieldname: str, btext: bytes, docs: Any) -> list[int]:
        """The places of ``docs`` (segment document numbers, sorted, each in the term's list
        and not deleted) in the term's list in segment ``leaf`` as written, deleted
        documents counted: what :meth:`values_at` takes."""
        self.lookups += 1
        try:
            info = self._readers[leaf]._terms.term_info(fieldname, btext)
        except (TermNotFound, KeyError):
            raise BadPostings("the term is not in the segment") from None
        ids, _weights = self._written(leaf, info, fieldname, btext)
        return np.searchsorted(ids, docs).tolist()  # type: ignore[no-any-return]

    def postings(self, leaf: int, info: Any, fieldname: str, btext: bytes) -> tuple[Any, Any]:
        """(segment document numbers, weights) of the term in one segment, its deleted
        documents left out as Whoosh leaves them out (see the module)."""
        ids, weights = self._written(leaf, info, fieldname, btext)
        deleted = self._deleted[leaf]
        if deleted is not None and len(ids):
            kept = ~deleted[ids]
            if not kept.all():
                return ids[kept], weights[kept]
        return ids, weights

    def _written(self, leaf: int, info: Any, fieldname: str, btext: bytes) -> tuple[Any, Any]:
        """(segment document numbers, weights) of the term in one segment as written, from
        its entry (from the segment's ``.rvp`` file when it has the term:
        :mod:`.postings_file`; else from Whoosh's blocks), through the segment's searcher (a
        guarded searcher counts it, as it counts a posting list it opens)."""
        sub = self._leaves[leaf][0]
        opened = getattr(sub, "term_postings", None)
        if opened is not None:
            opened(fieldname, btext)
        if info.is_inlined():
            ids, weights, _values = info.inlined_postings()
            docs = np.array(ids, dtype=np.int64)
            if weights:
                return docs, np.array(weights, dtype=np.float64)
            return docs, np.ones(len(docs), dtype=np.float64)
        offset, length = info.extent()
        if isinstance(length, tuple):  # Whoosh 3 reads it unpacked from its struct
            (length,) = length
        if self._plain is None:
            self._plain = [PostingsFile.open(reader) for reader in self._readers]
        plain = self._plain[leaf]
        if plain is not None:
            found = plain.postings(offset, info.doc_frequency())
            if found is not None:
                return found
        self.blocks_read += 1
        postfile = self._readers[leaf]._terms._postfile
        try:
            return read_extent(postfile, offset, length)
        except BadPostings:  # Whoosh's own reading says what is wrong, if anything is
            matcher = W3LeafMatcher(postfile, offset, length, sub.schema[fieldname].format)
            ids, tf, _values = blocks(matcher, values=False)
            return ids, tf

    def values_at(self, leaf: int, fieldname: str, btext: bytes, ranks: list[int]) -> list[Any]:
        """The encoded values (positions) of the term's postings at ``ranks`` (sorted places
        in its list in one segment, from 0), decoding only the blocks that hold them
        (:func:`values_at`); for a field whose values are of variable size (positions). The
        places count every posting written, a deleted document's too (:meth:`written_ranks`).
        Raises BadPostings when the segment's list is not what Whoosh 3 writes, or shorter."""
        self.lookups += 1
        try:
            info = self._readers[leaf]._terms.term_info(fieldname, btext)
        except (TermNotFound, KeyError):
            raise BadPostings("the term is not in the segment") from None
        sub = self._leaves[leaf][0]
        opened = getattr(sub, "term_postings", None)
        if opened is not None:
            opened(fieldname, btext)
        if info.is_inlined():
            values = info.inlined_postings()[2]
            return [values[rank] for rank in ranks]
        offset, length = info.extent()
        if isinstance(length, tuple):
            (length,) = length
        return values_at(self._readers[leaf]._terms._postfile, offset, length, ranks)
