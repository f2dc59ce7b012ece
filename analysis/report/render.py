"""Render reports: papermill runs the notebooks on this project's interpreter, nbconvert
writes HTML without code, and the finished folder replaces the old one in one step.

A report for ``--year 2026 --event budget`` lands in ``reports/2026-budget/`` with an
``index.html`` linking its pages. Inputs are validated before anything is written; a
failing notebook leaves the previous report as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import nbformat
from babel.dates import format_date

from analysis import __version__
from analysis.inputs import dataset, paths
from analysis.inputs.findings import BadArgument, os_error_text
from analysis.report import excel, front_page, index_summary, provenance, register_page, vocabulary
from analysis.report import formats as fmt
from analysis.report.blocks import KeyFigures, Table

KERNEL_NAME = "digiramme"
APPENDIX = "bilag.xlsx"  # the Excel appendix in every report folder
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
EVENTS = {
    "budget": ["01_behovsregister.ipynb", "02_allokering.ipynb", "04_robusthed.ipynb"],
    "OFS": ["03_effektopfoelgning.ipynb", "02_allokering.ipynb", "01_behovsregister.ipynb"],
}
ALLOCATION_NOTEBOOK = "02_allokering.ipynb"
EVENT_TITLES = {
    "budget": lambda year: f"Budget {year}",
    "OFS": lambda year: vocabulary.transfer_case(year),  # follows up ``year``: "Overførselssagen 26/27"
}


class RenderError(Exception):
    """A notebook failed while rendering; the message names the notebook and cell."""


# Cells with these tags are left out of a page: the parameters, and the key figures a page
# hands to the index (read from the executed notebook first).
HIDDEN_CELL_TAGS = {"parameters", "injected-parameters", "index-summary", "annex", "lab-only"}
ANNEX_TAG = "annex"  # a cell whose output belongs in the technical annex, not on its page
ANNEX = "metode.html"
METHOD = [
    "Forslagene til udmøntning er beregnet eksakt: en heltalsmodel vælger for hvert behov, om det finansieres, "
    "og fra hvilket år, så værdien efter forslagets kriterier bliver størst, inden for service- og anlægsrammen "
    "år for år, med varianter, forudsætninger og de investeringer, der allerede er sat i gang. Modellen løses af "
    "HiGHS (highspy). Et forslag kaldes eftervist, når løseren har bevist, at intet andet forslag er bedre "
    "(MIP-gap 0); ellers står den tilbageværende afvigelse her.",
    "Robustheden er regnet ved at trække omkostningerne fra en PERT-fordeling på hvert behovs min, forventede og "
    "max omkostning og finde det bedste forslag igen for hvert udfald; samme inddata og frø giver samme resultat.",
    "Tallene på siderne er rundet til hele 1.000 kr. eller hele procent; Excel-bilaget har tallene uden afrunding.",
]


@dataclass(frozen=True)
class Page:
    href: str
    title: str
    summary: str


def ensure_kernel() -> None:
    """Make the ``digiramme`` kernel start this very interpreter.

    Installs the kernelspec into this environment (``sys.prefix``) when it is missing or
    points elsewhere, so papermill, nbval and JupyterLab never pick up whichever
    ``python3`` a user happens to have.
    """
    from ipykernel.kernelspec import install
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    def current() -> str | None:
        try:
            return KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0]
        except NoSuchKernel:
            return None

    if current() == sys.executable:
        return
    install(kernel_name=KERNEL_NAME, display_name="Python (digiramme)", prefix=sys.prefix)
    found = current()
    if found != sys.executable:
        raise RenderError(
            f'kernen "{KERNEL_NAME}" peger på {found}, ikke på {sys.executable}; '
            f"fjern den med: jupyter kernelspec remove {KERNEL_NAME}"
        )


def report_dir(year: int, event: str, out: str | Path | None = None) -> Path:
    return Path(out) if out else paths.REPORT_DIR / f"{year}-{event}"


def _css() -> str:
    return (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")


def _first_markdown(nb) -> tuple[str, str]:
    """The notebook's heading and first paragraph, for the index page."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip()]
            title = lines[0].lstrip("# ").strip() if lines else ""
            summary = next((ln for ln in lines[1:] if not ln.startswith("#")), "")
            return title, summary
    return "", ""


# What nbstripout removes besides outputs and counts: the lab's state, never a cell's tags.
STRIP_KEYS = [
    "metadata.widgets",
    "metadata.language_info",
    "cell.metadata.collapsed",
    "cell.metadata.scrolled",
    "cell.metadata.execution",
    "cell.metadata.jupyter",
    "cell.metadata.trusted",
]


