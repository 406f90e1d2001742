"""How a cleaning rule is made: a function ``text -> (text, removed)`` becomes a
``str -> str`` rule that keeps it as ``.audited`` and records ``.idempotent`` and
``.settles`` (:func:`_rule`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection

AuditedRule = Callable[[str], tuple[str, list[str]]]


Settles = Callable[[str, str], Collection[Callable[[str], str]]]


def _rule(
    func: AuditedRule | None = None,
    *,
    idempotent: bool = False,
    settles: Collection[Callable[[str], str]] | Settles = (),
) -> Callable[[str], str] | Callable[[AuditedRule], Callable[[str], str]]:
    """Turn ``text -> (text, removed)`` into a ``str -> str`` rule keeping ``.audited``.

    Two more attributes record what is known about the rule, for :func:`clean_text` to
    skip the confirming pass: ``.idempotent`` (the rule leaves its own output unchanged)
    and ``.settles(before, after)``, the earlier rules that still leave a text unchanged
    after this rule turned ``before`` into ``after``, if they left ``before`` unchanged.
    ``settles`` is given as that function or as a fixed collection of rules.
    """

    def wrap(func: AuditedRule) -> Callable[[str], str]:
        @functools.wraps(func)
        def clean(text: str) -> str:
            return func(text)[0]

        kept = frozenset(() if callable(settles) else settles)
        clean.audited = func  # type: ignore[attr-defined]
        clean.idempotent = idempotent  # type: ignore[attr-defined]
        clean.settles = settles if callable(settles) else lambda before, after: kept  # type: ignore[attr-defined]
        return clean

    return wrap if func is None else wrap(func)


def _sub_audited(pattern: re.Pattern[str], repl: str, text: str) -> tuple[str, list[str]]:
    removed: list[str] = []

    def keep(match: re.Match[str]) -> str:
        if match.group(0).strip():
            removed.append(match.group(0).strip())
        return match.expand(repl)

    return pattern.sub(keep, text), removed
