"""The index always recovers: killed rebuilds (their writer processes die too and the lock is
free again), a full disk (one line, nothing left behind), and files changed or damaged behind
its back."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh.analysis import Analyzer, Token

from reader.core.config import load_config
from reader.core.search.index import PARALLEL_FROM, IndexUnavailable, update_index
from reader.core.search.searcher import Searcher
from tests.index_files import small_tmpfs

LINUX = sys.platform.startswith("linux")


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough generated articles for a rebuild to use two writer processes (read-only)."""
    from tests.bench.corpus_gen import ensure_corpus, load_vocabulary

    folder = tmp_path_factory.mktemp("big") / "corpus"
    ensure_corpus(folder, load_vocabulary(use_wordfreq=False), 11, PARALLEL_FROM + 40)
    return folder


def big_config(tmp_path: Path, corpus: Path, data: str = "data") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[corpus]\npaths = ["{corpus}"]\n\n[storage]\ndata_dir = "{data}"\nnotes_dir = "notes"\n',
        encoding="utf-8",
    )
    return path


def tagged(tag: str) -> list[int]:
    """Pids of the processes whose environment carries READER_TEST_TAG=tag."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"READER_TEST_TAG={tag}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def start_reader(config: Path, *args: str, tag: str) -> subprocess.Popen[str]:
    env = {**os.environ, "READER_TEST_TAG": tag, "PYTHONIOENCODING": "utf-8"}
    env.pop("READER_CONFIG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "--config", str(config), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def cpu_ticks(pid: int) -> int:
    """User and system CPU time a process has used, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def working(tag: str, parent: int, children: int) -> bool:
    """Whether ``children`` processes of ``parent`` (by tag) run and have used CPU time: past
    reading what their parent hands a new process (a child killed before that, with its
    parent, prints Python's own EOFError from multiprocessing: a race in the test's timing,
    not a state the index can be left in)."""
    busy = [pid for pid in tagged(tag) if pid != parent and cpu_ticks(pid) >= 10]
    return len(busy) >= children  # (a resource tracker among them uses next to nothing)


def wait_for(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(not LINUX, reason="finds processes through /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_parallel_rebuild_leaves_no_writer_and_no_lock(
    tmp_path: Path, big_corpus: Path, how: signal.Signals
) -> None:
    config_path = big_config(tmp_path, big_corpus)
    tag = uuid.uuid4().hex
    proc = start_reader(config_path, "index", "--rebuild", tag=tag)
    try:
        # Kill it while its two writer processes are working.
        wait_for(lambda: working(tag, proc.pid, 2), 120, "the writer processes")
        proc.send_signal(how)
        _, stderr = proc.communicate(timeout=60)
        # Every process it started ends with it (the lock holders first of all).
        wait_for(lambda: not tagged(tag), 60, "the writer processes to end")
    finally:
        for pid in tagged(tag):
            os.kill(pid, signal.SIGKILL)
        proc.kill()
    assert "Traceback" not in stderr
    config = load_config(config_path)
    if how == signal.SIGTERM:  # it unwinds: one line, and the half-built generation is gone
        assert proc.returncode == 143 and stderr.strip() == "reader: stopped (SIGTERM)"
        assert list(config.index_dir.glob("gen-*")) == []
    # The lock is free at once, and what the killed run left is cleared away.
    report = update_index(config, wait=1.0)
    assert report.rebuilt and report.total == PARALLEL_FROM + 40
    live = (config.index_dir / "CURRENT").read_text().strip()
    assert [p.name for p in config.index_dir.glob("gen-*")] == [live]
    with Searcher(config) as searcher:
        assert searcher.search("government").hits


def test_a_lock_held_by_a_killed_process_is_taken_over(config_path: Path) -> None:
    config = load_config(config_path)
    lock = config.index_dir / "update.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from reader.core.files.safe_write import hold_lock\n"
            "with hold_lock(Path(sys.argv[1])):\n"
            "    print('held', flush=True); time.sleep(600)",
            str(lock),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(IndexUnavailable, match="another reader is updating"):
            update_index(config, wait=0.2)
    finally:
        holder.kill()
        holder.wait()
    assert update_index(config, wait=1.0).total == 5


def test_disk_full_on_a_rebuild_says_so_and_keeps_the_old_index(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.search.index_build as build

    config = load_config(config_path)
    update_index(config)
    real = build.write_manifest

    def full(folder: Path, manifest: dict[str, object]) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "manifest.json"))

    monkeypatch.setattr(build, "write_manifest", full)
    with pytest.raises(IndexUnavailable) as caught:
        update_index(config, rebuild=True)
    message = str(caught.value)
    assert message.startswith(f"disk full: cannot write the index in {config.index_dir}")
    assert "\n" not in message and "previous index is kept" in message
    assert [p.name for p in config.index_dir.glob("gen-*")] == ["gen-1"]  # no half generation
    monkeypatch.setattr(build, "write_manifest", real)
    with Searcher(config) as searcher:
        assert len(searcher.search("Sirte").hits) == 2


def index_files(folder: Path) -> tuple[set[str], set[str]]:
    """(files in the folder, files its current TOC uses plus the files reader keeps there)."""
    from whoosh.filedb.filestore import FileStorage

    toc = FileStorage(str(folder)).open_index("MAIN")._read_toc()
    segments = {s.segment_id() for s in toc.segments}
    present = {p.name for p in folder.iterdir()}
    used = {f"_MAIN_{toc.generation}.toc", "MAIN_WRITELOCK", "manifest.json", "vocabulary.json"}
    used.add("index.json")
    used |= {name for name in present if name.split(".")[0] in segments}
    return present, used


