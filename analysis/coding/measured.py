"""What a run measured for each coded unit, from its tables: the dictionary's frame
matches, the tone of the unit's sentences (all of them, or those mentioning an actor),
whether it holds a direct quote, and who speaks in it (see :func:`analysis.coding.validate`).
"""

from __future__ import annotations

import pandas as pd

from analysis.coding.codebook import Variable
from analysis.coding.units import coding_units, unit_ids
from analysis.lexicon import count_matches


def frame_counts(tables, unit: str, dictionary, variable: Variable) -> pd.DataFrame:
    """Matches per unit (index ``unit_id``) and category."""
    if unit == "article":
        scores = tables["frame_scores"]
        has_all = scores["voice"] == "all"
        articles_with_all = set(scores.loc[has_all, "article_id"])
        keep = has_all | ~scores["article_id"].isin(articles_with_all)
        counts = scores[keep].pivot_table(
            index="article_id", columns="category", values="count", aggfunc="sum", fill_value=0
        )
        counts.index = counts.index.astype(str)
        counts.columns = counts.columns.astype(str)
        return counts
    if dictionary is None:
        raise ValueError(
            f"{variable.name}: frames coded at {unit} units are scored from the units' text; "
            "pass the run's dictionary (validate(..., dictionary=read_dictionary(NAME)))"
        )
    units = coding_units(tables, unit)
    matches = count_matches(units["text"].tolist(), dictionary)
    return pd.DataFrame(
        matches.category_counts(), columns=matches.categories, index=units["unit_id"].to_numpy()
    )


def _sentence_units(tables, unit: str) -> pd.DataFrame:
    """``article_id, sentence_id, unit_id``: the sentences of each unit."""
    sentences = tables["sentences"][["article_id", "sentence_id", "paragraph_id"]]
    if unit == "quote":
        quotes = tables["quotes"][["article_id", "quote_id", "sentence_id"]]
        ids = unit_ids(unit, quotes["article_id"], quotes["quote_id"])
        return quotes[["article_id", "sentence_id"]].assign(unit_id=ids)
    number = {"article": None, "paragraph": "paragraph_id", "sentence": "sentence_id"}[unit]
    ids = unit_ids(unit, sentences["article_id"], sentences[number] if number else None)
    return sentences[["article_id", "sentence_id"]].assign(unit_id=ids)


def tone_measure(tables, unit: str, actor: str | None) -> pd.Series:
    """Mean compound of each unit's sentences (that mention ``actor``), by ``unit_id``."""
    sentences = tables["sentences"][["article_id", "sentence_id", "compound"]]
    if actor is not None:
        mentions = tables["actor_mentions"]
        mentions = mentions.loc[
            mentions["actor"].astype(str) == actor, ["article_id", "sentence_id"]
        ]
        sentences = sentences.merge(mentions.drop_duplicates(), on=["article_id", "sentence_id"])
    joined = _sentence_units(tables, unit).merge(sentences, on=["article_id", "sentence_id"])
    return joined.groupby("unit_id")["compound"].mean()


def _overlapping_direct_quotes(tables) -> pd.DataFrame:
    """``article_id, sentence_id, speaker``: sentences overlapped by a direct, non-scare
    quotation, with its speaker, in the quotations' order."""
    quotes = tables["quotes"]
    direct = quotes[(quotes["kind"].astype(str) == "direct") & ~quotes["scare"].astype(bool)]
    sentences = tables["sentences"][["article_id", "sentence_id", "start", "end"]]
    pairs = direct[["article_id", "quote_id", "start", "end", "speaker"]].merge(
        sentences, on="article_id", suffixes=("_q", "")
    )
    overlap = (pairs["start_q"] < pairs["end"]) & (pairs["start"] < pairs["end_q"])
    return pairs.loc[overlap].sort_values(["article_id", "quote_id"])[
        ["article_id", "sentence_id", "speaker"]
    ]


def direct_quotes(tables, unit: str) -> dict[str, pd.Series]:
    """Per predictor, 1.0 or 0.0 by ``unit_id``: does the unit hold a direct quote."""
    if unit == "quote":
        quotes = tables["quotes"]
        ids = unit_ids(unit, quotes["article_id"], quotes["quote_id"])
        direct = (quotes["kind"].astype(str) == "direct") & ~quotes["scare"].astype(bool)
        return {"direct_quotes": pd.Series(direct.astype(float).to_numpy(), index=ids)}
    sentences = tables["sentences"]
    ids = unit_ids(unit, sentences["article_id"], sentences["sentence_id"])
    voice = pd.Series((sentences["voice"].astype(str) == "quote").astype(float).to_numpy(), ids)
    marked = _overlapping_direct_quotes(tables)
    keys = set(zip(marked["article_id"], marked["sentence_id"]))
    flags = [float(k in keys) for k in zip(sentences["article_id"], sentences["sentence_id"])]
    return {"voice": voice, "direct_quotes": pd.Series(flags, index=ids)}


def run_speakers(tables, unit: str) -> pd.Series:
    """The run's speaker by ``unit_id`` (NA when it names none)."""
    if unit == "quote":
        quotes = tables["quotes"]
        ids = unit_ids(unit, quotes["article_id"], quotes["quote_id"])
        return pd.Series(quotes["speaker"].to_numpy(dtype=object), index=ids)
    sentences = tables["sentences"]
    keys = list(zip(sentences["article_id"], sentences["sentence_id"]))
    marked = _overlapping_direct_quotes(tables).dropna(subset=["speaker"])
    first = marked.drop_duplicates(["article_id", "sentence_id"]).set_index(
        ["article_id", "sentence_id"]
    )["speaker"]
    own = sentences["speaker"].to_numpy(dtype=object)
    speakers = [s if not pd.isna(s) else first.get(k) for s, k in zip(own, keys)]
    ids = unit_ids(unit, sentences["article_id"], sentences["sentence_id"])
    return pd.Series(speakers, index=ids, dtype=object)
