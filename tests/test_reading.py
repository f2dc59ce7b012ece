"""Reading files: number formats, CSV dialects, Excel workbooks, row numbers."""

from __future__ import annotations

import pytest
from helpers import VALID_REGISTER
from openpyxl import Workbook

from analysis.inputs.cells import parse_number
from analysis.inputs.reading import normalise_header
from analysis.inputs.register import load_register


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,5", 2.5),
        ("1.000", 1000.0),
        ("2.500,5", 2500.5),
        ("1.000.000", 1_000_000.0),
        ("0.5", 0.5),  # English decimal: the dot is not followed by exactly three digits
        ("2820.0", 2820.0),
        ("12.5", 12.5),
        ("-3,5", -3.5),
        ("\u22123,5", -3.5),  # Unicode minus, as some tools write it
        ("1 000", 1000.0),  # space as thousands separator
        ("  7 ", 7.0),
        (2820, 2820.0),  # a real Excel number
        (0.25, 0.25),
        ("", None),
        (None, None),
    ],
)
def test_parse_number_reads_danish_english_and_excel_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["ti", "1,2,3", "1.00,5", "12.34.5", "2,5 mio", "1e"])
def test_parse_number_rejects_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_headers_are_normalised_from_danish_spellings():
    assert normalise_header("Område") == "omraade"
    assert normalise_header(" Andel anlæg ") == "andel_anlaeg"
    assert normalise_header("\ufeffid") == "id"
    assert normalise_header("Forudsætter") == "forudsaetter"


def _expected_costs(table):
    return dict(zip(table["id"], table["omkostning_max"], strict=True))


def test_semicolon_csv_with_bom_as_danish_excel_saves_it(write):
    path = write("reg.csv", "\ufeff" + VALID_REGISTER.replace("\n", "\r\n"))
    table, findings = load_register(path)
    assert [f for f in findings if f.is_error] == []
    assert _expected_costs(table) == {"A": 10000.0, "B": 2500.5, "C": 10000.0, "D": 25000.0}


def test_plain_comma_csv_loads(write):
    text = (
        "id,omraade,titel,omkostning_min,omkostning_max,andel_anlaeg,fordeling\n"
        'A,Data,Dataplatform,2000,10000,0.3,"50;50"\n'
        'B,Data,"Kvalitet, og mere",1000,2500,0,100\n'
    )
    table, findings = load_register(write("reg.csv", text))
    assert [f for f in findings if f.is_error] == []
    assert table.loc[1, "titel"] == "Kvalitet, og mere"
    assert table.loc[0, "andel_anlaeg"] == pytest.approx(0.3)
    assert table.loc[0, "fordeling"] == (50.0, 50.0)


@pytest.mark.parametrize("cell", ["2.5", "10000.0", "1.0000"])
def test_an_amount_with_a_malformed_danish_grouping_is_an_error_naming_the_cell(write, cell):
    text = f"id;omraade;titel;omkostning_min;omkostning_max;andel_anlaeg\nA;X;Y;1;{cell};0.3\n"
    _, findings = load_register(write("reg.csv", text))
    errors = [str(f) for f in findings if f.is_error]
    assert errors == [
        f'reg.csv række 2, kolonne omkostning_max: "{cell}" har punktum uden tre cifre efter; i danske beløb '
        "skiller punktum tusinder (1.000) og komma decimaler (2,5)"
    ] or (cell == "1.0000" and errors and "er ikke et tal" in errors[0])


def test_a_comma_amount_with_three_decimals_is_read_as_a_decimal_and_said_so(write):
    text = "id;omraade;titel;omkostning_min;omkostning_max\nA;X;Y;10,000;12\n"
    table, findings = load_register(write("reg.csv", text))
    assert table.loc[0, "omkostning_min"] == 10
    warnings = [str(f) for f in findings if not f.is_error]
    assert (
        'advarsel: reg.csv række 2, kolonne omkostning_min: "10,000" er læst som 10 (komma er decimaltegn); skriv fx 10.000 for ti tusind'
        in warnings
    )


@pytest.mark.parametrize("cell", ["NaN", "nan", "inf", "-inf", "Infinity", "1e309", "-1E400"])
@pytest.mark.parametrize("column", ["omkostning_max", "potentiale_skalering", "andel_anlaeg", "timer_frigjort"])
def test_nan_and_infinity_are_not_numbers_in_any_numeric_cell(write, cell, column):
    cells = {"id": "A", "omraade": "X", "titel": "Y", "omkostning_min": "1", "omkostning_max": "2", column: cell}
    text = ";".join(cells) + "\n" + ";".join(cells.values()) + "\n"
    _, findings = load_register(write("reg.csv", text))
    errors = [str(f) for f in findings if f.is_error]
    assert len(errors) == 1 and f"række 2, kolonne {column}" in errors[0], errors
    assert "er ikke et endeligt tal" in errors[0] or "er ikke et tal" in errors[0], errors


def test_expected_cost_defaults_to_the_midpoint(write):
    table, _ = load_register(write("reg.csv", VALID_REGISTER))
    assert table.set_index("id").loc["A", "omkostning_forventet"] == (2000 + 10000) / 2


def _workbook(path, sheets: dict[str, list[list]]):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


REGISTER_ROWS = [
    ["id", "omraade", "titel", "omkostning_min", "omkostning_max", "andel_anlaeg"],
    ["A", "Data", "Dataplatform", 2000, 10000, 0.3],
    ["B", "Data", "Kvalitet", "1.000", "2.500,5", "40%"],
]


def test_xlsx_prefers_the_sheet_named_behovsregister(tmp_path):
    path = _workbook(
        tmp_path / "reg.xlsx",
        {"Forside": [["Dette er en forside"]], "behovsregister": REGISTER_ROWS},
    )
    table, findings = load_register(path)
    assert [f for f in findings if f.is_error] == []
    assert list(table["id"]) == ["A", "B"]
    assert table.loc[1, "omkostning_max"] == 2500.5
    assert table.loc[1, "andel_anlaeg"] == pytest.approx(0.4)


def test_xlsx_falls_back_to_the_first_sheet_whatever_its_name(tmp_path):
    path = _workbook(tmp_path / "reg.xlsx", {"Ark1": REGISTER_ROWS})
    table, findings = load_register(path)
    assert [f for f in findings if f.is_error] == []
    assert list(table["raekke"]) == [2, 3]


def test_row_numbers_count_blank_rows_like_a_spreadsheet(write):
    lines = VALID_REGISTER.splitlines()
    text = "\n".join([lines[0], lines[1], ";;;;;;;;", lines[2].replace("1.000", "ti")]) + "\n"
    _, findings = load_register(write("reg.csv", text))
    messages = [str(f) for f in findings]
    assert 'reg.csv række 4, kolonne omkostning_min: "ti" er ikke et tal' in messages
    assert any("række 3" in m and "tom række" in m for m in messages)
