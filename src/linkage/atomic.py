"""Atomic, guarded file output (原子写入): a failed write never leaves a half-written file.

Everything the kit writes goes through :func:`atomic_path` or :func:`atomic_dir`: the content is
written to a temporary sibling and renamed into place only when complete (``os.replace`` is
atomic on POSIX and Windows within one filesystem). If anything fails, the temporary file is
removed and an earlier file at the target path is left untouched.

Guards, whoever the caller is:

* nothing is written inside ``data/raw/`` (:func:`linkage.paths.data_raw`, the user's inputs)
  unless the caller explicitly opens :func:`allow_raw_writes` (only ``linkage sample --out
  data/raw/sample --force``, i.e. ``make sample``, does);
* a target that is a folder, or whose folder cannot be created or written, gives one
  :class:`~linkage.errors.OutputError` (exit code 2) instead of an ``OSError`` traceback;
* with ``overwrite=False`` an existing target is refused (the user must say ``--force``);
* with ``lock=True`` concurrent writers of the same target are serialised by a lock file
  (``.<name>.lock`` beside it, :mod:`filelock`), the existence check happens under the lock,
  and temporary files left by a killed writer of that target are removed first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from linkage.errors import OutputError

__all__ = ["allow_raw_writes", "atomic_dir", "atomic_path", "atomic_write_text",
           "check_output_target"]

_RAW_ALLOWED: ContextVar[bool] = ContextVar("linkage_raw_writes", default=False)

#: Seconds a writer waits for another writer of the same target before giving up.
LOCK_TIMEOUT = 600.0


def _default_mode(base: int) -> int:
    """``base`` less the process umask: the mode ``open``/``mkdir`` would give a new file.

    ``tempfile`` creates private (0600/0700) files; outputs should get ordinary permissions.
    """
    mask = os.umask(0)
    os.umask(mask)
    return base & ~mask


@contextlib.contextmanager
def allow_raw_writes() -> Iterator[None]:
    """Let the code inside write into ``data/raw/`` (regenerating the bundled sample only)."""
    token = _RAW_ALLOWED.set(True)
    try:
        yield
    finally:
        _RAW_ALLOWED.reset(token)


def check_output_target(target: str | os.PathLike[str], *, folder: bool = False) -> Path:
    """Refuse a target inside ``data/raw`` or of the wrong type; return it as a Path.

    Raises
    ------
    OutputError
        Target inside ``data/raw/`` (outside :func:`allow_raw_writes`), a file target that is
        an existing folder, or a folder target that is an existing file.
    """
    from linkage.paths import data_raw, is_within

    target = Path(target)
    if not _RAW_ALLOWED.get() and is_within(target, [data_raw()]):
        raise OutputError(
            "不能写入 data/raw/（原始数据目录只读）/ the kit never writes inside data/raw",
            file=target, hint="请用 --out 指定其他目录，例如 data/processed 或 reports")
    if not folder and target.is_dir():
        raise OutputError("输出路径是一个已有的文件夹，不是文件 / output path is a folder",
                          file=target, hint="请给出文件名，例如 -o 文件夹/模板.xlsx")
    if folder and target.exists() and not target.is_dir():
        raise OutputError("输出路径是一个已有的文件，不是文件夹 / output path is a file",
                          file=target, hint="请给出文件夹路径")
    return target


def _os_error(exc: OSError, target: Path) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    return OutputError(
        f"无法写入输出：{reason} / cannot write the output", file=exc.filename or target,
        hint="检查输出文件夹是否存在、可写，路径中是否有同名文件")


def _make_parent(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(exc, target) from exc


def _sweep(target: Path) -> None:
    """Remove temporary files a killed writer of ``target`` left (caller holds the lock)."""
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


@contextlib.contextmanager
def _maybe_lock(target: Path, lock: bool) -> Iterator[None]:
    if not lock:
        yield
        return
    from filelock import FileLock, Timeout

    try:
        with FileLock(target.parent / f".{target.name}.lock", timeout=LOCK_TIMEOUT):
            _sweep(target)
            yield
    except Timeout as exc:
        raise OutputError("另一个进程正在写同一个输出 / another process is writing this output",
                          file=target, hint="稍后重试") from exc
    except PermissionError as exc:
        raise _os_error(exc, target) from exc


def _refuse_existing(target: Path, overwrite: bool) -> None:
    if not overwrite and (target.exists() or target.is_symlink()):
        raise OutputError("输出已存在，未覆盖 / output exists, not replaced", file=target,
                          hint="确认要替换时加 --force（Python：overwrite=True），或换一个名称")


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, overwrite: bool = True,
                lock: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` on success.

    Parameters
    ----------
    target : path-like
        The file to write (never inside ``data/raw/``, see module docstring).
    overwrite : bool, default True
        Replace an existing ``target``; False refuses it with an OutputError.
    lock : bool, default False
        Serialise writers of ``target`` with a lock file and clean up their leftovers.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "x.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (d / "x.txt").read_text()
    'done'
    """
    target = check_output_target(target)
    _make_parent(target)
    with _maybe_lock(target, lock):
        _refuse_existing(target, overwrite)
        try:
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                            suffix=".tmp")
        except OSError as exc:
            raise _os_error(exc, target) from exc
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            yield tmp
            os.chmod(tmp, _default_mode(0o666))
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise _os_error(exc, target) from exc
        finally:
            if tmp.exists():
                tmp.unlink()


def atomic_write_text(target: str | os.PathLike[str], text: str, *,
                      overwrite: bool = True) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically and return the path."""
    with atomic_path(target, overwrite=overwrite) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary directory beside ``target``; rename it to ``target`` on success.

    ``target`` must not exist yet (report runs get fresh folders); on failure the temporary
    directory is deleted and nothing appears at ``target``.
    """
    target = check_output_target(target, folder=True)
    if target.exists():
        raise OutputError("输出文件夹已存在 / output folder exists", file=target,
                          hint="换一个名称（--run-id），或先删除该文件夹")
    _make_parent(target)
    try:
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=".tmp"))
    except OSError as exc:
        raise _os_error(exc, target) from exc
    try:
        yield tmp
        os.chmod(tmp, _default_mode(0o777))
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise _os_error(exc, target) from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
