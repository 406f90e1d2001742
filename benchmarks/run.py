"""The benchmark of issue 8: the straightforward pipeline against ours, side by side.

Usage::

    python -m benchmarks.run [CORPUS] [--group-by COLUMN] [--jobs N] [--json PATH]
        [--text COL --outlet COL ...] [--baseline-limit N] [--scale 10]
        [--synthetic N] [--no-determinism] [--no-scale]

``make bench`` runs it on the corpus in ``FRAMING_BENCH_CORPUS`` (e.g. the AllSides sample,
with ``FRAMING_BENCH_ARGS="--group-by bias_text"``), or, without one, on a synthetic
corpus of ``--synthetic`` articles (:mod:`benchmarks.synthetic`). Third-party corpora are
read where they are; nothing is copied into the repository.

In one run, each pipeline in its own process (:mod:`benchmarks.pipelines`), with the
peak resident memory of the process and all its workers sampled
(:mod:`benchmarks.memory`):

1. **baseline**: the straightforward pipeline (Punkt, nltk's VADER per sentence, a
   per-token dictionary loop, scikit-learn's TfidfVectorizer) on one core;
2. **the default run**, the headline: ``python -m analysis run CORPUS --group-by COLUMN``
   as a user starts it (every measure, the default resamples, figures, report, explorer),
   with its stages from the manifest; then again with ``--jobs 1``, every file but the
   manifest byte-identical;
3. **ours, trimmed**: the main job's engine alone, load -> clean -> segment -> tone ->
   frames -> term counts -> summaries (no voices, ``--n-resamples``, no figures), with
   ``--jobs`` workers (default: every core), every table written, stage by stage against
   the baseline; and again with one job, every table file byte-identical;
4. **tone parity**: every sentence of the baseline scored again by ours
   (:func:`analysis.sentiment.score_texts`, one core): the scores must equal nltk's in every
   column (mismatches counted), and the two speeds give the tone speed-up on the same
   sentences;
5. **memory at scale**: a synthetic corpus ``--scale`` times larger (articles recombined
   from this corpus's paragraphs, written as shards) through ours: its peak memory against
   the corpus's.

Prints a short table and writes everything as JSON (``--json``, default
``benchmark.json`` in the temporary folder).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.memory import PeakMemory

STAGES = ("load", "clean", "segment", "tone", "frames", "terms")
CPU_STAGES = ("clean+segment", "tone", "frames", "terms", "voices", "groups")
"""Stages of the default run's manifest timed in CPU seconds summed over the workers (the
others are wall seconds)."""
MAPPING = ("text", "outlet", "id", "date", "title")


LOADS: dict[str, list[float]] = {}
"""The one-minute load average before and after each step: the machine may be shared, and
a step that ran while other work took cores is slower than its code."""


def _load_average() -> float | None:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def _child(args: list[str]) -> tuple[float, float, int]:
    """Run ``python -m benchmarks.pipelines ARGS``: (wall seconds, peak MiB, processes)."""
    return _timed([sys.executable, "-m", "benchmarks.pipelines", *map(str, args)])


def _timed(command: list) -> tuple[float, float, int]:
    """Run ``command``: (wall seconds, peak MiB of it and its workers, processes)."""
    command = [str(c) for c in command]
    before = _load_average()
    started = time.perf_counter()
    child = subprocess.Popen(command)
    with PeakMemory(child.pid) as peak:
        code = child.wait()
    if code:
        raise SystemExit(f"benchmark step failed ({code}): {' '.join(command)}")
    LOADS[" ".join(command[2:4] + command[-2:])] = [before, _load_average()]
    return time.perf_counter() - started, peak.peak_mb, peak.processes


def default_run(source, mapping: list, group_by: str, out: Path, jobs: list) -> dict:
    """``python -m analysis run`` as a user starts it (every measure, the default resamples,
    figures, report and explorer): wall seconds, peak memory and the manifest's stages."""
    command = [sys.executable, "-m", "analysis", "run", source, *mapping]
    command += ["--group-by", group_by, "--out", out, "--figures", out / "figures", *jobs, "-q"]
    wall, peak, processes = _timed(command)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {
        "command": " ".join(map(str, command[1:])),
        "seconds": wall,
        "peak": peak,
        "processes": processes,
        "stages": manifest["seconds"],
        "jobs": manifest["engine"]["jobs"],
        "articles": manifest["counts"]["articles"] if "counts" in manifest else None,
    }


