"""Topic models checked against the GVFC's human frames: how well the topic that best matches
each frame on the training units recovers it on the held-out fifth, next to the framing
dictionary and the learned classifier on the same units.

Usage::

    python -m benchmarks.topics_gvfc [--data DIR] [--k K ...] [--kind {nmf,lda} ...]
        [--dataset {extension,headlines} ...] [--n-resamples N] [--out DIR]

The units, labels and held-out fifth are :mod:`benchmarks.validate_gvfc`'s (relevant
headlines with a frame code, scored as headline + lead in ``extension`` and alone in
``headlines``; one 0/1 label per frame). The training units are the other four fifths.

- Topics: the project's words and bigrams (:func:`analysis.terms.count_terms`, one sentence
  per unit), the vocabulary chosen on the training units
  (:meth:`analysis.topics.Vocabulary.chosen`, at most :data:`MAX_TERMS` terms), the model
  fitted on them (:func:`analysis.topics.fit_topics`, k topics, seed 0) and every unit's
  proportions read from it; a unit with none of the vocabulary's words has no proportions
  and scores 0 (``n_empty`` counts them).
- Matching: for each frame, the topic whose proportion has the highest AUC against the
  frame's labels on the training units (ties: the lower topic number). The held-out units
  take no part in the vocabulary, the fit or the matching.
- Dictionary: ``gun_violence_frames``' match count for the frame
  (:func:`analysis.lexicon.count_matches`, as in :mod:`benchmarks.validate_gvfc`).
- Classifier: :func:`analysis.classify.train` on the training units only (TF-IDF words and
  the dictionary's counts, as in :mod:`benchmarks.learned_gvfc`); its probability of the
  frame on the held-out units (``predict_proba``).

All three are scored on the held-out units by the AUC of their score against the frame's
label, and by the macro mean over frames; a frame with fewer than :data:`MIN_POSITIVE`
held-out units carrying it has no AUC (``note`` says why). 95% percentile intervals
resample held-out articles (repeated headlines together, as in
:func:`benchmarks.learned_gvfc.training_set`), the same resamples for every predictor, so
the differences (``topic - dictionary``, ``classifier - dictionary``, ``classifier -
topic``) are paired. The intervals leave out the variation from one fit to another.

Printed (a Markdown table per dataset and model) and written to ``--out`` (default
``<temp dir>/topics_gvfc``): ``topics_gvfc.csv``, one row per dataset, model, frame (and
``macro``) and predictor, and ``topics_gvfc.md``, the printed tables.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.metrics import roc_auc_score

from analysis import classify, topics
from analysis.coding.resample import article_weights
from analysis.lexicon import count_matches, read_dictionary
from analysis.settings import N_RESAMPLES
from analysis.stats import cell_rng
from analysis.terms import count_terms
from benchmarks.learned_gvfc import DICTIONARY, training_set
from benchmarks.validate_gvfc import FILES, FRAMES, default_data_dir, load_units

K_VALUES = (10, 20)
"""Numbers of topics fitted by default."""
MAX_TERMS = 5000
"""Most terms a topic model reads."""
MIN_POSITIVE = 5
"""Fewest held-out units carrying a frame for its AUC to be reported."""
CLASSIFIER_FOLDS = 2
"""Outer folds of :func:`analysis.classify.train`: its cross-validated predictions are not
used here, and the final model (fitted on every training unit, ``C`` chosen by inner
cross-validation) does not depend on them, so the fewest folds it accepts."""
PREDICTORS = ("topic", "dictionary", "classifier")
DIFFERENCES = {
    "topic - dictionary": ("topic", "dictionary"),
    "classifier - dictionary": ("classifier", "dictionary"),
    "classifier - topic": ("classifier", "topic"),
}
COLUMNS = [
    "dataset",
    "model",
    "kind",
    "k",
    "frame",
    "topic",
    "topic_label",
    "train_auc",
    "predictor",
    "estimate",
    "ci_low",
    "ci_high",
    "n_units",
    "n_positive",
    "n_empty",
    "note",
]


def word_counts(units: pd.DataFrame):
    """Each unit's words and bigrams (:func:`analysis.terms.count_terms`), one row per unit.

    Returns
    -------
    counts : scipy.sparse.csr_matrix
        (units x terms), rows in the order of ``units``.
    terms : pyarrow.StringArray
    """
    sentences = pd.DataFrame(
        {"article_id": "u" + units.index.astype(str), "text": units["text"].to_numpy()}
    )
    counts, terms, article_ids, _ = count_terms(sentences, ngram_range=(1, 2))
    assert list(article_ids) == list(sentences["article_id"])  # one row per unit, in order
    return counts, terms


def topic_proportions(
    counts: sparse.csr_matrix, terms, train: np.ndarray, k: int, *, kind: str = "nmf", seed=0
):
    """A topic model fitted on the training units, and every unit's proportions.

    Parameters
    ----------
    counts : sparse matrix
        (units x terms) from :func:`word_counts`.
    train : ndarray of bool
        The training units: the vocabulary is chosen and the model fitted on them alone.

    Returns
    -------
    model : TopicModel
    proportions : ndarray
        (units x k); NaN rows for units with none of the vocabulary's words.
    """
    vocabulary = topics.Vocabulary.chosen(counts[train], terms, max_terms=MAX_TERMS)
    columns = vocabulary.columns(counts, terms)
    model = topics.fit_topics(columns[train], vocabulary, k, kind=kind, seed=seed)
    return model, model.proportions(columns)


def match_topics(proportions: np.ndarray, labels: pd.DataFrame) -> pd.DataFrame:
    """For each frame, the topic whose proportion best ranks its units (highest AUC).

    Parameters
    ----------
    proportions : ndarray
        (units x topics) of the training units only, NaN read as 0.
    labels : DataFrame
        Their 0/1 labels, one column per frame.

    Returns
    -------
    DataFrame
        ``frame``, ``topic`` (0-based column; the lowest of tied topics), ``train_auc``
        (NaN, and topic -1, for a frame all or none of the units carry).
    """
    scores = np.nan_to_num(np.asarray(proportions, dtype=float))
    rows = []
    for frame in labels.columns:
        truth = labels[frame].to_numpy()
        if truth.min() == truth.max():
            rows.append((frame, -1, np.nan))
            continue
        auc = np.array([roc_auc_score(truth, scores[:, j]) for j in range(scores.shape[1])])
        best = int(np.argmax(auc))
        rows.append((frame, best, float(auc[best])))
    return pd.DataFrame(rows, columns=["frame", "topic", "train_auc"])


def dictionary_counts(units: pd.DataFrame, dictionary) -> pd.DataFrame:
    """The dictionary's match count per frame of each unit (index: ``units``')."""
    matches = count_matches(units["text"].tolist(), dictionary)
    counts = pd.DataFrame(matches.category_counts(), columns=matches.categories, index=units.index)
    return counts[list(FRAMES.values())]


def classifier_probabilities(
    units: pd.DataFrame, train: np.ndarray, dictionary, *, seed: int = 0
) -> pd.DataFrame:
    """The classifier trained on the training units: its probability of each frame for the
    other units (index: theirs).

    Trained as :func:`benchmarks.learned_gvfc.compare` trains it (the dictionary's counts
    among the features), with :data:`CLASSIFIER_FOLDS` outer folds.
    """
    model = classify.train(
        training_set(units[train]),
        dictionary=dictionary,
        learning_curve=False,
        folds=CLASSIFIER_FOLDS,
        seed=seed,
    )
    rest = units[~train]
    probabilities = model.predict_proba(rest["text"].tolist())
    return pd.DataFrame(probabilities, columns=model.categories, index=rest.index)[
        list(FRAMES.values())
    ]


def weighted_auc(w: np.ndarray, truth, score) -> np.ndarray:
    """The AUC of ``score`` against 0/1 ``truth`` in each row's weighted sample.

    ``w`` is (resamples x units): how often each unit was drawn. Each row's AUC equals
    scikit-learn's ``roc_auc_score(truth, score, sample_weight=row)`` (ties count half);
    NaN for a row with no positive or no negative weight.
    """
    w = np.atleast_2d(np.asarray(w, dtype=float))
    truth = np.asarray(truth, dtype=float)
    _, group = np.unique(np.asarray(score, dtype=float), return_inverse=True)
    n_groups = int(group.max()) + 1
    onehot = sparse.csr_matrix(
        (np.ones(len(group)), (np.arange(len(group)), group)), shape=(len(group), n_groups)
    )
    positive = np.asarray((onehot.T @ (w * truth).T).T)
    negative = np.asarray((onehot.T @ (w * (1 - truth)).T).T)
    below = np.cumsum(negative, axis=1) - negative
    pairs = positive.sum(axis=1) * negative.sum(axis=1)
    wins = (positive * (below + 0.5 * negative)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pairs > 0, wins / pairs, np.nan)


def held_out_aucs(
    truth: pd.DataFrame,
    scores: dict[str, pd.DataFrame],
    articles,
    *,
    n_resamples: int,
    rng: np.random.Generator,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each predictor's AUC per frame and macro, their paired differences, with percentile
    intervals resampling articles.

    Parameters
    ----------
    truth : DataFrame
        The held-out units' 0/1 labels, one column per frame.
    scores : dict
        Predictor name -> (units x frames) scores, the same rows and columns as ``truth``.
    articles : array-like
        Each unit's article: resampled whole.

    Returns
    -------
    DataFrame
        ``frame, predictor, estimate, ci_low, ci_high, n_units, n_positive, note``;
        ``predictor`` is a key of ``scores`` or of :data:`DIFFERENCES`. A frame with fewer
        than :data:`MIN_POSITIVE` positive units (or none negative) is NaN with a note and
        left out of ``macro``; a resample without a positive or negative unit of a frame
        leaves the frame, and ``macro``, out of that resample's values.
    """
    frames = list(truth.columns)
    y = truth.to_numpy(dtype=float)
    positive = y.sum(axis=0).astype(int)
    scored = (positive >= MIN_POSITIVE) & (positive < len(y))
    notes = [
        "" if ok else f"{n} held-out units carry it (fewer than {MIN_POSITIVE})"
        for ok, n in zip(scored, positive)
    ]
    differences = {d: pair for d, pair in DIFFERENCES.items() if set(pair) <= set(scores)}

    def statistics(w):
        out = {}
        for name, table in scores.items():
            x = table[frames].to_numpy(dtype=float)
            values = np.full((len(w), len(frames)), np.nan)
            for j in np.flatnonzero(scored):
                values[:, j] = weighted_auc(w, y[:, j], x[:, j])
            out[name] = values
        for name, (a, b) in differences.items():
            out[name] = out[a] - out[b]
        with np.errstate(invalid="ignore"):
            return {
                name: np.hstack([v, v[:, scored].mean(axis=1, keepdims=True)])
                for name, v in out.items()
            }

    point = statistics(np.ones((1, len(y))))
    article, _ = pd.factorize(np.asarray(articles))
    n_articles = int(article.max()) + 1
    drawn = {name: [] for name in point}
    for done in range(0, n_resamples, 500):
        w = article_weights(rng, n_articles, min(500, n_resamples - done))[:, article]
        for name, values in statistics(w).items():
            drawn[name].append(values)
    alpha = (1 - confidence) / 2
    rows = []
    names = [*frames, "macro"]
    for name, values in point.items():
        resampled = np.vstack(drawn[name]) if drawn[name] else np.empty((0, len(names)))
        for j, frame in enumerate(names):
            finite = resampled[:, j][np.isfinite(resampled[:, j])]
            low = high = np.nan
            note = notes[j] if j < len(frames) else ""
            if np.isfinite(values[0, j]) and len(finite) >= max(len(resampled), 1) / 2:
                low, high = np.quantile(finite, [alpha, 1 - alpha])
            elif np.isfinite(values[0, j]):
                note = "undefined in most resamples"
            n_positive = int(positive[j]) if j < len(frames) else int(positive[scored].sum())
            rows.append([frame, name, float(values[0, j]), low, high, len(y), n_positive, note])
    columns = ["frame", "predictor", "estimate", "ci_low", "ci_high", "n_units", "n_positive"]
    return pd.DataFrame(rows, columns=[*columns, "note"])


