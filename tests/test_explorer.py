"""The explorer page: its data (caps, pairs, escaping, identical bytes), its topics view (only
when the run has topic tables) and, in headless Chromium, that clicking a term shows its
contexts, clicking a topic its articles, and that the page makes no request."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from analysis import measures, paths, pipeline, segment
from analysis.concordance import compile_pattern
from analysis.corpus import load_corpus
from analysis.engine.io import Tables
from analysis.explorer import TOPIC_TABLES, contexts, explorer_data, render, write_explorer
from analysis.explorer import data as explorer_data_module
from benchmarks import explorer as browser

DATA_BLOCK = re.compile(r'<script type="application/json" id="explorer-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def seed_tables() -> dict[str, pd.DataFrame]:
    tables = pipeline.prepare(load_corpus(paths.SEED_CORPUS))
    return measures.measure(tables, "terms")


@pytest.fixture(scope="module")
def seed_data(seed_tables) -> dict:
    return explorer_data(seed_tables)


HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def hostile_tables() -> dict[str, pd.DataFrame]:
    """Two outlets whose names and texts try to break out of the page."""
    texts = {
        HOSTILE: 'The "blasphemous" posts </script><!-- stayed; blasphemous posts & more posts.',
        'Paper "B" & <b>bold</b>': "Posts about <img src=x onerror=alert(2)> blasphemous content.",
    }
    articles = pd.DataFrame(
        {
            "article_id": ["h1", "h2"],
            "outlet": list(texts),
            "title": ["</title><script>alert(3)</script>", "ok"],
            "text_clean": list(texts.values()),
        }
    )
    tables = {"articles": articles, "sentences": segment.split_sentences(articles)}
    return measures.measure(tables, "terms", words=measures.WordSettings(min_count=1))


@pytest.fixture(scope="module")
def topic_tables() -> dict[str, pd.DataFrame]:
    """The seed corpus with distinctive words and a three-topic model."""
    tables = pipeline.prepare(load_corpus(paths.SEED_CORPUS))
    return measures.measure(
        tables,
        "topics",
        "terms",
        topics=measures.TopicSettings(k=3, level="paragraph"),
        resampling=measures.Resampling(n_resamples=199),
    )


def _without_topics(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {k: v for k, v in tables.items() if "topic" not in k}


TOPIC_HOSTILE = "</script><img src=x onerror=alert(1)>"


def _hostile_topics(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The topic tables with a label, a word, a title and an opening that try to break out."""
    out = dict(tables)
    out["topic_terms"] = tables["topic_terms"].assign(label=TOPIC_HOSTILE)
    out["topic_terms"].loc[0, "term"] = TOPIC_HOSTILE
    out["outlet_topics"] = tables["outlet_topics"].assign(label=TOPIC_HOSTILE)
    out["topic_examples"] = tables["topic_examples"].assign(
        label=TOPIC_HOSTILE, title=TOPIC_HOSTILE, opening="Before " + TOPIC_HOSTILE + " after"
    )
    return out


def _data_of(html: str) -> dict:
    return json.loads(DATA_BLOCK.search(html).group(1))


def test_caps_are_respected_and_stated(seed_tables):
    data = explorer_data(seed_tables, max_terms=10, max_contexts=3, window=4)
    assert data["comparisons"]
    for comparison in data["comparisons"]:
        assert 0 < len(comparison["rows"]) <= 10
        zs = [row[3] for row in comparison["rows"]]
        assert zs == sorted(zs, reverse=True)
    assert all(len(found) <= 3 for found in data["contexts"])
    assert data["caps"] == {"max_terms": 10, "max_contexts": 3, "window": 4, "max_pair_groups": 8}
    notes = " ".join(data["notes"][1:])  # the small print
    assert "only the 5 words with the highest z and the 5 with the lowest" in notes
    assert "at most 3 excerpts of 4 words either side" in notes


