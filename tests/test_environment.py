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
        elif section == "dependencies" and stripped.startswith("- "):
            names.add(_name(stripped[2:]))
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
