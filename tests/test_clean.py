"""Cleaning rules, as in/out tables that read like a specification."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import clean


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        (clean.normalize_line_endings, "a\r\nb\rc\n", "a\nb\nc\n"),
        (clean.remove_leading_date_field, " date 2017-07-07 Minister said", "Minister said"),
        (clean.remove_leading_date_field, "date 2017-07-07T10:30 Minister", "Minister"),
        (
            clean.remove_leading_date_field,
            "The date 2017-07-07 was set.",
            "The date 2017-07-07 was set.",
        ),
        (clean.drop_repeated_field_after_separator, "Lead.\n\nBody.|||\n\nLead.", "Lead.\n\nBody."),
        (clean.drop_repeated_field_after_separator, "Body.|||Summary.", "Body.\n\nSummary."),
        (clean.drop_repeated_field_after_separator, "No separator.", "No separator."),
        (clean.remove_read_more_lines, "A.\nREAD MORE: x y\nB.", "A.\nB."),
        (clean.remove_read_more_lines, "A.\nRelated: other story\nB.", "A.\nB."),
        (
            clean.remove_read_more_lines,
            "You should read more: it helps.",
            "You should read more: it helps.",
        ),
        (
            clean.remove_trailing_sign_off,
            "End. You can follow Jo Doe on Twitter and add him on Facebook. Email tips to j@x. com",
            "End.",
        ),
        (clean.remove_trailing_sign_off, "End.\n\nFollow her on Twitter @jo", "End."),
        (
            clean.remove_trailing_sign_off,
            "End.\n\nCopyright © 2019 The Washington Times, LLC. Click here for reprint "
            "permission.",
            "End.",
        ),
        (
            clean.remove_media_and_widget_lines,
            "A.\nEnlarge this image toggle caption Saul Loeb/AFP/Getty Images\nB.",
            "A.\nB.",
        ),
        (clean.remove_media_and_widget_lines, "A.\nAdvertisement\nB.", "A.\nB."),
        (clean.remove_media_and_widget_lines, "A.\nStory Continued Below\nB.", "A.\nB."),
        (clean.remove_media_and_widget_lines, "A.\n\nAdvertisement:\n\nB.", "A.\n\n\nB."),
        (
            clean.remove_media_and_widget_lines,
            "A.\nPhotos: Storm damage A roof in Ohio. Hide Caption 1 of 2 Photos: Storm damage A"
            " car. Hide Caption 2 of 2\nB.",
            "A.\nB.",
        ),
        (
            clean.remove_media_and_widget_lines,
            "A.\nShow caption Hide caption Medical staff arrive at a hospital.\nB.",
            "A.\nB.",
        ),
        (
            clean.remove_media_and_widget_lines,
            "A.\nAdvertisement: the campaign's new slogan drew criticism.\nB.",
            "A.\nAdvertisement: the campaign's new slogan drew criticism.\nB.",
        ),
        (
            clean.remove_media_and_widget_lines,
            "A.\nMedia playback is unsupported on your device Media caption X said\nB.",
            "A.\nB.",
        ),
        (
            clean.remove_media_and_widget_lines,
            "A.\nJUST WATCHED Diplomat on Libya Replay More Videos ... 02:00\nB.",
            "A.\nB.",
        ),
        (
            clean.remove_media_and_widget_lines,
            "The advertisement ran on TV. Photos: none.",
            "The advertisement ran on TV. Photos: none.",
        ),
        (
            clean.remove_trailing_sign_off,
            "End. Email tips to us, he said.",
            "End. Email tips to us, he said.",
        ),
        (clean.remove_trailing_sign_off, "End. Send tips to desk@x.org", "End."),
        (
            clean.remove_trailing_sign_off,
            "You can follow the story on Twitter. Then more text follows here.\nAnd more.",
            "You can follow the story on Twitter. Then more text follows here.\nAnd more.",
        ),
        (
            clean.remove_trailing_author_bio,
            "Story.\n\nAsad Hashim is Al Jazeeras Web Correspondent. He tweets @AsadHashim.",
            "Story.",
        ),
        (
            clean.remove_trailing_author_bio,
            "Story.\n\nJane Roe is a senior reporter at the Post.",
            "Story.",
        ),
        (
            clean.remove_trailing_author_bio,
            "Story.\n\nThe minister is a former reporter, he said.\n\nMore story.",
            "Story.\n\nThe minister is a former reporter, he said.\n\nMore story.",
        ),
        (clean.remove_urls, "Milo. https:  .   — Christina", "Milo.    — Christina"),
        (clean.remove_urls, "see https://t.co/x1 and pic.twitter.com/abc now", "see  and  now"),
        (clean.remove_urls, "visit www.example.com today", "visit  today"),
        (
            clean.separate_social_posts,
            "Hang him #tag, — Ann Lee (@ann_1) March 25, 2017,  Western users reacted.",
            "Hang him #tag, — Ann Lee (@ann_1) March 25, 2017\n\nWestern users reacted.",
        ),
        (clean.separate_social_posts, "He — Ann (@ann) said so.", "He — Ann (@ann) said so."),
        (
            clean.remove_stray_brackets,
            "A. [Late last week, it (was) so.",
            "A. Late last week, it (was) so.",
        ),
        (clean.remove_stray_brackets, "Balanced [sic] text.", "Balanced [sic] text."),
        (clean.remove_stray_brackets, "closing) only", "closing only"),
        (clean.normalize_whitespace, " a\u00a0\u00a0b \t c \n\n\n\nd\u200b ", "a b c\n\nd"),
        (clean.normalize_spaces, "cost \u202e001$ now", "cost 001$ now"),  # displays "$100"
        (clean.normalize_spaces, "\u200fشكرا\u200e ok \u2066x\u2069", "شكرا ok x"),
    ],
)
def test_rule(rule, text, expected):
    assert rule(text) == expected


def test_bidirectional_controls_are_removed_and_recorded_in_the_audit():
    articles = pd.DataFrame({"article_id": ["a"], "text": ["Hello \u202eworld. Fine."]})
    cleaned, audit = clean.clean_articles(articles)
    assert cleaned["text_clean"].item() == "Hello world. Fine."
    assert audit[["rule", "removed_text"]].values.tolist() == [
        ["normalize_spaces", "RIGHT-TO-LEFT OVERRIDE"]
    ]


def test_restore_lost_paragraph_breaks_only_in_one_line_texts():
    one_line = "First paragraph ends here.  Second one starts. " * 15
    assert "\n\n" in clean.restore_lost_paragraph_breaks(one_line)
    with_breaks = "Line one.  Two spaces.\n" * 40
    assert clean.restore_lost_paragraph_breaks(with_breaks) == with_breaks
    short = "Short.  Text."
    assert clean.restore_lost_paragraph_breaks(short) == short


def test_leading_date():
    assert clean.leading_date(" date 2017-07-07 Text") == "2017-07-07"
    assert clean.leading_date("Text date 2017-07-07") is None


def test_rules_are_audited_with_what_they_removed():
    text = "Lead.\n\nREAD MORE: elsewhere\n\nBody https:  . here.|||Lead."
    cleaned, removed = clean.clean_text_audited(text)
    assert cleaned == "Lead.\n\nBody here."
    assert ("remove_read_more_lines", "READ MORE: elsewhere") in removed
    assert ("drop_repeated_field_after_separator", "Lead.") in removed
    assert ("remove_urls", "https:  .") in removed


def passes_in_full(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Cleaning by its definition: every rule, pass after pass, until a pass changes nothing."""
    removed = []
    for _ in range(clean.MAX_PASSES):
        before = text
        for rule in clean.DEFAULT_RULES:
            text, pieces = rule.audited(text)
            removed += [(rule.__name__, piece) for piece in pieces]
        if text == before:
            break
    return text, removed


