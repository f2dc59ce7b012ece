"""Build the documentation site (``make docs``): stage docs/ with the root's CONTRIBUTING.md
and CHANGELOG.md and data/README.md (the data contracts) as pages of their own, with the
links between them rewritten, then run MkDocs in strict mode on the staged copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE = ROOT / "build" / "docs-src"
EXTRA = {"../CONTRIBUTING.md": "contributing.md", "../CHANGELOG.md": "changelog.md", "../data/README.md": "data.md"}
SOURCES = {
    "contributing.md": ROOT / "CONTRIBUTING.md",
    "changelog.md": ROOT / "CHANGELOG.md",
    "data.md": ROOT / "data" / "README.md",
}


def stage() -> None:
    shutil.rmtree(STAGE, ignore_errors=True)
    shutil.copytree(ROOT / "docs", STAGE, ignore=shutil.ignore_patterns("site.py", "__pycache__"))
    for name, source in SOURCES.items():
        text = source.read_text(encoding="utf-8")
        text = text.replace("](docs/", "](").replace("](CHANGELOG.md)", "](changelog.md)")
        (STAGE / name).write_text(text, encoding="utf-8")
    for page in STAGE.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        for link, target in EXTRA.items():
            text = text.replace(f"]({link})", f"]({target})")
        page.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    stage()
    config = ROOT / "build" / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs", f"docs_dir: {STAGE}").replace(
        "site_dir: build/site", f"site_dir: {ROOT / 'build' / 'site'}"
    )
    text += "  - Bidrag: contributing.md\n  - Ændringer: changelog.md\n  - Datakontrakter: data.md\n"
    config.write_text(text, encoding="utf-8")
    sys.exit(subprocess.call([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)]))
