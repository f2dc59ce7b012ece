"""A scheduled job that knows what is due: ``digiramme report --due [--date D] [--dry-run]``
works out the event of KK's cycle from the date, so the crontab never changes."""

from __future__ import annotations

import datetime

import pytest

from analysis.cli import main
from analysis.model import cycle
from analysis.model.cycle import Event


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        # the examples: spring is the OFS on last year's accounts, late summer next year's budget
        ("2027-03-15", Event("OFS", 2026)),
        ("2027-08-20", Event("budget", 2028)),
        ("2026-01-01", Event("OFS", 2025)),  # OFS 25/26, the frame's first udmøntning
        ("2026-06-30", Event("OFS", 2025)),
        ("2026-07-01", Event("budget", 2027)),
        ("2025-09-01", Event("budget", 2026)),  # the budget that set the frame up
    ],
)
def test_the_event_due_on_a_date(on, expected):
    assert cycle.due(datetime.date.fromisoformat(on)) == expected


def test_dry_run_says_what_it_would_render_and_renders_nothing(tmp_path, capsys):
    out = tmp_path / "rapport"
    assert main(["report", "--due", "--date", "2027-03-15", "--dry-run", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == (f"Ville danne Overførselssagen 26/27 (--year 2026 --event OFS) i {out}")
    assert not out.exists()
    assert main(["report", "--due", "--date", "2027-08-20", "--dry-run"]) == 0
    assert "Budget 2028 (--year 2028 --event budget)" in capsys.readouterr().out


def test_a_date_outside_the_frames_life_has_nothing_due(capsys):
    # the shipped frame runs 2026–2029: Budget 2031 (August 2030) is after its life
    assert main(["report", "--due", "--date", "2030-08-01"]) == 0
    assert (
        "Intet at danne 2030-08-01: Budget 2031 ligger uden for rammens forløb (2026–2029)." in capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2027"], "angiv både --year og --event, eller --due"),
        (["--due", "--year", "2027"], "--due vælger selv år og begivenhed"),
        (["--date", "2027-03-15", "--year", "2026", "--event", "OFS"], "--date gælder kun sammen med --due"),
        (["--due", "--date", "15-03-2027"], '"15-03-2027" er ikke en dato på formen ÅÅÅÅ-MM-DD'),
    ],
)
def test_a_bad_combination_is_exit_2_with_one_line(args, message, capsys):
    try:
        code = main(["report", *args])
    except SystemExit as stop:  # a usage error: argparse's own exit, with the one Danish line
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_second_run_is_refused_before_the_renderer_or_the_data_is_loaded(tmp_path):
    """The lock refuses at once: the second run ends with exit 1 without importing the
    renderer (which took seconds on a busy machine before the lock was even looked at)."""
    import subprocess
    import sys

    out = tmp_path / "rapport"
    script = f"""
import fcntl, sys
from pathlib import Path
target = Path({str(out)!r}).resolve()
handle = open(target.parent / f".{{target.name}}.lock", "w")
fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another run holds the report
from analysis.cli import main
code = main(["report", "--year", "2027", "--event", "budget", "--out", str(target)])
print(code, "analysis.report.render" in sys.modules, "analysis.inputs.dataset" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["1", "False", "False"], done.stdout + done.stderr
    assert "en anden kørsel skriver allerede" in done.stderr and not out.exists()


def _archived_copy(folder, extra=None):
    from analysis.report.render import manifest
    from analysis.report.render.publish import MARKER

    folder.mkdir(parents=True)
    (folder / MARKER).write_text("digiramme\n", encoding="utf-8")
    (folder / "index.html").write_text("<html></html>", encoding="utf-8")
    manifest.write(folder)
    if extra:
        (folder / extra).write_text("mine", encoding="utf-8")
    return folder


def test_archive_keep_prunes_only_what_the_package_wrote(tmp_path, capsys):
    archive = tmp_path / "arkiv" / "2027-budget"
    old = _archived_copy(archive / "2026-08-01")
    second = _archived_copy(archive / "2026-08-01-2")
    noted = _archived_copy(archive / "2026-08-15", extra="mine-noter.txt")  # a user's file added later
    newest = _archived_copy(archive / "2026-09-01")
    stranger = archive / "2026-07-01"  # not a report the package wrote
    stranger.mkdir()
    (stranger / "x.txt").write_text("x", encoding="utf-8")

    assert main(["archive", "--keep", "1", "--reports", str(tmp_path), "--dry-run"]) == 0
    assert "Ville fjerne" in capsys.readouterr().out and old.exists()  # a dry run removes nothing

    assert main(["archive", "--keep", "1", "--reports", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert not old.exists() and not second.exists()  # older, and whole: removed, -2 after its day
    assert newest.exists()  # the newest one kept
    assert noted.exists() and "mine-noter.txt" in out  # holds a user's file: kept, and said why
    assert stranger.exists() and (stranger / "x.txt").exists()  # never touched


def test_provenance_keeps_the_commit_when_git_status_is_slow(monkeypatch):
    import subprocess

    from analysis.report import provenance

    real = subprocess.run

    def slow_status(args, **kwargs):
        if "status" in args:
            raise subprocess.TimeoutExpired(args, kwargs.get("timeout"))
        return real(args, **kwargs)

    monkeypatch.setattr(provenance.subprocess, "run", slow_status)
    found = provenance.git_commit()
    commit = real(["git", "rev-parse", "HEAD"], cwd=provenance.paths.ROOT, capture_output=True, text=True).stdout
    assert found == commit.strip() + provenance.UNKNOWN_DIRTY


def test_the_shipped_register_named_by_its_path_is_the_shipped_register(tmp_path):
    """`--register data/behovsregister.csv` (or a copy of it) keeps the shipped follow-up
    files and the note's range checks; it used to count as another register, and a
    Budget 2027 report then failed inside notebook 02 for want of --bevillinger."""
    import shutil

    from analysis.inputs import paths
    from analysis.inputs.dataset import input_paths

    default = input_paths()
    named = input_paths(register=paths.DEFAULT_REGISTER)
    copy = tmp_path / "behovsregister.csv"
    shutil.copyfile(paths.DEFAULT_REGISTER, copy)
    copied = input_paths(register=copy)
    for found in (named, copied):
        assert {"bevillinger", "forbrug", "gevinster", "range_claims"} <= set(found)
        assert set(found) == set(default)
    copy.write_text(copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # another register now
    assert "bevillinger" not in input_paths(register=copy)


def test_dry_run_loads_neither_the_renderer_nor_pandas(tmp_path):
    """``--due --dry-run`` answers at once: it reads the frame's years without pandas and
    never imports the renderer (3 s on a quiet machine before, 10–17 s on a busy one)."""
    import subprocess
    import sys

    script = """
import sys
from analysis.cli import main
code = main(["report", "--due", "--date", "2027-03-15", "--dry-run"])
print(code, *(name in sys.modules for name in ("analysis.report.render", "pandas", "numpy")))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1].split() == ["0", "False", "False", "False"], done.stdout + done.stderr
    assert "Ville danne Overførselssagen 26/27 (--year 2026 --event OFS)" in done.stdout


