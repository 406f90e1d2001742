"""``report.html``: one self-contained page with what the run is and cannot show, its summary,
figures (each with how to read it), methods and glossary.

This module computes what the page shows; ``templates/report.html.j2`` lays it out. The
template escapes every value with :func:`html.escape` (:func:`_escaped`), except the pieces
of HTML marked :class:`markupsafe.Markup` here, which escaped their own values.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import jinja2
import pandas as pd
from markupsafe import Markup

from analysis.report.limits import limits
from analysis.report.manifest import complete_manifest, run_table
from analysis.report.markdown import markdown_to_html
from analysis.report.methods import methods_text
from analysis.report.opening import (
    corpus_sentence,
    glossary_entries,
    glossary_html,
    read_glossary,
    topic_lines,
)
from analysis.report.stories import story_tables
from analysis.report.wording import Terms, counted

MAX_ROWS = 20
"""Rows shown of long tables (rejected inputs, input files); the rest are in the files."""

SCREEN_PX_PER_INCH = 144
"""Figures are shown at 1.5 times their print size (CSS has 96 px per inch), so a
single-column figure is readable on screen and the widths keep their proportions."""

_IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}

COUNT_LABELS = {
    "input_rows": "inputs (rows or files)",
    "articles": "articles loaded",
    "rejected": "inputs rejected",
    "repairs": "repairs made",
    "sentences": "sentences",
    "cleaning_removals": "cleaning removals",
}
"""How the corpus table names the run's counts."""


def _escaped(value) -> Markup:
    """A value as the template writes it: HTML it was given as, else its text escaped with
    :func:`html.escape` (``'`` as ``&#x27;``, as the page always had)."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("analysis.report"),
    autoescape=True,
    finalize=_escaped,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_TEMPLATES.filters["counted"] = counted
_TEMPLATES.filters["thousands"] = "{:,}".format


def read_captions(path: str | Path) -> dict[str, str]:
    """Read a ``captions.md`` written by :func:`analysis.figures.build_all`.

    Returns
    -------
    dict
        Figure name -> caption, in the file's order; empty when the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    captions: dict[str, list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            captions[current] = []
        elif current is not None:
            captions[current].append(line)
    return {name: " ".join(" ".join(lines).split()) for name, lines in captions.items()}


class Cell(NamedTuple):
    """A table cell as the page shows it."""

    text: str
    numeric: bool = False
    """Right-aligned, in tabular figures."""


class Table(NamedTuple):
    """A table as the page shows it: its column names and its rows of cells."""

    columns: list[str]
    rows: list[list[Cell]]


def _cell(value) -> Cell:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return Cell("")
    if isinstance(value, bool):
        return Cell("yes" if value else "no")
    if isinstance(value, int | float):
        return Cell(f"{value:,}" if float(value).is_integer() else f"{value:,.4g}", numeric=True)
    if isinstance(value, pd.Timestamp):
        return Cell(value.isoformat())
    return Cell(str(value))


def _table(frame: pd.DataFrame) -> Table:
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return Table([str(c) for c in frame.columns], rows)


