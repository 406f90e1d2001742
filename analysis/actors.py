"""Actors: who a sentence is about, from a YAML list of names and aliases.

An actor file maps each actor's name to its aliases (see
``analysis/lexicons/actors_pakistan_2017.yml``, shipped for the seed story)::

    actors:
      Facebook:
        aliases: [Facebook, Joel Kaplan]
      Courts:
        aliases: [High Court, court*, judge*]
        case_sensitive: false

Aliases match as whole words (a match may not start or end inside a word, so ``court``
does not match ``courtesy`` and ``Nisar`` does not match ``Nisarabad``), case-insensitively
unless ``case_sensitive: true``; a trailing ``*`` matches any word ending; straight and
curly apostrophes are interchangeable; runs of spaces in an alias match any white space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths, yamlfile

LEXICONS = paths.PACKAGE / "lexicons"
SEED_ACTORS = LEXICONS / "actors_pakistan_2017.yml"


class ActorFileError(ValueError):
    """An actor file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Actor:
    """One actor: its name, the aliases that mention it, and whether case matters."""

    name: str
    aliases: tuple[str, ...]
    case_sensitive: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        """One regular expression matching any alias as whole words."""
        alternatives = sorted((_alias_regex(a) for a in self.aliases), key=len, reverse=True)
        flags = 0 if self.case_sensitive else re.IGNORECASE
        return re.compile(r"(?<![\w@#])(?:" + "|".join(alternatives) + r")(?!\w)", flags)


def _alias_regex(alias: str) -> str:
    wildcard = alias.endswith("*")
    words = alias.rstrip("*").split()
    body = r"\s+".join(re.escape(word) for word in words)
    body = re.sub("['’]", "['’]", body)
    return body + (r"\w*" if wildcard else "")


def read_actors(source: str | Path | dict | None = None) -> list[Actor]:
    """Read an actor file (YAML), or the seed story's actors when ``source`` is None.

    Parameters
    ----------
    source : path, dict or None
        A YAML file with a top-level ``actors`` mapping (see the module docstring), the
        already-parsed mapping, or None for ``analysis/lexicons/actors_pakistan_2017.yml``.

    Returns
    -------
    list of Actor
        In the file's order.

    Raises
    ------
    ActorFileError
        Not a mapping, no ``actors`` key, an actor without aliases, an alias that is not a
        non-empty string, or an unknown key (with the closest known key); a file over 10 MB,
        not UTF-8, or using YAML aliases; the message names the file and the key.
    """
    label = "<dict>"
    if source is None:
        source = SEED_ACTORS
    if not isinstance(source, dict):
        label = str(source)
        source = yamlfile.load(source, lambda message: ActorFileError(f"{label}: {message}"))
    for problem in yamlfile.unknown_keys(source if isinstance(source, dict) else (), ("actors",)):
        raise ActorFileError(f"{label}: {problem}")
    if not isinstance(source, dict) or not isinstance(source.get("actors"), dict):
        raise ActorFileError(f"{label}: expected a mapping with an 'actors' key")
    actors = []
    for name, spec in source["actors"].items():
        where = f"{label}, actors.{yamlfile.shorten(name)}"
        if isinstance(spec, list):
            spec = {"aliases": spec}
        if not isinstance(spec, dict):
            raise ActorFileError(f"{where}: expected a mapping with 'aliases'")
        for problem in yamlfile.unknown_keys(spec, ("aliases", "case_sensitive")):
            raise ActorFileError(f"{where}: {problem}")
        aliases = spec.get("aliases")
        if not isinstance(aliases, list) or not aliases:
            raise ActorFileError(f"{where}.aliases: expected a non-empty list of phrases")
        for alias in aliases:
            if not isinstance(alias, str) or not alias.strip("* "):
                raise ActorFileError(f"{where}.aliases: {yamlfile.excerpt(alias)} is not a phrase")
        case = spec.get("case_sensitive", False)
        if not isinstance(case, bool):
            raise ActorFileError(f"{where}.case_sensitive: expected true or false")
        actors.append(Actor(str(name), tuple(a.strip() for a in aliases), case))
    return actors


MENTION_COLUMNS = ["article_id", "sentence_id", "actor", "mentions", "matched"]


def find_mentions(sentences: pd.DataFrame, actors: list[Actor]) -> pd.DataFrame:
    """Which sentences mention which actors.

    Parameters
    ----------
    sentences : DataFrame
        ``article_id``, ``sentence_id``, ``text``.
    actors : list of Actor
        From :func:`read_actors`.

    Returns
    -------
    DataFrame
        One row per (sentence, actor) with at least one match: ``article_id``,
        ``sentence_id``, ``actor``, ``mentions`` (number of matches in the sentence) and
        ``matched`` (the matched words, ``; ``-joined, for auditing the aliases).
    """
    rows = []
    texts = sentences["text"].tolist()
    ids = list(zip(sentences["article_id"], sentences["sentence_id"]))
    for actor in actors:
        pattern = actor.pattern
        for (article_id, sentence_id), text in zip(ids, texts):
            found = pattern.findall(text)
            if found:
                rows.append((article_id, sentence_id, actor.name, len(found), "; ".join(found)))
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    out["actor"] = pd.Categorical(out["actor"], categories=[a.name for a in actors])
    return out.sort_values(["article_id", "sentence_id", "actor"], ignore_index=True)
