"""End to end: rendering a report from the shipped data into a temporary folder."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest

from analysis.cli import main
from analysis.inputs.findings import InputError
from analysis.report import render

FIXTURES = Path(__file__).parent / "fixtures"
# The note's Tabel 1, by hand, in Danish format.
NOTE_NUMBERS = ["15.000", "25.000", "35.000", "110.000", "5.000", "10.000", "45.000", "20.000", "50.000", "155.000"]


@pytest.fixture
def report(rendered) -> Path:
    return rendered("budget")


def _frame_table(html: str) -> str:
    match = re.search(
        r"<table class=\"dr-table\"><caption>Finansieringsramme pr\. styringsområde.*?</table>", html, re.S
    )
    assert match, "the frame table is missing"
    return match.group(0)


def _cells(table_html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", table_html, re.S)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]


@pytest.mark.e2e
def test_index_and_page_show_the_frame_in_danish_format(report):
    rows = _cells(_frame_table((report / "01_behovsregister.html").read_text(encoding="utf-8")))
    assert rows[0] == ["", "2026", "2027", "2028", "2029", "I alt"]
    assert rows[1:] == [
        ["Service", "15.000", "25.000", "35.000", "35.000", "110.000"],
        ["Anlæg", "5.000", "10.000", "15.000", "15.000", "45.000"],
        ["Udgifter i alt (netto)", "20.000", "35.000", "50.000", "50.000", "155.000"],
    ]
    index = (report / "index.html").read_text(encoding="utf-8")
    # the note's Tabel 2 and 3, typed in by hand from the note
    table = re.search(r"<caption>Finansieringsrammen som i notatets Tabel 2.*?</table>", index, re.S).group(0)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
    assert cells[0][1:4] == ["Udvalg", "Bevilling", "Indtægt/udgift"]
    assert cells[1] == [
        "Pulje til investeringer på servicerammen",
        "ØU",
        "1112 Fælles rammepuljer",
        "U",
        "15.000",
        "25.000",
        "35.000",
        "35.000",
        "110.000",
    ]
    assert cells[2][0] == "Serviceudgifter i alt" and cells[4][0] == "Anlægsudgifter i alt"
    assert cells[3][2:] == ["3123 Fælles anlægspuljer", "U", "5.000", "10.000", "15.000", "15.000", "45.000"]
    assert cells[5] == ["Udgifter i alt (netto)", "", "", "", "20.000", "35.000", "50.000", "50.000", "155.000"]
    assert "1.000 kr., 2026 p/l" in index
    assert 'href="01_behovsregister.html"' in index
    assert 'href="02_allokering.html"' in index


@pytest.mark.e2e
def test_budget_report_answers_whether_and_when_each_5g_variant_fits(report):
    html = (report / "02_allokering.html").read_text(encoding="utf-8")
    for need_id in ("DA-5G-B", "DA-5G-D", "DA-5G-F"):
        assert re.search(
            rf"\({need_id}, [0-9,]+ mio\. kr\., \d+ antagne point for de fire potentialer\): passer", html
        ), need_id
    # Computed by hand for Budget 2027, in 2026 p/l: fuld udrulning is 40 mio. anlæg spread
    # 30/40/30 (12, 16, 12 mio.) from its latest start, 2027. Anlæg 2027 may udmønte 10 less what
    # OFS 25/26 udmøntede for it (AI-01 0,75, AI-02 1,8, DATA-01 0,9): 6,55; 2028 and 2029 15.
    # It lacks 5,45 in 2027 and 1 in 2028: 6,45 mio. In the report's 2027 p/l (anlæg index
    # 102,8): 5,6 and 1,03, 6,6 in all. With planned carry-over (6,55, 21,55, 36,55 from 2027
    # against 12, 28, 40) it does not fit either.
    assert (
        "passer ikke i rammen år for år i noget tilladt startår, heller ikke alene. Med start 2027 mangler der "
        "6,6 mio. kr. (anlæg 2027 5,6 mio. kr., anlæg 2028 1 mio. kr.); det forudsætter 80 % anlæg og fordelingen "
        "30/40/30 over årene (antaget)." in html
    )
    assert "Med planlagt overførsel af uforbrugte midler (følsomhed) ville den passe" not in html
    # the calculation proves the best option on the assumed scores, and says no more
    assert "Hvorfor behov ikke er finansieret" in html and "beregnet på de antagne point" in html
    assert "eftervist" not in html


@pytest.mark.e2e
def test_report_states_where_the_notes_prose_disagrees(report):
    html = (report / "index.html").read_text(encoding="utf-8")
    assert "Notatet afviger fra sig selv" in html
    # the AI heading, 5–30 mio. kr., reads two ways: AI-01 alone at 5 up to all four at 30
    # (10 + 10 + 5 + 5), or as the sum of the four ranges, 11–30; both are shown
    assert (
        "overskriften 5–30 mio. kr. kan læses på to måder: fra AI-01 alene i den mindste udgave (5 mio. kr.) til alle "
        "4 delposter i den største (30 mio. kr.), og så stemmer den med delposterne; eller som summen af delposternes "
        "spænd (AI-01, AI-02, AI-03, AI-04), 11–30 mio. kr." in html
    )
    assert "men delposterne" not in html
    assert "Navnet Tabel 1 bruges om to forskellige tabeller" in html
    assert "2030" in html and "anlæg 2027: teksten 5 mio. kr., tabellerne 10 mio. kr." in html


@pytest.mark.e2e
def test_pages_are_danish_self_contained_and_without_code_or_script(report):
    for page in report.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="da"' in html
        assert "<script" not in html
        assert "load_dataset" not in html and "import " not in html
        assert not re.search(r"(src|href)=\"https?://", html)
    page = (report / "01_behovsregister.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 2
    assert "intet estimat" in page or "Behov uden estimat" in page


@pytest.mark.e2e
def test_executed_notebook_has_no_errors_or_warnings(report):
    nb = nbformat.read(report / "notebooks" / "01_behovsregister.ipynb", as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), output["text"]


@pytest.mark.e2e
def test_provenance_names_every_input_with_its_hash(report):
    html = (report / render.ANNEX).read_text(encoding="utf-8")  # the technical annex
    for name in ("behovsregister.csv", "ramme.csv", "pl_indeks.csv", "notat_tekst.csv"):
        assert re.search(rf"{re.escape(name)} \(sha256 [0-9a-f]{{64}}\)", html)
    assert "digiramme-version" in html


def _tables_and_images(folder: Path) -> list[str]:
    html = (folder / "01_behovsregister.html").read_text(encoding="utf-8")
    return re.findall(r"<table.*?</table>", html, re.S) + re.findall(r'src="data:image/png;base64,[^"]+"', html)


@pytest.mark.e2e
def test_rendering_twice_gives_the_same_tables_and_figures(report, tmp_path):
    again = render.render_report(
        2027, "budget", out=tmp_path / "again", notebooks=["01_behovsregister.ipynb"], log=lambda _m: None
    )
    first, second = _tables_and_images(report), _tables_and_images(again)
    assert len(first) > 8
    assert first == second


@pytest.mark.e2e
def test_failed_render_names_notebook_and_cell_and_keeps_the_old_report(tmp_path):
    out = tmp_path / "2026-OFS"
    out.mkdir()
    (out / "index.html").write_text("tidligere rapport", encoding="utf-8")
    (out / render.MARKER).write_text("", encoding="utf-8")  # an earlier report of ours
    with pytest.raises(render.RenderError, match=r"broken1\.ipynb, celle 3 .*RuntimeError: bevidst fejl"):
        render.render_report(
            2026, "OFS", out=out, notebooks=["broken1.ipynb"], notebook_dir=FIXTURES, log=lambda _m: None
        )
    assert (out / "index.html").read_text(encoding="utf-8") == "tidligere rapport"
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock"))
    assert left == ["2026-OFS"]  # no staging folder left


def test_bad_input_writes_nothing(write, tmp_path, capsys):
    bad = write("reg.csv", "id;omraade;titel;omkostning_min;omkostning_max\nA;X;Y;ti;2\n")
    out = tmp_path / "rapport"
    with pytest.raises(InputError):
        render.render_report(2026, "budget", inputs={"register": bad}, out=out)
    assert main(["report", "--year", "2026", "--event", "budget", "--register", str(bad), "--out", str(out)]) == 2
    assert 'reg.csv række 2, kolonne omkostning_min: "ti" er ikke et tal' in capsys.readouterr().err
    assert not out.exists()


def test_rows_where_options_disagree_are_marked():
    import pandas as pd

    from analysis.report.blocks import Table

    html = Table(pd.DataFrame({"a": [1, 2]}), caption="x", row_classes=["", "diff"])._repr_html_()
    assert html.count('<tr class="diff">') == 1


@pytest.mark.e2e
def test_excel_appendix_holds_every_table_with_numbers_as_numbers(report):
    from openpyxl import load_workbook

    pages = [p for p in report.glob("*.html") if p.name not in ("index.html", render.ANNEX)]
    table_count = sum(p.read_text(encoding="utf-8").count('<table class="dr-table">') for p in pages)
    workbook = load_workbook(report / "bilag.xlsx")
    assert len(workbook.sheetnames) == table_count + 1  # and the index page's summary
    assert workbook.sheetnames[0].startswith("0.1 Sammenfatning")
    frame_sheet = next(ws for ws in workbook if "Finansieringsramme pr" in ws["A1"].value)
    rows = list(frame_sheet.iter_rows(values_only=True))
    assert rows[1][1:] == ("2026", "2027", "2028", "2029", "I alt")
    assert rows[2] == ("Service", 15000, 25000, 35000, 35000, 110000)


@pytest.mark.e2e
def test_index_opens_with_a_summary_and_pages_have_a_table_of_contents(report, rendered):
    index = (report / "index.html").read_text(encoding="utf-8")
    assert index.index("Sammenfatning") < index.index("Afsnit")
    # Budget 2027 states its amounts in 2027 p/l: service 110.000 × 1,024 and anlæg 45.000 × 1,028
    assert "Ramme 2026–2029" in index and "158.900 (service 112.640, anlæg 46.260) i 2027 p/l" in index
    assert "notatets 155.000 i 2026 p/l" in index
    # the front page: what is asked and decided, the main finding by hand (variant groups once:
    # 5G 10–50 mio.; the other costed needs from data/: 28,5–68 mio. kr.; OFS 26/27 states them
    # in 2026 p/l, as the register does), the risks
    assert "Resumé og indstilling" in index and "ØU udmønter" in index
    ofs = (rendered("OFS") / "index.html").read_text(encoding="utf-8")
    assert "De behov, der har et estimat, koster 38,5–118 mio. kr." in ofs
    # the agreement text belongs to the frame's first reports (OFS 25/26, after the agreement: the
    # tables govern, the agreed text is not reworded), not Budget 2027's
    first = (rendered("first") / "index.html").read_text(encoding="utf-8")
    assert "Bevillingen følger tabellerne" in first and "10 mio. kr. i 2027" in first
    assert "I stedet for" not in index
    assert "9 behov finansieret, 3 uden estimat; Privat 5G-netværk: delvis udrulning valgt frem for" in index
    # the shipped register's assumptions are said on the first page, not only deep inside
    assert "14 af 14 behov har felter, der er antagelser" in index
    page = (report / "02_allokering.html").read_text(encoding="utf-8")
    toc = re.search(r'<nav class="dr-toc".*?</nav>', page, re.S).group(0)
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in page


@pytest.mark.e2e
def test_rerun_keeps_the_earlier_report_in_the_archive_and_a_lock_stops_a_second_writer(tmp_path):
    import fcntl
    import json

    out = tmp_path / "2026-budget"
    quick = {"notebooks": ["01_behovsregister.ipynb"], "log": lambda _m: None}
    render.render_report(2026, "budget", out=out, **quick)
    first_run = json.loads((out / "koersel.json").read_text(encoding="utf-8"))["run_date"]
    first_index = (out / "index.html").read_text(encoding="utf-8")
    render.render_report(2026, "budget", out=out, **quick)
    archived = tmp_path / "arkiv" / "2026-budget" / first_run
    assert (archived / "index.html").read_text(encoding="utf-8") == first_index
    assert (out / "index.html").exists()
    with open(tmp_path / ".2026-budget.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another run holds the lock
        with pytest.raises(render.RenderError, match="en anden kørsel"):
            render.render_report(2026, "budget", out=out, **quick)


@pytest.mark.e2e
def test_rendering_kernel_talks_over_private_ipc_sockets_not_tcp(tmp_path):
    import asyncio
    import stat

    socket_dir = tmp_path / "sockets"
    socket_dir.mkdir(mode=0o700)
    from analysis.report.render.kernel import ipc_kernel_manager

    manager = ipc_kernel_manager(socket_dir)(kernel_name=render.KERNEL_NAME)

    async def start_and_stop():
        await manager.start_kernel()
        try:
            info = manager.get_connection_info()
            assert info["transport"] == "ipc"
            assert info["ip"].startswith(str(socket_dir))
            for _ in range(100):  # the kernel binds its channels once it has started
                sockets = [p for p in socket_dir.iterdir() if p.is_socket()]
                if sockets:
                    break
                await asyncio.sleep(0.1)
            assert sockets  # the kernel's channels are Unix sockets in the private folder
        finally:
            await manager.shutdown_kernel(now=True)

    asyncio.run(start_and_stop())
    # only the owner may enter (jupyter_client adds the sticky bit to a connection file's folder)
    assert stat.S_IMODE(socket_dir.stat().st_mode) & 0o777 == 0o700


@pytest.mark.e2e
def test_the_2027_budget_shows_the_plan_with_its_commitments_and_what_changed(tmp_path):
    from analysis.inputs import paths

    # last year's register: without SP-M365, and with FAS-01 costed 8–12 mio. kr.
    lines = paths.DEFAULT_REGISTER.read_text(encoding="utf-8").splitlines()
    previous = [ln for ln in lines if not ln.startswith("SP-M365;")]
    previous = [ln.replace(";10000;;15000;", ";8000;;12000;", 1) if ln.startswith("FAS-01;") else ln for ln in previous]
    last_year = tmp_path / "behovsregister_2026.csv"
    last_year.write_text("\n".join(previous) + "\n", encoding="utf-8")
    out = render.render_report(
        2027,
        "budget",
        inputs={"previous_register": last_year},
        out=tmp_path / "2027-budget",
        notebooks=["02_allokering.ipynb"],
        log=lambda _m: None,
    )
    page = (out / "02_allokering.html").read_text(encoding="utf-8")
    assert "Budget 2027" in page
    assert "Budget 2027 udmønter rammen for sit år" in page
    assert "6 investeringer er udmøntet ved tidligere beslutninger" in page
    # by hand from data/'s forecast for 2026: AI-01 200, AI-02 200, DATA-01 300, SP-M365 300 of
    # service (FAS-01's forecast merforbrug is not netted) and AI-02 300, DATA-01 300 of anlæg
    # are expected unspent: 1.000 and 600 in 2026 p/l, 1.024 and 616,8 in 2027 p/l
    assert "forventes overført til dem ved Overførselssagen 26/27" in page
    assert "(service 1 mio. kr., anlæg 0,6 mio. kr.)" in page
    assert "Investeringer udmøntet før 2027, der står fast" in page
    changes = re.search(r"<caption>Ændringer siden sidste plan.*?</table>", page, re.S).group(0)
    assert "SP-M365" in changes and "nyt behov i registeret" in changes
    assert "FAS-01" in changes and "omkostning ændret" in changes and "8–12 mio. kr." in changes
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Forslag til udmøntning for 2027" in index


@pytest.mark.e2e
def test_the_ofs_that_follows_up_2026_is_named_26_27_and_plans_2027(rendered):
    report = rendered("OFS")
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "Overførselssagen 26/27" in index and "Alternativ: de frie midler til behov med start 2027" in index
    page = (report / "02_allokering.html").read_text(encoding="utf-8")
    assert "Overførselssagen 26/27 genåbner ikke budget 2027s udmøntning" in page
    assert "Investeringer udmøntet før 2027, der står fast" in page


@pytest.mark.e2e
def test_the_ofs_after_the_frames_last_year_allocates_nothing_and_says_why(tmp_path, capsys):
    """Overførselssagen 29/30 meets in spring 2030: 2029 is over and the frame has no later
    year. The report follows up and asks about the transfer, with no allocation page (it
    used to plan 2029, a year already spent)."""
    out = tmp_path / "r"
    assert main(["report", "--year", "2029", "--event", "OFS", "--out", str(out)]) == 0
    assert not (out / "02_allokering.html").exists()
    assert (out / "03_effektopfoelgning.html").exists() and (out / "01_behovsregister.html").exists()
    index = _running_text(out / "index.html")
    assert "Overførselssagen 29/30" in index and "kan kun overføres til 2030, uden for rammen" in index
    assert "Rammen løber til og med 2029; der udmøntes ikke mere" in index
    assert "udmønter rammen for" not in index and "Forslag til udmøntning for" not in index
    # a decision about the allocation has nothing to act on: refused, nothing written
    capsys.readouterr()
    refused = tmp_path / "r2"
    assert main(["report", "--year", "2029", "--event", "OFS", "--out", str(refused), "--force-out", "IT-01"]) == 2
    assert "--force-out gælder udmøntningen, men Overførselssagen 29/30 har intet at udmønte" in capsys.readouterr().err
    assert not refused.exists()


def test_only_the_ofs_after_the_last_frame_year_has_nothing_left_to_plan():
    from analysis.model import cycle

    years = [2026, 2027, 2028, 2029]
    assert cycle.plan_year("OFS", 2029, years) is None
    assert cycle.plan_year("OFS", 2028, years) == 2029
    assert cycle.plan_year("budget", 2029, years) == 2029  # the budget plans its own year
    assert cycle.plan_year("OFS", 2029, years, asked=2029) == 2029  # a plan year asked for is kept


RETIRED_WORDS = [
    "Budgetforhandlingerne",  # KK says "Budget 2026"
    "Allokeringsforslag",  # "Forslag til udmøntning"
    "Bevilget",  # money given to a project is "udmøntet"; the bevillinger are 1112 and 3123
    "til sidst",  # "endnu ikke udmøntet"
    "på sporet",  # "følger planen" (the JSON code stays)
    "MIP-gap",  # solver jargon: the technical annex only
    "HiGHS",
    "Egen målværdi",
    "bevist optimal",
    "løsningstid",
    "frø",
    "Effektiv rand",
    "sha256",
]


def _running_text(page: Path) -> str:
    import html as html_module

    text = re.sub(r"<style.*?</style>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r'data:image/png;base64,[^"]+', " ", text)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", text))


@pytest.mark.e2e
@pytest.mark.parametrize("event", ["budget", "OFS"])
def test_the_reports_running_text_uses_kks_words_and_keeps_jargon_in_the_annex(rendered, event):
    report = rendered(event)
    pages = [p for p in report.glob("*.html") if p.name != render.ANNEX]
    assert len(pages) >= 4
    for page in pages:
        text = _running_text(page)
        found = [word for word in RETIRED_WORDS if word.lower() in text.lower()]
        assert found == [], f"{page.name}: {found}"
    annex = _running_text(report / render.ANNEX)
    for word in ("MIP-gap", "HiGHS", "sha256", "frø" if event == "budget" else "Git-commit"):
        assert word in annex
    assert "Forslag til udmøntning" in _running_text(report / "02_allokering.html")


def test_columns_resting_on_assumed_inputs_carry_a_visible_mark(write):
    from analysis.inputs.dataset import load_dataset
    from analysis.report import options_table

    text = "id;omraade;titel;omkostning_min;omkostning_max;gevinst;potentiale_skalering;antagelser\n"
    facts = load_dataset(
        register=write("a.csv", text + "A;X;A;1;1;5;3;\n"),
        frame=write("f.csv", "aar;styringsomraade;beloeb\n2026;service;5\n"),
    )
    assumed = load_dataset(
        register=write("b.csv", text + "A;X;A;1;1;5;3;gevinst\n"),
        frame=write("g.csv", "aar;styringsomraade;beloeb\n2026;service;5\n"),
    )
    from helpers import planned

    from analysis.inputs.parameters import Options

    for data, expected in ((facts, False), (assumed, True)):
        state = planned(data, Options())
        html = options_table.options_summary(state)._repr_html_()
        assert ("Gevinst pr. år ved fuld effekt (antaget)" in html) is expected
        measures = options_table.options_measures(state)._repr_html_()
        assert "(antaget)" not in measures  # the scores are given as facts in both


@pytest.mark.e2e
def test_every_ofs_table_says_its_data_is_illustrative(rendered):
    page = (rendered("OFS") / "03_effektopfoelgning.html").read_text(encoding="utf-8")
    captions = re.findall(r"<caption>(.*?)</caption>", page, re.S)
    assert len(captions) >= 5 and all("illustrative eksempeldata" in c for c in captions), captions


@pytest.mark.e2e
def test_a_report_rendered_after_a_lab_autosave_has_no_scripts_or_widgets(tmp_path):
    """JupyterLab autosaves a notebook with outputs, widget state and interactive = True;
    the report must still come from the committed content only."""
    from analysis.inputs import paths

    nb = nbformat.read(paths.NOTEBOOK_DIR / "02_allokering.ipynb", as_version=4)
    widget = "application/vnd.jupyter.widget-view+json"
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"x": {}}}}
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace("interactive: bool = False", "interactive: bool = True")
        if cell.cell_type == "code":
            cell.execution_count = 7
            cell.outputs = [
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/html": '<script src="https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager"></script>',
                        widget: {"model_id": "x", "version_major": 2, "version_minor": 0},
                    },
                )
            ]
    lab = tmp_path / "lab"
    lab.mkdir()
    nbformat.write(nb, lab / "02_allokering.ipynb")
    out = render.render_report(
        2026, "budget", out=tmp_path / "r", notebooks=["02_allokering.ipynb"], notebook_dir=lab, log=lambda _m: None
    )
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html and "cdn.jsdelivr" not in html and "widget-view" not in html, page.name
        visible_links = set(re.findall(r'<a href="(https?://[^"]+)"', html))
        assert set(re.findall(r'(?:src|href)="(https?://[^"]+)"', html)) <= visible_links, page.name
    executed = nbformat.read(out / "notebooks" / "02_allokering.ipynb", as_version=4)
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "interactive = False" in injected.source


@pytest.mark.e2e
def test_a_saved_scenario_appears_beside_the_standard_options_in_the_report(tmp_path, capsys):
    import json

    scenario = tmp_path / "mere-anlaeg.json"
    scenario.write_text(
        json.dumps({"navn": "Mere anlæg", "weights": [1, 2, 1, 1], "frame_scale": {"anlæg": 1.5}}), encoding="utf-8"
    )
    out = tmp_path / "r"
    args = ["report", "--year", "2026", "--event", "budget", "--out", str(out), "--scenario", str(scenario)]
    assert main(args) == 0
    page = (out / "02_allokering.html").read_text(encoding="utf-8")
    summary = re.search(r"<caption>Forslag til udmøntning side om side.*?</table>", page, re.S).group(0)
    assert re.search(r"<td[^>]*>Mere anlæg</td>", summary)  # one row per option
    # the row in short: by hand 5 changes, the weights and anlæg 2026-2029 at 150 %; the
    # list under the table says them
    assert "Scenarie: 5 ændringer mod hovedforslaget, med sin egen ramme; se listen under tabellen." in summary
    listed = html.unescape(page[page.index("Scenarierne: alt, hvad de har ændret mod hovedforslaget") :])
    assert "<li>Vægte: tilgængelighed 1, aflastning 2, forenkling 1, skalering 1 (hovedforslaget: lige vægte)</li>" in (
        listed
    )
    assert "<li>Ramme, anlæg 2029: " in listed and "; 150 % af " in listed
    bad = tmp_path / "bad.json"
    bad.write_text('{"navn": "X", "force_out": ["NOPE"]}', encoding="utf-8")
    capsys.readouterr()
    assert (
        main(["report", "--year", "2026", "--event", "budget", "--out", str(tmp_path / "r2"), "--scenario", str(bad)])
        == 2
    )
    assert 'bad.json, nøgle force_out: "NOPE" er ikke et id i behovsregisteret' in capsys.readouterr().err
    assert not (tmp_path / "r2").exists()


@pytest.mark.e2e
def test_report_takes_forced_needs_and_a_gap_for_the_option_and_its_robustness_page(tmp_path, capsys):
    out = tmp_path / "r"
    decisions = ["--force-out", "DA-5G-D", "--gap", "0.01"]
    assert main(["report", "--year", "2026", "--event", "budget", "--out", str(out), *decisions]) == 0
    allocation_page = (out / "02_allokering.html").read_text(encoding="utf-8")
    assert "(DA-5G-D, 25 mio. kr., 10 antagne point for de fire potentialer)" in allocation_page
    assert "fravalgt" in allocation_page
    annex = (out / "metode.html").read_text(encoding="utf-8")
    assert "må ikke komme med: DA-5G-D" in annex  # the robustness runs hold the same decision
    assert "Hver løsning stoppes, når den er bevist inden for 1,00 % af det bedst mulige" in annex
    robustness_page = (out / "04_robusthed.html").read_text(encoding="utf-8")
    assert "Hvert udfald er løst til højst 1,00 % fra det bedste forslag" in robustness_page
    # bad decisions are refused before anything is written, naming the flag and the id
    for bad, said in (
        (["--year", "2026", "--force-in", "NOPE"], '--force-in: "NOPE" er ikke et id i registeret'),
        (["--year", "2026", "--release", "AI-01"], "--release: AI-01 er ikke en påbegyndt investering før 2026"),
    ):
        capsys.readouterr()
        assert main(["report", "--event", "budget", "--out", str(tmp_path / "bad"), *bad]) == 2
        assert said in capsys.readouterr().err
        assert not (tmp_path / "bad").exists()


def test_provenance_shows_list_parameters_as_a_reader_writes_them(tmp_path):
    from analysis.report import provenance

    parameters = {"force_out": ["DA-5G-D", "IT-01"], "force_in": [], "weightings": [[1, 1, 1, 1], [1, 2.5, 1, 1]]}
    parameters |= {"time_preference": 0.03, "time_limit": 10.0, "carry_over": False, "year": 2026, "samples": 1000}
    table = provenance.table({}, parameters)
    shown = dict(zip(table.data["Oplysning"], table.data["Værdi"], strict=True))
    assert shown["Parameter: force_out"] == "DA-5G-D, IT-01"
    assert shown["Parameter: force_in"] == "ingen"
    assert shown["Parameter: weightings"] == "1/1/1/1, 1/2,5/1/1"
    assert shown["Parameter: time_preference"] == "0,03" and shown["Parameter: time_limit"] == "10"
    assert shown["Parameter: carry_over"] == "nej"
    assert shown["Parameter: year"] == "2026" and shown["Parameter: samples"] == "1000"


# --- the cycle's events, in KK's order (issue #23) ---------------------------------------------


@pytest.mark.e2e
def test_ofs_25_26_udmoenter_the_frame_the_first_time_and_asks_for_its_amounts(rendered):
    """By hand from data/, in 2026 p/l: the main option starts AI-01, AI-02, AUT-01, DATA-01,
    FAS-01 and SP-M365 in 2026. Their whole profiles: service 6.000 + 3.000 + 6.250 + 4.200 +
    12.500 + 3.000 = 34.950, anlæg 1.500 + 3.000 + 1.800 = 6.300, 41.250 in all; in 2026
    service 3.000 + 1.200 + 1.563 + 2.100 + 5.000 + 1.500 = 14.363 (AUT-01's 6.250 in whole
    thousands: 1.563 first) and anlæg 750 + 1.200 + 900 = 2.850, 17.213 in all. Each rounded
    half up on its own: 14,4 and 2,9 add up to 17,3, not 17,2, and the sentence says so."""
    report = rendered("first")
    assert not (report / "03_effektopfoelgning.html").exists()  # nothing to follow up yet
    index = _running_text(report / "index.html")
    assert "Overførselssagen 25/26" in index
    assert (
        "udmønter 41,3 mio. kr. (service 35 mio. kr., anlæg 6,3 mio. kr.) til 6 investeringer (AI-01, AI-02, "
        "AUT-01, DATA-01, FAS-01, SP-M365), heraf 17,2 mio. kr. i budgetåret 2026 (service 14,4 mio. kr., anlæg "
        "2,9 mio. kr.; afrundet hver for sig)" in index
    )
    # each overslagsår by hand: 2027 service 3.000 (AI-01) + 1.800 (AI-02) + 1.563 (AUT-01) + 2.100
    # (DATA-01) + 5.000 (FAS-01, 40/40/20) + 1.500 (SP-M365) = 14.963, anlæg 750 + 1.800 + 900 = 3.450;
    # 2028 service 1.562 + 2.500 = 4.062; 2029 service 1.562 (AUT-01 runs 25 % a year to 2029)
    assert (
        ", 18,4 mio. kr. i overslagsåret 2027 (service 15 mio. kr., anlæg 3,5 mio. kr.; afrundet hver for sig), "
        "4,1 mio. kr. i overslagsåret 2028 (service 4,1 mio. kr.) og 1,6 mio. kr. i overslagsåret 2029 (service "
        "1,6 mio. kr.)" in index
    )
    # what is udmøntet apart from what is only indicative: the later starts AI-03 and AI-04 (3.500
    # service each) and DA-5G-D (25.000, 20 % service: 5.000 and 20.000 anlæg) are 32.000 (service
    # 12.000, anlæg 20.000), never counted in "udmøntet" (73.250 was the two mixed)
    summary = " ".join(index.split())
    assert "Udmøntet i alt, alle år (tidligere og nu) 41.250 (service 34.950, anlæg 6.300)" in summary
    assert "besluttes ved budgettet for startåret 32.000 (service 12.000, anlæg 20.000)" in summary
    assert "73.250" not in summary
    page = (report / "02_allokering.html").read_text(encoding="utf-8")
    table = re.search(r"<caption>Bevillingsteknik: udmøntning.*?</table>", page, re.S).group(0)
    assert "Budgetår 2026" in table and "Overslagsår 2027" in table and "1112 Fælles rammepuljer" in table
    assert "Serviceudgifter i alt" in table and "34.950" in table and "6.300" in table
    assert "Anlægsbevilling" in page  # AI-01, AI-02 and DATA-01 have anlæg


@pytest.mark.e2e
def test_budget_2026_decides_nothing_and_budget_2027_udmoenter_only_its_own_starts(tmp_path, report):
    out = render.render_report(
        2026, "budget", out=tmp_path / "b2026", notebooks=["02_allokering.ipynb"], log=lambda _m: None
    )
    index = _running_text(out / "index.html")
    assert "udmøntes første gang ved Overførselssagen 25/26" in index and "Vejledende plan for 2026" in index
    page = _running_text(out / "02_allokering.html")
    assert "vejledende – udmøntes ved OFS 25/26" in page and "Bevillingsteknik: udmøntning" not in page
    # Budget 2027, in 2027 p/l: AI-03 and AI-04 start 2027, 1.750 + 1.750 a year for two years
    # of service in 2026 p/l: 3.584 in the budget year and 7.168 in all at the index 102,4
    index = _running_text(report / "index.html")
    assert (
        "udmønter 7,2 mio. kr. (service 7,2 mio. kr.) til 2 investeringer (AI-03, AI-04), heraf 3,6 mio. kr." in index
    )
    page = (report / "02_allokering.html").read_text(encoding="utf-8")
    table = re.search(r"<caption>Bevillingsteknik: udmøntning.*?</table>", page, re.S).group(0)
    assert "Budgetår 2027" in table and "Overslagsår 2028" in table and "AI-01" not in table  # not reopened


@pytest.mark.e2e
def test_ofs_26_27_moves_each_investments_bound_money_and_returns_the_free(rendered):
    """By hand from data/'s 2026 grants (bevillinger.csv) and accounts (forbrug.csv, regnskab),
    in 1.000 kr.: service granted 3.000+1.200+1.563+2.100+5.000+1.500 = 14.363 of 15.000, spent
    2.600+1.100+1.400+1.500+5.600+900 = 13.100; bound AI-01 400, AI-02 100, AUT-01 163, DATA-01
    600, SP-M365 600 = 1.863; FAS-01 spent 600 over its 5.000 (a merforbrug, carried into its
    2027 grant, not netted against the others); free 15.000 - 14.363 = 637. Anlæg granted 750 +
    1.200 + 900 = 2.850 of 5.000; bound AI-02 400, DATA-01 500 = 900; free 2.150. Bound in all
    2.763 (2,8 mio. kr.: service 1,9, anlæg 0,9); returned 637 + 2.150 = 2.787 (2,8 mio. kr.)."""
    report = rendered("OFS")
    index = _running_text(report / "index.html")
    # an overførselssag goes to Borgerrepræsentationen on ØU's recommendation
    assert (
        "indstiller, at Økonomiudvalget (ØU) over for Borgerrepræsentationen (BR) anbefaler, at de bundne midler, "
        "2,8 mio. kr. (service 1,9 mio. kr., anlæg 0,9 mio. kr.), i Overførselssagen 26/27 overføres til de samme "
        "investeringer i 2027" in index
    )
    assert "de frie midler, 2,8 mio. kr., tilbageføres kassen" in index
    assert "Merforbrug FAS-01 (service) i 2026: 600 (1.000 kr.), følger investeringen ind i 2027" in index
    page = (report / "03_effektopfoelgning.html").read_text(encoding="utf-8")
    transfers = re.search(r"<caption>Bevillingsteknik: overførsler fra 2026 til 2027.*?</table>", page, re.S).group(0)
    assert "AI-02" in transfers and "overføres fra 2026 til 2027" in transfers and "tilbageføres kassen" in transfers
    ledger = re.search(r"<caption>Bevillingsloggen til og med 2026.*?</table>", page, re.S).group(0)
    assert "FAS-01" in ledger and "-600" in ledger  # its merforbrug, flagged, not netted
    # merforbrug is said where FAS-01 spent 5.600 of 5.000, and only there
    investments = re.search(r"<caption>Investeringernes forbrug.*?</table>", page, re.S).group(0)
    header = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<th[^>]*>(.*?)</th>", investments, re.S)]
    column = header.index("Merforbrug")
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", investments, re.S)]
    over = [r for r in rows if r and re.sub(r"<[^>]+>", "", r[column]).strip() not in ("–", "")]
    assert [(r[0], re.sub(r"<[^>]+>", "", r[column]).strip()) for r in over] == [("FAS-01", "600 (samlet over)")]


def test_provenance_records_the_solver_and_the_numerical_libraries(capsys):
    """HiGHS's choice between equal plans and numpy's random streams can change between
    versions (the code says so): every report records the versions that made it. Expected:
    each library's own word for its version (the code reads the package metadata)."""
    import babel
    import highspy
    import numpy
    import pandas

    from analysis.report import provenance

    highs = highspy.Highs().version()  # the solver's own version (it prints a banner)
    capsys.readouterr()
    expected = {"highspy": highs, "numpy": numpy.__version__, "pandas": pandas.__version__, "babel": babel.__version__}
    table = provenance.table({}, {})
    shown = dict(zip(table.data["Oplysning"], table.data["Værdi"], strict=True))
    labels = {"highspy": "HiGHS (highspy)", "numpy": "numpy", "pandas": "pandas", "babel": "Babel"}
    assert {name: shown[label] for name, label in labels.items()} == expected
    assert provenance.describe({}, {})["libraries"] == expected