def test_the_header_tells_a_reader_what_the_page_is_and_how_to_use_it(seed_data):
    page = render(seed_data)
    header = page.split("<header>")[1].split("</header>")[0]
    text = " ".join(re.sub(r"<[^>]+>", "", header).split())
    for expected in (
        "Which words does each outlet (or group of outlets) use more than the others",
        "Choose a comparison: a group under Group, and under against either the rest",
        "each dot is a word",
        "A dot has the colour of the side it leans to",
        "Click a word, in the plot or in a list, or type it under Find a word",
        "A q below 0.05 means",
        "q n/a means the word could not be tested",
    ):
        assert expected in text, expected
    assert "Caps, so" not in page
    assert "<label>Find a word" in page
    # first a plain summary, then the small print (the method and the caps)
    summary, method, caps = seed_data["notes"]
    assert summary.startswith("4 articles in 4 groups (by outlet).")
    # every outlet of the seed corpus has one article: no word has a q
    assert "No word could be tested in this run: the test needs at least two articles" in summary
    assert method.startswith("How the words are placed and tested.")
    assert caps.startswith("What this file leaves out")
    assert 'i === 0 ? "summary" : "small"' in page and ".small {" in page


def test_a_run_whose_words_were_tested_does_not_say_they_were_not(seed_tables):
    tables = dict(seed_tables)
    tables["term_scores"] = seed_tables["term_scores"].assign(q=0.5)
    summary = explorer_data(tables)["notes"][0]
    assert summary == "4 articles in 4 groups (by outlet)."


def test_one_vs_rest_and_every_pair_are_offered(seed_data, seed_tables):
    groups = seed_data["groups"]
    assert groups == sorted(seed_tables["articles"]["outlet"].unique())
    kinds = [(c["first"], c["second"]) for c in seed_data["comparisons"]]
    n = len(groups)
    assert [k for k in kinds if k[1] is None] == [(i, None) for i in range(n)]
    assert sorted(k for k in kinds if k[1] is not None) == [
        (i, j) for i in range(n) for j in range(i + 1, n)
    ]


def test_pairs_computed_from_the_counts_agree_with_the_runs_pair(seed_tables):
    pair = seed_tables["term_pair"]
    first = pair["group"].iloc[0]
    second = pair["comparison"].iloc[0][len(first) + len(" vs ") :]
    data = explorer_data(seed_tables, max_terms=10_000)
    groups = data["groups"]
    i, j = sorted([groups.index(first), groups.index(second)])
    sign = 1 if groups[i] == first else -1
    (comparison,) = [c for c in data["comparisons"] if (c["first"], c["second"]) == (i, j)]
    expected = pair.set_index("term")
    assert len(comparison["rows"]) == len(expected)
    for term, count, count_other, z, q in comparison["rows"]:
        row = expected.loc[data["terms"][term]]
        assert z == pytest.approx(sign * row["z"], abs=1e-3)
        if np.isnan(row["q"]):  # one article per outlet: no test, in both
            assert q is None
        else:
            assert q == pytest.approx(row["q"], rel=1e-2)
        assert (count, count_other) == (
            (row["count"], row["count_other"]) if sign == 1 else (row["count_other"], row["count"])
        )


def test_contexts_show_the_term_and_start_with_the_groups_that_rank_it(seed_data):
    shown = 0
    for term, found in zip(seed_data["terms"], seed_data["contexts"]):
        matcher = compile_pattern(term)
        for _group, _outlet, voice, article, _left, match, _right in found:
            assert matcher.spans(match) == [(0, len(match))]
            assert voice in (0, 1, 2)
            assert seed_data["articles"][article][0]
            shown += 1
    assert shown > 100
    blasphemous = seed_data["contexts"][seed_data["terms"].index("blasphemous")]
    assert len(blasphemous) == 12  # the cap, with every outlet represented
    assert {c[0] for c in blasphemous} == set(range(len(seed_data["groups"])))
    assert any(c[4].endswith('"') and c[6].startswith('"') for c in blasphemous)


