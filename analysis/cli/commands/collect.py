"""``digiramme collect``: the forvaltninger's submissions merged into one register."""

from __future__ import annotations

from pathlib import Path

from analysis.cli import options
from analysis.inputs.constraints import Ids


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
        "--keep-previous",
        action="store_true",
        help="før sidste års behov videre (finansierede og åbne) fra --previous-register; et id, som en fil "
        "indmelder igen, får filens nye række",
    )
    parser.add_argument(
        "--drop",
        type=Ids().parse,
        default=(),
        metavar="ID-LISTE",
        help="sidste års åbne behov, der ikke føres videre (trukket tilbage), adskilt af komma; "
        "kun med --keep-previous",
    )
    parser.add_argument(
        "--forvaltning-from-filename",
        action="store_true",
        help="tom forvaltning tages fra filnavnet (fx behov_BUF.xlsx → BUF)",
    )
    parser.add_argument("--json", action="store_true", help="skriv ét JSON-objekt på stdout")


def run(args) -> int:
    from analysis import stopping
    from analysis.cli.output import emit, warn
    from analysis.inputs import intake, paths, snapshot
    from analysis.inputs.findings import BadArgument
    from analysis.report import template, terminal

    files = [Path(p) for p in args.files]
    out = Path(args.out)
    if args.keep_previous and not args.previous_register:
        raise BadArgument(
            "--keep-previous kræver --previous-register: sidste års register, som behovene føres videre fra"
        )
    if args.drop and not args.keep_previous:
        raise BadArgument("--drop gælder kun sammen med --keep-previous")
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise BadArgument(f"{out.name}: registeret skal ende på .csv eller .xlsx")
    if out.is_dir():
        raise BadArgument(f"{out} er en mappe; angiv et filnavn, fx {out / 'behovsregister.csv'}")
    protected = [*files, *([Path(args.previous_register)] if args.previous_register else [])]
    if any(out.resolve() == p.resolve() for p in protected):
        raise BadArgument(f"{out} er en af inddatafilerne; vælg et andet filnavn")
    # each submission read once, from a copy taken at the start: a file saved again while
    # collect runs cannot give a register of two versions
    originals = {f"fil_{k}": paths.resolve(p) for k, p in enumerate(files)}
    if args.previous_register:
        originals["previous_register"] = paths.resolve(args.previous_register)
    snap = snapshot.take(originals)
    try:
        with stopping.on_stop(snap.remove):
            result = _collect(args, snap, len(files))
    finally:
        snap.remove()
    for sub in [*result.submissions, *([result.carried] if result.carried is not None else [])]:
        sub.path = snap.original(sub.path)  # the messages and the summary name the user's files
    summary = intake.summary(result)
    if args.json:  # the text names each file's warnings under it; JSON's stdout has room for nothing else
        warn(args, [f for sub in result.submissions for f in sub.findings] + result.findings)
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


def _collect(args, snap, count: int):
    from analysis.inputs import intake
    from analysis.inputs.findings import InputError
    from analysis.inputs.register import load_register

    previous = None
    if "previous_register" in snap.copies:
        previous, found = load_register(snap.copies["previous_register"])
        if previous is None or any(f.is_error for f in found):
            raise InputError(found)
    copies = [snap.copies[f"fil_{k}"] for k in range(count)]
    keep_from = snap.copies["previous_register"] if args.keep_previous else None
    return intake.collect(copies, args.forvaltning_from_filename, previous, keep_from, tuple(args.drop))
