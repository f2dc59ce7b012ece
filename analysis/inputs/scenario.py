"""Scenario files: an analyst's settings from the JupyterLab workbench, saved as a small JSON
file a person can read and diff (``scenarier/<navn>.json``), validated like every input.

Example::

    {
      "navn": "Mere anlæg",
      "beskrivelse": "Anlægsrammen 20 % større",
      "strategy": "max-potential",
      "cost_level": "expected",
      "weights": [1, 2, 1, 1],
      "time_preference": 0.03,
      "carry_over": false,
      "force_in": ["DATA-01"],
      "force_out": [],
      "frame_scale": {"service": 1.0, "anlæg": {"2027": 1.2, "2028": 1.2}},
      "need_overrides": {"AI-01": {"cost": 8000, "start_year": 2027}},
      "plan_year": 2027,
      "release": []
    }

Besides ``navn`` (required), ``beskrivelse``, ``frame_scale`` and ``need_overrides``, a key
is an allocation parameter (:class:`~analysis.inputs.parameters.Options`), checked against
its constraint; keys left out keep the defaults. A pool's ``frame_scale`` is one factor for
all years (``"anlæg": 1.2``) or one per year of the frame (years not named keep 1).
``need_overrides`` sets one need's cost (1.000 kr., at every cost level, within its range
or beyond it) and/or its start year (a year of the frame), for this scenario only. The file is read
strictly: a key given twice, a number written as text, a year that is not a year of the
frame are errors naming the file and the key.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.inputs import limits
from analysis.inputs.cells import INVISIBLE, format_plain, unknown_id, visible
from analysis.inputs.contracts import POOLS
from analysis.inputs.findings import ERROR, Finding, InputError
from analysis.inputs.parameters import DECISION_KEYS, Options, ParameterError, from_mapping

# the scenario's own; every other key is an Options field
OWN_KEYS = ("navn", "beskrivelse", "frame_scale", "need_overrides")
OVERRIDE_KEYS = ("cost", "start_year")  # what a need override may set
_YEAR_KEY = re.compile(r"[0-9]{4}")  # "2027"; not "02027", "²⁰²⁷" or " 2027"


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: its name, what it says it is, the allocation parameters it
    sets (only those it names) and the factor on each pool's frame."""

    name: str
    description: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    frame_scale: dict[str, Any] | None = None
    path: Path | None = None
    # need id → {"cost": 1.000 kr., "start_year": year}: one need's cost or start changed
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)

    def options(self, base: Options | None = None) -> Options:
        """The scenario's parameters over ``base`` (or the defaults)."""
        return from_mapping(Options, self.settings, base)

    def as_dict(self) -> dict[str, Any]:
        """The scenario as its file holds it, keys in the documented order."""
        out: dict[str, Any] = {"navn": self.name}
        if self.description:
            out["beskrivelse"] = self.description
        checked = self.options().as_dict()
        out |= {key: checked[key] for key in Options.specs() if key in self.settings}
        if self.frame_scale is not None:
            out["frame_scale"] = self.frame_scale
        if self.overrides:
            out["need_overrides"] = {
                need: {key: change[key] for key in OVERRIDE_KEYS if key in change}
                for need, change in sorted(self.overrides.items())
            }
        return out


class _Duplicate(ValueError):
    pass


