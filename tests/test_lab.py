"""The analyst's workbench in a real JupyterLab, driven by Playwright in Debian's Chromium, as
a new analyst would use it: open 02_allokering, run it with the explorer on, move a weight
and the service frame, force a need out, save a scenario, and check that ``digiramme
allocate --scenario`` reproduces what the browser shows.

The lab runs on a copy of the notebook in a temporary folder (its own workspace and
scenario folder too), so the tracked notebooks are never touched; a test checks that.
Screenshots go to build/screenshots/ for a person to look at."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from analysis.inputs import paths

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        shutil.which("chromium") is None,
        reason="Chromium er ikke installeret (apt-get install chromium; .ci/run gør det)",
    ),
]

NOTEBOOK = "02_allokering.ipynb"
TOKEN = "digiramme-test"
SHOTS = paths.ROOT / "build" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tracked_notebooks() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(paths.NOTEBOOK_DIR.glob("*.ipynb"))}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on localhost serving a copy of 02_allokering with ``interactive = True``."""
    root = tmp_path_factory.mktemp("lab")
    notebook = nbformat.read(paths.NOTEBOOK_DIR / NOTEBOOK, as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    assert "interactive: bool = False" in cell.source
    cell.source = cell.source.replace("interactive: bool = False", "interactive: bool = True")
    nbformat.write(notebook, root / NOTEBOOK)
    # No news pop-up over the workbench, and no request to the internet for it.
    notification = root / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "DIGIRAMME_SCENARIER": str(root / "scenarier"),
        "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--ServerApp.token={TOKEN}",
            f"--ServerApp.root_dir={root}",
            "--allow-root",
        ],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=open(root / "lab.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab startede ikke:\n" + (root / "lab.log").read_text()[-2000:])
            time.sleep(0.3)
    yield {"url": url, "root": root}
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def table_rows(page, caption_start: str) -> list[list[str]]:
    """The body rows (cell texts) of the newest table in the workbench whose caption starts so."""
    tables = page.locator(".widget-output table").filter(has=page.locator(f"caption:text-matches('^{caption_start}')"))
    if tables.count() == 0:
        return []
    rows = tables.last.locator("tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("td, th").all_inner_texts()] for i in range(rows.count())]


def funded(page) -> dict[str, int]:
    """The funded needs as the analyst reads them: Id and Startår in 'Finansierede behov'."""
    table = page.locator(".widget-output table").filter(has=page.locator("caption:text-matches('^Finansierede')"))
    head = [h.strip() for h in table.last.locator("thead th").all_inner_texts()]
    id_col, year_col = head.index("Id"), head.index("Startår")
    return {row[id_col]: int(row[year_col]) for row in table_rows(page, "Finansierede") if len(row) == len(head)}


def changes(page) -> dict[str, str]:
    return {row[0]: row[2] for row in table_rows(page, "Behov, der kommer med") if len(row) >= 3}


def settle(page, before: str, timeout: float = 30) -> str:
    """Wait until the workbench's output has been redrawn (its text differs from ``before``)."""
    output = page.locator(".widget-output").last
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = output.inner_text()
        if text != before and "Finansierede behov" in text:
            page.wait_for_timeout(300)  # a redraw in progress clears then fills; read the filled one
            return output.inner_text()
        page.wait_for_timeout(100)
    raise AssertionError("arbejdsbænken svarede ikke inden for tiden")


def run_all(page) -> None:
    """Run > Run All Cells once the kernel is idle, and again if the first run was sent
    before the kernel was connected (the cells then stay unnumbered)."""
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.get_by_text("Python (digiramme) | Idle").wait_for(timeout=60_000)
    for _attempt in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            # "[*]" queued or running, "[1]" done: the kernel has the cells
            page.locator(".jp-InputPrompt").filter(has_text=re.compile(r"\[(\*|\d+)\]")).first.wait_for(timeout=20_000)
            break
        except Exception:
            continue
    try:
        page.wait_for_selector(".widget-slider", timeout=180_000)
    except Exception as exc:
        page.screenshot(path=str(SHOTS / "workbench-failure.png"))
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        raise AssertionError("arbejdsbænken kom ikke frem:\n" + "\n".join(errors.all_inner_texts())[-3000:]) from exc


def test_the_workbench_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    before = tracked_notebooks()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.goto(f"{lab['url']}/lab/tree/{NOTEBOOK}?token={TOKEN}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            run_all(page)
            text = settle(page, "")
            page.locator(".widget-slider").first.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / "workbench-start.png"))
            # the carry-over box lines up under the dropdowns, not under their labels
            box = page.locator(".widget-checkbox input").first.bounding_box()
            dropdown = page.locator(".widget-dropdown select").last.bounding_box()
            assert abs(box["x"] - dropdown["x"]) <= 4, (box, dropdown)

            # At the start the workbench shows the report's main option: nothing changed.
            assert "Status: det bedste efter de valgte kriterier" in text
            assert changes(page) == {}
            start = funded(page)
            assert start, "ingen finansierede behov vist"

            # Aflastning's weight to its top (5): needs move start year, listed against the baseline.
            sliders = page.locator(".widget-slider")
            weight = sliders.nth(1)
            assert "Aflastning" in weight.inner_text()
            weight.locator(".noUi-handle").focus()
            page.keyboard.press("End")
            text = settle(page, text)
            assert "5,0" in weight.locator("xpath=..").inner_text()  # the Danish readout beside it
            weighted = funded(page)
            moved = changes(page)
            assert weighted != start and moved, "vægten ændrede ikke forslaget"
            for need, change in moved.items():
                assert change == (
                    "kommer med" if need not in start else "falder ud" if need not in weighted else "flytter start"
                )

            # The service frame to 50 %: less is funded in total.
            service = sliders.nth(4)
            assert "Ramme, service" in service.inner_text()
            service.locator(".noUi-handle").focus()
            page.keyboard.press("Home")
            text = settle(page, text)
            assert "50 %" in service.locator("xpath=..").inner_text()
            smaller = funded(page)
            assert smaller != weighted
            # Half the service frame: 15 + 25 + 35 + 35 = 110 mio. kr. becomes 55, so what is not
            # udmøntet changes by the change in spending less 55.000 (1.000 kr.), by hand.
            found = re.search(r"Service: udmøntet ([-−]?[\d.]+), endnu ikke udmøntet ([-−]?[\d.]+)", text)
            spent, unspent = (int(g.replace(".", "").replace("−", "-")) for g in found.groups())
            assert unspent == spent - 55_000

            # Force one funded need out: it leaves, and the comparison says so.
            victim = sorted(smaller)[0]
            forbidden = page.locator("select[multiple]").nth(1)
            labels = forbidden.evaluate("e => Array.from(e.options).map(o => o.value)")
            forbidden.select_option(value=next(v for v in labels if v.startswith(f"{victim} – ")))
            text = settle(page, text)
            assert victim not in funded(page)
            assert changes(page).get(victim) == ("falder ud" if victim in start else None)
            shown = funded(page)
            # The controls at the top, the comparison below them: the README's picture.
            page.locator(".widget-slider").first.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.mouse.move(0, 0)  # no hover highlight in the picture
            panel = page.locator(".jp-NotebookPanel-notebook").bounding_box()
            clip = {"x": panel["x"], "y": panel["y"], "width": panel["width"], "height": panel["height"]}
            page.screenshot(path=str(SHOTS / "workbench-moved.png"), clip=clip)

            # Save the scenario and reproduce it on the command line.
            page.get_by_placeholder("fx Mere anlæg").fill("Browsertest")
            page.get_by_role("button", name="Gem scenarie").click()
            page.wait_for_selector("text=Gemt:", timeout=30_000)
        finally:
            browser.close()

    saved = lab["root"] / "scenarier" / "browsertest.json"
    settings = json.loads(saved.read_text(encoding="utf-8"))
    assert settings["weights"] == [1.0, 5.0, 1.0, 1.0] and settings["frame_scale"]["service"] == 0.5
    assert victim in settings["force_out"]
    cli = subprocess.run(
        [sys.executable, "-m", "analysis", "allocate", "--scenario", str(saved), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    out = json.loads(cli.stdout)
    assert {s["id"]: s["start_year"] for s in out["selected"]} == shown
    # The scenario saved in the lab, in a rendered report beside the standard options.
    report = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--year", "2026", "--event", "budget"]
        + ["--scenario", str(saved), "--out", str(lab["root"] / "rapport")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert report.returncode == 0, report.stderr
    page = (lab["root"] / "rapport" / "02_allokering.html").read_text(encoding="utf-8")
    summary = re.search(r"<caption>Forslag til udmøntning side om side.*?</table>", page, re.S).group(0)
    assert re.search(r"<td[^>]*>Browsertest</td>", summary)  # one row per option
    assert "<script" not in page
    # The tracked notebooks are exactly as they were.
    assert tracked_notebooks() == before
    assert not (paths.ROOT / "scenarier" / "browsertest.json").exists()
