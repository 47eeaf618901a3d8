"""Hostile fields: every string reader reads from a file is an attack on the terminal.

A corpus, its sidecar, a file name, a notes file, an events file, a gazetteer and the config,
where EVERY field (title, body, outlet, url, file name, note id, verdict, claim, note, tag,
author, evidence, conflict_of, event id and label, entity name, verdict scale) holds window-title
and clipboard OSC strings, a DCS, a clear-screen CSI, the C1 controls CSI/OSC, a lone ESC, a
newline followed by a forged line, and Rich/Textual markup. Then every CLI command is run on a
pipe and every screen of the app is visited in a real pseudo-terminal; the bytes written never
hold an escape of the files (on a pipe: no ESC at all), a single-line field never starts a line
of its own, and markup is shown as text. The pseudo-terminal harness is the one of
``tests/test_hostile_text.py``.
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.notes.file import file_name_for
from reader.core.search.index import update_index
from reader.core.text.sanitize import one_line
from tests.conftest import SEEDS, write_config
from tests.test_hostile_text import Terminal, assert_inert, run_bytes, terminal, visible

SEED = "000_7b206ec7414ebb17"


def evil(tag: str) -> str:
    """A hostile value for the field ``tag``: what it does if it reaches a terminal raw is set
    the window title, write the clipboard, send a device-control string, clear the screen (7-
    and 8-bit), and start a forged line; the markup would make text bold or quit the app."""
    return (
        f"<{tag} \x1b]2;OWNED-{tag}\x07 \x1b]52;c;T1dORUQ=\x07 \x1bP+qOWNED\x1b\\ \x1b[2J"
        f" \x9b2J \x9d0;OWNED-{tag}\x9c \x85 \x1b \x7f"
        f"\nFORGED-{tag} [bold]B[/] [@click=app.quit]Q[/] {tag}>"
    )


# Config text shown in the app must be one printable line (config refuses anything else, see
# below), so the walk's config holds markup there, not escapes.
MARKUP_AUTHOR = "[bold red]Desk[/] [@click=app.quit]author[/]"
MARKUP_SCALE = "[@click=app.quit]Q[/] scale"


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value)


FILE_STEM = "evil-\x1b]2;OWNED-path\x07-\x9b2J\nFORGED-path"
HOSTILE_ID = one_line(FILE_STEM)
BROKEN_NOTES = "broken-\x1b]2;OWNED-notespath\x07\nFORGED-notespath.toml"


@dataclass(frozen=True)
class World:
    config: Path
    root: Path


def build_world(root: Path) -> World:
    """Write the hostile corpus, notes, events, gazetteer and config under ``root``; index."""
    import shutil

    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    article = corpus / f"{FILE_STEM}.txt"
    article.write_text(
        "Quokka placeholder title\n\n"
        f"Quokka report from Wombatville on the ceasefire. {evil('body')}\n"
        "Wombatville officials said the ceasefire holds near Sirte.\n",
        encoding="utf-8",
    )
    article.with_suffix(".toml").write_text(
        f"title = {toml_string(evil('title') + ' Quokka')}\n"
        f"outlet = {toml_string(evil('outlet'))}\n"
        f"url = {toml_string('https://evil.example/' + evil('url'))}\n"
        "published = 2020-06-05\n",
        encoding="utf-8",
    )
    gazetteer = root / "gazetteer.toml"
    gazetteer.write_text(
        f'[wombatville]\ntype = "place"\nname = {toml_string(evil("entity"))}\n'
        'aliases = ["Wombatville"]\n',
        encoding="utf-8",
    )
    config = write_config(
        root,
        extra=f"\n[notes]\nauthor = {toml_string(MARKUP_AUTHOR)}\n\n[notes.verdicts]\n"
        f"unverified = 0\nfalse = 1\n{toml_string(MARKUP_SCALE)} = 2\n\n"
        f'[entities]\ngazetteer = "{gazetteer}"\n\n'
        f'[keymap]\n{toml_string(evil("keymapid"))} = "x"\n',
    )
    notes = root / "notes"
    notes.mkdir()
    stamps = "created = 2024-05-01T10:00:00+02:00\nupdated = 2024-05-01T10:15:30+02:00\n"
    note_fields = (
        f"verdict = {toml_string(MARKUP_SCALE)}\n"
        f"claim = {toml_string(evil('claim'))}\n"
        f"note = {toml_string(evil('note'))}\n"
        f"tags = [{toml_string(evil('tag'))}]\n"
        f"author = {toml_string(evil('author'))}\n"
        'exact = "Wombatville officials"\nstart = 1\nend = 22\n' + stamps
    )
    evidence = (
        f"[[notes.evidence]]\nurl = {toml_string('https://evil.example/' + evil('evurl'))}\n"
        f"quote = {toml_string(evil('evquote'))}\ncomment = {toml_string(evil('evcomment'))}\n"
        f"[[notes.evidence]]\narticle = {toml_string(evil('evarticle'))}\n"
    )
    (notes / file_name_for(HOSTILE_ID)).write_text(
        f"version = 1\narticle = {toml_string(HOSTILE_ID)}\n\n"
        f"[[notes]]\nid = {toml_string(evil('noteid'))}\n{note_fields}{evidence}\n"
        f"[[notes]]\nid = {toml_string(evil('copyid'))}\n"
        f"conflict_of = {toml_string(evil('conflict'))}\n"
        f"verdict = {toml_string(evil('unknownverdict'))}\n"
        'exact = "Quokka report"\nstart = 0\nend = 13\n' + stamps,
        encoding="utf-8",
    )
    (notes / BROKEN_NOTES).write_text("this is [not toml\n", encoding="utf-8")
    (notes / "events.toml").write_text(
        f"[events.{toml_string(evil('eventid'))}]\n"
        f"members = [{toml_string(HOSTILE_ID)}, {toml_string(SEED)}]\n"
        f"label = {toml_string(evil('label'))}\n",
        encoding="utf-8",
    )
    update_index(load_config(config))
    return World(config, root)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("hostile-fields"))


C1 = re.compile(rb"\xc2[\x80-\x9f]")
FORGED = re.compile(rb"^FORGED-([a-z]+)", re.M)


def check_pipe_output(output: bytes, what: str, multi_line: frozenset[str] = frozenset()) -> None:
    """What reader writes on a pipe: no ESC at all, no C1 control, no forged line."""
    at = output.find(b"\x1b")
    assert at < 0, f"{what}: ESC at byte {at}: {output[max(0, at - 60) : at + 60]!r}"
    found = C1.search(output)
    assert found is None, f"{what}: C1 control at byte {found.start()}"
    assert_inert(output, what)
    for match in FORGED.finditer(output):
        tag = match.group(1).decode()
        before = output[: match.start()].rstrip(b"\n").rstrip(b" ")
        if before.endswith("\u2424".encode()):
            continue  # the newline shown as ␤ ends a row a long field was wrapped at (--width)
        assert tag in multi_line, f"{what}: the {tag} field started a line of its own"


def test_the_world_really_is_hostile(world: World) -> None:
    """The checks can fail: the files themselves trip them, and reader reads every field."""
    raw = b"".join(p.read_bytes() for p in (world.root / "notes").glob("*.toml"))
    raw += (world.root / "corpus" / f"{FILE_STEM}.toml").read_bytes()
    assert b"\\u001b]2;OWNED-noteid" in raw and b"\\u009b2J" in raw  # escaped in TOML ...
    config = load_config(world.config)
    from reader.core.notes.store import NotesStore

    notes = NotesStore(config).load(HOSTILE_ID)
    assert [n.id for n in notes] == [evil("noteid"), evil("copyid")]  # ... raw once read
    printed = "\n".join(f"{n.id} {n.verdict} {n.conflict_of}" for n in notes).encode()
    with pytest.raises(AssertionError):
        check_pipe_output(printed, "the notes printed raw")
    assert FORGED.search(printed)


CLI_RUNS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("index", "--rebuild"), frozenset()),
    (("search", "quokka"), frozenset()),
    (("search", "quokka", "--json"), frozenset()),
    (("search", "wombatville", "--outlet", evil("outlet")), frozenset()),
    (("show", HOSTILE_ID), frozenset({"body"})),
    (("show", HOSTILE_ID, "--logical"), frozenset({"body"})),
    (("show", HOSTILE_ID, "--visual", "--width", "80"), frozenset({"body"})),
    (("show", HOSTILE_ID, "--json"), frozenset()),
    (("show", evil("missing")), frozenset()),
    (("compare", HOSTILE_ID, SEED), frozenset()),
    (("compare", HOSTILE_ID, SEED, "--json"), frozenset()),
    (("events",), frozenset()),
    (("events", "--all", "--scores"), frozenset()),
    (("events", "--json", "--scores"), frozenset()),
    (("events", "--since", "2020-06", "--until", "2020-06"), frozenset()),
    (("events", "--one-sided", "--json"), frozenset()),
    (("notes", "list"), frozenset()),
    (("notes", "list", HOSTILE_ID), frozenset()),
    (("notes", "list", HOSTILE_ID, "--json"), frozenset()),
    (("notes", "list", "--verdict", MARKUP_SCALE), frozenset()),
)


@pytest.mark.parametrize(("args", "multi_line"), CLI_RUNS, ids=lambda v: str(v)[:40])
def test_cli_command_writes_no_escape(
    world: World, args: tuple[str, ...], multi_line: frozenset[str]
) -> None:
    result = run_bytes(world.config, *args)
    assert b"internal error" not in result.stderr, result.stderr
    what = "reader " + " ".join(one_line(a) for a in args)
    check_pipe_output(result.stdout, what + " (stdout)", multi_line)
    check_pipe_output(result.stderr, what + " (stderr)")
    shows_fields = args[0] in ("search", "show", "compare", "notes", "events")
    if shows_fields and "--json" not in args and args[1:2] != (evil("missing"),):
        assert b"OWNED" in result.stdout, what  # the fields were printed, as symbols


def test_a_config_with_a_hostile_key_name_is_refused_inertly(world: World, tmp_path: Path) -> None:
    text = world.config.read_text(encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(text + f"language = {toml_string('l,' + evil('key'))}\n", encoding="utf-8")
    result = run_bytes(config, "search", "quokka")
    assert result.returncode == 2
    check_pipe_output(result.stderr, "reader with a hostile [keymap]")
    assert b"[keymap] language: must be a key name" in result.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (f"author = {toml_string(MARKUP_AUTHOR)}", f"author = {toml_string(evil('author'))}"),
        (f"{toml_string(MARKUP_SCALE)} = 2", f"{toml_string(evil('scale'))} = 2"),
    ],
    ids=["author", "verdict name"],
)
def test_a_config_with_a_hostile_author_or_verdict_is_refused_inertly(
    world: World, tmp_path: Path, old: str, new: str
) -> None:
    """Config text shown in the app (author, verdict names) must be one printable line: a
    hostile one is refused when config is read, and the message itself is inert."""
    text = world.config.read_text(encoding="utf-8")
    assert old in text
    config = tmp_path / "config.toml"
    config.write_text(text.replace(old, new), encoding="utf-8")
    result = run_bytes(config, "search", "quokka")
    assert result.returncode == 2
    check_pipe_output(result.stderr, "reader with a hostile author or verdict name")
    assert b"[notes" in result.stderr and b"one line" in result.stderr


def test_cli_notes_add_and_export_write_no_escape(world: World, tmp_path: Path) -> None:
    added = run_bytes(
        world.config,
        *("notes", "add", HOSTILE_ID, "--quote", "Wombatville officials"),
        *("--verdict", MARKUP_SCALE, "--note", evil("typednote"), "--tag", evil("typedtag")),
        *("--claim", evil("typedclaim"), "--evidence", "https://evil.example/\x1b]2;OWNED\x07"),
    )
    assert added.returncode == 0, added.stderr
    check_pipe_output(added.stdout + added.stderr, "reader notes add")
    twice = run_bytes(world.config, "notes", "add", HOSTILE_ID, "--quote", "Wombatville")
    assert twice.returncode == 2  # the quote occurs twice: the occurrences are listed
    check_pipe_output(twice.stderr, "reader notes add (ambiguous)")
    unknown = run_bytes(world.config, "notes", "add", evil("missing"), "--quote", "x")
    check_pipe_output(unknown.stderr, "reader notes add (unknown article)")
    listed = run_bytes(world.config, "notes", "list", HOSTILE_ID)
    check_pipe_output(listed.stdout + listed.stderr, "reader notes list after add")
    assert b"OWNED-typedclaim" in listed.stdout
    for form in ("claimreview", "markdown", "csv"):
        printed = run_bytes(world.config, "notes", "export", "--format", form)
        check_pipe_output(printed.stderr, f"notes export {form} (stderr)")
        # The documents themselves (reader.core.notes.export) may lay a field out over lines (a
        # Markdown quote, a CSV cell); what matters on a terminal is that nothing acts on it.
        assert b"\x1b" not in printed.stdout and C1.search(printed.stdout) is None, form
        assert_inert(printed.stdout, f"notes export --format {form}")


# -- the app, in a real pseudo-terminal ---------------------------------------------------------

OSC_OWNED = re.compile(rb"\x1b\][^\x07\x1b]*OWNED")


def check_terminal_output(output: bytes, what: str) -> None:
    """The app's bytes: Textual's own CSI sequences only; nothing of the files."""
    assert_inert(output, what)
    for name, pattern in (
        ("OSC naming OWNED", OSC_OWNED),
        ("an OSC but Textual's pointer shape (22)", re.compile(rb"\x1b\](?!22;[a-z-]+\x07)")),
        ("DCS", re.compile(rb"\x1bP")),
        ("C1 control", C1),
        ("clear screen", re.compile(re.escape(b"\x1b[2J"))),
    ):
        found = pattern.search(output)
        assert found is None, f"{what}: {name} at byte {found.start()}: " + repr(
            output[max(0, found.start() - 40) : found.end() + 40]
        )


def walk_the_app(term: Terminal, seen: dict[str, str]) -> None:
    """Visit every screen and widget of the app; ``seen`` gets the text each step drew."""

    def step(name: str, keys: str, needle: bytes | None, pause: float = 0.0) -> None:
        at = len(term.output)
        term.send(keys)
        if needle is not None:
            term.wait_for(needle, start=at)
        if pause:
            time.sleep(pause)
        seen[name] = visible(term.output[at:])

    term.wait_for(b"articles")
    step("results list", "quokka", b"1 result", 0.5)
    term.send("\x1b")  # to the results (Enter would open the best hit already)
    time.sleep(0.6)
    step("article", "\r", b"note(s)", 1.0)  # article view, header and notes panel
    term.send("\t")  # the article has the focus: filter keys are the app's
    time.sleep(0.3)
    for number in range(1, 5):  # each outlet in turn (the seeds have a few), then all
        step(f"outlet filter {number}", "o", b"outlet:", 0.4)
    step("language filter", "l", b"lang:", 0.4)
    step("help", "?", b"reader: keys", 0.3)
    term.send("\x1b")  # a lone ESC: Textual waits a moment to be sure
    time.sleep(0.6)
    step("command palette", "\x10", b"Search for commands", 0.3)
    step("command palette search", "note", None, 1.5)
    term.send("\x1b")
    time.sleep(0.6)
    term.send("\t")  # from the article to the notes list
    time.sleep(0.5)
    step("note editor", "\r", b"Claim (the checkable", 0.8)
    term.send("\x1b")
    time.sleep(0.8)
    step("delete confirmation", "d", b"Delete the note", 0.5)
    term.send("n")
    time.sleep(0.5)
    step("compare screen", "c", b"Divergences", 2.0)
    step("article picker", "o", b"Compare with", 0.8)
    term.send("\x1b")
    time.sleep(0.8)
    term.send("q")  # closes the compare screen
    time.sleep(0.8)
    term.send("q")
    term.process.wait(timeout=60)


@pytest.mark.slow
def test_app_every_screen_writes_no_escape(world: World) -> None:
    args = [sys.executable, "-m", "reader", "--config", str(world.config)]
    seen: dict[str, str] = {}
    with terminal(args, world.root, columns=150, lines=45) as term:
        try:
            walk_the_app(term, seen)
        finally:  # a leak is reported first, even when a later step failed
            check_terminal_output(term.output, "the app")
    assert term.process.returncode == 0, visible(term.output)[-2000:]
    # Each widget really drew its hostile fields: as visible symbols, markup as text.
    expected = {
        "results list": ("OWNED-title", "OWNED-outlet", "[bold]B[/]", "[@click=app.quit]Q[/]"),
        "article": ("OWNED-body", "OWNED-path", "Q[/] scale", "OWNED-conflict"),
        "note editor": ("OWNED-claim", "OWNED-tag"),
        "delete confirmation": ("Delete the note", "OWNED-claim"),
        "compare screen": ("OWNED-label",),
        "article picker": ("OWNED-title",),
    }
    for name, words in expected.items():
        for word in words:
            assert word in seen[name], f"{name}: {word!r} not drawn"
    outlets = "".join(text for name, text in seen.items() if name.startswith("outlet"))
    assert "␤FORGED-outlet" in outlets  # the newline drawn as a symbol, on the filter's row


# -- markup: never parsed from text built at run time ------------------------------------------

APP = Path(__file__).resolve().parent.parent / "reader" / "app"
# Textual parses a str given to these as markup ("[b]", "[@click=...]").
MARKUP_PARSERS = frozenset({"Static", "Label", "Button", "Option", "Selection", "update"})


def markup_risks(source: str, name: str) -> list[str]:
    """Calls in ``source`` that could hand text from a file to Textual's markup parser: a
    string built at run time (f-string, concatenation, ``%``, ``.format``, ``.join``) given to
    a widget that parses markup, a ``notify`` without ``markup=False``, a ``Select`` whose
    option prompts are plain strings."""
    import ast

    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        where = f"{name}:{node.lineno}: {ast.unparse(node)[:70]}"
        keywords = {k.arg: k.value for k in node.keywords}
        no_markup = isinstance(keywords.get("markup"), ast.Constant) and not getattr(
            keywords["markup"], "value", True
        )
        if called == "notify" and not no_markup:
            found.append(where)
        if called in MARKUP_PARSERS and node.args and not no_markup:
            first = node.args[0]
            built = isinstance(first, ast.JoinedStr | ast.BinOp) or (
                isinstance(first, ast.Call)
                and isinstance(first.func, ast.Attribute)
                and first.func.attr in ("format", "join")
            )
            if built:
                found.append(where)
        if called == "Select" and node.args:
            options = node.args[0]
            element = options.elt if isinstance(options, ast.ListComp) else None
            if isinstance(element, ast.Tuple) and not isinstance(element.elts[0], ast.Call):
                found.append(where)
    return found


def test_the_app_never_hands_built_text_to_a_markup_parser() -> None:
    risks = [
        risk
        for path in sorted(APP.rglob("*.py"))
        for risk in markup_risks(path.read_text(encoding="utf-8"), path.name)
    ]
    assert risks == [], "\n".join(risks)


def test_the_markup_check_can_fail() -> None:
    source = (
        "Static(f'{article.title}')\nself.notify(message)\nLabel('a' + title)\n"
        "Select([(v, v) for v in verdicts])\nOption(' '.join(tags))\n"
        "Static(Text(title))\nself.notify(message, markup=False)\n"
    )
    assert len(markup_risks(source, "x")) == 5


# -- the sanitiser itself ----------------------------------------------------------------------


def test_one_line_and_sanitize_keep_offsets_and_leave_no_control() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from reader.core.text.sanitize import sanitize

    controls = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

    @given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
    def check(text: str) -> None:
        flat, kept = one_line(text), sanitize(text)
        assert len(flat) == len(text) and len(kept) == len(text)  # offsets stay valid
        assert controls.search(flat) is None
        assert controls.search(kept.replace("\n", "").replace("\t", "")) is None
        assert kept.count("\n") == text.count("\n")  # text of several lines keeps its lines

    check()
    assert one_line("a\nb\tc\x1b]2;x\x07\x9b") == "a␤b c␛]2;x␇\ufffd"


def test_a_one_line_field_cannot_reorder_the_line_it_is_printed_on() -> None:
    """A file name ``report\\u202etxt.exe`` read as ``reportexe.txt`` in reader's own message
    (found by trying the app with such a file): embeddings, overrides and isolates in a
    one-line field are drawn as U+FFFD; the marks real Arabic titles hold are kept."""
    name = "/tmp/report\u202etxt.exe"
    message = one_line(f"{name}: skipped: not a regular file")
    assert message == "/tmp/report\ufffdtxt.exe: skipped: not a regular file"
    for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert one_line(f"a{control}b") == "a\ufffdb"
    title = "\u200fعنوان\u200f \u061c2020"
    assert one_line(title) == title
