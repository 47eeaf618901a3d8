"""The checks config uses on values from a config file: numbers TOML allows, regular
expressions that compile (alone and combined), folders reader can write in, the ``[outlets]``
table (:func:`read_outlets`), and values shown safely in one-line messages. Nothing here
writes a file.
"""

from __future__ import annotations

import math
import os
import re
import reprlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def regex_alternation(patterns: list[str] | tuple[str, ...]) -> str:
    """The one regular expression that matches where any of ``patterns`` does (how
    [boilerplate] lists are applied; config checks that it compiles)."""
    return "|".join(f"(?:{p})" for p in patterns)


def regex_problem(pattern: str) -> str:
    """Why ``pattern`` does not compile, or "" when it does."""
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return ""


def folder_problem(folder: Path) -> str:
    """Why reader could not keep files in ``folder`` (creating it when missing), or "".

    The folder, or else its nearest existing parent, must be a folder reader may write in.
    Nothing is created or written."""
    current = folder
    try:
        while not current.exists() and current.parent != current:
            if current.is_symlink():
                return f"{shown(str(current))} is a broken symbolic link"
            current = current.parent
        if not current.is_dir():
            return f"{shown(str(current))} is not a folder"
    except OSError as exc:
        return f"cannot use {shown(str(folder))}: {exc.strerror or exc}"
    if not os.access(current, os.W_OK | os.X_OK):
        return f"cannot write in folder {shown(str(current))}"
    return ""


def corpus_problem(folder: Path) -> str:
    """Why ``folder`` cannot be read as a corpus folder ("does not exist", "is not a folder"),
    or "" when it is a folder."""
    try:
        if folder.is_dir():
            return ""
        return "is not a folder" if folder.exists() else "does not exist"
    except OSError as exc:  # a name too long, say
        return f"cannot be used: {exc.strerror or exc}"


# TOML integers are 64-bit; tomllib reads longer ones, which reader refuses like NaN.
_INT_LIMIT = 2**63


def finite(value: float) -> bool:
    """Whether ``value`` is a usable number: a float that is not NaN or infinite, or an int
    that TOML allows (64-bit)."""
    if isinstance(value, int):
        return -_INT_LIMIT <= value < _INT_LIMIT
    return math.isfinite(value)


def shown(text: str) -> str:
    """``text`` for a one-line message: as is when printable, else (or when empty) as a Python
    literal, so no control character or line break reaches the terminal."""
    return text if text and text.isprintable() else repr(text)


_BRIEF = reprlib.Repr()
_BRIEF.maxstring = 60
_BRIEF.maxother = 60
_BRIEF.maxlevel = 2


def brief(value: object) -> str:
    """A short, one-line, escaped rendering of a config value for a message."""
    return _BRIEF.repr(value)


@dataclass(frozen=True, slots=True)
class OutletPlace:
    """Where the user placed an outlet (config.toml's ``[outlets]``): its name as written in
    the config, its side and its country ("" when not given; at least one of them is)."""

    name: str
    side: str = ""
    country: str = ""

    @property
    def camp(self) -> str:
        """The side coverage counts it on: its side, else its country."""
        return self.side or self.country


def outlet_key(name: str) -> str:
    """How outlet names are matched (config against articles): NFKC, case and runs of spaces
    ignored. "Al  Jazeera" and "al jazeera" are the same outlet."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class OutletProblem(Exception):
    """One entry of ``[outlets]`` that cannot be used: ``key`` is the outlet's name."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


_PLACE_KEYS = ("country", "hosts", "side")


def read_outlets(table: Mapping[str, object]) -> dict[str, OutletPlace]:
    """The ``[outlets]`` table as outlet key (:func:`outlet_key`) -> place. Each entry is
    ``"Name" = "side"`` or ``"Name" = { side = "...", country = "..." }`` (either or both).
    Raises OutletProblem naming the outlet for a name or value that is empty, not one printable
    line, of the wrong type, with an unknown key, or a second spelling of an outlet already
    given."""
    places: dict[str, OutletPlace] = {}
    for name, value in table.items():
        if not name.strip() or not name.isprintable():
            raise OutletProblem(name, "an outlet's name must be printable text on one line")
        fields: dict[str, object]
        if isinstance(value, str):
            fields = {"side": value}
        elif isinstance(value, dict):
            fields = value
        else:
            raise OutletProblem(
                name,
                f'must be a side ("GNA") or {{ side = "...", country = "..." }}, not '
                f"{brief(value)}",
            )
        unknown = sorted(k for k in fields if k not in _PLACE_KEYS)
        if unknown:
            raise OutletProblem(
                name, f"unknown key {brief(unknown[0])} (known keys: {', '.join(_PLACE_KEYS)})"
            )
        if not fields:
            raise OutletProblem(name, "give a side, a country or both")
        fields = {k: v for k, v in fields.items() if k != "hosts"}  # read_outlet_hosts's
        if not fields:
            continue  # only hosts: names articles, places them nowhere
        for key, text in fields.items():
            if not isinstance(text, str) or not text.strip() or not text.isprintable():
                raise OutletProblem(name, f"{key} must be text on one line, not {brief(text)}")
        key = outlet_key(name)
        if key in places:
            raise OutletProblem(
                name,
                f"the same outlet as {brief(places[key].name)} (names match ignoring case "
                "and spaces)",
            )
        side, country = (str(fields.get(k, "")).strip() for k in ("side", "country"))
        places[key] = OutletPlace(name, side, country)
    return places


def host_key(host: str) -> str:
    """How hosts are matched (``[outlets]`` hosts against an article's outlet or URL host):
    case ignored, without a leading ``www.`` or a trailing dot."""
    return host.strip().casefold().rstrip(".").removeprefix("www.")


def read_outlet_hosts(table: Mapping[str, object]) -> dict[str, str]:
    """The ``hosts = ["example.com", ...]`` of each ``[outlets]`` entry (written as a table)
    as host key (:func:`host_key`) -> the outlet's name as written. Raises OutletProblem
    naming the outlet for hosts that are not a list of host names, or a host another outlet
    already lists."""
    names: dict[str, str] = {}
    for name, value in table.items():
        if not isinstance(value, dict) or "hosts" not in value:
            continue
        hosts = value["hosts"]
        if not isinstance(hosts, list) or not hosts:
            raise OutletProblem(name, f"hosts must be a list of host names, not {brief(hosts)}")
        for host in hosts:
            key = host_key(host) if isinstance(host, str) else ""
            if not key or not key.isprintable() or any(c in key for c in " /:@?#"):
                raise OutletProblem(
                    name, f'hosts must hold host names ("example.com"), not {brief(host)}'
                )
            if names.get(key, name) != name:
                raise OutletProblem(name, f"host {brief(host)} is already {brief(names[key])}'s")
            names[key] = name
    return names
