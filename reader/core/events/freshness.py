"""Whether the live index still holds the corpus as it is on disk, found by looking at the files'
sizes and times alone: what lets a reader of the stored events skip the update (and opening
the index) when an update would have nothing to do.

:func:`index_matches_corpus` compares what an incremental update compares
(:func:`reader.core.search.index_build.incremental`): the files under the corpus folders,
their size and modification time, against the live generation's manifest, and the config's
index settings against those it was built with. It reads no article, takes no lock and writes
nothing; whenever it cannot tell (no index, a damaged manifest, a file skipped last time) it
says False, and the caller updates as before.
"""

from __future__ import annotations

from reader.core.config import Config
from reader.core.search.index_files import (
    IndexUnavailable,
    generation,
    read_manifest,
    settings_change,
)
from reader.core.sources.corpus import Skipped, scan_corpus


def index_matches_corpus(config: Config) -> bool:
    """True when an update of the index would find nothing to do: the live generation was
    built with the config's index settings and its manifest lists exactly the article files
    under the corpus folders, each with its size and modification time as they are now and
    none skipped last time. False otherwise, and whenever in doubt."""
    folder = generation(config.index_dir)
    if folder is None:
        return False
    try:
        manifest = read_manifest(folder)
    except IndexUnavailable:  # damaged or outdated: an update rebuilds it
        return False
    if settings_change(manifest["settings"], config) is not None:
        return False
    files = manifest["files"]
    seen = 0
    for item in scan_corpus(config):
        if isinstance(item, Skipped):  # not indexed now; if it was before, `seen` falls short
            continue
        entry = files.get(str(item.path))
        if (
            entry is None
            or entry["size"] != item.size
            or entry["mtime_ns"] != item.mtime_ns
            or entry.get("skipped")
        ):
            return False
        seen += 1
    return seen == len(files)