TRICKY_TEXTS = [
    "Café CAFÉ café naïve NAÏVE Straße STRASSE ẞ",
    "İstanbul istanbul",  # one character that lower-cases to two
    "ΣΑΣ'Α σας ΟΔΟΣ",  # the capital sigma: its lower case depends on the letters around it
    "KELVIN \u212a k",  # the Kelvin sign lower-cases to ASCII
    "don’t “quote” it’s — the Senate's vote, ABC-news 2019",
    "under_score __init__ X_1 x²  x2 ½ Ⅷ ⅷ ǅ ﬁne 日本語 テキスト 𝐀𝐁 a\u0301b",
    "Americans AMERICAN americanism counterterrorism COUNTERTERRORISM",
    "",
    None,
    float("nan"),
]
TRICKY_WORDS = set(
    [
        "café",
        "naïve",
        "straße",
        "strasse",
        "ß",
        "istanbul",
        "i",
        "stanbul",
        "σας",
        "σασ",
        "α",
        "οδος",
        "k",
        "kelvin",
        "don",
        "t",
        "quote",
        "it",
        "s",
        "the",
        "senate",
        "vote",
        "abc",
        "news",
        "2019",
        "under_score",
        "__init__",
        "x_1",
        "x²",
        "x2",
        "½",
        "ⅷ",
        "ǆ",
        "ﬁne",
        "fine",
        "日本語",
        "テキスト",
        "a",
        "b",
        "american",
        "americans",
        "americanism",
        "counterterrorism",
    ]
)


@pytest.mark.parametrize("chunk", [1, 64, 1 << 20])
def test_text_runs_are_the_runs_of_each_lower_cased_text(monkeypatch, chunk):
    monkeypatch.setattr(contexts, "_CHUNK_BYTES", chunk)
    texts = TRICKY_TEXTS + [" ".join(TRICKY_TEXTS[i % 7 : i % 7 + 2]) for i in range(40)]
    expected = {word: [] for word in TRICKY_WORDS}
    for position, text in enumerate(texts):
        runs = set(re.findall(r"\w+", text.lower())) if isinstance(text, str) else set()
        for word in runs & TRICKY_WORDS:
            expected[word].append(position)
    found = contexts.text_runs(texts, TRICKY_WORDS)
    assert {w: p.tolist() for w, p in found.items()} == expected
    assert all(p.dtype == np.int64 for p in found.values())
    # a lone surrogate has no UTF-8: its texts are split by the regular expression
    found = contexts.text_runs(["Ab", "a\ud800b AB", "b"], {"a", "b", "ab"})
    assert {w: p.tolist() for w, p in found.items()} == {"a": [1], "b": [1, 2], "ab": [0, 1]}


def test_top_terms_are_those_of_the_whole_table_sorted():
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        {
            "term": [f"t{i % 50:02d}" for i in range(400)],
            "z": np.round(rng.normal(size=400), 1),  # many ties
        }
    )
    table.loc[::37, "z"] = np.nan
    for max_terms in (2, 3, 10, 101, 1000):
        finite = table[np.isfinite(table["z"])]
        half = max_terms // 2
        high = finite.sort_values(["z", "term"], ascending=[False, True], kind="stable")
        low = finite.sort_values(["z", "term"], ascending=[True, True], kind="stable")
        kept = pd.concat([high.head(max_terms - half), low.head(half)]).drop_duplicates("term")
        expected = kept.sort_values(["z", "term"], ascending=[False, True], kind="stable")
        pd.testing.assert_frame_equal(explorer_data_module._top(table, max_terms), expected)


def test_voices_derived_without_a_sentences_table(seed_tables, seed_data):
    without = {k: v for k, v in seed_tables.items() if k != "sentences"}
    assert explorer_data(without) == seed_data


def test_same_tables_give_the_same_bytes(seed_tables, tmp_path):
    one = write_explorer(seed_tables, tmp_path / "one.html").read_bytes()
    two = write_explorer(seed_tables, tmp_path / "two" / "explorer.html").read_bytes()
    assert one == two
    shuffled = dict(seed_tables)
    shuffled["articles"] = seed_tables["articles"].iloc[::-1]
    shuffled["term_scores"] = seed_tables["term_scores"].sample(frac=1, random_state=1)
    shuffled["sentences"] = seed_tables["sentences"].sample(frac=1, random_state=2)
    assert write_explorer(shuffled, tmp_path / "three.html").read_bytes() == one


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_nothing_outside_the_file_is_referenced(seed_tables, tmp_path):
    html = write_explorer(seed_tables, tmp_path / "explorer.html").read_text(encoding="utf-8")
    page = DATA_BLOCK.sub("", html)  # the data may quote a URL from an article: only text
    for reference in ("http://", "https://", "src=", "href=", "url(", "@import", "//cdn"):
        assert reference not in page
    parser = _Tags()
    parser.feed(html)
    linking = {"src", "href", "action", "srcset", "data", "poster", "xlink:href"}
    assert not [(tag, a) for tag, a in parser.tags if linking & set(a)]
    assert [tag for tag, _ in parser.tags].count("script") == 2
    csp = [a for tag, a in parser.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]
    assert len(html.encode("utf-8")) < 1_000_000


