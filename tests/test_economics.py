"""Investment economics: nutidsværdi, tilbagebetalingstid and total cost on hand-worked
examples; ``max-npv`` and the ceiling on afledt drift against an exhaustive search with an
independent NPV calculation; and a register without the economics columns decides exactly as
before."""

from __future__ import annotations

import itertools
import random
from types import SimpleNamespace

import pytest
from helpers import page_state

from analysis.inputs.financing_frame import load_frame
from analysis.inputs.parameters import DISCOUNT_RATE, Options
from analysis.inputs.register import load_register
from analysis.model import business_case, economics
from analysis.model.allocation import allocate
from analysis.model.allocation.types import Case, Reason


def need(**fields):
    base = dict(
        id="X",
        fordeling=(100.0,),
        drift_aar=None,
        dobbeltdrift=None,
        dobbeltdrift_aar=None,
        gevinst=None,
        gevinst_fuld_aar=None,
        hjemtagelse=None,
        levetid=None,
    )
    return SimpleNamespace(**(base | fields))


def test_npv_and_payback_of_a_need_that_pays_back():
    # Cost 100 in the start year; then 5 years of benefit 50 less running cost 10: +40 a year.
    # By hand: NPV = −100 + 40 × (1 − 1,035^−5) / 0,035 = −100 + 40 × 4,515052 = 80,602.
    # Accumulated: −100, −60, −20, +20: no longer negative in the 4th year.
    row = need(drift_aar=10, gevinst=50, levetid=5)
    table = economics.flows(row, 100, 2026)
    assert list(table.index) == [2026, 2027, 2028, 2029, 2030, 2031]
    assert economics.npv(table, 0.035) == pytest.approx(80.602, abs=1e-3)
    assert economics.payback(table) == 4
    case = economics.need_economics(row, 100, 2026)
    assert case.tco == pytest.approx(150)  # 100 + 5 × 10
    assert case.benefit_total == pytest.approx(250)


def test_a_need_whose_benefits_never_repay_it():
    # Benefit 10 against running cost 10: the 100 invested never comes back; NPV −100.
    row = need(drift_aar=10, gevinst=10, levetid=8)
    table = economics.flows(row, 100, 2027)
    assert economics.payback(table) is None
    assert economics.npv(table) == pytest.approx(-100)
    assert economics.need_economics(row, 100, 2027).payback is None


def test_a_ramp_to_full_effect_dobbeltdrift_and_the_share_taken_home():
    # 60 over two years (50/50); dobbeltdrift 5 in the two start years; benefit 30 at full
    # effect after 3 years (10, 20, 30), life 3; half of it taken home.
    row = need(fordeling=(50.0, 50.0), dobbeltdrift=5, dobbeltdrift_aar=2, gevinst=30, gevinst_fuld_aar=3,
               hjemtagelse=0.5, levetid=3)  # fmt: skip
    table = economics.flows(row, 60, 2026)
    assert list(table["netto"]) == pytest.approx([-35, -35, 10, 20, 30])
    assert list(table["hjemtagelse"]) == pytest.approx([0, 0, 5, 10, 15])
    # by hand: −35 − 35/1,035 + 10/1,035² + 20/1,035³ + 30/1,035⁴
    expected = -35 - 35 / 1.035 + 10 / 1.035**2 + 20 / 1.035**3 + 30 / 1.035**4
    assert economics.npv(table) == pytest.approx(expected)
    assert economics.payback(table) is None  # −35, −70, −60, −40, −10: still short at the end
    assert economics.need_economics(row, 60, 2026).reduction_total == pytest.approx(30)


def test_the_discount_rate_is_finansministeriets():
    assert DISCOUNT_RATE == 0.035 and Options().discount_rate == 0.035


# -- max-npv and the ceiling against an exhaustive search -------------------------------

YEARS = [2026, 2027, 2028]


def random_needs(rng: random.Random):
    needs = []
    for k in range(rng.randint(3, 5)):
        spread = rng.choice([(100.0,), (50.0, 50.0)])
        earliest = rng.choice(YEARS[:2])
        needs.append(
            {
                "id": f"N{k}",
                "cost": rng.randint(2, 12) * 1000,
                "share": rng.choice([0, 0.5]),
                "spread": spread,
                "earliest": earliest,
                "latest": rng.choice([y for y in YEARS if y >= earliest]),
                "drift": rng.choice([0, 500, 1500, 3000, 3000]),
                "benefit": rng.randint(0, 6) * 1000,
                "full": rng.choice([1, 2]),
                "life": rng.choice([3, 5]),
                "scores": [rng.randint(0, 5) for _ in range(4)],
                "group": "g" if k < 2 and rng.random() < 0.5 else "",
            }
        )
    frame = {(y, p): rng.randint(2, 12) * 1000 for y in YEARS for p in ("service", "anlæg")}
    return needs, frame


