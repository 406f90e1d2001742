"""What a classifier learns from: coded units, their texts and their labels.

A :class:`TrainingSet` is built from people's codes (:func:`analysis.coding.read_codes`)
or from any table of unit ids and labels, and from a run's tables, which give each unit's
text (:func:`analysis.coding.coding_units`). The label of a unit coded by several people
is their consensus (:func:`analysis.coding.consensus`); a unit they split on is left out
of that variable (NaN) and counted (``n_undecided``: units split on at least one), never
guessed.

Which variables are learned (``variable``):

- ``"frames"``: every yes/no variable of the codebook linked to a frame of the dictionary
  (``validates: {frame: ...}``), one binary model each (*multi-label*: a unit may carry
  several frames);
- the name of one categorical variable: one model choosing one category per unit
  (*single-label*);
- the name of one yes/no variable, or several names joined by commas: multi-label.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.coding import Codes, consensus
from analysis.coding.units import coding_units

UNIT_KEYS = ["unit_id", "article_id", "outlet", "text"]


class LabelError(ValueError):
    """The variable cannot be learned from these codes (named in the message)."""


@dataclass(frozen=True)
class TrainingSet:
    """Coded units with their texts and labels.

    Attributes
    ----------
    units : DataFrame
        ``unit_id, article_id, outlet, text``, one row per unit with a label.
    labels : DataFrame
        0/1, one column per category, rows aligned with ``units``. Single-label sets have
        exactly one 1 per row; in multi-label sets a unit the coders split on for one
        category is NaN there (left out of that category's training and scores only).
    variable : str
        What was asked for (``"frames"``, a variable's name, or names joined by commas).
    unit : str
        ``article``, ``paragraph`` or ``sentence``.
    kind : {"multi", "single"}
    links : dict
        Category -> the dictionary frame its variable ``validates`` (empty when none).
    n_undecided : int
        Units the coders split on, left out.
    """

    units: pd.DataFrame
    labels: pd.DataFrame
    variable: str
    unit: str
    kind: str
    links: dict = field(default_factory=dict)
    n_undecided: int = 0

    @property
    def categories(self) -> list[str]:
        return list(self.labels.columns)

    @property
    def groups(self) -> pd.Series:
        """The article of each unit: cross-validation never splits one."""
        return self.units["article_id"]


def training_set(codes, tables: Mapping | pd.DataFrame, *, variable: str = "frames") -> TrainingSet:
    """The coded units of ``variable`` with their texts.

    Parameters
    ----------
    codes : Codes or DataFrame
        :func:`analysis.coding.read_codes`'s codes; or a table with ``unit_id`` and either
        ``label`` (single-label: one category per unit) or one 0/1 column per category
        (multi-label). Unit ids are those of :mod:`analysis.coding.units` (``ART``,
        ``ART/p3``, ``ART/s12``).
    tables : mapping or DataFrame
        A run's tables (``articles`` with ``article_id, outlet, title, text_clean``, and
        ``sentences`` for paragraph or sentence units), or the articles table alone.
    variable : str
        See the module docstring; ignored for a table of labels.

    Raises
    ------
    LabelError
        Naming the variable, or the unit ids the tables do not hold.
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"articles": tables}
    if isinstance(codes, Codes):
        unit, labels, links, undecided, kind = _coded_labels(codes, variable)
    else:
        unit, labels, kind = _table_labels(codes)
        links, undecided, variable = {}, 0, "labels"
    units = coding_units(tables, unit).set_index("unit_id")
    missing = labels.index.difference(units.index)
    if len(missing):
        raise LabelError(
            f"{len(missing)} coded {unit}s are not in the run's tables (first: "
            f"{missing[0]!r}); code units of this corpus"
        )
    kept = units.loc[labels.index].reset_index()[UNIT_KEYS]
    labels = labels.reset_index(drop=True).astype(float if kind == "multi" else int)
    if kind == "multi":
        _check_both_classes(labels)
    elif labels.shape[1] < 2:
        raise LabelError(f"{variable}: every coded unit has the same category")
    return TrainingSet(kept, labels, variable, unit, kind, links, undecided)