def test_user_text_cannot_leave_the_data_block(hostile_tables):
    html = render(explorer_data(hostile_tables))
    assert HOSTILE not in html and "<img" not in html and "<!--" not in html
    assert html.count("<script") == 2 and html.count("</script>") == 2
    data = _data_of(html)
    assert HOSTILE in data["groups"] and 'Paper "B" & <b>bold</b>' in data["groups"]
    contexts = [c for found in data["contexts"] for c in found]
    assert any("</script><!--" in c[6] for c in contexts)


def test_no_comparison_still_gives_a_page(seed_tables):
    tables = {k: seed_tables[k] for k in ("articles", "sentences")}
    data = explorer_data(tables)
    assert data["comparisons"] == [] and data["terms"] == []
    assert "nothing to explore" in data["notes"][0]
    assert "<svg" in render(data)


def test_the_topics_view_has_each_topic_its_words_shares_and_articles(topic_tables):
    data = explorer_data(topic_tables)
    assert data["title"] == "Distinctive words and their contexts"
    # the words' part is the one of the same run without topics
    assert {k: v for k, v in data.items() if k != "topics"} == explorer_data(
        _without_topics(topic_tables)
    )
    found = data["topics"]
    terms, shares = topic_tables["topic_terms"], topic_tables["outlet_topics"]
    examples = topic_tables["topic_examples"]
    assert found["outlets"] == sorted(shares["outlet"].unique()) == data["groups"]
    assert found["outlet_groups"] == list(range(len(found["outlets"])))  # grouped by outlet
    assert found["outlet_articles"] == [1, 1, 1, 1]
    assert found["n_topics"] == 3 and found["n_outlets"] == 4
    assert [t["topic"] for t in found["list"]] == [1, 2, 3]
    for topic in found["list"]:
        mine = terms[terms["topic"] == topic["topic"]]
        assert topic["label"] == mine["label"].iloc[0]
        assert topic["community"] == mine["community"].iloc[0]
        for ranking, key in (("frex", "frex"), ("probability", "probable")):
            ranked = mine[mine["ranking"] == ranking].sort_values("rank")
            assert topic[key] == ranked["term"].head(10).tolist()
        own = shares[shares["topic"] == topic["topic"]].sort_values("outlet")
        assert [found["outlets"][r[0]] for r in topic["outlets"]] == own["outlet"].tolist()
        assert [r[1] for r in topic["outlets"]] == pytest.approx(own["estimate"], abs=1e-4)
        assert [r[4] for r in topic["outlets"]] == pytest.approx(own["rest"], abs=1e-4)
        # one article per outlet: no interval and no test
        assert all(r[2] is None and r[5] is None for r in topic["outlets"])
        # the mean share over all articles (one each): the outlets' mean
        assert topic["share"] == pytest.approx(own["estimate"].mean(), rel=1e-2)
        own = examples[examples["topic"] == topic["topic"]].sort_values("outlet")
        shown = [
            (found["outlets"][o], found["articles"][a][0], rank, p)
            for o, a, rank, p in topic["articles"]
        ]
        assert [s[:3] for s in shown] == list(zip(own["outlet"], own["article_id"], own["rank"]))
        assert [s[3] for s in shown] == pytest.approx(own["proportion"], abs=1e-3)
    by_id = examples.drop_duplicates("article_id").set_index("article_id")
    for article_id, title, opening in found["articles"]:
        assert (title, opening) == (
            by_id.loc[article_id, "title"],
            by_id.loc[article_id, "opening"],
        )
    summary, method, caps = found["notes"]
    assert summary == "3 topics from the run's topic model."
    assert "FREX" in method and "q < 0.05" in method
    assert caps.startswith("What the topics view leaves out") and "at most 60 topics" in caps
    assert "all 4 outlets" in caps and "24 articles" in caps


