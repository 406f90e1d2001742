"""``report.html``: one self-contained page with what the run is and cannot show, its summary,
figures (each with how to read it), methods and glossary."""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.report.manifest import complete_manifest, run_table
from analysis.report.markdown import markdown_to_html
from analysis.report.methods import (
    methods_text,
)
from analysis.report.opening import (
    _corpus_sentence,
    _glossary_html,
    _limits,
    _limits_html,
    _sections_html,
    _Terms,
    glossary_entries,
    read_glossary,
)

_STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; }
code { font-size: 0.9em; word-break: break-all; }
.note { color: #555; font-size: 0.9em; }
.lead { font-size: 1.1em; }
.how { margin: 0.3em 0 0; }
.limits { border: 2px solid #c9a227; background: #fffbea; padding: 0.3em 1em;
          margin: 1em 0 1.5em; }
.limits h2 { font-size: 1.1em; margin: 0.5em 0 0.3em; }
#glossary h3 { font-size: 1em; margin: 1em 0 0.2em; }
""".strip()

MAX_ROWS = 20
"""Rows shown of long tables (rejected inputs, input files); the rest are in the files."""

SCREEN_PX_PER_INCH = 144
"""Figures are shown at 1.5 times their print size (CSS has 96 px per inch), so a
single-column figure is readable on screen and the widths keep their proportions."""

_IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


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


def _cell(value) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return "<td></td>"
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:,}" if float(value).is_integer() else f"{value:,.4g}"
        return f'<td class="n">{html.escape(text)}</td>'
    if isinstance(value, pd.Timestamp):
        return f"<td>{html.escape(value.isoformat())}</td>"
    return f"<td>{html.escape(str(value))}</td>"


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = [
        "<tr>" + "".join(_cell(v) for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    ]
    return f"<table>\n<tr>{head}</tr>\n" + "\n".join(rows) + "\n</table>"


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


def _figure_html(
    name: str, caption: str, figures_dir: Path, written: set[Path] | None, how: str | None = None
) -> str:
    """One figure: its PNG (else SVG) as a data URI, its caption, the names of its files
    and, when given, how to read it."""

    def this_run(path: Path) -> bool:
        return path.is_file() and (written is None or path.resolve() in written)

    for fmt, mime in _IMAGE_TYPES.items():
        path = figures_dir / f"{name}.{fmt}"
        if this_run(path):
            raw = path.read_bytes()
            width = _png_width(raw) if fmt == "png" else None
            size = f' width="{width}"' if width else ""
            data = base64.b64encode(raw).decode("ascii")
            image = f'<img src="data:{mime};base64,{data}"{size} alt="{html.escape(name)}">'
            break
    else:
        image = (
            f'<p class="note">Not embedded: no PNG or SVG of {html.escape(name)} was written '
            "(add png to the figure formats).</p>"
        )
    files = ", ".join(
        html.escape(p.name)
        for p in sorted(figures_dir.glob(f"{name}.*"))
        if p.suffix != ".md" and this_run(p)
    )
    return (
        f'<figure id="{html.escape(name)}">\n{image}\n'
        f"<figcaption><strong>{html.escape(name)}.</strong> {html.escape(caption)}"
        + (f' <span class="note">Files: {files}.</span>' if files else "")
        + (
            f'\n<p class="how"><strong>How to read this:</strong> {html.escape(how)}</p>'
            if how
            else ""
        )
        + "</figcaption>\n</figure>"
    )


def report_html(
    out_dir: str | Path,
    *,
    manifest: Mapping | None = None,
    figures_dir: str | Path | None = None,
    captions: Mapping[str, str] | None = None,
) -> str:
    """The text of ``report.html`` (see :func:`write_report` for the parameters)."""
    out_dir = Path(out_dir)
    if manifest is None:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    figures_dir = Path(figures_dir) if figures_dir is not None else out_dir / "figures"
    if captions is None:
        captions = read_captions(figures_dir / "captions.md")
    manifest = complete_manifest(manifest, out_dir)
    written = {Path(p).resolve() for p in manifest["outputs"]} if manifest.get("outputs") else None
    counts = manifest.get("counts", {})
    source = manifest.get("input", {}).get("source", "")
    glossary = read_glossary()
    term = _Terms(glossary_entries(glossary))
    opening = _corpus_sentence(manifest, term)
    contents = _sections_html(manifest, list(captions), term)
    limits = _limits_html(_limits(manifest, out_dir, term))
    if glossary is None:
        guide = (
            "The words this report uses are explained in the project's glossary, "
            "<code>docs/glossary.md</code> in its source repository."
        )
    elif term.used:
        guide = (
            "Words in <em>italics</em> in this opening are explained in the glossary at the "
            'end of the page (<a href="#glossary">Words used in this report</a>); click one '
            "to read its entry."
        )
    else:
        guide = (
            'The glossary at the end of the page, <a href="#glossary">Words used in this '
            "report</a>, explains the words it uses."
        )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Framing analysis: {html.escape(str(source))}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        "<h1>Framing analysis report</h1>",
        f'<p class="lead">{opening}</p>',
        f"<p>{guide}</p>",
        f'<p class="note">Corpus: <code>{html.escape(str(source))}</code></p>',
        contents,
        *([limits] if limits else []),
        '<h2 id="corpus">Corpus</h2>',
    ]
    labels = {
        "input_rows": "inputs (rows or files)",
        "articles": "articles loaded",
        "rejected": "inputs rejected",
        "repairs": "repairs made",
        "sentences": "sentences",
        "cleaning_removals": "cleaning removals",
    }
    parts.append(
        _table(pd.DataFrame([(labels.get(k, k), v) for k, v in counts.items()], columns=["", "n"]))
    )
    if manifest.get("outlets"):
        outlets = pd.DataFrame(manifest["outlets"])
        if len(outlets) > MAX_ROWS and "articles" in outlets:
            outlets = outlets.sort_values(["articles", "outlet"], ascending=[False, True])
            parts.append(
                f"<h3>Per outlet</h3><p>The {MAX_ROWS} outlets with the most articles, of "
                f"{len(outlets):,}; all are in <code>manifest.json</code>.</p>"
            )
            parts.append(_table(outlets.head(MAX_ROWS)))
        else:
            parts.append("<h3>Per outlet</h3>")
            parts.append(_table(outlets))
    parts.append('<h2 id="rejections">Rejected inputs</h2>')
    rejections = manifest.get("rejections") or {}
    if not rejections:
        parts.append("<p>No input was rejected.</p>")
    else:
        reasons = sorted(rejections.items(), key=lambda item: (-item[1], str(item[0])))
        parts.append(_table(pd.DataFrame(reasons, columns=["reason", "inputs"])))
        rejected = run_table(out_dir, "rejected", manifest)
        if rejected is not None and len(rejected):
            shown = (
                f"the first {MAX_ROWS} of {len(rejected):,}" if len(rejected) > MAX_ROWS else "all"
            )
            parts.append(
                f"<p>Rejected inputs ({shown}; every one is in <code>rejected.csv</code>):</p>"
            )
            parts.append(_table(rejected.head(MAX_ROWS)))
    if counts.get("repairs"):
        parts.append(
            f"<p>{counts['repairs']:,} repairs were made to loaded articles; see "
            "<code>repairs.csv</code>.</p>"
        )
    parts.append('<h2 id="figures">Figures</h2>')
    if not captions:
        parts.append("<p>No figure was drawn.</p>")
    from analysis.figures.reading import HOW_TO_READ  # the figures' module loads matplotlib

    for name, caption in captions.items():
        parts.append(_figure_html(name, caption, figures_dir, written, HOW_TO_READ.get(name)))
    parts.append('<section id="methods">')
    parts.append(markdown_to_html(methods_text(manifest), shift=1))
    parts.append("</section>")
    parts.append('<h2 id="provenance">Inputs and software</h2>')
    files = manifest.get("input", {}).get("files") or []
    if files:
        frame = pd.DataFrame(files)
        parts.append(_table(frame.head(MAX_ROWS)))
        if len(frame) > MAX_ROWS:
            parts.append(
                f"<p>… and {len(frame) - MAX_ROWS:,} more in <code>manifest.json</code>.</p>"
            )
    versions = manifest.get("versions") or {}
    if versions:
        parts.append(_table(pd.DataFrame(list(versions.items()), columns=["package", "version"])))
    parts.append(_glossary_html(glossary))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


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
