"""Every figure, on the seed corpus and on a synthetic 12-outlet corpus: no two texts
overlap, and saving twice gives identical bytes."""

from __future__ import annotations

import functools
import random
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text

from analysis import (
    actors,
    classify,
    coding,
    figures,
    lexicon,
    measures,
    paths,
    pipeline,
    quotes,
    registry,
)
from analysis.corpus import load_corpus
from analysis.measures import (
    Compare,
    FrameSettings,
    LearnedSettings,
    Resampling,
    StorySettings,
    TimelineSettings,
    ToneSettings,
    TopicSettings,
    VoiceSettings,
)
from tests.layout import overlapping_texts

OUTLETS = [
    "The Daily Chronicle",
    "Global News Network",
    "Metro Herald",
    "Al Jazeera English",
    "Breitbart News",
    "The Independent Voice of the Northern Provinces",
    "Fox News",
    "CNN (Web News)",
    "Reuters",
    "The Washington Times",
    "NPR Online News",
    "Pakistani English-language daily (unconfirmed)",
]


def twelve_outlets() -> pd.DataFrame:
    """Three articles per outlet, each twelve sentences drawn from the seed articles; the
    outlets in three regions of four; dated over eight weeks (one undated), titled by their
    first words (one title with dollar signs, drawn as written)."""
    seed = load_corpus(paths.SEED_CORPUS).articles
    pool = [s for text in seed["text"] for s in text.split(". ") if len(s) > 20]
    rng = random.Random(0)
    rows = []
    for n, outlet in enumerate(OUTLETS):
        for i in range(3):
            text = ". ".join(rng.sample(pool, 12)) + "."
            rows.append(
                {
                    "text": text,
                    "outlet": outlet,
                    "id": f"{n}-{i}",
                    "region": ("north", "south", "west")[n % 3],
                    "date": "" if (n, i) == (0, 0) else f"2017-03-{1 + (7 * i + n) % 28:02d}",
                    "title": " ".join(text.split()[:8]) if n else "$5bn for $2bn: a deal",
                }
            )
    return pd.DataFrame(rows)


EVENTS = Path(tempfile.mkdtemp(prefix="layout-events-")) / "events.csv"
EVENTS.write_text(
    "date,label\n2017-03-08,A summit ($1bn pledged)\n2017-03-09,A vote the next day\n"
    "2017-03-15,Talks resume in the capital after a week of strikes\n2030-01-01,Far away\n",
    encoding="utf-8",
)


def _tables(corpus, *, dictionary, actor_file, speakers, group_by):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = pipeline.prepare(load_corpus(corpus))
        tables = measures.measure(
            tables,
            "tone",
            "frames",
            "voices",
            "groups",
            "stories",
            "timeline",
            compare=Compare(group_by=group_by),
            resampling=Resampling(n_resamples=99),
            tone=ToneSettings(actors=actor_file),
            frames=FrameSettings(dictionary=dictionary),
            voices=VoiceSettings(speakers=speakers),
            stories=StorySettings(match=True),
            timeline=TimelineSettings(draw=True, events=EVENTS),
        )
        tables = measures.measure(tables, "terms")  # the distinctive words between outlets
        coded = _codes(tables)
        checked = coding.check_against_coders(
            coded, tables, dictionary=lexicon.read_dictionary(dictionary), n_resamples=99
        )
        return {
            **tables,
            **checked,
            **_learned(tables, coded, dictionary),
            **_topics(tables),
        }


def _topics(tables) -> dict[str, pd.DataFrame]:
    """The topic tables: k chosen among 2 and 3 (the corpora have 36 articles at most)."""
    made = measures.measure(
        tables,
        "topics",
        topics=TopicSettings(k=0, k_min=2, k_max=3, k_step=1, level="paragraph"),
        resampling=Resampling(n_resamples=99),
    )
    return {name: made[name] for name in registry.names(made_by="topics") if name in made}


def _learned(tables, coded, dictionary) -> dict[str, pd.DataFrame]:
    """The learned frames' tables: a classifier trained on the codes' frame variables (on
    the 12 outlets, random codes: the corrected shares are mostly missing)."""
    model = classify.train(
        coded, tables, variable="frames", dictionary=lexicon.read_dictionary(dictionary)
    )
    path = model.save(Path(tempfile.mkdtemp(prefix="layout-")) / "frames.model")
    made = measures.measure(
        tables,
        "learned",
        learned=LearnedSettings(model=path),
        resampling=Resampling(n_resamples=99),
    )
    return {name: made[name] for name in registry.names(made_by="learned")}


