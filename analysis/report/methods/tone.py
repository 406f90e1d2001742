"""The methods text's section on tone (VADER scores, their summaries and intervals)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from analysis.report.methods.intervals import interval_text, lede_difference_text
from analysis.report.methods.prose import Citations, code_span, counted, literal


def tone_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Tone`` section: the scorer, the thresholds, the summaries per article and
    outlet with their intervals, and the tone near actors, as lines of Markdown."""
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
    }.get(quote, f"Quotation-mark handling: {literal(quote) if quote else 'not recorded'}.")
    implementation = tone.get("implementation")
    if implementation and str(implementation).startswith("nltk"):
        scorer = (
            f"in nltk{nltk_version}'s implementation with the lexicon file shipped in "
            f"vaderSentiment{vader_version}, read offline ({literal(implementation)}); "
            "vaderSentiment's own scorer, a different implementation with different scores, "
            "was not used"
        )
    else:
        scorer = f"implementation: {literal(implementation) if implementation else 'not recorded'}"
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
        + interval_text(manifest, tone, unit, cite)
        + (lede_difference_text(manifest, tone, cite) if unit == "sentence" else "")
        + (
            f" Tone along the article: sentences in {counted(bins, 'equal position bin')}."
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
            f"(whole-word aliases from {code_span(Path(actors['path']).name)}"
            + (f", SHA-256 `{digest[:12]}…`" if digest else "")
            + "); this is the tone of the sentence, not necessarily toward the actor."
        )
    else:
        lines.append("Tone toward actors was not computed (no actor file).")
    return [*lines, ""]
