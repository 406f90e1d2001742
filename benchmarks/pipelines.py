"""The two pipelines the benchmark compares, each runnable on its own in a subprocess.

``baseline``: the straightforward pipeline of issue 8, one article and one sentence at a
time on one core, from the same loaded and cleaned articles:

- load: :func:`analysis.corpus.load_corpus` (the same loader as ours);
- clean: :func:`analysis.clean.clean_text` on each article (the same rules as ours);
- segment: nltk's Punkt (``PunktSentenceTokenizer()``, untrained, nothing downloaded) on
  each cleaned text;
- tone: nltk's VADER ``polarity_scores`` on each sentence (the analyzer of
  :func:`analysis.sentiment.analyzer`: nltk's class with the vaderSentiment lexicon);
- frames: a Python loop over each sentence's tokens (the project tokenizer, lower case),
  looking every token up in dicts built from the frame dictionary (words, wildcard
  prefixes by length, phrases by length), counting per article and category;
- terms: scikit-learn's ``TfidfVectorizer`` (words and bigrams, the project's stop words
  and token pattern, ``min_df=2``) on the cleaned articles, and each group's mean TF-IDF.

``ours``: :func:`analysis.engine.run` (the main job's map and reduce) with the same stages
(load, clean, segment, tone, frames, terms), the summaries (outlet tone and frames with
bootstrap intervals, log-odds, keyness, TF-IDF) and every table written, on ``jobs``
workers. Quotes, figures, the report and the manifest (with its word count of the texts as
received) are not part of the comparison.

Usage (the benchmark runs these; by hand for one side only)::

    python -m benchmarks.pipelines baseline CORPUS --json OUT.json [--sentences S.parquet]
    python -m benchmarks.pipelines ours CORPUS --json OUT.json --out DIR [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

MAPPING = ("text", "outlet", "id", "date", "title")


def _stage(stages: dict, name: str, started: float, articles: int, sentences: int | None = None):
    seconds = time.perf_counter() - started
    stages[name] = {"seconds": seconds, "articles": articles, "sentences": sentences}
    return time.perf_counter()


def frame_lookup(dictionary):
    """Dicts for the per-token loop: word -> categories, prefix -> categories (with the
    prefix lengths), phrase -> categories (with the phrase lengths)."""
    words, prefixes, phrases = defaultdict(list), defaultdict(list), defaultdict(list)
    for category, patterns in dictionary.categories.items():
        for pattern in patterns:
            if pattern.is_phrase:
                phrases[" ".join(pattern.words)].append(category)
            elif pattern.wildcard:
                prefixes[pattern.words[0]].append(category)
            else:
                words[pattern.words[0]].append(category)
    prefix_lengths = sorted({len(p) for p in prefixes})
    phrase_lengths = sorted({len(p.split()) for p in phrases})
    return dict(words), dict(prefixes), prefix_lengths, dict(phrases), phrase_lengths


def run_baseline(source, mapping: dict, *, group_by: str, dictionary: str, limit=None) -> dict:
    """The straightforward pipeline; see the module docstring. Returns the timings, the
    sentences and their nltk scores (for the parity check)."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis import clean, lexicon, sentiment, terms, tokens
    from analysis.corpus import load_corpus

    stages: dict = {}
    started = time.perf_counter()
    corpus = load_corpus(source, **mapping)
    articles = corpus.articles.head(limit) if limit else corpus.articles
    n = len(articles)
    started = _stage(stages, "load", started, n)

    texts = [clean.clean_text(text) for text in articles["text"]]
    started = _stage(stages, "clean", started, n)

    punkt = PunktSentenceTokenizer()
    per_article = [punkt.tokenize(text) for text in texts]
    sentences = [s for found in per_article for s in found]
    started = _stage(stages, "segment", started, n, len(sentences))

    score = sentiment.analyzer().polarity_scores
    scores = [score(s) for s in sentences]
    started = _stage(stages, "tone", started, n, len(sentences))

    token = re.compile(tokens.TOKEN_PATTERN)
    found = lexicon.read_dictionary(dictionary)
    words, prefixes, prefix_lengths, phrases, phrase_lengths = frame_lookup(found)
    frame_counts = []
    for sentences_of in per_article:
        counts: dict[str, int] = defaultdict(int)
        for sentence in sentences_of:
            seen = token.findall(sentence.lower())
            for i, word in enumerate(seen):
                for category in words.get(word, ()):
                    counts[category] += 1
                for length in prefix_lengths:
                    for category in prefixes.get(word[:length], ()):
                        counts[category] += 1
                for length in phrase_lengths:
                    for category in phrases.get(" ".join(seen[i : i + length]), ()):
                        counts[category] += 1
        frame_counts.append(counts)
    started = _stage(stages, "frames", started, n, len(sentences))

    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2),
        stop_words=sorted(terms.STOP_WORDS),
        token_pattern=tokens.TOKEN_PATTERN,
        min_df=2,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stop words that the token pattern splits
        matrix = vectorizer.fit_transform(texts)
    groups = (
        articles[group_by].astype("string").fillna("").to_numpy() if group_by in articles else None
    )
    means = {}
    if groups is not None:
        for group in sorted(set(groups)):
            means[group] = np.asarray(matrix[groups == group].mean(axis=0)).ravel()
    _stage(stages, "terms", started, n)
    return {
        "stages": stages,
        "articles": n,
        "sentences": sentences,
        "scores": pd.DataFrame(scores, columns=sentiment.SCORE_COLUMNS),
        "terms": matrix.shape[1],
        "frame_matches": int(sum(sum(c.values()) for c in frame_counts)),
    }


