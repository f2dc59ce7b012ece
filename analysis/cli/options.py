"""The command line's options, made from the parameter table
(:mod:`analysis.inputs.parameters`): each option's type, range, choices and default come
from the parameter's declaration, and only its Danish help text and placeholder are here.

An option not given is left out of the parsed arguments (its default is the parameter's,
applied when the parameters are made), so an explicit option can be told from a default,
for instance over a scenario file.
"""

from __future__ import annotations

import argparse
import unicodedata
from typing import Any

from analysis.inputs import parameters as p
from analysis.inputs import paths
from analysis.inputs.cells import decomposed, format_number

# Every parameter's help, by kind and field. A parameter a command offers must have one
# (a test checks it); the default is added from the declaration.
HELP: dict[type, dict[str, str]] = {
    p.Options: {
        "strategy": (
            "hvad forslaget vælger efter: max-potential = størst vægtet sum af de fire potentialers point (0–5); "
            "max-benefit = størst sum af gevinst pr. år ved fuld effekt; max-npv = størst nettonutidsværdi over "
            "levetiden (investering, afledt drift, dobbeltdrift og gevinst); priority = registerets prioritet, "
            "gennemgået i rækkefølge, en rangordning og ikke en optimering"
        ),
        "cost_level": "omkostningen der planlægges med: min, expected (forventet) eller max",
        "weights": (
            "vægte for tilgængelighed, aflastning, forenkling og skalering, adskilt af komma eller semikolon, "
            "fx 1,2,1,1 (aflastning vægter dobbelt) eller 1;0,5;1;1"
        ),
        "time_preference": (
            "hvor meget mere en start et år tidligere er værd, som andel pr. år, fx 0,03 for 3 %% (0 er tilladt)"
        ),
        "carry_over": (
            "planlæg med overførsel af uforbrugte midler til senere år i samme styringsområde (en følsomhed; "
            "--no-carry-over: hvert år for sig, som ØU får forelagt)"
        ),
        "force_in": "id'er der skal med, adskilt af komma",
        "force_out": "id'er der ikke må komme med, adskilt af komma",
        "explain": "genberegn for at forklare, hvorfor hvert behov ikke er med (--no-explain: spring over)",
        "time_limit": "tidsgrænse i sekunder for hele beregningen, forklaringerne medregnet",
        "explain_time_limit": "sekunder til forklaringernes genberegninger tilsammen",
        "plan_year": "planåret: påbegyndte investeringer står fast, kun åbne behov besluttes (uden: rammens første år)",
        "release": "påbegyndte investeringer der stoppes fra planåret, adskilt af komma",
        "discount_rate": (
            "diskonteringsrenten for behovenes nutidsværdi (max-npv og business casen), real, som andel pr. år "
            "(Finansministeriets 3,5 %% fra 2021)"
        ),
        "max_running_cost": (
            "loft over den afledte drift pr. år i tusind kr., som de finansierede behov efterlader på servicerammen, "
            "påbegyndte investeringer medregnet (uden: intet loft)"
        ),
    },
    p.Sampling: {
        "samples": "højst så mange udfald for omkostninger og for vægte",
        "seed": "frø for tilfældighederne: samme frø og inddata giver samme resultat",
        "adaptive": (
            "stop, når hvert behovs klasse ligger fast (99 %%-interval), dog mindst --min-samples udfald "
            "(--no-adaptive: træk præcis --samples)"
        ),
        "min_samples": "mindst så mange udfald, før det adaptive stop kan stoppe",
        "margin": (
            "det adaptive stop stopper også, når et behov, hvis klasse ikke ligger fast, har sit kerneindeks kendt "
            "inden for så mange procentpoint til hver side (0: kun afgjorte klasser stopper)"
        ),
        "gap": (
            "stop hver løsning, når den er bevist inden for denne andel fra det bedste, fx 0,01 for 1 %% "
            "(0: bevis hver løsning optimal; store registre kan da ramme tidsgrænsen)"
        ),
        "time_limit": "sekunder pr. løsning; et udfald stoppet af uret afhænger af maskinens hastighed",
        "workers": "lokale processer, der løser udfaldene",
    },
    p.Rules: {
        "carry_over": (
            "foreslå hver investerings bundne midler overført til den i næste år (--no-carry-over: intet overføres)"
        ),
        "fund_from_free": (
            "de frie midler bliver i puljen til åbne behov, der kan starte næste år, i stedet for at blive "
            "tilbageført kassen (alternativet ØU kan vælge)"
        ),
        "beyond_frame": (
            "i rammens sidste år overføres de bundne midler til året efter rammen (kræver ØU's særskilte beslutning)"
        ),
        "cap": "loft over overførslen som andel af årets ramme, fx 0,5 (uden: intet loft)",
        "cover_overspend": (
            "investeringer, hvis merforbrug ØU dækker af puljens midler, der aldrig blev udmøntet (en udmøntning "
            "for året), adskilt af komma; uden: et merforbrug følger investeringen ind i næste år"
        ),
        "overspend_threshold": "et merforbrug på mindst så mange t.kr. nævnes i indstillingen",
        "deviation_threshold": "markér forbrug, der afviger mere end denne andel fra det udmøntede",
        "at_risk": "en gevinst er i risiko, når den er mere end denne andel af vejen bagud",
        "off_track": "en gevinst er bagud, når den er mere end denne andel af vejen bagud",
    },
}

