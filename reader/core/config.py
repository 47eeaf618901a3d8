"""Configuration: where reader finds its config, what each key means, and clear errors.

Callers get a frozen :class:`Config` from :func:`load_config`; nothing here writes a file.
Every problem with a config file is a :class:`ConfigError` whose message names the file, the
line and the key, so the CLI can print it and exit 2.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.core.config_boilerplate import DEFAULT_DROP_BLOCKS, DEFAULT_DROP_LINES
from reader.core.config_checks import (
    OutletPlace,
    OutletProblem,
    brief,
    corpus_problem,
    finite,
    folder_problem,
    read_outlet_hosts,
    read_outlets,
    regex_alternation,
    regex_problem,
    shown,
)
from reader.core.config_notes import (
    NotesProblem,
    check_labels,
    check_language,
    check_review_url,
    check_verdicts,
)
from reader.core.config_places import NamedCorpus, default_places
from reader.core.config_schema import HARAKAT_MODES, RTL_MODES, check_keys, key_line
from reader.core.config_storage import BACKENDS, conninfo_problem
from reader.core.files.nesting import too_deep

CONFIG_ENV = "READER_CONFIG"


DEFAULT_VERDICTS: dict[str, float] = {
    "unverified": 0,
    "true": 5,
    "mostly-true": 4,
    "mixed": 3,
    "misleading": 2,
    "mostly-false": 2,
    "false": 1,
    "unsupported": 1,
}


class ConfigError(Exception):
    """A config file that cannot be used; the message names file, line and key."""


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Rules that strip site chrome from article bodies (see config.toml's [boilerplate])."""

    drop_lines: tuple[str, ...] = DEFAULT_DROP_LINES
    drop_blocks: tuple[str, ...] = DEFAULT_DROP_BLOCKS
    block_lines: int = 2
    breadcrumb: str = r"^(?:[^/\n]{1,30} / )+"
    title_suffix: str = r"\s+\|\s+[^|]{1,30}$"


# While a query is typed, its last word is searched as a prefix too from this many letters
# (``Beng`` finds Benghazi; two letters through the index of every word's first two letters,
# reader.core.search.word_starts); one letter, as the word alone: it starts a tenth of all
# words, and finding them all tells the reader nothing.
TYPED_PREFIX_FROM = 2


@dataclass(frozen=True, slots=True)
class SearchLimits:
    """What one query may ask for (config.toml's [search] max_* keys) and how long it may run.

    A query over a limit is refused with a message naming the limit; ``time_limit`` (seconds)
    stops a search that passed the limits but runs long, keeping the results found so far.
    """

    max_query_chars: int = 2000
    max_terms: int = 64
    max_phrase_words: int = 16
    max_nesting: int = 16
    max_expansion: int = 256
    time_limit: float = 3.0


@dataclass(frozen=True, slots=True)
class Config:
    """Everything reader needs to know, with every path absolute.

    ``source`` is the config file it came from, or None for built-in defaults.
    """

    corpus_paths: tuple[Path, ...]
    data_dir: Path
    notes_dir: Path
    source: Path | None = None
    max_file_bytes: int = 10 * 1024 * 1024
    follow_links_outside: bool = False  # read symbolic links that lead out of corpus_paths
    rtl: str = "app"
    harakat: str = "keep"
    theme: str = "textual-dark"
    search_limit: int = 20
    cross_script: bool = True
    same_language_first: bool = True
    search_limits: SearchLimits = field(default_factory=SearchLimits)
    boilerplate: Boilerplate = field(default_factory=Boilerplate)
    author: str = ""
    verdicts: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_VERDICTS))
    # [notes] for exports: readable verdict labels, the published check's URL template, and
    # the language the notes are written in (see reader.core.config_notes).
    verdict_labels: Mapping[str, str] = field(default_factory=dict)
    review_url: str = ""
    notes_language: str = ""
    gazetteer: Path | None = None
    lexicon: Path | None = None  # words added to reader's lexicon for reading facts
    event_threshold: float = 0.3
    align_threshold: float = 0.15
    keymap: Mapping[str, str] = field(default_factory=dict)
    # [outlets]: outlet key (config_checks.outlet_key) -> where the user placed it
    outlets: Mapping[str, OutletPlace] = field(default_factory=dict)
    # [outlets] hosts: host key (config_checks.host_key) -> outlet name, for articles whose
    # outlet is a host (a page without a site name) or that have only a URL
    outlet_hosts: Mapping[str, str] = field(default_factory=dict)
    # [storage] library_dir: where ``reader add`` saves pages and feeds; read like a corpus
    # folder. None: no library (a Config built in code); load_config always sets one.
    library_dir: Path | None = None
    # [storage] backend: where the index lives ("whoosh": files in data_dir; "postgresql": a
    # server, reached with the [storage] postgresql connection string or the PG* variables)
    backend: str = "whoosh"
    postgresql: str = ""
    # [session] restore: the app comes back to the last query, article, place and filters
    # (reader.core.config_session keeps them in the user's state folder)
    restore_session: bool = True

    @property
    def article_folders(self) -> tuple[Path, ...]:
        """The folders the index reads: the corpus folders, then the library folder (unless it
        is one of them). The library folder may not exist yet (nothing added so far)."""
        library = self.library_dir
        if library is None or library in self.corpus_paths:
            return self.corpus_paths
        return (*self.corpus_paths, library)

    @property
    def index_dir(self) -> Path:
        """The folder that holds the Whoosh index and the events stored with it. With
        another backend, a folder of its own that never holds a Whoosh index, so nothing
        (articles, events) is read from a Whoosh index an earlier run left in data_dir."""
        return self.data_dir / ("index" if self.backend == "whoosh" else f"index-{self.backend}")


