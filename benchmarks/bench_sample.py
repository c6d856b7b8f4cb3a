"""Benchmark the sample generator (模拟数据生成基准): rows/s and peak memory.

Usage::

    python benchmarks/bench_sample.py --counties 2800 --households 1000000

Writes to a temporary folder (deleted afterwards) unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from linkage.sample import generate_sample, write_sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=2800)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20211)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    kwargs = {"counties": args.counties, "households": args.households, "seed": args.seed}

    start = time.perf_counter()
    sample = generate_sample(**kwargs)
    generated = time.perf_counter() - start
    rows = len(sample.panel) + len(sample.households)
    del sample

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        start = time.perf_counter()
        paths = write_sample(out, **kwargs)
        written = time.perf_counter() - start
        sizes = {p.name: p.stat().st_size / 1e6 for p in paths.values()}

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"counties={args.counties} households={args.households}: {rows:,} rows")
    print(f"generate_sample: {generated:.2f} s ({rows / generated:,.0f} rows/s)")
    print(f"write_sample (generate + write): {written:.2f} s ({rows / written:,.0f} rows/s)")
    print("files (MB): " + ", ".join(f"{k} {v:.1f}" for k, v in sizes.items()))
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
