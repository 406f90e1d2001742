"""The opening of ``report.html``: what the report is, what each section shows, what its
numbers cannot show (generated from the run), and the glossary it ends with."""

from __future__ import annotations

import html
import inspect
import re
from collections.abc import Mapping
from pathlib import Path

from analysis import paths, stats
from analysis.report.manifest import run_table
from analysis.report.markdown import markdown_to_html, slug
from analysis.report.methods import (
    RATIO_INTERVAL,
    UNIT_PLURALS,
    _code_default,
    _interval_method,
)

GLOSSARY = paths.ROOT / "docs" / "glossary.md"
"""The glossary the page ends with: the repository's ``docs/glossary.md`` (an installed
wheel has none, and the page then says where to find it)."""

GLOSSARY_ANCHOR = "glossary-"
"""Prefix of the ids of the glossary's entries on the page."""

MAX_OUTLETS_NAMED = 6
"""The opening names the outlets when there are at most this many."""

MIN_UNITS_TEST = inspect.signature(stats.presence_test).parameters["min_units"].default
"""Fewest units (articles, or outlets) on each side for a word to be tested."""

SEED_STORY_LISTS = ("actors_pakistan_2017.yml", "speakers_pakistan_2017.yml")
"""The actor and speaker files written for the seed story alone."""

GENERIC_SPEAKER_LIST = "speaker_categories.yml"
"""The speaker file that names no one and sorts speakers by role words only."""

FIGURE_TOPICS = {
    "corpus_overview": "corpus",
    "frame_salience": "frames",
    "frame_profile": "frames",
    "frame_top_terms": "frames",
    "distinctive_terms": "words",
    "fightin_words": "words",
    "tfidf_heatmap": "words",
    "tone_by_voice": "tone",
    "tone_along_article": "tone",
    "actor_tone_heatmap": "tone",
    "who_speaks": "voices",
    "scare_quotes": "voices",
    "quote_tone": "voices",
    "group_measures": "groups",
}
"""The topic of each figure, for the opening's list of sections."""

TOPIC_TITLES = {
    "corpus": "The corpus",
    "frames": "Frames",
    "words": "Distinctive words",
    "tone": "Tone",
    "voices": "Voices",
    "groups": "Groups",
    "other": "Other figures",
}


def read_glossary(path: str | Path | None = None) -> str | None:
    """The glossary's Markdown (:data:`GLOSSARY` unless ``path``), or None when absent."""
    path = Path(path) if path is not None else GLOSSARY
    return path.read_text(encoding="utf-8") if path.is_file() else None


def glossary_entries(text: str | None) -> dict[str, str]:
    """Each term the glossary explains, in lower case -> the id of its entry on the page.

    An entry ``## confidence interval (CI)`` is found as "confidence interval (ci)",
    "confidence interval" and "ci"; ``## q-value / q`` as "q-value" and "q".
    """
    found: dict[str, str] = {}
    for line in (text or "").splitlines():
        heading = re.match(r"##\s+(.*\S)", line)
        if not heading or line.startswith("###"):
            continue
        title = heading.group(1)
        anchor = GLOSSARY_ANCHOR + slug(title)
        names = [title, re.sub(r"\s*\(.*?\)", "", title), *re.findall(r"\((.*?)\)", title)]
        for name in list(names):
            names += re.split(r"\s*/\s*|,\s+|;\s*|\s+or\s+", name)
        for name in names:
            key = " ".join(name.lower().replace("*", "").replace("`", "").split())
            if key:
                found.setdefault(key, anchor)
    return found


class _Terms:
    """Writes a word as a link to its glossary entry, in italics, at its first use when the
    glossary has it; else (and at later uses) as plain escaped text."""

    def __init__(self, entries: Mapping[str, str]):
        self.entries = entries
        self.used: list[str] = []

    def __call__(self, word: str, *also: str) -> str:
        """``word``, linked to the first of ``word`` and ``also`` the glossary explains."""
        for key in (word, *also):
            anchor = self.entries.get(key.lower())
            if anchor in self.used:
                break
            if anchor:
                self.used.append(anchor)
                return f'<a href="#{html.escape(anchor)}"><em>{html.escape(word)}</em></a>'
        return html.escape(word)


