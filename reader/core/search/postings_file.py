"""A segment's scored postings without positions, in a form numpy reads in one call a term.

Whoosh 3 keeps a term's postings in blocks of 128, each block a pickled tuple of document
numbers, weights and the encoded positions of every posting, compressed with zlib: to learn
which documents hold a term and how often, a reader unpickles and decompresses the positions
too (most of the cost of reading a common word's postings at 50,000 articles). Beside those
blocks, reader's segment writer (:func:`reader.core.search.posting_blocks.write_groups`) writes
one more file into the segment, ``<segment>.rvp``, with each term of a scored field's document
numbers and weights as plain little-endian arrays; the vectorised path reads them with
``np.frombuffer`` (:class:`PostingsFile`). The blocks stay as they are: Whoosh's matchers,
phrases (positions) and any segment without this file read them.

The file, after a 4-byte magic: each term's document numbers (``<u2`` when the segment's last
one is below 65,536, else ``<u4``) and then its weights (``u1`` when every weight is a whole
number from 0 to 255, else ``<f4``: what Whoosh's ``array("f")`` keeps); then, 8-byte aligned,
four arrays with one row a term in the order written (its posting list's offset in the
segment's postings file, as its ``TermInfo`` says (increasing); where its data starts; how
many postings; its kind: 1 for ``<u4`` document numbers, 2 for ``<f4`` weights); and a
footer: the number of terms, where the arrays start, and the magic again.

What a caller may rely on: :meth:`PostingsFile.postings` gives exactly the document numbers
Whoosh's blocks hold and the weights as Whoosh reads them back (``float32`` values), or None
when the file does not have the term (the caller then reads the blocks); a damaged or missing
file gives None from :meth:`PostingsFile.open`, never wrong postings (sizes, bounds and each
term's count are checked against its ``TermInfo``).
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Callable
from typing import Any

EXT = ".rvp"
MAGIC = b"RVP1"
_FOOTER = struct.Struct("<qq4s")  # terms, where the index arrays start, magic
_WIDE_IDS = 1
_FLOAT_WEIGHTS = 2
_ROW_BYTES = 8 + 8 + 4 + 1  # key, start, count, kind
_U4 = "I" if array("I").itemsize == 4 else "L"
_SWAP = sys.byteorder != "little"  # the file is little-endian


class PostingsFileWriter:
    """Writes a segment's ``.rvp`` file, one term at a time in the order of the postings file
    (``add``), then its index (``close``). ``dbfile``: a Whoosh ``StructFile`` made by the
    segment (``segment.create_file(storage, EXT)``), so the file goes into the compound file."""

    def __init__(self, dbfile: Any) -> None:
        self._file = dbfile
        self._file.write(MAGIC)
        self._position = len(MAGIC)
        self._keys: array[int] = array("q")
        self._starts: array[int] = array("q")
        self._counts: array[int] = array(_U4)
        self._kinds: array[int] = array("B")

    def add(self, key: int, docnums: array[int], weights: array[float]) -> None:
        """One term's postings (``docnums`` sorted; ``weights`` floats) under ``key``, its
        posting list's offset in the postings file. Plain Python arrays: a writer process
        does not load numpy for it."""
        if self._keys and key <= self._keys[-1]:
            raise ValueError("terms must be added in the order of the postings file")
        kind = 0
        if docnums and docnums[-1] >= 1 << 16:
            ids = array(_U4, docnums)
            kind |= _WIDE_IDS
        else:
            ids = array("H", docnums)
        found: array[Any]
        if all(0.0 <= w <= 255.0 and w.is_integer() for w in weights):
            found = array("B", map(int, weights))
        else:
            found = array("f", weights)
            kind |= _FLOAT_WEIGHTS
        self._keys.append(key)
        self._starts.append(self._position)
        self._counts.append(len(ids))
        self._kinds.append(kind)
        for part in (ids, found):
            self._write(part)

    def _write(self, values: array[Any]) -> None:
        if _SWAP:
            values = array(values.typecode, values)
            values.byteswap()
        chunk = values.tobytes()
        self._file.write(chunk)
        self._position += len(chunk)

    def close(self) -> None:
        """Write the index and the footer, and close the file."""
        self._file.write(b"\x00" * (-self._position % 8))
        self._position += -self._position % 8
        index_start = self._position
        for column in (self._keys, self._starts, self._counts, self._kinds):
            self._write(column)
        self._file.write(_FOOTER.pack(len(self._keys), index_start, MAGIC))
        self._file.close()


class PostingsFile:
    """The ``.rvp`` file of one open segment: its index read once, each term's postings in
    one read (a slice of the segment's memory map, or one ``get`` of its compound file)."""

    def __init__(
        self, get: Callable[[int, int], Any], keys: Any, starts: Any, counts: Any, kinds: Any
    ) -> None:
        self._get = get
        self._keys = keys
        self._starts = starts
        self._counts = counts
        self._kinds = kinds
        self.read = 0  # terms read from this file (for tests)

    @classmethod
    def open(cls, reader: Any) -> PostingsFile | None:
        """The file of a Whoosh ``SegmentReader``'s segment, when its compound file holds one
        and it is sound; else None."""
        storage = getattr(reader, "_storage", None)
        compound: Any = getattr(storage, "a", None)  # an OverlayStorage over the compound file
        segment = getattr(reader, "_segment", None)
        if segment is None or not hasattr(compound, "range"):
            return None
        name = segment.make_filename(EXT)
        try:
            offset, length = compound.range(name)
            source = getattr(compound, "_source", None)
            if source is not None:  # mapped: slices of the map

                def get(at: int, size: int) -> Any:
                    return source[offset + at : offset + at + size]

            else:
                get = compound.open_file(name).get
            return cls.parse(get, length)
        except (NameError, KeyError, OSError, ValueError, struct.error):
            return None

    @classmethod
    def parse(cls, get: Callable[[int, int], Any], length: int) -> PostingsFile | None:
        """The file of ``length`` bytes that ``get(offset, size)`` reads; None when it is not
        a sound one."""
        if length < len(MAGIC) + _FOOTER.size or bytes(get(0, len(MAGIC))) != MAGIC:
            return None
        terms, index_start, magic = _FOOTER.unpack(bytes(get(length - _FOOTER.size, _FOOTER.size)))
        if magic != MAGIC or terms < 0 or index_start < len(MAGIC):
            return None
        if index_start + terms * _ROW_BYTES + _FOOTER.size != length:
            return None
        import numpy as np

        index = bytes(get(index_start, terms * _ROW_BYTES))
        columns = []
        at = 0
        for dtype, size in (("<i8", 8), ("<i8", 8), ("<u4", 4), ("u1", 1)):
            columns.append(np.frombuffer(index, dtype=dtype, count=terms, offset=at))
            at += terms * size
        keys, starts, counts, kinds = columns
        widths = np.where(kinds & _WIDE_IDS, 4, 2) + np.where(kinds & _FLOAT_WEIGHTS, 4, 1)
        if terms and (
            bool(np.any(np.diff(keys) <= 0))
            or int(starts.min()) < len(MAGIC)
            or bool(np.any(starts + counts.astype(np.int64) * widths > index_start))
        ):
            return None
        return cls(get, keys, starts, counts, kinds)

    def postings(self, key: int, count: int) -> tuple[Any, Any] | None:
        """(document numbers as int64, weights as float64) of the term whose posting list
        starts at ``key`` in the postings file and holds ``count`` postings; None when the
        file has no such term."""
        import numpy as np

        row = int(np.searchsorted(self._keys, key))
        if row >= len(self._keys) or int(self._keys[row]) != key:
            return None
        if int(self._counts[row]) != count:
            return None
        kind = int(self._kinds[row])
        id_type = np.dtype("<u4" if kind & _WIDE_IDS else "<u2")
        weight_type = np.dtype("<f4" if kind & _FLOAT_WEIGHTS else "u1")
        id_bytes = count * id_type.itemsize
        data = self._get(int(self._starts[row]), id_bytes + count * weight_type.itemsize)
        ids = np.frombuffer(data, dtype=id_type, count=count)
        weights = np.frombuffer(data, dtype=weight_type, count=count, offset=id_bytes)
        self.read += 1
        return ids.astype(np.int64), weights.astype(np.float64)
