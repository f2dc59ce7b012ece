"""``digiramme kernel``: (re)register the Jupyter kernel for this environment."""

from __future__ import annotations

import sys


def add_arguments(parser) -> None:
    parser.add_argument("--quiet", action="store_true", help="skriv intet, når kernen er på plads")


def run(args) -> int:
    from analysis.report.render.kernel import KERNEL_NAME, ensure_kernel

    ensure_kernel()
    if not args.quiet:
        print(f'Kernen "{KERNEL_NAME}" kører {sys.executable}')
    return 0