def write_needs(write, needs, frame):
    """The needs (fixed costs, no benefit range) as a register, and the frame."""
    fixed = [n | {"low": n["cost"], "high": n["cost"], "benefit_low": "", "benefit_high": ""} for n in needs]
    return write_ranged_needs(write, fixed, frame)


def npv_by_hand(n, start, rate=DISCOUNT_RATE):
    """Independent of the package: year by year from the frame's first year."""
    total = 0.0
    for k, pct in enumerate(n["spread"]):
        total -= n["cost"] * pct / 100 * (1 + rate) ** -(start + k - YEARS[0])
    done = start + len(n["spread"])
    for k in range(n["life"]):
        benefit = n["benefit"] * min((k + 1) / n["full"], 1.0)
        total += (benefit - n["drift"]) * (1 + rate) ** -(done + k - YEARS[0])
    return total


def best_by_search(needs, frame, value, ceiling=None):
    choices = []
    for n in needs:
        starts = [s for s in range(n["earliest"], n["latest"] + 1) if YEARS.index(s) + len(n["spread"]) <= len(YEARS)]
        choices.append([None, *starts])
    best = 0.0
    for combo in itertools.product(*choices):
        chosen = {n["id"]: s for n, s in zip(needs, combo, strict=True) if s is not None}
        groups = [n["group"] for n in needs if n["id"] in chosen and n["group"]]
        if len(groups) != len(set(groups)):
            continue
        if ceiling is not None and sum(n["drift"] for n in needs if n["id"] in chosen) > ceiling + 1e-6:
            continue
        spend = {(y, p): 0.0 for y in YEARS for p in ("service", "anlæg")}
        for n in needs:
            if n["id"] in chosen:
                for k, pct in enumerate(n["spread"]):
                    spend[(chosen[n["id"]] + k, "anlæg")] += n["cost"] * n["share"] * pct / 100
                    spend[(chosen[n["id"]] + k, "service")] += n["cost"] * (1 - n["share"]) * pct / 100
        if any(spend[key] > frame[key] + 1e-6 for key in spend):
            continue
        best = max(best, sum(value(n, chosen[n["id"]]) for n in needs if n["id"] in chosen))
    return best


@pytest.mark.parametrize("seed", range(16))
def test_max_npv_matches_an_exhaustive_search(seed, write):
    needs, frame = random_needs(random.Random(seed))
    register, frame_table = write_needs(write, needs, frame)
    result = allocate(register, frame_table, Options(strategy="max-npv", explain=False))
    assert result.status == "optimal" and result.mip_gap == 0.0
    assert result.objective == pytest.approx(best_by_search(needs, frame, npv_by_hand), abs=1e-4)


