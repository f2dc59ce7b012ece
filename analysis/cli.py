"""The ``digiramme`` command (also ``python -m analysis``): the same functions the
notebooks call, for schedules and scripts.

Exit codes: 0 success; 1 a report failed to render; 2 bad input or bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis import __version__
from analysis.inputs.findings import BadArgument, InputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
MAX_SAMPLES = 1_000_000  # robustness draws: beyond this a run would take days, not hours
MAX_TIME_LIMIT = 7 * 24 * 3600.0
MAX_DRAW_GAP = 0.1  # a robustness run further than 10 % from its best says little about the best option


def _input_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--register",
        type=_path,
        metavar="PATH",
        help="behovsregister (CSV eller .xlsx); standard: data/behovsregister.csv",
    )
    parser.add_argument("--frame", type=_path, metavar="PATH", help="ramme (CSV eller .xlsx); standard: data/ramme.csv")
    parser.add_argument("--pl-index", type=_path, metavar="PATH", help="p/l-indeks; standard: data/pl_indeks.csv")
    parser.add_argument(
        "--claims", type=_path, metavar="PATH", help="beløb i notatets tekst; standard: data/notat_tekst.csv"
    )
    for name, what in (
        ("bevillinger", "bevillinger pr. behov, år og styringsområde"),
        ("forbrug", "forbrug pr. behov, år og styringsområde"),
        ("gevinster", "gevinstindikatorer med baseline, mål og målinger"),
    ):
        parser.add_argument(f"--{name}", type=_path, metavar="PATH", help=f"{what}; standard: data/{name}.csv")


INPUT_KEYS = ("register", "frame", "pl_index", "claims", "bevillinger", "forbrug", "gevinster", "previous_register")


def _inputs(args: argparse.Namespace) -> dict:
    return {key: getattr(args, key, None) for key in INPUT_KEYS}


def _emit(args: argparse.Namespace, result, as_text, as_json=lambda r: r) -> int:
    """Print a result: exactly one JSON object with --json, else Danish text."""
    import json

    # strict JSON: a value that is not finite is a bug here, never "NaN" on stdout
    print(json.dumps(as_json(result), ensure_ascii=False, indent=2, allow_nan=False) if args.json else as_text(result))
    return EXIT_OK


def _print_findings(findings, stream=None) -> None:
    stream = stream or sys.stderr
    for finding in findings:
        print(finding, file=stream)


def cmd_validate(args: argparse.Namespace) -> int:
    from analysis.inputs.dataset import check_inputs
    from analysis.inputs.financing_frame import ClaimStatus
    from analysis.report import register_page

    data, findings = check_inputs(**_inputs(args))
    _print_findings(findings, sys.stdout)
    if data is None:
        count = sum(1 for f in findings if f.is_error)
        print(f"{count} fejl; inddata kan ikke bruges.", file=sys.stderr)
        return EXIT_BAD_INPUT
    disagreements = data.claims is not None and (data.claims["status"] != ClaimStatus.AGREES).any()
    disagreements = disagreements or (data.ranges is not None and (data.ranges["status"] != ClaimStatus.AGREES).any())
    if disagreements or data.remarks is not None:
        remark = register_page.prose_summary(data.claims, data.ranges, data.remarks)
        print("bemærk: " + remark.heading)
        for line in remark.lines:
            print(f"  - {line}")
    needs = len(data.register)
    print(f"Inddata er gyldige: {needs} behov, rammen {data.years[0]}–{data.years[-1]} ({data.price_year} p/l).")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from analysis.inputs import intake, paths
    from analysis.inputs.financing_frame import frame_years, load_frame
    from analysis.inputs.findings import BadArgument, InputError

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise BadArgument(f"{out.name}: skabelonen er en Excel-projektmappe; filnavnet skal ende på .xlsx")
    if out.is_dir():
        raise BadArgument(f"{out} er en mappe; angiv et filnavn, fx {out / 'behov.xlsx'}")
    frame, findings = load_frame(paths.resolve(args.frame, paths.DEFAULT_FRAME))
    if frame is None:
        raise InputError(findings)
    years = frame_years(frame)
    if args.year is not None:
        years = [y for y in years if y >= args.year] or years
    try:
        intake.write_template(out, args.forvaltning, args.year, years)
    except OSError as exc:
        raise BadArgument(f"{out} kan ikke skrives: {exc.strerror or exc}") from None
    who = f" til {args.forvaltning}" if args.forvaltning else ""
    print(f"Skabelonen{who} er skrevet til {out}", file=sys.stderr)
    return EXIT_OK


def cmd_collect(args: argparse.Namespace) -> int:
    from analysis.inputs import intake, paths
    from analysis.inputs.findings import BadArgument, InputError
    from analysis.inputs.register import load_register

    files = [Path(p) for p in args.files]
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise BadArgument(f"{out.name}: registeret skal ende på .csv eller .xlsx")
    if out.is_dir():
        raise BadArgument(f"{out} er en mappe; angiv et filnavn, fx {out / 'behovsregister.csv'}")
    protected = [*files, *([Path(args.previous_register)] if args.previous_register else [])]
    if any(out.resolve() == p.resolve() for p in protected):
        raise BadArgument(f"{out} er en af inddatafilerne; vælg et andet filnavn")
    previous = None
    if args.previous_register:
        previous, found = load_register(paths.resolve(args.previous_register))
        if previous is None or any(f.is_error for f in found):
            raise InputError(found)
    result = intake.collect(files, args.forvaltning_from_filename, previous)
    summary = intake.summary(result)
    if not result.ok:
        if args.json:
            _emit(args, summary, collect_text)
        intake.raise_if_bad(result)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        intake.write_register(result.register, out)
    except OSError as exc:
        raise BadArgument(f"{out} kan ikke skrives: {exc.strerror or exc}") from None
    summary["out"] = str(out)
    return _emit(args, summary, collect_text)


def collect_text(result: dict) -> str:
    from analysis.report import formats as fmt

    lines = []
    for entry in result["files"]:
        who = ", ".join(entry["forvaltning"]) or "ingen forvaltning angivet"
        lines.append(
            f"{entry['file']}: {who}; {fmt.count(entry['needs'], 'behov', 'behov')}, forventet "
            f"{fmt.tkr(entry['expected_cost'])} (1.000 kr.); "
            f"{fmt.count(len(entry['warnings']), 'advarsel', 'advarsler')}"
        )
        lines += [f"  {w}" for w in entry["warnings"]]
    previous = result.get("against_previous")
    if previous:
        for key, label in (("new", "Nye"), ("gone", "Udgået"), ("recosted", "Nye beløb")):
            lines.append(f"{label} mod sidste års register: {', '.join(previous[key]) or 'ingen'}")
    if result["lacking_estimate"]:
        lines.append("Mangler estimat (skal rykkes for):")
        lines += [f"  {who}: {', '.join(ids)}" for who, ids in result["lacking_estimate"].items()]
    else:
        lines.append("Alle behov har et estimat.")
    if result.get("out"):
        lines.append(f"Samlet register: {result['needs']} behov skrevet til {result['out']}")
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace) -> int:
    from analysis.report.render import RenderError, render_report

    extra: dict = {"scenarios": [str(p) for p in args.scenario]} if args.scenario else {}
    # the same decisions for the allocation page and the robustness page that judges it
    for key in ("force_in", "force_out", "release"):
        if ids := _id_list(getattr(args, key)):
            extra[key] = list(ids)
    if args.gap:
        extra["gap"] = args.gap
    try:
        render_report(args.year, args.event, inputs=_inputs(args), out=args.out, pdf=args.pdf, parameters=extra or None)
    except RenderError as exc:
        print(f"Rapporten kunne ikke dannes: {exc}", file=sys.stderr)
        print("Den tidligere rapport er uændret.", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _id_list(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def _number_in(low: float, high: float | None = None, *, low_open: bool = False, whole: bool = False):
    """An argparse type: a finite number (Danish or English decimal) within a documented range."""
    from analysis.inputs.cells import parse_number

    def parse(text: str):
        import math

        try:  # an option is English first (0.001, 1e-3), else Danish (0,5)
            value = float(text)
        except ValueError:
            try:
                value = parse_number(text)
            except ValueError:
                value = None
        if value is not None and not math.isfinite(value):
            value = None
        if value is None or (whole and not float(value).is_integer()):
            raise argparse.ArgumentTypeError(f'"{text}" er ikke {"et helt tal" if whole else "et endeligt tal"}')
        if (value <= low if low_open else value < low) or (high is not None and value > high):
            from analysis.inputs.cells import format_number

            def shown(bound: float) -> str:  # as many decimals as the bound has (0,1, not 0)
                decimals = 0 if float(bound).is_integer() else len(repr(float(bound)).split(".")[1])
                return format_number(bound, decimals)

            span = f"{'over' if low_open else 'mindst'} {shown(low)}"
            span += f" og højst {shown(high)}" if high is not None else ""
            raise argparse.ArgumentTypeError(f'"{text}" skal være {span}')
        return int(value) if whole else float(value)

    return parse


def _path(text: str) -> str:
    """An argparse type: a path that is not empty (an unset variable in a schedule gives
    ``--register ""``, which must not fall back to the shipped file)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("stien er tom; angiv en fil")
    return text


