"""Nothing lost, nothing silently wrong, part two (issue #24), the runs: earlier report
folders and the archive, a scheduler's environment (a long TMPDIR, SIGTERM), the time
limit, one snapshot of the inputs, clean pages, and SIGKILL at every moment of a render
and a collect (fault injection): the target is always the old version or the whole new
one."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from helpers import VALID_FRAME, VALID_REGISTER

from analysis.cli import main
from analysis.inputs import paths
from analysis.report import render

MANIFEST = ".digiramme-filer.json"  # the report folder's list of what the package wrote
QUICK = {"notebooks": ["01_behovsregister.ipynb"], "log": lambda _m: None}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _whole(folder: Path) -> bool:
    """A report folder exactly as its manifest lists it: every file there, unchanged (size
    and sha256, computed here), and nothing else."""
    listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}
    present.discard(MANIFEST)
    return (
        present == set(listed)
        and all(
            (folder / rel).stat().st_size == entry["bytes"] and _sha(folder / rel) == entry["sha256"]
            for rel, entry in listed.items()
        )
        and "index.html" in listed
    )


def _started(folder: Path) -> str:
    return json.loads((folder / render.RUN_FILE).read_text(encoding="utf-8"))["started"]


def _hidden_beside(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.") and p.is_dir())


@pytest.fixture
def short_tmpdir():
    """A private TMPDIR on a short path, so that a killed run's kernel folder lands in it."""
    folder = Path(tempfile.mkdtemp(prefix="fi-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --- 1. only what the package wrote moves ---------------------------------------------------------------


@pytest.mark.e2e
def test_a_report_folder_holding_a_users_files_is_refused_naming_them_and_nothing_moves(tmp_path, capsys):
    out = tmp_path / "2026-budget"
    render.render_report(2026, "budget", out=out, **QUICK)
    assert _whole(out)
    (out / "mine-noter.txt").write_text("mit eget arbejde", encoding="utf-8")
    (out / "scenarier").mkdir()
    (out / "scenarier" / "mit.json").write_text('{"navn": "Mit"}', encoding="utf-8")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code = main(["report", "--year", "2026", "--event", "budget", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "mine-noter.txt" in err and "scenarier/mit.json" in err and "Intet er flyttet" in err
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not (tmp_path / "arkiv").exists()


@pytest.mark.e2e
def test_a_page_edited_by_hand_makes_the_folder_foreign_too(tmp_path, capsys):
    out = tmp_path / "2026-budget"
    render.render_report(2026, "budget", out=out, **QUICK)
    (out / "index.html").write_text("rettet i hånden", encoding="utf-8")
    assert main(["report", "--year", "2026", "--event", "budget", "--out", str(out)]) == 2
    assert "index.html" in capsys.readouterr().err
    assert (out / "index.html").read_text(encoding="utf-8") == "rettet i hånden"


@pytest.mark.e2e
def test_a_file_put_into_the_old_report_while_rendering_is_found_just_before_the_swap(tmp_path, monkeypatch):
    from analysis.inputs.findings import BadArgument

    out = tmp_path / "2026-budget"
    render.render_report(2026, "budget", out=out, **QUICK)
    old = _started(out)
    real = render.execute

    def meanwhile(source, target, parameters, *rest):
        (out / "kladde.txt").write_text("skrevet under kørslen", encoding="utf-8")
        return real(source, target, parameters, *rest)

    monkeypatch.setattr(render, "execute", meanwhile)
    with pytest.raises(BadArgument, match="kladde.txt"):
        render.render_report(2026, "budget", out=out, **QUICK)
    assert _started(out) == old and (out / "kladde.txt").exists()
    assert not (tmp_path / "arkiv").exists() and _hidden_beside(out) == []


def _legacy_report(folder: Path, run_date: str) -> None:
    """A report from before the manifest: marker, record, pages."""
    (folder / "notebooks").mkdir(parents=True)
    (folder / render.MARKER).write_text("", encoding="utf-8")
    (folder / "index.html").write_text("gammel rapport", encoding="utf-8")
    (folder / "01_behovsregister.html").write_text("gammel side", encoding="utf-8")
    (folder / "notebooks" / "01_behovsregister.ipynb").write_text("{}", encoding="utf-8")
    record = {"run_date": run_date, "provenance": {}}
    (folder / render.RUN_FILE).write_text(json.dumps(record), encoding="utf-8")


def test_an_old_report_without_a_manifest_counts_as_ours_only_for_a_reports_names(tmp_path, capsys):
    out = tmp_path / "2026-budget"
    _legacy_report(out, "2025-01-01")
    (out / "noter.docx").write_bytes(b"PK")
    assert main(["report", "--year", "2026", "--event", "budget", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "noter.docx" in err and "index.html" not in err.split("(eller som er ændret siden):")[1]
    assert (out / "noter.docx").exists() and (out / "index.html").exists()


@pytest.mark.e2e
def test_the_archive_path_is_computed_from_the_marker_never_read_from_koersel_json(tmp_path):
    reports = tmp_path / "reports"
    out = reports / "2026-budget"
    _legacy_report(out, "../../../x")  # a run date that would move the report outside arkiv/
    marked = datetime(2025, 3, 1, 12, 0).timestamp()
    os.utime(out / render.MARKER, (marked, marked))
    (reports / "arkiv" / "2026-budget" / "2025-03-01").mkdir(parents=True)  # empty, but there: never replaced
    render.render_report(2026, "budget", out=out, **QUICK)
    archived = reports / "arkiv" / "2026-budget" / "2025-03-01-2"
    assert (archived / "index.html").read_text(encoding="utf-8") == "gammel rapport"
    assert not any((reports / "arkiv" / "2026-budget" / "2025-03-01").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]  # nothing moved outside
    assert not (tmp_path / "x").exists() and not (reports / "x").exists()
    assert _whole(out)


# --- 2. the scheduler's environment ----------------------------------------------------------------------

LONG_TMPDIR_SCRIPT = r"""
import json, sys
from analysis.report import render
execute = sys.modules["analysis.report.render.execute"]
made = []
real = getattr(execute, "private_folder", None)
def recording():
    folder = real()
    made.append(str(folder))
    return folder
if real is not None:
    execute.private_folder = recording
render.render_report(2026, "budget", out=sys.argv[1], log=lambda m: None, parameters={"samples": 50})
print(json.dumps(made))
"""


@pytest.mark.e2e
def test_a_render_under_a_long_tmpdir_works_and_leaves_no_temporary_folder(tmp_path):
    long_tmp = tmp_path / ("t" * 90)
    long_tmp.mkdir()
    assert len(str(long_tmp)) > 100  # an Airflow task path: past a Unix socket path's 107 bytes with a socket name
    out = tmp_path / "rapport"
    done = subprocess.run(
        [sys.executable, "-c", LONG_TMPDIR_SCRIPT, str(out)],
        env={**os.environ, "TMPDIR": str(long_tmp)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert _whole(out) and (out / "04_robusthed.html").exists()
    made = json.loads(done.stdout.strip().splitlines()[-1])
    pages = [p for p in out.glob("[0-9][0-9]_*.html")]
    assert len(made) == len(pages) and all(not Path(p).exists() for p in made)  # each page's kernel folder, removed
    assert list(long_tmp.iterdir()) == []  # no pymp-*, no snapshot, no spec folder left
    assert _hidden_beside(out) == []


WIDGET_NOTEBOOK = [
    nbformat.v4.new_markdown_cell("# Fremdrift\n\nEn side, der i laboratoriet viser en fremdriftslinje."),
    nbformat.v4.new_code_cell(
        "show_progress: bool = True  # Vis fremdrift (i JupyterLab)", metadata={"tags": ["parameters"]}
    ),
    nbformat.v4.new_code_cell(
        "import ipywidgets\nfrom IPython.display import display\n"
        "if show_progress:\n    display(ipywidgets.IntProgress(value=1, max=2))"
    ),
    nbformat.v4.new_code_cell("display(ipywidgets.IntSlider(value=3))  # a widget shown whatever the setting"),
    nbformat.v4.new_markdown_cell("## Resultat\n\nSiden er statisk."),
]


@pytest.mark.e2e
def test_a_notebook_saved_with_show_progress_renders_without_widgets_scripts_or_cdn(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=WIDGET_NOTEBOOK)
    notebook.metadata["kernelspec"] = {"name": "digiramme", "display_name": "Python (digiramme)", "language": "python"}
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    folder = tmp_path / "nb"
    folder.mkdir()
    nbformat.write(notebook, str(folder / "05_fremdrift.ipynb"))
    out = render.render_report(
        2026,
        "budget",
        out=tmp_path / "rapport",
        notebooks=["05_fremdrift.ipynb"],
        notebook_dir=folder,
        log=lambda _m: None,
    )
    page = (out / "05_fremdrift.html").read_text(encoding="utf-8")
    assert "Siden er statisk" in page
    for forbidden in (
        "<script",
        "jupyter-widgets",
        "widget-view",
        "widget-state",
        "IntSlider",
        "IntProgress",
        "unpkg.com",
        "cdn.jsdelivr",
        "require.js",
    ):
        assert forbidden not in page, forbidden
    executed = nbformat.read(str(out / "notebooks" / "05_fremdrift.ipynb"), as_version=4)
    assert "show_progress = False" in "".join(
        c.source for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])
    )


def _slow_register(tmp_path: Path) -> tuple[Path, Path]:
    from analysis.inputs.synthetic import generate

    register, frame = generate(1000, seed=1)
    (tmp_path / "reg.csv").write_text(register, encoding="utf-8")
    (tmp_path / "ramme.csv").write_text(frame, encoding="utf-8")
    return tmp_path / "reg.csv", tmp_path / "ramme.csv"


def test_sigterm_ends_allocate_while_highs_holds_the_main_thread(tmp_path):
    register, frame = _slow_register(tmp_path)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analysis",
            "allocate",
            "--register",
            str(register),
            "--frame",
            str(frame),
            "--time-limit",
            "300",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(6)  # reading a 1.000-need register takes about 3 s; then HiGHS has the main thread
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=30)  # not a timing check: without a stop it would run 300 s
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("allocate did not stop on SIGTERM while HiGHS solved")
    assert process.returncode == 143, err
    assert "Stoppet (SIGTERM)" in err and "Traceback" not in err


class _Clock:
    """A fake clock for the allocate command: each call returns the next reading."""

    def __init__(self, readings):
        self.readings = list(readings)

    def __call__(self):
        return self.readings.pop(0) if len(self.readings) > 1 else self.readings[0]


def test_allocate_gives_the_solver_only_what_reading_left_of_the_time_limit(write, monkeypatch, capsys):
    from analysis.cli.commands import allocate
    from analysis.model.state import EventState

    register, frame = write("reg.csv", VALID_REGISTER), write("ramme.csv", VALID_FRAME)
    seen = []
    real = EventState.option

    def recording(state, options, frame_scale=None, overrides=None):
        seen.append(options.time_limit)
        return real(state, options, frame_scale, overrides)

    monkeypatch.setattr(EventState, "option", recording)
    # reading took 3 s of a 10 s limit (by hand: 7 s are left for the solver)
    monkeypatch.setattr(allocate.time, "perf_counter", _Clock([100.0, 103.0, 104.0]))
    args = ["allocate", "--register", str(register), "--frame", str(frame), "--time-limit", "10"]
    assert main(args) == 0
    assert seen == [7.0]
    # the whole command took 16 s of a 10 s limit: more than 5 s over, and said so
    monkeypatch.setattr(allocate.time, "perf_counter", _Clock([100.0, 100.5, 116.0]))
    assert main(args) == 1
    assert "løseren holdt ikke tidsgrænsen på 10,0 s (brugte 16,0 s)" in capsys.readouterr().err
    # reading used all of it
    monkeypatch.setattr(allocate.time, "perf_counter", _Clock([100.0, 111.0]))
    assert main(args) == 1
    assert "gik med at læse inddata" in capsys.readouterr().err


# --- 4. one snapshot of the inputs -------------------------------------------------------------------------


@pytest.mark.e2e
def test_a_register_replaced_while_the_report_renders_gives_one_report_from_the_first(tmp_path, monkeypatch):
    register = tmp_path / "data" / "behovsregister.csv"
    register.parent.mkdir()
    first = paths.DEFAULT_REGISTER.read_text(encoding="utf-8")
    register.write_text(first, encoding="utf-8")
    first_sha = _sha(register)
    header = first.splitlines()[0].split(";")
    row = {"id": "NY-99", "omraade": "Automatisering", "titel": "Et helt nyt behov"}
    row |= {"omkostning_min": "1000", "omkostning_max": "1000"}
    second = first.rstrip("\n") + "\n" + ";".join(row.get(name, "") for name in header) + "\n"
    real = render.execute

    def replaced_meanwhile(source, target, parameters, *rest):
        # collect --out writes atomically: a new file renamed over the old one
        fresh = register.with_name(".ny.csv")
        fresh.write_text(second, encoding="utf-8")
        os.replace(fresh, register)
        return real(source, target, parameters, *rest)

    monkeypatch.setattr(render, "execute", replaced_meanwhile)
    out = render.render_report(2026, "budget", inputs={"register": register}, out=tmp_path / "rapport", **QUICK)
    assert "NY-99" not in (out / "01_behovsregister.html").read_text(encoding="utf-8")
    recorded = json.loads((out / render.RUN_FILE).read_text(encoding="utf-8"))["provenance"]["inputs"]["register"]
    assert recorded == {"path": str(register), "sha256": first_sha}
    assert _sha(register) != first_sha  # the user's file is the second, untouched by the run


# --- 9. fault injection: SIGKILL at every moment --------------------------------------------------------------

KILL_SCRIPT = r"""
import os, signal, sys
from analysis.report.render import publish, swap
point = sys.argv[2]
def kill():
    os.kill(os.getpid(), signal.SIGKILL)
real_exchange, real_archive, real_rename = swap.exchange, publish.archive_folder, swap.rename_noreplace
def exchange(a, b):
    if point == "before-exchange":
        kill()
    real_exchange(a, b)
    if point == "after-exchange":
        kill()
def archive_folder(folder, target):
    moved = real_archive(folder, target)
    if point == "after-archive":
        kill()
    return moved
swap.exchange, publish.archive_folder = exchange, archive_folder
from analysis.report import render
render.render_report(2026, "budget", out=sys.argv[1], notebooks=["01_behovsregister.ipynb"], log=lambda m: None)
"""


def _killed_render(out: Path, point: str, tmpdir: Path, after: float | None = None) -> int:
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(out), point],
        env={**os.environ, "TMPDIR": str(tmpdir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if after is not None:
        time.sleep(after)
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=300)
    return process.returncode


@pytest.mark.e2e
@pytest.mark.parametrize(
    "point, after",
    [
        ("before-exchange", None),
        ("after-exchange", None),
        ("after-archive", None),
        ("time", 1.0),
        ("time", 4.0),
        ("time", 7.0),
    ],
)
def test_a_render_killed_at_any_moment_leaves_the_old_report_or_the_whole_new_one(tmp_path, short_tmpdir, point, after):
    out = tmp_path / "2026-budget"
    render.render_report(2026, "budget", out=out, **QUICK)
    old = _started(out)
    time.sleep(1.1)  # a new run's record differs from the old one's by its start second
    code = _killed_render(out, point, short_tmpdir, after)
    assert code in (-signal.SIGKILL, 0)
    assert _whole(out)  # the old report, or the whole new one
    if point == "before-exchange":
        assert _started(out) == old
    if point in ("after-exchange", "after-archive"):
        assert _started(out) != old
    # the next run, under the lock: archives an old report a kill left aside, removes drafts
    render.render_report(2026, "budget", out=out, **QUICK)
    assert _whole(out) and _hidden_beside(out) == []
    archived = [p for p in (tmp_path / "arkiv" / "2026-budget").iterdir()]
    assert all(_whole(p) for p in archived)
    assert old in [_started(p) for p in archived]  # the old report is never lost


COLLECT_KILL_SCRIPT = r"""
import os, signal, sys
point = sys.argv[1]
real_replace, real_chmod = os.replace, os.chmod
def kill():
    os.kill(os.getpid(), signal.SIGKILL)
def replace(a, b, **kw):
    if point == "before-rename":
        kill()
    real_replace(a, b, **kw)
    if point == "after-rename":
        kill()
def chmod(path, mode, **kw):
    if point == "written" and str(path).endswith(".csv"):
        kill()
    real_chmod(path, mode, **kw)
os.replace, os.chmod = replace, chmod
from analysis.cli import main
sys.exit(main(["collect", *sys.argv[2:]]))
"""


@pytest.mark.parametrize(
    "point, after",
    [
        ("written", None),
        ("before-rename", None),
        ("after-rename", None),
        ("time", 0.3),
        ("time", 0.8),
        ("time", 1.5),
    ],
)
def test_a_collect_killed_at_any_moment_leaves_the_old_register_or_the_whole_new_one(
    tmp_path, short_tmpdir, point, after
):
    from analysis.inputs.register import load_register

    header = "id;omraade;titel;omkostning_min;omkostning_max\n"
    old_files = [tmp_path / "a.csv"]
    old_files[0].write_text(header + "".join(f"A{k};Data;T;1;2\n" for k in range(50)), encoding="utf-8")
    new_files = [tmp_path / "b.csv", tmp_path / "c.csv"]
    new_files[0].write_text(header + "".join(f"B{k};Data;T;1;2\n" for k in range(400)), encoding="utf-8")
    new_files[1].write_text(header + "".join(f"C{k};Data;T;1;2\n" for k in range(400)), encoding="utf-8")
    out = tmp_path / "ud" / "samlet.csv"
    assert main(["collect", *map(str, old_files), "--out", str(out)]) == 0
    process = subprocess.Popen(
        [sys.executable, "-c", COLLECT_KILL_SCRIPT, point, *map(str, new_files), "--out", str(out)],
        env={**os.environ, "TMPDIR": str(short_tmpdir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if after is not None:
        time.sleep(after)
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=120)
    register, findings = load_register(out)
    assert not [f for f in findings if f.is_error]
    ids = set(register["id"])
    old_ids = {f"A{k}" for k in range(50)}
    new_ids = {f"B{k}" for k in range(400)} | {f"C{k}" for k in range(400)}
    assert ids in (old_ids, new_ids)
    if point == "before-rename" or point == "written":
        assert ids == old_ids
    if point == "after-rename":
        assert ids == new_ids


def test_a_submission_saved_again_while_collect_runs_is_read_once(tmp_path, monkeypatch, capsys):
    from analysis.inputs import intake
    from analysis.inputs.register import load_register

    header = "id;omraade;titel;omkostning_min;omkostning_max\n"
    submission = tmp_path / "behov_BUF.csv"
    submission.write_text(header + "BUF-01;Data;Første udgave;1;2\n", encoding="utf-8")
    real = intake._raw_rows

    def saved_again_meanwhile(path):
        rows = real(path)
        fresh = tmp_path / ".ny.csv"  # the forvaltning saves a new version, atomically
        fresh.write_text(header + "BUF-07;Net;Anden udgave;5;6\nBUF-08;Net;Anden udgave;5;6\n", encoding="utf-8")
        os.replace(fresh, submission)
        return rows

    monkeypatch.setattr(intake, "_raw_rows", saved_again_meanwhile)
    out = tmp_path / "samlet.csv"
    assert main(["collect", str(submission), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    register, _ = load_register(out)
    # one version, the first, whole: the register written and the summary said agree
    assert list(register["id"]) == ["BUF-01"] and list(register["titel"]) == ["Første udgave"]
    assert summary["needs"] == 1 and summary["files"][0]["expected_cost"] == 1.5  # by hand: (1 + 2) / 2