@pytest.mark.parametrize("seed", range(16))
def test_the_running_cost_ceiling_matches_an_exhaustive_search(seed, write):
    rng = random.Random(100 + seed)
    needs, frame = random_needs(rng)
    register, frame_table = write_needs(write, needs, frame)
    drifts = sorted(n["drift"] for n in needs if n["drift"])
    # a ceiling that binds: room for the largest alone but not for all, or for half of them all
    # (and once in four, none at all)
    ceiling = 0 if seed % 4 == 3 else [max(drifts, default=0), sum(drifts) // 2, max(drifts, default=0)][seed % 4]
    options = Options(time_preference=0.03, max_running_cost=ceiling, explain=False)
    result = allocate(register, frame_table, options)

    def potential(n, start):
        return sum(n["scores"]) * 1.03 ** -(start - YEARS[0])

    assert result.status == "optimal"
    assert result.objective == pytest.approx(best_by_search(needs, frame, potential, ceiling), abs=1e-6)
    running = {n["id"]: n["drift"] for n in needs}
    assert sum(running[i] for i in result.selected) <= ceiling + 1e-6
    for need_id, why in result.explanations.items():
        if running[need_id] > ceiling:  # alone over the ceiling: the reason names it
            assert why.reason == Reason.RUNNING_COST, (need_id, why)


def test_a_need_left_out_by_the_ceiling_is_told_so(write):
    text = (
        "id;omraade;titel;omkostning_min;omkostning_max;potentiale_skalering;drift_aar\n"
        "A;X;A;1000;1000;5;800\nB;X;B;1000;1000;4;800\nC;X;C;1000;1000;1;3000\n"
    )
    register, _ = load_register(write("r.csv", text))
    frame, _ = load_frame(write("f.csv", "aar;styringsomraade;beloeb\n2026;service;10000\n"))
    result = allocate(register, frame, Options(max_running_cost=1000))
    # by hand: C's 3.000 alone is over 1.000; A and B fit one at a time, A scores more
    assert set(result.selected) == {"A"}
    assert result.explanations["C"].reason == Reason.RUNNING_COST
    assert (result.explanations["B"].reason, result.explanations["B"].case) == (
        Reason.OUTCOMPETED,
        Case.RUNNING_CEILING,
    )
    priority = allocate(register, frame, Options(strategy="priority", max_running_cost=1000))
    assert len(priority.selected) == 1  # the ranking keeps the ceiling too


def test_a_register_without_the_economics_columns_decides_as_before(shipped, write):
    from analysis.inputs.dataset import load_dataset

    data = load_dataset(register=shipped["register"])
    text = shipped["register"].read_text(encoding="utf-8").splitlines()
    header = text[0].split(";")
    drop = [header.index(c) for c in economics.ECONOMIC_COLUMNS]
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(text)), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for row in rows:
        writer.writerow([v for k, v in enumerate(row) if k not in drop])
    plain = load_dataset(register=write("uden.csv", out.getvalue()))
    assert not economics.has_economics(plain.register) and economics.has_economics(data.register)
    for strategy in ("max-potential", "max-benefit", "priority"):
        options = Options(strategy=strategy, explain=False)
        a, b = allocate(data.register, data.frame, options), allocate(plain.register, plain.frame, options)
        assert a.selected == b.selected and a.objective == pytest.approx(b.objective), strategy


