"""Every config problem is caught when config is read: a ConfigError naming file, line and key
(exit 2 on the command line), never a traceback or an "internal error" later on."""

from __future__ import annotations

import math
import os
import re
from datetime import date
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import reader.core.config_checks
from reader.core.config import ConfigError, load_config
from reader.core.config_schema import SCHEMA
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.boilerplate import clean_title
from tests.conftest import CliRunner

FUZZ = settings(
    max_examples=int(os.environ.get("READER_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MESSAGE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<rest>.+)$")


@pytest.fixture
def place(tmp_path: Path) -> Path:
    (tmp_path / "arts").mkdir()
    (tmp_path / "afile").write_text("", encoding="utf-8")
    (tmp_path / "good.toml").write_text('[x]\naliases = ["X"]\n', encoding="utf-8")
    return tmp_path


def error_for(place: Path, text: str) -> str:
    path = place / "config.toml"
    path.write_text('[corpus]\npaths = ["arts"]\n' + text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return str(info.value)


def assert_clear(message: str, path: Path, line: int | None, where: str) -> None:
    match = MESSAGE.match(message)
    assert match, message
    assert match["path"] == str(path)
    if line is not None:
        assert int(match["line"]) == line, message
    assert match["rest"].startswith(where), message
    assert message.isprintable(), message


@pytest.mark.parametrize(
    ("text", "line", "where"),
    [
        # numbers: NaN, infinity, beyond 64 bits, out of range, wrong type
        ("max_file_mb = nan\n", 3, "[corpus] max_file_mb: must be a number"),
        ("max_file_mb = inf\n", 3, "[corpus] max_file_mb"),
        ("max_file_mb = -inf\n", 3, "[corpus] max_file_mb"),
        ("max_file_mb = 1e308\n", 3, "[corpus] max_file_mb: must be a number more than 0"),
        ("max_file_mb = 1e-30\n", 3, "[corpus] max_file_mb: must be a number more than 0"),
        ("max_file_mb = -1\n", 3, "[corpus] max_file_mb"),
        ("max_file_mb = 99999999999999999999999\n", 3, "[corpus] max_file_mb"),
        ("max_file_mb = { a = 1 }\n", 3, "[corpus] max_file_mb: must be a number"),
        ("max_file_mb = [1]\n", 3, "[corpus] max_file_mb: must be a number"),
        ("max_file_mb = 2024-01-01\n", 3, "[corpus] max_file_mb: must be a number"),
        ("[search]\nlimit = 0\n", 4, "[search] limit"),
        ("[search]\nlimit = 99999999999999999999\n", 4, "[search] limit"),
        ("[search]\nlimit = 1.5\n", 4, "[search] limit"),
        ("[search]\ncross_script = 1\n", 4, "[search] cross_script"),
        ("[events]\nthreshold = nan\n", 4, "[events] threshold"),
        ("[events]\nthreshold = 2\n", 4, "[events] threshold: must be a number between 0 and 1"),
        ("[compare]\nalign_threshold = -inf\n", 4, "[compare] align_threshold"),
        ("[boilerplate]\nblock_lines = -1\n", 4, "[boilerplate] block_lines: must be 0 or more"),
        ("[boilerplate]\nblock_lines = 2.0\n", 4, "[boilerplate] block_lines"),
        # verdict ratings: not JSON numbers, negative, not numbers; names that are not text
        ("[notes.verdicts]\nfalse = inf\n", 4, "[notes.verdicts] false"),
        ("[notes.verdicts]\nfalse = nan\n", 4, "[notes.verdicts] false"),
        ("[notes.verdicts]\nfalse = -1\n", 4, "[notes.verdicts] false"),
        ("[notes.verdicts]\nfalse = 99999999999999999999\n", 4, "[notes.verdicts] false"),
        ('[notes.verdicts]\nfalse = "1"\n', 4, "[notes.verdicts] false"),
        ("[notes.verdicts.false]\nx = 1\n", 3, "[notes.verdicts] false"),
        ('[notes.verdicts]\n"a\\u001b[2Jb" = 1\n', 3, "[notes.verdicts] 'a\\x1b[2Jb'"),
        ('[notes.verdicts]\n"two\\nlines" = 1\n', 3, "[notes.verdicts] 'two\\nlines'"),
        ('[notes.verdicts]\n"" = 1\n', 4, "[notes.verdicts] '': a verdict's name"),
        ("[notes]\nverdicts = {}\n", 4, "[notes] verdicts: must name at least one"),
        ("[notes]\nverdicts = 5\n", 4, "[notes] verdicts: must be a table"),
        # strings, tables and lists where they do not belong
        ("[display]\ntheme = { name = 1 }\n", 4, "[display] theme: must be a theme name"),
        ('[display]\nrtl = [[[["app"]]]]\n', 4, "[display] rtl"),
        ("[storage]\ndata_dir = 5\n", 4, "[storage] data_dir: must be a path"),
        ("[storage]\nnotes_dir = { x = 1 }\n", 4, "[storage] notes_dir: must be a path"),
        ("[entities]\ngazetteer = []\n", 4, "[entities] gazetteer: must be a path"),
        ('[keymap]\nsearch = ""\n', 4, "[keymap] search"),
        ('[keymap]\nsearch = "ctrl+\\u001b"\n', 4, "[keymap] search"),
        ("[keymap]\nsearch = { a = 1 }\n", 4, "[keymap] search"),
        ("[corpus.more]\nx = 1\n", 3, "[corpus] more: unknown key"),
        ('["\\u001b]0;pwned\\u0007"]\nx = 1\n', None, "['\\x1b]0;pwned\\x07']: unknown table"),
        ('[[display]]\nrtl = "app"\n', 3, "[display]: [display] must be a table"),
        # text shown in the app or written into notes: one printable line
        ('[notes]\nauthor = "Jane\\nDoe"\n', 4, "[notes] author: must be a name on one line"),
        ('[display]\ntheme = "\\u001b[31m"\n', 4, "[display] theme: must be a theme name on"),
        # paths that cannot be paths
        ('[storage]\ndata_dir = "a\\u0000b"\n', 4, "[storage] data_dir: not a usable path"),
        ('[storage]\ndata_dir = ""\n', 4, "[storage] data_dir: not a usable path"),
        ('[storage]\nnotes_dir = "~no-such-user-here/notes"\n', 4, "[storage] notes_dir"),
        ('[entities]\ngazetteer = "\\u0000"\n', 4, "[entities] gazetteer: not a usable path"),
        # regular expressions that fail alone or together
        ('[boilerplate]\ndrop_lines = ["a{99999999999}"]\n', 4, "[boilerplate] drop_lines"),
        ('[boilerplate]\nbreadcrumb = "' + "(" * 1200 + ")" * 1200 + '"\n', 4, "[boilerplate]"),
        ('[boilerplate]\ndrop_lines = ["(?i)a", "b"]\n', 4, "[boilerplate] drop_lines"),
        (
            '[boilerplate]\ndrop_blocks = ["(?P<n>a)", "(?P<n>b)"]\n',
            4,
            "[boilerplate] drop_blocks: these regular expressions do not combine",
        ),
        ('[boilerplate]\ndrop_lines = [["x"]]\n', 4, "[boilerplate] drop_lines: must hold strings"),
    ],
)
def test_every_bad_value_is_a_clear_error(
    place: Path, text: str, line: int | None, where: str
) -> None:
    assert_clear(error_for(place, text), place / "config.toml", line, where)


@pytest.mark.parametrize(
    ("folder", "problem"), [("afile", "is not a folder"), ("missing", "does not exist")]
)
def test_a_corpus_folder_that_is_not_one_is_named(place: Path, folder: str, problem: str) -> None:
    path = place / "config.toml"
    path.write_text(f'[corpus]\npaths = ["arts", "{folder}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert_clear(str(info.value), path, 2, f"[corpus] paths: corpus folder {place / folder}")
    assert str(info.value).endswith(problem)


def test_values_nested_too_deeply_are_a_clear_error(place: Path) -> None:
    message = error_for(place, "[display]\nrtl = " + "[" * 5000 + "]" * 5000 + "\n")
    assert_clear(message, place / "config.toml", 4, "invalid TOML: values nested too deeply")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("afile", "afile is not a folder"),
        ("afile/index", "afile is not a folder"),
        ("x" * 5000, "cannot use"),
    ],
)
@pytest.mark.parametrize("key", ["data_dir", "notes_dir"])
def test_storage_folders_that_cannot_be_used_are_caught_when_config_is_read(
    place: Path, key: str, value: str, problem: str
) -> None:
    message = error_for(place, f'[storage]\n{key} = "{value}"\n')
    assert_clear(message, place / "config.toml", 4, f"[storage] {key}: ")
    assert problem in message


def test_a_broken_symbolic_link_as_data_dir_is_caught(place: Path) -> None:
    (place / "gone").symlink_to(place / "nowhere")
    message = error_for(place, '[storage]\ndata_dir = "gone"\n')
    assert_clear(message, place / "config.toml", 4, "[storage] data_dir: ")
    assert "broken symbolic link" in message


def test_an_unwritable_storage_folder_is_caught(
    place: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = place / "locked"
    locked.mkdir()
    real_access = os.access

    def access(path: os.PathLike[str] | str, mode: int) -> bool:
        if Path(path) == locked and mode & os.W_OK:
            return False
        return real_access(path, mode)

    if os.geteuid() != 0:  # a real read-only folder where permissions apply
        locked.chmod(0o555)
    else:  # root may write anywhere: pretend it may not, as for a normal user
        monkeypatch.setattr(reader.core.config_checks.os, "access", access)
    try:
        message = error_for(place, '[storage]\ndata_dir = "locked/reader"\n')
    finally:
        locked.chmod(0o755)
    assert_clear(message, place / "config.toml", 4, "[storage] data_dir: ")
    assert f"cannot write in folder {locked}" in message
    # A folder that does not exist yet in a writable one is fine: nothing is created.
    path = place / "config.toml"
    path.write_text('[corpus]\npaths = ["arts"]\n[storage]\ndata_dir = "new/deep"\n')
    assert load_config(path).data_dir == place / "new" / "deep"
    assert not (place / "new").exists()


@pytest.mark.parametrize(
    ("gazetteer", "problem"),
    [
        ("x = [\n", "invalid TOML"),
        ('[x]\naliases = "not a list"\n', "g.toml:1: [x]: aliases must be a list of strings"),
        ('[x]\ntype = "planet"\n', "type must be one of"),
        ("x = 1\n", "each entity must be a table"),
        ('[x]\ncolour = "red"\n', "unknown key 'colour'"),
        ("[x]\naliases = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        (None, "cannot read gazetteer"),
        (b"\xff\xfe\x00bad", "cannot read gazetteer"),
    ],
)
def test_a_bad_gazetteer_is_caught_when_config_is_read(
    place: Path, gazetteer: str | bytes | None, problem: str
) -> None:
    if isinstance(gazetteer, str):
        (place / "g.toml").write_text(gazetteer, encoding="utf-8")
    elif isinstance(gazetteer, bytes):
        (place / "g.toml").write_bytes(gazetteer)
    message = error_for(place, '[entities]\ngazetteer = "g.toml"\n')
    assert_clear(message, place / "config.toml", 4, f"[entities] gazetteer: {place / 'g.toml'}")
    assert problem in message


def test_a_good_gazetteer_is_accepted(place: Path) -> None:
    path = place / "config.toml"
    path.write_text('[corpus]\npaths = ["arts"]\n[entities]\ngazetteer = "good.toml"\n')
    assert load_config(path).gazetteer == place / "good.toml"


@pytest.mark.parametrize(
    "text",
    [
        "[corpus]\nmax_file_mb = nan\n",
        '[storage]\ndata_dir = "afile"\n',
        '[entities]\ngazetteer = "afile"\n',
        "[notes.verdicts]\nfalse = inf\n",
    ],
)
def test_cli_exits_two_with_the_message_and_no_traceback(
    place: Path, run_cli: CliRunner, text: str
) -> None:
    (place / "afile").write_text("x = [\n", encoding="utf-8")
    path = place / "c.toml"
    body = text.replace("[corpus]\n", "")
    path.write_text('[corpus]\npaths = ["arts"]\n' + body, encoding="utf-8")
    for command in (["index"], ["search", "x"], ["notes", "export", "--format", "claimreview"]):
        result = run_cli(*command, config=path)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith(f"reader: {path}:"), result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert result.stdout == ""


# -- fuzz: any value under any key -------------------------------------------------------------

PATHISH = ["arts", "afile", "afile/x", "good.toml", "missing", "", "\x00", "~nobody-here/x", "."]
scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from([*PATHISH, "(", "(?i)x", "a{99999999999}", "app", "drop", "ctrl+f"]),
    st.dates(min_value=date(1, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
TABLES = [*sorted(SCHEMA), "notes.verdicts", "unknown"]


@st.composite
def configs(draw: st.DrawFn) -> dict[str, object]:
    raw: dict[str, object] = {}
    for table in draw(st.lists(st.sampled_from(TABLES), max_size=5, unique=True)):
        if draw(st.integers(0, 9)) == 0:
            raw[table] = draw(values)  # a table that is not a table
            continue
        keys = [*SCHEMA.get(table, {}), "unknown", "search"]
        if table == "notes.verdicts":
            keys = ["true", "false", "unverified", "x\x1b", ""]
        entries = {key: draw(values) for key in draw(st.lists(st.sampled_from(keys), max_size=4))}
        if table == "corpus" and "paths" not in entries and draw(st.booleans()):
            entries["paths"] = ["arts"]
        if table == "notes.verdicts":
            raw.setdefault("notes", {})
            notes = raw["notes"]
            if isinstance(notes, dict):
                notes["verdicts"] = entries
        else:
            raw[table] = entries
    raw.setdefault("corpus", {"paths": ["arts"]})
    return raw


def check_outcome(path: Path) -> None:
    try:
        config = load_config(path)
    except ConfigError as exc:
        message = str(exc)
        match = MESSAGE.match(message)
        assert match and match["path"] == str(path), message
        assert message.isprintable(), message
        return
    # What load_config lets through is usable.
    assert isinstance(config.max_file_bytes, int) and config.max_file_bytes >= 1
    assert isinstance(config.search_limit, int) and config.search_limit >= 1
    assert 0 <= config.event_threshold <= 1 and 0 <= config.align_threshold <= 1
    for name, rating in config.verdicts.items():
        assert name.isprintable() and math.isfinite(rating) and rating >= 0
    assert config.boilerplate.block_lines >= 0
    clean_title("Home / News / A title | Site", config.boilerplate)
    if config.gazetteer is not None:
        load_gazetteer(config.gazetteer)
    for folder in (config.data_dir, config.notes_dir):
        assert "\x00" not in str(folder)


@FUZZ
@given(configs())
@example({"corpus": {"paths": ["arts"], "max_file_mb": math.nan}})
@example({"corpus": {"paths": ["arts"]}, "storage": {"data_dir": "afile"}})
@example({"corpus": {"paths": ["arts"]}, "notes": {"verdicts": {"true": math.inf}}})
def test_fuzz_config_values_give_a_config_or_a_clear_error(
    place: Path, raw: dict[str, object]
) -> None:
    path = place / "config.toml"
    try:
        text = tomlkit.dumps(raw)
    except Exception:  # tomlkit cannot write it: then neither can a user, mostly
        return
    path.write_text(text, encoding="utf-8")
    check_outcome(path)


TOML_BITS = [
    "[corpus]\n",
    "[storage]\n",
    "[notes.verdicts]\n",
    "[[corpus]]\n",
    "[entities]\n",
    "[boilerplate]\n",
    'paths = ["arts"]\n',
    "max_file_mb = ",
    "limit = ",
    "data_dir = ",
    "gazetteer = ",
    "drop_lines = ",
    "false = ",
    "nan\n",
    "inf\n",
    "-0.0\n",
    "1e400\n",
    "9223372036854775808\n",
    '"afile"\n',
    '"good.toml"\n',
    '"\\u0000"\n',
    "[[[[[[\n",
    "]]]]]]\n",
    "{ a = { b = [1, { c = 2 }] } }\n",
    '"(?i)x"\n',
    "1979-05-27T07:32:00Z\n",
    "=",
    "\n",
]


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(TOML_BITS), st.text(max_size=4)), max_size=12))
@example(["[corpus]\n", 'paths = ["arts"]\n', "max_file_mb = ", "nan\n"])
@example(["[corpus]\n", 'paths = ["arts"]\n', "data_dir = ", "[[[[[[\n" * 200])
def test_fuzz_config_text_gives_a_config_or_a_clear_error(place: Path, bits: list[str]) -> None:
    path = place / "config.toml"
    path.write_text("".join(bits), encoding="utf-8")
    check_outcome(path)
