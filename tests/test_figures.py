"""Figures: what is drawn, the plotted numbers, identical bytes on a rerun, no overlaps."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from analysis import clean, figures, paths, plots, quotes, segment
from analysis.corpus import load_corpus


@pytest.fixture(scope="module")
def seed_tables(seed_texts) -> dict[str, pd.DataFrame]:
    outlets = ["Outlet A", "Outlet B", "Outlet C", "A very long outlet name (unconfirmed)"]
    articles = pd.DataFrame(
        {
            "article_id": [n[:3] for n in seed_texts],
            "outlet": outlets,
            "text": list(seed_texts.values()),
        }
    )
    articles, _ = clean.clean_articles(articles)
    return {"articles": articles, "sentences": segment.split_sentences(articles)}


def test_outlet_colors_are_fixed_whatever_the_order():
    first = plots.outlet_colors(["b", "a", "c"])
    assert first == plots.outlet_colors(["c", "a", "b", "a"])
    assert len(set(first.values())) == 3
    assert len(set(plots.outlet_colors([f"o{i:02d}" for i in range(12)]).values())) == 12


def test_corpus_overview_table_counts(seed_tables):
    table = figures.corpus.corpus_overview_table(seed_tables["articles"], seed_tables["sentences"])
    assert table["outlet"].tolist() == sorted(table["outlet"])
    assert table["articles"].tolist() == [1, 1, 1, 1]
    assert table["sentences"].sum() == len(seed_tables["sentences"])
    voices = table[["sentences_narrative", "sentences_quote", "sentences_social"]].sum(axis=1)
    assert (voices == table["sentences"]).all()


def test_corpus_overview_reuses_the_voice_tables_word_counts(seed_tables):
    articles, sentences = seed_tables["articles"], seed_tables["sentences"]
    voices = quotes.article_voices(quotes.extract_quotes(articles, sentences), articles)
    counted = figures.corpus.corpus_overview_table(articles, sentences)
    reused = figures.corpus.corpus_overview_table(articles, sentences, words=voices)
    pd.testing.assert_frame_equal(reused, counted)
    assert counted["words"].gt(100).all()


def test_corpus_overview_draws_one_bar_per_outlet_in_its_colour(seed_tables):
    fig, plotted = figures.draw("corpus_overview", seed_tables)
    left, right = fig.axes[:2]
    colors = plots.outlet_colors(plotted["outlet"])
    bars = left.patches
    assert len(bars) == len(plotted)
    assert [to_hex(b.get_facecolor()).upper() for b in bars] == [
        colors[o].upper() for o in plotted["outlet"]
    ]
    assert [b.get_width() for b in bars] == plotted["words"].tolist()
    # three voices stacked per outlet
    assert len(right.patches) == 3 * len(plotted)
    assert fig.get_size_inches()[0] == pytest.approx(figures.SINGLE_COLUMN)
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert "A very long outlet\nname (unconfirmed)" in labels
    plt.close(fig)


def _overlaps(boxes):
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]


def test_corpus_overview_labels_do_not_overlap(seed_tables):
    fig, _ = figures.draw("corpus_overview", seed_tables)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in fig.axes for t in ax.get_yticklabels() + ax.texts if t.get_visible()]
    texts = [t for t in texts if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert _overlaps(boxes) == []
    legend_box = fig.axes[1].get_legend().get_window_extent(renderer)
    assert not any(legend_box.overlaps(b) for b in boxes)
    plt.close(fig)


def test_save_writes_pdf_png_csv_with_identical_bytes(seed_tables, tmp_path):
    written = []
    for attempt in ("one", "two"):
        fig, plotted = figures.draw("corpus_overview", seed_tables)
        written.append(
            figures.save(
                fig, plotted, "overview", tmp_path / attempt, formats=("pdf", "png", "svg")
            )
        )
    names = [p.name for p in written[0]]
    assert names == ["overview.pdf", "overview.png", "overview.svg", "overview.csv"]
    for first, second in zip(*written):
        assert first.read_bytes() == second.read_bytes(), first.name
    pdf = written[0][0].read_bytes()
    assert b"CreationDate" not in pdf
    assert b"/FontFile2" in pdf  # TrueType (Type 42) fonts embedded
    csv = pd.read_csv(written[0][-1])
    assert csv["words"].tolist() == plotted["words"].tolist()


def test_build_all_skips_figures_whose_tables_are_missing(seed_tables, tmp_path):
    assert figures.build_all({"articles": seed_tables["articles"]}, tmp_path) == {}
    built = figures.build_all(seed_tables, tmp_path)
    assert set(built) == {"corpus_overview"}
    captions = (tmp_path / "captions.md").read_text(encoding="utf-8")
    assert "## corpus_overview" in captions and "tone_by_voice" not in captions


@pytest.fixture(scope="module")
def tone_tables(seed_tables) -> dict[str, pd.DataFrame]:
    import warnings

    from analysis import actors, pipeline, stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.UndefinedIntervalWarning)
        return {
            unit: pipeline.add_tone(
                seed_tables,
                pipeline.ToneSettings(unit=unit, n_resamples=199, actors=actors.SEED_ACTORS),
            )
            for unit in ("article", "sentence")
        }


def test_tone_by_voice_draws_each_voice_with_intervals_by_sentence(tone_tables):
    tables = tone_tables["sentence"]
    fig, plotted = figures.draw("tone_by_voice", tables)
    ax = fig.axes[0]
    markers = [line for line in ax.lines if line.get_marker() not in ("None", None, "")]
    assert len(markers) == len(plotted)
    # four outlets; the one with embedded posts (002, "Outlet C") has a social estimate
    assert set(plotted.loc[plotted["voice"] == "social", "outlet"]) == {"Outlet C"}
    assert len(ax.collections) == plotted["ci_low"].notna().sum()  # one error bar each
    caption = figures.REGISTRY["tone_by_voice"].caption_for(tables)
    assert "resampling sentences" in caption and "not independent" in caption
    plt.close(fig)


def test_tone_by_voice_marks_missing_intervals_open(tone_tables):
    tables = tone_tables["article"]
    fig, plotted = figures.draw("tone_by_voice", tables)
    ax = fig.axes[0]
    faces = {to_hex(line.get_markerfacecolor()) for line in ax.lines if line.get_marker() != "None"}
    assert faces == {"#ffffff"}  # all open: one article per outlet, no interval
    assert len(ax.collections) == 0
    assert "Open markers" in figures.REGISTRY["tone_by_voice"].caption_for(tables)
    plt.close(fig)


def test_tone_along_article_one_line_per_outlet(tone_tables):
    fig, plotted = figures.draw("tone_along_article", tone_tables["sentence"])
    ax = fig.axes[0]
    lines = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(lines) == 4
    assert plotted["bin"].nunique() == 5
    plt.close(fig)


def test_actor_heatmap_marks_unmentioned_cells(tone_tables):
    fig, plotted = figures.draw("actor_tone_heatmap", tone_tables["article"])
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    unmentioned = (plotted["n_sentences"] == 0).sum()
    assert labels.count("–") == unmentioned > 0
    assert all("n=" in label for label in labels if label != "–")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels() + ax.get_yticklabels()]
    assert _overlaps(ticks) == []
    cells = [t.get_window_extent(renderer) for t in ax.texts]
    assert _overlaps(cells) == []
    # one article per outlet: every mentioned cell says it has no interval
    assert all("no interval" in label for label in labels if label != "–")
    plt.close(fig)


@pytest.fixture(scope="module")
def many_outlets() -> dict[str, pd.DataFrame]:
    import warnings

    from analysis import actors, pipeline, stats
    from analysis.corpus import load_corpus

    rng = np.random.default_rng(0)
    words = ["good", "bad", "terrible", "great", "the court", "Facebook", "said", "plan"]
    rows = []
    for outlet in range(25):
        for _ in range(2 + outlet % 3):
            sentences = [" ".join(rng.choice(words, size=6)).capitalize() + "." for _i in range(6)]
            rows.append({"outlet": f"Outlet {outlet:02d}", "text": " ".join(sentences)})
    corpus = load_corpus(pd.DataFrame(rows))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.UndefinedIntervalWarning)
        settings = pipeline.ToneSettings(n_resamples=99, actors=actors.SEED_ACTORS)
        return pipeline.add_tone(pipeline.prepare(corpus), settings)


def test_many_outlets_are_capped_and_faceted(many_outlets):
    shown = figures.shown_outlets(many_outlets)
    assert len(shown) == figures.MAX_OUTLETS
    # the 16 outlets with 3 or 4 articles, then the first four (by name) of those with 2
    assert "Outlet 23" in shown and "Outlet 24" not in shown and "Outlet 09" in shown
    for name in ("corpus_overview", "tone_by_voice", "tone_along_article", "actor_tone_heatmap"):
        fig, plotted = figures.draw(name, many_outlets)
        outlet_column = "outlet" if "outlet" in plotted else None
        assert set(plotted[outlet_column]) <= set(shown), name
        caption = figures.REGISTRY[name].caption_for(many_outlets)
        assert "the 20 outlets with the most articles, of 25" in caption
        fig.canvas.draw()
        if name == "tone_along_article":
            visible = [ax for ax in fig.axes if ax.get_visible()]
            assert len(visible) == 20  # one small panel per outlet
        plt.close(fig)


@pytest.fixture(scope="module")
def frame_tables(seed_tables) -> dict[str, pd.DataFrame]:
    from analysis import pipeline

    settings = pipeline.FrameSettings(dictionary="blasphemy_platforms_2017", n_resamples=99)
    return pipeline.add_frames(seed_tables, settings)


def test_frame_salience_draws_every_frame_for_every_outlet(frame_tables):
    fig, plotted = figures.draw("frame_salience", frame_tables)
    ax = fig.axes[0]
    markers = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(markers) == len(plotted) == 7 * 4
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "religion and the sacred"
    caption = figures.REGISTRY["frame_salience"].caption_for(frame_tables)
    assert "blasphemy_platforms_2017" in caption and "Open markers" in caption
    plt.close(fig)


def test_frame_profile_scales_each_frame_to_its_top_outlet(frame_tables):
    fig, plotted = figures.draw("frame_profile", frame_tables)
    top = plotted.groupby("measure")["scaled"].max()
    assert np.allclose(top.dropna(), 1.0)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert _overlaps(boxes) == []
    plt.close(fig)


def test_frame_top_terms_counts_match_the_audit(frame_tables):
    fig, plotted = figures.draw("frame_top_terms", frame_tables)
    audit = frame_tables["frame_audit"]
    for row in plotted[plotted["count"] > 0].itertuples():
        expected = audit[
            (audit["category"] == row.category)
            & (audit["term"] == row.term)
            & (audit["outlet"] == row.outlet)
        ]["count"].sum()
        assert row.count == expected
    assert plotted.groupby("category")["term"].nunique().max() <= 5
    plt.close(fig)


@pytest.fixture(scope="module")
def term_tables(seed_tables) -> dict[str, pd.DataFrame]:
    from analysis import pipeline

    return pipeline.add_terms(seed_tables, pipeline.TermSettings())


@pytest.fixture(scope="module")
def marked_term_tables() -> dict[str, pd.DataFrame]:
    """Four outlets of 15 articles drawn from the seed sentences; one outlet's articles all
    speak of a "lantern inquiry", so the article test marks it and leaves most terms."""
    import random

    from analysis import pipeline

    seed = load_corpus(paths.SEED_CORPUS).articles
    pool = [s for text in seed["text"] for s in text.split(". ") if len(s) > 20]
    rng = random.Random(1)
    rows = []
    for outlet in ("North Post", "South Star", "East Wire", "West Herald"):
        for i in range(15):
            text = ". ".join(rng.sample(pool, 8)) + "."
            if outlet == "North Post":
                text += " The lantern inquiry went on."
            rows.append({"text": text, "outlet": outlet, "id": f"{outlet}-{i}"})
    tables = pipeline.prepare(load_corpus(pd.DataFrame(rows)))
    return pipeline.add_terms(tables, pipeline.TermSettings())


def test_distinctive_terms_marks_non_significant_terms_hollow(marked_term_tables):
    term_tables = marked_term_tables
    fig, plotted = figures.draw("distinctive_terms", term_tables)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 4
    bars = [bar for ax in visible for bar in ax.patches]
    assert len(bars) == len(plotted)
    hollow = [to_hex(bar.get_facecolor()) == "#ffffff" for bar in bars]
    # filled: the article test's q < 0.05, in the direction of z
    share = plotted["units_using"] / plotted["n_units"]
    table = term_tables["term_scores"].set_index(["group", "term"])
    other = table.loc[list(zip(plotted["group"], plotted["term"]))]
    other_share = (other["units_using_other"] / other["n_units_other"]).to_numpy()
    filled = (plotted["q"] < 0.05) & (np.sign(share - other_share) == np.sign(plotted["z"]))
    assert hollow == (~filled).tolist()
    assert 0 < sum(hollow) < len(hollow)  # the fixture has both kinds
    plt.close(fig)


def test_fightin_words_labels_do_not_overlap_and_bytes_repeat(term_tables, tmp_path):
    written = []
    for attempt in ("one", "two"):
        fig, plotted = figures.draw("fightin_words", term_tables)
        if attempt == "one":
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
            assert len(boxes) == plotted["labelled"].sum() > 0
            assert _overlaps(boxes) == []
        written.append(figures.save(fig, plotted, "pair", tmp_path / attempt))
    for first, second in zip(*written):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_tfidf_heatmap_has_each_groups_top_terms(term_tables):
    fig, plotted = figures.draw("tfidf_heatmap", term_tables)
    labels = {t.get_text() for t in fig.axes[0].get_yticklabels()}
    assert {"#hangayaznizami", "misuse"} <= labels
    plt.close(fig)


def test_term_captions_say_when_no_term_could_be_tested(term_tables, marked_term_tables):
    # the seed corpus has one article per outlet: the test is undefined and the caption says so
    for name in ("distinctive_terms", "fightin_words"):
        caption = figures.REGISTRY[name].caption
        assert "No term could be tested here" in caption(term_tables)
        assert "No term could be tested here" not in caption(marked_term_tables)


def test_every_figure_says_how_to_read_it():
    from analysis.figures.reading import HOW_TO_READ

    assert set(HOW_TO_READ) == set(figures.REGISTRY)
    for name, text in HOW_TO_READ.items():
        assert 80 < len(text) < 400, name  # about two lines, not a paragraph
