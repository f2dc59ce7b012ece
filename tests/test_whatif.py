"""What-if work (#28): a scenario says everything it changed, in the workbench and in the
report; an infeasible one says why and what would make it feasible; scenario files are
named in ASCII, never replaced without asking, loaded back and compared side by side;
per-need overrides. Expected texts and numbers are worked out by hand from the small
inputs below."""

from __future__ import annotations

import json

import pytest
from helpers import WHATIF_FRAME, WHATIF_REGISTER, planned

from analysis import workbench
from analysis.inputs.dataset import load_dataset
from analysis.inputs.parameters import Options
from analysis.inputs.scenario import Scenario, load_scenario, slug
from analysis.model.state import EventState
from analysis.report import deviations
from analysis.report import formats as fmt

# helpers.WHATIF_REGISTER: three needs over two years of 8 mio. kr. service.
REGISTER, FRAME = WHATIF_REGISTER, WHATIF_FRAME


def option_of(data, options, *rest):
    """One allocation option on ``data``, as ``digiramme allocate`` and the workbench solve it."""
    return EventState.for_plan(data, options).option(options, *rest)


@pytest.fixture
def data(write):
    return load_dataset(register=write("r.csv", REGISTER), frame=write("f.csv", FRAME))


def test_file_names_are_ascii_slugs():
    assert slug("Mere anlæg") == "mere-anlaeg"  # the README's example
    assert slug("Østerbro/Århus: 5G – fuld") == "oesterbro-aarhus-5g-fuld"
    assert slug("Café 2027") == "cafe-2027"
    assert slug("«»") == "scenarie"


def test_signed_changes():
    assert fmt.signed_mio(18_200) == "+18,2 mio. kr."
    assert fmt.signed_mio(-5_000) == "\u22125 mio. kr."
    assert fmt.signed_mio(10) == "+10.000 kr."  # never rounded to a change of nothing
    assert fmt.signed_mio(0) == "0 mio. kr."


def test_every_deviation_is_said_by_title_and_in_millions(data):
    scenario = Scenario(
        name="Alt ændret",
        settings={"weights": (1, 3, 4, 1), "force_in": ("A",), "force_out": ("B",), "time_preference": 0.05},
        frame_scale={"service": {"2026": 1.5}},
        overrides={"C": {"cost": 7000, "start_year": 2026}},
    )
    lines = deviations.deviations(Options(), scenario, data.frame, data.register)
    assert lines == [
        "Vægte: tilgængelighed 1, aflastning 3, forenkling 4, skalering 1 (hovedforslaget: lige vægte)",
        "Tidspræference: 5,0 % pr. år (hovedforslaget: 3,0 %)",
        "Skal med: Behov A (A)",
        "Må ikke med: Behov B (B)",
        # 8 mio. kr. × 1,5 = 12, that is 4 more
        "Ramme, service 2026: 12 mio. kr. (+4 mio. kr.; 150 % af 8 mio. kr.)",
        "Omkostning, Behov C (C): 7 mio. kr. (registeret: 6 mio. kr., over registerets højeste)",
        "Startår, Behov C (C): 2026 (registeret: 2026)",
    ]
    assert deviations.deviations(Options(), Scenario(name="Intet"), data.frame, data.register) == []
    # under a strategy that does not use the weights, they are no deviation
    other = Scenario(name="G", settings={"strategy": "max-benefit", "weights": (2, 1, 1, 1)})
    assert deviations.deviations(Options(), other, data.frame, data.register) == [
        "Strategi: Størst gevinst (hovedforslaget: Størst potentiale)"
    ]


