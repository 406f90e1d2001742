"""The methods text's section on frames learned from people's codes."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.report.methods.prose import Citations, code_span, counted, joined

FEATURE_WORDS = {
    "words": "TF-IDF weights of words",
    "characters": "TF-IDF weights of character 3- to 5-grams",
    "dictionary": "the dictionary's match counts per frame (log of one plus the count)",
}
ESTIMATOR_WORDS = {
    "acc": "adjusted classify and count",
    "pacc": "probabilistic adjusted classify and count",
}


def learned_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Frames learned from coders`` section, or nothing without a classifier."""
    found = manifest.get("parameters", {}).get("learned")
    if not found:
        return []
    words = dict(FEATURE_WORDS)
    if found.get("word_pairs"):
        words["words"] = "TF-IDF weights of words and word pairs"
    features = joined([words.get(f, f) for f in found.get("features") or []])
    kind = (
        "one logistic regression per category (a unit may carry several)"
        if found.get("kind") == "multi"
        else "one multinomial logistic regression (one category per unit)"
    )
    folds_by = "outlet" if found.get("folds_by") == "outlet" else "article"
    scores = found.get("macro_f1") or {}
    origin = (
        "A classifier was trained"
        if found.get("trained_in_run", True)
        else f"A classifier saved by an earlier run ({code_span(found.get('model'))}, SHA-256 "
        f"{str(found.get('sha256', ''))[:12]}…) was applied; it had been trained"
    )
    text = (
        f"{origin} on the coders' consensus for {code_span(found.get('variable'))} "
        f"({counted(len(found.get('categories') or []), 'category', 'categories')}) on "
        f"{counted(found.get('n_units') or 0, str(found.get('unit')))} of "
        f"{counted(found.get('n_articles') or 0, 'article')}"
        + _undecided(found)
        + f" (Burscher et al. 2014{cite('burscher2014')}): {kind}, with balanced class "
        f"weights, on {features}, in scikit-learn (Pedregosa et al. "
        f"2011{cite('pedregosa2011')}). Its regularisation was chosen by an inner "
        f"{found.get('inner_folds')}-fold cross-validation within each of "
        f"{found.get('folds')} outer folds, every fold holding whole {folds_by}s, so that "
        "no text of a test fold was seen in training. Precision, recall and F1 are those of "
        "the outer folds' predictions, with 95% percentile intervals resampling coded "
        "articles where there are at least 30; the dictionary was scored on the same units. "
        f"Mean F1 over categories: classifier {_score(scores.get('classifier'))}"
        + (
            f", dictionary {_score(scores.get('dictionary'))}, difference "
            f"{_score(scores.get('difference'))}"
            if scores.get("dictionary")
            else ""
        )
        + "."
        + _intervals_here(found)
        + " "
        + _correction(found, cite)
        + _dictionary_note(found)
    )
    return ["## Frames learned from coders", "", text, ""]


def _were(n) -> str:
    return "was" if n == 1 else "were"


def _intervals_here(found: Mapping) -> str:
    note = found.get("interval_note")
    return f" No interval was computed for these scores: {note}." if note else ""


def _dictionary_note(found: Mapping) -> str:
    model, run = found.get("dictionary"), found.get("run_dictionary")
    if not model or not run or model == run:
        return ""
    return (
        f" The classifier's dictionary features and its comparison use the dictionary "
        f"{code_span(model)} it was trained with, not this run's {code_span(run)}."
    )


def _undecided(found: Mapping) -> str:
    n = found.get("n_undecided") or 0
    if not n:
        return ""
    return (
        f"; {counted(n, 'unit')} the coders split on for some category "
        f"{'was' if n == 1 else 'were'} left out of that category"
    )


def _score(row) -> str:
    if not row or row.get("f1") is None:
        return "not defined"
    interval = (
        f" [{row['ci_low']:.2f}, {row['ci_high']:.2f}]" if row.get("ci_low") is not None else ""
    )
    return f"{row['f1']:.2f}{interval}"


def _correction(found: Mapping, cite: Citations) -> str:
    headline = found.get("headline_estimator", "acc")
    return (
        "The model was then applied to every unit of the corpus (coded units keep their "
        "cross-validated prediction). Each outlet's share of units with each category is "
        f"reported by {ESTIMATOR_WORDS.get(headline, headline)} (Forman "
        f"2008{cite('forman2008')}; Hopkins & King 2010{cite('hopkins2010')}; Bella et al. "
        f"2010{cite('bella2010')}): the share predicted, corrected with the classifier's "
        "cross-validated true and false positive rates, with 95% percentile intervals "
        "resampling both the outlet's articles and the coded articles the rates rest on; "
        "the uncorrected counts are reported beside it (frame_prevalence.csv). The "
        "correction assumes the classifier errs on every outlet as on the coded units. "
        "An interval is given from 30 articles of the outlet and 100 coded articles (below "
        "that the simulation in the package's documentation found them too narrow), a "
        "corrected share where the true positive rate exceeds the false positive rate by at "
        f"least 0.2. Here {counted(found.get('shares', 0), 'corrected share')} of "
        f"{counted(found.get('outlets', 0), 'outlet')} {_were(found.get('shares'))} "
        f"reported, {found.get('shares_with_interval', 0)} with an interval"
        + (
            f"; none for {joined([code_span(c) for c in found['withheld']])}, which the "
            "classifier hardly separates"
            if found.get("withheld")
            else ""
        )
        + "."
    )
