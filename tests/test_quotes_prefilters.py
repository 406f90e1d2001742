"""The shortcuts that make quote extraction fast find exactly what the plain way finds:
the regex trees of word lists, the cheap bounds and cues checked before a slow regex, the
reporting words found by Arrow, and the tables built a batch at a time."""

from __future__ import annotations

import gc
import inspect
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import pipeline, quotes, segment, tokens
from analysis.corpus import load_corpus
from analysis.quotes import attribution, extract, patterns, spans, speakers
from analysis.segment import quoting

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

WORD_LISTS = [
    patterns._HEAD_WORDS,
    speakers.PERSON_NOUNS,
    speakers.ORGANISATION_NOUNS,
    speakers._PLURAL_PEOPLE,
    speakers._ORGANISATION_NAMES,
    patterns.SPEECH_VERBS,
    patterns._TITLES,
    patterns._DETERMINERS,
    patterns._NAME_WORDS,
    patterns._AUX_WORDS,
    patterns._BARE_CLAUSE_VERB,
    patterns._THAT_CLAUSE_VERB,
    "|".join(patterns.PRONOUNS),
]

# words that the patterns name, words they do not, names, and the characters around them
PIECES = [
    *{w for words in WORD_LISTS for w in words.split("|")},
    "ab",
    "sx",
    "newly",
    "appointed",
    "policy",
    "long",
    "Khan",
    "Nisar",
    "Facebook’s",
    "Khan's",
    "U.S.",
    "The",
    "THE",
    "hE",
    "ſome",
    "ıt",
    "minister-designate",
    "2019",
    "said2",
    "unsaid",
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    ",",
    "—",
    "–",
    "-",
    ".",
    "?",
    ":",
    "(",
    "\n",
    "\ue000",
]
separators = st.sampled_from([" ", " ", " ", "", "\n", ", ", ". ", "  "])
phrases = st.lists(st.tuples(st.sampled_from(PIECES), separators), max_size=16).map(
    lambda pairs: "".join(piece + separator for piece, separator in pairs)
)


def _same_match(left: re.Match | None, right: re.Match | None) -> bool:
    if left is None or right is None:
        return left is right
    return left.span() == right.span() and left.groupdict() == right.groupdict()


@SETTINGS
@given(text=phrases, words=st.sampled_from(WORD_LISTS))
def test_a_tree_of_words_matches_like_their_alternation(text, words):
    tree, plain = patterns._alternatives(words), f"(?:{words})"
    for after in ("", "s", r"\b", r"\s", " that", "$", r"(?!\w)"):
        for flags in (0, re.IGNORECASE):
            fast, slow = re.compile(tree + after, flags), re.compile(plain + after, flags)
            for start in range(len(text) + 1):
                assert _same_match(fast.match(text, start), slow.match(text, start))


def _plain_patterns() -> dict:
    """The namespace of :mod:`analysis.quotes.patterns` built with plain alternations of the
    word lists (what their trees stand for) and without its possessive quantifier."""
    source = inspect.getsource(patterns)
    tree_import = "ORGANISATION_NOUNS, PERSON_NOUNS, _alternatives\n"
    assert tree_import in source and "[\\w-]*+" in source
    source = source.replace(
        tree_import, "ORGANISATION_NOUNS, PERSON_NOUNS\n_alternatives = '(?:{})'.format\n"
    ).replace("[\\w-]*+", "[\\w-]*")
    namespace: dict = {"__name__": "plain_patterns"}
    exec(compile(source, "plain_patterns", "exec"), namespace)
    return namespace


PLAIN = _plain_patterns()
COMPARED = [
    "AFTER_QUOTE",
    "VERB_BEFORE",
    "SUBJECT_BEFORE_VERB",
    "SENTENCE_SUBJECT",
    "PERSON_NAME",
    "INDIRECT_SUBJECT",
    "INDIRECT_ADDING",
    "INDIRECT_COORDINATED",
    "INDIRECT_QUESTION",
    "INDIRECT_TRAILING",
    "CLAUSE_START",
    "ANAPHOR",
]


@SETTINGS
@given(text=phrases)
def test_the_patterns_match_as_with_plain_alternations(text):
    for name in COMPARED:
        fast, slow = getattr(patterns, name), PLAIN[name]
        assert fast.pattern != slow.pattern
        for start in range(len(text) + 1):
            assert _same_match(fast.match(text, start), slow.match(text, start)), name
        assert _same_match(fast.search(text), slow.search(text)), name


