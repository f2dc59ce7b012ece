"""Build the documentation site (``make docs``): stage docs/ with the root's CONTRIBUTING.md
and CHANGELOG.md and data/README.md (the data contracts) as pages of their own, with the
links between them rewritten, compile the theme's Danish strings (docs/tema/, a gettext
catalogue: MkDocs' built-in themes have no Danish), then run MkDocs in strict mode on the
staged copy and say where the site is."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE = ROOT / "build" / "docs-src"
THEME = ROOT / "build" / "docs-tema"  # the compiled Danish strings, MkDocs' custom_dir
SITE = ROOT / "build" / "site"
EXTRA = {"../CONTRIBUTING.md": "contributing.md", "../CHANGELOG.md": "changelog.md", "../data/README.md": "data.md"}
SOURCES = {
    "contributing.md": ROOT / "CONTRIBUTING.md",
    "changelog.md": ROOT / "CHANGELOG.md",
    "data.md": ROOT / "data" / "README.md",
}


def stage() -> None:
    shutil.rmtree(STAGE, ignore_errors=True)
    shutil.copytree(ROOT / "docs", STAGE, ignore=shutil.ignore_patterns("site.py", "__pycache__", "tema"))
    for name, source in SOURCES.items():
        text = source.read_text(encoding="utf-8")
        text = text.replace("](docs/", "](").replace("](CHANGELOG.md)", "](changelog.md)")
        (STAGE / name).write_text(text, encoding="utf-8")
    for page in STAGE.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        for link, target in EXTRA.items():
            text = text.replace(f"]({link})", f"]({target})")
        page.write_text(text, encoding="utf-8")


def compile_theme_strings() -> None:
    """docs/tema/locales/*/LC_MESSAGES/messages.po → .mo beside it in THEME (Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    shutil.rmtree(THEME, ignore_errors=True)
    for po in (ROOT / "docs" / "tema").rglob("*.po"):
        target = THEME / po.relative_to(ROOT / "docs" / "tema").with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(po, "rb") as source, open(target, "wb") as out:
            write_mo(out, read_po(source))


def config_text() -> str:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs", f"docs_dir: {STAGE}").replace("site_dir: build/site", f"site_dir: {SITE}")
    text = text.replace("custom_dir: build/docs-tema", f"custom_dir: {THEME}")
    return text + "  - Bidrag: contributing.md\n  - Ændringer: changelog.md\n  - Datakontrakter: data.md\n"


if __name__ == "__main__":
    stage()
    compile_theme_strings()
    config = ROOT / "build" / "mkdocs.yml"
    config.write_text(config_text(), encoding="utf-8")
    code = subprocess.call([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)])
    if code == 0:
        print(f"Dokumentationen er bygget: åbn {SITE / 'index.html'} i en browser.")
    sys.exit(code)