def test_the_business_case_pages_sensitivity_by_hand(write):
    from analysis.report import business_case_page

    text = (
        "id;omraade;titel;omkostning_min;omkostning_max;gevinst;drift_aar;levetid;potentiale_skalering\n"
        "A;X;A;100;140;50;10;5;3\n"
    )
    register, _ = load_register(write("r.csv", text))
    frame, _ = load_frame(write("f.csv", "aar;styringsomraade;beloeb\n2026;service;1000\n"))
    result = allocate(register, frame, Options())
    table = business_case_page.sensitivity(page_state(register, result)).data.set_index("Følsomhed")
    npv = table.columns[2]
    v = 1 / 1.035
    annuity = sum(v**k for k in range(1, 6))  # years 1–5 after the start
    # expected cost (100 + 140) / 2 = 120, then +40 a year for 5 years
    assert table.loc["Som forventet", npv] == pytest.approx(-120 + 40 * annuity)
    assert table.loc["Omkostning til maksimum", npv] == pytest.approx(-140 + 40 * annuity)
    assert table.loc["Gevinst 25 % lavere", npv] == pytest.approx(-120 + (37.5 - 10) * annuity)
    # a year late: running costs from year 1 as planned, the benefit in years 2–6
    late = -120 - 10 * sum(v**k for k in range(1, 6)) + 50 * sum(v**k for k in range(2, 7))
    assert table.loc["Gevinsten et år forsinket", npv] == pytest.approx(late)
    # accumulated −120, −80, −40, 0: paid back in its 4th year, 2029
    assert table.loc["Som forventet", table.columns[3]] == 2029


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["budget", "OFS"])
def test_the_budget_and_ofs_reports_carry_the_business_case_page(rendered, kind):
    import re

    report = rendered(kind)
    page = (report / "05_businesscase.html").read_text(encoding="utf-8")
    assert 'href="05_businesscase.html"' in (report / "index.html").read_text(encoding="utf-8")
    for heading in ("Business case i korte træk", "Investeringerne", "Følsomhed", "Budgetreduktioner"):
        assert heading in page
    assert "(antaget)" in page and "<script" not in page
    # one nutidsværdi from page to page: the summary's equals the options table's for the same option
    summary = re.search(r"Nutidsværdien over levetiden er (-?[\d.,]+) mio\. kr\.", page).group(1)
    allocation = (report / "02_allokering.html").read_text(encoding="utf-8")
    table = re.search(r"<caption>Forslag til udmøntning side om side: beløb.*?</table>", allocation, re.S).group(0)
    header = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table)]
    row = re.search(r"<tr[^>]*><td[^>]*>A</td>.*?</tr>", table, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    column = next(k for k, h in enumerate(header) if h.startswith("Nutidsværdi"))
    npv_tkr = float(cells[column - (len(header) - len(cells))].replace(".", "").replace("−", "-"))
    from analysis.report import formats as fmt

    assert summary == fmt.mio(npv_tkr, unit=False)


def test_benefits_followed_in_kroner_against_the_business_case(write):
    import pandas as pd

    text = "id;omraade;titel;omkostning_min;omkostning_max;gevinst;gevinst_fuld_aar;hjemtagelse;levetid\nA;X;A;100;100;40;2;0,5;4\n"
    register, _ = load_register(write("r.csv", text))
    gevinster = pd.DataFrame(
        {"id": ["A", "A"], "maaleaar": [2027, 2028], "gevinst_kr": [15.0, 30.0], "hjemtaget": [5.0, 10.0]}
    )
    table = economics.benefits_followed(register, {"A": 2026}, gevinster, 2028).set_index("id")
    # by hand: 100 spent in 2026; benefit 20 in 2027 (half way to full effect), 40 in 2028;
    # half of it promised as reductions (10, 20)
    row = table.loc["A"]
    assert (row["promised"], row["realised"]) == (40, 30)
    assert (row["promised_total"], row["realised_total"]) == (60, 45)
    assert (row["reduction_promised"], row["reduction_taken"]) == (20, 10)
    assert row["cost_total"] == 100 and bool(row["measured"])
    # an investment that starts after the year followed up is not followed up yet
    assert economics.benefits_followed(register, {"A": 2029}, gevinster, 2028).empty


@pytest.mark.e2e
def test_the_ofs_page_follows_the_business_case_in_kroner(rendered):
    import re

    page = (rendered("OFS") / "03_effektopfoelgning.html").read_text(encoding="utf-8")
    table = re.search(r"<caption>Gevinsten i kroner, til og med 2026: det opgjorte.*?</table>", page, re.S).group(0)
    assumed = re.search(r"<caption>Gevinsten i kroner, til og med 2026: business casens.*?</table>", page, re.S).group(
        0
    )

    def cells(where: str, need_id: str) -> list[str]:
        row = re.search(rf"<tr[^>]*><td[^>]*>{need_id}</td>(.*?)</tr>", where, re.S).group(1)
        return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]

    # the shipped gevinster.csv: AUT-01 realised 800 and took home 300 in 2026. The facts stand in
    # one table (realised, taken home, spent, the net of the two), the business case's assumptions
    # in the next
    aut = cells(table, "AUT-01")
    assert aut[1] == "800" and aut[3] == "300"
    # the net so far by hand, on the facts alone: AUT-01 800 realised − 1.400 spent; FAS-01 500 −
    # 5.600 (its merforbrug counts, not the plan's 5.000). The assumed dobbeltdrift (500 and 1.000)
    # stands apart, never subtracted from the accounts
    assert aut[4] == "1.400" and aut[5] == "-600" and cells(assumed, "AUT-01")[4] == "500"
    fas = cells(table, "FAS-01")
    assert fas[5] == "-5.100" and cells(assumed, "FAS-01")[4] == "1.000"
    assert fas[3] == "–"  # its hjemtaget cell is empty, none was expected
    # AI-01 has no measurement in kroner, and its business case expects none in 2026 (its benefit
    # starts in 2028): a dash, not a shortfall
    ai = cells(table, "AI-01")
    assert cells(assumed, "AI-01")[1] == "0" and ai[1] == "–" and "ikke målt" not in "".join(ai)
    # what is udmøntet and carried over is spent later, not earned: AI-01 3.750 − 3.350 = 400
    assert ai[6] == "400"


def test_realised_benefits_are_converted_from_their_own_year_like_the_accounts():
    """By hand: 105 realised in 2027 (current prices) on an index of 100 in 2026 and 105 in 2027
    is 100 in the 2026 p/l of a follow-up that has every amount there; taken home 21 is 20."""
    import pandas as pd

    from analysis.model.kroner import in_view_prices

    gevinster = pd.DataFrame(
        {"id": ["A", "A"], "maaleaar": [2026, 2027], "gevinst_kr": [50.0, 105.0], "hjemtaget": [10.0, 21.0]}
    )
    levels = {("service", 2026): (1.0, 2026), ("service", 2027): (1.05, 2027), ("anlæg", 2027): (1.2, 2027)}
    out = in_view_prices(gevinster, levels)
    assert out["gevinst_kr"].tolist() == pytest.approx([50, 100]) and out["hjemtaget"].tolist() == pytest.approx(
        [10, 20]
    )
    assert in_view_prices(gevinster, {}) is gevinster  # one p/l throughout: as stated