def test_the_least_change_for_forced_needs_that_do_not_fit_together(data):
    # A, B and C forced in with 2027 at half (4 mio. kr.): C can only start 2026 (6 of 8),
    # so neither A nor B (4 each) fits beside it in 2026, and 2027 holds only one of them.
    # By hand the least extra frame is 2 mio. kr. in 2026 (4 in 2027 would do too, but is more).
    forced = Options(force_in=("A", "B", "C"))
    result = option_of(data, forced, {"service": {"2027": 0.5}})
    assert not result.has_option
    assert deviations.smallest_change(result, data.register) == (
        "Mindste ændring, der giver en løsning: hæv rammen med 2 mio. kr. på service i 2026, eller fjern et af de "
        "tvungne behov (Behov A (A) eller Behov B (B) eller Behov C (C)) fra Skal med."
    )
    both = option_of(data, Options(force_in=("A",), force_out=("A",)))
    assert deviations.smallest_change(both, data.register) == (
        "Mindste ændring, der giver en løsning: fjern Behov A (A) fra enten Skal med eller Må ikke med."
    )
    assert deviations.smallest_change(option_of(data, Options()), data.register) == ""


def test_a_move_without_solution_keeps_the_last_good_result(data):
    box = workbench.explorer(data)
    good = box.result
    # By hand (time preference 3 %): C 2026 and A, B 2027 is worth 4 + 8/1,03 = 11,8; A and
    # B in 2026 without C only 8.
    assert good.selected == {"C": 2026, "A": 2027, "B": 2027}
    box.force_in.value = ("A", "B", "C")  # all three fit as they are
    good = box.result
    box.year_scales["service", 2027].value = 0.5
    assert not box.result.has_option
    assert box.shown is good  # the figures still show the last option with a solution
    assert "Ingen løsning med disse indstillinger" in box.notice_text
    assert "hæv rammen med 2 mio. kr. på service i 2026" in box.notice_text
    assert "Behov C (C)" in box.summary.value  # the forced list, by title
    box.undo()  # back to 2027 at 100 %: C 2026, A and B 2027 fit
    assert box.result.has_option and box.notice_text == ""
    assert box.result.selected == {"C": 2026, "A": 2027, "B": 2027}


def test_undo_and_reset(data):
    box = workbench.explorer(data)
    start = box.result.selected
    box.weights[0].value = 0.0
    box.strategy.value = "max-benefit"
    assert all(w.disabled for w in box.weights)
    box.undo()
    assert box.strategy.value == "max-potential" and box.weights[0].value == 0.0
    box.undo()
    assert box.weights[0].value == 1.0 and box.result.selected == start
    box.scales["service"].value = 0.5
    box.force_out.value = ("A",)
    box.reset()
    assert box.scales["service"].value == 1.0 and box.force_out.value == ()
    assert box.result.selected == start
    box.undo()  # the reset is undone too
    assert box.force_out.value == ("A",)


def test_summary_pin_and_overrides_are_said(data):
    baseline = option_of(data, Options())
    box = workbench.explorer(data, baseline=baseline)
    assert "intet – som hovedforslaget" in box.summary.value
    box.year_scales["service", 2026].value = 0.5
    assert "Ramme, service 2026: 4 mio. kr. (\u22124 mio. kr.; 50 % af 8 mio. kr.)" in box.deviations
    box.pin()
    assert "Ramme, service 2026: 4 mio. kr." in box.compared.value
    # Pinned: A 2026 and B 2027 (5 + 3/1,03 = 7,9; C does not fit the 4 mio. kr. of 2026).
    assert box.shown.selected == {"A": 2026, "B": 2027}
    box.override("C", cost=3000)  # C at 3 mio. kr., under its range: it fits 2026 now
    assert "Omkostning, Behov C (C): 3 mio. kr. (registeret: 6 mio. kr., under registerets laveste)" in box.deviations
    # C 2026 (3 of 4), A and B 2027 (8 of 8): 4 + 8/1,03 = 11,8, the best by hand; 3,9 more
    # than the pinned option.
    assert box.result.selected == {"C": 2026, "A": 2027, "B": 2027}
    assert "Værdi efter egne kriterier: +3,9 point" in box.changes.note