def find_config(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """Return the config file to use: ``explicit``, then $READER_CONFIG, ./config.toml, then the
    user config dir. Raises ConfigError when an explicitly named file does not exist.

    When no file is found anywhere, returns the user config path (which may not exist);
    :func:`load_config` then uses built-in defaults: no corpus folder, and the user's cache
    and data folders for the index, notes and library (:mod:`reader.core.config_places`).
    """
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found (given with --config)")
        return path.resolve()
    env = os.environ.get(CONFIG_ENV)
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found (named by ${CONFIG_ENV})")
        return path.resolve()
    local = (cwd or Path.cwd()) / "config.toml"
    if local.is_file():
        return local.resolve()
    from platformdirs import user_config_path

    return user_config_path("reader") / "config.toml"


def load_config(
    path: Path | None = None, *, check_corpus: bool = True, corpus: NamedCorpus | None = None
) -> Config:
    """Read and validate a config file (or built-in defaults when ``path`` does not exist).

    ``corpus`` (folders named by ``--corpus`` or ``$READER_CORPUS``) replaces the file's
    ``[corpus] paths``; with ``check_corpus``, each must be a folder (else ConfigError naming it
    and where it was named). Without a config file and without ``corpus`` there is no corpus
    folder (``corpus_paths`` is empty) and the index, notes and library live in the user's
    cache and data folders (:func:`reader.core.config_places.default_places`).

    Relative paths resolve against the config file's folder. Raises ConfigError (and nothing
    else) for invalid TOML, unknown keys, wrong types or shapes, numbers that are NaN,
    infinite, beyond 64 bits or out of range, regular expressions that do not compile (alone or
    combined), and unusable paths; with ``check_corpus`` also for what the config names on
    disk: a missing corpus folder, a ``data_dir``/``notes_dir`` that is a file or in a folder
    reader cannot write in, and a gazetteer or lexicon file that cannot be read or is invalid.
    Never writes anything.
    """
    if path is None:
        path = find_config()
    if corpus is not None and check_corpus:
        for folder in corpus.paths:
            problem = corpus_problem(folder)
            if problem:
                raise ConfigError(
                    f"{shown(str(folder))}: corpus folder {problem} ({corpus.origin})"
                )
    if not path.is_file():
        places = default_places()
        return Config(
            corpus_paths=corpus.paths if corpus is not None else (),
            data_dir=places.data_dir,
            notes_dir=places.notes_dir,
            library_dir=places.library_dir,
        )
    config = _read(path, check_corpus=check_corpus, own_corpus=corpus is None)
    return config if corpus is None else replace(config, corpus_paths=corpus.paths)


def _read(path: Path, *, check_corpus: bool, own_corpus: bool) -> Config:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from exc
    deep = too_deep(text, "toml")  # checked first: the parser recurses once per level
    if deep is not None:
        raise ConfigError(f"{path}:{deep}: invalid TOML: values nested too deeply")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = found.group(1) if found else text.count("\n") + 1
        raise ConfigError(f"{path}:{line}: invalid TOML: {exc}") from exc
    return _build(raw, path, text, check_corpus=check_corpus, own_corpus=own_corpus)


def _build(
    raw: dict[str, Any], path: Path, text: str, *, check_corpus: bool, own_corpus: bool
) -> Config:
    base = path.parent.resolve()

    def fail(table: str, key: str | None, message: str) -> ConfigError:
        line = key_line(text, table, key)
        where = f"[{shown(table)}] {shown(key)}" if key is not None else f"[{shown(table)}]"
        return ConfigError(f"{path}:{line}: {where}: {message}")

    check_keys(raw, fail)

    def get(table: str, key: str, default: Any) -> Any:
        return raw.get(table, {}).get(key, default)

    def resolve(table: str, key: str, value: str) -> Path:
        if not value.strip() or "\0" in value:
            raise fail(table, key, f"not a usable path: {brief(value)}")
        try:
            candidate = Path(value).expanduser()
        except RuntimeError as exc:  # ~user with no such user
            raise fail(table, key, f"cannot expand {brief(value)}: {exc}") from exc
        return candidate if candidate.is_absolute() else (base / candidate)

    paths = get("corpus", "paths", ["seeds"])
    if not paths or not all(isinstance(p, str) for p in paths):
        raise fail("corpus", "paths", "must be a non-empty list of folder names")
    corpus = tuple(resolve("corpus", "paths", p) for p in paths)

    rtl = get("display", "rtl", "app")
    if rtl not in RTL_MODES:
        raise fail("display", "rtl", f"must be one of {', '.join(RTL_MODES)}, not {rtl!r}")
    harakat = get("display", "harakat", "keep")
    if harakat not in HARAKAT_MODES:
        raise fail("display", "harakat", f"must be one of {', '.join(HARAKAT_MODES)}")
    limit = get("search", "limit", 20)
    if limit < 1:
        raise fail("search", "limit", "must be at least 1")
    limits = {k: get("search", k, v) for k, v in asdict(SearchLimits()).items()}
    for key, value in limits.items():
        top = {"max_nesting": 100, "time_limit": 3600}.get(key, 1_000_000)  # deeper: recursion
        if not 0 < value <= top:
            raise fail("search", key, f"must be more than 0 and at most {top}, not {value!r}")
    max_mb = get("corpus", "max_file_mb", 10)
    max_bytes = max_mb * 1024 * 1024
    if not finite(max_bytes) or max_bytes < 1:
        raise fail("corpus", "max_file_mb", f"must be a number more than 0, not {max_mb!r}")

    bp = raw.get("boilerplate", {})
    for key in ("drop_lines", "drop_blocks", "breadcrumb", "title_suffix"):
        patterns = bp.get(key, [])
        for pattern in patterns if isinstance(patterns, list) else [patterns]:
            if not isinstance(pattern, str):
                raise fail("boilerplate", key, "must hold strings")
            problem = regex_problem(pattern)
            if problem:
                raise fail(
                    "boilerplate", key, f"bad regular expression {brief(pattern)}: {problem}"
                )
        if isinstance(patterns, list) and len(patterns) > 1:
            problem = regex_problem(regex_alternation(patterns))
            if problem:
                raise fail(
                    "boilerplate", key, f"these regular expressions do not combine: {problem}"
                )
    if bp.get("block_lines", 0) < 0:
        raise fail("boilerplate", "block_lines", "must be 0 or more")
    defaults = Boilerplate()
    boilerplate = Boilerplate(
        drop_lines=tuple(bp.get("drop_lines", defaults.drop_lines)),
        drop_blocks=tuple(bp.get("drop_blocks", defaults.drop_blocks)),
        block_lines=int(bp.get("block_lines", defaults.block_lines)),
        breadcrumb=bp.get("breadcrumb", defaults.breadcrumb),
        title_suffix=bp.get("title_suffix", defaults.title_suffix),
    )

    verdicts = get("notes", "verdicts", DEFAULT_VERDICTS)
    for name, rating in verdicts.items():
        if not name.strip() or not name.isprintable():
            raise fail(
                "notes.verdicts", name, "a verdict's name must be printable text on one line"
            )
        if isinstance(rating, bool) or not isinstance(rating, int | float):
            raise fail("notes.verdicts", name, "a verdict's rating must be a number")
        if not finite(rating) or rating < 0:
            raise fail(
                "notes.verdicts",
                name,
                f"a verdict's rating must be a number, 0 (not rated) or more, not {rating!r}",
            )
    if not verdicts:
        raise fail("notes", "verdicts", "must name at least one verdict")
    try:
        language = check_language(get("notes", "language", ""))
        check_verdicts(verdicts)
        labels = check_labels(get("notes", "labels", {}), verdicts)
        review_url = check_review_url(get("notes", "review_url", ""))
    except NotesProblem as exc:
        raise fail(exc.table, exc.key, str(exc)) from exc

    data_dir = resolve("storage", "data_dir", get("storage", "data_dir", ".reader"))
    notes_dir = resolve("storage", "notes_dir", get("storage", "notes_dir", "notes"))
    library = get("storage", "library_dir", "")
    library_dir = resolve("storage", "library_dir", library) if library else data_dir / "library"
    backend = get("storage", "backend", "whoosh")
    if backend not in BACKENDS:
        raise fail(
            "storage", "backend", f"must be one of {', '.join(BACKENDS)}, not {brief(backend)}"
        )
    postgresql = get("storage", "postgresql", "")
    server_problem = conninfo_problem(postgresql)
    if server_problem:
        raise fail("storage", "postgresql", server_problem)
    gazetteer = get("entities", "gazetteer", "")
    gazetteer_path = resolve("entities", "gazetteer", gazetteer) if gazetteer else None
    lexicon = get("facts", "lexicon", "")
    lexicon_path = resolve("facts", "lexicon", lexicon) if lexicon else None
    if check_corpus:
        for folder in corpus if own_corpus else ():  # else replaced by folders checked before
            problem = corpus_problem(folder)
            if problem:
                raise fail("corpus", "paths", f"corpus folder {shown(str(folder))} {problem}")
        for key, folder in (
            ("data_dir", data_dir),
            ("notes_dir", notes_dir),
            ("library_dir", library_dir),
        ):
            problem = folder_problem(folder)
            if problem:
                raise fail("storage", key, problem)
        if gazetteer_path is not None:
            from reader.core.names.gazetteer_file import GazetteerError, read_gazetteer

            try:
                read_gazetteer(gazetteer_path)
            except GazetteerError as exc:
                raise fail("entities", "gazetteer", shown(str(exc))) from exc
        if lexicon_path is not None:
            from reader.core.names.lexicon_file import LexiconError, read_lexicon

            try:
                read_lexicon(lexicon_path)
            except LexiconError as exc:
                raise fail("facts", "lexicon", shown(str(exc))) from exc

    thresholds = {}
    for table, key in (("events", "threshold"), ("compare", "align_threshold")):
        value = get(table, key, 0.3 if table == "events" else 0.15)
        if not 0 <= value <= 1:
            raise fail(table, key, f"must be a number between 0 and 1, not {value!r}")
        thresholds[table] = float(value)

    try:
        outlets = read_outlets(raw.get("outlets", {}))
        outlet_hosts = read_outlet_hosts(raw.get("outlets", {}))
    except OutletProblem as exc:
        raise fail("outlets", exc.key, str(exc)) from exc

    return Config(
        corpus_paths=corpus,
        data_dir=data_dir,
        notes_dir=notes_dir,
        source=path.resolve(),
        max_file_bytes=int(max_bytes),
        follow_links_outside=get("corpus", "follow_links_outside", False),
        rtl=rtl,
        harakat=harakat,
        theme=get("display", "theme", "textual-dark"),
        search_limit=limit,
        cross_script=get("search", "cross_script", True),
        same_language_first=get("search", "same_language_first", True),
        search_limits=SearchLimits(**limits),
        boilerplate=boilerplate,
        author=get("notes", "author", ""),
        verdicts=dict(verdicts),
        verdict_labels=labels,
        review_url=review_url,
        notes_language=language,
        gazetteer=gazetteer_path,
        lexicon=lexicon_path,
        event_threshold=thresholds["events"],
        align_threshold=thresholds["compare"],
        keymap=dict(raw.get("keymap", {})),
        outlets=outlets,
        outlet_hosts=outlet_hosts,
        library_dir=library_dir,
        backend=backend,
        postgresql=postgresql,
        restore_session=get("session", "restore", True),
    )
