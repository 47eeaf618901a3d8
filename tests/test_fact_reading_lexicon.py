"""The lexicon facts are read by: shipped as TOML, extended by a user file named in config,
and a bad user file refused with one line naming its path and line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.config import ConfigError, load_config
from reader.core.events import lexicon as lexicon_module
from reader.core.events.facts import find_facts
from reader.core.events.lexicon import (
    QUALIFIER_NAMES,
    ROLE_NAMES,
    LexiconError,
    active_lexicon,
    default_lexicon,
    read_lexicon,
    use_lexicon,
)

MESSAGE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<rest>.+)$")


@pytest.fixture(autouse=True)
def shipped_lexicon() -> Iterator[None]:
    yield
    use_lexicon(None)  # no test leaves its words to the next


def kinds(text: str, **kwargs: object) -> list[tuple[str, float]]:
    return [(f.kind, f.value) for f in find_facts(text, **kwargs)]  # type: ignore[arg-type]


def test_the_shipped_lexicon_names_every_qualifier_and_role_and_is_folded() -> None:
    lexicon = default_lexicon()
    qualifiers = dict(lexicon.qualifiers)
    roles = dict(lexicon.roles)
    assert all(qualifiers.get(("before", name)) for name in QUALIFIER_NAMES)
    assert all(roles.get((role, "after")) and roles.get((role, "before")) for role in ROLE_NAMES)
    # Written as a sentence writes them (أ, ى, ة), stored as the text is read (ا, ي, ه).
    assert "ما لا يقل عن" in qualifiers["before", "at least"]
    assert "قرابه" in qualifiers["before", "about"]
    assert "اكثر من" in qualifiers["before", "more than"]
    assert default_lexicon() is default_lexicon()  # read once


def test_the_lexicon_is_shipped_as_package_data() -> None:
    root = Path(__file__).resolve().parent.parent
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'reader = \[[^\]]*"\*\*/\*\.toml"', pyproject)
    assert (root / "reader" / "core" / "events" / "lexicon.toml").is_file()


USER = """
[qualifiers.before]
"about" = ["circa"]

[roles.killed]
after = ["slain"]

[roles.detained]
verbs = ["خطف", "خطفت"]