def test_the_topics_view_is_capped_and_says_so(topic_tables):
    found = explorer_data(topic_tables, max_topics=2, max_topic_outlets=2, max_topic_articles=1)[
        "topics"
    ]
    assert found["caps"] == {
        "max_topics": 2,
        "max_outlets": 2,
        "max_articles": 1,
        "max_words": 10,
    }
    shares = topic_tables["outlet_topics"]
    prevalence = shares.groupby("topic")["estimate"].mean().sort_values(ascending=False)
    assert [t["topic"] for t in found["list"]] == sorted(prevalence.index[:2])
    # the two outlets with the most articles, ties broken by name
    assert found["outlets"] == sorted(shares["outlet"].unique())[:2]
    for topic in found["list"]:
        assert len(topic["outlets"]) == 2 and len(topic["articles"]) == 1
        # the article the topic fills most, of the outlets shown
        (outlet, _, rank, proportion) = topic["articles"][0]
        assert rank == 1
        # one article per outlet: its proportion is the outlet's share
        assert proportion == pytest.approx(max(r[1] for r in topic["outlets"]), abs=1e-3)
        assert outlet == max(topic["outlets"], key=lambda r: r[1])[0]
    summary, _, caps = found["notes"]
    assert summary == "3 topics from the run's topic model; the 2 most prevalent are shown."
    assert "at most 2 topics" in caps and "the 2 outlets with the most articles (of 4)" in caps
    assert "1 articles of those outlets" in caps


def test_a_run_without_topics_gives_the_page_it_gave_before(topic_tables, seed_tables, tmp_path):
    without = _without_topics(topic_tables)
    page = render(explorer_data(without))
    # nothing of the topics view (markup, style, script, data) is on a page without topics
    assert "topic" not in page.lower()
    # the long per-article table is never read, and empty topic tables add nothing
    ignored = dict(without, article_topics=topic_tables["article_topics"])
    ignored.update({name: topic_tables[name].iloc[:0] for name in TOPIC_TABLES})
    assert render(explorer_data(ignored)) == page
    # the words' part of the page does not depend on the topics run
    assert render(explorer_data(seed_tables)) == page
    with_topics = render(explorer_data(topic_tables))
    assert with_topics != page and 'id="topics"' in with_topics
    assert _data_of(with_topics)["topics"]["list"]
    # the same topic tables, in any row order, give the same bytes
    shuffled = dict(topic_tables)
    for name in TOPIC_TABLES:
        shuffled[name] = topic_tables[name].sample(frac=1, random_state=3)
    one = write_explorer(topic_tables, tmp_path / "one.html").read_bytes()
    assert write_explorer(shuffled, tmp_path / "two.html").read_bytes() == one


def test_the_run_gives_the_explorer_its_topic_tables_but_not_the_long_one(topic_tables):
    memory = {k: v for k, v in topic_tables.items() if k != "article_topics"}
    tables = Tables(
        memory,
        {"article_topics": "/nonexistent/article_topics.parquet"},  # never to be read
        article_index=topic_tables["articles"][["article_id", "outlet"]],
    )
    given = pipeline._explorer_tables(tables)
    assert set(TOPIC_TABLES) <= set(given) and "article_topics" not in given
    assert render(explorer_data(given)) == render(explorer_data(topic_tables))


def test_hostile_topic_text_cannot_leave_the_data_block(topic_tables):
    html = render(explorer_data(_hostile_topics(topic_tables)))
    assert TOPIC_HOSTILE not in html and "<img" not in html
    assert html.count("<script") == 2 and html.count("</script>") == 2
    found = _data_of(html)["topics"]
    assert {t["label"] for t in found["list"]} == {TOPIC_HOSTILE}
    assert TOPIC_HOSTILE in found["list"][0]["frex"] + found["list"][0]["probable"]
    assert {a[1] for a in found["articles"]} == {TOPIC_HOSTILE}


# ---------------------------------------------------------------- in a headless browser


