"""Validate a framing dictionary against the Gun Violence Frame Corpus (GVFC) frame labels.

Usage::

    python -m benchmarks.validate_gvfc [--data DIR] [--dictionary NAME_OR_PATH] [--out DIR]

DIR defaults to the environment variable ``FRAMING_GVFC``, else ``<repo>/../shared/data/gvfc``;
the data are read where they are stored, never copied into the repository. Two files:
``GVFC_headlines_and_annotations.csv`` (headlines, scored alone) and
``GVFC_extension_multimodal.csv`` (the same labelled articles, scored as headline + lead).

Units: relevant headlines (``Q1 Relevant`` = 1) that coders gave a frame (``Q3 Theme1`` is
not 99). The other relevant headlines carry no theme code at all, even ones plainly about the
NRA or a protest, so they read as "not coded", not as "no frame", and are left out. Labels:
one 0/1 column per frame, 1 when ``Q3 Theme1`` or ``Q3 Theme2`` is that frame. A unit is
predicted to carry a frame when the dictionary matches it at least once.

A phrase matches across a hyphen ("gun control" in "Gun-control"), as it does everywhere in
:func:`~analysis.lexicon.count_matches`.

Split: a headline is held out when the md5 of its normalised text (lower case, runs of
non-word characters as one space) is 0 modulo 5. The extension's articles are the same
headlines, so the same rule holds them out there, and repeated headlines never straddle the
split. Printed and written (``gvfc_metrics.csv``): per frame and a macro average, for the
held-out units (the result to report, since the dictionary was revised on the others), the
training units and all units. Figure ``gvfc_validation``: held-out F1, precision and recall.
"""

from __future__ import annotations

import argparse
import hashlib
import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import figures, paths
from analysis.lexicon import compare_to_labels, count_matches, read_dictionary

FRAMES = {
    1: "gun_rights",
    2: "gun_control",
    3: "politics",
    4: "mental_health",
    5: "public_space_safety",
    6: "race_ethnicity",
    7: "public_opinion",
    8: "society_culture",
    9: "economic_consequences",
}
FILES = {
    "headlines": ("GVFC_headlines_and_annotations.csv", ["news_title"]),
    "extension": (
        "GVFC_extension_multimodal.csv",
        ["headline", "lead_3_sentences_summary_of_full_article_text"],
    ),
}
HELD_OUT_EVERY = 5
SHOWN = ["precision", "recall", "f1", "spearman", "auc", "n_labelled"]


def default_data_dir() -> Path:
    """``FRAMING_GVFC`` if set, else ``shared/data/gvfc`` next to the checkout."""
    return Path(os.environ.get("FRAMING_GVFC", paths.ROOT.parent / "shared" / "data" / "gvfc"))


def held_out(texts: pd.Series) -> pd.Series:
    """True for the held-out fifth: md5 of the normalised headline, modulo 5, is 0."""
    norm = texts.fillna("").str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    digest = norm.map(lambda t: int(hashlib.md5(t.encode("utf-8")).hexdigest(), 16))
    return digest % HELD_OUT_EVERY == 0


def load_units(path: Path, text_columns: list[str]) -> pd.DataFrame:
    """Read one GVFC file: the coded relevant units, their text, split and frame labels.

    Returns
    -------
    DataFrame
        One row per unit: ``text`` (the text columns joined), ``held_out`` (bool) and one
        0/1 column per frame in :data:`FRAMES`.
    """
    raw = pd.read_csv(path)
    raw = raw[(raw["Q1 Relevant"] == 1) & (raw["Q3 Theme1"] != 99)].reset_index(drop=True)
    text = raw[text_columns].fillna("").astype(str).agg(" ".join, axis=1)
    units = pd.DataFrame({"text": text, "held_out": held_out(raw[text_columns[0]])})
    for code, frame in FRAMES.items():
        units[frame] = ((raw["Q3 Theme1"] == code) | (raw["Q3 Theme2"] == code)).astype(int)
    return units


def macro(table: pd.DataFrame) -> dict:
    """Macro average over frames with a labelled unit; an undefined precision or F1 counts 0."""
    rows = table[table["n_labelled"] > 0]
    out = {m: rows[m].fillna(0).mean() for m in ("precision", "recall", "f1")}
    out |= {m: rows[m].mean() for m in ("spearman", "auc")}
    return out | {"category": "macro", "n_units": table["n_units"].max()}


def validate(units: pd.DataFrame, dictionary) -> pd.DataFrame:
    """Per-frame agreement (:func:`compare_to_labels`) plus a ``macro`` row."""
    matches = count_matches(units["text"].tolist(), dictionary)
    scores = pd.DataFrame(matches.category_counts(), columns=matches.categories, index=units.index)
    table = compare_to_labels(scores, units[list(FRAMES.values())])
    return pd.concat([table, pd.DataFrame([macro(table)])], ignore_index=True)


