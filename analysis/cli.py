"""The ``digiramme`` command (also ``python -m analysis``): the same functions the
notebooks call, for schedules and scripts.

Exit codes: 0 success; 1 a report failed to render; 2 bad input or bad usage.
"""

from __future__ import annotations

import argparse
import sys

from analysis import __version__
from analysis.findings import InputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _input_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--register", metavar="PATH", help="behovsregister (CSV eller .xlsx); standard: data/behovsregister.csv"
    )
    parser.add_argument("--frame", metavar="PATH", help="ramme (CSV eller .xlsx); standard: data/ramme.csv")
    parser.add_argument("--pl-index", metavar="PATH", help="p/l-indeks; standard: data/pl_indeks.csv")
    parser.add_argument("--claims", metavar="PATH", help="beløb i notatets tekst; standard: data/notat_tekst.csv")


def _inputs(args: argparse.Namespace) -> dict:
    return {"register": args.register, "frame": args.frame, "pl_index": args.pl_index, "claims": args.claims}


def _print_findings(findings, stream=None) -> None:
    stream = stream or sys.stderr
    for finding in findings:
        print(finding, file=stream)


def cmd_validate(args: argparse.Namespace) -> int:
    from analysis import tables
    from analysis.dataset import check_inputs
    from analysis.frame import AGREES

    data, findings = check_inputs(**_inputs(args))
    _print_findings(findings, sys.stdout)
    if data is None:
        count = sum(1 for f in findings if f.is_error)
        print(f"{count} fejl; inddata kan ikke bruges.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if data.claims is not None and (data.claims["status"] != AGREES).any():
        remark = tables.prose_summary(data.claims)
        print("bemærk: " + remark.heading)
        for line in remark.lines:
            print(f"  - {line}")
    needs = len(data.register)
    print(f"Inddata er gyldige: {needs} behov, rammen {data.years[0]}–{data.years[-1]} ({data.price_year} p/l).")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from analysis.render import RenderError, render_report

    try:
        render_report(args.year, args.event, inputs=_inputs(args), out=args.out)
    except RenderError as exc:
        print(f"Rapporten kunne ikke dannes: {exc}", file=sys.stderr)
        print("Den tidligere rapport er uændret.", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_kernel(args: argparse.Namespace) -> int:
    from analysis.render import KERNEL_NAME, ensure_kernel

    ensure_kernel()
    if not args.quiet:
        print(f'Kernen "{KERNEL_NAME}" kører {sys.executable}')
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digiramme",
        description="Finansieringsramme til digital udviklings- og omstillingsplan (Københavns Kommune, ØKF).",
    )
    parser.add_argument("--version", action="version", version=f"digiramme {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    validate = sub.add_parser("validate", help="tjek behovsregister og ramme; exit 0 gyldig, 2 ugyldig")
    _input_args(validate)
    validate.set_defaults(func=cmd_validate)

    report = sub.add_parser("report", help="dan HTML-rapporten i reports/<år>-<begivenhed>/")
    report.add_argument("--year", type=int, required=True, help="budgetår, fx 2026")
    report.add_argument("--event", choices=["budget", "OFS"], required=True, help="budget eller OFS")
    report.add_argument("--out", metavar="DIR", help="mappe til rapporten; standard: reports/<år>-<begivenhed>")
    _input_args(report)
    report.set_defaults(func=cmd_report)

    kernel = sub.add_parser("kernel", help='installér Jupyter-kernen "digiramme" for dette miljø')
    kernel.add_argument("--quiet", action="store_true")
    kernel.set_defaults(func=cmd_kernel)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        _print_findings(exc.findings)
        count = sum(1 for f in exc.findings if f.is_error)
        print(f"{count} fejl; inddata kan ikke bruges.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("Afbrudt.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