def committed_content(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as it is committed (nbstripout, the same tool as the git filter): no
    outputs, no execution counts, no widget state. A notebook JupyterLab autosaved with
    outputs and widgets renders exactly like a clean one."""
    from nbstripout import strip_output

    return strip_output(
        nbformat.from_dict(nb), keep_output=False, keep_count=False, keep_id=True, extra_keys=STRIP_KEYS
    )


def _ipc_kernel_manager(socket_dir: Path, managers: list | None = None):
    """A kernel manager whose kernel talks over Unix sockets in a private folder.

    The default transport is TCP on localhost, which any user of the machine can reach;
    IPC sockets in a folder only the owner may enter (mode 0700) cannot be reached by others.
    Each manager made is added to ``managers``, so the caller can make sure its kernel is
    gone (:func:`_kill_kernels`).
    """
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(socket_dir / "kernel"))
            super().__init__(**kwargs)
            if managers is not None:
                managers.append(self)

    return IPCKernelManager


def _kill_kernels(managers: list) -> None:
    """Kill any kernel process still running. A SIGTERM that lands while a kernel is
    starting unwinds before nbclient can shut it down; the kernel would then live on, making
    its sockets in the private folder after the folder was removed."""
    for manager in managers:
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def _outputs(nb, mimetype: str) -> list:
    """Every output of one mimetype a notebook showed, in order."""
    return [
        output["data"][mimetype]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if mimetype in output.get("data", {})
    ]


def _annex_html(nb) -> str:
    """The HTML of every output of the notebook's annex cells, in order."""
    parts = []
    for cell in nb.cells:
        if ANNEX_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                html = output.get("data", {}).get("text/html")
                if html:
                    parts.append("".join(html) if isinstance(html, list) else html)
    return "".join(parts)


def _tables(nb) -> list[dict]:
    """Every table a notebook showed, with its raw values (see blocks.Table.to_json), except
    those in hidden cells."""
    visible = nbformat.from_dict({**nb, "cells": [c for c in nb.cells if not _hidden(c)]})
    return _outputs(visible, Table.MIMETYPE)


def _hidden(cell) -> bool:
    return bool(HIDDEN_CELL_TAGS & set(cell.get("metadata", {}).get("tags", [])))


def _execute(source: Path, target: Path, parameters: dict) -> nbformat.NotebookNode:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    socket_dir = Path(tempfile.mkdtemp(prefix="digiramme-kernel-"))  # mode 0700
    managers: list = []
    # Every temporary file of this run (the kernel's connection file too) goes into the
    # private folder, which is removed however the run ends, a SIGTERM included.
    saved_tempdir, tempfile.tempdir = tempfile.tempdir, str(socket_dir)
    try:
        clean = socket_dir / source.name
        nbformat.write(committed_content(nbformat.read(str(source), as_version=4)), str(clean))
        declared = papermill.inspect_notebook(str(clean))  # pass each notebook only what it declares
        parameters = {k: v for k, v in parameters.items() if k in declared}
        if "interactive" in declared:
            parameters["interactive"] = False  # widgets are for the lab, never for a report
        return papermill.execute_notebook(
            str(clean),
            str(target),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(source.parent),
            progress_bar=False,
            log_output=False,
            # papermill otherwise rewrites the whole notebook, figures and all, before and
            # after every cell; a report is read only when it is complete (and a failed run
            # is never published), so one write at the end is enough
            request_save_on_cell_execute=False,
            # the kernel's work is done and in the notebook: stop it at once rather than wait
            # about half a second for its graceful exit (nothing in it writes files)
            shutdown_kernel="immediate",
            kernel_manager_class=_ipc_kernel_manager(socket_dir, managers),
        )
    except PapermillExecutionError as exc:
        # Name the cell as the analyst sees it in the notebook file (1-based, without the
        # cell papermill injects), found by its source.
        cells = nbformat.read(str(source), as_version=4).cells
        number = next((i + 1 for i, c in enumerate(cells) if c.source == exc.source), exc.cell_index)
        first_line = next((ln for ln in exc.source.splitlines() if ln.strip()), "")
        raise RenderError(f"{source.name}, celle {number} ({first_line}): {exc.ename}: {exc.evalue}") from None
    except Exception as exc:  # a kernel that dies or does not start
        raise RenderError(f"{source.name}: {type(exc).__name__}: {exc}") from None
    finally:
        tempfile.tempdir = saved_tempdir
        _kill_kernels(managers)
        _remove(socket_dir)


def _remove(folder: Path, tries: int = 20) -> None:
    """Remove a folder of our own, trying again for up to about 2 s while something (a
    kernel that is just dying) still writes into it: rmtree then fails with "Directory not
    empty" and would leave the folder behind."""
    for _ in range(tries):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.1)