def _codes(tables) -> coding.Codes:
    """The seed codings on the seed corpus; elsewhere two coders' made-up article codes with
    the Policy Frames codebook (the first coder random, the second
    agreeing with them four times in five)."""
    ids = set(tables["articles"]["article_id"])
    shipped = coding.read_codes(paths.PACKAGE / "codebooks" / "seed_coding")
    if ids == set(shipped.codes["article_id"]):
        coded = shipped
    else:
        codebook = coding.read_codebook("policy_frames")
        rng = random.Random(1)
        articles = tables["articles"][["article_id", "outlet"]]
        rows = []
        for article_id, outlet in articles.itertuples(index=False):
            first = {v.name: rng.choice(v.values) for v in codebook.variables}
            second = {
                k: (v if rng.random() < 0.8 else rng.choice(codebook[k].values))
                for k, v in first.items()
            }
            for coder, values in (("a", first), ("b", second)):
                rows.append(
                    {
                        "unit": "article",
                        "unit_id": article_id,
                        "article_id": article_id,
                        "outlet": outlet,
                        "coder": coder,
                        **values,
                    }
                )
        codes = pd.DataFrame(rows)
        coded = coding.Codes(codes, pd.DataFrame(), pd.DataFrame(), codebook, pd.DataFrame())
    return coded


@functools.cache
def seed_tables() -> dict[str, pd.DataFrame]:
    return _tables(
        paths.SEED_CORPUS,
        dictionary=measures.SEED_DICTIONARY,
        actor_file=actors.SEED_ACTORS,
        speakers=quotes.SEED_SPEAKERS,
        group_by="outlet_country",
    )


@pytest.fixture(scope="module", params=["seed", "12 outlets"])
def run_tables(request):
    if request.param == "seed":
        tables = seed_tables()
    else:
        tables = _tables(
            twelve_outlets(),
            dictionary="policy_frames",
            actor_file=actors.SEED_ACTORS,
            speakers=measures.GENERIC_SPEAKERS,
            group_by="region",
        )
    return request.param, tables


@pytest.mark.parametrize("name", list(figures.REGISTRY))
def test_no_two_labels_overlap(run_tables, name):
    corpus, tables = run_tables
    spec = figures.REGISTRY[name]
    assert all(table in tables for table in spec.needs), f"{name} not drawn on {corpus}"
    fig, _ = figures.draw(name, tables)
    try:
        assert overlapping_texts(fig) == [], f"{name} on the {corpus} corpus"
    finally:
        plt.close(fig)


def _outside_the_canvas(fig) -> list[str]:
    """Visible, non-empty texts that reach more than 1 px beyond the figure's edges (tick
    labels of ticks outside the axis limits, which are never drawn, left out)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_transform().transform(axis.get_view_interval()))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                where = axis.get_transform().transform(tick.get_loc())
                if not low - 1e-9 <= where <= high + 1e-9:
                    undrawn.update({id(tick.label1), id(tick.label2)})
    edge = fig.bbox
    out = []
    for text in fig.findobj(Text):
        if id(text) in undrawn or not (text.get_text().strip() and text.get_visible()):
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        box = text.get_window_extent(renderer)
        if (
            box.x0 < edge.x0 - 1
            or box.y0 < edge.y0 - 1
            or box.x1 > edge.x1 + 1
            or box.y1 > edge.y1 + 1
        ):
            out.append(text.get_text())
    return out


@pytest.mark.parametrize("name", list(figures.REGISTRY))
def test_no_text_outside_the_canvas(run_tables, name):
    """Saving with a tight box would keep such a text, but the figure would then be wider
    (or taller) than the column it was sized for."""
    corpus, tables = run_tables
    fig, _ = figures.draw(name, tables)
    try:
        assert _outside_the_canvas(fig) == [], f"{name} on the {corpus} corpus"
    finally:
        plt.close(fig)


def test_twelve_outlets_keep_twelve_colours(run_tables):
    corpus, tables = run_tables
    fig, plotted = figures.draw("corpus_overview", tables)
    colours = {p.get_facecolor() for p in fig.axes[0].patches}
    plt.close(fig)
    assert len(colours) == len(plotted) == tables["articles"]["outlet"].nunique()


def test_every_figure_saves_identical_bytes_twice(tmp_path):
    tables = seed_tables()
    first = figures.build_all(tables, tmp_path / "a", formats=("pdf", "png", "svg"))
    second = figures.build_all(tables, tmp_path / "b", formats=("pdf", "png", "svg"))
    for name, files in first.items():
        for path, again in zip(files, second[name]):
            assert path.read_bytes() == again.read_bytes(), path.name


def test_figures_drawn_by_workers_from_the_tables_they_need_are_the_same(run_tables, tmp_path):
    """Drawn on a pool, each figure gets only the tables its registration names (``needs``):
    every file, caption and warning must be what drawing them here from every table gives."""
    from analysis import engine

    _, tables = run_tables
    with warnings.catch_warnings(record=True) as here_warned:
        warnings.simplefilter("always")
        here = figures.build_all(tables, tmp_path / "here", formats=("pdf", "png"))
    with warnings.catch_warnings(record=True) as pool_warned, engine.local_pool(2) as pool:
        warnings.simplefilter("always")
        pooled = figures.build_all(tables, tmp_path / "pool", formats=("pdf", "png"), pool=pool)
    assert list(pooled) == list(here) and len(here) == len(figures.REGISTRY)
    for name, files in here.items():
        assert [p.name for p in files] == [p.name for p in pooled[name]]
        for path, other in zip(files, pooled[name]):
            assert path.read_bytes() == other.read_bytes(), f"{name}: {path.name}"
    assert sorted(str(w.message) for w in pool_warned) == sorted(
        str(w.message) for w in here_warned
    )
