"""The index's codec: Whoosh's own (:class:`~whoosh.codec.whoosh3.W3Codec`), with each
document's stored fields compressed by LZ4 rather than zlib.

Whoosh keeps a document's stored fields (its title, body, outlet...) as one pickled dict,
compressed on its own. With zlib (level 3, Whoosh's choice) compressing the stored fields of a
5,000-character article took some 150 µs (at 10,000 articles, 1.4 of the 32.7 s of CPU the
writer processes spend), and reading them back 30 µs; LZ4's block format takes about 14 µs
and 4.5 µs, for stored fields about half as large again (measured on the bench corpus: 0.75 of
their size against zlib's 0.49). Every search with snippets and every event build reads
stored fields.

Only the stored fields differ: postings, lengths and every other column are written and read
as :class:`~whoosh.codec.whoosh3.W3Codec` does (its writer and reader, through Whoosh's
extension points: :meth:`~whoosh.codec.base.Codec.per_document_writer` and
:meth:`~whoosh.codec.base.Codec.per_document_reader`). A segment records its codec, so an
index written with it is read with it; an index written before it has another
:data:`reader.core.search.index_files.SCHEMA_VERSION` and is rebuilt.

The LZ4 module is imported when stored fields are first written or read, not with the index.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import columns
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3PerDocWriter

_STORED = "_stored"  # the column of the stored fields (Whoosh's name)


class LZ4BytesColumn(columns.VarBytesColumn):  # type: ignore[misc]
    """Variable-length byte strings, each compressed on its own by LZ4 (block format, with
    its size); an empty string is stored empty."""

    def writer(self, dbfile: Any) -> Any:
        return self.Writer(dbfile, self.allow_offsets, self.write_offsets_cutoff)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> Any:
        return self.Reader(dbfile, basepos, length, doccount)

    class Writer(columns.VarBytesColumn.Writer):  # type: ignore[misc]
        def add(self, docnum: int, v: bytes) -> None:
            from lz4.block import compress

            super().add(docnum, compress(v) if v else v)

    class Reader(columns.VarBytesColumn.Reader):  # type: ignore[misc]
        def __getitem__(self, docnum: int) -> bytes:
            from lz4.block import decompress

            v: bytes = super().__getitem__(docnum)
            return decompress(v) if v else v

        def __iter__(self) -> Iterator[bytes]:
            for docnum in range(self._doccount):
                yield self[docnum]


STORED_COLUMN = columns.PickleColumn(LZ4BytesColumn())


class _PerDocWriter(W3PerDocWriter):  # type: ignore[misc]
    """Whoosh's per-document writer, its stored-fields column :data:`STORED_COLUMN`."""

    def _create_column(self, fieldname: str, column: Any) -> None:
        super()._create_column(fieldname, STORED_COLUMN if fieldname == _STORED else column)


class _PerDocReader(W3PerDocReader):  # type: ignore[misc]
    """Whoosh's per-document reader, reading stored fields from :data:`STORED_COLUMN`."""

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        found: dict[str, Any] | None = self._cached_reader(_STORED, STORED_COLUMN)[docnum]
        return {} if found is None else found


class ReaderCodec(W3Codec):  # type: ignore[misc]
    """:class:`~whoosh.codec.whoosh3.W3Codec` with stored fields compressed by LZ4 (see the
    module docstring). Pass it as ``codec=`` to every writer of the index."""

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        return _PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        return _PerDocReader(storage, segment)
