"""The escaping helpers: nothing a pathway can write survives unescaped in DOT or Mermaid."""
from __future__ import annotations

import re

import pytest

from carepath.diagram.escape import dot_html, dot_id, mermaid_id, mermaid_text, wrap

HOSTILE = '"]; evil [label="x <script>alert(1)</script> {a|b} \\N \\ & &amp; \u00e9 \U0001F600\nnext'


def test_dot_html_leaves_no_markup_or_escape_sequences():
    text = dot_html(HOSTILE)
    assert not re.search(r'[<>"]', text.replace("<BR/>", ""))
    assert "&#38;amp;" in text and "&#233;" in text and "&#128512;" in text
    assert "\\\\N" in text and "\n" not in text


def test_dot_html_keeps_plain_text_readable():
    assert dot_html("score >= 4 and {low, high} | x") == "score &#62;= 4 and {low, high} | x"


def test_dot_id_is_always_quoted_and_closed():
    assert dot_id("node") == '"node"'
    assert dot_id('a"b\\') == '"a\\"b\\\\"'


def test_mermaid_text_encodes_everything_but_plain_words():
    text = mermaid_text(HOSTILE)
    assert re.fullmatch(r"[A-Za-z0-9 .,:_/()?!+=*#;-]*", text.replace("<br/>", ""))
    assert "#34;" in text and "#60;script#62;" in text and "#124;" in text and "#128512;" in text


@pytest.mark.parametrize("name", ["end", "graph", "subgraph", "style", "x"])
def test_mermaid_ids_are_prefixed_so_reserved_words_are_safe(name):
    assert mermaid_id("n", name) == f"n_{name}"


def test_mermaid_id_refuses_an_unsafe_name():
    with pytest.raises(ValueError):
        mermaid_id("n", "a b")


def test_wrap_breaks_at_spaces_and_keeps_long_words_whole():
    text = wrap("bladder_or_bowel_dysfunction or saddle_anaesthesia or weakness", 22)
    assert text.split("\n") == ["bladder_or_bowel_dysfunction", "or saddle_anaesthesia", "or weakness"]
