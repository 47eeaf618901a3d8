"""A faster Whoosh segment writer: postings grouped per term, text fields analysed in one pass.

Whoosh's own :class:`~whoosh.writing.SegmentWriter` makes a token object per word, a tuple per
posting, sorts every posting and spills them to disk one marshalled tuple at a time, then reads
each document's field length back from the column it wrote, once per posting. This writer
writes the same segments (the same terms, postings, weights, positions and lengths, in the
same files) with less work:

- :class:`GroupedPool` keeps each term's postings in arrays (document numbers, weights, the
  encoded positions in one byte string), sorts terms rather than postings, and when its
  estimated size passes ``limitmb`` writes the groups to a sorted run on disk, merged term by
  term at the end (so memory stays bounded whatever the corpus size);
- :class:`FastSegmentWriter` analyses a text field with a :class:`ReaderAnalyzer` through
  :func:`~reader.core.search.analysis.term_positions` and encodes positions exactly as
  Whoosh's :class:`~whoosh.formats.Positions` format does; any other field goes Whoosh's way;
- field lengths for the posting lists' statistics are read once per field, not per posting;
- the posting lists are put together as bytes, one write per term
  (:mod:`reader.core.search.posting_blocks`), not through Whoosh's writers call by call.

Callers may rely on an index written by it reading back identically to one written by
``SegmentWriter`` (tests/test_index_pool.py compares them posting by posting).
"""

from __future__ import annotations

import heapq
import marshal
import random
from array import array
from collections.abc import Iterable, Iterator
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from reader.core.search.analysis import ReaderAnalyzer, term_positions
from reader.core.search.posting_blocks import write_groups
from reader.core.search.stored_codec import ReaderCodec
from reader.core.search.word_starts import (
    STARTS_FIELDS,
    StartsAnalyzer,
    terms_and_starts,
    word_starts,
)

Key = tuple[str, bytes]
# [document numbers, weights, end offset of each posting's value in blob, blob of values]
Group = list[Any]
Posting = tuple[str, bytes, int, float, bytes]

_TERM_BYTES = 480  # what one more term costs in memory (dict slot, key, list, arrays)
_POSTING_BYTES = 22  # one more posting: docnum (8), weight (8), value end (4), slack


def _new_group() -> Group:
    return [array("q"), array("d"), array("I"), bytearray()]


