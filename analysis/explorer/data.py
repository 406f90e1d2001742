"""The explorer's data: comparisons, their top terms, and capped contexts for each term.

Everything here is a pure function of the run's tables; the page (:mod:`.page`) only draws it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import concordance, plots, stats
from analysis import terms as term_measures
from analysis.explorer.contexts import sample_contexts
from analysis.segment import split_sentences

MAX_TERMS = 100
"""Terms kept per comparison: half with the highest z, half with the lowest."""
MAX_CONTEXTS = 12
"""Contexts kept per term."""
WINDOW = 8
"""Tokens of context on either side of a match."""
MAX_PAIR_GROUPS = 8
"""Up to this many groups, every pair of groups is offered; above it, only the run's pair."""
TITLE_CHARACTERS = 120


def _round(value, digits: int = 3):
    value = float(value)
    return None if not math.isfinite(value) else round(value, digits)


def _significant(value, digits: int = 3):
    value = float(value)
    return None if not math.isfinite(value) else float(f"{value:.{digits}g}")


def _setting(settings: pd.DataFrame | None, name: str, default):
    if settings is None or settings.empty or name not in settings:
        return default
    value = settings[name].iloc[0]
    return default if pd.isna(value) else value


_SCORE_COLUMNS = (
    "group",
    "comparison",
    "term",
    "count",
    "count_other",
    "rate",
    "z",
    "q",
    "units_using",
    "n_units",
)
"""The columns of ``term_scores`` the page is made from."""


def _one_vs_rest(scores: pd.DataFrame) -> pd.DataFrame:
    scores = scores[[c for c in _SCORE_COLUMNS if c in scores]]
    group = scores["group"].astype(str)
    return scores[scores["comparison"].astype(str) == group + " vs rest"].assign(group=group)


def _per_group(one: pd.DataFrame, values: str, terms: pd.Index, groups: list[str]) -> np.ndarray:
    """A term x group matrix of the sum of ``values`` (0 where a group lacks the term): the
    numbers of ``one.pivot_table(index="term", columns="group", values=values,
    aggfunc="sum")`` reindexed to ``terms`` and ``groups``, as floats."""
    found = one.dropna(subset=["term", values])
    row = terms.get_indexer(found["term"])
    column = pd.Index(groups).get_indexer(found["group"])
    inside = (row >= 0) & (column >= 0)
    flat = row[inside] * len(groups) + column[inside]
    weights = found[values].to_numpy(dtype=float)[inside]
    summed = np.bincount(flat, weights=weights, minlength=len(terms) * len(groups))
    return summed.reshape(len(terms), len(groups))


def _group_tokens(one: pd.DataFrame, groups: list[str]) -> list[int | None]:
    """Each group's token total, recovered from its rates (rate = 1000 * count / tokens)."""
    if not {"count", "rate"} <= set(one.columns):
        return [None] * len(groups)
    used = one[(one["count"] > 0) & (one["rate"] > 0)]
    found = (1000 * used["count"] / used["rate"]).groupby(used["group"]).median()
    return [int(round(found[g])) if g in found else None for g in groups]


