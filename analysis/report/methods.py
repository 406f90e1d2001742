"""A methods section in Markdown, written from a run's recorded parameters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from analysis import segment, stats, terms, tokens
from analysis.report.manifest import complete_manifest
from analysis.report.references import DICTIONARY_REFERENCES, REFERENCES

FDR_METHODS = {"bh": "Benjamini–Hochberg", "by": "Benjamini–Yekutieli"}

_SENTENCE_SPLITTER = (
    "nltk's Punkt algorithm, untrained, with a list of {n} news abbreviations, then rules "
    "that rejoin a piece starting in lower case, return a stranded closing quotation mark, "
    "keep a social-media post's signature with the post and split after an initialism "
    "followed by a sentence opener"
)


def _installed_version() -> str | None:
    try:
        return metadata.version("framing-analysis")
    except metadata.PackageNotFoundError:
        return None


RATIO_INTERVAL = "linearised ratio (HC2, Student's t, log scale for rates)"
"""The interval of a pooled ratio (:func:`analysis.stats.ratio_ci`), as the manifest names it."""
DIFFERENCE_INTERVAL = "symmetric studentized bootstrap"
"""The interval of a difference of means (:func:`analysis.stats.difference_ci`)."""
WELCH_INTERVAL = "Welch's t"
"""The difference interval of earlier versions, as their manifests name it."""


def code_parameters() -> dict[str, str | int]:
    """Settings fixed in the code, not chosen per run, that the methods text reports.

    A run records them as ``manifest["parameters"]["methods"]``, so the text written from
    an old manifest stays true after the code changes: the tokenizer's ``token_pattern``,
    the ``sentence_splitter``, the ``stop_words_source``, the ``interval`` method of a
    mean, the ``ratio_interval`` of a pooled ratio, the ``difference_interval``, the
    fewest units each interval is reported for (``min_units_mean``, ``min_units_ratio``,
    ``min_clusters``, ``min_units_difference``) and the ``fdr`` method of the q-values.
    """
    return {
        "token_pattern": tokens.TOKEN_PATTERN,
        "sentence_splitter": _SENTENCE_SPLITTER.format(n=len(segment.NEWS_ABBREVIATIONS)),
        "stop_words_source": (
            f"scikit-learn's English list plus {len(terms.NEWS_STOP_WORDS)} news words"
        ),
        "interval": stats.INTERVAL_METHOD,
        "ratio_interval": RATIO_INTERVAL,
        "difference_interval": DIFFERENCE_INTERVAL,
        "min_units_mean": stats.MIN_UNITS_MEAN,
        "min_units_ratio": stats.MIN_UNITS_RATIO,
        "min_clusters": stats.MIN_CLUSTERS,
        "min_units_difference": stats.MIN_UNITS_DIFFERENCE,
        "fdr": "bh",
    }


def _code_default(manifest: Mapping, recorded, key: str):
    """A setting of the code: ``recorded`` in its section, else in
    ``parameters.methods``, else from the installed package when the manifest was written
    by the same package version (the code that ran), else None (not recorded)."""
    if recorded is not None:
        return recorded
    methods = (manifest.get("parameters") or {}).get("methods") or {}
    if methods.get(key) is not None:
        return methods[key]
    if manifest.get("versions", {}).get("framing-analysis") == _installed_version():
        return code_parameters()[key]
    return None


def _md(value) -> str:
    """A value as literal Markdown text: one line, with the characters that Markdown would
    read as markup or raw HTML (``\\ * ` < > [ ]``) backslash-escaped."""
    text = " ".join(str(value).split())
    return re.sub(r"([\\*`<>\[\]])", r"\\\1", text)


def _count(n, word: str, plural: str | None = None) -> str:
    n = int(n)
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


class _Cites:
    """Collects the references a text cites, in order of first citation."""

    def __init__(self):
        self.keys: list[str] = []
        self.explained: set[str] = set()  # methods described in full once, then named

    def first(self, method: str) -> bool:
        """True the first time ``method`` is described in this text."""
        found = method not in self.explained
        self.explained.add(method)
        return found

    def __call__(self, *keys: str) -> str:
        for key in keys:
            if key not in self.keys:
                self.keys.append(key)
        return ""


def _code(value) -> str:
    """A value as a Markdown code span (as escaped text when it holds a backtick)."""
    text = " ".join(str(value).split())
    return f"`{text}`" if "`" not in text else _md(text)


MAX_OUTLETS_LISTED = 12
"""The methods text names the outlets with the most articles, up to this many."""


