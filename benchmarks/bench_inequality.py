"""Benchmark inequality and convergence (不平等与收敛基准): seconds per call at national scale.

Usage::

    python benchmarks/bench_inequality.py --households 1000000 --groups 30 --counties 2800
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from linkage.checks import MIN_REPS
from linkage.convergence import beta_convergence, kernel_density, panel_beta_convergence
from linkage.inequality import dagum_gini, gini, income_gap, theil, theil_ci


def _timed(label: str, func) -> None:
    start = time.perf_counter()
    func()
    print(f"{label:<40} {time.perf_counter() - start:8.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=30)
    parser.add_argument("--counties", type=int, default=2800)
    parser.add_argument("--seed", type=int, default=20211)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    y = rng.lognormal(9.5, 0.7, args.households)
    w = rng.uniform(1, 5, args.households)
    g = rng.integers(0, args.groups, args.households)
    n = args.households
    _timed(f"gini, weighted, n={n:,}", lambda: gini(y, weights=w))
    _timed(f"theil T, {args.groups} groups, n={n:,}", lambda: theil(y, groups=g, weights=w))
    _timed(f"dagum_gini, {args.groups} groups, n={n:,}",
           lambda: dagum_gini(y, groups=g, weights=w))
    years = np.arange(2015, 2026)
    panel = pd.DataFrame({
        "region_code": np.repeat([f"{i:06d}" for i in range(args.counties)], years.size),
        "year": np.tile(years, args.counties),
        "income": rng.lognormal(9.5, 0.4, args.counties * years.size),
    })
    _timed(f"panel β two-way, {args.counties} counties × 11 y",
           lambda: panel_beta_convergence(panel, value="income", fixed_effects="twoway"))
    _timed("kernel_density, 11 years × 200 points",
           lambda: kernel_density(panel.set_index("year")["income"]))
    panel["pref"] = (np.arange(len(panel)) // (years.size * 10)) % 12  # 12 "prefectures"
    panel["poor"] = (np.arange(len(panel)) // years.size) % 3 == 0
    _timed(f"β wild cluster bootstrap, 12 clusters, {MIN_REPS} draws",
           lambda: beta_convergence(panel, value="income", start=2015, end=2025, cluster="pref",
                                    inference="wild", seed=1, wild_weights="webb"))
    _timed(f"panel β two-way + wild bootstrap, {MIN_REPS} draws",
           lambda: panel_beta_convergence(panel, value="income", fixed_effects="twoway",
                                          cluster="pref", inference="wild", seed=1))
    _timed(f"income_gap with CIs, {args.counties} counties × 11 y, {MIN_REPS} draws",
           lambda: income_gap(panel, value="income", group="poor", ci=True, seed=1))
    one_year = panel[panel["year"] == 2025]
    _timed(f"theil_ci, {args.counties} counties, {MIN_REPS} draws",
           lambda: theil_ci(one_year["income"], groups=one_year["poor"], seed=1))


if __name__ == "__main__":
    main()
