"""Peak memory of a process and every process it starts, sampled.

``getrusage`` gives the peak of one process (``RUSAGE_SELF``) or of the largest finished
child (``RUSAGE_CHILDREN``), not the peak of a parent and its workers together, which is
what a machine must have free for a run on several cores. :class:`PeakMemory` samples the
resident memory (RSS) of a process tree every ``interval`` seconds in a thread and keeps
the largest sum, next to the kernel's exact per-process peaks.

Usage::

    python -m benchmarks.memory -- python -m analysis run CORPUS --out /tmp/x

prints the peak total RSS of the command and its children.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import threading
import time

import psutil


def _tree_rss(process: psutil.Process) -> tuple[int, int]:
    """(RSS of the process and its descendants, number of processes) in bytes."""
    total, count = 0, 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for member in members:
        try:
            total += member.memory_info().rss
            count += 1
        except psutil.Error:
            continue
    return total, count


class PeakMemory:
    """Sample the RSS of ``pid`` (default: this process) and its children in a thread.

    Use as a context manager; ``peak`` is the largest total seen (bytes), ``processes``
    the most processes seen at once.
    """

    def __init__(self, pid: int | None = None, interval: float = 0.05):
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            total, count = _tree_rss(self.process)
            self.peak = max(self.peak, total)
            self.processes = max(self.processes, count)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        total, count = _tree_rss(self.process)
        self.peak = max(self.peak, total)

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20


def self_peak_mb() -> float:
    """The kernel's peak RSS of this process (``ru_maxrss``), in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    started = time.perf_counter()
    child = subprocess.Popen(command)
    with PeakMemory(child.pid) as peak:
        code = child.wait()
    seconds = time.perf_counter() - started
    print(
        f"peak RSS (process tree): {peak.peak_mb:.0f} MiB over {peak.processes} processes; "
        f"{seconds:.1f} s; exit {code}",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