def test_disk_full_on_an_update_leaves_no_partial_segment(
    config_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh.writing import SegmentWriter

    config = load_config(config_path)
    update_index(config)
    (corpus_dir / "new.txt").write_text("Zanzibar news\n\nZanzibar body.\n", encoding="utf-8")

    def full(self: object) -> None:  # the segment's files are written; joining them fails
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SegmentWriter, "_assemble_segment", full)
    with pytest.raises(IndexUnavailable, match=r"^disk full: .*previous index is kept"):
        update_index(config)
    monkeypatch.undo()
    present, used = index_files(config.index_dir / "gen-1")
    assert present == used  # nothing half-written is left taking space
    report = update_index(config)  # the next run does the job
    assert report.added == 1 and report.total == 6
    with Searcher(config) as searcher:
        assert [h.id for h in searcher.search("zanz*").hits] == ["new"]


@pytest.mark.skipif(not LINUX, reason="mounts a small tmpfs")
def test_disk_full_for_real_on_a_small_tmpfs(tmp_path: Path, big_corpus: Path) -> None:
    mount = tmp_path / "small"
    with small_tmpfs(mount) as why_not:
        if why_not is not None:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {why_not}")
        config_path = big_config(tmp_path, big_corpus, data=str(mount / "data"))
        env = {k: v for k, v in os.environ.items() if k != "READER_CONFIG"}
        for _ in range(2):  # the second run meets the same full disk, not the first's debris
            result = subprocess.run(
                [sys.executable, "-m", "reader", "--config", str(config_path), "index"],
                capture_output=True,
                text=True,
                env=env,
                timeout=300,
                check=False,
            )
            assert result.returncode == 1
            lines = result.stderr.splitlines()
            assert lines == [
                f"reader: disk full: cannot write the index in {mount / 'data' / 'index'}; "
                "free some space and run `reader index` again"
            ], result.stderr
            left = [p for p in mount.rglob("*") if p.is_file() and p.name != "update.lock"]
            assert left == []


def test_interrupted_parallel_rebuild_stops_its_writers(
    tmp_path: Path, big_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure in the parent mid-build (here Ctrl-C) stops and reaps both writers and
    removes the half-built generation."""
    import multiprocessing

    import reader.core.search.index_build as build

    config = load_config(big_config(tmp_path, big_corpus))
    real = build.read_source
    calls = 0

    def interrupt_late(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == PARALLEL_FROM:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "read_source", interrupt_late)
    with pytest.raises(KeyboardInterrupt):
        update_index(config)
    assert multiprocessing.active_children() == []
    assert list(config.index_dir.glob("gen-*")) == []


class FailingAnalyzer(Analyzer):  # type: ignore[misc]
    """Splits on spaces; the word ``DISKFULL`` fails like a full disk (in a writer process)."""

    def __call__(self, value: str, **kwargs: object) -> Iterator[Token]:
        token = Token(**kwargs)
        for position, word in enumerate(value.split()):
            if word == "DISKFULL":
                raise OSError(errno.ENOSPC, "No space left on device", "segment")
            token.text, token.pos, token.boost, token.stopped = word, position, 1.0, False
            yield token


def test_a_writer_process_failing_reports_to_its_parent_silently(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import multiprocessing

    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import FileStorage

    from reader.core.search.index_writer import ParallelWriter

    ix = FileStorage(str(tmp_path)).create_index(Schema(body=TEXT(analyzer=FailingAnalyzer())))
    writer = ParallelWriter(ix, procs=2, batchsize=10)
    with pytest.raises(OSError) as caught:  # at an add or at the commit
        for number in range(200):
            writer.add_document(body="DISKFULL" if number == 150 else f"word{number} text")
        writer.commit()
    writer.cancel()
    assert caught.value.errno == errno.ENOSPC
    assert multiprocessing.active_children() == []
    assert "Traceback" not in capfd.readouterr().err


def test_a_signal_while_a_writer_starts_is_acted_on_once_it_has_started() -> None:
    """SIGTERM arriving inside ``Process.start()`` must not unwind the parent half-way (the
    child, still reading its start-up data, printed an EOFError traceback): it is held, then
    handled by the caller's own handler right after."""
    from reader.core.files.processes import signals_held

    seen: list[str] = []

    def handler(_number: int, _frame: object) -> None:
        seen.append("handled")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        with signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the signal is delivered here, and held
            seen.append("started")
        assert seen == ["started", "handled"]
        assert signal.getsignal(signal.SIGTERM) is handler
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_dead_writers_reported_disk_full_is_raised_as_such() -> None:
    """The failure a dead writer left in its pipe is raised as the OSError it stands for: it
    was raised inside the block that ignores the pipe's own OSErrors, so a full disk noticed
    while handing out work came out as "a writer process died (1)" (a flaky CI run)."""
    import multiprocessing
    from types import SimpleNamespace

    from reader.core.files.processes import Failure
    from reader.core.search.index_writer import ParallelWriter

    ours, theirs = multiprocessing.Pipe(duplex=True)
    theirs.send(Failure.of(OSError(errno.ENOSPC, "No space left on device", "segment")))
    writer = ParallelWriter.__new__(ParallelWriter)
    writer.tasks = [SimpleNamespace(exitcode=1)]  # type: ignore[list-item]
    writer.connections = [ours]
    with pytest.raises(OSError) as caught:
        writer._check()
    assert caught.value.errno == errno.ENOSPC
    ours.close()
    theirs.close()
