"""Distinctive words: term counts per article in the map, TF-IDF, log-odds, keyness and the
unit test of each group against the rest (and for one pair) in the reduce
(:mod:`analysis.terms`, counted across partitions by :mod:`analysis.terms.streaming`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import groups, terms
from analysis.corpus import CorpusError
from analysis.measures.base import Context, MeasureBase, Partials, Partition, SpilledTable, Tables
from analysis.settings import setting
from analysis.terms.streaming import PartitionTerms, TermCounts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WordSettings:
    """Which terms are counted and how groups are told apart."""

    min_count: int | None = setting(
        None,
        "int",
        "drop rarer terms (null: 2 below 100 articles, else 5)",
        flag="--min-count",
        optional=True,
        minimum=1,
    )
    ngram_max: int = setting(
        2, "int", "1: words only; 2: words and bigrams", flag="--ngram-max", choices=(1, 2)
    )
    prior: str = setting(
        "corpus", "enum", "Dirichlet prior", flag="--prior", choices=("corpus", "uniform")
    )
    prior_scale: float = setting(
        1.0, "float", "scale of the corpus prior", flag="--prior-scale", above=0
    )
    variance: str = setting(
        "full", "enum", "log-odds variance", flag="--variance", choices=("full", "approximate")
    )
    correction: str = setting(
        "bh",
        "enum",
        "adjusted p over the family of every term tested: bh (false discovery rate) or holm",
        flag="--correction",
        choices=("bh", "holm"),
    )

    def min_count_for(self, n_articles: int) -> int:
        """The minimum count used on ``n_articles`` compared articles."""
        return self.min_count or (2 if n_articles < 100 else 5)


class Words(MeasureBase):
    """``term_scores`` (each group against the rest), ``term_pair`` and ``term_settings``."""

    name = "terms"
    background = True
    """Reduced first, on a worker when there is one, while the other measures reduce."""

    def partials(self, scratch: Path) -> Partials:
        return Partials(accumulators={"dtm": TermCounts(scratch)})

    def map(self, partition: Partition, settings) -> dict:
        """The part ``dtm``: every article's term counts over the partition's terms."""
        counted = partition.term_counts((1, settings.words.ngram_max))
        return {"dtm": PartitionTerms(*counted)}

    def reduce(self, partials: Partials, context: Context):
        """Starts the tables on ``context.pool`` when there is one (they are made while the
        other measures reduce) and returns a function that waits for them."""
        compare = context.settings.compare
        articles = context.articles
        if compare.group_by not in articles:
            raise CorpusError(f"no column {compare.group_by!r} to group articles by")
        labels, chosen = groups.choose_groups(
            articles, compare.group_by, groups=compare.groups, max_groups=compare.max_groups
        )
        sizes = labels.value_counts()
        labels = labels[labels.isin(chosen)]
        counts = partials.accumulators["dtm"]
        if len(chosen) < 2:
            log.info("distinctive words: skipped (fewer than two groups)")
            counts.close()
            return {}
        units = groups.test_units(articles, compare.group_by)
        units = None if units is None else units.reindex(labels.index)
        arguments = (
            counts,
            labels.astype(object),
            chosen,
            sizes,
            context.settings,
            context.sink,
            units,
            context.pool is not None,
        )
        if context.pool is None:
            done = distinctive_tables(*arguments)
            return lambda: _received(done, context, counts)
        future = context.pool.submit(distinctive_tables, *arguments)
        return lambda: _received(future.result(), context, counts)


def _received(done, context: Context, counts: TermCounts) -> Tables:
    tables, files, note = done
    counts.close()
    if note:
        log.info(note)
    if files:
        context.sink.record("term_scores", files)
    if isinstance(tables.get("term_pair"), SpilledTable):
        tables["term_pair"] = tables["term_pair"].take().to_pandas()
    return tables


def distinctive_tables(
    term_counts: TermCounts,
    labels: pd.Series,
    chosen: list[str],
    sizes: pd.Series,
    settings,
    sink,
    units: pd.Series | None = None,
    spill_pair: bool = False,
) -> tuple[Tables, list[Path], str | None]:
    """The distinctive-word tables from the term counts: ``term_scores`` written to
    ``sink`` comparison by comparison, ``term_pair`` and ``term_settings`` returned.

    A plain function of its arguments, so a worker process can run it. ``labels`` gives the
    group of each compared article (indexed by ``article_id``), ``chosen`` the groups and
    ``sizes`` every group's article count (for the default pair), ``units`` the outlet of
    each compared article when the test's unit is the outlet; ``spill_pair`` returns
    ``term_pair`` through a file (from a worker: it gives its memory back before the
    reducing process reads the table). Returns the tables, the files written and a note
    for the log (None when there is nothing to say).
    """
    compare, words = settings.compare, settings.words
    pair = compare.pair or tuple(sorted(chosen, key=lambda g: (-sizes[g], g))[:2])
    min_count = words.min_count_for(len(labels))
    options = {"prior": words.prior, "scale": words.prior_scale, "variance": words.variance}
    found = term_counts.distinctive(
        labels,
        pair=pair,
        min_count=min_count,
        units=units,
        correction=words.correction,
        **options,
    )
    if found is None:
        return {}, [], f"distinctive words: skipped (no term used {min_count} times or more)"
    writer = sink.open("term_scores", rows=found.n_terms * labels.nunique())
    for comparison in found.scores:
        writer.write(comparison)
        del comparison
        sink.release()
    files = writer.close()
    pair_table = found.pair
    if spill_pair:
        pair_table = SpilledTable.write(found.pair, term_counts.folder / "term_pair")
    n_terms, found = found.n_terms, None
    sink.release()
    described = pd.DataFrame(
        [
            {
                "group_by": compare.group_by,
                "groups": "; ".join(sorted(chosen)),
                "pair": " vs ".join(pair),
                "articles": len(labels),
                "terms": n_terms,
                "ngram_max": words.ngram_max,
                "min_count": min_count,
                "stop_words": len(terms.STOP_WORDS),
                "test_unit": "article" if units is None else "outlet",
                "correction": words.correction,
                **options,
            }
        ]
    ).rename(columns={"scale": "prior_scale"})
    return {"term_pair": pair_table, "term_settings": described}, files, None
