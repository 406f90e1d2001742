"""What the numbers of a run cannot show: the limits box of ``report.html``, holding only
the limits that apply to the run."""

from __future__ import annotations

import html
import inspect
from collections.abc import Mapping
from pathlib import Path

from markupsafe import Markup

from analysis import stats
from analysis.report.manifest import run_table
from analysis.report.methods.settings import (
    RATIO_INTERVAL,
    UNIT_PLURALS,
    code_default,
    interval_method,
)
from analysis.report.wording import MAX_OUTLETS_NAMED, Terms, counted, how_many, listed

MIN_UNITS_TEST = inspect.signature(stats.presence_test).parameters["min_units"].default
"""Fewest units (articles, or outlets) on each side for a word to be tested."""

SEED_STORY_LISTS = ("actors_pakistan_2017.yml", "speakers_pakistan_2017.yml")
"""The actor and speaker files written for the seed story alone."""

GENERIC_SPEAKER_LIST = "speaker_categories.yml"
"""The speaker file that names no one and sorts speakers by role words only."""


def untested_groups(manifest: Mapping, out_dir: Path) -> tuple[list[str], int] | None:
    """The groups no word of which could be tested (fewer than :data:`MIN_UNITS_TEST` units
    on a side of their comparison with the rest), and how many groups were compared; None
    when the run's ``term_scores`` table is not found or does not count units."""
    scores = run_table(
        out_dir, "term_scores", manifest, columns=["group", "n_units", "n_units_other"]
    )
    if scores is None or scores.empty:
        return None
    sides = scores.drop_duplicates("group")
    few = sides[(sides["n_units"] < MIN_UNITS_TEST) | (sides["n_units_other"] < MIN_UNITS_TEST)]
    return sorted(few["group"].astype(str)), len(sides)


def interval_limits(manifest: Mapping, outlets: list[Mapping], term: Terms) -> list[str]:
    """The intervals that the outlets' numbers of articles leave out: the mean's (tone and
    frame rates per article) below ``min_units_mean`` articles, the pooled ratio's (voice
    measures) below ``min_units_ratio``; and the caveat of intervals over sentences."""
    parameters = manifest.get("parameters") or {}
    found = []
    means = []
    for label, key in (("tone", "tone"), ("frame rates", "frames")):
        section = parameters.get(key) or {}
        if (
            section.get("resampling_unit") == "article"
            and interval_method(manifest, section) == stats.INTERVAL_METHOD
        ):
            means.append(label)
        elif section.get("resampling_unit") == "sentence":
            found.append(f"{label.capitalize()}: {html.escape(stats.SENTENCE_CAVEAT)}")
    article_counts = [int(o["articles"]) for o in outlets if o.get("articles") is not None]
    rules = []  # (for what, fewest articles, outlets with fewer)
    mean_minimum = code_default(manifest, None, "min_units_mean")
    if means and mean_minimum is not None:
        measures = "" if len(means) == 2 else f" for {means[0]}"
        rules.append((measures, int(mean_minimum)))
    voices = parameters.get("voices") or {}
    ratio_minimum = code_default(manifest, None, "min_units_ratio")
    ratio = code_default(manifest, voices.get("ratio_interval"), "ratio_interval")
    if voices and ratio == RATIO_INTERVAL and ratio_minimum is not None:
        rules.append((" for the voice measures", int(ratio_minimum)))
    rules = [(what, least, sum(n < least for n in article_counts)) for what, least in rules]
    rules = [rule for rule in rules if rule[2]]
    if not rules:
        return found
    (what, least, few), *others = rules
    interval = term("confidence interval", "interval")
    text = f"No {interval}{what} where an outlet has fewer than {least:,} articles"
    text += "".join(f" ({other:,}{label})" for label, other, _ in others)
    text += f"; here: {how_many(few, len(article_counts))}"
    text += "".join(
        f" ({how_many(n, len(article_counts))}{label})" for label, _, n in others if n != few
    )
    found.append(
        text + ". A number without an interval is a single estimate: nothing says how far "
        "chance alone could have moved it."
    )
    return found