[nouns]
ambulance = ["ambulances", "سيارة إسعاف", "سيارات إسعاف"]
"""


def test_a_user_lexicon_adds_words(tmp_path: Path) -> None:
    path = tmp_path / "words.toml"
    path.write_text(USER, encoding="utf-8")
    assert kinds("12 people were slain") == [("count", 12)]
    assert kinds("خطفت العصابة 5 أشخاص") == [("count", 5)]
    extended = default_lexicon().merged(read_lexicon(path))
    assert kinds("12 people were slain", lexicon=extended) == [("killed", 12)]
    assert kinds("خطفت العصابة 5 أشخاص", lexicon=extended) == [("detained", 5)]
    assert find_facts("circa 100 people", lexicon=extended)[0].qualifier == "about"
    english = find_facts("5 ambulances", lexicon=extended)
    arabic = find_facts("5 سيارات إسعاف", lexicon=extended)
    assert english[0].key == arabic[0].key == "count:ambulance:5"
    # Nothing shipped is lost.
    assert kinds("قُتل 15 شخصاً", lexicon=extended) == [("killed", 15)]


def test_use_lexicon_makes_the_user_words_the_default_until_reset(tmp_path: Path) -> None:
    path = tmp_path / "words.toml"
    path.write_text(USER, encoding="utf-8")
    use_lexicon(path)
    assert kinds("12 people were slain") == [("killed", 12)]
    use_lexicon(None)
    assert active_lexicon() is default_lexicon()
    assert kinds("12 people were slain") == [("count", 12)]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("[roles.looted]\nafter = ['x']\n", 1, "unknown role 'looted'"),
        ("[qualifiers.before]\n'roughly about' = ['x']\n", 2, "unknown qualifier"),
        ("[qualifiers.inside]\nabout = ['x']\n", 1, "expected qualifiers.before or .after"),
        ("[roles.killed]\nafter = 'slain'\n", 2, "roles.killed.after must be a list of strings"),
        ("[roles.killed]\nafter = [1]\n", 2, "must be a list of strings"),
        ("[roles.killed]\nbeside = ['x']\n", 2, "unknown key 'beside'"),
        ("[roles.killed]\nafter = ['  ']\n", 2, "is not a word or phrase"),
        ("[roles.killed]\nafter = ['... slain']\n", 2, "cannot start with '...'"),
        ("[nouns]\n'Ambulance!' = ['x']\n", 2, "must be an English name in lower case"),
        ("[weapons]\ntank = ['x']\n", 1, "unknown table 'weapons'"),
        ("companions = ['their driver']\n", 1, "must be one word"),
        ("roles = 3\n", 1, "roles must be a table"),
        ("[roles.killed]\nafter = [\n", 2, "invalid TOML"),  # at the end: the last line
        ("[roles.killed]\nafter = [1,,]\n", 2, "invalid TOML"),
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", 1, "nested too deeply"),
    ],
)
def test_a_bad_lexicon_is_one_line_naming_path_and_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "words.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        read_lexicon(path)
    message = str(info.value)
    assert "\n" not in message and message.isprintable(), message
    assert problem in message, message
    match = MESSAGE.match(message)
    assert match, message
    assert (match["path"], int(match["line"])) == (str(path), line), message


@pytest.mark.parametrize("content", [None, b"\xff\xfe\x00bad"])
def test_an_unreadable_lexicon_names_its_path(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "words.toml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(LexiconError, match=re.escape(f"{path}: cannot read the lexicon")):
        read_lexicon(path)


def test_a_failed_use_lexicon_changes_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(USER, encoding="utf-8")
    use_lexicon(good)
    bad = tmp_path / "bad.toml"
    bad.write_text("[roles.looted]\n", encoding="utf-8")
    with pytest.raises(LexiconError):
        use_lexicon(bad)
    assert kinds("12 people were slain") == [("killed", 12)]


def config_with(tmp_path: Path, lexicon: str) -> Path:
    (tmp_path / "arts").mkdir(exist_ok=True)
    path = tmp_path / "config.toml"
    path.write_text(f'[corpus]\npaths = ["arts"]\n[facts]\nlexicon = "{lexicon}"\n')
    return path


def test_config_names_a_user_lexicon_and_checks_it(tmp_path: Path) -> None:
    (tmp_path / "words.toml").write_text(USER, encoding="utf-8")
    assert load_config(config_with(tmp_path, "words.toml")).lexicon == tmp_path / "words.toml"
    (tmp_path / "bad.toml").write_text("[nouns]\nambulance = 'x'\n", encoding="utf-8")
    path = config_with(tmp_path, "bad.toml")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}:4: [facts] lexicon: {tmp_path / 'bad.toml'}:2: ")
    assert "\n" not in message


def test_the_command_line_exits_two_for_a_bad_lexicon(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.toml").write_text("[roles.looted]\n", encoding="utf-8")
    path = config_with(tmp_path, "bad.toml")
    assert main(["--config", str(path), "search", "Sirte"]) == 2
    err = capsys.readouterr().err
    assert "bad.toml:1: unknown role 'looted'" in err and "Traceback" not in err


def test_the_command_line_reads_facts_with_the_user_lexicon(tmp_path: Path) -> None:
    (tmp_path / "words.toml").write_text(USER, encoding="utf-8")
    path = config_with(tmp_path, "words.toml")
    main(["--config", str(path), "search", "Sirte"])
    assert active_lexicon() is not default_lexicon()
    assert kinds("12 people were slain") == [("killed", 12)]
    assert lexicon_module.active_lexicon() is active_lexicon()


def test_a_user_lexicon_adds_companions(tmp_path: Path) -> None:
    path = tmp_path / "words.toml"
    path.write_text('companions = ["medic", "مسعف"]\n', encoding="utf-8")
    extended = default_lexicon().merged(read_lexicon(path))
    assert kinds("Three soldiers and their medic were killed") == [("count", 3)]  # not read
    assert kinds("Three soldiers and their medic were killed", lexicon=extended) == [("killed", 4)]
    assert kinds("Three soldiers and their driver were killed", lexicon=extended) == [("killed", 4)]
