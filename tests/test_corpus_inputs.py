"""Input files that used to stop a whole run: a file name that is not UTF-8, deeply nested JSON
and TOML, symbolic links out of the corpus, and Arabic UTF-16 without a byte-order mark. Each
must cost at most its own file, reported by name and reason; everything else is indexed."""

from __future__ import annotations

import importlib.util
import marshal
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reader.core.config import ConfigError, load_config
from reader.core.files.nesting import MAX_NESTING, too_deep
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from reader.core.sources import corpus as corpus_module
from reader.core.sources.corpus import SkipKind, Skipped, SourceFile, read_source, scan_corpus
from reader.core.text.decode import NotText, decode_bytes
from tests.conftest import ARABIC_SEED, SEEDS, CliRunner, write_config

CP1256_NAME = "مصر".encode("cp1256")  # b"\xe3\xd5\xd1": not UTF-8
ESCAPED_NAME = "\\xe3\\xd5\\xd1"


def make_corpus(tmp_path: Path, extra: str = "") -> Path:
    """A corpus folder with one good article; returns the config file's path."""
    (tmp_path / "corpus").mkdir(parents=True)
    good = "A good article\n\nSirte is a city on the coast.\n"
    (tmp_path / "corpus" / "good.txt").write_text(good, encoding="utf-8")
    return write_config(tmp_path, extra=extra)


def write_bytes_name(folder: Path, name: bytes, data: bytes) -> None:
    """Create a file whose name is raw bytes, as a Windows zip unpacks it."""
    fd = os.open(os.fsencode(folder) + b"/" + name, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def skips_by_name(skipped: list[Skipped]) -> dict[str, Skipped]:
    return {s.path.name: s for s in skipped}


# -- 1. a file name that is not UTF-8 ---------------------------------------------------------


def test_non_utf8_file_name_is_indexed_under_an_escaped_id(tmp_path: Path) -> None:
    config = load_config(make_corpus(tmp_path))
    body = "Cairo title\n\nThe Nile flows through the capital.\n"
    write_bytes_name(tmp_path / "corpus", CP1256_NAME + b".txt", body.encode())
    write_bytes_name(tmp_path / "corpus", CP1256_NAME + b".toml", b'outlet = "Ahram"\n')
    report = update_index(config)
    assert report.skipped == []
    with Searcher(config) as searcher:
        assert set(searcher.ids()) == {"good", ESCAPED_NAME}
        article = searcher.article(ESCAPED_NAME)
        assert article is not None and article.outlet == "Ahram"
        assert article.source == str(tmp_path / "corpus" / f"{ESCAPED_NAME}.txt")
    # The manifest keeps the real name: a second run finds nothing changed.
    again = update_index(config)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 2)


def test_non_utf8_names_in_the_cli(tmp_path: Path, run_cli: CliRunner) -> None:
    config_path = make_corpus(tmp_path / "c")
    write_bytes_name(tmp_path / "c" / "corpus", CP1256_NAME + b".txt", b"Cairo\n\nNile text\n")
    write_bytes_name(tmp_path / "c" / "corpus", b"\xe3-empty.md", b"")
    result = run_cli("index", config=config_path)
    assert result.returncode == 0, result.stderr
    assert "2 articles indexed" in result.stderr
    assert "\\xe3-empty.md: skipped: empty file" in result.stderr  # the name's byte, visible
    shown = run_cli("show", ESCAPED_NAME, config=config_path)
    assert shown.returncode == 0, shown.stderr
    assert f"source: {tmp_path / 'c' / 'corpus' / ESCAPED_NAME}.txt" in shown.stdout
    found = run_cli("search", "Nile", "--json", config=config_path)
    assert found.returncode == 0 and ESCAPED_NAME.replace("\\", "\\\\") in found.stdout