def write_ranged_needs(write, needs, frame):
    """``write_needs`` with a cost range (``low``–``high`` around ``cost``) and a benefit
    range (``benefit_low``–``benefit_high`` around ``benefit``)."""
    header = (
        "id;omraade;titel;omkostning_min;omkostning_forventet;omkostning_max;andel_anlaeg;fordeling;tidligste_start;"
        "seneste_start;potentiale_tilgaengelighed;potentiale_aflastning;potentiale_forenkling;potentiale_skalering;"
        "gevinst;gevinst_min;gevinst_max;drift_aar;gevinst_fuld_aar;levetid;variantgruppe"
    )
    rows = [header]
    for n in needs:
        spread = '"' + ";".join(f"{x:g}" for x in n["spread"]) + '"'
        rows.append(
            f"{n['id']};X;{n['id']};{n['low']};{n['cost']};{n['high']};{n['share']};{spread};{n['earliest']};"
            f"{n['latest']};"
            + ";".join(str(s) for s in n["scores"])
            + f";{n['benefit']};{n['benefit_low']};{n['benefit_high']};{n['drift']};{n['full']};{n['life']};"
            f"{n['group']}"
        )
    register, findings = load_register(write("reg.csv", "\n".join(rows) + "\n"))
    assert not [f for f in findings if f.is_error], findings
    lines = ["aar;styringsomraade;beloeb"] + [f"{y};{p};{v}" for (y, p), v in frame.items()]
    frame_table, findings = load_frame(write("ramme.csv", "\n".join(lines) + "\n"))
    assert not [f for f in findings if f.is_error]
    return register, frame_table


@pytest.mark.parametrize("seed", range(6))
def test_robustness_under_max_npv_draws_costs_and_benefits_like_an_exhaustive_search(seed, write):
    # Every draw's best option is found again by exhaustive search with the draw's cost and
    # benefit and the NPV worked out by hand: the core index under max-npv reflects both sides.
    from analysis.inputs.parameters import Sampling
    from analysis.model import robustness

    rng = random.Random(300 + seed)
    needs, frame = random_needs(rng)
    for n in needs:
        n["low"], n["high"] = n["cost"] // 2, n["cost"] * 2
        n["benefit"] = max(n["benefit"], 1000)
        n["benefit_low"], n["benefit_high"] = 0, n["benefit"] * 3
    register, frame_table = write_ranged_needs(write, needs, frame)
    settings = Sampling(adaptive=False, samples=5, seed=seed, workers=1)
    options = Options(strategy="max-npv", explain=False)
    outcome, costs = robustness.cost_uncertainty(register, frame_table, settings, options)
    benefits = robustness.benefit_samples(register, outcome.ids, settings.samples, settings.seed)
    assert robustness.benefits_drawn(register, outcome.ids, options)
    by_id = {n["id"]: n for n in needs}
    for k in range(settings.samples):
        drawn = [by_id[i] | {"cost": costs[k][j], "benefit": benefits[k][j]} for j, i in enumerate(outcome.ids)]
        assert all(n["low"] <= n["cost"] <= n["high"] for n in drawn)
        assert all(n["benefit_low"] <= n["benefit"] <= n["benefit_high"] for n in drawn)
        assert outcome.statuses[k] == "optimal"
        assert outcome.objective[k] == pytest.approx(best_by_search(drawn, frame, npv_by_hand), abs=1e-3)


