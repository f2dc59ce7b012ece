"""What Økonomiudvalget reads: one recommendation, the reasons it rests on shown, and nothing
meant for the analyst. The rendered pages and the Excel appendix are read as a reviewer gets
them; expected numbers are worked out by hand from data/behovsregister.csv (2026 p/l) and
data/pl_indeks.csv (2027: service 102,4, anlæg 102,8)."""

from __future__ import annotations

import csv
import html as htmllib
import re
from pathlib import Path

import pytest

from analysis.model.allocation.types import Explanation, Reason
from analysis.report import formats as fmt
from analysis.report import vocabulary as words

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("index.html", "01_behovsregister.html", "02_allokering.html", "03_effektopfoelgning.html", "04_robusthed.html")


def text_of(page: Path) -> str:
    """A page's visible text: tags dropped, entities decoded, spaces collapsed."""
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    raw = re.sub(r'alt="[^"]*"', " ", raw)  # the figures' text alternatives are read separately
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def table_rows(page: Path, caption_start: str) -> list[list[str]]:
    """The body rows of the table whose caption starts with ``caption_start``, as cell texts."""
    raw = page.read_text(encoding="utf-8")
    match = re.search(rf"<caption>{re.escape(caption_start)}.*?</table>", raw, re.S)
    assert match, caption_start
    body = match.group(0).split("<tbody>", 1)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        [
            " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)
        ]
        for r in rows
    ]


def register() -> dict[str, dict]:
    with open(ROOT / "data" / "behovsregister.csv", encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f, delimiter=";")}


# -- 1. One recommendation ---------------------------------------------------------------


@pytest.mark.e2e
def test_the_indstilling_names_the_recommended_option_and_its_amounts(rendered):
    page = text_of(rendered("budget") / "index.html")
    # By hand: Budget 2027 udmønter the needs starting in 2027, AI-03 and AI-04, each
    # expected (2 + 5) / 2 = 3,5 mio. kr. of service, in 2027 p/l 3,5 × 1,024 = 3,584: 7,168
    # in all, half of each in 2027 (phasing 50/50): 3,584 in the budget year.
    assert (
        "indstiller, at Økonomiudvalget (ØU) ved Budget 2027 efter forslag A (størst potentiale, forventet "
        "omkostning, lige vægte) udmønter 7,2 mio. kr. (service 7,2 mio. kr.) til 2 investeringer (AI-03, AI-04), "
        "heraf 3,6 mio. kr. i budgetåret 2027" in page
    )


@pytest.mark.e2e
def test_options_that_decide_alike_are_one_row_and_sensitivities_say_what_would_change(rendered):
    page = rendered("budget") / "02_allokering.html"
    rows = table_rows(page, "Forslag til udmøntning side om side")
    # Størst potentiale, størst gevinst and the priority walk fund the same nine needs from the same
    # years on the shipped data: one row, A, with E and G leading there.
    # Størst nettonutidsværdi (I) funds fewer (the 5G variants and AI-03 do not pay back): a row of its own.
    assert [r[0] for r in rows] == ["A", "I"]
    assert rows[0][1] == "indstilles"
    assert "(E)" in rows[0][2] and "den antagne prioriterede rækkefølge, ikke optimeret (G)" in rows[0][2]
    text = text_of(page)
    # The sensitivities are what would change. At maximum cost AI-03 and AI-04 are 5 mio. kr.
    # each: 10 × 1,024 = 10,24 udmøntes now instead of 7,168.
    assert "Følsomheder: hvad ville ændre sig i forhold til indstillingen (forslag A)" in text
    assert re.search(
        r"Med maksimum omkostning \(C, F, H\);[^.]*: de samme behov fra de samme år, men der udmøntes 10,2 mio\. kr\. "
        r"nu i stedet for 7,2 mio\. kr\.",
        text,
    )
    assert re.search(r"Med aflastning vægtet dobbelt \(B\)[^:]*: ingen ændring", text)
    # the other options are not rows of their own anywhere on the page
    for table in ("Forslagene målt i behov", "Finansieret omkostning pr. område"):
        letters = {r[0] for r in table_rows(page, table) if re.fullmatch(r"[A-K]", r[0])}
        assert letters <= {"A", "I"}, (table, letters)


