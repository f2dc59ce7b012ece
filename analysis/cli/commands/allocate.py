"""``digiramme allocate``: one allocation option (a forslag til udmøntning), its reasons for
every need left out, and the grants it proposes."""

from __future__ import annotations

import dataclasses
import sys
import time

from analysis.cli import options
from analysis.inputs.parameters import Options

OVERRUN_SECONDS = 5.0  # beyond the time limit, a run is reported as failed, not as a result


def fmt_seconds(seconds: float) -> str:
    from analysis.inputs.cells import format_number

    return format_number(seconds, 2 if seconds < 1 else 1)


def _named_in_scenario(exc, scenario, given: dict) -> Exception:
    """The decisions the data cannot take that a scenario file gave (an id it names that is
    not in the register, a release of an investment that has not started), and the command
    line did not override: errors naming the file and its key, not the flag that was never
    typed. Any other problem is passed on as it is (its lines first)."""
    import sys

    from analysis.inputs.findings import ERROR, Finding, InputError
    from analysis.report.vocabulary import decision_detail, decision_text

    settings = scenario.settings if scenario is not None else {}
    ours = [p for p in exc.problems if p.parameter in settings and p.parameter not in given and decision_detail(p)]
    if not ours:
        return exc
    for problem in exc.problems:
        if problem not in ours:
            print(decision_text(problem, options.flag), file=sys.stderr)
    name = scenario.path.name if scenario.path is not None else scenario.name
    return InputError([Finding(ERROR, name, decision_detail(p), column=p.parameter, place="nøgle") for p in ours])


def add_arguments(parser) -> None:
    options.input_files(parser)
    options.add(parser, Options, tuple(Options.specs()))
    parser.add_argument(
        "--scenario",
        type=options.path,
        metavar="FIL",
        help="et gemt scenarie (JSON fra arbejdsbænken); tilvalg givet her gælder oven i scenariet",
    )
    parser.add_argument(
        "--output",
        type=options.path,
        metavar="FIL",
        help="skriv bevillingsloggen efter udmøntningen (.csv eller .xlsx): de tidligere beslutninger og "
        "udmøntningen af de behov, der starter i planåret",
    )
    parser.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")


def run(args) -> int:
    from analysis.cli.output import emit, warn
    from analysis.inputs.dataset import load_dataset
    from analysis.model.decisions import DecisionError
    from analysis.model.state import EventState
    from analysis.report import excel, terminal
    from analysis.report.records import allocation_dict

    began = time.perf_counter()  # --time-limit bounds the whole command, reading included
    data = load_dataset(**options.inputs(args))
    warn(args, data.warnings)
    frame_scale, base, overrides, scenario = None, None, None, None
    if args.scenario:
        from analysis.inputs.scenario import load_scenarios

        scenario = load_scenarios([args.scenario], data.register, data.years)[0]
        base, frame_scale, overrides = scenario.options(), scenario.frame_scale, scenario.overrides
    chosen = options.build(Options, args, base)  # an option given here beats the scenario's
    limit = chosen.time_limit
    left = limit - (time.perf_counter() - began)
    if left <= 0:
        print(
            f"digiramme allocate: tidsgrænsen på {fmt_seconds(limit)} s gik med at læse inddata; "
            "giv en større --time-limit",
            file=sys.stderr,
        )
        return 1
    chosen = dataclasses.replace(chosen, time_limit=left)
    try:
        # the event that udmønter the plan year, in its p/l: the amounts ØU decides, as the report shows them
        state = EventState.for_plan(data, chosen, own_prices=True)
        result = state.option(chosen, frame_scale, overrides)
    except DecisionError as exc:
        raise _named_in_scenario(exc, scenario, options.given(args, Options)) from None
    overrun = time.perf_counter() - began - limit
    if overrun > OVERRUN_SECONDS:
        print(
            f"digiramme allocate: løseren holdt ikke tidsgrænsen på {fmt_seconds(limit)} s "
            f"(brugte {fmt_seconds(limit + overrun)} s); resultatet bruges ikke",
            file=sys.stderr,
        )
        return 1
    if args.output and result.has_option:
        from analysis.inputs.register import need_titles
        from analysis.model.ledger import to_table

        ledger = to_table(state.ledger_after_option(result), need_titles(data.register), state.price_year)
        sheets = excel.allocation_sheets(result, data.register, ledger)
        excel.write_tables(args.output, sheets, protect=list(data.sources.values()))
        print(f"Bevillingerne (hele bevillingsloggen) er skrevet til {args.output}", file=sys.stderr)
    emit(
        args,
        result,
        lambda r: terminal.allocation_text(r, state.data),
        as_json=lambda r: allocation_dict(r, state.price_year),
    )
    return 0 if result.has_option else 1