def test_benefit_draws_follow_pert_on_the_range_and_stay_fixed_without_one(write):
    needs = [
        {"id": "A", "cost": 1000, "low": 1000, "high": 1000, "share": 0, "spread": (100.0,), "earliest": 2026,
         "latest": 2026, "drift": 0, "benefit": 400, "benefit_low": 100, "benefit_high": 1300, "full": 1,
         "life": 3, "scores": [1, 1, 1, 1], "group": ""},
        {"id": "B", "cost": 1000, "low": 1000, "high": 1000, "share": 0, "spread": (100.0,), "earliest": 2026,
         "latest": 2026, "drift": 0, "benefit": 700, "benefit_low": "", "benefit_high": "", "full": 1,
         "life": 3, "scores": [1, 1, 1, 1], "group": ""},
    ]  # fmt: skip
    register, _ = write_ranged_needs(write, needs, {(y, p): 5000 for y in YEARS for p in ("service", "anlæg")})
    from analysis.model import robustness

    draws = robustness.benefit_samples(register, ["A", "B"], 20000, seed=4)
    assert draws[:, 0].min() >= 100 and draws[:, 0].max() <= 1300
    # centred on the expected benefit, 400 (#43; PERT with 400 as its mode would centre on
    # (100 + 1.600 + 1.300) / 6 = 500)
    assert draws[:, 0].mean() == pytest.approx(400, rel=0.02)
    assert set(draws[:, 1]) == {700.0}
    assert robustness.benefit_samples(register, ["A", "B"], 5, seed=4).tolist() == draws[:5].tolist()
    # only B has no range: nothing to draw, and the page says so
    assert not robustness.has_benefit_ranges(register, ["B"])


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ("5000;3000;", "gevinst_max", "både gevinst_min og gevinst_max"),
        ("5000;6000;8000", "gevinst", "uden for gevinst_min–gevinst_max"),
        ("5000;7000;4000", "gevinst_max", "mindre end min"),
        (";3000;8000", "gevinst", "kræver den forventede gevinst"),
    ],
)
def test_a_benefit_range_that_does_not_hold_is_an_error_at_its_cell(cells, column, message, write):
    path = write(
        "reg.csv",
        f"id;omraade;titel;omkostning_min;omkostning_max;gevinst;gevinst_min;gevinst_max\nA;X;A;100;200;{cells}\n",
    )
    _, findings = load_register(path)
    errors = [f for f in findings if f.is_error]
    assert len(errors) == 1 and errors[0].column == column and message in errors[0].message
    assert errors[0].row == 2


def test_the_business_case_rows_add_up_to_the_portfolio_and_say_where_each_stands(write):
    from analysis.report import business_case_page

    # A: 1.000 in 2026, benefit 400 a year for 4 years from 2027; B: 600 in 2027, benefit 300
    # for 3 years from 2028. Discounted to 2026 at 3,5 % by hand:
    text = (
        "id;omraade;titel;omkostning_min;omkostning_max;tidligste_start;seneste_start;potentiale_tilgaengelighed;"
        "gevinst;levetid;dobbeltdrift;dobbeltdrift_aar\n"
        "A;X;A;1000;1000;2026;2026;5;400;4;50;1\n"
        "B;X;B;600;600;2027;2027;5;300;3;;\n"
    )
    register, _ = load_register(write("r.csv", text))
    frame, _ = load_frame(write("f.csv", "aar;styringsomraade;beloeb\n" + "".join(
        f"{y};{p};2000\n" for y in YEARS for p in ("service", "anlæg"))))  # fmt: skip
    result = allocate(register, frame, Options(explain=False))
    assert result.selected == {"A": 2026, "B": 2027}
    d = 1.035
    npv_a = -1000 - 50 + sum(400 / d**k for k in range(1, 5))
    npv_b = -600 / d + sum(300 / d**k for k in range(2, 5))
    table = business_case_page.investments(page_state(register, result)).data.set_index("Id")
    npv = [c for c in table.columns if c.startswith("Nutidsværdi, diskonteret til 2026")][0]
    assert table.loc["A", npv] == pytest.approx(npv_a) and table.loc["B", npv] == pytest.approx(npv_b)
    assert table.loc["I alt", npv] == pytest.approx(npv_a + npv_b)
    dobbelt = [c for c in table.columns if c.startswith("Dobbeltdrift")][0]
    assert table.loc["A", dobbelt] == 50 and table.loc["I alt", dobbelt] == 50
    # the first year with benefit and the year it is full; paid back: A −1.050, −650, −250, +150 in 2029
    profile = [c for c in table.columns if c.startswith("Gevinst fra")][0]
    back = [c for c in table.columns if c.startswith("Tjent hjem i")][0]
    assert table.loc["A", profile] == "2027 – 2027" and table.loc["A", back] == 2029
    # B: −600 in 2027, then 300 a year: −300, 0 in 2029
    assert table.loc["B", back] == 2029
    # at the frame's first event nothing has started: A starts now, B later
    assert list(table.loc[["A", "B"], "Status"]) == ["udmøntes nu", "vejledende"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BUF 40;SUF 60", (("BUF", 0.4), ("SUF", 0.6))),
        ("BUF:40 %; SUF:60", (("BUF", 0.4), ("SUF", 0.6))),
        ("ØKF;BUF", (("ØKF", 0.5), ("BUF", 0.5))),
        ("ØKF", (("ØKF", 1.0),)),
        ("BUF 12,5;SUF 87,5", (("BUF", 0.125), ("SUF", 0.875))),
    ],
)
def test_a_reduction_split_over_forvaltninger_is_read(text, expected):
    from analysis.inputs.columns import parse_shares

    assert parse_shares(text) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("BUF 40;SUF 50", "summer til 90"),
        ("BUF 40;SUF", "til hver forvaltning eller til ingen"),
        ("BUF;;SUF", "tomt led"),
        ("BUF 50;buf 50", "samme forvaltning to gange"),
    ],
)
def test_a_reduction_split_that_does_not_hold_is_an_error_at_its_cell(cell, message, write):
    path = write(
        "reg.csv",
        f'id;omraade;titel;omkostning_min;omkostning_max;gevinst;hjemtagelse;hjemtagelse_forvaltning\nA;X;A;100;100;50;0,5;"{cell}"\n',
    )
    _, findings = load_register(path)
    errors = [f for f in findings if f.is_error]
    assert len(errors) == 1 and errors[0].column == "hjemtagelse_forvaltning" and message in errors[0].message
    assert errors[0].row == 2


