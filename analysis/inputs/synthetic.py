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
    register_text, frame_text = generate(n, n_years, seed, **kwargs)
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
