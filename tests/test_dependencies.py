"""Every base dependency in pyproject.toml is used by carepath itself, so none is installed for nothing."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Distribution names whose import name differs.
IMPORT_NAMES = {"pyyaml": "yaml", "z3-solver": "z3"}


def base_dependencies() -> list[str]:
    """The distribution names of [project].dependencies, lower case."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [re.split(r"[<>=!~; \[]", spec, maxsplit=1)[0].lower() for spec in project["dependencies"]]


def test_every_base_dependency_is_imported_by_the_package() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "carepath").rglob("*.py"))
    unused = [name for name in base_dependencies()
              if not re.search(rf"^\s*(import|from)\s+{re.escape(IMPORT_NAMES.get(name, name))}\b", source,
                               re.MULTILINE)]
    assert not unused, f"declared in pyproject.toml but never imported by src/carepath: {unused}"


def test_the_graphviz_python_package_is_not_a_dependency() -> None:
    """Charts are laid out by Graphviz's `dot` program (diagram/layout.py), not the Python wrapper."""
    assert "graphviz" not in base_dependencies()