def test_the_budget_reductions_go_to_the_forvaltninger_that_take_them_home(write):
    # A: benefit 100 a year from 2027 for 2 years, half taken home, 40 % by BUF and 60 % by SUF;
    # B (forvaltning ØKF, no split): benefit 10 in 2027, all taken home by ØKF
    text = (
        "id;omraade;titel;forvaltning;omkostning_min;omkostning_max;gevinst;hjemtagelse;hjemtagelse_forvaltning;"
        "levetid\n"
        "A;X;A;tværgående;100;100;100;0,5;BUF 40;SUF 60;2\n"
        "B;X;B;ØKF;10;10;10;1;;1\n"
    )
    # the split is one cell: quote it
    text = text.replace("BUF 40;SUF 60", '"BUF 40;SUF 60"')
    register, findings = load_register(write("r.csv", text))
    assert not [f for f in findings if f.is_error], findings
    _rows, _npv, _running, promised = economics.portfolio(register, {"A": 2026, "B": 2026}, "omkostning_forventet")
    # by hand: A 50 a year in 2027 and 2028 → BUF 20, SUF 30; B 10 in 2027
    assert promised == pytest.approx({("BUF", 2027): 20, ("SUF", 2027): 30, ("BUF", 2028): 20, ("SUF", 2028): 30,
                                      ("ØKF", 2027): 10})  # fmt: skip
    assert economics.reductions_in_year(register, {"A": 2026, "B": 2026}, 2027, "omkostning_forventet") == (
        pytest.approx({"BUF": 20, "SUF": 30, "ØKF": 10})
    )
    # not started by the year: nothing expected of it yet
    assert economics.reductions_in_year(register, {"A": 2028}, 2027, "omkostning_forventet") == {}


def test_the_npv_range_spans_the_three_point_costs_and_benefits(write):
    text = (
        "id;omraade;titel;omkostning_min;omkostning_max;gevinst;gevinst_min;gevinst_max;levetid\n"
        "A;X;A;100;200;50;40;70;3\n"
        "B;X;B;100;100;50;;;3\n"
    )
    register, _ = load_register(write("r.csv", text))
    rows = {r.id: r for r in register.itertuples(index=False)}
    annuity = 1 / 1.035 + 1 / 1.035**2 + 1 / 1.035**3  # a benefit in each of the 3 years after 2026
    assert economics.npv_range(rows["A"], 2026) == pytest.approx((-200 + 40 * annuity, -100 + 70 * annuity))
    # no ranges at all: one value
    low, high = economics.npv_range(rows["B"], 2026)
    assert low == pytest.approx(high) == pytest.approx(-100 + 50 * annuity)


def test_the_robustness_page_says_when_benefits_were_drawn(write):
    from analysis.inputs.parameters import Sampling
    from analysis.model import robustness
    from analysis.report import robustness_annex, robustness_page

    needs, frame = random_needs(random.Random(7))
    for n in needs:
        n["low"], n["high"] = n["cost"], n["cost"] * 2
        n["benefit_low"], n["benefit_high"] = n["benefit"], n["benefit"] * 2 + 1000
    register, frame_table = write_ranged_needs(write, needs, frame)
    settings = Sampling(adaptive=False, samples=4, seed=1, workers=1, scales=(1.0,))
    drawn = robustness.run(register, frame_table, settings, Options(strategy="max-npv"))
    assert drawn.benefits
    assert "gevinsten inden for dens spænd" in robustness_page.core_table(register, drawn).note
    assert "gevinst_min" in " ".join(robustness_annex.method_note(drawn).lines)
    # under max-potential the benefit plays no part: nothing drawn, nothing said
    plain = robustness.run(register, frame_table, settings, Options())
    assert not plain.benefits and "gevinsten" not in robustness_page.core_table(register, plain).note


