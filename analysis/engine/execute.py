"""Running the map on every partition: in this process, on a local process pool, or on a
Dask cluster; the results always reach the reduce in partition order.

- ``local`` (the default): ``jobs`` worker processes (default: every core this process
  may use) started with the ``forkserver`` method (``spawn`` where there is none), so they
  share no state with the parent; with one job, or one partition, everything runs here.
  The fork server imports the map's modules once (:func:`start_fork_server`, called before
  the corpus is read, so the imports use a core the load leaves idle) and every worker is
  a fork of it, ready at once.
- ``dask``: the same map function submitted to a Dask cluster
  (:mod:`dask.distributed`): a :class:`~dask.distributed.LocalCluster` of ``jobs`` worker
  processes, or the scheduler at ``scheduler`` (e.g. one started by dask-jobqueue on a
  SLURM system). Shards are read by the workers (the path must be visible to them); a
  corpus given as one file is loaded here and its partitions sent.

At most ``2 * jobs`` partitions are in flight at once, and results that finish early wait
for the ones before them, so memory stays bounded by a few partitions per worker.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from threadpoolctl import threadpool_limits

from analysis import progress
from analysis.engine.features import FeatureSettings, PartitionResult, process
from analysis.engine.partitions import Plan, Task
from analysis.staging import signals_held

ENGINES = ("local", "dask")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # macOS, Windows
        return max(os.cpu_count() or 1, 1)


def _quiet_worker() -> None:
    """Worker set-up: no progress bars (the parent draws them), one thread per library
    pool, so ``jobs`` workers use ``jobs`` cores. The pools are limited where they run
    (threadpoolctl): a fork of the fork server has its BLAS started already, with a thread
    per core, whatever the environment says now."""
    os.environ["TQDM_DISABLE"] = "1"
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    threadpool_limits(limits=1)


def _local_worker() -> None:
    """A local worker's set-up: :func:`_quiet_worker`, and Ctrl-C ignored (a terminal sends
    it to every process of the group; the parent stops the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _quiet_worker()


class _Pool(ProcessPoolExecutor):
    """A process pool that a Ctrl-C or SIGTERM leaves cleanly.

    A submit may start a worker, and a worker still starting when this process has gone
    fails on the pool's vanished semaphores with a traceback from the fork server: the
    signals wait until the submit returns (the shutdown then waits for the worker). Leaving
    the ``with`` block on an exception drops the queued tasks instead of running them.
    """

    def submit(self, fn, /, *args, **kwargs):
        with signals_held():
            return super().submit(fn, *args, **kwargs)

    def __exit__(self, kind, value, trace):
        self.shutdown(wait=True, cancel_futures=kind is not None)
        return False


def _process_quietly(task: Task, settings: FeatureSettings) -> PartitionResult:
    _quiet_worker()
    return process(task, settings)


def _in_order(finished: Iterator[PartitionResult]) -> Iterator[PartitionResult]:
    """Results in partition order, holding back those that finish early."""
    waiting: dict[int, PartitionResult] = {}
    expected = 0
    for result in finished:
        waiting[result.index] = result
        while expected in waiting:
            yield waiting.pop(expected)
            expected += 1
    if waiting:
        raise RuntimeError(f"partitions missing before {sorted(waiting)}")


def _bar(plan: Plan):
    if plan.n_articles is not None:
        return progress.bar(total=plan.n_articles, desc="articles", unit="art")
    return progress.bar(total=plan.n_partitions, desc="shards", unit="shard")


def _advance(bar, plan: Plan, result: PartitionResult) -> None:
    bar.update(result.n_articles if plan.n_articles is not None else 1)


_PRELOAD = ["analysis.engine"]
"""What the fork server imports before it forks a worker: the map and the reduce."""


def _context():
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def start_fork_server() -> None:
    """Start the fork server (where there is one) without waiting for it: it imports the
    map's modules (about 2 s) while this process goes on, and is used by every later pool.
    Starting it again does nothing while it runs."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        if threading.current_thread() is not threading.main_thread():
            forkserver.ensure_running()
            return
        # started ignoring Ctrl-C (it and its workers keep that: the parent stops the pool),
        # or a Ctrl-C while it imports its modules ends it with a traceback
        before = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, signal.SIG_DFL if before is None else before)


def local_pool(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` worker processes (forks of the fork server where there is one), quiet (see
    :func:`_local_worker`)."""
    start_fork_server()
    return _Pool(max_workers=jobs, mp_context=_context(), initializer=_local_worker)


def run_local(plan: Plan, settings: FeatureSettings, jobs: int) -> Iterator[PartitionResult]:
    """Every partition's result, in order, from ``jobs`` local processes."""
    bar = _bar(plan)
    try:
        if jobs <= 1 or plan.n_partitions <= 1:
            for task in plan.tasks():
                result = process(task, settings)
                _advance(bar, plan, result)
                yield result
            return
        with local_pool(jobs) as pool:

            def finished() -> Iterator[PartitionResult]:
                tasks = plan.tasks()
                running = set()
                for task in tasks:
                    running.add(pool.submit(process, task, settings))
                    del task
                    if len(running) >= 2 * jobs:
                        done, running = wait(running, return_when=FIRST_COMPLETED)
                        yield from _results(done)
                while running:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    yield from _results(done)

            def _results(done):
                for future in done:
                    result = future.result()
                    _advance(bar, plan, result)
                    yield result

            yield from _in_order(finished())
    finally:
        bar.close()


def run_dask(
    plan: Plan,
    settings: FeatureSettings,
    jobs: int,
    scheduler: str | None = None,
    info: dict | None = None,
) -> Iterator[PartitionResult]:
    """Every partition's result, in order, from a Dask cluster (a LocalCluster of ``jobs``
    workers when no scheduler address is given). ``info["workers"]`` is set to the
    cluster's number of workers."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - the [scale] extra is missing
        raise RuntimeError(
            "--engine dask needs Dask's distributed scheduler: "
            "pip install 'framing-analysis[scale]'"
        ) from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    bar = _bar(plan)
    try:
        client.run(_quiet_worker)
        workers = len(client.scheduler_info()["workers"])
        if info is not None:
            info["workers"] = workers

        def finished() -> Iterator[PartitionResult]:
            window = 2 * max(jobs, workers, 1)
            running = as_completed()
            in_flight = 0
            for task in plan.tasks():
                running.add(client.submit(_process_quietly, task, settings, pure=False))
                del task
                in_flight += 1
                if in_flight >= window:
                    future = next(running)
                    in_flight -= 1
                    yield _collect(future)
            for future in running:
                yield _collect(future)

        def _collect(future) -> PartitionResult:
            result = future.result()
            future.release()
            _advance(bar, plan, result)
            return result

        yield from _in_order(finished())
    finally:
        bar.close()
        client.close()
        if cluster is not None:
            cluster.close()


def reprocessor(
    plan: Plan, settings: FeatureSettings
) -> Callable[[int, frozenset], PartitionResult]:
    """``f(index, drop_ids)``: a shard processed again here without some articles."""

    def again(index: int, drop: frozenset) -> PartitionResult:
        return process(Task(index, shard=plan.shards[index], load=plan.load, drop=drop), settings)

    return again
