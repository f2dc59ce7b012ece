"""A report's settings as one type: the main option's rules and decisions
(:class:`~analysis.inputs.parameters.Options`), how robustness draws
(:class:`~analysis.inputs.parameters.Sampling`), how the OFS treats unspent money
(:class:`~analysis.inputs.parameters.Rules`), the grid of options shown
(:class:`~analysis.inputs.parameters.Grid`), and the analyst's saved scenarios.

The command line makes one from its flags, the renderer hands it to every notebook as the
notebook's own papermill parameters (:meth:`Settings.notebook_parameters`), and a notebook
reads it back from its namespace (:meth:`Settings.from_notebook`): the names each notebook
gives each field are declared once, in :data:`analysis.inputs.parameters.NOTEBOOKS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from analysis.inputs import parameters as p
from analysis.inputs.constraints import ParameterError

SCENARIOS = "scenarios"  # the notebook parameter naming the saved scenarios (notebook 02)
# the part of the settings each kind is, by its field on Settings
PARTS: dict[type, str] = {p.Options: "options", p.Sampling: "sampling", p.Rules: "rules", p.Grid: "grid"}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Settings:
    """Everything a report is rendered with besides its inputs, its year and its event."""

    options: p.Options = field(default_factory=p.Options)
    sampling: p.Sampling = field(default_factory=p.Sampling)
    rules: p.Rules = field(default_factory=p.Rules)
    grid: p.Grid = field(default_factory=p.Grid)
    scenarios: tuple[str, ...] = ()  # paths of saved scenarios (JSON), shown beside the grid

    def part(self, kind: type) -> p.Parameters:
        return getattr(self, PARTS[kind])

    def changed(self, **parts) -> Settings:
        return replace(self, **parts)

    # --- to and from a notebook's parameters -------------------------------------------------

    @classmethod
    def from_notebook(cls, notebook: str, namespace: dict) -> Settings:
        """The settings ``notebook``'s parameters give (every other field at its default),
        checked against their constraints (:func:`analysis.inputs.parameters.from_notebook`)."""
        parts = {PARTS[kind]: p.from_notebook(kind, notebook, namespace) for kind in p.NOTEBOOKS[notebook]}
        given = namespace.get(SCENARIOS) if SCENARIOS in namespace else ()
        return cls(**parts, scenarios=tuple(str(s) for s in given or ()))

    def notebook_parameters(self, notebook: str) -> dict[str, Any]:
        """The papermill parameters ``notebook`` declares for these settings, as its
        parameters cell writes them (lists for tuples, ``none_as`` for None)."""
        out: dict[str, Any] = {}
        for kind, names in p.NOTEBOOKS[notebook].items():
            part, specs = self.part(kind), kind.specs()
            for name, key in names.items():
                value = getattr(part, name)
                out[key] = specs[name].none_as if value is None and specs[name].none_as is not None else _plain(value)
        if notebook == NOTEBOOK_WITH_SCENARIOS:
            out[SCENARIOS] = list(self.scenarios)
        return out

    def differences(self, other: Settings, notebook: str) -> list[str]:
        """The parameters of ``notebook`` whose values differ between these settings and
        ``other`` (by the notebook's names for them)."""
        found = [
            key
            for kind, names in p.NOTEBOOKS[notebook].items()
            for name, key in names.items()
            if getattr(self.part(kind), name) != getattr(other.part(kind), name)
        ]
        return found

    # --- from a flat mapping (the renderer's API) --------------------------------------------

    @classmethod
    def from_parameters(cls, mapping: dict | None, base: Settings | None = None) -> Settings:
        """``base`` (or the defaults) with the report parameters ``mapping`` names: a
        notebook parameter's name (``samples``, ``force_in``, ``transfer_cap``, …) or a
        field's own name, and ``scenarios``. A name two kinds share is the allocation
        page's (``carry_over``: the main option's planned carry-over; the OFS's rule is
        reached through :attr:`rules`). An unknown name raises :class:`ParameterError`."""
        settings = base or cls()
        by_kind: dict[type, dict[str, Any]] = {}
        for key, value in (mapping or {}).items():
            if key == SCENARIOS:
                settings = replace(settings, scenarios=tuple(str(s) for s in value or ()))
                continue
            found = FLAT_NAMES.get(key)
            if found is None:
                known = ", ".join(sorted({*FLAT_NAMES, SCENARIOS}))
                raise ParameterError(key, value, f"er ikke en rapportparameter; kendte: {known}")
            kind, name = found
            spec = kind.specs()[name]
            none = spec.none_as is not None and not isinstance(value, bool) and value == spec.none_as
            by_kind.setdefault(kind, {})[name] = None if none else value
        for kind, given in by_kind.items():
            part = p.from_mapping(kind, given, settings.part(kind))
            settings = replace(settings, **{PARTS[kind]: part})
        return settings

    def as_dict(self) -> dict[str, Any]:
        """Every setting as plain data, by part."""
        out = {PARTS[kind]: self.part(kind).as_dict() for kind in PARTS}
        return out | {SCENARIOS: list(self.scenarios)}

    def as_parameters(self) -> dict[str, Any]:
        """Every setting by its report parameter's name (:data:`FLAT_NAMES`; a field no such
        name reaches as ``part.field``), as plain data: what the provenance records, in the
        names an analyst gives them."""
        out: dict[str, Any] = {}
        for kind, part in PARTS.items():
            for f in fields(kind):
                name = PARAMETER_NAMES.get((kind, f.name), f"{part}.{f.name}")
                out[name] = _plain(getattr(self.part(kind), f.name))
        return out | {SCENARIOS: list(self.scenarios)}


NOTEBOOK_WITH_SCENARIOS = "02_allokering"


def _flat_names() -> dict[str, tuple[type, str]]:
    """Each report parameter's name → (kind, field): the notebooks' names, the allocation
    page's first (it owns the main option), then every field's own name where no notebook
    uses it."""
    order = ["02_allokering", "04_robusthed", "05_businesscase", "03_effektopfoelgning"]
    out: dict[str, tuple[type, str]] = {}
    for notebook in order + [n for n in p.NOTEBOOKS if n not in order]:
        for kind, names in p.NOTEBOOKS[notebook].items():
            for name, key in names.items():
                out.setdefault(key, (kind, name))
    for kind in PARTS:
        for f in fields(kind):
            out.setdefault(f.name, (kind, f.name))
    return out


FLAT_NAMES = _flat_names()
# each field's one name in a record of the settings: the first report parameter naming it
PARAMETER_NAMES: dict[tuple[type, str], str] = {}
for _key, _field in FLAT_NAMES.items():
    PARAMETER_NAMES.setdefault(_field, _key)
