"""Story matching checked on the AllSides headline roundups: each roundup is one event
covered by a left, a centre and a right outlet, so the roundups are known stories.

Usage::

    python -m benchmarks.stories_roundups [--data FILE] [--out DIR]

The roundups (``../shared/data/allsides_roundups_neus/``, or ``FRAMING_ROUNDUPS``) become
one article per event and side: the outlet (``newsSource``), the title (``newsTitle``), the
text (the ``newBody`` paragraphs) and the event's date (the roundup's date, in UTC: the
articles' own dates are not given). The articles are loaded, cleaned and matched exactly
as a run matches them (:func:`analysis.pipeline.prepare`,
:func:`analysis.stories.story_texts`, :func:`analysis.stories.hashed_counts` with the
distinctive words' stop words, :func:`analysis.stories.assign_stories`).

**How the threshold was chosen.** The events are split in two by date: the tuning half is
the events before the median event date, the held-out half those on or after it (a split in
time keeps the number of events per day, which decides how many other events an article is
compared with, the same in both halves). On the tuning half, every threshold of
:data:`THRESHOLDS` is tried with the default window (:data:`analysis.stories.WINDOW_DAYS`);
the one with the highest pairwise F1 is chosen (ties: the lower threshold). It is then
scored on the held-out half, which took no part in the choice, and on all events; the window
is varied at the chosen threshold to show how much it matters. Since every article of a
roundup carries the event's date, the window here only decides how many other events an
article is compared with; in a corpus with the articles' own dates, a story's articles may
be a day apart.

Scores: pairwise precision and recall of "same story", their F1, and the adjusted Rand
index (:func:`analysis.stories.pairwise_agreement`).

Printed as Markdown and written to ``--out`` (default ``<temp dir>/stories_roundups``):
``stories_roundups.csv`` (one row per half, threshold and window) and
``stories_roundups.md``.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import corpus, paths, pipeline, stories, terms

FILE = "headline_11_2021-10-19_crawled_all.jsonl.xz"
THRESHOLDS = tuple(np.round(np.arange(0.05, 0.301, 0.025), 3))
"""The thresholds tried on the tuning half."""
WINDOWS = (0, 1, 2, 3)
"""The windows (days) scored at the chosen threshold."""
SIDES = ("left", "center", "right")


def default_path() -> Path:
    """``FRAMING_ROUNDUPS`` if set, else the roundups next to the checkout."""
    folder = paths.ROOT.parent / "shared" / "data" / "allsides_roundups_neus"
    return Path(os.environ.get("FRAMING_ROUNDUPS", folder / FILE))


def roundup_articles(path: Path) -> pd.DataFrame:
    """One row per event and side with an outlet and some text: ``id`` (event_side),
    ``outlet``, ``title``, ``text``, ``date``, ``event`` (the roundup's id), ``side``."""
    rows = []
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            event = json.loads(line)
            news = event.get("news") or {}
            for side in SIDES:
                item = news.get(side) or {}
                text = "\n\n".join(p for p in item.get("newBody") or [] if p)
                if not item.get("newsSource") or not text.strip():
                    continue
                rows.append(
                    {
                        "id": f"{event['id']}_{side}",
                        "outlet": item["newsSource"],
                        "title": item.get("newsTitle") or "",
                        "text": text,
                        "date": pd.Timestamp(event["date"]).tz_convert("UTC").tz_localize(None),
                        "event": int(event["id"]),
                        "side": side,
                    }
                )
    return pd.DataFrame(rows)


def prepared(articles: pd.DataFrame):
    """The articles loaded and cleaned as a run does, and their hashed counts."""
    loaded = corpus.load_corpus(
        articles, text="text", outlet="outlet", id="id", date="date", title="title"
    )
    cleaned = pipeline.prepare(loaded)["articles"]
    counts = stories.hashed_counts(stories.story_texts(cleaned), stop_words=terms.STOP_WORDS)
    events = articles.set_index("id")["event"].reindex(cleaned["article_id"].astype(str))
    return cleaned, counts, events.to_numpy()


def score(cleaned, counts, events, rows, *, threshold: float, window: int) -> dict:
    """Matching of ``rows`` (alone: the other half is not there) scored against the events."""
    story, _, found = stories.assign_stories(
        counts[rows],
        cleaned["published"].iloc[rows],
        threshold=threshold,
        window=window,
    )
    return {
        **stories.pairwise_agreement(events[rows], story),
        "n_articles": len(rows),
        "n_events": len(set(events[rows])),
        "n_stories": len(set(story)),
    }


def main(argv: Sequence[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_path())
    parser.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "stories_roundups"
    )
    options = parser.parse_args(argv)
    started = time.perf_counter()
    articles = roundup_articles(options.data)
    cleaned, counts, events = prepared(articles)
    dates = cleaned["published"].to_numpy()
    event_dates = pd.Series(dates).groupby(events).transform("min").to_numpy()
    median = np.sort(pd.unique(pd.Series(event_dates)))[len(pd.unique(events)) // 2]
    tuning = np.flatnonzero(event_dates < median)
    held_out = np.flatnonzero(event_dates >= median)
    everything = np.arange(len(events))
    rows = []
    for threshold in THRESHOLDS:
        found = score(
            cleaned, counts, events, tuning, threshold=threshold, window=stories.WINDOW_DAYS
        )
        rows.append(
            {"half": "tuning", "threshold": threshold, "window": stories.WINDOW_DAYS, **found}
        )
    tuned = pd.DataFrame(rows)
    best = tuned.sort_values(["f1", "threshold"], ascending=[False, True]).iloc[0]
    chosen = float(best["threshold"])
    for half, which in (("held-out", held_out), ("all", everything)):
        for window in WINDOWS:
            found = score(cleaned, counts, events, which, threshold=chosen, window=window)
            rows.append({"half": half, "threshold": chosen, "window": window, **found})
    table = pd.DataFrame(rows)
    options.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(options.out / "stories_roundups.csv", index=False)
    text = _markdown(table, chosen, time.perf_counter() - started)
    (options.out / "stories_roundups.md").write_text(text, encoding="utf-8")
    print(text)
    return table


def _markdown(table: pd.DataFrame, chosen: float, seconds: float) -> str:
    shown = table.assign(
        **{c: table[c].map(lambda v: f"{v:.3f}") for c in ("precision", "recall", "f1", "ari")}
    )[
        [
            "half",
            "threshold",
            "window",
            "precision",
            "recall",
            "f1",
            "ari",
            "n_articles",
            "n_stories",
        ]
    ]
    lines = [
        f"Threshold chosen on the tuning half: {chosen:.3f} (default "
        f"{stories.THRESHOLD:.3f}); {seconds:.1f} s in all.",
        "",
        "| " + " | ".join(shown.columns) + " |",
        "|" + " --- |" * len(shown.columns),
    ]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in shown.itertuples(index=False)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
