"""A generated four-year cycle on the shipped register and frame, for tests that read every
event's report: OFS 25/26, Budget 2027, OFS 26/27, Budget 2028, OFS 27/28, Budget 2029, OFS
28/29 and the closing OFS 29/30, each on the information it could have.

The ledger is carried from one event to the next by the package's own commands
(``allocate --output`` at each udmøntning, ``followup --output`` at each OFS). The spending
is written as KK's forvaltninger would report it, in current prices: a forecast for year t
before Budget t+1, the accounts for t before OFS t/t+1. Every investment spends 90 % of what
it has in a year (an underforbrug), except ``OVERSPENDER``, which spends 110 % every year (a
merforbrug); at Budget 2029 a started investment is stopped (``--release``). Each started
investment has one benefit indicator, measured every year and behind its linear path.

Importable as ``cycle`` because pyproject.toml puts ``tests/`` on pytest's path.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from analysis.cli import main
from analysis.inputs import paths
from analysis.inputs.dataset import load_dataset
from analysis.inputs.price_index import factor
from analysis.inputs.settings import Settings
from analysis.model import transfers
from analysis.model.cycle import BUDGET, OFS, Event
from analysis.model.state import EventState

OVERSPENDER = "FAS-01"  # spends 110 % of what it has, every year
UNDERSPEND, OVERSPEND = 0.9, 1.1
STOPPED_PREFERENCE = ("DA-5G-D", "DA-5G-B", "DA-5G-F")  # stopped at Budget 2029 when it has started
SPENDING_HEADER = ["id", "aar", "styringsomraade", "forbrug", "type", "kilde"]
BENEFIT_HEADER = ["id", "indikator", "enhed", "retning", "baseline", "baseline_aar", "maal", "maal_aar", "maaleaar",
                  "realiseret", "ansvarlig", "potentiale", "gevinst_kr", "kilde"]  # fmt: skip
SOURCE = "genereret testcyklus"


@dataclass
class Step:
    """One event of the cycle: its inputs as they stood when it was decided (the ledger and
    the spending it could know), and the command-line options it was decided with."""

    event: Event
    inputs: dict[str, Path]
    options: list[str] = field(default_factory=list)  # e.g. ["--release", "DA-5G-D"]
    ledger_after: Path | None = None


@dataclass
class Cycle:
    folder: Path
    steps: list[Step]
    stopped: str | None = None

    def step(self, event: Event) -> Step:
        return next(s for s in self.steps if s.event == event)


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _number(value: float) -> str:
    """An amount the Danish way with three decimals (1.000 kr.): ``1234,5`` is ``1234,500``."""
    return f"{value:.3f}".replace(".", ",")


def _inputs(folder: Path, ledger: Path | None, spending: Path | None, benefits: Path | None) -> dict[str, Path]:
    """The event's input files: the cycle's copy of the shipped register (a copy, so that
    no shipped follow-up example is taken with it), the shipped frame, index and note, and
    the ledger, spending and benefits given so far (a file with no rows yet is left out)."""
    given = {
        "register": folder / "behovsregister.csv",
        "frame": paths.DEFAULT_FRAME,
        "pl_index": paths.DEFAULT_PL_INDEX,
        "claims": paths.DEFAULT_CLAIMS,
        "bevillinger": ledger,
        "forbrug": spending,
        "gevinster": benefits,
    }
    return {key: path for key, path in given.items() if path is not None and _has_rows(path)}


def _has_rows(path: Path) -> bool:
    return len(Path(path).read_text(encoding="utf-8").strip().splitlines()) > 1


def _available(inputs: dict[str, Path], year: int) -> list[tuple[str, str, float]]:
    """(id, pool, what it had in ``year``) per investment, as OFS ``year``/``year``+1 sees it
    before the year's accounts: its net grant and what an OFS moved to it (frame p/l)."""
    data = load_dataset(**{k: v for k, v in inputs.items() if k != "gevinster"})
    state = EventState.build(data, Event(OFS, year), Settings(), prices=data.price_year)
    spending = data.followup.forbrug if data.followup is not None else None
    known = transfers.known_spending(spending, state.event)
    rows = transfers.position(data.frame, state.known, known, year).investments
    mine = rows[rows["year"] == year]
    return [(r.id, r.pool, float(r.available)) for r in mine.itertuples(index=False) if r.available > 0.5]