def test_a_scenario_saved_loads_back_and_asks_before_replacing(data, tmp_path):
    folder = tmp_path / "scenarier"
    box = workbench.explorer(data, folder=folder)
    box.weights[1].value = 2.0
    box.year_scales["service", 2027].value = 1.25
    box.override("B", start_year=2027)
    box.name.value, box.description.value = "Mere anlæg", "B fra 2027, mere i 2027"
    path = box.save_scenario()
    assert path == folder / "mere-anlaeg.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["beskrivelse"] == "B fra 2027, mere i 2027"
    assert saved["need_overrides"] == {"B": {"start_year": 2027}}
    assert saved["frame_scale"]["service"] == {"2026": 1.0, "2027": 1.25}
    funded = box.result.selected
    assert box.saved.value.startswith("Gemt:")
    box.weights[0].value = 3.0
    assert box.saved.value == "Ændret siden det blev gemt som mere-anlaeg.json"
    # Saving again under the name asks first, and only the answer writes.
    assert box.save_scenario() is None and box.confirm.layout.display == "flex"
    assert json.loads(path.read_text(encoding="utf-8"))["weights"][0] == 1.0
    box.answer(True)
    assert json.loads(path.read_text(encoding="utf-8"))["weights"][0] == 3.0
    # Back to the main option, then load the file: the controls and the result come back.
    box.reset()
    assert box.year_scales["service", 2027].value == 1.0
    box.load(path)
    assert [w.value for w in box.weights] == [3.0, 2.0, 1.0, 1.0]
    assert box.year_scales["service", 2027].value == 1.25 and box.name.value == "Mere anlæg"
    assert box.settings().overrides == {"B": {"start_year": 2027}}
    loaded, _ = load_scenario(path, set(data.register["id"]))
    again = option_of(data, loaded.options(), loaded.frame_scale, loaded.overrides)
    assert box.result.selected == again.selected
    assert "B" not in funded or funded["B"] == 2027
    # A file the workbench did not write is never replaced, and a broken one is named.
    foreign = folder / "andet.json"
    foreign.write_text('{"navn": "Andet", "weights": [1, 1]}', encoding="utf-8")
    before = [w.value for w in box.weights]
    assert box.load(foreign) is None
    assert box.load_note.value.startswith("Kan ikke indlæses: weights:")
    assert [w.value for w in box.weights] == before
    box.name.value = "Andet"
    other = box.save_scenario()
    assert other == folder / "andet-2.json"
    assert foreign.read_text(encoding="utf-8") == '{"navn": "Andet", "weights": [1, 1]}'


def test_saving_a_scenario_without_solution_asks_first(data, tmp_path):
    box = workbench.explorer(data, folder=tmp_path)
    box.force_in.value = ("A", "B", "C")
    box.year_scales["service", 2027].value = 0.5
    box.name.value = "Umulig"
    assert box.save_scenario() is None
    assert not (tmp_path / "umulig.json").exists()
    box.answer(False)
    assert not (tmp_path / "umulig.json").exists()
    assert box.save_scenario(confirmed=True) == tmp_path / "umulig.json"


def test_saved_scenarios_side_by_side(data, tmp_path):
    (tmp_path / "halv.json").write_text('{"navn": "Halv", "frame_scale": {"service": 0.5}}', encoding="utf-8")
    (tmp_path / "tvunget.json").write_text('{"navn": "Tvunget", "force_in": ["A", "B", "C"]}', encoding="utf-8")
    box = workbench.explorer(data, folder=tmp_path)
    assert [name for name, _p in box.files.options] == ["halv.json", "tvunget.json"]
    box.show_side_by_side([tmp_path / "halv.json", tmp_path / "tvunget.json"])
    table = box.side_by_side.data
    assert list(table["Scenarie"]) == ["Hovedforslaget", "Halv", "Tvunget"]
    # Half the frame: 4 mio. kr. a year funds A 2026 and B 2027 (by hand), 8 mio. kr. in all: A's
    # 4 mio. kr. udmøntet in the plan year 2026, B's 4 mio. kr. indicative (decided by Budget 2027)
    assert table["Udmøntet i alt"][1] == 4000 and table["Vejledende"][1] == 4000
    assert table["Behov finansieret"][1] == 2
    assert "Ramme, service 2026: 4 mio. kr." in table["Ændret mod hovedforslaget"][1]
    # A, B and C forced: C 2026, A and B 2027 fit, as the main option has them; the row says
    # what it changed all the same.
    assert "Skal med: Behov A (A); Behov B (B); Behov C (C)" in table["Ændret mod hovedforslaget"][2]
    # a pinned baseline is what the rows are measured against: the first row says so
    box.pin()
    box.show_side_by_side([tmp_path / "halv.json"])
    pinned = box.side_by_side.data
    assert list(pinned["Scenarie"]) == ["Det fastgjorte grundlag", "Halv"]
    assert "Ændret mod det fastgjorte grundlag" in pinned.columns
    box.unpin()
    box.show_side_by_side([tmp_path / "halv.json"])
    assert list(box.side_by_side.data["Scenarie"]) == ["Hovedforslaget", "Halv"]


