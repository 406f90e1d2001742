"""The methods text's section on voices (quotations, speakers and their measures)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from analysis.report.methods.intervals import interval_text, ratio_interval_text
from analysis.report.methods.prose import Citations, code_span, counted, literal


def voices_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Voices`` section, or nothing when the run did not look for quotations."""
    voices = manifest.get("parameters", {}).get("voices")
    if not voices:
        return []
    counts = manifest.get("counts", {})
    speakers = voices.get("speakers")
    digest = voices.get("speakers_sha256")
    text = "Quotations (direct quotes, reported speech and embedded posts) and their speakers "
    text += f"were found by {literal(voices.get('extraction') or 'a method not recorded')}"
    if "quotes" in counts:
        text += f" ({counted(counts['quotes'], 'quotation')})"
    if speakers:
        text += f"; speakers were named and categorised with {code_span(Path(str(speakers)).name)}"
        text += f" (SHA-256 `{digest[:12]}…`)" if digest else ""
    text += "."
    if voices.get("scare_quote_max_words") is not None:
        words = voices["scare_quote_max_words"]
        text += (
            f" A direct quotation of at most {counted(words, 'word')} with no speaker counts "
            "as a scare quote."
        )
    text += (
        " Per outlet, each measure (quoted-word share, quotes, speakers, reported statements "
        "and scare quotes per 1,000 words, the share of quotes with a speaker, each speaker "
        "category's share of the voiced words) is a ratio of sums over the outlet's articles, "
        "so long articles weigh more, with "
        + ratio_interval_text(manifest, voices, "articles", "min_units_ratio", cite)
    )
    if voices.get("resampling_unit") == "article (quote tone: quote)":  # before 2026-12
        text += (
            " The tone of the quotes an outlet gives each speaker category is their mean "
            "compound, with "
            + interval_text(manifest, voices, "quote", cite)
            + " The quotes of one article are not independent, so this interval is too narrow."
        )
    else:
        text += (
            " The tone of the quotes an outlet gives each speaker category is their mean "
            "compound: the sum of their compounds over the number of quotes, pooled over "
            "the articles that hold them, so that the quotes of one article, which are not "
            "independent, count as one unit, with "
            + ratio_interval_text(manifest, voices, "articles", "min_quoting_articles", cite)
        )
    return ["## Voices", "", text, ""]