def _to_html(nb, title: str, report_title: str, footer: str) -> str:
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    remover = TagRemovePreprocessor(remove_cell_tags=HIDDEN_CELL_TAGS)
    nb, _ = remover.preprocess(nb, {})
    exporter = HTMLExporter(
        template_name="digiramme",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="da",
    )
    resources = {
        "metadata": {"name": title},
        "digiramme": {"css": _css(), "report_title": report_title, "footer": footer},
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _with_toc(body)


def _with_toc(page: str) -> str:
    """Insert a table of contents of the page's sections (its h2 headings) after its title."""
    import html
    import re

    headings = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', page, re.S)
    if not headings:
        return page

    def label(text: str) -> str:
        return html.escape(html.unescape(re.sub(r"<[^>]+>", "", text)).replace("¶", "").strip())

    items = "".join(f'<li><a href="#{anchor}">{label(text)}</a></li>' for anchor, text in headings)
    toc = f'<nav class="dr-toc" aria-label="Indhold"><strong>Indhold</strong><ol>{items}</ol></nav>'
    return re.sub(r"</h1>", lambda match: match.group(0) + toc, page, count=1)


def _index_html(
    title: str,
    intro: str,
    pages: list[Page],
    data: dataset.Dataset,
    parameters: dict,
    footer: str,
    summary_table,
    option: dict | None = None,
) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html", "j2"]))

    prose = register_page.prose_summary(data.claims, data.ranges, data.remarks)._repr_html_()
    correction = front_page.aftaletekst(data)
    return env.get_template("report_index.html.j2").render(
        resume=Markup(front_page.resume(data, parameters["event"], parameters["year"], option)._repr_html_()),
        frame_tables=Markup(front_page.frame_tables(data)._repr_html_()),
        correction=Markup(correction._repr_html_()) if correction else "",
        finding=Markup(front_page.main_finding(data)._repr_html_()),
        risks=Markup(front_page.risks(data)._repr_html_()),
        title=title,
        intro=intro,
        pages=pages,
        css=Markup(_css()),
        summary=Markup(summary_table._repr_html_()),
        prose_summary=Markup(prose),
        warnings=fmt.count(len(data.warnings), "advarsel", "advarsler") if data.warnings else "",
        footer=footer,
    )


def _annex_page(report_title: str, sections: list[dict], data, parameters: dict, footer: str) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("report_annex.html.j2").render(
        title=f"Datagrundlag og metode – {report_title}",
        intro="Teknisk bilag: hvordan tallene er regnet, regnemodellens status, parametrene og inddataenes herkomst.",
        method=METHOD,
        sections=[{"title": s["title"], "html": Markup(s["html"])} for s in sections if s["html"]],
        css=Markup(_css()),
        provenance=Markup(provenance.table(data.sources, parameters)._repr_html_()),
        footer=footer,
    )


def _check_decisions(parameters: dict, data, event: str, year: int, closing: bool) -> None:
    """Forced, excluded and released ids, refused before anything runs (as ``allocate``
    refuses them): each must be in the register, and a released one started before the
    report's plan year. ``closing``: the report has no year left to allocate, so any of
    them is refused."""
    from analysis.inputs.register import unknown_ids
    from analysis.model import plan
    from analysis.model.allocation import Options

    flags = {f"--{key.replace('_', '-')}": parameters.get(key, ()) for key in ("force_in", "force_out", "release")}
    if closing:
        given = [flag for flag, ids in flags.items() if ids] + (["--gap"] if parameters.get("gap") else [])
        if given:
            raise BadArgument(
                f"{', '.join(given)} gælder udmøntningen, men {vocabulary.transfer_case(year)} har intet at "
                f"udmønte: rammen løber til og med {data.years[-1]}"
            )
    unknown = unknown_ids(data.register, flags)
    if unknown:
        raise BadArgument("; ".join(unknown))
    if parameters.get("release"):
        planned = plan.report_plan_year(event, year, int(parameters.get("plan_year", 0) or 0), data.years)
        plan.for_options(data, Options(plan_year=planned, release=tuple(parameters["release"]), explain=False))


def render_report(
    year: int,
    event: str,
    inputs: dict | None = None,
    out: str | Path | None = None,
    notebooks: list[str] | None = None,
    notebook_dir: str | Path | None = None,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
    pdf: bool = False,
    parameters: dict | None = None,
) -> Path:
    """Render the report for ``year`` and ``event`` and return its folder.

    ``inputs`` holds register/frame/pl_index/claims paths (defaults: the shipped data).
    ``parameters`` are extra notebook parameters (e.g. ``{"samples": 100}``), passed to each
    notebook that declares them.
    Raises :class:`~analysis.inputs.findings.InputError` for bad input (nothing is written) and
    :class:`RenderError` when a notebook fails (the previous report is kept).
    """
    if event not in EVENTS:
        raise ValueError(f"ukendt begivenhed {event!r}; brug {' eller '.join(EVENTS)}")
    data = dataset.load_dataset(**(inputs or {}))
    if parameters and parameters.get("scenarios"):  # checked like every input, before anything runs
        from analysis.inputs.scenario import load_scenarios

        parameters = {**parameters, "scenarios": [str(paths.resolve(p)) for p in parameters["scenarios"]]}
        load_scenarios(parameters["scenarios"], data.register)
    if year not in data.years:  # refused before anything runs
        raise BadArgument(f"--year {year} ligger uden for rammens år {data.years[0]}–{data.years[-1]}")
    from analysis.model import plan

    closing = plan.nothing_left_to_plan(event, year, int((parameters or {}).get("plan_year", 0) or 0), data.years)
    _check_decisions(parameters or {}, data, event, year, closing)
    if event == "OFS" and (data.followup is None or not data.followup.complete) and notebooks is None:
        raise BadArgument("OFS-rapporten kræver opfølgningsdata: angiv --bevillinger, --forbrug og --gevinster")
    notebook_dir = Path(notebook_dir) if notebook_dir else paths.NOTEBOOK_DIR
    names = notebooks or EVENTS[event]
    if notebooks is None and closing:
        names = [name for name in names if name != ALLOCATION_NOTEBOOK]  # no year left to allocate
    target = report_dir(year, event, out).resolve()
    check_target(target, data.sources)
    parameters = {
        **(parameters or {}),
        "year": year,
        "event": event,
        "register_path": str(data.sources["register"]),
        "frame_path": str(data.sources["frame"]),
        "pl_index_path": str(data.sources["pl_index"]),
        "claims_path": str(data.sources.get("claims", "")),
        # every follow-up path, empty when not given, so a notebook never falls back to the
        # shipped examples, which belong to the shipped register
        **{f"{key}_path": str(data.sources.get(key, "")) for key in dataset.FOLLOWUP_FILES},
        "previous_register_path": str(data.sources.get("previous_register", "")),
    }
    report_title = EVENT_TITLES[event](year)
    footer = (
        f"Digital udviklings- og omstillingsplan · {report_title} · digiramme {__version__} · "
        f"dannet {format_date(date.today(), format='long', locale='da_DK')}"
    )
    if pdf:
        from analysis.report import pdf as pdf_mod

        pdf_mod.chromium()  # fail before rendering when Chromium is missing
    ensure_kernel()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = _lock(target)
        lock.__enter__()
    except OSError as exc:
        raise BadArgument(f"--out {target} kan ikke skrives: {os_error_text(exc)}") from None
    try:
        return _render(target, names, notebook_dir, parameters, data, report_title, footer, event, year, pdf, log)
    finally:
        lock.__exit__(None, None, None)


def _render(target, names, notebook_dir, parameters, data, report_title, footer, event, year, pdf, log) -> Path:
    started = datetime.now()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a report folder is for readers
    try:
        (staging / "notebooks").mkdir()
        pages = []
        option = None  # the allocation page's main option, for the index
        annex: list[dict] = []  # each page's technical detail, for the annex
        appendix: list[tuple[str, dict]] = []
        for number, name in enumerate(names, start=1):
            source = notebook_dir / name
            log(f"Kører {name} …")
            executed = _execute(source, staging / "notebooks" / name, parameters)
            title, lead = _first_markdown(executed)
            # Read what the page hands on before the HTML export, which drops hidden cells.
            appendix += [(f"{number}.{k}", table) for k, table in enumerate(_tables(executed), start=1)]
            handed = {k["name"]: k["data"] for k in _outputs(executed, KeyFigures.MIMETYPE)}
            option = handed.get("allocation", option)
            annex.append({"title": title, "html": _annex_html(executed)})
            href = Path(name).with_suffix(".html").name
            (staging / href).write_text(_to_html(executed, title, report_title, footer), encoding="utf-8")
            pages.append(Page(href, title, lead))
        intro = (
            f"Rapporten viser finansieringsrammen til den tværgående digitale udviklings- og "
            f"omstillingsplan til {report_title[0].lower() + report_title[1:]}. Beløb er i 1.000 kr. "
            f"i {data.price_year} p/l, medmindre andet er angivet."
        )
        key_figures = index_summary.report_summary(data, event, year, option)
        appendix.insert(0, ("0.1", key_figures.to_json()))
        index = _index_html(
            f"Digital udviklings- og omstillingsplan – {report_title}",
            intro,
            pages,
            data,
            parameters,
            footer,
            key_figures,
            option,
        )
        (staging / "index.html").write_text(index, encoding="utf-8")
        (staging / ANNEX).write_text(_annex_page(report_title, annex, data, parameters, footer), encoding="utf-8")
        excel.write_appendix(staging / APPENDIX, appendix)
        run = {
            "run_date": started.date().isoformat(),
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now().isoformat(timespec="seconds"),
            "provenance": provenance.describe(data.sources, parameters),
        }
        (staging / RUN_FILE).write_text(json.dumps(run, ensure_ascii=False, indent=2), encoding="utf-8")
        (staging / MARKER).write_text("Skrevet af digiramme; mappen må erstattes af en ny rapport.\n", encoding="utf-8")
        if pdf:
            from analysis.report import pdf as pdf_mod

            log("Skriver rapport.pdf med Chromium …")
            pdf_mod.report_pdf(
                staging,
                [p.href for p in pages] + [ANNEX],
                title=f"{report_title} – digital udviklings- og omstillingsplan",
            )
        _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log(f"Rapporten er skrevet til {target}")
    return target


RUN_FILE = "koersel.json"  # when and how a report was made; also names its archive folder
ARCHIVE = "arkiv"


MARKER = ".digiramme-rapport"  # written in every report folder: only such a folder is ever replaced


def _replace(staging: Path, target: Path) -> None:
    """Put the finished folder in place. The report it replaces is kept under
    ``<parent>/arkiv/<name>/<its run date>/``; a second run the same day gets
    ``<run date>-2`` and so on, so no archive is ever overwritten."""
    if target.exists():
        base = target.parent / ARCHIVE / target.name / _run_date(target)
        base.parent.mkdir(parents=True, exist_ok=True)
        archive, k = base, 2
        while archive.exists():
            archive = base.with_name(f"{base.name}-{k}")
            k += 1
        target.rename(archive)
    staging.rename(target)


def is_report(folder: Path) -> bool:
    """A folder this package wrote: it holds the marker (or, from before the marker, a
    koersel.json with the run's provenance)."""
    if (folder / MARKER).is_file():
        return True
    try:
        return "provenance" in json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return False


def check_target(target: Path, sources: dict[str, Path]) -> None:
    """Refuse, before anything is written, a report folder that would cost the user a file:
    the project root, a folder holding an input file, an ancestor of either, a file, a
    non-empty folder that is not an earlier report, or a place that cannot be written."""
    target = target.resolve()
    root = paths.ROOT.resolve()
    protected = {root: "projektets rod"} | {
        Path(p).resolve().parent: f"mappen med inddatafilen {Path(p).name}" for p in sources.values()
    }
    for folder, what in protected.items():
        if target == folder or target in folder.parents:
            raise BadArgument(f"--out {target} er {what} eller en mappe over den; vælg en ny mappe til rapporten")
    if target.exists():
        if not target.is_dir():
            raise BadArgument(f"--out {target} er en fil, ikke en mappe")
        if any(target.iterdir()) and not is_report(target):
            raise BadArgument(
                f"--out {target} er en mappe med andre filer og ikke en tidligere digiramme-rapport; "
                "vælg en tom eller ny mappe"
            )
    existing = target
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise BadArgument(f"--out {target} kan ikke oprettes: {existing} er en fil")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise BadArgument(f"--out {target} kan ikke skrives: ingen skriveadgang til {existing}")


def _run_date(folder: Path) -> str:
    try:
        return json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))["run_date"]
    except (OSError, ValueError, KeyError):
        return datetime.fromtimestamp(folder.stat().st_mtime).date().isoformat()


@contextlib.contextmanager
def _lock(target: Path):
    """One run at a time per report folder: a second run exits at once, saying why."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path = target.parent / f".{target.name}.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RenderError(f"en anden kørsel skriver allerede {target}; prøv igen, når den er færdig") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
