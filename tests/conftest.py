"""Shared fixtures: a private copy of the seeds with its own config, and the CLI (run in this
process, or through the real entry point in a new one)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARABIC_SEED = "003_cf72655655ca3791"

CliRunner = Callable[..., subprocess.CompletedProcess[str]]


def write_config(folder: Path, corpus: str = "corpus", extra: str = "") -> Path:
    """A config.toml in ``folder`` with its corpus, index and notes inside that folder."""
    path = folder / "config.toml"
    path.write_text(
        f'[corpus]\npaths = ["{corpus}"]\n\n[storage]\ndata_dir = "data"\nnotes_dir = "notes"\n'
        + extra,
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def _own_state_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test has its own user state folder (where the app keeps its session): a test
    never reads a session another test, or the person running the tests, left."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the seed articles."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def config_path(tmp_path: Path, corpus_dir: Path) -> Path:
    """A config file whose corpus is ``corpus_dir``."""
    return write_config(tmp_path)


# Environment variables that name a config or corpus: unset for every CLI run of the tests.
_PLACE_ENV = ("READER_CONFIG", "READER_CORPUS")


@contextlib.contextmanager
def _without_config_env(env: Mapping[str, str] | None = None) -> Iterator[None]:
    saved = {name: os.environ.pop(name, None) for name in _PLACE_ENV}
    os.environ.update(env or {})
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def cli_in_process(
    argv: Sequence[str], stdin: str | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``reader.cli.main(argv)`` here, as the entry point would on pipes: stdout and stderr
    are captured as text (neither is a terminal, so the terminal size falls back to 80x24),
    ``READER_CONFIG`` and ``READER_CORPUS`` are unset (then those of ``env`` set), and a
    ``SystemExit`` (argparse's usage errors, ``--help``) becomes the exit code. The signal
    handler ``main`` installs is restored by ``main`` itself.
    """
    from reader.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.__stdout__
    try:
        sys.stdin = io.StringIO(stdin or "")
        sys.__stdout__ = out  # type: ignore[assignment,misc]  # shutil.get_terminal_size looks here
        with (
            _without_config_env(env),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = main(list(argv))
            except SystemExit as exc:
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
                    code = 1
    finally:
        sys.stdin, sys.__stdout__ = saved  # type: ignore[misc]
    return subprocess.CompletedProcess(["reader", *argv], code, out.getvalue(), err.getvalue())


def cli_in_new_process(
    argv: Sequence[str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real entry point, ``python -m reader``, in a new process on pipes."""
    return python_in_new_process(["-m", "reader", *argv], stdin=stdin)


def python_in_new_process(
    args: Sequence[str], stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` (this interpreter) in a new process on pipes, in ``cwd``: stdout
    and stderr captured as UTF-8 text, ``READER_CONFIG`` and ``READER_CORPUS`` unset, never
    raising for the exit code (two minutes at most)."""
    env = {k: v for k, v in os.environ.items() if k not in _PLACE_ENV}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        input=stdin,
        timeout=120,
        check=False,
    )


@pytest.fixture
def run_cli(config_path: Path) -> CliRunner:
    """Run the CLI with the test config, in this process (see :func:`cli_in_process`)."""

    def run(
        *args: str, config: Path | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return cli_in_process(["--config", str(config or config_path), *args], stdin)

    return run


@pytest.fixture
def run_cli_process(config_path: Path) -> CliRunner:
    """Run the real ``reader`` entry point in a new process with the test config."""

    def run(
        *args: str, config: Path | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return cli_in_new_process(["--config", str(config or config_path), *args], stdin)

    return run


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """A throwaway PostgreSQL cluster for the whole session (see tests/pg_cluster.py); the
    tests that use it skip, with the reason, only when no server can be started here; under
    ``CI=true`` (where .ci/run installs one) they fail instead, so a CI never passes them by."""
    from tests.pg_cluster import start_cluster

    cluster, why = start_cluster()
    if cluster is None:
        if os.environ.get("CI") == "true":  # .ci/run installs the server: not having one is a fault
            pytest.fail(f"no PostgreSQL server for the tests in CI: {why}")
        pytest.skip(f"no PostgreSQL server for the tests: {why}")
    try:
        yield cluster
    finally:
        cluster.stop()
