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
from analysis.inputs.settings import Settings
from analysis.model import cycle
from analysis.model.state import EventState
from analysis.report import excel, front_page, index_summary, provenance, register_page, state_file, vocabulary
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
CLOSING_TAG = "closing"  # a notebook section only the closing OFS's report shows
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
    state: EventState  # computed once here; every notebook loads it (state_file)
    pdf: bool = False
    log: Callable[[str], None] = print
    pages: list[Page] = field(default_factory=list)
    snapshot: snapshot.Snapshot | None = None  # the run's copies of its inputs
    state_path: Path | None = None

    def parameters(self, notebook: str) -> dict:
        """What ``notebook`` is run with: the report's year and event, every input path,
        the settings as the notebook names them, and the saved state."""
        stem = Path(notebook).stem
        own = self.state.settings.notebook_parameters(stem) if stem in NOTEBOOK_SETTINGS else {}
        return {
            **_input_parameters(self.data, self.year, self.event),
            **own,
            state_file.STATE_PARAMETER: str(self.state_path or ""),
        }

    @property
    def recorded_parameters(self) -> dict:
        """The parameters as the record shows them: the settings, and scenarios by their
        original paths."""
        settings = self.state.settings
        if self.snapshot is not None:
            settings = settings.changed(scenarios=tuple(str(self.snapshot.original(s)) for s in settings.scenarios))
        return {"year": self.year, "event": self.event} | settings.as_parameters()

    @property
    def drop_tags(self) -> frozenset[str]:
        """The notebook sections this event's report leaves out: the closing's, except at
        the closing OFS."""
        return frozenset() if self.state.event.closing(self.state.years) else frozenset({CLOSING_TAG})

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


def check_decisions(state: EventState) -> bool:
    """The report's allocation decisions, refused before anything runs as ``allocate``
    refuses them (:meth:`analysis.model.state.EventState.check_decisions`). Returns whether
    the report has a year left to allocate; when it has none, any allocation decision is
    refused."""
    allocates = state.check_decisions()
    if not allocates and state.settings.sampling.gap:
        raise BadArgument(
            f"--gap gælder udmøntningen, men {vocabulary.transfer_case(state.event.year)} har intet at udmønte: "
            f"rammen løber til og med {state.years[-1]}"
        )
    return allocates


# the notebooks whose parameters carry settings (the report's own pages)
NOTEBOOK_SETTINGS = {Path(name).stem for names in EVENTS.values() for name in names}


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
    settings: Settings | None = None,
) -> Path:
    """Render the report for ``year`` and ``event`` and return its folder.

    ``inputs`` holds register/frame/pl_index/claims paths (defaults: the shipped data).
    ``settings`` are the report's settings (default: every default); ``parameters`` change
    some of them by their notebook names (e.g. ``{"samples": 100}``, see
    :meth:`~analysis.inputs.settings.Settings.from_parameters`). The event's state is
    computed once, here, and every notebook loads it.
    Raises :class:`~analysis.inputs.findings.InputError` for bad input and
    :class:`~analysis.model.decisions.DecisionError` for decisions the data cannot take
    (nothing is written), and :class:`RenderError` when a notebook fails (the previous
    report is kept).
    """
    if event not in EVENTS:
        raise ValueError(f"ukendt begivenhed {event!r}; brug {' eller '.join(EVENTS)}")
    settings = Settings.from_parameters(parameters, settings)
    # one snapshot of every input, read by every page, the appendix and the provenance
    snap = snapshot.take(dataset.input_paths(**(inputs or {})))
    try:
        with stopping.on_stop(snap.remove):
            return _render_report(year, event, snap, out, notebooks, notebook_dir, log, pdf, settings)
    finally:
        snap.remove()


def _render_report(year, event, snap, out, notebooks, notebook_dir, log, pdf, settings: Settings) -> Path:
    data = dataset.load_dataset(sources=snap.copies)
    for finding in data.warnings:  # as `validate` and every other command passes them on (#43)
        log(str(finding))
    if settings.scenarios:  # checked like every input, before anything runs
        from analysis.inputs.scenario import load_scenarios

        copies = tuple(str(snap.add(f"scenario_{k}", paths.resolve(p))) for k, p in enumerate(settings.scenarios))
        settings = settings.changed(scenarios=copies)
        load_scenarios(list(copies), data.register, data.years)
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
    state = EventState.build(
        data, the_event, settings, fingerprint=state_file.fingerprint(data.sources, settings.scenarios)
    )
    allocates = check_decisions(state)
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
        state=state,
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


