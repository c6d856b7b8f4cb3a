"""Warm kernels (预热内核): notebooks run on a live kernel whose imports are already done.

A cold run (:class:`~linkage.reporting.executors.PapermillRunner`) starts a kernel per notebook
and imports pandas, matplotlib, statsmodels and the kit again each time: about 1 s of start-up
and 0.7–1.9 s of imports per notebook, before any work. :class:`WarmRunner` keeps one IPython
kernel alive per worker, imports :data:`PRELOAD` once, and runs each notebook in a fresh
namespace on it. The notebook is parameterised and executed by papermill on that kernel, so the
output notebook is a papermill notebook (injected-parameters cell, papermill metadata, the
failing cell marked) and results are byte-identical to a cold run (tested: figures, tables,
saved section files).

What a fresh namespace does not undo, :func:`reset_kernel` restores before every notebook to
the state the kernel had right after its imports (the *baseline*, taken once):

- the user namespace, ``In``/``Out`` history and the execution counter (IPython's
  ``reset(new_session=True)``: cell numbers start at 1 as in a new kernel);
- matplotlib: every open figure closed, ``rcParams`` (``setup_cjk`` and any notebook styling)
  and the units registry back to the baseline;
- the working directory (the notebook's folder, as papermill's ``cwd``), ``sys.path``,
  environment variables;
- warnings filters and the "warn once" registries (a warning shown by one notebook is shown
  again by the next, as in a new kernel);
- numpy print options and floating-point error handling, pandas options, the root logger;
- the global random states of ``random`` and ``numpy.random`` (the kit seeds its own
  generators, ``checks.SEED``; this keeps any global use repeatable run after run);
- module-level caches of the kit: each is reviewed in :data:`REVIEWED_CACHES` (all of today's
  are keyed by file identity and hold immutable values or hand out copies, so they are kept —
  that is part of being warm); a new cache must be reviewed there (a test enforces it).

Modules imported by a notebook stay imported (their import-time side effects happen once per
kernel, as they do once per cold kernel). State a notebook plants *inside* third-party modules
(monkey-patching, custom IPython display formatters, threads) is not undone: the kernel is
recycled after every failure or timeout, and every ``recycle_every`` runs.

Kernels talk to this process over IPC sockets in a private temporary folder (not TCP), log
quietly, and are killed at once when closed (no graceful-shutdown wait). One client stays
connected per kernel, and the preloaded modules are frozen out of garbage collection
(``gc.freeze``), so a warm notebook costs ~0.03 s on top of its own cells, against ~1 s of
kernel start-up plus its imports for a cold one.
"""

from __future__ import annotations

import copy
import gc
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkage.errors import ReportError

__all__ = ["PRELOAD", "REVIEWED_CACHES", "WarmRunner", "reset_kernel"]

#: Modules imported once per warm kernel (a name ending in ``.*`` imports every submodule).
#: A module that is not installed is skipped.
PRELOAD: tuple[str, ...] = (
    "numpy", "pandas", "scipy.stats", "matplotlib.pyplot", "statsmodels.api", "pyfixest",
    "IPython.display", "linkage", "linkage.*", "linkage.sections.*",
    "linkage.evaluation.*", "linkage.reporting.*",
)

