"""Throughput and memory of the stages: load -> clean -> segment -> tone.

Usage::

    python -m benchmarks.run [CORPUS] [--text COL --outlet COL ...] [--limit N]

CORPUS defaults to the environment variable ``FRAMING_BENCH_CORPUS``, else the seed corpus.
Third-party corpora are read where they are stored (their path is an argument), never copied
into the repository. Prints one line per stage with seconds and articles per second, and the
process's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

from analysis import clean, paths, segment, sentiment
from analysis.corpus import load_corpus


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=os.environ.get("FRAMING_BENCH_CORPUS"))
    for name in ("text", "outlet", "id", "date", "title"):
        parser.add_argument(f"--{name}")
    parser.add_argument("--limit", type=int, help="segment only the first N articles")
    args = parser.parse_args(argv)
    source = args.corpus or paths.SEED_CORPUS
    mapping = {k: getattr(args, k) for k in ("text", "outlet", "id", "date", "title")}

    started = time.perf_counter()
    corpus = load_corpus(source, **mapping)
    stages = [("load", time.perf_counter() - started, corpus.n_input)]
    articles = corpus.articles.head(args.limit) if args.limit else corpus.articles

    started = time.perf_counter()
    articles, audit = clean.clean_articles(articles)
    stages.append(("clean", time.perf_counter() - started, len(articles)))

    started = time.perf_counter()
    sentences = segment.split_sentences(articles)
    stages.append(("segment", time.perf_counter() - started, len(articles)))

    started = time.perf_counter()
    sentiment.score_sentences(sentences)
    tone_seconds = time.perf_counter() - started
    stages.append(("tone", tone_seconds, len(articles)))

    print(f"corpus: {source}")
    print(
        f"inputs {corpus.n_input}, articles {len(corpus.articles)}, rejected "
        f"{len(corpus.rejected)}, repairs {len(corpus.repairs)}, sentences {len(sentences)}, "
        f"cleaning removals {len(audit)}"
    )
    for stage, seconds, n in stages:
        print(f"{stage:8s} {seconds:8.2f} s  {n / max(seconds, 1e-9):10.0f} articles/s")
    print(f"VADER: {len(sentences) / max(tone_seconds, 1e-9):.0f} sentences/s")
    print(f"peak resident memory: {_peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
