"""P/l conversion, checked against hand arithmetic."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.inputs.dataset import load_dataset
from analysis.inputs.price_index import factor, load_index, register_in_price_year
from analysis.inputs.register import load_register

INDEX = "aar;service;anlaeg\n2025;97,6;97,2\n2026;100;100\n"


def test_factor_is_the_index_ratio(write):
    index, findings = load_index(write("pl.csv", INDEX))
    assert not findings
    assert factor(index, "service", 2025, 2026) == pytest.approx(100 / 97.6)
    assert factor(index, "anlæg", 2026, 2025) == pytest.approx(0.972)
    assert factor(index, "service", 2026, 2026) == 1.0


def test_register_costs_convert_each_pool_with_its_own_index(write):
    reg, _ = load_register(
        write(
            "reg.csv",
            "id;omraade;titel;omkostning_min;omkostning_max;andel_anlaeg;pl_aar\nA;X;Y;1000;2000;0,25;2025\nB;X;Z;500;500;0;\n",
        )
    )
    index, _ = load_index(write("pl.csv", INDEX))
    converted, findings = register_in_price_year(reg, index, 2026, "reg.csv")
    assert findings == []
    blended = 0.75 * 100 / 97.6 + 0.25 * 100 / 97.2  # by hand: service and anlæg parts
    a = converted.set_index("id").loc["A"]
    assert a["omkostning_min"] == pytest.approx(1000 * blended)
    assert a["omkostning_max"] == pytest.approx(2000 * blended)
    assert a["omkostning_forventet"] == pytest.approx(1500 * blended)
    assert converted.set_index("id").loc["B", "omkostning_min"] == 500  # no pl_aar: already 2026
    assert a["pl_aar_opr"] == 2025 and a["pl_aar"] == 2026


def test_missing_index_year_is_an_error_naming_the_row(write):
    reg, _ = load_register(write("reg.csv", "id;omraade;titel;omkostning_min;omkostning_max;pl_aar\nA;X;Y;1;2;2019\n"))
    index, _ = load_index(write("pl.csv", INDEX))
    _, findings = register_in_price_year(reg, index, 2026, "reg.csv")
    assert [str(f) for f in findings] == [
        "reg.csv række 2, kolonne pl_aar: p/l-indekset har intet tal for 2019, så beløbet kan ikke omregnes fra 2019- til 2026-priser"
    ]


def test_shipped_register_is_already_in_frame_prices(shipped):
    data = load_dataset(**shipped)
    assert data.price_year == 2026
    raw, _ = load_register(shipped["register"])
    pd.testing.assert_series_equal(data.register["omkostning_max"], raw["omkostning_max"])
