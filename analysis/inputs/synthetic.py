"""Generated registers for benchmarks and tests: realistic, not uniform noise.

Sizes are spread like the note's (lognormal around 7 mio. kr., from about 1 to 60 mio.),
potential scores and benefits rise with cost (with noise), some needs come as variant
groups of two or three sizes, some depend on an earlier need, most are service with some
anlæg, costs are spread over one to three years, and the frame covers about half of the
expected cost, growing over the years as the note's does (20/35/50/50).
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.inputs.contracts import POTENTIALS
from analysis.inputs.financing_frame import load_frame
from analysis.inputs.register import load_register

SPREADS = ["100", "50;50", "60;40", "40;60", "30;40;30", "20;40;40"]


def generate(
    n: int, n_years: int = 4, seed: int = 0, first_year: int = 2026, frame_share: float = 0.5
) -> tuple[str, str]:
    """A register with ``n`` needs and a frame over ``n_years`` years, as CSV texts."""
    rng = np.random.default_rng(seed)
    years = list(range(first_year, first_year + n_years))
    rows = []
    expected_total = 0.0
    i = 0
    while len(rows) < n:
        base = float(np.clip(rng.lognormal(np.log(7000), 0.8), 800, 60000))
        group_size = rng.choice([1, 2, 3], p=[0.85, 0.08, 0.07]) if n - len(rows) >= 3 else 1
        group = f"G{i}" if group_size > 1 else ""
        requires = ""
        if rows and rng.random() < 0.15:
            requires = rows[int(rng.integers(0, len(rows)))]["id"]
        for k in range(group_size):
            size = base * (1, 2.5, 5)[k]
            spread_text = rng.choice(SPREADS)
            span = len(spread_text.split(";"))
            low = int(round(size * rng.uniform(0.6, 1.0), -2))
            high = int(round(size * rng.uniform(1.0, 1.6), -2))
            quality = np.log(size / 800) / np.log(75)  # 0 for the smallest, 1 for the largest
            scores = np.clip(np.round(1 + 3 * quality + rng.normal(0, 1, 4)), 0, 5).astype(int)
            earliest = years[0] if rng.random() < 0.8 else int(rng.choice(years[:-1]))
            latest = years[-1] - span + 1 if rng.random() < 0.8 else earliest + int(rng.integers(0, 2))
            latest = max(earliest, min(latest, years[-1]))
            share = 0.0 if rng.random() < 0.7 else round(float(rng.uniform(0.2, 0.9)), 2)
            rows.append(
                {
                    "id": f"N{i:03d}{'abc'[k] if group else ''}",
                    "omraade": f"Område {int(rng.integers(1, 7))}",
                    "titel": f"Behov {i}{' variant ' + 'abc'[k] if group else ''}",
                    "forvaltning": str(rng.choice(["ØKF", "BUF", "SUF", "SOF", "TMF", "KFF", "BIF"])),
                    "omkostning_min": low,
                    "omkostning_max": high,
                    "andel_anlaeg": share,
                    "fordeling": spread_text,
                    "tidligste_start": earliest,
                    "seneste_start": latest,
                    **{name: int(s) for name, s in zip(POTENTIALS, scores, strict=True)},
                    "gevinst": int(round(size * float(rng.uniform(0.5, 2.0)), -2)),
                    "timer_frigjort": int(size * float(rng.uniform(0, 3))),
                    "prioritet": len(rows) + 1,
                    "variantgruppe": group,
                    "forudsaetter": requires if k == 0 else "",
                    "kilde": "genereret (synthetic.generate)",
                }
            )
            if k == 0:
                expected_total += (low + high) / 2
        i += 1
    rows = rows[:n]
    order = rng.permutation(len(rows))
    for rank, index in enumerate(order, start=1):
        rows[index]["prioritet"] = rank
    register = io.StringIO()
    writer = csv.DictWriter(register, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    growth = np.linspace(0.6, 1.4, n_years)
    per_year = expected_total * frame_share * growth / growth.sum()
    frame = ["aar;styringsomraade;beloeb"]
    for year, amount in zip(years, per_year, strict=True):
        frame.append(f"{year};service;{round(amount * 0.7, -2):.0f}")
        frame.append(f"{year};anlæg;{round(amount * 0.3, -2):.0f}")
    return register.getvalue(), "\n".join(frame) + "\n"


def load_generated(n: int, n_years: int = 4, seed: int = 0, **kwargs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The generated register and frame, loaded and validated like real files."""
    return _load(*generate(n, n_years, seed, **kwargs))


