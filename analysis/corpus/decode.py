"""Bytes to text: detect the encoding of a file, or tell that it is not text at all.

In order: a byte-order mark, UTF-16 without one (a NUL in every other byte; other NUL bytes
mean a binary file), UTF-8, charset-normalizer's guess (cp1252 when it decodes as well),
cp1252, latin-1. Anything but UTF-8 comes with a repair note. A file whose first 8 KiB are
more than 1% NUL bytes (and not UTF-16) or more than 1% other control bytes (not tab, line
breaks or ESC) is binary: compressed data, images, PDFs and executables are about 10% control
bytes, text has next to none.
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


_CONTROL_BYTES = bytes([*range(1, 9), *range(14, 27), *range(28, 32), 127])
"""Control bytes that text does not contain: not NUL (counted apart), tab, line feed,
vertical tab, form feed, carriage return or ESC (used by ISO-2022 encodings)."""


class NotText(ValueError):
    """Bytes that are not text (a binary file)."""


def utf8_first(head: bytes) -> bool:
    """Whether :func:`decode_bytes` tries UTF-8 first on a file that starts with ``head``
    (its first 8 KiB): no byte-order mark, and neither NUL bytes (UTF-16 or binary) nor
    control bytes (binary) in more than 1% of it."""
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if head.count(0) > len(head) / 100:
        return False
    return len(head) - len(head.translate(None, _CONTROL_BYTES)) <= len(head) / 100


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
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) / 100:
        raise NotText("binary file (control bytes), not text")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed
    for codec in _candidates(data):
        try:
            return data.decode(codec), f"not valid UTF-8: decoded as {codec}"
        except (UnicodeDecodeError, LookupError):
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _candidates(data: bytes) -> list[str]:
    """Codecs to try, in order: charset-normalizer's guess (unless cp1252 ties), cp1252, latin-1."""
    matches = charset_normalizer.from_bytes(data)
    best, codecs_to_try = matches.best(), ["cp1252", "latin-1"]
    if best is not None:  # prefer cp1252 when it decodes as well as the guess (it often ties)
        ties = [
            m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence - 0.01
        ]
        if not any("cp1252" in (m.encoding, *m.could_be_from_charset) for m in ties):
            codecs_to_try.insert(0, best.encoding)
    return codecs_to_try


def _decode_mixed(data: bytes) -> tuple[str, str] | None:
    """Decode a file whose lines are in two encodings: some UTF-8, some not (a concatenation).

    When some lines hold valid non-ASCII UTF-8 and others are not UTF-8 at all, each line is
    decoded on its own: UTF-8 where it is valid, the guessed codec (usually cp1252)
    elsewhere, so the UTF-8 lines do not turn into mojibake. None when the file is not
    mixed (no valid non-ASCII UTF-8 line).
    """
    lines = data.splitlines(keepends=True)
    decoded: list[str | None] = []
    utf8_text = False
    for line in lines:
        try:
            decoded.append(line.decode("utf-8"))
            utf8_text = utf8_text or not line.isascii()
        except UnicodeDecodeError:
            decoded.append(None)
    if not utf8_text:
        return None
    bad = [k for k, text in enumerate(decoded) if text is None]
    rest = b"".join(lines[k] for k in bad)
    for codec in _candidates(rest):
        try:
            for k in bad:
                decoded[k] = lines[k].decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        break
    where = ", ".join(str(k + 1) for k in bad[:5]) + (", ..." if len(bad) > 5 else "")
    note = (
        f"mixed encodings: {len(bad)} of {len(lines)} lines not valid UTF-8 decoded as "
        f"{codec} (line{'s' * (len(bad) > 1)} {where}), the others as UTF-8"
    )
    return "".join(decoded), note
