"""Tone: exact parity with nltk's VADER, roll-up arithmetic, outlet summaries, actors."""

from __future__ import annotations

import subprocess
import sys
import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest

from analysis import clean, segment, sentiment, stats

# Examples documented with VADER (Hutto & Gilbert's README; nltk's sentiment HOWTO).
DOCUMENTED = {
    "VADER is smart, handsome, and funny.": 0.8316,
    "VADER is smart, handsome, and funny!": 0.8439,
    "VADER is very smart, handsome, and funny.": 0.8545,
    "VADER is VERY SMART, handsome, and FUNNY.": 0.9227,
    "VADER is VERY SMART, handsome, and FUNNY!!!": 0.9342,
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!": 0.9469,
    "The book was good.": 0.4404,
    "The book was kind of good.": 0.3832,
    "The plot was good, but the characters are uncompelling and the dialog is not great.": -0.7042,
    "At least it isn't a horrible book.": 0.431,
    "Make sure you :) or :D today!": 0.8633,
    "Today SUX!": -0.5461,
    "Today only kinda sux! But I'll get by, lol": 0.5249,
}


@pytest.fixture(scope="module")
def seed_sentences(seed_texts) -> pd.DataFrame:
    articles = pd.DataFrame(
        {"article_id": [n[:3] for n in seed_texts], "text": list(seed_texts.values())}
    )
    articles, _ = clean.clean_articles(articles)
    return segment.split_sentences(articles)


@pytest.fixture(scope="module")
def nltk_standard_analyzer(tmp_path_factory):
    """nltk's analyzer built the standard way, from an nltk_data folder made for the test."""
    from nltk import data
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    root = tmp_path_factory.mktemp("nltk_data")
    (root / "sentiment").mkdir()
    with zipfile.ZipFile(root / "sentiment" / "vader_lexicon.zip", "w") as archive:
        archive.write(sentiment.lexicon_path(), "vader_lexicon/vader_lexicon.txt")
    data.path.insert(0, str(root))
    try:
        return SentimentIntensityAnalyzer()
    finally:
        data.path.remove(str(root))


@pytest.mark.parametrize(("text", "compound"), DOCUMENTED.items())
def test_documented_examples(text, compound):
    assert sentiment.polarity_scores(text)["compound"] == compound


def test_exact_parity_with_nltk_on_documented_and_every_seed_sentence(
    nltk_standard_analyzer, seed_sentences
):
    texts = list(DOCUMENTED) + seed_sentences["text"].tolist()
    ours = sentiment.score_texts(texts)
    theirs = pd.DataFrame([nltk_standard_analyzer.polarity_scores(t) for t in texts])
    assert len(texts) == len(DOCUMENTED) + 78
    pd.testing.assert_frame_equal(ours, theirs[sentiment.SCORE_COLUMNS], check_exact=True)


def test_scoring_works_with_no_nltk_data_anywhere(tmp_path):
    code = (
        "import nltk.data; nltk.data.path[:] = []\n"
        "from analysis.sentiment import polarity_scores\n"
        "print(polarity_scores('The book was good.')['compound'])"
    )
    env = {"NLTK_DATA": str(tmp_path), "HOME": str(tmp_path), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0.4404"


def test_vadersentiment_class_differs_from_nltk():
    """Why the implementation is named in the methods: the two disagree."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert SentimentIntensityAnalyzer().polarity_scores("no problem")["compound"] == 0.3089
    assert sentiment.polarity_scores("no problem")["compound"] == -0.5994


def test_nltk_misses_words_next_to_quote_marks_and_drop_recovers_them():
    text = '"This is a disaster," one said.'
    kept = sentiment.score_texts([text])["compound"].item()
    dropped = sentiment.score_texts([text], quote_marks="drop")["compound"].item()
    assert kept == 0.0  # nltk's tokenizer leaves 'disaster,"' unmatched
    assert dropped == sentiment.polarity_scores("This is a disaster, one said.")["compound"]
    assert dropped < -0.5
    with pytest.raises(ValueError, match="quote_marks"):
        sentiment.score_texts([text], quote_marks="strip")


def test_empty_text_scores_missing():
    scores = sentiment.score_texts(["", "   ", None, "Good."])
    assert scores["compound"].isna().tolist() == [True, True, True, False]


def hand_made() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two outlets, three articles, known compounds (set by hand, not scored)."""
    sentences = pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a1", "a2", "a2", "b1", "b1"],
            "sentence_id": [0, 1, 2, 0, 1, 0, 1],
            "paragraph_id": [0, 1, 1, 0, 0, 0, 1],
            "voice": ["narrative", "quote", "narrative", "narrative", "social", "quote", "quote"],
            "position": [0.0, 0.5, 1.0, 0.0, 1.0, 0.0, 1.0],
            "compound": [0.5, -0.5, 0.0, -0.2, -0.8, 0.6, 0.2],
        }
    )
    articles = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "b1", "b2"],
            "outlet": ["A", "A", "B", "B"],
            "title": ["A good day", None, None, None],
        }
    )
    return sentences, articles


