"""``digiramme validate``: check the inputs, one line per problem naming file, row and column."""

from __future__ import annotations

import sys

from analysis.cli import options


def add_arguments(parser) -> None:
    options.input_files(parser)


def run(args) -> int:
    from analysis.inputs.dataset import check_inputs
    from analysis.report import terminal

    data, findings = check_inputs(**options.inputs(args))
    terminal.print_findings(findings, sys.stdout)
    if data is None:
        count = sum(1 for f in findings if f.is_error)
        print(f"{count} fejl; inddata kan ikke bruges.", file=sys.stderr)
        return 2
    print(terminal.validation_text(data))
    return 0
