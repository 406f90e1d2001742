"""Checking a run's measures against human codes: frames, tone, quotes and speakers.

:func:`validate` takes the codes (wide: one row per unit and coder, see
:mod:`analysis.coding.agreement`), a run's tables and the codebook, and compares every
variable with a ``validates`` link (:mod:`analysis.coding.codebook`) to what the run
measured for the same units. :func:`coding_ceiling` says how far the coders agree with one
another measured the same way: the most a measure can be expected to reach.

The coders' value of a unit (their *consensus*), from the coders who coded it:

- binary: 1 when more than half of them said 1, 0 when more than half said 0; a tie is
  *undecided* (NaN; counted in ``n_undecided`` and left out of every statistic);
- ordinal: the mean of their values (so two coders' -1 and -2 give -1.5);
- text: the value when all of them give the same after normalising case and spaces, else
  NaN (undecided); categorical: the value when all agree, else NaN.

What a run measures per unit:

- ``{frame: CATEGORY}``: the dictionary's matches of the category in the unit; a unit is
  predicted to carry the frame with at least one match (as in :func:`compare_to_labels`,
  which computes precision, recall, F1, Spearman and AUC). Article units take the run's
  ``frame_scores`` (the ``all`` voice when present, else the voices summed); paragraph,
  sentence and quote units score the unit's text (:func:`~analysis.coding.coding_units`)
  with :func:`~analysis.lexicon.count_matches` and the ``dictionary`` given, as
  ``benchmarks/validate_gvfc.py`` scores headlines.
- ``{tone: compound}``: the mean VADER compound of the unit's sentences (an article's
  sentences, a paragraph's, the sentence, a quote's sentence).
- ``{actor_tone: ACTOR}``: the same over the unit's sentences that mention the actor
  (``actor_mentions``); a unit where none does has no measure and is left out.
- ``{quote: direct}``: two predictors, one row each in ``quotes``: ``voice`` (the segmenter
  marked the sentence's voice ``quote``: at least half of its non-space characters inside
  quotation marks) and ``direct_quotes`` (a ``direct`` quotation of the ``quotes`` table
  that is not a scare quote overlaps the sentence). The second follows the codebook's rule
  more closely (a short attributed quote counts, scare quotes do not, a quote running over
  two sentences marks both); the first is what the tone-by-voice measures use. At quote
  units: the quote is ``direct`` and not a scare quote.
- ``{quote: speaker}``: the run's speaker of the sentence (``sentences.speaker``, else the
  speaker of a direct quote overlapping it) or of the quote. Names are compared by
  :func:`same_speaker`.

Intervals resample articles (a unit's article and all its other units together, since
paragraphs of one article share a writer and a topic), percentile method, one random
stream per variable (:func:`analysis.stats.cell_rng`). They are
reported only from :data:`MIN_ARTICLES_INTERVAL` articles (F1, Spearman) and
:data:`MIN_ARTICLES_PEARSON` (Pearson), the counts from which the simulation in
``tests/test_coding_validate.py`` saw the 95% intervals cover about 0.93 or more (clustered
bivariate normal data and clustered binary frames; other data may need more articles); below
them they are NaN and ``interval_note`` says why.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats
from sklearn.metrics import roc_auc_score

from analysis.coding.codebook import Codebook, Variable
from analysis.coding.resample import (
    MIN_ARTICLES_INTERVAL,
    MIN_ARTICLES_PEARSON,
    article_interval,
    weighted_pearson,
    weighted_spearman,
)
from analysis.coding.units import coding_units, unit_id
from analysis.lexicon import compare_to_labels, count_matches
from analysis.settings import N_RESAMPLES
from analysis.stats import cell_rng

FRAME_COLUMNS = [
    "variable", "frame", "unit", "n_units", "n_labelled", "n_predicted", "n_undecided",
    "precision", "recall", "f1", "f1_ci_low", "f1_ci_high", "n_articles", "interval_note",
    "spearman", "auc", "ranking_rho", "n_outlets",
]  # fmt: skip
TONE_COLUMNS = [
    "variable", "measure", "unit", "n_units", "n_articles", "spearman", "spearman_ci_low",
    "spearman_ci_high", "pearson", "pearson_ci_low", "pearson_ci_high", "interval_note",
    "auc_negative", "n_negative",
]  # fmt: skip
QUOTE_COLUMNS = [
    "variable", "predictor", "n_units", "n_labelled", "n_predicted", "n_undecided",
    "precision", "recall", "f1", "speaker_agreement", "n_speakers",
]  # fmt: skip
UNIT_COLUMNS = [
    "variable", "unit", "unit_id", "article_id", "outlet", "n_coders", "undecided",
    "coders", "measure", "predicted", "coders_text", "measure_text",
]  # fmt: skip
OUTLET_COLUMNS = ["variable", "outlet", "statistic", "coders", "measure", "n_units"]
CEILING_COLUMNS = ["variable", "type", "statistic", "ceiling", "n_coders", "n_pairs", "n_units"]
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir"}


def validate(
    codes: pd.DataFrame,
    tables,
    *,
    codebook: Codebook,
    dictionary=None,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    confidence: float = 0.95,
) -> dict[str, pd.DataFrame]:
    """Compare every variable of ``codebook`` with a ``validates`` link to the run's measure.

    Parameters
    ----------
    codes : DataFrame
        One row per (unit, coder): ``unit``, ``unit_id``, ``article_id``, ``outlet``,
        ``coder`` and one column per variable (NA = not coded).
    tables : mapping of str to DataFrame
        A run's tables (``run(...).tables``). Used: ``frame_scores`` (article frames),
        ``articles`` and ``sentences`` (other frames, through :func:`coding_units`),
        ``sentences`` (tone, quotes), ``actor_mentions`` (actor tone), ``quotes`` (quote
        units, direct quotes, speakers); only those the codebook's links need.
    codebook : Codebook
    dictionary : Dictionary, optional
        The run's dictionary; required for frame variables not coded at article units.
    n_resamples : int
        Bootstrap resamples of the intervals.
    seed : int
        The seed; each variable draws from its own stream (:func:`analysis.stats.cell_rng`).
    confidence : float
        Level of the intervals.

    Returns
    -------
    dict of str to DataFrame
        ``frames`` (:data:`FRAME_COLUMNS`), ``tone`` (:data:`TONE_COLUMNS`), ``quotes``
        (:data:`QUOTE_COLUMNS`), ``units`` (:data:`UNIT_COLUMNS`: one row per variable and
        unit, the coders' consensus beside the measure) and ``outlets``
        (:data:`OUTLET_COLUMNS`: per outlet and variable, the coders' share or mean beside
        the measure's, with the units behind them).

    Raises
    ------
    ValueError
        A frame variable at paragraph, sentence or quote units without a ``dictionary``, or
        a frame category the scores do not have.
    """
    frames, tone, quotes, units, outlets = [], [], [], [], []
    scored: dict[str, pd.DataFrame] = {}
    for variable in codebook.variables:
        if not variable.validates or variable.name not in codes.columns:
            continue
        ((link, target),) = variable.validates.items()
        held = consensus(codes, variable)
        rng = cell_rng(seed, "validation", variable.name)
        if link == "frame":
            if variable.unit not in scored:
                scored[variable.unit] = _frame_counts(tables, variable.unit, dictionary, variable)
            scores = scored[variable.unit]
            if target not in scores.columns:
                raise ValueError(
                    f"{variable.name}: the frame {target!r} is not among the dictionary's "
                    f"categories ({', '.join(map(str, scores.columns))})"
                )
            rows = held.assign(measure=held["unit_id"].map(scores[target]).astype(float))
            rows["predicted"] = (rows["measure"] > 0).astype(float).where(rows["measure"].notna())
            frames.append(_frame_row(variable, target, rows, rng, n_resamples, confidence))
            outlets.append(_outlets(variable, rows, "share", "predicted"))
        elif link in ("tone", "actor_tone"):
            measure = _tone_measure(tables, variable.unit, target if link == "actor_tone" else None)
            rows = held.assign(measure=held["unit_id"].map(measure).astype(float), predicted=np.nan)
            tone.append(_tone_row(variable, link, target, rows, rng, n_resamples, confidence))
            outlets.append(_outlets(variable, rows, "mean", "measure"))
        elif target == "direct":
            for predictor, marked in _direct_quotes(tables, variable.unit).items():
                rows = held.assign(measure=held["unit_id"].map(marked).astype(float))
                rows["predicted"] = rows["measure"]
                quotes.append(_direct_row(variable, predictor, rows))
                named = rows.assign(variable=f"{variable.name}:{predictor}")
                units.append(_units(variable, named))
                outlets.append(_outlets(variable, named, "share", "predicted"))
            continue
        else:
            speakers = _run_speakers(tables, variable.unit)
            rows = held.assign(measure=np.nan, predicted=np.nan)
            rows["measure_text"] = rows["unit_id"].map(speakers)
            quotes.append(_speaker_row(variable, rows))
        units.append(_units(variable, rows))
    return {
        "frames": _table(frames, FRAME_COLUMNS),
        "tone": _table(tone, TONE_COLUMNS),
        "quotes": _table(quotes, QUOTE_COLUMNS),
        "units": _table(units, UNIT_COLUMNS),
        "outlets": _table(outlets, OUTLET_COLUMNS),
    }


def consensus(codes: pd.DataFrame, variable: Variable) -> pd.DataFrame:
    """The coders' value of each unit they coded ``variable`` for (module docstring).

    Returns
    -------
    DataFrame
        ``unit_id, article_id, outlet, n_coders, undecided, coders`` (float, NaN when
        undecided) and ``coders_text`` (the agreed text of a text or categorical variable).
    """
    rows = codes[codes["unit"] == variable.unit] if "unit" in codes else codes
    rows = rows[rows[variable.name].notna()]
    keys = ["unit_id", "article_id", "outlet"]
    grouped = rows.groupby(keys, sort=False, observed=True)[variable.name]
    out = grouped.size().rename("n_coders").reset_index()
    if variable.type in ("text", "categorical"):
        normal = rows[variable.name].astype(str).map(_normal_text)
        agreed = normal.groupby([rows[k] for k in keys], sort=False).agg(
            lambda v: v.iloc[0] if v.nunique() == 1 else np.nan
        )
        out["coders_text"] = agreed.to_numpy()
        out["coders"] = np.nan
    else:
        values = rows[variable.name].astype(float)
        by_unit = values.groupby([rows[k] for k in keys], sort=False)
        if variable.type == "binary":
            share = by_unit.mean().to_numpy()
            out["coders"] = np.where(share > 0.5, 1.0, np.where(share < 0.5, 0.0, np.nan))
        else:
            out["coders"] = by_unit.mean().to_numpy()
        out["coders_text"] = None
    out["undecided"] = (out["coders"].isna() & out["coders_text"].isna()).to_numpy()
    out["unit_id"] = out["unit_id"].astype(str)
    out["article_id"] = out["article_id"].astype(str)
    return out


def same_speaker(coded, measured) -> bool | None:
    """Whether two names of a speaker name the same person or organisation.

    Both are normalised (case, spaces, punctuation but hyphens and apostrophes dropped, a
    leading title such as Mr or Dr removed). They match when equal, or when every word of the
    shorter name is a word of the longer: "Nisar" (a surname alone) and "Chaudhry Nisar Ali
    Khan" match, "Imran Khan" and "Chaudhry Nisar Ali Khan" do not (they share only "Khan").
    A shared surname alone is a match, so two people of one family named by their surname
    would be counted the same speaker.

    Returns
    -------
    bool or None
        None when either name is missing or empty (the pair is not compared).
    """
    a, b = (_name_words(name) for name in (coded, measured))
    if not a or not b:
        return None
    short, long = sorted((a, b), key=len)
    return a == b or set(short) <= set(long)


def coding_ceiling(codes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """How far the coders agree with one another, measured as the measures are checked.

    For each variable and each pair of coders, on the units both coded: binary, F1 of one
    coder against the other (symmetric); ordinal, Spearman's rho; categorical, the share of
    units with the same code; text, the share with the same speaker (:func:`same_speaker`)
    among units both gave a value. ``ceiling`` is the mean over the pairs with at least two
    shared units (NaN with one coder, or when undefined); ``n_units`` counts the shared
    units of all pairs.

    Returns
    -------
    DataFrame
        :data:`CEILING_COLUMNS`, one row per variable.
    """
    rows = []
    statistic = {"binary": "f1", "ordinal": "spearman", "categorical": "agreement"}
    for variable in codebook.variables:
        if variable.name not in codes.columns:
            continue
        coded = codes[codes["unit"] == variable.unit] if "unit" in codes else codes
        coded = coded[coded[variable.name].notna()]
        wide = coded.pivot_table(
            index="unit_id", columns="coder", values=variable.name, aggfunc="first"
        )
        values, n_units = [], 0
        for a, b in itertools.combinations(wide.columns, 2):
            both = wide[[a, b]].dropna()
            n_units += len(both)
            if len(both) >= 2:
                values.append(_pair_agreement(variable, both[a], both[b]))
        finite = [v for v in values if np.isfinite(v)]
        rows.append(
            (
                variable.name,
                variable.type,
                statistic.get(variable.type, "speaker_agreement"),
                float(np.mean(finite)) if finite else np.nan,
                wide.shape[1],
                len(values),
                n_units,
            )
        )
    return pd.DataFrame(rows, columns=CEILING_COLUMNS)


def _pair_agreement(variable: Variable, a: pd.Series, b: pd.Series) -> float:
    if variable.type == "binary":
        x, y = a.astype(float).to_numpy() > 0, b.astype(float).to_numpy() > 0
        tp, differ = np.sum(x & y), np.sum(x != y)
        return 2 * tp / (2 * tp + differ) if tp + differ else np.nan
    if variable.type == "ordinal":
        x, y = a.astype(float).to_numpy(), b.astype(float).to_numpy()
        return scipy_stats.spearmanr(x, y).statistic if np.ptp(x) and np.ptp(y) else np.nan
    if variable.type == "categorical":
        return float(np.mean(a.astype(str).map(_normal_text) == b.astype(str).map(_normal_text)))
    matches = [same_speaker(x, y) for x, y in zip(a, b)]
    matches = [m for m in matches if m is not None]
    return float(np.mean(matches)) if matches else np.nan


# -- what the run measured per unit ------------------------------------------------------


def _frame_counts(tables, unit: str, dictionary, variable: Variable) -> pd.DataFrame:
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
        ids = [unit_id(unit, a, q) for a, q in zip(quotes["article_id"], quotes["quote_id"])]
        return quotes[["article_id", "sentence_id"]].assign(unit_id=ids)
    number = {"article": None, "paragraph": "paragraph_id", "sentence": "sentence_id"}[unit]
    numbers = sentences[number] if number else itertools.repeat(None)
    ids = [unit_id(unit, a, n) for a, n in zip(sentences["article_id"], numbers)]
    return sentences[["article_id", "sentence_id"]].assign(unit_id=ids)


def _tone_measure(tables, unit: str, actor: str | None) -> pd.Series:
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


def _direct_quotes(tables, unit: str) -> dict[str, pd.Series]:
    """Per predictor, 1.0 or 0.0 by ``unit_id``: does the unit hold a direct quote."""
    if unit == "quote":
        quotes = tables["quotes"]
        ids = [unit_id(unit, a, q) for a, q in zip(quotes["article_id"], quotes["quote_id"])]
        direct = (quotes["kind"].astype(str) == "direct") & ~quotes["scare"].astype(bool)
        return {"direct_quotes": pd.Series(direct.astype(float).to_numpy(), index=ids)}
    sentences = tables["sentences"]
    ids = [unit_id(unit, a, s) for a, s in zip(sentences["article_id"], sentences["sentence_id"])]
    voice = pd.Series((sentences["voice"].astype(str) == "quote").astype(float).to_numpy(), ids)
    marked = _overlapping_direct_quotes(tables)
    keys = set(zip(marked["article_id"], marked["sentence_id"]))
    flags = [float(k in keys) for k in zip(sentences["article_id"], sentences["sentence_id"])]
    return {"voice": voice, "direct_quotes": pd.Series(flags, index=ids)}


def _run_speakers(tables, unit: str) -> pd.Series:
    """The run's speaker by ``unit_id`` (NA when it names none)."""
    if unit == "quote":
        quotes = tables["quotes"]
        ids = [unit_id(unit, a, q) for a, q in zip(quotes["article_id"], quotes["quote_id"])]
        return pd.Series(quotes["speaker"].to_numpy(dtype=object), index=ids)
    sentences = tables["sentences"]
    keys = list(zip(sentences["article_id"], sentences["sentence_id"]))
    marked = _overlapping_direct_quotes(tables).dropna(subset=["speaker"])
    first = marked.drop_duplicates(["article_id", "sentence_id"]).set_index(
        ["article_id", "sentence_id"]
    )["speaker"]
    own = sentences["speaker"].to_numpy(dtype=object)
    speakers = [s if not pd.isna(s) else first.get(k) for s, k in zip(own, keys)]
    ids = [unit_id(unit, a, s) for a, s in keys]
    return pd.Series(speakers, index=ids, dtype=object)


# -- the rows of the result --------------------------------------------------------------


def _decided(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["coders"].notna() & rows["measure"].notna()]


def _frame_row(variable, target, rows, rng, n_resamples, confidence) -> dict:
    usable = _decided(rows)
    scores = pd.DataFrame({target: usable["measure"].to_numpy()}, index=usable["unit_id"])
    labels = pd.DataFrame({target: usable["coders"].astype(int).to_numpy()}, index=scores.index)
    found = compare_to_labels(scores, labels)
    metrics = (
        found.iloc[0].drop("category").to_dict()
        if len(found)
        else dict.fromkeys(["precision", "recall", "f1", "spearman", "auc"], np.nan)
        | {"n_units": 0, "n_labelled": 0, "n_predicted": 0}
    )
    truth, predicted = usable["coders"].to_numpy() > 0, usable["predicted"].to_numpy() > 0
    articles = usable["article_id"].to_numpy()
    per_article = (
        pd.DataFrame({"tp": truth & predicted, "fp": ~truth & predicted, "fn": truth & ~predicted})
        .groupby(articles)
        .sum()
    )
    low, high, note = article_interval(
        lambda w: _f1(w @ per_article.to_numpy(dtype=float)),
        len(per_article),
        rng,
        n_resamples,
        confidence,
    )
    by_outlet = usable.groupby("outlet")[["coders", "predicted"]].mean()
    varied = len(by_outlet) >= 3 and by_outlet.nunique().min() > 1
    rho = (
        scipy_stats.spearmanr(by_outlet["predicted"], by_outlet["coders"]).statistic
        if varied
        else np.nan
    )
    return metrics | {
        "variable": variable.name,
        "frame": target,
        "unit": variable.unit,
        "n_undecided": int(rows["undecided"].sum()),
        "f1_ci_low": low,
        "f1_ci_high": high,
        "n_articles": len(per_article),
        "interval_note": note,
        "ranking_rho": float(rho) if varied else np.nan,
        "n_outlets": len(by_outlet),
    }


def _f1(counts: np.ndarray) -> np.ndarray:
    """F1 from resampled ``tp, fp, fn`` sums (resamples x 3); NaN when all are 0."""
    tp, fp, fn = counts.T
    with np.errstate(invalid="ignore", divide="ignore"):
        return 2 * tp / (2 * tp + fp + fn)


def _tone_row(variable, link, target, rows, rng, n_resamples, confidence) -> dict:
    usable = _decided(rows)
    x, y = usable["measure"].to_numpy(), usable["coders"].to_numpy()
    articles = pd.factorize(usable["article_id"])[0]
    n_articles = int(articles.max()) + 1 if len(articles) else 0
    varied = len(x) >= 3 and np.ptp(x) > 0 and np.ptp(y) > 0
    spearman = scipy_stats.spearmanr(x, y).statistic if varied else np.nan
    pearson = scipy_stats.pearsonr(x, y).statistic if varied else np.nan
    intervals, notes = {}, {}
    for name, statistic, minimum in (
        ("spearman", weighted_spearman, MIN_ARTICLES_INTERVAL),
        ("pearson", weighted_pearson, MIN_ARTICLES_PEARSON),
    ):
        low, high, notes[name] = (
            article_interval(
                lambda w, s=statistic: s(w[:, articles], x, y),
                n_articles,
                rng,
                n_resamples,
                confidence,
                minimum=minimum,
            )
            if varied
            else (np.nan, np.nan, "undefined: constant measure or codes, or under 3 units")
        )
        intervals |= {f"{name}_ci_low": low, f"{name}_ci_high": high}
    if notes["spearman"] == notes["pearson"]:
        note = notes["spearman"]
    else:
        note = "; ".join(f"{name}: {text}" for name, text in notes.items() if text)
    negative = y < 0
    defined = 0 < negative.sum() < len(y) and np.ptp(x) > 0
    return {
        "variable": variable.name,
        "measure": "compound" if link == "tone" else f"compound|{target}",
        "unit": variable.unit,
        "n_units": len(x),
        "n_articles": n_articles,
        "spearman": spearman,
        "pearson": pearson,
        **intervals,
        "interval_note": note,
        "auc_negative": roc_auc_score(negative, -x) if defined else np.nan,
        "n_negative": int(negative.sum()),
    }


def _direct_row(variable, predictor, rows) -> dict:
    usable = _decided(rows)
    truth, predicted = usable["coders"].to_numpy() > 0, usable["predicted"].to_numpy() > 0
    tp, fp, fn = np.sum(truth & predicted), np.sum(~truth & predicted), np.sum(truth & ~predicted)
    return {
        "variable": variable.name,
        "predictor": predictor,
        "n_units": len(usable),
        "n_labelled": int(truth.sum()),
        "n_predicted": int(predicted.sum()),
        "n_undecided": int(rows["undecided"].sum()),
        "precision": tp / (tp + fp) if tp + fp else np.nan,
        "recall": tp / (tp + fn) if tp + fn else np.nan,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan,
    }


def _speaker_row(variable, rows) -> dict:
    matched = [same_speaker(c, m) for c, m in zip(rows["coders_text"], rows["measure_text"])]
    matched = [m for m in matched if m is not None]
    return {
        "variable": variable.name,
        "predictor": "speaker",
        "n_units": len(rows),
        "n_undecided": int(rows["undecided"].sum()),
        "speaker_agreement": float(np.mean(matched)) if matched else np.nan,
        "n_speakers": len(matched),
    }


def _units(variable, rows) -> pd.DataFrame:
    return rows.assign(variable=rows.get("variable", variable.name), unit=variable.unit).reindex(
        columns=UNIT_COLUMNS
    )


def _outlets(variable, rows, statistic, column) -> pd.DataFrame:
    usable = _decided(rows)
    grouped = usable.groupby("outlet", sort=True)
    return (
        pd.DataFrame(
            {
                "variable": rows["variable"].iloc[0] if "variable" in rows else variable.name,
                "statistic": statistic,
                "coders": grouped["coders"].mean(),
                "measure": grouped[column].mean(),
                "n_units": grouped.size(),
            }
        )
        .rename_axis("outlet")
        .reset_index()[OUTLET_COLUMNS]
    )


def _table(parts, columns) -> pd.DataFrame:
    parts = [pd.DataFrame([p]) if isinstance(p, dict) else p for p in parts]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=columns)
    table = pd.concat(parts, ignore_index=True).reindex(columns=columns)
    counts = [c for c in columns if c.startswith("n_")]
    return table.astype(dict.fromkeys(counts, "Int64"))


# -- names -------------------------------------------------------------------------------


def _normal_text(text) -> str:
    return " ".join(str(text).casefold().split())


def _name_words(name) -> tuple[str, ...]:
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ()
    words = re.sub(r"[^\w\s'-]", " ", str(name).casefold()).split()
    while words and words[0] in _TITLES:
        words = words[1:]
    return tuple(words)