def test_a_tree_of_words_keeps_their_order_or_refuses():
    assert re.fullmatch(patterns._alternatives("say|says"), "says")
    assert re.match(patterns._alternatives("a|ab") + "b?$", "ab").group() == "ab"
    assert re.match(f"(?:{patterns._alternatives('ab|a')})", "ab").group() == "ab"
    assert re.match(f"(?:{patterns._alternatives('a|ab')})", "ab").group() == "a"
    with pytest.raises(ValueError):
        patterns._alternatives("ab|a|abc")  # "a" is tried between "ab" and "abc"


@SETTINGS
@given(head=phrases)
def test_the_subject_search_starts_where_no_earlier_match_can(head):
    start = patterns.subject_search_start(head)
    assert 0 <= start <= len(head)
    found = patterns.SUBJECT_BEFORE_VERB.search(head)
    assert _same_match(patterns.SUBJECT_BEFORE_VERB.search(head, start), found)


@SETTINGS
@given(text=phrases, cuts=st.lists(st.integers(0, 400), max_size=8))
def test_reporting_word_spans_hold_every_reporting_word(text, cuts):
    found = patterns.reporting_word_spans([text])[0]
    if found is None:
        assert any(c in text for c in (*patterns.CASELESS_ASCII_LOOKALIKES, "\ue000"))
        return
    assert found == sorted(found) and all(a < b <= c for (a, b), (c, _) in zip(found, found[1:]))
    bounds = sorted({0, len(text), *(min(cut, len(text)) for cut in cuts)})
    for start, end in zip(bounds, bounds[1:]):
        if patterns.has_reporting_word(text[start:end]):
            assert any(a < end and b > start for a, b in found)
    for match in re.finditer(r"(?<![^\W\d_])[a-z]+(?![^\W\d_])", text):
        if match.group() in set().union(*patterns.NEEDED_WORDS.values()):
            assert match.span() in found  # a whole word that a pattern needs is one span


def test_reporting_word_spans_of_texts_it_cannot_read_are_none():
    texts = ["He SAID so, unsaid.", "Nothing here.", "Sa\u0131d he.", "bad \ud800 said", 3]
    assert patterns.reporting_word_spans(texts) == [[(3, 7), (14, 18)], [], None, None, None]
    assert patterns.reporting_word_spans([]) == []


def test_the_words_patterns_need_begin_no_other_reporting_word():
    first_words = patterns.SPAN_WORDS
    for needed in patterns.NEEDED_WORDS.values():
        assert needed <= first_words
        for word in needed:
            assert not any(other != word and other.startswith(word) for other in first_words)


def _sentences(text: str) -> spans._Sentences:
    table = segment.split_sentences(pd.DataFrame({"article_id": ["a"], "text_clean": [text]}))
    return spans._SentenceRows(table).get("a")


def _cut(text: str, cuts: list[int], social: list[bool], shuffle: bool) -> spans._Sentences:
    """Sentences of ``text`` cut at ``cuts``, some of them embedded posts, perhaps out of
    order (then each is read on its own)."""
    bounds = sorted({0, len(text), *(min(cut, len(text)) for cut in cuts)})
    rows = [
        (a, b, "social" if k < len(social) and social[k] else "reported", k, 0)
        for k, (a, b) in enumerate(zip(bounds, bounds[1:]))
    ]
    if shuffle:
        rows = rows[::-1] + rows[:1]
    return spans._Sentences(*(tuple(column) for column in zip(*rows)) if rows else ((),) * 5)


def _every_pattern(text: str, sentences: spans._Sentences) -> list:
    found = [
        attribution._indirect(text, start, end)
        for start, end, voice in zip(sentences.start, sentences.end, sentences.voice)
        if voice != "social"
    ]
    return [quote for quote in found if quote is not None]


cuts = st.lists(st.integers(0, 400), max_size=10)


@SETTINGS
@given(text=phrases, cuts=cuts, social=st.lists(st.booleans(), max_size=10), shuffle=st.booleans())
def test_reported_speech_is_what_every_pattern_on_every_sentence_finds(text, cuts, social, shuffle):
    found = patterns.reporting_word_spans([text])[0]
    for sentences in (_sentences(text), _cut(text, cuts, social, shuffle)):
        every = _every_pattern(text, sentences)
        assert attribution._reported_speech(text, sentences, found) == every
        assert attribution._reported_speech(text, sentences, None) == every


