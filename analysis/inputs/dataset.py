"""One validated representation of all inputs, used by every notebook and command.

:func:`check_inputs` collects every finding from every file (for ``digiramme
validate``); :func:`load_dataset` returns a :class:`Dataset` or raises
:class:`~analysis.inputs.findings.InputError` when any finding is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis.inputs import financing_frame as frame_mod
from analysis.inputs import note_checks, paths, price_index
from analysis.inputs import register as register_mod
from analysis.inputs.contracts import ANLAEG, COST_COLUMNS, POOLS, SERVICE, SERVICE_AMOUNTS
from analysis.inputs.findings import ERROR, WARNING, Finding, InputError, errors
from analysis.inputs.followup_files import FollowupData
from analysis.inputs.followup_files import load as load_followup


@dataclass
class Dataset:
    """Validated inputs. Register costs are in the frame's price level (``price_year``)."""

    register: pd.DataFrame
    frame: pd.DataFrame
    pl_index: pd.DataFrame
    price_year: int
    claims: pd.DataFrame | None = None  # the note's prose checked against the frame
    followup: FollowupData | None = None  # bevillinger, forbrug, gevinster
    previous_register: pd.DataFrame | None = None  # last year's register, for what changed
    ranges: pd.DataFrame | None = None  # cost ranges the note states for groups of needs, checked
    remarks: pd.DataFrame | None = None  # where the note disagrees with itself, read off it by hand
    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)

    note_frame: pd.DataFrame | None = None  # the frame in the note's own price level (its Tabel 2 and 3)
    note_price_year: int | None = None

    @property
    def years(self) -> list[int]:
        return frame_mod.frame_years(self.frame)

    @property
    def noted_frame(self) -> pd.DataFrame:
        """The frame as the note states it (its own price level)."""
        return self.note_frame if self.note_frame is not None else self.frame

    @property
    def noted_price_year(self) -> int:
        return self.note_price_year or self.price_year

    def in_prices(self, year: int) -> Dataset:
        """The dataset with every amount in ``year`` prices (a report's p/l): the frame, the
        needs' costs, the ledger and the spending, each pool by its own index. The note's
        own frame and the prose checks stay in the note's price level."""
        if year == self.price_year:
            return self
        factors = {pool: price_index.factor(self.pl_index, pool, self.price_year, year) for pool in POOLS}

        def pooled(table: pd.DataFrame, column: str) -> pd.DataFrame:
            scale = table["styringsomraade"].map(factors).fillna(1.0)
            return table.assign(**{column: table[column] * scale})

        # each pool's part by its own index: the total by the blend, and the anlæg share so
        # that the parts are exactly the converted parts
        share = self.register["andel_anlaeg"]
        blended = (1 - share) * factors[SERVICE] + share * factors[ANLAEG]
        # the yearly amounts on servicerammen (benefit, running costs) by the service index
        service = {c: self.register[c] * factors[SERVICE] for c in SERVICE_AMOUNTS if c in self.register.columns}
        register = self.register.assign(
            **{c: self.register[c] * blended for c in COST_COLUMNS},
            **service,
            andel_anlaeg=share * factors[ANLAEG] / blended,
        )
        followup = self.followup
        if followup is not None:
            followup = replace(
                followup,
                bevillinger=pooled(followup.bevillinger, "beloeb"),
                forbrug=pooled(followup.forbrug, "forbrug") if not followup.forbrug.empty else followup.forbrug,
            )
        return replace(
            self,
            register=register,
            frame=pooled(self.frame, "beloeb").assign(pl_aar=year),
            price_year=year,
            followup=followup,
            note_frame=self.note_frame if self.note_frame is not None else self.frame,
            note_price_year=self.note_price_year or self.price_year,
        )

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]


FOLLOWUP_FILES = {
    "bevillinger": paths.DEFAULT_BEVILLINGER,
    "forbrug": paths.DEFAULT_FORBRUG,
    "gevinster": paths.DEFAULT_GEVINSTER,
}


def input_paths(
    register: str | Path | None = None,
    frame: str | Path | None = None,
    pl_index: str | Path | None = None,
    claims: str | Path | None = None,
    bevillinger: str | Path | None = None,
    forbrug: str | Path | None = None,
    gevinster: str | Path | None = None,
    previous_register: str | Path | None = None,
) -> dict[str, Path]:
    """Resolve input paths, falling back to the shipped files in ``data/``. The claims and
    follow-up files are optional: a default that does not exist is left out, and the
    follow-up defaults are used only with the shipped register (by default, or named by its
    path, or a copy of it)."""
    resolved = {
        "register": paths.resolve(register, paths.DEFAULT_REGISTER),
        "frame": paths.resolve(frame, paths.DEFAULT_FRAME),
        "pl_index": paths.resolve(pl_index, paths.DEFAULT_PL_INDEX),
    }
    shipped = register is None or _same_file(resolved["register"], paths.DEFAULT_REGISTER)
    claims_path = paths.resolve(claims, paths.DEFAULT_CLAIMS)
    if claims is not None or claims_path.exists():
        resolved["claims"] = claims_path
    # The shipped follow-up examples belong to the shipped register: with another register
    # they are used only when named.
    given = {"bevillinger": bevillinger, "forbrug": forbrug, "gevinster": gevinster}
    for key, default in FOLLOWUP_FILES.items():
        path = paths.resolve(given[key], default)
        if given[key] is not None or (shipped and path.exists()):
            resolved[key] = path
    if previous_register is not None:
        resolved["previous_register"] = paths.resolve(previous_register)
    # What the note says about itself, for any register: the ranges name the note's needs
    # (the shipped register's ids) and are checked for each group a register holds whole,
    # so an analyst's copy of the shipped register (an .xlsx, a changed cost) keeps them.
    if paths.DEFAULT_RANGE_CLAIMS.exists():
        resolved["range_claims"] = paths.DEFAULT_RANGE_CLAIMS
    if paths.DEFAULT_REMARKS.exists():
        resolved["remarks"] = paths.DEFAULT_REMARKS
    return resolved