def _corpus_section(manifest: Mapping) -> list[str]:
    counts = manifest.get("counts", {})
    source = manifest.get("input", {}).get("source")
    files = manifest.get("input", {}).get("files") or []
    where = _code(source) if source else "source not recorded"
    if files:
        where += f", {_count(len(files), 'input file')} with SHA-256 digests in the manifest"
    text = (
        f"The corpus ({where}) had {_count(counts.get('input_rows', 0), 'input')}: "
        f"{_count(counts.get('articles', 0), 'article')} were analysed and "
        f"{counts.get('rejected', 0):,} rejected"
    )
    rejections = manifest.get("rejections") or {}
    if rejections:
        reasons = sorted(rejections.items(), key=lambda item: (-item[1], str(item[0])))
        text += " (" + "; ".join(f"{_md(reason)}: {n:,}" for reason, n in reasons) + ")"
    text += (
        f"; {_count(counts.get('repairs', 0), 'repair')} "
        f"(encoding fallbacks, unparseable dates kept as missing, ...) are listed in the "
        f"`repairs` table."
    )
    outlets = manifest.get("outlets")
    if outlets:
        ranked = sorted(outlets, key=lambda row: (-row["articles"], str(row["outlet"])))
        listed = [
            f"{_md(row['outlet'])} ({_count(row['articles'], 'article')})"
            for row in ranked[:MAX_OUTLETS_LISTED]
        ]
        if len(ranked) > MAX_OUTLETS_LISTED:
            rest = ranked[MAX_OUTLETS_LISTED:]
            listed.append(
                f"{_count(len(rest), 'other outlet')} with "
                f"{_count(sum(row['articles'] for row in rest), 'article')} (listed in the "
                "manifest)"
            )
        text += f" {_count(len(outlets), 'outlet')}: {_join(listed)}."
    mapping = manifest.get("input", {}).get("column_mapping") or {}
    named = [
        f"{role} = {_code(col)}" for role, col in mapping.items() if col and role != "dayfirst"
    ]
    if named:
        text += f" Columns: {', '.join(named)}."
    if mapping.get("dayfirst"):
        text += " Numeric dates were read day first (D/M/Y)."
    return ["## Corpus", "", text, ""]


def _text_section(manifest: Mapping, cite: _Cites) -> list[str]:
    counts = manifest.get("counts", {})
    pattern = _code_default(manifest, None, "token_pattern")
    splitter = _code_default(manifest, None, "sentence_splitter")
    lines = ["## Text processing", ""]
    lines.append(
        "News boilerplate (link lines, media captions, sign-offs, author notes, URLs) was "
        f"removed by pattern rules; {counts.get('cleaning_removals', 0):,} removals are listed "
        "in the `clean_audit` table."
        + (
            f" Texts were split into {_count(counts['sentences'], 'sentence')} with {splitter} "
            f"(Kiss & Strunk 2006{cite('kiss2006')}; Bird et al. 2009{cite('bird2009')}); "
            "each sentence's voice (narrative, quotation, embedded social-media post) was "
            "assigned by rules over quotation marks and post signatures."
            if splitter and "sentences" in counts
            else " The sentence splitter is not recorded in the manifest."
        )
    )
    lines.append("")
    lines.append(_tokenizer_text(pattern))
    return [*lines, ""]


TOKENIZER_TEXT = (
    "Every word count used one tokenizer, a regular expression. A word is a run of letters, "
    "digits and underscores in any script (with their accents and vowel signs), which may hold "
    "apostrophes and hyphens between its letters (“don't”, “co-operation”). Numbers keep "
    "their decimal and thousands separators (“3.5”, “33,000”); hashtags and @handles are "
    "kept whole (“#HangAyazNizami”, “@Jack”), and dotted initialisms such as “U.S.” keep "
    "their dots. Punctuation and emoji are not words. The exact pattern is recorded in the "
    "manifest (`token_pattern`)."
)
"""The tokenizer in plain words (:data:`analysis.tokens.TOKEN_PATTERN`, which it describes:
docs/methods.md has the pattern itself)."""

MAX_PATTERN_SHOWN = 120
"""A recorded tokenizer pattern that is not this version's is printed when it is at most
this long and every character in it is visible (no combining mark, control or odd space:
this version's, with every combining mark listed, runs to well over a thousand)."""


