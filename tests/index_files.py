"""Helpers shared by the index-damage tests and the fault script (``make faults``): where each
file of a live index is, and a small filesystem to fill."""

from __future__ import annotations

import random
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def role_path(index_dir: Path, role: str) -> Path | None:
    """The file of the live index in ``index_dir`` that plays ``role`` (``CURRENT``,
    ``update.lock``, ``WRITELOCK``, ``manifest``, ``vocabulary``, ``fingerprint``, ``toc``,
    ``segment``), or None when there is no live index or no such file."""
    try:
        live = index_dir / (index_dir / "CURRENT").read_text().strip()
    except OSError:
        return None
    named = {
        "CURRENT": index_dir / "CURRENT",
        "update.lock": index_dir / "update.lock",
        "WRITELOCK": live / "MAIN_WRITELOCK",
        "manifest": live / "manifest.json",
        "vocabulary": live / "vocabulary.json",
        "fingerprint": live / "index.json",
    }
    if role in named:
        return named[role]
    found = sorted(live.glob("_MAIN_*.toc" if role == "toc" else "MAIN_*.seg"))
    return found[0] if found else None


@contextmanager
def small_tmpfs(mount: Path, size: str = "2m") -> Iterator[str | None]:
    """Mount a tmpfs of ``size`` on ``mount`` (made here) for the block; yields None when it
    is mounted, else why it could not be (not root, no mount command)."""
    mount.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        yield str(exc)
        return
    if done.returncode != 0:
        yield done.stderr.strip() or "not root"
        return
    try:
        yield None
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


DAMAGES = ("truncate", "zero", "random", "delete")


def damage(path: Path, how: str, rng: random.Random | None = None) -> None:
    """Damage ``path`` one of the ways in ``DAMAGES``: cut to half, zeroed, overwritten with
    random bytes (from ``rng``), or deleted."""
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "zero":
        path.write_bytes(bytes(len(data)))
    elif how == "random":
        path.write_bytes((rng or random.Random(0)).randbytes(len(data)))
    else:
        path.unlink()