def test_lone_surrogate_escapes_in_json_do_not_stop_indexing(tmp_path: Path) -> None:
    config = load_config(make_corpus(tmp_path))
    record = '{"id": "a\\ud800", "title": "Bad \\udce3 title", "body": "text \\ud83d here"}\n'
    (tmp_path / "corpus" / "feed.jsonl").write_text(record, encoding="utf-8")
    report = update_index(config)
    assert report.skipped == []
    with Searcher(config) as searcher:
        article = searcher.article("feed/a\ufffd")
        assert article is not None and article.title == "Bad \ufffd title"


def test_distinct_byte_names_get_distinct_ids(tmp_path: Path) -> None:
    for name in (b"\xe3.txt", b"\xe4.txt", "ã.txt".encode()):
        write_bytes_name(tmp_path, name, b"T\n\nbody " + name + b"\n")
    os.mkdir(os.fsencode(tmp_path) + b"/\xe3dir")
    write_bytes_name(tmp_path, b"\xe3dir/a.txt", b"T\n\nin a folder with a cp1256 name\n")
    config = load_config(write_config(tmp_path, corpus="."))
    ids = [s.file_id for s in scan_corpus(config) if isinstance(s, SourceFile)]
    assert sorted(ids) == ["\\xe3", "\\xe3dir/a", "\\xe4", "ã"]


# -- 2. deeply nested JSON and TOML -----------------------------------------------------------

DEEP_ARRAY = "[" * 3000 + "]" * 3000  # about 6 KB
DEEP_OBJECT = '{"a": ' * 3000 + "1" + "}" * 3000


@pytest.mark.parametrize(
    ("name", "text", "reason", "kind"),
    [
        ("deep.json", DEEP_ARRAY, "JSON nested deeper than 100 levels at line 1", "too-deep"),
        (
            "object.json",
            '{"title": "x",\n "body":\n' + DEEP_OBJECT + "}",
            "JSON nested deeper than 100 levels at line 3",
            "too-deep",
        ),
        (
            "feed.jsonl",
            '{"title": "Fine", "body": "line one"}\n' + DEEP_ARRAY + "\n",
            "line 2: JSON nested deeper than 100 levels",
            "too-deep",
        ),
        (
            "side.toml",
            "title = " + DEEP_ARRAY + "\n",
            "TOML nested deeper than 100 levels at line 1; side.txt is indexed without its "
            "metadata",
            "bad-sidecar",
        ),
        (
            "side.toml",
            'outlet = "x"\nmeta = ' + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
            "TOML nested deeper than 100 levels at line 2; side.txt is indexed without its "
            "metadata",
            "bad-sidecar",
        ),
    ],
)
def test_deep_nesting_skips_one_file_with_its_line(
    tmp_path: Path, name: str, text: str, reason: str, kind: str
) -> None:
    config = load_config(make_corpus(tmp_path))
    (tmp_path / "corpus" / name).write_text(text, encoding="utf-8")
    if name == "side.toml":
        (tmp_path / "corpus" / "side.txt").write_text("Side title\n\nSide body\n", encoding="utf-8")
    report = update_index(config)
    assert [(s.path.name, s.reason, s.kind) for s in report.skipped] == [(name, reason, kind)]
    with Searcher(config) as searcher:
        ids = set(searcher.ids())
    assert "good" in ids
    if name == "feed.jsonl":
        assert "feed/1" in ids  # the good line of the same file is still indexed
    if name == "side.toml":
        assert "side" in ids


def test_json_numbers_past_pythons_digit_limit(tmp_path: Path) -> None:
    config = load_config(make_corpus(tmp_path))
    huge = "9" * 5000
    (tmp_path / "corpus" / "big.json").write_text(
        f'{{"id": "n1", "title": "Big number", "body": "x", "count": {huge}}}', encoding="utf-8"
    )
    (tmp_path / "corpus" / "side.txt").write_text("Side\n\nbody\n", encoding="utf-8")
    (tmp_path / "corpus" / "side.toml").write_text(f"count = {huge}\n", encoding="utf-8")
    report = update_index(config)
    assert [(s.path.name, s.kind) for s in report.skipped] == [("side.toml", "bad-sidecar")]
    assert report.skipped[0].reason.startswith("invalid TOML")
    with Searcher(config) as searcher:
        assert {"good", "big/n1", "side"} <= set(searcher.ids())