def _tokenizer_text(pattern) -> str:
    """The tokenizer a run recorded: in plain words when it is this version's pattern, else
    said to differ (and printed when short)."""
    if not pattern:
        return "The tokenizer is not recorded in the manifest."
    if pattern == tokens.TOKEN_PATTERN:
        return TOKENIZER_TEXT
    text = (
        "Every word count used one regular-expression tokenizer, not the one of this "
        "version of the package; its exact pattern is recorded in the manifest "
        "(`token_pattern`)"
    )
    shown = str(pattern)
    visible = all(c == " " or unicodedata.category(c)[0] not in "MCZ" for c in shown)
    if len(shown) <= MAX_PATTERN_SHOWN and visible:
        text += f": {_code(shown)}"
    return text + "."


def _interval_method(manifest: Mapping, section: Mapping) -> str | None:
    """The bootstrap interval method recorded in ``section``, else the code's default."""
    return _code_default(manifest, section.get("interval"), "interval")


UNIT_PLURALS = {"article": "articles", "sentence": "sentences", "quote": "quotes"}


def _level(confidence) -> str:
    """``95% `` for a recorded confidence level, else nothing."""
    return f"{confidence * 100:g}% " if confidence is not None else ""


def _resampling_details(unit, section: Mapping) -> list[str]:
    n_resamples, seed = section.get("n_resamples"), section.get("seed")
    if unit in UNIT_PLURALS:
        found = [f"resampling {UNIT_PLURALS[unit]}"]
    elif unit:
        found = [f"resampling unit: {_md(unit)}"]
    else:
        found = ["resampling unit not recorded"]
    found.append(
        f"{n_resamples:,} resamples" if n_resamples is not None else "resamples not recorded"
    )
    found.append(f"seed {seed}" if seed is not None else "seed not recorded")
    return found


def _interval_text(manifest: Mapping, section: Mapping, unit, cite: _Cites) -> str:
    """The interval of a mean over ``unit``s: the studentized bootstrap from the fewest
    units recorded, or, for a run of an older version, the bootstrap method it recorded."""
    method = _interval_method(manifest, section)
    confidence = section.get("confidence")
    details = ", ".join(_resampling_details(unit, section))
    units = UNIT_PLURALS.get(unit, "units")
    if method == stats.INTERVAL_METHOD:
        minimum = _code_default(manifest, section.get("min_units"), "min_units_mean")
        if not cite.first("bootstrap-t"):
            text = (
                f"{_level(confidence)}studentized bootstrap (bootstrap-t) intervals as above; "
                f"{details}; "
                + (
                    f"reported from {minimum} {units} (missing below)"
                    if minimum is not None
                    else "fewest units not recorded"
                )
            )
        else:
            tail = f"{(1 - confidence) * 50:g}%" if confidence is not None else "tail"
            text = (
                f"{_level(confidence)}studentized bootstrap (bootstrap-t) intervals (Efron & "
                f"Tibshirani 1993{cite('efron1993')}, ch. 12.5): each resample draws the "
                f"{units} with replacement and gives t\\* = (mean\\* − mean) / se\\*, and the "
                "interval runs from mean − t\\*_upper × se to mean − t\\*_lower × se, with "
                f"t\\*_lower and t\\*_upper the lower and upper {tail} points of t\\* and se "
                f"the standard error of the mean; {details}. Each outlet draws from its own "
                "random stream (numpy's `SeedSequence` of the seed and the outlet's name, "
                "shared by the measures summarised together), so an outlet's interval does "
                "not depend on the other outlets or their order"
            )
            if minimum is not None:
                text += (
                    f". An interval is reported only from {minimum} {units}: with fewer, or "
                    "when the resamples leave it unbounded (very few non-zero values), it is "
                    "reported as missing, because no interval method reached 93–97% coverage "
                    "of skewed or bursty values with fewer units in simulation"
                )
            else:
                text += ". The fewest units an interval is reported for is not recorded"
    else:
        parts = [_level(confidence).strip(), str(method) if method else ""]
        text = (
            " ".join([part for part in parts if part] + ["bootstrap intervals"])
            + f" (`scipy.stats.bootstrap`; Efron & Tibshirani 1993{cite('efron1993')}; "
            f"Virtanen et al. 2020{cite('virtanen2020')}"
            + ("" if method else "; interval method not recorded")
            + f"), {details}"
        )
        if unit == "article":
            text += (
                "; each article is one unit, so an outlet with fewer than two articles has "
                "no interval (reported as missing)"
            )
    if unit == "sentence":
        text += ". " + stats.SENTENCE_CAVEAT.rstrip(".")
    return text + "."