# -- 2. The reasons shown ----------------------------------------------------------------


@pytest.mark.e2e
def test_the_register_page_and_the_appendix_show_each_needs_scores_gevinst_and_hours(rendered):
    from openpyxl import load_workbook

    report = rendered("budget")
    need = register()
    rows = {r[0]: r for r in table_rows(report / "01_behovsregister.html", "Potentialer, gevinst og frigjorte timer")}
    assert set(rows) == set(need)
    fields = ("potentiale_tilgaengelighed", "potentiale_aflastning", "potentiale_forenkling", "potentiale_skalering")
    for need_id, row in rows.items():
        assert row[2:6] == [need[need_id][f] for f in fields], need_id
    # the 5G choice as the note's reader checks it: delvis 2+2+2+4 = 10 points, begrænset 1+1+2+3 = 7
    assert sum(int(need["DA-5G-D"][f]) for f in fields) == 10 and sum(int(need["DA-5G-B"][f]) for f in fields) == 7
    allocation = text_of(report / "02_allokering.html")
    assert "DA-5G-D, 25,7 mio. kr., 10 antagne point for de fire potentialer" in allocation
    assert "DA-5G-B, 10,3 mio. kr., 7 antagne point for de fire potentialer" in allocation
    page = (report / "01_behovsregister.html").read_text(encoding="utf-8")
    header = re.search(r"<caption>Potentialer, gevinst.*?</thead>", page, re.S).group(0)
    assert header.count("(antaget)") == 6  # four scores, gevinst, hours: all assumed in the shipped register
    workbook = load_workbook(report / "bilag.xlsx")
    sheet = next(workbook[n] for n in workbook.sheetnames if n.split(" ", 1)[1].startswith("Potentialer"))
    values = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    # as the register's row says; gevinst 5.000 in 2026 p/l is 5.000 × 1,024 = 5.120 in 2027 p/l
    assert values["FAS-01"][2:8] == (4, 3, 5, 2, 5120, 20000)


@pytest.mark.e2e
def test_a_verdict_on_the_frame_names_its_assumptions_and_proof_is_only_claimed_for_the_calculation(rendered):
    report = rendered("budget")
    allocation = text_of(report / "02_allokering.html")
    # fuld 5G: andel_anlaeg 0,8 and fordeling 30;40;30 are assumptions in the register
    assert re.search(r"DA-5G-F[^|]*?passer ikke i rammen.*?forudsætter 80 % anlæg og fordelingen 30/40/30", allocation)
    for name in PAGES:
        path = report / name
        if path.exists():
            assert not re.search(r"eftervist|bevist|verificeret", text_of(path)), name
    assert "beregnet på de antagne point" in text_of(report / "index.html")


@pytest.mark.e2e
def test_the_frontier_and_the_allocation_page_each_say_what_their_gap_measures(rendered):
    report = rendered("budget")
    assert "De to tal svarer på hvert sit spørgsmål" in text_of(report / "04_robusthed.html")
    assert "mangler der 6,6 mio. kr." in text_of(report / "02_allokering.html")


# -- 3. The robustness page --------------------------------------------------------------


@pytest.mark.e2e
def test_the_robustness_page_opens_with_its_message_and_classes_needs_without_estimate_apart(rendered):
    page = rendered("budget") / "04_robusthed.html"
    text = text_of(page)
    head = text.index("Hovedbudskab")
    assert head < text.index("Kerneindeks: hvor ofte")
    # every estimated need is in (one 5G variant), because the frame is larger than the needs
    assert "Rammen er større end de kendte behov" in text[head:] and "Derfor er alle disse behov kerne" in text
    rows = {r[0]: r for r in table_rows(page, "Kerneindeks: hvor ofte")}
    for need_id in ("IT-01", "BS-01", "BS-02"):  # no estimate in the register
        assert rows[need_id][2:] == ["–", "kan ikke vurderes", "–", "–"], rows[need_id]
    # an entry level only for needs funded at today's frame: begrænset 5G is out at 100 %
    assert rows["DA-5G-B"][5] == "–" and rows["DA-5G-D"][5].endswith("%")
    assert "±" not in text and "Målværdi" not in text and "Usikkerhed" not in text


