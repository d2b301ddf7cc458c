"""`carepath lsp` without its extra says what to install instead of a traceback."""
from __future__ import annotations

import sys

from click.testing import CliRunner

from carepath.cli import main


def test_without_pygls_the_command_says_what_to_install(monkeypatch):
    """Exit 2 with the extra to install."""
    monkeypatch.setitem(sys.modules, "pygls", None)
    result = CliRunner().invoke(main, ["lsp"])
    assert result.exit_code == 2
    assert "pip install 'carepath[lsp]'" in result.stderr
