"""Collecting the needs: the intake template a forvaltning fills in, and `collect`, which
merges the submissions into one register."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analysis.cli import main
from analysis.inputs import paths
from analysis.inputs.contracts import POTENTIALS, REGISTER_COLUMNS
from analysis.inputs.reading import normalise_header
from analysis.inputs.register import load_register
from analysis.report import template as template_writer


def template(tmp_path: Path, name: str = "BUF.xlsx", *args: str) -> Path:
    out = tmp_path / name
    assert main(["template", "--out", str(out), *args]) == 0
    return out


def fill(path: Path, rows: list[dict]) -> Path:
    """Fill a template the way a forvaltning would: type values under the headers."""
    workbook = load_workbook(path)
    sheet = workbook["behovsregister"]
    where = {normalise_header(c.value): c.column for c in sheet[1]}
    for r, row in enumerate(rows, start=2):
        for name, value in row.items():
            sheet.cell(row=r, column=where[name], value=value)
    workbook.save(path)
    return path


NEEDS = [
    {
        "id": "BUF-01",
        "omraade": "Automatisering",
        "titel": "Robot til pladsanvisning",
        "omkostning_min": 2000,
        "omkostning_max": 3000,
        "potentiale_aflastning": 4,
        "andel_anlaeg": 0.25,
        "fordeling": "60;40",
    },
    {"id": "BUF-02", "omraade": "Ny idé", "titel": "Uden estimat endnu", "potentiale_tilgaengelighed": 2},
    {
        "id": "BUF-03",
        "omraade": "Indsigt og data",
        "titel": "Data til dagtilbud",
        "omkostning_min": "1.500",
        "omkostning_max": "1.500",
        "forudsaetter": "BUF-01",
        "obligatorisk": "nej",
    },
]


def test_the_template_has_the_contracts_headers_help_validation_and_no_rows(tmp_path):
    path = template(tmp_path, "BUF.xlsx", "--forvaltning", "BUF", "--year", "2027")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["behovsregister", "Vejledning"]
    sheet = workbook["behovsregister"]
    headers = [c.value for c in sheet[1]]
    # written the way the reader matches them, in the contract's order
    assert [normalise_header(h) for h in headers] == [c.name for c in REGISTER_COLUMNS]
    assert headers[1] == "Område" and "Andel anlæg" in headers
    assert all(c.comment is not None and "Eksempel" in c.comment.text for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1  # no example rows in the data sheet
    by_column = {}
    for rule in sheet.data_validations.dataValidation:
        letter = "".join(ch for ch in str(rule.sqref).split(":")[0] if ch.isalpha())
        by_column[normalise_header(sheet[f"{letter}1"].value)] = rule
    area = by_column["omraade"]
    assert area.type == "list" and area.errorStyle == "warning" and "Automatisering" in area.formula1
    assert by_column["forvaltning"].formula1 == '"BUF"'
    assert by_column["obligatorisk"].type == "list" and by_column["obligatorisk"].errorStyle == "stop"
    for name in POTENTIALS:
        rule = by_column[name]
        assert (rule.type, rule.formula1, rule.formula2) == ("whole", "0", "5")
    share = by_column["andel_anlaeg"]
    assert (share.type, share.formula1, share.formula2) == ("decimal", "0", "1")
    # the shipped frame runs 2026–2029; collected for 2027, a start lies in 2027–2029
    start = by_column["tidligste_start"]
    assert (start.type, start.formula1, start.formula2) == ("whole", "2027", "2029")
    guide = workbook["Vejledning"]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value is not None)
    assert "Forvaltning: BUF" in text and "budget 2027" in text
    for column in REGISTER_COLUMNS:  # every column explained, from the reader's own definitions
        assert template_writer.header_label(column.name) in text
    assert "antaget: midtpunktet" in text


def test_every_register_column_has_danish_help_and_a_readable_header():
    assert set(template_writer.HELP) == {c.name for c in REGISTER_COLUMNS}
    for column in REGISTER_COLUMNS:
        assert normalise_header(template_writer.header_label(column.name)) == column.name


def test_a_filled_template_round_trips_through_collect_and_validate(tmp_path, capsys):
    path = fill(template(tmp_path, "behov_BUF.xlsx", "--forvaltning", "BUF"), NEEDS)
    out = tmp_path / "samlet.csv"
    capsys.readouterr()
    assert main(["collect", str(path), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] and summary["needs"] == 3
    (entry,) = summary["files"]
    assert entry["forvaltning"] == ["BUF"] and entry["needs"] == 3
    # by hand: BUF-01 midpoint (2.000 + 3.000) / 2 = 2.500, BUF-03 1.500; BUF-02 has none
    assert entry["expected_cost"] == 4000
    assert summary["lacking_estimate"] == {"BUF": ["BUF-02"]}
    register, findings = load_register(out)
    assert [f for f in findings if f.is_error] == []
    assert list(register["id"]) == ["BUF-01", "BUF-02", "BUF-03"]
    assert set(register["forvaltning"]) == {"BUF"}  # empty cells took the template's forvaltning
    first = register.set_index("id").loc["BUF-01"]
    assert first["andel_anlaeg"] == 0.25 and tuple(first["fordeling"]) == (60, 40)
    header = out.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert header == [c.name for c in REGISTER_COLUMNS]  # the contract's column order
    assert main(["validate", "--register", str(out)]) == 0


def test_the_shipped_register_split_by_forvaltning_and_collected_gives_the_same_allocation(tmp_path, capsys):
    from analysis.inputs.dataset import load_dataset
    from analysis.model.allocation import allocate

    shipped = paths.DEFAULT_REGISTER
    text = shipped.read_text(encoding="utf-8").splitlines()
    header = text[0].split(";")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO("\n".join(text)), delimiter=";"))
    by_forvaltning: dict[str, list[dict]] = {}
    for row in rows:
        by_forvaltning.setdefault(row["forvaltning"], []).append(row)
    assert len(by_forvaltning) >= 2
    files = []
    for k, (who, group) in enumerate(sorted(by_forvaltning.items())):
        path = template(tmp_path, f"indmelding_{k}.xlsx", "--forvaltning", who)
        # typed as text, exactly as the shipped CSV holds it (Danish numbers)
        fill(path, [{name: (row[name] or None) for name in header} for row in group])
        files.append(str(path))
    out = tmp_path / "samlet.xlsx"
    assert main(["collect", *files, "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    costs = {entry["forvaltning"][0]: entry["expected_cost"] for entry in summary["files"]}
    # By hand from the shipped register (1.000 kr.): tværgående's expected costs are FAS-01
    # 12.500, SP-M365 3.000, AI-01 7.500, AI-02 6.000, AI-03 3.500, AI-04 3.500, AUT-01 6.250,
    # DATA-01 6.000 and privat 5G once, by its middle variant (25.000; the three add to 85.000):
    # 73.250. ØKF's one need, IT-01, has no estimate.
    assert costs == {"tværgående": 73250, "ØKF": 0}
    merged = load_dataset(register=out)
    original = load_dataset()
    assert sorted(merged.register["id"]) == sorted(original.register["id"])
    assert allocate(merged.register, merged.frame).selected == allocate(original.register, original.frame).selected


def test_an_id_in_two_files_names_both_files_and_rows_and_writes_nothing(tmp_path, capsys):
    one = fill(template(tmp_path, "BUF.xlsx", "--forvaltning", "BUF"), NEEDS[:1])
    two = fill(template(tmp_path, "SUF.xlsx", "--forvaltning", "SUF"), [{**NEEDS[0], "titel": "Samme id"}])
    out = tmp_path / "samlet.csv"
    capsys.readouterr()
    assert main(["collect", str(one), str(two), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert 'SUF.xlsx række 2, kolonne id: id "BUF-01" findes også i BUF.xlsx række 2' in err
    assert not out.exists()


def test_a_broken_file_among_good_ones_stops_the_merge(tmp_path, capsys):
    good = fill(template(tmp_path, "BUF.xlsx", "--forvaltning", "BUF"), NEEDS)
    broken = tmp_path / "SOF.csv"
    broken.write_text(
        "id;omraade;titel;omkostning_min;omkostning_max;potentiale_skalering\nSOF-01;Automatisering;X;10;5;7\n",
        encoding="utf-8",
    )
    before = broken.read_bytes()
    out = tmp_path / "samlet.csv"
    capsys.readouterr()
    assert main(["collect", str(good), str(broken), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "SOF.csv række 2, kolonne potentiale_skalering" in err
    assert "Traceback" not in err
    assert not out.exists() and broken.read_bytes() == before


def test_an_empty_submission_and_a_missing_prerequisite_are_errors(tmp_path, capsys):
    empty = template(tmp_path, "TMF.xlsx", "--forvaltning", "TMF")
    good = fill(template(tmp_path, "BUF.xlsx", "--forvaltning", "BUF"), [{**NEEDS[2], "forudsaetter": "KFF-09"}])
    out = tmp_path / "samlet.csv"
    capsys.readouterr()
    assert main(["collect", str(empty), str(good), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "TMF.xlsx (ark behovsregister): filen har en overskrift men ingen datarækker" in err
    assert 'BUF.xlsx række 2, kolonne forudsaetter: "KFF-09" er ikke et id i nogen af filerne' in err
    assert not out.exists()


def test_forvaltning_from_the_file_name_and_changes_against_last_year(tmp_path, capsys):
    plain = tmp_path / "behov_SUF_2027.csv"
    plain.write_text(
        "id;omraade;titel;omkostning_min;omkostning_max\n"
        "SUF-01;Automatisering;Ny;100;200\n"
        "SUF-02;Automatisering;Dyrere nu;300;400\n"
        "SUF-04;Automatisering;Uden estimat;;\n",
        encoding="utf-8",
    )
    previous = tmp_path / "sidste_aar.csv"
    previous.write_text(
        "id;omraade;titel;omkostning_min;omkostning_max\n"
        "SUF-02;Automatisering;Dyrere nu;300;350\n"
        "SUF-03;Automatisering;Udgået;100;100\n",
        encoding="utf-8",
    )
    out = tmp_path / "samlet.csv"
    args = [
        "collect",
        str(plain),
        "--out",
        str(out),
        "--forvaltning-from-filename",
        "--previous-register",
        str(previous),
        "--json",
    ]
    capsys.readouterr()
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["files"][0]["forvaltning"] == ["SUF"]
    assert summary["against_previous"] == {"new": ["SUF-01", "SUF-04"], "gone": ["SUF-03"], "recosted": ["SUF-02"]}
    assert summary["lacking_estimate"] == {"SUF": ["SUF-04"]}
    register, _ = load_register(out)
    assert set(register["forvaltning"]) == {"SUF"}
    # the output never replaces an input
    assert main(["collect", str(plain), "--out", str(plain)]) == 2
    assert "er en af inddatafilerne" in capsys.readouterr().err


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "=1+1"])
def test_a_cell_that_looks_like_a_formula_stays_text(tmp_path, value):
    plain = tmp_path / "behov.csv"
    plain.write_text(f"id;omraade;titel;omkostning_min;omkostning_max;beskrivelse\nA-1;X;T;1;2;{value}\n", "utf-8")
    out = tmp_path / "samlet.xlsx"
    assert main(["collect", str(plain), "--out", str(out)]) == 0
    cell = load_workbook(out)["behovsregister"]["F2"]
    assert cell.value == value and cell.data_type == "s"


def test_the_register_page_shows_each_forvaltnings_submission_and_whom_to_chase(write):
    from analysis.report import register_page

    register, _ = load_register(
        write(
            "r.csv",
            "id;omraade;titel;forvaltning;omkostning_min;omkostning_max\n"
            "A;X;A;BUF;100;300\nB;X;B;BUF;;\nC;X;C;SUF;50;50\n",
        )
    )
    table = register_page.by_forvaltning(register, 2026).data.set_index("Forvaltning")
    # by hand: BUF has A (midpoint 200) and B without an estimate; SUF has C (50)
    assert table.loc["BUF", "Behov"] == 2 and table.loc["BUF", "Med estimat"] == 1
    assert table.loc["BUF", "Forventet"] == 200 and table.loc["BUF", "Mangler estimat"] == "B"
    assert table.loc["SUF", "Forventet"] == 50 and table.loc["SUF", "Mangler estimat"] == "–"


# --- last year's needs carried over (#42) ---------------------------------------------------------

RESUBMITTED = (
    "id;omraade;titel;forvaltning;omkostning_min;omkostning_max;forudsaetter\n"
    "BUF-01;Automatisering;Robot til pladsanvisning;BUF;2.000;3.000;AI-01\n"
    "AI-04;Automatisering;Agenter, ny pris;tværgående;3.000;6.000;\n"
)


def test_keep_previous_carries_last_years_needs_over_so_the_ledger_still_finds_them(tmp_path, capsys):
    """Collecting only this year's workbooks gave a register without the needs already
    funded, and the next step failed on every ledger row ("er ikke et id i
    behovsregisteret"). With --keep-previous every need of last year's register comes along,
    funded and open; a need submitted again takes its new row; --drop leaves a withdrawn one out."""
    submission = tmp_path / "behov_BUF.csv"
    submission.write_text(RESUBMITTED, encoding="utf-8")
    previous = paths.DEFAULT_REGISTER
    shipped_ids = [line.split(";")[0] for line in previous.read_text(encoding="utf-8").splitlines()[1:]]
    out = tmp_path / "behovsregister_2027.xlsx"
    capsys.readouterr()
    args = ["collect", str(submission), "--out", str(out), "--previous-register", str(previous)]
    assert main([*args, "--keep-previous", "--drop", "BS-02", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    # by hand: last year's 14 needs less AI-04 (submitted again) and BS-02 (dropped), then the file's two
    carried = [i for i in shipped_ids if i not in ("AI-04", "BS-02")]
    assert summary["carried_over"] == carried and summary["dropped"] == ["BS-02"]
    assert summary["against_previous"] == {"new": ["BUF-01"], "gone": ["BS-02"], "recosted": ["AI-04"]}
    assert summary["needs"] == 14
    register, findings = load_register(out)
    assert [f for f in findings if f.is_error] == []
    assert list(register["id"]) == [*carried, "BUF-01", "AI-04"]
    assert register.set_index("id").loc["AI-04", "omkostning_max"] == 6000  # the new row, not last year's 5.000
    assert register.set_index("id").loc["FAS-01", "forvaltning"] == "tværgående"  # last year's cells as they were
    ledger = ["--bevillinger", str(paths.DEFAULT_BEVILLINGER), "--forbrug", str(paths.DEFAULT_FORBRUG)]
    assert main(["validate", "--register", str(out), *ledger]) == 0
    # without it, the dead end the issue met: the ledger's needs are missing from the register
    alone = tmp_path / "behov_tvaergaaende.csv"
    alone.write_text("\n".join(RESUBMITTED.splitlines()[::2]) + "\n", encoding="utf-8")  # AI-04 only
    only_new = tmp_path / "kun_nye.csv"
    assert main(["collect", str(alone), "--out", str(only_new)]) == 0
    capsys.readouterr()
    assert main(["validate", "--register", str(only_new), *ledger]) == 2
    assert "er ikke et id i behovsregisteret" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--drop", "XX-1"], '--drop: "XX-1" er ikke et id i sidste års register'),
        (["--drop", "AI-04"], '--drop: "AI-04" er indmeldt igen i år'),
        (["--drop", "DATA-01"], '"BS-01" forudsætter "DATA-01", som ikke føres videre (--drop)'),
    ],
)
def test_a_drop_that_cannot_hold_is_refused_and_nothing_is_written(extra, message, tmp_path, capsys):
    submission = tmp_path / "behov_BUF.csv"
    submission.write_text(RESUBMITTED, encoding="utf-8")
    out = tmp_path / "samlet.csv"
    args = ["collect", str(submission), "--out", str(out), "--previous-register", str(paths.DEFAULT_REGISTER)]
    capsys.readouterr()
    assert main([*args, "--keep-previous", *extra]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--keep-previous"], "--keep-previous kræver --previous-register"),
        (["--drop", "A"], "--drop gælder kun sammen med --keep-previous"),
    ],
)
def test_keep_previous_and_drop_need_last_years_register(args, message, tmp_path, capsys):
    submission = tmp_path / "behov_BUF.csv"
    submission.write_text(RESUBMITTED, encoding="utf-8")
    assert main(["collect", str(submission), "--out", str(tmp_path / "samlet.csv"), *args]) == 2
    assert message in capsys.readouterr().err


def test_an_xlsx_copy_of_the_shipped_register_holds_numbers_and_keeps_the_notes_checks(tmp_path, capsys):
    """A straight .xlsx copy (through collect) wrote amounts as text and lost the checks against
    the note's cost ranges and the AI range's risk, which ran only for the shipped CSV byte for
    byte; a 5G variant moved below the note's 10–50 mio. kr. was not flagged."""
    from analysis.inputs.dataset import load_dataset
    from analysis.inputs.financing_frame import ClaimStatus
    from analysis.report import front_page

    copy = tmp_path / "mit_register.xlsx"
    assert main(["collect", str(paths.DEFAULT_REGISTER), "--out", str(copy)]) == 0
    sheet = load_workbook(copy)["behovsregister"]
    header = [c.value for c in sheet[1]]
    fas = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "FAS-01")
    cells = dict(zip(header, fas, strict=True))
    # the shipped CSV holds FAS-01 at 10000–15000, andel_anlaeg 0, tidligste_start 2026
    assert (cells["omkostning_min"].value, cells["omkostning_max"].value) == (10000, 15000)
    assert cells["omkostning_min"].data_type == "n" and cells["omkostning_min"].number_format == "#,##0"
    assert cells["andel_anlaeg"].value == 0 and cells["tidligste_start"].value == 2026
    copied, shipped = load_dataset(register=copy), load_dataset()
    assert copied.ranges is not None
    assert list(copied.ranges["status"]) == list(shipped.ranges["status"])
    ai = "Kunstig intelligens og Generativ AI: 11–30 mio. kr. for alle 4 delposter"
    assert any(line.startswith(ai) for line in front_page.risks(copied).lines)
    # the issue's case: the limited 5G variant moved below the note's 10 mio. kr.
    workbook = load_workbook(copy)
    for row in workbook["behovsregister"].iter_rows(min_row=2):
        if row[0].value == "DA-5G-B":
            row[header.index("omkostning_min")].value = row[header.index("omkostning_max")].value = 8000
    workbook.save(copy)
    moved = load_dataset(register=copy)
    fiveg = moved.ranges.set_index("afsnit").loc["Tabel 1, Digital arbejdsplads"]
    assert (fiveg["register_min"], fiveg["register_max"], fiveg["status"]) == (8000, 50000, ClaimStatus.DISAGREES)
    assert "Privat 5G-netværk: notatets overskrift siger 10–50 mio. kr., delposterne 8–50 mio. kr.; spændet er bredt." in (
        front_page.risks(moved).lines
    )


def test_a_register_without_the_notes_needs_has_no_range_checks_and_no_error(tmp_path):
    from analysis.inputs.dataset import load_dataset

    own = tmp_path / "eget.csv"
    own.write_text(
        "id;omraade;titel;omkostning_min;omkostning_max\nX-1;Data;Eget behov;100;200\nAI-01;Data;Kun den ene;1;2\n",
        encoding="utf-8",
    )
    data = load_dataset(register=own)
    assert data.ranges is None  # AI-01 alone is not the AI group; no other group is held whole
