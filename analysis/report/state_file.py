"""The event state on disk: the renderer computes a report's state once
(:class:`~analysis.model.state.EventState`) and saves it in the run's private folder; every
notebook of the report loads that one file by the path it is given (``state_path``), so no
page computes anything again and no two pages can show two computations.

A notebook refuses a state that was not made from its own inputs and parameters (a stale
file): the state carries the hash of each input file it was built from, its event and its
settings, and the notebook compares them with what its parameters give. Run on its own (no
``state_path``), a notebook builds the same state from its parameters.

The file is a pickle, written by this package into a folder only the run's user can enter;
a notebook loads only the path the renderer hands it.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from analysis.inputs import dataset, paths
from analysis.inputs.settings import SCENARIOS, Settings
from analysis.model.cycle import Event
from analysis.model.state import EventState
from analysis.report.provenance import sha256

STATE_PARAMETER = "state_path"  # the notebook parameter naming the saved state
STATE_FILE = "tilstand.pickle"
# each input's notebook parameter: register → register_path, …
INPUT_KEYS = ("register", "frame", "pl_index", "claims", "bevillinger", "forbrug", "gevinster", "previous_register")


class StaleState(ValueError):
    """A saved state made from other inputs or parameters than the notebook's."""


def fingerprint(sources: dict[str, Path], scenarios=()) -> dict[str, str]:
    """The hash of each input file (by its key) and each scenario file (``scenario_<k>``)."""
    out = {key: sha256(Path(path)) for key, path in sources.items() if Path(path).is_file()}
    out |= {f"scenario_{k}": sha256(paths.resolve(p)) for k, p in enumerate(scenarios)}
    return out


def build(sources: dict[str, Path], event: Event, settings: Settings) -> EventState:
    """The state of ``event`` from the input files ``sources`` (resolved, see
    :func:`analysis.inputs.dataset.input_paths`) under ``settings``."""
    data = dataset.load_dataset(sources=sources)
    return EventState.build(data, event, settings, fingerprint=fingerprint(data.sources, settings.scenarios))


def save(state: EventState, folder: Path) -> Path:
    path = Path(folder) / STATE_FILE
    with open(path, "wb") as handle:
        pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load(path: str | Path) -> EventState:
    with open(path, "rb") as handle:
        state = pickle.load(handle)  # noqa: S301 - written by this package's renderer in its private folder
    if not isinstance(state, EventState):
        raise StaleState(f"{path} er ikke en gemt tilstand fra digiramme")
    return state


def _given_inputs(namespace: dict) -> dict[str, str | None]:
    return {key: namespace.get(f"{key}_path") or None for key in INPUT_KEYS if f"{key}_path" in namespace}


def for_notebook(notebook: str, namespace: dict) -> EventState:
    """The event state a notebook shows: the saved one its ``state_path`` names (refused
    with :class:`StaleState` when it was made from other inputs or parameters), else one
    built from its parameters (``year``, ``event``, the ``…_path`` inputs and the settings
    :data:`analysis.inputs.parameters.NOTEBOOKS` gives it)."""
    settings = Settings.from_notebook(notebook, namespace)
    event = Event(namespace["event"], int(namespace["year"]))
    given = _given_inputs(namespace)
    sources = dataset.input_paths(**given)
    saved = namespace.get(STATE_PARAMETER)
    if not saved:
        return build(sources, event, settings)
    state = load(saved)
    declared = {key: path for key, path in sources.items() if key in given}
    expected = fingerprint(declared, settings.scenarios)
    differs = [] if state.event == event else ["year", "event"]
    differs += [f"{key}_path" for key in given if expected.get(key) != state.fingerprint.get(key)]
    scenario_keys = {k for k in (*expected, *state.fingerprint) if k.startswith("scenario_")}
    if SCENARIOS in namespace and any(expected.get(k) != state.fingerprint.get(k) for k in scenario_keys):
        differs.append(SCENARIOS)
    differs += state.settings.differences(settings, notebook)
    if differs:
        raise StaleState(
            f"den gemte tilstand {saved} er ikke dannet af notebookens egne parametre og inddata "
            f"(forskellige: {', '.join(differs)}); dan rapporten igen, eller kør notebooken uden {STATE_PARAMETER}"
        )
    return state
