"""Figures: what is drawn, the plotted numbers, identical bytes on a rerun, no overlaps."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Text

from analysis import clean, figures, measures, paths, plots, quotes, segment
from analysis.corpus import load_corpus
from analysis.measures import FrameSettings, Resampling, ToneSettings, VoiceSettings


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


def _lab(color) -> np.ndarray:
    """CIELAB (D65) of a matplotlib colour, for perceptual distances (CIE76 delta E)."""
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = (
        np.array(
            [
                [0.4124564, 0.3575761, 0.1804375],
                [0.2126729, 0.7151522, 0.0721750],
                [0.0193339, 0.1191920, 0.9503041],
            ]
        )
        @ linear
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_lab_distance_sanity():
    assert np.linalg.norm(_lab("white") - _lab("black")) == pytest.approx(100, abs=0.1)
    assert np.linalg.norm(_lab("#0072B2") - _lab("#0072B3")) < 1


def test_speaker_categories_have_a_palette_of_their_own():
    categories = ["government", "courts", "platform_companies", "rights_groups"]
    categories += ["religious_groups", "social_media_users", "media", "other", "unknown"]
    styles = plots.speaker_styles(categories)
    assert list(styles) == [*categories[:-1], "unknown"]
    inks = {s["color"] for s in styles.values()} | {s["ink"] for s in styles.values()}
    inks |= {s["hatchcolor"] for s in styles.values() if s["hatchcolor"]}
    inks.discard("#FFFFFF")  # the page itself
    for ink in inks:
        for outlet in plots.OUTLET_PALETTE:
            distance = np.linalg.norm(_lab(ink) - _lab(outlet))
            assert distance > 15, (ink, outlet, distance)  # not perceptually close
    # every named category looks different (fill and pattern), 'unknown' is a neutral grey
    looks = [(s["color"], s["hatch"]) for c, s in styles.items()]
    assert len(set(looks)) == len(looks)
    red, green, blue = (int(styles["unknown"]["color"][i : i + 2], 16) for i in (1, 3, 5))
    assert red == green == blue and 150 < red < 230 and not styles["unknown"]["hatch"]


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
    labels = [ax.get_yticklabels() + ax.get_xticklabels() + ax.texts for ax in fig.axes]
    texts = [t for group in labels for t in group if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert _overlaps(boxes) == []
    legend_box = fig.legends[0].get_window_extent(renderer)
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

    from analysis import actors, stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.UndefinedIntervalWarning)
        return {
            unit: measures.measure(
                seed_tables,
                "tone",
                resampling=Resampling(unit=unit, n_resamples=199),
                tone=ToneSettings(actors=actors.SEED_ACTORS),
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


def _marker_lines(ax):
    return [line for line in ax.lines if line.get_marker() not in ("None", None, "")]


def test_tone_by_voice_shows_what_each_estimate_rests_on(tone_tables):
    tables = tone_tables["article"]
    fig, plotted = figures.draw("tone_by_voice", tables)
    ax = fig.axes[0]
    # under each outlet's name: its articles and sentences, from article_tone
    sentences = tables["article_tone"].groupby("outlet")["n_sentences"].sum()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    for outlet, label in zip(figures.shown_outlets(tables), labels):
        assert label.endswith(f"1 article, {sentences[outlet]} sentences"), label
    # beside each marker resting on fewer than FEW sentences of its voice: n=<sentences>
    quotes = tables["article_tone"].set_index("outlet")["n_quote"]
    rows = plotted[plotted["voice"] == "quote"].set_index("outlet")
    assert (rows["n_sentences"] == quotes.reindex(rows.index)).all()
    few = plotted[plotted["n_sentences"] < plots.FEW]
    notes = sorted(t.get_text() for t in ax.texts)
    assert notes == sorted(f"n={int(n)}" for n in few["n_sentences"])
    assert 0 < len(notes) < len(plotted)  # the seed corpus: quotes of 2 and 3 sentences
    caption = figures.REGISTRY["tone_by_voice"].caption_for(tables)
    assert f"printed when fewer than {plots.FEW}" in caption
    plt.close(fig)


def _legend_faces(ax):
    legend = ax.get_legend() or ax.figure.legends[0]
    return {
        handle.get_label(): to_hex(handle.get_markerfacecolor()) for handle in legend.legend_handles
    }, legend


def test_tone_by_voice_legend_draws_markers_as_the_plot_does(tone_tables):
    # the seed corpus: one article per outlet, so every marker is open, and so is the legend
    fig, plotted = figures.draw("tone_by_voice", tone_tables["article"])
    ax = fig.axes[0]
    assert {to_hex(m.get_markerfacecolor()) for m in _marker_lines(ax)} == {"#ffffff"}
    faces, legend = _legend_faces(ax)
    assert set(faces) == set(plotted["voice"])
    assert set(faces.values()) == {"#ffffff"}
    assert legend.get_title().get_text() == "open markers: no interval"
    plt.close(fig)
    # with an interval for every outlet's "all" estimate: that voice is filled in the plot
    # and in the legend, the others stay open, and the legend says what each means
    tables = dict(tone_tables["article"])
    tone = tables["outlet_tone"].copy()
    mean = tone["measure"] == "compound_mean"
    tone.loc[mean, "ci_low"] = tone.loc[mean, "estimate"] - 0.1
    tone.loc[mean, "ci_high"] = tone.loc[mean, "estimate"] + 0.1
    tables["outlet_tone"] = tone
    fig, plotted = figures.draw("tone_by_voice", tables)
    ax = fig.axes[0]
    drawn = {}
    for line, voice in zip(_marker_lines(ax), plotted["voice"]):
        drawn.setdefault(voice, set()).add(to_hex(line.get_markerfacecolor()) == "#ffffff")
    faces, legend = _legend_faces(ax)
    for voice, open_ in drawn.items():
        assert open_ == {faces[voice] == "#ffffff"}, voice
    assert faces["all"] != "#ffffff" and faces["narrative"] == "#ffffff"
    assert legend.get_title().get_text() == "filled: with 95% interval; open: no interval"
    plt.close(fig)


def test_tone_along_article_one_line_per_outlet(tone_tables):
    fig, plotted = figures.draw("tone_along_article", tone_tables["sentence"])
    ax = fig.axes[0]
    lines = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(lines) == 4
    assert plotted["bin"].nunique() == 5
    plt.close(fig)


def test_tone_along_article_legend_says_how_many_sentences_a_point_averages(tone_tables):
    tables = tone_tables["article"]
    fig, plotted = figures.draw("tone_along_article", tables)
    sentences = tables["article_tone"].groupby("outlet")["n_sentences"].sum()
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(labels) == 4
    for outlet, label in zip(figures.shown_outlets(tables), labels):
        n = sentences[outlet]
        assert f"1 article, {n} sentences\n~{round(n / 5)} sentences a point" in label, label
    caption = figures.REGISTRY["tone_along_article"].caption_for(tables)
    assert "how many sentences each point averages" in caption
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
    # one article per outlet: no cell has an interval, and the figure says so once, not in
    # every cell
    assert not any("interval" in label for label in labels)
    notes = [t.get_text() for t in fig.findobj(Text)]
    assert sum("no cell has an interval" in note for note in notes) == 1
    caption = figures.REGISTRY["actor_tone_heatmap"].caption_for(tone_tables["article"])
    assert caption.count("No interval could be computed for any cell") == 1
    # the column labels say how many articles each outlet has
    assert all(t.get_text().endswith("\n1 article") for t in ax.get_xticklabels())
    plt.close(fig)


def test_actor_heatmap_fades_and_hatches_cells_resting_on_few_sentences(tone_tables):
    from matplotlib.colors import Normalize

    fig, plotted = figures.draw("actor_tone_heatmap", tone_tables["article"])
    ax = fig.axes[0]
    drawn = ax.images[0].get_array()  # the RGBA of every cell, as drawn
    actors = list(dict.fromkeys(plotted["actor"]))
    outlets = sorted(plotted["outlet"].unique())
    # the colour scale, read back from the (horizontal) colour bar
    cmap, norm = plt.get_cmap("PuOr"), Normalize(*fig.axes[1].get_xlim())
    faded = hatched = 0
    for row in plotted.itertuples():
        if row.n_sentences == 0:
            continue
        full = np.array(cmap(norm(row.estimate))[:3])
        cell = np.asarray(drawn[actors.index(row.actor), outlets.index(row.outlet), :3])
        if row.n_sentences < plots.FEW:
            faded += 1
            assert row.faded
            assert cell.sum() > full.sum() + 0.05 or np.allclose(full, 1, atol=0.02)
            np.testing.assert_allclose(cell, 1 - figures.tone.FADED * (1 - full), atol=1e-6)
        else:
            assert not row.faded
            np.testing.assert_allclose(cell, full, atol=1e-6)
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == faded == (plotted["faded"]).sum()
    # the seed corpus has both: cells from one sentence and cells from seven or more
    assert 0 < faded < (plotted["n_sentences"] > 0).sum()
    caption = figures.REGISTRY["actor_tone_heatmap"].caption_for(tone_tables["article"])
    assert f"fewer than {plots.FEW} sentences are faded and hatched" in caption
    assert f"fewer than {plots.FEW} sentences" in fig.get_supxlabel()
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
        return measures.measure(
            pipeline.prepare(corpus),
            "tone",
            resampling=Resampling(n_resamples=99),
            tone=ToneSettings(actors=actors.SEED_ACTORS),
        )


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
    return measures.measure(
        seed_tables,
        "frames",
        resampling=Resampling(n_resamples=99),
        frames=FrameSettings(dictionary="blasphemy_platforms_2017"),
    )


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
    return measures.measure(seed_tables, "terms")


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
    return measures.measure(tables, "terms")


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


@pytest.fixture(scope="module")
def voice_tables(tone_tables) -> dict[str, pd.DataFrame]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return measures.measure(
            tone_tables["article"],
            "voices",
            resampling=Resampling(n_resamples=99),
            voices=VoiceSettings(speakers=quotes.SEED_SPEAKERS),
        )


def test_who_speaks_draws_speaker_categories_in_greys_and_patterns(voice_tables):
    fig, plotted = figures.draw("who_speaks", voice_tables)
    ax = fig.axes[0]
    outlet_colours = {c.lower() for c in plots.OUTLET_PALETTE}
    faces = {to_hex(bar.get_facecolor()) for bar in ax.patches}
    assert not faces & outlet_colours
    for face in faces:  # greys or white: no hue at all
        assert face[1:3] == face[3:5] == face[5:7], face
    styles = plots.speaker_styles(voice_tables["speaker_shares"]["category"])
    # the legend shows each category in its look, with 'unknown' plain light grey
    legend = fig.legends[0]
    for handle, text in zip(legend.legend_handles, legend.get_texts()):
        category = text.get_text().replace(" ", "_")
        assert to_hex(handle.get_facecolor()) == styles[category]["color"].lower(), category
        assert (handle.get_hatch() or "") == styles[category]["hatch"], category
    assert "unknown" in [t.get_text() for t in legend.get_texts()]
    assert "greys and hatch patterns" in figures.REGISTRY["who_speaks"].caption_for(voice_tables)
    plt.close(fig)


def test_quote_tone_prints_n_and_keeps_outlet_colours_for_outlets(voice_tables):
    fig, plotted = figures.draw("quote_tone", voice_tables)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    outlet_colours = {c.lower() for c in plots.OUTLET_PALETTE}
    for ax in visible:
        for line in _marker_lines(ax):
            assert to_hex(line.get_markeredgecolor()) not in outlet_colours
    notes = sorted(t.get_text() for ax in visible for t in ax.texts)
    few = plotted[plotted["n_quotes"] < plots.FEW]
    assert notes == sorted(f"n={int(n)}" for n in few["n_quotes"])
    assert len(notes) > 0
    # each panel's title: the outlet, then its quotes and articles
    tone = voice_tables["quote_tone"]
    everything = tone[tone["category"] == "all"].set_index("outlet")
    for ax, outlet in zip(visible, figures.shown_outlets(voice_tables)):
        quotes_, articles = everything.loc[outlet, ["n_quotes", "n_articles"]]
        expected = f"{quotes_} quote{'s' * (quotes_ != 1)}, {articles} article"
        assert ax.get_title().endswith(expected), ax.get_title()
    plt.close(fig)


def test_scare_quote_labels_say_k_of_n(voice_tables):
    fig, plotted = figures.draw("scare_quotes", voice_tables)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert not any("/" in label for label in labels)
    expected = {f"{k} of {k + u}" for k, u in zip(plotted["scare_quoted"], plotted["unquoted"])}
    assert {label for label in labels if label != "–"} == expected
    assert (plotted["uses"] == plotted["scare_quoted"] + plotted["unquoted"]).all()
    assert "'k of n'" in figures.REGISTRY["scare_quotes"].caption_for(voice_tables)
    plt.close(fig)


def test_frame_salience_legend_draws_markers_as_the_plot_does(frame_tables):
    fig, plotted = figures.draw("frame_salience", frame_tables)
    faces, legend = _legend_faces(fig.axes[0])
    drawn = {to_hex(m.get_markerfacecolor()) for m in _marker_lines(fig.axes[0])}
    assert drawn == set(faces.values()) == {"#ffffff"}  # one article each: all open
    assert all(label.endswith("(1 article)") for label in faces)
    assert legend.get_title().get_text() == "open markers: no interval"
    plt.close(fig)


def _figure_notes(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_term_figures_say_on_the_plot_when_no_term_is_marked(term_tables, marked_term_tables):
    untested = "no term could be tested (fewer than 2 articles in a group)"
    for name in ("distinctive_terms", "fightin_words"):
        # the seed corpus: one article per outlet, so no term could be tested
        fig, _ = figures.draw(name, term_tables)
        assert untested in _figure_notes(fig), name
        plt.close(fig)
        # tested, but no term below q = 0.05
        tables = dict(term_tables)
        for table in ("term_scores", "term_pair"):
            tables[table] = term_tables[table].assign(q=0.5)
        fig, _ = figures.draw(name, tables)
        notes = _figure_notes(fig)
        assert "no term significant (q ≥ 0.05)" in notes and untested not in notes, name
        plt.close(fig)
    # some term significant: no note
    fig, plotted = figures.draw("distinctive_terms", marked_term_tables)
    assert not any(note.startswith("no term") for note in _figure_notes(fig))
    plt.close(fig)


def test_fightin_words_draws_an_empty_plot_when_the_pair_has_no_words():
    import warnings

    from analysis import pipeline

    rows = [{"outlet": "A", "text": text} for text in ("😀 😀 🎉", "🔥🔥", "🔥 🎉")]
    rows += [{"outlet": "B", "text": text} for text in ("😡 😡", "👍", "👍 👍")]
    rows += [{"outlet": "C", "text": "Words are here. More words."}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = pipeline.prepare(load_corpus(pd.DataFrame(rows)))
        tables = measures.measure(tables, "terms")
    assert tables["term_pair"].empty
    fig, plotted = figures.draw("fightin_words", tables)
    assert plotted.empty and "labelled" in plotted
    assert "no term used by either group\n(A vs B)" in _figure_notes(fig)
    assert "Fightin' words, A vs B" in figures.REGISTRY["fightin_words"].caption_for(tables)
    plt.close(fig)
    fig, plotted = figures.draw("distinctive_terms", tables)  # and this one draws too
    assert "no term used" in _figure_notes(fig)
    plt.close(fig)


def _story_tables(*, intervals: bool) -> dict[str, pd.DataFrame]:
    """Stories and timeline tables of three outlets: one shared story, a title and an event
    with dollar signs, one period, and intervals only when ``intervals``."""
    outlets = ["Outlet $A", "Outlet B", "Outlet C"]
    nan = np.nan
    rows = []
    for i, outlet in enumerate(outlets):
        for measure, family, pooled in (
            ("compound_mean", "tone", 0.1 * (i - 1)),
            ("economic", "frames", 2.0 * (i - 1)),
            ("quotes_per_1000_words", "voices", 5.0 * (1 - i)),
        ):
            half = 0.05 * abs(pooled) + 0.01 if intervals else nan
            within = nan if i == 2 else pooled / 2
            rows.append(
                {
                    "level": "outlet",
                    "unit": outlet,
                    "family": family,
                    "measure": measure,
                    "pooled": pooled,
                    "pooled_low": pooled - half,
                    "pooled_high": pooled + half,
                    "within": within,
                    "within_low": within - half,
                    "within_high": within + half,
                    "selection": pooled - (0 if np.isnan(within) else within),
                    "selection_low": nan,
                    "selection_high": nan,
                    "shared_share": 0.0 if i == 2 else 1.0,
                    "n_articles": 1,
                    "n_stories": 1,
                    "n_shared_stories": 0 if i == 2 else 1,
                    "n_stories_all": 2,
                }
            )
    day = pd.Timestamp("2024-03-04")
    members = pd.DataFrame(
        {
            "article_id": ["a", "b", "c"],
            "outlet": outlets,
            "story": ["1", "1", "2"],
            "published": [day, day, day],
            "how": ["text"] * 3,
        }
    )
    story_table = pd.DataFrame(
        {
            "story": ["1", "2"],
            "title": ["Budget of $5bn cut to $2bn", ""],
            "first_published": [day, day],
            "last_published": [day, day],
            "n_articles": [2, 1],
            "n_outlets": [2, 1],
            "outlets": ["Outlet $A; Outlet B", "Outlet C"],
        }
    )
    coverage = pd.DataFrame(
        {
            "level": "outlet",
            "unit": outlets,
            "n_articles": [1, 1, 1],
            "n_stories": [1, 1, 1],
            "n_shared_stories": [1, 1, 0],
            "n_own_stories": [0, 0, 1],
            "n_major_stories": [1, 1, 0],
            "n_major_covered": [1, 1, 0],
            "major_share": [1.0, 1.0, nan],
            "major_low": [0.2, 0.2, nan],
            "major_high": [1.0, 1.0, nan],
        }
    )
    timeline = pd.DataFrame(
        [
            {
                "level": "outlet",
                "unit": outlet,
                "period": day,
                "period_length": "week",
                "family": family,
                "measure": measure,
                "estimate": 0.1 * i,
                "ci_low": nan,
                "ci_high": nan,
                "n_articles": 1,
                "smoothed": 0.1 * i,
                "smooth_low": nan,
                "smooth_high": nan,
                "smooth_articles": 1,
                "smooth": 0,
                "n_unplaced": 2 if i == 0 else 0,
            }
            for i, outlet in enumerate(outlets)
            for family, measure in (("tone", "compound_mean"), ("frames", "economic"))
        ]
    )
    events = pd.DataFrame(
        {"date": [day + pd.Timedelta(days=2)], "label": ["A $1bn pledge, then $2bn"]}
    )
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": outlets})
    return {
        "articles": articles,
        "within_story": pd.DataFrame(rows),
        "story_members": members,
        "stories": story_table,
        "story_coverage": coverage,
        "timeline": timeline,
        "timeline_events": events,
    }


@pytest.mark.parametrize("intervals", [True, False])
@pytest.mark.parametrize("name", ["story_differences", "stories_covered", "measures_over_time"])
def test_story_figures_draw_one_story_one_period_and_missing_intervals(name, intervals):
    from tests.layout import overlapping_texts

    tables = _story_tables(intervals=intervals)
    fig, plotted = figures.draw(name, tables)
    try:
        assert len(plotted) and overlapping_texts(fig) == []
        texts = [t.get_text() for t in fig.findobj(Text)]
        # user text with dollar signs is escaped, so that matplotlib draws it as written
        assert not any("$" in t.replace(r"\$", "") for t in texts)
    finally:
        plt.close(fig)
    caption = figures.REGISTRY[name].caption_for(tables)
    if name == "story_differences":
        assert ("Open markers: no interval" in caption) is not intervals
        assert "shares no story" in caption
    if name == "measures_over_time":
        assert "2 articles of the units drawn are in no week" in caption
        assert "the week's mean (no smoothing)" in caption and "here nowhere" in caption


def test_story_figures_escape_titles_and_events():
    tables = _story_tables(intervals=True)
    fig, _ = figures.draw("stories_covered", tables)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    plt.close(fig)
    assert any(r"Budget of \$5bn cut to \$2bn" in label for label in labels)
    assert any("story 2" in label for label in labels)  # no title: its number
    fig, _ = figures.draw("measures_over_time", tables)
    texts = [t.get_text() for t in fig.findobj(Text)]
    plt.close(fig)
    assert any(r"A \$1bn pledge, then \$2bn" in t for t in texts)


def test_within_story_shows_tone_first_then_the_clearest_differences():
    tables = _story_tables(intervals=True)
    _, plotted = figures.draw("story_differences", tables)
    plt.close("all")
    measures = list(dict.fromkeys(plotted["measure"]))
    assert measures[0] == "compound_mean" and set(measures) == {
        "compound_mean",
        "economic",
        "quotes_per_1000_words",
    }


def test_timeline_caption_reads_the_smoothing_window_back():
    from analysis import timeline

    days = pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-22", "2024-02-05"])
    values = pd.DataFrame(
        {
            "article_id": list("abcdefgh"),
            "published": list(days) * 2,
            "outlet": ["X"] * 4 + ["Y"] * 4,
            "compound_mean": np.linspace(-0.5, 0.5, 8),
        }
    )
    for smooth in (0, 1, 2):
        table = timeline.timeline(
            values, {"tone": ["compound_mean"]}, period="week", smooth=smooth, n_resamples=9
        )
        caption = figures.REGISTRY["measures_over_time"].caption_for({"timeline": table})
        expected = (
            "the week's mean (no smoothing)"
            if smooth == 0
            else f"the mean over the articles of {2 * smooth + 1} weeks"
        )
        assert expected in caption, caption