def _ratio_interval_text(
    manifest: Mapping, section: Mapping, units: str, minimum_key: str, cite: _Cites
) -> str:
    """The interval of a pooled ratio over ``units`` (a plural: articles, outlets)."""
    method = _code_default(manifest, section.get("ratio_interval"), "ratio_interval")
    confidence = section.get("confidence")
    if method != RATIO_INTERVAL:
        details = _resampling_details(None, section)[1:]
        return (
            f"{_level(confidence)}intervals over the {units} (method "
            + (_md(method) if method else "not recorded")
            + f"; {', '.join(details)})."
        )
    minimum = _code_default(manifest, None, minimum_key)
    if not cite.first("ratio"):
        return (
            f"{_level(confidence)}linearised ratio intervals over the {units} as above (no "
            "resamples, no seed), "
            + (
                f"reported from {minimum} {units} (missing below)."
                if minimum is not None
                else f"fewest {units} not recorded."
            )
        )
    text = (
        f"{_level(confidence)}linearised intervals over the {units}. Such an interval uses "
        f"the ratio estimator's standard error (Cochran 1977{cite('cochran1977')}), from "
        "each unit's residual y − R x (R the pooled ratio, y and x the unit's two sums), "
        "with the HC2 small-sample correction (each squared residual divided by 1 − x / Σx; "
        f"Bell & McCaffrey 2002{cite('bell2002')}), and Student's t with one degree of "
        f"freedom fewer than the {units}. For a rate (no negative numerator) it is computed "
        "on the log scale, so that it stays above zero and follows the rate's skew, else on "
        "the ratio's own scale. The interval is computed, not resampled, so no resamples or "
        "seed enter it"
    )
    if minimum is not None:
        text += (
            f". It is reported only from {minimum} {units}, and as missing below that, "
            "where it did not reach 93–97% coverage in simulation"
        )
    else:
        text += f". The fewest {units} it is reported for is not recorded"
    return text + "."


def _lede_difference_text(manifest: Mapping, section: Mapping, cite: _Cites) -> str:
    """The interval of the lede minus the rest when sentences are the units: the symmetric
    studentized bootstrap, or, for a run of an older version, the method it recorded."""
    method = _code_default(manifest, None, "difference_interval")
    minimum = _code_default(manifest, None, "min_units_difference")
    tail = (
        f", reported from {minimum} sentences on each side (missing below)."
        if minimum is not None
        else "."
    )
    if method == WELCH_INTERVAL:
        return (
            f" The lede minus the rest is the difference of two sentence means, with Welch's t "
            f"interval (unequal variances; Welch 1947{cite('welch1947')})" + tail
        )
    if method != DIFFERENCE_INTERVAL:
        return (
            " The lede minus the rest is the difference of two sentence means, with "
            + (
                f"the interval method {_md(method)}"
                if method
                else "an interval method not recorded"
            )
            + tail
        )
    confidence = section.get("confidence")
    point = f"{confidence * 100:g}%" if confidence is not None else "confidence-level"
    details = ", ".join(_resampling_details(None, section)[1:])
    text = (
        " The lede minus the rest is the difference d of two sentence means, with a "
        f"{_level(confidence)}symmetric studentized bootstrap interval (Hall "
        f"1988{cite('hall1988')}): the lede sentences and the other sentences are resampled "
        "each on their own, each resample's difference d\\* is studentized by its standard "
        "error for unequal variances, t\\* = (d\\* − d) / se\\* with se = √(s_a² / n_a + "
        f"s_b² / n_b) (Welch 1947{cite('welch1947')}), and the interval is d ± c × se, with c "
        f"the {point} point of |t\\*|; {details}, from a random stream of the "
        "outlet's own"
    )
    if minimum is not None:
        text += (
            f". It is reported only from {minimum} sentences on each side, and as missing "
            "below that: in simulation it reached 93–97% coverage there, while Welch's t "
            "interval and the equal-tailed bootstrap-t did not with 10 to 30 a side"
        )
    else:
        text += ". The fewest sentences on each side it is reported for is not recorded"
    return text + "."


