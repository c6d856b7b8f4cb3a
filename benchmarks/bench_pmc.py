"""Benchmark the PMC index (PMC 指数基准): vectorised pmc_index against a per-policy loop.

Usage::

    python benchmarks/bench_pmc.py --policies 10000 --items 40

Random 0/1 items in ten first-level variables of four secondary items each (the shape of most
Chinese PMC studies: 10 × 4 = 40); prints the best of ``--repeat`` wall-clock times of
:func:`linkage.synergy.pmc.pmc_index` and of a naive loop over policies that computes the same
X_k and PMC, and checks that both agree.
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable

import numpy as np
import pandas as pd

from linkage.synergy.pmc import pmc_index


def _best(step: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` single runs (seconds)."""
    return min(timeit.repeat(step, number=1, repeat=repeat))


def _naive(items: pd.DataFrame, groups: dict[str, list[str]]) -> pd.Series:
    pmc = {}
    for policy, row in items.iterrows():
        pmc[policy] = sum(sum(row[c] for c in columns) / len(columns)
                          for columns in groups.values())
    return pd.Series(pmc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=40, help="multiple of 10")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    per = max(args.items // 10, 1)
    columns = [f"X{k}.{j}" for k in range(1, 11) for j in range(1, per + 1)]
    groups = {f"X{k}": [f"X{k}.{j}" for j in range(1, per + 1)] for k in range(1, 11)}
    rng = np.random.default_rng(2011)
    items = pd.DataFrame(rng.integers(0, 2, size=(args.policies, len(columns))),
                         index=[f"p{i:05d}" for i in range(args.policies)], columns=columns)

    assert np.allclose(pmc_index(items)["PMC"], _naive(items, groups))
    print(f"{args.policies:,} policies × {len(columns)} items")
    print(f"pmc_index (vectorised): {_best(lambda: pmc_index(items), args.repeat) * 1000:.1f} ms")
    print(f"per-policy loop:        {_best(lambda: _naive(items, groups), 1) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
