"""environment.yml (conda) and pyproject.toml (pip) declare the same packages."""

from __future__ import annotations

import re
import tomllib

from analysis.inputs import paths


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _conda_packages() -> set[str]:
    names = set()
    section = None
    for line in (paths.ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not line.startswith((" ", "#")) and stripped.endswith(":"):
            section = stripped[:-1]  # a top-level key: name, channels, dependencies
        elif stripped.startswith("- pip:"):
            section = "pip"
        elif section in ("dependencies", "pip") and stripped.startswith("- ") and not stripped.startswith("- -e"):
            names.add(_name(stripped[2:]))  # the pip section holds what conda-forge does not carry
    return names - {"python", "pip"}


def test_environment_yml_and_pyproject_agree():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        pip_names |= {_name(r) for r in extra}
    assert _conda_packages() == pip_names


def test_environment_yml_installs_the_project_itself():
    text = (paths.ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "conda-forge" in text
    assert re.search(r"- pip:\s*\n\s*- -e \.\[test\]", text)


def test_every_package_the_code_imports_is_declared():
    """A direct import that only works because another package pulls it in breaks on the
    next release of that package; every third-party import must be a declared dependency."""
    import ast
    import sys
    from importlib.metadata import packages_distributions

    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    owners = packages_distributions()
    imported = set()
    for path in (paths.ROOT / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in ("analysis", "__future__")}
    undeclared = {}
    for module in sorted(third_party):
        dists = {_name(d) for d in owners.get(module, [module])}
        if not dists & declared:
            undeclared[module] = sorted(dists)
    assert undeclared == {}
