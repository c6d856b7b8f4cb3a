"""Benchmark composite indices (综合指数基准): time, speed ratio and peak memory.

A simulated national panel (2,800 counties × 15 years × 40 indicators by default, seeded) is
scored by ``linkage.composite`` and, for comparison, by (a) a plain-Python row-wise version of
the same computation written here and (b) pymcdm's entropy weights and TOPSIS. Prints figures;
it is not a test. Targets: pooled normalisation + entropy + scores well under 0.3 s,
``scope=year`` normalisation under 0.5 s on one core.

Usage::

    python benchmarks/bench_composite.py [--counties 2800] [--years 15] [--indicators 40]
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd

from linkage.composite import entropy_weights, normalize, topsis, weighted_sum


def simulate(counties: int, years: int, indicators: int, seed: int) -> tuple[pd.DataFrame, dict]:
    """Seeded county-year panel of positive indicators with county effects and trends."""
    rng = np.random.default_rng(seed)
    county = rng.normal(size=(counties, 1, indicators))
    trend = np.linspace(0.0, 0.5, years)[None, :, None] * rng.uniform(-1, 1, indicators)
    noise = rng.normal(scale=0.3, size=(counties, years, indicators))
    values = np.exp(1.0 + county + trend + noise).reshape(counties * years, indicators)
    index = pd.MultiIndex.from_product(
        [[f"{i:06d}" for i in range(counties)], range(2011, 2011 + years)],
        names=["region_code", "year"])
    columns = [f"ind{j:02d}" for j in range(indicators)]
    directions = {c: (-1 if j % 5 == 4 else 1) for j, c in enumerate(columns)}
    return pd.DataFrame(values, index=index, columns=columns), directions


# ---------------------------------------------------------------- plain-Python references


def _minmax_rows(rows: list[list[float]], signs: list[int]) -> list[list[float]]:
    m = len(signs)
    low = [min(row[j] for row in rows) for j in range(m)]
    high = [max(row[j] for row in rows) for j in range(m)]
    return [[(row[j] - low[j]) / (high[j] - low[j]) if signs[j] > 0
             else (high[j] - row[j]) / (high[j] - low[j]) for j in range(m)] for row in rows]


def python_pooled(rows: list[list[float]], signs: list[int]) -> list[float]:
    z = _minmax_rows(rows, signs)
    n, m = len(z), len(signs)
    sums = [sum(row[j] + 1e-4 for row in z) for j in range(m)]
    d = []
    for j in range(m):
        h = sum((row[j] + 1e-4) / sums[j] * math.log((row[j] + 1e-4) / sums[j]) for row in z)
        d.append(1 + h / math.log(n))
    w = [dj / sum(d) for dj in d]
    return [sum(wj * x for wj, x in zip(w, row, strict=True)) for row in z]


def python_by_year(rows: list[list[float]], years: list[int], signs: list[int]) -> list[list]:
    groups: dict[int, list[int]] = {}
    for i, year in enumerate(years):
        groups.setdefault(year, []).append(i)
    out: list[list[float]] = [[] for _ in rows]
    for members in groups.values():
        for i, z in zip(members, _minmax_rows([rows[i] for i in members], signs), strict=True):
            out[i] = z
    return out


def python_topsis(rows: list[list[float]], w: list[float], signs: list[int]) -> list[float]:
    m = len(signs)
    norms = [math.sqrt(sum(row[j] ** 2 for row in rows)) for j in range(m)]
    v = [[w[j] * row[j] / norms[j] for j in range(m)] for row in rows]
    best = [max(r[j] for r in v) if signs[j] > 0 else min(r[j] for r in v) for j in range(m)]
    worst = [min(r[j] for r in v) if signs[j] > 0 else max(r[j] for r in v) for j in range(m)]
    out = []
    for r in v:
        plus = math.sqrt(sum((r[j] - best[j]) ** 2 for j in range(m)))
        minus = math.sqrt(sum((r[j] - worst[j]) ** 2 for j in range(m)))
        out.append(minus / (plus + minus))
    return out


# ---------------------------------------------------------------- measuring


def measure(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Best wall time of ``repeat`` runs (s), peak traced memory of one run (MB), result."""
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return best, peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=2800)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data, directions = simulate(args.counties, args.years, args.indicators, args.seed)
    years = data.index.get_level_values("year")
    rows, signs = data.to_numpy().tolist(), [directions[c] for c in data.columns]
    year_list = list(years)
    print(f"panel: {args.counties} counties × {args.years} years × {args.indicators} indicators "
          f"= {data.shape[0]:,} rows")

    def pooled() -> pd.Series:
        return weighted_sum(normalize(data, directions), entropy_weights(data, directions))

    weights = entropy_weights(data, directions)
    cases: dict[str, dict[str, Callable[[], object]]] = {
        "pooled minmax + entropy + weighted sum": {
            "linkage": pooled,
            "plain Python": lambda: python_pooled(rows, signs),
        },
        "per-year minmax (scope=year)": {
            "linkage": lambda: normalize(data, directions, scope=years),
            "plain Python": lambda: python_by_year(rows, year_list, signs),
        },
        "TOPSIS (vector, Hwang-Yoon)": {
            "linkage": lambda: topsis(data, weights, directions),
            "plain Python": lambda: python_topsis(rows, weights.tolist(), signs),
        },
    }
    try:
        from pymcdm import normalizations
        from pymcdm.methods import TOPSIS
        from pymcdm.weights import entropy_weights as pymcdm_entropy
    except ImportError:
        print("pymcdm not installed: pip install -e '.[dev]' to compare with it")
    else:
        matrix, types = data.to_numpy(), np.array(signs)
        cases["Shannon entropy weights on raw data"] = {
            "linkage": lambda: entropy_weights(data, variant="shannon"),
            "pymcdm": lambda: pymcdm_entropy(matrix),
        }
        cases["TOPSIS (vector, Hwang-Yoon)"]["pymcdm"] = lambda: TOPSIS(
            normalizations.vector_normalization)(matrix, weights.to_numpy(), types)

    for case, runners in cases.items():
        print(f"\n{case}")
        ours = None
        for name, fn in runners.items():
            repeat = args.repeat if name != "plain Python" else 1
            seconds, peak, result = measure(fn, repeat)
            ours = seconds if name == "linkage" else ours
            ratio = "" if name == "linkage" else f"  ({seconds / ours:,.1f}× linkage's time)"
            print(f"  {name:<32} {seconds:8.3f} s   peak {peak:8.1f} MB{ratio}")
            if name == "plain Python" and case.startswith("TOPSIS"):
                linkage_result = runners["linkage"]()
                assert np.allclose(linkage_result.to_numpy(), result), "TOPSIS mismatch"
            if name == "plain Python" and case.startswith("pooled"):
                assert np.allclose(runners["linkage"]().to_numpy(), result), "score mismatch"


if __name__ == "__main__":
    main()