def check(
    units: pd.DataFrame,
    dictionary,
    *,
    ks: Sequence[int] = K_VALUES,
    kinds: Sequence[str] = ("nmf",),
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    dataset: str = "extension",
) -> pd.DataFrame:
    """The check on one GVFC file's units: every model in ``kinds`` x ``ks``.

    Parameters
    ----------
    units : DataFrame
        :func:`benchmarks.validate_gvfc.load_units`' table (``held_out`` is the test part).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: per model, frame (and ``macro``) and predictor the held-out AUC with
        its interval; on the ``topic`` rows, ``topic``, ``topic_label`` and ``train_auc``
        give the matched topic (1-based, as :func:`analysis.topics.topic_labels` numbers
        them) and its AUC on the training units (``macro``: their mean); ``n_empty`` counts
        the units with none of the model's words (scored 0).
    """
    train = ~units["held_out"].to_numpy(dtype=bool)
    frames = list(FRAMES.values())
    test = units[~train]
    counts, terms = word_counts(units)
    fixed = {
        "dictionary": dictionary_counts(test, dictionary),
        "classifier": classifier_probabilities(units, train, dictionary, seed=seed),
    }
    articles = training_set(units).units["article_id"].to_numpy()[~train]
    tables = []
    for kind in kinds:
        for k in ks:
            model, proportions = topic_proportions(counts, terms, train, k, kind=kind, seed=seed)
            empty = np.isnan(proportions).all(axis=1)
            matched = match_topics(proportions[train], units.loc[train, frames])
            labels = topics.topic_labels(model)
            held = np.nan_to_num(proportions[~train])
            topic_scores = pd.DataFrame(
                {
                    row.frame: held[:, row.topic] if row.topic >= 0 else np.nan
                    for row in matched.itertuples()
                },
                index=test.index,
            )
            rng = cell_rng(seed, "topics_gvfc", dataset)  # the same resamples for every model
            scores = held_out_aucs(
                test[frames],
                {"topic": topic_scores, **fixed},
                articles,
                n_resamples=n_resamples,
                rng=rng,
            )
            info = matched.assign(
                topic_label=[labels[t] if t >= 0 else "" for t in matched["topic"]],
                topic=(matched["topic"] + 1).where(matched["topic"] >= 0).astype("Int64"),
                predictor="topic",
            )
            macro = {"frame": "macro", "predictor": "topic", "topic_label": ""}
            info = pd.concat(
                [info, pd.DataFrame([macro | {"train_auc": info["train_auc"].mean()}])],
                ignore_index=True,
            )
            table = scores.merge(info, on=["frame", "predictor"], how="left")
            table["topic_label"] = table["topic_label"].fillna("")
            tables.append(
                table.assign(
                    dataset=dataset,
                    model=f"{kind} k={k}",
                    kind=kind,
                    k=k,
                    n_empty=int(empty.sum()),
                )
            )
    return pd.concat(tables, ignore_index=True)[COLUMNS]


