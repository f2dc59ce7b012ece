"""Every input contract in one place: the columns of each input file, and the domain's codes
that the files use (the two styringsområder and the four potentials).

The column tables in ``data/README.md`` are generated from these definitions
(``make contracts``) and a test fails when they disagree, so the documentation and the
reader cannot drift apart.

Run ``python -m analysis.inputs.contracts [README]`` to rewrite the generated blocks.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from analysis.inputs.cells import format_plain
from analysis.inputs.columns import Column

# --- codes used in the files ---------------------------------------------------------------

SERVICE = "service"
ANLAEG = "anlæg"
POOLS = (SERVICE, ANLAEG)  # the two styringsområder; money never moves between them
TOTAL = "i alt"  # a stated yearly total in the frame and claims files

# The note's four potentials, as register columns, in the note's order.
POTENTIALS = (
    "potentiale_tilgaengelighed",
    "potentiale_aflastning",
    "potentiale_forenkling",
    "potentiale_skalering",
)
COST_COLUMNS = ("omkostning_min", "omkostning_forventet", "omkostning_max")
# A need's yearly amounts in kroner besides its cost (benefit and running costs): they fall
# on servicerammen, so the service index converts them between price levels
SERVICE_AMOUNTS = ("gevinst", "gevinst_min", "gevinst_max", "drift_aar", "dobbeltdrift")

# The note's areas (ØK74 Tabel 1), offered as a list in the intake template; a new area is allowed.
AREAS = (
    "Fælles administrative systemer",
    "Digital arbejdsplads",
    "Samarbejde og produktivitet",
    "Automatisering",
    "Indsigt og data",
    "It-anskaffelser",
    "Styrket Borgerservice",
)
# KK's seven forvaltninger, and needs that cut across them.
FORVALTNINGER = ("ØKF", "BUF", "SUF", "SOF", "TMF", "KFF", "BIF", "tværgående")
# The committee each forvaltning answers to: the receiving udvalg of an udmøntning. A need
# across the forvaltninger is run by ØKF, so its money goes to ØU.
UDVALG = {"ØKF": "ØU", "BUF": "BUU", "SUF": "SUU", "SOF": "SOU", "TMF": "TMU", "KFF": "KFU", "BIF": "BIU"}
UDVALG_ACROSS = "ØU"
# The appropriations the frame's pools are on (the note's Tabel 2 and 3)
APPROPRIATIONS = {SERVICE: "1112 Fælles rammepuljer", ANLAEG: "3123 Fælles anlægspuljer"}
# The ledger's kinds of row (column ``art`` of ``bevillinger``)
GRANT, TRANSFER, RETURN = "udmøntet", "overført", "tilbageført"

# --- the contracts ------------------------------------------------------------------------------

REGISTER_COLUMNS = [
    Column("id", "text", required=True, description="unique id"),
    Column("omraade", "text", required=True, description="area, e.g. Automatisering"),
    Column("titel", "text", required=True, description="the need"),
    Column(
        "omkostning_min",
        "amount",
        required=True,
        may_be_empty=True,
        minimum=0,
        description="lowest total cost, 1.000 kr.; both min and max empty = no estimate yet (loads, reported "
        "as lacking an estimate); equal to max for a fixed amount",
    ),
    Column(
        "omkostning_max",
        "amount",
        required=True,
        may_be_empty=True,
        minimum=0,
        description="highest total cost, 1.000 kr.",
    ),
    Column("beskrivelse", "text", description="text"),
    Column("forvaltning", "text", description="the administration that submitted the need (ØKF, BUF, …)"),
    Column(
        "udvalg",
        "text",
        description="the committee that receives the money when it is udmøntet (ØU, BUU, …); default: the "
        "forvaltning's (ØKF → ØU, BUF → BUU, SUF → SUU, SOF → SOU, TMF → TMU, KFF → KFU, BIF → BIU; tværgående → ØU)",
    ),
    Column(
        "bevilling_service",
        "text",
        description="the receiving udvalg's bevilling for the service money, `nr – navn`; named in the "
        "bevillingsteknik (empty: the page says it must be given before the indstilling goes to ØU)",
    ),
    Column(
        "bevilling_anlaeg",
        "text",
        description="the receiving udvalg's bevilling for the anlæg money, `nr – navn` (as `bevilling_service`)",
    ),
    Column("variantgruppe", "text", description="rows sharing it are mutually exclusive (at most one is funded)"),
    Column("forudsaetter", "ids", description="ids this need depends on, `;`-separated"),
    Column(
        "omkostning_forventet",
        "amount",
        minimum=0,
        description="expected cost, 1.000 kr.: what the options count with, and the mean of robustness's draws "
        "between min and max; default the midpoint",
    ),
    Column(
        "andel_anlaeg",
        "share",
        minimum=0,
        maximum=1,
        description="share of the cost on anlæg, 0–1 (or `40%`); default 0, the rest is service",
    ),
    Column(
        "fordeling",
        "numbers",
        minimum=0,
        description="cost spread over the years from the start year, percentages summing to 100, "
        "`;`-separated, e.g. `60;40`; default `100`",
    ),
    Column("tidligste_start", "year", description="earliest allowed start year"),
    Column("seneste_start", "year", description="latest allowed start year"),
    Column(
        "pl_aar",
        "year",
        description="price level of the costs; converted to the frame's with `pl_indeks` (service and anlæg "
        "parts separately); default: the frame's",
    ),
    Column("potentiale_tilgaengelighed", "number", minimum=0, maximum=5, description="access for citizens, 0–5"),
    Column("potentiale_aflastning", "number", minimum=0, maximum=5, description="admin time moved to citizens, 0–5"),
    Column("potentiale_forenkling", "number", minimum=0, maximum=5, description="simpler administration, 0–5"),
    Column("potentiale_skalering", "number", minimum=0, maximum=5, description="scaling technology, 0–5"),
    Column(
        "gevinst",
        "amount",
        description="expected benefit a year at full effect, 1.000 kr., in the register's price level (converted "
        "like the costs, by the service index)",
    ),
    Column(
        "timer_frigjort",
        "number",
        minimum=0,
        description="hours a year moved from administration to citizen-facing work",
    ),
    # The investment's economics (optional; a register without them works as before): the
    # business case's running costs, dobbeltdrift, benefit profile and lifetime
    Column(
        "drift_aar",
        "amount",
        minimum=0,
        description="afledt drift: running cost a year once implemented (from the year after the cost's last "
        "year, for the lifetime), 1.000 kr., on servicerammen",
        default=0,
    ),
    Column(
        "dobbeltdrift",
        "amount",
        minimum=0,
        description="dobbeltdrift: extra running cost a year while old and new run side by side, 1.000 kr.",
        default=0,
    ),
    Column("dobbeltdrift_aar", "int", minimum=0, description="years of dobbeltdrift from the start year", default=0),
    Column(
        "gevinst_fuld_aar",
        "int",
        minimum=1,
        description="years from the end of the implementation until `gevinst` is at full effect, rising in "
        "equal steps (1: full effect the first year after)",
        default=1,
    ),
    Column(
        "gevinst_min",
        "amount",
        minimum=0,
        description="the benefit's range: the lowest `gevinst` a year at full effect, 1.000 kr.; with `gevinst_max` "
        "robustness draws the benefit (PERT between min and max, centred on `gevinst`); default: `gevinst`",
    ),
    Column(
        "gevinst_max",
        "amount",
        minimum=0,
        description="the benefit's range: the highest `gevinst` a year at full effect, 1.000 kr.; default: `gevinst`",
    ),
    Column(
        "hjemtagelse",
        "share",
        minimum=0,
        maximum=1,
        description="share of `gevinst` that can be taken home as a budget reduction (by the need's "
        "forvaltning), 0–1",
        default=0,
    ),
    Column(
        "hjemtagelse_forvaltning",
        "shares",
        description="which forvaltninger take the budget reduction home, `;`-separated, each with its percent "
        "(`BUF 40;SUF 60`) or without any (equal shares); default: the need's `forvaltning`",
    ),
    Column(
        "levetid",
        "int",
        minimum=1,
        maximum=50,
        description="economic lifetime in years after the implementation (running costs and benefits run for "
        "it)",
        default=5,
    ),
    Column("prioritet", "int", minimum=1, description="rank, 1 = first"),
    Column("obligatorisk", "yesno", description="`ja`/`nej`: must be funded"),
    Column("kilde", "text", description="source, in words"),
    Column(
        "antagelser",
        "ids",
        description="extension: which of this row's fields are assumptions, `;`-separated column names",
    ),
]

FRAME_COLUMNS = [
    Column("aar", "year", required=True, description="year"),
    Column(
        "styringsomraade",
        "text",
        required=True,
        description="`service` or `anlæg` (also `anlaeg`); `i alt` rows are optional stated totals, "
        "checked against the pools",
    ),
    Column("beloeb", "amount", required=True, minimum=0, description="amount, 1.000 kr."),
    Column("pl_aar", "year", description="price level (p/l year)"),
    Column("bevilling", "text", description="appropriation, e.g. 1112 Fælles rammepuljer"),
    Column("udvalg", "text", description="committee, e.g. ØU"),
    Column("kilde", "text", description="source"),
]

CLAIM_COLUMNS = [
    Column("afsnit", "text", required=True, description="where in the note"),
    Column("aar", "year", required=True, description="year"),
    Column("styringsomraade", "text", required=True, description="`service`, `anlæg` or `i alt`"),
    Column("beloeb", "amount", required=True, minimum=0, description="amount the prose states, 1.000 kr."),
    Column("citat", "text", description="the note's words"),
]

RANGE_CLAIM_COLUMNS = [
    Column("afsnit", "text", required=True, description="where in the note"),
    Column("behov", "ids", required=True, description="the register ids the stated range covers, `;`-separated"),
    Column("omkostning_min", "amount", required=True, minimum=0, description="the stated lowest cost, 1.000 kr."),
    Column("omkostning_max", "amount", required=True, minimum=0, description="the stated highest cost, 1.000 kr."),
    Column("citat", "text", description="the note's words"),
]

REMARK_COLUMNS = [
    Column("afsnit", "text", required=True, description="where in the note"),
    Column("bemaerkning", "text", required=True, description="what disagrees, read off the note by hand"),
]

INDEX_COLUMNS = [
    Column("aar", "year", required=True, description="year"),
    Column("service", "number", required=True, minimum=0, description="index for service (any base)"),
    Column("anlaeg", "number", required=True, minimum=0, description="index for anlæg (any base)"),
    Column("kilde", "text", description="source"),
]

BEVILLING_COLUMNS = [
    Column(
        "id",
        "text",
        required=True,
        may_be_empty=True,
        description="a register id; empty for a pool's own row (`overført` or `tilbageført`)",
    ),
    Column(
        "aar",
        "year",
        required=True,
        description="year, within the frame (an `overført` row may name the year after the frame's last)",
    ),
    Column("styringsomraade", "text", required=True, description="`service` or `anlæg`"),
    Column(
        "beloeb",
        "amount",
        required=True,
        description="amount, 1.000 kr., in the price level of `pl_aar` (the frame's, 2026 p/l, where it is empty); "
        "negative only on an `overført` row: "
        "a merforbrug an investment carries into the year (with its id), or one deducted from the pool's year "
        "(without)",
    ),
    # written by `digiramme allocate --output` and `followup --output`; accepted so their files can be used unchanged
    Column("titel", "text", description="the need (written by `allocate --output`)"),
    Column("startaar", "year", description="the investment's start year (written by `allocate --output`)"),
    Column(
        "art",
        "text",
        description="`udmøntet` (a grant by an udmøntning; the default), `overført` (money an OFS moved into the "
        "year) or `tilbageført` (given back: a stopped investment's grants, or a pool's free money to the kassen)",
    ),
    Column(
        "beslutning",
        "text",
        description="the event that decided the row, in KK's words: `OFS 25/26`, `Budget 2027`, `OFS 26/27`, …; "
        "empty: the event that udmønter its start year (an `overført` row: the OFS just before its year)",
    ),
    Column(
        "pl_aar",
        "year",
        description="the price level the row was decided in, as the deciding report showed it (written by the "
        "package's commands); empty: the frame's (2026 p/l). The amount keeps its value: it is converted with "
        "`pl_indeks` only where a report needs it in another p/l",
    ),
    Column("kilde", "text", description="source"),
]

FORBRUG_COLUMNS = [
    Column("id", "text", required=True, description="a register id"),
    Column("aar", "year", required=True, description="year, within the frame"),
    Column("styringsomraade", "text", required=True, description="`service` or `anlæg`"),
    Column(
        "forbrug",
        "amount",
        required=True,
        minimum=0,
        description="spending, 1.000 kr., in current prices (the p/l of its own year; converted with `pl_indeks`)",
    ),
    Column(
        "type",
        "text",
        description="`regnskab` (accounts, the default) or `forventet` (forecast); where both exist for the "
        "same need, year and pool, the accounts are used",
    ),
    Column("kilde", "text", description="source"),
]

GEVINST_COLUMNS = [
    Column("id", "text", required=True, description="a register id"),
    Column("indikator", "text", required=True, description="what is measured"),
    Column("enhed", "text", required=True, description="unit; `timer` marks hours moved to citizen-facing work"),
    Column("retning", "text", required=True, description="`hoejere` or `lavere` is better"),
    Column("baseline", "number", required=True, description="value in the baseline year"),
    Column("baseline_aar", "year", required=True, description="baseline year"),
    Column("maal", "number", required=True, description="target"),
    Column("maal_aar", "year", required=True, description="target year"),
    Column(
        "maaleaar",
        "year",
        required=True,
        may_be_empty=True,
        description="measurement year; empty until the indicator has been measured",
    ),
    Column("realiseret", "number", required=True, may_be_empty=True, description="measured value"),
    Column("ansvarlig", "text", required=True, description="who measures"),
    Column(
        "potentiale",
        "text",
        description="which of the note's four potentials the indicator follows: tilgaengelighed, aflastning, "
        "forenkling or skalering (empty: an indicator in hours follows aflastning)",
    ),
    Column(
        "gevinst_kr",
        "amount",
        description="benefit realised in kroner in the measurement year, 1.000 kr. (optional; give it on one row "
        "per investment and year: the rows of an investment and year are added up)",
    ),
    Column(
        "hjemtaget",
        "amount",
        minimum=0,
        description="budget reductions taken home in the measurement year, 1.000 kr. (optional, as `gevinst_kr`)",
    ),
    Column(
        "hjemtaget_forvaltning",
        "text",
        description="the forvaltning whose budget `hjemtaget` was taken from (optional; one row per forvaltning "
        "when several took a share)",
    ),
    Column("kilde", "text", description="source"),
]

# contract name (the sheet a workbook is read from) → its columns, in the README's order
CONTRACTS = {
    "behovsregister": REGISTER_COLUMNS,
    "ramme": FRAME_COLUMNS,
    "pl_indeks": INDEX_COLUMNS,
    "notat_tekst": CLAIM_COLUMNS,
    "notat_spaend": RANGE_CLAIM_COLUMNS,
    "notat_bemaerkninger": REMARK_COLUMNS,
    "bevillinger": BEVILLING_COLUMNS,
    "forbrug": FORBRUG_COLUMNS,
    "gevinster": GEVINST_COLUMNS,
}



def column_default(name: str, contract: str = "behovsregister"):
    """What an empty ``name`` cell of ``contract`` means (its column's declared default)."""
    return next(c.default for c in CONTRACTS[contract] if c.name == name)


KIND_TEXT = {
    "text": "text",
    "number": "number",
    "amount": "amount (Danish: 1.000 and 2,5)",
    "share": "share (or percent)",
    "int": "whole number",
    "year": "year",
    "yesno": "ja/nej",
    "ids": "list of ids",
    "numbers": "list of numbers",
    "shares": "list of names with percents (`BUF 40;SUF 60`)",
}


def markdown_table(name: str) -> str:
    """The contract ``name`` as a Markdown table (the block ``data/README.md`` holds)."""
    rows = ["| Column | Required | Kind | Meaning |", "|---|---|---|---|"]
    for column in CONTRACTS[name]:
        required = ("yes (may be empty)" if column.may_be_empty else "yes") if column.required else ""
        kind = KIND_TEXT[column.kind]
        if column.minimum is not None and column.maximum is not None:
            kind += f" {format_plain(column.minimum)}–{format_plain(column.maximum)}"
        elif column.minimum is not None:
            kind += f" ≥ {format_plain(column.minimum)}"
        rows.append(f"| `{column.name}` | {required} | {kind} | {column.documented} |")
    return "\n".join(rows)


_BLOCK = re.compile(r"(<!-- contract:(\w+) -->\n)(.*?)(<!-- /contract -->)", re.S)


def with_generated_blocks(text: str) -> str:
    """``text`` with every ``<!-- contract:NAME -->`` block replaced by the generated table."""
    return _BLOCK.sub(lambda m: f"{m.group(1)}{markdown_table(m.group(2))}\n{m.group(4)}", text)


def block_names(text: str) -> list[str]:
    return [m.group(2) for m in _BLOCK.finditer(text)]


if __name__ == "__main__":  # pragma: no cover - a maintenance command (make contracts)
    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "data/README.md")
    readme.write_text(with_generated_blocks(readme.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"Kolonnekontrakterne i {readme} er skrevet ud fra analysis/inputs/contracts.py")
