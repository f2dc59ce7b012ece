"""``digiramme followup``: the follow-up of a year for the transfer case (OFS)."""

from __future__ import annotations

from analysis.cli import options
from analysis.inputs.parameters import Rules


def add_arguments(parser) -> None:
    parser.add_argument(
        "--year", type=options.year, required=True, metavar="ÅR", help="regnskabsåret der følges op på, fx 2026"
    )
    options.input_files(parser)
    options.add(parser, Rules, tuple(Rules.specs()))
    parser.add_argument(
        "--output",
        type=options.path,
        metavar="FIL",
        help="skriv bevillingsloggen med overførselssagens beslutninger (.csv eller .xlsx): hver investerings "
        "bundne midler overført til næste år, og hvad der sker med de frie midler; de nye rækker i årets p/l "
        "(kolonnen pl_aar), som OFS-rapporten viser dem, de gamle som besluttet",
    )
    parser.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")


def run(args) -> int:
    from analysis.cli.output import emit, warn
    from analysis.inputs.dataset import load_dataset
    from analysis.inputs.settings import Settings
    from analysis.model.cycle import OFS, Event
    from analysis.model.state import EventState
    from analysis.report import terminal
    from analysis.report.records import followup_dict

    rules = options.build(Rules, args)
    data = load_dataset(**options.inputs(args))
    warn(args, data.warnings)
    # OFS year/year+1 in its own p/l, the year's, as its report: the transfers it proposes, and
    # the rows it writes (with that `pl_aar`), are the amounts the report asks ØU to decide
    state = EventState.build(data, Event(OFS, args.year), Settings(rules=rules))
    result = state.followup_checked()
    if args.output:
        import sys

        from analysis.inputs.register import need_titles
        from analysis.model.ledger import to_table
        from analysis.report import excel

        ledger = to_table(state.ledger_after_ofs(), need_titles(data.register), state.price_year)
        excel.write_tables(args.output, {"bevillinger": ledger}, protect=list(data.sources.values()))
        print(f"Bevillingsloggen med overførselssagens beslutninger er skrevet til {args.output}", file=sys.stderr)
    return emit(args, {**followup_dict(result), "pl_aar": state.price_year}, terminal.followup_text)
