"""Bytes to text: detect the encoding of a file, or tell that it is not text at all.

In order: a byte-order mark, UTF-16 without one (a NUL in every other byte; other NUL bytes
mean a binary file), UTF-8, charset-normalizer's guess (cp1252 when it decodes as well),
cp1252, latin-1. Anything but UTF-8 comes with a repair note.
"""

from __future__ import annotations

import codecs

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class NotText(ValueError):
    """Bytes that are not text (a binary file)."""


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str | None]:
    """Decode file bytes; return the text and a repair note when it was not UTF-8."""
    if encoding is not None:
        return data.decode(encoding).removeprefix("\ufeff"), None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                break
            return text, (
                None if codec == "utf-8-sig" else f"not UTF-8: decoded as {codec} (byte-order mark)"
            )
    head = data[:8192]
    if head.count(0) > len(head) / 100:  # binary, unless UTF-16 (a NUL in every other byte)
        odd, even = head[1::2].count(0), head[0::2].count(0)
        codec = (
            "utf-16-le"
            if odd > len(head) / 8 and even < odd / 10
            else "utf-16-be"
            if even > len(head) / 8 and odd < even / 10
            else ""
        )
        try:
            return data.decode(codec), f"not UTF-8: decoded as {codec} (no byte-order mark)"
        except (UnicodeDecodeError, LookupError):
            raise NotText("binary file (NUL bytes), not text") from None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best, codecs_to_try = matches.best(), ["cp1252", "latin-1"]
    if best is not None:  # prefer cp1252 when it decodes as well as the guess (it often ties)
        ties = [
            m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence - 0.01
        ]
        if not any("cp1252" in (m.encoding, *m.could_be_from_charset) for m in ties):
            codecs_to_try.insert(0, best.encoding)
    for codec in codecs_to_try:
        try:
            return data.decode(codec), f"not valid UTF-8: decoded as {codec}"
        except (UnicodeDecodeError, LookupError):
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover
