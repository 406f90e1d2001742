"""The explorer page: one HTML file with its style, script and data inline.

No library and no network: plain JavaScript draws the plot as inline SVG. A Content Security
Policy forbids every request (``default-src 'none'``), so a page that slipped could still not
fetch anything. The page is laid out by ``templates/explorer.html.j2``, with its style
(``explorer.css``) and script (``explorer.js``) inline. The template holds no user text:
names and article text travel only in the JSON data block (with ``<``, ``>`` and ``&``
escaped, so ``</script>`` or ``<!--`` in a text cannot end the block) and are put on the page
with ``textContent``, never parsed as HTML. The topics view (its markup, style and script)
is in the page only when the data has ``topics``: a run without topics gives the same page
as before the view existed.
"""

from __future__ import annotations

import json

import jinja2
from markupsafe import Markup

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("analysis.explorer"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    keep_trailing_newline=True,
)


def embed_json(data) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` (hence
    ``</script>`` and ``<!--``) and the JavaScript line separators are escaped.

    >>> embed_json({"outlet": "</script><!--"})
    '{"outlet":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def render(data: dict) -> str:
    """The whole page for :func:`analysis.explorer.explorer_data`'s ``data``."""
    return _TEMPLATES.get_template("explorer.html.j2").render(
        content_security_policy=Markup(CONTENT_SECURITY_POLICY),
        data=Markup(embed_json(data)),
        topics=bool(data.get("topics")),
    )