def _tone_section(manifest: Mapping, cite: _Cites) -> list[str]:
    tone = manifest.get("parameters", {}).get("tone")
    if not tone:
        return ["## Tone", "", "Tone parameters are not recorded in the manifest.", ""]
    versions = manifest.get("versions", {})
    nltk_version = f" {versions['nltk']}" if "nltk" in versions else ""
    vader_version = f" {versions['vaderSentiment']}" if "vaderSentiment" in versions else ""
    quote = tone.get("quote_marks")
    quote_text = {
        "keep": "Sentences were scored as given (nltk's exact scores; a word directly "
        'followed by punctuation and a quotation mark, such as `disaster,"`, is then not '
        "found in the lexicon).",
        "drop": "Double quotation marks were removed before scoring (they carry no valence "
        "in VADER), so that words directly followed by punctuation and a quotation mark are "
        "found in the lexicon; scores then differ from nltk's for those sentences.",
    }.get(quote, f"Quotation-mark handling: {_md(quote) if quote else 'not recorded'}.")
    implementation = tone.get("implementation")
    if implementation and str(implementation).startswith("nltk"):
        scorer = (
            f"in nltk{nltk_version}'s implementation with the lexicon file shipped in "
            f"vaderSentiment{vader_version}, read offline ({_md(implementation)}); "
            "vaderSentiment's own scorer, a different implementation with different scores, "
            "was not used"
        )
    else:
        scorer = f"implementation: {_md(implementation) if implementation else 'not recorded'}"
    lines = ["## Tone", ""]
    lines.append(
        f"Each sentence was scored with VADER (Hutto & Gilbert 2014{cite('hutto2014')}), "
        f"{scorer}. {quote_text} A sentence counts as negative when its compound score is at "
        f"most {tone.get('negative_threshold', 'not recorded')} and positive when at least "
        f"{tone.get('positive_threshold', 'not recorded')}."
    )
    lines.append("")
    bins = tone.get("position_bins")
    unit = tone.get("resampling_unit")
    rollup = {
        "article": "the mean of its articles' values (each article weighs the same)",
        "sentence": "the mean over all its sentences",
    }.get(unit, "a mean (unit not recorded)")
    lines.append(
        "Per article: the mean compound of all sentences and of each voice, the shares of "
        "negative and positive sentences, and the lede (first paragraph) against the rest. "
        f"Per outlet: {rollup}, with "
        + _interval_text(manifest, tone, unit, cite)
        + (_lede_difference_text(manifest, tone, cite) if unit == "sentence" else "")
        + (
            f" Tone along the article: sentences in {_count(bins, 'equal position bin')}."
            if bins
            else ""
        )
    )
    lines.append("")
    actors = tone.get("actors")
    if actors:
        digest = actors.get("sha256", "")
        lines.append(
            "Tone toward actors: the mean compound of the sentences that mention an actor "
            f"(whole-word aliases from {_code(Path(actors['path']).name)}"
            + (f", SHA-256 `{digest[:12]}…`" if digest else "")
            + "); this is the tone of the sentence, not necessarily toward the actor."
        )
    else:
        lines.append("Tone toward actors was not computed (no actor file).")
    return [*lines, ""]


def _frames_section(manifest: Mapping, cite: _Cites) -> list[str]:
    frames = manifest.get("parameters", {}).get("frames")
    if not frames:
        return ["## Frames", "", "Frame parameters are not recorded in the manifest.", ""]
    about = frames.get("description") or {}
    name = about.get("name") or frames.get("dictionary")
    text = f"Frames were counted with the dictionary {_code(name)}"
    if frames.get("dictionary") and Path(str(frames["dictionary"])).suffix:
        text += f" (file {_code(Path(str(frames['dictionary'])).name)}"
        text += f", SHA-256 `{frames['sha256'][:12]}…`)" if frames.get("sha256") else ")"
    if about.get("categories") is not None:
        text += (
            f": {_count(about['categories'], 'category', 'categories')}, "
            f"{_count(about.get('patterns', 0), 'pattern')}"
            + (", weighted" if about.get("weighted") else "")
        )
    text += "."
    reference = DICTIONARY_REFERENCES.get(str(name))
    if reference:
        cite(reference)
    if about.get("source"):
        text += f" Source: {_md(about['source'])}"
        text += "" if text.endswith(".") else "."
    if about.get("licence"):
        text += f" Licence: {_md(about['licence'])}."
    if about.get("intended_use"):
        text += f" Intended use: {_md(about['intended_use'])}"
        text += "" if text.endswith(".") else "."
    if frames.get("level") is not None:
        text += f" Nested categories were merged to depth {frames['level']}."
    text += (
        " Patterns were matched against lower-cased tokens with the possessive 's removed, "
        "phrases first (a phrase's words are not counted again)"
        + (
            "; a match with a negator among the three tokens before it was counted apart "
            "(as negated), not as a match, the negator's scope ending at clause punctuation "
            "(comma, semicolon, colon, dash, sentence end) and at a contrastive conjunction "
            "(but, however, yet, although, though, whereas)"
            if frames.get("negation")
            else "; negation was not handled (a negated mention counts as a match)"
        )
        + ". Rates are matches per 1,000 tokens."
    )
    unit = frames.get("resampling_unit")
    if unit == "sentence":
        text += (
            " Per outlet: its pooled rate (its matches per 1,000 of its tokens), with "
            + _ratio_interval_text(manifest, frames, "sentences", "min_units_ratio", cite)
            + " Sentences of one article are not independent, so this interval describes "
            "these articles, not the outlet, and is too narrow for claims about the outlet."
        )
    else:
        rollup = {
            "article": "the mean of its articles' rates (each article weighs the same)",
        }.get(unit, "a summary rate (unit not recorded)")
        text += f" Per outlet: {rollup}, with " + _interval_text(manifest, frames, unit, cite)
    return ["## Frames", "", text, ""]


