"""Executors (执行器): where and how the notebooks of a batch run.

Two small interfaces keep the batch logic independent of where it runs:

- a :class:`NotebookRunner` executes one parameterised notebook into an output notebook
  (:class:`PapermillRunner`: a fresh kernel per notebook, as papermill does;
  :class:`~linkage.reporting.kernels.WarmRunner`: one live kernel with the imports done, a
  fresh namespace per notebook, byte-identical results);
- an :class:`Executor` maps a *task* — a module-level function ``task(job, runner)``, e.g. one
  region report — over jobs and yields ``(job, result)`` pairs as they finish, in completion
  order. A task that raises yields ``(job, exception)``; the executor itself never stops the
  batch for one job.

:func:`make_executor` builds an executor by name from :data:`EXECUTORS`:

- ``local`` runs the tasks in this process (``workers=1``) or in a pool of worker processes,
  each with its own cold runner;
- ``warm`` is the same with a :class:`~linkage.reporting.kernels.WarmRunner` per worker;
- ``dask`` submits the tasks to a Dask distributed cluster (``scheduler`` address; without one
  a local cluster of ``workers`` processes), one runner per worker thread
  (:class:`~linkage.reporting.cluster.DaskExecutor`).

Both runners execute through papermill with the kit's engine (:func:`execute_with_papermill`):
a cell that times out or a kernel that dies is marked in the output notebook like a cell that
raised, and kernels are killed at once when done (papermill's graceful shutdown stalls ~3 s
in a few per cent of runs).

When a notebook fails, :class:`NotebookFailed` says which notebook and cell, keeps the partly
executed notebook (papermill marks the failing cell) and carries exit code 2 when the error was
the user's input (an :class:`~linkage.errors.InputError` raised inside the notebook).
"""

from __future__ import annotations

import functools
import multiprocessing.util
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Protocol, TypeVar

from linkage.errors import InputError, ReportError

__all__ = [
    "EXECUTORS",
    "Executor",
    "LocalExecutor",
    "NotebookFailed",
    "NotebookRunner",
    "PapermillRunner",
    "execute_with_papermill",
    "make_executor",
]

J = TypeVar("J")
R = TypeVar("R")

#: Names of the kit's input errors, as papermill reports an exception raised inside a notebook.
INPUT_ERRORS = frozenset(cls.__name__ for cls in (InputError, *InputError.__subclasses__()))

#: Kernel start-up chatter (transport warnings) stays off the user's console.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",)


class NotebookFailed(ReportError):
    """A notebook raised: which notebook, which cell, what, and where the partial copy is."""

    def __init__(self, notebook: Path, cell: int | None, ename: str, evalue: str,
                 partial: Path | None) -> None:
        self.notebook, self.cell, self.ename, self.evalue, self.partial = (
            notebook, cell, ename, evalue, partial)
        where = f"第 {cell} 个单元格 / cell {cell}" if cell is not None else "执行 / execution"
        kept = f" — 出错的笔记本已保存 / partial notebook kept at {partial}" if partial else ""
        super().__init__(f"{notebook.name} {where}: {ename}: {evalue}{kept}")
        if ename in INPUT_ERRORS:  # bad data or parameters: the user's input, exit 2
            self.exit_code = InputError.exit_code

    def __reduce__(self) -> tuple[Any, ...]:  # crosses process boundaries (pools, Dask)
        return type(self), (self.notebook, self.cell, self.ename, self.evalue, self.partial)


class NotebookRunner(Protocol):
    """Executes one notebook with parameters into ``output`` (raises :class:`NotebookFailed`)."""

    def execute(self, notebook: Path, output: Path, parameters: Mapping[str, Any], *,
                timeout: float | None = None) -> None: ...

    def close(self) -> None: ...


#: Name of the kit's papermill engine (registered by :func:`execute_with_papermill`).
ENGINE = "linkage"


