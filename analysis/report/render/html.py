"""The report's HTML: each page without code (nbconvert, the digiramme template), with a
table of contents; the index page; and the technical annex."""

from __future__ import annotations

import html
import re
from pathlib import Path

from analysis.report.render.harvest import HIDDEN_CELL_TAGS

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
ANNEX_INTRO = "Teknisk bilag: hvordan tallene er regnet, regnemodellens status, parametrene og inddataenes herkomst."
METHOD = [
    "Forslagene til udmøntning er beregnet eksakt: en heltalsmodel vælger for hvert behov, om det finansieres, "
    "og fra hvilket år, så værdien efter forslagets kriterier bliver størst, inden for service- og anlægsrammen "
    "år for år, med varianter, forudsætninger og de investeringer, der allerede er sat i gang. Modellen løses af "
    "HiGHS (highspy). Et forslag kaldes det bedste efter de valgte kriterier, når løseren har bevist, at intet "
    "andet forslag giver flere point inden for rammen (MIP-gap 0); ellers står den tilbageværende afvigelse her. "
    "Beviset gælder regnestykket: pointene for de fire potentialer, gevinsterne og timerne er antagelser.",
    "Robustheden er regnet ved at trække omkostningerne fra en PERT-fordeling mellem hvert behovs mindste og højeste "
    "omkostning med den forventede omkostning som middelværdi og finde det bedste forslag igen for hvert udfald; "
    "samme inddata og frø giver samme resultat.",
    "Tallene på siderne er rundet til hele 1.000 kr. eller hele procent; Excel-bilaget har tallene uden afrunding.",
]


def css() -> str:
    return (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")


def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html", "j2"]))


def page(nb, title: str, report_title: str, footer: str) -> str:
    """One section page: the executed notebook without code or hidden cells."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    remover = TagRemovePreprocessor(remove_cell_tags=HIDDEN_CELL_TAGS)
    nb, _ = remover.preprocess(without_widgets(nb), {})
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
        "digiramme": {"css": css(), "report_title": report_title, "footer": footer},
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return with_toc(body)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def without_widgets(nb):
    """A copy of ``nb`` without widget outputs (a progress bar, a slider) and without the
    widget state the lab saves: a report page is static and runs no script."""
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
    return nb


def with_toc(text: str) -> str:
    """Insert a table of contents of the page's sections (its h2 headings) after its title."""
    headings = re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', text, re.S)
    if not headings:
        return text

    def label(heading: str) -> str:
        return html.escape(html.unescape(re.sub(r"<[^>]+>", "", heading)).replace("¶", "").strip())

    items = "".join(f'<li><a href="#{anchor}">{label(heading)}</a></li>' for anchor, heading in headings)
    toc = f'<nav class="dr-toc" aria-label="Indhold"><strong>Indhold</strong><ol>{items}</ol></nav>'
    return re.sub(r"</h1>", lambda match: match.group(0) + toc, text, count=1)


def index(blocks: dict, title: str, intro: str, pages: list, footer: str) -> str:
    """The index page: ``blocks`` holds the front page's parts as display objects (or text)."""
    from markupsafe import Markup

    shown = {
        key: Markup(value._repr_html_()) if hasattr(value, "_repr_html_") else value for key, value in blocks.items()
    }
    return (
        _environment()
        .get_template("report_index.html.j2")
        .render(**shown, title=title, intro=intro, pages=pages, css=Markup(css()), footer=footer)
    )


def annex(report_title: str, sections: list[dict], provenance, footer: str) -> str:
    """The technical annex: the method, each page's technical detail and the provenance."""
    from markupsafe import Markup

    return (
        _environment()
        .get_template("report_annex.html.j2")
        .render(
            title=f"Datagrundlag og metode – {report_title}",
            intro=ANNEX_INTRO,
            method=METHOD,
            sections=[{"title": s["title"], "html": Markup(s["html"])} for s in sections if s["html"]],
            css=Markup(css()),
            provenance=Markup(provenance._repr_html_()),
            footer=footer,
        )
    )
