"""The vocabulary remembers which Latin words the corpus writes as names, keeps it in
vocabulary.json (version 2), and a file of an older version or with a damaged table of names
is rebuilt like a damaged one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.search.index import live_folder, update_index
from reader.core.search.searcher import Searcher
from reader.core.search.vocabulary import FILE_NAME, Vocabulary, VocabularyDamaged
from tests.conftest import write_config

CORPUS = Path(__file__).parent / "data" / "names_corpus"


def test_names_are_words_capitalised_inside_sentences() -> None:
    vocabulary = Vocabulary()
    vocabulary.add_text("Base Camp Opens", names=False)  # a title: every word capitalised
    vocabulary.add_text(
        "Talks began. The spokesman, Kununu, said the base near al-Watiya and d'Ouargla was "
        "calm. The base is the Base. UN staff left."
    )
    assert vocabulary.name_like("kununu")
    assert vocabulary.name_like("watiya")
    assert vocabulary.name_like("ouargla")
    assert not vocabulary.name_like("base")  # lower case more often than capitalised
    assert not vocabulary.name_like("talks")  # capitalised only where a sentence starts
    assert not vocabulary.name_like("camp")  # capitalised only in a title
    assert not vocabulary.name_like("un")  # an acronym


def test_names_survive_a_save_and_a_load(tmp_path: Path) -> None:
    vocabulary = Vocabulary()
    vocabulary.add_text("the spokesman, Kununu, said so")
    vocabulary.save(tmp_path)
    loaded = Vocabulary.load(tmp_path)
    assert loaded.name_like("kununu")
    assert loaded.name_layer().spellings("Kanunu") == ["kununu"]


@pytest.mark.parametrize(
    "names",
    [None, [], {"kununu": [1]}, {"kununu": [1, -1]}, {"kununu": ["1", 0]}, {"kununu": [True, 0]}],
)
def test_a_damaged_table_of_names_is_refused(tmp_path: Path, names: object) -> None:
    data: dict[str, object] = {"version": 2, "words": {"kununu": "kununu"}, "layer": {}}
    if names is not None:
        data["names"] = names
    (tmp_path / FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(VocabularyDamaged, match=r"vocabulary\.json has \"names\""):
        Vocabulary.load(tmp_path)


@pytest.mark.parametrize(
    "layer",
    [
        None,
        [],
        {"keyed": {}},
        {"keyed": {"KN": "kununu"}, "words": {}},
        {"keyed": {}, "words": {"a": [1]}},
    ],
)
def test_a_damaged_layer_is_refused(tmp_path: Path, layer: object) -> None:
    data: dict[str, object] = {"version": 2, "words": {"kununu": "kununu"}, "names": {}}
    if layer is not None:
        data["layer"] = layer
    (tmp_path / FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(VocabularyDamaged, match=r"vocabulary\.json has a \"layer\""):
        Vocabulary.load(tmp_path)


def test_the_layer_grows_with_the_words(tmp_path: Path) -> None:
    vocabulary = Vocabulary()
    vocabulary.add_text("the spokesman, Kununu, said so")
    vocabulary.save(tmp_path)
    loaded = Vocabulary.load(tmp_path)
    assert loaded.name_layer().spellings("Kununu") == []
    loaded.add_text("قال قنونو إن والقنونو")
    assert loaded.name_layer().spellings("Kununu") == ["قنونو"]  # one per index term
    assert loaded.name_layer().spellings("قنونو") == ["kununu"]


def test_a_vocabulary_of_version_1_is_rebuilt_with_its_names(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    config = load_config(write_config(tmp_path))
    update_index(config)
    path = live_folder(config) / FILE_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({"version": 1, "words": data["words"]}), encoding="utf-8")
    report = update_index(config)
    assert any("vocabulary.json" in line for line in report.repaired)
    with Searcher(config) as searcher:
        assert {hit.id for hit in searcher.search("Kanunu").hits} >= {"en01", "ar01"}
