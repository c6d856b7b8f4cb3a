"""The Dask executor (分布式执行器): a batch on a Dask distributed cluster.

The same run config runs on one machine or many: :class:`DaskExecutor` connects to a
``distributed`` scheduler by address (started on a workstation with ``dask scheduler`` /
``dask worker``, or on Kubernetes and HPC job schedulers with dask-kubernetes and
dask-jobqueue), or, without an address, starts a local cluster of worker processes. Every job
is submitted as ``task(job, runner)``; each worker thread makes its runner once (a warm kernel
by default) and keeps it for all the jobs it gets; the runners are closed when the worker shuts
down. Results come back as they finish (``distributed.as_completed``); a job that raised yields
its exception, so one failure never stops the batch.

Workers need the kit installed (same version) and must see the input and output folders at the
same paths (a shared file system), since tasks read the inputs and write the reports there.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from distributed import Client, LocalCluster, WorkerPlugin, as_completed

from linkage.errors import InputError
from linkage.reporting.executors import NotebookRunner, PapermillRunner

__all__ = ["RUNNERS", "DaskExecutor"]

J = TypeVar("J")
R = TypeVar("R")


def _warm_runner() -> NotebookRunner:
    from linkage.reporting.kernels import WarmRunner

    return WarmRunner()


#: Runner kinds of :class:`DaskExecutor` by name.
RUNNERS: dict[str, Callable[[], NotebookRunner]] = {"warm": _warm_runner,
                                                    "cold": PapermillRunner}

# the runners of this worker process, one per (maker, thread): a runner is not thread-safe.
# The maker arrives unpickled with every task, so it is known by its pickle, not its identity.
_RUNNERS: dict[tuple[bytes, int], NotebookRunner] = {}
_LOCK = threading.Lock()


def _runner(make_runner: Callable[[], NotebookRunner]) -> NotebookRunner:
    key = (pickle.dumps(make_runner), threading.get_ident())
    with _LOCK:
        if key not in _RUNNERS:
            _RUNNERS[key] = make_runner()
        return _RUNNERS[key]


def _on_worker(task: Callable[[J, NotebookRunner], R], job: J,
               make_runner: Callable[[], NotebookRunner]) -> R:
    return task(job, _runner(make_runner))


class CloseRunners(WorkerPlugin):
    """Closes this worker's runners (kills their kernels) when the worker shuts down."""

    name = "linkage-close-runners"

    def teardown(self, worker: Any) -> None:
        with _LOCK:
            runners = list(_RUNNERS.values())
            _RUNNERS.clear()
        for runner in runners:
            runner.close()


class DaskExecutor:
    """Run tasks on a Dask distributed cluster.

    Parameters
    ----------
    workers : int, default 1
        Worker processes of the local cluster started when no ``scheduler`` is given (one
        thread each); ignored with a scheduler (the cluster has its own workers).
    scheduler : str, optional
        Address of a running scheduler, e.g. ``"tcp://10.0.0.5:8786"``.
    runner : {"warm", "cold"} or callable, default "warm"
        The runner each worker thread makes once: a warm kernel
        (:class:`~linkage.reporting.kernels.WarmRunner`) or a cold papermill runner; or a
        picklable callable returning a runner.

    Examples
    --------
    >>> executor = DaskExecutor(scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
    >>> for job, result in executor.map(run_region, jobs): ...  # doctest: +SKIP
    """

    def __init__(self, *, workers: int = 1, scheduler: str | None = None,
                 runner: str | Callable[[], NotebookRunner] = "warm") -> None:
        if workers < 1:
            raise InputError(f"workers 须 ≥ 1 / workers must be at least 1, got {workers}",
                             hint="--workers 1 或更大")
        if isinstance(runner, str):
            if runner not in RUNNERS:
                raise InputError(f"未知的运行方式 “{runner}” / unknown runner {runner!r}",
                                 hint=f"可选 / choose one of: {', '.join(RUNNERS)}")
            runner = RUNNERS[runner]
        self.make_runner = runner
        self._cluster: LocalCluster | None = None
        if scheduler:
            try:
                self._client = Client(scheduler, timeout="30s")
            except OSError as exc:
                raise InputError(f"无法连接 Dask 调度器 {scheduler} / cannot reach the "
                                 f"scheduler: {exc}",
                                 hint="检查 --scheduler 地址与调度器是否在运行") from exc
        else:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                         processes=True, dashboard_address=None)
            self._client = Client(self._cluster)
        self._client.register_plugin(CloseRunners())

    def map(self, task: Callable[[J, NotebookRunner], R], jobs: Sequence[J],
            ) -> Iterator[tuple[J, R | BaseException]]:
        """Submit ``task(job, runner)`` per job; yield ``(job, result or exception)`` as done."""
        futures = {self._client.submit(_on_worker, task, job, self.make_runner, pure=False): job
                   for job in jobs}
        for future in as_completed(futures):
            job = futures.pop(future)
            try:
                result: R | BaseException = future.result()
            except Exception as exc:  # the job's own exception, or its loss with a worker
                result = exc
            future.release()
            yield job, result

    def close(self) -> None:
        """Close the client, and the local cluster if this executor started it."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
