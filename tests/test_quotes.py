"""Quotes, speakers, categories and scare quotes (analysis.quotes)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import measures, pipeline, quotes, stats
from analysis.corpus import load_corpus
from analysis.measures import Resampling, VoiceSettings

FIXTURES = Path(__file__).parent / "fixtures"

SPEAKERS = quotes.SpeakerTable(
    [
        quotes.Speaker("Chaudhry Nisar Ali Khan", "person", "government", ("Nisar",)),
        quotes.Speaker("Facebook", "organisation", "platform_companies", ()),
        quotes.Speaker("Amnesty International", "organisation", "rights_groups", ("Amnesty",)),
    ],
    categories=("government", "platform_companies", "rights_groups"),
    category_words={"government": ("minister*", "official*")},
)


def _quotes(text: str, speakers=SPEAKERS) -> pd.DataFrame:
    articles = pd.DataFrame({"article_id": ["a"], "text_clean": [text]})
    return quotes.extract_quotes(articles, speakers=speakers)


def _simple(text: str) -> list[tuple[str, str, str | None]]:
    found = _quotes(text)
    return [
        (str(r.kind), r.text, None if pd.isna(r.speaker) else r.speaker) for r in found.itertuples()
    ]


# text -> [(kind, quoted text, speaker)], in text order
TRICKY = [
    ('"We will act," Nisar said.', [("direct", "We will act,", "Chaudhry Nisar Ali Khan")]),
    ('"We will act," said Nisar.', [("direct", "We will act,", "Chaudhry Nisar Ali Khan")]),
    ("Nisar said: “We will act.”", [("direct", "We will act.", "Chaudhry Nisar Ali Khan")]),
    (
        '"We will act," Nisar, the interior minister, said.',
        [("direct", "We will act,", "Chaudhry Nisar Ali Khan")],
    ),
    (
        '"We will act," he said, "and soon." ',
        [("direct", "We will act,", None), ("direct", "and soon.", None)],
    ),
    (
        'Nisar spoke. "We will act," he said, "and soon."',
        [
            ("direct", "We will act,", "Chaudhry Nisar Ali Khan"),
            ("direct", "and soon.", "Chaudhry Nisar Ali Khan"),
        ],
    ),
    (
        'Facebook said it reviews every request "with care and respect".',
        [
            ("indirect", 'it reviews every request "with care and respect"', "Facebook"),
            ("direct", "with care and respect", "Facebook"),
        ],
    ),
    (
        'Facebook replied. "We comply with the law," the company said.',
        [("direct", "We comply with the law,", "Facebook")],
    ),
    (
        'Nisar said the ban works. "It works well," it said.',
        [
            ("indirect", "the ban works", "Chaudhry Nisar Ali Khan"),
            ("direct", "It works well,", None),
        ],
    ),
    (
        "The ban will stay, according to Amnesty.",
        [("indirect", "The ban will stay", "Amnesty International")],
    ),
    (
        "According to a senior official, the ban will stay.",
        [("indirect", "the ban will stay", "senior official")],
    ),
    (
        "Nisar told reporters that the ban will stay.",
        [("indirect", "the ban will stay", "Chaudhry Nisar Ali Khan")],
    ),
    (
        "The ban will stay, the minister said.",
        [("indirect", "The ban will stay", "minister")],
    ),
    (
        'Critics call the posts "blasphemous" and worse.',
        [("direct", "blasphemous", None)],
    ),
    (
        'Pakistan called on Facebook to remove "blasphemous content" quickly.',
        [("direct", "blasphemous content", None)],
    ),
    (
        "He said ‘no’ twice.",  # no double marks: curly single marks are the quotation marks
        [("direct", "no", None)],
    ),
    ("It’s the company’s rule, not ours.", []),  # apostrophes are not quotes
    (
        'Nisar hit out at critics, saying "they do not understand the law".',
        [("direct", "they do not understand the law", "Chaudhry Nisar Ali Khan")],
    ),
    (  # a paragraph that is only a quote goes on with the previous speaker
        '"We will act," Nisar said.\n\n"And we will not stop until it is done."',
        [
            ("direct", "We will act,", "Chaudhry Nisar Ali Khan"),
            ("direct", "And we will not stop until it is done.", "Chaudhry Nisar Ali Khan"),
        ],
    ),
    (  # he/she: the last person named in the prose when no one spoke before
        'Officials met Joel Kaplan on Monday. "It went well," he said.',
        [("direct", "It went well,", "Joel Kaplan")],
    ),
    (  # he is never a group
        'Officials said the ban was legal. "I disagree," he said.',
        [("indirect", "the ban was legal", "Officials"), ("direct", "I disagree,", None)],
    ),
    ('When I asked, "No," she said.', [("direct", "No,", None)]),  # "When I" is no speaker
]


@pytest.mark.parametrize(("text", "expected"), TRICKY)
def test_tricky_patterns(text, expected):
    assert _simple(text) == expected


def test_scare_quote_is_short_and_unattributed():
    found = _quotes('Critics call the posts "blasphemous". "We will act," Nisar said.')
    assert found["scare"].tolist() == [True, False]


def test_multi_paragraph_quote_is_one_quote():
    text = '"The first part of it.\n\n"The second part," Nisar said.'
    found = _quotes(text)
    assert len(found) == 1
    row = found.iloc[0]
    assert text[row.start : row.end] == 'The first part of it.\n\n"The second part,'
    assert row.speaker == "Chaudhry Nisar Ali Khan"
    assert row.balanced


def test_unbalanced_mark_is_flagged_not_fatal():
    found = _quotes('He said "this never closes\n\nA new paragraph.')
    direct = found[found["kind"] == "direct"]
    assert direct["text"].tolist() == ["this never closes"]
    assert not direct["balanced"].iloc[0]


def test_nested_single_quotes_inside_double():
    found = _quotes("\"They called it 'blasphemous' on air,\" Nisar said.")
    nested = found[found["nested"]]
    assert nested["text"].tolist() == ["blasphemous"]
    assert not nested["scare"].any()  # a nested quote is inside someone's words
    outer = found[~found["nested"]].iloc[0]
    assert outer["speaker"] == "Chaudhry Nisar Ali Khan"


def test_quotes_inside_embedded_posts_are_tagged_social():
    text = (
        "Users reacted.\n\n"
        "Those tweeting for ”blasphemy” are cowards. — Maajid (@MaajidNawaz) March 26, 2017\n\n"
        "The row went on."
    )
    found = _quotes(text)
    post = found[found["kind"] == "post"].iloc[0]
    assert post["speaker"] == "Maajid" and post["social"]
    assert post["text"] == "Those tweeting for ”blasphemy” are cowards."
    inside = found[found["kind"] == "direct"].iloc[0]
    assert inside["text"] == "blasphemy" and inside["social"]


def test_unknown_speakers_are_kept_with_category_from_role_words():
    found = _quotes('"It is over," a ministry official said. "No," Joel Kaplan said.')
    assert found["speaker"].tolist() == ["ministry official", "Joel Kaplan"]
    assert found["category"].tolist() == ["government", "unknown"]


def test_empty_and_quote_free_texts_give_no_rows():
    articles = pd.DataFrame({"article_id": ["a", "b"], "text_clean": ["", "No quotes here."]})
    found = quotes.extract_quotes(articles)
    assert found.empty and list(found.columns) == quotes.QUOTE_COLUMNS


def test_offsets_point_into_the_text():
    text = 'One. "Two three," Nisar said, adding that it was "final". Four.'
    found = _quotes(text)
    for row in found.itertuples():
        assert text[row.start : row.end] == row.text


# --- the hand-labelled seed quotes ---------------------------------------------------------


@pytest.fixture(scope="module")
def seed_tables(seed_dir):
    tables = pipeline.prepare(load_corpus(seed_dir))
    speakers = quotes.read_speakers(quotes.SEED_SPEAKERS)
    found = quotes.extract_quotes(tables["articles"], tables["sentences"], speakers=speakers)
    return tables, found, speakers


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    entries = yaml.safe_load((FIXTURES / "seed_quotes.yml").read_text(encoding="utf-8"))
    return pd.DataFrame(entries).rename(columns={"article": "article_id"})


def test_seed_extraction_and_attribution_at_least_090(seed_tables, gold):
    _, found, _ = seed_tables
    scores = quotes.quote_scores(quotes.match_quotes(found, gold)).loc["all"]
    assert scores["extraction_precision"] >= 0.9
    assert scores["extraction_recall"] >= 0.9
    assert scores["attribution_precision"] >= 0.9
    assert scores["attribution_recall"] >= 0.9


def test_seed_direct_quotes_match_exactly(seed_tables, gold):
    _, found, _ = seed_tables
    pairs = quotes.match_quotes(found, gold)
    direct = pairs[pairs["kind"] == "direct"]
    assert direct["pred"].notna().all() and direct["gold"].notna().all()
    kept = found[~found["nested"]].reset_index(drop=True)
    for row in direct.itertuples():  # the same words; labels keep a space before a mark
        assert kept.loc[row.pred, "text"] == gold.loc[row.gold, "text"].strip()


def test_seed_scare_quotes_match_the_labels(seed_tables, gold):
    _, found, _ = seed_tables
    predicted = set(
        zip(found.loc[found["scare"], "article_id"], found.loc[found["scare"], "start"])
    )
    labelled = set(zip(gold.loc[gold["scare"], "article_id"], gold.loc[gold["scare"], "start"]))
    assert predicted == labelled


def test_seed_categories_come_from_the_speaker_file(seed_tables):
    _, found, speakers = seed_tables
    assert set(found["category"]) <= set(speakers.categories) | {"unknown"}
    breitbart = found[found["article_id"].str.startswith("002") & (found["kind"] == "post")]
    assert len(breitbart) == 8 and (breitbart["category"] == "social_media_users").all()


# --- speaker files -----------------------------------------------------------------------


def test_seed_speaker_file_reads(tmp_path):
    table = quotes.read_speakers(quotes.SEED_SPEAKERS)
    assert "government" in table.categories
    assert table.resolve("Interior Minister Ch Nisar Ali Khan").name == "Chaudhry Nisar Ali Khan"
    assert table.resolve("a Twitter spokesperson").category == "platform_companies"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("speakers: [{aliases: [x]}]", "needs a 'name'"),
        ("speakers: [{name: X, kind: robot}]", "kind 'robot'"),
        ("categories: [a]\nspeakers: [{name: X, category: b}]", "category 'b'"),
        ("speakers: {name: X}", "'speakers' list"),
        ("speakers: [{name: X, aliases: X}]", "'aliases' must be a list"),
        ("[unclosed", "not valid YAML"),
    ],
)
def test_bad_speaker_files_name_the_problem(tmp_path, content, message):
    path = tmp_path / "speakers.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(quotes.SpeakerFileError, match=message):
        quotes.read_speakers(path)


# --- measures ----------------------------------------------------------------------------


def test_article_voices_counts(seed_tables):
    tables, found, _ = seed_tables
    voices = quotes.article_voices(found, tables["articles"])
    assert len(voices) == len(tables["articles"])
    ibt = voices[voices["article_id"].str.startswith("000")].iloc[0]
    direct = found[(found["article_id"] == ibt["article_id"]) & (found["kind"] == "direct")]
    assert ibt["quoted_words"] == direct["n_words"].sum()
    assert ibt["n_quotes"] == (~direct["scare"]).sum()
    assert 0 < ibt["quoted_words"] < ibt["n_words"]


def test_speaker_shares_sum_to_one_per_outlet(seed_tables):
    tables, found, speakers = seed_tables
    shares = quotes.speaker_shares(
        found, tables["articles"], categories=list(speakers.categories), n_resamples=199
    )
    sums = shares.groupby("outlet")["estimate"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    breitbart = shares[(shares["outlet"] == "Breitbart News")].set_index("category")
    assert breitbart.loc["social_media_users", "estimate"] > 0.5


def test_outlet_voices_intervals_over_articles():
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b", "c"],
            "outlet": ["X", "X", "Y"],
            "text_clean": [
                '"We will act now," Nisar said. More words here.',
                "Nothing quoted in this one at all.",
                '"Fine," said Nisar.',
            ],
        }
    )
    found = quotes.extract_quotes(articles, speakers=SPEAKERS)
    voices = quotes.article_voices(found, articles)
    table = quotes.outlet_voices(voices, n_resamples=199)
    share = table[table["measure"] == "quoted_word_share"].set_index("outlet")
    assert share.loc["X", "estimate"] == pytest.approx(4 / (9 + 7))
    assert share.loc["X", "n_articles"] == 2 and np.isnan(share.loc["Y", "ci_low"])


def test_scare_quotes_count_uses_with_and_without_marks():
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "outlet": ["X", "X"],
            "text_clean": [
                'The "blasphemous" posts. Blasphemous posts again.',
                '"Blasphemous posts must go," Nisar said. The posts were "blasphemous".'
                ' The "the" of it and "The Rule" of the law.',
            ],
        }
    )
    found = quotes.extract_quotes(articles, speakers=SPEAKERS)
    assert {"the", "the rule"} <= set(found.loc[found["scare"], "text"].map(quotes.scare_term))
    table = quotes.scare_quotes(found, articles).set_index("term")
    assert "the" not in table.index  # function words alone make no scare quote
    assert table.loc["the rule", "unquoted"] == 0
    row = table.loc["blasphemous"]
    assert (row["scare_quoted"], row["in_quotes"], row["unquoted"]) == (2, 1, 1)
    assert row["scare_share"] == pytest.approx(2 / 3) and row["n_articles"] == 2


def test_quote_tone_by_category(seed_tables):
    tables, found, _ = seed_tables
    scored = found.assign(compound=np.linspace(-0.5, 0.5, len(found)))
    tone = quotes.quote_tone(scored, tables["articles"], n_resamples=199)
    assert {"all", "government"} <= set(tone["category"])
    assert (tone["unit"] == "article").all()
    everything = tone[tone["category"] == "all"].set_index("outlet")
    counted = scored[scored["kind"].isin(["direct", "post"]) & ~scored["nested"]]
    assert everything["n_quotes"].sum() <= len(counted)
    assert (everything["n_units"] == everything["n_articles"]).all()


def test_quote_tone_takes_the_quotes_of_an_article_together():
    """Quoting each article's quotes twice over changes neither the mean nor its interval:
    the units are the articles (resampling quotes would narrow it by a factor 1.4)."""
    rng = np.random.default_rng(7)
    n_articles = stats.MIN_QUOTING_ARTICLES + 20
    per_article = 1 + rng.poisson(3, n_articles)
    article = np.repeat([f"a{i}" for i in range(n_articles)], per_article)
    found = pd.DataFrame(
        {
            "article_id": article,
            "kind": "direct",
            "nested": False,
            "social": False,
            "scare": False,
            "category": "government",
            "compound": rng.uniform(-1, 1, len(article)),
        }
    )
    articles = pd.DataFrame({"article_id": np.unique(article), "outlet": "Daily"})
    once = quotes.quote_tone(found, articles).set_index("category")
    twice = quotes.quote_tone(pd.concat([found, found]), articles).set_index("category")
    columns = ["estimate", "ci_low", "ci_high"]
    assert np.allclose(once.loc["all", columns], twice.loc["all", columns], rtol=1e-12)
    assert once.loc["all", "ci_low"] < once.loc["all", "estimate"] < once.loc["all", "ci_high"]
    assert (once.loc["all", "n_units"], twice.loc["all", "n_quotes"]) == (
        n_articles,
        2 * len(found),
    )


# --- the main job and the figures --------------------------------------------------------


@pytest.fixture(scope="module")
def voice_tables(seed_dir):
    tables = pipeline.prepare(load_corpus(seed_dir))
    with pytest.warns(stats.UndefinedIntervalWarning, match="one|fewer than"):  # 1 article each
        return measures.measure(
            tables,
            "tone",
            "voices",
            resampling=Resampling(n_resamples=99),
            voices=VoiceSettings(speakers=quotes.SEED_SPEAKERS),
        )


def test_voices_measure_writes_every_table_and_fills_sentence_speakers(voice_tables):
    for name in (
        "quotes",
        "article_voices",
        "outlet_voices",
        "speaker_shares",
        "speaker_table",
        "quote_tone",
        "scare_quotes",
    ):
        assert not voice_tables[name].empty, name
    assert voice_tables["quotes"]["compound"].between(-1, 1).all()
    sentences = voice_tables["sentences"]
    spoken = sentences[sentences["speaker"].notna()]
    assert (spoken["voice"] == "quote").all()
    assert "Chaudhry Nisar Ali Khan" in set(spoken["speaker"])


def test_who_speaks_draws_one_bar_per_outlet_and_category(voice_tables):
    from analysis import figures

    fig, plotted = figures.draw("who_speaks", voice_tables)
    bars = [p for p in fig.axes[0].patches if p.get_width() > 0]
    assert len(bars) == (plotted["share"] > 0).sum()
    totals = plotted.groupby("outlet")["share"].sum()
    np.testing.assert_allclose(totals.to_numpy(), 1.0)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "social media users" in legend


def test_scare_quote_figure_labels_each_cell(voice_tables):
    from analysis import figures

    fig, plotted = figures.draw("scare_quotes", voice_tables)
    texts = {t.get_text() for t in fig.axes[0].texts}
    row = plotted[(plotted["term"] == "blasphemy") & (plotted["outlet"] == "Breitbart News")]
    k = row["scare_quoted"].iloc[0]
    assert f"{k} of {k + row['unquoted'].iloc[0]}" in texts
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == "blasphemous"


def test_quote_tone_figure_has_a_panel_per_outlet(voice_tables):
    from analysis import figures

    fig, plotted = figures.draw("quote_tone", voice_tables)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert len(titles) == voice_tables["articles"]["outlet"].nunique()
    assert set(plotted["category"]) >= {"all", "government", "social_media_users"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The minister said the law stands.", True),
        ("THE MINISTER SAID SO.", True),
        ("She pointed out the flaw.", True),
        ("She walked to the door.", False),
        ("An unsaid rule, said2 and saids.", False),
        ("Sa\u0131d the minister.", True),  # dotless i: the regex matches it, ignoring case
        ("\u017fays the minister.", True),  # long s
        ("No one here reports anything.", False),
        ("", False),
    ],
)
def test_reporting_word_prefilter(text, expected):
    assert quotes.patterns.has_reporting_word(text) is expected
    assert bool(quotes.patterns.REPORTING_WORD.search(text)) is expected


def test_only_these_characters_match_ascii_letters_when_case_is_ignored():
    letter = re.compile("(?i)[a-z]")
    found = {chr(c) for c in range(128, 0x110000) if letter.match(chr(c))}
    assert found == quotes.patterns.CASELESS_ASCII_LOOKALIKES


def test_scare_quote_variants_of_one_term_count_the_same_in_every_process():
    """Two scare-quoted spellings that tokenize alike ("Achilles' heel", "Achilles’ heel")
    are one term to match; which spelling gets the counts must not depend on Python's
    string hashing, which differs from one process to the next."""
    script = (
        "import pandas as pd\n"
        "from analysis import quotes\n"
        "articles = pd.DataFrame({'article_id': ['a', 'b'], 'outlet': ['X', 'X'], "
        "'text_clean': [\"Its \\\"Achilles' heel\\\" showed. Achilles' heel again.\", "
        "'An \"Achilles\\u2019 heel\" too. Achilles\\u2019 heel once more.']})\n"
        "found = quotes.extract_quotes(articles, speakers=quotes.read_speakers(None))\n"
        "print(quotes.scare_quotes(found, articles).to_csv(index=False))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(runs) == 1, runs


def test_scare_quotes_inside_embedded_posts_are_not_the_outlets():
    articles = pd.DataFrame(
        {
            "article_id": ["a"],
            "outlet": ["X"],
            "text_clean": [
                'The ministry called the posts "blasphemy". Critics said blasphemy laws kill.'
                "\n\nThose tweeting for ”blasphemy” are cowards. — Maajid (@MaajidNawaz) "
                "March 26, 2017\n\nThe row over blasphemy went on."
            ],
        }
    )
    found = quotes.extract_quotes(articles, speakers=SPEAKERS)
    assert found.loc[found["scare"], "social"].tolist() == [False, True]  # both found
    row = quotes.scare_quotes(found, articles).set_index("term").loc["blasphemy"]
    # the tweet's quotation marks and its use of the word are its author's, not the outlet's
    assert (row["scare_quoted"], row["in_quotes"], row["unquoted"]) == (1, 0, 2)
    voices = quotes.article_voices(found, articles)
    assert voices["n_scare"].tolist() == [1]