#: Module-level caches of the kit (``functools.cache``/``lru_cache``), reviewed for state
#: carried between notebooks: kept (warm) because the key identifies the input and the value is
#: immutable or copied before it is handed out.
REVIEWED_CACHES: dict[str, str] = {
    "linkage.datasets._read": "keyed by (path, mtime, size); load() returns a copy",
    "linkage.frameworks.loader._parse": "keyed by (YAML text, file); a frozen Framework",
    "linkage.synergy.scheme._parse": "keyed by (YAML text, file, frozen Framework); a frozen "
                                     "CodingScheme",
    "linkage.synergy.text._tokenizer": "keyed by (user dictionary path, mtime, size); the "
                                       "jieba tokenizer is only read by segment()",
    "linkage.synergy.text._default_stopwords": "the packaged stop-word list; a frozenset",
    "linkage.reporting.cache._file_digest": "keyed by (path, size, mtime); a str",
    "linkage.plotting._has_minus": "keyed by font path; a bool",
    "linkage.reporting.fonts._subset": "keyed by (weight, characters, engine); bytes",
    "linkage.reporting.inputs._inspect": "keyed by (path, size, mtime); callers copy the dict",
    "linkage.reporting.html._environment": "the Jinja2 environment: templates and filters "
                                           "only, no per-document state",
    "linkage.reporting.presentation._indicator_names": "names of the packaged default "
                                                       "framework (a package file); read only",
    # linkage.places: the shipped code table, change log and alias table, built once; the
    # public functions hand out copies, the private Series are only read (mapped)
    "linkage.places.codes._cached_spans": "the shipped code table; spans() returns a copy",
    "linkage.places.codes._cached_code_spans": "from the code table; code_spans() copies",
    "linkage.places.codes._cached_closure": "the change log's succession graph; closure() "
                                            "copies",
    "linkage.places.resolve._cached_aliases": "the packaged alias table; aliases() copies",
    "linkage.places.resolve._provinces": "province names → codes (packaged data); read only",
    "linkage.places.resolve._province_short": "province codes → short names; read only",
    "linkage.teaching.render.math_html": "keyed by (LaTeX source, display); an immutable str",
    "linkage.teaching.render._environment": "the Jinja2 environment of the handout template; "
                                            "no per-document state",
}

# the code run on the kernel: it imports this module there (cheap: no client-side imports at
# module level) and calls the kernel-side functions below
_PREPARE = "__import__('linkage.reporting.kernels', fromlist=['_']).prepare_kernel({modules!r})"
_RESET = "__import__('linkage.reporting.kernels', fromlist=['_']).reset_kernel({cwd!r})"


# --------------------------------------------------------------------------- kernel side

@dataclass(frozen=True)
class _Baseline:
    """Process state right after the preload imports (inside the kernel)."""

    rc: dict[str, Any]
    units: dict[Any, Any]
    warnings: list[Any]
    sys_path: list[str]
    environ: dict[str, str]
    numpy_print: dict[str, Any]
    numpy_err: dict[str, str]
    numpy_random: Any
    python_random: Any
    pandas: dict[str, Any]
    logging: tuple[int, list[Any], int]


_BASELINE: _Baseline | None = None


def _import_all(modules: Iterable[str]) -> None:
    import importlib
    import pkgutil

    for name in modules:
        package, star = (name[:-2], True) if name.endswith(".*") else (name, False)
        try:
            module = importlib.import_module(package)
        except ModuleNotFoundError as exc:
            if exc.name and package.startswith(exc.name):
                continue  # not installed here: the notebook will import it if it needs it
            raise
        if star:
            for info in pkgutil.iter_modules(module.__path__, f"{package}."):
                if not info.name.rsplit(".", 1)[-1].startswith("_"):
                    importlib.import_module(info.name)


def _pandas_options() -> dict[str, Any]:
    import warnings

    import pandas as pd
    from pandas._config import config

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {key: copy.deepcopy(pd.get_option(key)) for key in config._registered_options
                if key not in config._deprecated_options}


def _snapshot() -> _Baseline:
    import logging
    import random
    import sys
    import warnings

    import matplotlib as mpl
    import matplotlib.units
    import numpy as np

    root = logging.getLogger()
    return _Baseline(
        rc=copy.deepcopy(dict(mpl.rcParams)), units=dict(matplotlib.units.registry),
        warnings=list(warnings.filters), sys_path=list(sys.path), environ=dict(os.environ),
        numpy_print=np.get_printoptions(), numpy_err=np.geterr(),
        numpy_random=np.random.get_state(), python_random=random.getstate(),
        pandas=_pandas_options(),
        logging=(root.level, list(root.handlers), logging.root.manager.disable),
    )


