"""An incremental update copies the profiles file's entries of the articles it keeps from the
file it read (reader.core.events.store_records), and encodes only the new ones: the file it
writes is, byte for byte, the one encoding every profile gives."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.core.events import store as event_store
from reader.core.events import store_files
from reader.core.events.store_files import PROFILES_FILE, read_stored, store_settings
from reader.core.events.store_records import locate
from reader.core.names.entities import Entity, Gazetteer
from reader.core.sources.article import Article

GAZETTEER = Gazetteer(
    [
        Entity("sirte", "Sirte", "place", ("Sirte", "سرت")),
        Entity("haftar", "Haftar", "person", ("Haftar", "حفتر")),
    ]
)


def _articles(count: int, salt: str = "") -> list[Article]:
    found = []
    for n in range(count):
        if n % 3 == 2:
            body = f"قال حفتر إن سرت {n} {salt}. قتل {n + 3} أشخاص في 18 مايو 2020."
            found.append(Article(f"a{n:03d}", f"عنوان {n}", body, "ar"))
        else:
            body = f'Haftar said "Sirte" {n}{salt}. {n + 3} people were killed on 18 May.'
            found.append(Article(f"a{n:03d}", f"Title {n} \\ é", body, "en"))
    return found


def _whole(folder: Path) -> bytes:
    """The profiles file as encoding every profile stored in ``folder`` writes it."""
    found = read_stored(folder, 0.3, "test")
    assert found is not None
    profiles, digests, groups, _where = found
    assert groups is not None
    settings = store_settings(0.3, "test")
    return b"".join(store_files._profiles_json(settings, profiles, digests, groups))


def test_an_update_copies_the_kept_entries_and_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _articles(30)
    event_store.refresh(tmp_path, first, GAZETTEER, "test", threshold=0.3)
    assert (tmp_path / PROFILES_FILE).read_bytes() == _whole(tmp_path)
    encoded: list[str] = []
    real = event_store.profile_entry

    def counting(article_id: str, *args: object) -> bytes:
        encoded.append(article_id)
        return real(article_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(event_store, "profile_entry", counting)
    changed = [*first[:-2], *_articles(32, salt=" again")[-4:]]  # 2 changed, 2 added
    event_store.refresh(tmp_path, changed, GAZETTEER, "test", threshold=0.3)
    assert sorted(encoded) == ["a028", "a029", "a030", "a031"]
    written = (tmp_path / PROFILES_FILE).read_bytes()
    assert written == _whole(tmp_path)
    assert sorted(json.loads(written)["articles"]) == sorted(a.id for a in changed)


def test_a_file_replaced_since_it_was_read_has_every_entry_encoded(tmp_path: Path) -> None:
    event_store.refresh(tmp_path, _articles(12), GAZETTEER, "test", threshold=0.3)
    found = read_stored(tmp_path, 0.3, "test")
    assert found is not None and found[3] is not None
    where = found[3]
    path = tmp_path / PROFILES_FILE
    data = path.read_bytes()
    ids = sorted(found[0])
    # Another file in its place, of the same size: nothing is copied from it.
    other = tmp_path / "other"
    other.write_bytes(data.replace(b'"a', b'"A'))
    os.replace(other, path)

    def encode(i: str) -> bytes:
        return f"<{i}>".encode()

    assert b"".join(where.pieces(ids, set(ids), encode)) == b",\n".join(
        f"<{i}>".encode() for i in ids
    )
    path.unlink()  # gone: every entry encoded too
    assert b"".join(where.pieces(ids, set(ids), encode)).count(b"<") == len(ids)


@pytest.mark.parametrize(
    "layout",
    [
        lambda d: json.dumps(d).encode(),  # everything on one line (the layout before)
        lambda d: json.dumps(d, indent=1).encode(),  # edited by hand, pretty-printed
    ],
)
def test_a_file_of_another_layout_is_read_and_written_whole(tmp_path: Path, layout: object) -> None:
    first = _articles(9)
    event_store.refresh(tmp_path, first, GAZETTEER, "test", threshold=0.3)
    path = tmp_path / PROFILES_FILE
    path.write_bytes(layout(json.loads(path.read_bytes())))  # type: ignore[operator]
    found = read_stored(tmp_path, 0.3, "test")
    assert found is not None and found[3] is None  # read, nothing to copy from
    event_store.refresh(tmp_path, [*first, *_articles(11)[9:]], GAZETTEER, "test", threshold=0.3)
    assert path.read_bytes() == _whole(tmp_path)


def test_locate_needs_one_entry_a_line_with_its_id(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    good = '{"settings": {}, "articles": {\n"a": [1],\n"b": [2]\n}, "groups": []}'
    path.write_text(good)
    where = locate(path, path.stat(), good, ["a", "b"])
    assert where is not None
    assert {i: good[s:e] for i, (s, e) in where.spans.items()} == {
        "a": '"a": [1]',
        "b": '"b": [2]',
    }
    assert locate(path, path.stat(), good, ["b", "a"]) is None  # another order
    assert locate(path, path.stat(), good.replace("[1],", "[1]"), ["a", "b"]) is None
    assert locate(path, path.stat(), good.replace("[2]\n", "[2],\n"), ["a", "b"]) is None
    assert locate(path, path.stat(), good, []) is None
    assert locate(path, path.stat(), good.replace("[1]", '["é"]'), ["a", "b"]) is None
