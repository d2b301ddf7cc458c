"""The committed diagrams/ are the current rendering of pathway.dsl."""
from __future__ import annotations

import hashlib

import carepath
from carepath.diagram import section_file_stems
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


def test_every_section_has_its_committed_chart(flagship):
    """diagrams/ holds exactly one DOT, SVG and PNG per section of pathway.dsl, each current."""
    recorded = _recorded()
    stems = section_file_stems(flagship)
    expected = {f"{stem}.{extension}" for stem in stems.values() for extension in ("dot", "svg", "png")}
    assert {p.name for p in DIAGRAMS.glob("section-*")} == expected, REFRESH
    for section, stem in stems.items():
        dot = carepath.render(flagship, "dot", section=section)
        assert (DIAGRAMS / f"{stem}.dot").read_text(encoding="utf-8") == dot, REFRESH
        assert recorded[f"{stem}.dot"] == _sha256(dot.encode()), REFRESH
        for extension in ("svg", "png"):
            assert recorded[f"{stem}.{extension}"] == _sha256((DIAGRAMS / f"{stem}.{extension}").read_bytes()), REFRESH
