"""How many units (articles or outlets) use each term: the counts behind the default test."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import stats
from analysis.terms.counts import DocumentTerms


class UntestedTermsWarning(stats.ListedWarning):
    """A group has too few units for the word test: its p and q are reported missing."""


def warn_untested(group_units: pd.Series, unit: str) -> None:
    """One :class:`UntestedTermsWarning` counting the groups with fewer than two units
    (``group_units``: units per group), for which the test is not defined; the groups are
    its ``details``."""
    few = group_units[group_units < 2]
    if len(few):
        warnings.warn(
            UntestedTermsWarning(
                f"distinctive words: {stats.few(few.index, 'group')} with fewer than 2 "
                f"{unit}s not tested (p and q reported as missing; z is still given)",
                pd.DataFrame({"group": few.index.astype(str), "n_units": few.to_numpy()}),
            ),
            stacklevel=3,
        )


@dataclass
class UnitPresence:
    """How many units of each group use each term.

    ``using``: (groups x terms) int64, the number of the group's units that use the term;
    ``group_units``: the number of units per group (a Series indexed by group, sorted);
    ``unit``: what a unit is (``"article"`` or the name of the units' column).
    """

    using: np.ndarray
    group_units: pd.Series
    unit: str


class UnitPresenceCounter:
    """Counts, per group and term, the units that use the term at least once, from blocks
    of articles' term counts: a whole document-term matrix, or one partition after another
    (the engine's reduce, where an outlet's articles can be in any partition).

    Parameters
    ----------
    groups : Series
        The group of every compared article, indexed by ``article_id`` (no missing value);
        groups are numbered in sorted order.
    units : Series, optional
        The unit of each article (its outlet), indexed by ``article_id``. A unit is then
        the articles of one outlet within one group (an outlet in two groups is a unit in
        each). None: every article is a unit.
    n_terms : int
        The number of term columns of the blocks.
    """

    def __init__(self, groups: pd.Series, *, units: pd.Series | None, n_terms: int):
        codes, names = pd.factorize(groups.to_numpy(dtype=object), sort=True)
        self.names = np.asarray(names, dtype=object)
        self.unit = "article" if units is None else str(units.name or "outlet")
        if units is None:  # every compared article is a unit, with words or without
            self.unit_of = pd.Series(codes, index=groups.index)
            self.unit_group = None
            self.sizes = np.bincount(codes, minlength=len(names))
            self.using = np.zeros((len(names), n_terms), dtype=np.int64)
        else:
            outlet = units.reindex(groups.index).to_numpy(dtype=object)
            cells, found = pd.factorize(pd.MultiIndex.from_arrays([codes, outlet]), sort=False)
            self.unit_of = pd.Series(cells, index=groups.index)
            self.unit_group = found.get_level_values(0).to_numpy()
            self.sizes = np.bincount(self.unit_group, minlength=len(names))
            self.by_unit = sparse.csr_matrix((len(found), n_terms), dtype=np.int64)

    def add(self, article_ids: np.ndarray, counts: sparse.csr_matrix) -> None:
        """Add the articles ``article_ids`` (the rows of ``counts``); articles that are not
        compared are left out."""
        found = self.unit_of.reindex(article_ids).to_numpy(dtype=float)
        rows = np.flatnonzero(np.isfinite(found))
        n_rows = len(self.names) if self.unit_group is None else len(self.unit_group)
        indicator = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.int64), (found[rows].astype(np.int64), rows)),
            shape=(n_rows, counts.shape[0]),
        )
        present = indicator @ (counts > 0).astype(np.int64)
        if self.unit_group is None:
            self.using += present.toarray()
        else:
            self.by_unit = self.by_unit + present

    def result(self) -> UnitPresence:
        """The counts so far."""
        using = self.using if self.unit_group is None else self._by_group()
        sizes = pd.Series(self.sizes.astype(np.int64), index=self.names)
        return UnitPresence(using, sizes, self.unit)

    def _by_group(self) -> np.ndarray:
        n_units = len(self.unit_group)
        to_group = sparse.csr_matrix(
            (np.ones(n_units, dtype=np.int64), (self.unit_group, np.arange(n_units))),
            shape=(len(self.names), n_units),
        )
        return np.asarray((to_group @ (self.by_unit > 0).astype(np.int64)).todense())


def unit_presence(
    dtm: DocumentTerms, groups: pd.Series, *, units: pd.Series | None = None
) -> UnitPresence:
    """Count, per group and term, the units that use the term at least once
    (:class:`UnitPresenceCounter` over the whole matrix).

    Parameters
    ----------
    dtm : DocumentTerms
    groups : Series
        Group of each article, indexed by ``article_id``; articles without one are left
        out. Every article with a group is a unit (or in one), with words or without.
    units : Series, optional
        As :class:`UnitPresenceCounter`.

    Returns
    -------
    UnitPresence
    """
    counter = UnitPresenceCounter(groups.dropna(), units=units, n_terms=len(dtm.terms))
    counter.add(dtm.article_ids, dtm.counts)
    return counter.result()
