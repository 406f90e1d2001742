"""A synthetic news corpus of any size, for throughput and memory benchmarks.

Articles are recombined from the paragraphs of a source corpus (the bundled seed corpus by
default, or any corpus given by path, e.g. the AllSides sample): each article takes a
length (in paragraphs) drawn from the source's articles, then that many paragraphs drawn
at random from the whole source, so the texts have real sentences, quotations, embedded
posts and vocabulary, in new combinations. Each article gets an outlet (anonymous, in the
source's proportions when the source has ten outlets or more, else from a fixed list with
Zipf-like sizes), that outlet's group (``bias_text``: left, center or right), a date in
2017-2020, and a title taken from a source sentence. Everything is drawn from one seeded
generator: the same arguments give the same corpus, byte for byte.

Usage::

    python -m benchmarks.synthetic OUT_FOLDER --articles 186130 [--source CORPUS]
        [--shard-size 500] [--format jsonl|parquet] [--seed 0]

writes ``OUT_FOLDER/part-00000.jsonl`` ... (a sharded corpus that
``python -m analysis run OUT_FOLDER`` reads shard by shard). The source's texts are read
where they are; nothing of them is written into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.corpus import load_corpus

OUTLETS = [
    ("Daily Ledger", "center"),
    ("Evening Courier", "left"),
    ("National Sentinel", "right"),
    ("Metro Gazette", "left"),
    ("Frontier Post", "right"),
    ("Harbor Times", "center"),
    ("Capitol Wire", "center"),
    ("Prairie Herald", "right"),
    ("Coastal Observer", "left"),
    ("Union Tribune Digest", "center"),
    ("Liberty Dispatch", "right"),
    ("Progress Journal", "left"),
    ("Summit Record", "center"),
    ("Valley Voice", "left"),
    ("Patriot Daily", "right"),
    ("City Beat", "left"),
    ("Independent Review", "center"),
    ("Heartland News", "right"),
    ("Global Monitor", "center"),
    ("Riverside Bulletin", "left"),
    ("Mountain Press", "right"),
    ("Civic Chronicle", "center"),
    ("Northern Star", "left"),
    ("Southern Standard", "right"),
    ("Weekly Analyst", "center"),
]
"""Invented outlet names and their group; the first ones get the most articles."""
SHARD_SIZE = 500


@dataclass
class Source:
    """What a synthetic corpus is recombined from."""

    paragraphs: list[str]
    lengths: np.ndarray
    """Paragraphs of each source article."""
    titles: list[str]
    outlets: list[tuple[str, str]]
    """(name, group) of each synthetic outlet."""
    weights: np.ndarray
    """Share of the articles of each outlet."""


def read_source(source=None) -> Source:
    """The paragraphs, article lengths and candidate titles of the source corpus, and the
    outlets to draw from: with 10 or more outlets in the source, one anonymous outlet per
    source outlet, of the same share of articles and, when the source has a ``bias_text``
    column, the same group; otherwise :data:`OUTLETS` with Zipf-like shares."""
    corpus = load_corpus(source if source is not None else paths.SEED_CORPUS)
    articles = corpus.articles
    paragraphs: list[str] = []
    lengths = []
    titles = []
    for text in articles["text"]:
        found = [p.strip() for p in text.split("\n") if p.strip()]
        paragraphs.extend(found)
        lengths.append(len(found))
        first = found[0].split(". ")[0] if found else ""
        if 20 <= len(first) <= 160:
            titles.append(first.rstrip("."))
    if not paragraphs:
        raise ValueError(f"{source}: no paragraphs to recombine")
    sizes = articles["outlet"].value_counts()
    if len(sizes) >= 10:
        groups = (
            articles.groupby("outlet")["bias_text"].agg(lambda g: g.mode().iloc[0])
            if "bias_text" in articles
            else pd.Series(dtype=object)
        )
        fallback = [group for _, group in OUTLETS]
        outlets = [
            (f"Outlet {i:03d}", str(groups.get(name, fallback[i % len(fallback)])))
            for i, name in enumerate(sizes.index, 1)
        ]
        weights = sizes.to_numpy(dtype=float)
    else:
        outlets = list(OUTLETS)
        weights = 1.0 / np.arange(1, len(OUTLETS) + 1)
    return Source(
        paragraphs,
        np.asarray(lengths, dtype=np.int64),
        titles or ["Untitled"],
        outlets,
        weights / weights.sum(),
    )


def generate(n_articles: int, *, source=None, seed: int = 0) -> Iterator[dict]:
    """``n_articles`` synthetic articles (dicts with ``id, outlet, bias_text, date, title,
    text``), in order; see the module docstring."""
    found = read_source(source)
    paragraphs, lengths, titles = found.paragraphs, found.lengths, found.titles
    rng = np.random.default_rng(seed)
    start = np.datetime64("2017-01-01")
    days = int((np.datetime64("2020-12-31") - start).astype(np.int64))
    block = 10_000
    for first in range(0, n_articles, block):
        size = min(block, n_articles - first)
        outlets = rng.choice(len(found.outlets), size=size, p=found.weights)
        counts = lengths[rng.integers(0, len(lengths), size=size)].clip(min=1)
        picks = rng.integers(0, len(paragraphs), size=int(counts.sum()))
        dates = start + rng.integers(0, days + 1, size=size).astype("timedelta64[D]")
        title_at = rng.integers(0, len(titles), size=size)
        offset = 0
        for i in range(size):
            chosen = picks[offset : offset + counts[i]]
            offset += counts[i]
            name, group = found.outlets[outlets[i]]
            yield {
                "id": f"syn-{first + i:09d}",
                "outlet": name,
                "bias_text": group,
                "date": str(dates[i]),
                "title": titles[title_at[i]],
                "text": "\n\n".join(paragraphs[k] for k in chosen),
            }


def write_shards(
    out_dir: str | Path,
    n_articles: int,
    *,
    source=None,
    seed: int = 0,
    shard_size: int = SHARD_SIZE,
    fmt: str = "jsonl",
) -> list[Path]:
    """Write a synthetic corpus as shards of ``shard_size`` articles; the shard paths."""
    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"fmt must be 'jsonl' or 'parquet', not {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written, batch = [], []

    def flush() -> None:
        path = out / f"part-{len(written):05d}.{fmt}"
        if fmt == "parquet":
            pd.DataFrame(batch).to_parquet(path, index=False)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                for row in batch:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        written.append(path)
        batch.clear()

    for article in generate(n_articles, source=source, seed=seed):
        batch.append(article)
        if len(batch) == shard_size:
            flush()
    if batch:
        flush()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the shards")
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--source", help="corpus whose paragraphs are recombined (default seed)")
    parser.add_argument("--shard-size", type=int, default=SHARD_SIZE)
    parser.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    shards = write_shards(
        args.out,
        args.articles,
        source=args.source,
        seed=args.seed,
        shard_size=args.shard_size,
        fmt=args.format,
    )
    print(f"{args.articles} articles in {len(shards)} shards in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