def _n(count, word: str, plural: str | None = None) -> str:
    count = int(count)
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def _and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _corpus_sentence(manifest: Mapping, term: _Terms) -> str:
    """The corpus in one sentence (and the rejected inputs in a second), as HTML."""
    counts = manifest.get("counts") or {}
    outlets = manifest.get("outlets") or []
    n_articles = counts.get("articles", sum(int(o.get("articles") or 0) for o in outlets))
    text = f"This report describes {n_articles:,} " + term(
        "article" if n_articles == 1 else "articles", "article"
    )
    if outlets:
        text += f" from {len(outlets):,} " + term(
            "outlet" if len(outlets) == 1 else "outlets", "outlet"
        )
    days = [
        str(o[key])[:10]
        for o in outlets
        for key in ("first_published", "last_published")
        if o.get(key)
    ]
    undated = sum(int(o.get("undated") or 0) for o in outlets)
    if days and min(days) == max(days):
        text += f", all dated {min(days)}" if not undated else f", dated {min(days)}"
    elif days:
        text += f", published between {min(days)} and {max(days)}"
    if days and undated:
        text += f" ({_n(undated, 'article')} without a date)"
    elif outlets and not days:
        text += " (none has a date)"
    if outlets and len(outlets) <= MAX_OUTLETS_NAMED:
        ranked = sorted(outlets, key=lambda o: str(o.get("outlet")))
        text += ": " + _and([html.escape(str(o.get("outlet"))) for o in ranked])
    text += "."
    groups = (manifest.get("parameters") or {}).get("groups")
    if groups:
        names = [str(g) for g in groups.get("groups") or []]
        text += (
            f" The outlets are also compared in {_n(len(names), 'group')} by "
            f"<code>{html.escape(str(groups.get('group_by')))}</code>"
            + (f": {_and([html.escape(g) for g in names])}." if names else ".")
        )
    rejected = int(counts.get("rejected") or 0)
    if rejected:
        text += (
            f" {_n(rejected, 'input')} could not be used and "
            f"{'is' if rejected == 1 else 'are'} left out (see "
            '<a href="#rejections">Rejected inputs</a>).'
        )
    return text


def _topic_lines(names: list[str], term: _Terms) -> list[str]:
    """One line per topic of the figures drawn, linking to its first figure."""
    text = {
        "corpus": lambda: "how much text each outlet has, and how much of it is quoted",
        "frames": lambda: f"how often each outlet uses the words of each {term('frame')}",
        "words": lambda: (
            "the words each outlet (or group) uses more than the others, and whether they "
            "passed the test"
        ),
        "tone": lambda: (
            f"how negative or positive the sentences are, by {term('voice')}, along the "
            f"article and near each {term('actor')}"
        ),
        "voices": lambda: (
            f"who is quoted, how much and in what tone, and {term('scare quotes', 'scare quote')}"
        ),
        "groups": lambda: "the same measures for each group of outlets",
        "other": lambda: "other figures",
    }
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(FIGURE_TOPICS.get(name, "other"), name)
    return [
        f'<a href="#{html.escape(name)}">{TOPIC_TITLES[topic]}</a>: {text[topic]()}'
        for topic, name in first.items()
    ]


def _sections_html(manifest: Mapping, names: list[str], term: _Terms) -> str:
    """The list of the page's sections, one plain line each, linking to them."""
    rejected = int((manifest.get("counts") or {}).get("rejected") or 0)
    lines = [
        '<a href="#corpus">Corpus</a>: the counts of this run, and for each outlet its '
        "articles, words and dates.",
        '<a href="#rejections">Rejected inputs</a>: '
        + (
            f"the {_n(rejected, 'input')} that could not be used, and why."
            if rejected
            else "none here: every input was used."
        ),
    ]
    if names:
        topics = "".join(f"<li>{line}.</li>" for line in _topic_lines(names, term))
        lines.append(
            f'<a href="#figures">Figures</a>: {_n(len(names), "figure")}, each with its '
            f"caption (written for a paper) and how to read it:\n<ul>{topics}</ul>"
        )
    else:
        lines.append('<a href="#figures">Figures</a>: none was drawn in this run.')
    lines += [
        '<a href="#methods">Methods</a>: how every number was computed, with references; '
        "a text to adapt for a paper (also saved as <code>methods.md</code>).",
        '<a href="#provenance">Inputs and software</a>: the input files with their '
        "SHA-256 fingerprints and the package versions, to check a rerun.",
        '<a href="#glossary">Words used in this report</a>: the glossary, plain '
        "explanations of the words in italics.",
    ]
    return (
        '<nav id="contents">\n<h2>What each section shows</h2>\n<ul>\n'
        + "\n".join(f"<li>{line}</li>" for line in lines)
        + "\n</ul>\n</nav>"
    )


def _how_many(few: int, total: int) -> str:
    """ "all 4 outlets", "the only outlet" or "3 of the 20 outlets"."""
    if few == total:
        return "the only outlet" if total == 1 else f"all {total:,} outlets"
    return f"{few:,} of the {total:,} outlets"


def _untested_groups(manifest: Mapping, out_dir: Path) -> tuple[list[str], int] | None:
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