def prepare_kernel(modules: Sequence[str]) -> None:
    """Import ``modules`` and record the baseline state (runs inside a warm kernel)."""
    global _BASELINE
    _import_all(modules)
    gc.collect()
    gc.freeze()  # the preloaded modules are permanent: collections skip them (faster resets)
    _BASELINE = _snapshot()


def reset_kernel(cwd: str) -> None:
    """Bring the kernel back to its baseline and enter ``cwd`` (runs inside a warm kernel).

    See the module docstring for what is restored and why.
    """
    import logging
    import random
    import sys
    import warnings

    import matplotlib as mpl
    import matplotlib.pyplot as plt
    import matplotlib.units
    import numpy as np
    import pandas as pd
    from IPython import get_ipython

    base = _BASELINE
    if base is None:
        raise RuntimeError("reset_kernel before prepare_kernel")
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # namespace, In/Out, execution counter back to 1
    plt.close("all")
    dict.update(mpl.rcParams, copy.deepcopy(base.rc))  # as matplotlib.rc_context restores
    matplotlib.units.registry.clear()
    matplotlib.units.registry.update(base.units)
    warnings.filters[:] = base.warnings
    warnings.onceregistry.clear()
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:  # invalidates every module's __warningregistry__
        mutated()
    sys.path[:] = base.sys_path
    if dict(os.environ) != base.environ:
        os.environ.clear()
        os.environ.update(base.environ)
    os.chdir(cwd)
    np.set_printoptions(**base.numpy_print)
    np.seterr(**base.numpy_err)
    np.random.set_state(base.numpy_random)
    random.setstate(base.python_random)
    now = _pandas_options()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, value in base.pandas.items():
            if now.get(key) != value:
                pd.set_option(key, value)
    root = logging.getLogger()
    root.setLevel(base.logging[0])
    root.handlers[:] = base.logging[1]
    logging.disable(base.logging[2])
    gc.collect()


# --------------------------------------------------------------------------- client side

def _shutdown(km: Any, folder: str) -> None:
    """Kill a kernel at once and remove its connection and socket files."""
    try:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    except Exception:  # already gone: nothing left to release but the files
        pass
    shutil.rmtree(folder, ignore_errors=True)


