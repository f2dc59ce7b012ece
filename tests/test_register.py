"""The shipped register holds every need in the note's Tabel 1, as the note gives it."""

from __future__ import annotations

import csv

import pytest

from analysis.inputs.dataset import load_dataset
from analysis.inputs.register import COLUMN_NAMES, find_cycles, load_register
from analysis.model.allocation.problem import potential_values


@pytest.fixture
def register(shipped):
    return load_dataset(**shipped).register.set_index("id")


def test_costs_are_the_notes_ranges(register):
    # (min, max) in 1.000 kr., read off the note's Tabel 1 by hand.
    note = {
        "FAS-01": (10000, 15000),
        "DA-5G-B": (10000, 10000),
        "DA-5G-D": (25000, 25000),
        "DA-5G-F": (50000, 50000),
        "SP-M365": (3000, 3000),
        "AI-01": (5000, 10000),
        "AI-02": (2000, 10000),
        "AI-03": (2000, 5000),
        "AI-04": (2000, 5000),
        "AUT-01": (2500, 10000),
        "DATA-01": (2000, 10000),
    }
    costed = register[register["har_estimat"]]
    assert {i: (r.omkostning_min, r.omkostning_max) for i, r in costed.iterrows()} == note


def test_private_5g_is_one_variant_group_of_three(register):
    group = register[register["variantgruppe"] == "privat-5g"]
    assert sorted(group["omkostning_forventet"]) == [10000, 25000, 50000]


def test_needs_without_an_amount_are_present_and_marked(register):
    assert set(register.index[~register["har_estimat"]]) == {"IT-01", "BS-01", "BS-02"}


def test_ai_sub_items_are_separate_rows(register):
    assert {i for i in register.index if i.startswith("AI-")} == {"AI-01", "AI-02", "AI-03", "AI-04"}


def test_every_field_the_note_does_not_give_is_labelled_an_assumption(shipped):
    # Read the file itself (not the loader, which fills defaults): every non-empty cell in
    # a column the note does not give must be listed in that row's "antagelser".
    not_in_note = {
        "forvaltning",
        "andel_anlaeg",
        "fordeling",
        "tidligste_start",
        "seneste_start",
        "pl_aar",
        "gevinst",
        "timer_frigjort",
        "prioritet",
        "potentiale_tilgaengelighed",
        "potentiale_aflastning",
        "potentiale_forenkling",
        "potentiale_skalering",
    }
    with open(shipped["register"], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows
    for row in rows:
        assumed = set(row["antagelser"].split(";"))
        filled = {c for c in not_in_note if row.get(c, "").strip() not in ("", "0")}
        assert filled <= assumed, row["id"]
        assert assumed <= set(COLUMN_NAMES)
        assert "antagelse" in row["kilde"]


def test_potential_value_is_the_weighted_sum_of_the_four_scores(write):
    text = (
        "id;omraade;titel;omkostning_min;omkostning_max;potentiale_tilgaengelighed;potentiale_aflastning;"
        "potentiale_forenkling;potentiale_skalering\n"
        "A;X;A;1;1;4;3;5;2\n"
        "B;X;B;1;1;;1;;\n"  # missing scores count as 0
    )
    register, _ = load_register(write("r.csv", text))
    assert list(potential_values(register, (1, 1, 1, 1))) == [14, 1]
    assert list(potential_values(register, (2, 0, 1, 0))) == [2 * 4 + 5, 0]


def test_find_cycles_finds_each_ring_and_nothing_else():
    assert find_cycles({"A": ("B",), "B": ("C",), "C": ()}) == []
    assert find_cycles({"A": ("B",), "B": ("C",), "C": ("A",)}) == [["A", "B", "C"]]
    assert find_cycles({"A": ("A",)}) == [["A"]]
