"""The hand-labelled gold quotes and speakers for the seed articles are self-consistent.

The fixture (tests/fixtures/seed_quotes.yml) gives character offsets into ``text_clean`` as
built by :func:`analysis.pipeline.prepare` from the bundled seed corpus; these tests fail when
the cleaned text drifts from the offsets or the labels leave the agreed vocabulary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis import paths, pipeline
from analysis.corpus import load_corpus
from analysis.quotes import SEED_SPEAKERS

FIXTURES = Path(__file__).parent / "fixtures"
CATEGORIES = {
    "government",
    "courts",
    "platform_companies",
    "rights_groups",
    "religious_groups",
    "social_media_users",
    "media",
    "other",
    "unknown",
}
KINDS = {"direct", "indirect"}
FIELDS = {"article", "kind", "start", "end", "text", "speaker", "category", "social", "scare"}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """``text_clean`` of each seed article, by article_id."""
    articles = pipeline.prepare(load_corpus(paths.RAW))["articles"]
    return dict(zip(articles["article_id"], articles["text_clean"]))


@pytest.fixture(scope="module")
def quotes() -> list[dict]:
    return yaml.safe_load((FIXTURES / "seed_quotes.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def speakers() -> list[dict]:
    """The seed story's speaker table, as shipped (written with these labels)."""
    return yaml.safe_load(SEED_SPEAKERS.read_text(encoding="utf-8"))["speakers"]


def test_every_article_is_labelled(quotes, texts):
    assert {q["article"] for q in quotes} == set(texts)


def test_entries_have_the_expected_fields_and_types(quotes):
    for q in quotes:
        assert FIELDS <= set(q) <= FIELDS | {"note"}, q
        assert isinstance(q["start"], int) and isinstance(q["end"], int), q
        assert 0 <= q["start"] < q["end"], q
        assert isinstance(q["social"], bool) and isinstance(q["scare"], bool), q
        assert q["speaker"] is None or isinstance(q["speaker"], str), q


def test_text_matches_the_cleaned_text_at_the_offsets(quotes, texts):
    for q in quotes:
        assert texts[q["article"]][q["start"] : q["end"]] == q["text"], q


def test_kinds_and_categories_come_from_the_lists(quotes):
    for q in quotes:
        assert q["kind"] in KINDS, q
        assert q["category"] in CATEGORIES, q


def test_entries_are_sorted_by_article_then_start(quotes):
    keys = [(q["article"], q["start"]) for q in quotes]
    assert keys == sorted(keys)


def test_scare_quotes_are_short_direct_and_unattributed(quotes):
    for q in quotes:
        if q["scare"]:
            assert q["kind"] == "direct", q
            assert len(q["text"].split()) <= 3, q
            assert q["speaker"] is None and q["category"] == "unknown", q


def test_every_labelled_speaker_is_in_the_alias_table_with_the_same_category(quotes, speakers):
    table = {s["name"]: s["category"] for s in speakers}
    for q in quotes:
        if q["speaker"] is not None:
            assert table.get(q["speaker"]) == q["category"], q


def test_alias_table_is_well_formed(speakers):
    names = [s["name"] for s in speakers]
    assert len(names) == len(set(names))
    owner: dict[str, str] = {}
    for s in speakers:
        assert set(s) == {"name", "kind", "aliases", "category"}, s
        assert s["category"] in CATEGORIES, s
        for alias in [s["name"], *s["aliases"]]:
            assert isinstance(alias, str) and alias, s
            assert owner.setdefault(alias.lower(), s["name"]) == s["name"], alias
