"""The column contracts are written once, in analysis/inputs/contracts.py: the reader uses
them, and data/README.md shows them as generated tables that must agree."""

from __future__ import annotations

import pytest

from analysis.inputs import contracts, paths
from analysis.inputs.columns import parse_table

README = paths.DATA_DIR / "README.md"


def test_data_readme_shows_every_contract_as_the_code_defines_it():
    text = README.read_text(encoding="utf-8")
    assert sorted(contracts.block_names(text)) == sorted(contracts.CONTRACTS), "a contract is missing from the README"
    assert contracts.with_generated_blocks(text) == text, "run `make contracts` and commit data/README.md"


def test_a_changed_contract_is_caught():
    text = README.read_text(encoding="utf-8")
    stale = text.replace("| `id` | yes | text | unique id |", "| `id` | yes | text | an id |", 1)
    assert stale != text
    assert contracts.with_generated_blocks(stale) != stale


@pytest.mark.parametrize("name", sorted(contracts.CONTRACTS))
def test_every_column_is_described(name):
    for column in contracts.CONTRACTS[name]:
        assert column.description, f"{name}.{column.name}"
        assert column.kind in contracts.KIND_TEXT


def test_the_shipped_files_follow_their_contracts():
    files = {
        "behovsregister": paths.DEFAULT_REGISTER,
        "ramme": paths.DEFAULT_FRAME,
        "pl_indeks": paths.DEFAULT_PL_INDEX,
        "notat_tekst": paths.DEFAULT_CLAIMS,
        "notat_spaend": paths.DEFAULT_RANGE_CLAIMS,
        "notat_bemaerkninger": paths.DEFAULT_REMARKS,
        "bevillinger": paths.DEFAULT_BEVILLINGER,
        "forbrug": paths.DEFAULT_FORBRUG,
        "gevinster": paths.DEFAULT_GEVINSTER,
    }
    assert set(files) == set(contracts.CONTRACTS)
    for name, path in files.items():
        table, findings = parse_table(path, contracts.CONTRACTS[name], sheet=name)
        assert table is not None and not [f for f in findings if f.is_error], name
        assert not [f for f in findings if "ukendt kolonne" in f.message], name
