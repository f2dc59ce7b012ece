"""``digiramme robustness``: how the option holds up under uncertain costs and weights."""

from __future__ import annotations

import sys

from analysis.cli import options
from analysis.inputs.parameters import MAIN_OPTION, OPTIMISED_STRATEGIES, Options, Sampling

# the allocation parameters a robustness run judges: the strategy and weights, and the main
# option's rules and decisions (the rest only concern one allocation)
JUDGED = ("strategy", "weights", *MAIN_OPTION)
# robustness judges an optimised option: its strategy help names only those
STRATEGY_HELP = (
    "hvad forslaget vælger efter: max-potential = størst vægtet sum af de fire potentialers point (0–5); "
    "max-benefit = størst sum af gevinst pr. år ved fuld effekt; max-npv = størst nettonutidsværdi over levetiden "
    "(under max-npv og max-benefit trækkes også gevinsten, hvor registeret giver gevinst_min og gevinst_max)"
)
SAMPLING = ("samples", "seed", "adaptive", "min_samples", "margin", "gap", "time_limit", "workers")


def add_arguments(parser) -> None:
    options.input_files(parser)
    options.add(parser, Options, JUDGED, helps={"strategy": STRATEGY_HELP}, choices={"strategy": OPTIMISED_STRATEGIES})
    options.add(parser, Sampling, SAMPLING)
    parser.add_argument(
        "--scheduler",
        metavar="ADRESSE",
        help="kør udfaldene på en Dask-klynge, fx tcp://10.0.0.5:8786 (standard: --workers lokale processer)",
    )
    parser.add_argument("--quiet", action="store_true", help="ingen fremdrift på stderr")
    parser.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")


DASK_MISSING = (
    "--scheduler kræver Dask (pakken distributed), som ikke er installeret i dette miljø; installér den med "
    "`.venv/bin/pip install -c constraints.txt -e \".[dask]\"` fra projektets mappe (`make test` installerer den også)"
)


def _check_dask(args) -> None:
    """``--scheduler`` needs the ``dask`` extra: without it, one Danish line (exit 2) before
    anything loads, not a traceback from deep in the run."""
    if args.scheduler is None:
        return
    from analysis.inputs.findings import BadArgument

    try:
        import distributed  # noqa: F401
    except ImportError:
        raise BadArgument(DASK_MISSING) from None


def run(args) -> int:
    _check_dask(args)
    from analysis.cli.output import emit, warn
    from analysis.inputs.dataset import load_dataset
    from analysis.inputs.settings import Settings
    from analysis.model.robustness.analysis import solving_options
    from analysis.model.state import EventState
    from analysis.report import terminal
    from analysis.report.records import robustness_dict

    judged, sampling = options.build(Options, args), options.build(Sampling, args)
    data = load_dataset(**options.inputs(args))
    warn(args, data.warnings)
    # the same plan year and commitments as `allocate`: the core index judges the option it is shown beside
    state = EventState.for_plan(data, judged, Settings(sampling=sampling))
    option = state.option(solving_options(judged))
    if not option.has_option:  # e.g. an obligatory need that cannot fit: no draw can hold it either
        print(terminal.infeasible_text(option), file=sys.stderr)
        return 1
    try:
        result = state.robustness(
            progress=None if args.quiet else terminal.phase_progress(sys.stderr),
            scheduler=args.scheduler,
            reference=False,
            options=judged,
        )
    except (OSError, TimeoutError) as exc:
        if args.scheduler is None:
            raise
        print(f"--scheduler: Dask-klyngen {args.scheduler} kan ikke nås ({exc})", file=sys.stderr)
        return 2
    return emit(args, robustness_dict(result.analysis), terminal.robustness_text)