@pytest.fixture(scope="module")
def chromium():
    found = browser.find_browser()
    if isinstance(found, str):
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run in CI: {found}")
        pytest.skip(f"browser test not run: {found}")
    with browser.chromium() as driver:
        yield driver


def _wait(driver, condition, timeout=10):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _context_rows(driver):
    return driver.find_elements("css selector", "#contexts-body .context")


def test_in_chromium_a_clicked_term_shows_its_contexts_without_any_request(
    chromium, seed_tables, seed_data, tmp_path
):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import Select

    path = write_explorer(seed_tables, tmp_path / "explorer.html")
    url = path.resolve().as_uri()
    navigation, _ = browser.load_seconds(chromium, path)
    assert chromium.execute_script("return document.body.getAttribute('data-ready')") == "true"
    assert navigation < 2
    # as in the figures, a dot is filled only when its word passed the test: on the seed
    # corpus (one article per outlet) no word can be tested, so every dot is hollow
    points = chromium.find_elements("css selector", "#plot circle.pt")
    assert points and all("hollow" in p.get_attribute("class") for p in points)
    assert {p.get_attribute("fill") for p in points} == {"#fff"}

    # click a point of the plot
    point = chromium.find_elements("css selector", "#plot circle.pt")[-1]  # drawn on top
    term = point.get_attribute("data-term")
    point.click()
    _wait(chromium, lambda d: len(_context_rows(d)) > 0)
    rows = _context_rows(chromium)
    assert len(rows) == len(seed_data["contexts"][seed_data["terms"].index(term)])
    matcher = compile_pattern(term)
    for row in rows:
        match = row.find_element("css selector", ".m").text
        assert matcher.spans(match) == [(0, len(match))]
    assert term in chromium.find_element("id", "contexts-title").text

    # hover a point: its counts
    ActionChains(chromium).move_to_element(point).perform()
    tip = chromium.find_element("id", "tooltip")
    _wait(chromium, lambda d: tip.is_displayed())
    assert term in tip.text and "z = " in tip.text and "per 1,000 words" in tip.text

    # search a term: its contexts, grouped by outlet and voice, quotation marks visible
    search = chromium.find_element("id", "search")
    search.clear()
    search.send_keys("blasphemous\n")
    _wait(chromium, lambda d: "blasphemous" in d.find_element("id", "contexts-title").text)
    texts = [r.get_attribute("textContent") for r in _context_rows(chromium)]
    assert len(texts) == 12 and any('"blasphemous"' in t for t in texts)
    heads = [h.text for h in chromium.find_elements("css selector", "#contexts-body .group-head")]
    assert set(heads) == set(seed_data["groups"])
    voices = {v.text for v in chromium.find_elements("css selector", ".voice-head")}
    assert voices <= {"narrative", "quote", "social"} and "narrative" in voices

    # a pair instead of one-vs-rest: the plot and lists follow
    Select(chromium.find_element("id", "second")).select_by_index(1)
    pair_name = Select(chromium.find_element("id", "second")).first_selected_option.text
    assert pair_name in chromium.find_element("id", "head-second").text
    assert chromium.find_elements("css selector", "#plot circle.pt")
    chromium.find_element("css selector", "#list-first button.term").click()
    _wait(chromium, lambda d: len(_context_rows(d)) > 0)

    assert browser.network_requests(chromium, url) == []
    assert chromium.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_in_chromium_hostile_names_render_as_text(chromium, hostile_tables, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.support.ui import Select

    path = write_explorer(hostile_tables, tmp_path / "explorer.html")
    browser.load_seconds(chromium, path)
    with pytest.raises(NoAlertPresentException):
        chromium.switch_to.alert.text  # noqa: B018 - raises when no script ran
    options = [o.text for o in Select(chromium.find_element("id", "first")).options]
    assert HOSTILE in options
    assert chromium.execute_script("return document.scripts.length") == 2
    assert chromium.execute_script("return document.images.length") == 0
    search = chromium.find_element("id", "search")
    search.send_keys("blasphemous\n")
    _wait(chromium, lambda d: len(_context_rows(d)) > 0)
    body = chromium.find_element("id", "contexts-body").text
    assert HOSTILE in body and "</script><!--" in body
    assert browser.network_requests(chromium, path.resolve().as_uri()) == []


def test_in_chromium_a_word_that_passed_the_test_is_a_filled_dot(chromium, tmp_path):
    # 12 articles each: every article of A says "alpha", none of B's does
    texts = [("A", f"Alpha report number {i}. The council met today.") for i in range(12)]
    texts += [("B", f"Beta report number {i}. The council met today.") for i in range(12)]
    corpus = pd.DataFrame(texts, columns=["outlet", "text"])
    tables = measures.measure(
        pipeline.prepare(load_corpus(corpus)), "terms", words=measures.WordSettings(min_count=1)
    )
    path = write_explorer(tables, tmp_path / "explorer.html")
    browser.load_seconds(chromium, path)
    points = chromium.find_elements("css selector", "#plot circle.pt")
    filled = {p.get_attribute("data-term") for p in points if p.get_attribute("fill") != "#fff"}
    scores = tables["term_scores"]
    passed = set(scores.loc[(scores["group"] == "A") & (scores["q"] < 0.05), "term"])
    assert "alpha" in passed and filled == passed


def test_in_chromium_a_clicked_topic_shows_its_articles(chromium, topic_tables, tmp_path):
    data = explorer_data(topic_tables)
    path = write_explorer(topic_tables, tmp_path / "explorer.html")
    browser.load_seconds(chromium, path)
    assert chromium.execute_script("return document.body.getAttribute('data-ready')") == "true"
    buttons = chromium.find_elements("css selector", "#topic-list button.topic")
    assert [b.text for b in buttons] == [t["label"] for t in data["topics"]["list"]]
    assert len(chromium.find_elements("css selector", "#topic-list .cell")) == 3 * 4
    topic = data["topics"]["list"][0]
    buttons[0].click()
    _wait(chromium, lambda d: d.find_elements("css selector", "#topic-articles .topic-article"))
    assert topic["label"] in chromium.find_element("id", "topic-title").text
    shown = chromium.find_elements("css selector", "#topic-articles .topic-article")
    titles = {a[0]: a for a in data["topics"]["articles"]}
    expected = [data["topics"]["articles"][a][0] for _, a, _, _ in topic["articles"]]
    assert [a.get_attribute("data-article") for a in shown] == expected
    for box in shown:
        opening = box.find_element("css selector", ".opening").text
        assert opening == titles[box.get_attribute("data-article")][2]
    heads = [h.text for h in chromium.find_elements("css selector", "#topic-articles .group-head")]
    assert heads == data["topics"]["outlets"]
    words = {w.lower() for w in topic["frex"] + topic["probable"]}
    marks = [m.text.lower() for m in chromium.find_elements("css selector", "#topic-articles mark")]
    assert marks and set(marks) <= words
    rows = chromium.find_elements("css selector", "#topic-shares tr")
    assert len(rows) == 1 + len(topic["outlets"])
    # a topic word among the page's terms opens its contexts
    linked = chromium.find_elements("css selector", "#topic-words button.term")
    assert linked
    word = linked[0].text
    linked[0].click()
    _wait(chromium, lambda d: len(_context_rows(d)) > 0)
    assert word in chromium.find_element("id", "contexts-title").text
    assert browser.network_requests(chromium, path.resolve().as_uri()) == []
    assert [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"] == []


def test_in_chromium_hostile_topic_text_renders_as_text(chromium, topic_tables, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    path = write_explorer(_hostile_topics(topic_tables), tmp_path / "explorer.html")
    browser.load_seconds(chromium, path)
    chromium.find_element("css selector", "#topic-list button.topic").click()
    _wait(chromium, lambda d: d.find_elements("css selector", "#topic-articles .topic-article"))
    with pytest.raises(NoAlertPresentException):
        chromium.switch_to.alert.text  # noqa: B018 - raises when no script ran
    assert chromium.execute_script("return document.images.length") == 0
    assert chromium.execute_script("return document.scripts.length") == 2
    assert TOPIC_HOSTILE in chromium.find_element("id", "topic-title").text
    assert TOPIC_HOSTILE in chromium.find_element("id", "topic-articles").text