def plot(metrics: pd.DataFrame):
    """Held-out F1 (bars), precision (circles) and recall (triangles) per frame, both files.

    All units when there is no held-out one. A frame's label gives its number of labelled
    units in the first file shown.
    """
    frames = list(FRAMES.values())
    subset = "held_out" if metrics["subset"].eq("held_out").any() else "all"
    data = metrics[(metrics["subset"] == subset) & metrics["category"].isin(frames)]
    plotted = data[["dataset", "category", "n_units", "n_labelled", "precision", "recall", "f1"]]
    sets = list(dict.fromkeys(plotted["dataset"]))
    by_set = {name: plotted[plotted["dataset"] == name].set_index("category") for name in sets}
    with plt.style.context(figures.STYLE):
        fig, ax = plt.subplots(figsize=(figures.SINGLE_COLUMN, 3.0))
        y = np.arange(len(frames))[::-1]
        height = 0.8 / len(sets)
        marks = {"ms": 2.5, "mec": "black", "mew": 0.5, "clip_on": False}
        for i, (name, colour) in enumerate(zip(sets, ["#0072B2", "#E69F00"])):
            rows = by_set[name].reindex(frames)
            at = y + 0.4 - height * (i + 0.5)
            label = {"headlines": "headlines", "extension": "headline + lead"}.get(name, name)
            n = int(rows["n_units"].max())
            ax.barh(at, rows["f1"].fillna(0), height, color=colour, label=f"{label} (n={n})")
            ax.plot(rows["precision"], at, "o", mfc="white", **marks)
            ax.plot(rows["recall"], at, "^", mfc="black", **marks)
        ax.plot([], [], "o", mfc="white", label="precision", **marks)
        ax.plot([], [], "^", mfc="black", label="recall", **marks)
        first = by_set[sets[0]].reindex(frames)["n_labelled"]
        names = [f"{f.replace('_', ' ')} ({n:.0f})" for f, n in zip(frames, first)]
        ax.set_yticks(y, names)
        ax.set_xlim(0, 1)
        ax.set_xlabel(f"{subset.replace('_', '-')} F1 (bars), precision and recall")
        ax.grid(axis="x")
        ax.legend(loc="upper center", bbox_to_anchor=(0.35, -0.16), ncol=2)
    return fig, plotted.reset_index(drop=True)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    """Run the validation; print, write and plot it.

    Returns
    -------
    DataFrame
        ``dataset, subset, category`` and the columns of :func:`compare_to_labels`, for each
        file present in the data folder, subset (held_out, train, all) and frame, plus macro.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--dictionary", default="gun_violence_frames")
    parser.add_argument("--out", type=Path, default=paths.PROCESSED / "gvfc_validation")
    args = parser.parse_args(argv)
    dictionary = read_dictionary(args.dictionary)
    missing = [c for c in FRAMES.values() if c not in dictionary.categories]
    if missing:
        parser.error(f"{args.dictionary}: no categories {missing}")
    found = {k: (args.data / f, cols) for k, (f, cols) in FILES.items() if (args.data / f).exists()}
    if not found:
        parser.error(f"{args.data}: none of {[f for f, _ in FILES.values()]}")
    tables = []
    for name, (path, columns) in found.items():
        units = load_units(path, columns)
        held = units["held_out"]
        for subset, keep in {"held_out": held, "train": ~held, "all": held | ~held}.items():
            if keep.any():  # a tiny file may have no held-out unit
                table = validate(units[keep], dictionary)
                tables.append(table.assign(dataset=name, subset=subset))
    metrics = pd.concat(tables, ignore_index=True)
    metrics = metrics[["dataset", "subset", *metrics.columns[:-2]]]
    with pd.option_context("display.width", 120, "display.float_format", "{:.2f}".format):
        for (name, subset), table in metrics.groupby(["dataset", "subset"], sort=False):
            n = int(table["n_units"].max())
            print(f"\n{name} ({found[name][0].name}), {subset}: {n} units")
            print(table.set_index("category")[SHOWN].to_string())
    args.out.mkdir(parents=True, exist_ok=True)
    metrics.to_csv(args.out / "gvfc_metrics.csv", index=False, lineterminator="\n")
    written = figures.save(*plot(metrics), "gvfc_validation", args.out)
    print(f"\nwrote {args.out / 'gvfc_metrics.csv'}, {', '.join(p.name for p in written)}")
    return metrics


if __name__ == "__main__":
    main()
