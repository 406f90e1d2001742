"""The words of the tone figures (:mod:`analysis.figures.tone`): their captions, the notes
on their intervals and the counts printed under each outlet's name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import plots, stats
from analysis.figures.spec import shown_outlets, shown_outlets_note

VOICE_MEASURES = {
    "all": "compound_mean",
    "narrative": "compound_narrative",
    "quote": "compound_quote",
    "social": "compound_social",
}
HEATMAP_INTERVALS_UP_TO = 6
"""Up to this many outlets, heatmap cells also print their interval (when they have one)."""


def _unit(table: pd.DataFrame) -> str:
    units = table["unit"].dropna().unique() if len(table) else []
    return str(units[0]) if len(units) else "article"


def _outlet_numbers(
    tables: dict[str, pd.DataFrame], outlets: list[str]
) -> dict[str, tuple[int, int | None]]:
    """Each outlet's articles and sentences: articles from the articles table, sentences
    from article_tone (or, without it, from outlet_tone when its unit is the sentence; else
    None)."""
    articles = tables["articles"]["outlet"].astype(str).value_counts()
    sentences = None
    tone = tables.get("article_tone")
    if tone is not None and "n_sentences" in tone:
        sentences = tone.groupby(tone["outlet"].astype(str))["n_sentences"].sum()
    elif "outlet_tone" in tables and _unit(tables["outlet_tone"]) == "sentence":
        table = tables["outlet_tone"]
        sentences = table[table["measure"] == "compound_mean"].set_index("outlet")["n_units"]
    return {
        outlet: (
            int(articles.get(outlet, 0)),
            None if sentences is None else int(sentences.get(outlet, 0)),
        )
        for outlet in outlets
    }


def _outlet_counts(tables: dict[str, pd.DataFrame], outlets: list[str]) -> dict[str, str]:
    """Each outlet's articles and sentences in words: '1 article, 19 sentences'."""
    numbers = _outlet_numbers(tables, outlets)
    return {outlet: plots.counts_label(*numbers[outlet]) for outlet in outlets}


def _voice_sentences(tables: dict[str, pd.DataFrame], data: pd.DataFrame) -> pd.Series:
    """The sentences behind each row of ``data`` (outlet_tone rows of one voice each): its
    n_units when the unit is the sentence, else summed from article_tone (NaN without it)."""
    if _unit(data) == "sentence":
        return data["n_units"].astype(float)
    tone = tables.get("article_tone")
    if tone is None:
        return pd.Series(np.nan, index=data.index)
    columns = {
        "all": "n_sentences",
        "narrative": "n_narrative",
        "quote": "n_quote",
        "social": "n_social",
    }
    present = [c for c in columns.values() if c in tone]
    sums = tone.groupby(tone["outlet"].astype(str))[present].sum()
    return pd.Series(
        [
            float(sums.at[outlet, columns[voice]])
            if outlet in sums.index and columns[voice] in sums
            else np.nan
            for outlet, voice in zip(data["outlet"].astype(str), data["voice"])
        ],
        index=data.index,
    )


def _interval_note(table: pd.DataFrame, unit: str, *, missing_mark: str = "Open markers") -> str:
    present = table[table["n_units"] > 0] if len(table) else table
    if len(present) and present["ci_low"].isna().all():
        return (
            f"No interval could be computed (intervals would be resampling {unit}s): every "
            f"outlet has fewer than {stats.MIN_UNITS_MEAN} {unit}s (below that no interval "
            "covers as it should, e.g. one article per outlet), so nothing shows how far "
            f"chance could move these means. {missing_mark}: no interval."
            + (" " + stats.SENTENCE_CAVEAT if unit == "sentence" else "")
        )
    text = (
        f"Bars: 95% studentized bootstrap intervals resampling {unit}s "
        f"({'each article one unit' if unit == 'article' else 'each sentence one unit'})."
    )
    if unit == "sentence":
        text += " " + stats.SENTENCE_CAVEAT
    missing = table[(table["n_units"] > 0) & table["ci_low"].isna()] if len(table) else table
    if len(missing):
        text += (
            f" {missing_mark}: no interval (fewer than {stats.MIN_UNITS_MEAN} {unit}s, below "
            "which no interval covers as it should, e.g. one article per outlet)."
        )
    return text