SEED_SPEAKERS = speakers.read_speakers(speakers.SEED_SPEAKERS)


def _described(found: list) -> list[tuple]:
    return [(q.kind, q.start, q.end, q.speaker, q.mention, q.attribution) for q in found]


@SETTINGS
@given(text=phrases)
def test_an_article_s_quotes_are_the_same_found_alone_or_with_the_batch_s_help(text):
    sentences, table = _sentences(text), SEED_SPEAKERS
    direct = spans.direct_spans(text)
    for quote in direct:
        quote.n_words = tokens.count_words(text[quote.start : quote.end])
    alone = extract.article_quotes(text, sentences, table)
    helped = extract.article_quotes(
        text,
        sentences,
        table,
        direct,
        patterns.reporting_word_spans([text])[0],
        spans._paragraphs(text),
    )
    assert _described(helped) == _described(alone)


@pytest.fixture(scope="module")
def seed_tables(seed_dir):
    return pipeline.prepare(load_corpus(seed_dir))


def test_reported_speech_of_the_seed_corpus_is_what_every_pattern_finds(seed_tables):
    articles = seed_tables["articles"]
    rows = spans._SentenceRows(seed_tables["sentences"])
    found = patterns.reporting_word_spans(articles["text_clean"].tolist())
    for article_id, text, reporting in zip(articles["article_id"], articles["text_clean"], found):
        sentences = rows.get(article_id)
        every = _every_pattern(text, sentences)
        assert attribution._reported_speech(text, sentences, reporting) == every


@SETTINGS
@given(text=phrases)
def test_cues_are_found_in_every_match_of_their_patterns(text):
    for pattern, cue in (
        (patterns.INDIRECT_ADDING, patterns.ADDING_CUE),
        (patterns.INDIRECT_COORDINATED, patterns.COORDINATED_CUE),
        (patterns.INDIRECT_QUESTION, patterns.QUESTION_CUE),
    ):
        for start in range(len(text) + 1):
            if pattern.match(text, start):
                assert cue.search(text, start)


@SETTINGS
@given(text=phrases, cuts=cuts, shuffle=st.booleans())
def test_the_spans_of_each_sentence_are_those_inside_it(text, cuts, shuffle):
    sentences = _cut(text, cuts, [], shuffle)
    found = patterns.reporting_word_spans([text])[0] or []
    expected = [
        (k, [(a, b) for a, b in found if start <= a and b <= end])
        for k, (start, end) in enumerate(zip(sentences.start, sentences.end))
        if any(a < end and b > start for a, b in found)
    ]
    assert attribution._sentence_spans(sentences.start, sentences.end, found) == expected


@SETTINGS
@given(text=phrases, start=st.integers(0, 60), width=st.integers(0, 300))
def test_verbs_before_a_quote_are_those_the_regex_finds(text, start, width):
    start = min(start, len(text))
    before = text[start : start + width]
    reporting = patterns.reporting_word_spans([text])[0]
    found = attribution._verbs(before, start, reporting)
    expected = list(patterns.VERB_BEFORE.finditer(before))
    assert [m.span() for m in found] == [m.span() for m in expected]


@SETTINGS
@given(text=st.text(st.sampled_from(list('..!?? aA"”“’»(Bx\n')), max_size=40), data=st.data())
def test_a_sentence_starts_after_the_last_sentence_end_before_it(text, data):
    start = data.draw(st.integers(0, len(text)))
    position = data.draw(st.integers(start, len(text)))
    last = start
    for match in attribution._SENTENCE_END.finditer(text, start, position):
        last = match.end()
    assert attribution._sentence_bounds(text, (start, len(text)), position) == last


@SETTINGS
@given(text=phrases, pos=st.integers(0, 60), width=st.integers(0, 400))
def test_single_quote_regexes_match_as_with_the_check_first(text, pos, width):
    curly = re.compile(r"(?<![\w’'])‘((?:[^‘’\n]|’(?=\w))+)’(?!\w)")
    straight = re.compile(r"(?<![\w'])'((?:[^'\n]|'(?=\w))+)'(?!\w)")
    for fast, slow in ((spans._SINGLE_CURLY, curly), (spans._SINGLE_STRAIGHT, straight)):
        end = min(len(text), pos + width)
        assert [m.span(1) for m in fast.finditer(text, pos, end)] == [
            m.span(1) for m in slow.finditer(text, pos, end)
        ]


