"""PDF for case papers: all pages of a report in one A4 document, printed by headless
Chromium (Debian's ``chromium`` package; `make pdf` installs it when missing). The page
numbers ("Side 3 af 18") come from the stylesheet's @page margin boxes."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from analysis.inputs.findings import BadArgument

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # reports are rendered as root on the build machines
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """The Chromium binary, or a clear error saying how to get it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise BadArgument("PDF kræver Chromium; installér det med `make pdf` eller `apt-get install chromium`")


def print_html(source: Path, target: Path, timeout: float = 180) -> Path:
    """Print one HTML file to PDF with Chromium (A4 comes from the page's @page rule)."""
    with tempfile.TemporaryDirectory(prefix="digiramme-chromium-") as profile:
        command = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",  # page numbers come from the stylesheet's @page boxes
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        # Chromium's own temporary files (.org.chromium.Chromium.*) go into the profile
        # folder too, removed with it: nothing of a run is left in TMPDIR (#43)
        env = {**os.environ, "TMPDIR": profile}
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise RuntimeError(f"Chromium kunne ikke skrive {target.name}: {result.stderr.strip()[-500:]}")
    return target


def combined_html(folder: Path, pages: list[str], title: str | None = None) -> str:
    """The index's and every page's <main> in one document, each page on a new sheet."""
    index = (folder / "index.html").read_text(encoding="utf-8")
    head = re.search(r"<head>.*?</head>", (folder / pages[0]).read_text(encoding="utf-8") if pages else index, re.S)
    index_css = re.search(r"<style type=\"text/css\">.*?</style>", index, re.S)
    parts = [re.search(r"<main>.*?</main>", index, re.S).group(0)]
    for page in pages:
        body = re.search(r"<main>.*</main>", (folder / page).read_text(encoding="utf-8"), re.S)
        if body:
            parts.append(f'<div class="dr-page">{body.group(0)}</div>')
    head_html = head.group(0) if head else f"<head>{index_css.group(0) if index_css else ''}</head>"
    if title:  # the PDF's document title is the report's, not its first section's
        head_html = re.sub(
            r"<title>.*?</title>", lambda _m: f"<title>{html.escape(title)}</title>", head_html, flags=re.S
        )
    return f'<!DOCTYPE html><html lang="da">{head_html}<body class="jp-Notebook">{"".join(parts)}</body></html>'


def report_pdf(folder: Path, pages: list[str], name: str = "rapport.pdf", title: str | None = None) -> Path:
    """Write ``folder/name``: the whole report as one A4 PDF."""
    target = folder / name
    handle, temporary = tempfile.mkstemp(prefix=".print-", suffix=".html", dir=folder)
    os.close(handle)
    try:
        Path(temporary).write_text(combined_html(folder, pages, title), encoding="utf-8")
        return print_html(Path(temporary), target)
    finally:
        Path(temporary).unlink(missing_ok=True)
