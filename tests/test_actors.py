"""Actor files and mention matching: aliases, word boundaries, case, wildcards."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import actors


def mentions_of(text: str, aliases: list[str], case_sensitive: bool = False) -> list[str]:
    actor = actors.Actor("X", tuple(aliases), case_sensitive)
    return actor.pattern.findall(text)


@pytest.mark.parametrize(
    ("text", "aliases", "found"),
    [
        ("Facebook said so.", ["Facebook"], ["Facebook"]),
        ("facebook's users", ["Facebook"], ["facebook"]),
        ("Facebook’s users", ["Facebook's"], ["Facebook’s"]),
        ("the courtesy of it", ["court"], []),
        ("the courtesy of it", ["court*"], ["courtesy"]),  # a wildcard matches any ending
        ("three courts and a court", ["court*"], ["courts", "court"]),
        ("Nisarabad is a town", ["Nisar"], []),
        ("Dear @twitter and Twitter", ["@twitter"], ["@twitter"]),
        ("the Islamabad  High\nCourt ruled", ["Islamabad High Court"], ["Islamabad  High\nCourt"]),
        (
            "The interior minister met the minister",
            ["interior minister", "minister"],
            ["interior minister", "minister"],
        ),
        ("AP and ap", ["AP"], ["AP", "ap"]),
    ],
)
def test_alias_matching(text, aliases, found):
    assert mentions_of(text, aliases) == found


def test_case_sensitive_actor():
    assert mentions_of("AP and ap and cap", ["AP"], case_sensitive=True) == ["AP"]


def test_seed_actors_file_reads():
    names = [a.name for a in actors.read_actors()]
    assert names == [
        "Facebook",
        "Twitter",
        "Pakistani government",
        "Courts",
        "Bloggers and activists",
        "Religious groups",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("just text", "'actors' key"),
        ("actors:\n  X: {}\n", "actors.X.aliases"),
        ("actors:\n  X:\n    aliases: [ok]\n    colour: red\n", "unknown key 'colour'"),
        ("actors:\n  X:\n    aliases: [ok, 3]\n", "3 is not a phrase"),
        ("actors: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_actor_files_name_the_key(tmp_path, content, message):
    path = tmp_path / "actors.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(actors.ActorFileError, match=re.escape(message)) as error:
        actors.read_actors(path)
    assert str(path) in str(error.value)


def test_find_mentions_table():
    sentences = pd.DataFrame(
        {
            "article_id": ["a", "a", "b"],
            "sentence_id": [0, 1, 0],
            "text": ["Facebook and facebook.", "Nothing here.", "Twitter and the court."],
        }
    )
    found = actors.find_mentions(
        sentences, actors.read_actors({"actors": {"Facebook": ["Facebook"], "Courts": ["court*"]}})
    )
    assert found[["article_id", "sentence_id", "actor", "mentions"]].values.tolist() == [
        ["a", 0, "Facebook", 2],
        ["b", 0, "Courts", 1],
    ]
    assert found.loc[0, "matched"] == "Facebook; facebook"
