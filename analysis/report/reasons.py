"""What a decision rests on, as the pages show it beside the decision: each need's four
potential scores, gevinst and hours, the time preference in words, and the assumed inputs
a verdict about the frame depends on."""

from __future__ import annotations

import pandas as pd

from analysis.model.allocation.result import Result
from analysis.report import formats as fmt
from analysis.report import vocabulary as words

# The register fields that drive a decision, as the pages show them beside it
REASON_COLUMNS = {
    **{name: f"{label} (point)" for name, label in words.POTENTIAL_LABELS.items()},
    "gevinst": "Gevinst pr. år",
    "timer_frigjort": "Frigjorte timer pr. år",
}


def reasons_table(register: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Per need in ``ids``: the four potentials' scores, gevinst and hours freed, each
    column marked "(antaget)" where any need's value is an assumption."""
    reg = register.set_index("id")
    assumed = words.assumed_fields(register)
    data = {"Id": list(ids)}
    for field, label in REASON_COLUMNS.items():
        data[words.mark(label, (field,), assumed)] = [reg.loc[i, field] for i in ids]
    return pd.DataFrame(data).reset_index(drop=True)


def reasons_formats(reasons: pd.DataFrame) -> dict:
    return {column: "tkr" if "Gevinst" in column or "timer" in column else "int" for column in reasons.columns[1:]}


def time_preference_text(result: Result) -> str:
    """The time preference in one plain sentence (empty when there is none)."""
    rate = result.options.time_preference
    if not rate or result.method == "priority":
        return ""
    return (
        f"Et behov, der starter et år senere, tæller {fmt.percent(rate, 0)} mindre, så forslaget starter behovene "
        "så tidligt, som rammen tillader."
    )


def assumptions_text(register: pd.DataFrame, need_id: str) -> str:
    """The assumed inputs a verdict about fitting the frame rests on: ``forudsætter 80 %
    anlæg og fordelingen 30/40/30 over årene (antaget)``; empty when none is assumed."""
    row = register.set_index("id").loc[need_id]
    assumed = set(row["antagelser"])
    parts = []
    if "andel_anlaeg" in assumed:
        parts.append(f"{fmt.percent(row['andel_anlaeg'], 0)} anlæg")
    if "fordeling" in assumed and row["fordeling"] is not None:
        spread = "/".join(fmt.number(v, 0) for v in row["fordeling"])
        parts.append(f"fordelingen {spread} over årene")
    return f"forudsætter {' og '.join(parts)} (antaget)" if parts else ""
