"""A throwaway PostgreSQL cluster for the tests of the server backend: ``initdb`` into a
temporary folder, ``pg_ctl start`` on a free port with its unix socket in that folder (no TCP),
run as an unprivileged user when the tests run as root (initdb refuses root), stopped and
removed at the end. :func:`start_cluster` returns None with the reason when no server can be
started here (the binaries are missing, no unprivileged user can be made)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "reader"
OS_USER = os.environ.get("READER_PG_USER", "reader-pg")


# System tools (runuser, useradd) live in sbin, which a CI's bare PATH may leave out.
_SYSTEM_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


def system_tool(name: str) -> str | None:
    """``name`` on PATH or in /usr/sbin, /sbin."""
    return shutil.which(name, path=_SYSTEM_PATH)


def find_binary(name: str) -> str | None:
    """``name`` on PATH, else in the newest /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return versions[-1] if versions else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int
    prefix: list[str]  # runuser -u USER -- when root
    pg_ctl: str
    options: str = ""  # the server's options (pg_ctl -o) it was started with
    kept: bool = False  # stop() leaves the folder (start_cluster(keep=...))

    def halt(self, mode: str = "immediate") -> None:
        """Stop the server (``immediate``: as if it crashed; ``fast``: as an administrator
        stops it), keeping its data for :meth:`restart`."""
        subprocess.run(
            [*self.prefix, self.pg_ctl, "-D", str(self.folder / "data"), "-m", mode, "-w",
             "stop"],
            capture_output=True, cwd=self.folder, timeout=60, check=True,
        )  # fmt: skip

    def restart(self) -> None:
        """Start the server :meth:`halt` stopped, on the same port and socket."""
        subprocess.run(
            [*self.prefix, self.pg_ctl, "-D", str(self.folder / "data"), "-l",
             str(self.folder / "log"), "-o", self.options, "-w", "-t", "60", "start"],
            capture_output=True, cwd=self.folder, timeout=120, check=True,
        )  # fmt: skip

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.folder} port={self.port} user={SUPERUSER} dbname={dbname}"

    def stop(self) -> None:
        """Stop the server and remove its folder (a kept one is shut down cleanly, kept)."""
        mode = "fast" if self.kept else "immediate"
        subprocess.run(
            [*self.prefix, self.pg_ctl, "-D", str(self.folder / "data"), "-m", mode, "-w", "stop"],
            capture_output=True,
            cwd=self.folder,
            timeout=120,
            check=False,
        )
        if not self.kept:
            shutil.rmtree(self.folder, ignore_errors=True)


def _os_user() -> tuple[list[str], str | None]:
    """(the command prefix that runs as the unprivileged user, why not)."""
    if os.geteuid() != 0:
        return [], None
    if subprocess.run(["id", "-u", OS_USER], capture_output=True, check=False).returncode:
        made = subprocess.run(
            [system_tool("useradd") or "useradd", "-r", "-M", "-s", "/usr/sbin/nologin", OS_USER],
            capture_output=True,
            text=True,
            check=False,
        )
        exists = subprocess.run(["id", "-u", OS_USER], capture_output=True, check=False)
        if made.returncode and exists.returncode:  # (another test process may have made it)
            return [], f"cannot create the user {OS_USER} for PostgreSQL: {made.stderr.strip()}"
    runuser = system_tool("runuser")
    if runuser is None:
        return [], "running as root and runuser is missing"
    return [runuser, "-u", OS_USER, "--"], None


def start_cluster(keep: Path | None = None) -> tuple[Cluster | None, str]:
    """(a running cluster, "") or (None, why no server can be started).

    With ``keep`` (a folder), the cluster lives there and outlives the run: made there the
    first time, started again from its data the next (a benchmark reuses what it built);
    :meth:`Cluster.stop` then stops it and leaves the folder."""
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        return None, "PostgreSQL is not installed (no initdb/pg_ctl; .ci/run installs it)"
    prefix, problem = _os_user()
    if problem:
        return None, problem
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        folder = keep.resolve()
    else:
        folder = Path(tempfile.mkdtemp(prefix="reader-pg-"))
    if prefix:
        shutil.chown(folder, user=OS_USER)
    data = folder / "data"
    if not (data / "PG_VERSION").exists():
        made = subprocess.run(
            [*prefix, initdb, "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
             "--no-locale", "--no-sync"],
            capture_output=True, text=True, cwd=folder, timeout=120, check=False,
        )  # fmt: skip
        if made.returncode:
            if keep is None:
                shutil.rmtree(folder, ignore_errors=True)
            return None, f"initdb failed: {made.stderr.strip()[-300:]}"
    port = free_port()
    options = (
        f"-p {port} -k {folder} -c listen_addresses='' -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    started = subprocess.run(
        [*prefix, pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w",
         "-t", "60", "start"],
        capture_output=True, text=True, cwd=folder, timeout=120, check=False,
    )  # fmt: skip
    if started.returncode:
        log = (
            (folder / "log").read_text(errors="replace")[-300:] if (folder / "log").exists() else ""
        )
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        return None, f"pg_ctl start failed: {started.stderr.strip()[-300:]} {log}"
    return Cluster(folder, port, prefix, pg_ctl, options, kept=keep is not None), ""
