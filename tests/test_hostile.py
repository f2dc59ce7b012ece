"""A register whose text is hostile (HTML, script, Markdown, mathtext, formulas, very long
strings) renders as plain text, and no script from data ends up in the report."""

from __future__ import annotations

import csv
import io

import pytest

from analysis.report import render

HOSTILE_TITLES = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "**fed** og [link](javascript:alert(1))",
    "Pris $5 og $x^2$ og en enlig $",
    "=SUM(A1:A9)",
    "L" + "a" * 3000,
]


def hostile_register() -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(
        [
            "id",
            "omraade",
            "titel",
            "beskrivelse",
            "omkostning_min",
            "omkostning_max",
            "potentiale_aflastning",
            "variantgruppe",
        ]
    )
    for k, title in enumerate(HOSTILE_TITLES):
        writer.writerow([f"H{k}", "<b>Område</b> $", title, title, 1000 * (k + 1), 2000 * (k + 1), 3, ""])
    writer.writerow(["V1", "Net", "<i>variant</i>", "", 500, 500, 1, "<g>"])
    writer.writerow(["V2", "Net", "$$", "", 800, 800, 2, "<g>"])
    return out.getvalue()


@pytest.mark.e2e
def test_hostile_register_renders_as_plain_text(write, tmp_path):
    register = write("fjendtlig.csv", hostile_register())
    out = render.render_report(
        2026,
        "budget",
        inputs={"register": register},
        out=tmp_path / "rapport",
        notebooks=["01_behovsregister.ipynb", "02_allokering.ipynb"],
        log=lambda _m: None,
    )
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html, page.name
        assert "<img src=x" not in html  # only escaped: &lt;img …
        assert "<b>Område</b>" not in html and "<i>variant</i>" not in html
    page = (out / "01_behovsregister.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in page and "&lt;/script&gt;" in page
    assert "**fed** og [link](javascript:alert(1))" in page  # Markdown stays literal
    assert "=SUM(A1:A9)" in page

    from openpyxl import load_workbook

    workbook = load_workbook(out / "bilag.xlsx")
    cells = [c for ws in workbook for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    # text as written, in string cells: never a formula, and no apostrophe for Excel to show (#43)
    assert all(c.data_type == "s" for c in cells)
    assert "=SUM(A1:A9)" in [c.value for c in cells] and "'=SUM(A1:A9)" not in [c.value for c in cells]
