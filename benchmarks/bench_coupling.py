"""Benchmark coupling coordination and obstacle degree (耦合协调度与障碍度基准).

Usage::

    python benchmarks/bench_coupling.py --counties 2800 --years 15

Random scores and standardised values for every indicator of the default framework; prints the
best of ``--repeat`` wall-clock times of each step.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from linkage.coupling import (
    coupling_coordination,
    obstacle_by_group,
    obstacle_degree,
    top_obstacles,
)
from linkage.frameworks import load_framework


def _best(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=2800)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rng = np.random.default_rng(20211)
    table = load_framework().indicator_table()
    index = pd.MultiIndex.from_product(
        [[f"99{i:04d}" for i in range(args.counties)], range(2011, 2011 + args.years)],
        names=["region_code", "year"])
    n = len(index)
    scores = pd.DataFrame({"脱贫成果": rng.uniform(0.05, 1, n),
                           "乡村振兴": rng.uniform(0.05, 1, n)}, index=index)
    x = pd.DataFrame(rng.uniform(size=(n, len(table))), index=index, columns=table.index)
    w = pd.Series(rng.uniform(0.1, 1, len(table)), index=table.index)
    o = obstacle_degree(x, w)

    steps: dict[str, Callable[[], object]] = {
        "coupling_coordination (classic)":
            lambda: coupling_coordination(scores, method="classic"),
        "coupling_coordination (corrected)":
            lambda: coupling_coordination(scores, method="corrected"),
        f"obstacle_degree ({len(table)} indicators)": lambda: obstacle_degree(x, w),
        "obstacle_by_group (dimension)": lambda: obstacle_by_group(o, table["dimension"]),
        "top_obstacles (k=3)": lambda: top_obstacles(o, k=3),
    }
    print(f"{args.counties} counties × {args.years} years = {n:,} rows")
    for name, step in steps.items():
        print(f"{name}: {_best(step, args.repeat) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
