"""Nothing lost, nothing silently wrong, part two (issue #24), the inputs: intake workbooks,
scenario files and the workbench's save, Unicode, the console, scale. Each kind of case
gives exit 2 (or a warning) with a Danish line naming file, row and column or key, never
an unexpected error, or works."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import unicodedata
import zipfile

import pytest
from helpers import VALID_FRAME, VALID_REGISTER
from openpyxl import Workbook

from analysis.cli import main
from analysis.inputs.cells import INVISIBLE
from analysis.inputs.reading import read_table
from analysis.inputs.register import load_register
from analysis.inputs.scenario import Scenario, load_scenario

HEADER = "id;omraade;titel;omkostning_min;omkostning_max\n"
REQUIRED = ["id", "omraade", "titel", "omkostning_min", "omkostning_max"]


def _run(argv: list[str], capsys) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as stop:  # a usage error: argparse's exit 2 with one Danish line
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def _no_crash(text: str) -> None:
    assert "uventet fejl" not in text and "Traceback" not in text


# --- 2. no unexpected errors -------------------------------------------------------------------


def test_a_register_cell_of_200_kb_is_an_error_at_its_cell(write, capsys):
    path = write("reg.csv", HEADER + f"A;Data;{'x' * 200_000};1;2\n")
    code, out = _run(["validate", "--register", str(path)], capsys)
    _no_crash(out)
    assert code == 2
    assert "reg.csv række 2, kolonne titel: feltet har 200000 tegn; højst 5000 er tilladt" in out


def _workbook_bytes(sheets: dict[str, list[list]], hidden: tuple[str, ...] = (), merged: dict | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
        for ref in (merged or {}).get(title, []):
            sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_that_unpacks_to_more_than_200_mb_is_refused_before_it_is_read(write, capsys):
    # a zip whose shared strings expand to 250 MB: its directory says so before anything unpacks
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"a" * 250_000_000 + b"</sst>")
    path = write("bombe.xlsx", buffer.getvalue())
    assert path.stat().st_size < 1_000_000
    code, out = _run(["validate", "--register", str(path)], capsys)
    _no_crash(out)
    assert code == 2
    assert "bombe.xlsx: projektmappen fylder 250 MB udpakket; højst 200 MB læses" in out


def test_a_password_protected_workbook_is_named_as_such(write):
    # the start of an OLE compound file and its directory entry "EncryptedPackage" (UTF-16)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    table, findings = read_table(write("beskyttet.xlsx", data), "behovsregister", REQUIRED)
    assert table is None
    (finding,) = findings
    assert "beskyttet med adgangskode" in finding.message and "gamle Excel-format" not in finding.message


def test_a_console_that_cannot_show_the_text_gets_question_marks_not_a_crash(write):
    path = write("reg.csv", HEADER + "A\u200f;Data;T;1;2\n")
    for encoding in ("latin-1", "ascii"):
        done = subprocess.run(
            [sys.executable, "-m", "analysis", "validate", "--register", str(path)],
            capture_output=True,
            env={"PYTHONIOENCODING": encoding, "PATH": "/usr/bin:/bin"},
            timeout=120,
        )
        err = (done.stdout + done.stderr).decode(encoding, errors="replace")
        assert done.returncode == 2, err
        assert "uventet fejl" not in err and "Traceback" not in err
        assert "<U+200F>" in err and "1 fejl" in err


# --- 3. bounded work -------------------------------------------------------------------------------


def test_a_register_of_more_than_1000_needs_is_refused_at_need_1001(write, capsys):
    rows = "".join(f"N{k};Data;T;1;2\n" for k in range(1, 1002))
    code, out = _run(["validate", "--register", str(write("reg.csv", HEADER + rows))], capsys)
    assert code == 2
    # the header is row 1, need 1.001 is on row 1.002
    assert "reg.csv række 1002: registeret har mere end 1.000 behov; højst 1.000 behov kan regnes" in out
    ok = write("ok.csv", HEADER + "".join(f"N{k};Data;T;1;2\n" for k in range(1, 1001)))
    register, findings = load_register(ok)
    assert register is not None and len(register) == 1000 and not [f for f in findings if f.is_error]


def test_collect_refuses_files_that_together_hold_more_needs_than_validate_reads(write, tmp_path, capsys):
    one = write("a.csv", HEADER + "".join(f"A{k};Data;T;1;2\n" for k in range(600)))
    two = write("b.csv", HEADER + "".join(f"B{k};Data;T;1;2\n" for k in range(600)))
    out = tmp_path / "samlet.csv"
    code, text = _run(["collect", str(one), str(two), "--out", str(out)], capsys)
    assert code == 2
    assert "filerne har tilsammen 1.200 behov; højst 1.000 behov kan regnes" in text
    assert not out.exists()


def test_blank_rows_down_to_the_last_excel_row_are_one_line_not_a_million(tmp_path, capsys):
    # a sheet formatted to row 1.048.576: openpyxl writes a cell there, the rows between are empty
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "behovsregister"
    sheet.append(REQUIRED)
    sheet.append(["A", "Data", "T", 1, 2])
    sheet.cell(row=200_000, column=1, value="B")
    for k, value in enumerate(["Data", "T", 1, 2], start=2):
        sheet.cell(row=200_000, column=k, value=value)
    path = tmp_path / "reg.xlsx"
    workbook.save(path)
    code, out = _run(["validate", "--register", str(path)], capsys)
    assert code == 0, out
    lines = [line for line in out.splitlines() if "tom" in line]
    assert lines == [
        "advarsel: reg.xlsx (ark behovsregister): rækkerne 3–199.999 er tomme mellem datarækker; de springes over"
    ]


# --- 5. Excel as a person sees it --------------------------------------------------------------------


def test_the_visible_sheet_is_read_not_a_hidden_one(write):
    data = _workbook_bytes(
        {"gammel": [REQUIRED, ["GAMMEL", "Data", "T", 1, 2]], "behov": [REQUIRED, ["NY", "Data", "T", 1, 2]]},
        hidden=("gammel",),
    )
    table, findings = read_table(write("reg.xlsx", data), "behovsregister", REQUIRED)
    assert [values[0] for _, values in table.rows] == ["NY"]
    assert not [f for f in findings if f.is_error]


def test_several_visible_candidate_sheets_are_refused_unless_one_has_the_templates_name(write):
    rows = [REQUIRED, ["A", "Data", "T", 1, 2]]
    data = _workbook_bytes({"Ark1": rows, "Ark2": [REQUIRED, ["B", "Data", "T", 1, 2]]})
    table, findings = read_table(write("to.xlsx", data), "behovsregister", REQUIRED)
    assert table is None
    assert "flere synlige ark har registerets kolonner (Ark1, Ark2)" in findings[0].message
    named = _workbook_bytes({"kopi": [REQUIRED, ["B", "Data", "T", 1, 2]], "behovsregister": rows})
    table, findings = read_table(write("navngivet.xlsx", named), "behovsregister", REQUIRED)
    assert [values[0] for _, values in table.rows] == ["A"]
    assert [f.message for f in findings if not f.is_error] == [
        "arket behovsregister læses; arkene kopi har også registerets kolonner og læses ikke"
    ]


def test_a_merged_cell_holds_for_every_cell_it_covers(write):
    rows = [REQUIRED, ["A", "Data", "T", 1, 2], ["B", None, "U", 1, 2], ["C", None, "V", 1, 2]]
    data = _workbook_bytes({"behovsregister": rows}, merged={"behovsregister": ["B2:B4"]})
    table, findings = read_table(write("flettet.xlsx", data), "behovsregister", REQUIRED)
    assert [values[1] for _, values in table.rows] == ["Data", "Data", "Data"]
    # read as shown, so no follow-on errors, but refused, naming the range (#43)
    assert [f.message[:30] for f in findings if f.is_error] == ["cellerne B2:B4 er flettet; oph"]


# --- 6. ids and text -----------------------------------------------------------------------------------


def test_every_control_format_private_use_and_surrogate_character_counts_as_invisible():
    # computed independently of the pattern, from Unicode's own categories
    missing = [
        f"U+{c:04X}"
        for c in range(0x110000)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp") and not INVISIBLE.match(chr(c))
    ]
    assert missing == []
    for visible_char in "aøÅ-_ 0é":
        assert not INVISIBLE.match(visible_char)


@pytest.mark.parametrize("mark, shown", [("\u061c", "<U+061C>"), ("\U000e0041", "<U+E0041>"), ("\ue000", "<U+E000>")])
def test_an_invisible_character_in_an_id_is_an_error_shown_escaped(write, capsys, mark, shown):
    path = write("reg.csv", HEADER + f"A{mark};Data;T;1;2\nA;Data;T;1;2\n")
    code, out = _run(["validate", "--register", str(path)], capsys)
    assert code == 2
    assert f'reg.csv række 2, kolonne id: id "A{shown}" indeholder et usynligt tegn' in out


def test_ids_are_compared_after_nfkc_within_a_register_and_across_collects_files(write, tmp_path, capsys):
    path = write("reg.csv", HEADER + "DATA-01;Data;T;1;2\nＤＡＴＡ-０１;Data;T;1;2\n")
    code, out = _run(["validate", "--register", str(path)], capsys)
    assert code == 2 and 'er det samme som "DATA-01", der findes i række 2' in out
    one = write("a.csv", HEADER + "ID-1;Data;T;1;2\n")
    two = write("b.csv", HEADER + "ｉｄ-1;Data;T;1;2\n")
    code, out = _run(["collect", str(one), str(two), "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 2 and 'id "ｉｄ-1" findes også i a.csv række 2' in out


def test_mojibake_and_a_far_year_get_a_warning_naming_the_cell(write, capsys):
    register = write(
        "reg.csv", HEADER.strip() + ";pl_aar\n" + "A;Data;Fælles Ã¸konomisystem;1;2;2099\nB;Data;T;1;2;2026\n"
    )
    frame = write("ramme.csv", VALID_FRAME)
    code, out = _run(["validate", "--register", str(register), "--frame", str(frame)], capsys)
    assert (
        'advarsel: reg.csv række 2, kolonne titel: teksten ser dobbelt-kodet ud: "Ã¸" står, hvor der nok skulle stå "ø"'
        in out
    )
    assert "advarsel: reg.csv række 2, kolonne pl_aar: årstallet 2099 ligger mere end 25 år fra i år" in out


# --- 7. scenario files are strict -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, key, expected",
    [
        ('{"navn": "x", "plan_year": 2027.0}', "plan_year", "2027.0 skal skrives som et helt tal uden decimaler"),
        ('{"navn": "x", "plan_year": ' + "9" * 5000 + "}", "plan_year", "et tal med 5000 cifre; højst 18 cifre"),
        ('{"navn": "x", "time_preference": 1e400}', "time_preference", "er ikke et endeligt tal"),
        ('{"navn": "x", "time_preference": NaN}', "time_preference", "er ikke et endeligt tal"),
        ('{"navn": "x", "navn": "y"}', "navn", "nøglen står to gange"),
        ('{"navn": "x", "frame_scale": {"service": {"02027": 1.2}}}', "frame_scale", '"02027" er ikke et årstal'),
        ('{"navn": "x", "frame_scale": {"service": {"2035": 1.2}}}', "frame_scale", "2035 er ikke et år i rammen"),
        ('{"navn": "x\u200f"}', "navn", 'navnet "x<U+200F>" indeholder et usynligt tegn'),
        (
            '{"navn": "x", "force_in": ["A\u200f"]}',
            "force_in",
            '"A<U+200F>" er ikke et id i behovsregisteret (U+200F RIGHT-TO-LEFT MARK); mente du "A"?',
        ),
    ],
)
def test_a_scenario_file_problem_names_the_file_and_the_key(write, text, key, expected):
    _, findings = load_scenario(write("s.json", text), {"A", "B"}, [2026, 2027])
    assert any(str(f).startswith(f"s.json, nøgle {key}: ") and expected in str(f) for f in findings), findings


def test_a_json_syntax_error_says_what_and_where_in_danish(write):
    _, findings = load_scenario(write("s.json", '{"navn": "x",\n "time_preference": 0.1,,}'), {"A"})
    assert [str(f) for f in findings] == [
        "s.json: filen er ikke gyldig JSON: her ventes en nøgle i anførselstegn (et komma for meget?) (linje 2, tegn 25)"
    ]


def test_template_year_outside_the_frame_is_refused(tmp_path, capsys):
    out = tmp_path / "skabelon.xlsx"
    code, text = _run(["template", "--year", "2040", "--out", str(out)], capsys)
    assert code == 2 and "--year 2040 ligger uden for rammens år 2026–2029" in text
    assert not out.exists()


# --- 1. the workbench never replaces a file it did not save --------------------------------------------------


def _box(write):
    from analysis import workbench
    from analysis.inputs.dataset import load_dataset

    data = load_dataset(register=write("r.csv", VALID_REGISTER), frame=write("f.csv", VALID_FRAME))
    return workbench.explorer(data)


def test_the_workbench_takes_the_next_free_name_instead_of_replacing_a_users_file(write, tmp_path, capsys):
    folder = tmp_path / "scenarier"
    folder.mkdir()
    mine = folder / "halv-ramme.json"
    mine.write_text('{"navn": "Halv ramme", "strategy": "priority"}', encoding="utf-8")
    box = _box(write)
    box.name.value = "Halv ramme"
    saved = box.save_scenario(folder)
    assert saved == folder / "halv-ramme-2.json"
    assert json.loads(mine.read_text(encoding="utf-8")) == {"navn": "Halv ramme", "strategy": "priority"}
    # its own file it may replace, once the analyst says so (#28: never overwrite without asking)
    assert box.save_scenario(folder) is None and box.confirm.layout.display == "flex"
    box.answer(True)
    assert sorted(p.name for p in folder.iterdir()) == ["halv-ramme-2.json", "halv-ramme.json"]
    assert json.loads(saved.read_text(encoding="utf-8"))["navn"] == "Halv ramme"
    capsys.readouterr()


@pytest.mark.parametrize("name", ["x" * 230, "Plan\u200f B"])
def test_a_name_the_reader_would_refuse_is_not_saved(write, tmp_path, capsys, name):
    box = _box(write)
    box.name.value = name
    assert box.save_scenario(tmp_path / "scenarier") is None
    assert not (tmp_path / "scenarier").exists() or not list((tmp_path / "scenarier").iterdir())
    capsys.readouterr()


def test_a_scenario_round_trips_with_a_name_at_the_limit(tmp_path):
    from analysis.inputs.scenario import save_new

    scenario = Scenario(name="y" * 80, settings={"strategy": "priority"})
    path, renamed = save_new(tmp_path, scenario, set())
    assert not renamed and path.name == "y" * 80 + ".json"
    loaded, findings = load_scenario(path, set())
    assert findings == [] and loaded.name == "y" * 80


def test_a_force_in_id_with_an_invisible_mark_is_shown_escaped(write, capsys):
    register, frame = write("reg.csv", VALID_REGISTER), write("ramme.csv", VALID_FRAME)
    code, out = _run(["allocate", "--force-in", "A\u200f", "--register", str(register), "--frame", str(frame)], capsys)
    assert code == 2
    assert '--force-in: "A<U+200F>" er ikke et id i registeret' in out