def _weights(text: str) -> tuple[float, float, float, float]:
    from analysis.inputs.cells import parse_number

    parts = text.split(";") if ";" in text else text.split(",")
    try:
        values = tuple(parse_number(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or any(v is None or v < 0 for v in values):
        raise argparse.ArgumentTypeError(
            f'"{text}" er ikke fire vægte ≥ 0 (tilgængelighed, aflastning, forenkling, skalering), fx 1,2,1,1'
        )
    return values


def _plan_year_args(parser: argparse.ArgumentParser) -> None:
    """--plan-year and --release, the same for allocate and robustness: robustness judges the
    option allocate plans, on the same commitments."""
    parser.add_argument(
        "--plan-year",
        type=_number_in(2000, 2100, whole=True),
        metavar="ÅR",
        help="planåret: påbegyndte investeringer står fast, kun åbne behov besluttes (standard: rammens første år)",
    )
    parser.add_argument(
        "--release", metavar="IDS", help="påbegyndte investeringer der stoppes fra planåret, adskilt af komma"
    )


def _force_args(parser: argparse.ArgumentParser) -> None:
    """--force-in and --force-out, the same for allocate and robustness."""
    parser.add_argument("--force-in", metavar="IDS", help="id'er der skal med, adskilt af komma")
    parser.add_argument("--force-out", metavar="IDS", help="id'er der ikke må komme med")


def _gap_arg(parser: argparse.ArgumentParser, default: float, what: str = "") -> None:
    """--gap, the same for robustness and report (its robustness page)."""
    parser.add_argument(
        "--gap",
        type=_number_in(0, MAX_DRAW_GAP),
        default=default,
        metavar="ANDEL",
        help=f"{what}stop hver løsning, når den er bevist inden for denne relative afstand fra det bedste, "
        f"0–{MAX_DRAW_GAP:g}, fx 0.01 for 1 %% (standard 0: bevis hver løsning optimal; store registre kan da "
        "ramme tidsgrænsen)",
    )


def _check_forced(args: argparse.Namespace, data) -> None:
    """Every id given to --force-in/--force-out is in the register (else exit 2, naming it)."""
    from analysis.inputs.register import unknown_ids

    problems = unknown_ids(
        data.register, {"--force-in": _id_list(args.force_in), "--force-out": _id_list(args.force_out)}
    )
    if problems:
        raise _UsageError(problems)


def _options_from_args(args: argparse.Namespace, data) -> object:
    from analysis.model.allocation import Options

    _check_forced(args, data)
    return Options(
        strategy=args.strategy,
        cost_level=args.cost_level,
        weights=args.weights,
        time_preference=args.time_preference,
        carry_over=args.carry_over,
        force_in=_id_list(args.force_in),
        force_out=_id_list(args.force_out),
        explain=not args.no_explain,
        time_limit=args.time_limit,
        plan_year=args.plan_year,
        release=_id_list(args.release),
    )


class _UsageError(Exception):
    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def cmd_allocate(args: argparse.Namespace) -> int:
    from analysis.inputs.dataset import load_dataset
    from analysis.model import plan
    from analysis.model.allocation import Options, allocate
    from analysis.report import excel
    from analysis.report.records import allocation_dict

    data = load_dataset(**_inputs(args))
    if args.scenario:
        from analysis.inputs.scenario import load_scenarios
        from analysis.model.allocation import comparison

        settings = load_scenarios([args.scenario], data.register)[0]
        options = comparison.scenario_options(
            settings, Options(explain=not args.no_explain, time_limit=args.time_limit)
        )
        frame = comparison.scaled_frame(data.frame, settings.get("frame_scale"))
        result = allocate(data.register, frame, options, plan.for_options(data, options))
    elif args.strategy is None:
        raise _UsageError(["angiv --strategy eller --scenario"])
    else:
        options = _options_from_args(args, data)
        result = allocate(data.register, data.frame, options, plan.for_options(data, options))
    if args.output and result.has_option:
        sheets = excel.allocation_sheets(result, data.register)
        excel.write_tables(args.output, sheets, protect=list(data.sources.values()))
        print(f"Bevillingerne er skrevet til {args.output}", file=sys.stderr)
    _emit(args, result, lambda r: allocation_text(r, data), as_json=allocation_dict)
    return EXIT_OK if result.has_option else EXIT_FAILED


def allocation_text(result, data) -> str:
    """A short Danish summary of an option for the terminal."""
    from analysis.inputs.contracts import POOLS
    from analysis.inputs.register import need_titles
    from analysis.report import formats as fmt
    from analysis.report import vocabulary as words

    lines = [f"{words.option_label(result.options)}: status {result.status.value}"]
    message = words.result_message(result)
    if message:
        lines.append(message)
    if not result.has_option:
        return "\n".join(lines)
    gap = "–" if result.mip_gap is None else fmt.percent(result.mip_gap, 2)
    lines.append(
        f"Værdi {fmt.number(result.objective, 2)}, MIP-gap {gap}, løsningstid {fmt.number(result.solve_time_s, 3)} s"
    )
    titles = need_titles(data.register)
    commitments = result.problem.commitments
    if commitments is not None and commitments.started:
        transfer = ", ".join(f"{pool} {fmt.tkr(v)}" for pool, v in zip(POOLS, commitments.transfer_in, strict=True))
        lines.append(f"Planår {commitments.plan_year}; overført ind i {commitments.plan_year}: {transfer}")
    started = result.problem.started
    lines.append("Finansieret (startår):")
    lines += [
        f"  {i:10} {s}  {titles[i]}" + ("  (påbegyndt)" if i in started else "")
        for i, s in sorted(result.selected.items(), key=lambda x: (x[1], x[0]))
    ]
    lines.append("Forbrug og uforbrugte midler (1.000 kr.):")
    spending, unspent = result.spending(), result.unspent()
    for year in spending.index:
        parts = [
            f"{pool} {fmt.tkr(spending.loc[year, pool])} (uforbrugt {fmt.tkr(unspent.loc[year, pool])})"
            for pool in spending.columns
        ]
        lines.append(f"  {year}: " + ", ".join(parts))
    lines.append("Ikke finansieret:")
    for need_id, why in sorted(result.explanations.items()):
        text = f"  {need_id:10} {words.REASON_LABELS[why.reason]}"
        detail = words.explanation_detail(why, words.plan_years(result))
        if detail:
            text += f": {detail}"
        if why.value_lost is not None:
            text += f"; værditab ved at tvinge den ind {fmt.number(why.value_lost, 2)}"
        lines.append(text)
    return "\n".join(lines)


def cmd_followup(args: argparse.Namespace) -> int:
    from analysis.inputs.dataset import load_dataset
    from analysis.model import followup
    from analysis.report.records import followup_dict

    data = load_dataset(**_inputs(args))
    if data.followup is None or not data.followup.complete:
        raise _UsageError(
            ["opfølgningen kræver bevillinger, forbrug og gevinster (--bevillinger, --forbrug, --gevinster)"]
        )
    if args.year not in data.years:
        raise _UsageError([f"--year {args.year} ligger uden for rammens år {data.years[0]}–{data.years[-1]}"])
    rules = followup.Rules(carry_over=not args.no_carry_over, cap=args.cap)
    result = followup_dict(data.frame, data.register, data.followup, args.year, rules)
    return _emit(args, result, followup_text)


def followup_text(result: dict) -> str:
    from analysis.report import formats as fmt

    lines = [
        f"Opfølgning for {result['year']} (1.000 kr.)",
        "Styringsområde og år: ramme, overført ind, forbrug, uforbrugt, foreslået overført",
    ]
    for row in result["pools"]:
        lines.append(
            f"  {row['pool']:8} {row['year']}: ramme {fmt.tkr(row['frame'])}, ind {fmt.tkr(row['transfer_in'])}, "
            f"forbrug {fmt.tkr(row['spent'])}, uforbrugt {fmt.tkr(row['unspent'])}, "
            f"overført {fmt.tkr(row['transfer_out'])} (bundet {fmt.tkr(row['bound'])}, fri {fmt.tkr(row['free'])})"
        )
    lines.append("Gevinster:")
    for row in result["indicators"]:
        progress = fmt.DASH if row["progress"] is None else fmt.percent(row["progress"])
        expected = fmt.percent(row["expected_progress"])
        name = f"{row['id']:8} {row['indicator']}"
        lines.append(f"  {name}: {progress} af vejen (forventet {expected}) – {row['status']}")
    share = fmt.percent(result["coverage"])
    lines.append(f"Dækning: {share} af de finansierede investeringer følges med baseline, mål og måling.")
    return "\n".join(lines)


def cmd_robustness(args: argparse.Namespace) -> int:
    from analysis.inputs.dataset import load_dataset
    from analysis.model import plan, robustness
    from analysis.report.records import robustness_dict
    from analysis.report.vocabulary import ROBUSTNESS_PHASES

    data = load_dataset(**_inputs(args))
    settings = robustness.Settings(
        strategy=args.strategy,
        samples=args.samples,
        seed=args.seed,
        workers=args.workers,
        adaptive=args.adaptive,
        time_preference=args.time_preference,
        carry_over=args.carry_over,
        force_in=_id_list(args.force_in),
        force_out=_id_list(args.force_out),
        gap=args.gap,
        time_limit=args.time_limit,
    )
    _check_forced(args, data)
    # the same plan year and commitments as `allocate`: the core index judges the option it is shown beside
    commitments = plan.for_options(
        data, robustness.options_for(settings, plan_year=args.plan_year, release=_id_list(args.release))
    )
    option = robustness.reference_options(data.register, data.frame, settings, commitments)[-1]
    if not option.has_option:  # e.g. an obligatory need that cannot fit: no draw can hold it either
        from analysis.report.vocabulary import result_message

        print(result_message(option), file=sys.stderr)
        return EXIT_FAILED
    tty = sys.stderr.isatty()

    def progress(code: str, done: int, total: int) -> None:
        # on a terminal one updating line per phase; in a log one line when a phase ends
        phase = ROBUSTNESS_PHASES[code]
        if tty:
            print(f"\rRobusthed, {phase}: {done}/{total} udfald", end="", file=sys.stderr, flush=True)
        if done == total:
            print(("" if tty else f"Robusthed, {phase}: {total}/{total} udfald"), file=sys.stderr, flush=True)

    try:
        analysis = robustness.run(
            data.register,
            data.frame,
            settings,
            progress=None if args.quiet else progress,
            scheduler=args.scheduler,
            commitments=commitments,
        )
    except (OSError, TimeoutError) as exc:
        if args.scheduler is None:
            raise
        print(f"--scheduler: Dask-klyngen {args.scheduler} kan ikke nås ({exc})", file=sys.stderr)
        return EXIT_BAD_INPUT
    return _emit(args, robustness_dict(analysis), robustness_text)


def robustness_text(result: dict) -> str:
    from analysis.report import formats as fmt

    lines = [
        f"Kerneindeks ({result['settings']['samples']} omkostningsudfald, PERT, frø {result['settings']['seed']}):"
    ]
    for need_id, share in sorted(result["core_index"].items(), key=lambda x: (-x[1], x[0])):
        lines.append(f"  {need_id:10} {fmt.percent(share):>6}  {result['core_class'][need_id]}")
    lines.append("Finansieret under alle vægtninger: " + (", ".join(result["funded_under_every_weighting"]) or "ingen"))
    lines.append("Finansieret under ingen vægtning: " + (", ".join(result["funded_under_no_weighting"]) or "ingen"))
    lines.append("Effektiv rand (rammeniveau: bedste værdi):")
    for point in result["frontier"]:
        lines.append(f"  {fmt.percent(point['scale'])}: {fmt.number(point['objective'], 2)}")
    return "\n".join(lines)


def cmd_kernel(args: argparse.Namespace) -> int:
    from analysis.report.render import KERNEL_NAME, ensure_kernel

    ensure_kernel()
    if not args.quiet:
        print(f'Kernen "{KERNEL_NAME}" kører {sys.executable}')
    return EXIT_OK


_ENGLISH_USAGE_ERRORS = [
    (r"the following arguments are required: (.*)", r"mangler: \1"),
    (r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)", r"\1: '\2' er ikke et gyldigt valg; vælg \3"),
    (r"argument (\S+): invalid (\w+) value: '([^']*)'", r"\1: '\3' er ikke et gyldigt tal"),
    (r"argument (\S+): expected one argument", r"\1 mangler en værdi"),
    (r"argument (\S+): ignored explicit argument '([^']*)'", r"\1 tager ingen værdi ('\2')"),
    (r"argument (\S+): (.*)", r"\1: \2"),
    (r"unrecognized arguments: (.*)", r"ukendte tilvalg: \1"),
    (r"invalid choice: '([^']*)' \(choose from (.*)\)", r"'\1' er ikke en kommando; brug \2"),
]


class DanishArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors in Danish, like the rest of the command line: exit 2
    and one line that says what is wrong."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "tilvalg"

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "brug:", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage:", "brug:", 1)
        return text.replace("show this help message and exit", "vis denne hjælp og afslut")

    def error(self, message: str):
        import re

        for pattern, danish in _ENGLISH_USAGE_ERRORS:
            if re.fullmatch(pattern, message, re.S):
                message = re.sub(pattern, danish, message, flags=re.S)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: fejl: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from analysis.model.allocation.options import (
        COST_LEVELS,
        DEFAULT_TIME_LIMIT,
        DEFAULT_TIME_PREFERENCE,
        DEFAULT_WEIGHTS,
        OPTIMISED_STRATEGIES,
        STRATEGIES,
        Options,
    )
    from analysis.model.robustness import Settings
    from analysis.report.render import EVENTS

    defaults = Options()
    robust_defaults = Settings()

    parser = DanishArgumentParser(
        prog="digiramme",
        description="Finansieringsramme til digital udviklings- og omstillingsplan (Københavns Kommune, ØKF).",
    )
    parser.add_argument("--version", action="version", version=f"digiramme {__version__}", help="vis versionen")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO", parser_class=DanishArgumentParser)

    validate = sub.add_parser("validate", help="tjek behovsregister og ramme; exit 0 gyldig, 2 ugyldig")
    _input_args(validate)
    validate.set_defaults(func=cmd_validate)

    template = sub.add_parser("template", help="skriv indmeldingsskabelonen (.xlsx), som forvaltningerne udfylder")
    template.add_argument("--out", type=_path, required=True, metavar="FILE.xlsx", help="skabelonens filnavn")
    template.add_argument("--forvaltning", metavar="NAME", help="forvaltningen, der udfylder den, fx BUF")
    template.add_argument("--year", type=_number_in(2000, 2100, whole=True), help="budgetåret, der indsamles til")
    template.add_argument("--frame", type=_path, metavar="PATH", help="rammen, hvis år startårene skal ligge i")
    template.set_defaults(func=cmd_template)

    collect = sub.add_parser("collect", help="saml forvaltningernes indmeldinger til ét behovsregister")
    collect.add_argument("files", nargs="+", type=_path, metavar="FILES", help="udfyldte skabeloner eller registre")
    collect.add_argument(
        "--out", type=_path, required=True, metavar="REGISTER", help="det samlede register (.csv/.xlsx)"
    )
    collect.add_argument("--previous-register", type=_path, metavar="PATH", help="sidste års register: nye, udgåede")
    collect.add_argument(
        "--forvaltning-from-filename",
        action="store_true",
        help="tom forvaltning tages fra filnavnet (fx behov_BUF.xlsx → BUF)",
    )
    collect.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")
    collect.set_defaults(func=cmd_collect)

    report = sub.add_parser("report", help="dan HTML-rapporten i reports/<år>-<begivenhed>/")
    report.add_argument("--year", type=_number_in(2000, 2100, whole=True), required=True, help="budgetår, fx 2026")
    report.add_argument("--event", choices=list(EVENTS), required=True, help="budget eller OFS")
    report.add_argument(
        "--out", type=_path, metavar="DIR", help="mappe til rapporten; standard: reports/<år>-<begivenhed>"
    )
    report.add_argument("--pdf", action="store_true", help="skriv også rapport.pdf (A4) med headless Chromium")
    report.add_argument(
        "--scenario",
        type=_path,
        action="append",
        default=[],
        metavar="FILE",
        help="et gemt scenarie, vist ved siden af standardforslagene (kan gentages)",
    )
    report.add_argument(
        "--previous-register",
        type=_path,
        metavar="PATH",
        help="sidste års behovsregister: rapporten viser nye, fjernede og omkostningsændrede behov",
    )
    _input_args(report)
    _force_args(report)
    report.add_argument(
        "--release", metavar="IDS", help="påbegyndte investeringer der stoppes fra rapportens planår, adskilt af komma"
    )
    _gap_arg(report, robust_defaults.gap, "robusthedssidens udfald: ")
    report.set_defaults(func=cmd_report)

    allocate = sub.add_parser("allocate", help="beregn et allokeringsforslag inden for rammen")
    _input_args(allocate)
    allocate.add_argument("--strategy", choices=list(STRATEGIES), help="påkrævet, medmindre --scenario er givet")
    allocate.add_argument(
        "--scenario",
        type=_path,
        metavar="FILE",
        help="et gemt scenarie (JSON fra arbejdsbænken); dets indstillinger bruges i stedet for tilvalgene",
    )
    allocate.add_argument("--cost-level", choices=list(COST_LEVELS), default=defaults.cost_level)
    allocate.add_argument(
        "--weights",
        type=_weights,
        default=DEFAULT_WEIGHTS,
        metavar="W1,W2,W3,W4",
        help="vægte for tilgængelighed, aflastning, forenkling, skalering (standard 1,1,1,1)",
    )
    allocate.add_argument(
        "--time-preference",
        type=_number_in(0),
        default=DEFAULT_TIME_PREFERENCE,
        metavar="X",
        help="hvor meget mere et år tidligere start er værd (standard 0.03; 0 er tilladt)",
    )
    allocate.add_argument(
        "--carry-over",
        action="store_true",
        default=defaults.carry_over,
        help="planlæg med overførsel af uforbrugte midler til senere år (følsomhed; standard: hvert år for sig)",
    )
    allocate.add_argument(
        "--no-carry-over",
        action="store_false",
        dest="carry_over",
        help="hvert år for sig, så planen passer år for år (standard; gentager blot standarden)",
    )
    _plan_year_args(allocate)
    _force_args(allocate)
    allocate.add_argument("--no-explain", action="store_true", help="spring forklaringernes genberegninger over")
    allocate.add_argument(
        "--time-limit",
        type=_number_in(0, MAX_TIME_LIMIT, low_open=True),
        default=DEFAULT_TIME_LIMIT,
        metavar="SEK",
        help="tidsgrænse for hele beregningen i sekunder, over 0 (standard %(default)s)",
    )
    allocate.add_argument("--output", type=_path, metavar="FILE", help="skriv bevillingerne til .csv eller .xlsx")
    allocate.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")
    allocate.set_defaults(func=cmd_allocate)

    follow = sub.add_parser("followup", help="opfølgning: forbrug mod ramme, overførsler (OFS) og gevinster")
    follow.add_argument(
        "--year", type=_number_in(2000, 2100, whole=True), required=True, help="regnskabsåret der følges op på, fx 2026"
    )
    _input_args(follow)
    follow.add_argument("--no-carry-over", action="store_true", help="uforbrugte midler overføres ikke")
    follow.add_argument(
        "--cap",
        type=_number_in(0, 1),
        default=None,
        metavar="ANDEL",
        help="loft over overførsel som andel af årets ramme, 0–1, fx 0.5",
    )
    follow.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")
    follow.set_defaults(func=cmd_followup)

    robust = sub.add_parser("robustness", help="kerneindeks under usikre omkostninger og vægte, effektiv rand")
    _input_args(robust)
    robust.add_argument("--strategy", choices=list(OPTIMISED_STRATEGIES), default=robust_defaults.strategy)
    robust.add_argument(
        "--samples",
        type=_number_in(1, MAX_SAMPLES, whole=True),
        default=robust_defaults.samples,
        metavar="N",
        help=f"antal udfald, 1–{MAX_SAMPLES} (standard {robust_defaults.samples})",
    )
    robust.add_argument(
        "--seed",
        type=_number_in(0, 2**32 - 1, whole=True),
        default=robust_defaults.seed,
        metavar="S",
        help="frø for tilfældighederne (standard %(default)s)",
    )
    robust.add_argument(
        "--workers",
        type=_number_in(1, 64, whole=True),
        default=robust_defaults.workers,
        metavar="K",
        help="processer, 1–64 (standard %(default)s)",
    )
    robust.add_argument(
        "--time-preference",
        type=_number_in(0),
        default=robust_defaults.time_preference,
        metavar="X",
        help="som allocate: samme regler som hovedforslaget (standard %(default)s; 0 er tilladt)",
    )
    robust.add_argument(
        "--carry-over",
        action="store_true",
        help="planlæg med overførsel mellem årene, som allocate --carry-over",
    )
    _plan_year_args(robust)
    _force_args(robust)
    robust.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="kør udfaldene på en Dask-klynge, fx tcp://10.0.0.5:8786 (standard: --workers lokale processer)",
    )
    _gap_arg(robust, robust_defaults.gap)
    robust.add_argument(
        "--time-limit",
        type=_number_in(0, MAX_TIME_LIMIT, low_open=True),
        default=robust_defaults.time_limit,
        metavar="S",
        help="sekunder pr. løsning (standard %(default)g); et udfald stoppet af uret afhænger af maskinens hastighed",
    )
    robust.add_argument(
        "--adaptive",
        action="store_true",
        help="stop, når hvert behovs klasse ligger fast (99 %%-interval), dog mindst 200 og højst --samples udfald",
    )
    robust.add_argument("--quiet", action="store_true", help="ingen fremdrift på stderr")
    robust.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")
    robust.set_defaults(func=cmd_robustness)

    kernel = sub.add_parser("kernel", help='installér Jupyter-kernen "digiramme" for dette miljø')
    kernel.add_argument("--quiet", action="store_true")
    kernel.set_defaults(func=cmd_kernel)
    return parser


def threading_is_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler stopping the job): unwind like Ctrl-C, so every temporary
    folder and the kernel are cleaned up on the way out. A KeyboardInterrupt, because
    asyncio (which runs the notebook's kernel) lets only that and SystemExit through a
    callback: any other exception raised there by the signal handler was logged and
    swallowed, and a render stopped while a kernel started could hang."""


def _terminate(signum, frame):
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    import signal

    args = build_parser().parse_args(argv)
    if threading_is_main():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.func(args)
    except InputError as exc:
        _print_findings(exc.findings)
        count = sum(1 for f in exc.findings if f.is_error)
        print(f"{count} fejl; inddata kan ikke bruges.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except _UsageError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    except BadArgument as exc:  # an option value the domain rejects, e.g. an output path
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `digiramme … --json | head`: the reader left; not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter shutdown quiet
        return EXIT_OK
    except Terminated:  # before KeyboardInterrupt, which it is
        print("Stoppet (SIGTERM); midlertidige filer er fjernet, og en tidligere rapport er uændret.", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("Afbrudt.", file=sys.stderr)
        return 130
    except Exception:  # never a traceback: one Danish line, and the details in a log file
        log = _write_crash_log(args)
        print(
            f"digiramme {args.command}: en uventet fejl stoppede kørslen; detaljerne står i {log}",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _write_crash_log(args: argparse.Namespace) -> str:
    """Write the traceback of the exception being handled to a log file; return its path."""
    import tempfile
    import traceback
    from datetime import datetime

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    handle, path = tempfile.mkstemp(prefix=f"digiramme-{args.command}-{stamp}-", suffix=".log")
    with os.fdopen(handle, "w", encoding="utf-8") as log:
        log.write(f"digiramme {__version__}, kommando: {' '.join(sys.argv)}\n\n")
        log.write(traceback.format_exc())
    return path


if __name__ == "__main__":
    sys.exit(main())
