"""Where the app was when it was left (the last query, the open article, how far down it was
read, the filters), kept in a small state file so the next start comes back to it.

Public API::

    Session(query="", article="", top=0, language=None, outlet=None)
    session_path(config) -> Path
    read_session(path) -> tuple[Session | None, str | None]
    write_session(path, session) -> str | None

What callers may rely on:

- The file is JSON, ``session-<16 hex>.json`` in the user's state folder (platformdirs'
  ``user_state_path("reader")``, e.g. ``~/.local/state/reader`` on Linux), one per config
  file (per corpus without one), so two libraries never share a session.
- :func:`read_session` never raises: a missing file is ``(None, None)``; a file that cannot be
  read, is not JSON, or holds a value of the wrong kind is ``(None, message)`` with one line
  naming the path (and the line, for bad JSON). Unknown keys are ignored, so an older reader
  reads a newer file. Values are checked, not trusted: the query at most
  :data:`MAX_QUERY` characters, a language "en"/"ar" or none, ``top`` a logical offset >= 0.
- :func:`write_session` replaces the file atomically (a crash leaves the old or the new one)
  and never raises for a file-system problem: it returns one line naming the path.
- Only the app's own state is here: the file is the app's, not the user's, so a damaged one
  is reported once and replaced at the next save.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.files.safe_write import write_atomically

if TYPE_CHECKING:
    from reader.core.config import Config

__all__ = ["MAX_QUERY", "Session", "read_session", "session_path", "write_session"]

MAX_QUERY = 10_000  # characters of a query kept
_LANGUAGES = (None, "en", "ar")
_MAX_BYTES = 1_000_000  # a state file is a few hundred bytes: anything larger is not one


@dataclass(frozen=True, slots=True)
class Session:
    """Where the app was: ``article`` is an article id ("" for none), ``top`` the logical
    offset in its body shown at the top of the view."""

    query: str = ""
    article: str = ""
    top: int = 0
    language: str | None = None
    outlet: str | None = None


def session_path(config: Config) -> Path:
    """The state file for ``config`` (see the module docstring)."""
    from platformdirs import user_state_path

    which = str(config.source) if config.source is not None else repr(config.corpus_paths)
    key = hashlib.sha256(which.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return user_state_path("reader").absolute() / f"session-{key}.json"


def read_session(path: Path) -> tuple[Session | None, str | None]:
    """The session kept in ``path``, or None and why not (see the module docstring)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"{path}: session state not read ({exc.strerror or exc}); starting afresh"
    if len(data) > _MAX_BYTES:
        return None, f"{path}: not a session state file (too large); starting afresh"
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None, f"{path}: session state is not UTF-8 text; starting afresh"
    except json.JSONDecodeError as exc:
        return None, f"{path}:{exc.lineno}: session state damaged ({exc.msg}); starting afresh"
    problem = _problem(raw)
    if problem:
        return None, f"{path}: session state {problem}; starting afresh"
    assert isinstance(raw, dict)
    fields = {key: raw[key] for key in asdict(Session()) if key in raw}
    return Session(**fields), None


def _problem(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return "is not a table of values"
    checks: dict[str, tuple[Any, str]] = {
        "query": (lambda v: isinstance(v, str) and len(v) <= MAX_QUERY, "a query"),
        "article": (lambda v: isinstance(v, str) and len(v) <= 1000, "an article id"),
        "top": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, "an offset"),
        "language": (lambda v: v in _LANGUAGES, 'a language ("en", "ar" or null)'),
        "outlet": (lambda v: v is None or (isinstance(v, str) and len(v) <= 1000), "an outlet"),
    }
    for key, (good, what) in checks.items():
        if key in raw and not good(raw[key]):
            return f"has a bad {key!r} (must be {what})"
    return None


def write_session(path: Path, session: Session) -> str | None:
    """Save ``session`` to ``path`` atomically; None, or one line saying why it was not."""
    data = json.dumps(asdict(session), indent=1) + "\n"  # ASCII: any str survives
    try:
        write_atomically(path, data.encode("ascii"))
    except OSError as exc:
        return f"{path}: session state not saved ({exc})"
    return None
