"""The batch's quick result lines, written straight from the run's trail, equal the full way's bytes."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carepath
from carepath.engine.batch import FastCases, ResultLines, json_line, run_line
from carepath.errors import CarepathError
from carepath.expr.numbers import dumps
from properties.pathway_strategies import cases, pathway_files


def _programs() -> list:
    """Every shipped and test pathway that loads, compiled."""
    programs = []
    for path in pathway_files():
        try:
            programs.append(pytest.param(carepath.program(carepath.load(path)), id=path.name))
        except CarepathError:
            continue  # the files that test load errors
    return programs


@pytest.mark.parametrize("program", _programs())
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_quick_lines_equal_the_full_way(program, data):
    """Each line the quick writer takes is byte for byte what BatchLine.to_json gives, and the same
    again the second time (each recommendation's JSON is made once, then reused)."""
    quick = ResultLines(program, FastCases(program))
    for number in range(1, 4):
        raw = dumps(data.draw(cases(program.pathway)))
        line = quick(raw, number)
        full = json_line(run_line(program, raw, "<batch>", number).to_json())
        assert line is None or line == full
        assert quick(raw, number) == line
