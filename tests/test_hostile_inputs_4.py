"""Nothing silently wrong, part three (issue #43): warnings every command passes on, numbers
read one way, absurd amounts, Excel as seen, and the last crashes. Each class of case is
refused with a Danish line naming file, row and column or key (exit 2), warned about, or
works; expected values are computed here by hand or by Python's own formatting, never by
the package's."""

from __future__ import annotations

import pytest
from helpers import VALID_FRAME, VALID_REGISTER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.inputs.cells import parse_amount, parse_number
from analysis.inputs.columns import parse_shares
from analysis.inputs.register import load_register

HEADER = "id;omraade;titel;omkostning_min;omkostning_max\n"
FILES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command."""
    try:
        code = main(argv)
    except SystemExit as stop:  # a usage error: argparse's exit 2 with one Danish line
        code = stop.code
    captured = capsys.readouterr()
    assert "uventet fejl" not in captured.err and "Traceback" not in captured.err
    return code, captured.out, captured.err


def _danish_int(number: int) -> str:
    """1234567 → 1.234.567, by Python's own grouping (not Babel's)."""
    return f"{number:,}".replace(",", ".")


# --- 2. one number parser: a space only groups thousands ----------------------------------------------


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_a_number_grouped_by_spaces_reads_as_itself(number, space):
    text = f"{number:,}".replace(",", space)
    assert parse_number(text) == number
    assert parse_amount(text) == (number, None)
    assert parse_number(f"-{text},5") == -(number + 0.5)


def _grouping_is_thousands(groups: list[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


@given(st.text(alphabet="0123456789", min_size=2, max_size=10), st.data())
def test_a_space_that_does_not_group_thousands_is_refused_not_dropped(digits, data):
    cuts = sorted(data.draw(st.sets(st.integers(1, len(digits) - 1), min_size=1)))
    groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    text = " ".join(groups)
    if _grouping_is_thousands(groups):
        assert parse_number(text) == int(digits)
        return
    # "10 0" once read as 100: now one Danish error, for every kind of number
    for parse in (parse_number, lambda t: parse_amount(t)[0], lambda t: parse_number(f"1,{t}")):
        with pytest.raises(ValueError, match="mellemrum"):
            parse(text)


@given(st.text(alphabet="0123456789", min_size=1, max_size=4), st.text(alphabet="0123456789", min_size=1, max_size=4))
def test_a_space_among_the_decimals_is_refused(before, after):
    with pytest.raises(ValueError, match="mellemrum"):
        parse_number(f"1,{before} {after}")  # "1,5 2" once read as 1,52


@given(st.sampled_from(["1_0", "1_000", "١٢", "٣,٥", "1__5"]))
def test_digits_python_or_babel_would_guess_at_are_not_a_number(text):
    with pytest.raises(ValueError, match="er ikke et tal"):
        parse_number(text)


def test_a_command_line_number_is_read_by_the_same_parser(write, capsys):
    register, frame = write("reg.csv", VALID_REGISTER), write("ramme.csv", VALID_FRAME)
    # float("0_1") is 1.0: a time preference of 100 % a year, once taken without a word
    code, _, err = _run(
        ["allocate", "--time-preference", "0_1", "--register", str(register), "--frame", str(frame)], capsys
    )
    assert code == 2 and '--time-preference: "0_1" er ikke et endeligt tal' in err
    code, _, err = _run(["archive", "--keep", "1_0", "--reports", str(write("r.txt", "x").parent)], capsys)
    assert code == 2 and '"1_0" er ikke et helt tal' in err


@given(st.integers(min_value=0, max_value=1000), st.sampled_from([".", ","]), st.sampled_from(["", "%", " %"]))
def test_shares_read_their_percents_as_every_number_is_read(tenths, decimal_sign, sign):
    first = f"{tenths // 10}{decimal_sign}{tenths % 10}"
    rest = 1000 - tenths
    second = f"{rest // 10}{decimal_sign}{rest % 10}"
    shares = parse_shares(f"ØKF {first}{sign};BUF {second}{sign}")
    # "ØKF 30.5;BUF 69.5" once became two forvaltninger named "ØKF 30.5" and "BUF 69.5", half each
    assert [name for name, _ in shares] == ["ØKF", "BUF"]
    assert shares[0][1] == pytest.approx(tenths / 1000) and shares[1][1] == pytest.approx(rest / 1000)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ØKF 30.5.1;BUF 69.5", 'procenten "30.5.1" er ikke et tal'),
        ("ØKF -10;BUF 110", "procenten -10 ligger uden for 0–100"),
    ],
)
def test_a_share_whose_percent_is_not_a_percent_is_refused(text, expected):
    with pytest.raises(ValueError, match=expected):
        parse_shares(text)


def test_a_register_reads_a_split_with_english_decimals(write):
    text = HEADER.strip() + ";hjemtagelse;hjemtagelse_forvaltning\nA;Data;T;1;2;0,5;ØKF 30.5;BUF 69.5\n"
    register, findings = load_register(write("reg.csv", text.replace("ØKF 30.5;BUF 69.5", '"ØKF 30.5;BUF 69.5"')))
    assert [str(f) for f in findings if f.is_error] == []
    assert register.loc[0, "hjemtagelse_forvaltning"] == (("ØKF", 0.305), ("BUF", 0.695))


# --- 9. bounds in messages the Danish way -----------------------------------------------------------------


@given(st.integers(min_value=2, max_value=999_999_999), st.data())
@FILES
def test_a_cost_range_the_wrong_way_round_is_shown_in_danish_numbers(write, low, data):
    high = data.draw(st.integers(min_value=1, max_value=low - 1))
    _, findings = load_register(write("reg.csv", HEADER + f"A;Data;T;{low};{high}\n"))
    (error,) = [f for f in findings if f.is_error]
    # once "max (1e+06) er mindre end min (1.23457e+06)"
    assert error.message == f"max ({_danish_int(high)}) er mindre end min ({_danish_int(low)})"


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=9))
@FILES
def test_an_expected_cost_outside_its_range_names_the_range_in_danish_numbers(write, whole, tenth):
    expected = f"{whole},{tenth}"
    text = "id;omraade;titel;omkostning_min;omkostning_forventet;omkostning_max\n"
    _, findings = load_register(write("reg.csv", text + f"A;Data;T;1;{expected};1\n"))
    message = [f.message for f in findings if f.is_error and f.column == "omkostning_forventet"]
    assert message == [f"{_danish_int(whole)},{tenth} ligger uden for min–max (1–1)"]


def test_a_target_equal_to_its_baseline_is_named_in_danish_numbers(write):
    from analysis.inputs.followup_files import load_gevinster

    text = (
        "id;indikator;enhed;retning;baseline;baseline_aar;maal;maal_aar;maaleaar;realiseret;ansvarlig\n"
        "A;Sager;antal;lavere;1234567,5;2026;1234567,5;2028;;;ØKF\n"
    )
    _, findings = load_gevinster(write("gev.csv", text), {"A"}, None)
    assert [f.message for f in findings] == ["målet (1.234.567,5) er lig med baseline; fremdrift kan ikke måles"]
