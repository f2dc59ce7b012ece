"""``digiramme report``: render the report of one event of the cycle."""

from __future__ import annotations

from analysis.cli import options
from analysis.inputs.parameters import REPORT_FIELDS, Options, Rules, Sampling
from analysis.model.cycle import EVENTS


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=options.year, metavar="ÅR", help="budgetåret, fx 2026 (eller --due)")
    parser.add_argument(
        "--event", choices=list(EVENTS), help="budget eller OFS (overførselssagen, der følger året op) (eller --due)"
    )
    parser.add_argument(
        "--due",
        action="store_true",
        help="dan den rapport, der er forfalden på datoen: i årets første halvdel overførselssagen for året før "
        "(2027-03-15: Overførselssagen 26/27), i anden halvdel budgettet for næste år (2027-08-20: Budget 2028); "
        "en planlagt kørsel behøver da ingen årlig rettelse",
    )
    parser.add_argument(
        "--date", type=options.iso_date, metavar="ÅÅÅÅ-MM-DD", help="datoen for --due (standard: i dag)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="sig, hvilken rapport der ville blive dannet og hvor, og dan intet"
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
        REPORT_FIELDS[Options],
        helps={"release": "påbegyndte investeringer der stoppes fra rapportens planår, adskilt af komma"},
    )
    options.add(
        parser,
        Sampling,
        REPORT_FIELDS[Sampling],
        helps={"gap": "robusthedssidens udfald: " + options.HELP[Sampling]["gap"]},
    )
    options.add(parser, Rules, REPORT_FIELDS[Rules])


def _event(args):
    """The year and event to render: as given, or the one due on ``--date``; None when the
    date is outside the frame's life (nothing is due)."""
    from analysis.inputs.findings import BadArgument

    if args.due:
        if args.year is not None or args.event is not None:
            raise BadArgument("--due vælger selv år og begivenhed; angiv ikke også --year eller --event")
        import datetime

        from analysis.inputs.financing_frame import frame_years, load_frame
        from analysis.inputs.paths import DEFAULT_FRAME
        from analysis.model import cycle
        from analysis.report.vocabulary import event_title

        on = args.date or datetime.date.today()
        event = cycle.due(on)
        frame, _findings = load_frame(args.frame or DEFAULT_FRAME)
        years = frame_years(frame) if frame is not None else []
        if not years or not cycle.allowed(event, years):
            span = f"{years[0]}–{years[-1]}" if years else "?"
            print(f"Intet at danne {on.isoformat()}: {event_title(event)} ligger uden for rammens forløb ({span}).")
            return None
        return event.year, event.kind
    if args.date is not None:
        raise BadArgument("--date gælder kun sammen med --due")
    if args.year is None or args.event is None:
        raise BadArgument("angiv både --year og --event, eller --due")
    return args.year, args.event


def _refuse_if_busy(year: int, event: str, out) -> None:
    """A second run of a report that another run is writing ends at once, before the
    renderer and the data are loaded (seconds on a busy machine): the renderer takes the
    lock itself; this only looks whether it is free."""
    import fcntl
    from pathlib import Path

    from analysis.inputs.paths import REPORT_DIR
    from analysis.report.errors import RenderError

    target = (Path(out) if out else REPORT_DIR / f"{year}-{event}").resolve()
    path = target.parent / f".{target.name}.lock"
    if not path.exists():
        return
    with open(path, "rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RenderError(f"en anden kørsel skriver allerede {target}; prøv igen, når den er færdig") from None
        fcntl.flock(handle, fcntl.LOCK_UN)


def settings_of(args):
    """The report's settings from the command line: the options it takes of each kind
    (:data:`analysis.inputs.parameters.REPORT_FIELDS`, each read once, by its declaration),
    the rest at their defaults, and the scenarios."""
    from analysis.inputs.settings import Settings

    return Settings(
        options=options.build(Options, args),
        sampling=options.build(Sampling, args),
        rules=options.build(Rules, args),
        scenarios=tuple(str(p) for p in args.scenario),
    )


def run(args) -> int:
    # the same decisions for the allocation page and the robustness page that judges it
    settings = settings_of(args)
    chosen = _event(args)
    if chosen is None:
        return 0
    year, event = chosen
    _refuse_if_busy(year, event, args.out)
    if args.dry_run:
        from analysis.model.cycle import Event
        from analysis.report.render import report_dir
        from analysis.report.vocabulary import event_title

        target = report_dir(year, event, args.out)
        print(f"Ville danne {event_title(Event(event, year))} (--year {year} --event {event}) i {target}")
        return 0
    from analysis.report.render import render_report

    render_report(year, event, inputs=options.inputs(args), out=args.out, pdf=args.pdf, settings=settings)
    return 0
