"""Where the project's folders are (项目路径) — the one place that knows.

The project folder is found, in order, from the ``LINKAGE_HOME`` environment variable, from the
current directory or one of its parents that holds ``pyproject.toml`` and ``data/raw``, and
from the installed package's location (an editable install inside a clone). Folders::

    data/raw/          inputs, never modified by the kit
    data/raw/reference real, sourced national and provincial statistics
    data/raw/sample    the bundled simulated sample (模拟数据)
    data/processed/    validated, tidy Parquet written by ``linkage ingest``
    reports/           one folder per report run
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PACKAGE_DIR",
    "data_processed",
    "data_raw",
    "notebooks_dir",
    "project_root",
    "reference_dir",
    "reports_dir",
    "sample_dir",
]

PACKAGE_DIR = Path(__file__).resolve().parent


def _is_root(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "data" / "raw").is_dir()


def project_root() -> Path:
    """The project folder (see module docstring for how it is found)."""
    env = os.environ.get("LINKAGE_HOME")
    if env:
        return Path(env).expanduser().resolve()
    cwd = Path.cwd().resolve()
    for candidate in (cwd, *cwd.parents):
        if _is_root(candidate):
            return candidate
    for candidate in PACKAGE_DIR.parents:
        if _is_root(candidate):
            return candidate
    return cwd


def data_raw() -> Path:
    return project_root() / "data" / "raw"


def reference_dir() -> Path:
    return data_raw() / "reference"


def sample_dir() -> Path:
    return data_raw() / "sample"


def data_processed() -> Path:
    return project_root() / "data" / "processed"


def reports_dir() -> Path:
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"