def _tone_by_voice_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["outlet_tone"]
    table = table[table["outlet"].isin(shown_outlets(tables))]
    unit = _unit(table)
    return (
        "Tone by outlet and voice: mean VADER compound score (-1 most negative, +1 most "
        "positive) of all sentences and separately of the outlet's own narrative, of "
        "quotations and of embedded social-media posts. Under each outlet's name: its "
        "articles and sentences; n beside a marker: the sentences of that voice it rests on, "
        f"printed when fewer than {plots.FEW}. "
        + _interval_note(table[table["measure"].isin(VOICE_MEASURES.values())], unit)
        + " The legend's markers are drawn as the plot draws them (open when no marker of "
        "that voice has an interval)." + shown_outlets_note(tables)
    )


def _legend_title(some_open: bool, some_filled: bool) -> str | None:
    """What open and filled markers mean, when the plot has open ones."""
    if some_open and some_filled:
        return "filled: with 95% interval; open: no interval"
    return "open markers: no interval" if some_open else None


def _along_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["tone_by_position"]
    table = table[table["outlet"].isin(shown_outlets(tables))]
    unit = _unit(table)
    bins = int(table["bin"].max()) + 1 if len(table) else 0
    return (
        f"Tone along the article: mean VADER compound of the sentences in each of {bins} "
        "equal parts of the article (0 = first sentence, 1 = last), per outlet. With each "
        "outlet's name: its articles and sentences, and about how many sentences each point "
        f"averages (its sentences / {bins}); a point of a few sentences moves a lot by chance. "
        + _interval_note(table, unit, missing_mark="No band").replace("Bars", "Bands")
        + shown_outlets_note(tables)
    )


def _position_counts(
    tables: dict[str, pd.DataFrame], outlets: list[str], bins: int
) -> dict[str, str]:
    """'1 article, 19 sentences' and '~4 sentences a point' (on a second line) per outlet;
    without sentence counts, the articles alone."""
    numbers = _outlet_numbers(tables, outlets)
    counts = {}
    for outlet in outlets:
        articles, sentences = numbers[outlet]
        counts[outlet] = plots.counts_label(articles, sentences)
        if sentences:
            counts[outlet] += f"\n~{max(1, round(sentences / bins)):,} sentences a point"
    return counts


def _actor_caption(tables: dict[str, pd.DataFrame]) -> str:
    table = tables["actor_tone"]
    unit = _unit(table)
    shown = table[(table["voice"] == "all") & table["outlet"].isin(shown_outlets(tables))]
    mentioned = shown[shown["n_sentences"] > 0]
    text = (
        "Tone toward actors: mean VADER compound of the sentences that mention each actor "
        "(all voices), per outlet; n is the number of such sentences, and under each outlet's "
        f"name its articles. Cells resting on fewer than {plots.FEW} sentences are faded and "
        "hatched: one or two sentences can make a cell dark by chance. Grey cells: "
        "the outlet never mentions the actor (not a tone of zero). The score is the tone of "
        "the whole sentence, which is not always tone toward the actor it mentions."
    )
    if len(mentioned) and mentioned["ci_low"].isna().all():
        text += (
            f" No interval could be computed for any cell: each rests on fewer than "
            f"{stats.MIN_UNITS_MEAN} {unit}s (the unit resampled), below which no interval "
            "covers as it should."
        )
    elif mentioned["ci_low"].isna().any():
        text += (
            " Cells with an interval print it (95% bootstrap, low…high; in the CSV when more "
            f"than {HEATMAP_INTERVALS_UP_TO} outlets are shown); cells without one rest on "
            f"fewer than {stats.MIN_UNITS_MEAN} {unit}s."
        )
    else:
        text += (
            " Each cell prints its 95% bootstrap interval (low…high; in the CSV when more "
            f"than {HEATMAP_INTERVALS_UP_TO} outlets are shown)."
        )
    resampling = (
        " " + stats.SENTENCE_CAVEAT if unit == "sentence" else " Intervals resample articles."
    )
    return text + resampling + shown_outlets_note(tables)
