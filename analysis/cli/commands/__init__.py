"""The commands, each a module with ``add_arguments(parser)`` and ``run(args) -> exit code``,
imported only when the command runs (or its help is shown)."""

from __future__ import annotations

import importlib

# name → the one line `digiramme --help` shows for it
COMMANDS = {
    "validate": "tjek inddata; én linje pr. problem med fil, række og kolonne; exit 0 gyldig, 2 ugyldig",
    "template": "skriv indmeldingsskabelonen (.xlsx), som forvaltningerne udfylder",
    "collect": "saml forvaltningernes indmeldinger til ét behovsregister",
    "report": "dan HTML-rapporten for et budget eller en overførselssag i reports/<år>-<begivenhed>/",
    "allocate": "beregn et forslag til udmøntning inden for rammen",
    "followup": "opfølgning: forbrug mod ramme, overførsler (OFS) og gevinster",
    "robustness": "kerneindeks under usikre omkostninger og vægte, og den effektive rand",
    "archive": "ryd op i arkivet af tidligere rapporter: behold de nyeste --keep kopier af hver",
    "kernel": 'installér Jupyter-kernen "digiramme" for dette miljø',
}


def load(name: str):
    return importlib.import_module(f"analysis.cli.commands.{name}")
