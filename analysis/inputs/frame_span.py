"""The frame's years, read without pandas: what ``digiramme report --due`` needs to say at
once which event is due. The rule is the frame's (:func:`span`): every year from the first
to the last, gaps included; :func:`analysis.inputs.financing_frame.frame_years` uses it too."""

from __future__ import annotations

from pathlib import Path

from analysis.inputs.cells import parse_number
from analysis.inputs.reading import read_table


def span(years) -> list[int]:
    """Every year from the first to the last, including any gaps."""
    years = [int(y) for y in years]
    return list(range(min(years), max(years) + 1))


def read_years(path: Path) -> list[int]:
    """The frame file's years, or ``[]`` when the file cannot be read this simply (then the
    full loader, :func:`analysis.inputs.financing_frame.load_frame`, says what is wrong)."""
    table, findings = read_table(path, "ramme", ["aar"])
    if table is None or any(f.is_error for f in findings) or "aar" not in table.header:
        return []
    column = table.header.index("aar")
    years = []
    for _row, values in table.rows:
        try:
            year = parse_number(values[column] if column < len(values) else None)
        except ValueError:
            return []
        if year is None or not float(year).is_integer():
            return []
        years.append(int(year))
    return span(years) if years else []
