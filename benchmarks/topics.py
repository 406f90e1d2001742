"""A topic model in the default run: the time to choose k and fit, the run's time and its
memory.

Usage::

    python -m benchmarks.topics CORPUS [--group-by COLUMN] [--jobs N] [--repeats R]
        [--topics K] [RUN FLAGS: --text COL --outlet COL ...]

The default run a user starts (``python -m analysis run CORPUS --group-by COLUMN``: every
measure, the default resamples, figures, report, explorer) runs on ``CORPUS`` without and
with ``--topics K`` (0 by default: k chosen among 5..40), each in its own process,
``--repeats`` times interleaved (one machine's wall times drift by several seconds between
runs). Printed per run: the wall time, the peak memory of the process and its workers
together (:class:`benchmarks.memory.PeakMemory`), and, from the manifest, the seconds spent
choosing k and fitting the chosen model (``parameters.topics``), the k chosen with its
stability and coherence, and the reduce stage ("summaries") in which the model is fitted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.memory import PeakMemory


def run(corpus, out: Path, args, extra=()) -> dict:
    """One default run in its own process: wall seconds, peak memory, the manifest."""
    command = [sys.executable, "-m", "analysis", "run", str(corpus), "--out", str(out), "-q"]
    command += ["--group-by", args.group_by, "--jobs", str(args.jobs), *args.more, *extra]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    with PeakMemory(child.pid) as peak:
        code = child.wait()
    if code:
        raise SystemExit(f"the run failed (exit {code}): {' '.join(command)}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {
        "wall": time.perf_counter() - started,
        "peak_mb": peak.peak_mb,
        "manifest": manifest,
    }


def describe(label: str, found: dict) -> str:
    seconds = found["manifest"].get("seconds", {})
    text = (
        f"{label}: {found['wall']:.1f} s wall, peak {found['peak_mb']:,.0f} MiB (process tree), "
        f"summaries {seconds.get('summaries', float('nan')):.1f} s"
    )
    topics = found["manifest"].get("parameters", {}).get("topics")
    if topics:
        text += (
            f"; k = {topics['k']} ({'chosen' if topics['k_chosen'] else 'given'}), choosing "
            f"{topics.get('seconds_choosing') or 0:.1f} s + fitting "
            f"{topics.get('seconds_fitting') or 0:.1f} s = "
            f"{(topics.get('seconds_choosing') or 0) + (topics.get('seconds_fitting') or 0):.1f} s"
            f" on {topics['n_documents_fitted']:,} of {topics['n_documents']:,} documents"
        )
        if topics.get("stability") is not None:
            text += f"; stability {topics['stability']:.2f}, coherence {topics['coherence']:.3f}"
    return text


def pair_parser(description: str) -> argparse.ArgumentParser:
    """The options of a benchmark that runs the default run in pairs, without and with
    some flags: the corpus, ``--group-by``, ``--jobs``, ``--repeats``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--group-by", default="outlet")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1, help="pairs of runs (default 1)")
    return parser


def parse_pair(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The parsed options; every flag the parser does not know goes to the run (``more``)."""
    args, more = parser.parse_known_args(argv)
    args.more = [flag for flag in more if flag != "--"]
    return args


def main(argv: list[str] | None = None) -> list[dict]:
    parser = pair_parser(__doc__.splitlines()[0])
    parser.add_argument("--topics", default="0", help="K for --topics (default 0: choose)")
    args = parse_pair(parser, argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="topics-bench-") as scratch:
        scratch = Path(scratch)
        for repeat in range(args.repeats):
            plain = run(args.corpus, scratch / f"plain-{repeat}", args)
            print(describe(f"pair {repeat + 1}, default run", plain), flush=True)
            topics = run(args.corpus, scratch / f"topics-{repeat}", args, ["--topics", args.topics])
            print(describe(f"pair {repeat + 1}, with --topics {args.topics}", topics), flush=True)
            print(f"  added: {topics['wall'] - plain['wall']:.1f} s", flush=True)
            results.append({"plain": plain, "topics": topics})
    return results


if __name__ == "__main__":
    main()
