"""The analyst's workbench in a real JupyterLab, driven by Playwright in Debian's Chromium, as
a new analyst would use it at 1280×720: open 02_allokering, run it with the explorer on,
see controls and results together, hear each control's name and Danish value as a screen
reader is told them, move a weight and the service frame from the keyboard, type a year's
frame in mio. kr. with a decimal comma, force a need out and override one need's cost,
force an impossible need in (the last good result stays, under a notice), undo, save a
named scenario (asked before replacing it), reset, load it back, and check that
``digiramme allocate --scenario`` reproduces what the browser shows and that a report
rendered with it (and an infeasible one) shows every change.

The lab runs on a copy of the notebook in a temporary folder (its own workspace and
scenario folder too), so the tracked notebooks are never touched; a test checks that.
Screenshots go to build/screenshots/ for a person to look at."""

from __future__ import annotations

import contextlib
import html
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


def checkout_scenarios() -> dict[str, bytes]:
    """The analyst's own scenarios in the checkout (there may be some: the docs show how to
    save one there); the test saves its own elsewhere and must leave these as they are."""
    folder = paths.ROOT / "scenarier"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.is_dir() else {}


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
        page.wait_for_selector(".dr-wb select", timeout=180_000)
    except Exception as exc:
        page.screenshot(path=str(SHOTS / "workbench-failure.png"))
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        raise AssertionError("arbejdsbænken kom ikke frem:\n" + "\n".join(errors.all_inner_texts())[-3000:]) from exc


def run_number(page) -> int:
    """The number of the workbench's latest finished solve (its status line carries it)."""
    found = page.locator(".dr-wb .dr-status [data-run]")
    return int(found.first.get_attribute("data-run")) if found.count() else 0


def solved(page, before: int, timeout: float = 60) -> str:
    """Wait for a solve after number ``before`` to finish; returns the status text."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if run_number(page) > before:
            page.wait_for_timeout(300)  # the outputs follow the status line; read the filled ones
            return page.locator(".dr-wb .dr-status").first.inner_text()
        page.wait_for_timeout(100)
    raise AssertionError("arbejdsbænken svarede ikke inden for tiden")


def tab(page, title: str) -> None:
    page.locator(".dr-wb .lm-TabBar-tab").filter(has_text=title).first.click()
    page.wait_for_timeout(200)


def summary_lines(page) -> list[str]:
    """The lines of "Ændret mod hovedforslaget" as the analyst reads them."""
    return [t.strip() for t in page.locator(".dr-wb .dr-summary li").all_inner_texts()]


def spoken(workbench) -> dict[str, tuple[str, str, str]]:
    """What a screen reader is told about each value control on the open tab, keyed by the
    label a sighted analyst sees beside it: (role, accessible name, value) as Chromium
    exposes them. The value of a slider is its aria-valuetext (else aria-valuenow), of a
    select its chosen option, of a field its text; the role and name are from Chromium's
    accessibility tree (Playwright's aria snapshot)."""
    controls = workbench.locator("[role=slider], select:not([multiple]), input:not([type=checkbox])")
    found = {}
    for k in range(controls.count()):
        control = controls.nth(k)
        if not control.is_visible():
            continue
        role, name = re.match(r'- (\w+)(?: "((?:[^"\\]|\\.)*)")?', control.aria_snapshot().splitlines()[0]).groups()
        shown, value = control.evaluate(
            """e => {
                const label = e.closest('.jupyter-widgets').querySelector('.widget-label');
                const value = e.getAttribute('role') === 'slider'
                    ? (e.getAttribute('aria-valuetext') ?? e.getAttribute('aria-valuenow'))
                    : e.tagName === 'SELECT' ? e.options[e.selectedIndex].text : e.value;
                return [label ? label.innerText.trim() : '', value];
            }"""
        )
        # ipywidgets writes an option's spaces as no-break spaces; a screen reader says them as spaces
        value = value.replace("\xa0", " ")
        found[shown or name or f"#{k}"] = (role, name or "", value)
    return found


def english_or_unnamed(said: dict[str, tuple[str, str, str]]) -> dict[str, tuple[str, str, str]]:
    """The controls a screen reader would read with an English decimal ("1.5", "0.03") or
    without a name."""
    return {k: v for k, v in said.items() if not v[1] or re.search(r"\d\.\d", v[2])}


def clipped_choices(workbench) -> list[str]:
    """The chosen labels of the open tab's selects that do not fit their select."""
    return workbench.locator("select:not([multiple])").evaluate_all(
        """els => els.filter(e => e.offsetParent && e.selectedIndex >= 0).filter(e => {
            const s = getComputedStyle(e), pen = document.createElement('canvas').getContext('2d');
            pen.font = `${s.fontSize} ${s.fontFamily}`;
            const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
            return pen.measureText(e.options[e.selectedIndex].text).width > room;
        }).map(e => e.options[e.selectedIndex].text)"""
    )


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and (box["x"] + box["width"] <= size["width"])
    )


