"""The layers (README, "Architecture") hold: `dev.py lint` checks them, and so does the test suite."""

from __future__ import annotations

import ast
from pathlib import Path

import ecomap

ROOT = Path(ecomap.__file__).resolve().parent
CORE = ROOT / "core"


def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in `path`, relative ones resolved."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                if not node.module:  # from . import checks: the names are modules
                    found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
                    continue
                module = f"{base}.{node.module}"
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def test_core_imports_no_other_ecomap_app():
    # Function-local imports count too: they are how an upward dependency usually hides.
    upward = [
        f"{path.relative_to(ROOT.parent)}:{line} imports {module}"
        for path in sorted(CORE.rglob("*.py")) if "tests" not in path.relative_to(CORE).parts
        for line, module in _imported(path)
        if (module == "ecomap" or module.startswith("ecomap."))
        and not (module == "ecomap.core" or module.startswith("ecomap.core."))
    ]
    assert upward == []


def test_relative_imports_are_resolved():
    assert "ecomap.core.checks" in {m for _l, m in _imported(CORE / "apps.py")}  # from . import
    alerts = {m for _l, m in _imported(ROOT / "mutualaid" / "views" / "alerts.py")}
    assert {"ecomap.mutualaid.referrals", "ecomap.mutualaid.models"} <= alerts  # from ..


def test_the_import_contracts_hold(capsys):
    from importlinter import configuration
    from importlinter.application import use_cases

    configuration.configure()
    kept = use_cases.lint_imports(config_filename=str(ROOT.parent / ".importlinter"),
                                  cache_dir=None, no_logo=True)
    assert kept, capsys.readouterr().out
