"""`digiramme validate`: every malformed input is rejected with a line naming file, row,
column and problem, exit code 2 and no traceback; valid input exits 0."""

from __future__ import annotations

import hashlib

import pytest
from helpers import VALID_FRAME, VALID_REGISTER
from openpyxl import Workbook

from analysis.cli import main

HEADER, ROW_A, ROW_B, ROW_C, ROW_D = VALID_REGISTER.splitlines()


def register(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def replace_cell(row: str, column: str, value: str, header: str = HEADER) -> str:
    """The row with one cell changed; cells are ;-separated as in VALID_REGISTER."""
    import csv
    import io

    cells = next(csv.reader(io.StringIO(row), delimiter=";"))
    cells[header.split(";").index(column)] = value
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="").writerow(cells)
    return out.getvalue()


BAD_REGISTERS = {
    "missing required column": (
        "\n".join(
            ";".join(c for i, c in enumerate(line.split(";")) if i != 2) for line in [HEADER, "A;Data;2000;10000"]
        )
        + "\n",
        "reg.csv række 1, kolonne titel: påkrævet kolonne mangler",
    ),
    "duplicate id": (
        register(ROW_A, ROW_A.replace("Dataplatform", "Igen")),
        'reg.csv række 3, kolonne id: id "A" findes også i række 2',
    ),
    "empty file": ("", "reg.csv: filen er tom"),
    "header only": (HEADER + "\n", "reg.csv: filen har en overskrift men ingen datarækker"),
    "misspelled column": (
        register(ROW_A, header=HEADER.replace("omkostning_max", "omkostnig_max")),
        'reg.csv række 1, kolonne omkostnig_max: ukendt kolonne; mente du "omkostning_max"?',
    ),
    "text in a number": (
        register(replace_cell(ROW_A, "omkostning_max", "ti")),
        'reg.csv række 2, kolonne omkostning_max: "ti" er ikke et tal',
    ),
    "negative cost": (
        register(replace_cell(ROW_A, "omkostning_min", "-5")),
        'reg.csv række 2, kolonne omkostning_min: "-5" er negativt',
    ),
    "min above max": (
        register(replace_cell(ROW_A, "omkostning_min", "20000")),
        "reg.csv række 2, kolonne omkostning_max: max (10.000) er mindre end min (20.000)",
    ),
    "expected outside range": (
        register(ROW_A.replace("Dataplatform", "Dataplatform"), header=HEADER)
        .replace(HEADER, HEADER + ";omkostning_forventet")
        .replace('0,3;"50;50";;', '0,3;"50;50";;;12000'),
        "reg.csv række 2, kolonne omkostning_forventet: 12.000 ligger uden for min–max (2.000–10.000)",
    ),
    "only one cost bound": (
        register(replace_cell(ROW_A, "omkostning_max", "")),
        "reg.csv række 2, kolonne omkostning_max: mangler; udfyld både min og max",
    ),
    "score outside 0-5": (
        register(ROW_A + ";7", header=HEADER + ";potentiale_aflastning"),
        'reg.csv række 2, kolonne potentiale_aflastning: "7" ligger uden for 0–5',
    ),
    "share outside 0-1": (
        register(replace_cell(ROW_A, "andel_anlaeg", "1,5")),
        'reg.csv række 2, kolonne andel_anlaeg: "1,5" ligger uden for 0–1',
    ),
    "year out of range": (
        register(ROW_A + ";1926", header=HEADER + ";tidligste_start"),
        "reg.csv række 2, kolonne tidligste_start: årstallet 1926 ligger uden for 2000–2100",
    ),
    "latest start before earliest": (
        register(ROW_A + ";2028;2027", header=HEADER + ";tidligste_start;seneste_start"),
        "reg.csv række 2, kolonne seneste_start: seneste start 2027 er før tidligste start 2028",
    ),
    "spread not summing to 100": (
        register(replace_cell(ROW_A, "fordeling", "50;40")),
        "reg.csv række 2, kolonne fordeling: summer til 90, ikke 100",
    ),
    "spread with text": (
        register(replace_cell(ROW_A, "fordeling", "60;fyrre")),
        'reg.csv række 2, kolonne fordeling: "60;fyrre" er ikke en liste af tal',
    ),
    "dependency on unknown id": (
        register(ROW_A, replace_cell(ROW_B, "forudsaetter", "Z")),
        'reg.csv række 3, kolonne forudsaetter: "Z" er ikke et id i registeret',
    ),
    "dependency cycle": (
        register(replace_cell(ROW_A, "forudsaetter", "B"), ROW_B),
        "kolonne forudsaetter: kæde af forudsætninger går i ring: A → B → A",
    ),
    "dependency on a sibling variant": (
        register(ROW_A, ROW_B, ROW_C, replace_cell(ROW_D, "forudsaetter", "C")),
        'reg.csv række 5, kolonne forudsaetter: "C" er en anden variant i samme variantgruppe',
    ),
    "yes/no not understood": (
        register(ROW_A + ";måske", header=HEADER + ";obligatorisk"),
        "reg.csv række 2, kolonne obligatorisk: skal være ja eller nej",
    ),
    "empty id": (register(replace_cell(ROW_A, "id", "")), "reg.csv række 2, kolonne id: feltet skal udfyldes"),
    "duplicate column": (
        register(ROW_A + ";X", header=HEADER + ";titel"),
        "reg.csv række 1, kolonne titel: kolonnen findes to gange",
    ),
    "unquoted delimiter in text": (
        register("A;Data;Data; og mere;2000;10000;0;100;;;5g"),
        "reg.csv række 2: rækken har 11 felter, men overskriften har 9",
    ),
    "blank rows between data rows, then an error": (
        register(ROW_A, ";;;;;;;;", ";;;;;;;;", replace_cell(ROW_B, "omkostning_max", "ti")),
        'reg.csv række 5, kolonne omkostning_max: "ti" er ikke et tal',
    ),
    "not a table at all": (
        "Dette er et referat fra mødet.\nDer var enighed om det hele.\n",
        "reg.csv: filen ligner ikke en tabel",
    ),
}