def test_a_scenarios_row_says_it_in_short_and_the_list_under_the_table_says_every_change(data, write):
    feasible = write(
        "s.json",
        json.dumps(
            {
                "navn": "Mere i 2026",
                "beskrivelse": "C billigere",
                "frame_scale": {"service": {"2026": 1.5}},
                "need_overrides": {"C": {"cost": 5000}},
                "force_out": ["B"],
            }
        ),
    )
    impossible = write(
        "u.json", json.dumps({"navn": "Umulig", "force_in": ["A", "B", "C"], "frame_scale": {"service": {"2027": 0.5}}})
    )
    from analysis.report import allocation_page, options_table

    state = planned(data, Options(), scenarios=[feasible, impossible])
    run = state.allocation
    table = options_table.options_summary(state).data.set_index("Forslag")
    # The rows, in short (a narrow column): three changes (B out, 2026's frame, C's cost),
    # and two (the three forced, 2027's frame); both with a frame of their own.
    assert table.loc["Mere i 2026", "Kriterier, der fører hertil"] == (
        "Scenarie (C billigere): 3 ændringer mod hovedforslaget, med sin egen ramme; se listen under tabellen."
    )
    assert table.loc["Umulig", "Kriterier, der fører hertil"] == (
        "Scenarie: 2 ændringer mod hovedforslaget, med sin egen ramme; ingen løsning; se listen under tabellen."
    )
    # Under the table, every change, one list per scenario in the rows' order.
    listed = options_table.scenario_changes(state)
    assert listed.heading == "Scenarierne: alt, hvad de har ændret mod hovedforslaget"
    parts = [(part.heading, part.lines, part.kind) for part in listed.parts]
    assert parts[0] == (
        "Mere i 2026 (C billigere): 3 ændringer mod hovedforslaget",
        [
            "Må ikke med: Behov B (B)",
            "Ramme, service 2026: 12 mio. kr. (+4 mio. kr.; 150 % af 8 mio. kr.)",
            "Omkostning, Behov C (C): 5 mio. kr. (registeret: 6 mio. kr., under registerets laveste)",
        ],
        "",
    )
    # its own frame is stated: 12 + 8 = 20 mio. kr. of service, against 16 for the others
    assert parts[1] == (
        "",
        ["Ikke planlagt måles mod scenariets egen ramme: service 20 mio. kr. og anlæg 0 mio. kr. i alt over årene."],
        "",
    )
    assert parts[2][:2] == (
        "Umulig: 2 ændringer mod hovedforslaget",
        [
            "Skal med: Behov A (A); Behov B (B); Behov C (C)",
            "Ramme, service 2027: 4 mio. kr. (\u22124 mio. kr.; 50 % af 8 mio. kr.)",
        ],
    )
    assert parts[3][1] == [
        "Ikke planlagt måles mod scenariets egen ramme: service 12 mio. kr. og anlæg 0 mio. kr. i alt over årene."
    ]
    # no solution: why, and the least change that gives one (by hand: 2 mio. kr. in 2026)
    heading, (why, fix), kind = parts[4]
    assert kind == "warning" and why.startswith("Ingen løsning: De tvungne behov")
    assert fix.startswith("Mindste ændring, der giver en løsning: hæv rammen med 2 mio. kr. på service i 2026")
    assert len(parts) == 5
    shown = listed._repr_html_()
    assert shown.count("<ul>") == 2 and "<li>Må ikke med: Behov B (B)</li>" in shown
    # a report without scenarios shows no list
    plain = planned(data, Options())
    assert options_table.scenario_changes(plain) is None
    summary = options_table.options_summary(state)
    assert "Ikke planlagt er forskellen mellem rammen (service 16 mio. kr. og anlæg 0 mio. kr." in summary.note
    # With 12 in 2026: C (5) and A (4) both start 2026, B is out: 9 of 20 udmøntet, 11 left.
    assert table.loc["Mere i 2026", "Ikke planlagt, service"] == 11_000
    # no solution, no amounts: every figure of its row is empty (not the started investments')
    amounts = table.loc["Umulig"].drop(["Indstilling", "Kriterier, der fører hertil"])
    assert amounts.isna().all(), amounts
    # the chart draws the scenario's own frame
    chart = allocation_page.spending_chart(data.frame, run.shown_results, run.shown_names, data.price_year)
    assert "Ramme i Mere i 2026, service: 2026 12 mio. kr., 2027 8 mio. kr." in chart.alt


