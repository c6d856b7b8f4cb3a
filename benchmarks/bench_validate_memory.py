"""Peak memory and time of ``linkage validate`` on a large household CSV (内存基准).

Makes an N-row household monitoring CSV from the bundled sample (household ids made unique per
copy), then runs ``linkage validate --kind household`` in a child process and reports the
child's peak resident memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``) and wall time.

    .venv/bin/python benchmarks/bench_validate_memory.py --rows 2000000

Measured for [5b/8] on the 2-core, 24 GiB development machine, 2,000,000 rows (236 MiB CSV),
``/usr/bin/time -v``: before (whole file in memory) peak RSS 5,460 MiB, 4 min 37 s; after
(validated in parts of 100,000 rows) 813 MiB, 3 min 49 s. ``linkage validate`` on a 2,000-row
file peaks at 176 MiB (interpreter and libraries).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_csv(path: Path, rows: int) -> Path:
    from linkage.sample import load_sample

    base = load_sample().households
    base = base.assign(**{c: base[c].map({True: "是", False: "否"}).astype(object)
                          for c in base.columns if str(base[c].dtype) in ("bool", "boolean")})
    copies = -(-rows // len(base))
    with path.open("w", encoding="utf-8", newline="") as fh:
        for i in range(copies):
            part = base.assign(household_id=f"C{i:03d}-" + base["household_id"].astype(str))
            part = part.head(rows - i * len(base))
            part.to_csv(fh, index=False, header=i == 0)
    return path


def measure(path: Path, *extra: str) -> tuple[int, float, float]:
    """(exit code, peak RSS of the child in MiB, seconds)."""
    start = time.perf_counter()
    code = subprocess.run([sys.executable, "-m", "linkage", "validate", str(path), "--kind",
                           "household", *extra], stdout=subprocess.DEVNULL).returncode
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return code, peak_kib / 1024, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--keep", type=Path, help="write the CSV here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "households.csv"
        if not path.exists():
            make_csv(path, args.rows)
        size = path.stat().st_size / 2**20
        code, peak, seconds = measure(path)
        print(f"{args.rows:,} rows, {size:,.0f} MiB CSV: exit {code}, "
              f"peak RSS {peak:,.0f} MiB, {seconds:,.1f} s")


if __name__ == "__main__":
    main()
