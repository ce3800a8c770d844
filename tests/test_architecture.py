"""The package's import rules (ARCHITECTURE.md), so the layout keeps meaning what it says.

- the core (every module outside sphinxext/, site/, upstream/) imports no Sphinx
  or docutils: the model, loading, checks, comparison and export run without them;
- sphinxext/ (the reusable policy extension) never imports site/ (this site's features);
- upstream/ (workarounds) imports nothing of the project but the version.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "extensions" / "policy_handbook"
SPHINX_PACKAGES = ("sphinx", "docutils", "sphinx_design", "myst_parser", "furo")


def _imports(path: Path) -> set[str]:
    """Absolute module names imported by ``path`` (relative imports resolved)."""
    module = ["policy_handbook", *path.relative_to(PACKAGE).with_suffix("").parts]
    if module[-1] == "__init__":
        module.pop()
    package = module if path.name == "__init__.py" else module[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("import_module", "setup_extension"):
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def _layer(path: Path) -> str:
    first = path.relative_to(PACKAGE).parts[0]
    return first if first in ("sphinxext", "site", "upstream") else "core"


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _is_sphinx(name: str) -> bool:
    return name.split(".")[0] in SPHINX_PACKAGES


def test_the_core_imports_no_sphinx_or_docutils():
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(n for n in _imports(p) if _is_sphinx(n))
        for p in _modules()
        if _layer(p) == "core" and p.relative_to(PACKAGE).as_posix() != "__init__.py"  # setup() forwarder only
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_the_policy_extension_never_imports_the_sites_features():
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(n for n in _imports(p) if n.startswith("policy_handbook.site"))
        for p in _modules()
        if _layer(p) == "sphinxext"
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_workarounds_import_nothing_of_the_project_but_its_version():
    offenders = {}
    for p in _modules():
        if _layer(p) != "upstream":
            continue
        ours = {n for n in _imports(p) if n.startswith("policy_handbook")}
        ours -= {"policy_handbook", "policy_handbook.__version__"}
        ours = {n for n in ours if not n.startswith("policy_handbook.upstream")}
        if ours:
            offenders[str(p.relative_to(PACKAGE))] = sorted(ours)
    assert not offenders


def test_the_rules_see_real_imports():
    """The checker itself: it finds the imports it is meant to judge."""
    assert "sphinx.application" in _imports(PACKAGE / "sphinxext" / "__init__.py")
    assert "policy_handbook.sphinxext.config.page_language" in _imports(PACKAGE / "site" / "language_switch.py")
    assert "policy_handbook.sphinxext" in _imports(PACKAGE / "site" / "__init__.py")
    assert "policy_handbook.model" in _imports(PACKAGE / "loader.py") or "policy_handbook.model.Policy" in _imports(PACKAGE / "loader.py")
