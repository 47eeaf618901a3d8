"""The user's decisions over events (events.toml): every wrong shape is a one-line error naming
the file, line and key with the shape expected; an unusable file is never overwritten; edits keep
the user's comments; hostile files (wrong types, deep nesting, huge strings, escapes) never raise
anything but DecisionsError."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.events.decision_edits import (
    confirm_event,
    merge_events,
    move_article,
    rename_event,
    split_event,
)
from reader.core.events.decisions import DecisionsError, load_decisions, parse_decisions
from reader.core.events.event import Event

EVENT = Event("ev-1", "", ("a", "b", "c"))
OTHER = Event("ev-2", "", ("d", "e"))

# (file text, line of the error, key at fault, words the message must hold)
WRONG_SHAPES = [
    ('[[events]]\nmembers = ["a"]\n', 1, "events", "array of tables [[events]]"),
    ('# x\nevents = "oops"\n', 2, "events", "[events.ID] tables"),
    ("[events]\nx = 3\n", 2, "x", "must be a table"),
    ('[events.x]\nmembers = "a"\n', 2, "members", "list of article ids"),
    ('[events.x]\nmembers = ["a"]\n\n# note\nmembers2 = 1\n', 5, "members2", "unknown key"),
    ('[events.x]\nmembers = ["a", 3]\n', 2, "members", "list of article ids"),
    ('[events.x]\nmembers = ["a", ""]\n', 2, "members", "list of article ids"),
    ('[events.x]\nmembers = ["a"]\nlabel = 7\n', 3, "label", "a string"),
    ('[events.x]\nmembers = ["a"]\nconfirmed = "yes"\n', 3, "confirmed", "true or false"),
    ('[events.x]\nmembers = ["a"]\nexcluded = [[]]\n', 3, "excluded", "list of article ids"),
    ('[events.x]\nmembers = ["a"]\n[events.x.sub]\ny = 1\n', 3, "sub", "unknown key"),
    (
        '[events.y]\nmembers = ["b"]\n[events.x]\nlabel = "ok"\nmembers = {a = 1}\n',
        5,
        "members",
        "list of article ids",
    ),
    ('[events]\nx = {members = ["a"], label = 1}\n', 2, "label", "a string"),
    ('[events]\nx.members = ["a"]\nx.confirmed = 1\n', 3, "confirmed", "true or false"),
    ('[events."a.b"]\nmembers = ["a"]\nlabel = false\n', 3, "label", "a string"),
    ("[notes]\nx = 1\n", 1, "notes", "unknown key 'notes'"),
    ('title = "mine"\n', 1, "title", "unknown key 'title'"),
    ('[events.x]\nmembers = ["a"\n', 3, "", "invalid TOML"),
    ('[events.""]\nmembers = ["a"]\n', 1, "", "must not be empty"),
    (
        '[events.x]\nmembers = ["a", "b"]\nexcluded = ["b"]\n',
        3,
        "excluded",
        "'b' is in both members and excluded",
    ),
]


@pytest.mark.parametrize(("text", "line", "key", "words"), WRONG_SHAPES)
def test_every_wrong_shape_names_path_line_key_and_shape(
    tmp_path: Path, text: str, line: int, key: str, words: str
) -> None:
    path = tmp_path / "events.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DecisionsError) as error:
        load_decisions(path)
    assert error.value.path == path
    assert error.value.line == line
    if key:
        assert error.value.key == key
    message = str(error.value)
    assert message.startswith(f"{path}:{line}: ")
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize(("text", "line", "key", "words"), WRONG_SHAPES)
def test_no_decision_overwrites_an_unusable_file(
    tmp_path: Path, text: str, line: int, key: str, words: str
) -> None:
    path = tmp_path / "events.toml"
    path.write_text(text, encoding="utf-8")
    for decide in (
        lambda: confirm_event(path, EVENT),
        lambda: rename_event(path, EVENT, "x"),
        lambda: split_event(path, EVENT, ["a"]),
        lambda: merge_events(path, [EVENT, OTHER]),
        lambda: move_article(path, "a", EVENT, None),
    ):
        with pytest.raises(DecisionsError):
            decide()
        assert path.read_text(encoding="utf-8") == text


def test_bytes_that_are_not_utf8_are_reported_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_bytes(b'[events.x]\nmembers = ["a"]\nlabel = "\xff"\n')
    with pytest.raises(DecisionsError, match=r":3: not UTF-8"):
        load_decisions(path)
    with pytest.raises(DecisionsError):
        confirm_event(path, EVENT)
    assert path.read_bytes() == b'[events.x]\nmembers = ["a"]\nlabel = "\xff"\n'


def test_deep_nesting_is_an_error_not_a_recursion(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text('[events.x]\nmembers = ["a"]\nlabel = ' + "[" * 50_000 + "\n")
    with pytest.raises(DecisionsError, match=r":3: nested too deeply"):
        load_decisions(path)


def test_huge_strings_and_escapes_in_labels_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    hostile = '\x1b[31mred\x1b[0m \u202eevil\u202c "quoted" \\ back' + "x" * 200_000
    rename_event(path, EVENT, hostile)
    (decision,) = load_decisions(path).events
    assert decision.label == " ".join(hostile.split())  # kept as data, escapes and all
    assert decision.members == EVENT.article_ids


def test_comments_and_the_users_own_layout_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(
        "# my decisions\n[events]\n"
        'kept = { members = ["d", "e"] }  # inline, by hand\n'
        "\n[events.ev-1]  # the flood\n"
        'members = ["a", "b", "c"]\n'
    )
    move_article(path, "d", Event("kept", "", ("d", "e")), EVENT)
    text = path.read_text()
    assert "# my decisions" in text and "# inline, by hand" in text and "# the flood" in text
    decided = {d.id: d for d in load_decisions(path).events}
    assert decided["kept"].members == ("e",) and decided["kept"].excluded == ("d",)
    assert decided["ev-1"].members == ("a", "b", "c", "d")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_windows_file_keeps_its_line_ends_and_its_mark(tmp_path: Path, bom: bytes) -> None:
    # events.toml saved by a Windows editor: CR LF line ends, maybe a byte order mark. A
    # decision written into it keeps both (no line of the file ends in LF alone).
    path = tmp_path / "events.toml"
    mine = b'# my decisions\r\n[events.ev-1]  # the flood\r\nmembers = ["a", "b", "c"]\r\n'
    path.write_bytes(bom + mine)
    rename_event(path, EVENT, "Floods in Derna")
    move_article(path, "d", OTHER, EVENT)
    data = path.read_bytes()
    assert data.startswith(bom + b"# my decisions\r\n[events.ev-1]  # the flood\r\n")
    assert data.count(b"\n") == data.count(b"\r\n") > 3
    assert data.count(b"\xef\xbb\xbf") == len(bom) // 3
    decided = {d.id: d for d in load_decisions(path).events}
    assert decided["ev-1"].label == "Floods in Derna"
    assert decided["ev-1"].members == ("a", "b", "c", "d")


def test_a_file_of_mixed_line_ends_is_not_made_over(tmp_path: Path) -> None:
    # Only a file whose every line ends in CR LF is written so; one that mixes them already
    # gets reader's LF for the lines it writes, and its own lines stay as they are.
    path = tmp_path / "events.toml"
    path.write_bytes(b'# mixed\r\n[events.ev-1]\nmembers = ["a", "b", "c"]\n')
    rename_event(path, EVENT, "Floods")
    data = path.read_bytes()
    assert data.startswith(b"# mixed\r\n[events.ev-1]\n")
    assert data.count(b"\r\n") == 1 and b'label = "Floods"\n' in data


def test_a_table_made_by_taking_out_or_splitting_says_where_it_came_from(
    tmp_path: Path,
) -> None:
    """Each `x` wrote a bare [events.ev-…] table beside the event's excluded list: a person
    reading the file could not tell what it was (found by trying the app)."""
    path = tmp_path / "events.toml"
    taken = move_article(path, "b", EVENT, None)
    new = split_event(path, OTHER, ["e"])
    hostile = Event('ev "x"\n\x1b[31m', "", ("f", "g"))
    odd = move_article(path, "f", hostile, None)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert f"[events.{taken}] # taken out of ev-1: it stands alone" in lines
    assert f"[events.{new}] # split from ev-2" in lines
    comment = next(line for line in lines if odd in line and "#" in line)
    assert "\x1b" not in comment and '# taken out of "ev \\"x\\"\\n\\u001b[31m"' in comment
    decided = {d.id: d for d in load_decisions(path).events}
    assert decided[taken].members == ("b",) and decided["ev-1"].excluded == ("b",)


ALPHABET = string.printable + "\u0627\u0644\u202e\x00\x1b"
VALUES = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(),
        st.text(ALPHABET, max_size=20),
        st.sampled_from(['"a"', "[]", "{}", "1979-05-27", "inf"]),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + "}"
    return str(value) if not isinstance(value, str) or value[:1] in '"[{1i' else f'"{value}"'


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["[events.x]", "[events]", "[[events]]", "[events.x.y]", "", "[other]"]
            ),
            st.sampled_from(
                ["members", "label", "confirmed", "excluded", "x", "x.members", "events"]
            ),
            VALUES,
        ),
        max_size=6,
    )
)
def test_hostile_files_only_ever_raise_decisions_error(
    tmp_path_factory: pytest.TempPathFactory, lines: list[tuple[str, str, object]]
) -> None:
    text = "".join(f"{header}\n{key} = {_toml(value)}\n" for header, key, value in lines)
    path = tmp_path_factory.mktemp("hostile") / "events.toml"
    try:
        decisions = parse_decisions(text, path)
    except DecisionsError as exc:
        assert str(exc).startswith(f"{path}:") and "\n" not in str(exc)
        assert 1 <= exc.line <= text.count("\n") + 1
        return
    path.write_text(text, encoding="utf-8")
    for decision in decisions.events:  # whatever reads, can be edited and still reads
        assert all(isinstance(m, str) and m for m in decision.members)
    confirm_event(path, EVENT)
    assert any(d.id == "ev-1" and d.confirmed for d in load_decisions(path).events)


def test_decisions_know_nothing_of_event_computation() -> None:
    import ast

    import reader.core.events.decisions as module

    tree = ast.parse(Path(module.__file__).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    ours = {name for name in imported if name.startswith("reader.")}
    assert ours <= {
        "reader.core.config",
        "reader.core.events.event",
        "reader.core.files.nesting",
        "reader.core.files.regular",
        "reader.core.files.safe_write",
        "reader.core.files.text_form",
    }


@pytest.mark.parametrize(
    "name",
    ["\\u001b[31m\\nred", "\\u202eevil", "x" * 5000, 'quo\\"te', "a\\\\b"],
)
def test_errors_show_hostile_event_ids_as_one_short_line_of_text(tmp_path: Path, name: str) -> None:
    path = tmp_path / "events.toml"
    path.write_text(f'[events."{name}"]\nmembers = ["a"]\nlabel = 1\n', encoding="utf-8")
    with pytest.raises(DecisionsError) as error:
        load_decisions(path)
    message = str(error.value)
    assert "label must be a string" in message
    assert message.isprintable() and len(message) < len(str(path)) + 200


@pytest.mark.parametrize(
    "text",
    [
        "events = {}\n",
        'events = { ev-9 = { members = ["elsewhere-1", "elsewhere-2"] } }\n',
        "# mine\nevents = {}\n",
    ],
)
def test_an_inline_events_table_takes_a_decision(tmp_path: Path, text: str) -> None:
    # Found by the hostile-files test: tomlkit cannot put a table inside an inline one, and
    # confirming an event crashed with a ValueError.
    path = tmp_path / "events.toml"
    path.write_text(text, encoding="utf-8")
    before = {d.id: d.members for d in load_decisions(path).events}
    confirm_event(path, EVENT)
    after = {d.id: d for d in load_decisions(path).events}
    assert after["ev-1"].confirmed
    assert all(after[i].members == m for i, m in before.items())
    if "# mine" in text:
        assert "# mine" in path.read_text(encoding="utf-8")


def test_a_decision_removes_the_temp_files_a_killed_save_left(tmp_path: Path) -> None:
    # Found by killing a process (kill -9) while it saved a decision, forty times: the file
    # always read back whole with its comments, but each kill could leave a copy of it behind
    # as a hidden temp file (16 of them), and nothing ever removed them.
    path = tmp_path / "events.toml"
    path.write_text('# mine\n[events.ev-1]\nmembers = ["a", "b", "c"]\n', encoding="utf-8")
    left = [tmp_path / ".events.toml.k1ll3d.tmp", tmp_path / ".events.toml.0th3r.tmp"]
    for stale in left:
        stale.write_text("half a file", encoding="utf-8")
    rename_event(path, EVENT, "Sirte week")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert load_decisions(path).events[0].label == "Sirte week"
    assert "# mine" in path.read_text(encoding="utf-8")


def test_merging_into_an_event_the_user_named_keeps_its_name(tmp_path: Path) -> None:
    # Found in tmux: `m` on an article standing alone, then the event the user had named from
    # the list: the shown event comes first and keeps its id, and the named one's table was
    # deleted with its label, so the name the user gave was lost.
    path = tmp_path / "events.toml"
    path.write_text('[events.ev-2]\nmembers = ["d", "e"]\nlabel = "Sirte week"\n', "utf-8")
    alone = Event("ev-a", "An article's own title", ("a",))
    named = Event("ev-2", "Sirte week", ("d", "e"), decided=True)
    merged = merge_events(path, [alone, named])
    decided = {d.id: d for d in load_decisions(path).events}
    assert set(decided) == {merged} == {"ev-a"}
    assert decided["ev-a"].label == "Sirte week"
    assert set(decided["ev-a"].members) == {"a", "d", "e"}
    # the first event's own name, when it has one, wins
    path.write_text(
        '[events.ev-a]\nmembers = ["a"]\nlabel = "Mine"\n'
        '[events.ev-2]\nmembers = ["d", "e"]\nlabel = "Sirte week"\n',
        "utf-8",
    )
    merge_events(path, [alone, named])
    assert [d.label for d in load_decisions(path).events] == ["Mine"]


def test_an_automatic_event_with_the_id_a_decision_took_gets_another() -> None:
    from datetime import date

    from reader.core.events.decisions import Decisions, EventDecision
    from reader.core.events.event import Event, event_id
    from reader.core.events.store import apply_decisions

    automatic = [
        Event(event_id(["a", "b"]), "A and B", ("a", "b")),
        Event(event_id(["c", "d"]), "C and D", ("c", "d")),
    ]
    # Written by hand: the automatic id of a+b, over c and d.
    decisions = Decisions((EventDecision(automatic[0].id, ("c", "d"), label="mine"),))
    found = apply_decisions(automatic, decisions, {"a": date(2024, 1, 1)})
    ids = [e.id for e in found]
    assert len(ids) == len(set(ids)) == 2
    mine = next(e for e in found if e.decided)
    assert (mine.id, mine.article_ids, mine.label) == (automatic[0].id, ("c", "d"), "mine")
    other = next(e for e in found if not e.decided)
    assert (other.id, other.article_ids) == (f"{automatic[0].id}-2", ("a", "b"))


def test_a_decision_refused_by_the_system_is_reported_by_path_and_reason() -> None:
    from reader.app.screens.event_decisions import not_saved

    error = PermissionError(13, "the file is read-only", "/notes/events.toml")
    assert not_saved(error) == "not saved: /notes/events.toml: the file is read-only"
    assert "Errno" not in not_saved(OSError(28, "No space left on device"))
    assert not_saved(ValueError("an event of one article")) == "not saved: an event of one article"


def test_articles_that_stood_alone_put_together_take_no_title_as_their_label() -> None:
    from datetime import date

    from reader.core.events.decisions import Decisions, EventDecision
    from reader.core.events.event import Event, event_id
    from reader.core.events.store import apply_decisions

    alone = [Event(event_id([i]), f"Title of {i}", (i,)) for i in ("a", "b", "c")]
    grouped = Event(event_id(["d", "e"]), "Tripoli · Sirte", ("d", "e"), entities=("tripoli",))
    decisions = Decisions(
        (
            EventDecision("week", ("a", "b")),  # two that stood alone, no label of the user's
            EventDecision("named", ("c",), label="mine"),
            EventDecision("kept", ("d", "e")),  # an event of several: keeps its label
        )
    )
    found = {
        e.id: e for e in apply_decisions([*alone, grouped], decisions, {"a": date(2024, 1, 1)})
    }
    assert (found["week"].label, found["week"].entities, found["week"].article_ids) == (
        "",
        (),
        ("a", "b"),
    )
    assert found["named"].label == "mine"
    assert found["kept"].label == "Tripoli · Sirte"


def test_a_decided_event_takes_its_label_from_the_event_of_several_on_a_tie() -> None:
    from reader.core.events.decisions import Decisions, EventDecision
    from reader.core.events.event import Event, event_id
    from reader.core.events.store import apply_decisions

    alone = Event(event_id(["a"]), "Title of a", ("a",))
    pair = Event(event_id(["b", "c"]), "Tripoli · Sirte", ("b", "c"), entities=("tripoli",))
    # a (standing alone) joined to b, c taken out: one member from each
    decisions = Decisions((EventDecision("mine", ("a", "b"), excluded=("c",)),))
    found = {e.id: e for e in apply_decisions([alone, pair], decisions, {})}
    assert found["mine"].article_ids == ("a", "b")
    assert found["mine"].label == "Tripoli · Sirte"
