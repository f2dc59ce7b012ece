"""Render reports: papermill runs the notebooks on this project's interpreter, nbconvert
writes HTML without code, and the finished folder replaces the old one in one step.

A report for ``--year 2026 --event budget`` lands in ``reports/2026-budget/`` with an
``index.html`` linking its pages. Inputs and decisions are checked before anything is
written; a failing notebook leaves the previous report as it was.

The steps, one module each (papermill's layout): :mod:`.kernel` (the project's kernel over
private sockets), :mod:`.execute` (one notebook), :mod:`.harvest` (what a page hands on),
:mod:`.html` (pages, index, annex) and :mod:`.publish` (the target, archive and lock).
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date

from analysis import __version__, stopping
from analysis.inputs import dataset, paths, snapshot
from analysis.inputs.findings import BadArgument, os_error_text
from analysis.inputs.parameters import Options, from_mapping
from analysis.model import cycle, runs
from analysis.report import excel, front_page, index_summary, provenance, register_page, vocabulary
from analysis.report import formats as fmt
from analysis.report.render import harvest, html, manifest, publish
from analysis.report.render.execute import committed_content, execute, remove_own_folder
from analysis.report.render.kernel import KERNEL_NAME, RenderError, ensure_kernel
from analysis.report.render.publish import ARCHIVE, MARKER, RUN_FILE, check_target, is_report

APPENDIX = "bilag.xlsx"  # the Excel appendix in every report folder
ANNEX = "metode.html"
REGISTER_NB, ALLOCATION_NOTEBOOK = "01_behovsregister.ipynb", "02_allokering.ipynb"
FOLLOWUP_NB, ROBUSTNESS_NB = "03_effektopfoelgning.ipynb", "04_robusthed.ipynb"
BUSINESS_CASE_NB = "05_businesscase.ipynb"
# the pages of each kind of event, in reading order (see pages_for: not every OFS has them all)
EVENTS = {
    "budget": [REGISTER_NB, ALLOCATION_NOTEBOOK, BUSINESS_CASE_NB, ROBUSTNESS_NB],
    "OFS": [FOLLOWUP_NB, ALLOCATION_NOTEBOOK, BUSINESS_CASE_NB, REGISTER_NB],
}


def pages_for(event: cycle.Event, years: list[int]) -> list[str]:
    """The report's pages: a budget's register, allocation and robustness; OFS 25/26, which
    udmønter the frame the first time, the same; a later OFS its follow-up, the alternative
    for its free money and the register; the closing OFS no allocation."""
    if event.kind == "budget" or event.udmoenter(years):
        return list(EVENTS["budget"])
    names = list(EVENTS["OFS"])
    return [n for n in names if n not in (ALLOCATION_NOTEBOOK, BUSINESS_CASE_NB)] if event.closing(years) else names


ALLOCATION_DECISIONS = (
    "force_in",
    "force_out",
    "release",
    "plan_year",
    "max_running_cost",
    "discount_rate",
)  # report parameters that are Options fields
EVENT_TITLES = {
    "budget": lambda year: f"Budget {year}",
    "OFS": lambda year: vocabulary.transfer_case(year),  # follows up ``year``: "Overførselssagen 26/27"
}

__all__ = [
    "ANNEX",
    "APPENDIX",
    "ARCHIVE",
    "EVENTS",
    "KERNEL_NAME",
    "MARKER",
    "RUN_FILE",
    "RenderError",
    "check_target",
    "committed_content",
    "ensure_kernel",
    "execute",
    "is_report",
    "remove_own_folder",
    "render_report",
    "report_dir",
]


@dataclass(frozen=True)
class Page:
    href: str
    title: str
    summary: str


@dataclass
class Report:
    """One report being rendered: what it is, from which data, into which folder."""

    year: int
    event: str
    data: dataset.Dataset
    target: Path
    notebooks: list[str]
    notebook_dir: Path
    parameters: dict
    pdf: bool = False
    log: Callable[[str], None] = print
    pages: list[Page] = field(default_factory=list)
    snapshot: snapshot.Snapshot | None = None  # the run's copies of its inputs

    @property
    def recorded_parameters(self) -> dict:
        """The parameters as the record shows them: the inputs' original paths."""
        if self.snapshot is None:
            return self.parameters
        return {key: self.snapshot.original(value) for key, value in self.parameters.items()}

    @property
    def title(self) -> str:
        return EVENT_TITLES[self.event](self.year)

    @property
    def footer(self) -> str:
        return (
            f"Digital udviklings- og omstillingsplan · {self.title} · digiramme {__version__} · "
            f"dannet {format_date(date.today(), format='long', locale='da_DK')}"
        )


def report_dir(year: int, event: str, out: str | Path | None = None) -> Path:
    return Path(out) if out else paths.REPORT_DIR / f"{year}-{event}"


