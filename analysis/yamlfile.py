"""Bounded reading of settings files: one safe YAML loader, a size limit, short excerpts.

Every settings file (study file, speakers, actors, dictionaries) is read through
:func:`read_settings_text` (size limit checked before reading, UTF-8 with the line of the
first bad byte) and, when YAML, :func:`compose` / :func:`load` (the safe loader with YAML
aliases refused, so an alias bomb is stopped at its first ``*alias``). Messages quote bad
values through :func:`excerpt`, never whole.

Each function takes ``fail``: a callable turning a message into the caller's exception
(``lambda m: SpeakerFileError(f"{path}: {m}")``), so every module keeps its error class.
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 10 * 1024 * 1024
"""Largest settings file read (10 MB): a bigger study, speaker, actor or dictionary file is
refused before it is read."""
EXCERPT_CHARS = 80

Fail = Callable[[str], Exception]


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters plus ``…`` (for error messages).

    >>> excerpt("x" * 200)[-5:], len(excerpt("x" * 200))
    ('xxxx…', 81)
    >>> excerpt("short")
    "'short'"
    """
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit]
    text = repr(value) if isinstance(value, str) else _REPR.repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = EXCERPT_CHARS + 10  # bounded, whatever the value's size
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 20


def shorten(text: Any, limit: int = EXCERPT_CHARS) -> str:
    """``str(text)`` cut to ``limit`` characters plus ``…`` (for names inside messages)."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


def suggestion(key: Any, known: Iterable[str]) -> str:
    """``"; did you mean X?"`` for the closest of ``known``, or an empty string."""
    close = difflib.get_close_matches(str(key), list(known), n=1)
    return f"; did you mean {close[0]}?" if close else ""


def unknown_keys(keys: Iterable[Any], known: Iterable[str]) -> list[str]:
    """A message per key of ``keys`` not in ``known``: ``unknown key 'x'; did you mean y?``."""
    known = list(known)
    return [
        f"unknown key {excerpt(str(key))}" + suggestion(key, known)
        for key in keys
        if str(key) not in known
    ]


def read_settings_text(
    path: str | Path, fail: Fail, *, limit: int = MAX_BYTES, encoding: str = "utf-8-sig"
) -> str:
    """The text of a settings file, refusing a file over ``limit`` bytes before reading it
    and naming the line and byte offset of the first byte that is not ``encoding``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise fail(f"the file is {_size(size)}; settings files are limited to {_size(limit)}")
        data = path.read_bytes()
    except OSError as error:
        raise fail(f"cannot read the file ({error.strerror or error})") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise fail(
            f"line {line} (byte {error.start}): not valid UTF-8 (byte "
            f"0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


class _AliasError(yaml.composer.ComposerError):
    """A YAML alias in a settings file."""


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses aliases (``*name``) at the first one it meets."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasError(
                None,
                None,
                f"YAML aliases (*{shorten(event.anchor, 40)}) are not allowed in "
                "settings files; write the values out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def compose(text: str, fail: Fail) -> yaml.Node | None:
    """The YAML node tree of ``text`` (safe loader, aliases refused).

    Errors become ``fail("line N: not valid YAML (problem)")``.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise fail(f"the text is over {_size(MAX_BYTES)}; settings files are limited to that")
    loader = _NoAliasLoader(text)
    try:
        return loader.get_single_node()
    except _AliasError as error:
        raise fail(f"line {error.problem_mark.line + 1}: {error.problem}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise fail(f"{where}not valid YAML ({shorten(error.problem, 200)})") from None
    except yaml.YAMLError as error:
        raise fail(f"not valid YAML ({shorten(error, 200)})") from None
    finally:
        loader.dispose()


def construct(node: yaml.Node | None, fail: Fail) -> Any:
    """The Python value of a node from :func:`compose` (safe types only)."""
    if node is None:
        return None
    loader = _NoAliasLoader("")
    try:
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise fail(f"{where}not valid YAML ({shorten(error.problem, 200)})") from None
    finally:
        loader.dispose()


def load(path: str | Path, fail: Fail) -> Any:
    """Read a YAML settings file: size limit, UTF-8, safe loader, no aliases."""
    return construct(compose(read_settings_text(path, fail), fail), fail)