def _load(register_text: str, frame_text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    with tempfile.TemporaryDirectory() as folder:
        register_path = Path(folder) / "behovsregister.csv"
        frame_path = Path(folder) / "ramme.csv"
        register_path.write_text(register_text, encoding="utf-8")
        frame_path.write_text(frame_text, encoding="utf-8")
        register, found = load_register(register_path)
        errors = [str(f) for f in found if f.is_error]
        frame, found = load_frame(frame_path)
        errors += [str(f) for f in found if f.is_error]
    if errors:
        raise ValueError("genereret register er ugyldigt: " + "; ".join(errors[:5]))
    return register, frame


# --- registers whose optimum is known by construction ----------------------------------------

PLANTED_UNIT = 500  # 1.000 kr. per point of value for the planted needs: their value per cost


def planted(
    n: int, n_years: int = 5, seed: int = 0, time_preference: float | None = None, first_year: int = 2026
) -> tuple[str, str, float]:
    """A register, a frame and the best objective that ``max-potential`` with equal weights
    can reach (with or without carry-over), known by construction rather than by a solver.

    About half the needs are *planted*: one-year needs in a single pool whose value is
    exactly their cost / ``PLANTED_UNIT``, grouped by the year they are planted in; each
    pool's frame in a year is exactly the cost of the needs planted there. The rest are
    *decoys*: spread over one to three years and either pool, some in variant groups with
    a planted need or depending on one, each worth less per cost than a planted need even
    after its later years' discount: ``value ≤ cost / PLANTED_UNIT · d^(span−1)`` with
    ``d = 1 / (1 + time_preference)``.

    Why the planted plan is optimal. A need starting in year s is worth ``v · d^(s−y0)``.
    Every need has ``v ≤ Σ_t c_t · d^(t−s) / PLANTED_UNIT`` over the years t it spends
    ``c_t`` (planted: equality, one year; decoys: by the rule above, as t − s ≤ span − 1). So
    any plan is worth at most ``Σ_t d^(t−y0) · S_t / PLANTED_UNIT``, S_t the year's spending
    over both pools. Year by year S_t ≤ C_t, the frame; with carry-over the running sums
    are bounded instead, and as d^t falls with t the sum is still at most
    ``Σ_t d^(t−y0) · C_t / PLANTED_UNIT``. The planted plan spends exactly C_t in every year
    and so reaches the bound: that value is the optimum (other plans may tie it).

    ``time_preference``: the option's (default: the allocation's default).
    """
    if time_preference is None:
        from analysis.inputs.parameters import Options

        time_preference = Options().time_preference
    rng = np.random.default_rng(seed)
    years = list(range(first_year, first_year + n_years))
    d = 1 / (1 + time_preference)
    rows: list[dict] = []
    capacity = {(pool, year): 0 for pool in ("service", "anlæg") for year in years}
    planted_ids: list[tuple[str, int]] = []

    def scores(value: int) -> list[int]:
        """Four scores 0–5 summing to ``value`` (0–20)."""
        out = [0, 0, 0, 0]
        for _ in range(value):
            k = int(rng.choice([i for i in range(4) if out[i] < 5]))
            out[k] += 1
        return out

    def row(need_id, title, cost, low, high, value, spread, share, earliest, latest, group="", requires=""):
        return {
            "id": need_id,
            "omraade": f"Område {int(rng.integers(1, 7))}",
            "titel": title,
            "omkostning_min": low,
            "omkostning_forventet": cost,
            "omkostning_max": high,
            "andel_anlaeg": share,
            "fordeling": spread,
            "tidligste_start": earliest,
            "seneste_start": latest,
            **dict(zip(POTENTIALS, scores(value), strict=True)),
            "prioritet": 0,
            "variantgruppe": group,
            "forudsaetter": requires,
            "kilde": "genereret med kendt optimum (synthetic.planted)",
        }

    n_planted = max(1, n // 2)
    for k in range(n_planted):
        year = years[k % n_years]
        pool = "service" if rng.random() < 0.7 else "anlæg"
        value = int(rng.integers(2, 21))
        cost = value * PLANTED_UNIT
        capacity[(pool, year)] += cost
        spread_low = int(rng.integers(0, 3)) * 100
        # the window holds the planted year; often it holds every year, so the solver must place it
        earliest, latest = (years[0], years[-1]) if rng.random() < 0.6 else (year, min(years[-1], year + 1))
        need_id = f"P{k:04d}"
        requires = ""
        earlier = [i for i, y in planted_ids if y <= year]
        if earlier and rng.random() < 0.1:
            requires = earlier[int(rng.integers(0, len(earlier)))]
        rows.append(
            row(
                need_id, f"Plantet {k}", cost, cost - spread_low, cost + spread_low, value, "100",
                0.0 if pool == "service" else 1.0, earliest, latest, requires=requires,
            )
        )  # fmt: skip
        planted_ids.append((need_id, year))
    k = 0
    while len(rows) < n:
        spread = str(rng.choice(SPREADS))
        span = len(spread.split(";"))
        value = int(rng.integers(1, 21))
        worse = float(rng.uniform(1.02, 1.6))  # how much worse per cost than a planted need
        cost = int(np.ceil(value * PLANTED_UNIT * worse / d ** (span - 1) / 100) * 100)
        share = 0.0 if rng.random() < 0.6 else round(float(rng.uniform(0.1, 1.0)), 2)
        group = requires = ""
        draw = rng.random()
        if draw < 0.15:  # a bigger, worse variant of a planted need
            partner = int(rng.integers(0, len(planted_ids)))
            group = f"G{partner:04d}"
            rows[partner]["variantgruppe"] = group
        elif draw < 0.3:
            requires = planted_ids[int(rng.integers(0, len(planted_ids)))][0]
        earliest = int(rng.choice(years[: max(1, n_years - span + 1)]))
        rows.append(
            row(
                f"D{k:04d}", f"Lokkebehov {k}", cost, cost, cost + int(rng.integers(0, 5)) * 100, value, spread,
                share, earliest, years[-1], group, requires,
            )
        )  # fmt: skip
        k += 1
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    for rank, item in enumerate(rows, start=1):
        item["prioritet"] = rank
    register = io.StringIO()
    writer = csv.DictWriter(register, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    frame = ["aar;styringsomraade;beloeb"]
    for year in years:
        for pool in ("service", "anlæg"):
            frame.append(f"{year};{pool};{capacity[(pool, year)]}")
    optimum = sum(d ** (year - first_year) * amount for (_, year), amount in capacity.items()) / PLANTED_UNIT
    return register.getvalue(), "\n".join(frame) + "\n", optimum


def load_planted(n: int, n_years: int = 5, seed: int = 0, time_preference: float | None = None):
    """The planted register and frame, loaded and validated like real files, and the known optimum."""
    register_text, frame_text, optimum = planted(n, n_years, seed, time_preference)
    register, frame = _load(register_text, frame_text)
    return register, frame, optimum
