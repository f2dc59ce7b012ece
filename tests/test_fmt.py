"""Danish number formats."""

from __future__ import annotations

from analysis.report import formats as fmt


def test_thousands_use_a_dot():
    assert fmt.tkr(15000) == "15.000"
    assert fmt.tkr(155000.4) == "155.000"
    assert fmt.tkr(-2500) == "-2.500"
    assert fmt.tkr(-0.2) == "0"
    assert fmt.tkr(14912.5) == "14.913"  # half up, not to even
    assert fmt.number(0.125, 2) == "0,13"


def test_millions_use_a_decimal_comma():
    assert fmt.mio(2500) == "2,5 mio. kr."
    assert fmt.mio(10000) == "10 mio. kr."
    assert fmt.mio(1234567) == "1.234,6 mio. kr."
    # one rounding rule for every display, half up as KK's tables: 73.250 is 73,3 (it read 73,2)
    assert fmt.mio(73250) == "73,3 mio. kr." and fmt.mio(2450) == "2,5 mio. kr."
    assert fmt.mio(0) == "0 mio. kr." and fmt.mio(-0.0) == "0 mio. kr."  # no "-0"
    # an amount under 0,1 mio. kr. that is not 0 reads in whole 1.000 kr., as the tables: the OFS's 37,5 t.kr.
    assert fmt.mio(37.5) == "38.000 kr." and fmt.mio(-40) == "-40.000 kr." and fmt.mio(-4) == "-4.000 kr." and fmt.mio(0.3) == "under 1.000 kr."
    # without the unit (a table whose caption states it), two decimals rather than 0
    assert fmt.mio(37.5, unit=False) == "0,04"


def test_ranges_and_missing_values():
    assert fmt.mio_range(10000, 15000) == "10–15 mio. kr."
    assert fmt.mio_range(2500, 10000) == "2,5–10 mio. kr."
    assert fmt.mio_range(3000, 3000) == "3 mio. kr."
    assert fmt.mio_range(None, float("nan")) == "intet estimat"
    assert fmt.tkr(None) == "–"


def test_percent():
    assert fmt.percent(0.4) == "40 %"
    assert fmt.percent(0.125, 1) == "12,5 %"


def test_parts_in_millions_are_each_rounded_and_say_so_when_they_miss_the_total():
    # 5.240 + 21.120 = 26.360: 5,2 + 21,1 = 26,3 → 26,4 rounded; the parts miss the total by 0,1
    assert fmt.mio_each({"service": 5240, "anlæg": 21120}) == (
        "service 5,2 mio. kr., anlæg 21,1 mio. kr.; afrundet hver for sig"
    )
    # 14.363 + 2.850 = 17.213: 14,4 + 2,9 = 17,3 against 17,2
    assert fmt.mio_each({"service": 14363, "anlæg": 2850}).endswith("; afrundet hver for sig")
    # 15.000 + 5.000: 15 + 5 = 20, nothing to say; one part alone never carries the note
    assert fmt.mio_each({"service": 15000, "anlæg": 5000}) == "service 15 mio. kr., anlæg 5 mio. kr."
    assert fmt.mio_each({"service": 5240}) == "service 5,2 mio. kr."
