"""The methods text's section on frames (dictionary counts and their intervals)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from analysis.report.methods.intervals import interval_text, ratio_interval_text
from analysis.report.methods.prose import Citations, code_span, counted, literal
from analysis.report.references import DICTIONARY_REFERENCES


def frames_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Frames`` section: the dictionary, how its patterns were matched and the
    outlets' rates with their intervals, as lines of Markdown."""
    frames = manifest.get("parameters", {}).get("frames")
    if not frames:
        return ["## Frames", "", "Frame parameters are not recorded in the manifest.", ""]
    about = frames.get("description") or {}
    name = about.get("name") or frames.get("dictionary")
    text = f"Frames were counted with the dictionary {code_span(name)}"
    if frames.get("dictionary") and Path(str(frames["dictionary"])).suffix:
        text += f" (file {code_span(Path(str(frames['dictionary'])).name)}"
        text += f", SHA-256 `{frames['sha256'][:12]}…`)" if frames.get("sha256") else ")"
    if about.get("categories") is not None:
        text += (
            f": {counted(about['categories'], 'category', 'categories')}, "
            f"{counted(about.get('patterns', 0), 'pattern')}"
            + (", weighted" if about.get("weighted") else "")
        )
    text += "."
    reference = DICTIONARY_REFERENCES.get(str(name))
    if reference:
        cite(reference)
    if about.get("source"):
        text += f" Source: {literal(about['source'])}"
        text += "" if text.endswith(".") else "."
    if about.get("licence"):
        text += f" Licence: {literal(about['licence'])}."
    if about.get("intended_use"):
        text += f" Intended use: {literal(about['intended_use'])}"
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
            + ratio_interval_text(manifest, frames, "sentences", "min_units_ratio", cite)
            + " Sentences of one article are not independent, so this interval describes "
            "these articles, not the outlet, and is too narrow for claims about the outlet."
        )
    else:
        rollup = {
            "article": "the mean of its articles' rates (each article weighs the same)",
        }.get(unit, "a summary rate (unit not recorded)")
        text += f" Per outlet: {rollup}, with " + interval_text(manifest, frames, unit, cite)
    return ["## Frames", "", text, ""]