def check_decisions(parameters: dict, data: dataset.Dataset, event: str, year: int) -> bool:
    """The report's allocation decisions, refused before anything runs as ``allocate``
    refuses them (:func:`analysis.model.runs.commitments`). Returns whether the report has a
    year left to allocate; when it has none, any allocation decision is refused."""
    given = {key: parameters[key] for key in ALLOCATION_DECISIONS if parameters.get(key)}
    options = runs.report_options(data, from_mapping(Options, given), event, year)
    planned = cycle.plan_year(event, year, data.years, options.plan_year)
    if planned is None:
        if parameters.get("gap"):
            raise BadArgument(
                f"--gap gælder udmøntningen, men {vocabulary.transfer_case(year)} har intet at udmønte: rammen løber "
                f"til og med {data.years[-1]}"
            )
        return False
    runs.commitments(data, options)
    return True


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
    Raises :class:`~analysis.inputs.findings.InputError` for bad input and
    :class:`~analysis.model.decisions.DecisionError` for decisions the data cannot take
    (nothing is written), and :class:`RenderError` when a notebook fails (the previous
    report is kept).
    """
    if event not in EVENTS:
        raise ValueError(f"ukendt begivenhed {event!r}; brug {' eller '.join(EVENTS)}")
    # one snapshot of every input, read by every page, the appendix and the provenance
    snap = snapshot.take(dataset.input_paths(**(inputs or {})))
    try:
        with stopping.on_stop(snap.remove):
            return _render_report(year, event, snap, out, notebooks, notebook_dir, log, pdf, parameters)
    finally:
        snap.remove()


def _render_report(year, event, snap, out, notebooks, notebook_dir, log, pdf, parameters) -> Path:
    data = dataset.load_dataset(sources=snap.copies)
    for finding in data.warnings:  # as `validate` and every other command passes them on (#43)
        log(str(finding))
    parameters = dict(parameters or {})
    if parameters.get("scenarios"):  # checked like every input, before anything runs
        from analysis.inputs.scenario import load_scenarios

        parameters["scenarios"] = [
            str(snap.add(f"scenario_{k}", paths.resolve(p))) for k, p in enumerate(parameters["scenarios"])
        ]
        load_scenarios(parameters["scenarios"], data.register, data.years)
    the_event = cycle.Event(event, year)
    if not cycle.allowed(the_event, data.years):  # refused before anything runs
        first, last = data.years[0], data.years[-1]
        raise BadArgument(
            f"--year {year} ligger uden for rammens år {first}–{last}"
            + (
                f" (en overførselssag fra {first - 1}, {vocabulary.transfer_case(first - 1)}, til {last})"
                if event == "OFS"
                else ""
            )
        )
    allocates = check_decisions(parameters, data, event, year)
    follows_up = the_event.follows_up(data.years) is not None
    if follows_up and (data.followup is None or not data.followup.complete) and notebooks is None:
        raise BadArgument("OFS-rapporten kræver opfølgningsdata: angiv --bevillinger, --forbrug og --gevinster")
    names = notebooks or pages_for(the_event, data.years)
    if notebooks is None and not allocates:
        names = [name for name in names if name not in (ALLOCATION_NOTEBOOK, BUSINESS_CASE_NB)]  # no year left
    target = report_dir(year, event, out).resolve()
    check_target(target, snap.originals)  # the user's files, not their copies
    report = Report(
        year=year,
        event=event,
        data=data,
        target=target,
        notebooks=names,
        notebook_dir=Path(notebook_dir) if notebook_dir else paths.NOTEBOOK_DIR,
        parameters={**parameters, **_input_parameters(data, year, event)},
        pdf=pdf,
        log=log,
        snapshot=snap,
    )
    if pdf:
        from analysis.report import pdf as pdf_mod

        pdf_mod.chromium()  # fail before rendering when Chromium is missing
    ensure_kernel()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        held = publish.lock(target)
        held.__enter__()
    except OSError as exc:
        raise BadArgument(f"--out {target} kan ikke skrives: {os_error_text(exc)}") from None
    try:
        return _render(report)
    finally:
        held.__exit__(None, None, None)


def _rules(parameters: dict):
    """The follow-up rules a report's parameters give (as notebook 03 reads them)."""
    from analysis.inputs.parameters import Rules, from_notebook

    return from_notebook(Rules, "03_effektopfoelgning", parameters)


def _input_parameters(data: dataset.Dataset, year: int, event: str) -> dict:
    """The report's year and event and every input path, for the notebooks: every follow-up
    path, empty when not given, so a notebook never falls back to the shipped examples,
    which belong to the shipped register."""
    return {
        "year": year,
        "event": event,
        "register_path": str(data.sources["register"]),
        "frame_path": str(data.sources["frame"]),
        "pl_index_path": str(data.sources["pl_index"]),
        "claims_path": str(data.sources.get("claims", "")),
        **{f"{key}_path": str(data.sources.get(key, "")) for key in dataset.FOLLOWUP_FILES},
        "previous_register_path": str(data.sources.get("previous_register", "")),
    }