def test_allocate_scenario_applies_need_overrides_and_names_a_bad_one(data, write, capsys):
    from analysis.cli import main

    register, frame = write("r.csv", REGISTER), write("f.csv", FRAME)
    # A at 8 mio. kr. from 2026 takes all of 2026, and C can start only then: A 2026 and
    # B 2027 (5 + 3/1,03 = 7,9) beat C 2026 and B 2027 (4 + 3/1,03), by hand.
    good = write("o.json", json.dumps({"navn": "O", "need_overrides": {"A": {"cost": 8000, "start_year": 2026}}}))
    args = ["allocate", "--register", str(register), "--frame", str(frame), "--json", "--scenario"]
    assert main([*args, str(good)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {s["id"]: s["start_year"] for s in out["selected"]} == {"A": 2026, "B": 2027}
    bad = write("b.json", json.dumps({"navn": "B", "need_overrides": {"Z": {"cost": 1}, "A": {"pris": 3}}}))
    before = bad.read_bytes()
    assert main([*args, str(bad)]) == 2
    err = capsys.readouterr().err
    assert 'b.json, nøgle need_overrides: "Z" er ikke et id i behovsregisteret' in err
    assert "b.json, nøgle need_overrides: A: angiv cost (1.000 kr.) og/eller start_year" in err
    assert "Traceback" not in err and bad.read_bytes() == before


def test_a_scenarios_overridden_cost_counts_in_its_nutidsvaerdi(write):
    # A alone: 4.000 in 2026, benefit 3.000 a year for 2 years (2027, 2028). The scenario sets
    # its cost to 5.000. By hand at 3,5 %: −4.000 + 3.000/1,035 + 3.000/1,035² = 1.698,6 for
    # the main option and −5.000 + the same = 698,6 for the scenario.
    text = (
        "id;omraade;titel;omkostning_min;omkostning_max;potentiale_tilgaengelighed;tidligste_start;seneste_start;"
        "gevinst;levetid\nA;X;Behov A;4000;4000;5;2026;2026;3000;2\n"
    )
    data = load_dataset(register=write("r.csv", text), frame=write("f.csv", FRAME))
    dearer = write("d.json", json.dumps({"navn": "Dyrere", "need_overrides": {"A": {"cost": 5000}}}))
    from analysis.report import options_table

    state = planned(data, Options(), scenarios=[dearer])
    table = options_table.options_summary(state).data.set_index("Forslag")
    npv = [c for c in table.columns if c.startswith("Nutidsværdi")][0]
    benefit = 3000 / 1.035 + 3000 / 1.035**2
    assert table.loc["A", npv] == pytest.approx(-4000 + benefit)
    assert table.loc["Dyrere", npv] == pytest.approx(-5000 + benefit)
