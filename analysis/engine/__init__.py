"""Running the analysis on a corpus of any size: partitions, a map, a reduce.

The main job (:func:`analysis.pipeline.run`) cleans and segments every partition of the
corpus and runs every measure's map on it (:mod:`.features`), on all cores by default or
on a Dask cluster (:mod:`.execute`), and combines the partitions' results in a **reduce**
(:mod:`.reduce`) that writes the big tables as they arrive (:mod:`.io`) and runs every
measure's reduce on rows in corpus order. The measures are the objects a notebook runs on
one in-memory partition (:mod:`analysis.measures`), so the tables are the same whatever
the number of workers, the engine and the partition size.

Modules: :mod:`.partitions` (a corpus as partitions: loaded and cut, or shards),
:mod:`.features` (the map), :mod:`.reduce` (the reduce), :mod:`.io` (the files),
:mod:`.execute` (local processes, Dask).
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

from threadpoolctl import threadpool_limits

from analysis.engine.execute import (
    ENGINES,
    available_cores,
    local_pool,
    reprocessor,
    run_dask,
    run_local,
    start_fork_server,
)
from analysis.engine.features import FeatureSettings, PartitionResult, process
from analysis.engine.io import Tables
from analysis.engine.partitions import (
    PARTITION_SIZE,
    LoadOptions,
    Plan,
    Task,
    plan,
    shard_files,
)
from analysis.engine.reduce import Account, Combiner

__all__ = [
    "ENGINES",
    "PARTITION_SIZE",
    "Account",
    "Combiner",
    "EngineRun",
    "FeatureSettings",
    "LoadOptions",
    "PartitionResult",
    "Plan",
    "Tables",
    "Task",
    "available_cores",
    "plan",
    "process",
    "run",
    "shard_files",
]


@dataclass
class EngineRun:
    """What :func:`run` produced.

    ``tables``: every table (streamed ones read from disk on demand); ``files``: the
    streamed tables' files; ``account``: inputs, articles, rejected, sentences, quotes;
    ``cpu``: CPU seconds per stage summed over workers (``load``, ``clean``, ``segment``,
    ``tone``, ``frames``, ``terms``, ``voices``); ``wall``: wall-clock seconds of
    ``load`` (reading and cutting a corpus given whole), ``map`` (every partition
    processed, streamed tables written) and ``summaries``; ``plan``: the partitions.
    """

    tables: Tables
    files: list[Path]
    account: Account
    cpu: dict[str, float]
    wall: dict[str, float]
    plan: Plan
    jobs: int
    engine: str
    partitions: int = 0
    measures: list[str] = field(default_factory=list)
    """The measures computed, in order."""


def run(
    source,
    out_dir: str | Path,
    *,
    load: LoadOptions | None = None,
    features: FeatureSettings | None = None,
    engine: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    partition_size: int = PARTITION_SIZE,
    loaded: Plan | None = None,
) -> EngineRun:
    """Every per-article step on every partition, then every summary.

    Parameters
    ----------
    source : path or DataFrame
        A corpus, or a folder of shards (see :mod:`analysis.engine.partitions`).
    out_dir : path
        Where the streamed tables (``articles``, ``sentences``, ``clean_audit``,
        ``frame_scores``, ``quotes``) are written, as Parquet.
    load, features
        How the corpus is read; which measures run, with which settings.
    engine : {"local", "dask"}
    jobs : int, optional
        Worker processes (default: every core this process may use). Results do not
        depend on it.
    scheduler : str, optional
        A Dask scheduler's address (``engine="dask"``); a LocalCluster when omitted.
    partition_size : int
        Articles per partition of a corpus given whole (shards are partitions as they
        are). Results do not depend on it either.
    loaded : Plan, optional
        The corpus already planned with :func:`analysis.engine.plan` (``source`` and
        ``load`` are then not read again).

    Returns
    -------
    EngineRun
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    jobs = available_cores() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    load = load or LoadOptions()
    features = features or FeatureSettings()
    wall: dict[str, float] = {}
    started = time.perf_counter()
    if engine == "local" and jobs > 1:
        start_fork_server()  # its imports overlap the load
    partitions = loaded or plan(source, load, partition_size=partition_size)
    wall["load"] = time.perf_counter() - started

    started = time.perf_counter()
    combiner = Combiner(
        Path(out_dir),
        features,
        sharded=partitions.sharded,
        reprocess=reprocessor(partitions, features) if partitions.sharded else None,
        source=partitions.source,
    )
    info: dict = {}
    if engine == "dask":
        results = run_dask(partitions, features, jobs, scheduler, info)
    else:
        # worker processes write their big tables and term counts where this process reads
        # them, not through a pipe (a shard's come back: their ids may yet be renamed)
        if jobs > 1 and partitions.n_partitions > 1 and not partitions.sharded:
            spill = str(combiner.scratch)
            features = dataclasses.replace(features, spill=spill)
        results = run_local(partitions, features, jobs)
    n = 0
    for result in results:
        combiner.add(result)
        n += 1
        del result
    wall["map"] = time.perf_counter() - started

    started = time.perf_counter()
    corpus = partitions.corpus
    # one new worker makes the distinctive-word tables while this process makes the other
    # summaries (the map's workers are gone: kept, they held their memory, 350-650 MB each)
    parallel = engine == "local" and jobs > 1 and partitions.n_partitions > 1
    # one BLAS thread here: the same sums whatever the cores or jobs, and no thread waiting
    # for the core the worker uses (that made the summaries a second longer on two cores)
    with (
        local_pool(1) if parallel else contextlib.nullcontext() as pool,
        threadpool_limits(1, user_api="blas"),
    ):
        tables, files = combiner.finish(
            rejected=None if corpus is None else corpus.rejected,
            repairs=None if corpus is None else corpus.repairs,
            pool=pool,
        )
    wall["summaries"] = time.perf_counter() - started
    return EngineRun(
        tables=tables,
        files=files,
        account=combiner.account,
        cpu=dict(combiner.seconds),
        wall=wall,
        plan=partitions,
        jobs=info.get("workers", jobs) if engine == "dask" or partitions.n_partitions > 1 else 1,
        engine=engine,
        partitions=n,
        measures=[m.name for m in combiner.measures],
    )