def _computed_pairs(one: pd.DataFrame, groups: list[str], settings) -> list[dict]:
    """Log-odds of every pair of groups from the per-group counts of the one-vs-rest table,
    with the run's prior and variance (the same computation as :func:`analysis.terms.log_odds`
    with ``pairs``)."""
    prior = _setting(settings, "prior", "corpus")
    if prior not in ("corpus", "uniform") or len(groups) < 2:
        return []
    terms = pd.Index(one.dropna(subset=["count"])["term"].dropna().unique()).sort_values()
    dense = _per_group(one, "count", terms, groups)
    # the unit test of the run (articles, or outlets, using each term) for every pair
    using = _per_group(one, "units_using", terms, groups) if "units_using" in one else None
    n_units = one.groupby("group")["n_units"].first().reindex(groups) if using is not None else None
    alpha = term_measures.dirichlet_prior(
        dense.sum(axis=1), prior=prior, scale=float(_setting(settings, "prior_scale", 1.0))
    )
    variance = str(_setting(settings, "variance", "full"))
    found = []
    for i, first in enumerate(groups):
        for j in range(i + 1, len(groups)):
            y_i, y_j = dense[:, i], dense[:, j]
            used = (y_i + y_j) > 0
            result = term_measures.log_odds_arrays(
                y_i[used], y_j[used], alpha[used], variance=variance, n_i=y_i.sum(), n_j=y_j.sum()
            )
            table = pd.DataFrame(
                {
                    "term": terms[used],
                    "count": y_i[used].astype(np.int64),
                    "count_other": y_j[used].astype(np.int64),
                    "z": result["z"],
                    "q": _pair_q(using, n_units, i, j, used),
                }
            )
            found.append({"first": first, "second": groups[j], "table": table})
    return found


