"""The money rules of years two to four (#36), each with figures worked out by hand: a
merforbrug stays with its investment, bound money is never cut to cover someone else, a
stop is one fact, the money left has one basis, and the ledger holds whole thousands."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.cli import main
from analysis.inputs.dataset import load_dataset
from analysis.inputs.parameters import Rules
from analysis.inputs.settings import Settings
from analysis.model import transfers
from analysis.model.allocation.problem import cost_profile, whole_thousands
from analysis.model.cycle import Event
from analysis.model.state import EventState

REGISTER = (
    (
        "id;omraade;titel;omkostning_min;omkostning_max;andel_anlaeg;fordeling;potentiale_tilgaengelighed;"
        "tidligste_start;seneste_start\n"
        "A;X;Behov A;80;80;0;50;50;5;2026;2026\n"
        "B;X;Behov B;60;60;0;50;50;4;2026;2026\n"
        "C;X;Behov C;30;30;0;100;3;2026;2028\n"
        "D;X;Behov D;40;40;1;50;50;2;2026;2026\n"
        "E;X;Behov E;20;20;1;100;1;2026;2026\n"
    )
    .replace(";0;50;50;", ';0;"50;50";')
    .replace(";1;50;50;", ';1;"50;50";')
)
FRAME = "aar;styringsomraade;beloeb\n" + "".join(f"{y};service;100\n{y};anlæg;50\n" for y in (2026, 2027, 2028))
# OFS 25/26 udmønter A (40 + 40 service), B (30 + 30 service), D (20 + 20 anlæg) and E (20 anlæg)
LEDGER = (
    "id;aar;styringsomraade;beloeb;art;beslutning\n"
    "A;2026;service;40;udmøntet;OFS 25/26\nA;2027;service;40;udmøntet;OFS 25/26\n"
    "B;2026;service;30;udmøntet;OFS 25/26\nB;2027;service;30;udmøntet;OFS 25/26\n"
    "D;2026;anlæg;20;udmøntet;OFS 25/26\nD;2027;anlæg;20;udmøntet;OFS 25/26\n"
    "E;2026;anlæg;20;udmøntet;OFS 25/26\n"
)
BENEFITS = (
    "id;indikator;enhed;retning;baseline;baseline_aar;maal;maal_aar;maaleaar;realiseret;ansvarlig\n"
    "A;Timer;timer;hoejere;0;2025;100;2028;2026;10;X\n"
)


def spending(rows: dict[tuple[str, str], float], year: int = 2026) -> str:
    """A forbrug file: the accounts of ``year`` per (id, pool), in current prices (the test's
    index is flat, so they are the frame's prices too)."""
    lines = [f"{i};{year};{pool};{str(amount).replace('.', ',')};regnskab" for (i, pool), amount in rows.items()]
    return "id;aar;styringsomraade;forbrug;type\n" + "\n".join(lines) + "\n"


INDEX = "aar;service;anlaeg\n" + "".join(f"{y};100;100\n" for y in (2026, 2027, 2028))


@pytest.fixture
def ofs(write):
    """The OFS 26/27 of the test's ledger with ``spent`` and ``rules``: (state, position's
    2026 rows by id and pool, the pools' 2026 rows)."""

    def run(spent: dict, rules: Rules | None = None, ledger: str = LEDGER):
        data = load_dataset(
            register=write("reg.csv", REGISTER),
            frame=write("ramme.csv", FRAME),
            pl_index=write("pl.csv", INDEX),
            bevillinger=write("bev.csv", ledger),
            forbrug=write("forbrug.csv", spending(spent)),
            gevinster=write("gev.csv", BENEFITS),
        )
        state = EventState.build(data, Event("OFS", 2026), Settings(rules=rules or Rules()), prices=data.price_year)
        result = state.followup_checked()
        inv = result.position.investments
        inv = {(r.id, r.pool): r for r in inv[inv["year"] == 2026].itertuples(index=False)}
        pools = result.pools[result.pools["year"] == 2026].set_index("pool")
        return state, result, inv, pools

    return run


def entries_of(result) -> set[tuple]:
    return {(i, y, p, a, art) for i, y, p, a, art, _s in transfers.decision_rows(result.position, 2026, 2028)}


def test_a_merforbrug_stays_with_its_investment_and_the_never_udmoentet_money_goes_back_whole(ofs):
    # By hand, service 2026: frame 100, udmøntet A 40 + B 30 = 70, never udmøntet 30.
    # A spends 50 of its 40: merforbrug 10, carried into 2027 as −10 on A (A has 2027).
    # B spends 20 of 30: bound 10, moved whole to B in 2027. Nothing nets against anything:
    # the 30 never udmøntet go back to the kassen (before #36: 30 − 10 = 20).
    _state, result, inv, pools = ofs({("A", "service"): 50, ("B", "service"): 20})
    assert inv["A", "service"].merforbrug == 10 and inv["A", "service"].merforbrug_to == "investment"
    assert inv["B", "service"].bound == 10
    assert pools.loc["service", "not_granted"] == 30 and pools.loc["service", "free"] == 30
    assert pools.loc["service", "returned"] == 30
    assert pools.loc["service", "transfer_bound"] == 10 and pools.loc["service", "merforbrug_carried"] == 10
    assert {("A", 2027, "service", -10.0, "overført"), ("B", 2027, "service", 10.0, "overført"),
            (None, 2026, "service", 30.0, "tilbageført")} <= entries_of(result)  # fmt: skip


def test_a_share_exactly_at_the_threshold_is_no_deviation_in_any_price_level(ofs):
    import dataclasses

    from analysis.model import followup

    # A spends 36 of its 40: 90 %, exactly at the 10 % threshold, no deviation. Converted to a
    # p/l with the factor 1,041 the quotient is 0,8999999999999999 in floating point: still none
    _state, result, _inv, _pools = ofs({("A", "service"): 36, ("B", "service"): 30})
    money = ["granted", "transferred_in", "available", "spent", "granted_cumulative", "spent_cumulative"]
    scaled = result.position.investments.copy()
    scaled[money] = scaled[money] * 1.041
    for position in (result.position, dataclasses.replace(result.position, investments=scaled)):
        table = followup.investments(position).set_index(["id", "year"])
        assert not table.loc[("A", 2026), "deviation"]
    # 35 of 40 (87,5 %) is one
    _state, result, _inv, _pools = ofs({("A", "service"): 35, ("B", "service"): 30})
    assert followup.investments(result.position).set_index(["id", "year"]).loc[("A", 2026), "deviation"]


def test_bound_money_is_never_cut_to_cover_one_that_spent_without_a_grant(ofs):
    # C has no grant and spends 15: a merforbrug with no next year in its grants, on the
    # pool's own row. B's 10 is still moved whole; the pool's side: 30 − 15 = 15 returned.
    _state, result, inv, pools = ofs({("A", "service"): 40, ("B", "service"): 20, ("C", "service"): 15})
    assert inv["C", "service"].merforbrug == 15 and inv["C", "service"].merforbrug_to == "pool"
    assert pools.loc["service", "transfer_bound"] == 10
    assert pools.loc["service", "free"] == 15 and pools.loc["service", "returned"] == 15
    # C spends 50: the pool's side is 30 − 50 = −20, deducted from 2027; B's 10 still moves whole
    _state, result, inv, pools = ofs({("A", "service"): 40, ("B", "service"): 20, ("C", "service"): 50})
    assert pools.loc["service", "transfer_bound"] == 10 and pools.loc["service", "pool_transfer_out"] == -20
    assert pools.loc["service", "free_disposition"] == "deduct_next_year" and pools.loc["service", "returned"] == 0
    assert (None, 2027, "service", -20.0, "overført") in entries_of(result)


def test_the_json_proposes_every_investments_bound_money(ofs, write, capsys):
    """The issue's hostile case on the command line: one investment overspent, another spent
    without a grant; the proposal transfers each investment's bound money in full."""
    _state, _result, _inv, _pools = ofs({("A", "service"): 50, ("B", "service"): 20, ("C", "service"): 15})
    folder = write("reg.csv", REGISTER).parent
    args = ["followup", "--year", "2026", "--json"]
    for key, name in (("register", "reg.csv"), ("frame", "ramme.csv"), ("pl-index", "pl.csv"),
                      ("bevillinger", "bev.csv"), ("forbrug", "forbrug.csv"), ("gevinster", "gev.csv")):  # fmt: skip
        args += [f"--{key}", str(folder / name)]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    service = next(p for p in out["pools"] if p["pool"] == "service" and p["year"] == 2026)
    assert service["transfer_bound"] == 10 and service["merforbrug"] == 25 and service["returned"] == 15
    a = next(i for i in out["investments"] if i["id"] == "A" and i["year"] == 2026)
    assert a["merforbrug"] == 10 and a["merforbrug_to"] == "investment"


def test_oeu_may_cover_a_merforbrug_from_the_money_never_udmoentet(ofs):
    # A's 10 covered: an udmøntning of 10 to A for 2026, by OFS 26/27; nothing carried;
    # the kassen gets 30 − 10 = 20.
    _state, result, inv, pools = ofs({("A", "service"): 50, ("B", "service"): 20}, Rules(cover_overspend=("A",)))
    assert inv["A", "service"].covered == 10 and inv["A", "service"].merforbrug_to == "covered"
    assert pools.loc["service", "returned"] == 20
    assert ("A", 2026, "service", 10.0, "udmøntet") in entries_of(result)
    assert not any(e[0] == "A" and e[4] == "overført" for e in entries_of(result))
    # never more than the money never udmøntet: C's 50 without a grant, covered, gets 30
    _state, result, inv, pools = ofs({("C", "service"): 50, ("A", "service"): 40, ("B", "service"): 30},
                                     Rules(cover_overspend=("C",)))  # fmt: skip
    assert inv["C", "service"].covered == 30 and pools.loc["service", "pool_transfer_out"] == -20


def test_a_merforbrug_to_cover_must_exist(ofs):
    from analysis.model.decisions import DecisionError

    with pytest.raises(DecisionError, match="no_overspend"):
        ofs({("A", "service"): 40}, Rules(cover_overspend=("B",)))


def test_an_anlaeg_overrun_inside_the_anlaegsbevilling_is_a_fremrykning(ofs):
    # D's anlægsbevilling is 20 + 20 = 40: spending 30 in 2026 is 10 more than the year's 20,
    # inside the 40 (fremrykning of 2027's rådighedsbeløb). E's is 20 in all: 25 is beyond it.
    _state, _result, inv, _pools = ofs({("D", "anlæg"): 30, ("E", "anlæg"): 25})
    assert inv["D", "anlæg"].anlaeg_overrun == "fremrykning" and inv["D", "anlæg"].merforbrug_to == "investment"
    assert inv["E", "anlæg"].anlaeg_overrun == "tillaegsbevilling" and inv["E", "anlæg"].merforbrug_to == "pool"


def test_transfers_are_whole_thousands_and_the_residue_goes_to_the_kassen(ofs):
    # B spends 19,4 of 30: bound 10,6 moves as 10; A spends 49,4 of 40: merforbrug 9,4 carried
    # as −10. Unspent 100 − 68,8 = 31,2; moved 10 − 10 = 0; returned 31,2 (30 never
    # udmøntet and 1,2 of residue: 0,6 of B's, 0,6 of A's rounding up).
    _state, result, _inv, pools = ofs({("A", "service"): 49.4, ("B", "service"): 19.4})
    assert {("B", 2027, "service", 10.0, "overført"), ("A", 2027, "service", -10.0, "overført")} <= entries_of(result)
    assert pools.loc["service", "returned"] == pytest.approx(31.2)


def test_a_need_is_rounded_to_whole_thousands_first_then_spread_by_the_largest_remainder():
    from types import SimpleNamespace

    row = SimpleNamespace(fordeling=(25, 25, 25, 25), andel_anlaeg=0.0)
    profile = cost_profile(row, 6250, 2026, [2026, 2027, 2028, 2029])
    assert list(profile[0]) == [1563, 1563, 1562, 1562] and profile[1].sum() == 0
    row = SimpleNamespace(fordeling=(50, 50), andel_anlaeg=0.3)
    # 1.000,4 → 1.000; service 350 + 350, anlæg 150 + 150
    assert cost_profile(row, 1000.4, 2026, [2026, 2027]).tolist() == [[350, 350], [150, 150]]
    # 7 over three years: 2,33 each → 2, 2, 2 and the last thousand to the earliest year
    assert whole_thousands(np.array([[7 / 3, 7 / 3, 7 / 3]])).tolist() == [[3, 2, 2]]


# --- a stop is one fact; the money left has one basis ----------------------------------------

# test_plan's three years: A udmøntet at OFS 25/26 (300 + 300 service from 2026), B an old-style
# row that Budget 2027 decides again; the forecast says A spent 200 of its 300 in 2026.
PLAN_REGISTER = (
    "id;omraade;titel;omkostning_min;omkostning_max;fordeling;andel_anlaeg;potentiale_tilgaengelighed\n"
    'A;X;A;600;600;"50;50";0;5\nB;X;B;300;300;100;0;3\n'
)
PLAN_FRAME = "aar;styringsomraade;beloeb\n" + "".join(f"{y};service;500\n{y};anlæg;0\n" for y in (2026, 2027, 2028))
PLAN_LEDGER = "id;startaar;aar;styringsomraade;beloeb;beslutning\nA;2026;2026;service;300;OFS 25/26\n" \
              "A;2026;2027;service;300;OFS 25/26\n"  # fmt: skip
PLAN_SPENDING = "id;aar;styringsomraade;forbrug;type\nA;2026;service;200;forventet\n"


@pytest.fixture
def plan_data(write):
    def load(ledger: str = PLAN_LEDGER, spending: str = PLAN_SPENDING, benefits: bool = False):
        files = {
            "register": write("reg.csv", PLAN_REGISTER),
            "frame": write("ramme.csv", PLAN_FRAME),
            "pl_index": write("pl.csv", INDEX),
            "bevillinger": write("bev.csv", ledger),
            "forbrug": write("forbrug.csv", spending),
        }
        if benefits:
            files["gevinster"] = write("gev.csv", BENEFITS)
        return load_dataset(**files)

    return load


def test_a_stop_is_named_where_it_is_decided_and_binds_nothing(plan_data):
    from analysis.inputs.parameters import Options
    from analysis.report import allocation_plan, front_page

    # Budget 2027 stops A: its 2027 grant of 300 goes back; it spent 200 of 2026's 300 (the
    # forecast), and the 100 it did not spend is not expected to move to it
    data = plan_data()
    state = EventState.for_plan(data, Options(plan_year=2027, release=("A",)))
    assert list(state.commitments.released["A"].expected_transfer) == [0, 0]
    (stop,) = state.stops
    assert (stop.id, stop.event, stop.first_year, stop.now) == ("A", Event("budget", 2027), 2027, True)
    assert stop.given_back == {("service", 2027): 300.0} and stop.spent == 200
    said = " ".join(front_page.resume(state).lines)
    assert "stopper samtidig A (A) fra 2027: 0,3 mio. kr. (service 0,3 mio. kr.) i 2027 gives tilbage" in said
    assert "har brugt 0,2 mio. kr. til og med 2026" in said
    assert "Stoppet ved Budget 2027: A" in " ".join(allocation_plan.plan_summary(state).lines)
    # the table of started investments: A keeps the 300 udmøntet for 2026; its 2027 is given back
    table = allocation_plan.started_investments(data.register, state.main, 2026).data.set_index("Id")
    assert table.loc["A", "Udmøntet i alt"] == 300 and table.loc["A", "Forventes overført til planåret"] == 0
    assert table.loc["A", "Status"] == "stoppet ved Budget 2027"
    # the stop's bevillingsteknik: 300 of 2027 back from the udvalg to the pool's 1112, nothing after
    (row,) = allocation_plan.stops(state).data.to_dict("records")
    assert (row["Id"], row["Til bevilling"], row["2027"], row["2028"], row["I alt"]) == (
        "A",
        "1112 Fælles rammepuljer",
        -300,
        0,
        -300,
    )
    assert stop.kept == {"service": 300, "anlæg": 0} and stop.left == {"service": 100, "anlæg": 0}


def test_an_expected_merforbrug_follows_its_investment_into_the_plan_year_and_binds_nothing_else(plan_data):
    from analysis.inputs.parameters import Options
    from analysis.report import allocation_plan

    # Budget 2027: A is forecast to spend 350 of its 300 in 2026, a merforbrug of 50 that the
    # OFS 26/27 carries into A's 2027. Nothing is expected moved on; the 50 is named as A's own
    data = plan_data(spending=PLAN_SPENDING.replace("200;forventet", "350;forventet"))
    state = EventState.for_plan(data, Options(plan_year=2027))
    commitments = state.commitments
    assert commitments.investments["A"].expected_transfer.tolist() == [-50, 0]
    assert commitments.expected_transfers().tolist() == [0, 0]
    assert {i: v.tolist() for i, v in commitments.expected_merforbrug().items()} == {"A": [50, 0]}
    said = " ".join(allocation_plan.plan_summary(state).lines)
    assert "Forventet merforbrug i 2026 (1.000 kr.): A 50." in said
    table = allocation_plan.started_investments(data.register, state.main, 2026).data.set_index("Id")
    assert table.loc["A", "Forventes overført til planåret"] == -50
    # the merforbrug takes nothing from B's 2027 room: not yet udmøntet in 2027 is 500 − 300
    assert state.money_left[0].tolist() == [200, 200, 500]


def test_a_stopped_investment_is_stopped_on_every_later_page(plan_data):
    from analysis.inputs.parameters import Options
    from analysis.report import allocation_plan
    from analysis.report.vocabulary import explanation_detail

    stopped = PLAN_LEDGER + "A;2026;2027;service;300;tilbageført;Budget 2027\n"
    stopped = stopped.replace("beloeb;beslutning", "beloeb;art;beslutning").replace(";300;OFS", ";300;udmøntet;OFS")
    # Budget 2028: A is no fixed investment but stopped at Budget 2027, named so, and binds nothing
    data = plan_data(stopped, PLAN_SPENDING.replace("forventet", "regnskab"))
    state = EventState.for_plan(data, Options(plan_year=2028))
    investment = state.commitments.released["A"]
    assert investment.stopped_by == Event("budget", 2027) and list(investment.expected_transfer) == [0, 0]
    assert "A" not in state.main.selected
    why = state.main.explanations["A"]
    assert explanation_detail(why, [2028]).startswith("stoppet ved Budget 2027")
    table = allocation_plan.started_investments(data.register, state.main, 2026).data
    assert set(table["Status"]) == {"stoppet ved Budget 2027"}
    assert [(s.id, s.now) for s in state.stops] == [("A", False)]
    assert "Stoppet tidligere: A (stoppet ved Budget 2027)" in " ".join(allocation_plan.plan_summary(state).lines)
    # OFS 26/27 after the stop: A's 100 left of 2026 is given back to the pool, not bound
    data = plan_data(stopped, PLAN_SPENDING.replace("forventet", "regnskab"), benefits=True)
    ofs = EventState.build(data, Event("OFS", 2026), prices=data.price_year).followup_checked()
    a = ofs.position.investments.set_index(["id", "year"]).loc[("A", 2026)]
    assert (a.bound, a.given_back) == (0, 100)


def test_the_money_left_has_one_basis_and_is_reconciled_from_the_event_before(plan_data):
    from analysis.inputs.parameters import Options

    # Budget 2027 knows OFS 25/26's grants: 300 in 2026 and 2027. Not yet udmøntet: 500 − 300,
    # 500 − 300, 500. The event before (OFS 25/26) knew none: 500 a year; the change is its
    # udmøntning, −600.
    state = EventState.for_plan(plan_data(), Options(plan_year=2027))
    assert state.money_left[0].tolist() == [200, 200, 500]
    reconciled = state.reconciliation
    assert reconciled.previous == Event("OFS", 2025) and reconciled.before[0].tolist() == [500, 500, 500]
    ((event, kind, amounts),) = reconciled.changes
    assert (event, kind, amounts[0].tolist()) == (Event("OFS", 2025), "udmøntet", [-300, -300, 0])
    # what an OFS returned to the kassen is no longer in the pool: OFS 26/27 returned 200 of 2026
    returned = PLAN_LEDGER.replace("beloeb;beslutning", "beloeb;art;beslutning").replace(
        ";300;OFS", ";300;udmøntet;OFS"
    )
    returned += ";;2026;service;200;tilbageført;OFS 26/27\n"
    state = EventState.for_plan(plan_data(returned), Options(plan_year=2028))
    assert state.money_left[0].tolist() == [0, 200, 500]
    # "Ikke planlagt" of the plan is the same basis less what it udmønter and plans
    main = state.main
    assert main.unspent_total()["service"] == pytest.approx(700 - sum(e[3] for e in main.decisions()))


def test_a_four_year_cycle_conserves_the_money_to_the_krone_and_keeps_whole_thousands(tmp_path, capsys):
    """The generated cycle (a merforbrug every year, 5G stopped at Budget 2029), carried by the
    package's own commands: at every OFS each pool's year is settled to the krone (what was
    left is moved on or returned), over the whole frame what was set aside is what was spent,
    returned or left to ØU at the close, and every amount for an investment is whole thousands."""
    import csv

    import cycle

    from analysis.inputs.contracts import POOLS

    made = cycle.generate(tmp_path / "cyklus")
    capsys.readouterr()
    for step in made.steps:
        if step.event.kind != "OFS" or step.event.year < 2026:
            continue
        data = load_dataset(**step.inputs)
        state = EventState.build(data, step.event, prices=data.price_year)
        pools = state.followup_checked().pools
        year = pools[pools["year"] == step.event.year]
        for r in year.itertuples(index=False):  # the year's money, settled to the krone
            assert r.unspent == pytest.approx(r.transfer_out + r.returned, abs=1e-3), (step.event.name, r.pool)
            # the kassen gets the free money, the bound money the frame's last year cannot move, and
            # under 1.000 kr. an investment of residue from the whole thousands
            kept = max(r.free, 0.0) + r.bound - r.transfer_bound
            assert r.returned >= -1e-9 and r.returned == pytest.approx(kept, abs=len(data.register))
    # the whole frame at the closing OFS 29/30, on the final ledger and accounts
    final = made.steps[-1]
    data = load_dataset(**(final.inputs | {"bevillinger": final.ledger_after}))
    state = EventState.build(data, Event("OFS", 2029), prices=data.price_year)
    pools = state.followup_checked().pools
    for pool in POOLS:
        mine = pools[pools["pool"] == pool]
        left = float(mine.loc[mine["year"] == 2029, "transfer_out"].iloc[0])
        total = float(mine["spent"].sum() + mine["returned"].sum()) + left
        assert float(mine["frame"].sum()) == pytest.approx(total, abs=1e-3), pool
    # a merforbrug every year, carried by FAS-01 while it has a next year; 5G stopped
    assert made.stopped == "DA-5G-D"
    with open(final.ledger_after, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    carried = [
        r for r in rows if r["id"] == cycle.OVERSPENDER and r["art"] == "overført" and r["beloeb"].startswith("-")
    ]
    assert carried, "FAS-01's merforbrug is carried as a negative transfer"
    for r in rows:
        amount = float(r["beloeb"].replace(".", "").replace(",", "."))
        if r["id"]:
            assert amount == round(amount), r


# --- decided amounts keep their value (#36 item 4) ------------------------------------------

RISING = "aar;service;anlaeg\n2026;100;100\n2027;105;105\n2028;110;110\n"


def test_an_ofs_writes_its_decisions_at_its_own_pl_and_the_ledger_keeps_every_row_as_decided(write, capsys):
    """OFS 27/28 on a p/l index rising 5 % a year. By hand, in 2027 p/l (the OFS's, as its
    report): A had 40 (2026 p/l) = 42 and spent 21,5: bound 20,5, moved on as 20 whole
    thousands (in the frame's 2026 p/l it would be 40 − 21,5/1,05 = 19,52: 19). Service 2027:
    105 of frame, 73,5 udmøntet, so 31,5 never udmøntet + the 0,5 residue = 32 to the kassen."""
    ledger = LEDGER + ";2026;service;30;tilbageført;OFS 26/27\n;2026;anlæg;10;tilbageført;OFS 26/27\n"
    accounts = spending({("A", "service"): 40, ("B", "service"): 30, ("D", "anlæg"): 20, ("E", "anlæg"): 20})
    accounts += "A;2027;service;21,5;regnskab\nB;2027;service;31,5;regnskab\nD;2027;anlæg;21;regnskab\n"
    files = {
        "register": write("reg.csv", REGISTER),
        "frame": write("ramme.csv", FRAME),
        "pl-index": write("pl.csv", RISING),
        "bevillinger": write("bev.csv", ledger),
        "forbrug": write("forbrug.csv", accounts),
        "gevinster": write("gev.csv", BENEFITS),
    }
    args = ["followup", "--year", "2027"] + [a for k, v in files.items() for a in (f"--{k}", str(v))]
    out = files["register"].parent / "efter.csv"
    assert main([*args, "--json", "--output", str(out)]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["pl_aar"] == 2027
    a = next(i for i in said["investments"] if i["id"] == "A" and i["year"] == 2027)
    assert a["bound"] == 20  # 20,5 floored to whole thousands
    written = out.read_text(encoding="utf-8-sig").splitlines()
    assert written[0].endswith(";pl_aar")
    # the old rows as they were decided (now with their p/l said), the OFS's own at 2027 p/l
    assert "A;Behov A;2026;2026;service;40,0;udmøntet;OFS 25/26;2026" in written
    assert ";;;2026;service;30,0;tilbageført;OFS 26/27;2026" in written
    assert "A;Behov A;2026;2028;service;20,0;overført;OFS 27/28;2027" in written
    assert ";;;2027;service;32,0;tilbageført;OFS 27/28;2027" in written
    # read again, the 20 of 2027 p/l is 20 in a 2027 report, 20 / 1,05 in the frame's p/l, and
    # the ledger written once more keeps every row as it was
    data = load_dataset(register=files["register"], frame=files["frame"], pl_index=files["pl-index"], bevillinger=out)
    for level, expected in ((2026, 20 / 1.05), (2027, 20.0), (2028, 20 * 110 / 105)):
        rows = EventState.build(data, Event("OFS", 2028), prices=level).ledger.rows
        moved = rows[(rows["id"] == "A") & (rows["art"] == "overført")]
        assert moved["amount"].tolist() == [pytest.approx(expected)]
    from analysis.inputs.register import need_titles
    from analysis.model.ledger import to_table

    state = EventState.build(data, Event("OFS", 2028), prices=2028)
    again = to_table(state.ledger, need_titles(data.register), state.price_year)
    assert again.loc[again["art"] == "overført", ["beloeb", "pl_aar"]].values.tolist() == [[20.0, 2027]]
    # OFS 28/29's page 03 (2028 p/l) shows 2026 and 2027 as they were accounted and decided:
    # 2026 in 2026 p/l (frame 100, 30 back to the kassen), 2027 in 2027 p/l (A moved on 20)
    from analysis.report import followup_page

    later = load_dataset(**{k.replace("-", "_"): v for k, v in files.items()} | {"bevillinger": out})
    ofs = EventState.build(later, Event("OFS", 2028))
    rows = followup_page.ofs_table(ofs.followup_checked(), ofs.price_year).data.set_index(["Styringsområde", "År"])
    assert rows.loc[("Service", 2026), ["P/l", "Ramme", "Tilbageføres kassen"]].tolist() == pytest.approx(
        [2026, 100, 30]
    )
    assert rows.loc[("Service", 2027), ["P/l", "Ramme", "Overføres"]].tolist() == pytest.approx([2027, 105, 20])
    assert rows.loc[("Service", 2027), "Tilbageføres kassen"] == pytest.approx(32)
    # a p/l the index does not hold is an error at its cell
    bad = write("bev2.csv", "id;aar;styringsomraade;beloeb;pl_aar\nA;2026;service;40;2031\n")
    args = ["validate", "--register", str(files["register"]), "--frame", str(files["frame"])]
    assert main([*args, "--pl-index", str(files["pl-index"]), "--bevillinger", str(bad)]) == 2
    err = capsys.readouterr()
    assert "bev2.csv række 2, kolonne pl_aar" in err.out + err.err and "2031" in err.out + err.err
    # and so is a year's spending whose year the index does not hold
    short = write("pl2.csv", "aar;service;anlaeg\n2026;100;100\n2027;105;105\n")
    late = write("forbrug2.csv", "id;aar;styringsomraade;forbrug;type\nA;2028;service;10;forventet\n")
    assert (
        main([*args, "--pl-index", str(short), "--bevillinger", str(files["bevillinger"]), "--forbrug", str(late)]) == 2
    )
    err = capsys.readouterr()
    said = "forbrug2.csv række 2, kolonne forbrug: p/l-indekset har intet tal for 2028, så forbruget kan ikke omregnes"
    assert said in err.out + err.err


def test_the_bevillingsteknik_names_the_receiving_bevilling_or_says_it_must_be_given(write):
    """#37 item 4. OFS 26/27 of the first test: A carries its merforbrug of 10 into 2027, B's
    10 is moved on, 30 of service and 10 of anlæg go back to the kassen. The register names
    A's service bevilling only: A's row names it, B's says it must be given, the note names
    B, and the kassen's rows say they go to the kassen, from 1112 and 3123."""
    from analysis.report import followup_page

    lines = REGISTER.splitlines()
    register = "\n".join([lines[0] + ";bevilling_service", lines[1] + ";4010 – Testbevilling", *lines[2:]]) + "\n"
    data = load_dataset(
        register=write("reg.csv", register),
        frame=write("ramme.csv", FRAME),
        pl_index=write("pl.csv", INDEX),
        bevillinger=write("bev.csv", LEDGER),
        forbrug=write("forbrug.csv", spending({("A", "service"): 50, ("B", "service"): 20})),
        gevinster=write("gev.csv", BENEFITS),
    )
    state = EventState.build(data, Event("OFS", 2026), prices=data.price_year)
    table = followup_page.transfer_decisions(data.register, state.followup_checked(), 2026, 2028)
    rows = {(r["Id"], r["Styringsområde"]): r for r in table.data.to_dict("records")}
    assert (rows["A", "Service"]["Bevilling"], rows["A", "Service"]["Beløb"]) == ("4010 – Testbevilling", -10)
    assert (rows["B", "Service"]["Bevilling"], rows["B", "Service"]["Beløb"]) == ("skal angives", 10)
    kassen = rows["", "Service"]
    assert kassen["Behov"] == "Til kassen: puljens frie midler (1112 Fælles rammepuljer)" and kassen["Beløb"] == 30
    assert rows["", "Anlæg"]["Behov"] == "Til kassen: puljens frie midler (3123 Fælles anlægspuljer)"
    assert "Modtagende bevilling mangler for B (service):" in table.note


def test_a_budget_decides_in_its_own_pl_and_a_stop_gives_back_each_grant_as_it_was_decided(write, capsys):
    """On the index rising 5 % a year. By hand: C costs 20 in 2026 p/l, spread 50/50 over two
    years. Budget 2027 (``allocate --plan-year 2027``) works in 2027 p/l, as its report: C is
    20 × 1,05 = 21 whole thousands, spread 10,5 / 10,5 and the odd thousand to the earliest
    year: 11 in 2027 and 10 in 2028, written at pl_aar 2027. Budget 2028 stops C from 2028:
    the release gives back the 10 as it was decided (10 at 2027 p/l, not 10 × 110/105 =
    10,48 at 2028 p/l), so in every later p/l it cancels the grant to the krone."""
    register = REGISTER.replace("C;X;Behov C;30;30;0;100;3;2026;2028", 'C;X;Behov C;20;20;0;"50;50";3;2026;2028')
    files = {
        "register": write("reg.csv", register),
        "frame": write("ramme.csv", FRAME),
        "pl-index": write("pl.csv", RISING),
        "bevillinger": write("bev.csv", LEDGER),
    }
    args = ["allocate"] + [a for k, v in files.items() for a in (f"--{k}", str(v))]
    budget_2027 = files["register"].parent / "budget2027.csv"
    assert main([*args, "--plan-year", "2027", "--json", "--output", str(budget_2027)]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["pl_aar"] == 2027 and [s["id"] for s in said["selected"] if not s["started"]] == ["C"]
    written = budget_2027.read_text(encoding="utf-8-sig").splitlines()
    assert "C;Behov C;2027;2027;service;11,0;udmøntet;Budget 2027;2027" in written
    assert "C;Behov C;2027;2028;service;10,0;udmøntet;Budget 2027;2027" in written
    assert "A;Behov A;2026;2026;service;40,0;udmøntet;OFS 25/26;2026" in written  # earlier rows as decided
    args = [a if a != str(files["bevillinger"]) else str(budget_2027) for a in args]
    budget_2028 = files["register"].parent / "budget2028.csv"
    assert main([*args, "--plan-year", "2028", "--release", "C", "--output", str(budget_2028)]) == 0
    capsys.readouterr()
    written = budget_2028.read_text(encoding="utf-8-sig").splitlines()
    assert "C;Behov C;2027;2028;service;10,0;tilbageført;Budget 2028;2027" in written
    # read again in any p/l, C's 2028 nets to nothing and its 2027 grant is 11 as decided
    data = load_dataset(
        register=files["register"], frame=files["frame"], pl_index=files["pl-index"], bevillinger=budget_2028
    )
    for level in (2026, 2028):
        book = EventState.build(data, Event("OFS", 2028), prices=level).ledger
        assert book.net_grants("C")[0].tolist() == pytest.approx(
            [0, 11 * 100 / 105 if level == 2026 else 11 * 110 / 105, 0]
        )
        decided = book.grants_as_decided(level).set_index(["id", "year"])
        assert decided.loc[("C", 2027), ["decided", "pl"]].tolist() == [11, 2027]
        assert decided.loc[("C", 2028), "decided"] == pytest.approx(0)


def test_the_closing_reconciles_the_whole_frame_and_each_investments_overrun(write):
    """The closing OFS 28/29 of a frame 2026–2028 (service 100, anlæg 50 a year; flat index).
    By hand from LEDGER and the accounts: A spends 50 of its 40 in 2026 (merforbrug 10, carried
    into its 2027) and 50 of its 40 − 10 in 2027 (merforbrug 20, with no 2028 to carry it).
    Service: 2026 100 + 0 − 80 − (−10) = 30 to the kassen; 2027 100 − 10 − 80 − 0 = 10; 2028
    100. In all: frame 300, udmøntet 140, spent 160, returned 140. Anlæg: D and E spend what
    they have: 2026 50 − 40 = 10, 2027 50 − 20 = 30, 2028 50; frame 150, udmøntet 60, spent
    60, returned 90. A's overrun over the frame: 100 spent of 80 udmøntet = 20."""
    from analysis.report import closing_page

    accounts = spending({("A", "service"): 50, ("B", "service"): 30, ("D", "anlæg"): 20, ("E", "anlæg"): 20})
    accounts += "A;2027;service;50;regnskab\nB;2027;service;30;regnskab\nD;2027;anlæg;20;regnskab\n"
    data = load_dataset(
        register=write("reg.csv", REGISTER),
        frame=write("ramme.csv", FRAME),
        pl_index=write("pl.csv", INDEX),
        bevillinger=write("bev.csv", LEDGER),
        forbrug=write("forbrug.csv", accounts),
        gevinster=write("gev.csv", BENEFITS),
    )
    state = EventState.build(data, Event("OFS", 2028))
    closing = state.closing
    rows = closing.reconciliation.set_index(["pool", "year"])
    assert rows.loc[("service", 2026), ["frame", "funded", "spent", "transfer_out", "returned"]].tolist() == (
        pytest.approx([100, 70, 80, -10, 30])
    )
    assert rows.loc[("service", 2027), ["transfer_in", "spent", "returned"]].tolist() == pytest.approx([-10, 80, 10])
    assert rows.loc[("service", 2028), "returned"] == pytest.approx(100)
    service, anlaeg = rows.loc["service"].sum(), rows.loc["anlæg"].sum()
    assert [service[c] for c in ("frame", "funded", "spent", "returned")] == pytest.approx([300, 140, 160, 140])
    assert [anlaeg[c] for c in ("frame", "funded", "spent", "returned")] == pytest.approx([150, 60, 60, 90])
    assert closing.overruns[["id", "pool"]].values.tolist() == [["A", "service"]]
    assert closing.overruns["overrun"].tolist() == pytest.approx([20])
    # the page: each pool's rows and its "I alt" as printed add up
    table = closing_page.reconciliation(state).data
    total = table[(table["Styringsområde"] == "Service") & (table["År"] == "I alt")].iloc[0]
    assert [total["Ramme"], total["Forbrug"], total["Tilbageført kassen"]] == pytest.approx([300, 160, 140])
    # only the closing OFS has it
    assert EventState.build(data, Event("OFS", 2027)).closing is None
    assert (
        "udfyldes ved rammens afslutning" in closing_page.summary(EventState.build(data, Event("OFS", 2027))).lines[0]
    )
