"""``digiramme template``: the intake workbook a forvaltning fills in."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.cli import options


def add_arguments(parser) -> None:
    parser.add_argument("--out", type=options.path, required=True, metavar="FIL.xlsx", help="skabelonens filnavn")
    parser.add_argument("--forvaltning", metavar="NAVN", help="forvaltningen, der udfylder den, fx BUF")
    parser.add_argument("--year", type=options.year, metavar="ÅR", help="budgetåret, der indsamles til, fx 2027")
    parser.add_argument("--frame", type=options.path, metavar="STI", help="rammen, hvis år startårene skal ligge i")


def run(args) -> int:
    from analysis.cli.output import warn
    from analysis.inputs import paths
    from analysis.inputs.financing_frame import frame_years, load_frame
    from analysis.inputs.findings import BadArgument, InputError
    from analysis.report import template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise BadArgument(f"{out.name}: skabelonen er en Excel-projektmappe; filnavnet skal ende på .xlsx")
    if out.is_dir():
        raise BadArgument(f"{out} er en mappe; angiv et filnavn, fx {out / 'behov.xlsx'}")
    frame, findings = load_frame(paths.resolve(args.frame, paths.DEFAULT_FRAME))
    if frame is None:
        raise InputError(findings)
    warn(args, findings)
    years = frame_years(frame)
    if args.year is not None:
        if args.year not in years:
            raise BadArgument(f"--year {args.year} ligger uden for rammens år {years[0]}–{years[-1]}")
        years = [y for y in years if y >= args.year]
    try:
        template.write_template(out, args.forvaltning, args.year, years)
    except OSError as exc:
        raise BadArgument(f"{out} kan ikke skrives: {exc.strerror or exc}") from None
    who = f" til {args.forvaltning}" if args.forvaltning else ""
    print(f"Skabelonen{who} er skrevet til {out}", file=sys.stderr)
    return 0