@pytest.mark.parametrize(
    "text",
    [
        "A.\n[READ MORE: x\nB.",  # a stray bracket hid a READ MORE line
        "A.\nREAD  MORE: x\nB.",  # so did a run of spaces
        "A.\n Image  copyright AP\nB.  ",
        "A.\nAdvertisement\n\n\n\nB.\n\n",  # trimmed lines and blank lines: nothing new
        "=https:\u0338 x",  # deleting a URL brings a combining mark to its base
        " date 2017-07-07 date 2017-07-08 Body.",  # the date rule is not idempotent
        "End. You can follow Jo on Twitter.\n\nJo Lee is a reporter.\n\n" + " " * 500,
        "Story.\n\nAnn Lee is a reporter who " + "x" * 150 + ".\n" + " " * 300,  # a bio
        # longer than 400 characters only with the white space that trimming removes
        "— Ann (@ann) March 25, 2017 (, Next post.",
        "Plain text that needs no cleaning at all.",
    ],
)
def test_skipping_the_confirming_pass_changes_nothing(text):
    assert clean.clean_text_audited(text) == passes_in_full(text)
    assert clean.clean_text(text) == passes_in_full(text)[0]


def test_a_bio_role_spelt_with_letters_ignorecase_folds_is_found():
    for role in ("JOURNAL\u0130ST", "journal\u0131st", "columni\u017ft"):
        assert clean.remove_trailing_author_bio(f"Story.\n\nAnn Lee is a {role}.") == "Story."


def test_clean_text_is_idempotent_on_seed(seed_texts):
    for text in seed_texts.values():
        once = clean.clean_text(text)
        assert clean.clean_text(once) == once


def test_clean_articles_adds_text_clean_audit_and_date_from_text():
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "text": [" date 2017-07-07 Body text.", "READ MORE: x\nOther body."],
            "published": pd.to_datetime([None, "2017-03-01"]),
            "published_precision": pd.array([pd.NA, "month"], dtype="string"),
        }
    )
    out, audit = clean.clean_articles(articles)
    assert out["text_clean"].tolist() == ["Body text.", "Other body."]
    assert out.loc[0, "published"] == pd.Timestamp("2017-07-07")
    assert out["published_source"].tolist() == ["text", "metadata"]
    assert out.loc[0, "published_precision"] == "day"
    assert set(audit.columns) == {"article_id", "rule", "removed_text"}
    assert audit[["article_id", "rule"]].values.tolist() == [
        ["a", "remove_leading_date_field"],
        ["b", "remove_read_more_lines"],
    ]
    assert articles["text"].iloc[0].startswith(" date")  # the input is not modified


def test_seed_corpus_artefacts_are_gone(seed_texts):
    cleaned = {name[:3]: clean.clean_text(text) for name, text in seed_texts.items()}
    assert "|||" not in cleaned["001"]
    assert "READ MORE" not in cleaned["001"]
    assert "Asad Hashim is" not in cleaned["001"]
    assert cleaned["001"].count("Pakistanis turn to social media network") == 1
    assert "https:" not in cleaned["002"]
    assert "You can follow" not in cleaned["002"] and "Email tips" not in cleaned["002"]
    assert "[" not in cleaned["002"]
    assert cleaned["002"].count("\n\n") >= 8  # lost paragraphs and embedded posts separated
    assert cleaned["003"].startswith("Interior Minister")
    assert "  " not in "".join(cleaned.values())
    # the clean article keeps its text: nothing but whitespace changes
    assert cleaned["000"].split() == seed_texts["000_b497ab7e464d9db6.txt"].split()
