"""A methods section in Markdown, written from a run's recorded parameters.

One module per section: :mod:`.corpus` (the corpus, text processing and software),
:mod:`.tone`, :mod:`.frames`, :mod:`.words` (distinctive words), :mod:`.voices`,
:mod:`.groups`, :mod:`.coding` (a run given coders' codes), :mod:`.learned` (frames
learned from them), :mod:`.topics` (a topic model) and :mod:`.stories` (stories and time);
:mod:`.intervals` describes the intervals they share, :mod:`.settings` finds the settings
of the code a run used, and :mod:`.prose` holds the Markdown pieces.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from analysis.report.manifest import complete_manifest
from analysis.report.methods.coding import coding_section
from analysis.report.methods.corpus import (
    MAX_OUTLETS_LISTED,
    MAX_PATTERN_SHOWN,
    TOKENIZER_TEXT,
    corpus_section,
    software_section,
    text_section,
)
from analysis.report.methods.frames import frames_section
from analysis.report.methods.groups import groups_section
from analysis.report.methods.learned import learned_section
from analysis.report.methods.prose import Citations
from analysis.report.methods.settings import (
    DIFFERENCE_INTERVAL,
    RATIO_INTERVAL,
    UNIT_PLURALS,
    WELCH_INTERVAL,
    code_parameters,
)
from analysis.report.methods.stories import stories_section, timeline_section
from analysis.report.methods.tone import tone_section
from analysis.report.methods.topics import topics_section
from analysis.report.methods.voices import voices_section
from analysis.report.methods.words import FDR_METHODS, words_section
from analysis.report.references import REFERENCES

__all__ = [
    "DIFFERENCE_INTERVAL",
    "FDR_METHODS",
    "MAX_OUTLETS_LISTED",
    "MAX_PATTERN_SHOWN",
    "RATIO_INTERVAL",
    "TOKENIZER_TEXT",
    "UNIT_PLURALS",
    "WELCH_INTERVAL",
    "code_parameters",
    "methods_text",
    "write_methods",
]


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
    cite = Citations()
    lines = ["# Methods", ""]
    lines += corpus_section(manifest)
    lines += text_section(manifest, cite)
    lines += tone_section(manifest, cite)
    lines += frames_section(manifest, cite)
    lines += words_section(manifest, cite)
    lines += voices_section(manifest, cite)
    lines += groups_section(manifest, cite)
    lines += coding_section(manifest, cite)
    lines += learned_section(manifest, cite)
    lines += topics_section(manifest, cite)
    lines += stories_section(manifest, cite)
    lines += timeline_section(manifest, cite)
    lines += software_section(manifest)
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
