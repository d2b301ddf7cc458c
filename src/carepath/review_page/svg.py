"""Stage 5, review: Graphviz's SVG made fit to inline in the page: clean, clickable, scaled to the width."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Collection

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
# The elements Graphviz draws with; anything else (script, foreignObject, links) is dropped.
DRAWING = frozenset({"svg", "g", "title", "polygon", "polyline", "path", "ellipse", "circle", "rect", "line",
                     "text", "tspan", "defs"})
_LENGTH = re.compile(r"([0-9.]+)pt")


def inline(svg_text: str, nodes: Collection[str]) -> str:
    """SVG markup to place inside HTML: only drawing elements, no event handlers or links, each DSL
    node a focusable button (`data-node`), as wide as the page with its natural width in `--natural`."""
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(svg_text.encode("utf-8"))
    _clean(root)
    for group in root.iter(f"{{{SVG}}}g"):
        _mark_node(group, nodes)
    natural = _LENGTH.fullmatch(root.get("width", ""))
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    root.set("class", "chart")
    root.set("role", "img")
    if natural:
        root.set("style", f"--natural: {float(natural.group(1)):g}pt")
    return ET.tostring(root, encoding="unicode")


def _clean(element: ET.Element) -> None:
    """Drop every element that does not draw and every attribute that could act or fetch."""
    for child in list(element):
        if _local(child.tag) not in DRAWING:
            element.remove(child)
        else:
            _clean(child)
    for name in list(element.attrib):
        local = _local(name).lower()
        if local.startswith("on") or local == "href" or local == "style":
            del element.attrib[name]


def _mark_node(group: ET.Element, nodes: Collection[str]) -> None:
    """A node group whose DOT id is a DSL node: clickable and keyboard-focusable."""
    if "node" not in group.get("class", "").split():
        return
    title = group.find(f"{{{SVG}}}title")
    name = title.text if title is not None else None
    if name not in nodes:
        return
    group.set("class", "node clickable")
    group.set("data-node", name)
    group.set("tabindex", "0")
    group.set("role", "button")
    group.set("aria-label", f"show {name}")


def _local(tag: str) -> str:
    """A tag or attribute name without its namespace."""
    return tag.rsplit("}", 1)[-1]