def test_any_failure_reading_one_file_skips_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The class, not the cases: whatever a parser raises, the run goes on."""
    config = load_config(make_corpus(tmp_path))
    (tmp_path / "corpus" / "cursed.txt").write_text("Cursed\n\nbody\n", encoding="utf-8")
    real = corpus_module._from_text

    def explode(article_id: str, *args: object, **kwargs: object) -> object:
        if article_id == "cursed":
            raise RuntimeError("something nobody foresaw")
        return real(article_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_module, "_from_text", explode)
    report = update_index(config)
    assert [(s.path.name, s.kind) for s in report.skipped] == [("cursed.txt", SkipKind.ERROR)]
    assert "RuntimeError: something nobody foresaw" in report.skipped[0].reason
    assert report.total == 1


@pytest.mark.parametrize("syntax", ["json", "toml"])
def test_nesting_limit_is_exact_and_ignores_strings(syntax: str) -> None:
    key = '"k": ' if syntax == "json" else "k = "
    at_limit = key + "[" * MAX_NESTING + "]" * MAX_NESTING
    assert too_deep(at_limit, syntax) is None
    assert too_deep(key + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), syntax) == 1
    quoted = key + '"' + "[" * 500 + '"'
    assert too_deep(quoted, syntax) is None
    escaped = key + '"\\"' + "[" * 500 + '"'  # an escaped quote does not end the string
    assert too_deep(escaped, syntax) is None
    flat = "\n".join(key + "[[1], [2]]" for _ in range(200))  # many brackets, all shallow
    assert too_deep(flat, syntax) is None
    late = "\n" * 4 + key + "[" * 200
    assert too_deep(late, syntax) == 5


def test_toml_comments_and_literal_strings_do_not_count() -> None:
    text = "# " + "[" * 500 + "\na = '" + "{" * 500 + "'\nb = '''\n" + "[" * 500 + "\n'''\n"
    assert too_deep(text, "toml") is None


# -- 3. symbolic links out of the corpus ------------------------------------------------------


def outside_files(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "keys").mkdir(parents=True)
    (outside / "secret.txt").write_text("Secret\n\nhunter2 password\n", encoding="utf-8")
    (outside / "keys" / "id_rsa.txt").write_text("Key\n\nPRIVATE KEY material\n", "utf-8")
    (outside / "meta.toml").write_text('title = "Leaked"\n', encoding="utf-8")
    return outside


def test_links_out_of_the_corpus_are_refused_and_reported(tmp_path: Path) -> None:
    outside = outside_files(tmp_path)
    config = load_config(make_corpus(tmp_path))
    corpus = tmp_path / "corpus"
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "ssh").symlink_to(outside / "keys", target_is_directory=True)
    (corpus / "story.txt").write_text("Story\n\nA story.\n", encoding="utf-8")
    (corpus / "story.toml").symlink_to(outside / "meta.toml")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "alias.txt").symlink_to(corpus / "story.txt")  # inside: fine
    (corpus / "sub" / "up").symlink_to(corpus, target_is_directory=True)  # a loop
    report = update_index(config)
    refused = {s.path.name: s for s in report.skipped}
    assert set(refused) == {"passwd.txt", "ssh", "story.toml"}
    assert all(s.kind == SkipKind.LINK_OUTSIDE for s in refused.values())
    assert str(refused["passwd.txt"]) == (
        f"{corpus / 'passwd.txt'}: refused: a link to a file outside the corpus folders "
        f"({outside / 'secret.txt'}); set [corpus] follow_links_outside = true to read it"
    )
    assert f"a link to a folder outside the corpus folders ({outside / 'keys'})" in str(
        refused["ssh"]
    )
    assert f"a link to a sidecar outside the corpus folders ({outside / 'meta.toml'})" in str(
        refused["story.toml"]
    )
    with Searcher(config) as searcher:
        articles = list(searcher.articles())
    assert {a.id for a in articles} in ({"good", "story"}, {"good", "sub/alias"})
    assert not any("hunter2" in a.body or "PRIVATE" in a.body for a in articles)
    assert "Leaked" not in {a.title for a in articles}  # the refused sidecar's title
    assert [d for d, _ in report.duplicates] in (["story"], ["sub/alias"])


def test_links_out_of_the_corpus_when_the_config_allows_them(tmp_path: Path) -> None:
    outside = outside_files(tmp_path)
    (outside / "keys" / "back").symlink_to(outside, target_is_directory=True)  # a loop outside
    config = load_config(make_corpus(tmp_path, extra="\n"))
    text = config.source.read_text(encoding="utf-8")  # type: ignore[union-attr]
    config.source.write_text(  # type: ignore[union-attr]
        text.replace("[storage]", "follow_links_outside = true\n\n[storage]"), encoding="utf-8"
    )
    config = load_config(config.source)
    assert config.follow_links_outside
    corpus = tmp_path / "corpus"
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "ssh").symlink_to(outside / "keys", target_is_directory=True)
    report = update_index(config)
    # The outside folder's stray meta.toml (no meta.txt beside it) is counted, not read.
    assert [(s.path.name, s.kind) for s in report.skipped] == [("meta.toml", SkipKind.UNSUPPORTED)]
    # ssh/back leads to the outside folder: its secret.txt is read once more (a duplicate of
    # passwd), and its link back to keys/ is not walked again.
    assert report.duplicates == [("ssh/back/secret", "passwd")]
    with Searcher(config) as searcher:
        assert set(searcher.ids()) == {"good", "passwd", "ssh/id_rsa"}


def test_a_file_turned_into_an_outside_link_after_the_scan_is_refused(tmp_path: Path) -> None:
    outside = outside_files(tmp_path)
    config = load_config(make_corpus(tmp_path))
    path = tmp_path / "corpus" / "good.txt"
    [source] = [s for s in scan_corpus(config) if isinstance(s, SourceFile)]
    path.unlink()
    path.symlink_to(outside / "secret.txt")
    articles, skipped = read_source(source, config)
    assert articles == [] and [s.kind for s in skipped] == [SkipKind.LINK_OUTSIDE]


def test_broken_links_and_fifos_are_reported_not_read(tmp_path: Path) -> None:
    config = load_config(make_corpus(tmp_path))
    corpus = tmp_path / "corpus"
    (corpus / "dangling.txt").symlink_to(corpus / "gone.txt")
    (corpus / "a.md").symlink_to(corpus / "b.md")
    (corpus / "b.md").symlink_to(corpus / "a.md")
    os.mkfifo(corpus / "pipe.txt")  # reading it would block for ever
    found = list(scan_corpus(config))
    reasons = {s.path.name: s.reason for s in found if isinstance(s, Skipped)}
    assert reasons["dangling.txt"] == "a broken link (No such file or directory)"
    assert reasons["a.md"] == reasons["b.md"] == "a broken link (Too many levels of symbolic links)"
    assert reasons["pipe.txt"] == "not a regular file"
    assert [s.path.name for s in found if isinstance(s, SourceFile)] == ["good.txt"]


def test_follow_links_outside_must_be_a_boolean(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    path = tmp_path / "config.toml"
    path.write_text('[corpus]\npaths = ["corpus"]\nfollow_links_outside = "yes"\n', "utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (
        f"{path}:3: [corpus] follow_links_outside: must be true or false, not 'yes'"
    )


def test_cli_names_every_refused_and_skipped_file(tmp_path: Path, run_cli: CliRunner) -> None:
    outside = outside_files(tmp_path)
    config_path = make_corpus(tmp_path / "c")
    corpus = tmp_path / "c" / "corpus"
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "deep.json").write_text(DEEP_ARRAY, encoding="utf-8")
    (corpus / "blob.txt").write_bytes(random.Random(1).randbytes(3000))
    result = run_cli("index", config=config_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert f"reader: {corpus / 'passwd.txt'}: refused: a link to a file outside" in result.stderr
    assert f"reader: {corpus / 'deep.json'}: skipped: JSON nested deeper" in result.stderr
    assert f"reader: {corpus / 'blob.txt'}: skipped: binary file" in result.stderr
    assert sum(line.startswith("reader: /") for line in lines) == 3
    assert "1 article indexed" in result.stderr and "3 skipped" in result.stderr


# -- 4. UTF-16 (and UTF-32) without a byte-order mark -----------------------------------------

SEED_TITLE = "المسماري يعلن رسميا السيطرة على مناطق جديدة غرب ليبيا"


@pytest.mark.parametrize(
    "encoding",
    ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-8-sig", "cp1256", "utf-8"],
)
def test_arabic_in_every_supported_encoding(tmp_path: Path, encoding: str) -> None:
    text = (SEEDS / f"{ARABIC_SEED}.txt").read_text(encoding="utf-8")
    text = text.encode(encoding, errors="ignore").decode(encoding)  # cp1256 lacks a few
    (tmp_path / "copy.txt").write_bytes(text.encode(encoding))
    config = load_config(write_config(tmp_path, corpus="."))
    [source] = [s for s in scan_corpus(config) if isinstance(s, SourceFile)]
    [article], skipped = read_source(source, config)
    assert skipped == []
    assert article.lang == "ar" and article.title == SEED_TITLE
    assert "الوطية" in article.body


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_without_bom_english_and_pure_arabic(encoding: str) -> None:
    english = "Libyan forces advance\n\nThe city of Sirte was taken.\n"
    assert decode_bytes(english.encode(encoding)) == (english, encoding)
    arabic = "سرتبنغازيطرابلس"  # no space, so no zero byte at all
    assert decode_bytes(arabic.encode(encoding)) == (arabic, encoding)


def binaries() -> dict[str, bytes]:
    rng = random.Random(11)
    code = compile("import os\nprint(os.getcwd())\n" * 50, "x.py", "exec")
    return {
        "png": b"\x89PNG\r\n\x1a\n" + rng.randbytes(500),
        "random": rng.randbytes(5000),
        # Latin-1-like UTF-16-BE, but random: a quarter are control characters.
        "random-even-zeros": bytes(b if i % 2 else 0 for i, b in enumerate(rng.randbytes(5000))),
        "zeros": bytes(4000),
        # Text-like bytes in no whole number of UTF-16 or UTF-32 units: read as UTF-16 "a"
        # (the "b" dropped) before (found by trying the app); likewise 4097 bytes of "a\0".
        "odd-nul": b"a\x00b",
        "odd-utf16-like": b"a\x00" * 2048 + b"a",
        "bytecode": importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code),
    }


@pytest.mark.parametrize("name", sorted(binaries()))
def test_binary_data_is_still_binary(name: str) -> None:
    with pytest.raises(NotText):
        decode_bytes(binaries()[name])


def test_a_zip_is_still_binary(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as archive:
        archive.writestr("x.txt", "سرت " * 200)
    with pytest.raises(NotText):
        decode_bytes((tmp_path / "a.zip").read_bytes())


# -- a title that would hold the build for hours ----------------------------------------------


def test_a_title_with_a_huge_run_of_spaces_is_read_in_linear_time(tmp_path: Path) -> None:
    """The default title_suffix (\\s+\\|...) took time quadratic in a run of spaces: two
    million spaces in a title line held the build for hours. A bound of a minute is generous
    (it takes well under a second now) and fails the old code by hours."""
    path = tmp_path / "spaces.txt"
    path.write_text("Headline" + " " * 2_000_000 + "end | Site\n\nbody text\n", "utf-8")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reader.core.config import Config\n"
        "from reader.core.sources.corpus import SourceFile, read_source\n"
        "p = Path(sys.argv[1])\n"
        "c = Config(corpus_paths=(p.parent,), data_dir=p.parent, notes_dir=p.parent)\n"
        "s = p.stat()\n"
        "[a], _ = read_source(SourceFile(p, p.parent, s.st_size, s.st_mtime_ns), c)\n"
        "print(a.title)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.stdout == "Headline end\n"