def differing_outputs(first: Path, second: Path) -> tuple[int, list[str]]:
    """(files compared, those whose bytes differ or that one side lacks) of two runs'
    folders, figures included; the manifest (timings, paths) is left out."""
    names = {
        str(p.relative_to(folder))
        for folder in (first, second)
        for p in folder.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    return _differing(first, second, names)


def differing_files(first: Path, second: Path) -> tuple[int, list[str]]:
    """(table files compared, names of those whose bytes differ or that one side lacks)."""
    names = {p.name for folder in (first, second) for ext in ("parquet", "csv")
             for p in folder.glob(f"*.{ext}")}  # fmt: skip
    return _differing(first, second, names)


def _differing(first: Path, second: Path, names) -> tuple[int, list[str]]:
    names = sorted(names)
    bad = [
        n
        for n in names
        if not (first / n).exists()
        or not (second / n).exists()
        or (first / n).read_bytes() != (second / n).read_bytes()
    ]
    return len(names), bad


def tone_parity(sentences: Path) -> dict:
    """Score the baseline's sentences with ours; mismatches against nltk per column."""
    from analysis import sentiment

    frame = pd.read_parquet(sentences)
    texts = frame["text"].tolist()
    sentiment.score_texts(texts[:1000])  # imports and the lexicon, once
    cpu, started = time.process_time(), time.perf_counter()
    ours = sentiment.score_texts(texts)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    mismatches = {}
    for column in sentiment.SCORE_COLUMNS:
        a, b = ours[column].to_numpy(), frame[column].to_numpy(dtype=float)
        mismatches[column] = int(np.sum((a != b) & ~(np.isnan(a) & np.isnan(b))))
    return {"sentences": len(texts), "seconds": seconds, "cpu": cpu, "mismatches": mismatches}


def synthetic_corpus(folder: Path, n_articles: int, source, *, shards: bool) -> Path:
    """A synthetic corpus of ``n_articles`` recombined from ``source`` (the seed corpus when
    None): shards in ``folder``, or one JSON Lines file."""
    from benchmarks import synthetic

    if shards:
        synthetic.write_shards(folder, n_articles, source=source, seed=0)
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "synthetic.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for row in synthetic.generate(n_articles, source=source, seed=0):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _rate(n: float, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("nan")


def report(results: dict) -> str:
    """The short table printed at the end."""
    base, ours = results["baseline"], results["ours"]
    n, s = ours["articles"], ours["sentences"]
    extrapolated = base["articles"] != n
    b_n = base["articles"]
    b_whole = sum(base["stages"][st]["seconds"] for st in STAGES) * n / b_n
    lines = [
        f"corpus: {results['corpus']}  ({n:,} articles, {s:,} sentences; "
        f"{results['machine']['cores']} cores, ours with {ours['jobs']} jobs)",
        "",
    ]
    default = results.get("default")
    if default:
        lines += [
            f"THE DEFAULT RUN (python {default['command']}): every measure, the default "
            f"resamples, figures, report and explorer: {default['seconds']:.1f} s wall, "
            f"{b_whole / default['seconds']:.1f}x faster than the baseline's "
            f"{b_whole:.1f} s (which does less: load -> terms only)"
            + (f", extrapolated from {b_n:,} articles" if extrapolated else "")
            + f"; peak {default['peak']:.0f} MiB (the process and its workers, summed)",
            "",
            f"{'stage':<18}{'seconds':>9}",
            *(
                f"{stage:<18}{sec:>9.1f}"
                + ("  CPU, summed over workers" if stage in CPU_STAGES else "")
                for stage, sec in default["stages"].items()
            ),
            "",
            "The trimmed configuration (no voices, "
            f"{ours.get('n_resamples', 999)} resamples, no figures, report or explorer), "
            "stage by stage against the baseline:",
            "",
        ]
    lines += [
        f"{'stage':<11}{'baseline s':>11}{'art/s':>9}{'sent/s':>10}"
        f"{'ours CPU s':>13}{'art/s':>9}{'sent/s':>10}{'speed-up':>10}",
    ]
    for stage in STAGES:
        b = base["stages"][stage]["seconds"]
        o = ours["load_seconds"] if stage == "load" else ours["cpu"].get(stage, 0.0)
        b_s = base["stages"][stage]["sentences"] or base["sentences"]
        lines.append(
            f"{stage:<11}{b:>11.1f}{_rate(b_n, b):>9.0f}{_rate(b_s, b):>10.0f}"
            f"{o:>13.1f}{_rate(n, o):>9.0f}{_rate(s, o):>10.0f}{_rate(b / b_n, o / n):>9.1f}x"
        )
    lines += [
        "",
        f"trimmed run (load -> terms): baseline {b_whole:.1f} s ({_rate(n, b_whole):.0f} art/s)"
        + (f", extrapolated from {b_n:,} articles" if extrapolated else "")
        + f"; ours {ours['seconds']:.1f} s wall ({_rate(n, ours['seconds']):.0f} art/s, "
        f"{_rate(s, ours['seconds']):.0f} sent/s, summaries and tables included): "
        f"{b_whole / ours['seconds']:.1f}x",
    ]
    if ours.get("wall"):  # where our wall time went
        split = " + ".join(f"{name} {sec:.1f}" for name, sec in ours["wall"].items())
        lines.append(f"ours, wall by phase: {split} s (the rest: writing the small tables)")
    tone = results.get("tone")
    if tone:
        nltk = base["stages"]["tone"]["seconds"]
        wrong = tone["mismatches"]
        lines.append(
            f"tone on the same {tone['sentences']:,} sentences, one core each: nltk "
            f"{nltk:.1f} s ({_rate(tone['sentences'], nltk):.0f}/s), ours {tone['seconds']:.2f} "
            f"s ({_rate(tone['sentences'], tone['seconds']):.0f}/s): "
            f"{nltk / tone['seconds']:.1f}x; mismatches "
            + ", ".join(f"{k} {v}" for k, v in wrong.items())
            + f" ({'none' if not any(wrong.values()) else 'MISMATCH'})"
        )
    memory = results["memory"]
    line = (
        f"peak memory (process and workers): baseline {memory['baseline']:.0f} MiB, ours "
        f"{memory['ours']:.0f} MiB"
    )
    scale = results.get("scale")
    if scale:
        line += (
            f"; ours on {scale['articles']:,} synthetic articles ({scale['factor']}x, "
            f"{scale['seconds']:.0f} s, {_rate(scale['articles'], scale['seconds']):.0f} art/s)"
            f": {scale['peak']:.0f} MiB = {scale['peak'] / memory['ours']:.2f}x"
        )
    lines.append(line)
    same = results.get("default_determinism")
    if same:
        lines.append(
            f"determinism of the default run: --jobs {default['jobs']} and --jobs 1 wrote "
            + (
                f"identical bytes in all {same['files']} files (tables, figures, report, "
                "explorer; the manifest holds timings)"
                if not same["differing"]
                else f"DIFFERENT files: {', '.join(same['differing'])}"
            )
        )
    same = results.get("determinism")
    if same:
        lines.append(
            f"determinism: --jobs {ours['jobs']} and --jobs 1 wrote "
            + (
                f"identical bytes in all {same['files']} table files"
                if not same["differing"]
                else f"DIFFERENT files: {', '.join(same['differing'])}"
            )
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=os.environ.get("FRAMING_BENCH_CORPUS"))
    for name in MAPPING:
        parser.add_argument(f"--{name}")
    parser.add_argument("--group-by", default="outlet", help="groups for TF-IDF and log-odds")
    parser.add_argument("--dictionary", default="policy_frames")
    parser.add_argument("--jobs", type=int, help="ours: workers (default: every core)")
    parser.add_argument("--n-resamples", type=int, default=999, help="ours: bootstrap size")
    parser.add_argument(
        "--baseline-limit",
        type=int,
        help="time the baseline on the first N articles only and extrapolate its rate "
        "(the table says so); default: the whole corpus",
    )
    parser.add_argument(
        "--synthetic", type=int, default=5000, help="articles of the synthetic corpus used "
        "when no corpus is given",
    )  # fmt: skip
    parser.add_argument("--scale", type=int, default=10, help="size of the memory check")
    parser.add_argument("--no-scale", action="store_true", help="skip the memory check")
    parser.add_argument("--no-determinism", action="store_true", help="skip --jobs 1")
    parser.add_argument("--json", type=Path, help="where to write the results")
    parser.add_argument("--work", type=Path, help="folder for the runs' tables (default temp)")
    args = parser.parse_args(argv)

    work = Path(args.work or tempfile.mkdtemp(prefix="framing-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = args.corpus
    if source is None:
        source = synthetic_corpus(work / "corpus", args.synthetic, None, shards=False)
        print(f"no corpus given: {args.synthetic:,} synthetic articles in {source}")
    mapping = [x for n in MAPPING if getattr(args, n) for x in (f"--{n}", getattr(args, n))]
    common = [source, *mapping, "--group-by", args.group_by, "--dictionary", args.dictionary]
    jobs = ["--jobs", args.jobs] if args.jobs else []
    results: dict = {
        "corpus": str(source),
        "machine": {
            "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "python": platform.python_version(),
            "load_average_before": _load_average(),
        },
    }

    print("baseline ...", flush=True)
    limit = ["--limit", args.baseline_limit] if args.baseline_limit else []
    wall, peak_base, _ = _child(
        ["baseline", *common, "--json", work / "baseline.json",
         "--sentences", work / "baseline-sentences.parquet", *limit]
    )  # fmt: skip
    results["baseline"] = json.loads((work / "baseline.json").read_text())
    results["baseline"]["wall"] = wall
    results["baseline"]["sentences"] = results["baseline"]["stages"]["tone"]["sentences"]

    print("the default run ...", flush=True)
    results["default"] = default_run(source, mapping, args.group_by, work / "default", jobs)
    if not args.no_determinism:
        print("the default run, one job ...", flush=True)
        default_run(source, mapping, args.group_by, work / "default-1", ["--jobs", 1])
        files, differing = differing_outputs(work / "default", work / "default-1")
        results["default_determinism"] = {"files": files, "differing": differing}

    print("ours, trimmed ...", flush=True)
    wall, peak_ours, processes = _child(
        ["ours", *common, "--json", work / "ours.json", "--out", work / "ours",
         "--n-resamples", args.n_resamples, *jobs]
    )  # fmt: skip
    ours = json.loads((work / "ours.json").read_text())
    ours["load_seconds"] = ours["wall"]["load"]
    ours["process_wall"] = wall
    ours["n_resamples"] = args.n_resamples
    results["ours"] = ours
    results["memory"] = {"baseline": peak_base, "ours": peak_ours, "ours_processes": processes}

    if not args.no_determinism:
        print("ours, one job ...", flush=True)
        _child(
            ["ours", *common, "--json", work / "ours-1.json", "--out", work / "ours-1",
             "--n-resamples", args.n_resamples, "--jobs", 1]
        )  # fmt: skip
        files, differing = differing_files(work / "ours", work / "ours-1")
        results["determinism"] = {"files": files, "differing": differing}

    print("tone parity ...", flush=True)
    results["tone"] = tone_parity(work / "baseline-sentences.parquet")

    if not args.no_scale:
        n = ours["articles"] * args.scale
        print(f"memory at scale: {n:,} synthetic articles ...", flush=True)
        scaled = synthetic_corpus(work / "scaled", n, source, shards=True)
        wall, peak, _ = _child(
            ["ours", scaled, "--group-by", "bias_text", "--dictionary", args.dictionary,
             "--json", work / "scaled.json", "--out", work / "scaled-out",
             "--n-resamples", args.n_resamples, *jobs]
        )  # fmt: skip
        scaled_run = json.loads((work / "scaled.json").read_text())
        results["scale"] = {
            "factor": args.scale,
            "articles": scaled_run["articles"],
            "sentences": scaled_run["sentences"],
            "seconds": scaled_run["seconds"],
            "peak": peak,
            "ratio": peak / peak_ours,
        }
    results["machine"]["load_average_after"] = _load_average()
    results["machine"]["load_average_by_step"] = LOADS
    text = report(results)
    print()
    print(text)
    results["table"] = text
    out = args.json or Path(tempfile.gettempdir()) / "benchmark.json"
    out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nresults: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
