"""Where reader keeps its files when no config file names them, and corpus folders named
outside a config file (``--corpus PATH``, ``$READER_CORPUS``). Nothing here writes a file.

Without a config file the index is kept in the user's cache folder (it is derived from the
articles alone and rebuilt when missing) and the notes and the library folder (``reader add``)
in the user's data folder (they are the user's own work): for example ``~/.cache/reader`` and
``~/.local/share/reader`` on Linux, as :mod:`platformdirs` says for each system.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CORPUS_ENV = "READER_CORPUS"

NO_CORPUS = (
    "no corpus folder named: run `reader init FOLDER`, give --corpus FOLDER, set "
    f"${CORPUS_ENV}, or use a config file with [corpus] paths"
)


@dataclass(frozen=True, slots=True)
class Places:
    """The folders reader uses without a config file, all absolute: ``data_dir`` (the
    index's parent), ``notes_dir`` and ``library_dir``."""

    data_dir: Path
    notes_dir: Path
    library_dir: Path


def default_places() -> Places:
    """The user's folders for reader (created only when something is written there)."""
    from platformdirs import user_cache_path, user_data_path

    data = user_data_path("reader").absolute()
    return Places(
        data_dir=user_cache_path("reader").absolute(),
        notes_dir=data / "notes",
        library_dir=data / "library",
    )


@dataclass(frozen=True, slots=True)
class NamedCorpus:
    """Corpus folders named outside a config file (absolute), and how (``--corpus`` or
    ``$READER_CORPUS``), for messages."""

    paths: tuple[Path, ...]
    origin: str


def named_corpus(given: Sequence[str] | None, cwd: Path | None = None) -> NamedCorpus | None:
    """The corpus folders ``given`` with ``--corpus``, else those in ``$READER_CORPUS``
    (separated by ``os.pathsep``; empty entries ignored), relative ones resolved against
    ``cwd`` (default: the current folder); None when neither names a folder."""
    base = cwd or Path.cwd()
    if given:
        names, origin = list(given), "given with --corpus"
    else:
        names = [p for p in os.environ.get(CORPUS_ENV, "").split(os.pathsep) if p.strip()]
        origin = f"named by ${CORPUS_ENV}"
    names = [n for n in names if n.strip()]
    if not names:
        return None
    paths = []
    for name in names:
        path = Path(name).expanduser()
        path = path if path.is_absolute() else base / path
        if path not in paths:
            paths.append(path)
    return NamedCorpus(tuple(paths), origin)
