"""Run by tests/test_huge_article.py in a process of its own: open one article in the headless
app through a search, go to its end and back, then print one JSON object with the peak
resident memory of this process (MB) and what the screen showed.

    python -m tests.app_memory_probe CONFIG ARTICLE_ID QUERY
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path

from reader.app.app import ReaderApp
from reader.app.widgets.article_view import ArticleView
from reader.core.config import load_config
from reader.memory import return_large_blocks_to_the_system
from tests.test_app import search_and_open, settle

PHASE = ["start"]
PEAKS: dict[str, int] = {}  # phase -> highest resident memory seen in it (MB), for a failure


def _sample() -> None:
    status = Path("/proc/self/status")
    while status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) // 1024
                PEAKS[PHASE[0]] = max(PEAKS.get(PHASE[0], 0), rss)
        time.sleep(0.02)


def _high_water_mark_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def shown(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


async def probe(config: Path, article_id: str, query: str) -> dict[str, object]:
    return_large_blocks_to_the_system()  # as the ``reader`` entry point does
    app = ReaderApp(load_config(config))
    report: dict[str, object] = {}
    threading.Thread(target=_sample, daemon=True).start()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        PHASE[0] = "open"
        await search_and_open(pilot, app, query, article_id)
        PHASE[0] = "opened"
        view = app.query_one(ArticleView)
        view.focus()
        report["rows"] = view.virtual_size.height
        report["first_match"] = shown(view)
        await pilot.press("n")
        report["second_match"] = shown(view)
        PHASE[0] = "end"
        await pilot.press("end")
        await pilot.pause()
        report["end"] = shown(view)
        await pilot.press("home")
        await pilot.pause()
        report["home"] = shown(view)
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across exec, so a process
    # started by a large pytest would report pytest's own peak (seen: 379 MB for a 150 MB app).
    report["peak_mb"] = _high_water_mark_kb() / 1024
    report["phases"] = PEAKS
    return report


if __name__ == "__main__":
    print(json.dumps(asyncio.run(probe(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))))
