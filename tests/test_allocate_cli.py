"""`digiramme allocate`: the JSON contract, output files and bad input."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest
from helpers import VALID_FRAME, VALID_REGISTER

from analysis.cli import main
from analysis.inputs.financing_frame import load_frame

REQUIRED_KEYS = {"status", "objective", "mip_gap", "solve_time_s", "selected", "spending", "unspent", "excluded"}


@pytest.fixture
def run(capsys):
    """run(*args): ``digiramme allocate`` in this process, with its exit code and output."""

    def allocate(*args: str) -> SimpleNamespace:
        capsys.readouterr()
        code = main(["allocate", *args])
        out = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out.out, stderr=out.err)

    return allocate


def test_json_is_one_object_optimal_and_explained(write, run):
    register, frame = write("reg.csv", VALID_REGISTER), write("ramme.csv", VALID_FRAME)
    result = run("--strategy", "max-potential", "--register", str(register), "--frame", str(frame), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)  # the whole of stdout is one JSON object
    assert REQUIRED_KEYS <= set(data)
    assert data["status"] == "optimal" and data["mip_gap"] == 0
    assert data["solve_time_s"] >= 0
    assert all({"id", "start_year"} <= set(s) for s in data["selected"])
    assert all({"id", "reason"} <= set(e) for e in data["excluded"])
    years_pools = {(r["year"], r["pool"]) for r in data["spending"]}
    assert years_pools == {(y, p) for y in (2026, 2027) for p in ("service", "anlæg")}
    ids = {s["id"] for s in data["selected"]} | {e["id"] for e in data["excluded"]}
    assert ids == {"A", "B", "C", "D"}  # every need is either funded or explained
    assert "HiGHS" not in result.stdout


@pytest.mark.parametrize("strategy", ["priority", "max-benefit"])
def test_other_strategies_and_flags(strategy, run):
    result = run(
        "--strategy",
        strategy,
        "--cost-level",
        "max",
        "--no-carry-over",
        "--weights",
        "1;0,5;2;1",
        "--time-preference",
        "0",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["carry_over"] is False and data["cost_level"] == "max"
    # without carry-over each year's spending stays within that year's frame
    frame, _ = load_frame("data/ramme.csv")
    limits = {(r.aar, r.styringsomraade): r.beloeb for r in frame.itertuples()}
    for row in data["spending"]:
        assert row["amount"] <= limits[(row["year"], row["pool"])] + 1e-6


def test_output_csv_is_a_bevillinger_table(tmp_path, capsys):
    out = tmp_path / "forslag.csv"
    assert main(["allocate", "--strategy", "max-potential", "--output", str(out), "--no-explain"]) == 0
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert {"id", "aar", "styringsomraade", "beloeb"} <= set(table.columns)
    assert set(table["styringsomraade"]) <= {"service", "anlæg"}
    printed = capsys.readouterr().out
    assert "Størst potentiale" in printed


def test_output_xlsx_has_numbers_as_numbers(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "forslag.xlsx"
    assert main(["allocate", "--strategy", "max-benefit", "--output", str(out)]) == 0
    workbook = load_workbook(out)
    assert workbook.sheetnames[0] == "bevillinger"
    sheet = workbook["bevillinger"]
    header = [c.value for c in sheet[1]]
    amount = sheet.cell(row=2, column=header.index("beloeb") + 1).value
    assert isinstance(amount, int | float)


def test_unknown_ids_and_bad_weights_exit_2(capsys):
    assert main(["allocate", "--strategy", "priority", "--force-in", "NOPE"]) == 2
    assert '--force-in: "NOPE" er ikke et id i registeret' in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["allocate", "--strategy", "priority", "--weights", "1,2"])
    assert exit_info.value.code == 2


def test_output_never_overwrites_an_input(capsys):
    assert main(["allocate", "--strategy", "priority", "--output", "data/behovsregister.csv"]) == 2
    assert "inddatafil" in capsys.readouterr().err


def test_bad_register_exits_2_with_the_validate_lines(write, run):
    bad = write("reg.csv", "id;omraade;titel;omkostning_min;omkostning_max\nA;X;Y;ti;2\n")
    result = run("--strategy", "max-potential", "--register", str(bad), "--json")
    assert result.returncode == 2
    assert 'reg.csv række 2, kolonne omkostning_min: "ti" er ikke et tal' in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_infeasible_demands_exit_1_with_a_message(write, run):
    register, frame = write("reg.csv", VALID_REGISTER), write("ramme.csv", VALID_FRAME)
    # D is 25 mio. kr., 80 % anlæg (20 mio.) in one year, against an anlæg frame of 5 mio. in
    # 2026 and 10 mio. in 2027, year by year (no planned carry-over): by hand 15 mio. short
    # with a 2026 start, 10 mio. short with a 2027 start.
    args = ("--register", str(register), "--frame", str(frame), "--force-in", "D", "--json")
    result = run("--strategy", "max-potential", *args)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["status"] == "infeasible"
    assert data["message"] == (
        '"D" skal med, men kan ikke finansieres: start 2026: mangler 15 mio. kr. i alt, mest på anlæg i 2026 '
        "(15 mio. kr.); start 2027: mangler 10 mio. kr. i alt, mest på anlæg i 2027 (10 mio. kr.)."
    )


def test_no_plan_within_the_time_limit_names_the_flag_only_on_the_command_line(write):
    # A nanosecond ends before the model is built: no plan. The report's and the workbench's
    # words (result_message, also the JSON message) say so without a flag; the terminal adds it.
    from analysis.inputs.dataset import load_dataset
    from analysis.model import allocation
    from analysis.report import terminal
    from analysis.report.vocabulary import result_message

    data = load_dataset(register=write("reg.csv", VALID_REGISTER), frame=write("ramme.csv", VALID_FRAME))
    result = allocation.allocate(data.register, data.frame, allocation.Options(time_limit=1e-9))
    assert result.status == allocation.Status.TIME_LIMIT and not result.has_option
    assert result_message(result) == "Ingen løsning fundet inden for tidsgrænsen på 0,000000001 s."
    assert terminal.infeasible_text(result).splitlines() == [
        "Ingen løsning fundet inden for tidsgrænsen på 0,000000001 s.",
        "Giv mere tid med --time-limit.",
    ]
    assert "Giv mere tid med --time-limit." in terminal.allocation_text(result, data)