def _mark_interrupted(nb_man: Any, exc: BaseException, timeout: float | None) -> None:
    """Mark the cell that was running when a cell timed out or the kernel died."""
    import nbformat

    started = [c for c in nb_man.nb.cells
               if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    if not started:
        return
    cell = started[-1]
    if type(exc).__name__ == "CellTimeoutError":
        evalue = f"单元格运行超过 {timeout} 秒 / the cell ran longer than {timeout} s"
    else:
        evalue = f"内核意外退出 / the kernel died: {exc}"
    cell.outputs.append(nbformat.v4.new_output("error", ename=type(exc).__name__,
                                               evalue=evalue, traceback=[evalue]))
    nb_man.cell_exception(cell)


def _register_engine() -> None:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines
    from papermill.log import logger

    class KitEngine(Engine):
        """papermill's nbclient engine on a given kernel (``km``) or a new one; kills it fast."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, *, km: Any = None,
                                     kc: Any = None, execution_timeout: float | None = None,
                                     start_timeout: float = 60,
                                     extra_arguments: Sequence[str] = (), **_: Any) -> Any:
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger, extra_arguments=list(extra_arguments),
                shutdown_kernel="immediate")
            client.kc = kc  # a connected client of km: used as is, left open
            try:
                client.execute()
            except (CellTimeoutError, DeadKernelError) as exc:
                _mark_interrupted(nb_man, exc, execution_timeout)
            return nb_man.nb

    papermill_engines.register(ENGINE, KitEngine)


def execute_with_papermill(notebook: Path, output: Path, parameters: Mapping[str, Any], *,
                           timeout: float | None = None, km: Any = None, kc: Any = None,
                           kernel_name: str = "python3") -> None:
    """Parameterise and execute ``notebook`` into ``output`` with papermill.

    On a new kernel ``kernel_name`` (``python3``; the teaching notebooks use the kit's
    ``linkage``) in the notebook's folder (``km=None``), or on the running
    kernel of the kernel manager ``km`` (whose working directory the caller has set) through
    its connected asynchronous client ``kc``.

    Raises
    ------
    NotebookFailed
        A cell raised or ran longer than ``timeout`` seconds, or the kernel died; ``output``
        holds the partial notebook with the failing cell marked.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _register_engine()
    notebook, output = Path(notebook), Path(output)
    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=dict(parameters),
            cwd=None if km is not None else str(notebook.parent), kernel_name=kernel_name,
            engine_name=ENGINE, progress_bar=False, log_output=False, report_mode=False,
            request_save_on_cell_execute=False, execution_timeout=timeout,
            extra_arguments=list(KERNEL_ARGUMENTS), km=km, kc=kc,
        )
    except PapermillExecutionError as exc:
        raise NotebookFailed(notebook, exc.exec_count, exc.ename, exc.evalue,
                             output if output.exists() else None) from exc


class PapermillRunner:
    """A cold runner: papermill with a fresh ``python3`` kernel per notebook.

    ``timeout`` is the per-cell execution timeout in seconds (``None``: no limit). On failure
    the partial notebook is written to ``output`` with the failing cell marked; it stays there
    and :class:`NotebookFailed` points at it.
    """

    def execute(self, notebook: Path, output: Path, parameters: Mapping[str, Any], *,
                timeout: float | None = None) -> None:
        execute_with_papermill(notebook, output, parameters, timeout=timeout)

    def close(self) -> None:
        """Nothing to release: every notebook had its own kernel."""


class Executor(Protocol):
    """Maps ``task(job, runner)`` over jobs, yielding ``(job, result or exception)``."""

    def map(self, task: Callable[[J, NotebookRunner], R], jobs: Sequence[J],
            ) -> Iterator[tuple[J, R | BaseException]]: ...

    def close(self) -> None: ...


# one runner per worker process, made by the pool's initializer
_WORKER_RUNNER: NotebookRunner | None = None