def _cell(row: pd.Series | None) -> str:
    if row is None or not np.isfinite(row["estimate"]):
        return "–"
    if not np.isfinite(row["ci_low"]):
        return f"{row['estimate']:.3f}"
    return f"{row['estimate']:.3f} [{row['ci_low']:.3f}, {row['ci_high']:.3f}]"


def markdown(table: pd.DataFrame) -> str:
    """One Markdown table per dataset and model: per frame and macro, the matched topic, its
    training AUC, and the held-out AUC of the topic, the dictionary and the classifier and
    the topic's difference from the dictionary, with 95% intervals."""
    shown = ["topic", "dictionary", "classifier", "topic - dictionary"]
    blocks = []
    for (dataset, model), rows in table.groupby(["dataset", "model"], sort=False):
        empty = int(rows["n_empty"].max())
        head = (
            f"### {dataset}, {model}: {int(rows['n_units'].max())} held-out units "
            f"({empty} units with none of the model's words)"
        )
        lines = [
            head,
            "",
            "| frame | n+ | matched topic | train AUC | " + " | ".join(shown) + " | note |",
            "|---|---:|---|---:|" + "---:|" * len(shown) + "---|",
        ]
        for frame, group in rows.groupby("frame", sort=False):
            by = {r["predictor"]: r for _, r in group.iterrows()}
            topic = by["topic"]
            train_auc = "–" if not np.isfinite(topic["train_auc"]) else f"{topic['train_auc']:.3f}"
            cells = [_cell(by.get(name)) for name in shown]
            lines.append(
                f"| {frame} | {topic['n_positive']} | {topic['topic_label']} | {train_auc} | "
                + " | ".join(cells)
                + f" | {topic['note']} |"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def main(argv: list[str] | None = None) -> pd.DataFrame:
    """Run the check on every GVFC file asked for and present; print and write it.

    Returns
    -------
    DataFrame
        :func:`check`'s rows of every dataset.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--k", type=int, nargs="+", default=list(K_VALUES))
    parser.add_argument("--kind", nargs="+", choices=topics.KINDS, default=["nmf"])
    parser.add_argument(
        "--dataset", nargs="+", choices=list(FILES), default=["extension", "headlines"]
    )
    parser.add_argument("--n-resamples", type=int, default=N_RESAMPLES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "topics_gvfc")
    args = parser.parse_args(argv)
    dictionary = read_dictionary(DICTIONARY)
    tables = []
    for name in args.dataset:
        file, columns = FILES[name]
        if not (args.data / file).exists():
            continue
        start = time.perf_counter()
        table = check(
            load_units(args.data / file, columns),
            dictionary,
            ks=args.k,
            kinds=args.kind,
            n_resamples=args.n_resamples,
            seed=args.seed,
            dataset=name,
        )
        print(f"\n{name} ({file}): checked in {time.perf_counter() - start:.1f} s\n")
        print(markdown(table))
        tables.append(table)
    if not tables:
        parser.error(f"{args.data}: none of {[FILES[d][0] for d in args.dataset]}")
    out = pd.concat(tables, ignore_index=True)
    args.out.mkdir(parents=True, exist_ok=True)
    out.to_csv(args.out / "topics_gvfc.csv", index=False, lineterminator="\n")
    (args.out / "topics_gvfc.md").write_text(markdown(out), encoding="utf-8")
    print(f"wrote {args.out / 'topics_gvfc.csv'}, {args.out / 'topics_gvfc.md'}")
    return out


if __name__ == "__main__":
    main()
