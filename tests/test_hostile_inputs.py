"""Nothing lost, nothing silently wrong: hostile files, options and output paths. Each class
of problem gives exit 2 and one Danish line naming file, row and column (or the option),
never a traceback, and never touches a file the package did not write."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from helpers import VALID_FRAME, VALID_REGISTER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from analysis.cli import main
from analysis.inputs import paths
from analysis.inputs.cells import parse_amount, parse_number
from analysis.inputs.contracts import REGISTER_COLUMNS
from analysis.inputs.reading import read_table
from analysis.inputs.register import load_register
from analysis.report import render

HEADER = "id;omraade;titel;omkostning_min;omkostning_max\n"


def _errors(findings) -> list[str]:
    return [str(f) for f in findings if f.is_error]


def _sentinels(folder: Path) -> dict[Path, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {folder / "mine.txt": b"mit eget arbejde", folder / "sub" / "noter.csv": b"a;b\n1;2\n"}
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return files


def _unchanged(files: dict[Path, bytes]) -> bool:
    return all(path.exists() and path.read_bytes() == content for path, content in files.items())


# --- 1. output paths never cost the user a file ------------------------------------------------


@pytest.mark.parametrize(
    "out, expected",
    [
        (".", "projektets rod"),
        ("data", "mappen med inddatafilen"),
        ("/", "projektets rod"),
    ],
)
def test_report_refuses_input_folders_the_root_and_their_ancestors(out, expected, capsys, monkeypatch):
    monkeypatch.chdir(paths.ROOT)
    before = sorted(p.name for p in paths.DATA_DIR.iterdir())
    assert main(["report", "--year", "2026", "--event", "budget", "--out", out]) == 2
    assert expected in capsys.readouterr().err
    assert sorted(p.name for p in paths.DATA_DIR.iterdir()) == before
    assert not (paths.ROOT / "arkiv").exists()


def test_report_refuses_a_users_folder_and_a_file_and_touches_nothing(tmp_path, capsys):
    files = _sentinels(tmp_path / "mine")
    for out in (tmp_path / "mine", tmp_path / "mine" / "mine.txt", tmp_path / "mine" / "mine.txt" / "under"):
        assert main(["report", "--year", "2026", "--event", "budget", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert "--out" in err and "Traceback" not in err
    assert _unchanged(files)
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["mine.txt", "sub"]


def test_unwritable_output_files_exit_2_with_a_danish_line(tmp_path, capsys):
    (tmp_path / "a_file").write_text("x")
    cases = [
        (tmp_path, "er en mappe"),
        (tmp_path / "a_file" / "bev.csv", "en del af stien er en fil"),
        (Path("/proc/digiramme/bev.csv"), "kan ikke skrives"),
    ]
    for target, expected in cases:
        assert main(["allocate", "--strategy", "priority", "--output", str(target)]) == 2
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err
    assert main(["report", "--year", "2026", "--event", "budget", "--out", "/proc/digiramme/rapport"]) == 2
    assert "kan ikke skrives" in capsys.readouterr().err


@pytest.mark.e2e
def test_rendering_next_to_sentinel_files_keeps_every_one_and_never_overwrites_an_archive(tmp_path):
    files = _sentinels(tmp_path)
    quick = {"notebooks": ["01_behovsregister.ipynb"], "log": lambda _m: None}
    out = tmp_path / "2026-budget"
    for _ in range(3):  # three runs the same day
        render.render_report(2026, "budget", out=out, **quick)
    assert _unchanged(files)
    archives = sorted(p.name for p in (tmp_path / "arkiv" / "2026-budget").iterdir())
    today = json.loads((out / "koersel.json").read_text(encoding="utf-8"))["run_date"]
    assert archives == [today, f"{today}-2"]  # each earlier report kept, none overwritten
    assert (out / render.MARKER).is_file()


@pytest.mark.e2e
# stopped while the first notebook runs, and at moments when a later notebook's kernel may be
# starting: a SIGTERM there once hung the render (swallowed by asyncio) and left the kernel
# behind, still making its sockets in the removed folder
@pytest.mark.parametrize("after", [2.0, 0.5, 2.4, 3.5])
def test_a_killed_render_removes_its_temporary_folders_and_kernel_files(tmp_path, after):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "rapport"
    process = subprocess.Popen(
        [sys.executable, "-m", "analysis", "report", "--year", "2026", "--event", "budget", "--out", str(out)],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.startswith(".rapport.") for p in tmp_path.iterdir()):
        time.sleep(0.1)
    time.sleep(after)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert "Stoppet (SIGTERM)" in err and "Traceback" not in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".rapport.") and p.is_dir()] == []
    assert list(scratch.iterdir()) == []  # the kernel's socket folder and connection file are gone
    assert "Parent appears to have exited" not in err  # no kernel outlived the render


# --- 2. numbers are finite and mean what they say -------------------------------------------------


@given(st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_the_cell_parsers_give_a_finite_number_nothing_or_a_danish_error(text):
    for parse in (parse_number, lambda t: parse_amount(t)[0]):
        try:
            value = parse(text)
        except ValueError as exc:
            assert str(exc)
            continue
        assert value is None or (isinstance(value, float) and abs(value) < float("inf"))


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_excel_numbers_that_are_not_finite_are_errors(value):
    try:
        parsed = parse_number(value)
    except ValueError:
        assert value != value or abs(value) == float("inf")
    else:
        assert parsed == value


def test_json_output_is_strict(write, capsys):
    register = write("reg.csv", VALID_REGISTER)
    frame = write("ramme.csv", VALID_FRAME)
    assert (
        main(["allocate", "--strategy", "max-potential", "--json", "--register", str(register), "--frame", str(frame)])
        == 0
    )
    text = capsys.readouterr().out
    json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


# --- 3. files are read whole or refused ---------------------------------------------------------


def test_an_unclosed_quote_is_an_error_at_the_row_where_it_opened(write):
    text = HEADER + 'A;X;"Y;1;2\nB;X;Z;1;2\nC;X;W;1;2\n'
    _, findings = load_register(write("reg.csv", text))
    assert _errors(findings) == [
        'reg.csv række 2: et anførselstegn (") åbnes her og lukkes aldrig, så resten af filen ville blive læst '
        "som ét felt; luk det, eller fjern det"
    ]


def test_a_formula_without_a_saved_value_is_an_error_not_an_empty_cell(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "behovsregister"
    sheet.append(["id", "omraade", "titel", "omkostning_min", "omkostning_max"])
    sheet.append(["A", "X", "Y", 1000, "=D2*2"])
    workbook.save(tmp_path / "reg.xlsx")  # openpyxl saves no computed value, as a program would
    _, findings = load_register(tmp_path / "reg.xlsx")
    assert _errors(findings) == [
        "reg.xlsx (ark behovsregister) række 2, kolonne omkostning_max: cellen har formlen =D2*2 men intet gemt "
        "resultat; åbn filen i Excel, og gem den"
    ]


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("reg.csv", (HEADER + "A;X;Y;1;2\n").encode("utf-16"), "gemt som UTF-16"),
        ("reg.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "det gamle Excel-format (.xls)"),
        ("reg.ods", b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet", ".ods"),
        ("reg.csv", ("Behovsregister 2027\n" + HEADER + "A;X;Y;1;2\n").encode(), "titel over overskrifterne"),
        ("reg.csv", (HEADER + "A;X;" + "y" * 6000 + ";1;2\n").encode(), "højst 5000 er tilladt"),
    ],
)
def test_foreign_formats_title_rows_and_long_cells_get_one_clear_line(write, name, data, expected):
    _, findings = load_register(write(name, data))
    errors = _errors(findings)
    assert len(errors) == 1 and expected in errors[0], errors


def test_an_endless_or_huge_file_is_refused_up_front(write, monkeypatch):
    from analysis.inputs import reading

    _, findings = load_register("/dev/zero")
    assert _errors(findings) == ["zero: /dev/zero er ikke en almindelig fil"]
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)
    _, findings = load_register(write("reg.csv", HEADER + "A;X;Y;1;2\n" * 100))
    assert _errors(findings) == ["reg.csv: filen er større end 0 MB; så store inddata læses ikke"]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_csv_reader_never_raises_on_any_text(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "reg.csv"
    path.write_text(text, encoding="utf-8")
    table, findings = read_table(path, "behovsregister", ["id"])
    assert table is not None or findings


CELL_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=12)  # what a workbook can hold


@given(st.lists(st.lists(st.one_of(st.none(), CELL_TEXT, st.floats(), st.integers()), max_size=6), max_size=6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_register_loader_never_raises_on_any_workbook(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("fuzz") / "reg.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.name for c in REGISTER_COLUMNS[:5]])
    for row in rows:
        sheet.append([v for v in row])
    workbook.save(path)
    table, findings = load_register(path)
    assert table is not None or _errors(findings)


# --- 4. ids and text -----------------------------------------------------------------------------


def test_ids_that_differ_only_in_case_or_encoding_are_duplicates(write):
    decomposed = unicodedata.normalize("NFD", "Å1")
    text = HEADER + f"Å1;X;Y;1;2\n{decomposed};X;Z;1;2\nå1;X;W;1;2\n"
    _, findings = load_register(write("reg.csv", text))
    assert _errors(findings) == [
        'reg.csv række 3, kolonne id: id "Å1" findes også i række 2',
        'reg.csv række 4, kolonne id: id "å1" er det samme som "Å1", der findes i række 2',
    ]


@pytest.mark.parametrize("bad", ["=SUM(A1)", "-A", "@B", "+C", " _X"])
def test_an_id_must_start_with_a_letter_or_a_digit(write, bad):
    _, findings = load_register(write("reg.csv", HEADER + f'"{bad}";X;Y;1;2\n'))
    errors = _errors(findings)
    assert len(errors) == 1 and "skal begynde med et bogstav eller et tal" in errors[0]


def test_invisible_characters_are_shown_in_ids_and_headers(write):
    # an optional column's header: a required one missing stops before the rows are read
    header = HEADER.rstrip("\n") + ";beskrivelse\u200b\n"
    _, findings = load_register(write("reg.csv", header + "A\u200b;X;Y;1;2;tekst\n"))
    text = "\n".join(str(f) for f in findings)
    assert 'id "A<U+200B>" indeholder et usynligt tegn' in text
    assert "kolonne beskrivelse<U+200B>" in text


def test_text_is_normalised_to_nfc(write):
    table, _ = load_register(write("reg.csv", HEADER + f"A;{unicodedata.normalize('NFD', 'Område')};Y;1;2\n"))
    assert table.loc[0, "omraade"] == unicodedata.normalize("NFC", "Område")


def test_a_long_chain_of_dependencies_loads(write):
    rows = ["id;omraade;titel;omkostning_min;omkostning_max;forudsaetter"]
    # as long as a register may be (limits.MAX_NEEDS, since #24): at Python's recursion limit
    rows += [f"N{i};X;Y;1;2;{'N' + str(i - 1) if i else ''}" for i in range(1000)]
    table, findings = load_register(write("reg.csv", "\n".join(rows) + "\n"))
    assert _errors(findings) == [] and len(table) == 1000


def test_the_output_csv_round_trips_unchanged_into_the_followup(write, tmp_path, capsys):
    register = write("reg.csv", VALID_REGISTER)
    frame = write("ramme.csv", VALID_FRAME)
    out = tmp_path / "bev.csv"
    assert (
        main(
            [
                "allocate",
                "--strategy",
                "priority",
                "--register",
                str(register),
                "--frame",
                str(frame),
                "--output",
                str(out),
            ]
        )
        == 0
    )
    capsys.readouterr()
    gevinster = write(
        "gev.csv",
        "id;indikator;enhed;retning;baseline;baseline_aar;maal;maal_aar;maaleaar;realiseret;ansvarlig\nA;I;antal;hoejere;0;2026;1;2027;;;ØKF\n",
    )
    forbrug = write("forbrug.csv", "id;aar;styringsomraade;forbrug\nA;2026;service;1\n")
    args = ["followup", "--year", "2026", "--json", "--register", str(register), "--frame", str(frame)]
    assert main(args + ["--bevillinger", str(out), "--forbrug", str(forbrug), "--gevinster", str(gevinster)]) == 0


# --- 5. options are checked like files -------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (["followup", "--year", "2026", "--cap", "1.5"], '--cap: "1.5" skal være mindst 0 og højst 1'),
        (["followup", "--year", "2026", "--cap", "nan"], '--cap: "nan" er ikke et endeligt tal'),
        (["allocate", "--strategy", "priority", "--time-limit", "0"], '--time-limit: "0" skal være over 0'),
        (["allocate", "--strategy", "priority", "--time-preference", "-0.1"], "skal være mindst 0"),
        (["allocate", "--strategy", "priority", "--time-preference", "inf"], "er ikke et endeligt tal"),
        (["allocate", "--strategy", "priority", "--weights", "1,nan,1,1"], "er ikke fire vægte"),
        (["robustness", "--samples", "0"], '--samples: "0" skal være mindst 1'),
        (["robustness", "--samples", "2000000"], "højst 1.000.000"),
        (["robustness", "--seed", "-1"], '--seed: "-1" skal være mindst 0'),
        (["validate", "--register", ""], "--register: stien er tom"),
        (["allocate", "--strategy"], "--strategy mangler en værdi"),
        (["allocate", "--strategy", "best"], "er ikke et gyldigt valg"),
        (["validate", "--bogus"], "ukendte tilvalg: --bogus"),
    ],
)
def test_bad_options_exit_2_with_a_danish_line(args, expected, capsys):
    try:
        code = main(args)
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err and "usage:" not in err


@given(st.text(max_size=20))
@settings(max_examples=150, deadline=None)
def test_numeric_options_accept_only_values_in_range(text):
    from analysis.cli import build_parser

    parser = build_parser()
    try:
        args = parser.parse_args(["followup", "--year", "2026", "--cap", text])
    except SystemExit as stop:
        assert stop.code == 2
    else:
        assert 0 <= getattr(args, "rules.cap") <= 1  # per-kind option names since #22


def test_a_year_outside_the_frame_is_refused_before_anything_runs(tmp_path, capsys):
    out = tmp_path / "rapport"
    began = time.perf_counter()
    assert main(["report", "--year", "2031", "--event", "OFS", "--out", str(out)]) == 2
    assert time.perf_counter() - began < 10 and not out.exists()
    assert "--year 2031 ligger uden for rammens år 2026–2029" in capsys.readouterr().err


# --- 6. honest results at the edges ------------------------------------------------------------------


def test_a_time_limit_without_any_solution_says_so_and_exits_1(capsys, monkeypatch):
    from analysis.model.allocation import solver
    from analysis.model.allocation.types import Status

    def no_solution(self, start_solution=None, time_limit=None):
        return solver.Solve(Status.TIME_LIMIT, None, None, None, 0.0, {})

    monkeypatch.setattr(solver.Model, "solve", no_solution)
    assert main(["allocate", "--strategy", "max-potential", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "time_limit" and out["selected"] == []
    assert out["message"].startswith("Ingen løsning fundet inden for tidsgrænsen")
    assert not any(e["reason"] == "outcompeted" for e in out["excluded"])


def test_robustness_with_an_obligatory_need_that_cannot_fit_exits_1_like_allocate(write, capsys):
    register = write(
        "reg2.csv", "id;omraade;titel;omkostning_min;omkostning_max;obligatorisk\nA;X;Y;900000;900000;ja\n"
    )
    frame = write("ramme.csv", VALID_FRAME)
    base = ["--register", str(register), "--frame", str(frame)]
    assert main(["allocate", "--strategy", "max-potential", *base]) == 1
    allocate_out = capsys.readouterr().out.splitlines()[1]
    assert main(["robustness", "--samples", "5", "--quiet", *base]) == 1
    # after the register's warning that 900.000 is more than the whole frame (#43)
    assert capsys.readouterr().err.strip().splitlines()[-1] == allocate_out


def test_an_hours_indicator_that_went_down_is_hours_lost_not_gained(write):
    from analysis.inputs.financing_frame import load_frame
    from analysis.inputs.followup_files import load
    from analysis.model import followup

    register, _ = load_register(write("reg.csv", VALID_REGISTER))
    frame, _ = load_frame(write("ramme.csv", VALID_FRAME))
    gevinster = (
        "id;indikator;enhed;retning;baseline;baseline_aar;maal;maal_aar;maaleaar;realiseret;ansvarlig\n"
        "A;Timer;timer;hoejere;100;2025;300;2027;2026;60;ØKF\n"  # went down by 40
    )
    data, findings = load(
        register,
        frame,
        write("bev.csv", "id;aar;styringsomraade;beloeb\nA;2026;service;10\n"),
        write("forbrug.csv", "id;aar;styringsomraade;forbrug\nA;2026;service;10\n"),
        write("gev.csv", gevinster),
    )
    assert data is not None, [str(f) for f in findings]
    assert followup.hours(register, data, 2026)["realised"].sum() == -40


def test_an_indicator_restated_with_another_baseline_is_an_error(write):
    from analysis.inputs.financing_frame import load_frame
    from analysis.inputs.followup_files import load_gevinster

    register, _ = load_register(write("reg.csv", VALID_REGISTER))
    frame, _ = load_frame(write("ramme.csv", VALID_FRAME))
    text = (
        "id;indikator;enhed;retning;baseline;baseline_aar;maal;maal_aar;maaleaar;realiseret;ansvarlig\n"
        "A;Dage;dage;lavere;20;2025;5;2028;2026;19;ØKF\n"
        "A;Dage;dage;lavere;25;2025;5;2028;2027;18;ØKF\n"
    )
    _, findings = load_gevinster(write("gev.csv", text), set(register["id"]), frame)
    assert _errors(findings) == [
        'gev.csv række 3, kolonne baseline: indikatoren "Dage" for A har baseline 25.0 her, men 20.0 i række 2; '
        "skriv den samme i alle rækker"
    ]


# --- 7. no traceback, ever ----------------------------------------------------------------------


def test_an_unexpected_error_is_one_danish_line_and_a_log_file(capsys, monkeypatch):
    from analysis.cli.commands import validate

    def broken(_args):
        raise RuntimeError("noget uventet")

    monkeypatch.setattr(validate, "run", broken)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("digiramme validate: en uventet fejl stoppede kørslen")
    log = Path(err[0].rsplit(" ", 1)[-1])
    assert "RuntimeError: noget uventet" in log.read_text(encoding="utf-8")


def test_crash_logs_go_where_the_operator_says(tmp_path, capsys, monkeypatch):
    from analysis.cli.commands import validate

    monkeypatch.setattr(validate, "run", lambda _args: 1 / 0)
    logs = tmp_path / "logs" / "digiramme"  # made when missing
    monkeypatch.setenv("DIGIRAMME_LOGS", str(logs))
    assert main(["validate"]) == 1
    log = Path(capsys.readouterr().err.strip().rsplit(" ", 1)[-1])
    assert log.parent == logs and "ZeroDivisionError" in log.read_text(encoding="utf-8")


def test_a_private_folder_is_removed_even_while_a_dying_kernel_still_writes_into_it(tmp_path, monkeypatch):
    """A kernel killed a moment ago can still make a socket file while rmtree runs; rmtree
    then leaves the folder behind, and a render stopped by the scheduler left one in /tmp
    once in a fresh clone's test run."""
    from analysis.report import render

    folder = tmp_path / "digiramme-kernel-x"
    folder.mkdir()
    (folder / "kernel-1").write_text("")
    real_rmtree, calls = render.shutil.rmtree, []

    def rmtree_while_a_file_appears(path, ignore_errors=False):
        calls.append(path)
        real_rmtree(path, ignore_errors=ignore_errors)
        if len(calls) == 1:  # the dying kernel's last socket file, made during the first removal
            Path(path).mkdir()
            (Path(path) / "kernel-2").write_text("")

    monkeypatch.setattr(render.shutil, "rmtree", rmtree_while_a_file_appears)
    render.remove_own_folder(folder)
    assert not folder.exists() and len(calls) == 2