def test_a_share_is_100_or_0_percent_only_when_it_is_exactly():
    assert [fmt.share(v) for v in (1.0, 0.9996, 0.995, 0.994, 0.5, 0.006, 0.004, 0.0004, 0.0)] == [
        "100 %",
        "over 99,9 %",
        "99,5 %",
        "99 %",
        "50 %",
        "1 %",
        "0,4 %",
        "under 0,1 %",
        "0 %",
    ]


def test_an_amount_under_a_tenth_of_a_million_reads_in_kroner_never_as_0_mio():
    assert fmt.mio(5) == "5.000 kr." and fmt.mio(37.5) == "38.000 kr." and fmt.mio(-50) == "-50.000 kr."
    assert fmt.mio(0) == "0 mio. kr." and fmt.mio(100) == "0,1 mio. kr." and fmt.mio(2500) == "2,5 mio. kr."
    # parts that add up to their total: the small part in kroner, not "0 mio. kr."
    assert fmt.mio_parts([14363, 5]) == ["14,4 mio. kr.", "5.000 kr."]


def test_the_frontier_chart_starts_its_axis_at_zero(shipped):
    from analysis.inputs.dataset import load_dataset
    from analysis.inputs.parameters import Options, Sampling
    from analysis.inputs.settings import Settings
    from analysis.model.state import EventState
    from analysis.report import robustness_page

    data = load_dataset(**{k: v for k, v in shipped.items() if k in ("register", "frame")})
    state = EventState.for_plan(data, Options(), Settings(sampling=Sampling(samples=20, adaptive=False, workers=1)))
    run = state.robustness(options=Options())
    chart = robustness_page.frontier_chart(run.analysis, run.reference)
    low, high = chart.figure.axes[0].get_ylim()
    values = [v for v in run.analysis.frontier.objective if v is not None]
    assert low == 0 and high >= max(values)


# -- 4. No analyst text on ØU pages ------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["first", "budget", "OFS"])
def test_no_page_for_the_committee_carries_notebook_instructions_or_solver_values(rendered, kind):
    report = rendered(kind)
    for name in PAGES:
        path = report / name
        if not path.exists():
            continue
        text = text_of(path)
        for analyst in ("interactive", "Udforsk selv", "Målværdi", "Værditab", "vægte 1/", "dagens praksis", "±"):
            assert analyst not in text, (name, analyst)
        headers = re.findall(r"<th[^>]*>(.*?)</th>", path.read_text(encoding="utf-8"))
        assert not any(h.startswith(("Værdi", "Målværdi", "Usikkerhed")) for h in headers if name != "index.html"), name
    allocation = report / "02_allokering.html"
    if allocation.exists():
        assert "Et behov, der starter et år senere, tæller 3 % mindre" in text_of(allocation)


def test_weights_are_said_in_words():
    assert words.weights_text([1, 1, 1, 1]) == "lige vægte"
    assert words.weights_text([1, 2, 1, 1]) == "aflastning vægtet dobbelt"
    assert words.weights_text([2, 1, 2, 2]) == "aflastning vægtet halvt"
    assert words.weights_text([1, 1, 1, 0]) == "skalering uden vægt"


# -- 5. Words and facts ------------------------------------------------------------------


@pytest.mark.e2e
def test_variant_groups_count_once_in_every_sum_and_the_front_page_says_the_share_of_the_frame(rendered):
    report = rendered("first")  # OFS 25/26, in the note's 2026 p/l
    # By hand, expected costs in 1.000 kr.: FAS-01 12.500, SP-M365 3.000, AI-01 7.500, AI-02 6.000,
    # AI-03 3.500, AI-04 3.500, AUT-01 6.250, DATA-01 6.000 and 5G once (the middle variant,
    # 25.000): 73.250. At most: 15.000 + 3.000 + 10.000 + 10.000 + 5.000 + 5.000 + 10.000 + 10.000
    # + 50.000 (the dearest variant) = 118.000. Against 155.000: 47 % and 76 %.
    rows = table_rows(report / "01_behovsregister.html", "Indmeldt pr. forvaltning")
    assert sum(int(r[3].replace(".", "")) for r in rows) == 73250
    front = text_of(report / "index.html")
    assert (
        "De kendte behov bruger dermed knap halvdelen af rammen ved den forventede omkostning (47 %) og 76 %" in front
    )


