"""The core imports no UI: neither Textual nor Rich (nor the faces) is loaded by any core module.

Every module under ``reader/core`` (the whole package tree) is imported in a fresh interpreter,
one after another; after each, ``sys.modules`` is checked, so the module that first pulls a UI
library in is named.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

CORE_MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in (ROOT / "reader" / "core").rglob("*.py")
)
FORBIDDEN = ("textual", "rich", "reader.app", "reader.cli", "reader.rich_rows")

_PROBE = """
import importlib, json, sys
forbidden = tuple(sys.argv[1].split(","))
prefixes = tuple(f + "." for f in forbidden)
found = {}
for name in sys.argv[2:]:
    importlib.import_module(name)
    bad = sorted(m for m in sys.modules if m in forbidden or m.startswith(prefixes))
    if bad:
        found[name] = bad
        break
print(json.dumps(found))
"""


def test_core_walk_finds_every_package() -> None:
    assert "reader.core.text.layout" in CORE_MODULES
    assert "reader.core.text" in CORE_MODULES
    assert len({m.split(".")[2] for m in CORE_MODULES if m.count(".") >= 3}) >= 7


def test_no_core_module_imports_textual_or_rich() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, ",".join(FORBIDDEN), *CORE_MODULES],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {}


def test_search_command_does_not_import_textual() -> None:
    code = (
        "import sys; from reader.cli import build_parser; import reader.cli.search_cmd; "
        "sys.exit(1 if 'textual' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
