"""The light part of the event store's files: what identifies an index state, the settings
events are computed with, and the header line of ``events.json`` (read without decoding the
events). Imports nothing heavier than the index's file names, so a command that only checks
whether stored results are current starts quickly; see :mod:`reader.core.events.store_files`
for the rest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from reader.core.search.index_files import index_stamp as index_stamp

EVENTS_FILE = "events.json"
EVENTS_LAYOUT = 2  # events.json: a header line (stamp, settings, digests), then the events
# Bumped whenever profile() or the grouping computes differently, so stored features and events
# of an older release are recomputed, not trusted (2: year-less dates not read months ahead,
# the latest early date as dateline, date spans in the clustering; 3: the names the gazetteer
# does not know; 4: facts read by the lexicon: exact integers, Arabic marks and compound numbers,
# displaced, detained and missing; 5: the entity prior of similarity.py, and a short name
# qualified otherwise (Palestinian Red Crescent) not read as the gazetteer's body; a companion
# counted on top of a figure of people; facts weighed by how many articles state them; 6: a
# long English subject keeps its role, a list of groups of people adds up, و4 is a figure;
# 7: the title and the lead only, see features.LEAD_CHARS; 8: each stored profile one JSON
# list, see store_files; 9: the entity part weighed by the evidence the shared names give,
# see scoring.entity_evidence; 10: labels that tell events apart; 11: every event of several
# labelled by its central report's title, see grouping.make_event).
FORMAT = 11
# The fields of reader.core.events.features.Profile (a test checks they are): a changed
# Profile makes stored profiles unusable, so they are part of the files' format.
PROFILE_FIELDS = (
    "article_id",
    "lang",
    "published",
    "entities",
    "terms",
    "facts",
    "dates",
    "when",
    "when_no_year",
    "names",
)
FORMAT_TAG = f"{FORMAT}:" + ",".join(PROFILE_FIELDS)


def store_settings(threshold: float, gazetteer_name: str) -> dict[str, Any]:
    """The settings stored events are computed with (and must be read with)."""
    return {"format": FORMAT_TAG, "threshold": threshold, "gazetteer": gazetteer_name}


def blake(data: bytes) -> str:
    """The digest the store's files use."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_headed(path: Path) -> tuple[dict[str, Any], bytes] | None:
    """(header, rest) of a file of the store written as a JSON header line holding the
    ``digest`` (:func:`blake`) of the rest, then the rest; None when it cannot be read, is
    cut short or damaged (the digest does not match). Callers check the header's other keys."""
    try:
        data = path.read_bytes()
        head, _, rest = data.partition(b"\n")
        header = json.loads(head)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(header, dict) or header.get("digest") != blake(rest):
        return None
    return header, rest


def events_header(folder: Path) -> tuple[dict[str, Any], bytes] | None:
    """(the header of the events file in ``folder``, the rest of it) when the file is whole
    (its digest matches) and of this module's layout; None otherwise. Nothing is decoded but
    the header: callers check its ``index`` stamp and ``settings`` themselves."""
    found = read_headed(folder / EVENTS_FILE)
    if found is None:
        return None
    header, _payload = found
    if header.get("layout") != EVENTS_LAYOUT or not isinstance(header.get("scores"), str):
        return None
    return found


def header_line(folder: Path) -> dict[str, Any] | None:
    """The header of the events file in ``folder`` alone (its first line, of this module's
    layout), the events not read nor checked against it; None when unreadable."""
    try:
        with (folder / EVENTS_FILE).open("rb") as handle:
            header = json.loads(handle.readline())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(header, dict) or header.get("layout") != EVENTS_LAYOUT:
        return None
    return header


def has_events(folder: Path, threshold: float, gazetteer_name: str) -> bool:
    """True when the events file in ``folder`` is whole (its digest matches), of the index
    generation as it is now and computed with this threshold and gazetteer: what
    :func:`reader.core.events.store_files.read_events` checks first, without decoding the
    events (at 50,000 articles, about a second; it still checks them when it reads them).
    Here, not beside it, so that an update with nothing to do need not load what computes
    events (some 250 ms of imports)."""
    found = events_header(folder)
    if found is None:
        return False
    header = found[0]
    settings = store_settings(threshold, gazetteer_name)
    return bool(header.get("settings") == settings and header.get("index") == index_stamp(folder))