def _init_worker(make_runner: Callable[[], NotebookRunner]) -> None:
    global _WORKER_RUNNER
    _WORKER_RUNNER = make_runner()
    # pool workers leave through os._exit (no atexit): release the runner (kernels) on the way
    multiprocessing.util.Finalize(None, _WORKER_RUNNER.close, exitpriority=10)


def _in_worker(task: Callable[[J, NotebookRunner], R], job: J) -> R:
    assert _WORKER_RUNNER is not None, "worker started without a runner"
    return task(job, _WORKER_RUNNER)


class LocalExecutor:
    """Run tasks here (``workers=1``) or in ``workers`` local processes.

    Parameters
    ----------
    workers : int, default 1
        Number of worker processes; 1 runs in this process, in job order.
    make_runner : callable, default :class:`PapermillRunner`
        Makes the runner of each worker (and of this process when ``workers=1``).
    """

    def __init__(self, *, workers: int = 1,
                 make_runner: Callable[[], NotebookRunner] = PapermillRunner) -> None:
        if workers < 1:
            raise InputError(f"workers 须 ≥ 1 / workers must be at least 1, got {workers}",
                             hint="--workers 1 或更大")
        self.workers, self.make_runner = workers, make_runner
        self._runner: NotebookRunner | None = None
        self._pool: ProcessPoolExecutor | None = None

    def map(self, task: Callable[[J, NotebookRunner], R], jobs: Sequence[J],
            ) -> Iterator[tuple[J, R | BaseException]]:
        if self.workers == 1:
            if self._runner is None:
                self._runner = self.make_runner()
            for job in jobs:
                try:
                    yield job, task(job, self._runner)
                except Exception as exc:  # one job's failure is its result
                    yield job, exc
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_init_worker,
                                             initargs=(self.make_runner,))
        pending: dict[Future[R], J] = {self._pool.submit(_in_worker, task, job): job
                                       for job in jobs}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                error = future.exception()
                yield job, (error if error is not None else future.result())

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def warm_executor(*, workers: int = 1, recycle_every: int | None = 50) -> LocalExecutor:
    """A :class:`LocalExecutor` whose workers run notebooks on warm kernels.

    ``recycle_every``: notebooks per kernel before a new one is started (see
    :class:`~linkage.reporting.kernels.WarmRunner`).
    """
    from linkage.reporting.kernels import WarmRunner

    return LocalExecutor(workers=workers,
                         make_runner=functools.partial(WarmRunner, recycle_every=recycle_every))


def dask_executor(*, workers: int = 1, scheduler: str | None = None, runner: str = "warm",
                  **options: Any) -> Executor:
    """A :class:`~linkage.reporting.cluster.DaskExecutor` (imports Dask only when asked for)."""
    from linkage.reporting.cluster import DaskExecutor

    return DaskExecutor(workers=workers, scheduler=scheduler, runner=runner, **options)


#: Executors by name (``linkage run --executor``).
EXECUTORS: dict[str, Callable[..., Executor]] = {
    "local": LocalExecutor, "warm": warm_executor, "dask": dask_executor,
}


def make_executor(name: str = "local", *, workers: int = 1, scheduler: str | None = None,
                  **options: Any) -> Executor:
    """An executor by name (``local``, ``warm``, ``dask``).

    ``scheduler`` is the address of a distributed scheduler (``dask``); further keyword
    ``options`` go to the executor (e.g. ``recycle_every`` for ``warm``, ``runner`` for
    ``dask``).
    """
    if name not in EXECUTORS:
        raise InputError(f"未知的执行器 “{name}” / unknown executor {name!r}",
                         hint=f"可选 / choose one of: {', '.join(EXECUTORS)}")
    if scheduler is not None:
        if name != "dask":
            raise InputError(f"执行器 {name} 不使用调度器地址 / executor {name!r} takes no "
                             "scheduler address", hint="--scheduler 只用于 --executor dask")
        options["scheduler"] = scheduler
    return EXECUTORS[name](workers=workers, **options)
