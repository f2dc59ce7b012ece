"""Nothing silently wrong, part three (issue #43): warnings every command passes on, numbers
read one way, absurd amounts, Excel as seen, and the last crashes. Each class of case is
refused with a Danish line naming file, row and column or key (exit 2), warned about, or
works; expected values are computed here by hand or by Python's own formatting, never by
the package's."""

from __future__ import annotations

import json

import pytest
from helpers import VALID_FRAME, VALID_REGISTER
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.inputs.cells import parse_amount, parse_number
from analysis.inputs.columns import parse_shares
from analysis.inputs.register import load_register

HEADER = "id;omraade;titel;omkostning_min;omkostning_max\n"
FILES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command."""
    try:
        code = main(argv)
    except SystemExit as stop:  # a usage error: argparse's exit 2 with one Danish line
        code = stop.code
    captured = capsys.readouterr()
    assert "uventet fejl" not in captured.err and "Traceback" not in captured.err
    return code, captured.out, captured.err


def _danish_int(number: int) -> str:
    """1234567 → 1.234.567, by Python's own grouping (not Babel's)."""
    return f"{number:,}".replace(",", ".")


# --- 2. one number parser: a space only groups thousands ----------------------------------------------


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_a_number_grouped_by_spaces_reads_as_itself(number, space):
    text = f"{number:,}".replace(",", space)
    assert parse_number(text) == number
    assert parse_amount(text) == (number, None)
    assert parse_number(f"-{text},5") == -(number + 0.5)


def _grouping_is_thousands(groups: list[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


@given(st.text(alphabet="0123456789", min_size=2, max_size=10), st.data())
def test_a_space_that_does_not_group_thousands_is_refused_not_dropped(digits, data):
    cuts = sorted(data.draw(st.sets(st.integers(1, len(digits) - 1), min_size=1)))
    groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    text = " ".join(groups)
    if _grouping_is_thousands(groups):
        assert parse_number(text) == int(digits)
        return
    # "10 0" once read as 100: now one Danish error, for every kind of number
    for parse in (parse_number, lambda t: parse_amount(t)[0], lambda t: parse_number(f"1,{t}")):
        with pytest.raises(ValueError, match="mellemrum"):
            parse(text)


@given(st.text(alphabet="0123456789", min_size=1, max_size=4), st.text(alphabet="0123456789", min_size=1, max_size=4))
def test_a_space_among_the_decimals_is_refused(before, after):
    with pytest.raises(ValueError, match="mellemrum"):
        parse_number(f"1,{before} {after}")  # "1,5 2" once read as 1,52


@given(st.sampled_from(["1_0", "1_000", "١٢", "٣,٥", "1__5"]))
def test_digits_python_or_babel_would_guess_at_are_not_a_number(text):
    with pytest.raises(ValueError, match="er ikke et tal"):
        parse_number(text)


def test_a_command_line_number_is_read_by_the_same_parser(write, capsys):
    register, frame = write("reg.csv", VALID_REGISTER), write("ramme.csv", VALID_FRAME)
    # float("0_1") is 1.0: a time preference of 100 % a year, once taken without a word
    code, _, err = _run(
        ["allocate", "--time-preference", "0_1", "--register", str(register), "--frame", str(frame)], capsys
    )
    assert code == 2 and '--time-preference: "0_1" er ikke et endeligt tal' in err
    code, _, err = _run(["archive", "--keep", "1_0", "--reports", str(write("r.txt", "x").parent)], capsys)
    assert code == 2 and '"1_0" er ikke et helt tal' in err


@given(st.integers(min_value=0, max_value=1000), st.sampled_from([".", ","]), st.sampled_from(["", "%", " %"]))
def test_shares_read_their_percents_as_every_number_is_read(tenths, decimal_sign, sign):
    first = f"{tenths // 10}{decimal_sign}{tenths % 10}"
    rest = 1000 - tenths
    second = f"{rest // 10}{decimal_sign}{rest % 10}"
    shares = parse_shares(f"ØKF {first}{sign};BUF {second}{sign}")
    # "ØKF 30.5;BUF 69.5" once became two forvaltninger named "ØKF 30.5" and "BUF 69.5", half each
    assert [name for name, _ in shares] == ["ØKF", "BUF"]
    assert shares[0][1] == pytest.approx(tenths / 1000) and shares[1][1] == pytest.approx(rest / 1000)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ØKF 30.5.1;BUF 69.5", 'procenten "30.5.1" er ikke et tal'),
        ("ØKF -10;BUF 110", "procenten -10 ligger uden for 0–100"),
    ],
)
def test_a_share_whose_percent_is_not_a_percent_is_refused(text, expected):
    with pytest.raises(ValueError, match=expected):
        parse_shares(text)


def test_a_register_reads_a_split_with_english_decimals(write):
    text = HEADER.strip() + ";hjemtagelse;hjemtagelse_forvaltning\nA;Data;T;1;2;0,5;ØKF 30.5;BUF 69.5\n"
    register, findings = load_register(write("reg.csv", text.replace("ØKF 30.5;BUF 69.5", '"ØKF 30.5;BUF 69.5"')))
    assert [str(f) for f in findings if f.is_error] == []
    assert register.loc[0, "hjemtagelse_forvaltning"] == (("ØKF", 0.305), ("BUF", 0.695))


# --- 9. bounds in messages the Danish way -----------------------------------------------------------------


@given(st.integers(min_value=2, max_value=999_999_999), st.data())
@FILES
def test_a_cost_range_the_wrong_way_round_is_shown_in_danish_numbers(write, low, data):
    high = data.draw(st.integers(min_value=1, max_value=low - 1))
    _, findings = load_register(write("reg.csv", HEADER + f"A;Data;T;{low};{high}\n"))
    (error,) = [f for f in findings if f.is_error]
    # once "max (1e+06) er mindre end min (1.23457e+06)"
    assert error.message == f"max ({_danish_int(high)}) er mindre end min ({_danish_int(low)})"


@given(st.integers(min_value=1, max_value=10**9 - 1), st.integers(min_value=1, max_value=9))
@FILES
def test_an_expected_cost_outside_its_range_names_the_range_in_danish_numbers(write, whole, tenth):
    expected = f"{whole},{tenth}"
    text = "id;omraade;titel;omkostning_min;omkostning_forventet;omkostning_max\n"
    _, findings = load_register(write("reg.csv", text + f"A;Data;T;1;{expected};1\n"))
    message = [f.message for f in findings if f.is_error and f.column == "omkostning_forventet"]
    assert message == [f"{_danish_int(whole)},{tenth} ligger uden for min–max (1–1)"]


def test_a_target_equal_to_its_baseline_is_named_in_danish_numbers(write):
    from analysis.inputs.followup_files import load_gevinster

    text = (
        "id;indikator;enhed;retning;baseline;baseline_aar;maal;maal_aar;maaleaar;realiseret;ansvarlig\n"
        "A;Sager;antal;lavere;1234567,5;2026;1234567,5;2028;;;ØKF\n"
    )
    _, findings = load_gevinster(write("gev.csv", text), {"A"}, None)
    assert [f.message for f in findings] == ["målet (1.234.567,5) er lig med baseline; fremdrift kan ikke måles"]


# --- 1. every command passes on the warnings validate gives -----------------------------------------------

REGISTER_ROWS = VALID_REGISTER.splitlines()
# each a change to the small valid register that validate warns about, and nothing else
WARNED = {
    "comma thousands": lambda rows: [rows[0], rows[1].replace(";2000;10000;", ";2,000;10000;"), *rows[2:]],
    "no estimate": lambda rows: [*rows[:4], rows[4].replace(";25000;25000;", ";;;")],
    "one-member variant group": lambda rows: [*rows[:3], rows[3].replace(";5g", ";solo"), *rows[4:]],
    "unknown column": lambda rows: [rows[0] + ";noter", *(r + ";x" for r in rows[1:])],
}
LEDGER = "id;aar;styringsomraade;beloeb\nA;2026;service;1000\n"
SPENDING = "id;aar;styringsomraade;forbrug\nA;2026;service;900\n"
BENEFITS = (
    "id;indikator;enhed;retning;baseline;baseline_aar;maal;maal_aar;maaleaar;realiseret;ansvarlig\n"
    "A;Sager;antal;hoejere;0;2026;10;2028;;;ØKF\n"
)


def _warned_files(write, kinds) -> list[str]:
    rows = REGISTER_ROWS
    for kind in sorted(kinds):
        rows = WARNED[kind](rows)
    files = {
        "register": write("reg.csv", "\n".join(rows) + "\n"),
        "frame": write("ramme.csv", VALID_FRAME),
        "bevillinger": write("bev.csv", LEDGER),
        "forbrug": write("forbrug.csv", SPENDING),
        "gevinster": write("gev.csv", BENEFITS),
    }
    return [arg for key, path in files.items() for arg in (f"--{key}", str(path))]


@given(st.sets(st.sampled_from(sorted(WARNED)), min_size=1))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_allocate_followup_and_robustness_pass_on_validates_warnings(write, capsys, kinds):
    files = _warned_files(write, kinds)
    code, out, _ = _run(["validate", *files], capsys)
    assert code == 0
    warnings = [line for line in out.splitlines() if line.startswith("advarsel: ")]
    assert len(warnings) >= len(kinds)
    for command in (
        ["allocate", "--plan-year", "2027", "--strategy", "priority"],
        ["followup", "--year", "2026"],
        ["robustness", "--plan-year", "2027", "--samples", "3", "--quiet"],
    ):
        code, _, err = _run([*command, *files], capsys)
        assert code == 0 and [line for line in err.splitlines() if line.startswith("advarsel: ")] == warnings
        code, out, err = _run([*command, *files, "--json"], capsys)
        assert code == 0 and json.loads(out)["warnings"] == warnings, command
        assert [line for line in err.splitlines() if line.startswith("advarsel: ")] == warnings


def test_the_json_object_has_an_empty_warnings_list_when_nothing_is_warned_about(write, capsys):
    register, frame = write("reg.csv", VALID_REGISTER), write("ramme.csv", VALID_FRAME)
    code, out, err = _run(["allocate", "--json", "--register", str(register), "--frame", str(frame)], capsys)
    assert code == 0 and json.loads(out)["warnings"] == [] and "advarsel" not in err


def test_collect_and_template_pass_on_their_files_warnings(write, tmp_path, capsys):
    submission = write("behov_BUF.csv", "\n".join(WARNED["comma thousands"](REGISTER_ROWS)) + "\n")
    code, out, err = _run(["collect", str(submission), "--out", str(tmp_path / "samlet.csv"), "--json"], capsys)
    expected = "advarsel: behov_BUF.csv række 2, kolonne omkostning_min: "
    assert code == 0 and [w for w in json.loads(out)["warnings"] if w.startswith(expected)]
    assert expected in err
    frame = write("ramme.csv", VALID_FRAME.replace("2027;anlaeg;10.000;2026\n", ""))
    code, _, err = _run(["template", "--out", str(tmp_path / "skabelon.xlsx"), "--frame", str(frame)], capsys)
    assert code == 0 and "advarsel: ramme.csv, kolonne styringsomraade: ingen række for anlæg i 2027" in err


@pytest.mark.e2e
def test_report_passes_on_the_warnings_before_it_renders(write, tmp_path):
    from analysis.report import render

    rows = WARNED["comma thousands"](REGISTER_ROWS)
    logged: list[str] = []
    render.render_report(
        2026,
        "budget",
        inputs={"register": write("reg.csv", "\n".join(rows) + "\n"), "frame": write("ramme.csv", VALID_FRAME)},
        out=tmp_path / "rapport",
        notebooks=["01_behovsregister.ipynb"],
        log=logged.append,
    )
    assert logged[0] == (
        'advarsel: reg.csv række 2, kolonne omkostning_min: "2,000" er læst som 2 (komma er decimaltegn); '
        "skriv fx 10.000 for ti tusind"
    )


# --- 3. a plausibility bound per file ----------------------------------------------------------------------

# the small frame's money by hand (1.000 kr.): service 15.000 in 2026 and 25.000 in 2027, anlæg 5.000
# and 10.000; a transfer into service 2027 adds to that year and to the pool's whole
SERVICE = {2026: 15_000, 2027: 25_000}


def _ledger_findings(write, rows: str, spending: str | None = None):
    from analysis.inputs.financing_frame import load_frame
    from analysis.inputs.followup_files import load

    register, _ = load_register(write("reg.csv", VALID_REGISTER))
    frame, _ = load_frame(write("ramme.csv", VALID_FRAME))
    ledger = write("bev.csv", "id;aar;styringsomraade;beloeb;art\n" + rows)
    used = write("forbrug.csv", "id;aar;styringsomraade;forbrug\n" + spending) if spending else None
    return load(register, frame, ledger, used)[1]


@given(st.integers(min_value=1, max_value=999_999_999), st.integers(min_value=0, max_value=20_000))
@FILES
def test_a_grant_is_bounded_by_its_pool_years_money_and_by_all_the_pools_money(write, grant, moved):
    rows = f"A;2027;service;{grant};udmøntet\n" + (f";2027;service;{moved};overført\n" if moved else "")
    found = [f for f in _ledger_findings(write, rows) if f.column == "beloeb"]
    whole = SERVICE[2026] + SERVICE[2027] + moved
    if grant <= SERVICE[2027] + moved:
        assert found == []
    elif grant <= whole:  # the frame may have been cut since: the plan says where the money lacks
        (warning,) = found
        assert not warning.is_error and warning.row == 2
        assert warning.message == (
            f"udmøntningen {_danish_int(grant)} er mere end puljens penge i 2027 (service): rammen 25.000 plus det "
            f"overførte til året {_danish_int(moved)} (1.000 kr.)"
        )
    else:  # 999.999.999 once ran to "status optimal" without a word
        (error,) = found
        assert error.is_error and (error.file, error.row, error.column) == ("bev.csv", 2, "beloeb")
        assert error.message.startswith(f"udmøntningen {_danish_int(grant)} er mere end alle puljens penge")
        assert f"(service: {_danish_int(whole)} med det overførte, 1.000 kr.)" in error.message


def test_a_years_spending_beyond_all_the_pools_money_is_an_error_at_its_cell(write, capsys):
    found = _ledger_findings(write, "A;2026;service;1000;udmøntet\n", "A;2026;service;999.999.999\n")
    assert [str(f) for f in found if f.is_error] == [
        "forbrug.csv række 2, kolonne forbrug: forbruget 999.999.999 er mere end alle puljens penge i rammens år "
        "(service: 40.000 med det overførte, 1.000 kr.); er beløbet skrevet i kroner?"
    ]
    files = _warned_files(write, ())
    spending = write("forbrug.csv", "id;aar;styringsomraade;forbrug\nA;2026;service;999.999.999\n")
    code, _, err = _run(["followup", "--year", "2026", *files, "--forbrug", str(spending)], capsys)
    assert code == 2 and "forbrug.csv række 2, kolonne forbrug: forbruget 999.999.999" in err


@pytest.mark.parametrize(
    "row, column, what",
    [
        ("A;Data;T;999.999.999;999.999.999;;", "omkostning_max", "omkostningen 999.999.999"),
        ("A;Data;T;1;2;1.000.000;", "gevinst", "gevinsten om året 1.000.000"),
        ("A;Data;T;1;2;;55.001", "drift_aar", "den afledte drift om året 55.001"),
    ],
)
def test_a_need_larger_than_the_whole_frame_gets_a_warning_at_its_cell(write, capsys, row, column, what):
    register = write("reg.csv", HEADER.strip() + ";gevinst;drift_aar\n" + row + "\n")
    code, out, _ = _run(["validate", "--register", str(register), "--frame", str(write("r.csv", VALID_FRAME))], capsys)
    # the small frame is 55.000 for all years and both pools, by hand
    assert code == 0
    assert (
        f"advarsel: reg.csv række 2, kolonne {column}: {what} er mere end hele rammen (55.000 for alle år og begge "
        "styringsområder); beløb er i 1.000 kr. – er det skrevet i kroner?"
    ) in out.splitlines()
    ok = write("ok.csv", HEADER.strip() + ";gevinst;drift_aar\nA;Data;T;1;55.000;55.000;55.000\n")
    _, out, _ = _run(["validate", "--register", str(ok), "--frame", str(write("r.csv", VALID_FRAME))], capsys)
    assert "hele rammen" not in out


def test_a_frame_year_far_above_the_pools_other_years_gets_a_warning(write, capsys):
    frame = write("ramme.csv", VALID_FRAME.replace("2027;service;25.000", "2027;service;250.000.000"))
    code, out, _ = _run(
        ["validate", "--register", str(write("reg.csv", VALID_REGISTER)), "--frame", str(frame)], capsys
    )
    # service's typical year: the median of 15.000 and 250.000.000, by hand 125.007.500; 10 times that is above
    # 250.000.000, so with two years nothing is out of line; three years make one
    assert code == 0 and "gange et typisk år" not in out
    three = VALID_FRAME.replace("2027;service;25.000", "2027;service;250.000.000") + "2028;service;20.000;2026\n"
    frame = write("ramme3.csv", three + "2028;anlaeg;10.000;2026\n")
    code, out, _ = _run(
        ["validate", "--register", str(write("reg.csv", VALID_REGISTER)), "--frame", str(frame)], capsys
    )
    assert (
        "advarsel: ramme3.csv række 4, kolonne beloeb: service 2027: 250.000.000 er mere end 10 gange et typisk år "
        "(20.000); beløb er i 1.000 kr. – er det skrevet i kroner?"
    ) in out.splitlines()


# --- 4. a grant for a need without an estimate ----------------------------------------------------------


def test_a_grant_for_a_need_without_an_estimate_is_a_warning_naming_the_grant_and_the_need(write, capsys):
    files = _warned_files(write, {"no estimate"})
    ledger = write("bev.csv", LEDGER + "D;2026;service;300\nD;2027;service;200\n")
    expected = (
        'advarsel: bev.csv række 3, kolonne id: "D" er udmøntet 500 (1.000 kr.) i alt, men behovet har intet '
        "omkostningsestimat i behovsregisteret (omkostning_min og omkostning_max er tomme)"
    )
    code, out, _ = _run(["validate", *files, "--bevillinger", str(ledger)], capsys)
    assert code == 0 and expected in out.splitlines()
    code, out, err = _run(["followup", "--year", "2026", "--json", *files, "--bevillinger", str(ledger)], capsys)
    assert code == 0 and expected in json.loads(out)["warnings"] and expected in err.splitlines()


# --- 5. Excel as seen: merged cells are refused, naming the range ------------------------------------------

REQUIRED = ["id", "omraade", "titel", "omkostning_min", "omkostning_max"]
LETTERS = "ABCDE"  # the five columns' letters, by hand


def _merged_workbook(write, ranges: list[str], name: str = "flettet.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "behovsregister"
    sheet.append(REQUIRED)
    for k in range(4):
        sheet.append([f"N{k}", "Data", f"Titel {k}", 1, 2])
    for ref in ranges:
        sheet.merge_cells(ref)
    path = write(name, b"")
    workbook.save(path)
    return path


@given(st.data())
@FILES
def test_a_merged_range_in_the_table_is_refused_naming_the_range(write, data):
    from analysis.inputs.reading import read_table

    first_col = data.draw(st.integers(0, 4))
    last_col = data.draw(st.integers(first_col, 4))
    first_row = data.draw(st.integers(2, 5))
    last_row = data.draw(st.integers(first_row, 5))
    assume((first_col, first_row) != (last_col, last_row))  # one cell is not a merge
    cells = f"{LETTERS[first_col]}{first_row}:{LETTERS[last_col]}{last_row}"
    _, findings = read_table(_merged_workbook(write, [cells]), "behovsregister", REQUIRED)
    errors = [f for f in findings if f.is_error]
    # once read as if every covered cell held the first one's value, without a word
    assert [(f.file, f.row, f.column) for f in errors] == [
        ("flettet.xlsx (ark behovsregister)", first_row, REQUIRED[first_col])
    ]
    assert errors[0].message.startswith(f"cellerne {cells} er flettet; ophæv fletningen")


def test_a_merged_cell_beside_the_table_is_not_the_tables_business(write, capsys):
    path = _merged_workbook(write, ["G2:H3"])
    code, _, _ = _run(["validate", "--register", str(path), "--frame", str(write("r.csv", VALID_FRAME))], capsys)
    assert code == 0
    code, out, _ = _run(
        [
            "validate",
            "--register",
            str(_merged_workbook(write, ["A1:B1"], "hoved.xlsx")),
            "--frame",
            str(write("r.csv", VALID_FRAME)),
        ],
        capsys,
    )
    assert code == 2 and "hoved.xlsx (ark behovsregister) række 1, kolonne id: cellerne A1:B1 er flettet" in out


# --- 6. the Excel appendix shows text as written, as string cells ---------------------------------------

# what a cell may hold at all: Excel refuses control characters (the register keeps them out of text)
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
FORMULA_LIKE = st.builds(lambda first, rest: first + rest, st.sampled_from("=+-@"), PRINTABLE)


def _cells(path):
    import zipfile

    from openpyxl import load_workbook

    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)  # no formula anywhere
    return [c for ws in load_workbook(path) for row in ws.iter_rows() for c in row if c.value is not None]


@given(st.lists(FORMULA_LIKE, min_size=1, max_size=4))
@FILES
def test_the_appendix_stores_text_as_string_cells_without_an_apostrophe(tmp_path, texts):
    from analysis.report.excel import write_appendix

    assume(all(t == t.strip() for t in texts))
    table = {"caption": "=Tabel", "unit": "", "columns": ["-navn", "tal"], "rows": [[t, 1.5] for t in texts]}
    cells = _cells(write_appendix(tmp_path / "bilag.xlsx", [("1.1", table)]))
    shown = [c.value for c in cells if isinstance(c.value, str)]
    # once "'=SUM(…)" and "'+18,2": Excel showed the apostrophe
    assert shown == ["=Tabel", "-navn", "tal", *texts]
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))


def test_the_ledger_as_xlsx_stores_text_as_written_and_csv_keeps_its_guard(tmp_path):
    import pandas as pd

    from analysis.report.excel import write_tables

    table = pd.DataFrame({"id": ["A"], "titel": ["=SUM(A1:A9)"], "beloeb": [100.0]})
    cells = _cells(write_tables(tmp_path / "bev.xlsx", {"bevillinger": table}))
    assert [c.value for c in cells] == ["id", "titel", "beloeb", "A", "=SUM(A1:A9)", 100]
    text = write_tables(tmp_path / "bev.csv", {"bevillinger": table}).read_text(encoding="utf-8-sig")
    assert "'=SUM(A1:A9)" in text  # a CSV cell has no type: the apostrophe stays


@given(st.sampled_from(["\x1b", "\x07", "\x00", "\x0b"]))
@FILES
def test_a_control_character_in_a_text_is_shown_not_a_crash_of_the_appendix(tmp_path, control):
    from analysis.report.excel import write_appendix

    shown = f"<U+{ord(control):04X}>"
    table = {"caption": "Behov", "unit": "", "columns": ["titel"], "rows": [[f"Data{control}platform"]]}
    # a register title with an ESC once ended the report in openpyxl's IllegalCharacterError
    cells = _cells(write_appendix(tmp_path / "bilag.xlsx", [("1.1", table)]))
    assert [c.value for c in cells] == ["Behov", "titel", f"Data{shown}platform"]


# --- 7. a ring of symbolic links ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--register", "{loop}"],
        ["validate", "--register", "{relative}"],
        ["allocate", "--frame", "{loop}"],
        ["collect", "{loop}", "--out", "{folder}/samlet.csv"],
        ["report", "--year", "2026", "--event", "budget", "--out", "{loop}/rapport"],
        ["allocate", "--output", "{ring}"],
    ],
)
def test_a_path_that_is_a_ring_of_symbolic_links_is_refused_in_danish(tmp_path, capsys, monkeypatch, argv):
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    monkeypatch.chdir(tmp_path)
    given = [a.format(loop=loop, relative="loop.csv", folder=tmp_path, ring=tmp_path / "a") for a in argv]
    code, _, err = _run(given, capsys)  # once "en uventet fejl" (exit 1)
    assert code == 2 and "stien går i ring: et symbolsk link peger på sig selv" in err


def test_a_ring_of_links_given_to_the_loader_is_a_finding_not_a_crash(tmp_path):
    from analysis.inputs.dataset import check_inputs

    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    dataset, findings = check_inputs(register=loop)
    assert dataset is None
    assert [str(f) for f in findings] == [
        "loop.csv: filen kan ikke læses: stien går i ring (symbolske links, der peger på hinanden)"
    ]


# --- 8. nothing left in TMPDIR -------------------------------------------------------------------------------

RENDER_SCRIPT = r"""
import sys
from pathlib import Path
import nbformat
from analysis.report import render
out, failing = sys.argv[1], sys.argv[2] == "fail"
folder = None
if failing:
    folder = Path(out).parent / "nb"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Fejl"), nbformat.v4.new_code_cell("raise ValueError('bevidst')")]
    nbformat.write(nb, str(folder / "01_fejl.ipynb"))
