"""Display objects for notebooks and reports: tables, text and figures that render
themselves as escaped, self-contained HTML.

A notebook cell that ends in a :class:`Table`, :class:`Text` or :class:`Chart` shows it;
the rendered report holds the same HTML. All text from data is escaped, so a title
containing ``<script>`` shows as text. Numbers stay numbers in ``Table.data`` and are
formatted (Danish) only when shown.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from analysis.report import formats as fmt
from analysis.report.records import plain

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATTERS: dict[str, Callable] = {
    "tkr": fmt.tkr,
    "mio": fmt.mio,
    "signed_mio": fmt.signed_mio,
    # millions without the unit, for a table whose caption states it (the workbench's key figures)
    "mio_n": lambda v: fmt.mio(v, unit=False),
    "signed_mio_n": lambda v: fmt.signed_mio(v, unit=False),
    "pct": fmt.percent,
    "num1": lambda v: fmt.number(v, 1),
    "num2": lambda v: fmt.number(v, 2),
    "pct1": lambda v: fmt.percent(v, 1),
    "pct2": lambda v: fmt.percent(v, 2),
    "int": lambda v: fmt.DASH if pd.isna(v) else str(int(v)),
    "year": lambda v: fmt.DASH if v is None or pd.isna(v) else str(int(v)),  # a year: no thousands mark
    "share": fmt.share,  # a share that never rounds to 0 % or 100 % unless it is
    "measure": fmt.measure,  # a measurement: whole numbers without decimals
}


def _cell(value, formatter: Callable | None) -> str:
    if formatter is not None and not isinstance(value, str):
        return formatter(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return fmt.DASH
    return str(value)


# Columns of need ids: an id never breaks at its hyphen ("DA-5G-B", not "DA-" over "5G-B").
ID_COLUMNS = {"Id", "Forudsætter"}


@dataclass
class Table:
    """A table with a caption that states its unit and price level.

    ``data`` holds numbers as numbers; they are formatted (Danish) only when shown.
    ``formats`` maps column names to a key of ``FORMATTERS``; ``row_formats`` maps row labels
    (of a table shown with its index, such as options side by side) to one, for tables whose
    rows measure different things. Other cells show as text. Both are checked when the table
    is built: an unknown column, row or format key is an error, not plain text.
    """

    data: pd.DataFrame
    caption: str
    unit: str = ""
    formats: dict[str, str] = field(default_factory=dict)
    note: str = ""
    index: bool = False
    row_classes: list[str] | None = None  # a CSS class per row, e.g. "diff" to highlight it
    row_formats: dict[str, str] = field(default_factory=dict)
    # What the Excel appendix holds instead of ``data``, where the page shows numbers as
    # text (a cost range, a baseline with its year): the numbers in columns of their own
    appendix: pd.DataFrame | None = None
    appendix_formats: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        columns = {str(c) for c in self.data.columns}
        for column, key in self.formats.items():
            if key not in FORMATTERS:
                raise ValueError(f"{self.caption}: ukendt format {key!r} for kolonnen {column!r}")
            if column not in columns:
                raise ValueError(f"{self.caption}: formatet gælder kolonnen {column!r}, som tabellen ikke har")
        for row, key in self.row_formats.items():
            if key not in FORMATTERS:
                raise ValueError(f"{self.caption}: ukendt format {key!r} for rækken {row!r}")
            if not self.index or row not in set(self.data.index):
                raise ValueError(f"{self.caption}: formatet gælder rækken {row!r}, som tabellen ikke har")
        for column, key in self.appendix_formats.items():
            if key not in FORMATTERS or self.appendix is None or column not in set(map(str, self.appendix.columns)):
                raise ValueError(f"{self.caption}: bilagets format {key!r} for kolonnen {column!r} passer ikke")
        if self.row_classes is not None and len(self.row_classes) != len(self.data):
            raise ValueError(f"{self.caption}: {len(self.row_classes)} rækkeklasser til {len(self.data)} rækker")

    def _frame(self) -> pd.DataFrame:
        frame = self.data.reset_index() if self.index else self.data.copy()
        return frame.rename(columns={"index": ""}) if self.index else frame

    def formatted(self) -> pd.DataFrame:
        """The table as Danish text, cell by cell."""
        frame = self._frame()
        labels = list(self.data.index)
        out = pd.DataFrame(index=frame.index)
        for k, column in enumerate(frame.columns):
            formatter = FORMATTERS.get(self.formats.get(str(column), ""))
            cells = []
            for r, value in enumerate(frame[column]):
                row_key = self.row_formats.get(labels[r]) if self.index and k > 0 else None
                cells.append(_cell(value, FORMATTERS[row_key] if row_key else formatter))
            out[column] = cells
        return out

    MIMETYPE = "application/vnd.digiramme.table+json"

    def to_json(self) -> dict:
        """The table's raw values (numbers stay numbers) for the report's Excel appendix."""
        if self.appendix is not None:
            frame, formats, row_formats = self.appendix, self.appendix_formats, {}
        else:
            frame, formats = self._frame(), self.formats
            row_formats = {str(k): v for k, v in self.row_formats.items()}
        return {
            "caption": self.caption,
            "unit": self.unit,
            "columns": [str(c) for c in frame.columns],
            "rows": [[plain(v, digits=None) for v in row] for row in frame.itertuples(index=False)],
            "formats": {str(k): v for k, v in formats.items()},
            "row_formats": row_formats,
        }

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(), self.MIMETYPE: self.to_json()}

    def _numeric(self, column_position: int, column: str, row_label) -> bool:
        """Is this cell a formatted number (right-aligned)?"""
        if self.formats.get(column) in FORMATTERS:
            return True
        return bool(self.index and column_position > 0 and self.row_formats.get(row_label))

    def _cell_class(self, column_position: int, column: str, row_label) -> str:
        if self._numeric(column_position, column, row_label):
            return " class=num"
        return " class=id" if column in ID_COLUMNS else ""

    def _repr_html_(self) -> str:
        frame = self.formatted()
        labels = list(self.data.index)
        columns = [str(c) for c in frame.columns]
        caption = html.escape(self.caption)
        if self.unit:
            caption += f' <span class="unit">({html.escape(self.unit)})</span>'
        numeric_columns = {c for c in columns if self.formats.get(c) in FORMATTERS}
        if self.row_formats:
            numeric_columns |= set(columns[1:])
        head = "".join(
            f'<th scope="col"{" class=num" if c in numeric_columns else ""}>{html.escape(c)}</th>' for c in columns
        )
        body = []
        classes = self.row_classes or [""] * len(frame)
        for r, ((_, row), css) in enumerate(zip(frame.iterrows(), classes, strict=True)):
            cells = "".join(
                f"<td{self._cell_class(k, c, labels[r])}>{html.escape(v)}</td>"
                for k, (c, v) in enumerate(zip(columns, row.tolist(), strict=True))
            )
            body.append(f'<tr class="{html.escape(css)}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
        if not body:
            body.append(f'<tr><td colspan="{len(frame.columns)}">Ingen rækker.</td></tr>')
        note = f'<p class="table-note">{html.escape(self.note)}</p>' if self.note else ""
        return (
            f'<table class="dr-table"><caption>{caption}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"
        )


@dataclass
class Text:
    """Paragraphs or a bullet list of plain text (escaped), optionally with a heading."""

    lines: list[str]
    bullets: bool = False
    heading: str = ""
    kind: str = ""  # "" | "warning" | "ok": a coloured box for what a reader must see

    def _repr_html_(self) -> str:
        parts = []
        if self.heading:
            parts.append(f"<p><strong>{html.escape(self.heading)}</strong></p>")
        if self.bullets:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.extend(f"<p>{html.escape(line)}</p>" for line in self.lines)
        css = f"dr-text {self.kind}".strip()
        return f'<div class="{css}">{"".join(parts)}</div>'


@dataclass
class Texts:
    """Several texts shown as one output under one heading, e.g. one list per scenario."""

    parts: list[Text]
    heading: str = ""

    def _repr_html_(self) -> str:
        heading = f"<p><strong>{html.escape(self.heading)}</strong></p>" if self.heading else ""
        return f'<div class="dr-texts">{heading}{"".join(part._repr_html_() for part in self.parts)}</div>'


@dataclass
class Chart:
    """A matplotlib figure embedded as PNG, with a caption and a text alternative."""

    figure: Figure
    caption: str
    alt: str

    def png(self) -> bytes:
        buffer = io.BytesIO()
        # No software/version metadata: the same data gives byte-identical images.
        self.figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
        return buffer.getvalue()

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png()).decode("ascii")
        return (
            f'<figure class="dr-figure"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt, quote=True)}"/>'
            f"<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )


@dataclass
class KeyFigures:
    """Plain data a page hands to the report's index page, so that the index shows the very
    result the page computed (the render reads it from the executed notebook and leaves the
    cell out of the page). In JupyterLab it shows as a short note."""

    MIMETYPE = "application/vnd.digiramme.keyfigures+json"

    name: str
    data: dict

    def _repr_mimebundle_(self, include=None, exclude=None):
        note = f'<p class="dr-keyfigures">Nøgletal til rapportens forside ({html.escape(self.name)}).</p>'
        return {"text/html": note, self.MIMETYPE: {"name": self.name, "data": self.data}}


def _lab_css() -> str:
    """The report stylesheet's rules for this package's own blocks (tables, texts, figures),
    and nothing that would restyle JupyterLab itself."""
    from pathlib import Path

    css = (Path(__file__).resolve().parent / "templates" / "report.css").read_text(encoding="utf-8")
    kept, depth, block = [], 0, ""
    for char in css:  # top-level rules only; @media and @page blocks are left out
        block += char
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                selector = block.split("{", 1)[0]
                if not selector.strip().startswith("@") and ("dr-" in selector or "table-note" in selector):
                    kept.append(block.strip())
                block = ""
    return "\n".join(kept)


@dataclass
class LabStyle:
    """Shown once at the top of a notebook in JupyterLab, so its tables, texts and figures
    look as in the report (text left, numbers right, ids unbroken, marked rows with their symbol). The
    render leaves the cell out of the report, which has the full stylesheet."""

    def _repr_html_(self) -> str:
        return f"<style>{_lab_css()}</style>"
