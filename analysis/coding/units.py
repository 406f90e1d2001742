"""The units people code, with their ids and texts, from a run's tables.

Unit ids are stable strings that name the article and the unit's place in it:

======== ====================== ============================================
unit      id                     text
======== ====================== ============================================
article   ``article_id``         the title (when there is one) and the cleaned text
paragraph ``ARTICLE/p3``         the cleaned text from its first sentence to its last
sentence  ``ARTICLE/s12``        the sentence
quote     ``ARTICLE/q4``         the quote, with the sentence it stands in
======== ====================== ============================================

Paragraph and sentence numbers are the segmenter's (``paragraph_id``, ``sentence_id``),
counted from 0 within the article.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

UNIT_COLUMNS = ["unit", "unit_id", "article_id", "outlet", "position", "text"]


def unit_id(unit: str, article_id, number=None) -> str:
    """The id of a unit: ``article_id`` itself, or ``article_id/p3``, ``/s3``, ``/q3``."""
    if unit == "article":
        return str(article_id)
    return f"{article_id}/{unit[0]}{int(number)}"


def unit_ids(unit: str, article_ids, numbers=None) -> list[str]:
    """:func:`unit_id` of each article and number (``numbers`` None for article units)."""
    if numbers is None:
        return [unit_id(unit, a) for a in article_ids]
    return [unit_id(unit, a, n) for a, n in zip(article_ids, numbers)]


def coding_units(tables, unit: str) -> pd.DataFrame:
    """Every unit of one kind, in article and reading order.

    Parameters
    ----------
    tables : mapping
        A run's tables (``run(...).tables``, or a dict of a run folder's Parquet files by
        name, as :func:`analysis.coding.read_run_tables` reads them): ``articles`` (``article_id``,
        ``outlet``, ``title``, ``text_clean``) always; ``sentences`` (``article_id``,
        ``sentence_id``, ``paragraph_id``, ``start``, ``end``, ``text``) for paragraphs and
        sentences; ``quotes`` (``article_id``, ``quote_id``, ``sentence_id``, ``text``) for
        quotes.
    unit : {"article", "paragraph", "sentence", "quote"}

    Returns
    -------
    DataFrame
        ``unit, unit_id, article_id, outlet, position, text``; ``position`` numbers the
        unit within its article from 0 (0 for an article).
    """
    articles = tables["articles"][["article_id", "outlet", "title", "text_clean"]]
    outlets = articles.set_index("article_id")["outlet"]
    if unit == "article":
        title = articles["title"].fillna("").astype(str).str.strip()
        text = articles["text_clean"].fillna("").astype(str)
        frame = articles[["article_id"]].assign(
            position=0, text=(title + "\n\n").where(title != "", "") + text
        )
        return _finish(frame, unit, frame["article_id"], outlets)
    if unit == "quote":
        quotes = tables["quotes"][["article_id", "quote_id", "text"]]
        frame = quotes.rename(columns={"quote_id": "position"})
        ids = unit_ids(unit, frame["article_id"], frame["position"])
        return _finish(frame, unit, ids, outlets)
    sentences = tables["sentences"][
        ["article_id", "sentence_id", "paragraph_id", "start", "end", "text"]
    ]
    if unit == "sentence":
        frame = sentences.rename(columns={"sentence_id": "position"})
        ids = unit_ids(unit, frame["article_id"], frame["position"])
        return _finish(frame, unit, ids, outlets)
    if unit != "paragraph":
        raise ValueError(f"unit must be article, paragraph, sentence or quote, not {unit!r}")
    spans = sentences.groupby(["article_id", "paragraph_id"], sort=False, as_index=False).agg(
        start=("start", "min"), end=("end", "max")
    )
    texts = articles.set_index("article_id")["text_clean"]
    spans["text"] = [
        texts[a][s:e] for a, s, e in zip(spans["article_id"], spans["start"], spans["end"])
    ]
    frame = spans.rename(columns={"paragraph_id": "position"})
    ids = unit_ids(unit, frame["article_id"], frame["position"])
    return _finish(frame, unit, ids, outlets)


def _finish(frame: pd.DataFrame, unit: str, ids, outlets: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "unit": unit,
            "unit_id": list(ids),
            "article_id": frame["article_id"].astype(str).to_numpy(),
            "position": frame["position"].astype(int).to_numpy(),
            "text": frame["text"].astype(str).to_numpy(),
        }
    )
    out["outlet"] = out["article_id"].map(outlets).astype(str)
    return out[UNIT_COLUMNS]


RUN_TABLES = ("articles", "sentences", "quotes", "frame_scores", "actor_mentions")
"""The run tables that coding reads: units and their texts, and the measures it checks."""


def read_run_tables(folder: str | Path, names: tuple[str, ...] = RUN_TABLES) -> dict:
    """The tables ``names`` of a finished run's output folder (Parquet), those it has.

    Raises
    ------
    FileNotFoundError
        When the folder holds no ``articles.parquet``: it is not a run's output folder.
    """
    folder = Path(folder)
    if not (folder / "articles.parquet").is_file():
        raise FileNotFoundError(
            f"{folder}: no articles.parquet; give the output folder of a finished run "
            "(python -m analysis run ... --out FOLDER)"
        )
    return {
        name: pd.read_parquet(folder / f"{name}.parquet")
        for name in names
        if (folder / f"{name}.parquet").is_file()
    }
