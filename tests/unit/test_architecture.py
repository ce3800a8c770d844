"""The package's import rules (ARCHITECTURE.md), so the layout keeps meaning what it says.

- the core (every module outside sphinxext/, site/, upstream/) imports no Sphinx
  or docutils: the model, loading, checks, comparison and export run without them;
- sphinxext/ (the reusable policy extension) never imports site/ (this site's features);
- upstream/ (workarounds) imports nothing of the project but the version;
- no two modules import each other, directly or through others, not even inside a
  function (a feature hooks into another through a Sphinx event instead: the
  guideline directive emits ``policy-guideline-read`` and ``policy-guideline-meta``,
  which national.py connects to).
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

from helpers.paths import PACKAGE

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


def _module_name(path: Path) -> str:
    parts = ["policy_handbook", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.AST) -> set[ast.AST]:
    """Imports under ``if TYPE_CHECKING:``, which never run."""
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found.update(n for child in node.body for n in ast.walk(child))
    return found


def _module_imports(path: Path, modules: set[str], source: str | None = None) -> set[str]:
    """The project's modules ``path`` imports at run time: ``from . import i18n`` is the
    module i18n, ``from .render import Renderer`` the package render."""
    module = _module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    found = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    # The package's __init__ holds only __version__ and a setup() forwarder.
    return found - {module, "policy_handbook"}


def _has_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        return exc.args[1]
    return None


def test_no_import_cycles():
    paths = {_module_name(p): p for p in _modules()}
    graph = {name: _module_imports(path, set(paths)) for name, path in paths.items()}
    cycle = _has_cycle(graph)
    assert cycle is None, f"import cycle: {' -> '.join(cycle)}"


def test_the_cycle_check_sees_imports_inside_functions():
    """The checker itself: two modules importing each other only inside functions are a cycle."""
    a, b = PACKAGE / "sphinxext" / "a.py", PACKAGE / "sphinxext" / "b.py"  # never written: only their names matter
    modules = {"policy_handbook.sphinxext.a", "policy_handbook.sphinxext.b"}
    graph = {
        "policy_handbook.sphinxext.a": _module_imports(a, modules, "def f():\n    from .b import g\n"),
        "policy_handbook.sphinxext.b": _module_imports(b, modules, "def g():\n    from . import a\n"),
    }
    assert _has_cycle(graph) is not None
    typing_only = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import g\n"
    assert _module_imports(a, modules, typing_only) == set()
