"""The kit's Jupyter kernel and JupyterLab (教学内核与 JupyterLab).

The teaching notebooks declare the kernel ``linkage``; :func:`ensure_kernel` installs its spec
into the project environment (``sys.prefix/share/jupyter/kernels/linkage``, never the user's
home), pointing at this environment's Python, and :func:`run_lab` (``linkage lab``, ``make
lab``) starts JupyterLab on ``notebooks/`` with that kernel registered and nothing fetched
from the network (no news feed, no update check, no extension manager queries).

:func:`execute_teaching` runs a teaching notebook as the kit does everywhere (papermill through
:func:`~linkage.reporting.executors.execute_with_papermill`), on the ``linkage`` kernel with
the interactive controls in their static form.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["DISPLAY_NAME", "KERNEL_NAME", "ensure_kernel", "execute_teaching",
           "kernel_spec_dir", "lab_arguments", "run_lab", "static_widgets"]

#: Name of the kit's kernel spec (the teaching notebooks' ``kernelspec.name``).
KERNEL_NAME = "linkage"
#: What JupyterLab shows in its launcher and kernel picker.
DISPLAY_NAME = "linkage（巩固拓展衔接）"


def kernel_spec_dir(prefix: str | os.PathLike[str] | None = None) -> Path:
    """Folder of the ``linkage`` kernel spec in the environment ``prefix`` (default
    ``sys.prefix``)."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def _is_current(spec_dir: Path) -> bool:
    try:
        spec = json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    argv = spec.get("argv") or [""]
    # not resolved: a venv's python is a symlink to the base interpreter, which lacks the kit
    return spec.get("display_name") == DISPLAY_NAME and argv[0] == sys.executable


def ensure_kernel(prefix: str | os.PathLike[str] | None = None) -> Path:
    """Install the ``linkage`` kernel spec into ``prefix`` unless it is already current.

    Idempotent: a spec whose Python is this interpreter and whose display name is
    :data:`DISPLAY_NAME` is left alone; a missing or stale one (the environment was moved or
    rebuilt) is (re)written.

    Parameters
    ----------
    prefix : path-like, optional
        Environment prefix; default ``sys.prefix`` (the project's ``.venv``).

    Returns
    -------
    Path
        The kernel spec folder (holding ``kernel.json``).
    """
    from ipykernel.kernelspec import install

    from linkage.errors import OutputError

    spec_dir = kernel_spec_dir(prefix)
    if _is_current(spec_dir):
        return spec_dir
    try:
        install(kernel_name=KERNEL_NAME, display_name=DISPLAY_NAME,
                prefix=str(prefix or sys.prefix))
    except OSError as exc:
        raise OutputError(f"无法注册内核 linkage：{exc.strerror or exc} / cannot install the "
                          "kernel spec", file=spec_dir,
                          hint="检查项目环境 .venv 是否可写（重建：make clean-env && make env）"
                          ) from exc
    return spec_dir


def lab_arguments(*, port: int | None = None, browser: bool = True,
                  root: str | os.PathLike[str] | None = None) -> list[str]:
    """Command-line arguments of JupyterLab as ``linkage lab`` starts it.

    Offline: no news feed (``LabApp.news_url=None``), no update check
    (``NeverCheckForUpdate``), a read-only extension manager (no PyPI queries). Opens on the
    teaching notebooks' folder when there is one. Adds ``--allow-root`` when run as root (CI,
    containers): JupyterLab refuses to start as root otherwise.
    """
    from linkage.paths import notebooks_dir

    folder = Path(root) if root is not None else notebooks_dir()
    args = [f"--ServerApp.root_dir={folder}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            f"--ServerApp.open_browser={browser}",
            f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}"]
    if (folder / "teaching").is_dir():
        args.append("--LabApp.default_url=/lab/tree/teaching")
    if port is not None:
        args.append(f"--ServerApp.port={port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--ServerApp.allow_root=True")
    return args


def run_lab(*, port: int | None = None, browser: bool = True,
            extra: Sequence[str] = ()) -> int:
    """Register the kernel and run JupyterLab here until it is stopped (``linkage lab``).

    Returns JupyterLab's exit status.
    """
    from jupyterlab.labapp import LabApp

    ensure_kernel()
    try:
        LabApp.launch_instance(argv=[*lab_arguments(port=port, browser=browser), *extra])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0


@contextlib.contextmanager
def static_widgets() -> Iterator[None]:
    """Kernels started inside this block show interactive figures in their static form
    (``LINKAGE_WIDGETS=static``, see :func:`linkage.teaching.widgets.widgets_mode`)."""
    before = os.environ.get("LINKAGE_WIDGETS")
    os.environ["LINKAGE_WIDGETS"] = "static"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("LINKAGE_WIDGETS", None)
        else:
            os.environ["LINKAGE_WIDGETS"] = before


def execute_teaching(notebook: str | os.PathLike[str], output: str | os.PathLike[str],
                     parameters: Mapping[str, Any] | None = None, *,
                     timeout: float | None = None) -> Path:
    """Execute a teaching notebook on the ``linkage`` kernel (papermill, the kit's engine).

    Registers the kernel when needed; interactive figures are drawn once, statically.

    Parameters
    ----------
    notebook, output : path-like
        The teaching notebook and where the executed copy goes.
    parameters : mapping, optional
        Papermill parameters (default: the notebook's own).
    timeout : float, optional
        Per-cell limit in seconds.

    Raises
    ------
    NotebookFailed
        A cell raised or timed out (the partial notebook is kept at ``output``).
    """
    from linkage.reporting.executors import execute_with_papermill

    ensure_kernel()
    with static_widgets():
        execute_with_papermill(Path(notebook), Path(output), parameters or {},
                               timeout=timeout, kernel_name=KERNEL_NAME)
    return Path(output)
