"""The ``digiramme`` command (also ``python -m analysis``): the same functions the notebooks
call, for schedules and scripts. One module per command under :mod:`.commands`, loaded only
when it runs; :mod:`.options` makes the options from the parameter table; :mod:`.main` maps
every ending to an exit code."""

from analysis.cli.main import main
from analysis.cli.parser import build_parser

__all__ = ["build_parser", "main"]
