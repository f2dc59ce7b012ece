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

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import fmt

FORMATTERS: dict[str, Callable] = {
    "tkr": fmt.tkr,
    "mio": fmt.mio,
    "pct": fmt.percent,
    "num1": lambda v: fmt.number(v, 1),
    "int": lambda v: fmt.DASH if pd.isna(v) else str(int(v)),
}


def _cell(value, formatter: Callable | None) -> str:
    if formatter is not None and not isinstance(value, str):
        return formatter(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return fmt.DASH
    return str(value)


@dataclass
class Table:
    """A table with a caption that states its unit and price level.

    ``formats`` maps column names to a key of ``FORMATTERS``; other columns show as text.
    """

    data: pd.DataFrame
    caption: str
    unit: str = ""
    formats: dict[str, str] = field(default_factory=dict)
    note: str = ""
    index: bool = False
    row_classes: list[str] | None = None  # a CSS class per row, e.g. "diff" to highlight it

    def formatted(self) -> pd.DataFrame:
        """The table as Danish text, cell by cell."""
        frame = self.data.reset_index() if self.index else self.data.copy()
        if self.index:
            frame = frame.rename(columns={"index": ""})
        out = pd.DataFrame(index=frame.index)
        for column in frame.columns:
            formatter = FORMATTERS.get(self.formats.get(str(column), ""))
            out[column] = [_cell(v, formatter) for v in frame[column]]
        return out

    MIMETYPE = "application/vnd.digiramme.table+json"

    def to_json(self) -> dict:
        """The table's raw values (numbers stay numbers) for the report's Excel appendix."""
        frame = self.data.reset_index() if self.index else self.data
        if self.index:
            frame = frame.rename(columns={"index": ""})

        def plain(value):
            if isinstance(value, np.generic):
                value = value.item()
            if isinstance(value, float) and not np.isfinite(value):
                return None
            if value is None or isinstance(value, bool | int | float | str):
                return value
            try:
                if pd.isna(value):
                    return None
            except (TypeError, ValueError):
                pass
            return str(value)

        return {
            "caption": self.caption,
            "unit": self.unit,
            "columns": [str(c) for c in frame.columns],
            "rows": [[plain(v) for v in row] for row in frame.itertuples(index=False)],
        }

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self._repr_html_(), self.MIMETYPE: self.to_json()}

    def _repr_html_(self) -> str:
        frame = self.formatted()
        numeric = {str(c) for c in frame.columns if self.formats.get(str(c)) in FORMATTERS}
        caption = html.escape(self.caption)
        if self.unit:
            caption += f' <span class="unit">({html.escape(self.unit)})</span>'
        head = "".join(
            f'<th scope="col"{" class=num" if str(c) in numeric else ""}>{html.escape(str(c))}</th>'
            for c in frame.columns
        )
        body = []
        classes = self.row_classes or [""] * len(frame)
        for (_, row), css in zip(frame.iterrows(), classes, strict=True):
            cells = "".join(
                f"<td{' class=num' if str(c) in numeric else ''}>{html.escape(v)}</td>" for c, v in row.items()
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