def _interval_limits(manifest: Mapping, outlets: list[Mapping], term: _Terms) -> list[str]:
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
            and _interval_method(manifest, section) == stats.INTERVAL_METHOD
        ):
            means.append(label)
        elif section.get("resampling_unit") == "sentence":
            found.append(f"{label.capitalize()}: {html.escape(stats.SENTENCE_CAVEAT)}")
    counted = [int(o["articles"]) for o in outlets if o.get("articles") is not None]
    rules = []  # (for what, fewest articles, outlets with fewer)
    mean_minimum = _code_default(manifest, None, "min_units_mean")
    if means and mean_minimum is not None:
        measures = "" if len(means) == 2 else f" for {means[0]}"
        rules.append((measures, int(mean_minimum)))
    voices = parameters.get("voices") or {}
    ratio_minimum = _code_default(manifest, None, "min_units_ratio")
    ratio = _code_default(manifest, voices.get("ratio_interval"), "ratio_interval")
    if voices and ratio == RATIO_INTERVAL and ratio_minimum is not None:
        rules.append((" for the voice measures", int(ratio_minimum)))
    rules = [(what, least, sum(n < least for n in counted)) for what, least in rules]
    rules = [rule for rule in rules if rule[2]]
    if not rules:
        return found
    (what, least, few), *others = rules
    interval = term("confidence interval", "interval")
    text = f"No {interval}{what} where an outlet has fewer than {least:,} articles"
    text += "".join(f" ({other:,}{label})" for label, other, _ in others)
    text += f"; here: {_how_many(few, len(counted))}"
    text += "".join(f" ({_how_many(n, len(counted))}{label})" for label, _, n in others if n != few)
    found.append(
        text + ". A number without an interval is a single estimate: nothing says how far "
        "chance alone could have moved it."
    )
    return found


def _limits(manifest: Mapping, out_dir: Path, term: _Terms) -> list[str]:
    """What this run's numbers cannot show, one plain sentence (HTML) each; only the limits
    that apply to the run."""
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
            f"{_how_many(singles, len(articles)).capitalize()} "
            f"{'has' if singles == 1 else 'have'} a single article: for "
            f"{'it' if singles == 1 else 'them'}, the figures describe an article, not an "
            "outlet."
        )
    found += _interval_limits(manifest, outlets, term)
    groups = parameters.get("groups")
    if groups:
        least = _code_default(manifest, None, "min_clusters")
        table = run_table(out_dir, "group_measures", manifest, columns=["group", "n_units"])
        if least is not None and table is not None and len(table):
            per_group = table.groupby(table["group"].astype(str))["n_units"].max()
            few = int((per_group < int(least)).sum())
            if few:
                found.append(
                    f"Groups of outlets have an interval only from {int(least):,} outlets in "
                    f"the group: here {_n(few, 'group')} of {len(per_group):,} "
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
        untested = _untested_groups(manifest, out_dir)
        if untested is not None and untested[0]:
            names, compared = untested
            if len(names) == compared:
                found.append(
                    f"No word could be {tested}: the "
                    f"test needs at least {MIN_UNITS_TEST} {unit} in each group, so the word "
                    "figures show candidates to read in context, not findings."
                )
            else:
                listed = (
                    ": " + _and([html.escape(n) for n in names])
                    if len(names) <= MAX_OUTLETS_NAMED
                    else ""
                )
                found.append(
                    f"The words of {_n(len(names), 'group')} could not be "
                    f"{tested} (the test needs at least "
                    f"{MIN_UNITS_TEST} {unit} in each group){listed}."
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
            + _and([f"<code>{html.escape(n)}</code>" for n in seed_lists])
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
    return found


def _limits_html(limits: list[str]) -> str:
    if not limits:
        return ""
    return (
        '<aside class="limits" id="limits">\n<h2>What these numbers cannot show</h2>\n<ul>\n'
        + "\n".join(f"<li>{line}</li>" for line in limits)
        + "\n</ul>\n</aside>"
    )


def _glossary_html(text: str | None) -> str:
    """The glossary as the page's last section, or where to find it when it is absent."""
    parts = ['<section id="glossary">', "<h2>Words used in this report</h2>"]
    if text is None:
        parts.append(
            "<p>The words in italics are explained in the project's glossary, "
            "<code>docs/glossary.md</code> in its source repository (it is not installed "
            "with the package, so it could not be included here).</p>"
        )
    else:
        body = re.sub(r"\A\s*#\s[^\n]*\n", "", text)  # the glossary's own title
        parts.append(markdown_to_html(body, shift=1, anchors=GLOSSARY_ANCHOR))
    parts.append("</section>")
    return "\n".join(parts)