@pytest.mark.parametrize("case", list(BAD_REGISTERS), ids=list(BAD_REGISTERS))
def test_bad_register_is_rejected_with_a_clear_line(case, write, capsys):
    text, expected = BAD_REGISTERS[case]
    path = write("reg.csv", text)
    code = main(["validate", "--register", str(path)])
    out = capsys.readouterr()
    assert code == 2
    assert expected in out.out + out.err


def test_latin1_file_is_rejected_with_the_line_and_a_fix(write, capsys):
    path = write("reg.csv", register(ROW_A, ROW_B.replace("Datakvalitet", "Kvalitet i høj grad")), encoding="latin-1")
    assert main(["validate", "--register", str(path)]) == 2
    out = capsys.readouterr().out
    assert "reg.csv række 3: filen er ikke UTF-8" in out
    assert "Latin-1" in out and "CSV UTF-8" in out


def test_binary_file_is_rejected(write, capsys):
    path = write("reg.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert main(["validate", "--register", str(path)]) == 2
    assert "reg.csv: filen er ikke en tekstfil" in capsys.readouterr().out


def test_missing_file_is_rejected(tmp_path, capsys):
    assert main(["validate", "--register", str(tmp_path / "findes-ikke.csv")]) == 2
    assert "findes-ikke.csv: filen findes ikke" in capsys.readouterr().out


def test_workbook_without_a_sheet_holding_the_columns(tmp_path, capsys):
    workbook = Workbook()
    workbook.active.title = "Ark1"
    workbook.active.append(["navn", "beløb"])
    workbook.active.append(["noget", 5])
    workbook.create_sheet("Ark2").append(["helt", "andet"])
    path = tmp_path / "reg.xlsx"
    workbook.save(path)
    assert main(["validate", "--register", str(path)]) == 2
    out = capsys.readouterr().out
    assert "reg.xlsx: ingen ark i projektmappen har de påkrævede kolonner" in out
    assert "Ark1, Ark2" in out


def test_corrupt_workbook_is_rejected(write, capsys):
    path = write("reg.xlsx", b"PK\x03\x04 this is not really a zip file")
    assert main(["validate", "--register", str(path)]) == 2
    assert "reg.xlsx: filen kan ikke læses som Excel-projektmappe" in capsys.readouterr().out


BAD_FRAMES = {
    "unknown styringsområde": (
        VALID_FRAME.replace("2027;service", "2027;drift"),
        'ramme.csv række 4, kolonne styringsomraade: "drift" er ikke et styringsområde',
    ),
    "stated total disagrees with pools": (
        VALID_FRAME + "2026;i alt;21.000;2026\n",
        "ramme.csv række 6, kolonne beloeb: i alt for 2026 er 21.000, men service og anlæg giver tilsammen 20.000",
    ),
    "pool stated twice": (
        VALID_FRAME + "2026;service;1.000;2026\n",
        "ramme.csv række 6, kolonne styringsomraade: Service 2026 står i flere rækker (2, 6)",
    ),
    "negative amount": (
        VALID_FRAME.replace("25.000", "-25.000"),
        'ramme.csv række 4, kolonne beloeb: "-25.000" er negativt',
    ),
    "year out of range": (
        VALID_FRAME.replace("2027;anlaeg", "3027;anlaeg"),
        "ramme.csv række 5, kolonne aar: årstallet 3027 ligger uden for 2000–2100",
    ),
    "missing amount": (
        VALID_FRAME.replace("2026;anlæg;5.000", "2026;anlæg;"),
        "ramme.csv række 3, kolonne beloeb: feltet skal udfyldes",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FRAMES), ids=list(BAD_FRAMES))
def test_bad_frame_is_rejected_with_a_clear_line(case, write, capsys):
    text, expected = BAD_FRAMES[case]
    reg = write("reg.csv", VALID_REGISTER)
    frame = write("ramme.csv", text)
    code = main(["validate", "--register", str(reg), "--frame", str(frame)])
    out = capsys.readouterr()
    assert code == 2
    assert expected in out.out + out.err


def test_every_problem_is_reported_not_just_the_first(write, capsys):
    text = register(replace_cell(ROW_A, "omkostning_max", "ti"), replace_cell(ROW_B, "andel_anlaeg", "2"))
    assert main(["validate", "--register", str(write("reg.csv", text))]) == 2
    out = capsys.readouterr().out
    assert "række 2, kolonne omkostning_max" in out
    assert "række 3, kolonne andel_anlaeg" in out


def test_warnings_do_not_fail_validation(write, capsys):
    text = register(ROW_A, ROW_B, ROW_C, "E;Ny;Ukendt pris;;;;;;")  # C is now alone in its variant group
    code = main(["validate", "--register", str(write("reg.csv", text))])
    out = capsys.readouterr().out
    assert code == 0
    assert 'advarsel: reg.csv række 4, kolonne variantgruppe: variantgruppen "5g" har kun ét medlem' in out
    assert 'advarsel: reg.csv række 5, kolonne omkostning_min: "E" har intet estimat endnu' in out


def test_start_years_outside_the_frame_are_a_warning(write, capsys):
    text = register(ROW_A + ";2031;2033", header=HEADER + ";tidligste_start;seneste_start")
    assert main(["validate", "--register", str(write("reg.csv", text))]) == 0
    assert "advarsel: reg.csv række 2, kolonne tidligste_start: start tidligst 2031" in capsys.readouterr().out


def test_shipped_data_is_valid(capsys):
    assert main(["validate"]) == 0
    assert "Inddata er gyldige:" in capsys.readouterr().out


def test_valid_inputs_are_counted_and_the_frame_named(write, capsys):
    register = write("reg.csv", VALID_REGISTER)  # four needs
    frame = write("ramme.csv", VALID_FRAME)  # 2026–2027, 2026 p/l
    assert main(["validate", "--register", str(register), "--frame", str(frame)]) == 0
    assert "Inddata er gyldige: 4 behov, rammen 2026–2027 (2026 p/l)." in capsys.readouterr().out


def test_command_line_exits_2_without_traceback_and_leaves_input_untouched(write, capsys):
    path = write("reg.csv", register(replace_cell(ROW_A, "omkostning_max", "ti")))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["validate", "--register", str(path)]) == 2
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    assert 'reg.csv række 2, kolonne omkostning_max: "ti" er ikke et tal' in out.out
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_cell_that_is_not_a_number_is_reported_once_not_also_as_empty(write, capsys):
    text = VALID_FRAME.replace("2027;service;25.000", "2027;service;mange")
    assert (
        main(
            ["validate", "--register", str(write("reg.csv", VALID_REGISTER)), "--frame", str(write("ramme.csv", text))]
        )
        == 2
    )
    lines = [line for line in capsys.readouterr().out.splitlines() if "række 4, kolonne beloeb" in line]
    assert lines == ['ramme.csv række 4, kolonne beloeb: "mange" er ikke et tal']


@pytest.mark.parametrize("column", ["omkostning_max", "omkostning_min", "id", "titel"])
def test_one_missing_column_is_one_error_not_one_more_per_row(column, write, capsys):
    """A register without a required column gives one line, the column's, and not a line for
    every row that then lacks its cell (before: 1 + one per row)."""
    lines = [line.split(";") for line in VALID_REGISTER.splitlines()]
    drop = lines[0].index(column)
    text = "\n".join(";".join(c for i, c in enumerate(cells) if i != drop) for cells in lines) + "\n"
    assert main(["validate", "--register", str(write("reg.csv", text))]) == 2
    out = capsys.readouterr()
    errors = [line for line in out.out.splitlines() if line.startswith("reg.csv")]
    assert errors == [f"reg.csv række 1, kolonne {column}: påkrævet kolonne mangler"]
    assert "1 fejl; inddata kan ikke bruges." in out.out + out.err
