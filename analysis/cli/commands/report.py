"""``digiramme report``: render the report of one event of the cycle."""

from __future__ import annotations

import contextlib

from analysis.cli import options
from analysis.inputs.parameters import REPORT_FIELDS, Options, Rules, Sampling
from analysis.model.cycle import EVENTS


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=options.year, metavar="ÅR", help="budgetåret, fx 2026 (eller --due)")
    parser.add_argument(
        "--event",
        type=_event_name,
        choices=list(EVENTS),
        help="budget eller OFS (overførselssagen, der følger året op), store eller små bogstaver (eller --due)",
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


def _event_name(text: str) -> str:
    """``Budget``, ``ofs``: an event in any case is the event (an unknown word is left for
    argparse's choices to refuse in Danish)."""
    return next((name for name in EVENTS if name.casefold() == text.strip().casefold()), text)


def _event(args):
    """The year and event to render: as given, or the one due on ``--date``; None when the
    date is outside the frame's life (nothing is due)."""
    from analysis.inputs.findings import BadArgument

    if args.due:
        if args.year is not None or args.event is not None:
            raise BadArgument("--due vælger selv år og begivenhed; angiv ikke også --year eller --event")
        import datetime

        from analysis.inputs import event_names
        from analysis.model import cycle

        on = args.date or datetime.date.today()
        event = cycle.due(on)
        years = _frame_years(args.frame)
        if not cycle.allowed(event, years):
            print(
                f"Intet at danne {on.isoformat()}: {event_names.title(event.kind, event.year)} ligger uden for "
                f"rammens forløb ({years[0]}–{years[-1]})."
            )
            return None
        return event.year, event.kind
    if args.date is not None:
        raise BadArgument("--date gælder kun sammen med --due")
    if args.year is None or args.event is None:
        raise BadArgument("angiv både --year og --event, eller --due")
    return args.year, args.event


def _frame_years(frame) -> list[int]:
    """The frame's years for ``--due``, read without pandas so that the answer comes at once;
    a frame that cannot be read that simply is loaded and checked in full (its errors: exit 2)."""
    from analysis.inputs import frame_span
    from analysis.inputs.paths import DEFAULT_FRAME, resolve

    path = resolve(frame, DEFAULT_FRAME)
    years = frame_span.read_years(path)
    if years:
        return years
    from analysis.inputs.financing_frame import frame_years, load_frame
    from analysis.inputs.findings import InputError

    table, findings = load_frame(path)
    if table is None or any(f.is_error for f in findings):
        raise InputError(findings)
    return frame_years(table)


def _target(year: int, event: str, out):
    """The report folder, as the renderer resolves it (``reports/<year>-<event>`` or ``--out``)."""
    from pathlib import Path

    from analysis.inputs.paths import REPORT_DIR

    return (Path(out) if out else REPORT_DIR / f"{year}-{event}").resolve()


def _refuse_if_busy(target) -> None:
    """A report that another run is writing is refused at once (exit 1), before the renderer
    or the data is loaded: seconds on a busy machine."""
    from analysis.report import locks

    if locks.is_busy(target):
        raise locks.busy(target)


@contextlib.contextmanager
def _locked(target):
    """Hold the report's lock from before anything loads until the run ends, so that a second
    run started a second later is refused at once, not when it reaches the renderer's own lock
    (which this run then already holds: :mod:`analysis.report.locks` is re-entrant). Where
    ``--out``'s folder does not exist yet, the renderer makes it and takes the lock itself. A
    lock file this run made is removed again when the run ends on bad input (exit 2): it leaves
    nothing beside a refused ``--out``."""
    from analysis.inputs.findings import BadArgument, InputError
    from analysis.model.decisions import DecisionError
    from analysis.report import locks

    if not target.parent.is_dir():
        yield
        return
    made = not locks.lock_file(target).exists()
    holding = locks.held(target)
    try:
        holding.__enter__()
    except OSError:  # the folder cannot be written: the renderer says so in its own words
        yield
        return
    try:
        yield
    except (BadArgument, InputError, DecisionError):
        if made:
            locks.lock_file(target).unlink(missing_ok=True)  # still held: no other run can have taken it
        raise
    finally:
        holding.__exit__(None, None, None)


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
    target = _target(year, event, args.out)
    _refuse_if_busy(target)
    if args.dry_run:
        from analysis.inputs import event_names

        print(f"Ville danne {event_names.title(event, year)} (--year {year} --event {event}) i {target}")
        return 0
    with _locked(target):
        from analysis.report.render import render_report

        render_report(year, event, inputs=options.inputs(args), out=args.out, pdf=args.pdf, settings=settings)
    return 0
