"""Configuration: resolution order, relative paths, and errors that name file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.config import ConfigError, find_config, load_config
from tests.conftest import ROOT, CliRunner


def test_shipped_config_is_valid() -> None:
    config = load_config(ROOT / "config.toml")
    assert config.corpus_paths == (ROOT / "seeds",)
    assert config.data_dir == ROOT / ".reader"
    assert config.rtl == "app"
    assert config.verdicts["false"] == 1


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "arts").mkdir()
    path = tmp_path / "c.toml"
    path.write_text('[corpus]\npaths = ["arts"]\n[storage]\ndata_dir = "d"\n', encoding="utf-8")
    config = load_config(path)
    assert config.corpus_paths == (tmp_path / "arts",)
    assert config.data_dir == tmp_path / "d"


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    explicit = tmp_path / "explicit.toml"
    env = tmp_path / "env.toml"
    local = tmp_path / "config.toml"
    for path in (explicit, env, local):
        path.write_text("", encoding="utf-8")
    monkeypatch.setenv("READER_CONFIG", str(env))
    assert find_config(explicit, cwd=tmp_path) == explicit
    assert find_config(None, cwd=tmp_path) == env
    monkeypatch.delenv("READER_CONFIG")
    assert find_config(None, cwd=tmp_path) == local
    assert find_config(None, cwd=tmp_path / "nowhere").name == "config.toml"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('[corpus]\npaths = ["."]\n\n[display]\nrtl = "sideways"\n', 5, "[display] rtl"),
        ('[corpus]\npaths = ["."]\ncolour = 3\n', 3, "[corpus] colour: unknown key"),
        ('[corpus]\npaths = "."\n', 2, "[corpus] paths: must be a list"),
        ('[corpus]\npaths = ["missing"]\n', 2, "does not exist"),
        ('[search]\nlimit = "ten"\n', 2, "[search] limit"),
        ("[corpus]\npaths = [\n", 3, "invalid TOML"),
        ("[nope]\nx = 1\n", 1, "unknown table"),
        ('[boilerplate]\ndrop_lines = ["("]\n', 2, "bad regular expression"),
    ],
)
def test_bad_config_names_file_line_and_key(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}:") and fragment in message
    if "invalid TOML" not in fragment:
        assert message.startswith(f"{path}:{line}:")
    else:
        assert f"line {line}" in message or message.startswith(f"{path}:{line}:")


def test_bad_config_exits_two_and_writes_nothing(tmp_path: Path, run_cli: CliRunner) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[display]\nrtl = 5\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_cli("index", config=path)
    assert result.returncode == 2
    assert f"{path}:2: [display] rtl" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_code_defaults_match_the_documented_config() -> None:
    from reader.core.config import Boilerplate, Config

    shipped = load_config(ROOT / "config.toml")
    defaults = Config(corpus_paths=(), data_dir=ROOT, notes_dir=ROOT)
    assert shipped.boilerplate == Boilerplate()
    assert shipped.search_limits == defaults.search_limits
    assert shipped.verdicts == defaults.verdicts
    assert (shipped.rtl, shipped.harakat, shipped.search_limit) == (
        defaults.rtl,
        defaults.harakat,
        defaults.search_limit,
    )
