"""``digiramme collect``: the forvaltninger's submissions merged into one register."""

from __future__ import annotations

from pathlib import Path

from analysis.cli import options


def add_arguments(parser) -> None:
    parser.add_argument(
        "files", nargs="+", type=options.path, metavar="FILER", help="udfyldte skabeloner eller registre"
    )
    parser.add_argument(
        "--out", type=options.path, required=True, metavar="REGISTER", help="det samlede register (.csv/.xlsx)"
    )
    parser.add_argument(
        "--previous-register", type=options.path, metavar="STI", help="sidste års register: nye, udgåede"
    )
    parser.add_argument(
        "--forvaltning-from-filename",
        action="store_true",
        help="tom forvaltning tages fra filnavnet (fx behov_BUF.xlsx → BUF)",
    )
    parser.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")


def run(args) -> int:
    from analysis.cli.output import emit
    from analysis.inputs import intake, paths
    from analysis.inputs.findings import BadArgument, InputError
    from analysis.inputs.register import load_register
    from analysis.report import template, terminal

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
            emit(args, summary, terminal.collect_text)
        intake.raise_if_bad(result)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        template.write_register(result.register, out)
    except OSError as exc:
        raise BadArgument(f"{out} kan ikke skrives: {exc.strerror or exc}") from None
    summary["out"] = str(out)
    return emit(args, summary, terminal.collect_text)