@pytest.mark.e2e
def test_the_summary_appendix_holds_every_amount_in_a_number_cell(rendered):
    """Budget 2027 (in 2027 p/l) on the shipped data. By hand: the note's frame is 155.000
    (service 110.000, anlæg 45.000) in 2026 p/l; OFS 25/26 udmøntede 41.250 (service 34.950,
    anlæg 6.300) in 2026 p/l (see the OFS 25/26 test). Both stand in number cells of their own
    beside the converted amounts; no amount is left in the words column."""
    import openpyxl

    book = openpyxl.load_workbook(rendered("budget") / "bilag.xlsx")
    sheet = next(s for s in book if str(s.cell(1, 1).value).startswith("Sammenfatning"))
    header, *rows = list(sheet.iter_rows(values_only=True))[1:]
    by_label = {str(r[0]).strip(): dict(zip(header, r, strict=False)) for r in rows}
    noted = by_label["Rammen som i notatet (2026 p/l)"]
    assert [noted["I alt"], noted["Service"], noted["Anlæg"]] == [155000, 110000, 45000]
    earlier = by_label["Det samme, som ØU besluttede det (2026 p/l)"]
    assert [earlier["I alt"], earlier["Service"], earlier["Anlæg"]] == [41250, 34950, 6300]
    assert by_label["Det samme, som besluttet (2026 p/l)"]["I alt"] == -41250  # the reconciliation's step
    for row in rows:
        words = row[header.index("På siden")]
        assert words is None or not re.search(r"\d\.\d{3}", str(words)), row
