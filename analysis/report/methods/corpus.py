"""The methods text's sections on the corpus, its text processing and the software."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from analysis import tokens
from analysis.report.methods.prose import Citations, code_span, counted, joined, literal
from analysis.report.methods.settings import code_default

MAX_OUTLETS_LISTED = 12
"""The methods text names the outlets with the most articles, up to this many."""


def corpus_section(manifest: Mapping) -> list[str]:
    """The ``## Corpus`` section: the source, the counts, the rejections, the outlets
    with the most articles and the column mapping, as lines of Markdown."""
    counts = manifest.get("counts", {})
    source = manifest.get("input", {}).get("source")
    files = manifest.get("input", {}).get("files") or []
    where = code_span(source) if source else "source not recorded"
    if files:
        where += f", {counted(len(files), 'input file')} with SHA-256 digests in the manifest"
    text = (
        f"The corpus ({where}) had {counted(counts.get('input_rows', 0), 'input')}: "
        f"{counted(counts.get('articles', 0), 'article')} were analysed and "
        f"{counts.get('rejected', 0):,} rejected"
    )
    rejections = manifest.get("rejections") or {}
    if rejections:
        reasons = sorted(rejections.items(), key=lambda item: (-item[1], str(item[0])))
        text += " (" + "; ".join(f"{literal(reason)}: {n:,}" for reason, n in reasons) + ")"
    text += (
        f"; {counted(counts.get('repairs', 0), 'repair')} "
        f"(encoding fallbacks, unparseable dates kept as missing, ...) are listed in the "
        f"`repairs` table."
    )
    outlets = manifest.get("outlets")
    if outlets:
        ranked = sorted(outlets, key=lambda row: (-row["articles"], str(row["outlet"])))
        listed = [
            f"{literal(row['outlet'])} ({counted(row['articles'], 'article')})"
            for row in ranked[:MAX_OUTLETS_LISTED]
        ]
        if len(ranked) > MAX_OUTLETS_LISTED:
            rest = ranked[MAX_OUTLETS_LISTED:]
            listed.append(
                f"{counted(len(rest), 'other outlet')} with "
                f"{counted(sum(row['articles'] for row in rest), 'article')} (listed in the "
                "manifest)"
            )
        text += f" {counted(len(outlets), 'outlet')}: {joined(listed)}."
    mapping = manifest.get("input", {}).get("column_mapping") or {}
    named = [
        f"{role} = {code_span(col)}" for role, col in mapping.items() if col and role != "dayfirst"
    ]
    if named:
        text += f" Columns: {', '.join(named)}."
    if mapping.get("dayfirst"):
        text += " Numeric dates were read day first (D/M/Y)."
    return ["## Corpus", "", text, ""]


def text_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Text processing`` section: cleaning, the sentence splitter and the
    tokenizer, as lines of Markdown."""
    counts = manifest.get("counts", {})
    pattern = code_default(manifest, None, "token_pattern")
    splitter = code_default(manifest, None, "sentence_splitter")
    lines = ["## Text processing", ""]
    lines.append(
        "News boilerplate (link lines, media captions, sign-offs, author notes, URLs) was "
        f"removed by pattern rules; {counts.get('cleaning_removals', 0):,} removals are listed "
        "in the `clean_audit` table."
        + (
            f" Texts were split into {counted(counts['sentences'], 'sentence')} with {splitter} "
            f"(Kiss & Strunk 2006{cite('kiss2006')}; Bird et al. 2009{cite('bird2009')}); "
            "each sentence's voice (narrative, quotation, embedded social-media post) was "
            "assigned by rules over quotation marks and post signatures."
            if splitter and "sentences" in counts
            else " The sentence splitter is not recorded in the manifest."
        )
    )
    lines.append("")
    lines.append(tokenizer_text(pattern))
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


def tokenizer_text(pattern) -> str:
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
        text += f": {code_span(shown)}"
    return text + "."


def software_section(manifest: Mapping) -> list[str]:
    """The ``## Software`` section (the package versions), or nothing when not recorded."""
    versions = manifest.get("versions") or {}
    if not versions:
        return []
    listed = ", ".join(f"{literal(name)} {literal(version)}" for name, version in versions.items())
    return ["## Software", "", f"{listed}.", ""]
