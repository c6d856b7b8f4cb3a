"""Results every region of a batch shares, computed once (批次共享结果).

Province-wide scores, coupling, models and bootstrap tables are the same for every region of a
batch; a region section asks for them with :func:`once` and the first caller in the batch
computes them, the others (other regions, other processes, other Dask workers on a shared
folder) read the stored result. The key is explicit: a name, the parameters that matter and
the input files, identified by their SHA-256 (so a changed file is a new key). Writers are
serialised with a lock file, so two workers never compute the same key at the same time, and
results are written atomically. With no ``cache_dir`` (an interactive notebook) :func:`once`
simply computes.

Cached values are pickled: the folder is the batch's own (``<run>/_shared``), written by the
kit and read back by the same batch, never a file from a user.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock

from linkage.atomic import atomic_path

__all__ = ["once"]

T = TypeVar("T")


@lru_cache(maxsize=256)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _identity(value: Any) -> Any:
    """Input files by content; everything else by its JSON text."""
    if isinstance(value, (str, os.PathLike)) and str(value) and Path(value).is_file():
        stat = Path(value).stat()
        return {"sha256": _file_digest(str(Path(value).resolve()), stat.st_size,
                                       stat.st_mtime_ns)}
    return value


def once(cache_dir: str | os.PathLike[str] | None, name: str, key: Mapping[str, Any],
         compute: Callable[[], T]) -> T:
    """``compute()`` once per batch for ``(name, key)``; later calls read the stored result.

    Parameters
    ----------
    cache_dir : path or None
        The batch's shared folder; ``None`` or ``""`` computes without storing.
    name : str
        What is computed (part of the file name), e.g. ``"linkage-scores"``.
    key : mapping
        Everything the result depends on: parameters (JSON-serialisable) and input files
        (paths; hashed by content).
    compute : callable
        Called with no arguments when the result is not stored yet.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> calls = []
    >>> f = lambda: calls.append(1) or 42
    >>> once(d, "answer", {"k": 1}, f), once(d, "answer", {"k": 1}, f), len(calls)
    (42, 42, 1)
    """
    if not cache_dir:
        return compute()
    text = json.dumps({k: _identity(v) for k, v in sorted(key.items())}, sort_keys=True,
                      default=str, ensure_ascii=False)
    digest = hashlib.sha256(f"{name}\n{text}".encode()).hexdigest()[:20]
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}-{digest}.pickle"
    with FileLock(str(target) + ".lock"):
        if target.exists():
            with open(target, "rb") as handle:
                return pickle.load(handle)  # the batch's own file (module doc)
        value = compute()
        with atomic_path(target) as tmp, open(tmp, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        return value
