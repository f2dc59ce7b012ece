"""Every example in the README and the docs runs as written, in a fresh copy of the project.

The commands are the lines of the documents' ```sh blocks, run one after another with bash
in one temporary copy of the checkout (its tracked files), in the documents' reading order,
so an example may use what an earlier one made (the README's `collect` makes the
`mit_register.xlsx` its next example reads). A block the documents show as a file (an
example answer from a forvaltning, a saved scenario) is preceded by
``<!-- fil: PATH -->`` and written to PATH before the commands after it run.

The copy gets an environment of its own (``.venv`` without pip, whose Python finds the
copy's own ``analysis`` first and this environment's installed packages after it), so the
examples render into the copy and never touch this checkout or this environment.

Some examples cannot run here; :data:`CANNOT_RUN` lists them, each with why, and a test
checks that every entry still names an example.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the reading order: the README, then the docs by role (as the README's table lists them),
# then the reference pages and the data contracts; the developer docs last
DOCUMENTS = [
    "README.md",
    "docs/index.md",
    "docs/analysts.md",
    "docs/options.md",
    "docs/operators.md",
    "docs/reviewers.md",
    "docs/reference.md",
    "docs/assumptions.md",
    "data/README.md",
    "CONTRIBUTING.md",
    "docs/benchmarks.md",
]
# Examples that cannot run here: a part of the command → why.
CANNOT_RUN = {
    "conda env create": "conda is not on this machine (pip and venv are what the tests use)",
    "make test": "the test suite itself (this test is part of it)",
    "make pdf": "prints with Chromium; the PDF has its own test (tests/test_pdf.py)",
    "make lab": "starts JupyterLab and waits for a person; the lab has its own browser test (tests/test_lab.py)",
    "--scheduler tcp://": "needs a Dask cluster on other machines; a local cluster has its own test",
}
BLOCK = re.compile(
    r"(?:<!--\s*fil:\s*(?P<file>\S+)\s*-->\s*\n)?^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```",
    re.M | re.S,
)


def _dedent(body: str, indent: str) -> str:
    return "\n".join(line[len(indent) :] if line.startswith(indent) else line for line in body.splitlines()) + "\n"


def examples(document: str) -> list[tuple[str, str]]:
    """The document's examples in order: ("run", command) for each command line of a ```sh
    block (a line ending in a backslash continues), ("file", path + NUL + text) for a block
    marked as a file."""
    text = (ROOT / document).read_text(encoding="utf-8")
    found = []
    for match in BLOCK.finditer(text):
        body = _dedent(match.group("body"), match.group("indent"))
        if match.group("file"):
            found.append(("file", f"{match.group('file')}\0{body}"))
        elif match.group("lang") == "sh":
            for line in body.replace("\\\n", " ").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    found.append(("run", line.strip()))
    return found


def cannot_run(command: str) -> str | None:
    return next((why for part, why in CANNOT_RUN.items() if part in command), None)


def test_the_documents_have_examples_and_every_exception_names_one():
    """The list of examples that cannot run stays true: each entry still names an example,
    and the documents still have runnable ones."""
    commands = [c for d in DOCUMENTS for kind, c in examples(d) if kind == "run"]
    assert len([c for c in commands if not cannot_run(c)]) >= 15
    for part in CANNOT_RUN:
        assert any(part in c for c in commands), f"CANNOT_RUN names no example any more: {part}"


def test_the_user_docs_commands_have_no_english_comments():
    """Danish user docs: a comment in a command is Danish (the developer docs are English)."""
    english = re.compile(r"\b(the|and|renders|every|one|for several|only|on the|with|stopped|fits)\b")
    for document in DOCUMENTS[:9]:
        for kind, command in examples(document):
            if kind == "run" and "#" in command:
                comment = command.split("#", 1)[1]
                assert not english.search(comment), f"{document}: {command}"


# --- the run --------------------------------------------------------------------------------------


def _fresh_copy(target: Path) -> Path:
    """The checkout's tracked files (as they are in the working tree), with their times."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _environment_for(copy: Path) -> None:
    """``copy/.venv``: a venv without pip whose Python imports the copy's ``analysis`` and
    this environment's packages, with this environment's commands (papermill, jupyter …)
    pointed at it, Jupyter's data (nbconvert's templates) shared and its kernels its own, and
    every ``make`` stamp set, so no example installs anything."""
    env = copy / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "digiramme_doc_examples.pth").write_text(f"{copy}\n{sysconfig.get_paths()['purelib']}\n", encoding="utf-8")
    real = Path(sys.prefix)
    for script in (real / "bin").iterdir():
        if script.name.startswith(("python", "pip", "activate", "Activate")) or not script.is_file():
            continue
        try:
            lines = script.read_text(encoding="utf-8").splitlines(keepends=True)
        except UnicodeDecodeError:
            continue
        if lines and lines[0].startswith("#!") and "python" in lines[0]:
            (env / "bin" / script.name).write_text(f"#!{python}\n" + "".join(lines[1:]), encoding="utf-8")
            (env / "bin" / script.name).chmod(0o755)
    shared = env / "share" / "jupyter"
    shared.mkdir(parents=True)
    for entry in (real / "share" / "jupyter").iterdir():
        if entry.name != "kernels":
            (shared / entry.name).symlink_to(entry)
    if (real / "etc").is_dir():
        (env / "etc").symlink_to(real / "etc")
    for stamp in ("installed", "test-installed", "lab-installed", "docs-installed"):
        (env / f".digiramme-{stamp}").touch()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("the fresh copy is made from git's list of tracked files")
    copy = _fresh_copy(tmp_path_factory.mktemp("frisk-kopi"))
    _environment_for(copy)
    home = tmp_path_factory.mktemp("hjem")
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "VIRTUAL_ENV",
            "CONDA_PREFIX",
            "PYTHONPATH",
            "MAKEFLAGS",
            "MAKELEVEL",
            "MFLAGS",
            "DIGIRAMME_ROOT",
            "DIGIRAMME_SCENARIER",
        )
    }
    env["HOME"] = str(home)  # `~/…` in an example lands here, not in the developer's home
    return {"root": copy, "env": env, "done": set()}


