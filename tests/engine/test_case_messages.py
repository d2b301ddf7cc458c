"""Messages for the common mistakes in case files: a JSON trailing comma, a YAML tab."""
from __future__ import annotations

import pytest

from carepath.engine.cases import parse_case
from carepath.errors import CaseError, SourceFile


def only_error(text: str, name: str):
    """The one diagnostic reading a case text gives."""
    with pytest.raises(CaseError) as info:
        parse_case(SourceFile(name, text))
    (diagnostic,) = info.value.diagnostics
    return diagnostic


@pytest.mark.parametrize("text, line, column", [
    ('{"age": 40,}', 1, 11),
    ('{\n  "age": 40,\n  "fever": false,\n}\n', 3, 17),
    ('{"age": 40,\n\n   }', 1, 11),
    ('{"codes": [1, 2, ]}', 1, 16),
])
def test_a_trailing_comma_is_named_at_the_comma(text: str, line: int, column: int) -> None:
    diagnostic = only_error(text, "case.json")
    assert "trailing comma" in diagnostic.message
    assert (diagnostic.span.line, diagnostic.span.column) == (line, column)
    assert diagnostic.hint == "remove this comma"


def test_other_json_errors_keep_the_parser_message() -> None:
    diagnostic = only_error('{"age": 40 "fever": false}', "case.json")
    assert diagnostic.message == "invalid JSON: Expecting ',' delimiter" and diagnostic.span.column == 12


@pytest.mark.parametrize("text, line", [
    ("age: 40\n\tfever: false\n", 2),
    ("age:\n\t40\n", 2),
    ("codes:\n  - 1\n\t- 2\n", 3),
])
def test_a_tab_in_yaml_indentation_says_use_spaces(text: str, line: int) -> None:
    diagnostic = only_error(text, "case.yaml")
    assert "tab" in diagnostic.message and "use spaces" in diagnostic.hint
    assert diagnostic.span.line == line
    assert "use spaces" in diagnostic.format()


def test_a_tab_elsewhere_is_named_but_not_as_indentation() -> None:
    """PyYAML refuses some tabs inside a line too; the message says so without blaming indentation."""
    diagnostic = only_error("note: a\tb\n", "case.yaml")
    assert diagnostic.message == "invalid YAML: a tab cannot stand here" and "use spaces" in diagnostic.hint
    assert "tab" not in only_error("age: [1,\n", "case.yaml").message
