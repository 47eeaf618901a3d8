"""``make faults``: break reader the ways the world does, and check it recovers every time.

Run from the repository root: ``python -m tests.faults``. Each run does one fault, cycling
through them (the seed is printed; FAULT_SEED repeats a sequence):

- kill ``reader index --rebuild`` (two writer processes) at a random moment, SIGKILL or SIGTERM;
- kill ``reader notes add`` at a random moment, SIGKILL or SIGTERM;
- damage one file of the index (cut short, zeroed, random bytes, deleted), each file in turn;
- fill a small disk: the index on a 2 MB tmpfs (needs root; skipped with the reason otherwise).

After each fault it checks: no process of the killed command is left; the CLI search starts,
says at most one line (what happened), answers as before; ``reader index`` takes the lock and
finishes; the app starts headless, opens the index (repairing it if needed) and lists the
articles; every note whose save was reported is still there. At the end it prints the counts
(runs, kills, repairs, notes before and after) and exits 1 if any check failed.

FAULT_RUNS (default 10) bounds the time: about 10 seconds a run on two busy cores; 80 runs
damage every file of the index every way.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.index_files import DAMAGES, damage, role_path, small_tmpfs

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = "000_7b206ec7414ebb17"
QUOTE = "Al-Karama operations room"
QUERY = "Sirt*"
# The files of an index, the ones that matter most first.
ROLES = (
    "segment",
    "toc",
    "fingerprint",
    "manifest",
    "vocabulary",
    "CURRENT",
    "WRITELOCK",
    "update.lock",
)


@dataclass
class Tally:
    took: dict[str, float] = field(default_factory=dict)  # seconds an undisturbed run takes
    runs: int = 0
    kills: int = 0
    repairs: int = 0
    damages: int = 0
    failures: list[str] = field(default_factory=list)
    saved: list[str] = field(default_factory=list)  # ids of notes whose save was reported


class Lab:
    """A private corpus (seeds + generated articles), config, index and notes."""

    def __init__(self, folder: Path, rng: random.Random) -> None:
        from reader.core.search.index import PARALLEL_FROM
        from tests.bench.corpus_gen import ensure_corpus, load_vocabulary

        self.folder, self.rng = folder, rng
        corpus = folder / "corpus"
        ensure_corpus(corpus / "generated", load_vocabulary(use_wordfreq=False), 5, PARALLEL_FROM)
        for seed in (ROOT / "seeds").iterdir():
            shutil.copy(seed, corpus / seed.name)
        self.config = self.write_config(folder / "config.toml", "data")

    def write_config(self, path: Path, data_dir: str) -> Path:
        path.write_text(
            f'[corpus]\npaths = ["{self.folder / "corpus"}"]\n\n'
            f'[storage]\ndata_dir = "{data_dir}"\nnotes_dir = "{self.folder / "notes"}"\n',
            encoding="utf-8",
        )
        return path

    def env(self, tag: str = "") -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "READER_CONFIG"}
        env["PYTHONIOENCODING"] = "utf-8"
        env["READER_FAULT_TAG"] = tag
        return env

    def command(self, *args: str, config: Path | None = None) -> list[str]:
        return [sys.executable, "-m", "reader", "--config", str(config or self.config), *args]

    def run(self, *args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args, config=config),
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=self.env(),
            cwd=ROOT,
            timeout=600,
            check=False,
        )

    def start(self, *args: str, tag: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(tag),
            cwd=ROOT,
        )

    @property
    def index_dir(self) -> Path:
        return self.folder / "data" / "index"


def tagged(tag: str) -> list[int]:
    """Processes (a command and everything it started) carrying READER_FAULT_TAG=tag."""
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if f"READER_FAULT_TAG={tag}".encode() in environ:
                found.append(int(entry.name))
    return found


def kill_at_random(lab: Lab, tally: Tally, args: tuple[str, ...], latest: float) -> tuple[int, str]:
    """Start ``reader ARGS``, kill it after up to ``latest`` seconds; (exit code, stdout)."""
    tag = uuid.uuid4().hex
    how = lab.rng.choice((signal.SIGKILL, signal.SIGTERM))
    proc = lab.start(*args, tag=tag)
    waited = lab.rng.uniform(0.05, latest)
    time.sleep(waited)
    if proc.poll() is None:
        proc.send_signal(how)
        tally.kills += 1
    stdout, stderr = proc.communicate(timeout=120)
    deadline = time.monotonic() + 15
    while tagged(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = tagged(tag)
    if left:
        tally.failures.append(f"{' '.join(args)}: processes left after {how.name}: {left}")
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    if "Traceback" in stderr:
        tally.failures.append(f"{' '.join(args)}: a traceback after {how.name}")
    print(f"  {' '.join(args[:2])}: {how.name} after {waited:.2f}s, exit {proc.returncode}")
    return proc.returncode, stdout


def fault_kill_rebuild(lab: Lab, tally: Tally, number: int) -> None:
    kill_at_random(lab, tally, ("index", "--rebuild"), 0.9 * tally.took["rebuild"])


def fault_kill_notes(lab: Lab, tally: Tally, number: int) -> None:
    args = ("notes", "add", SEED_ARTICLE, "--quote", QUOTE, "--note", f"fault run {number}")
    code, stdout = kill_at_random(lab, tally, args, 0.9 * tally.took["notes"])
    if code == 0 and stdout.strip():
        tally.saved.append(stdout.strip())


def fault_damage(lab: Lab, tally: Tally, number: int) -> None:
    step = tally.damages  # each file in turn, and each time round the next kind of damage
    tally.damages += 1
    role, how = ROLES[step % len(ROLES)], DAMAGES[(step // len(ROLES) + step) % len(DAMAGES)]
    path = role_path(lab.index_dir, role)
    if path is None or not path.exists():
        print(f"  damage: no {role} file to damage")
        return
    damage(path, how, lab.rng)
    print(f"  damage: {how} {path.relative_to(lab.folder)}")


def fault_disk_full(lab: Lab, tally: Tally, number: int) -> None:
    mount = lab.folder / f"small-{number}"
    with small_tmpfs(mount) as why_not:
        if why_not is not None:
            print(f"  disk full: skipped, cannot mount a tmpfs ({why_not})")
            return
        config = lab.write_config(lab.folder / "small.toml", str(mount / "data"))
        result = lab.run("index", config=config)
        lines = result.stderr.splitlines()
        if result.returncode != 1 or len(lines) != 1 or "disk full" not in lines[0]:
            tally.failures.append(f"disk full: expected one 'disk full' line, got {lines}")
        left = [p for p in mount.rglob("*") if p.is_file() and p.name != "update.lock"]
        if left:
            tally.failures.append(f"disk full: files left on the full disk: {left[:3]}")
        print(f"  disk full: {lines[0] if lines else '(nothing said)'}")


async def app_check(config_path: Path) -> str | None:
    """Start the app headless; None when it opened the index and lists articles."""
    from reader.app.app import ReaderApp
    from reader.app.widgets.results import ResultsList
    from reader.core.config import load_config

    app = ReaderApp(load_config(config_path))
    async with app.run_test(size=(120, 30)) as pilot:
        quiet = 0
        for _ in range(3000):
            await pilot.pause(0.02)
            quiet = quiet + 1 if all(w.is_finished for w in app.workers) else 0
            if quiet >= 10 and app.library.is_open:
                break
        if not app.library.is_open:
            return "the app has no index open"
        if app.query_one(ResultsList).option_count == 0:
            return "the app lists no article"
    return None


def check(lab: Lab, tally: Tally, expected: list[str], what: str) -> None:
    """The CLI and the app start, say at most one line, repair, answer as before."""
    search = lab.run("search", QUERY, "--json", "--limit", "5000")
    lines = search.stderr.splitlines()
    got = sorted(json.loads(line)["id"] for line in search.stdout.splitlines() if line)
    if search.returncode != 0 or got != expected or len(lines) > 1:
        tally.failures.append(f"{what}: search gave {got} / {search.stderr.strip()!r}")
    if any("damaged" in line for line in lines):
        tally.repairs += 1
        print(f"  search: {lines[0]}")
    index = lab.run("index", "--wait", "5")
    if index.returncode != 0 or "Traceback" in index.stderr:
        tally.failures.append(f"{what}: reader index failed: {index.stderr.strip()!r}")
    said = [line for line in index.stderr.splitlines() if line.startswith("reader:")]
    if said:
        print(f"  index: {said[0]}")
        tally.repairs += any("rebuilding" in line or "rebuilt" in line for line in said)
    problem = asyncio.run(app_check(lab.config))
    if problem is not None:
        tally.failures.append(f"{what}: {problem}")


def count_notes(lab: Lab) -> tuple[int, set[str]]:
    listed = lab.run("notes", "list", "--json")
    ids = {json.loads(line)["id"] for line in listed.stdout.splitlines() if line.strip()}
    return len(ids), ids


def main() -> int:
    runs = int(os.environ.get("FAULT_RUNS", "10"))
    seed = int(os.environ.get("FAULT_SEED", str(random.randrange(1 << 30))))
    rng = random.Random(seed)
    tally = Tally()
    faults: list[Callable[[Lab, Tally, int], None]] = [
        fault_kill_rebuild,
        fault_damage,
        fault_kill_notes,
        fault_damage,
        fault_disk_full,
        fault_damage,
        fault_kill_rebuild,
        fault_damage,
        fault_kill_notes,
        fault_damage,
    ]
    print(f"faults: {runs} runs, seed {seed} (FAULT_SEED={seed} repeats them)")
    with tempfile.TemporaryDirectory(prefix="reader-faults-") as temp:
        lab = Lab(Path(temp), rng)
        started = time.monotonic()
        first = lab.run("index")
        tally.took["rebuild"] = time.monotonic() - started  # kills land within such a run
        if first.returncode != 0:
            print(f"faults: cannot build the first index: {first.stderr}")
            return 1
        for number in range(2):
            started = time.monotonic()
            added = lab.run("notes", "add", SEED_ARTICLE, "--quote", QUOTE, "--note", f"{number}")
            tally.took["notes"] = time.monotonic() - started
            if added.returncode != 0:
                print(f"faults: cannot add a note: {added.stderr}")
                return 1
        before, _ = count_notes(lab)
        search = lab.run("search", QUERY, "--json", "--limit", "5000")
        expected = sorted(json.loads(line)["id"] for line in search.stdout.splitlines())
        for number in range(runs):
            fault = faults[number % len(faults)]
            print(f"run {number + 1}: {fault.__name__.removeprefix('fault_')}")
            fault(lab, tally, number)
            check(lab, tally, expected, f"run {number + 1} ({fault.__name__})")
            tally.runs += 1
        after, ids = count_notes(lab)
        lost = [note for note in tally.saved if note not in ids]
        if lost:
            tally.failures.append(f"notes reported saved but missing: {lost}")
        if after < before + len(tally.saved):
            tally.failures.append(f"notes: {before} + {len(tally.saved)} saved, {after} found")
    print(
        f"faults: {tally.runs} runs, {tally.kills} kills, {tally.damages} damaged files, "
        f"{tally.repairs} repairs; "
        f"notes before {before}, saved during {len(tally.saved)}, after {after}"
    )
    for failure in tally.failures:
        print(f"FAILED: {failure}")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
