"""The committed diagrams/ are the current rendering of pathway.dsl."""
from __future__ import annotations

import hashlib

import carepath
from render_support import ROOT

DIAGRAMS = ROOT / "diagrams"
REFRESH = "diagrams are stale: run diagrams/refresh.sh and commit diagrams/"


def _recorded() -> dict[str, str]:
    """File name -> SHA-256 from diagrams/SOURCE (sha256sum format)."""
    lines = (DIAGRAMS / "SOURCE").read_text(encoding="utf-8").splitlines()
    return {name.lstrip("*"): digest for digest, name in (line.split(maxsplit=1) for line in lines)}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_committed_dot_and_mermaid_are_current(flagship):
    for name, format_ in (("pathway.dot", "dot"), ("pathway.mmd", "mermaid")):
        assert (DIAGRAMS / name).read_text(encoding="utf-8") == carepath.render(flagship, format_), REFRESH


def test_svg_and_png_were_drawn_from_the_current_dot(flagship):
    recorded = _recorded()
    assert recorded["pathway.dot"] == _sha256(carepath.render(flagship, "dot").encode()), REFRESH
    for name in ("pathway.mmd", "pathway.svg", "pathway.png"):
        assert recorded[name] == _sha256((DIAGRAMS / name).read_bytes()), REFRESH
