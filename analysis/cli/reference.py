"""The CLI reference, written from the parser itself: ``python -m analysis.cli.reference
docs/cli.md`` (``make cli-reference``). A test fails when docs/cli.md and the parser drift."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def text() -> str:
    from analysis.cli import commands
    from analysis.cli.parser import build_parser

    os.environ["COLUMNS"] = "100"  # the same wrapping wherever it is written
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices
    parts = [
        "# Command reference\n",
        "Generated from the parser (`make cli-reference`); every command also answers `--help` in Danish.\n",
        "```text\n" + parser.format_help().rstrip() + "\n```\n",
    ]
    for name in commands.COMMANDS:
        parts.append(f"## digiramme {name}\n")
        parts.append("```text\n" + sub[name].format_help().rstrip() + "\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/cli.md")
    out.write_text(text(), encoding="utf-8")
    print(f"Kommandoreferencen er skrevet til {out}")