def test_the_payback_year_counts_from_the_first_start_not_the_frames_first_year(write):
    from analysis.report import business_case_page

    # A only may start in 2027: 100 then, 60 a year from 2028 → −100, −40, +20: paid back in 2029
    text = (
        "id;omraade;titel;omkostning_min;omkostning_max;tidligste_start;seneste_start;potentiale_tilgaengelighed;"
        "gevinst;levetid\nA;X;A;100;100;2027;2027;5;60;3\n"
    )
    register, _ = load_register(write("r.csv", text))
    frame, _ = load_frame(write("f.csv", "aar;styringsomraade;beloeb\n" + "".join(
        f"{y};{p};1000\n" for y in YEARS for p in ("service", "anlæg"))))  # fmt: skip
    result = allocate(register, frame, Options(explain=False))
    assert result.selected == {"A": 2027}
    assert "tjener sig hjem i 2029" in " ".join(business_case_page.summary(page_state(register, result)).lines)
    table = business_case_page.sensitivity(page_state(register, result)).data.set_index("Følsomhed")
    assert table.loc["Som forventet", table.columns[3]] == 2029
    assert business_case.of_option(register, result, "udmoentning").payback_year == 2029


def test_the_business_case_takes_a_started_investment_on_its_accounts_and_a_stopped_one_at_what_it_built(write):
    """By hand: A costs 100 (50 + 50 in 2026–2027, 2026 p/l), then a benefit of 60 a year in
    2028 and 2029 (full at once, a life of two years). It spent 70 in 2026 (regnskab), so OFS
    26/27 takes it at 70 in 2026 and the rest of its grants, 30, in 2027. At 3,5 %:
    −70 − 30/1,035 + 60/1,035² + 60/1,035³ = 11,142 (the plan, 50 and 50: 11,818; the accounts
    move it −0,676); it has paid back in 2029 either way (−70, −100, −40, +20). Stopped, it is
    taken at the 70 it spent, 70 % of its grants, with 70 % of the benefit: −70 + 42/1,035² +
    42/1,035³ = 7,089."""
    import pandas as pd

    from analysis.model import actuals, business_case, economics
    from analysis.model.cycle import Event
    from analysis.model.ledger import Ledger

    text = 'id;omraade;titel;omkostning_min;omkostning_max;fordeling;gevinst;gevinst_fuld_aar;levetid\nA;X;A;100;100;"50;50";60;1;2\n'
    register, _ = load_register(write("r.csv", text))
    row = next(register.itertuples(index=False))
    grants = pd.DataFrame(
        {"id": ["A", "A"], "aar": [2026, 2027], "styringsomraade": ["service"] * 2, "beloeb": [50.0, 50.0]}
    )
    book = Ledger.from_table(grants, [2026, 2027, 2028, 2029])
    forbrug = pd.DataFrame(
        {"id": ["A"], "aar": [2026], "styringsomraade": ["service"], "forbrug": [70.0], "type": ["regnskab"]}
    )
    ofs = Event("OFS", 2026)
    found = actuals.on_accounts(book, forbrug, ofs, {"service": 1.0, "anlæg": 1.0}, set())["A"]
    assert found.invested.to_dict() == pytest.approx({2026: 70, 2027: 30}) and not found.stopped
    table = business_case.entry_flows(row, 100.0, 2026, found)
    assert economics.npv(table, DISCOUNT_RATE, 2026) == pytest.approx(11.1416, abs=1e-3)
    planned = business_case.entry_flows(row, 100.0, 2026)
    assert economics.npv(planned, DISCOUNT_RATE, 2026) == pytest.approx(11.8179, abs=1e-3)
    assert economics.payback(table) == economics.payback(planned) == 4  # 2029
    stopped = actuals.on_accounts(book, forbrug, ofs, {"service": 1.0, "anlæg": 1.0}, {"A"})["A"]
    assert stopped.stopped and stopped.built == pytest.approx(0.7) and stopped.invested.to_dict() == {2026: 70}
    table = business_case.entry_flows(row, 100.0, 2026, stopped)
    assert table["gevinst"].to_dict() == pytest.approx({2026: 0, 2027: 0, 2028: 42, 2029: 42})
    assert economics.npv(table, DISCOUNT_RATE, 2026) == pytest.approx(7.0889, abs=1e-3)
    # a budget on the forecast knows no accounts for 2026 yet: the grants are the plan
    budget = actuals.on_accounts(book, forbrug.iloc[0:0], Event("budget", 2027), {"service": 1.0}, set())["A"]
    assert budget.invested.to_dict() == pytest.approx({2026: 50, 2027: 50})