def _strict_object(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


class _Huge:
    """An integer of more than 18 digits, kept as its text so that the key it belongs to
    can be named (beyond what a float holds exactly, let alone a parameter)."""

    def __init__(self, text: str):
        self.digits = len(text.lstrip("-"))

    def __repr__(self) -> str:
        return f"et tal med {self.digits} cifre"


def _strict_int(text: str):
    if len(text.lstrip("-")) > 18:
        return _Huge(text)
    return int(text)


def _huge(value) -> _Huge | None:
    """The first over-long integer anywhere in ``value``."""
    if isinstance(value, _Huge):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return next((h for h in map(_huge, value) if h is not None), None)
    return None


# json's messages in Danish, for an analyst who edited a scenario file by hand
_JSON_MESSAGES = {
    "Expecting property name enclosed in double quotes": "her ventes en nøgle i anførselstegn (et komma for meget?)",
    "Expecting ',' delimiter": "her mangler et komma",
    "Expecting ':' delimiter": "her mangler et kolon efter nøglen",
    "Expecting value": "her mangler en værdi",
    "Extra data": "der står mere efter scenariets afsluttende }",
    "Unterminated string starting at": "en tekst åbnes her med et anførselstegn og lukkes aldrig",
    "Invalid control character at": "et styretegn (fx et linjeskift) inde i en tekst",
    "Invalid \\escape": "en ugyldig \\-kode i en tekst",
}


def _json_problem(exc: json.JSONDecodeError) -> str:
    what = _JSON_MESSAGES.get(exc.msg, exc.msg)
    return f"filen er ikke gyldig JSON: {what} (linje {exc.lineno}, tegn {exc.colno})"


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def load_scenario(
    path: str | Path, known_ids: set[str], years: list[int] | None = None
) -> tuple[Scenario | None, list[Finding]]:
    """Read and check a scenario file against the register's ids and the frame's years;
    returns the scenario and every finding, each naming the file and the key."""
    path = Path(path)
    name = path.name

    def error(message: str, key: str | None = None) -> Finding:
        return Finding(ERROR, name, message, column=key, place="nøgle")

    try:
        if not path.is_file():
            return None, [error(f"filen findes ikke ({path})" if not path.exists() else f"{path} er ikke en fil")]
        with open(path, "rb") as handle:
            data = handle.read(limits.MAX_SCENARIO_BYTES + 1)
    except OSError as exc:
        return None, [error(f"filen kan ikke læses: {exc.strerror}")]
    if len(data) > limits.MAX_SCENARIO_BYTES:
        return None, [error("filen er for stor til at være et scenarie")]
    try:
        settings = json.loads(
            data.decode("utf-8-sig"),
            object_pairs_hook=_strict_object,
            parse_int=_strict_int,
            parse_constant=lambda c: float("nan"),
        )
    except _Duplicate as exc:
        return None, [error("nøglen står to gange; skriv den én gang", str(exc))]
    except UnicodeDecodeError:
        return None, [error("filen er ikke UTF-8-tekst")]
    except json.JSONDecodeError as exc:
        return None, [error(_json_problem(exc))]
    except (OverflowError, ValueError):
        return None, [error("filen er ikke gyldig JSON: et tal kan ikke læses")]
    except RecursionError:
        return None, [error("filen er ikke et scenarie: den er indlejret for dybt")]
    if not isinstance(settings, dict):
        return None, [error("et scenarie er et JSON-objekt med nøgler som navn, strategy og weights")]
    findings = _check(settings, known_ids, years, error)
    if findings:
        return None, findings
    own = {key: settings[key] for key in OWN_KEYS if key in settings}
    parameters = {key: value for key, value in settings.items() if key not in OWN_KEYS}
    return (
        Scenario(
            name=own["navn"].strip(),
            description=own.get("beskrivelse", ""),
            settings=parameters,
            frame_scale=own.get("frame_scale"),
            path=path,
            overrides=own.get("need_overrides", {}),
        ),
        [],
    )


def _check(settings: dict, known_ids: set[str], years: list[int] | None, error) -> list[Finding]:
    findings = []
    specs = Options.specs()
    known = [*OWN_KEYS[:2], *specs, *OWN_KEYS[2:]]
    for key in settings:
        if key not in OWN_KEYS and key not in specs:
            findings.append(error("nøglen er ukendt; kendte nøgler: " + ", ".join(known), key))
    title = settings.get("navn")
    if not isinstance(title, str) or not title.strip():
        findings.append(error("scenariet skal have et navn", "navn"))
    elif name_problem(title):
        findings.append(error(name_problem(title), "navn"))
    description = settings.get("beskrivelse", "")
    if not isinstance(description, str):
        findings.append(error("skal være tekst", "beskrivelse"))
    elif len(description) > limits.MAX_SCENARIO_DESCRIPTION:
        findings.append(
            error(f"beskrivelsen har {len(description)} tegn; højst {limits.MAX_SCENARIO_DESCRIPTION}", "beskrivelse")
        )
    for key, value in settings.items():
        huge = _huge(value)
        if huge is not None:
            findings.append(error(f"{huge!r}; højst 18 cifre", key))
            continue
        if key not in specs:
            continue
        constraint = specs[key].constraint
        if getattr(constraint, "whole", False) and isinstance(value, float):
            findings.append(error(f"{value!r} skal skrives som et helt tal uden decimaler", key))
            continue
        try:
            checked = specs[key].check(key, value)
        except ParameterError as exc:
            findings.append(error(exc.detail, key))
            continue
        if key in DECISION_KEYS:
            findings += [error(_unknown_id(i, known_ids), key) for i in checked if i not in known_ids]
        if key == "plan_year" and checked is not None and years and checked not in years:
            findings.append(error(f"{checked} er ikke et år i rammen ({years[0]}–{years[-1]})", key))
    if "frame_scale" in settings:
        findings += _check_scales(settings["frame_scale"], years, error)
    if "need_overrides" in settings:
        findings += _check_overrides(settings["need_overrides"], known_ids, years, error)
    return findings


def _check_overrides(value, known_ids: set[str], years: list[int] | None, error) -> list[Finding]:
    key = "need_overrides"
    example = 'fx {"AI-01": {"cost": 8000, "start_year": 2027}}'
    if not isinstance(value, dict):
        return [error(f"skal have et id pr. behov med cost og/eller start_year, {example}", key)]
    findings = []
    for need_id, change in value.items():
        if need_id not in known_ids:
            findings.append(error(_unknown_id(need_id, known_ids), key))
            continue
        if not isinstance(change, dict) or not change or not set(change) <= set(OVERRIDE_KEYS):
            findings.append(error(f"{need_id}: angiv cost (1.000 kr.) og/eller start_year, {example}", key))
            continue
        cost = change.get("cost")
        if "cost" in change and not (_finite(cost) and 0 < cost <= limits.MAX_AMOUNT):
            findings.append(error(f"{need_id}: cost skal være et beløb i 1.000 kr. over 0", key))
        start = change.get("start_year")
        if "start_year" in change and (not isinstance(start, int) or isinstance(start, bool)):
            findings.append(error(f"{need_id}: start_year skal være et årstal, fx 2027", key))
        elif "start_year" in change and years and start not in years:
            findings.append(error(f"{need_id}: {start} er ikke et år i rammen ({years[0]}–{years[-1]})", key))
    return findings


def _unknown_id(need_id: str, known_ids: set[str]) -> str:
    return unknown_id(need_id, known_ids)


def _check_scales(value, years: list[int] | None, error) -> list[Finding]:
    key = "frame_scale"
    if not isinstance(value, dict) or not value or not set(value) <= set(POOLS):
        return [error('skal have en faktor for service og/eller anlæg, fx {"anlæg": 1.2}', key)]
    findings = []
    bound = limits.MAX_FRAME_SCALE
    for pool, factor in value.items():
        factors = factor.items() if isinstance(factor, dict) else [(None, factor)]
        if isinstance(factor, dict) and not factor:
            findings.append(error(f"{pool}: angiv mindst ét år med en faktor", key))
        for year, v in factors:
            where = f"{pool} {year}" if year is not None else pool
            if year is not None and not _YEAR_KEY.fullmatch(year):
                findings.append(error(f'{pool}: "{year}" er ikke et årstal skrevet med fire cifre', key))
            elif year is not None and years and int(year) not in years:
                findings.append(error(f"{pool}: {year} er ikke et år i rammen ({years[0]}–{years[-1]})", key))
            elif not (_finite(v) and 0 <= v <= bound):
                findings.append(error(f"{where}: faktoren skal være et tal fra 0 til {format_plain(bound)}", key))
    return findings


def write_scenario(path: str | Path, scenario: Scenario, replace: bool = True) -> Path:
    """Write a scenario as indented JSON with keys in the documented order (a person can
    read and diff it). With ``replace=False`` an existing file is never replaced: raises
    FileExistsError."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(scenario.as_dict(), ensure_ascii=False, indent=2) + "\n"
    with open(path, "w" if replace else "x", encoding="utf-8") as handle:
        handle.write(text)
    return path


def name_problem(title: str) -> str | None:
    """Why a scenario name would be refused when its file is read (None: it would not)."""
    if not title.strip():
        return "scenariet skal have et navn"
    if len(title) > limits.MAX_SCENARIO_NAME:
        return f"navnet har {len(title)} tegn; højst {limits.MAX_SCENARIO_NAME}"
    if INVISIBLE.search(title):
        return f'navnet "{visible(title)}" indeholder et usynligt tegn; skriv det igen'
    return None


_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def slug(title: str) -> str:
    """A scenario's file name (without ``.json``) from its name, in ASCII so that it reads
    and types alike everywhere: ``Mere anlæg`` → ``mere-anlaeg`` (æ ae, ø oe, å aa, other
    accents dropped, anything else a hyphen)."""
    text = unicodedata.normalize("NFKD", title.lower().translate(_DANISH_LETTERS))
    text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[: limits.MAX_SCENARIO_NAME] or "scenarie"


def save_new(folder: str | Path, scenario: Scenario, own: set[Path]) -> tuple[Path, bool]:
    """Save ``scenario`` in ``folder`` as ``<slug>.json``, replacing only a file in ``own``
    (saved by this workbench); another file of that name is kept, and the scenario gets the
    next free name (``<slug>-2.json``, …). Returns the file and whether it got another name."""
    folder = Path(folder)
    base = slug(scenario.name)
    first = folder / f"{base}.json"
    k = 1
    while True:
        path = first if k == 1 else folder / f"{base}-{k}.json"
        if path in own:  # saved by this workbench before: its own to replace
            write_scenario(path, scenario)
            return path, k > 1
        try:
            write_scenario(path, scenario, replace=False)
        except FileExistsError:
            k += 1
            continue
        own.add(path)
        return path, k > 1


def save_target(folder: str | Path, title: str, own: set[Path]) -> tuple[Path, str]:
    """Where a scenario named ``title`` would be saved in ``folder``, and what that means:
    ``"new"`` (no file of that name), ``"replace"`` (a file this workbench saved: it may
    replace it once the analyst says so) or ``"renamed"`` (a file it did not save, never
    replaced: the next free name, ``<slug>-2.json``, …)."""
    folder = Path(folder)
    base = slug(title)
    first = folder / f"{base}.json"
    if not first.exists():
        return first, "new"
    if first in own:
        return first, "replace"
    k = 2
    while (folder / f"{base}-{k}.json").exists() and (folder / f"{base}-{k}.json") not in own:
        k += 1
    path = folder / f"{base}-{k}.json"
    return path, "replace" if path.exists() else "renamed"


def scenario_files(folder: str | Path) -> list[Path]:
    """The scenario files in ``folder``, by name (none when it does not exist)."""
    folder = Path(folder)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def load_scenarios(paths: list, register, years: list[int] | None = None) -> list[Scenario]:
    """Every scenario file checked against the register (and the frame's years); raises
    ``InputError`` naming every problem in every file."""
    known = set(register["id"])
    scenarios, findings = [], []
    for path in paths:
        loaded, found = load_scenario(path, known, years)
        findings += found
        if loaded is not None:
            scenarios.append(loaded)
    if findings:
        raise InputError(findings)
    return scenarios