try:
    render.render_report(
        2026, "budget", out=out, log=lambda m: None, notebook_dir=folder,
        notebooks=["01_fejl.ipynb" if failing else "01_behovsregister.ipynb"],
    )
except render.RenderError as exc:
    print("RenderError", exc)
"""


@pytest.mark.e2e
@pytest.mark.parametrize("outcome", ["ok", "fail"])
def test_a_render_under_a_home_it_cannot_write_leaves_nothing_in_tmpdir(tmp_path, outcome):
    import os
    import subprocess
    import sys

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    (tmp_path / "fil").write_text("ikke en mappe", encoding="utf-8")
    # a scheduler's account whose HOME cannot be written: IPython then made itself a profile folder in TMPDIR
    env = {**os.environ, "TMPDIR": str(scratch), "HOME": str(tmp_path / "fil" / "hjem")}
    env.pop("IPYTHONDIR", None)
    done = subprocess.run(
        [sys.executable, "-c", RENDER_SCRIPT, str(tmp_path / "rapport"), outcome],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert ("RenderError" in done.stdout) == (outcome == "fail")
    assert (tmp_path / "rapport" / "index.html").exists() == (outcome == "ok")
    assert sorted(p.name for p in scratch.iterdir()) == []
    assert "not a writable location" not in done.stderr


# --- 10. invisible and decomposed characters named by their Unicode names ---------------------------------

NAMED_INVISIBLE = [c for c in ("\u200f", "\u200b", "\u2060", "\ufeff", "\u061c", "\u00ad", "\u202e")]


@given(st.sampled_from(NAMED_INVISIBLE), st.sampled_from(["bevillinger", "forbrug"]))
@FILES
def test_an_id_with_an_invisible_mark_is_named_by_its_unicode_name(write, capsys, mark, kind):
    import unicodedata

    files = _warned_files(write, ())
    text = {"bevillinger": LEDGER, "forbrug": SPENDING}[kind].replace("\nA;", f"\nA{mark};")
    path = write(f"{kind}.csv", text)
    code, _, err = _run(["followup", "--year", "2026", *files, f"--{kind}", str(path)], capsys)
    code_point = f"U+{ord(mark):04X}"
    # once '"A\u200f" er ikke et id': the mark printed raw, invisible
    assert code == 2
    assert (
        f'{kind}.csv række 2, kolonne id: "A<{code_point}>" er ikke et id i behovsregisteret '
        f'({code_point} {unicodedata.name(mark)}); mente du "A"?'
    ) in err.splitlines()


def test_an_invisible_mark_in_a_register_id_is_named_too(write, capsys):
    register = write("reg.csv", HEADER + "FAS-01\u200f;Data;T;1;2\n")
    code, out, _ = _run(["validate", "--register", str(register)], capsys)
    assert (
        code == 2
        and (
            'reg.csv række 2, kolonne id: id "FAS-01<U+200F>" indeholder et usynligt tegn (U+200F RIGHT-TO-LEFT MARK); '
            "skriv id'et igen"
        )
        in out.splitlines()
    )


def test_a_decomposed_id_on_the_command_line_is_read_composed_with_a_warning(write, capsys):
    register = write("reg.csv", VALID_REGISTER.replace("\nA;Data;", "\nÅR-01;Data;").replace(";A;", ";ÅR-01;"))
    frame = write("ramme.csv", VALID_FRAME)
    decomposed = "A\u030aR-01"  # "A" + COMBINING RING ABOVE: looks exactly like the register's "ÅR-01"
    code, out, err = _run(
        ["allocate", "--force-in", decomposed, "--json", "--register", str(register), "--frame", str(frame)], capsys
    )
    warning = (
        f'advarsel: --force-in: "{decomposed}" er skrevet med sammensatte tegn (U+030A COMBINING RING ABOVE); '
        'det læses som "ÅR-01"'
    )
    # once '--force-in: "ÅR-01" er ikke et id i registeret', naming an id that looks like the register's
    assert code == 0 and warning in err.splitlines()
    result = json.loads(out)
    assert result["warnings"] == [warning] and "ÅR-01" in [n["id"] for n in result["selected"]]


def test_a_decomposed_id_in_a_file_is_read_composed_with_a_warning_naming_the_mark(write, capsys):
    register = write("reg.csv", HEADER + "A\u030aR-01;Data;T;1;2\nB;Data;T;1;2;\n")
    code, out, _ = _run(["validate", "--register", str(register), "--frame", str(write("r.csv", VALID_FRAME))], capsys)
    assert (
        code == 0
        and (
            'advarsel: reg.csv række 2, kolonne id: "A\u030aR-01" er skrevet med sammensatte tegn '
            '(U+030A COMBINING RING ABOVE); det læses som "ÅR-01"'
        )
        in out.splitlines()
    )


# --- 11. a scenario's decisions are its own ------------------------------------------------------------------


def test_a_scenario_releasing_an_investment_not_started_is_refused_naming_the_file_and_key(write, capsys):
    files = _warned_files(write, ())  # A is udmøntet from 2026: started before 2027
    scenario = write("stop-b.json", '{"navn": "Stop B", "release": ["B"], "plan_year": 2027}')
    code, _, err = _run(["allocate", *files, "--scenario", str(scenario)], capsys)
    # once "--release: B er ikke en påbegyndt investering før 2027", a flag never typed
    assert code == 2 and err.splitlines()[0] == (
        "stop-b.json, nøgle release: B er ikke en påbegyndt investering før 2027; "
        "kun påbegyndte investeringer kan stoppes"
    )
    assert "--release" not in err
    # given on the command line, the release is the command line's, and named so
    code, _, err = _run(["allocate", *files, "--scenario", str(scenario), "--release", "C"], capsys)
    assert code == 2 and err.startswith("--release: C er ikke en påbegyndt investering før 2027")
    started = write("stop-a.json", '{"navn": "Stop A", "release": ["A"], "plan_year": 2027}')
    assert _run(["allocate", *files, "--scenario", str(started)], capsys)[0] == 0


# --- 12. the robustness draws are centred on the expected cost ----------------------------------------------


@given(
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=1, max_value=10_000),
    st.floats(min_value=0, max_value=1),
)
@settings(max_examples=60, deadline=None)
def test_the_cost_draws_are_centred_on_the_expected_cost(low, span, where):
    import numpy as np

    from analysis.model.robustness import pert

    high = low + span
    expected = low + where * span
    draws = pert(
        np.array([float(low)]), np.array([expected]), np.array([float(high)]), 20_000, np.random.default_rng(1)
    )
    assert draws.min() >= low and draws.max() <= high
    # the mean is the expected cost the options count with (PERT with it as the mode once gave
    # (min + 4 · expected + max) / 6); the standard error is below span / 140 here, so 3 % of the span holds
    assert abs(draws.mean() - expected) <= 0.03 * span


def test_the_provenance_writes_a_parameter_the_danish_way(write):
    from analysis.report import provenance

    shown = provenance.table({}, {"max_running_cost": 1_000_000.0, "discount_rate": 0.035, "seed": 2026})
    rows = dict(zip(shown.data["Oplysning"], shown.data["Værdi"], strict=True))
    # once "1e+06" on a Danish report page
    assert rows["Parameter: max_running_cost"] == "1.000.000"
    assert rows["Parameter: discount_rate"] == "0,035" and rows["Parameter: seed"] == "2026"