def _png_width(data: bytes) -> int | None:
    """The CSS width of a PNG at 1.5 times its print size (:data:`SCREEN_PX_PER_INCH`), from
    its IHDR and pHYs chunks; None when the PNG does not say its resolution."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width = int.from_bytes(data[16:20], "big")
    at = data.find(b"pHYs", 8)
    if at < 0 or data[at + 12] != 1:  # unit 1: pixels per metre
        return None
    per_metre = int.from_bytes(data[at + 4 : at + 8], "big")
    return round(width / (per_metre * 0.0254) * SCREEN_PX_PER_INCH) if per_metre else None


class Figure(NamedTuple):
    """A figure as the page shows it."""

    name: str
    caption: str
    image: str | None
    """Its PNG (else SVG) as a data URI; None when this run wrote neither."""
    width: int | None
    """Its width on screen, in CSS pixels (:func:`_png_width`)."""
    files: list[str]
    """The names of its files written by this run."""
    how: str | None
    """How to read it."""


def _figure(
    name: str, caption: str, figures_dir: Path, written: set[Path] | None, how: str | None
) -> Figure:
    """The figure ``name`` as this run wrote it in ``figures_dir`` (every file when
    ``written`` is None, else only those in it)."""

    def this_run(path: Path) -> bool:
        return path.is_file() and (written is None or path.resolve() in written)

    image, width = None, None
    for fmt, mime in _IMAGE_TYPES.items():
        path = figures_dir / f"{name}.{fmt}"
        if this_run(path):
            raw = path.read_bytes()
            width = _png_width(raw) if fmt == "png" else None
            image = f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"
            break
    files = [
        p.name for p in sorted(figures_dir.glob(f"{name}.*")) if p.suffix != ".md" and this_run(p)
    ]
    return Figure(name, caption, image, width, files, how)


def report_html(
    out_dir: str | Path,
    *,
    manifest: Mapping | None = None,
    figures_dir: str | Path | None = None,
    captions: Mapping[str, str] | None = None,
) -> str:
    """The text of ``report.html`` (see :func:`write_report` for the parameters)."""
    from analysis.figures.reading import HOW_TO_READ  # the figures' module loads matplotlib

    out_dir = Path(out_dir)
    if manifest is None:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    figures_dir = Path(figures_dir) if figures_dir is not None else out_dir / "figures"
    if captions is None:
        captions = read_captions(figures_dir / "captions.md")
    manifest = complete_manifest(manifest, out_dir)
    written = {Path(p).resolve() for p in manifest["outputs"]} if manifest.get("outputs") else None
    counts = manifest.get("counts", {})
    glossary = read_glossary()
    term = Terms(glossary_entries(glossary))
    lead = corpus_sentence(manifest, term)
    topics = topic_lines(list(captions), term)
    found_limits = limits(manifest, out_dir, term)

    outlets = pd.DataFrame(manifest["outlets"]) if manifest.get("outlets") else None
    n_outlets_all = None
    if outlets is not None and len(outlets) > MAX_ROWS and "articles" in outlets:
        n_outlets_all = len(outlets)
        outlets = outlets.sort_values(["articles", "outlet"], ascending=[False, True])
        outlets = outlets.head(MAX_ROWS)
    rejections = manifest.get("rejections") or {}
    reasons = sorted(rejections.items(), key=lambda item: (-item[1], str(item[0])))
    rejected = run_table(out_dir, "rejected", manifest) if rejections else None
    if rejected is not None and not len(rejected):
        rejected = None
    coded = _coding_tables(out_dir, manifest)
    learned = _learned_tables(out_dir, manifest)
    topic_model = _topic_tables(out_dir, manifest)
    story_model = story_tables(out_dir, manifest)
    if story_model is not None:
        story_model = {
            **story_model,
            "n_within_shown": len(story_model["within"]),
            "n_coverage_shown": len(story_model["coverage"]),
            "within": _table(story_model["within"]),
            "coverage": _table(story_model["coverage"]),
        }
    files = pd.DataFrame(manifest.get("input", {}).get("files") or [])
    versions = manifest.get("versions") or {}
    return _TEMPLATES.get_template("report.html.j2").render(
        source=str(manifest.get("input", {}).get("source", "")),
        lead=lead,
        glossary=glossary_html(glossary),
        glossary_terms_used=bool(term.used),
        n_rejected=int(counts.get("rejected") or 0),
        topics=topics,
        limits=found_limits,
        max_rows=MAX_ROWS,
        counts=_table(
            pd.DataFrame(
                [(COUNT_LABELS.get(k, k), v) for k, v in counts.items()], columns=["", "n"]
            )
        ),
        outlets=None if outlets is None else _table(outlets),
        n_outlets_all=n_outlets_all,
        reasons=_table(pd.DataFrame(reasons, columns=["reason", "inputs"])) if reasons else None,
        rejected=None if rejected is None else _table(rejected.head(MAX_ROWS)),
        n_rejected_rows=0 if rejected is None else len(rejected),
        n_repairs=counts.get("repairs"),
        figures=[
            _figure(name, caption, figures_dir, written, HOW_TO_READ.get(name))
            for name, caption in captions.items()
        ],
        coding=coded,
        learned=learned,
        topic_model=topic_model,
        stories=story_model,
        methods=Markup(markdown_to_html(methods_text(manifest), shift=1)),
        files=_table(files.head(MAX_ROWS)) if len(files) else None,
        n_files=len(files),
        versions=(
            _table(pd.DataFrame(list(versions.items()), columns=["package", "version"]))
            if versions
            else None
        ),
    )


def _coding_tables(out_dir: Path, manifest: Mapping) -> dict | None:
    """The coders' agreement and the measures against them, rounded for reading, when the
    run was given codes."""
    found = manifest.get("parameters", {}).get("coding")
    reliability = run_table(out_dir, "coding_reliability", manifest)
    validation = run_table(out_dir, "coding_validation", manifest)
    if not found or reliability is None or validation is None:
        return None
    shown = validation[validation["headline"].astype(bool)]
    columns = ["variable", "measure", "statistic", "estimate", "ci_low", "ci_high", "ceiling"]
    return {
        "found": found,
        "reliability": _table(
            reliability[["variable", "level", "alpha", "ci_low", "ci_high", "n_units"]]
            .round(2)
            .assign(note=reliability["interval_note"].fillna(""))
        ),
        "validation": _table(shown[[*columns, "n_units"]].round(2)),
    }


def _learned_tables(out_dir: Path, manifest: Mapping) -> dict | None:
    """The classifier's cross-validated scores (F1 per category, classifier and dictionary)
    and the corrected shares, rounded for reading, when the run learned frames."""
    found = manifest.get("parameters", {}).get("learned")
    evaluation = run_table(out_dir, "classifier_eval", manifest)
    prevalence = run_table(out_dir, "frame_prevalence", manifest)
    if not found or evaluation is None or prevalence is None:
        return None
    f1 = evaluation[evaluation["statistic"] == "f1"]
    scores = f1.pivot(index="category", columns="predictor", values="estimate")
    low = f1.pivot(index="category", columns="predictor", values="ci_low").add_suffix(" low")
    high = f1.pivot(index="category", columns="predictor", values="ci_high").add_suffix(" high")
    order = list(dict.fromkeys(f1["category"]))
    columns = [c for p in scores.columns for c in (p, f"{p} low", f"{p} high")]
    scored = scores.join(low).join(high).reindex(order)[columns].round(2).reset_index()
    headline = prevalence[prevalence["estimator"] == found.get("headline_estimator", "acc")]
    counted = prevalence[prevalence["estimator"] == "cc"][["outlet", "category", "estimate"]]
    name = f"corrected ({found.get('headline_estimator', 'acc')})"
    shares = headline.merge(
        counted.rename(columns={"estimate": "counted"}), on=["outlet", "category"], how="left"
    )[["outlet", "category", "estimate", "ci_low", "ci_high", "counted", "n_articles", "note"]]
    shares = shares.rename(columns={"estimate": name, "ci_low": "low", "ci_high": "high"})
    return {
        "found": found,
        "scores": _table(scored),
        "shares": _table(shares.round(2).head(MAX_ROWS)),
        "n_shares": len(shares),
    }


def _topic_tables(out_dir: Path, manifest: Mapping) -> dict | None:
    """The topics (label, community, most probable words) and, per outlet, the topics it
    gives most more than the others, when the run has a topic model."""
    found = manifest.get("parameters", {}).get("topics")
    terms = run_table(out_dir, "topic_terms", manifest)
    outlets = run_table(out_dir, "outlet_topics", manifest)
    if not found or terms is None or outlets is None:
        return None
    probable = terms[terms["ranking"] == "probability"].sort_values(["topic", "rank"])
    words = probable.groupby("topic")["term"].apply(lambda t: ", ".join(t.head(8)))
    listed = (
        terms.drop_duplicates("topic")[["topic", "label", "community"]]
        .assign(words=lambda t: t["topic"].map(words))
        .rename(columns={"words": "most probable words"})
    )
    marked = outlets[outlets["q"] < 0.05].sort_values(
        ["difference", "outlet", "topic"], ascending=[False, True, True]
    )
    over = marked[marked["difference"] > 0][
        ["outlet", "label", "estimate", "rest", "difference", "q", "n_articles"]
    ]
    return {
        "found": found,
        "topics": _table(listed),
        "over": _table(over.round(3).head(MAX_ROWS)),
        "n_over": len(over),
    }


def write_report(
    out_dir: str | Path,
    *,
    manifest: Mapping | None = None,
    figures_dir: str | Path | None = None,
    captions: Mapping[str, str] | None = None,
) -> Path:
    """Write ``report.html``: the whole run on one self-contained page.

    Parameters
    ----------
    out_dir : path
        The run's output folder (tables, ``manifest.json``); the page is written here.
    manifest : mapping, optional
        The run's manifest; read from ``out_dir/manifest.json`` when omitted.
    figures_dir : path, optional
        The run's figure folder (default ``out_dir/figures``).
    captions : mapping, optional
        Figure name -> caption, in display order; read from ``figures_dir/captions.md``
        when omitted. When the manifest lists its ``outputs``, only figure files written by
        this run are embedded (never a stale file left by an earlier run).

    Returns
    -------
    Path
        ``out_dir/report.html``.

    Notes
    -----
    The page opens with what it is, written from the run: the corpus in one sentence, one
    line per section, and a box of what the numbers cannot show, holding only the limits
    that apply to this run (one article per outlet, outlets below the fewest articles an
    interval needs, words that could not be tested, outlets left out of the figures, the
    seed story's lists, what a dictionary count, a VADER score and a pattern-found quote
    are not); the words of the glossary it uses link to their entries. Then the corpus
    summary (counts, and per outlet: from ``manifest["outlets"]``, else from the run's
    ``articles`` table), the rejection reasons and the first :data:`MAX_ROWS` rejected
    inputs (from the ``rejected`` table), each figure (PNG, else SVG, as a base64 data URI)
    with its caption and how to read it (:data:`analysis.figures.reading.HOW_TO_READ`), the
    :func:`methods_text`, the input files with their SHA-256 and the package versions, and
    last the glossary (:data:`analysis.report.opening.GLOSSARY`, or where to find it when
    it is absent). The run's
    tables are read from ``out_dir``, else from where ``manifest["outputs"]`` says they were
    written. It has no script, no external style sheet, font or image, and no link outside
    the page; every value is escaped with :func:`html.escape`. Stage durations are left
    out, so the same inputs give the same bytes.
    """
    path = Path(out_dir) / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = report_html(out_dir, manifest=manifest, figures_dir=figures_dir, captions=captions)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