def limits(manifest: Mapping, out_dir: Path, term: Terms) -> list[Markup]:
    """What this run's numbers cannot show; only the limits that apply to the run.

    Parameters
    ----------
    manifest : mapping
        The run's manifest, completed by :func:`analysis.report.complete_manifest`.
    out_dir : Path
        Where the run's tables are found (:func:`analysis.report.manifest.run_table`).
    term : Terms
        Links the glossary's words at their first use on the page.

    Returns
    -------
    list of Markup
        One plain sentence each, as HTML with every value from the run escaped.
    """
    from analysis.figures import MAX_OUTLETS  # the figures' module loads matplotlib

    parameters = manifest.get("parameters") or {}
    outlets = [o for o in manifest.get("outlets") or [] if isinstance(o, Mapping)]
    articles = [int(o["articles"]) for o in outlets if o.get("articles") is not None]
    found = []
    singles = sum(n == 1 for n in articles)
    if articles and singles == len(articles):
        found.append(
            "One article per outlet: these figures describe "
            + (
                "one article, not its outlet."
                if singles == 1
                else f"{singles:,} articles, not {singles:,} outlets."
            )
        )
    elif singles:
        found.append(
            f"{how_many(singles, len(articles)).capitalize()} "
            f"{'has' if singles == 1 else 'have'} a single article: for "
            f"{'it' if singles == 1 else 'them'}, the figures describe an article, not an "
            "outlet."
        )
    found += interval_limits(manifest, outlets, term)
    groups = parameters.get("groups")
    if groups:
        least = code_default(manifest, None, "min_clusters")
        table = run_table(out_dir, "group_measures", manifest, columns=["group", "n_units"])
        if least is not None and table is not None and len(table):
            per_group = table.groupby(table["group"].astype(str))["n_units"].max()
            few = int((per_group < int(least)).sum())
            if few:
                found.append(
                    f"Groups of outlets have an interval only from {int(least):,} outlets in "
                    f"the group: here {counted(few, 'group')} of {len(per_group):,} "
                    f"{'has' if few == 1 else 'have'} fewer."
                )
    words = parameters.get("distinctive_words")
    if words and words.get("skipped"):
        found.append(
            f"No {term('distinctive words', 'distinctive word')} were computed: "
            f"{html.escape(str(words['skipped']))}."
        )
    elif words:
        unit = UNIT_PLURALS.get(str(words.get("test_unit")), "outlets")
        tested = term("tested", "Fisher's exact test", "significant")
        untested = untested_groups(manifest, out_dir)
        if untested is not None and untested[0]:
            names, compared = untested
            if len(names) == compared:
                found.append(
                    f"No word could be {tested}: the "
                    f"test needs at least {MIN_UNITS_TEST} {unit} in each group, so the word "
                    "figures show candidates to read in context, not findings."
                )
            else:
                named = (
                    ": " + listed([html.escape(n) for n in names])
                    if len(names) <= MAX_OUTLETS_NAMED
                    else ""
                )
                found.append(
                    f"The words of {counted(len(names), 'group')} could not be "
                    f"{tested} (the test needs at least "
                    f"{MIN_UNITS_TEST} {unit} in each group){named}."
                )
        if str(words.get("group_by")) == "outlet" and articles:
            compared = [g for g in str(words.get("groups") or "").split("; ") if g]
            if compared and len(compared) < len(articles):
                found.append(
                    f"Distinctive words compare only the {len(compared):,} outlets with the "
                    f"most articles, of {len(articles):,}."
                )
    if len(articles) > MAX_OUTLETS:
        found.append(
            f"Only the {MAX_OUTLETS} outlets with the most articles are shown in the figures, "
            f"of {len(articles):,}; the tables have every outlet."
        )
    tone = parameters.get("tone") or {}
    voices = parameters.get("voices") or {}
    actors = Path(str((tone.get("actors") or {}).get("path") or "")).name
    speakers = Path(str(voices.get("speakers") or "")).name
    seed_lists = [name for name in (actors, speakers) if name in SEED_STORY_LISTS]
    if seed_lists:
        who = (
            f"{term('Actors', 'actor')} and {term('speakers', 'speaker')}"
            if len(seed_lists) == 2
            else term("Actors", "actor")
            if actors in seed_lists
            else term("Speakers", "speaker")
        )
        found.append(
            f"{who} come from the seed story's lists ("
            + listed([f"<code>{html.escape(n)}</code>" for n in seed_lists])
            + "): on another story, people not on them are missed or counted as unknown."
        )
    if speakers == GENERIC_SPEAKER_LIST:
        found.append(
            f"{term('Speakers', 'speaker')} are sorted into kinds by role words only "
            f"(<code>{html.escape(speakers)}</code>): anyone quoted without such a word is "
            "unknown."
        )
    frames = parameters.get("frames")
    if frames:
        negation = (
            " (right after “not” or “no” it is counted apart)"
            if frames.get("negation")
            else ", even right after “not”"
        )
        text = (
            f"{term('Frame', 'frame')} scores are counts of the "
            f"{term('dictionary', 'frame dictionary')}'s words "
            f"{term('per 1,000 words', 'rate per 1,000 words')}, not readings "
            f"of meaning: a word counts wherever it appears{negation}."
        )
        about = frames.get("description") or {}
        if about.get("intended_use"):
            name = about.get("name") or frames.get("dictionary")
            text += (
                f" What the dictionary <code>{html.escape(str(name))}</code> is for, in its "
                f"own words: “{html.escape(' '.join(str(about['intended_use']).split()))}”"
            )
        found.append(text)
    if tone:
        found.append(
            f"{term('Tone', 'tone')} is {term('VADER')}'s reading of the words, not of their "
            "meaning: irony, sarcasm and who is speaking are not understood"
            + (
                f"; the tone near an {term('actor')} is the tone of the sentences naming it, "
                "not necessarily toward it."
                if tone.get("actors")
                else "."
            )
        )
    if voices:
        found.append(
            f"{term('Quotes', 'quote', 'quotation')} and their speakers are found by "
            "patterns: some are missed or credited to the wrong speaker."
        )
    return [Markup(line) for line in found]
