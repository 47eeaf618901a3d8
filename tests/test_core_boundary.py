"""The core imports no UI: each core module, imported alone, leaves Textual unloaded."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

CORE_MODULES = sorted(
    f"reader.core.{p.stem}" for p in (ROOT / "reader" / "core").glob("*.py") if p.stem != "__init__"
)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'reader.app') "
        "or m.startswith('reader.app') or m.startswith('reader.cli')]; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, f"{module} pulls in: {result.stdout} {result.stderr}"


def test_search_command_does_not_import_textual() -> None:
    code = (
        "import sys; from reader.cli import build_parser; import reader.cli.search_cmd; "
        "sys.exit(1 if 'textual' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
