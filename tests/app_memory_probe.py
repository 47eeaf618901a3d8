"""Run by tests/test_huge_article.py in a process of its own: open one article in the headless
app through a search, go to its end and back, then print one JSON object with the peak
resident memory of this process (MB) and what the screen showed.

    python -m tests.app_memory_probe CONFIG ARTICLE_ID QUERY
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from pathlib import Path

from reader.app.app import ReaderApp
from reader.app.widgets.article_view import ArticleView
from reader.core.config import load_config
from tests.test_app import search_and_open, settle


def shown(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


async def probe(config: Path, article_id: str, query: str) -> dict[str, object]:
    app = ReaderApp(load_config(config))
    report: dict[str, object] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, query, article_id)
        view = app.query_one(ArticleView)
        view.focus()
        report["rows"] = view.virtual_size.height
        report["first_match"] = shown(view)
        await pilot.press("n")
        report["second_match"] = shown(view)
        await pilot.press("end")
        await pilot.pause(0.2)
        report["end"] = shown(view)
        await pilot.press("home")
        await pilot.pause(0.2)
        report["home"] = shown(view)
    report["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report


if __name__ == "__main__":
    print(json.dumps(asyncio.run(probe(Path(sys.argv[1]), sys.argv[2], sys.argv[3]))))
