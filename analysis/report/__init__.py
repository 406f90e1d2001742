"""The run's readable outputs: a methods section and one self-contained HTML page.

:func:`methods_text` writes a methods section in Markdown from what a run recorded in
``manifest.json`` (the parameters actually used, not the defaults), with its references;
:func:`write_methods` saves it as ``methods.md``. :func:`write_report` writes
``report.html``: the corpus summary, the rejected inputs, every figure of the run with its
caption and how to read it, and the methods section, opening with what the run is and what
its numbers cannot show and ending with the glossary, on one page that needs nothing else:
figures are
embedded as data URIs, the style sheet is inline, there are no scripts, fonts or links to
anything outside the page. Every value from the corpus or the manifest is HTML-escaped, so
an outlet named ``<script>`` is shown as text. The same inputs give the same bytes.

Modules: :mod:`~analysis.report.methods` (the methods text, one module per section),
:mod:`~analysis.report.references` (what it cites), :mod:`~analysis.report.page` (the HTML
page, laid out by ``templates/report.html.j2``), :mod:`~analysis.report.opening` (its
opening and glossary), :mod:`~analysis.report.limits` (its box of what the numbers cannot
show), :mod:`~analysis.report.wording` (counts, lists and glossary links in its sentences),
:mod:`~analysis.report.markdown` (the small Markdown renderer) and
:mod:`~analysis.report.manifest` (filling what a manifest lacks from the same run's tables).
"""

from analysis.report.manifest import complete_manifest, json_records
from analysis.report.markdown import markdown_to_html
from analysis.report.methods import code_parameters, methods_text, write_methods
from analysis.report.page import (
    MAX_ROWS,
    read_captions,
    report_html,
    write_report,
)
from analysis.report.references import DICTIONARY_REFERENCES, REFERENCES

__all__ = [
    "DICTIONARY_REFERENCES",
    "MAX_ROWS",
    "REFERENCES",
    "code_parameters",
    "complete_manifest",
    "json_records",
    "markdown_to_html",
    "methods_text",
    "read_captions",
    "report_html",
    "write_methods",
    "write_report",
]
