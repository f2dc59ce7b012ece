"""Where a robustness run's batches are solved: in this process, a local process pool, or a
Dask cluster. An engine takes tasks in order and yields their batches in order, so the
outcome never depends on the engine or the number of workers. One engine serves every
phase of a run (the pool starts once)."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator

from analysis.model.robustness.batches import Batch, Task, solve_batch, solve_task, worker_model


class Engine:
    """``Engine(workers)``: in this process (1 worker) or a local process pool."""

    # Starting the pool costs its workers' imports (about 1,5 s on the development machine),
    # and in a notebook kernel its shutdown as much again: work that would take less than
    # this in this process stays here.
    POOL_WORTH = 3.0
    # A batch of runs is one task for a worker. Ten fast runs per task keep the pool's
    # overhead small; a run slower than this goes alone, so that every worker has work even
    # when only a few draws are asked for (a 50-need register: seconds a draw).
    SLOW_RUN = 0.05

    def __init__(self, workers: int = 1):
        self.workers = max(1, min(workers, os.cpu_count() or 1))
        self._pool = None
        self._per_run: float | None = None  # seconds per run, measured in this process

    @property
    def measuring(self) -> bool:
        """Nothing has been solved yet to tell how long a run takes."""
        return self._per_run is None and self._pool is None

    def batch_size(self) -> int:
        return 1 if self._per_run is not None and self._per_run >= self.SLOW_RUN else 10

    def imap(self, tasks: list[Task], remaining: int | None = None) -> Iterator[Batch]:
        """The batches in order. ``remaining``: runs left in the phase, these included.
        The first batch ever is solved here, to measure; the rest go to the pool when the
        work left is worth starting it."""
        remaining = remaining if remaining is not None else sum(len(t) for t in tasks)
        if self.workers == 1 or len(tasks) <= 1:
            yield from self._here(tasks)
            return
        if self._pool is None and self._per_run is None:
            yield from self._here(tasks[:1])
            remaining -= len(tasks[0])
            tasks = tasks[1:]
        if self._pool is None and remaining * self._per_run < self.POOL_WORTH:
            yield from self._here(tasks)
            return
        if self._pool is None:
            # forkserver, not fork: HiGHS keeps a thread pool, and forking a process that already
            # solved something (a notebook kernel, a test run) can deadlock the children.
            self._pool = multiprocessing.get_context("forkserver").Pool(self.workers)
        yield from self._pool.imap(solve_batch, tasks)

    def _here(self, tasks: list[Task]) -> Iterator[Batch]:
        for task in tasks:
            # the phase's model is built once per job: what a run costs is measured without it
            # (counted in, the build of a 14-need model made 200 quick runs look worth a pool)
            worker_model(task.job)
            began = time.perf_counter()
            result = solve_batch(task)
            self._per_run = (time.perf_counter() - began) / max(len(task), 1)
            yield result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class DaskEngine(Engine):
    """The batches on a Dask distributed cluster (``scheduler``: its address, e.g.
    ``tcp://10.0.0.5:8786``, or a ``distributed.Client``). The job is scattered to every
    worker once per phase, so any worker can take any batch; batches are gathered in
    submission order."""

    def __init__(self, scheduler):
        from distributed import Client

        self._own = not isinstance(scheduler, Client)
        self.client = Client(scheduler, timeout="10s") if self._own else scheduler
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self._pool = None
        self._per_run = None
        self._token: str | None = None
        self._shared = None

    @property
    def measuring(self) -> bool:
        return False  # the cluster is there to be used: nothing is solved here

    def batch_size(self) -> int:
        return 10

    def imap(self, tasks: list[Task], remaining: int | None = None) -> Iterator[Batch]:
        if not tasks:
            return iter(())
        job = tasks[0].job
        # the job (problem and register) is scattered once per phase, not pickled with every batch
        if self._token != job.token:
            self._token, self._shared = job.token, self.client.scatter(job, broadcast=True)
        futures = [self.client.submit(solve_task, self._shared, t.varied, t.rows, pure=False) for t in tasks]
        return (future.result() for future in futures)

    def close(self) -> None:
        if self._own:
            self.client.close()
