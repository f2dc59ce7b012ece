"""Each parameter is declared once (analysis/inputs/parameters.py), and every place that takes
it (the command line, the notebooks, the scenario files, the API) reads that declaration: the
same default, the same constraint."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import papermill
import pytest

from analysis.cli import options as cli_options
from analysis.cli.parser import build_parser
from analysis.inputs import limits, paths
from analysis.inputs import parameters as p

PACKAGE = Path(p.__file__).resolve().parents[1]
# the commands whose options are made from the table, the kinds they take, and what they require
COMMANDS = {
    "allocate": ((p.Options,), []),
    "robustness": ((p.Options, p.Sampling), []),
    "followup": ((p.Rules,), ["--year", "2026"]),
    "report": ((p.Options, p.Sampling, p.Rules), ["--year", "2026", "--event", "budget"]),
}
# declared, but given only through the API (a scenario's frame levels, weight ranges)
NOT_GIVEN_BY_USERS = {p.Sampling: {"weight_ranges", "scales"}}


def _subparser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    return parser._subparsers._group_actions[0].choices[name]


def _notebook_defaults(notebook: str) -> dict:
    path = paths.NOTEBOOK_DIR / f"{notebook}.ipynb"
    return {name: ast.literal_eval(info["default"]) for name, info in papermill.inspect_notebook(str(path)).items()}


def test_every_parameter_has_one_default_in_the_cli_the_notebooks_and_the_api():
    exposed: dict[type, set[str]] = {kind: set() for kind in p.KINDS.values()}
    for command, (kinds, required) in COMMANDS.items():
        sub = _subparser(command)
        args = sub.parse_args(required)
        for kind in kinds:
            assert cli_options.build(kind, args) == kind(), (command, kind)  # nothing given: the defaults
            for action in sub._actions:
                field = action.dest.partition(".")[2]
                if action.dest == cli_options.dest(kind, field):
                    exposed[kind].add(field)
                    default = kind.defaults()[field]
                    if default is not None:  # the help says the declared default, in Danish
                        assert f"(standard: {cli_options.shown_default(default)})" in action.help, field
    for notebook, kinds in p.NOTEBOOKS.items():
        literals = _notebook_defaults(notebook)
        for kind, names in kinds.items():
            for field, name in names.items():
                spec, literal = kind.specs()[field], literals[name]
                value = None if spec.none_as is not None and literal == spec.none_as else literal
                assert spec.check(field, value) == kind.defaults()[field], (notebook, name)
                exposed[kind].add(field)
            assert p.from_notebook(kind, notebook, literals) == kind()
    grid = _notebook_defaults("02_allokering")  # the first option of the page's grid is the default option
    options = p.Options()
    assert (grid["strategies"][0], grid["cost_levels"][0]) == (options.strategy, options.cost_level)
    assert tuple(grid["weightings"][0]) == options.weights
    for kind in p.KINDS.values():
        assert exposed[kind] | NOT_GIVEN_BY_USERS.get(kind, set()) == set(kind.specs()), kind


def test_the_command_line_and_the_report_page_draw_robustness_alike():
    """The robustness page and `digiramme robustness` used to draw from different seeds and
    stop rules, so the command line could not reproduce the page."""
    sub = _subparser("robustness")
    from_cli = cli_options.build(p.Sampling, sub.parse_args([]))
    from_page = p.from_notebook(p.Sampling, "04_robusthed", _notebook_defaults("04_robusthed"))
    assert from_cli.seed == from_page.seed and from_cli.adaptive == from_page.adaptive
    assert from_cli == from_page.changed(workers=from_cli.workers)


def test_an_explicit_option_beats_a_scenario_and_a_scenario_beats_the_defaults():
    sub = _subparser("allocate")
    base = p.Options(strategy="max-benefit", time_preference=0.05)
    chosen = cli_options.build(p.Options, sub.parse_args(["--time-preference", "0"]), base)
    assert chosen.strategy == "max-benefit" and chosen.time_preference == 0.0


@pytest.mark.parametrize(
    "kind, changes, said",
    [
        (p.Options, {"weights": (1, 2)}, "er ikke fire vægte"),
        (p.Options, {"weights": (1e308, 1, 1, 1)}, "er ikke fire vægte"),
        (p.Options, {"strategy": "best"}, "er ikke et gyldigt valg"),
        (p.Options, {"time_preference": float("nan")}, "er ikke et endeligt tal"),
        (p.Options, {"plan_year": 2027.5}, "er ikke et helt tal"),
        (p.Options, {"force_in": "A"}, "liste af id'er"),
        (p.Sampling, {"samples": 0}, "skal være mindst 1"),
        (p.Sampling, {"gap": 0.5}, "højst 0,1"),
        (p.Sampling, {"seed": 2**40}, "højst 4294967295"),
        (p.Rules, {"cap": 1.5}, "højst 1"),
        (p.Rules, {"at_risk": 0.3, "off_track": 0.2}, "mindst at_risk"),
    ],
)
def test_a_value_outside_its_constraint_is_refused_with_what_it_may_be(kind, changes, said):
    with pytest.raises(p.ParameterError) as refused:
        kind(**changes)
    assert said in str(refused.value)


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def test_no_default_a_parameter_declares_is_declared_again():
    """A copy of a parameter's default anywhere else in the package (a dataclass field, a
    function's default, an option's default) is how defaults drifted apart before."""
    own = {PACKAGE / "inputs" / "parameters.py"}
    declared = {}
    for kind in p.KINDS.values():
        for name, default in kind.defaults().items():
            if default not in (None, (), False, True):  # too common to mean a copy
                declared.setdefault(name, set()).add(default)
    copies = []
    for path, tree in _modules():
        if path in own:
            continue
        for node in ast.walk(tree):
            pairs = []
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                pairs.append((node.target.id, node.value))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                positional = node.args.args[len(node.args.args) - len(node.args.defaults) :]
                pairs += [(a.arg, d) for a, d in zip(positional, node.args.defaults, strict=True)]
                pairs += [(a.arg, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True) if d]
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
                keywords = {k.arg: k.value for k in node.keywords}
                flag = next((_literal(a) for a in node.args if isinstance(_literal(a), str)), "")
                name = str(flag).lstrip("-").replace("-", "_")
                if "default" in keywords and name in declared:
                    pairs.append((name, keywords["default"]))
            for name, value in pairs:
                literal = _literal(value)
                if name in declared and literal is not None and literal in declared[name]:
                    copies.append(f"{path.relative_to(PACKAGE)}:{value.lineno} {name} = {literal!r}")
    assert not copies, "a parameter's default is declared again:\n" + "\n".join(copies)


def test_the_codes_and_limits_are_written_once():
    """The strategies, the cost levels and the year bounds are typed in one place each."""
    strategies = set(p.STRATEGIES)
    levels = set(p.COST_LEVELS)
    found = []
    for path, tree in _modules():
        rel = path.relative_to(PACKAGE)
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) >= 2:
                values = {_literal(e) for e in node.elts if isinstance(e, ast.Constant)}
                if str(rel) != "inputs/parameters.py" and (values >= strategies or values >= levels):
                    found.append(f"{rel}:{node.lineno} {sorted(values)}")
            if isinstance(node, ast.Constant) and node.value in (limits.YEAR_MIN, limits.YEAR_MAX):
                if str(rel) not in ("inputs/limits.py", "inputs/synthetic.py"):
                    found.append(f"{rel}:{node.lineno} {node.value}")
    assert not found, "written again:\n" + "\n".join(found)


def test_no_parameter_type_is_mapped_by_hand_from_another():
    """Parameters are made from a mapping (the command line, a scenario, a notebook) by
    their declaration, never field by field: a hand mapping is where a field goes missing."""
    kinds = {kind.__name__ for kind in p.KINDS.values()}
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in kinds and len(node.keywords) > 2:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}(...)")
    assert not found, "\n".join(found)


# Numbers too common to mean a copy of a default when they stand alone (a digit count, a
# thousand kroner, a year, a step): written again only where a name binds them to the
# setting, which test_no_default_a_parameter_declares_is_declared_again looks for.
COMMON_NUMBERS = {2, 5, 10, 20, 50, 60, 200, 1000, 2026, 0.05, 0.1, 0.25, 0.5}


def _declared_defaults() -> dict[str, object]:
    """Every default declared once: each parameter's (every kind), each register column's,
    the default input paths and the decision keys. 0, 1, booleans and empty values are
    exempt (too common to mean anything)."""
    from analysis.inputs import contracts

    out: dict[str, object] = {}
    for kind in p.KINDS.values():
        for name, default in kind.defaults().items():
            out[f"{kind.__name__}.{name}"] = default
    for column in contracts.REGISTER_COLUMNS:
        if column.default is not None:
            out[f"register.{column.name}"] = column.default
    for name in dir(paths):
        if name.startswith("DEFAULT_"):
            out[f"paths.{name}"] = str(getattr(paths, name).relative_to(paths.ROOT))
    out["parameters.DECISION_KEYS"] = p.DECISION_KEYS
    return {
        key: value
        for key, value in out.items()
        if value not in (None, (), [], "", 0, 1) and not isinstance(value, bool)
    }


def _plain_literal(value):
    if isinstance(value, list | tuple):
        return tuple(_plain_literal(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _code_sources():
    """Every module of the package, and the code of every notebook (its parameters cell
    aside: papermill needs the defaults typed there, and a test keeps them equal)."""
    declarations = {PACKAGE / "inputs" / "parameters.py", PACKAGE / "inputs" / "paths.py"}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path not in declarations:
            yield str(path.relative_to(PACKAGE)), path.read_text(encoding="utf-8")
    import nbformat

    for path in sorted(paths.NOTEBOOK_DIR.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for k, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
                yield f"notebooks/{path.name}, celle {k + 1}", cell.source


def _contract_defaults_written(tree) -> list[ast.AST]:
    """In contracts.py only the Column(...) declarations themselves may hold a default."""
    return [
        kw.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Column"
        for kw in node.keywords
        if kw.arg == "default"
    ]


def test_no_declared_default_appears_as_a_literal_outside_its_declaration():
    """#35: a default (a parameter's, the discount rate, a register column's, an input path,
    the decision keys) is declared once and read everywhere. A literal equal to one, in the
    package or a notebook's code, is a second declaration: a float that is not a common number
    (the discount rate, the time preference), a text (an input path), a sequence (the grid's
    weightings, the decision keys), wherever it stands. Common numbers and the codes a choice
    offers are checked where a name binds them (the test above)."""
    declared = _declared_defaults()
    codes = {c for kind in p.KINDS.values() for s in kind.specs().values() for c in getattr(s.constraint, "choices", ())}
    wanted = {}
    for key, value in declared.items():
        plain = _plain_literal(value)
        if isinstance(plain, float) and plain in COMMON_NUMBERS:
            continue
        if isinstance(plain, str) and plain in codes:
            continue
        wanted.setdefault(plain, []).append(key)
    copies = []
    for where, source in _code_sources():
        tree = ast.parse(source)
        allowed = set(map(id, _contract_defaults_written(tree))) if where == "inputs/contracts.py" else set()
        for node in ast.walk(tree):
            if id(node) in allowed or not isinstance(node, ast.Constant | ast.Tuple | ast.List):
                continue
            literal = _literal(node)
            if literal is None or isinstance(literal, bool | set | dict):
                continue
            plain = _plain_literal(literal)
            try:
                hash(plain)
            except TypeError:  # a sequence of sets or mappings: no default is one
                continue
            if plain in wanted:
                copies.append(f"{where}:{node.lineno} {literal!r} ({', '.join(wanted[plain])})")
            # the decision keys, in any order or with others beside them
            if isinstance(plain, tuple) and len(plain) >= 3 and set(p.DECISION_KEYS) <= set(plain):
                copies.append(f"{where}:{node.lineno} {literal!r} (parameters.DECISION_KEYS)")
    assert not copies, "a declared default is written again:\n" + "\n".join(sorted(set(copies)))
