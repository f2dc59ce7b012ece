"""The printed report: one A4 PDF through headless Chromium (skipped, saying why, where
Chromium is not installed; .ci/run installs it)."""

from __future__ import annotations

import re
import shutil

import pytest

from analysis.report import render

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("chromium") is None,
        reason="Chromium er ikke installeret (apt-get install chromium; .ci/run og `make pdf` gør det)",
    ),
]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """A report of the index and the register page, printed once for this module."""
    folder = tmp_path_factory.mktemp("pdf") / "r"
    return render.render_report(
        2026, "budget", out=folder, notebooks=["01_behovsregister.ipynb"], pdf=True, log=lambda _m: None
    )


def test_report_pdf_is_a4_with_every_page(out):
    pdf = (out / "rapport.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    # A4 is 210 × 297 mm = 595,3 × 841,9 points; every page's MediaBox must say so
    boxes = re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 2  # the index and the register page


def test_pdf_pages_are_numbered_by_the_stylesheet_not_chromiums_file_url_footer(out):
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) er ikke installeret")
    text = subprocess.run(["pdftotext", str(out / "rapport.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Side 1 af" in text and "file://" not in text
