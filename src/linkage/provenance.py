"""Provenance (来源记录): what produced an output — input hashes, parameters, versions, revision.

Every processed file and every report carries such a record so that the same inputs and
parameters can be shown to give the same numbers.
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from linkage import __version__
from linkage.paths import project_root

__all__ = [
    "PROVENANCE_KEY",
    "file_sha256",
    "git_revision",
    "package_versions",
    "provenance_record",
    "read_provenance",
]

#: Key of the provenance record (JSON) in the metadata of a Parquet file written by ingest.
PROVENANCE_KEY = b"linkage.provenance"

#: Packages whose versions change numbers or rendering; recorded in every provenance block.
KEY_PACKAGES = (
    "linkage", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "pyarrow",
    "pandera", "openpyxl", "xlrd", "pyreadstat", "papermill", "nbconvert", "filelock",
    "markupsafe", "jinja2", "python-docx", "fonttools", "uharfbuzz", "weasyprint", "pyfixest",
)


def file_sha256(path: str | os.PathLike[str], *, chunk_size: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's bytes, read in chunks (constant memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_size):
            digest.update(block)
    return digest.hexdigest()


def package_versions(names: Iterable[str] = KEY_PACKAGES) -> dict[str, str]:
    """Installed version of each package (``"not installed"`` when absent)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_revision(root: str | os.PathLike[str] | None = None) -> str:
    """Commit hash of the project checkout, with ``-dirty`` if it has uncommitted changes.

    Returns ``"unknown"`` outside a git checkout or when git is not installed.
    """
    root = Path(root) if root is not None else project_root()
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
            check=True, timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{rev}-dirty" if dirty else rev


def provenance_record(
    inputs: Mapping[str, str | os.PathLike[str]] | Iterable[str | os.PathLike[str]] = (),
    parameters: Mapping[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A JSON-serialisable provenance block.

    Parameters
    ----------
    inputs : mapping label -> path, or iterable of paths
        Files whose SHA-256 is recorded (directories are skipped with a note).
    parameters : mapping, optional
        Parameters of the run, recorded as given.
    **extra
        Further fields (e.g. ``schema_version``, ``framework_id``).
    """
    if not isinstance(inputs, Mapping):
        inputs = {str(p): p for p in inputs}
    hashed = {}
    for label, path in inputs.items():
        p = Path(path)
        hashed[label] = {
            "path": str(p),
            "sha256": file_sha256(p) if p.is_file() else None,
            "bytes": p.stat().st_size if p.is_file() else None,
        }
    return {
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "linkage_version": __version__,
        "git_revision": git_revision(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": package_versions(),
        "inputs": hashed,
        "parameters": dict(parameters or {}),
        **extra,
    }


def read_provenance(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The provenance record embedded in a Parquet file written by ``linkage ingest``.

    Data and record live in one file (written with one atomic rename), so they cannot
    disagree.

    Raises
    ------
    InputError
        When the file is not a Parquet file or carries no linkage provenance.
    """
    import json

    import pyarrow.parquet as pq

    from linkage.errors import InputError

    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, ValueError) as exc:
        raise InputError("不是可读的 Parquet 文件 / not a readable Parquet file", file=path,
                         hint="来源记录只嵌在 linkage ingest 写出的 .parquet 中") from exc
    if PROVENANCE_KEY not in metadata:
        raise InputError("该 Parquet 文件没有 linkage 来源记录 / no linkage provenance",
                         file=path, hint="只有 linkage ingest 写出的文件带来源记录")
    return json.loads(metadata[PROVENANCE_KEY].decode("utf-8"))
