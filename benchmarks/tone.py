"""Tone scoring: nltk's VADER loop against the array version, on the same sentences.

Usage::

    python -m benchmarks.tone CORPUS [--limit N] [--json PATH] [--quote-marks keep|drop]

Loads CORPUS through the package (:func:`analysis.corpus.load_corpus`, then
:func:`analysis.pipeline.prepare`) and scores every sentence twice in the same process: with
nltk's ``polarity_scores``, one sentence at a time on one core
(:func:`analysis.sentiment.score_texts_reference`), and with
:func:`analysis.sentiment.polarity_table`. Prints sentences per second of each (wall clock
and CPU time), the speed-up, and the number of sentences whose score differs in each column
(NaN equals NaN); all must be zero. The sentence texts are cached in a Parquet file in the
temporary folder (keyed by the corpus path, size and modification time), never in the
repository, so later runs skip loading and segmenting.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import sentiment
from analysis.sentiment import fast


def sentence_texts(corpus: Path, cache: Path | None = None) -> pd.Series:
    """The ``text`` of every sentence of ``corpus``, from the cache when it is there.

    Parameters
    ----------
    corpus : Path
        Anything :func:`analysis.corpus.load_corpus` reads.
    cache : Path, optional
        Parquet file for the texts; default: one in the temporary folder named after the
        corpus path, size and modification time.

    Returns
    -------
    Series of str
        One text per sentence, in the order of the sentences table.
    """
    if cache is None:
        stat = corpus.stat()
        key = f"{corpus.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()
        digest = hashlib.sha256(key).hexdigest()[:16]
        cache = Path(tempfile.gettempdir()) / f"framing-tone-sentences-{digest}.parquet"
    if cache.exists():
        return pd.read_parquet(cache)["text"]
    from analysis.corpus import load_corpus
    from analysis.pipeline import prepare

    texts = prepare(load_corpus(corpus))["sentences"]["text"].astype(object)
    pd.DataFrame({"text": texts}).to_parquet(cache, index=False)
    return texts.reset_index(drop=True)


def timed(function, *args, **kwargs):
    """``function(*args, **kwargs)`` with its wall-clock and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def mismatches(ours: pd.DataFrame, theirs: pd.DataFrame) -> dict[str, int]:
    """Per column, the rows whose values differ (float ``!=``; NaN equals NaN)."""
    counts = {}
    for column in sentiment.SCORE_COLUMNS:
        a, b = ours[column].to_numpy(), theirs[column].to_numpy()
        counts[column] = int(np.sum((a != b) & ~(np.isnan(a) & np.isnan(b))))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, help="score only the first N sentences")
    parser.add_argument("--json", type=Path, help="write the results to this JSON file")
    parser.add_argument("--quote-marks", choices=sentiment.QUOTE_MARKS, default="keep")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the array version")
    parser.add_argument("--cache", type=Path, help="Parquet cache of the sentence texts")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    texts = sentence_texts(args.corpus, args.cache)
    if args.limit:
        texts = texts.head(args.limit)
    texts = texts.tolist()
    load_seconds = time.perf_counter() - started
    load_before = os.getloadavg()

    fast.polarity_table(texts[:1000])  # imports, the lexicon and Arrow's kernels, once
    runs = [timed(fast.polarity_table, texts, quote_marks=args.quote_marks) for _ in range(2)]
    reference, nltk_wall, nltk_cpu = timed(
        sentiment.score_texts_reference, texts, quote_marks=args.quote_marks
    )
    runs += [
        timed(fast.polarity_table, texts, quote_marks=args.quote_marks)
        for _ in range(max(args.repeat - 2, 0))
    ]
    ours = runs[0][0]
    fast_wall = float(np.median([wall for _, wall, _ in runs]))
    fast_cpu = float(np.median([cpu for _, _, cpu in runs]))
    for table, _, _ in runs[1:]:
        pd.testing.assert_frame_equal(table, ours, check_exact=True)

    n = len(texts)
    blank = int(reference["compound"].isna().sum())
    fallback = sum(isinstance(text, str) and fast.scored_by_nltk(text) for text in texts)
    wrong = mismatches(ours, reference)
    rows_wrong = int(
        np.sum(
            (
                (ours.to_numpy() != reference.to_numpy())
                & ~(np.isnan(ours.to_numpy()) & np.isnan(reference.to_numpy()))
            ).any(axis=1)
        )
    )
    results = {
        "corpus": str(args.corpus),
        "quote_marks": args.quote_marks,
        "sentences": n,
        "blank_sentences": blank,
        "fallback_to_nltk": fallback,
        "fallback_fraction": fallback / n if n else 0.0,
        "mismatches": wrong,
        "mismatching_sentences": rows_wrong,
        "nltk": {
            "seconds": nltk_wall,
            "cpu_seconds": nltk_cpu,
            "sentences_per_second": n / nltk_wall,
            "sentences_per_cpu_second": n / nltk_cpu,
        },
        "fast": {
            "seconds_median": fast_wall,
            "cpu_seconds_median": fast_cpu,
            "runs": len(runs),
            "seconds_each": [wall for _, wall, _ in runs],
            "sentences_per_second": n / fast_wall,
            "sentences_per_cpu_second": n / fast_cpu,
        },
        "speedup": nltk_wall / fast_wall,
        "speedup_cpu": nltk_cpu / fast_cpu,
        "load_seconds": load_seconds,
        "load_average_before_after": [load_before[0], os.getloadavg()[0]],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "versions": _versions(),
    }
    print(f"corpus: {args.corpus} ({n} sentences, {blank} blank; loaded in {load_seconds:.0f} s)")
    print(
        f"nltk  : {nltk_wall:8.2f} s  {n / nltk_wall:10.0f} sentences/s"
        f"  (CPU {nltk_cpu:.2f} s, {n / nltk_cpu:.0f}/s)"
    )
    print(
        f"fast  : {fast_wall:8.2f} s  {n / fast_wall:10.0f} sentences/s"
        f"  (CPU {fast_cpu:.2f} s, {n / fast_cpu:.0f}/s; median of {len(runs)})"
    )
    print(f"speed-up: {nltk_wall / fast_wall:.1f}x wall, {nltk_cpu / fast_cpu:.1f}x CPU")
    print(f"scored by nltk inside polarity_table: {fallback} ({fallback / max(n, 1):.4%})")
    print(f"mismatches: {wrong} ({rows_wrong} sentences)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if rows_wrong == 0 else 1


def _versions() -> dict[str, str]:
    import nltk
    import pyarrow

    return {
        "nltk": nltk.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "pyarrow": pyarrow.__version__,
    }


if __name__ == "__main__":
    sys.exit(main())
