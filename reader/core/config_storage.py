"""Checks of the ``[storage]`` keys that choose where the index lives: ``backend`` and the
PostgreSQL connection string (see :mod:`reader.core.search.backend`)."""

from __future__ import annotations

BACKENDS = ("whoosh", "postgresql")


def conninfo_problem(text: str) -> str | None:
    """Why ``text`` is not a usable libpq connection string (``host=... dbname=...`` or a
    ``postgresql://`` URI), or None when it is (or is empty: the PG* variables apply then).
    Parsed by psycopg when it is installed; without it the server backend says so when used."""
    if not text:
        return None
    if not text.isprintable():
        return "must be one line of printable text"
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        return None
    try:
        conninfo_to_dict(text)
    except Exception as exc:  # psycopg.ProgrammingError, with libpq's message
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return f"not a PostgreSQL connection string: {reason}"
    return None
