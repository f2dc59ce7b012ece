"""The JupyterLab explorer: built only when asked, and it recomputes when a control moves."""

from __future__ import annotations

from analysis import workbench
from analysis.inputs.dataset import load_dataset
from analysis.report import whatif

# Two needs of 4 mio. kr. each, all service, one year: A is worth 5, B 3 (tilgængelighed).
REGISTER = (
    "id;omraade;titel;omkostning_min;omkostning_max;potentiale_tilgaengelighed\n"
    "A;X;Behov A;4000;4000;5\n"
    "B;X;Behov B;4000;4000;3\n"
)
FRAME = "aar;styringsomraade;beloeb\n2026;service;8000\n2026;anlæg;0\n"


def test_explorer_is_absent_from_reports_and_reacts_in_the_lab(write):
    data = load_dataset(register=write("r.csv", REGISTER), frame=write("f.csv", FRAME))
    assert workbench.explorer(data, enabled=False) is None
    box = workbench.explorer(data)
    weights, strategy, carry = box.weights, box.strategy, box.carry
    full = box.result
    # By hand: the frame of 8 mio. kr. funds both needs, worth 5 + 3.
    assert full.status == "optimal" and full.options.strategy == "max-potential"
    assert full.selected == {"A": 2026, "B": 2026} and full.objective == 8
    # Half the frame (4 mio. kr.) funds only the better need.
    box.set_scale(0.5)
    assert box.result.selected == {"A": 2026} and box.result.objective == 5
    weights[3].value = 5.0
    assert box.result.options.weights == (1.0, 1.0, 1.0, 5.0)
    strategy.value = "priority"
    assert box.result.method == "priority"
    assert box.result.options.carry_over is False  # a plan fits year by year unless asked
    carry.value = True
    assert box.result.options.carry_over is True


def test_a_scenario_saved_in_the_explorer_is_reproduced_by_allocate_scenario(write, tmp_path, capsys):
    import json

    from analysis.cli import main

    register, frame = write("r.csv", REGISTER), write("f.csv", FRAME)
    data = load_dataset(register=register, frame=frame)
    box = workbench.explorer(data)
    weights = box.weights
    weights[0].value = 0.0  # tilgængelighed no longer counts: A and B are worth 0
    weights[3].value = 2.0
    box.set_scale(0.5)
    box.name.value = "Halv ramme"
    path = box.save_scenario(tmp_path / "scenarier")
    assert path.name == "halv-ramme.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["navn"] == "Halv ramme" and saved["frame_scale"] == {"service": 0.5, "anlæg": 0.5}
    args = ["allocate", "--scenario", str(path), "--register", str(register), "--frame", str(frame), "--json"]
    capsys.readouterr()  # outside a kernel the explorer's displays print; keep stdout to the JSON
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert {s["id"]: s["start_year"] for s in out["selected"]} == box.result.selected
    assert out["objective"] == box.result.objective and out["weights"] == [0.0, 1.0, 1.0, 2.0]


def test_a_bad_scenario_file_names_the_file_and_key(write, capsys):
    from analysis.cli import main

    bad = write("s.json", '{"navn": "X", "weights": [1, "to", 1, 1], "force_in": ["Z"], "speed": 3}')
    args = [
        "allocate",
        "--scenario",
        str(bad),
        "--register",
        str(write("r.csv", REGISTER)),
        "--frame",
        str(write("f.csv", FRAME)),
    ]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "s.json, nøgle speed: nøglen er ukendt" in err
    assert "s.json, nøgle weights: [1, 'to', 1, 1] er ikke fire vægte" in err
    assert 's.json, nøgle force_in: "Z" er ikke et id i behovsregisteret' in err


def test_the_workbench_starts_from_the_parameters_and_compares_with_the_baseline(write):
    from analysis.model.allocation import Options, allocate
    from analysis.report.blocks import Table

    data = load_dataset(register=write("r.csv", REGISTER), frame=write("f.csv", FRAME))
    baseline = allocate(data.register, data.frame)  # both needs, by hand
    start = Options(weights=(2.0, 1.0, 1.0, 1.0), force_out=("B",))
    box = workbench.explorer(data, options=start, baseline=baseline)
    weights = box.weights
    assert [w.value for w in weights] == [2.0, 1.0, 1.0, 1.0]
    assert box.result.selected == {"A": 2026}  # B forced out, as the parameters say
    changes = whatif.changes_against(data.register, baseline, box.result, 2026)
    assert isinstance(changes, Table) and list(changes.data["Id"]) == ["B"]
    assert list(changes.data["Ændring"]) == ["falder ud"]
    strategy = box.strategy
    strategy.value = "max-benefit"
    assert all(w.disabled for w in weights)  # weights do not choose for max-benefit


