"""The documentation by role stays true: every link resolves, every document is reachable
from the README, the CLI reference is the parser's own, every command shown parses, and the
examples that are safe to run do run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.cli.parser import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return [link for link in LINK.findall(text) if not re.match(r"[a-z]+:", link) and not link.startswith("#")]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_link_resolves(path):
    for link in _links(path):
        target = (path.parent / link.split("#")[0]).resolve()
        assert target.exists(), f"{path.name}: {link}"


def test_the_readme_is_short_and_every_document_is_reachable_from_it():
    readme = ROOT / "README.md"
    assert len(readme.read_text(encoding="utf-8").splitlines()) <= 120
    seen, todo = set(), [readme]
    while todo:
        page = todo.pop()
        if page in seen or page.suffix != ".md":
            continue
        seen.add(page)
        todo += [(page.parent / link.split("#")[0]).resolve() for link in _links(page)]
    missing = [p.name for p in DOCS if p.resolve() not in seen]
    assert not missing, missing


def test_the_cli_reference_is_generated_from_the_parser():
    from analysis.cli import reference

    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == reference.text(), "run `make cli-reference`"


COMMAND = re.compile(
    r"(?:^|\s|bin/)digiramme ((?:validate|template|collect|report|allocate|followup|robustness|archive|kernel)\b"
    r"[^>#\"]*)"
)


def _commands():
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"```(?:sh|cron|python)\n(.*?)```", text, flags=re.S):
            for line in block.replace("\\\n", " ").splitlines():
                match = COMMAND.search(line)
                if match and "…" not in match.group(1) and "{{" not in match.group(1):
                    yield path.name, match.group(1).strip()


COMMANDS = list(_commands())


def test_the_documents_show_commands():
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize(("doc", "command"), COMMANDS)
def test_every_command_shown_parses(doc, command):
    try:
        build_parser().parse_args(shlex.split(command))
    except SystemExit as stop:
        pytest.fail(f"{doc}: `digiramme {command}` does not parse (exit {stop.code})")


@pytest.mark.parametrize(("doc", "command"), [c for c in COMMANDS if "--dry-run" in c[1] or "--help" in c[1]])
def test_the_safe_examples_run(doc, command, capsys):
    try:
        code = main(shlex.split(command))
    except SystemExit as stop:  # --help
        code = stop.code
    assert code == 0, f"{doc}: digiramme {command}"


def test_the_docs_site_speaks_danish():
    """MkDocs' built-in themes have no Danish: the site's own words ("Search", "Previous",
    "Next", …) come from docs/tema/'s catalogue, which must cover every string the theme
    translates, each with a Danish text."""
    from babel.messages.pofile import read_po

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "locale: da" in config and "custom_dir: build/docs-tema" in config
    with open(ROOT / "docs" / "tema" / "locales" / "da" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalogue = {m.id: m.string for m in read_po(handle) if m.id}
    assert catalogue["Search"] == "Søg" and catalogue["Previous"] == "Forrige" and catalogue["Next"] == "Næste"
    import mkdocs
    theme = Path(mkdocs.__file__).parent / "themes" / "mkdocs"
    wanted = set()
    for template in theme.glob("*.html"):
        for found in re.findall(r"\{%\s*trans[^%]*%\}(.*?)\{%\s*endtrans", template.read_text(encoding="utf-8"), re.S):
            wanted.add(re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", found))
    missing = sorted(w for w in wanted if not catalogue.get(w))
    assert not missing, missing