def _spending_rows(inputs, year: int, kind: str, index) -> list[list]:
    rows = []
    for need_id, pool, had in _available(inputs, year):
        share = OVERSPEND if need_id == OVERSPENDER else UNDERSPEND
        nominal = had * share * factor(index, pool, 2026, year)
        rows.append([need_id, year, pool, _number(nominal), kind, SOURCE])
    return rows


def _benefit_rows(inputs, through: int) -> list[list]:
    """One indicator per investment started by ``through``: hours moved, 10.000 by 2029 from
    0 in 2025, measured every year from its start at 80 % of the linear path."""
    data = load_dataset(**{k: v for k, v in inputs.items() if k not in ("forbrug", "gevinster")})
    state = EventState.build(data, Event(OFS, through), Settings(), prices=data.price_year)
    rows = []
    for need_id, start in sorted(state.known.starts().items()):
        for year in range(start, through + 1):
            realised = 10000 * (year - 2025) / 4 * 0.8
            rows.append([need_id, "Timer flyttet til borgervendt arbejde", "timer", "hoejere", 0, 2025, 10000, 2029,
                         year, round(realised), "testforvaltning", "aflastning", round(realised / 20), SOURCE])  # fmt: skip
    return rows


def generate(folder: Path) -> Cycle:
    """Run the cycle in ``folder`` and return its steps (see the module docstring)."""
    from analysis.inputs.price_index import load_index

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # the shipped register, one blank line added: the same needs, but not the shipped file
    register = paths.DEFAULT_REGISTER.read_text(encoding="utf-8")
    (folder / "behovsregister.csv").write_text(register.rstrip("\n") + "\n\n", encoding="utf-8")
    index, _ = load_index(paths.DEFAULT_PL_INDEX)
    ledger = _write(folder / "bevillinger_0.csv", ["id", "aar", "styringsomraade", "beloeb"], [])
    spending_rows: list[list] = []
    benefit_rows: list[list] = []
    steps: list[Step] = []
    stopped = None
    k = 0

    def files() -> tuple[Path, Path]:
        spending = _write(folder / f"forbrug_{k}.csv", SPENDING_HEADER, spending_rows)
        benefits = _write(folder / f"gevinster_{k}.csv", BENEFIT_HEADER, benefit_rows)
        return spending, benefits

    def run(command: list[str], inputs: dict[str, Path]) -> Path:
        out = folder / f"bevillinger_{k + 1}.csv"
        args = [*command, *(a for key, p in inputs.items() for a in (f"--{key.replace('_', '-')}", str(p)))]
        code = main([*args, "--output", str(out)])
        assert code == 0, (command, code)
        return out

    def decide(event: Event, command: list[str], options: list[str] = ()) -> None:
        nonlocal ledger, k
        inputs = _inputs(folder, ledger, *files())
        step = Step(event, inputs, list(options))
        ledger = step.ledger_after = run([*command, *options], inputs)
        steps.append(step)
        k += 1

    def accounts(year: int) -> None:
        nonlocal benefit_rows, spending_rows
        benefit_rows = _benefit_rows(_inputs(folder, ledger, *files()), year)
        spending_rows = spending_rows + _spending_rows(_inputs(folder, ledger, *files()), year, "regnskab", index)

    decide(Event(OFS, 2025), ["allocate", "--plan-year", "2026"])  # the first udmøntning
    for year in (2027, 2028, 2029):
        # Budget <year> in August of the year before, on that year's forecast
        spending_rows = spending_rows + _spending_rows(_inputs(folder, ledger, *files()), year - 1, "forventet", index)
        options = []
        if year == 2029:
            data = load_dataset(**_inputs(folder, ledger, *files()))
            started = EventState.build(data, Event(BUDGET, year)).known.starts()
            stopped = next((i for i in STOPPED_PREFERENCE if i in started and started[i] < year), None)
            options = ["--release", stopped] if stopped else []
        decide(Event(BUDGET, year), ["allocate", "--plan-year", str(year)], options)
        # OFS <year-1>/<year> in the spring, on the accounts of the year before
        accounts(year - 1)
        decide(Event(OFS, year - 1), ["followup", "--year", str(year - 1)])
    accounts(2029)
    decide(Event(OFS, 2029), ["followup", "--year", "2029"])  # the closing
    return Cycle(folder, steps, stopped)
