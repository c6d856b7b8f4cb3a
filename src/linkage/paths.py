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
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "PACKAGE_DIR",
    "check_plain_name",
    "data_processed",
    "data_raw",
    "is_within",
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


#: Characters a plain output name may not contain: path separators, NUL and control characters.
_NOT_PLAIN = re.compile(r"[/\\\x00-\x1f\x7f]")


def check_plain_name(name: str, *, option: str = "name") -> str:
    """Return ``name`` if it is a plain file or folder name, else raise an OutputError.

    A plain name (普通名称) has no path separator (``/`` or ``\\``), is not ``.`` or ``..``,
    does not start with ``.`` or ``-``, holds no control character and is at most 200 characters.
    Output names given by users (``--name``, ``--run-id``) must be plain, so that an output
    stays in the folder the user chose (no ``../raw/x``, no absolute paths).

    >>> check_plain_name("县域面板2023")
    '县域面板2023'
    """
    from linkage.errors import OutputError

    text = str(name)
    if (not text.strip() or _NOT_PLAIN.search(text) or text.startswith((".", "-"))
            or len(text) > 200 or Path(text).is_absolute()):
        raise OutputError(
            f"{option} 必须是普通名称（不含 / 或 \\、不以 . 开头），现为 {text!r} / "
            f"{option} must be a plain name",
            hint=f"只写名称，用 --out 指定输出目录；例如 {option} 县域面板2023")
    return text


def is_within(path: str | os.PathLike[str], folders: Iterable[str | os.PathLike[str]]) -> bool:
    """True when ``path`` (resolved, symlinks followed) is one of ``folders`` or inside one."""
    resolved = Path(path).resolve()
    for folder in folders:
        base = Path(folder).resolve()
        if resolved == base or base in resolved.parents:
            return True
    return False
