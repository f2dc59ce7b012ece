"""``digiramme archive --keep N``: prune the archive of earlier reports."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.cli import options


def _count(text: str) -> int:
    """A count read as every number is (``3``, ``1 000``; not ``1_0``)."""
    from analysis.inputs.constraints import Number

    try:
        return Number(0, whole=True).parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f'"{text}" {exc}') from None


def add_arguments(parser) -> None:
    parser.add_argument(
        "--keep",
        type=_count,
        required=True,
        metavar="ANTAL",
        help="behold de nyeste så mange arkiverede kopier af hver rapport; ældre fjernes, men kun kopier, "
        "som digiramme selv har skrevet og som er uændrede",
    )
    parser.add_argument(
        "--reports", type=options.path, metavar="MAPPE", help="rapportmappen med arkiv/ (standard: reports)"
    )
    parser.add_argument("--dry-run", action="store_true", help="sig, hvad der ville blive fjernet, og fjern intet")


def run(args) -> int:
    from analysis.inputs.paths import REPORT_DIR
    from analysis.report.render.publish import prune

    reports = Path(args.reports) if args.reports else REPORT_DIR
    removed, spared = prune(reports, args.keep, dry_run=args.dry_run)
    verb = "Ville fjerne" if args.dry_run else "Fjernet"
    for path in removed:
        print(f"{verb}: {path}")
    for path, why in spared:
        print(f"Beholdt: {path} ({why})")
    if not removed and not spared:
        print(f"Intet at fjerne: højst {args.keep} kopier af hver rapport i {reports / 'arkiv'}")
    return 0
