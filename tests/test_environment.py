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
    for module in sorted(third_party - set(OPTIONAL)):
        dists = {_name(d) for d in owners.get(module, [module])}
        if not dists & declared:
            undeclared[module] = sorted(dists)
    assert undeclared == {}


# The imports only an extra provides: the module → its extra. Each is imported inside the
# function that needs it, never at a module's top, so the package works without it.
OPTIONAL = {"distributed": "dask"}


def test_an_extras_package_is_imported_only_where_it_is_needed():
    import ast

    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {_name(r) for r in project["dependencies"]}
    for module, extra in OPTIONAL.items():
        assert module in {_name(r) for r in project["optional-dependencies"][extra]}
        assert module not in core
    for path in (paths.ROOT / "analysis").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # the module's top level
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & set(OPTIONAL), f"{path.name} imports an extra at its top"


def test_jupyterlab_and_dask_are_extras_and_defusedxml_is_declared():
    """Only the lab and --scheduler need JupyterLab and Dask: every other use installs
    neither. openpyxl parses uploaded workbooks safely only with defusedxml installed, so it
    is declared rather than left to another package's dependencies."""
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {_name(r) for r in project["dependencies"]}
    extras = {name: {_name(r) for r in reqs} for name, reqs in project["optional-dependencies"].items()}
    assert "jupyterlab" not in core and "distributed" not in core
    assert "jupyterlab" in extras["lab"] and "distributed" in extras["dask"]
    assert {"jupyterlab", "distributed"} <= extras["test"]  # make test drives the lab and a Dask cluster
    assert "defusedxml" in core
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # openpyxl found it and reads workbooks through it


def _pins() -> dict[str, str]:
    pins = {}
    for line in (paths.ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[_name(name)] = version.strip()
    return pins


def test_constraints_pin_every_declared_package_within_its_bounds():
    """`make setup` installs from constraints.txt: every package pyproject.toml names, in
    every extra, has an exact version there that its lower bound allows."""
    from packaging.requirements import Requirement

    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins()
    requirements = [Requirement(r) for r in project["dependencies"]]
    requirements += [Requirement(r) for reqs in project["optional-dependencies"].values() for r in reqs]
    for requirement in requirements:
        name = _name(requirement.name)
        assert name in pins, f"{name} is not pinned in constraints.txt (make lock)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])


def test_the_makefile_installs_from_the_constraints():
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    install = (paths.ROOT / "tools" / "install.py").read_text(encoding="utf-8")
    assert "$(STAMP): pyproject.toml constraints.txt" in makefile
    assert '"-c", str(CONSTRAINTS)' in install
