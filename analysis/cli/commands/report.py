"""``digiramme report``: render the report of one event of the cycle."""

from __future__ import annotations

from analysis.cli import options
from analysis.inputs.parameters import Options, Rules, Sampling
from analysis.model.cycle import EVENTS


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=options.year, required=True, metavar="ÅR", help="budgetåret, fx 2026")
    parser.add_argument(
        "--event", choices=list(EVENTS), required=True, help="budget eller OFS (overførselssagen, der følger året op)"
    )
    parser.add_argument(
        "--out", type=options.path, metavar="MAPPE", help="mappe til rapporten; standard: reports/<år>-<begivenhed>"
    )
    parser.add_argument("--pdf", action="store_true", help="skriv også rapport.pdf (A4) med headless Chromium")
    parser.add_argument(
        "--scenario",
        type=options.path,
        action="append",
        default=[],
        metavar="FIL",
        help="et gemt scenarie, vist ved siden af standardforslagene (kan gentages)",
    )
    parser.add_argument(
        "--previous-register",
        type=options.path,
        metavar="STI",
        help="sidste års behovsregister: rapporten viser nye, fjernede og omkostningsændrede behov",
    )
    options.input_files(parser)
    options.add(
        parser,
        Options,
        ("force_in", "force_out", "release", "max_running_cost", "discount_rate"),
        helps={"release": "påbegyndte investeringer der stoppes fra rapportens planår, adskilt af komma"},
    )
    options.add(parser, Sampling, ("gap",), helps={"gap": "robusthedssidens udfald: " + options.HELP[Sampling]["gap"]})
    options.add(parser, Rules, ("fund_from_free", "beyond_frame"))


def run(args) -> int:
    from analysis.report.render import render_report

    extra: dict = {"scenarios": [str(p) for p in args.scenario]} if args.scenario else {}
    # the same decisions for the allocation page and the robustness page that judges it
    decisions = options.build(Options, args)
    for key in ("force_in", "force_out", "release"):
        if getattr(decisions, key):
            extra[key] = list(getattr(decisions, key))
    given = options.given(args, Options)
    for key in ("max_running_cost", "discount_rate"):  # as notebooks 02 and 04 take them
        if key in given:
            extra[key] = float(given[key])
    gap = options.build(Sampling, args).gap
    if gap:
        extra["gap"] = gap
    rules = options.build(Rules, args)
    for key in ("fund_from_free", "beyond_frame"):  # the OFS's decisions, as notebook 03 takes them
        if getattr(rules, key):
            extra[key] = True
    render_report(
        args.year, args.event, inputs=options.inputs(args), out=args.out, pdf=args.pdf, parameters=extra or None
    )
    return 0