def _same_file(path: Path, shipped: Path) -> bool:
    """Whether ``path`` is the shipped file: the same file, or a copy of it byte for byte (a
    run's snapshot, or ``--register data/behovsregister.csv`` named by its path)."""
    import filecmp

    try:
        return path.resolve() == shipped.resolve() or filecmp.cmp(path, shipped, shallow=False)
    except (OSError, RuntimeError):  # RuntimeError: a ring of symbolic links (Path.resolve)
        return False


def check_inputs(**kwargs) -> tuple[Dataset | None, list[Finding]]:
    """Load and cross-check every input; return the dataset (None on errors) and findings."""
    return check_sources(input_paths(**kwargs))


def check_sources(sources: dict[str, Path]) -> tuple[Dataset | None, list[Finding]]:
    """:func:`check_inputs` on paths already resolved (:func:`input_paths`), e.g. a run's
    snapshot of them (:mod:`analysis.inputs.snapshot`)."""
    findings: list[Finding] = []
    frame, found = frame_mod.load_frame(sources["frame"])
    findings += found
    register, found = register_mod.load_register(sources["register"])
    findings += found
    pl_index, found = price_index.load_index(sources["pl_index"])
    findings += found
    claims = None
    if "claims" in sources:
        claims, found = frame_mod.load_claims(sources["claims"])
        findings += found

    if frame is None or register is None or pl_index is None or errors(findings):
        return None, findings

    register_file = sources["register"].name
    price_year = frame_mod.price_year(frame)
    if price_year is None:
        price_year = frame_mod.frame_years(frame)[0]
        findings.append(
            Finding(
                WARNING,
                sources["frame"].name,
                f"rammen siger ikke sit prisniveau; {price_year} p/l antages",
                column="pl_aar",
            )
        )
    findings += register_mod.check_start_years(register, frame_mod.frame_years(frame), register_file)
    findings += register_mod.check_amounts(register, float(frame["beloeb"].sum()), register_file)
    converted, found = price_index.register_in_price_year(register, pl_index, price_year, register_file)
    findings += found
    if errors(findings):
        return None, findings
    followup = None
    if "bevillinger" in sources:
        followup, found = load_followup(
            register, frame, sources["bevillinger"], sources.get("forbrug"), sources.get("gevinster")
        )
        findings += found
        if errors(findings):
            return None, findings
        followup, found = price_index.spending_in_price_year(followup, pl_index, price_year, sources.get("forbrug"))
        findings += found
        followup, found = price_index.ledger_in_price_year(followup, pl_index, price_year, sources["bevillinger"])
        findings += found
        if errors(findings):
            return None, findings
    else:
        given = [key for key in ("forbrug", "gevinster") if key in sources]
        if given:
            findings.append(
                Finding(ERROR, sources[given[0]].name, f"{given[0]} kræver også bevillinger (--bevillinger)")
            )
            return None, findings
    previous = None
    if "previous_register" in sources:
        previous, found = register_mod.load_register(sources["previous_register"])
        findings += found
        if previous is not None and not errors(found):
            previous, found = price_index.register_in_price_year(
                previous, pl_index, price_year, sources["previous_register"].name
            )
            findings += found
        if errors(findings):
            return None, findings
    ranges = remarks = None
    if "range_claims" in sources:
        # the shipped register must hold every id the file names (a typo in it is an error);
        # another register is checked on the groups it holds whole
        whole = _same_file(sources["register"], paths.DEFAULT_REGISTER)
        stated, found = note_checks.load_range_claims(sources["range_claims"], register, every_id=whole)
        findings += found
        if errors(findings):
            return None, findings
        ranges = note_checks.check_ranges(stated, register) if len(stated) else None
    if "remarks" in sources:
        remarks, found = note_checks.load_remarks(sources["remarks"])
        findings += found
        if errors(findings):
            return None, findings
    checked_claims = frame_mod.check_claims(frame, claims) if claims is not None else None
    dataset = Dataset(
        register=converted,
        frame=frame,
        pl_index=pl_index,
        price_year=price_year,
        claims=checked_claims,
        followup=followup,
        previous_register=previous,
        ranges=ranges,
        remarks=remarks,
        findings=findings,
        sources=sources,
    )
    return dataset, findings


def load_dataset(sources: dict[str, Path] | None = None, **kwargs) -> Dataset:
    """The validated dataset; raises InputError naming every problem when there are errors.
    ``sources``: paths already resolved (then no other argument)."""
    dataset, findings = check_sources(sources) if sources is not None else check_inputs(**kwargs)
    if dataset is None:
        raise InputError(findings)
    return dataset