def test_article_tone_arithmetic():
    sentences, articles = hand_made()
    tone = sentiment.article_tone(sentences, articles).set_index("article_id")
    assert tone.loc["a1", "compound_mean"] == pytest.approx(0.0)
    assert tone.loc["a1", "compound_narrative"] == pytest.approx(0.25)
    assert tone.loc["a1", "compound_quote"] == pytest.approx(-0.5)
    assert np.isnan(tone.loc["a1", "compound_social"])
    assert tone.loc["a1", "share_negative"] == pytest.approx(1 / 3)
    assert tone.loc["a1", "share_positive"] == pytest.approx(1 / 3)
    # a1 has paragraphs: its lede is paragraph 0; a2 has one paragraph: first two sentences
    assert tone.loc["a1", "compound_lede"] == pytest.approx(0.5)
    assert tone.loc["a1", "compound_rest"] == pytest.approx(-0.25)
    assert tone.loc["a1", "lede_minus_rest"] == pytest.approx(0.75)
    assert tone.loc["a2", "compound_lede"] == pytest.approx(-0.5)
    assert np.isnan(tone.loc["a2", "compound_rest"])
    assert tone.loc["a2", "compound_social"] == pytest.approx(-0.8)
    assert tone.loc["a1", "compound_title"] == sentiment.polarity_scores("A good day")["compound"]
    # b2 has no sentences: kept, with zero counts and missing tone
    assert tone.loc["b2", "n_sentences"] == 0 and np.isnan(tone.loc["b2", "compound_mean"])
    assert tone.loc["a1", ["n_narrative", "n_quote", "n_social"]].tolist() == [2, 1, 0]


def test_outlet_tone_by_article_and_by_sentence():
    sentences, articles = hand_made()
    tone = sentiment.article_tone(sentences, articles)
    with pytest.warns(stats.UndefinedIntervalWarning, match="B"):
        by_article = sentiment.outlet_tone(tone, unit="article", n_resamples=999)
    assert list(by_article.columns) == stats.SUMMARY_COLUMNS
    row = by_article.set_index(["outlet", "measure"]).loc[("A", "compound_mean")]
    assert row["estimate"] == pytest.approx((0.0 + -0.5) / 2)  # mean of article means
    # two articles are too few for an interval that covers (stats.MIN_UNITS_MEAN)
    assert row["n_articles"] == 2 and np.isnan(row["ci_low"])
    b = by_article.set_index(["outlet", "measure"]).loc[("B", "compound_mean")]
    assert b["estimate"] == pytest.approx(0.4) and np.isnan(b["ci_low"])  # one article only
    with pytest.warns(
        stats.UndefinedIntervalWarning, match=f"fewer than {stats.MIN_UNITS_MEAN} sentences"
    ):
        by_sentence = sentiment.outlet_tone(tone, sentences, unit="sentence", n_resamples=999)
    row = by_sentence.set_index(["outlet", "measure"]).loc[("A", "compound_mean")]
    assert row["estimate"] == pytest.approx(np.mean([0.5, -0.5, 0.0, -0.2, -0.8]))
    assert row["n_units"] == 5 and row["unit"] == "sentence"
    b = by_sentence.set_index(["outlet", "measure"]).loc[("B", "compound_mean")]
    assert b["estimate"] == pytest.approx(0.4) and np.isnan(b["ci_low"])
    lede = by_sentence.set_index(["outlet", "measure"]).loc[("A", "lede_minus_rest")]
    assert lede["estimate"] == pytest.approx(np.mean([0.5, -0.2, -0.8]) - np.mean([-0.5, 0.0]))


