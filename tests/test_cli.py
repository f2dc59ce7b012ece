"""The command line as a scheduler meets it: each command once as a real process (the entry
point, exit codes, stdout and stderr), and every option's help and errors in Danish. The
other tests call ``main(argv)`` in this process."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys

import pytest
from helpers import VALID_FRAME, VALID_REGISTER

from analysis.cli import commands, main
from analysis.cli.parser import build_parser


def _digiramme(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


@pytest.fixture
def small(write) -> list[str]:
    return ["--register", str(write("reg.csv", VALID_REGISTER)), "--frame", str(write("ramme.csv", VALID_FRAME))]


def test_validate_runs_as_a_process(small):
    done = _digiramme("validate", *small)
    assert done.returncode == 0 and "Inddata er gyldige: 4 behov" in done.stdout, done.stderr


def test_template_and_collect_run_as_processes(tmp_path):
    workbook = tmp_path / "behov_BUF.xlsx"
    done = _digiramme("template", "--out", str(workbook), "--forvaltning", "BUF")
    assert done.returncode == 0 and workbook.exists(), done.stderr
    done = _digiramme("collect", str(workbook), "--out", str(tmp_path / "samlet.csv"), "--json")
    # an empty template holds no needs: refused, with one JSON object and exit 2
    assert done.returncode == 2 and json.loads(done.stdout)["needs"] == 0, done.stderr


def test_report_runs_as_a_process_and_refuses_a_year_outside_the_frame(tmp_path):
    done = _digiramme("report", "--year", "2031", "--event", "budget", "--out", str(tmp_path / "r"))
    assert done.returncode == 2 and "--year 2031 ligger uden for rammens år 2026–2029" in done.stderr
    assert not (tmp_path / "r").exists() and "Traceback" not in done.stderr


def test_allocate_runs_as_a_process_with_one_json_object(small):
    done = _digiramme("allocate", *small, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "optimal"


def test_followup_runs_as_a_process():
    done = _digiramme("followup", "--year", "2026", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["year"] == 2026, done.stderr


def test_robustness_runs_as_a_process_and_reports_its_progress_on_stderr(small):
    done = _digiramme("robustness", *small, "--samples", "20", "--no-adaptive", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["samples_drawn"] == 20
    assert "Robusthed, omkostninger: 20/20 udfald" in done.stderr


def test_kernel_runs_as_a_process():
    done = _digiramme("kernel")
    assert done.returncode == 0 and 'Kernen "digiramme" kører' in done.stdout, done.stderr


def test_archive_runs_as_a_process(tmp_path):
    done = _digiramme("archive", "--keep", "2", "--reports", str(tmp_path), "--dry-run")
    assert done.returncode == 0 and "Intet at fjerne" in done.stdout, done.stderr


def test_every_command_has_a_smoke_test_above():
    tested = {name.split("_")[1] for name in globals() if name.startswith("test_") and "process" in name}
    assert set(commands.COMMANDS) <= tested | {"template", "collect"}


def _options():
    parser = build_parser()
    for name, sub in parser._subparsers._group_actions[0].choices.items():
        for action in sub._actions:
            if not isinstance(action, argparse._HelpAction):
                yield name, action


def test_every_option_has_a_danish_help_text_with_decimal_commas_and_danish_placeholders():
    placeholders = {"STI", "FIL", "FIL.xlsx", "MAPPE", "NAVN", "ÅR", "SEK", "ANDEL", "TAL", "ANTAL", "FRØ"}
    placeholders |= {"ID-LISTE", "V1,V2,V3,V4", "REGISTER", "FILER", "ADRESSE", "T.KR", "ÅÅÅÅ-MM-DD"}
    for command, action in _options():
        assert action.help and len(action.help) > 10, (command, action.option_strings)
        english = re.findall(r"(?<![\d.:/])\d+\.\d+(?![\d.])", action.help)
        assert not english, (command, action.option_strings, english)  # 0,03, not 0.03
        if action.metavar is not None:
            assert action.metavar in placeholders, (command, action.metavar)
        assert "default" not in action.help  # argparse's English "(default: …)"


@pytest.mark.parametrize(
    "args, line",
    [
        (["allocate", "--time-preference", "-1"], '--time-preference: "-1" skal være mindst 0 og højst 1'),
        (["allocate", "--strategy", "best"], "--strategy: 'best' er ikke et gyldigt valg"),
        (["robustness", "--strategy", "priority"], "--strategy: 'priority' er ikke et gyldigt valg"),
        (["robustness", "--gap", "0,5"], '--gap: "0,5" skal være mindst 0 og højst 0,1'),
        (["followup"], "mangler: --year"),
    ],
)
def test_an_option_error_is_one_danish_line_that_points_to_help(args, line, capsys):
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and line in err[0], err
    assert err[0].endswith(f"se digiramme {args[0]} --help") and "brug:" not in err[0]