class GroupedPool:
    """Postings grouped per (field, term), spilled to sorted runs past ``limitmb``.

    Accepts Whoosh's posting tuples through :meth:`add` (merges of older segments use it) and
    whole terms of a document through :meth:`add_term`. :meth:`iter_postings` yields every
    posting in (field, term, document) order, as Whoosh's pool does.
    """

    def __init__(self, tempstore: Any, limitmb: int = 128) -> None:
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.groups: dict[Key, Group] = {}
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []

    def add(self, item: Posting) -> None:
        """Add one posting ``(fieldname, tbytes, docnum, weight, vbytes)``."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.fieldnames.add(fieldname)
        self.add_term(fieldname, tbytes, docnum, weight, vbytes or b"")

    def add_term(
        self, fieldname: str, tbytes: bytes, docnum: int, weight: float, vbytes: bytes
    ) -> None:
        """Add the posting of one term in one document (``fieldname`` already noted)."""
        key = (fieldname, tbytes)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = _new_group()
            self.size += _TERM_BYTES + len(tbytes)
        group[0].append(docnum)
        group[1].append(weight)
        blob = group[3]
        blob += vbytes
        group[2].append(len(blob))
        self.size += _POSTING_BYTES + len(vbytes)
        if self.size > self.limit:
            self.save()

    def add_terms(
        self,
        fieldname: str,
        docnum: int,
        items: Iterable[tuple[bytes, int, float, Any]],
        boost: float,
    ) -> int:
        """Add the postings of one document's terms in one field (``fieldname`` already noted):
        (term bytes, frequency, weight, encoded value or None) each, the weight times
        ``boost``, as :meth:`add_term` one by one; returns the frequencies added up (the
        field's length). The size limit is checked once, after the document."""
        groups = self.groups
        size = length = 0
        for tbytes, freq, weight, vbytes in items:
            key = (fieldname, tbytes)
            group = groups.get(key)
            if group is None:
                group = groups[key] = _new_group()
                size += _TERM_BYTES + len(tbytes)
            group[0].append(docnum)
            group[1].append(weight * boost)
            blob = group[3]
            if vbytes:
                blob += vbytes
                size += len(vbytes)
            group[2].append(len(blob))
            size += _POSTING_BYTES
            length += freq
        self.size += size
        if self.size > self.limit:
            self.save()
        return length

    def save(self) -> None:
        """Write the groups held in memory to a sorted run on disk and forget them."""
        if not self.groups:
            return
        name = f"{random.getrandbits(64):016x}.groups"
        with self.tempstore.create_file(name).raw_file() as handle:
            dump = marshal.dump
            for key in sorted(self.groups):
                docnums, weights, ends, blob = self.groups[key]
                dump(
                    (key[0], key[1], docnums.tobytes(), weights.tobytes(), ends.tobytes(), blob),
                    handle,
                )
        self.runs.append(name)
        self.groups = {}
        self.size = 0

    def _read_run(self, name: str) -> Iterator[tuple[Key, Group]]:
        with self.tempstore.open_file(name).raw_file() as handle:
            load = marshal.load
            while True:
                try:
                    fieldname, tbytes, docnums, weights, ends, blob = load(handle)
                except EOFError:
                    break
                group = _new_group()
                group[0].frombytes(docnums)
                group[1].frombytes(weights)
                group[2].frombytes(ends)
                group[3] = blob
                yield (fieldname, tbytes), group

    def _memory(self) -> Iterator[tuple[Key, Group]]:
        groups = self.groups
        for key in sorted(groups):
            yield key, groups[key]

    def iter_groups(self) -> Iterator[tuple[Key, list[Group]]]:
        """Each (field, term) in order with its groups, oldest first."""
        if not self.runs:
            for key, group in self._memory():
                yield key, [group]
            return
        sources: list[Iterable[tuple[Key, Group]]] = [self._read_run(n) for n in self.runs]
        sources.append(self._memory())
        pending: list[Group] = []
        current: Key | None = None
        # heapq.merge is stable: equal keys come in the order of the runs, that is of adding.
        for key, group in heapq.merge(*sources, key=lambda pair: pair[0]):
            if key != current:
                if current is not None:
                    yield current, pending
                current, pending = key, []
            pending.append(group)
        if current is not None:
            yield current, pending

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting, sorted by (field, term, document, weight, value) like Whoosh's pool."""
        for (fieldname, tbytes), groups in self.iter_groups():
            postings: list[Posting] = []
            for docnums, weights, ends, blob in groups:
                start = 0
                for docnum, weight, end in zip(docnums, weights, ends, strict=True):
                    postings.append((fieldname, tbytes, docnum, weight, bytes(blob[start:end])))
                    start = end
            if any(postings[i][2] > postings[i + 1][2] for i in range(len(postings) - 1)):
                postings.sort()
            yield from postings

    @staticmethod
    def term_postings(groups: list[Group]) -> tuple[array[int], array[float], list[bytes]]:
        """One term's (document numbers, weights, values) from its groups, in document order."""
        docnums: array[int] = array("q")
        weights: array[float] = array("d")
        values: list[bytes] = []
        for group_docnums, group_weights, ends, blob in groups:
            docnums.extend(group_docnums)
            weights.extend(group_weights)
            start = 0
            for end in ends:
                values.append(bytes(blob[start:end]))
                start = end
        if any(docnums[i] >= docnums[i + 1] for i in range(len(docnums) - 1)) or (
            docnums and docnums[0] < 0
        ):
            triples = sorted(t for t in zip(docnums, weights, values, strict=True) if t[0] >= 0)
            docnums = array("q", (t[0] for t in triples))
            weights = array("d", (t[1] for t in triples))
            values = [t[2] for t in triples]
        return docnums, weights, values

    def cleanup(self) -> None:
        """Delete the runs on disk."""
        for name in self.runs:
            if self.tempstore.file_exists(name):
                self.tempstore.delete_file(name)
        self.runs = []
        self.groups = {}


class _Lengths:
    """``doc_field_length`` answered from lists read once per field (Whoosh's per-document
    reader reads the column again for every posting)."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.fields: dict[str, list[int | None] | None] = {}

    def of(self, fieldname: str) -> list[int | None] | None:
        """The length of ``fieldname`` in each document (None where its byte is zero, as
        ``W3PerDocReader.doc_field_length`` reads it), or None when the field has none."""
        if fieldname not in self.fields:
            self.fields[fieldname] = self._read(fieldname)
        return self.fields[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        lengths = self.of(fieldname)
        return default if lengths is None else lengths[docnum]

    def _read(self, fieldname: str) -> list[int | None] | None:
        column = self.reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        count = self.reader.doc_count_all()
        return [byte_to_length(b) if b else None for b in (column[i] for i in range(count))]


# The encoded value of a term that occurs once in a field, by its position (the first
# positions only: documents are mostly short).
_SINGLE_KEPT = 4096
_SINGLE: dict[int, bytes] = {}


# The last stemmed text analysed and its word starts, for its starts field analysed next.
_last_starts: list[Any] = [None, {}]


def _index(
    field: Any, value: Any, with_starts: bool = False
) -> Iterable[tuple[bytes, int, float, bytes | None]]:
    """``field.index(value)``: (term bytes, frequency, weight, encoded value) per term. For a
    text value of a field analysed by ReaderAnalyzer with positions, computed in one pass and
    encoded as :meth:`whoosh.formats.Positions.encode` does; for a starts field
    (:mod:`reader.core.search.word_starts`), counted in one pass and encoded as
    :class:`whoosh.formats.Frequency` does."""
    form = field.format
    analyzer = field.analyzer
    if isinstance(value, str) and type(analyzer) is StartsAnalyzer and type(form) is Frequency:
        # The text's own field came first (sorted names: body, body_starts) and counted them.
        text, counts = _last_starts
        if text is not value:
            counts = word_starts(value)
        boost = form.field_boost  # as Frequency.word_values weighs and encodes them
        return [
            (start.encode("utf-8"), n, float(n) * boost, pack_uint(n))
            for start, n in counts.items()
        ]
    if not (
        isinstance(value, str) and type(analyzer) is ReaderAnalyzer and type(form) is Positions
    ):
        return field.index(value)  # type: ignore[no-any-return]
    boost = form.field_boost
    items = []
    single = _SINGLE
    if with_starts and analyzer.stem:  # a title or a body: its starts field follows
        positions, starts = terms_and_starts(value)
        _last_starts[:] = (value, starts)
    else:
        positions = term_positions(value, analyzer.stem)
    for term, poslist in positions.items():
        freq = len(poslist)
        if freq == 1:  # most terms of a document (84% at 10,000 articles): encoded once
            pos = poslist[0]
            vbytes = single.get(pos)
            if vbytes is None:
                vbytes = pack_uint(1) + dumps(poslist, 2)
                if pos < _SINGLE_KEPT:
                    single[pos] = vbytes
        else:  # the gaps between positions, the first from 0
            vbytes = pack_uint(freq) + dumps([poslist[0], *map(sub, poslist[1:], poslist)], 2)
        items.append((term.encode("utf-8"), freq, float(freq) * boost, vbytes))
    return items


class FastSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """Whoosh's segment writer with a :class:`GroupedPool` and a one-pass path for text fields
    analysed by :class:`ReaderAnalyzer` with positions. Use as ``SegmentWriter(ix, ...)``."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        kwargs.setdefault("codec", ReaderCodec())  # stored fields by LZ4 (stored_codec)
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = GroupedPool(self._tempstorage, limitmb=limitmb)

    def add_document(self, **fields: Any) -> None:
        """Add one document: the same postings, stored values, lengths and columns as
        ``SegmentWriter.add_document`` (whose steps this follows)."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        add_term = pool.add_term
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    pool.fieldnames.add(fieldname)
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    added = pool.add_terms(
                        fieldname,
                        docnum,
                        _index(field, value, fieldname in STARTS_FIELDS),
                        fieldboost,
                    )
                    if field.scorable:
                        length = added
                if field.separate_spelling():
                    spellfield = field.spelling_fieldname(fieldname)
                    pool.fieldnames.add(spellfield)
                    for word in field.spellable_words(value):
                        add_term(spellfield, word.encode("utf-8"), 0, 1, b"")
                if field.vector:
                    vitems = field.vector.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vb) for text, _, weight, vb in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(
                    fieldname, field, customval if field.stored else None, length
                )
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(
                        fieldname, column, field.to_column_value(customval)
                    )
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(pdr) if pdr is not None else None
        write_groups(self.fieldwriter, self.schema, self.pool, lengths)
        self.fieldwriter.close()
        if pdr is not None:
            pdr.close()
