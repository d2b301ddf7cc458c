"""Help texts: the exit codes are explained once, in `carepath --help`, and every command points there."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from carepath.cli import main

COMMANDS = sorted(main.commands)


def help_of(*command: str) -> str:
    """The help text of the group or one command."""
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_group_help_explains_every_exit_code() -> None:
    text = help_of()
    for code, meaning in (("0", "success"), ("1", "findings"), ("2", "usage or input error"), ("130", "interrupted"),
                          ("141", "the reader of stdout went away"), ("143", "terminated")):
        assert re.search(rf"^ +{code} +{meaning}", text, re.M), (code, meaning)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_points_to_the_exit_codes_instead_of_repeating_them(command: str) -> None:
    text = help_of(command)
    assert "Exit codes: see `carepath --help`." in text
    assert "0  success" not in text and "usage or input error" not in text
