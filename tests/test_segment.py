"""Sentence splitting, quotation spans, voices and positions."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import clean, segment


def sentences_of(text: str) -> list[str]:
    return segment.sentence_table("x", text)["text"].tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith arrived. He left.", ["Mr. Smith arrived.", "He left."]),
        (
            "Gen. Bajwa met Lt. Col. Khan. Talks ended.",
            ["Gen. Bajwa met Lt. Col. Khan.", "Talks ended."],
        ),
        (
            "The U.S. State Department spoke. Pakistan did too.",
            ["The U.S. State Department spoke.", "Pakistan did too."],
        ),
        ("He lives in the U.S. He left in 2017.", ["He lives in the U.S.", "He left in 2017."]),
        (
            "It began on Jan. 5 in Lahore. Then it spread.",
            ["It began on Jan. 5 in Lahore.", "Then it spread."],
        ),
        (
            "George W. Bush and J. K. Rowling met. Nobody knew.",
            ["George W. Bush and J. K. Rowling met.", "Nobody knew."],
        ),
        (
            "Growth was 3.5 percent. Costs rose by 2.25.",
            ["Growth was 3.5 percent.", "Costs rose by 2.25."],
        ),
        ('"Why now?" he asked. Nobody answered.', ['"Why now?" he asked.', "Nobody answered."]),
        ("“It is over!” she said. We left.", ["“It is over!” she said.", "We left."]),
        (
            "They called it a “war on atheism. ” Meanwhile, it trended.",
            ["They called it a “war on atheism. ”", "Meanwhile, it trended."],
        ),
        (
            "First paragraph.\n\nSecond paragraph. Still second.",
            ["First paragraph.", "Second paragraph.", "Still second."],
        ),
        ("Is it? Yes! Fine.", ["Is it?", "Yes!", "Fine."]),
        ("No end punctuation", ["No end punctuation"]),
        ("The answer was no. Then he left.", ["The answer was no.", "Then he left."]),
        ("They met on Sat. Sun. was quiet.", ["They met on Sat.", "Sun. was quiet."]),
    ],
)
def test_sentence_splitting(text, expected):
    assert sentences_of(text) == expected


# The full stops of other scripts, which Punkt does not know (issue 27): the Urdu full stop
# U+06D4, the Arabic question mark U+061F and the Devanagari dandas U+0964, U+0965 end a
# sentence before white space; the CJK full stop U+3002 and the fullwidth U+FF01, U+FF1F
# end one before anything, since Chinese and Japanese put no space between sentences.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "یہ پہلا جملہ ہے۔ یہ دوسرا جملہ ہے۔",
            ["یہ پہلا جملہ ہے۔", "یہ دوسرا جملہ ہے۔"],
            id="urdu full stop",
        ),
        pytest.param(
            "وہ کہاں گئے؟ کسی کو معلوم نہیں۔",
            ["وہ کہاں گئے؟", "کسی کو معلوم نہیں۔"],
            id="arabic question mark",
        ),
        pytest.param(
            "今天下雨了。我们没有出门。",
            ["今天下雨了。", "我们没有出门。"],
            id="chinese full stop, no space",
        ),
        pytest.param(
            "你去吗？我不去！好吧。", ["你去吗？", "我不去！", "好吧。"], id="fullwidth ? and !"
        ),
        pytest.param(
            "私は学生です。 あなたは？", ["私は学生です。", "あなたは？"], id="space after 。"
        ),
        pytest.param(
            "好。。。真的吗？！是的。", ["好。。。", "真的吗？！", "是的。"], id="a run of marks"
        ),
        pytest.param(
            "他说：“你好。”然后走了。",
            ["他说：“你好。”", "然后走了。"],
            id="closing quote after 。 stays",
        ),
        pytest.param(
            "“یہ غلط ہے۔” انہوں نے کہا۔",
            ["“یہ غلط ہے۔”", "انہوں نے کہا۔"],
            id="closing quote after ۔ stays",
        ),
        pytest.param(
            "यह पहला वाक्य है। यह दूसरा है॥ अंत",
            ["यह पहला वाक्य है।", "यह दूसरा है॥", "अंत"],
            id="devanagari dandas",
        ),
        pytest.param(
            "The banner read: “یہ ظلم ہے۔ ہم خاموش نہیں رہیں گے۔” Police removed it.",
            [
                "The banner read: “یہ ظلم ہے۔",
                "ہم خاموش نہیں رہیں گے۔”",
                "Police removed it.",
            ],
            id="english quoting urdu",
        ),
        pytest.param(
            'He wrote "یہ غلط ہے۔" and left. Police came.',
            ['He wrote "یہ غلط ہے۔" and left.', "Police came."],
            id="lower case after the quote continues the sentence, as after a period",
        ),
        pytest.param(
            "Officials said 中国经济增长。Markets rose.",
            ["Officials said 中国经济增长。", "Markets rose."],
            id="english around chinese",
        ),
        pytest.param("قیمت ۳۔۵ فیصد بڑھی۔", ["قیمت ۳۔۵ فیصد بڑھی۔"], id="۔ inside a number"),
        pytest.param(
            "۱۔ پہلا نکتہ ہے۔ ۲۔ دوسرا نکتہ ہے۔",
            ["۱۔ پہلا نکتہ ہے۔", "۲۔ دوسرا نکتہ ہے۔"],
            id="۔ after a digit numbers a list",
        ),
        pytest.param("بات ختم۔", ["بات ختم۔"], id="۔ followed by nothing"),
        pytest.param("بات ختم۔  ", ["بات ختم۔"], id="۔ followed by trailing space"),
        pytest.param("ختم۔بات", ["ختم۔بات"], id="۔ followed by a letter"),
        pytest.param("。", ["。"], id="a lone 。"),
        pytest.param(
            "پہلا پیراگراف۔\n\n第二段。第三句。",
            ["پہلا پیراگراف۔", "第二段。", "第三句。"],
            id="paragraphs",
        ),
    ],
)
def test_full_stops_of_other_scripts_end_sentences(text, expected):
    assert sentences_of(text) == expected


def test_sentences_at_other_scripts_full_stops_keep_offsets_paragraphs_and_positions():
    text = (
        "Reporters quoted the minister.\n\n"
        "“یہ غلط ہے۔ ہم نہیں مانیں گے؟” he said, and left.  \n"
        "今天下雨了。我们没有出门！ 他说：“好。”\n\n"
        "यह अंत है। बस।"
    )
    table = segment.sentence_table("a", text)
    assert [text[a:b] for a, b in zip(table["start"], table["end"])] == table["text"].tolist()
    assert table["text"].tolist() == [
        "Reporters quoted the minister.",
        "“یہ غلط ہے۔",
        "ہم نہیں مانیں گے؟” he said, and left.",
        "今天下雨了。",
        "我们没有出门！",
        "他说：“好。”",
        "यह अंत है।",
        "बस।",
    ]
    assert table["paragraph_id"].tolist() == [0, 1, 1, 2, 2, 2, 3, 3]
    assert table["sentence_id"].tolist() == list(range(8))
    assert table["position"].tolist() == [i / 7 for i in range(8)]
    assert table["voice"].tolist()[1:3] == ["quote", "quote"]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('He said "no" and “yes”.', ['"no"', "“yes”"]),
        ("A crackdown on ”blasphemy” began.", ["”blasphemy”"]),  # reversed opening mark
        ("A stray ” mark only.", []),
        ("“Opened and never closed.\n\nNext paragraph.", ["“Opened and never closed."]),
        (
            "“First part of a long quote.\n\n“Second part,” he said.",
            ["“First part of a long quote.\n\n“Second part,”"],
        ),
        ('"Straight across.\n\n"Still going," she said.', ['"Straight across.\n\n"Still going,"']),
        ("“Nested ‘scare’ words inside.” Done.", ["“Nested ‘scare’ words inside.”"]),
    ],
)
def test_quote_spans(text, quoted):
    assert [text[s.start : s.end] for s in segment.quote_spans(text)] == quoted


def test_unbalanced_quote_is_flagged_not_fatal():
    spans = segment.quote_spans("“Opened and never closed.\n\nNext paragraph.")
    assert [s.balanced for s in spans] == [False]
    assert all(s.balanced for s in segment.quote_spans('He said "no".'))


def test_voice_quote_and_narrative():
    text = (
        '"The content is a conspiracy," Sharif said.\n\n'
        'He vowed to take "any steps necessary" to remove such content from the sites.\n\n'
        "“Nothing is more sacred to us”, observed the minister."
    )
    table = segment.sentence_table("a", text)
    assert table["voice"].tolist() == ["quote", "narrative", "quote"]


def test_multi_paragraph_quote_sentences_are_quotes():
    text = (
        "The minister spoke.\n\n"
        "“We will act. We will not stop.\n\n"
        "“Nobody is above the law,” he said."
    )
    table = segment.sentence_table("a", text)
    assert table["voice"].tolist() == ["narrative", "quote", "quote", "quote"]


def test_social_posts_in_their_own_paragraph_and_in_prose():
    text = clean.clean_text(
        "Muslim users called for blood.  Hang him now. #Hang, — Ann Lee (@ann) March 25, 2017,  "
        "Western users reacted strongly against the trend and said a great deal about it at "
        "length, pointing to earlier cases and to the platform's rules on violent speech, and "
        "asking why nothing had been done about this for days on end, while other accounts "
        "were suspended within hours for far less. Dear @twitter this is "
        "dangerous. — Bo Ray (@bo) March 27, 2017,  Twitter did not respond to questions. "
        + "Padding sentence for length. "
        * 10
    )
    table = segment.sentence_table("a", text)
    voices = dict(zip(table["text"], table["voice"]))
    assert voices["Hang him now."] == "social"
    assert voices["#Hang, — Ann Lee (@ann) March 25, 2017"] == "social"
    assert voices["Dear @twitter this is dangerous. — Bo Ray (@bo) March 27, 2017"] == "social"
    assert voices["Muslim users called for blood."] == "narrative"
    assert voices["Twitter did not respond to questions."] == "narrative"
    assert table.loc[table["text"].str.startswith("Western users"), "voice"].item() == "narrative"


def test_short_paragraph_closed_by_a_signature_is_one_post():
    text = (
        "Prose before.\n\nFirst line of a post. Second line #tag — Al (@al) May 1, 2020\n\nProse."
    )
    table = segment.sentence_table("a", text)
    assert table["voice"].tolist() == ["narrative", "social", "social", "narrative"]


def test_offsets_position_and_columns():
    text = "One. Two.\n\nThree."
    table = segment.sentence_table("a", text)
    assert list(table.columns) == segment.SENTENCE_COLUMNS
    assert [text[a:b] for a, b in zip(table["start"], table["end"])] == table["text"].tolist()
    assert table["position"].tolist() == [0.0, 0.5, 1.0]
    assert table["paragraph_id"].tolist() == [0, 0, 1]
    assert table["speaker"].isna().all()
    single = segment.sentence_table("b", "Only one.")
    assert single["position"].tolist() == [0.0]


def test_split_sentences_on_seed(seed_texts):
    articles = pd.DataFrame(
        {"article_id": [n[:3] for n in seed_texts], "text": list(seed_texts.values())}
    )
    articles["text_clean"] = articles["text"].map(clean.clean_text)
    sentences = segment.split_sentences(articles)
    by_article = sentences.groupby("article_id")
    counts = by_article.size().to_dict()
    assert counts == {"000": 21, "001": 19, "002": 27, "003": 11}
    voices = sentences.groupby(["article_id", "voice"], observed=False).size().unstack()
    # the embedded tweets of 002 are social; quoted statements elsewhere are quotes
    assert voices.loc["002", "social"] == 11
    assert voices.loc["000", "quote"] == 9
    assert voices.loc["003", "quote"] == 2
    assert voices["social"].drop("002").sum() == 0
    for article in articles.itertuples():
        mine = sentences[sentences["article_id"] == article.article_id]
        assert all(
            article.text_clean[a:b] == t
            for a, b, t in zip(mine["start"], mine["end"], mine["text"])
        )
    # 002 lost its paragraph breaks and still splits into sentences, not one block
    assert sentences[sentences["article_id"] == "002"]["text"].str.len().max() < 400
    tweet = sentences[sentences["text"].str.contains("@Engrr_vicky")]
    assert tweet["voice"].item() == "social"


def test_empty_input_gives_empty_table():
    empty = segment.split_sentences(pd.DataFrame({"article_id": [], "text_clean": []}))
    assert len(empty) == 0
    assert list(empty.columns) == segment.SENTENCE_COLUMNS