@pytest.mark.e2e
def test_the_agreement_text_correction_is_in_the_frames_first_reports_only(rendered):
    # OFS 25/26 comes after the budget agreement: the agreed text is not reworded, the tables govern
    first = text_of(rendered("first") / "index.html")
    assert "Forslag til rettelse af aftaleteksten" not in first and "foreslås" not in first
    assert "Aftaleteksten og bevillingstabellerne" in first and "den aftalte tekst ændres ikke" in first
    assert '"5 mio. kr. i 2026, 10 mio. kr. i 2027 og 15 mio. kr. i 2028 og 2029 på anlæg."' in first
    for kind in ("budget", "OFS"):
        text = text_of(rendered(kind) / "index.html")
        assert "Forslag til rettelse af aftaleteksten" not in text, kind
        assert "Aftaleteksten og bevillingstabellerne" not in text, kind
        assert "anlæg 2027: teksten 5 mio. kr., tabellerne 10 mio. kr." in text  # the finding itself stays


@pytest.mark.e2e
def test_the_note_expects_digital_tools_and_the_front_page_says_no_need_covers_them(rendered):
    assert "digitale redskaber" not in " ".join(r["titel"] + r["beskrivelse"] for r in register().values()).lower()
    front = text_of(rendered("budget") / "index.html")
    assert "digitale redskaber, som medarbejdere bruger (PC, mobiltelefon, tablet, print mv.)" in front
    assert "registeret har ingen række for det" in front


def test_no_allowed_start_year_is_intet():
    why = Explanation(Reason.NO_FIT)
    assert words.explanation_detail(why, [2027, 2028, 2029]) == "intet tilladt startår inden for rammens år 2027–2029"


# -- 6. Excel: numbers as numbers, with their format ---------------------------------------


@pytest.mark.e2e
def test_the_appendix_stores_amounts_ranges_and_baselines_as_formatted_numbers(rendered):
    from openpyxl import load_workbook

    workbook = load_workbook(rendered("OFS") / "bilag.xlsx")
    summary = workbook[workbook.sheetnames[0]]
    assert summary["A2"].value is None and summary["B2"].value == "I alt"
    frame = next(r for r in summary.iter_rows(min_row=3) if r[0].value.startswith("Ramme"))
    # the shipped frame, 155.000 in 2026 p/l (the OFS 26/27 report's price level)
    assert [c.value for c in frame[1:4]] == [155000, 110000, 45000]
    assert all(c.number_format == "#,##0" for c in frame[1:4])
    needs = next(workbook[n] for n in workbook.sheetnames if n.split(" ", 1)[1].startswith("Behov efter område"))
    header = [c.value for c in needs[2]]
    fas = next(r for r in needs.iter_rows(min_row=3) if r[header.index("Id")].value == "FAS-01")
    assert [fas[header.index(c)].value for c in ("Min", "Forventet", "Max")] == [10000, 12500, 15000]
    assert fas[header.index("Min")].number_format == "#,##0"
    indicators = next(workbook[n] for n in workbook.sheetnames if "Gevinstrealisering" in n)
    header = [c.value for c in indicators[2]]
    first = next(indicators.iter_rows(min_row=3))
    assert isinstance(first[header.index("Baseline")].value, int | float)
    assert isinstance(first[header.index("Baselineår")].value, int)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=3, values_only=True):
            for value in row:
                # no amount, range or year kept as text such as "10.000–15.000" or "12 (2025)"
                assert not (isinstance(value, str) and re.fullmatch(r"[\d.,]+(–[\d.,]+)?( \(\d{4}\))?", value)), (
                    sheet.title,
                    value,
                )
