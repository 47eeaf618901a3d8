"""The fast segment writer writes what Whoosh's own writer writes: the same terms, postings,
weights, positions, lengths, stored values and columns, whether its pool spills or not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from whoosh.analysis import Token
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from reader.core.search import index_pool
from reader.core.search.analysis import ReaderAnalyzer, term_positions
from reader.core.search.index_build import make_schema
from reader.core.search.index_pool import FastSegmentWriter, GroupedPool

TEXTS = [
    "The Minister said the the talks in Amman would resume; the minister's aides said so too.",
    "قال الوزير إنّ المحادثات في عمّان ستُستأنف، وقال الوزير ذلك مرة أخرى في عمان.",
    "Mixed: Reuters reported that وزارة الخارجية said 2024 and ٢٠٢٤ were the years.",
    "",
    "a an the of to",  # only stopwords: no terms, length 0
    "Word word WORD wörd ﻋﻤﺎﻥ running runs ran hopping hop 1,200 people",
]


DOCUMENTS = 400  # common terms fill several posting blocks of 128


def _documents() -> list[dict[str, Any]]:
    docs = []
    for n in range(DOCUMENTS):
        body = " ".join(TEXTS[(n + k) % len(TEXTS)] for k in range(1 + n % 4))
        doc: dict[str, Any] = {
            "id": f"doc-{n:03}",
            "title": TEXTS[n % len(TEXTS)][:40] or "Untitled",
            "body": body,
            "lang": "ar" if n % 3 == 0 else "en",
            "outlet": f"Outlet {n % 5}",
            "outlet_key": f"outlet {n % 5}",
            "dated": "no" if n % 2 else "yes",
            "author": "Jane Doe" if n % 2 else "",
            "url": f"https://example.org/{n}",
            "source": f"/corpus/{n}.txt",
            "content_hash": f"{n:08x}",
        }
        if not n % 2:
            doc["published"] = datetime(2024, 1 + n % 12, 1 + n % 28)
        # The starts fields get the title and body as the index builder gives them (the same
        # strings: the fast writer counts them with the text's terms), or copies of them.
        doc["title_starts"] = doc["title"] if n % 3 else "".join(list(doc["title"]))
        doc["body_starts"] = body if n % 3 else "".join(list(body))
        docs.append(doc)
    return docs


def _build(folder: Path, writer_class: Any, **kwargs: Any) -> Any:
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(make_schema(), indexname="MAIN")
    writer = writer_class(ix, **kwargs)
    for doc in _documents():
        writer.add_document(**doc)
    writer.commit()
    return FileStorage(str(folder)).open_index("MAIN")


def _contents(ix: Any) -> dict[str, Any]:
    """Everything a search can read from the index, posting by posting."""
    out: dict[str, Any] = {}
    with ix.reader() as reader:
        terms = {}
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            matcher = reader.postings(fieldname, text)
            postings = []
            while matcher.is_active():
                block = (
                    matcher.block_min_id(),
                    matcher.block_max_id(),
                    matcher.block_min_length(),
                    matcher.block_max_length(),
                    matcher.block_max_weight(),
                )
                postings.append((matcher.id(), matcher.weight(), matcher.value(), block))
                matcher.next()
            stats = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
            )
            terms[(fieldname, text)] = (stats, postings)
        out["terms"] = terms
        count = reader.doc_count_all()
        names = make_schema().names()
        out["lengths"] = [
            [reader.doc_field_length(d, name) for name in names] for d in range(count)
        ]
        out["stored"] = [reader.stored_fields(d) for d in range(count)]
        out["field_lengths"] = [reader.field_length(name) for name in names]
        out["columns"] = {
            name: list(reader.column_reader(name, translate=False)) for name in ("id", "published")
        }
    return out


def test_the_fast_writer_writes_what_whoosh_writes(tmp_path: Path) -> None:
    theirs = _contents(_build(tmp_path / "whoosh", SegmentWriter))
    ours = _contents(_build(tmp_path / "fast", FastSegmentWriter))
    assert len(theirs["terms"]) > 100
    blocks = {len({p[3] for p in postings}) for _, postings in theirs["terms"].values()}
    assert max(blocks) >= 3  # terms with several blocks are compared block by block
    assert ours == theirs


def test_a_pool_that_spills_to_disk_writes_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saves = 0
    save = GroupedPool.save

    def counting_save(self: GroupedPool) -> None:
        nonlocal saves
        saves += bool(self.groups)
        save(self)

    monkeypatch.setattr(GroupedPool, "save", counting_save)
    monkeypatch.setattr(index_pool, "_POSTING_BYTES", 4000)  # a run every few hundred postings
    theirs = _contents(_build(tmp_path / "whoosh", SegmentWriter))
    ours = _contents(_build(tmp_path / "fast", FastSegmentWriter, limitmb=1))
    assert saves > 3
    assert ours == theirs


def test_term_positions_are_what_the_analyzer_yields() -> None:
    for stem in (True, False):
        analyzer = ReaderAnalyzer(stem=stem)
        for text in TEXTS:
            expected: dict[str, list[int]] = {}
            token: Token
            for token in analyzer(text, positions=True, mode="index"):
                expected.setdefault(token.text, []).append(token.pos)
            assert term_positions(text, stem) == expected


def test_merging_segments_through_the_pool_gives_what_whoosh_gives(tmp_path: Path) -> None:
    """Commits that merge older segments (with deleted documents) feed the pool posting by
    posting (``add_reader``): the merged index is the same as Whoosh's own."""

    def build(folder: Path, writer_class: Any) -> Any:
        folder.mkdir()
        FileStorage(str(folder)).create_index(make_schema(), indexname="MAIN")
        docs = _documents()[:120]
        for start in range(0, len(docs), 30):
            ix = FileStorage(str(folder)).open_index("MAIN")
            writer = writer_class(ix)
            for doc in docs[start : start + 30]:
                writer.add_document(**doc)
            if start:  # a document of an earlier commit
                writer.delete_by_term("id", f"doc-{start - 27:03}")
            writer.commit(merge=False)
        ix = FileStorage(str(folder)).open_index("MAIN")
        writer = writer_class(ix)
        writer.add_document(**_documents()[200])
        writer.commit(optimize=True)
        merged = FileStorage(str(folder)).open_index("MAIN")
        assert len(merged._segments()) == 1
        return merged

    theirs = _contents(build(tmp_path / "whoosh", SegmentWriter))
    ours = _contents(build(tmp_path / "fast", FastSegmentWriter))
    assert len(theirs["stored"]) == 121 - 3  # the deleted documents are merged away
    assert ours == theirs