def learnable(codes: Codes, variable: str) -> list:
    """The codebook variables ``variable`` names (module docstring), checked."""
    book = codes.codebook
    if variable == "frames":
        chosen = [v for v in book.variables if v.type == "binary" and "frame" in v.validates]
        if not chosen:
            raise LabelError(
                f"codebook {book.name!r}: no yes/no variable is linked to a frame "
                "(validates: {frame: ...}); name the variable to learn"
            )
    else:
        names = [n.strip() for n in variable.split(",") if n.strip()]
        known = {v.name for v in book.variables}
        unknown = [n for n in names if n not in known]
        if unknown:
            fit = sorted(v.name for v in book.variables if v.type in ("binary", "categorical"))
            raise LabelError(
                f"codebook {book.name!r} has no variable {', '.join(map(repr, unknown))} "
                f"(those a classifier can learn: {', '.join(fit)}; or 'frames')"
            )
        chosen = [book[n] for n in names]
        kinds = {v.type for v in chosen}
        if not kinds <= {"binary", "categorical"} or ("categorical" in kinds and len(chosen) > 1):
            described = ", ".join(f"{v.name} is {v.type}" for v in chosen)
            raise LabelError(
                f"{variable}: learn one categorical variable, or yes/no variables ({described})"
            )
    units = {v.unit for v in chosen}
    if len(units) > 1 or units & {"quote"}:
        raise LabelError(
            f"{variable}: the variables are coded at {', '.join(sorted(units))}; learn "
            "variables of one unit: article, paragraph or sentence"
        )
    return chosen


def _coded_labels(codes: Codes, variable: str):
    chosen = learnable(codes, variable)
    columns, undecided = {}, set()
    for v in chosen:
        agreed = consensus(codes.codes, v).set_index("unit_id")
        undecided |= set(agreed.index[agreed["undecided"]])
        decided = agreed[~agreed["undecided"]]
        if v.type == "categorical":
            dummies = pd.get_dummies(decided["coders_text"]).astype(int)
            order = [str(c).strip().lower() for c in v.values]
            dummies = dummies[[c for c in order if c in dummies.columns]]
            columns.update({c: dummies[c] for c in dummies.columns})
        else:
            columns[v.name] = decided["coders"]
    labels = pd.DataFrame(columns).dropna(how="all")
    labels.index = labels.index.astype(str)
    links = {v.name: v.validates["frame"] for v in chosen if "frame" in v.validates}
    kind = "single" if chosen[0].type == "categorical" else "multi"
    return chosen[0].unit, labels.sort_index(), links, len(undecided), kind


def _table_labels(table: pd.DataFrame):
    if "unit_id" not in table:
        raise LabelError("the table of labels needs a unit_id column")
    ids = table["unit_id"].astype(str)
    kinds = {_unit_of(i) for i in ids}
    if len(kinds) != 1:
        raise LabelError(f"the labelled units mix {', '.join(sorted(kinds))}; give one kind")
    if "label" in table:
        labels = pd.get_dummies(table["label"].astype(str)).astype(int)
        kind = "single"
    else:
        labels = table.drop(columns="unit_id")
        numeric = labels.apply(pd.to_numeric, errors="coerce")
        bad = [c for c in labels if not numeric[c].isin([0, 1]).all()]
        if bad or labels.empty:
            raise LabelError(
                "a table of labels has unit_id and either a column 'label' (one category per "
                "unit) or 0/1 columns, one per category; "
                + (f"not 0/1: {', '.join(map(str, bad))}" if bad else "no category column")
            )
        labels = numeric.astype(int)
        kind = "multi"
    labels.index = ids
    return kinds.pop(), labels, kind


def _unit_of(unit_id: str) -> str:
    tail = unit_id.rsplit("/", 1)[-1] if "/" in unit_id else ""
    if tail[:1] == "p" and tail[1:].isdigit():
        return "paragraph"
    if tail[:1] == "s" and tail[1:].isdigit():
        return "sentence"
    return "article"


def _check_both_classes(labels: pd.DataFrame) -> None:
    constant = [c for c in labels.columns if labels[c].nunique() < 2]
    if len(constant) == labels.shape[1]:
        raise LabelError(
            "no category is coded both present and absent: nothing to learn "
            f"({', '.join(constant)})"
        )
