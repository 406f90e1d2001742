"""Degenerate corpora go through every measure and figure without a traceback.

Outlets whose texts have no words (emoji-only posts), one word, the same text in every
outlet, one outlet only, single-sentence articles, no quotes at all: each run finishes,
writes every table, every figure and the report, or, when nothing at all can be loaded,
stops with one :class:`~analysis.corpus.CorpusError` (issue 27, item 6). And an outlet
name of 5,000 characters is shortened in the figures, never in the tables (item 7).
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import figures, pipeline, plots, registry
from analysis.corpus import CorpusError
from analysis.measures import Resampling

NORMAL = "The minister announced a new policy on schools in the capital today."
PIECES = {
    "emoji": "🔥🔥🔥",
    "link": "https://t.co/x1Yz",  # no text at all once cleaned
    "scare": 'The so-called "reform" passed.',
    "word": "policy",
    "repeated": "Schools matter. Schools matter. Schools matter.",
    "quote": '"The policy is wrong," she said.',
    "punctuation": "... !!! ?",
    "normal": NORMAL,
}
"""The degenerate pieces texts are made of (by name, so a failing example reads well)."""

TABLES = tuple(name for name in registry.names() if name not in registry.WRITTEN_ONLY_WHEN)
"""Tables every run writes, whatever its corpus."""

ALWAYS_DRAWN = (
    "corpus_overview",
    "tone_by_voice",
    "tone_along_article",
    "frame_salience",
    "frame_profile",
    "frame_top_terms",
    "who_speaks",
    "scare_quotes",
    "quote_tone",
)
"""Figures every run draws; the distinctive-word figures are drawn when their tables are
made (a corpus with no term used twice has none, and the run says so)."""

QUICK = {"jobs": 1, "resampling": Resampling(n_resamples=99), "formats": ("png",)}


def run_quietly(corpus: pd.DataFrame, out: Path, **kwargs) -> pipeline.RunResult:
    """``pipeline.run`` on ``corpus`` into ``out``, its (expected) warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", FutureWarning)
        return pipeline.run(corpus, out=out, **{**QUICK, **kwargs})


def assert_complete(result: pipeline.RunResult, out: Path) -> None:
    """Every table, every figure this run's tables allow, and the report were written."""
    fig_dir = out / "figures"
    for table in TABLES:
        assert (out / f"{table}.parquet").is_file(), table
    assert (out / "manifest.json").is_file()
    drawn = set(ALWAYS_DRAWN)
    drawn |= {"distinctive_terms", "tfidf_heatmap"} if "term_scores" in result.tables else set()
    drawn |= {"fightin_words"} if "term_pair" in result.tables else set()
    for name in figures.REGISTRY:
        if name in drawn:
            assert (fig_dir / f"{name}.png").is_file(), name
            assert (fig_dir / f"{name}.csv").is_file(), name
    for name in ("report.html", "methods.md", "captions.md", "explorer.html"):
        assert (fig_dir / name).is_file(), name
    for path in result.manifest["outputs"]:
        assert Path(path).is_file(), path


