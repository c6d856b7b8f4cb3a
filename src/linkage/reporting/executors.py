"""Executors (执行器): where and how the notebooks of a batch run.

Two small interfaces keep the batch logic independent of where it runs:

- a :class:`NotebookRunner` executes one parameterised notebook into an output notebook
  (:class:`PapermillRunner`: a fresh kernel per notebook, as papermill does);
- an :class:`Executor` maps a *task* — a module-level function ``task(job, runner)``, e.g. one
  region report — over jobs and yields ``(job, result)`` pairs as they finish, in completion
  order. A task that raises yields ``(job, exception)``; the executor itself never stops the
  batch for one job.

:func:`make_executor` builds an executor by name from :data:`EXECUTORS`: ``local`` runs the
tasks in this process (``workers=1``) or in a pool of worker processes, each with its own
runner.

When a notebook fails, :class:`NotebookFailed` says which notebook and cell, keeps the partly
executed notebook (papermill marks the failing cell) and carries exit code 2 when the error was
the user's input (an :class:`~linkage.errors.InputError` raised inside the notebook).
"""

from __future__ import annotations

import os
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


class NotebookRunner(Protocol):
    """Executes one notebook with parameters into ``output`` (raises :class:`NotebookFailed`)."""

    def execute(self, notebook: Path, output: Path, parameters: Mapping[str, Any], *,
                timeout: float | None = None) -> None: ...

    def close(self) -> None: ...


class PapermillRunner:
    """A cold runner: papermill with a fresh ``python3`` kernel per notebook.

    ``timeout`` is papermill's per-cell execution timeout in seconds (``None``: no limit).
    On failure papermill has written the partial notebook to ``output`` with the failing cell
    marked; it stays there and :class:`NotebookFailed` points at it.
    """

    def execute(self, notebook: Path, output: Path, parameters: Mapping[str, Any], *,
                timeout: float | None = None) -> None:
        import papermill
        from papermill.exceptions import PapermillExecutionError

        try:
            papermill.execute_notebook(
                str(notebook), str(output), parameters=dict(parameters),
                cwd=str(notebook.parent), kernel_name="python3", progress_bar=False,
                log_output=False, report_mode=False, request_save_on_cell_execute=False,
                execution_timeout=timeout, extra_arguments=list(KERNEL_ARGUMENTS),
            )
        except PapermillExecutionError as exc:
            raise NotebookFailed(notebook, exc.exec_count, exc.ename, exc.evalue,
                                 output if output.exists() else None) from exc

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


#: Executors by name (``linkage run --executor``).
EXECUTORS: dict[str, Callable[..., Executor]] = {"local": LocalExecutor}


def make_executor(name: str = "local", *, workers: int = 1, scheduler: str | None = None,
                  ) -> Executor:
    """An executor by name (``local`` …); ``scheduler`` is for distributed executors."""
    if name not in EXECUTORS:
        raise InputError(f"未知的执行器 “{name}” / unknown executor {name!r}",
                         hint=f"可选 / choose one of: {', '.join(EXECUTORS)}")
    options: dict[str, Any] = {"workers": workers}
    if scheduler is not None:
        options["scheduler"] = scheduler
    return EXECUTORS[name](**options)


def cpu_workers() -> int:
    """A sensible default number of workers: the CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