PLACEHOLDERS = {
    "time_preference": "ANDEL",
    "discount_rate": "ANDEL",
    "max_running_cost": "T.KR",
    "overspend_threshold": "T.KR",
    "gap": "ANDEL",
    "cap": "ANDEL",
    "deviation_threshold": "ANDEL",
    "at_risk": "ANDEL",
    "off_track": "ANDEL",
    "time_limit": "SEK",
    "explain_time_limit": "SEK",
    "plan_year": "ÅR",
    "seed": "FRØ",
    "samples": "ANTAL",
    "min_samples": "ANTAL",
    "margin": "ANDEL",
    "workers": "ANTAL",
}


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def dest(kind: type, name: str) -> str:
    """Where an option's value lands: per kind, so that one flag name (``--time-limit``) can
    mean one kind's parameter in one command and another's in the next."""
    return f"{kind.__name__.lower()}.{name}"


def shown_default(value: Any) -> str:
    """A default as the reports write it: 0,03; ja/nej; 1,1,1,1; 1.000."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, tuple):
        return ",".join(shown_default(v) for v in value) or "ingen"
    if isinstance(value, int):
        return format_number(value) if value >= 10_000 else str(value)
    if isinstance(value, float):
        return format_number(value, 0 if value.is_integer() else len(repr(value).split(".")[1]))
    return str(value)


class YesNo(argparse.Action):
    """``--carry-over`` / ``--no-carry-over``: one parameter, said yes or no (argparse's
    BooleanOptionalAction without its English default text)."""

    def __init__(self, option_strings, dest, help=None):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, not option_string.startswith("--no-"))

    def format_usage(self) -> str:
        return " | ".join(self.option_strings)


def _type(name: str, spec: p.Spec):
    """An argparse type that parses by the parameter's constraint and says, in Danish,
    what a refused value must be."""

    def parse(text: str):
        if not text.strip():
            raise argparse.ArgumentTypeError("værdien er tom")
        try:
            return spec.parse(name, text)
        except p.ParameterError as exc:
            raise argparse.ArgumentTypeError(exc.detail) from None

    parse.__name__ = name
    return parse


def add(
    parser: argparse.ArgumentParser,
    kind: type,
    names: tuple[str, ...],
    helps: dict[str, str] | None = None,
    choices: dict[str, tuple[str, ...]] | None = None,
) -> None:
    """Add the options of ``kind``'s parameters ``names``. ``helps`` replaces a help text
    and ``choices`` narrows a parameter's choices where a command means something narrower."""
    specs, defaults = kind.specs(), kind.defaults()
    for name in names:
        spec, default = specs[name], defaults[name]
        text = (helps or {}).get(name, HELP[kind][name])
        if default is not None:
            text += f" (standard: {shown_default(default)})"
        if isinstance(spec.constraint, p.Flag):
            parser.add_argument(flag(name), "--no-" + flag(name)[2:], dest=dest(kind, name), action=YesNo, help=text)
            continue
        extra: dict[str, Any] = {}
        if isinstance(spec.constraint, p.Choice):
            extra["choices"] = list((choices or {}).get(name, spec.constraint.choices))
        else:
            extra["type"] = _type(flag(name), spec)
            extra["metavar"] = _placeholder(name, spec)
        parser.add_argument(flag(name), dest=dest(kind, name), default=argparse.SUPPRESS, help=text, **extra)