def corpus(articles: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(articles, columns=["outlet", "text"])


@st.composite
def degenerate_corpora(draw) -> pd.DataFrame:
    """1-4 outlets of 1-3 articles, each article one to three degenerate pieces."""
    n_outlets = draw(st.integers(1, 4))
    names = ["Outlet A", "B", "Outlet C with a longer name", "D"][:n_outlets]
    piece = st.sampled_from(sorted(PIECES))
    rows = []
    for name in names:
        for _ in range(draw(st.integers(1, 3))):
            parts = draw(st.lists(piece, min_size=1, max_size=3))
            rows.append((name, " ".join(PIECES[p] for p in parts)))
    return corpus(rows)


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(degenerate_corpora())
def test_degenerate_corpus_runs_through(articles):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        try:
            result = run_quietly(articles, out)
        except CorpusError as error:  # nothing loadable: one line, and nothing else
            assert "\n" not in str(error)
            assert "no article could be loaded" in str(error)
            return
        assert_complete(result, out)


def two_voices() -> list[tuple[str, str]]:
    return [("C", NORMAL), ("C", NORMAL.replace("schools", "hospitals")), ("D", NORMAL)]


def test_two_largest_outlets_emoji_only(tmp_path):
    """The fightin' words pair (the two largest outlets) has no words at all."""
    articles = corpus(
        [("A", "🔥🔥🔥")] * 3 + [("B", "😡😡 🔥")] * 3 + two_voices() + [("D", NORMAL)]
    )
    result = run_quietly(articles, tmp_path)
    assert_complete(result, tmp_path)
    assert "term_pair" in result.tables
    pair = pd.read_csv(tmp_path / "figures" / "fightin_words.csv")
    assert pair.empty  # nothing to plot; the figure says so instead of raising


def test_every_outlet_the_same_text(tmp_path):
    articles = corpus([(outlet, NORMAL) for outlet in "ABC" for _ in range(2)])
    result = run_quietly(articles, tmp_path)
    assert_complete(result, tmp_path)
    tone = pd.read_csv(tmp_path / "outlet_tone.csv")
    assert set(tone["outlet"]) == {"A", "B", "C"}


def test_one_outlet(tmp_path):
    articles = corpus([("Only", NORMAL), ("Only", '"It is wrong," she said. ' + NORMAL)])
    result = run_quietly(articles, tmp_path)
    assert_complete(result, tmp_path)
    assert "term_scores" not in result.tables  # nothing to compare with, and no figure


def test_single_sentence_articles_and_no_quotes(tmp_path):
    articles = corpus([("A", NORMAL), ("B", "policy"), ("B", "Schools matter.")])
    result = run_quietly(articles, tmp_path)
    assert_complete(result, tmp_path)
    assert result.manifest["counts"]["quotes"] == 0


def test_outlet_with_no_text_once_cleaned(tmp_path):
    """An outlet whose only article is a link has no sentence at all: it keeps its rows in
    the frame table (no estimate), and the frame figures say 'no words' (the profile
    raised KeyError)."""
    articles = corpus([("A", PIECES["link"]), ("B", "🔥🔥🔥"), ("C", NORMAL), ("C", NORMAL)])
    result = run_quietly(articles, tmp_path)
    assert_complete(result, tmp_path)
    frames = pd.read_csv(tmp_path / "outlet_frames.csv")
    assert set(frames["outlet"]) == {"A", "B", "C"}
    empty = frames[frames["outlet"] == "A"]
    assert empty["estimate"].isna().all() and (empty["n_articles"] == 0).all()
    profile = pd.read_csv(tmp_path / "figures" / "frame_profile.csv")
    assert "C" in set(profile["outlet"])


def test_nothing_but_emoji(tmp_path):
    """Texts with no words at all: loaded (and measured as empty) or refused in one line."""
    articles = corpus([("A", "🔥🔥🔥"), ("B", "😡"), ("B", PIECES["link"])])
    try:
        result = run_quietly(articles, tmp_path)
    except CorpusError as error:
        assert "\n" not in str(error)
        return
    assert_complete(result, tmp_path)


LONG = "The " + "Very " * 999 + "Long Outlet"
"""An outlet name of 5,000 characters."""


def test_long_outlet_name_shortened_in_figures_kept_in_tables(tmp_path):
    sibling = LONG[:-4] + "Gazette"  # the same first 4,990 characters
    articles = corpus(
        [(LONG, NORMAL), (LONG, NORMAL.replace("schools", "hospitals"))]
        + [(sibling, NORMAL.replace("minister", "mayor"))] * 2
        + [("Short", '"The policy is wrong," she said. ' + NORMAL)] * 2
    )
    result = run_quietly(articles, tmp_path, formats=())
    tone = pd.read_csv(tmp_path / "outlet_tone.csv")
    assert set(tone["outlet"]) == {LONG, sibling, "Short"}
    overview = pd.read_csv(tmp_path / "figures" / "corpus_overview.csv")
    assert LONG in set(overview["outlet"])
    tables = pipeline._figure_tables(result.tables, None)
    drawn = [name for name, spec in figures.REGISTRY.items() if set(spec.needs) <= set(tables)]
    assert {"corpus_overview", "fightin_words", "tone_by_voice"} <= set(drawn)
    for name in drawn:
        fig, _ = figures.draw(name, tables)
        try:
            fig.canvas.draw()
            bbox = fig.get_tightbbox(fig.canvas.get_renderer())
            assert bbox.width <= 8.0 and bbox.height <= 12.0, (name, bbox.width, bbox.height)
            texts = [t.get_text() for t in fig.findobj(plt.Text)]
            assert max(len(line) for t in texts for line in t.split("\n")) <= 60, name
        finally:
            plt.close(fig)


def test_short_labels_stay_distinct():
    names = ["x" * 50 + "1", "x" * 50 + "2", "x" * 38 + "…", "Short"]
    with plots.label_names(names):
        shown = [plots.short_label(n) for n in names]
    assert len(set(shown)) == len(names)
    assert all(len(s) <= plots.MAX_LABEL for s in shown)
    assert shown[-1] == "Short"
    assert plots.short_label("y" * 100) == "y" * (plots.MAX_LABEL - 2) + "…"


@pytest.mark.parametrize("width", [22, 40])
def test_wrap_label_shortens_first(width):
    assert len(plots.wrap_label("z" * 5000, width).replace("\n", "")) <= plots.MAX_LABEL
