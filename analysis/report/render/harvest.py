"""What an executed notebook hands on: its heading and lead, its tables with their raw
values (for the Excel appendix), its key figures (for the front page) and its annex cells
(for the technical annex)."""

from __future__ import annotations

import nbformat

from analysis.report.blocks import KeyFigures, Table

# Cells with these tags are left out of a page: the parameters, and the key figures a page
# hands to the index (read from the executed notebook first).
HIDDEN_CELL_TAGS = {"parameters", "injected-parameters", "index-summary", "annex", "lab-only"}
ANNEX_TAG = "annex"  # a cell whose output belongs in the technical annex, not on its page


def first_markdown(nb) -> tuple[str, str]:
    """The notebook's heading and first paragraph, for the index page."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip()]
            title = lines[0].lstrip("# ").strip() if lines else ""
            summary = next((ln for ln in lines[1:] if not ln.startswith("#")), "")
            return title, summary
    return "", ""


def outputs(nb, mimetype: str) -> list:
    """Every output of one mimetype a notebook showed, in order."""
    return [
        output["data"][mimetype]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if mimetype in output.get("data", {})
    ]


def key_figures(nb) -> dict[str, dict]:
    """The key figures the notebook handed to the index, by name."""
    return {k["name"]: k["data"] for k in outputs(nb, KeyFigures.MIMETYPE)}


def annex_html(nb) -> str:
    """The HTML of every output of the notebook's annex cells, in order."""
    parts = []
    for cell in nb.cells:
        if ANNEX_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                html = output.get("data", {}).get("text/html")
                if html:
                    parts.append("".join(html) if isinstance(html, list) else html)
    return "".join(parts)


def tables(nb) -> list[dict]:
    """Every table a notebook showed, with its raw values (see blocks.Table.to_json), except
    those in hidden cells."""
    visible = nbformat.from_dict({**nb, "cells": [c for c in nb.cells if not hidden(c)]})
    return outputs(visible, Table.MIMETYPE)


def hidden(cell) -> bool:
    return bool(HIDDEN_CELL_TAGS & set(cell.get("metadata", {}).get("tags", [])))
