"""analysis.coding.validate: the run's measures against human codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.coding.codebook import Codebook, Variable, read_codebook
from analysis.coding.consensus import coding_ceiling, consensus, same_speaker
from analysis.coding.resample import (
    MIN_ARTICLES_INTERVAL,
    MIN_ARTICLES_PEARSON,
    article_weights,
    weighted_pearson,
    weighted_spearman,
)
from analysis.coding.units import coding_units
from analysis.coding.validate import _f1, validate
from analysis.lexicon import count_matches, read_dictionary


def variable(name, unit, kind, link=None, values=()):
    values = (0, 1) if kind == "binary" else values
    return Variable(
        name=name,
        unit=unit,
        type=kind,
        label=name,
        instructions="code it",
        values=tuple(values),
        labels=tuple(map(str, values)),
        level="ordinal" if kind == "ordinal" else "nominal",
        validates=link or {},
    )


def codebook(*variables):
    return Codebook(name="test", description="", variables=tuple(variables))


@pytest.fixture(scope="module")
def seed_tables(tmp_path_factory):
    from analysis.pipeline import run

    tmp = tmp_path_factory.mktemp("seed_run")
    with pytest.warns(UserWarning):  # the seed corpus is too small for intervals
        result = run(out=tmp / "out", figures_dir=tmp / "fig")
    return result.tables


@pytest.fixture(scope="module")
def seed_dictionary():
    return read_dictionary("blasphemy_platforms_2017")


def unit_codes(units, coder, **columns):
    frame = units[["unit", "unit_id", "article_id", "outlet"]].assign(coder=coder)
    for name, values in columns.items():
        frame[name] = values
    return frame


# -- frames ------------------------------------------------------------------------------


def test_frames_equal_hand_counts_at_paragraphs(seed_tables, seed_dictionary):
    units = coding_units(seed_tables, "paragraph")
    counts = count_matches(units["text"].tolist(), seed_dictionary)
    column = counts.categories.index("law_and_punishment")
    predicted = counts.category_counts()[:, column] > 0
    flipped = np.arange(len(units)) % 4 == 0
    tied = np.arange(len(units)) % 7 == 3  # coder b disagrees with a there: undecided
    a = np.where(flipped, ~predicted, predicted).astype(int)
    b = np.where(tied, 1 - a, a)
    codes = pd.concat(
        [
            unit_codes(units, "a", frame_law=pd.array(a, dtype="Int64")),
            unit_codes(units, "b", frame_law=pd.array(b, dtype="Int64")),
        ]
    )
    book = codebook(variable("frame_law", "paragraph", "binary", {"frame": "law_and_punishment"}))
    frames = validate(codes, seed_tables, codebook=book, dictionary=seed_dictionary)["frames"]
    row = frames.iloc[0]
    keep = ~tied
    tp = np.sum(keep & predicted & ~flipped)
    fp = np.sum(keep & predicted & flipped)
    fn = np.sum(keep & ~predicted & flipped)
    assert tp > 0 and fp > 0 and fn > 0
    assert row["n_units"] == keep.sum() and row["n_undecided"] == tied.sum()
    assert row["n_predicted"] == tp + fp and row["n_labelled"] == tp + fn
    assert row["precision"] == pytest.approx(tp / (tp + fp))
    assert row["recall"] == pytest.approx(tp / (tp + fn))
    assert row["f1"] == pytest.approx(2 * tp / (2 * tp + fp + fn))
    # 4 articles: no interval, and the reason is given
    assert np.isnan(row["f1_ci_low"]) and "fewer than" in row["interval_note"]
    assert row["n_outlets"] == 4 and np.isfinite(row["ranking_rho"])


def test_frames_at_articles_use_frame_scores(seed_tables):
    scores = seed_tables["frame_scores"]
    everything = scores[scores["voice"] == "all"].set_index(["article_id", "category"])["count"]
    articles = coding_units(seed_tables, "article")
    found = np.array([everything[(a, "violence")] > 0 for a in articles["article_id"]])
    coded = np.array([1, 0, 1, 0])
    codes = unit_codes(articles, "a", frame_violence=pd.array(coded, dtype="Int64"))
    book = codebook(variable("frame_violence", "article", "binary", {"frame": "violence"}))
    result = validate(codes, seed_tables, codebook=book)  # no dictionary needed
    row = result["frames"].iloc[0]
    tp, fp = np.sum(found & (coded == 1)), np.sum(found & (coded == 0))
    assert row["n_units"] == 4 and row["n_predicted"] == found.sum()
    assert row["precision"] == pytest.approx(tp / (tp + fp)) if tp + fp else True
    units = result["units"]
    assert list(units["predicted"]) == list(found.astype(float))
    assert set(result["outlets"]["outlet"]) == set(articles["outlet"])


def test_frames_at_paragraphs_need_the_dictionary(seed_tables):
    units = coding_units(seed_tables, "paragraph")
    codes = unit_codes(units, "a", frame_law=pd.array([1] * len(units), dtype="Int64"))
    book = codebook(variable("frame_law", "paragraph", "binary", {"frame": "law_and_punishment"}))
    with pytest.raises(ValueError, match="frame_law.*dictionary"):
        validate(codes, seed_tables, codebook=book)


def test_gvfc_reproduces_validate_gvfc():
    """validate() on GVFC's held-out headlines gives validate_gvfc's own numbers."""
    from benchmarks import validate_gvfc

    path = validate_gvfc.default_data_dir() / validate_gvfc.FILES["headlines"][0]
    assert path.exists(), (
        f"GVFC data not found at {path}: set FRAMING_GVFC to the folder holding "
        f"{validate_gvfc.FILES['headlines'][0]} (CI has it)"
    )
    dictionary = read_dictionary("gun_violence_frames")
    loaded = validate_gvfc.load_units(path, validate_gvfc.FILES["headlines"][1])
    held = loaded[loaded["held_out"]]
    expected = validate_gvfc.validate(held, dictionary).set_index("category")

    ids = [f"gvfc{i}" for i in held.index]
    frames = list(validate_gvfc.FRAMES.values())
    codes = pd.DataFrame(
        {"unit": "article", "unit_id": ids, "article_id": ids, "outlet": "gvfc", "coder": "gvfc"}
    )
    for frame in frames:
        codes[frame] = pd.array(held[frame].to_numpy(), dtype="Int64")
    matches = count_matches(held["text"].tolist(), dictionary)
    counts = pd.DataFrame(matches.category_counts(), columns=matches.categories, index=ids)
    frame_scores = (
        counts.rename_axis("article_id")
        .reset_index()
        .melt(id_vars="article_id", var_name="category", value_name="count")
        .assign(voice="all")
    )
    book = codebook(*(variable(f, "article", "binary", {"frame": f}) for f in frames))
    got = validate(codes, {"frame_scores": frame_scores}, codebook=book, n_resamples=199)
    got = got["frames"].set_index("frame")
    assert list(got.index) == frames
    for column in ["n_units", "n_labelled", "n_predicted"]:
        assert list(got[column]) == list(expected.loc[frames, column]), column
    for column in ["precision", "recall", "f1", "spearman", "auc"]:
        np.testing.assert_allclose(
            got[column].astype(float), expected.loc[frames, column].astype(float), err_msg=column
        )
    assert got["f1_ci_low"].notna().any()  # hundreds of headlines: intervals given


# -- tone --------------------------------------------------------------------------------


def tone_data(n_articles, per, noise, rng):
    """Paragraph units with one sentence each: codes 5-point, the measure code + noise."""
    article = np.repeat([f"a{i:03d}" for i in range(n_articles)], per)
    paragraph = np.tile(np.arange(per), n_articles)
    coded = rng.integers(-2, 3, size=len(article))
    sentences = pd.DataFrame(
        {
            "article_id": article,
            "sentence_id": paragraph,
            "paragraph_id": paragraph,
            "compound": coded + rng.normal(0, noise, len(article)),
        }
    )
    codes = pd.DataFrame(
        {
            "unit": "paragraph",
            "unit_id": [f"{a}/p{p}" for a, p in zip(article, paragraph)],
            "article_id": article,
            "outlet": np.where(paragraph % 2 == 0, "even", "odd"),
            "coder": "a",
            "tone": pd.array(coded, dtype="Int64"),
        }
    )
    return {"sentences": sentences}, codes


TONE_BOOK = codebook(
    variable("tone", "paragraph", "ordinal", {"tone": "compound"}, values=range(-2, 3))
)


def test_tone_spearman_near_the_known_value():
    rng = np.random.default_rng(5)
    big_tables, big_codes = tone_data(20000, 5, 1.5, rng)
    from scipy import stats

    known = stats.spearmanr(big_tables["sentences"]["compound"], big_codes["tone"]).statistic
    tables, codes = tone_data(80, 5, 1.5, rng)
    row = validate(codes, tables, codebook=TONE_BOOK, n_resamples=999)["tone"].iloc[0]
    assert row["n_units"] == 400 and row["n_articles"] == 80
    assert abs(row["spearman"] - known) < 0.08
    assert row["spearman_ci_low"] < known < row["spearman_ci_high"]
    assert row["pearson_ci_low"] < row["pearson"] < row["pearson_ci_high"]
    assert row["interval_note"] == ""


def test_tone_auc_negative_by_hand():
    # codes -1, 0, -2, 1: negatives measure -0.5 and 0.25, the others 0.2 and 0.3;
    # of the 4 (negative, other) pairs, 3 rank the negative lower: AUC 0.75
    tables = {
        "sentences": pd.DataFrame(
            {
                "article_id": ["x"] * 4,
                "sentence_id": [0, 1, 2, 3],
                "paragraph_id": [0, 1, 2, 3],
                "compound": [-0.5, 0.2, 0.25, 0.3],
            }
        )
    }
    codes = pd.DataFrame(
        {
            "unit": "paragraph",
            "unit_id": [f"x/p{i}" for i in range(4)],
            "article_id": "x",
            "outlet": "o",
            "coder": "a",
            "tone": pd.array([-1, 0, -2, 1], dtype="Int64"),
        }
    )
    row = validate(codes, tables, codebook=TONE_BOOK, n_resamples=99)["tone"].iloc[0]
    assert row["auc_negative"] == pytest.approx(0.75)
    assert row["n_negative"] == 2
    assert np.isnan(row["spearman_ci_low"])
    assert f"spearman: fewer than {MIN_ARTICLES_INTERVAL} articles (1)" in row["interval_note"]
    none_negative = codes.assign(tone=pd.array([0, 0, 1, 1], dtype="Int64"))
    row = validate(none_negative, tables, codebook=TONE_BOOK, n_resamples=99)["tone"].iloc[0]
    assert np.isnan(row["auc_negative"])


def test_actor_tone_uses_only_sentences_naming_the_actor(seed_tables):
    sentences, mentions = seed_tables["sentences"], seed_tables["actor_mentions"]
    units = coding_units(seed_tables, "paragraph")
    codes = unit_codes(units, "a", tone_facebook=pd.array([0] * len(units), dtype="Int64"))
    book = codebook(
        variable("tone_facebook", "paragraph", "ordinal", {"actor_tone": "Facebook"}, range(-2, 3))
    )
    got = validate(codes, seed_tables, codebook=book, n_resamples=99)["units"].set_index("unit_id")
    named = mentions[mentions["actor"].astype(str) == "Facebook"]
    named = sentences.merge(named[["article_id", "sentence_id"]].drop_duplicates())
    expected = named.groupby(["article_id", "paragraph_id"])["compound"].mean()
    measured = got["measure"].dropna()
    assert len(measured) == len(expected) < len(units)
    for (article, paragraph), value in expected.items():
        assert measured[f"{article}/p{paragraph}"] == pytest.approx(value)


def test_weighted_statistics_equal_scipy_on_expanded_samples():
    from scipy import stats

    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 4, 12).astype(float), rng.normal(size=12)
    w = rng.integers(0, 3, size=(3, 12)).astype(float)
    for row, p, s in zip(w, weighted_pearson(w, x, y), weighted_spearman(w, x, y)):
        xs, ys = np.repeat(x, row.astype(int)), np.repeat(y, row.astype(int))
        assert p == pytest.approx(stats.pearsonr(xs, ys).statistic)
        assert s == pytest.approx(stats.spearmanr(xs, ys).statistic)


def clustered_normal(rng, n_articles, per, rho, share_between):
    cov = np.array([[1, rho], [rho, 1]])
    between = rng.multivariate_normal([0, 0], cov * share_between, size=n_articles)
    within = rng.multivariate_normal([0, 0], cov * (1 - share_between), size=(n_articles, per))
    xy = (between[:, None, :] + within).reshape(-1, 2)
    return xy[:, 0], xy[:, 1], np.repeat(np.arange(n_articles), per)


def correlation_coverage(rng, n_articles, reps, statistic, target):
    hits = 0
    for _ in range(reps):
        x, y, article = clustered_normal(rng, n_articles, 8, 0.5, 0.5)
        w = article_weights(rng, n_articles, 499)[:, article]
        low, high = np.quantile(statistic(w, x, y), [0.025, 0.975])
        hits += low <= target <= high
    return hits / reps


def f1_coverage(rng, n_articles, reps):
    def draw(n):
        p = rng.beta(1.5, 3.5, size=n)
        t = rng.random((n, 8)) < p[:, None]
        found = np.where(t, rng.random((n, 8)) < 0.8, rng.random((n, 8)) < 0.1)
        return np.stack([(t & found).sum(1), (~t & found).sum(1), (t & ~found).sum(1)], 1)

    true_f1 = _f1(draw(25_000).sum(0, keepdims=True).astype(float))[0]
    hits = 0
    for _ in range(reps):
        f1 = _f1(article_weights(rng, n_articles, 499) @ draw(n_articles).astype(float))
        low, high = np.nanquantile(f1, [0.025, 0.975])
        hits += low <= true_f1 <= high
    return hits / reps


def test_cluster_bootstrap_covers_at_the_minimum_article_counts():
    """The coverage simulation behind MIN_ARTICLES_INTERVAL and MIN_ARTICLES_PEARSON.

    Correlations: bivariate normal x, y with correlation rho, 8 units per article, a share
    of the variance between articles (the article's pair of values shared by its units);
    targets Pearson's rho and Spearman's 6/pi asin(rho/2). F1: a unit carries the frame
    with its article's probability (Beta(1.5, 3.5)), the measure finds it with probability
    0.8 and wrongly marks an unlabelled unit with 0.1. Coverage of the 95% percentile
    cluster bootstrap (999 resamples; 1,000 data sets, Monte Carlo SE 0.007; 500 at 100
    articles in the second setting), run outside the test:

    ========  ===============================  ===============================
    articles  rho 0.5, half between: P, S, F1  rho 0.7, 0.3 between: P, S, F1
    ========  ===============================  ===============================
          10  0.912, 0.934, 0.907
          20  0.931, 0.941, 0.905
          30  0.925, 0.934, 0.940              0.926, 0.938, 0.940
          50  0.929, 0.938, 0.929              0.925, 0.934, 0.929
          75  0.947, 0.955, 0.950              0.950, 0.947, 0.950
         100  0.952, 0.949, 0.940              0.940, 0.952, 0.942
    ========  ===============================  ===============================

    Here 300 data sets (SE 0.013) at each minimum, in the first setting; 0.90 is 2.4 SE
    under 0.93.
    """
    rng = np.random.default_rng(11)
    coverage = {
        "spearman": correlation_coverage(
            rng, MIN_ARTICLES_INTERVAL, 300, weighted_spearman, 6 / np.pi * np.arcsin(0.25)
        ),
        "pearson": correlation_coverage(rng, MIN_ARTICLES_PEARSON, 300, weighted_pearson, 0.5),
        "f1": f1_coverage(rng, MIN_ARTICLES_INTERVAL, 300),
    }
    assert all(0.90 <= c <= 0.99 for c in coverage.values()), coverage


def test_same_seed_same_intervals_other_seed_other_intervals():
    tables, codes = tone_data(40, 4, 1.0, np.random.default_rng(3))
    first = validate(codes, tables, codebook=TONE_BOOK, n_resamples=499, seed=7)["tone"]
    again = validate(codes, tables, codebook=TONE_BOOK, n_resamples=499, seed=7)["tone"]
    other = validate(codes, tables, codebook=TONE_BOOK, n_resamples=499, seed=8)["tone"]
    pd.testing.assert_frame_equal(first, again)
    assert first["spearman_ci_low"].notna().all()
    # 40 articles: enough for Spearman's interval, not for Pearson's
    assert first["pearson_ci_low"].isna().all()
    assert (
        first["interval_note"].iloc[0]
        == f"pearson: fewer than {MIN_ARTICLES_PEARSON} articles (40)"
    )
    assert first["spearman_ci_low"].iloc[0] != other["spearman_ci_low"].iloc[0]


# -- quotes and speakers -----------------------------------------------------------------


def test_direct_quotes_by_hand(seed_tables):
    units = coding_units(seed_tables, "sentence")
    voice = (seed_tables["sentences"]["voice"].astype(str) == "quote").to_numpy()
    flipped = np.arange(len(units)) % 5 == 0
    coded = np.where(flipped, ~voice, voice).astype(int)
    codes = unit_codes(units, "a", direct_quote=pd.array(coded, dtype="Int64"))
    book = codebook(variable("direct_quote", "sentence", "binary", {"quote": "direct"}))
    quotes = validate(codes, seed_tables, codebook=book)["quotes"].set_index("predictor")
    assert set(quotes.index) == {"voice", "direct_quotes"}
    row = quotes.loc["voice"]
    tp, fp = np.sum(voice & ~flipped), np.sum(voice & flipped)
    fn = np.sum(~voice & flipped)
    assert row["n_units"] == len(units)
    assert row["precision"] == pytest.approx(tp / (tp + fp))
    assert row["recall"] == pytest.approx(tp / (tp + fn))
    assert row["f1"] == pytest.approx(2 * tp / (2 * tp + fp + fn))


def test_speaker_agreement_on_the_seed_run(seed_tables):
    sentences = seed_tables["sentences"]
    units = coding_units(seed_tables, "sentence")
    run_speaker = sentences["speaker"].astype(object).where(sentences["speaker"].notna(), None)
    has = run_speaker.notna().to_numpy()
    coded = [
        None if s is None else ("Somebody Else" if i % 2 else s.upper())
        for i, s in enumerate(run_speaker)
    ]
    codes = unit_codes(units, "a", speaker=coded)
    book = codebook(variable("speaker", "sentence", "text", {"quote": "speaker"}))
    row = validate(codes, seed_tables, codebook=book)["quotes"].iloc[0]
    same = sum(1 for i in np.flatnonzero(has) if i % 2 == 0)
    assert row["n_speakers"] == has.sum()
    assert row["speaker_agreement"] == pytest.approx(same / has.sum())


@pytest.mark.parametrize(
    ("coded", "measured", "expected"),
    [
        ("Chaudhry Nisar Ali Khan", "chaudhry  nisar ali khan", True),
        ("Nisar", "Chaudhry Nisar Ali Khan", True),
        ("Chaudhry Nisar Ali Khan", "Nisar", True),
        ("Mr. Sharif", "Nawaz Sharif", True),
        ("Facebook", "Facebook", True),
        ("Imran Khan", "Chaudhry Nisar Ali Khan", False),
        ("Facebook", "Twitter", False),
        ("", "Nawaz Sharif", None),
        (None, "Nawaz Sharif", None),
        ("Facebook", pd.NA, None),
    ],
)
def test_same_speaker(coded, measured, expected):
    assert same_speaker(coded, measured) is expected


# -- consensus and the ceiling -----------------------------------------------------------


def test_consensus_rules():
    codes = pd.DataFrame(
        {
            "unit": "sentence",
            "unit_id": ["u1"] * 3 + ["u2"] * 2 + ["u3"] * 2,
            "article_id": "a",
            "outlet": "o",
            "coder": ["x", "y", "z", "x", "y", "x", "y"],
            "flag": pd.array([1, 1, 0, 1, 0, 0, pd.NA], dtype="Int64"),
            "tone": pd.array([-1, -2, 0, 2, 1, 0, 0], dtype="Int64"),
            "who": ["Nawaz  Sharif", "nawaz sharif", "NAWAZ SHARIF", "A", "B", None, "C"],
        }
    )
    flag = consensus(codes, variable("flag", "sentence", "binary")).set_index("unit_id")
    assert flag.loc["u1", "coders"] == 1 and flag.loc["u3", "coders"] == 0
    assert np.isnan(flag.loc["u2", "coders"]) and flag.loc["u2", "undecided"]
    assert flag.loc["u3", "n_coders"] == 1
    tone = consensus(codes, variable("tone", "sentence", "ordinal", values=range(-2, 3)))
    assert list(tone["coders"]) == [-1.0, 1.5, 0.0]
    who = consensus(codes, variable("who", "sentence", "text")).set_index("unit_id")
    assert who.loc["u1", "coders_text"] == "nawaz sharif"
    assert pd.isna(who.loc["u2", "coders_text"]) and who.loc["u2", "undecided"]
    assert who.loc["u3", "coders_text"] == "c"


def test_coding_ceiling():
    a = np.array([1, 1, 1, 0, 0, 0, 1, 0])
    b = np.array([1, 1, 0, 0, 1, 0, 1, 0])  # tp 3, one each way: F1 = 6 / 8
    tone_a, tone_b = np.array([1, 2, 3, 4, 5, 6, 7, 8]), np.array([2, 1, 3, 4, 5, 6, 8, 7])
    rows = []
    for coder, flag, tone in (("a", a, tone_a), ("b", b, tone_b)):
        rows.append(
            pd.DataFrame(
                {
                    "unit": "paragraph",
                    "unit_id": [f"x/p{i}" for i in range(8)],
                    "article_id": "x",
                    "outlet": "o",
                    "coder": coder,
                    "flag": pd.array(flag, dtype="Int64"),
                    "tone": pd.array(tone, dtype="Int64"),
                }
            )
        )
    book = codebook(
        variable("flag", "paragraph", "binary"),
        variable("tone", "paragraph", "ordinal", values=range(1, 9)),
    )
    ceiling = coding_ceiling(pd.concat(rows), book).set_index("variable")
    assert ceiling.loc["flag", "ceiling"] == pytest.approx(0.75)
    from scipy import stats

    assert ceiling.loc["tone", "ceiling"] == pytest.approx(stats.spearmanr(tone_a, tone_b)[0])
    alone = coding_ceiling(rows[0], book)
    assert alone["ceiling"].isna().all() and (alone["n_coders"] == 1).all()


def test_seed_codebook_runs_end_to_end(seed_tables, seed_dictionary):
    book = read_codebook("seed_story")
    rng = np.random.default_rng(2)
    parts = []
    for unit in book.units:
        units = coding_units(seed_tables, unit)
        for coder in ("a", "b"):
            columns = {}
            for v in book.at(unit):
                if v.type == "text":
                    columns[v.name] = np.where(rng.random(len(units)) < 0.3, "Nisar", None)
                else:
                    columns[v.name] = pd.array(rng.choice(v.values, len(units)), dtype="Int64")
            parts.append(unit_codes(units, coder, **columns))
    result = validate(
        pd.concat(parts), seed_tables, codebook=book, dictionary=seed_dictionary, n_resamples=99
    )
    assert len(result["frames"]) == 7 and len(result["tone"]) == 3
    assert set(result["quotes"]["predictor"]) == {"voice", "direct_quotes", "speaker"}
    assert set(result["units"]["variable"]) >= {"tone", "direct_quote:voice", "speaker"}
    assert result["outlets"]["n_units"].gt(0).all()
