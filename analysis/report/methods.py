"""A methods section in Markdown, written from a run's recorded parameters."""

from __future__ import annotations

import inspect
import re
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


def code_parameters() -> dict[str, str]:
    """Settings fixed in the code, not chosen per run, that the methods text reports.

    A run records them as ``manifest["parameters"]["methods"]``, so the text written from
    an old manifest stays true after the code changes: the tokenizer's ``token_pattern``,
    the ``sentence_splitter``, the ``stop_words_source``, the bootstrap ``interval`` method
    and the ``fdr`` method of the q-values.
    """
    return {
        "token_pattern": tokens.TOKEN_PATTERN,
        "sentence_splitter": _SENTENCE_SPLITTER.format(n=len(segment.NEWS_ABBREVIATIONS)),
        "stop_words_source": (
            f"scikit-learn's English list plus {len(terms.NEWS_STOP_WORDS)} news words"
        ),
        "interval": inspect.signature(stats.bootstrap_ci).parameters["method"].default,
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
    if pattern:
        lines.append(
            "Every word count used one regular-expression tokenizer (a token is a run of "
            "letters or digits with inner apostrophes and hyphens, a number with separators, "
            f"a dotted initialism, a hashtag or a handle): `{pattern}`."
        )
    else:
        lines.append("The tokenizer is not recorded in the manifest.")
    return [*lines, ""]


def _interval_method(manifest: Mapping, section: Mapping) -> str | None:
    """The bootstrap interval method recorded in ``section``, else the code's default."""
    return _code_default(manifest, section.get("interval"), "interval")


def _interval_text(unit, n_resamples, seed, confidence, method, cite: _Cites) -> str:
    parts = []
    if confidence is not None:
        parts.append(f"{confidence * 100:g}%")
    if method:
        parts.append(str(method))
    text = " ".join([*parts, "bootstrap intervals"]) + (
        f" (`scipy.stats.bootstrap`; Efron & Tibshirani 1993{cite('efron1993')}; "
        f"Virtanen et al. 2020{cite('virtanen2020')})"
    )
    details = []
    if unit in ("article", "sentence", "quote"):
        details.append(f"resampling {unit}s")
    elif unit:
        details.append(f"resampling unit: {_md(unit)}")
    details.append(
        f"{n_resamples:,} resamples" if n_resamples is not None else "resamples not recorded"
    )
    details.append(f"seed {seed}" if seed is not None else "seed not recorded")
    text += ", " + ", ".join(details)
    if unit == "article":
        text += (
            "; each article is one unit, so an outlet with fewer than two articles has no "
            "interval (reported as missing)"
        )
    elif unit == "sentence":
        text += ". " + stats.SENTENCE_CAVEAT.rstrip(".")
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
    method = _interval_method(manifest, tone)
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
        + _interval_text(
            unit,
            tone.get("n_resamples"),
            tone.get("seed"),
            tone.get("confidence"),
            method,
            cite,
        )
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
            "(as negated), not as a match"
            if frames.get("negation")
            else "; negation was not handled (a negated mention counts as a match)"
        )
        + ". Rates are matches per 1,000 tokens."
    )
    method = _interval_method(manifest, frames)
    rollup = {
        "article": "the mean of its articles' rates (each article weighs the same)",
        "sentence": "its pooled rate (its matches per 1,000 of its tokens)",
    }.get(frames.get("resampling_unit"), "a summary rate (unit not recorded)")
    text += f" Per outlet: {rollup}, with " + _interval_text(
        frames.get("resampling_unit"),
        frames.get("n_resamples"),
        frames.get("seed"),
        frames.get("confidence"),
        method,
        cite,
    )
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
        else "false discovery rate control (method not recorded)"
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
            f"{words['stop_words']:,} stop words ({_md(stop_source)}; Pedregosa et al. "
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
    lines.append(
        "Log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn "
        f"2008{cite('monroe2008')}) used {prior_text}, and {variance_text}; z = δ/σ, "
        f"two-sided normal p, and {fdr_text} over each comparison's terms. "
        "TF-IDF (scikit-learn's `TfidfTransformer`: smoothed idf, l2-normalised rows) was "
        "computed on each group's articles joined and as the mean of its articles' vectors. "
        "Keyness: Yates-corrected chi-squared and log-likelihood G2 on each term's 2×2 table, "
        f"with the same q-values, and the log ratio (Hardie 2014{cite('hardie2014')})."
    )
    return [*lines, ""]


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
    text += " Per outlet: " + _interval_text(
        voices.get("resampling_unit"),
        voices.get("n_resamples"),
        voices.get("seed"),
        voices.get("confidence"),
        _interval_method(manifest, voices),
        cite,
    )
    return ["## Voices", "", text, ""]


def _groups_section(manifest: Mapping, cite: _Cites) -> list[str]:
    found = manifest.get("parameters", {}).get("groups")
    if not found:
        return []
    groups = [_md(g) for g in found.get("groups") or []]
    confidence = found.get("confidence")
    text = (
        f"Tone, frames and voices were also summarised per value of {_code(found.get('group_by'))}"
        + (f" ({_join(groups)})" if groups else "")
        + ". Each estimate pools the group's articles: the mean of their values for tone and "
        "frame rates, the ratio of their summed counts for the voice measures. Its "
        + (f"{confidence * 100:g}% " if confidence is not None else "")
        + "percentile bootstrap interval (`scipy.stats.bootstrap`; Efron & Tibshirani "
        f"1993{cite('efron1993')}) resamples outlets, each with all its articles (a cluster "
        "bootstrap), "
        + (
            f"{found['n_resamples']:,} resamples"
            if found.get("n_resamples") is not None
            else "resamples not recorded"
        )
        + (f", seed {found['seed']}" if found.get("seed") is not None else ", seed not recorded")
        + ": articles of one outlet are not independent, and a group with fewer than two "
        "outlets has no interval."
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
        ``parameters.distinctive_words`` (the ``term_settings`` row, ``fdr``,
        ``stop_words_source``), ``parameters.voices`` (``speakers``, ``speakers_sha256``,
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
    pattern, the sentence splitter, the interval method, the FDR method, the stop-word list)
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
