"""The tables a load produces: their columns, the :class:`Corpus` holding them, the error.

``ARTICLE_COLUMNS``, ``REJECTED_COLUMNS`` and ``REPAIR_COLUMNS`` are the leading columns of
the ``articles``, ``rejected`` and ``repairs`` tables; ``COLUMN_NAMES`` are the input column
names detected for each role when the user names none.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.tokens import count_words_many

ARTICLE_COLUMNS = [
    "article_id",
    "outlet",
    "published",
    "published_precision",
    "title",
    "text",
    "source_file",
    "source_row",
]
REJECTED_COLUMNS = ["source_file", "source_row", "article_id", "column", "reason"]
REPAIR_COLUMNS = ["article_id", "source_file", "source_row", "column", "repair"]
UNKNOWN_OUTLET = "unknown"
MAX_CHARS = 1_000_000
"""Texts longer than this many characters are rejected (``load_corpus(max_chars=...)``)."""
COLUMN_NAMES = {
    "text": (
        "text",
        "content",
        "body",
        "content_original",
        "article",
        "article_text",
        "full_text",
        "story",
    ),
    "outlet": (
        "outlet",
        "source",
        "publication",
        "publisher",
        "media",
        "site",
        "source_name",
        "newspaper",
        "domain",
    ),
    "id": ("article_id", "id", "doc_id", "uuid", "file"),
    "date": (
        "published",
        "date",
        "publish_date",
        "published_at",
        "pubdate",
        "datetime",
        "timestamp",
    ),
    "title": ("title", "headline"),
}
"""Column names detected (case-insensitively, first match wins) when no mapping is given."""


class CorpusError(ValueError):
    """The corpus cannot be read at all; the message names the file, row and column."""


@dataclass(repr=False)
class Corpus:
    """A loaded corpus and the account of how it was loaded.

    Attributes
    ----------
    articles : pandas.DataFrame
        One row per loaded article: ``article_id`` (str, unique), ``outlet`` (str),
        ``published`` (datetime64[ns], NaT when missing), ``published_precision`` (``"year"``,
        ``"month"``, ``"day"``, ``"time"`` or <NA>), ``title`` (str or <NA>), ``text`` (str, as
        received, line endings ``\\n``, without control characters or unpaired surrogates, at
        most ``max_chars`` long), ``source_file`` (str), ``source_row`` (Int64, <NA> for
        ``.txt`` files), then every other column of the input under its own name (a name that
        clashes with one of these gets the suffix ``_original``).
    rejected : pandas.DataFrame
        One row per input row or file not loaded: ``source_file``, ``source_row`` (Int64),
        ``article_id``, ``column`` (the input column at fault, or <NA>), ``reason``.
    repairs : pandas.DataFrame
        One row per change made to a loaded article, or to the whole file when ``article_id``
        is <NA>: ``article_id``, ``source_file``, ``source_row``, ``column``, ``repair``.
    source : str
        What was loaded: the path as given, or ``"<DataFrame>"``.
    n_input : int
        Rows or files seen (blank lines not counted); always
        ``len(articles) + len(rejected)``.
    dayfirst : bool
        The order numeric dates ``N/N/Y`` were read in: ``D/M/Y`` when True, else ``M/D/Y``.
    """

    articles: pd.DataFrame
    rejected: pd.DataFrame
    repairs: pd.DataFrame
    source: str
    n_input: int
    dayfirst: bool = False

    def __repr__(self) -> str:
        return (
            f"Corpus({self.source!r}: {len(self.articles)} articles, "
            f"{len(self.rejected)} rejected, {len(self.repairs)} repairs)"
        )

    def summary(self) -> pd.DataFrame:
        """Count the loaded articles per outlet.

        Returns
        -------
        pandas.DataFrame
            One row per outlet, sorted by outlet: ``outlet``, ``articles`` (count),
            ``words_received`` (total tokens of the text as received, before cleaning, by
            :func:`analysis.tokens.count_words_many`; the figures count the cleaned text, so
            their words are fewer), ``first_published`` and ``last_published`` (the range of the
            dated articles, NaT when none has a date) and ``undated`` (articles without a
            date, outside that range). Rejected input has no outlet and is not counted here;
            see :attr:`rejected`.
        """
        a = self.articles
        return outlet_summary(
            pd.DataFrame(
                {
                    "outlet": a["outlet"],
                    "words": count_words_many(a["text"]),
                    "published": a["published"],
                }
            )
        )


def outlet_summary(per_article: pd.DataFrame) -> pd.DataFrame:
    """:meth:`Corpus.summary` from per-article counts (``outlet``, ``words``, ``published``),
    so a run that streams its articles can summarise them without holding their text."""
    frame = per_article.assign(undated=per_article["published"].isna())
    return (
        frame.groupby("outlet", sort=True)
        .agg(
            articles=("words", "size"),
            words_received=("words", "sum"),
            first_published=("published", "min"),
            last_published=("published", "max"),
            undated=("undated", "sum"),
        )
        .reset_index()
    )