def _placeholder(name: str, spec: p.Spec) -> str:
    if name in PLACEHOLDERS:
        return PLACEHOLDERS[name]
    constraint = spec.constraint
    if isinstance(constraint, p.Ids):
        return "ID-LISTE"
    if isinstance(constraint, p.Weights):
        return "V1,V2,V3,V4"
    return "TAL"


def given(args: argparse.Namespace, kind: type) -> dict:
    """The parameters of ``kind`` given on the command line (only those)."""
    return {name: getattr(args, dest(kind, name)) for name in kind.specs() if hasattr(args, dest(kind, name))}


def build(kind: type, args: argparse.Namespace, base=None):
    """The parameters of ``kind``: ``base`` (or the defaults) with the options given. An id
    typed with a combining mark (``A`` + U+030A for ``Å``, as some keyboards and copies give
    it) is read in its composed form (NFC), as the register's ids are, with a warning."""
    values = given(args, kind)
    notes = []
    for name, value in values.items():
        if isinstance(kind.specs()[name].constraint, p.Ids):
            notes += [f"advarsel: {flag(name)}: {decomposed(i)}" for i in value if decomposed(i)]
            values[name] = tuple(unicodedata.normalize("NFC", i) for i in value)
    if notes:
        from analysis.cli.output import warn

        warn(args, notes)
    return p.from_mapping(kind, values, base, label=flag)


def path(text: str) -> str:
    """An argparse type: a path that is not empty (an unset variable in a schedule gives
    ``--register ""``, which must not fall back to the shipped file)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("stien er tom; angiv en fil")
    from analysis.inputs.paths import loop_problem

    problem = loop_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def iso_date(text: str):
    """An argparse type: a date written ÅÅÅÅ-MM-DD."""
    import datetime

    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" er ikke en dato på formen ÅÅÅÅ-MM-DD') from None


def year(text: str) -> int:
    """An argparse type: a year, as the parameters' years are checked."""
    spec = p.Spec(p.YEAR)
    try:
        return spec.parse("year", text)
    except p.ParameterError as exc:
        raise argparse.ArgumentTypeError(exc.detail) from None


# each input file's option, what it holds, and its default (declared once, in paths.py)
INPUT_FILES = {
    "register": ("behovsregister (CSV eller .xlsx)", paths.DEFAULT_REGISTER),
    "frame": ("finansieringsrammen (CSV eller .xlsx)", paths.DEFAULT_FRAME),
    "pl_index": ("p/l-indekset", paths.DEFAULT_PL_INDEX),
    "claims": ("beløb i notatets tekst", paths.DEFAULT_CLAIMS),
    "bevillinger": ("bevillinger pr. behov, år og styringsområde", paths.DEFAULT_BEVILLINGER),
    "forbrug": ("forbrug pr. behov, år og styringsområde", paths.DEFAULT_FORBRUG),
    "gevinster": ("gevinstindikatorer med baseline, mål og målinger", paths.DEFAULT_GEVINSTER),
}
INPUT_KEYS = (*INPUT_FILES, "previous_register")


def input_files(parser: argparse.ArgumentParser) -> None:
    """The input files every command that reads the data takes."""
    for key, (what, default) in INPUT_FILES.items():
        shown = default.relative_to(paths.ROOT)
        parser.add_argument(flag(key), type=path, metavar="STI", help=f"{what}; standard: {shown}")


def inputs(args: argparse.Namespace) -> dict:
    return {key: getattr(args, key, None) for key in INPUT_KEYS}
