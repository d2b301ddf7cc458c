"""The VS Code extension's manifest: its language, grammar and configuration fit together and start `carepath lsp`."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from carepath.cli import main

EXTENSION = Path(__file__).resolve().parents[2] / "editors" / "vscode"


def manifest() -> dict:
    """editors/vscode/package.json."""
    return json.loads((EXTENSION / "package.json").read_text())


def test_the_language_and_its_grammar_fit_together():
    """The language claims .dsl, its grammar file exists with the scope the manifest names."""
    contributes = manifest()["contributes"]
    language, = contributes["languages"]
    grammar, = contributes["grammars"]
    assert language["extensions"] == [".dsl"] and grammar["language"] == language["id"]
    assert json.loads((EXTENSION / grammar["path"]).read_text())["scopeName"] == grammar["scopeName"]
    configuration = json.loads((EXTENSION / language["configuration"]).read_text())
    assert configuration["comments"]["lineComment"] == "#"
    assert ["{", "}"] in configuration["brackets"] and ["(", ")"] in configuration["brackets"]


def test_the_default_settings_start_the_language_server():
    """`carepath` with the default arguments is the `lsp` command (its help proves it is there)."""
    settings = manifest()["contributes"]["configuration"]["properties"]
    assert settings["carepath.server.command"]["default"] == "carepath"
    args = settings["carepath.server.args"]["default"]
    assert args[0] == "lsp"
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0 and "language server" in result.output
    assert "vscode-languageclient" in manifest()["dependencies"]
    assert (EXTENSION / manifest()["main"]).is_file()
