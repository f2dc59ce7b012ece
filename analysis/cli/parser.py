"""The argument parser: argparse in Danish, with one-line errors that name the option and
what it may be and point to ``--help``, and subcommands whose options are loaded only for the
command that runs (pip's layout), so the command line starts at once."""

from __future__ import annotations

import argparse
import re
import sys

from analysis import __version__
from analysis.cli import commands

EXIT_BAD_INPUT = 2

_ENGLISH_USAGE_ERRORS = [
    (r"the following arguments are required: (.*)", r"mangler: \1"),
    (r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)", r"\1: '\2' er ikke et gyldigt valg; vælg \3"),
    (r"argument (\S+): invalid (\w+) value: '([^']*)'", r"\1: '\3' er ikke et gyldigt tal"),
    (r"argument (\S+): expected one argument", r"\1 mangler en værdi"),
    (r"argument (\S+): ignored explicit argument '([^']*)'", r"\1 tager ingen værdi ('\2')"),
    (r"argument (\S+): not allowed with argument (\S+)", r"\1 kan ikke bruges sammen med \2"),
    (r"argument (\S+): (.*)", r"\1: \2"),
    (r"unrecognized arguments: (.*)", r"ukendte tilvalg: \1"),
    (r"invalid choice: '([^']*)' \(choose from (.*)\)", r"'\1' er ikke en kommando; brug \2"),
]


def danish(message: str) -> str:
    """argparse's English error message in Danish."""
    for pattern, words in _ENGLISH_USAGE_ERRORS:
        if re.fullmatch(pattern, message, re.S):
            return re.sub(pattern, words, message, flags=re.S)
    return message


class DanishArgumentParser(argparse.ArgumentParser):
    """argparse with its help and errors in Danish. An error is one line on stderr that
    names the option and what is wrong, and points to ``--help``; the exit code is 2."""

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
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {danish(message)}; se {self.prog} --help\n")


def command_named(argv: list[str]) -> str | None:
    """The command ``argv`` asks for (its first word that is not an option), if known."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in commands.COMMANDS else None


def build_parser(command: str | None = None, everything: bool = True) -> DanishArgumentParser:
    """The parser. Every command is listed; the options of ``command`` only (or, with
    ``everything``, of every command: ``--help`` pages, documentation, tests)."""
    parser = DanishArgumentParser(
        prog="digiramme",
        description="Finansieringsramme til digital udviklings- og omstillingsplan (Københavns Kommune, ØKF).",
    )
    parser.add_argument("--version", action="version", version=f"digiramme {__version__}", help="vis versionen")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO", parser_class=DanishArgumentParser)
    for name, summary in commands.COMMANDS.items():
        child = sub.add_parser(name, help=summary, description=summary)
        if everything or name == command:
            module = commands.load(name)
            module.add_arguments(child)
            child.set_defaults(run=module.run)
    return parser


def parse(argv: list[str] | None) -> argparse.Namespace:
    argv = sys.argv[1:] if argv is None else list(argv)
    return build_parser(command_named(argv), everything=False).parse_args(argv)
