"""Small, valid input files as text, for tests that vary one thing at a time.

Importable as ``helpers`` because pyproject.toml puts ``tests/`` on pytest's path."""

VALID_REGISTER = (
    "id;omraade;titel;omkostning_min;omkostning_max;andel_anlaeg;fordeling;forudsaetter;variantgruppe\n"
    'A;Data;Dataplatform;2000;10000;0,3;"50;50";;\n'
    "B;Data;Datakvalitet;1.000;2.500,5;0;100;A;\n"
    'C;Net;Lille net;10000;10000;0.8;"60;40";;5g\n'
    "D;Net;Stort net;25000;25000;0.8;;;5g\n"
)

VALID_FRAME = (
    "aar;styringsomraade;beloeb;pl_aar\n"
    "2026;service;15.000;2026\n"
    "2026;anlæg;5.000;2026\n"
    "2027;service;25.000;2026\n"
    "2027;anlaeg;10.000;2026\n"
)

# Three needs over two years of 8 mio. kr. service each (no anlæg), for the workbench's tests.
# A costs 4 mio. kr. and is worth 5, B costs 4 and is worth 3 (tilgængelighed), C costs 6 and
# is worth 4; each spends its cost in its start year, A and B may start 2026 or 2027, C only
# in 2026.
WHATIF_REGISTER = (
    "id;omraade;titel;omkostning_min;omkostning_max;potentiale_tilgaengelighed;tidligste_start;seneste_start\n"
    "A;X;Behov A;4000;4000;5;2026;2027\n"
    "B;X;Behov B;4000;4000;3;2026;2027\n"
    "C;X;Behov C;6000;6000;4;2026;2026\n"
)
WHATIF_FRAME = "aar;styringsomraade;beloeb\n2026;service;8000\n2027;service;8000\n2026;anlæg;0\n2027;anlæg;0\n"


def planned(data, options, strategies=("max-potential",), cost_levels=("expected",), weightings=((1, 1, 1, 1),),
            scenarios=(), event=None, sampling=None):  # fmt: skip
    """The event state that plans ``options`` on ``data`` (in its own p/l), showing the grid
    of ``strategies``, ``cost_levels`` and ``weightings`` and the saved ``scenarios`` (paths):
    its ``allocation`` is what the allocation page shows."""
    from analysis.inputs.parameters import Grid, Sampling
    from analysis.inputs.settings import Settings
    from analysis.model.state import EventState

    grid = Grid(
        strategies=tuple(strategies), cost_levels=tuple(cost_levels), weightings=tuple(tuple(w) for w in weightings)
    )
    settings = Settings(grid=grid, scenarios=tuple(str(s) for s in scenarios), sampling=sampling or Sampling())
    return EventState.for_plan(data, options, settings, event=event)


def page_state(register, result, price_year: int = 2026, mode: str = "udmoentning", name: str = "A"):
    """A stand-in for an event state holding one option ``result`` on ``register``, for
    tests of how a business case page formats the model's business case of it."""
    from types import SimpleNamespace

    from analysis.model import business_case

    return SimpleNamespace(
        data=SimpleNamespace(register=register),
        price_year=price_year,
        main=result,
        business_case=business_case.of_option(register, result, mode),
        key_figures=SimpleNamespace(recommended=name),
    )
