"""Shared fixtures: a private copy of the seeds with its own config, and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
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


@pytest.fixture
def run_cli(config_path: Path) -> CliRunner:
    """Run the real ``reader`` entry point in a new process with the test config."""

    def run(
        *args: str, config: Path | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "READER_CONFIG"}
        env["PYTHONIOENCODING"] = "utf-8"
        return subprocess.run(
            [sys.executable, "-m", "reader", "--config", str(config or config_path), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            input=stdin,
            timeout=120,
            check=False,
        )

    return run
