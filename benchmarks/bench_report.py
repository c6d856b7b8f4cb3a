"""Benchmark region reports (区域报告基准): a sequential papermill loop, a cold pool, warm kernels.

Runs the same region reports three ways, side by side in one run, and prints reports/minute,
the speed-ups and the projected time for 2,800 counties:

- ``sequential``: a plain papermill loop, one new kernel per notebook (as ``linkage report``
  did before the report engine);
- ``cold-pool``: ``LocalExecutor(workers=N)`` with the kit's cold runner (papermill, a new
  kernel per notebook, killed at once when done);
- ``warm``: the ``warm`` executor with N workers (one live kernel per worker, imports done
  once, a fresh namespace per notebook).

Usage::

    python benchmarks/bench_report.py                      # 24 regions, 2 workers
    python benchmarks/bench_report.py --regions 6          # a reduced run on a busy machine

Each report is a full region report of ``configs/sample.yaml`` (all its sections, HTML +
Word) made by the engine's task :func:`linkage.reporting.region.run_region`; each mode has its
own run folder, so each computes the province-wide results once (its batch cache) as a real
batch does. Regions are county codes sampled (seeded) from the bundled sample province. Times
include each executor's start-up (pool processes, warm kernels and their imports), so the warm
figure is conservative for long batches. Outputs go to a temporary folder, deleted afterwards
unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from linkage.panel import load_panel
from linkage.paths import project_root
from linkage.reporting.batch import region_jobs
from linkage.reporting.config import SECTION_KEYS
from linkage.reporting.executors import (
    Executor,
    LocalExecutor,
    make_executor,
)
from linkage.reporting.region import run_region

#: Counties of a large province-wide batch, for the projection.
PROJECT_COUNTIES = 2800


class PlainPapermill:
    """papermill as a user calls it: a new kernel per notebook, papermill's own defaults."""

    def execute(self, notebook: Path, output: Path, parameters: Mapping[str, Any], *,
                timeout: float | None = None) -> None:
        import papermill

        papermill.execute_notebook(str(notebook), str(output), parameters=dict(parameters),
                                   cwd=str(notebook.parent), kernel_name="python3",
                                   progress_bar=False, execution_timeout=timeout)

    def close(self) -> None:
        pass


def executors(workers: int) -> dict[str, Any]:
    """The compared executors, made when their turn comes (start-up is part of the time)."""
    return {
        "sequential": lambda: LocalExecutor(workers=1, make_runner=PlainPapermill),
        "cold-pool": lambda: LocalExecutor(workers=workers),
        "warm": lambda: make_executor("warm", workers=workers),
    }


def cpu_seconds() -> float:
    """CPU time of this process and of every finished descendant (workers, their kernels)."""
    return sum(getattr(resource.getrusage(who), field)
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))


def run(make: Any, jobs: list[Any]) -> tuple[float, float, list[str]]:
    """Wall and CPU seconds for all jobs (start-up and shut-down included), and the failures.

    CPU seconds count the kernels too (pool workers and kernels are reaped before the end):
    on a busy shared machine they say more about the work than wall time does.
    """
    start, cpu = time.perf_counter(), cpu_seconds()
    executor: Executor = make()
    failures = []
    try:
        for job, result in executor.map(run_region, jobs):
            if isinstance(result, BaseException):
                failures.append(f"{job.region.code}: {type(result).__name__}: {result}")
            elif result.status != "ok":
                failures.append(f"{job.region.code}: {result.error}")
    finally:
        executor.close()
    return time.perf_counter() - start, cpu_seconds() - cpu, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=24, help="region reports per mode")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modes", default="sequential,cold-pool,warm")
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    config = project_root() / "configs" / "sample.yaml"
    codes = random.Random(args.seed).sample(sorted(load_panel().counties.index), args.regions)
    makers = executors(args.workers)
    modes = [m.strip() for m in args.modes.split(",")]
    print(f"{args.regions} region reports ({len(SECTION_KEYS)} sections, HTML + Word), "
          f"workers={args.workers}")

    timings: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = args.out or Path(tmp)
        for mode in modes:
            jobs = region_jobs(config, root / mode, regions=codes)
            seconds, cpu, failures = run(makers[mode], jobs)
            timings[mode] = seconds, cpu
            rate = args.regions / seconds * 60
            print(f"{mode:>10}: {seconds:7.1f} s  {rate:6.2f} reports/min  "
                  f"{seconds / args.regions:5.1f} s/report  2,800 counties ≈ "
                  f"{PROJECT_COUNTIES / rate / 60:5.1f} h  |  CPU {cpu / args.regions:5.1f} "
                  "s/report"
                  + (f"  FAILED {len(failures)}: {failures[:3]}" if failures else ""), flush=True)
    if "warm" in timings:
        for base in ("sequential", "cold-pool"):
            if base in timings:
                print(f"warm vs {base}: {timings[base][0] / timings['warm'][0]:.2f}× wall, "
                      f"{timings[base][1] / timings['warm'][1]:.2f}× CPU")


if __name__ == "__main__":
    main()