def _words_section(manifest: Mapping, cite: _Cites) -> list[str]:
    words = manifest.get("parameters", {}).get("distinctive_words")
    if not words or words.get("skipped"):
        reason = (words or {}).get("skipped") or "fewer than two groups, or no term frequent enough"
        return ["## Distinctive words", "", f"Not computed ({_md(reason)}).", ""]
    fdr = _code_default(manifest, words.get("fdr"), "fdr")
    fdr_name = FDR_METHODS.get(fdr, fdr) if fdr else None
    fdr_text = (
        f"{fdr_name} q-values (`scipy.stats.false_discovery_control`, method {_code(fdr)}; "
        f"Benjamini & Hochberg 1995{cite('benjamini1995')})"
        if fdr
        else "q-values (false discovery rate method not recorded)"
    )
    stop_source = _code_default(manifest, words.get("stop_words_source"), "stop_words_source")
    groups = [g for g in str(words.get("groups", "")).split("; ") if g]
    ngram = words.get("ngram_max")
    prior, scale, variance = words.get("prior"), words.get("prior_scale"), words.get("variance")
    if prior == "corpus":
        prior_text = (
            f"the corpus prior, α_w = {scale:g} × the term's count in all compared groups pooled"
        )
    elif prior == "uniform":
        prior_text = "a uniform prior, α_w = 0.01 for every term"
    else:
        prior_text = f"the prior {_md(prior)} (scale {scale})"
    variance_text = {
        "full": "the full four-term variance",
        "approximate": "the paper's two-term approximate variance",
    }.get(variance, f"variance form {_md(variance)}")
    text = (
        f"Groups were the values of {_code(words.get('group_by'))}"
        + (f" ({_join([_md(g) for g in groups])})" if groups else "")
        + f", {_count(words.get('articles', 0), 'article')}. Terms: "
        + ("single words and two-word phrases" if ngram == 2 else "single words")
        + " (lower-cased, possessive 's removed, no number-only tokens"
        + (", no bigram across punctuation" if ngram == 2 else "")
        + f"), used at least {words.get('min_count')} times in the corpus "
        f"({_count(words.get('terms', 0), 'term')} kept); "
        + (
            f"{words['stop_words']:,} stop words ({_md(stop_source or 'list not recorded')}; "
            "Pedregosa et al. "
            f"2011{cite('pedregosa2011')}) were dropped"
            + (", and any bigram containing one" if ngram == 2 else "")
            if words.get("stop_words") is not None
            else "stop words: not recorded"
        )
        + ". Each group was compared with all the others pooled"
        + (f", and the pair {_md(words['pair'])} directly" if words.get("pair") else "")
        + "."
    )
    lines = ["## Distinctive words", "", text, ""]
    test_fdr_text = (
        "Holm's family-wise adjusted p-values (`analysis.stats.adjust_p`, method `holm`; "
        f"Holm 1979{cite('holm1979')})"
        if words.get("correction") == "holm"
        else fdr_text
    )
    lines.append(_word_test_text(words, test_fdr_text, cite))
    lines.append("")
    if words.get("test_unit") is None:  # a run before the unit test: its p and q pooled tokens
        lines.append(
            "Log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn "
            f"2008{cite('monroe2008')}) used {prior_text}, and {variance_text}; z = δ/σ, "
            f"two-sided normal p, and {fdr_text} over each comparison's terms. "
            "TF-IDF (scikit-learn's `TfidfTransformer`: smoothed idf, l2-normalised rows) was "
            "computed on each group's articles joined and as the mean of its articles' "
            "vectors. Keyness: Yates-corrected chi-squared and log-likelihood G2 on each "
            f"term's 2×2 table, with the same q-values, and the log ratio (Hardie "
            f"2014{cite('hardie2014')})."
        )
        return [*lines, ""]
    lines.append(
        "Effect sizes, which rank the terms but are not used to call them significant: "
        "log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn "
        f"2008{cite('monroe2008')}) used {prior_text}, and {variance_text}; z = δ/σ. Their "
        "two-sided normal p and Benjamini–Hochberg q over each comparison's terms are kept "
        "as `p_pooled_tokens` and `q_pooled_tokens`: like every test that pools a side's "
        "tokens, they treat each token as an independent draw, but words come in bursts "
        f"within articles (Lijffijt et al. 2016{cite('lijffijt2016')}), and with shuffled "
        "labels they still call many terms significant. TF-IDF (scikit-learn's "
        "`TfidfTransformer`: smoothed idf, l2-normalised rows) was computed on each group's "
        "articles joined and as the mean of its articles' vectors. Keyness, on each term's "
        "2×2 table of token counts: Yates-corrected chi-squared, log-likelihood G2 and the "
        f"log ratio (Hardie 2014{cite('hardie2014')}), reported as effect sizes without "
        "p-values."
    )
    return [*lines, ""]


