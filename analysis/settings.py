"""The settings every measure shares, and the way any setting is declared.

A setting is a field of a frozen dataclass made with :func:`setting`: its default, its kind
(how the study file's value is read and checked, see :mod:`analysis.config.read`), a
one-line description and its rules. The study file's schema, its error messages and the
command line's flags are read from these fields (:mod:`analysis.config.schema`,
:mod:`analysis.__main__`), so a default is written once, here or beside its measure
(``ToneSettings``, ``FrameSettings``, ``WordSettings``, ``VoiceSettings`` in
:mod:`analysis.measures`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

N_RESAMPLES = 9999
"""Bootstrap resamples of every interval unless a study asks for another number."""


def setting(default: Any, kind: str, doc: str, *, flag: str | None = None, **rules: Any) -> Any:
    """A settings field.

    Parameters
    ----------
    default
        The value when the study file and the command line leave it out.
    kind : str
        How a value is read: ``bool``, ``int``, ``float``, ``str``, ``enum``, ``path``,
        ``dictionary`` (a file or a built-in name), ``list[str]``, ``list[enum]``,
        ``list[figure]``.
    doc : str
        One line, shown by ``--help`` and in the study file's error messages.
    flag : str, optional
        The command-line flag that overrides it (``--group-by``); None: only the file sets it.
    **rules
        ``choices``, ``optional`` (None allowed), ``minimum``, ``above``, ``below``,
        ``length`` (a list's ``(min, max)``, None for no maximum), ``metavar``.
    """
    if isinstance(default, (list, dict, set)):
        raise TypeError("settings are frozen: give a tuple, not a mutable default")
    return field(default=default, metadata={"kind": kind, "doc": doc, "flag": flag, **rules})


@dataclass(frozen=True)
class Resampling:
    """The bootstrap behind every interval: what is resampled, how often, from which seed."""

    unit: str = setting(
        "article",
        "enum",
        "bootstrap unit of tone's and frames' intervals (sentence intervals are too narrow "
        "for claims about an outlet: sentences of one article are not independent)",
        flag="--resample",
        choices=("article", "sentence"),
    )
    n_resamples: int = setting(
        N_RESAMPLES, "int", "bootstrap resamples", flag="--n-resamples", minimum=1
    )
    seed: int = setting(0, "int", "random seed for resampling", flag="--seed", minimum=0)
    confidence: float = setting(0.95, "float", "confidence level", above=0, below=1)

    @property
    def options(self) -> dict[str, Any]:
        """``n_resamples``, ``seed`` and ``confidence`` as keyword arguments."""
        return {"n_resamples": self.n_resamples, "seed": self.seed, "confidence": self.confidence}


@dataclass(frozen=True)
class Compare:
    """Which groups of articles are compared: outlets by default, or the values of a column."""

    group_by: str = setting(
        "outlet",
        "str",
        "compare groups of articles by this column (e.g. bias_text)",
        flag="--group-by",
        metavar="COLUMN",
    )
    groups: tuple[str, ...] | None = setting(
        None,
        "list[str]",
        "compare only these groups",
        flag="--groups",
        optional=True,
        length=(1, None),
        metavar="GROUP",
    )
    pair: tuple[str, str] | None = setting(
        None,
        "list[str]",
        "the pair for the fightin' words figure (null: the two largest groups)",
        flag="--pair",
        optional=True,
        length=(2, 2),
        metavar=("FIRST", "SECOND"),
    )
    max_groups: int = setting(20, "int", "at most this many groups", minimum=2)
