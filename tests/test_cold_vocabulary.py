"""The vocabulary as a new process reads it: version 3 keeps the words as sorted lines that a
:class:`WordTable` looks up in place (no dictionary of every word, no sort before a prefix),
with the very answers of the table of words it was saved from; version 4 keeps the name tables
as lines too, split only for the names a query looks up; versions 2 and 3 still load."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from reader.core.search.vocabulary import FILE_NAME, Vocabulary, VocabularyDamaged
from reader.core.search.word_table import FIELD, LINE, WordTable, table_text

TEXT = (
    "The spokesman, Kununu, said the ministry and the minister met in Sirte. Ministries "
    "minimal mini min minister's cease-fire ceasefire cease fire. قال قنونو إن والقنونو "
    "حفتر وحفتر الحفتري Haftar Hifter 2024 ٢٠٢٤ naïve Zürich"
)


def _built() -> Vocabulary:
    vocabulary = Vocabulary()
    vocabulary.add_text(TEXT)
    vocabulary.add_text("Minister Kununu Opens Talks", names=False)
    return vocabulary


def _random_words(seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    letters = "abmnz" + "حفتر" + "é0"
    words = {"".join(rng.choices(letters, k=rng.randint(1, 6))) for _ in range(400)}
    return {word: word[::-1] for word in words}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_word_table_answers_as_the_dictionary_it_was_written_from(seed: int) -> None:
    words = _random_words(seed)
    text = table_text(words)
    assert text is not None
    table = WordTable.from_text(text)
    assert table is not None
    assert len(table) == len(words)
    assert list(table) == sorted(words)
    assert dict(table.items()) == words
    for word in [*words, "", "a", "zzzzzzz", "حفترحفترحفتر", "m", "b0"]:
        assert table.get(word) == words.get(word)
        assert (word in table) == (word in words)
        expected = [(w, words[w]) for w in sorted(words) if w >= word]
        assert list(table.items_from(word)) == expected


def test_an_empty_table() -> None:
    table = WordTable.from_text(table_text({}))
    assert table is not None and len(table) == 0 and list(table.items_from("")) == []
    assert table.get("a") is None


def test_a_word_with_a_separator_cannot_be_an_entry() -> None:
    assert table_text({f"a{FIELD}b": "a"}) is None
    assert table_text({"a": f"b{LINE}c"}) is None
    assert table_text({"a\tb": "a b\nc"}) is not None  # tabs, spaces, newlines: no matter


def test_version_4_is_saved_and_read_without_a_dictionary_of_the_words(tmp_path: Path) -> None:
    built = _built()
    built.save(tmp_path)
    data = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))
    assert data["version"] == 4 and isinstance(data["words"], str)
    assert all(isinstance(data["layer"][name], str) for name in ("keyed", "words"))
    assert "\\" not in (tmp_path / FILE_NAME).read_text(encoding="utf-8")  # no JSON escapes
    loaded = Vocabulary.load(tmp_path)
    assert isinstance(loaded.words(), WordTable)  # a dictionary before version 3
    assert dict(loaded.words()) == dict(built.words())
    assert len(loaded) == len(built)
    for prefix in ["min", "m", "", "حف", "ق", "zz", "cease", "٢"]:
        assert loaded.expand_prefix(prefix) == built.expand_prefix(prefix)
        assert loaded.expand_prefix(prefix, limit=2) == built.expand_prefix(prefix, limit=2)
    for pattern in ["m*n", "*ter", "mi?i*", "*", "حف*"]:
        assert loaded.expand_wildcard(pattern) == built.expand_wildcard(pattern)
    assert loaded.name_counts() == built.name_counts()
    for name in ["Kununu", "Kanunu", "قنونو", "Haftar", "ministry"]:
        assert loaded.name_layer().spellings(name) == built.name_layer().spellings(name)


def test_version_2_is_still_read_with_the_same_answers(tmp_path: Path) -> None:
    built = _built()
    built.save(tmp_path)
    data = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))
    data.update(version=2, words=dict(built.words()))
    (tmp_path / FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    loaded = Vocabulary.load(tmp_path)
    assert dict(loaded.words()) == dict(built.words())
    assert loaded.expand_prefix("min") == built.expand_prefix("min")
    spellings = built.name_layer().spellings("Kanunu")
    assert loaded.name_layer().spellings("Kanunu") == spellings and "kununu" in spellings


def test_words_added_to_a_loaded_table_are_kept_and_saved(tmp_path: Path) -> None:
    _built().save(tmp_path)
    loaded = Vocabulary.load(tmp_path)
    loaded.add_text("the minaret of Misrata")
    assert "minaret" in loaded.words() and "ministry" in loaded.words()
    assert set(loaded.expand_prefix("min")) >= {"minaret", "ministri"}
    loaded.save(tmp_path)
    again = Vocabulary.load(tmp_path)
    assert dict(again.words()) == dict(loaded.words())
    assert again.name_like("misrata")


def test_a_word_that_cannot_be_an_entry_is_saved_in_version_2(tmp_path: Path) -> None:
    words = {f"a{FIELD}b": "ab", "c": f"c{LINE}"}
    Vocabulary(words).save(tmp_path)
    data = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert dict(Vocabulary.load(tmp_path).words()) == words


@pytest.mark.parametrize(
    "words",
    [
        {"a": "a"},
        [f"a{FIELD}a{LINE}"],
        f"a{FIELD}a",
        f"a{FIELD}a{FIELD}b{LINE}",
        f"a{LINE}",
        "a\ta\n",
        3,
    ],
)
def test_damaged_words_of_version_3_are_refused(tmp_path: Path, words: object) -> None:
    data = {"version": 3, "words": words, "names": {}, "layer": {"keyed": {}, "words": {}}}
    (tmp_path / FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(VocabularyDamaged, match=r"vocabulary\.json has \"words\""):
        Vocabulary.load(tmp_path)


@pytest.mark.parametrize("version", [1, 5, "3", 3.0, True, None])
def test_other_versions_are_refused(tmp_path: Path, version: object) -> None:
    data = {"version": version, "words": "", "names": {}, "layer": {"keyed": {}, "words": {}}}
    (tmp_path / FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(VocabularyDamaged, match="has no version"):
        Vocabulary.load(tmp_path)


def test_an_update_writes_a_vocabulary_of_version_2_again_in_version_4(tmp_path: Path) -> None:
    from reader.core.config import load_config
    from reader.core.search.index import live_folder, update_index
    from tests.conftest import write_config

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Sirte ministry\n\nThe ministry met Kununu in Sirte.\n")
    config = load_config(write_config(tmp_path))
    update_index(config)
    path = live_folder(config) / FILE_NAME
    built = Vocabulary.load(path.parent)
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(version=2, words=dict(built.words()))
    path.write_text(json.dumps(data), encoding="utf-8")
    assert Vocabulary.load(path.parent).version == 2
    report = update_index(config)  # nothing to index: the vocabulary is only written again
    assert not report.rebuilt and not report.repaired
    again = Vocabulary.load(path.parent)
    assert again.version == 4 and isinstance(again.words(), WordTable)
    assert dict(again.words()) == dict(built.words())
    assert again.name_counts() == built.name_counts()


def test_version_3_is_still_read_with_the_same_answers(tmp_path: Path) -> None:
    built = _built()
    built.save(tmp_path)
    data = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))
    data.update(version=3, layer=built.name_layer()._tables.to_json())
    (tmp_path / FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    loaded = Vocabulary.load(tmp_path)
    assert loaded.version == 3
    for name in ["Kununu", "Kanunu", "قنونو", "Haftar", "ministry", "حفتر"]:
        assert loaded.name_layer().spellings(name) == built.name_layer().spellings(name)


def test_a_common_word_never_splits_the_name_tables(tmp_path: Path) -> None:
    """A search for a word the corpus writes in lower case (not a name) reads the name
    tables as two texts and never splits them; a name splits only the lists it looks up,
    with the answers of the tables they were saved from."""
    built = _built()
    built.save(tmp_path)
    loaded = Vocabulary.load(tmp_path)
    tables = loaded.name_layer()._tables
    assert loaded.name_layer().spellings("ministry") == []
    assert tables._texts is not None and tables._joined is None  # not even joined
    assert loaded.name_layer().spellings("Kanunu") == built.name_layer().spellings("Kanunu")
    assert tables._joined is not None and tables._keyed == {}  # no table of lists made
    assert tables.keyed == built.name_layer()._tables.keyed
    assert tables.words == built.name_layer()._tables.words


def test_a_name_form_with_a_separator_keeps_its_tables_as_json(tmp_path: Path) -> None:
    vocabulary = _built()
    tables = vocabulary.name_layer()._tables
    tables.keyed["XY"] = [f"x{LINE}y"]
    vocabulary.save(tmp_path)
    data = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))
    assert data["version"] == 3 and isinstance(data["layer"]["keyed"], dict)
    loaded = Vocabulary.load(tmp_path)
    assert loaded.name_layer()._tables.keyed == tables.keyed


@pytest.mark.parametrize(
    "keyed",
    [f"a{FIELD}b", f"a{LINE}", 3, [f"a{FIELD}b{LINE}"]],
)
def test_damaged_name_tables_of_version_4_are_refused(tmp_path: Path, keyed: object) -> None:
    data = {"version": 4, "words": "", "names": {}, "layer": {"keyed": keyed, "words": ""}}
    (tmp_path / FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(VocabularyDamaged, match='has a "layer"'):
        Vocabulary.load(tmp_path)


def test_name_tables_not_written_by_save_never_raise(tmp_path: Path) -> None:
    keyed = f"KNN{LINE}KNN{FIELD}kununu{FIELD}{FIELD}{LINE}{FIELD}{LINE}"
    data = {"version": 4, "words": "", "names": {}, "layer": {"keyed": keyed, "words": ""}}
    (tmp_path / FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    loaded = Vocabulary.load(tmp_path)
    for name in ["Kununu", "قنونو", "", "K"]:
        assert isinstance(loaded.name_layer().spellings(name), list)
    assert isinstance(loaded.name_layer()._tables.keyed, dict)


def test_a_layer_looks_a_word_up_once_and_a_new_word_list_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The words before the one being typed are asked for at every key: the layer answers
    them from what it kept, the same answer; words added make a new layer that looks again."""
    from reader.core.search.name_layer import NameLayer

    vocabulary = _built()
    layer = vocabulary.name_layer()
    looked: list[str] = []
    real = NameLayer._spellings
    monkeypatch.setattr(
        NameLayer,
        "_spellings",
        lambda self, word, limit: looked.append(word) or real(self, word, limit),
    )
    first = layer.spellings("Kanunu")
    assert "kununu" in first
    first.append("changed by the caller")
    assert layer.spellings("Kanunu") == first[:-1]
    assert layer.spellings("Kanunu", limit=1) == first[:1]
    assert looked == ["Kanunu", "Kanunu"]  # once per limit
    vocabulary.add_text("Officials met Kanunnu in the capital.")
    assert vocabulary.name_layer() is not layer
    assert "kanunnu" in vocabulary.name_layer().spellings("Kanunu")
    assert looked == ["Kanunu", "Kanunu", "Kanunu"]
