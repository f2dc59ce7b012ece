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
      "plan_year": 2027,
      "release": []
    }

Every key but ``navn`` may be left out; the model's defaults then apply. A pool's
``frame_scale`` is one factor for all years (``"anlæg": 1.2``) or one per year (years not
named keep 1).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from analysis.inputs.contracts import POOLS
from analysis.inputs.findings import ERROR, Finding

KEYS = {
    "navn": "text",
    "beskrivelse": "text",
    "strategy": "text",
    "cost_level": "text",
    "weights": "weights",
    "time_preference": "number",
    "carry_over": "bool",
    "force_in": "ids",
    "force_out": "ids",
    "frame_scale": "scales",
    "plan_year": "year",
    "release": "ids",
}
STRATEGIES = ("priority", "max-potential", "max-benefit")
COST_LEVELS = ("min", "expected", "max")
MAX_BYTES = 100_000


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def load_scenario(path: str | Path, known_ids: set[str]) -> tuple[dict | None, list[Finding]]:
    """Read and check a scenario file; returns its settings (only the keys it gives) and
    every finding, each naming the file and the key."""
    path = Path(path)
    name = path.name

    def error(message: str, key: str | None = None) -> Finding:
        return Finding(ERROR, name, message, column=key)

    try:
        if not path.is_file():
            return None, [error(f"filen findes ikke ({path})" if not path.exists() else f"{path} er ikke en fil")]
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [error(f"filen kan ikke læses: {exc.strerror}")]
    if len(data) > MAX_BYTES:
        return None, [error("filen er for stor til at være et scenarie")]
    try:
        settings = json.loads(data.decode("utf-8-sig"), parse_constant=lambda c: float("nan"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        return None, [Finding(ERROR, name, f"filen er ikke gyldig JSON: {getattr(exc, 'msg', exc)}", row=line)]
    if not isinstance(settings, dict):
        return None, [error("et scenarie er et JSON-objekt med nøgler som navn, strategy og weights")]
    findings = [
        error("nøglen er ukendt; kendte nøgler: " + ", ".join(KEYS), key) for key in settings if key not in KEYS
    ]
    if not isinstance(settings.get("navn"), str) or not settings["navn"].strip():
        findings.append(error("scenariet skal have et navn", "navn"))
    for key, kind in KEYS.items():
        if key not in settings:
            continue
        value = settings[key]
        if kind == "text" and not isinstance(value, str):
            findings.append(error("skal være tekst", key))
        elif kind == "number" and not (_finite(value) and value >= 0):
            findings.append(error(f"{value!r} skal være et endeligt tal ≥ 0", key))
        elif kind == "bool" and not isinstance(value, bool):
            findings.append(error("skal være true eller false", key))
        elif kind == "year" and not (isinstance(value, int) and not isinstance(value, bool) and 2000 <= value <= 2100):
            findings.append(error(f"{value!r} er ikke et årstal", key))
        elif kind == "weights" and not (
            isinstance(value, list) and len(value) == 4 and all(_finite(w) and w >= 0 for w in value)
        ):
            findings.append(error("skal være fire tal ≥ 0 (tilgængelighed, aflastning, forenkling, skalering)", key))
        elif kind == "ids":
            if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
                findings.append(error("skal være en liste af id'er", key))
            else:
                findings += [error(f'"{i}" er ikke et id i behovsregisteret', key) for i in value if i not in known_ids]
        elif kind == "scales":
            if not isinstance(value, dict) or not set(value) <= set(POOLS):
                findings.append(error('skal have en faktor for service og/eller anlæg, fx {"anlæg": 1.2}', key))
            else:
                for pool, factor in value.items():
                    factors = factor.items() if isinstance(factor, dict) else [(None, factor)]
                    for year, v in factors:
                        if year is not None and not (year.isdigit() and 2000 <= int(year) <= 2100):
                            findings.append(error(f'{pool}: "{year}" er ikke et årstal', key))
                        elif not (_finite(v) and 0 <= v <= 10):
                            where = f"{pool} {year}" if year else pool
                            findings.append(error(f"{where}: faktoren skal være et tal fra 0 til 10", key))
    if settings.get("strategy") is not None and settings.get("strategy") not in STRATEGIES:
        findings.append(error(f"ukendt strategi; brug {', '.join(STRATEGIES)}", "strategy"))
    if settings.get("cost_level") is not None and settings.get("cost_level") not in COST_LEVELS:
        findings.append(error(f"ukendt omkostningsniveau; brug {', '.join(COST_LEVELS)}", "cost_level"))
    if findings:
        return None, findings
    return settings, []


def write_scenario(path: str | Path, settings: dict) -> Path:
    """Write a scenario as indented JSON with keys in the documented order (a person can
    read and diff it)."""
    path = Path(path)
    ordered = {key: settings[key] for key in KEYS if key in settings}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ordered, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def load_scenarios(paths: list, register) -> list[dict]:
    """Every scenario file checked against the register; raises ``InputError`` naming
    every problem in every file."""
    from analysis.inputs.findings import InputError

    known = set(register["id"])
    settings, findings = [], []
    for path in paths:
        loaded, found = load_scenario(path, known)
        findings += found
        if loaded is not None:
            settings.append(loaded)
    if findings:
        raise InputError(findings)
    return settings
