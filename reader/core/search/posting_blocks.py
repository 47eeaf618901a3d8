"""Writing a segment's posting lists: the bytes of Whoosh's W3 codec, put together directly.

Whoosh writes a term through three objects (``W3FieldWriter.start_term``/``finish_term``,
``W3PostingsWriter.start_postings``/``_write_block``/``finish_postings``, ``W3TermInfo``), a
method call, a ``tell()`` and a small tuple at every step; most terms of a segment hold one
block of one to four postings, so those steps, not the postings, were most of the time a
writer spent on its segment (at 2,000 articles, 37% of the writer processes' CPU went to
:func:`write_groups`). :func:`write_groups` makes the same bytes with one write per block:

- the postings file: per term, the header ``W3Bl``, then each block of at most
  ``blocklimit`` postings as Whoosh's ``_write_block`` makes it (the block's length, negative
  for the last; the pickled block info; the pickled, zlib-compressed document numbers as
  deltas, weights as 32-bit floats, shortened as ``_mini_weights`` does, and values);
- the terms file: per term, through Whoosh's own ``OrderedHashWriter``, the key and the
  ``W3TermInfo.to_bytes`` of its statistics and extent (never inlined: the codec's
  ``inlinelimit`` is 1);
- the scored fields' postings without positions (:mod:`reader.core.search.postings_file`).

Callers may rely on the postings and terms files being byte for byte those Whoosh's own
``SegmentWriter`` writes with the same codec (tests/test_posting_blocks.py compares them).
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence
from operator import sub
from pickle import dumps
from typing import TYPE_CHECKING, Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte

if TYPE_CHECKING:  # the pool imports this module
    from reader.core.search.index_pool import GroupedPool, _Lengths

_TERMINFO = W3TermInfo._struct  # flags, weight, df, min and max length bytes, max weight, ids


def write_groups(
    fieldwriter: Any,
    schema: Any,
    pool: GroupedPool,
    lengths: _Lengths | None,
) -> None:
    """Write every term of ``pool`` into the segment of Whoosh's W3 ``fieldwriter``: its
    blocks to the postings file and its statistics to the terms file, as Whoosh's field and
    postings writers would (see the module docstring), and the scored fields' postings
    without positions to the segment's ``.rvp`` file. Leaves ``fieldwriter`` to be closed by
    its caller."""
    from reader.core.search.postings_file import EXT, PostingsFileWriter

    codec = fieldwriter._codec
    if codec._inlinelimit > 1:  # inlined postings are not written here
        raise ValueError(f"a codec that inlines postings ({codec._inlinelimit})")
    plain = PostingsFileWriter(fieldwriter._segment.create_file(fieldwriter._storage, EXT))
    postfile = fieldwriter._postfile
    write = postfile.write
    add_term = fieldwriter._tindex.add
    position = postfile.tell()
    lastfn: str | None = None
    fieldid = b""
    blocks = _Blocks(codec._blocklimit, codec._compression)
    for (fieldname, tbytes), groups in pool.iter_groups():
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            field = schema[fieldname]
            fieldwriter.start_field(fieldname, field)  # numbers the field, as Whoosh does
            fieldid = pack_ushort(fieldwriter._fieldid)
            scorable = field.scorable
            blocks.start_field(field.format.fixed_value_size(), lengths, fieldname)
            lastfn = fieldname
        docnums, weights, values = pool.term_postings(groups)
        if not docnums:
            continue
        data, info = blocks.term(docnums, weights, values)
        write(data)
        add_term(fieldid + tbytes, info + pack_long(position) + pack_int(len(data)))
        if scorable:
            plain.add(position, docnums, weights)
        position += len(data)
    if lastfn is not None:
        fieldwriter.finish_field()
    if postfile.tell() != position:  # something else wrote to the file: the extents are wrong
        raise RuntimeError("the postings file moved under the block writer")
    plain.close()


class _Blocks:
    """The bytes of one field's terms, block by block."""

    def __init__(self, blocklimit: int, compression: int) -> None:
        self.limit = blocklimit
        self.compression = compression
        self.fixed: int | None = None
        self.lengths: list[int | None] | None = None

    def start_field(self, fixed: int | None, lengths: _Lengths | None, fieldname: str) -> None:
        """Values of ``fixed`` size (None: of any size) and the field's lengths to come."""
        self.fixed = fixed
        self.lengths = lengths.of(fieldname) if lengths is not None else None

    def term(
        self, docnums: Sequence[int], weights: Sequence[float], values: Sequence[bytes]
    ) -> tuple[bytes, bytes]:
        """(the term's bytes in the postings file, its ``W3TermInfo`` bytes before its
        extent) for postings in document order."""
        limit, lengths, fixed, compression = self.limit, self.lengths, self.fixed, self.compression
        count = len(docnums)
        parts = [WHOOSH3_HEADER_MAGIC]
        total_weight: float = 0
        minlength: int | None = None
        maxlength = 0
        maxweight: float = 0
        for start in range(0, count, limit):
            end = min(count, start + limit)
            ids = array("I", docnums[start:end])
            block_weights = weights[start:end]
            floats = array("f", block_weights)  # what the block stores: 32-bit floats
            block_max = max(0, max(block_weights))
            known = [n for n in (lengths[d] for d in ids) if n] if lengths is not None else []
            block_min = min(known) if known else None
            block_maxlength = max(known) if known else 0
            # W3TermInfo.add_block
            total_weight += sum(floats)
            minlength = block_min if minlength is None else min(minlength, block_min)  # type: ignore[type-var]
            maxlength = max(maxlength, block_maxlength)
            maxweight = max(maxweight, block_max)
            # W3PostingsWriter._write_block and its _mini_ids, _mini_weights, _mini_values
            deltas = (ids[0], *map(sub, ids[1:], ids))
            first = floats[0]
            if all(w == 1.0 for w in floats):
                mini_weights: Any = None
            elif all(w == first for w in floats):
                mini_weights = first
            else:
                mini_weights = tuple(floats)
            kept = [v for v in values[start:end] if v]
            if fixed is None or fixed < 0:
                mini_values: Any = tuple(kept)
            elif fixed == 0:
                mini_values = None
            else:
                mini_values = b"".join(kept)
            data = dumps((deltas, mini_weights, mini_values), 2)
            if compression:
                data = zlib.compress(data, compression)
            info = dumps(
                (
                    len(ids),
                    ids[-1],
                    block_max,
                    compression,
                    length_to_byte(block_min),
                    length_to_byte(block_maxlength),
                ),
                2,
            )
            size = len(info) + len(data)
            parts += (pack_int(-size if end == count else size), info, data)
        terminfo = _TERMINFO.pack(
            False,
            total_weight,
            count,
            0 if minlength is None else length_to_byte(minlength),
            length_to_byte(maxlength),
            maxweight,
            docnums[0],
            docnums[-1],
        )
        return b"".join(parts), terminfo