def _render(report: Report) -> Path:
    started = datetime.now()
    target = report.target
    publish.recover(target)  # under the lock: what a killed run left beside the target
    staging = publish.draft_folder(target)
    staging.chmod(0o755)  # mkdtemp makes it private; a report folder is for readers
    with stopping.on_stop(lambda: publish.remove_draft(staging)):  # SIGTERM while HiGHS holds the thread
        return _fill_and_publish(report, staging, started)


def _fill_and_publish(report: Report, staging: Path, started: datetime) -> Path:
    target = report.target
    try:
        (staging / "notebooks").mkdir()
        option = None  # the allocation page's main option, for the index
        annex: list[dict] = []  # each page's technical detail, for the annex
        appendix: list[tuple[str, dict]] = []
        for number, name in enumerate(report.notebooks, start=1):
            report.log(f"Kører {name} …")
            executed = execute(report.notebook_dir / name, staging / "notebooks" / name, report.parameters)
            title, lead = harvest.first_markdown(executed)
            # Read what the page hands on before the HTML export, which drops hidden cells.
            appendix += [(f"{number}.{k}", table) for k, table in enumerate(harvest.tables(executed), start=1)]
            option = harvest.key_figures(executed).get("allocation", option)
            annex.append({"title": title, "html": harvest.annex_html(executed)})
            href = Path(name).with_suffix(".html").name
            (staging / href).write_text(html.page(executed, title, report.title, report.footer), encoding="utf-8")
            report.pages.append(Page(href, title, lead))
        _front_and_annex(report, staging, option, annex, appendix, started)
        if report.pdf:
            from analysis.report import pdf as pdf_mod

            report.log("Skriver rapport.pdf med Chromium …")
            pdf_mod.report_pdf(
                staging,
                [p.href for p in report.pages] + [ANNEX],
                title=f"{report.title} – digital udviklings- og omstillingsplan",
            )
        manifest.write(staging)  # what this run wrote: only that may ever move again
        publish.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report.log(f"Rapporten er skrevet til {target}")
    return target


def _front_and_annex(report: Report, staging: Path, option, annex, appendix, started: datetime) -> None:
    """The index page, the technical annex, the Excel appendix and the run's record."""
    event, year = report.event, report.year
    data = runs.report_data(report.data, event, year)  # the pages' price level
    followed = None
    if cycle.Event(event, year).follows_up(data.years) and data.followup is not None and data.followup.complete:
        followed = runs.followup_run(data, year, _rules(report.parameters))
    key_figures = index_summary.report_summary(data, event, year, option, followed)
    appendix.insert(0, ("0.1", key_figures.to_json()))
    correction = front_page.aftaletekst(data, cycle.Event(event, year))
    blocks = {
        "resume": front_page.resume(data, event, year, option, followed),
        "frame_tables": front_page.frame_tables(data),
        "correction": correction if correction else "",
        "finding": front_page.main_finding(data),
        "risks": front_page.risks(data),
        "summary": key_figures,
        "prose_summary": register_page.prose_summary(data.claims, data.ranges, data.remarks),
        "warnings": fmt.count(len(data.warnings), "advarsel", "advarsler") if data.warnings else "",
    }
    when = vocabulary.event_when(cycle.Event(event, year))
    intro = (
        f"Rapporten viser finansieringsrammen til den tværgående digitale udviklings- og "
        f"omstillingsplan til {report.title[0].lower() + report.title[1:]} ({when}). "
        f"Beløb er i 1.000 kr. i {data.price_year} p/l, medmindre andet er angivet."
    )
    title = f"Digital udviklings- og omstillingsplan – {report.title}"
    (staging / "index.html").write_text(html.index(blocks, title, intro, report.pages, report.footer), encoding="utf-8")
    originals = report.snapshot.originals if report.snapshot else None
    origin = provenance.table(data.sources, report.recorded_parameters)
    (staging / ANNEX).write_text(html.annex(report.title, annex, origin, report.footer), encoding="utf-8")
    excel.write_appendix(staging / APPENDIX, appendix)
    run = {
        "run_date": started.date().isoformat(),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now().isoformat(timespec="seconds"),
        "provenance": provenance.describe(data.sources, report.recorded_parameters, shown=originals),
    }
    (staging / RUN_FILE).write_text(json.dumps(run, ensure_ascii=False, indent=2), encoding="utf-8")
    (staging / MARKER).write_text("Skrevet af digiramme; mappen må erstattes af en ny rapport.\n", encoding="utf-8")