def run_ours(
    source, mapping: dict, out: Path, *, group_by: str, dictionary: str, jobs, n_resamples
):
    """The main job's engine on the same stages; returns its timings and account."""
    from analysis import engine, measures
    from analysis.engine.io import write_tables

    load = engine.LoadOptions(**mapping)
    started = time.perf_counter()
    done = engine.run(
        source,
        out,
        load=load,
        # the stages of the whole run: no quotes, and no word count of the texts as
        # received (only the manifest's outlet summary reads it; no manifest is written)
        features=engine.FeatureSettings(
            settings=measures.Settings(
                compare=measures.Compare(group_by=group_by),
                resampling=measures.Resampling(n_resamples=n_resamples),
                frames=measures.FrameSettings(dictionary=dictionary),
            ),
            measures=("tone", "frames", "terms"),
            count_words=False,
        ),
        jobs=jobs,
    )
    memory = {n: t for n, t in done.tables.in_memory.items() if not n.startswith("_")}
    write_tables(memory, out)
    total = time.perf_counter() - started
    # rows from the files' metadata: reading a streamed table back would load it whole
    tables = {p.stem: pq.ParquetFile(p).metadata.num_rows for p in sorted(out.glob("*.parquet"))}
    return {
        "seconds": total,
        "wall": done.wall,
        "cpu": done.cpu,
        "jobs": done.jobs,
        "partitions": done.partitions,
        "articles": done.account.articles,
        "sentences": done.account.sentences,
        "inputs": done.account.inputs,
        "rejected": done.account.rejected,
        "unaccounted": done.account.unaccounted,
        "tables": tables,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=["baseline", "ours"])
    parser.add_argument("corpus")
    for name in MAPPING:
        parser.add_argument(f"--{name}")
    parser.add_argument("--group-by", default="outlet")
    parser.add_argument("--dictionary", default="policy_frames")
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--sentences", type=Path, help="baseline: Parquet of sentences + scores")
    parser.add_argument("--limit", type=int, help="baseline: only the first N articles")
    parser.add_argument("--out", type=Path, help="ours: folder for the tables")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--n-resamples", type=int, default=999)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # intervals undefined for one-article outlets, expected
    mapping = {name: getattr(args, name) for name in MAPPING}
    if args.which == "baseline":
        result = run_baseline(
            args.corpus, mapping, group_by=args.group_by, dictionary=args.dictionary,
            limit=args.limit,
        )  # fmt: skip
        if args.sentences:
            frame = result["scores"].assign(text=result["sentences"])
            frame.to_parquet(args.sentences, index=False)
        del result["sentences"], result["scores"]
    else:
        result = run_ours(
            args.corpus, mapping, args.out, group_by=args.group_by, dictionary=args.dictionary,
            jobs=args.jobs, n_resamples=args.n_resamples,
        )  # fmt: skip
    args.json.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
