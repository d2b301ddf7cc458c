"""Stage 4, rendering: the one palette (colours, fonts, captions) every output language draws with."""
from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Style:
    """How a box or arrow is drawn: fill, outline and text colours, outline width."""

    fill: str
    line: str
    text: str
    width: float = 1.0


FONT = "DejaVu Sans"
MONO = "DejaVu Sans Mono"

STYLES: dict[str, Style] = {
    "step": Style("#eef3fb", "#3d5a80", "#1b1b1b"),
    "urgent": Style("#ffe8cc", "#d9480f", "#1b1b1b", 2.0),
    "emergency": Style("#ffc9c9", "#c92a2a", "#1b1b1b", 3.0),
    "decision": Style("#fff3bf", "#a07800", "#1b1b1b"),
    "terminal": Style("#e9ecef", "#495057", "#1b1b1b"),
    "section": Style("#ffffff", "#adb5bd", "#495057"),
    "arrow": Style("#ffffff", "#495057", "#343a40"),
    "finding": Style("#fff5f5", "#e03131", "#c92a2a", 3.0),
    "warning": Style("#fff9db", "#f08c00", "#8f5b00", 2.0),
    "needs": Style("#fff4e6", "#e8590c", "#a33c00", 3.0),
    "path": Style("#ebfbee", "#2b8a3e", "#1b1b1b", 3.0),
    "faded": Style("#f8f9fa", "#ced4da", "#adb5bd"),
    "definitions": Style("#f8f0fc", "#9c36b5", "#1b1b1b"),
}

# Text colours inside a box.
NAME_TEXT = "#868e96"
CODE_TEXT = "#364fc7"
GUARD_TEXT = "#5f3dc4"
CAUTION_TEXT = "#b35900"
EMITTED_TEXT = "#2b8a3e"
SOURCE_TEXT = "#495057"

CAUTION_MARK = "\u26a0"
EMITTED_MARK = "\u2714"
FINDING_MARK = "\u2716"
WARNING_MARK = "\u25b2"

# What each legend entry shows: (style name, shape role, caption).
LEGEND: dict[str, tuple[str, str, str]] = {
    "terminal": ("terminal", "terminal", "start / stop"),
    "decision": ("decision", "decision", "decision: its question; arrows carry the guards"),
    "first_match": ("decision", "text", "1., 2., ...: first match, branches tried in this order"),
    "step": ("step", "step", "step: recommendation codes and texts"),
    "urgent": ("urgent", "step", "urgent step"),
    "emergency": ("emergency", "step", "emergency step"),
    "guarded": ("step", "text", "when ...: a recommendation given only when its guard holds"),
    "caution": ("step", "text", f"{CAUTION_MARK} caution attached to a recommendation"),
    "path": ("path", "step", "the case's path"),
    "emitted": ("path", "text", f"{EMITTED_MARK} recommendation the case receives"),
    "faded": ("faded", "step", "not reached by the case"),
    "needs": ("needs", "note", "the case stops here: facts it needs"),
    "finding": ("finding", "note", f"{FINDING_MARK} error found by carepath check"),
    "warning": ("warning", "note", f"{WARNING_MARK} warning from carepath check"),
    "definitions": ("definitions", "note", "derived values the guards read, defined in words"),
    "elsewhere": ("terminal", "terminal", "from / on to: nodes in another section"),
}


def box_style(base: str, state: str, marked: str) -> Style:
    """A box's style: its kind's colours, changed by the case overlay and by findings (`marked`
    names the style of the worst finding on it, "finding" for errors or "warning", else "")."""
    style = STYLES[base]
    if state == "faded":
        style = STYLES["faded"]
    elif state in ("path", "needs"):
        style = replace(style, line=STYLES[state].line, width=max(style.width, STYLES[state].width))
    if marked:
        style = replace(style, line=STYLES[marked].line, width=STYLES[marked].width)
    return style


def arrow_style(state: str) -> Style:
    """An arrow's style: by its overlay state (path, faded, needs, finding, warning), else plain."""
    return STYLES.get(state, STYLES["arrow"])
