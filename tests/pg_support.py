"""Helpers for the tests of the PostgreSQL backend: a fresh database per test on the session's
cluster, and configs that put the same corpus on Whoosh and on the server."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

_numbers = itertools.count()

# Articles added to the seeds: outlets and dates to filter on, Arabic spellings, stems.
EXTRA = [
    {
        "id": "desk-a-1",
        "title": "Hiring freeze in Tripoli ministries",
        "body": "The government said the hiring of new staff stops. Haftar's forces were not "
        "mentioned. The operations room stayed closed.",
        "lang": "en",
        "outlet": "Desk A",
        "author": "Sami Hamdi",
        "published": "2024-03-01",
    },
    {
        "id": "desk-b-1",
        "title": "أحمد المسمارى يتحدث عن الجبهة",
        "body": "قال احمد المسمارى إن القوات تتقدم نحو المدينة، وأكد أن الحكومة الليبية تتابع.",
        "lang": "ar",
        "outlet": "Desk B",
        "published": "2023-11-20",
    },
    {
        "id": "desk-b-2",
        "title": "Egypt offers a truce",
        "body": "Cairo hires mediators; Egypt's truce offer was rejected by the GNA.",
        "lang": "en",
        "outlet": "Desk B",
    },
    {
        "id": "copy",
        "title": "Egypt offers a truce",
        "body": "Cairo hires mediators; Egypt's truce offer was rejected by the GNA.",
        "lang": "en",
        "outlet": "Desk C",
    },
]


def new_database(cluster: object) -> str:
    """A new empty database on the cluster; its connection string."""
    import psycopg

    name = f"reader_test_{next(_numbers)}_{id(cluster) % 10000}"
    admin = cluster.conninfo()  # type: ignore[attr-defined]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return str(cluster.conninfo(name))  # type: ignore[attr-defined]


def write_extra(corpus: Path, articles: list[dict[str, str]] = EXTRA) -> None:
    """The extra articles as one JSON Lines file of the corpus."""
    text = "\n".join(json.dumps(a, ensure_ascii=False) for a in articles) + "\n"
    (corpus / "extra.jsonl").write_text(text, encoding="utf-8")


def config_file(folder: Path, corpus: Path, conninfo: str | None, extra: str = "") -> Path:
    """A config in ``folder`` over ``corpus``: Whoosh when ``conninfo`` is None, else the
    server it names."""
    folder.mkdir(parents=True, exist_ok=True)
    server = "" if conninfo is None else f'backend = "postgresql"\npostgresql = "{conninfo}"\n'
    path = folder / "config.toml"
    path.write_text(
        f'[corpus]\npaths = ["{corpus}"]\n\n[storage]\ndata_dir = "data"\nnotes_dir = "notes"\n'
        + server
        + extra,
        encoding="utf-8",
    )
    return path