def mio(text: str) -> float:
    """``+18,2`` / ``−5`` (mio. kr.) as a number."""
    return float(text.replace(".", "").replace(",", ".").replace("\u2212", "-").replace("+", ""))


def press_on(page, within, label: str, key: str) -> str:
    """Press ``key`` on the dropdown labelled ``label`` and wait for the solve it starts;
    returns the status text."""
    within.locator(".widget-dropdown").filter(has_text=label).first.locator("select").focus()
    n = run_number(page)
    page.keyboard.press(key)
    return solved(page, n)


@contextlib.contextmanager
def chromium_page(url: str):
    """A page in Debian's Chromium at 1280×720 on ``url``, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            yield page
        finally:
            browser.close()


def test_the_workbench_in_jupyterlab(lab):
    before, scenarios = tracked_notebooks(), checkout_scenarios()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(f"{lab['url']}/lab/tree/{NOTEBOOK}?token={TOKEN}") as page:
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        run_all(page)
        solved(page, 0, timeout=180)
        text = settle(page, "")
        workbench = page.locator(".dr-wb").first
        workbench.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.mouse.move(0, 0)
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / "workbench-start.png"))

        # 1280×720: the controls, the key figures and the chart on screen together, no
        # readout clipped, no label with a "null" tooltip, help text on every control.
        assert in_view(page, workbench.get_by_text("Skalering", exact=True))  # the last weight's label
        assert in_view(page, workbench.locator(".dr-figures table").first)
        assert in_view(page, workbench.locator(".dr-figures img").first)
        assert clipped_choices(workbench) == []
        assert workbench.locator("[title='null']").count() == 0
        untitled = workbench.locator("input, select, textarea").evaluate_all(
            """els => els.filter(e => {
                const own = e.closest("[title]:not([title=''])");
                const widget = e.closest('.jupyter-widgets');
                const label = widget && widget.querySelector(
                    ".widget-label[title]:not([title='']), .widget-label [title]:not([title=''])"
                );
                return !own && !label;
            }).map(e => e.outerHTML.slice(0, 80))"""
        )
        assert untitled == [], untitled
        # A screen reader is told each control's name and its value in Danish, with a
        # decimal comma: ipywidgets' slider gives no name and reads 0.03 (its aria-valuetext).
        said = spoken(workbench)
        assert said["Tidspræference"] == ("combobox", "Tidspræference", "3,0 % pr. år"), said
        assert said["Aflastning"] == ("combobox", "Aflastning", "1,0")
        assert english_or_unnamed(said) == {}

        # At the start the workbench shows the report's main option: nothing changed.
        assert "Status: det bedste efter de valgte kriterier" in text
        assert changes(page) == {}
        assert summary_lines(page) == ["intet – som hovedforslaget"]
        start = funded(page)
        assert start, "ingen finansierede behov vist"

        # Aflastning's weight to its top (5) from the keyboard: needs move start year, listed
        # against the baseline.
        press_on(page, workbench, "Aflastning", "End")
        assert spoken(workbench)["Aflastning"] == ("combobox", "Aflastning", "5,0")
        weighted = funded(page)
        moved = changes(page)
        assert weighted != start and moved, "vægten ændrede ikke forslaget"
        for need, change in moved.items():
            assert change == (
                "kommer med" if need not in start else "falder ud" if need not in weighted else "flytter start"
            )
        assert "Vægte: tilgængelighed 1, aflastning 5, forenkling 1, skalering 1 (hovedforslaget: lige vægte)" in (
            summary_lines(page)
        )

        # The service frame to 50 %: its readout gives the amount (110 → 55 mio. kr.), less is funded.
        tab(page, "Ramme")
        assert clipped_choices(workbench) == []
        press_on(page, workbench, "Ramme, service", "Home")
        assert spoken(workbench)["Ramme, service"] == ("combobox", "Ramme, service", "50 % · 55 mio. kr.")
        smaller = funded(page)
        assert smaller != weighted
        note = page.locator(".widget-output").last.inner_text()
        # Half the service frame: 15 + 25 + 35 + 35 = 110 mio. kr. becomes 55, so what is
        # not udmøntet changes by −55 less the change in spending (each rounded to 0,1).
        found = re.search(r"Service: udmøntet ([-+−]?[\d.,]+) mio\. kr\., endnu ikke udmøntet ([-+−]?[\d.,]+)", note)
        spent, unspent = (mio(g) for g in found.groups())
        assert abs(unspent - (-55 - spent)) <= 0.11, (spent, unspent)
        assert found.group(2).startswith("\u2212")  # a change is signed: 55 mio. kr. less is left

        # Anlæg 2027 typed the Danish way as 12,5 mio. kr. (10 in the frame): the year's level is 125 %.
        amount = workbench.get_by_role("textbox", name="Anlægsrammen i 2027 i mio. kr.")
        n = run_number(page)
        amount.fill("12,5")
        amount.press("Enter")
        solved(page, n)
        said = spoken(workbench)
        assert said["Anlæg 2027"] == ("combobox", "Anlæg 2027", "125 %")
        assert said["Anlægsrammen i 2027 i mio. kr."] == ("textbox", "Anlægsrammen i 2027 i mio. kr.", "12,5")
        assert english_or_unnamed(said) == {}
        assert "Ramme, anlæg 2027: 12,5 mio. kr. (+2,5 mio. kr.; 125 % af 10 mio. kr.)" in summary_lines(page)

        # Force one funded need out: it leaves, and the forced list names it by title.
        tab(page, "Behov")
        victim = sorted(funded(page))[0]
        forbidden = workbench.locator("select[multiple]").nth(1)
        labels = forbidden.evaluate("e => Array.from(e.options).map(o => o.value)")
        n = run_number(page)
        forbidden.select_option(value=next(v for v in labels if v.startswith(f"{victim} – ")))
        solved(page, n)
        assert victim not in funded(page)
        forced = workbench.locator(".dr-summary").inner_text()
        assert re.search(rf"Må ikke med: .*\({re.escape(victim)}\)", forced)
        # One need's cost overridden: AI-04 at 6,5 mio. kr. (its range is 2–5).
        need = workbench.locator(".widget-dropdown").filter(has_text="Behov").locator("select")
        need.select_option(label=next(o for o in need.locator("option").all_inner_texts() if o.startswith("AI-04")))
        cost = workbench.locator(".widget-text").filter(has_text="Omkostning").locator("input")
        cost.fill("6,5")
        cost.press("Enter")
        n = run_number(page)
        workbench.get_by_role("button", name="Sæt for behovet").click()
        solved(page, n)
        said = summary_lines(page)
        assert any(line.startswith("Omkostning, AI-færdigheder") and "6,5 mio. kr." in line for line in said), said
        shown = funded(page)
        height = page.evaluate(
            "document.querySelector('.jp-WindowedPanel-outer, .jp-NotebookPanel-notebook').scrollHeight"
        )

        # An impossible forcing (full 5G): the last good result stays under a notice that
        # names the need by title and the least change; the page does not collapse.
        allowed = workbench.locator("select[multiple]").nth(0)
        labels = allowed.evaluate("e => Array.from(e.options).map(o => o.value)")
        n = run_number(page)
        allowed.select_option(value=next(v for v in labels if v.startswith("DA-5G-F – ")))
        assert "Ingen løsning" in solved(page, n)
        notice = workbench.locator(".dr-text.warning").first.inner_text()
        assert "Mindste ændring, der giver en løsning" in notice and "Privat 5G-netværk – fuld" in notice
        assert "sidste resultat, der havde en løsning" in notice
        assert funded(page) == shown
        assert workbench.locator(".dr-figures table").count() == 1
        assert (
            page.evaluate("document.querySelector('.jp-WindowedPanel-outer, .jp-NotebookPanel-notebook').scrollHeight")
            >= height - 100
        )
        page.screenshot(path=str(SHOTS / "workbench-infeasible.png"))
        n = run_number(page)
        workbench.get_by_role("button", name="Fortryd").click()
        assert "Beregnet" in solved(page, n)
        assert workbench.locator(".dr-text.warning").count() == 0
        assert funded(page) == shown

        # The controls at the top, the results beside them: the README's picture.
        workbench.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.mouse.move(0, 0)  # no hover highlight in the picture
        page.screenshot(path=str(SHOTS / "workbench-moved.png"))
        lines = summary_lines(page)

        # Save under a name with "æ": the file is mere-anlaeg.json; saving again asks first.
        tab(page, "Scenarier")
        page.get_by_placeholder("fx Mere anlæg").fill("Mere anlæg")
        workbench.locator("textarea").fill("Aflastning 5, halv service, mere anlæg 2027")
        workbench.get_by_role("button", name="Gem scenarie").click()
        page.wait_for_selector("text=Gemt:", timeout=30_000)
        saved = lab["root"] / "scenarier" / "mere-anlaeg.json"
        first = saved.read_text(encoding="utf-8")
        workbench.get_by_role("button", name="Gem scenarie").click()
        page.wait_for_selector("text=findes allerede", timeout=30_000)
        assert saved.read_text(encoding="utf-8") == first
        workbench.get_by_role("button", name="Gem alligevel").click()
        page.wait_for_selector("text=Gemt:", timeout=30_000)

        # Reset to the main option, then load the scenario back.
        n = run_number(page)
        workbench.get_by_role("button", name="Nulstil").click()
        solved(page, n)
        assert summary_lines(page) == ["intet – som hovedforslaget"] and funded(page) == start
        workbench.locator(".widget-dropdown").filter(has_text="Gemt scenarie").locator("select").select_option(
            label="mere-anlaeg.json"
        )
        n = run_number(page)
        workbench.get_by_role("button", name="Indlæs").click()
        solved(page, n)
        assert summary_lines(page) == lines
        assert funded(page) == shown

    settings = json.loads(saved.read_text(encoding="utf-8"))
    assert settings["navn"] == "Mere anlæg" and settings["beskrivelse"].startswith("Aflastning 5")
    assert settings["weights"] == [1.0, 5.0, 1.0, 1.0] and settings["frame_scale"]["service"] == 0.5
    assert settings["frame_scale"]["anlæg"]["2027"] == 1.25
    assert settings["need_overrides"] == {"AI-04": {"cost": 6500}}
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
    # The scenario saved in the lab and an infeasible one, in a rendered report beside the
    # standard options: each row says in short how many changes (a narrow column), and the
    # list under the table says every line the workbench showed.
    impossible = lab["root"] / "umulig.json"
    impossible.write_text(json.dumps({"navn": "Umulig", "force_in": ["DA-5G-F"]}), encoding="utf-8")
    report = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--year", "2026", "--event", "budget"]
        + ["--scenario", str(saved), "--scenario", str(impossible), "--out", str(lab["root"] / "rapport")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert report.returncode == 0, report.stderr
    rendered = lab["root"] / "rapport" / "02_allokering.html"
    page = rendered.read_text(encoding="utf-8")
    summary = re.search(r"<caption>Forslag til udmøntning side om side.*?</table>", page, re.S).group(0)
    row = re.search(r"<tr[^>]*>\s*<td[^>]*>Mere anlæg</td>.*?</tr>", summary, re.S).group(0)
    text = html.unescape(re.sub(r"<[^>]+>", "", row))
    assert f"{len(lines)} ændringer mod hovedforslaget, med sin egen ramme; se listen under tabellen" in text
    assert "Scenarie (Aflastning 5, halv service," in text  # the description, shortened
    infeasible = html.unescape(
        re.sub(r"<[^>]+>", "", re.search(r"<tr[^>]*>\s*<td[^>]*>Umulig</td>.*?</tr>", summary, re.S).group(0))
    )
    assert "Scenarie: 1 ændring mod hovedforslaget; ingen løsning; se listen under tabellen." in infeasible
    with chromium_page(rendered.as_uri()) as view:
        table = view.locator("table").filter(has=view.locator("caption", has_text="side om side: beløb")).first
        heights = {
            tr.locator("td").first.inner_text(): tr.bounding_box()["height"] for tr in table.locator("tbody tr").all()
        }
        # a scenario's row is no taller than the standard rows' tallest and two more lines
        tallest = max(h for name, h in heights.items() if name not in ("Mere anlæg", "Umulig"))
        assert heights["Mere anlæg"] <= tallest + 40 and heights["Umulig"] <= tallest + 40, heights
        table.evaluate("e => e.scrollIntoView({block: 'start'})")
        view.screenshot(path=str(SHOTS / "report-scenarios-table.png"))
        listed = view.locator(".dr-texts").filter(has_text="Scenarierne: alt, hvad de har ændret")
        mine = listed.locator(".dr-text").filter(has_text=re.compile(r"^Mere anlæg \(Aflastning 5, halv service"))
        assert mine.locator("p").first.inner_text().endswith(f": {len(lines)} ændringer mod hovedforslaget")
        assert [t.strip() for t in mine.locator("li").all_inner_texts()] == lines
        assert listed.get_by_text(re.compile(r"^Ikke planlagt måles mod scenariets egen ramme: service ")).count() == 1
        warning = listed.locator(".dr-text.warning").inner_text()
        assert "Ingen løsning" in warning and "Mindste ændring, der giver en løsning" in warning
        listed.evaluate("e => e.scrollIntoView({block: 'start'})")
        view.screenshot(path=str(SHOTS / "report-scenarios-list.png"))
    assert "Ramme i Mere anlæg" in html.unescape(page)  # its own frame line in the chart's text
    assert "<script" not in page
    # The tracked notebooks are exactly as they were.
    assert tracked_notebooks() == before
    assert checkout_scenarios() == scenarios  # the analyst's own scenarios, untouched; none added
