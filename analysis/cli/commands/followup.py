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
    parser.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")


def run(args) -> int:
    from analysis.cli.output import emit
    from analysis.inputs.dataset import load_dataset
    from analysis.model import runs
    from analysis.report import terminal
    from analysis.report.records import followup_dict

    rules = options.build(Rules, args)
    data = load_dataset(**options.inputs(args))
    result = runs.followup_run(data, args.year, rules)
    return emit(args, followup_dict(result), terminal.followup_text)
