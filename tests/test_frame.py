"""The frame reproduces the note's tables, and the note's prose is checked against them."""

from __future__ import annotations

from analysis.inputs.dataset import load_dataset
from analysis.inputs.financing_frame import ClaimStatus, load_frame
from analysis.report.register_page import frame_table

AGREES, DISAGREES, NOT_IN_FRAME = ClaimStatus.AGREES, ClaimStatus.DISAGREES, ClaimStatus.NOT_IN_FRAME
TWO_READINGS = ClaimStatus.TWO_READINGS

# The note's Tabel 1–3, typed in by hand (1.000 kr., 2026 p/l).
NOTE_SERVICE = {"2026": 15000, "2027": 25000, "2028": 35000, "2029": 35000, "I alt": 110000}
NOTE_ANLAEG = {"2026": 5000, "2027": 10000, "2028": 15000, "2029": 15000, "I alt": 45000}
NOTE_TOTAL = {"2026": 20000, "2027": 35000, "2028": 50000, "2029": 50000, "I alt": 155000}
TOTAL_ROW = "Udgifter i alt (netto)"  # the note's name for the total row


def test_shipped_frame_reproduces_the_notes_tables(shipped):
    frame, findings = load_frame(shipped["frame"])
    assert [f for f in findings if f.is_error] == []
    table = frame_table(frame)
    assert table.loc["Service"].to_dict() == NOTE_SERVICE
    assert table.loc["Anlæg"].to_dict() == NOTE_ANLAEG
    assert table.loc[TOTAL_ROW].to_dict() == NOTE_TOTAL


def test_shipped_frame_states_appropriation_committee_and_price_level(shipped):
    frame, _ = load_frame(shipped["frame"])
    by_pool = frame.groupby("styringsomraade")
    assert set(by_pool.get_group("service")["bevilling"]) == {"1112 Fælles rammepuljer"}
    assert set(by_pool.get_group("anlæg")["bevilling"]) == {"3123 Fælles anlægspuljer"}
    assert set(frame["udvalg"]) == {"ØU"}
    assert set(frame["pl_aar"]) == {2026}


def test_prose_disagreements_are_flagged_exactly_where_the_note_differs(shipped):
    data = load_dataset(**shipped)
    claims = data.claims
    off = claims[claims["status"] != AGREES]
    # By reading the note: the Økonomi section names 2030, which no table has; the
    # agreement text gives anlæg 5 mio. in 2027 where Tabel 3 has 10 mio.
    assert sorted(zip(off["afsnit"], off["aar"], off["styringsomraade"], off["status"], strict=True)) == [
        ("Forslag til aftaletekst", 2027, "anlæg", DISAGREES),
        ("Økonomi", 2030, "i alt", NOT_IN_FRAME),
    ]
    row = off[off["status"] == DISAGREES].iloc[0]
    assert (row["beloeb"], row["tabel"]) == (5000, 10000)
    # The Resume (50 mio. yearly 2028–2029) agrees with the tables.
    assert set(claims.loc[claims["afsnit"] == "Resume", "status"]) == {AGREES}


def test_a_pool_missing_in_a_year_counts_as_zero_with_a_warning(write):
    path = write("ramme.csv", "aar;styringsomraade;beloeb\n2026;service;100\n2027;service;200\n2027;anlæg;50\n")
    frame, findings = load_frame(path)
    assert frame_table(frame).loc["Anlæg"].to_dict() == {"2026": 0, "2027": 50, "I alt": 50}
    assert any("ingen række for anlæg i 2026" in f.message for f in findings if not f.is_error)


def test_stated_ranges_are_checked_against_the_needs_they_cover():
    data = load_dataset()
    ranges = data.ranges.set_index("afsnit")
    # By hand from the note's Tabel 1: the AI heading says 5–30 mio. kr.; its four sub-items
    # AI-01 … AI-04 are 5–10, 2–10, 2–5 and 2–5 mio. kr.: together 11–30 mio. kr. The heading
    # also reads as AI-01 alone at its least (5) up to all four at their most (10+10+5+5 = 30),
    # so it is two readings, not an inconsistency
    ai = data.ranges[data.ranges["behov"].map(lambda ids: "AI-01" in ids)].iloc[0]
    assert (ai["register_min"], ai["register_max"], ai["status"]) == (11000, 30000, TWO_READINGS)
    assert ai["alone"] == "AI-01"
    # 5G: the variants 10, 25 and 50 mio. kr. span the heading's 10–50 mio. kr.
    assert ranges.loc["Tabel 1, Digital arbejdsplads", "status"] == AGREES
    assert (data.ranges["status"] == DISAGREES).sum() == 0
    assert "Tabel 1" in set(data.remarks["afsnit"])


def test_a_stated_range_reads_two_ways_only_when_one_sub_item_alone_and_all_together_match():
    from analysis.inputs.columns import ROW_COLUMN
    from analysis.inputs.note_checks import check_ranges

    data = load_dataset()
    ai = data.ranges[data.ranges["behov"].map(lambda ids: "AI-01" in ids)]
    claims = ai[["afsnit", "behov", "omkostning_min", "omkostning_max", "citat"]].assign(**{ROW_COLUMN: 2})

    def status(low, high):
        return check_ranges(claims.assign(omkostning_min=low, omkostning_max=high), data.register)["status"].iloc[0]

    # By hand: the sub-items' least are 5, 2, 2, 2 and their most 10, 10, 5, 5 (mio. kr.)
    assert status(11000, 30000) == AGREES  # the sum of the ranges
    assert status(5000, 30000) == TWO_READINGS  # AI-01 alone at 5, all four at 30
    assert status(2000, 30000) == TWO_READINGS  # AI-02 (or AI-03, AI-04) alone at 2
    assert status(5000, 40000) == DISAGREES  # no reading gives 40
    assert status(4000, 30000) == DISAGREES  # no sub-item alone costs 4
