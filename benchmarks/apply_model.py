"""Applying a trained frame classifier to a corpus: what it adds to the default run.

Usage::

    python -m benchmarks.apply_model CORPUS [--group-by COLUMN] [--jobs N] [--data GVFC_DIR]

A classifier is trained as ``--learn`` trains one (:func:`analysis.classify.train`, with its
learning curve) on the GVFC's headline + lead units (``../shared/data/gvfc``, nine frames,
the ``gun_violence_frames`` dictionary) and saved; then the default run a user starts
(``python -m analysis run CORPUS --group-by COLUMN``: every measure, the default resamples,
figures, report, explorer) runs on ``CORPUS`` without and with ``--apply-model``, each in its
own process, ``--repeats`` times interleaved (the wall times of one machine drift by several
seconds between runs). Printed: the training time, both runs' wall times and stages from their
manifests, the learned measure's CPU time in the map (summed over the workers), and the
time of applying the model alone to every article in one process (the units, TF-IDF and
dictionary features, probabilities), measured on the run's own ``articles`` table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import classify
from analysis.coding import coding_units
from analysis.lexicon import read_dictionary
from benchmarks import learned_gvfc
from benchmarks.validate_gvfc import FILES, default_data_dir, load_units


def run(corpus, out: Path, args, extra=()) -> tuple[float, dict]:
    """The default run in its own process: wall seconds and the manifest."""
    command = [sys.executable, "-m", "analysis", "run", str(corpus), "--out", str(out), "-q"]
    command += ["--group-by", args.group_by, "--jobs", str(args.jobs), *extra]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return wall, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--group-by", default="outlet")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--repeats", type=int, default=2, help="pairs of runs (default 2)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="apply-model-") as scratch:
        scratch = Path(scratch)
        file, columns = FILES["extension"]
        units = load_units(args.data / file, columns)
        start = time.perf_counter()
        model = classify.train(
            learned_gvfc.training_set(units), dictionary=read_dictionary("gun_violence_frames")
        )
        trained = time.perf_counter() - start
        path = model.save(scratch / "frames.model")
        pairs = []
        for repeat in range(args.repeats):  # interleaved: the machine's drift hits both alike
            plain_wall, plain = run(args.corpus, scratch / f"plain{repeat}", args)
            applied_wall, applied = run(
                args.corpus, scratch / f"applied{repeat}", args, ["--apply-model", str(path)]
            )
            pairs.append((plain_wall, applied_wall))
        added = sorted(b - a for a, b in pairs)
        articles = pd.read_parquet(scratch / "applied0" / "articles.parquet")
        start = time.perf_counter()
        texts = coding_units({"articles": articles}, "article")["text"]
        model.predict_proba(texts)
        alone = time.perf_counter() - start
    result = {
        "articles": len(articles),
        "train_seconds": round(trained, 1),
        "train_units": model.parameters["n_units"],
        "default_run_wall": [round(a, 1) for a, _ in pairs],
        "with_model_wall": [round(b, 1) for _, b in pairs],
        "added_wall": [round(b - a, 1) for a, b in pairs],
        "added_wall_median": round(float(np.median(added)), 1),
        "learned_map_cpu": applied["seconds"].get("learned"),
        "summaries_plain": plain["seconds"].get("summaries"),
        "summaries_with_model": applied["seconds"].get("summaries"),
        "figures_plain": plain["seconds"].get("figures"),
        "figures_with_model": applied["seconds"].get("figures"),
        "apply_alone_one_process": round(alone, 1),
        "stages_with_model": applied["seconds"],
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