class WarmRunner:
    """A :class:`~linkage.reporting.executors.NotebookRunner` on one live, pre-imported kernel.

    Parameters
    ----------
    preload : sequence of str, default :data:`PRELOAD`
        Modules imported once per kernel (``pkg.*``: every submodule).
    recycle_every : int or None, default 50
        Start a new kernel after this many notebooks (``None``: only after failures).
    kernel_name : str, default ``"python3"``
    startup_timeout : float, default 120
        Seconds to wait for a kernel to start and finish its imports.

    Notes
    -----
    The kernel starts on the first :meth:`execute`. After a notebook fails (an exception in a
    cell, a cell timeout, the kernel dying) the kernel is killed at once and the next notebook
    gets a new one. :meth:`close` kills the kernel; so does the end of the interpreter or of a
    pool worker process.
    """

    def __init__(self, *, preload: Sequence[str] = PRELOAD, recycle_every: int | None = 50,
                 kernel_name: str = "python3", startup_timeout: float = 120) -> None:
        self.preload, self.recycle_every = tuple(preload), recycle_every
        self.kernel_name, self.startup_timeout = kernel_name, startup_timeout
        self.kernels_started = 0  # how many kernels this runner has started (recycling)
        self._km: Any = None
        self._kc: Any = None  # one client per kernel and thread (its sockets use the loop)
        self._thread = 0
        self._runs = 0
        self._finalizer: Any = None

    @property
    def connection_file(self) -> Path | None:
        """The running kernel's connection file (its IPC sockets sit beside it), or None."""
        return Path(self._km.connection_file) if self._km is not None else None

    # -- kernel lifetime
    def _start(self) -> None:
        from jupyter_client import KernelManager

        from linkage.reporting.executors import KERNEL_ARGUMENTS

        folder = tempfile.mkdtemp(prefix="linkage-kernel-")
        km = KernelManager(
            kernel_name=self.kernel_name, transport="ipc", ip=os.path.join(folder, "k"),
            connection_file=os.path.join(folder, "kernel.json"),
            client_class="jupyter_client.asynchronous.AsyncKernelClient",  # what nbclient drives
        )
        self._finalizer = weakref.finalize(self, _shutdown, km, folder)
        km.start_kernel(extra_arguments=[*KERNEL_ARGUMENTS,
                                         "--HistoryManager.hist_file=:memory:"],
                        cwd=folder)
        self._km, self._runs = km, 0
        self.kernels_started += 1
        self._run_quietly(_PREPARE.format(modules=list(self.preload)), self.startup_timeout)

    def _client(self) -> Any:
        """This thread's client of the kernel, connected once (a connection costs ~0.2 s)."""
        from jupyter_core.utils import run_sync

        if self._kc is not None and self._thread != threading.get_ident():
            self._kc.stop_channels()
            self._kc = None
        if self._kc is None:
            kc = self._km.client()
            kc.start_channels()
            run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
            self._kc, self._thread = kc, threading.get_ident()
        return self._kc

    def _stop(self) -> None:
        if self._kc is not None:
            self._kc.stop_channels()
            self._kc = None
        if self._finalizer is not None:
            self._finalizer()  # kills the kernel now, removes its files; runs at most once
        self._km, self._finalizer = None, None

    def _run_quietly(self, code: str, timeout: float) -> None:
        """Run ``code`` silently on the kernel; a failure kills the kernel and raises."""
        from jupyter_core.utils import run_sync

        async def run(kc: Any) -> dict[str, Any]:
            msg_id = kc.execute(code, silent=True, store_history=False)
            deadline = time.monotonic() + timeout
            while True:  # replies to other requests (none expected) are skipped
                reply = await kc.get_shell_msg(timeout=max(0.0, deadline - time.monotonic()))
                if reply["parent_header"].get("msg_id") == msg_id:
                    return reply["content"]

        try:
            content = run_sync(run)(self._client())
        except Exception as exc:  # no reply in time, or the kernel died
            self._stop()
            raise ReportError(f"预热内核无法使用 / warm kernel failed: {exc!r}") from exc
        if content["status"] != "ok":
            self._stop()
            raise ReportError("预热内核准备失败 / warm kernel set-up failed: "
                              f"{content.get('ename')}: {content.get('evalue')}")

    # -- the runner interface
    def execute(self, notebook: Path, output: Path, parameters: Mapping[str, Any], *,
                timeout: float | None = None) -> None:
        """Run ``notebook`` with ``parameters`` into ``output`` on the warm kernel.

        Raises
        ------
        NotebookFailed
            A cell raised or timed out, or the kernel died; ``output`` holds the partial
            notebook with the failing cell marked. The kernel is replaced before the next run.
        """
        from linkage.reporting.executors import execute_with_papermill

        notebook, output = Path(notebook), Path(output)
        if self._km is not None and (not self._km.is_alive() or (
                self.recycle_every is not None and self._runs >= self.recycle_every)):
            self._stop()
        reset = _RESET.format(cwd=str(notebook.resolve().parent))
        if self._km is None:
            self._start()
        try:
            self._run_quietly(reset, self.startup_timeout)
        except ReportError:  # the last notebook broke the reset itself: a new kernel
            self._start()
            self._run_quietly(reset, self.startup_timeout)
        self._runs += 1
        try:
            execute_with_papermill(notebook, output, parameters, timeout=timeout, km=self._km,
                                   kc=self._client())
        except BaseException:
            self._stop()  # whatever the notebook left behind goes with its kernel
            raise

    def close(self) -> None:
        """Kill the kernel now and remove its files (also done at interpreter exit)."""
        self._stop()