@pytest.mark.e2e
@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_example_runs_as_written(document, project):
    root, ran = project["root"], []
    expected = [c for kind, c in examples(document) if kind == "run" and not cannot_run(c) and c not in project["done"]]
    for kind, example in examples(document):
        if kind == "file":
            path, text = example.split("\0", 1)
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
            continue
        if cannot_run(example) or example in project["done"]:
            continue  # listed as impossible here, or the same example already ran in an earlier document
        done = subprocess.run(
            ["bash", "-c", example], cwd=root, env=project["env"], capture_output=True, text=True, timeout=900
        )
        project["done"].add(example)
        ran.append(example)
        assert done.returncode == 0, (
            f"{document}: `{example}` exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
        assert "Traceback" not in done.stderr, f"{document}: `{example}`\n{done.stderr[-3000:]}"
    assert ran == list(dict.fromkeys(expected))  # every runnable example ran, once
    assert not (root / ".venv" / "digiramme-installation.log").exists(), "an example installed something"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ([], ["2025 OFS", "2027 budget", "2026 OFS"]),
        (["EVENTS=budget"], ["2027 budget"]),  # before: EVENTS was read only with YEAR, and all three ran
        (["EVENTS=ofs"], ["2025 OFS", "2026 OFS"]),
        (["EVENTS=Budget OFS"], ["2025 OFS", "2027 budget", "2026 OFS"]),
        (["YEAR=2028", "EVENTS=budget"], ["2028 budget"]),
        (["YEAR=2028"], ["2028 budget", "2028 OFS"]),
        (["REPORTS=2026:budget"], ["2026 budget"]),
    ],
)
def test_make_report_renders_the_events_asked_for(arguments, expected):
    """`make report EVENTS=…` without YEAR renders the default reports of those events."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    script = "for report in {reports}; do echo $${{report%%:*}} $${{report##*:}}; done"
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", "Makefile", "-f", "-", "print-reports", *arguments],
        input=f"print-reports:\n\t@{script.format(reports='$(REPORTS)')}\n",
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == expected
