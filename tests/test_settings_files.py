"""Settings files are strict and bounded (issue 27, items 3 and 4).

Every settings file (study file, speakers, actors, dictionaries in each format) rejects an
unknown key with a "did you mean" suggestion; LIWC headers may not repeat a category number;
bad bytes are errors naming the line; YAML aliases are refused (so an alias bomb stops at
once); files over 10 MB are refused with their size before they are read; bad values are
quoted as short excerpts; duplicate checks over user lists are linear.
"""

from __future__ import annotations

import contextlib
import re
import signal

import pytest

from analysis import yamlfile
from analysis.actors import ActorFileError, read_actors
from analysis.config import ConfigError, from_mapping, load_config
from analysis.lexicon.model import DictionaryError
from analysis.lexicon.readers import read_dictionary
from analysis.quotes.speakers import SpeakerFileError, read_speakers

READERS = {
    "study": (load_config, ConfigError),
    "speakers": (read_speakers, SpeakerFileError),
    "actors": (read_actors, ActorFileError),
    "dictionary": (read_dictionary, DictionaryError),
}


def _refused(tmp_path, kind: str, name: str, content: str | bytes, message: str) -> str:
    """Write ``content`` to ``name``, read it as ``kind``, return the error's text after
    checking that it names the file and contains ``message``."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    reader, error = READERS[kind]
    with pytest.raises(error, match=re.escape(message)) as caught:
        reader(path)
    text = str(caught.value)
    assert str(path) in text
    assert "\n" not in text  # one `error:` line on the command line
    return text


# --- unknown keys, with a suggestion ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        (
            "speakers",
            "speakers.yml",
            "speaker:\n  - name: Nawaz Sharif\n    category: government\n",
            "unknown key 'speaker'; did you mean speakers?",
        ),
        (
            "speakers",
            "speakers.yml",
            "speakers:\n  - name: Nawaz Sharif\n    categroy: government\n",
            "speakers[0]: unknown key 'categroy'; did you mean category?",
        ),
        (
            "speakers",
            "speakers.yml",
            "speakers:\n  - name: Nawaz Sharif\n    alias: [Sharif]\n",
            "speakers[0]: unknown key 'alias'; did you mean aliases?",
        ),
        (
            "speakers",
            "speakers.yml",
            "categories: [government]\ncategory_word:\n  government: [minister*]\n",
            "unknown key 'category_word'; did you mean category_words?",
        ),
        (
            "actors",
            "actors.yml",
            "actor:\n  Facebook: [Facebook]\n",
            "unknown key 'actor'; did you mean actors?",
        ),
        (
            "actors",
            "actors.yml",
            "actors:\n  Facebook:\n    alias: [Facebook]\n",
            "unknown key 'alias'; did you mean aliases?",
        ),
        (
            "dictionary",
            "frames.yml",
            "meta:\n  name: frames\ndictionnary:\n  economic: [cost]\n",
            "is 'dictionnary' a misspelt 'dictionary'?",
        ),
        (
            "dictionary",
            "frames.yml",
            "metadata:\n  name: frames\ndictionary:\n  economic: [cost]\n",
            "line 1: unknown key 'metadata'; did you mean meta?",
        ),
        (
            "dictionary",
            "frames.json",
            '{"metta": {"name": "frames"}, "dictionary": {"economic": ["cost"]}}',
            "unknown key 'metta'; did you mean meta?",
        ),
        (
            "dictionary",
            "frames.csv",
            "term,categroy\ncost,economic\n",
            "line 1: unknown column 'categroy'; did you mean category?",
        ),
        (
            "dictionary",
            "frames.csv",
            "term,category,wieght\ncost,economic,2\n",
            "line 1: unknown column 'wieght'; did you mean weight?",
        ),
    ],
    ids=[
        "speakers-top",
        "speakers-categroy",
        "speakers-alias",
        "speakers-category_word",
        "actors-top",
        "actors-alias",
        "dictionary-yaml-misspelt-dictionary",
        "dictionary-yaml-metadata",
        "dictionary-json-metta",
        "dictionary-csv-categroy",
        "dictionary-csv-wieght",
    ],
)
def test_unknown_key_is_an_error_with_a_suggestion(tmp_path, kind, name, content, message):
    _refused(tmp_path, kind, name, content, message)


def test_liwc_header_repeating_a_category_number_names_the_line(tmp_path):
    content = "%\n1\tposemo\n3\tnegemo\n3\tanger\n%\nhappy\t1\nsad\t3\n"
    _refused(
        tmp_path,
        "dictionary",
        "liwc.dic",
        content,
        "liwc.dic, line 4: category number 3 is given twice ('negemo' and 'anger')",
    )


def test_liwc_bad_bytes_are_an_error_naming_the_line(tmp_path):
    content = b"%\n1\tposemo\n%\nhappy\t1\ncaf\xe9\t1\n"
    _refused(tmp_path, "dictionary", "liwc.dic", content, "line 5 (byte 24): not valid UTF-8")


# --- bounded parsing -------------------------------------------------------------------------

_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi")
)
"""The classic billion-laughs: nine levels of nine aliases, 9**9 strings when expanded."""


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.splitlines())


_BOMBS = {
    "study": (
        "study.yml",
        "corpus:\n  path: corpus.csv\ncompare:\n"
        + _indent(_BOMB.replace("i: &i", "groups:"), 2).replace("  a: &a", "  group_by: &a"),
    ),
    "speakers": ("speakers.yml", "category_words:\n" + _indent(_BOMB, 2)),
    "actors": ("actors.yml", "actors:\n" + _indent(_BOMB, 2)),
    "dictionary": ("frames.yml", "dictionary:\n" + _indent(_BOMB, 2)),
}


@pytest.mark.parametrize("kind", list(_BOMBS))
def test_yaml_alias_bomb_is_refused_at_the_first_alias(tmp_path, kind):
    name, content = _BOMBS[kind]
    _refused(tmp_path, kind, name, content, "YAML aliases (*a) are not allowed in settings files")


@pytest.mark.parametrize("kind", list(READERS))
def test_oversized_settings_file_is_refused_with_its_size(tmp_path, kind):
    content = "# " + "x" * (11 * 1024 * 1024) + "\n"
    _refused(
        tmp_path,
        kind,
        "big.yml",
        content,
        "the file is 11.0 MB; settings files are limited to 10.0 MB",
    )


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        ("study", "study.yml", "corpus:\n  path: c.csv\nresampling:\n  n_resamples: {long}\n"),
        (
            "speakers",
            "speakers.yml",
            "categories: [a]\nspeakers:\n  - name: X\n    category: {long}\n",
        ),
        ("actors", "actors.yml", "actors:\n  ? {long}\n  : {}\n"),
        ("dictionary", "frames.yml", "dictionary:\n  economic: ['{long}*x']\n"),
    ],
)
def test_long_bad_value_is_shown_shortened(tmp_path, kind, name, content):
    long = "y" * 5000
    text = _refused(tmp_path, kind, name, content.replace("{long}", long), "y" * 40)
    assert "…" in text
    assert len(text) < 400


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Fail (rather than hang) when the block runs longer than ``seconds``."""

    def stop(signum, frame):
        raise TimeoutError(f"took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_160000_group_names_are_checked_in_linear_time():
    groups = [f"outlet {i}" for i in range(160_000)]
    with _time_limit(10):
        config = from_mapping({"corpus": {"path": "c.csv"}, "compare": {"groups": groups}})
        assert len(config.compare.groups) == 160_000
        with pytest.raises(ConfigError, match="'outlet 5' is listed twice"):
            from_mapping(
                {"corpus": {"path": "c.csv"}, "compare": {"groups": [*groups, "outlet 5"]}}
            )


def test_excerpt_is_bounded_for_huge_values():
    assert yamlfile.excerpt("z" * 10**7) == repr("z" * 80)[:80] + "…"
    assert len(yamlfile.excerpt(list(range(10**6)))) <= 81
