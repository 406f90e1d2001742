"""The small Markdown subset of the methods text and the glossary, rendered as escaped HTML."""

from __future__ import annotations

import html
import re

_INLINE = re.compile(r"\\([\\*`<>\[\]])|`([^`]*)`|\*\*(.+?)\*\*|\*(\S(?:.*?\S)?)\*")


def _inline(text: str) -> str:
    """Escape ``text`` for HTML and render Markdown code spans, bold, italics and ``\\``
    escapes."""
    out, last = [], 0
    for match in _INLINE.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        escaped, code, bold, italic = match.groups()
        if escaped is not None:
            out.append(html.escape(escaped))
        elif code is not None:
            out.append(f"<code>{html.escape(code)}</code>")
        elif bold is not None:
            out.append(f"<strong>{_inline(bold)}</strong>")
        else:
            out.append(f"<em>{_inline(italic)}</em>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def slug(text: str) -> str:
    """``text`` as an HTML id: lower case, every run of other characters than letters and
    digits one hyphen.

    >>> slug("Confidence interval (CI)")
    'confidence-interval-ci'
    """
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-")


def markdown_to_html(text: str, *, shift: int = 0, anchors: str | None = None) -> str:
    """Render the small Markdown subset of :func:`methods_text` as HTML.

    Headings (``#`` ... ``######``), paragraphs, ``-`` lists, inline code, ``**bold**``,
    ``*italics*`` and backslash escapes; every other character is escaped, so no HTML in the
    text survives as markup. ``shift`` lowers every heading by that many levels (``#``
    becomes ``<h2>`` with ``shift=1``); with ``anchors``, each heading gets the id
    ``anchors`` followed by its :func:`slug`, so a link can point to it.

    Examples
    --------
    >>> markdown_to_html("# A <b>\\n\\nSee `x*y` and *this*.\\n\\n- one\\n- two")
    '<h1>A &lt;b&gt;</h1>\\n<p>See <code>x*y</code> and <em>this</em>.</p>\\n<ul>\\n<li>one</li>\\n<li>two</li>\\n</ul>'
    """  # noqa: E501
    blocks, paragraph, items = [], [], []

    def flush() -> None:
        if paragraph:
            blocks.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>\n" + "\n".join(f"<li>{_inline(i)}</li>" for i in items) + "\n</ul>")
            items.clear()

    for line in text.splitlines():
        heading = re.match(r"(#{1,6})\s+(.*)", line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            level = min(len(heading.group(1)) + shift, 6)
            title = heading.group(2).strip()
            at = f' id="{html.escape(anchors + slug(title))}"' if anchors is not None else ""
            blocks.append(f"<h{level}{at}>{_inline(title)}</h{level}>")
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        elif items and line.startswith("  "):
            items[-1] += " " + line.strip()
        else:
            if items:
                flush()
            paragraph.append(line.strip())
    flush()
    return "\n".join(blocks)