def _word_test_text(words: Mapping, fdr_text: str, cite: _Cites) -> str:
    """The distinctive words' significance test, on the unit the run recorded."""
    unit = words.get("test_unit")
    if unit not in ("article", "outlet"):
        return "The unit of the significance test (`test_unit`) is not recorded in the " + (
            f"manifest ({_md(unit)})." if unit else "manifest."
        )
    units = UNIT_PLURALS.get(unit, "outlets")
    text = (
        f"Significance: for each term, the number of {units} that use it at least once was "
        f"compared between the two sides of each comparison with Fisher's exact test "
        f"(Fisher 1922{cite('fisher1922')}; Agresti 1992{cite('agresti1992')}), two-sided by "
        "doubling the smaller tail (at most 1); a side with fewer than two units has no p."
    )
    if unit == "outlet":
        text += (
            " The unit is the outlet, as the groups are sets of outlets: the articles of one "
            "outlet within a group are one unit, which uses a term when any of them does; "
            "with few outlets per group, or many outlets of one article, the test has little "
            "power."
        )
    else:
        text += " The unit is the article."
    text += (
        " Shuffling the units between the sides leaves the number using the term on one side "
        "hypergeometric, so this is the permutation test of the unit labels, computed "
        "exactly, and it holds whatever words do within a unit (repeats, bursts), which "
        f"tests that pool every token do not (Lijffijt et al. 2016{cite('lijffijt2016')}). "
        "It asks whether more of a group's units use the term, not how often they use it. "
        f"{fdr_text[0].upper() + fdr_text[1:]} were computed over one family: every term of "
        "every comparison of each group against the rest (`term_scores`), and, separately, "
        "the terms of the pair (`term_pair`)."
    )
    return text


def _voices_section(manifest: Mapping, cite: _Cites) -> list[str]:
    voices = manifest.get("parameters", {}).get("voices")
    if not voices:
        return []
    counts = manifest.get("counts", {})
    speakers = voices.get("speakers")
    digest = voices.get("speakers_sha256")
    text = "Quotations (direct quotes, reported speech and embedded posts) and their speakers "
    text += f"were found by {_md(voices.get('extraction') or 'a method not recorded')}"
    if "quotes" in counts:
        text += f" ({_count(counts['quotes'], 'quotation')})"
    if speakers:
        text += f"; speakers were named and categorised with {_code(Path(str(speakers)).name)}"
        text += f" (SHA-256 `{digest[:12]}…`)" if digest else ""
    text += "."
    if voices.get("scare_quote_max_words") is not None:
        words = voices["scare_quote_max_words"]
        text += (
            f" A direct quotation of at most {_count(words, 'word')} with no speaker counts "
            "as a scare quote."
        )
    text += (
        " Per outlet, each measure (quoted-word share, quotes, speakers, reported statements "
        "and scare quotes per 1,000 words, the share of quotes with a speaker, each speaker "
        "category's share of the voiced words) is a ratio of sums over the outlet's articles, "
        "so long articles weigh more, with "
        + _ratio_interval_text(manifest, voices, "articles", "min_units_ratio", cite)
        + " The tone of the quotes an outlet gives each speaker category is their mean "
        "compound, with "
        + _interval_text(manifest, voices, "quote", cite)
        + " The quotes of one article are not independent, so this interval is too narrow."
    )
    return ["## Voices", "", text, ""]


