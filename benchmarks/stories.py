"""Stories and the timeline in the default run: the time they add, and their stages.

Usage::

    python -m benchmarks.stories CORPUS [--group-by COLUMN] [--jobs N] [--repeats R]
        [RUN FLAGS: --text COL --outlet COL ...]

The default run a user starts (``python -m analysis run CORPUS --group-by COLUMN``: every
measure, the default resamples, figures, report, explorer) runs on ``CORPUS`` without and
with ``--stories --timeline``, each in its own process, ``--repeats`` times interleaved.
Printed per run: the wall time and peak memory (:func:`benchmarks.topics.run`), the CPU
seconds of the stories' and timeline's map (summed over workers), the reduce stage
("summaries", in which stories are matched and every measure compared within them and over
time) and the figures stage; and per pair, the time added. The stories and the timeline
need nothing but the tables of the other measures, so the added wall time is what they
cost: matching, the within-story table, the timeline, their three figures and the report's
section.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.topics import pair_parser, parse_pair, run


def describe(label: str, found: dict) -> str:
    manifest = found["manifest"]
    seconds = manifest.get("seconds", {})
    text = (
        f"{label}: {found['wall']:.1f} s wall, peak {found['peak_mb']:,.0f} MiB (process tree); "
        f"summaries {seconds.get('summaries', float('nan')):.1f} s, figures "
        f"{seconds.get('figures', float('nan')):.1f} s"
    )
    stories = manifest.get("parameters", {}).get("stories")
    if stories:
        text += (
            f"; map CPU stories {seconds.get('stories', 0):.1f} s, timeline "
            f"{seconds.get('timeline', 0):.1f} s; {stories['n_stories']:,} stories "
            f"({stories['n_shared_stories']:,} shared) of {stories['n_in_stories']:,} dated "
            f"articles, {stories['n_undated']:,} undated"
        )
    return text


def main(argv: list[str] | None = None) -> list[dict]:
    args = parse_pair(pair_parser(__doc__.splitlines()[0]), argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="stories-bench-") as scratch:
        scratch = Path(scratch)
        for repeat in range(args.repeats):
            plain = run(args.corpus, scratch / f"plain-{repeat}", args)
            print(describe(f"pair {repeat + 1}, default run", plain), flush=True)
            both = run(
                args.corpus, scratch / f"stories-{repeat}", args, ["--stories", "--timeline"]
            )
            print(describe(f"pair {repeat + 1}, with --stories --timeline", both), flush=True)
            print(f"  added: {both['wall'] - plain['wall']:.1f} s", flush=True)
            results.append({"plain": plain, "stories": both})
    return results


if __name__ == "__main__":
    main()
