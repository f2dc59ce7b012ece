"""Every figure a report shows in more than one place is one model value (#35): the frame,
what is udmøntet, what is not planned, the transfers, an investment's status and cost, read
back from the index (its summary and its indstilling), the pages, the Excel appendix and the
terminal, compared at the coarser of the two roundings, in the same labelled p/l. On the
shipped data's three reports and on every event of the generated four-year cycle, which has
a merforbrug every year and an investment stopped at Budget 2029."""

from __future__ import annotations

import html as htmllib
import json
import re
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from conftest import SHIPPED_EVENTS

from analysis.cli import main
from analysis.inputs import paths
from analysis.model.cycle import Event

POOLS = {"Service": "service", "Anlæg": "anlæg"}
CYCLE_EVENTS = ["OFS 25/26", "Budget 2027", "OFS 26/27", "Budget 2028", "OFS 27/28", "Budget 2029", "OFS 28/29",
                "OFS 29/30"]  # fmt: skip


class Facts:
    """Values by what they are (``key``), each with where it was read and how finely it is
    rounded there (half the last shown digit, or a whole step for parts that are rounded to
    add up to a rounded total)."""

    def __init__(self):
        self.seen: dict[tuple, list[tuple[object, float, str]]] = defaultdict(list)

    def add(self, key: tuple, value, where: str, tolerance: float = 1e-6) -> None:
        self.seen[key].append((value, tolerance, where))

    def disagreements(self) -> list[str]:
        out = []
        for key, values in self.seen.items():
            for a, ta, wa in values:
                for b, tb, wb in values:
                    if wa >= wb:
                        continue
                    same = a == b if isinstance(a, str) or isinstance(b, str) else abs(a - b) <= max(ta, tb) + 1e-6
                    if not same:
                        out.append(f"{key}: {a!r} ({wa}) ≠ {b!r} ({wb})")
        return out

    def keys(self) -> set:
        return {key for key, values in self.seen.items() if len({w for _v, _t, w in values}) > 1}


def danish_number(text: str) -> tuple[float, int]:
    """``1.234`` → (1234, 0); ``-28.615`` or ``−28.615`` → (-28615, 0); ``0,7`` → (0.7, 1)."""
    text = text.strip().replace("−", "-")
    whole, _, decimals = text.partition(",")
    return float(whole.replace(".", "") + ("." + decimals if decimals else "")), len(decimals)


def amount_tkr(text: str) -> tuple[float, float]:
    """An amount as a page writes it, in 1.000 kr., and half its last digit: ``2,5 mio. kr.``
    → (2500, 50); ``1.474`` → (1474, 0.5)."""
    mio = text.strip().endswith("mio. kr.")
    number, decimals = danish_number(text.replace("mio. kr.", ""))
    step = 10.0**-decimals * (1000 if mio else 1)
    return number * (1000 if mio else 1), step / 2


def sheets(folder: Path) -> dict[str, list[tuple]]:
    """The Excel appendix's tables by caption: rows of cells, the header first."""
    book = openpyxl.load_workbook(folder / "bilag.xlsx")
    out = {}
    for sheet in book:
        rows = list(sheet.iter_rows(values_only=True))
        out[str(rows[0][0])] = rows[1:]
    return out


def table(tables: dict, caption_start: str) -> list[dict] | None:
    found = [rows for caption, rows in tables.items() if caption.startswith(caption_start)]
    if not found:
        return None
    header, *rows = found[0]
    return [dict(zip(header, row, strict=False)) for row in rows]