def _groups_section(manifest: Mapping, cite: _Cites) -> list[str]:
    found = manifest.get("parameters", {}).get("groups")
    if not found:
        return []
    groups = [_md(g) for g in found.get("groups") or []]
    text = (
        f"Tone, frames and voices were also summarised per value of {_code(found.get('group_by'))}"
        + (f" ({_join(groups)})" if groups else "")
        + ". Each estimate pools the group's articles: the mean of their values for tone and "
        "frame rates, the ratio of their summed counts for the voice measures. Its interval "
        "takes the outlets as the units, since articles of one outlet share its writers, "
        "editors and sources and are not independent: each outlet contributes two sums (of "
        "its articles' values and its number of articles, or of the voice measure's two "
        "counts), and the estimate is their pooled ratio, with "
        + _ratio_interval_text(manifest, found, "outlets", "min_clusters", cite)
    )
    return ["## Groups", "", text, ""]


def _software_section(manifest: Mapping) -> list[str]:
    versions = manifest.get("versions") or {}
    if not versions:
        return []
    listed = ", ".join(f"{_md(name)} {_md(version)}" for name, version in versions.items())
    return ["## Software", "", f"{listed}.", ""]


def methods_text(manifest: Mapping) -> str:
    """A methods section in Markdown, written from a run's recorded parameters.

    Parameters
    ----------
    manifest : mapping
        The content of a run's ``manifest.json``. Read: ``input`` (``source``, ``files``,
        ``column_mapping``), ``counts``, ``rejections``, ``outlets`` (per-outlet summary
        rows, optional), ``parameters.methods`` (:func:`code_parameters`),
        ``parameters.tone`` (``implementation``, thresholds, ``quote_marks``,
        ``resampling_unit``, ``n_resamples``, ``seed``, ``confidence``, ``interval``,
        ``position_bins``, ``actors``), ``parameters.frames`` (``dictionary``, ``sha256``,
        ``negation``, ``level``, ``description`` with ``name``, ``categories``,
        ``patterns``, ``weighted``, ``source``, ``licence``; ``resampling_unit``,
        ``n_resamples``, ``seed``, ``confidence``, ``interval``),
        ``parameters.distinctive_words`` (the ``term_settings`` row, with ``test_unit``;
        ``fdr``, ``stop_words_source``), ``parameters.voices`` (``speakers``, ``speakers_sha256``,
        ``extraction``, ``scare_quote_max_words``, resampling), ``parameters.groups``
        (``group_by``, ``groups``, resampling; when measures were summarised per group) and
        ``versions``.

    Returns
    -------
    str
        Markdown: ``# Methods``, one ``##`` section per step (corpus, text processing,
        tone, frames, distinctive words, voices and groups when recorded, software) and
        ``## References`` listing exactly
        the works cited.

    Notes
    -----
    Settings that are properties of the code rather than of the run (the tokenizer's
    pattern, described in words when it is this version's, the sentence splitter, the
    interval methods and the fewest units each is reported for, the FDR method, the
    stop-word list)
    are taken from the manifest when it records them, else from the installed package when
    the manifest was written by the same package version, else said to be not recorded.
    Settings of the run (resamples, seed, prior, dictionary, ...) come from the manifest
    only, and a missing one is said to be not recorded, never filled with a default.
    """
    cite = _Cites()
    lines = ["# Methods", ""]
    lines += _corpus_section(manifest)
    lines += _text_section(manifest, cite)
    lines += _tone_section(manifest, cite)
    lines += _frames_section(manifest, cite)
    lines += _words_section(manifest, cite)
    lines += _voices_section(manifest, cite)
    lines += _groups_section(manifest, cite)
    lines += _software_section(manifest)
    lines += ["## References", ""]
    lines += [f"- {REFERENCES[key]}" for key in sorted(cite.keys)]
    return "\n".join(lines) + "\n"


def write_methods(out_dir: str | Path, manifest: Mapping) -> Path:
    """Write :func:`methods_text` to ``out_dir/methods.md``, for ``manifest`` completed by
    :func:`complete_manifest` from the run's tables in ``out_dir``.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(out_dir) / "methods.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = methods_text(complete_manifest(manifest, out_dir))
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