def test_due_with_a_frame_the_quick_reading_cannot_read_loads_it_in_full(tmp_path, capsys):
    frame = tmp_path / "ramme.csv"
    frame.write_text("aar;styringsomraade;beloeb\nto tusind;service;1000\n", encoding="utf-8")
    assert main(["report", "--due", "--date", "2027-03-15", "--dry-run", "--frame", str(frame)]) == 2
    out = capsys.readouterr()
    assert 'ramme.csv række 2, kolonne aar: "to tusind" er ikke et tal' in out.out + out.err


@pytest.mark.parametrize(("given", "event"), [("Budget", "budget"), ("BUDGET", "budget"), ("ofs", "OFS"), ("Ofs", "OFS")])
def test_the_event_is_accepted_in_any_case(given, event, tmp_path, capsys):
    out = tmp_path / "rapport"
    assert main(["report", "--year", "2027", "--event", given, "--dry-run", "--out", str(out)]) == 0
    assert f"(--year 2027 --event {event})" in capsys.readouterr().out


def test_an_unknown_event_is_refused_in_danish(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["report", "--year", "2027", "--event", "bidget"])
    assert stop.value.code == 2
    assert "--event: 'bidget' er ikke et gyldigt valg; vælg 'budget', 'OFS'" in capsys.readouterr().err


def test_the_lock_is_taken_before_anything_loads_so_a_run_a_second_later_is_refused_at_once(tmp_path):
    """Two runs started about a second apart: the first holds the report's lock while it is
    still loading (here its renderer's import is held back until the test lets it go), and
    the second ends at once with exit 1. Before, the first took the lock only when its
    renderer had loaded the data, and the second was refused after 28 s."""
    import subprocess
    import sys
    import time

    from analysis.report import locks

    out = (tmp_path / "rapport").resolve()
    go = tmp_path / "go"
    first = f"""
import sys, time
from pathlib import Path

class HeldBack:  # the renderer's import waits for the test: a slow load, made long on purpose
    def find_spec(self, name, path=None, target=None):
        if name == "analysis.report.render":
            while not Path({str(go)!r}).exists():
                time.sleep(0.05)
            raise SystemExit(0)
        return None

sys.meta_path.insert(0, HeldBack())
from analysis.cli import main
sys.exit(main(["report", "--year", "2027", "--event", "budget", "--out", {str(out)!r}]))
"""
    running = subprocess.Popen([sys.executable, "-c", first], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not locks.is_busy(out) and time.monotonic() < deadline and running.poll() is None:
            time.sleep(0.1)
        assert locks.is_busy(out), "the first run did not take the lock while loading"
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "analysis", "report", "--year", "2027", "--event", "budget", "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 1, second.stderr
        assert "en anden kørsel skriver allerede" in second.stderr
        assert running.poll() is None  # refused while the first was still loading, not after it
        del started  # how long it took is not asserted (tests never assert timings)
    finally:
        go.write_text("go", encoding="utf-8")
        running.wait(timeout=60)
    assert not out.exists()


def test_a_refused_out_leaves_no_lock_file_beside_it(tmp_path, capsys):
    """The lock is taken before the data loads, so before ``--out`` is checked; a run refused
    with exit 2 removes the lock file it made."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "noter.txt").write_text("mine noter", encoding="utf-8")
    assert main(["report", "--year", "2026", "--event", "budget", "--out", str(mine)]) == 2
    assert "--out" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
    assert (mine / "noter.txt").read_text(encoding="utf-8") == "mine noter"