def _pair_q(using, n_units, i: int, j: int, used: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg q of the unit test (:func:`analysis.stats.presence_test`) of
    groups ``i`` and ``j`` over the pair's terms; missing when the run's table has no
    unit counts."""
    if using is None:
        return np.full(int(used.sum()), np.nan)
    p = stats.presence_test(using[used, i], n_units.iloc[i], using[used, j], n_units.iloc[j])
    return stats.adjust_p(p)


def _chosen_pairs(pairs: pd.DataFrame | None, groups: list[str]) -> list[dict]:
    """The pairs of the run's ``term_pair`` table (labelled ``first vs second``)."""
    if pairs is None or pairs.empty:
        return []
    found = []
    for label, table in pairs.groupby("comparison", sort=True):
        first = str(table["group"].iloc[0])
        second = str(label)[len(first) + len(" vs ") :]
        if first in groups and second in groups and first != second:
            found.append({"first": first, "second": second, "table": table})
    return found


def _top(table: pd.DataFrame, max_terms: int) -> pd.DataFrame:
    z = table["z"].to_numpy(dtype=float)
    table, z = table[np.isfinite(z)], z[np.isfinite(z)]
    half = max_terms // 2
    # only the rows that can be among the highest or the lowest are sorted: their order
    # among themselves is the one the whole table sorted would give them
    if len(z) > max_terms:
        highest = np.partition(z, len(z) - (max_terms - half))[len(z) - (max_terms - half)]
        lowest = np.partition(z, half - 1)[half - 1]
        table = table[(z >= highest) | (z <= lowest)]
    high = table.sort_values(["z", "term"], ascending=[False, True], kind="stable")
    low = table.sort_values(["z", "term"], ascending=[True, True], kind="stable")
    kept = pd.concat([high.head(max_terms - half), low.head(half)]).drop_duplicates("term")
    return kept.sort_values(["z", "term"], ascending=[False, True], kind="stable")


def explorer_data(
    tables: dict[str, pd.DataFrame],
    *,
    max_terms: int = MAX_TERMS,
    max_contexts: int = MAX_CONTEXTS,
    window: int = WINDOW,
    max_pair_groups: int = MAX_PAIR_GROUPS,
) -> dict:
    """Everything the explorer page shows, as plain JSON-ready values.

    Parameters
    ----------
    tables : dict of DataFrame
        A run's tables (:func:`analysis.pipeline.run`): ``articles`` (``article_id``,
        ``outlet``, ``text_clean``, ``title`` if any, and the grouping column), ``term_scores``
        (``group, comparison, term, count, count_other, rate, z, q``: the one-vs-rest
        comparisons), and when present ``term_pair`` (the run's pair), ``term_settings``
        (``group_by``, ``prior``, ``prior_scale``, ``variance``) and ``sentences``
        (``article_id, start, end, voice``: each context's voice; without it the articles
        shown are segmented here).
    max_terms : int
        Terms per comparison: the ``max_terms // 2`` with the lowest z and the rest with the
        highest.
    max_contexts : int
        Contexts per term, at most.
    window : int
        Tokens of context on either side of a match.
    max_pair_groups : int
        With at most this many groups every pair is offered (computed from the one-vs-rest
        counts with the run's prior and variance); with more, only the pairs in ``term_pair``.

    Returns
    -------
    dict
        ``groups``, ``colors``, ``tokens`` (per group), ``outlets``, ``voices``, ``articles``
        (``[id, title]``), ``terms`` (sorted), ``comparisons`` (``first``, ``second`` (None:
        the rest) and ``rows`` ``[term index, count, count_other, z, q]``), ``contexts`` (per
        term: ``[group, outlet, voice, article, left, match, right]``, indices into the lists
        above, voice -1 when unknown), ``caps`` and ``notes`` (sentences stating the caps).
    """
    if max_terms < 2 or max_contexts < 0 or window < 0:
        raise ValueError("max_terms must be 2 or more; max_contexts and window 0 or more")
    articles = tables["articles"]
    scores = tables.get("term_scores")
    settings = tables.get("term_settings")
    group_by = str(_setting(settings, "group_by", "outlet"))
    one = _one_vs_rest(scores) if scores is not None else pd.DataFrame(columns=["group"])
    groups = sorted(one["group"].unique())

    comparisons = [{"first": g, "second": None, "table": one[one["group"] == g]} for g in groups]
    computed = _computed_pairs(one, groups, settings) if len(groups) <= max_pair_groups else []
    pairs = computed or _chosen_pairs(tables.get("term_pair"), groups)
    comparisons.extend(pairs)
    for comparison in comparisons:
        comparison["table"] = _top(comparison["table"], max_terms)

    focus: dict[str, set[str]] = {}
    for comparison in comparisons:
        for term in comparison["table"]["term"]:
            focus.setdefault(term, set()).update(
                g for g in (comparison["first"], comparison["second"]) if g is not None
            )
    term_list = sorted(focus)
    term_index = {t: i for i, t in enumerate(term_list)}

    articles = articles.assign(
        article_id=articles["article_id"].astype(str),
        outlet=articles["outlet"].astype(str) if "outlet" in articles else "",
        title=articles["title"].fillna("").astype(str) if "title" in articles else "",
        _group=(articles[group_by].astype("string").fillna("") if group_by in articles else ""),
    )
    articles = articles[articles["_group"].isin(groups)].sort_values("article_id", kind="stable")
    contexts = sample_contexts(
        articles.reset_index(drop=True),
        articles["_group"].to_numpy(dtype=object),
        focus,
        groups,
        max_contexts=max_contexts,
        window=window,
    )
    if len(contexts):
        sentences = tables.get("sentences")
        if sentences is None:
            shown = articles[articles["article_id"].isin(set(contexts["article_id"]))]
            sentences = split_sentences(shown[["article_id", "text_clean"]])
        contexts = concordance.add_voice(contexts, sentences)
    else:
        contexts = contexts.assign(voice=pd.Categorical([], categories=concordance.VOICES))
    contexts = contexts.sort_values(["term", "group", "outlet", "article_id", "start"])

    outlets = sorted(contexts["outlet"].unique())
    outlet_index = {o: i for i, o in enumerate(outlets)}
    shown = contexts.drop_duplicates("article_id").sort_values("article_id")
    article_list = [[a, t[:TITLE_CHARACTERS]] for a, t in zip(shown["article_id"], shown["title"])]
    article_index = {a: i for i, (a, _) in enumerate(article_list)}
    group_index = {g: i for i, g in enumerate(groups)}
    voice_index = {v: i for i, v in enumerate(concordance.VOICES)}
    per_term: list[list] = [[] for _ in term_list]
    for row in contexts.itertuples(index=False):
        per_term[term_index[row.term]].append(
            [
                group_index[row.group],
                outlet_index[row.outlet],
                voice_index.get(row.voice, -1) if isinstance(row.voice, str) else -1,
                article_index[row.article_id],
                row.left,
                row.match,
                row.right,
            ]
        )

    colors = plots.outlet_colors(groups)
    n_pairs = sum(c["second"] is not None for c in comparisons)
    caps = {
        "max_terms": max_terms,
        "max_contexts": max_contexts,
        "window": window,
        "max_pair_groups": max_pair_groups,
    }
    return {
        "title": "Distinctive words and their contexts",
        "group_by": group_by,
        "groups": groups,
        "colors": [colors[g] for g in groups],
        "tokens": _group_tokens(one, groups),
        "outlets": outlets,
        "voices": list(concordance.VOICES),
        "articles": article_list,
        "terms": term_list,
        "comparisons": [
            {
                "first": group_index[c["first"]],
                "second": None if c["second"] is None else group_index[c["second"]],
                "rows": [
                    [term_index[t], int(n), int(m), _round(z), _significant(q)]
                    for t, n, m, z, q in zip(
                        c["table"]["term"],
                        c["table"]["count"],
                        c["table"]["count_other"],
                        c["table"]["z"],
                        c["table"]["q"],
                    )
                ],
            }
            for c in comparisons
        ],
        "contexts": per_term,
        "caps": caps,
        "notes": _notes(
            caps,
            n_articles=len(articles),
            n_terms=len(term_list),
            n_contexts=len(contexts),
            n_groups=len(groups),
            n_pairs=n_pairs,
            computed=bool(computed),
            group_by=group_by,
            prior=str(_setting(settings, "prior", "corpus")),
            variance=str(_setting(settings, "variance", "full")),
            unit=str(_setting(settings, "test_unit", "article")),
            n_tested=sum(
                int(np.isfinite(c["table"]["q"].to_numpy(dtype=float)).sum()) for c in comparisons
            ),
        ),
    }


def _notes(caps: dict, **facts) -> list[str]:
    """What the page says about this file: first a plain summary (what is compared, and
    whether any word could be tested), then the small print (the methods, and the caps:
    what the file leaves out)."""
    if not facts["n_groups"]:
        return [
            "No distinctive-word comparison in this run (fewer than two groups, or no term "
            "frequent enough), so there is nothing to explore."
        ]
    half = caps["max_terms"] // 2
    units = f"{facts['unit']}s"
    summary = (
        f"{facts['n_articles']:,} articles in {facts['n_groups']} groups (by {facts['group_by']})."
    )
    if not facts["n_tested"]:
        summary += (
            f" No word could be tested in this run: the test needs at least two {units} on "
            "each side, so every q is n/a and the words are only candidates to read in "
            "context."
        )
    if facts["computed"]:
        pairs = (
            f"Pairs: all {facts['n_pairs']} pairs of groups (every pair is offered up to "
            f"{caps['max_pair_groups']} groups)."
        )
    else:
        pairs = (
            f"Pairs: only the run's chosen pair ({facts['n_pairs']}); every pair is offered "
            f"only up to {caps['max_pair_groups']} groups."
        )
    return [
        summary,
        "How the words are placed and tested. z: the z-score of a log-odds ratio with an "
        "informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; prior: "
        f"{facts['prior']}, variance: {facts['variance']}). q: Fisher's exact test on how "
        f"many {units} use the word (the unit of the test: pooled word counts mislead, as "
        "words come in bursts), with the Benjamini-Hochberg adjustment over all words of "
        "every group-against-the-rest comparison, and over the words of each pair for a pair.",
        "What this file leaves out, so that it stays small on any corpus: per comparison, "
        f"only the {caps['max_terms'] - half} words with the highest z and the {half} with "
        f"the lowest ({facts['n_terms']:,} different words in this file); per word, at most "
        f"{caps['max_contexts']} excerpts of {caps['window']} words either side "
        f"({facts['n_contexts']:,} in all), taken in turn from the groups whose comparison "
        "ranks the word and then from every group, one per article before a second from the "
        "same article. Find a word finds only the words in this file. " + pairs,
    ]