# The steps each page reads, computed here once before any notebook runs
PAGE_STEPS = {
    REGISTER_NB: ("need_cases",),
    ALLOCATION_NOTEBOOK: (
        "allocation",
        "measures",
        "sensitivity_changes",
        "variants",
        "plan_changes",
        "decisions",
        "in_and_out",
    ),
    BUSINESS_CASE_NB: ("allocation", "business_case", "case_changes"),
    FOLLOWUP_NB: ("followup", "kroner", "closing"),
    ROBUSTNESS_NB: ("allocation",),
}
STEP_WORDS = {
    "allocation": "forslagene til udmøntning",
    "followup": "opfølgningen",
}


def compute_steps(state: EventState, notebooks: list[str], log: Callable[[str], None] = lambda _m: None) -> None:
    """Compute every step of ``state`` that the pages ``notebooks`` and the index read, once."""
    wanted = [step for name in notebooks for step in PAGE_STEPS.get(name, ())]
    if state.follows_up is not None:
        wanted.append("followup")
    for step in dict.fromkeys(wanted):
        if step in STEP_WORDS:
            log(f"Beregner {STEP_WORDS[step]} …")
        getattr(state, step)
    for step in INDEX_STEPS:  # the front page and the index read these
        getattr(state, step)
    if ROBUSTNESS_NB in notebooks:
        log(f"Beregner robustheden (højst {state.settings.sampling.samples} udfald pr. fase) …")
        state.robustness()
    if ALLOCATION_NOTEBOOK in notebooks:
        state.key_figures  # noqa: B018 - the index reads it
        for column in ("omraade", "forvaltning"):
            state.funded_by(column)


INDEX_STEPS = ("stops", "reconciliation")


def compute_state(report: Report) -> None:
    """Compute every step of the state the report's pages and index read, once, and save
    it where every notebook loads it."""
    compute_steps(report.state, report.notebooks, report.log)
    report.state_path = state_file.save(
        report.state, report.snapshot.folder if report.snapshot else report.target.parent
    )


def _render(report: Report) -> Path:
    started = datetime.now()
    target = report.target
    publish.recover(target)  # under the lock: what a killed run left beside the target
    compute_state(report)
    staging = publish.draft_folder(target)
    staging.chmod(0o755)  # mkdtemp makes it private; a report folder is for readers
    with stopping.on_stop(lambda: publish.remove_draft(staging)):  # SIGTERM while HiGHS holds the thread
        return _fill_and_publish(report, staging, started)


def _fill_and_publish(report: Report, staging: Path, started: datetime) -> Path:
    target = report.target
    try:
        (staging / "notebooks").mkdir()
        annex: list[dict] = []  # each page's technical detail, for the annex
        appendix: list[tuple[str, dict]] = []
        for number, name in enumerate(report.notebooks, start=1):
            report.log(f"Kører {name} …")
            executed = execute(
                report.notebook_dir / name, staging / "notebooks" / name, report.parameters(name), report.drop_tags
            )
            title, lead = harvest.first_markdown(executed)
            # Read what the page hands on before the HTML export, which drops hidden cells.
            appendix += [(f"{number}.{k}", table) for k, table in enumerate(harvest.tables(executed), start=1)]
            annex.append({"title": title, "html": harvest.annex_html(executed)})
            href = Path(name).with_suffix(".html").name
            (staging / href).write_text(html.page(executed, title, report.title, report.footer), encoding="utf-8")
            report.pages.append(Page(href, title, lead))
        _front_and_annex(report, staging, annex, appendix, started)
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


def _front_and_annex(report: Report, staging: Path, annex, appendix, started: datetime) -> None:
    """The index page, the technical annex, the Excel appendix and the run's record, from
    the same state the pages show."""
    state, data = report.state, report.state.data
    shows_option = ALLOCATION_NOTEBOOK in report.notebooks
    key_figures = index_summary.report_summary(state, option=shows_option)
    appendix.insert(0, ("0.1", key_figures.to_json()))
    correction = front_page.aftaletekst(data, state.event)
    blocks = {
        "resume": front_page.resume(state, option=shows_option),
        "frame_tables": front_page.frame_tables(data),
        "correction": correction if correction else "",
        "finding": front_page.main_finding(data),
        "risks": front_page.risks(data),
        "summary": key_figures,
        "prose_summary": register_page.prose_summary(data.claims, data.ranges, data.remarks),
        "warnings": fmt.count(len(data.warnings), "advarsel", "advarsler") if data.warnings else "",
    }
    when = vocabulary.event_when(state.event)
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
