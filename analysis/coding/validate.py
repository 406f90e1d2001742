"""Checking a run's measures against human codes: frames, tone, quotes and speakers.

:func:`validate` takes the codes (wide: one row per unit and coder, see
:mod:`analysis.coding.agreement`), a run's tables and the codebook, and compares every
variable with a ``validates`` link (:mod:`analysis.coding.codebook`) to what the run
measured for the same units. :func:`~analysis.coding.consensus.coding_ceiling` says how far
the coders agree with one another measured the same way: the most a measure can be expected
to reach.

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
  :func:`~analysis.coding.consensus.same_speaker`.

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

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats
from sklearn.metrics import roc_auc_score

from analysis.coding.codebook import Codebook
from analysis.coding.consensus import consensus, same_speaker
from analysis.coding.measured import direct_quotes, frame_counts, run_speakers, tone_measure
from analysis.coding.resample import (
    MIN_ARTICLES_INTERVAL,
    MIN_ARTICLES_PEARSON,
    article_interval,
    weighted_pearson,
    weighted_spearman,
)
from analysis.lexicon import compare_to_labels
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
                scored[variable.unit] = frame_counts(tables, variable.unit, dictionary, variable)
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
            measure = tone_measure(tables, variable.unit, target if link == "actor_tone" else None)
            rows = held.assign(measure=held["unit_id"].map(measure).astype(float), predicted=np.nan)
            tone.append(_tone_row(variable, link, target, rows, rng, n_resamples, confidence))
            outlets.append(_outlets(variable, rows, "mean", "measure"))
        elif target == "direct":
            for predictor, marked in direct_quotes(tables, variable.unit).items():
                rows = held.assign(measure=held["unit_id"].map(marked).astype(float))
                rows["predicted"] = rows["measure"]
                quotes.append(_direct_row(variable, predictor, rows))
                named = rows.assign(variable=f"{variable.name}:{predictor}")
                units.append(_units(variable, named))
                outlets.append(_outlets(variable, named, "share", "predicted"))
            continue
        else:
            speakers = run_speakers(tables, variable.unit)
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