def page_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def html_rows(path: Path, caption_start: str) -> list[list[str]] | None:
    raw = path.read_text(encoding="utf-8")
    match = re.search(rf"<caption>{re.escape(caption_start)}.*?</table>", raw, re.S)
    if not match:
        return None
    body = match.group(0).split("<tbody>", 1)[1]
    return [
        [
            " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)
        ]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


# --- the surfaces ---------------------------------------------------------------------------------


KEY_ROWS = {  # the summary's row (its label's start) → what it is
    "Ramme ": "frame",
    "Udmøntes nu": "udmøntes nu",
    "Alternativet udmønter": "udmøntes nu",
    "Udmøntet i alt": "i planen i alt",
    "Ikke planlagt": "ikke planlagt",
    "Forbrug ": "forbrug",
    "Bundne midler, foreslået overført": "bundet, overføres",
    "Frie midler": "frie midler",
    "Foreslået tilbageført kassen": "tilbageføres kassen",
}


def key_figures(folder: Path, facts: Facts) -> None:
    """The index's summary: its numbers in the appendix (sheet 0.1) and its words on the page."""
    rows = table(sheets(folder), "Sammenfatning")
    shown = {row[0]: row[1] for row in html_rows(folder / "index.html", "Sammenfatning")}
    for row in rows:
        label = row[None] if None in row else row.get("")
        what = next((w for start, w in KEY_ROWS.items() if str(label).startswith(start)), None)
        if what is None or row["I alt"] is None:
            continue
        if what != "ikke planlagt":
            facts.add((what, "i alt"), float(row["I alt"]), "bilag 0.1")
        for column, pool in POOLS.items():
            facts.add((what, pool), float(row[column]), "bilag 0.1")
        text = shown[label]
        for pool_word, pool in (("service", "service"), ("anlæg", "anlæg")):
            found = re.search(rf"{pool_word} (−?-?[\d.]+(?:,\d+)?)", text)
            if found:
                value, half = amount_tkr(found.group(1))
                facts.add((what, pool), value, "forsiden, sammenfatning", half)


def resume(folder: Path, facts: Facts) -> None:
    """The indstilling's amounts (mio. kr.; its parts rounded to add up to its total)."""
    text = page_text(folder / "index.html")
    said = re.search(r"udmønter (\S+ mio\. kr\.) \(([^)]*)\) til \d+ investering", text)
    if said:
        value, half = amount_tkr(said.group(1))
        facts.add(("udmøntes nu", "i alt"), value, "indstillingen", half)
        for pool_word, pool in (("service", "service"), ("anlæg", "anlæg")):
            part = re.search(rf"{pool_word} (\S+ mio\. kr\.)", said.group(2))
            value, half = amount_tkr(part.group(1)) if part else (0.0, 0.0)
            facts.add(("udmøntes nu", pool), value, "indstillingen", 2 * half if part else 0.5)
    moved = re.search(r"at de bundne midler, (\S+ mio\. kr\.) \(([^)]*)\)", text)
    if moved:
        value, half = amount_tkr(moved.group(1))
        facts.add(("bundet, overføres", "i alt"), value, "indstillingen", half)
        for pool_word, pool in (("service", "service"), ("anlæg", "anlæg")):
            part = re.search(rf"{pool_word} (\S+ mio\. kr\.)", moved.group(2))
            if part:
                value, half = amount_tkr(part.group(1))
                facts.add(("bundet, overføres", pool), value, "indstillingen", 2 * half)


def allocation_page(folder: Path, facts: Facts, tables: dict) -> None:
    """Page 02: the main option's row of the options table, and the bevillingsteknik."""
    options = table(tables, "Forslag til udmøntning side om side")
    if options is None:
        return
    main = next(row for row in options if row["Indstilling"])
    facts.add(
        ("udmøntes nu", "i alt"), float(main["Udmøntes nu"]), "side 02, forslagene"
    )
    facts.add(("i planen i alt", "i alt"), float(main["Udmøntet i alt, alle år"]), "side 02, forslagene")
    for column, pool in (("Ikke planlagt, service", "service"), ("Ikke planlagt, anlæg", "anlæg")):
        facts.add(("ikke planlagt", pool), float(main[column]), "side 02, forslagene")
    granted = table(tables, "Bevillingsteknik: udmøntning")
    if granted is not None and "alternativ" not in main["Indstilling"]:
        totals = [row for row in granted if row["Id"] is None and str(row["Behov"]).endswith("udgifter i alt")]
        for pool in ("service", "anlæg"):
            amount = sum(float(r["I alt"]) for r in totals if str(r["Styringsområde"]).lower() == pool)
            facts.add(("udmøntes nu", pool), amount, "side 02, bevillingsteknik")
    elif "alternativ" not in main["Indstilling"]:
        for pool in ("service", "anlæg"):
            facts.add(("udmøntes nu", pool), 0.0, "side 02, bevillingsteknik (intet udmøntet)")
    chosen = table(tables, "Finansierede behov")
    for row in chosen or []:
        facts.add(("status", row["Id"]), str(row["Status"]).split(" (")[0], "side 02, finansierede behov")
        facts.add(("omkostning", row["Id"]), float(row["Omkostning"]), "side 02, finansierede behov")


def business_case_page(facts: Facts, tables: dict) -> None:
    """Page 05: each investment's status, and the portfolio's nutidsværdi (its investments are
    on their accounts in the frame's fixed p/l, so their cost is not page 02's plan)."""
    rows = table(tables, "Investeringerne i forslaget")
    for row in rows or []:
        if row["Id"] == "I alt":
            npv = next(k for k in row if str(k).startswith("Nutidsværdi"))
            facts.add(("nutidsværdi", "i alt"), float(row[npv]), "side 05, investeringerne")
            continue
        facts.add(("status", row["Id"]), str(row["Status"]), "side 05, investeringerne")
    summary = table(tables, "Sammenfatning")
    for row in summary or []:
        label = str(row[None] if None in row else row.get(""))
        if label.strip().startswith("Nutidsværdi ("):
            facts.add(("nutidsværdi", "i alt"), float(row["I alt"]), "bilag 0.1")
    options = table(tables, "Forslag til udmøntning side om side: beløb")
    for row in options or []:
        if row["Indstilling"]:
            npv = next(k for k in row if str(k).startswith("Nutidsværdi"))
            facts.add(("nutidsværdi", "i alt"), float(row[npv]), "side 02, forslagene")


def followup_page(facts: Facts, tables: dict, year: int) -> None:
    """Page 03: the year's row per pool of the OFS table, and the bevillingsteknik's transfers."""
    rows = table(tables, "Rammen og forslaget til overførselssagen")
    if rows is None:
        return
    for row in rows:
        if row["År"] != year:
            continue
        pool = POOLS[row["Styringsområde"]]
        facts.add(("forbrug", pool), float(row["Forbrug"]), "side 03, rammen")
        if row["Overføres"] is not None and abs(float(row["Overføres"]) - float(row["Heraf bundet"])) < 1e-6:
            # no pool money moves with it: what is transferred is the bound money
            facts.add(("bundet, overføres", pool), float(row["Overføres"]), "side 03, rammen")
        facts.add(("frie midler", pool), float(row["Frie midler"]), "side 03, rammen")
        facts.add(("tilbageføres kassen", pool), float(row["Tilbageføres kassen"]), "side 03, rammen")
    moved = table(tables, "Bevillingsteknik: overførsler")
    if moved:
        for pool in ("service", "anlæg"):
            # an investment's rows: its bound money moved on (> 0); a merforbrug carried is its own row (< 0)
            amount = sum(
                float(r["Beløb"])
                for r in moved
                if r["Id"] and float(r["Beløb"]) > 0 and str(r["Styringsområde"]).lower() == pool
            )
            facts.add(("bundet, overføres", pool), amount, "side 03, bevillingsteknik")


def terminal(inputs: dict, year: int, facts: Facts, capsys) -> None:
    """``digiramme followup --year Y --json`` on the same inputs: in the report's p/l (the
    year's), to the krone, with no conversion between them."""
    args = ["followup", "--year", str(year), "--json"]
    for key, path in inputs.items():
        args += [f"--{key.replace('_', '-')}", str(path)]
    capsys.readouterr()
    assert main(args) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["pl_aar"] == year
    for row in said["pools"]:
        if row["year"] != year:
            continue
        facts.add(("forbrug", row["pool"]), row["spent"], "followup --json", 0.01)
        for what, key in (("frie midler", "free"), ("tilbageføres kassen", "returned")):
            facts.add((what, row["pool"]), row[key], "followup --json", 0.01)


def read_report(folder: Path, event: Event, inputs: dict | None, capsys) -> Facts:
    facts = Facts()
    tables = sheets(folder)
    key_figures(folder, facts)
    resume(folder, facts)
    allocation_page(folder, facts, tables)
    business_case_page(facts, tables)
    if event.kind == "OFS" and event.year >= 2026:  # OFS 25/26 follows up no year
        followup_page(facts, tables, event.year)
        if inputs is not None:
            terminal(inputs, event.year, facts, capsys)
    return facts


@pytest.mark.e2e
@pytest.mark.parametrize("kind", list(SHIPPED_EVENTS))
def test_the_shipped_reports_show_each_figure_as_one_value(kind, rendered, capsys):
    year, event = SHIPPED_EVENTS[kind]
    shipped = {"register": paths.DEFAULT_REGISTER, "bevillinger": paths.DEFAULT_BEVILLINGER,
               "forbrug": paths.DEFAULT_FORBRUG, "gevinster": paths.DEFAULT_GEVINSTER}  # fmt: skip
    facts = read_report(rendered(kind), Event(event, year), shipped, capsys)
    assert facts.keys(), "nothing was read twice"
    assert facts.disagreements() == []


@pytest.mark.e2e
@pytest.mark.parametrize("name", CYCLE_EVENTS)
def test_every_event_of_a_four_year_cycle_shows_each_figure_as_one_value(name, generated_cycle, capsys):
    made, reports = generated_cycle
    step = next(s for s in made.steps if s.event.name == name)
    facts = read_report(reports[name], step.event, step.inputs, capsys)
    assert facts.keys(), "nothing was read twice"
    assert facts.disagreements() == []


@pytest.mark.e2e
def test_the_comparison_can_fail(rendered, tmp_path):
    """A summary whose page and appendix disagree is found: the check above can fail."""
    import shutil

    folder = tmp_path / "rapport"
    shutil.copytree(rendered("budget"), folder)
    index = folder / "index.html"
    text = index.read_text(encoding="utf-8")
    changed = text.replace("7.168 (service 7.168,", "7.168 (service 7.268,")
    assert changed != text
    index.write_text(changed, encoding="utf-8")
    facts = Facts()
    key_figures(folder, facts)
    assert any("udmøntes nu" in line for line in facts.disagreements())


@pytest.mark.e2e
def test_what_an_ofs_decided_keeps_its_value_in_every_later_ofs(generated_cycle):
    """#36 item 4: each OFS's year, as the OFS showed and decided it, reads the same in every
    later OFS report (each year in its own p/l): frame, transfers, udmøntet, accounts, what was
    moved on and what went back to the kassen. Before, a later report restated them in its own
    p/l (the issue's example: a 2026 transfer of 400 read as 410 in OFS 27/28)."""
    _made, reports = generated_cycle
    columns = [
        "P/l",
        "Ramme",
        "Overført ind",
        "Udmøntet",
        "Forbrug",
        "Heraf bundet",
        "Overføres",
        "Tilbageføres kassen",
    ]
    ofs = [name for name in CYCLE_EVENTS if name.startswith("OFS") and name != "OFS 25/26"]
    for earlier, later in zip(ofs, ofs[1:], strict=False):
        year = 2000 + int(earlier.split()[1].split("/")[0])
        decided = table(sheets(reports[earlier]), "Rammen og forslaget til overførselssagen")
        shown = table(sheets(reports[later]), "Rammen og forslaget til overførselssagen")
        for pool in ("Service", "Anlæg"):
            before = next(r for r in decided if r["År"] == year and r["Styringsområde"] == pool)
            after = next(r for r in shown if r["År"] == year and r["Styringsområde"] == pool)
            assert before["P/l"] == year
            for column in columns:
                assert float(after[column]) == pytest.approx(float(before[column]), abs=0.01), (
                    later,
                    year,
                    pool,
                    column,
                )


@pytest.mark.e2e
def test_the_closing_ofs_reconciles_the_whole_frame_and_no_other_report_has_the_section(generated_cycle):
    """#37 item 6, by hand: the note's frame is 155.000 (service 110.000, anlæg 45.000) in 2026
    p/l, and over the frame's years what was not spent went back to the kassen (the closing
    moves nothing on): per pool, frame − spent = returned, in the appendix as on the page."""
    _made, reports = generated_cycle
    rows = table(sheets(reports["OFS 29/30"]), "Rammens afslutning: hele rammen")
    for pool, frame in (("Service", 110000), ("Anlæg", 45000)):
        total = next(r for r in rows if r["Styringsområde"] == pool and r["År"] == "I alt")
        assert float(total["Ramme"]) == pytest.approx(frame)
        assert float(total["Ramme"]) - float(total["Forbrug"]) == pytest.approx(
            float(total["Tilbageført kassen"]), abs=1
        )
    assert "Merforbrug over hele rammen" in page_text(reports["OFS 29/30"] / "03_effektopfoelgning.html")
    for name in CYCLE_EVENTS:
        page = reports[name] / "03_effektopfoelgning.html"
        if name != "OFS 29/30" and page.exists():
            assert "Rammens afslutning" not in page_text(page), name
