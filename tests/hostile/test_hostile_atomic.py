"""Parquet and provenance are one file, written by one rename, with writers serialised.

Concurrent ingests of different inputs under the same name, and a writer killed with SIGKILL in
the middle of writing, must leave a Parquet whose embedded provenance names the input its data
came from; leftovers of a killed writer are removed by the next run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from corpus import county_csv

from linkage.provenance import file_sha256, read_provenance


def _inputs(folder: Path) -> dict[float, Path]:
    """Two county panels told apart by their income values."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for income in (10000.0, 20000.0):
        rows = [f"990102,{year},{income:.0f},90,2" for year in range(2015, 2025)]
        out[income] = county_csv(folder / f"panel_{income:.0f}.csv", rows)
    return out


def _ingest_cmd(source: Path, out: Path) -> list[str]:
    return ["-m", "linkage", "ingest", str(source), "--kind", "county", "--out", str(out),
            "--name", "same", "--force"]


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "LINKAGE_HOME": str(home)}


def _assert_consistent(parquet: Path, inputs: dict[float, Path]) -> float:
    data = pd.read_parquet(parquet)
    income = float(data["rural_income_pc"].iloc[0])
    assert (data["rural_income_pc"] == income).all()
    record = read_provenance(parquet)
    assert record["inputs"]["source"]["sha256"] == file_sha256(inputs[income])
    return income


def test_concurrent_ingests_leave_data_and_provenance_from_one_input(tmp_path):
    inputs = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, *_ingest_cmd(inputs[income], out)],
                              env=_env(tmp_path), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
             for income in [10000.0, 20000.0] * 2]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * len(procs), errors
    _assert_consistent(out / "same.county.parquet", inputs)
    assert not list(out.glob("*.tmp"))


KILLER = """
import os, signal, sys
import pyarrow.parquet as pq
real = pq.write_table
def write_then_die(table, where, **kwargs):
    real(table, where, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # between writing the temporary file and the rename
pq.write_table = write_then_die
from linkage.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_writer_killed_mid_write_leaves_the_old_consistent_file_and_is_cleaned_up(tmp_path):
    inputs = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    first = subprocess.run([sys.executable, *_ingest_cmd(inputs[10000.0], out)],
                           env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    killed = subprocess.run([sys.executable, "-c", KILLER, *_ingest_cmd(inputs[20000.0], out)[2:]],
                            env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9
    assert list(out.glob(".same.county.parquet.*.tmp")), "the killed writer left its temp file"
    assert _assert_consistent(out / "same.county.parquet", inputs) == 10000.0
    again = subprocess.run([sys.executable, *_ingest_cmd(inputs[20000.0], out)],
                           env=_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert _assert_consistent(out / "same.county.parquet", inputs) == 20000.0
    assert not list(out.glob("*.tmp"))