def test_seed_corpus_one_article_per_outlet_gives_missing_intervals_with_a_warning(
    seed_sentences, seed_texts
):
    articles = pd.DataFrame({"article_id": [n[:3] for n in seed_texts], "outlet": list("ABCD")})
    scored = sentiment.score_sentences(seed_sentences)
    tone = sentiment.article_tone(scored, articles)
    with pytest.warns(stats.UndefinedIntervalWarning, match="4 outlets with fewer") as caught:
        summary = sentiment.outlet_tone(tone, unit="article", n_resamples=99)
    present = summary[summary["n_units"] > 0]
    # one short line; the outlet-measure cells are listed in its details
    assert len(str(caught[0].message)) < 160
    details = caught[0].message.details
    assert len(details) == len(present) and set(details["outlet"]) == set("ABCD")
    assert present["ci_low"].isna().all() and present["estimate"].notna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.UndefinedIntervalWarning)
        by_sentence = sentiment.outlet_tone(tone, scored, unit="sentence", n_resamples=999)
    mean = by_sentence[by_sentence["measure"] == "compound_mean"]
    # the seed articles have 11 to 27 sentences: too few even for sentence-level intervals
    assert (mean["n_units"] < stats.MIN_UNITS_MEAN).all() and mean["ci_low"].isna().all()
    assert mean["estimate"].notna().all()


def test_tone_by_position_bins():
    sentences, articles = hand_made()
    tone = sentiment.article_tone(sentences, articles)
    table = sentiment.tone_by_position(sentences, tone, bins=2, unit="sentence", n_resamples=99)
    a = table[table["outlet"] == "A"].set_index("bin")
    assert a.loc[0, "estimate"] == pytest.approx(np.mean([0.5, -0.2]))  # positions 0, 0
    assert a.loc[1, "estimate"] == pytest.approx(np.mean([-0.5, 0.0, -0.8]))  # 0.5, 1, 1
    assert a.loc[1, "bin_start"] == 0.5 and a.loc[1, "bin_end"] == 1.0


def test_actor_tone_counts_and_not_mentioned_cells():
    sentences, articles = hand_made()
    tone = sentiment.article_tone(sentences, articles)
    mentions = pd.DataFrame(
        {"article_id": ["a1", "a2", "b1"], "sentence_id": [0, 1, 0], "actor": ["X", "X", "X"]}
    )
    table = sentiment.actor_tone(
        sentences, mentions, tone, actors=["X", "Y"], unit="sentence", n_resamples=99
    ).set_index(["outlet", "actor", "voice"])
    assert len(table) == 2 * 2 * 4  # every outlet x actor x voice
    assert table.loc[("A", "X", "all"), "estimate"] == pytest.approx((0.5 - 0.8) / 2)
    assert table.loc[("A", "X", "all"), "n_sentences"] == 2
    assert table.loc[("A", "X", "social"), "n_sentences"] == 1
    assert table.loc[("A", "Y", "all"), "n_sentences"] == 0
    assert np.isnan(table.loc[("A", "Y", "all"), "estimate"])  # not mentioned, not zero


def test_tone_by_position_equals_summarizing_each_outlet_and_bin():
    # all bins of an outlet are resampled in one bootstrap call (per pattern of empty bins);
    # the result is the per-(outlet, bin) summary, including short articles missing bins
    # and a bin whose only sentence has no score
    rng = np.random.default_rng(5)
    rows, outlets = [], []
    for article in range(40):
        n = int(rng.choice([1, 2, 3, 6, 12]))
        outlets.append(("A", "B", "C")[article % 3])
        for i in range(n):
            position = i / (n - 1) if n > 1 else 0.0
            rows.append((f"a{article:02d}", position, float(rng.uniform(-1, 1))))
    scored = pd.DataFrame(rows, columns=["article_id", "position", "compound"])
    scored.loc[scored.index[-1], "compound"] = np.nan
    tone = pd.DataFrame({"article_id": [f"a{i:02d}" for i in range(40)], "outlet": outlets})
    mine = sentiment.tone_by_position(scored, tone, n_resamples=299, seed=2)
    data = scored.merge(tone, on="article_id")
    data["bin"] = np.minimum((data["position"].to_numpy() * 5).astype(int), 4)
    data = data.groupby(["outlet", "bin", "article_id"], as_index=False)["compound"].mean()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.UndefinedIntervalWarning)
        expected = stats.summarize(
            data, value="compound", by=["outlet", "bin"], n_resamples=299, seed=2
        )
    expected.insert(2, "bin_start", expected["bin"] / 5)
    expected.insert(3, "bin_end", (expected["bin"] + 1) / 5)
    pd.testing.assert_frame_equal(mine, expected, check_exact=False, rtol=1e-12, atol=1e-12)
