"""The notebook path and the run give the same tables, exactly, whatever the settings, the
partition size, the number of workers and the engine.

(a) ``measures.measure(pipeline.prepare(corpus), **sections)``: one in-memory partition;
(b) ``pipeline.run(corpus, **sections)``: its tables as ``result.tables`` (the streamed ones
read back from Parquet).

Not the full cross product (a run on 20 articles costs 10-30 s, mostly process start-up):
**every settings case** is compared at partition size 7 with 2 local workers, and the
**default case** also at partition size 1 (one process), the default partition size (one
process) and on the Dask engine (2 workers, partition size 2).

The corpus is 20 articles recombined deterministically from the four seed articles'
paragraphs, over the seed corpus's 4 outlets, keeping its ``outlet_country`` column. The
dictionary, actor and speaker files are named on both sides (a DataFrame corpus is not the
seed corpus, so neither side would pick the seed story's files by itself).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import actors, lexicon, measures, paths, pipeline, quotes
from analysis.corpus import load_corpus
from analysis.engine import PARTITION_SIZE
from analysis.measures import (
    Compare,
    FrameSettings,
    Resampling,
    ToneSettings,
    VoiceSettings,
    WordSettings,
)

MAPPING = {"text": "text", "outlet": "outlet", "id": "id"}
RUN_ONLY = {"rejected", "repairs", "warnings"}
"""Tables only a run may write: the corpus's account and the run's own warnings (the
notebook's ``prepare`` also passes ``rejected`` and ``repairs`` through; when both sides
have one of these it is compared like any other table)."""
N_ARTICLES = 20
NESTED = "nested"
"""Placeholder for the nested dictionary written in a temporary folder."""


@dataclass(frozen=True)
class Case:
    """One settings case: the sections given to both paths (besides :func:`base`'s)."""

    tone: ToneSettings = field(default_factory=lambda: ToneSettings(actors=actors.SEED_ACTORS))
    frames: FrameSettings = field(
        default_factory=lambda: FrameSettings(dictionary=measures.SEED_DICTIONARY)
    )
    resampling: Resampling = field(default_factory=lambda: Resampling(n_resamples=99))
    compare: Compare = field(default_factory=Compare)
    words: WordSettings = field(default_factory=WordSettings)
    voices: VoiceSettings = field(
        default_factory=lambda: VoiceSettings(speakers=quotes.SEED_SPEAKERS)
    )


OUTLETS = (
    "International Business Times UK",
    "Al Jazeera English",
)
CASES = {
    "default": Case(),
    "actors-none": Case(tone=ToneSettings(actors=None)),
    "resample-sentence": Case(resampling=Resampling(unit="sentence", n_resamples=99)),
    "negation": Case(frames=FrameSettings(dictionary=measures.SEED_DICTIONARY, negation=True)),
    "nested-level-1": Case(frames=FrameSettings(dictionary=NESTED, level=1)),
    "quote-marks-drop": Case(tone=ToneSettings(actors=actors.SEED_ACTORS, quote_marks="drop")),
    "pair": Case(compare=Compare(pair=OUTLETS)),
    "group-by-country": Case(compare=Compare(group_by="outlet_country")),
    "prior-uniform": Case(words=WordSettings(prior="uniform")),
    "min-count-1": Case(words=WordSettings(min_count=1)),
}
VARIANTS = {
    # name: (engine, jobs, partition size)
    "local-7-jobs2": ("local", 2, 7),
    "local-1-jobs1": ("local", 1, 1),
    "local-default-jobs1": ("local", 1, PARTITION_SIZE),
    "dask-2-jobs2": ("dask", 2, 2),
}
PAIRS = [("local-7-jobs2", case) for case in CASES] + [
    (variant, "default") for variant in VARIANTS if variant != "local-7-jobs2"
]


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    """20 articles: the seed articles' paragraphs (the one-paragraph article cut every three
    sentences) recombined deterministically, 3 to 7 paragraphs each, outlets in turn."""
    seed = load_corpus(paths.SEED_CORPUS).articles
    paragraphs = []
    for text in seed["text"]:
        for line in (p for p in str(text).split("\n") if p.strip()):
            sentences = line.split(". ")
            paragraphs += [". ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    outlets = seed[["outlet", "outlet_country"]].astype(str).values.tolist()
    assert set(OUTLETS) <= {o for o, _ in outlets}
    rows = []
    for i in range(N_ARTICLES):
        outlet, country = outlets[i % len(outlets)]
        picked = [paragraphs[(5 * i + 11 * k) % len(paragraphs)] for k in range(3 + i % 5)]
        rows.append(
            {
                "id": f"mix-{i:02d}",
                "outlet": outlet,
                "outlet_country": country,
                "title": f"Recombined article {i}",
                "text": "\n\n".join(picked),
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def nested_dictionary(tmp_path_factory) -> Path:
    """The seed story dictionary with its categories nested under two parents (the bundled
    dictionaries are all flat), as YAML in the layout of ``analysis/lexicons/*.yml``."""
    flat = lexicon.read_dictionary(measures.SEED_DICTIONARY)
    names = list(flat.categories)
    half = (len(names) + 1) // 2
    nested = {
        "first_half": {n: [p.text for p in flat.categories[n]] for n in names[:half]},
        "second_half": {n: [p.text for p in flat.categories[n]] for n in names[half:]},
    }
    path = tmp_path_factory.mktemp("dictionary") / "nested_frames.yml"
    path.write_text(
        yaml.safe_dump({"meta": {"name": "nested_frames"}, "dictionary": nested}),
        encoding="utf-8",
    )
    return path


def sections(case: str, nested: Path) -> dict:
    chosen = CASES[case]
    out = {name: getattr(chosen, name) for name in Case.__dataclass_fields__}
    if out["frames"].dictionary == NESTED:
        out["frames"] = FrameSettings(dictionary=nested, level=out["frames"].level)
    return out


@pytest.fixture(scope="module")
def notebook(corpus, nested_dictionary):
    """The notebook path's tables, by case, computed once each."""
    made: dict[str, dict[str, pd.DataFrame]] = {}

    def tables(case: str) -> dict[str, pd.DataFrame]:
        if case not in made:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                prepared = pipeline.prepare(load_corpus(corpus, **MAPPING))
                made[case] = measures.measure(prepared, **sections(case, nested_dictionary))
        return made[case]

    return tables


def run_tables(corpus, case, variant, nested, tmp_path) -> dict[str, pd.DataFrame]:
    engine, jobs, size = VARIANTS[variant]
    if engine == "dask":
        pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline.run(
            corpus,
            out=tmp_path / "out",
            figures_dir=tmp_path / "figures",
            figure_names=[],
            engine=engine,
            jobs=jobs,
            partition_size=size,
            **MAPPING,
            **sections(case, nested),
        )
    assert result.manifest["engine"]["partitions"] == -(-N_ARTICLES // size)
    return {name: result.tables[name] for name in result.tables}


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without its index and with every text column as ``string[python]``.

    The one dtype-only difference between a table kept in memory and the same table read
    back from Parquet: text columns are ``object``, ``str`` (pandas' default string dtype,
    missing as NaN) or ``string`` with Python or Arrow storage (missing as NA) depending on
    how each side built or read them. A column counts as text when its dtype is a string
    dtype or it is ``object`` holding only ``str`` and missing values; it is cast to
    ``string[python]`` (missing becomes NA) on both sides. Nothing else is touched: every
    other dtype must be the same on both sides.
    """
    frame = frame.reset_index(drop=True).copy()
    for name in frame.columns:
        column = frame[name]
        is_text = isinstance(column.dtype, pd.StringDtype) or (
            column.dtype == object and column.dropna().map(type).eq(str).all()
        )
        if is_text:
            frame[name] = column.astype(pd.StringDtype("python"))
    return frame


def differences(first: dict, second: dict) -> list[str]:
    """One message per table (of both) that is not equal, exactly, after :func:`normalised`."""
    found = []
    for name in sorted(set(first) & set(second)):
        try:
            pd.testing.assert_frame_equal(
                normalised(first[name]), normalised(second[name]), check_exact=True, obj=name
            )
        except AssertionError as error:
            found.append(f"--- {name}:\n{error}")
    return found


@pytest.mark.parametrize(
    ("variant", "case"), PAIRS, ids=[f"{case}-{variant}" for variant, case in PAIRS]
)
def test_run_tables_equal_the_notebook_tables(
    corpus, notebook, nested_dictionary, variant, case, tmp_path
):
    expected = notebook(case)
    written = run_tables(corpus, case, variant, nested_dictionary, tmp_path)
    assert set(written) - RUN_ONLY == set(expected) - RUN_ONLY
    if case == "group-by-country":
        assert "group_measures" in written
    if case == "actors-none":
        assert "actor_tone" not in written
    problems = differences(expected, written)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", [c for c in CASES if c != "default"])
def test_each_case_changes_a_notebook_table(notebook, case):
    """Every case is worth comparing: some table differs from the default case's."""
    default, changed = notebook("default"), notebook(case)
    assert set(default) != set(changed) or differences(default, changed)