@SETTINGS
@given(text=st.text(st.sampled_from(list('ab \n\t\u00a0\u2028\r“”"«»„')), max_size=60))
def test_paragraphs_and_quotation_marks_are_found_as_by_their_regexes(text):
    assert quoting._paragraph_spans(text) == [
        m.span() for m in re.finditer(r"[^\n]*\S[^\n]*", text)
    ]
    assert quoting._mark_positions(text) == [
        m.start() for m in quoting._DOUBLE_QUOTE_MARK.finditer(text)
    ]
    paragraphs = spans._paragraphs(text)
    for position in range(len(text) + 1):
        holding = [p for p in paragraphs if p[0] <= position < p[1]]
        if holding:
            assert spans._paragraph_at(paragraphs, position) == holding[0]
        ending = [p for p in paragraphs if p[0] < position <= p[1]]
        if ending:
            assert spans._paragraph_ending(paragraphs, position) == ending[0]


@SETTINGS
@given(
    spans_=st.lists(st.tuples(st.integers(0, 50), st.integers(1, 10)), max_size=6),
    start=st.integers(0, 120),
    width=st.integers(0, 40),
)
def test_quoted_share_counts_only_the_spans_that_overlap(spans_, start, width):
    apart, at = [], 0
    for gap, length in spans_:
        apart.append((at + gap, at + gap + length))
        at += gap + length
    end = start + width
    inside = sum(max(0, min(end, b) - max(start, a)) for a, b in apart)
    assert attribution._quoted_share("", start, end, apart) == inside / max(end - start, 1)


@pytest.mark.parametrize(
    "ids, expected",
    [
        (["a", "a", "b"], {"a": range(0, 2), "b": range(2, 3)}),
        (["a", "b", "a"], {"a": (0, 2), "b": range(1, 2)}),
        ([3, 3, 4], {3: range(0, 2), 4: range(2, 3)}),
        ([], {}),
    ],
)
def test_the_sentences_of_each_article_are_found_together_or_apart(ids, expected):
    assert spans._rows_of_each(pd.Series(ids, dtype=object)) == expected


def test_a_speaker_table_answers_a_mention_again_from_what_it_kept():
    table = quotes.SpeakerTable(category_words={"government": ("minister*",)})
    first = table.resolve("the interior minister")
    assert table.resolve("the interior minister") is first
    assert first.category == "government"


def test_quotes_of_texts_the_arrow_search_cannot_read_are_found_all_the_same():
    texts = [
        "The minister sa\u0131d the law stands, adding that it was final.",
        "Officials \u017faid on Monday that the ban would stay, according to Reuters.",
        "Odd \ue000 mark. The minister said that the law stands.\n“Yes,” he added.",
    ]
    articles = pd.DataFrame({"article_id": ["x", "y", "z"], "text_clean": texts})
    found = quotes.extract_quotes(articles)
    one_by_one = [quotes.extract_quotes(articles.iloc[[k]]) for k in range(3)]
    assert found.to_dict("records") == [r for f in one_by_one for r in f.to_dict("records")]
    assert found[["article_id", "kind", "attribution"]].values.tolist() == [
        ["y", "indirect", "according_to"],
        ["z", "indirect", "reported"],
        ["z", "direct", "after"],
    ]


def test_batches_of_articles_give_the_table_one_batch_gives(monkeypatch):
    texts = [
        '"We will act," the minister said.',
        "No quotes here.",
        "Critics called it “censorship”. The ministry said it would appeal.",
    ] * 3
    articles = pd.DataFrame({"article_id": [f"a{k}" for k in range(9)], "text_clean": texts})
    whole = quotes.extract_quotes(articles)
    monkeypatch.setattr(extract, "BATCH", 2)
    pd.testing.assert_frame_equal(quotes.extract_quotes(articles), whole)
    assert whole["n_words"].tolist() == [3, 1, 3] * 3
    assert whole["quote_id"].tolist() == [0, 0, 1] * 3
    assert whole["kind"].tolist() == ["direct", "direct", "indirect"] * 3
    empty = quotes.extract_quotes(articles.iloc[[1]])
    assert empty.empty
    assert list(empty.dtypes) == list(quotes.extract_quotes(articles.iloc[:0]).dtypes)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(enabled):
    articles = pd.DataFrame({"article_id": ["a"], "text_clean": ['"No," he said.']})
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        quotes.extract_quotes(articles)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