def test_every_control_says_its_value_in_danish(write):
    data = load_dataset(register=write("r.csv", REGISTER), frame=write("f.csv", FRAME))
    box = workbench.explorer(data)
    weight, service, year = box.weights[0], box.scales["service"], box.year_scales["service", 2026]
    # a choice among labelled steps (a select: a screen reader says the label, where an
    # ipywidgets slider says 1.5); the pool's level with the amount it gives over all years
    assert [label for label, _ in weight.options][:4] == ["0,0", "0,5", "1,0", "1,5"]
    assert weight.label == "1,0" and service.label == "100 % · 8 mio. kr."
    assert box.time_preference.label == "3,0 % pr. år" and year.label == "100 %"
    weight.value = 2.5
    service.value = 0.75
    assert weight.label == "2,5" and service.label == "75 % · 6 mio. kr."
    box.set_scale(1.25)
    assert box.scales["anlæg"].label == "125 % · 0 mio. kr."
    # a value computed in floating point is its step: 0,9 − 0,05 is 85 % (8 × 0,85 = 6,8)
    service.value = 0.9 - 0.05
    assert service.value == 0.85 and service.label == "85 % · 6,8 mio. kr."
    service.value = 1.0
    # A year's frame typed in mio. kr., the Danish way: 2,5 of 2026's 8 is 31,25 %, a
    # choice of its own; the pool's amount follows, and neither need (4 each) fits.
    box.amounts["service", 2026].value = "2,5"
    assert year.value == 0.3125 and year.label == "31,3 %"
    assert service.label == "100 % · 2,5 mio. kr." and box.amounts["service", 2026].value == "2,5"
    assert box.result.selected == {}
    # an English decimal is not read as an amount: nothing changes, and the field says so
    box.amounts["service", 2026].value = "4.5"
    assert year.value == 0.3125 and box.amounts["service", 2026].value == "2,5"
    assert "4.5 er ikke et beløb i mio. kr.; skriv fx 12,5" in box.tabs.children[1].children[-1].value
    box.undo()
    assert year.value == 1.0 and box.amounts["service", 2026].value == "8"
    assert box.result.selected == {"A": 2026, "B": 2026}


def test_time_preference_per_year_frame_and_a_pinned_baseline(write, tmp_path):
    import json

    from analysis.inputs.scenario import load_scenario
    from analysis.model.allocation import allocate
    from analysis.model.allocation.comparison import run_scenario

    # Two years now: 4 mio. kr. service each year; A (5) and B (3) cost 4 mio. kr. in their start year.
    frame = "aar;styringsomraade;beloeb\n2026;service;4000\n2027;service;4000\n2026;anlæg;0\n2027;anlæg;0\n"
    register = (
        "id;omraade;titel;omkostning_min;omkostning_max;potentiale_tilgaengelighed;varighed_aar\n"
        "A;X;Behov A;4000;4000;5;1\n"
        "B;X;Behov B;4000;4000;3;1\n"
    )
    data = load_dataset(register=write("r.csv", register), frame=write("f.csv", frame))
    baseline = allocate(data.register, data.frame)
    box = workbench.explorer(data, baseline=baseline)
    # By hand, time preference 0,03: A first (5 + 3/1,03 beats 3 + 5/1,03), both funded.
    assert box.result.selected == {"A": 2026, "B": 2027}
    assert box.time_preference.label == "3,0 % pr. år"
    # 2027's service frame at 50 %: 2 mio. kr. cannot fund B.
    box.year_scales["service", 2027].value = 0.5
    assert box.result.selected == {"A": 2026}
    assert box.year_scales["service", 2027].label == "50 %"
    changes = whatif.changes_against(data.register, baseline, box.result, 2026)
    assert list(changes.data["Ændring"]) == ["falder ud"]
    # Pinned: the next move is compared with the option on show, not with the report's.
    box.pin()
    box.year_scales["service", 2027].value = 1.0
    box.year_scales["service", 2026].value = 0.5  # 2 mio. kr. in 2026: A moves to 2027, B is out
    assert box.result.selected == {"A": 2027}
    assert list(box.changes.data["Id"]) == ["A"]  # against the pinned option B was already out
    assert list(box.changes.data["Ændring"]) == ["flytter start"]
    assert "det fastgjorte forslag" in box.changes.note
    box.unpin()
    assert list(box.changes.data["Id"]) == ["A", "B"]
    # The scenario keeps the per-year factors and reproduces the result.
    box.name.value = "Per år"
    saved = box.save_scenario(tmp_path)
    settings = json.loads(saved.read_text(encoding="utf-8"))
    assert settings["frame_scale"]["service"] == {"2026": 0.5, "2027": 1.0}
    assert settings["frame_scale"]["anlæg"] == 1.0
    loaded, findings = load_scenario(saved, {"A", "B"})
    assert findings == []
    assert run_scenario(data.register, data.frame, loaded).selected == box.result.selected
    # Time preference 0: both orders are worth 8, and a bad per-year key is refused.
    box.time_preference.value = 0.0
    assert box.result.options.time_preference == 0.0
    bad = write("s.json", '{"navn": "X", "frame_scale": {"service": {"to tusind": 1.0, "2027": -1}}}')
    _, findings = load_scenario(bad, {"A"})
    messages = [f.message for f in findings]
    assert 'service: "to tusind" er ikke et årstal skrevet med fire cifre' in messages
    assert "service 2027: faktoren skal være et tal fra 0 til 10" in messages
