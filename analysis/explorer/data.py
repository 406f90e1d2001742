"""The explorer's data: comparisons, their top terms, and capped contexts for each term.

Everything here is a pure function of the run's tables; the page (:mod:`.page`) only draws it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import concordance, plots, registry, stats
from analysis import terms as term_measures
from analysis.explorer.contexts import sample_contexts
from analysis.figures.spec import outlets_with_most_articles
from analysis.segment import split_sentences
from analysis.topics import topic_shares

MAX_TERMS = 100
"""Terms kept per comparison: half with the highest z, half with the lowest."""
MAX_CONTEXTS = 12
"""Contexts kept per term."""
WINDOW = 8
"""Tokens of context on either side of a match."""
MAX_PAIR_GROUPS = 8
"""Up to this many groups, every pair of groups is offered; above it, only the run's pair."""
TITLE_CHARACTERS = 120
MAX_TOPICS = 60
"""Topics kept: the most prevalent ones (their mean share over every outlet's articles)."""
MAX_TOPIC_OUTLETS = 20
"""Outlets shown in the topics view: those with the most articles (as the figures)."""
MAX_TOPIC_ARTICLES = 24
"""Articles kept per topic: the one the topic fills most in each outlet shown, then the
second, and so on."""
MAX_TOPIC_WORDS = 10
"""Words kept per topic and ranking (FREX, most probable)."""
OPENING_CHARACTERS = 400
TOPIC_TABLES = ("topic_terms", "outlet_topics", "topic_examples")
"""The topic tables the explorer reads (never ``article_topics``: articles x topics rows)."""
SIGNIFICANT = 0.05


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
    max_topics: int = MAX_TOPICS,
    max_topic_outlets: int = MAX_TOPIC_OUTLETS,
    max_topic_articles: int = MAX_TOPIC_ARTICLES,
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
    max_topics, max_topic_outlets, max_topic_articles : int
        The topics view's caps, see :func:`topics_data` (used only when the run has topic
        tables).

    Returns
    -------
    dict
        ``groups``, ``colors``, ``tokens`` (per group), ``outlets``, ``voices``, ``articles``
        (``[id, title]``), ``terms`` (sorted), ``comparisons`` (``first``, ``second`` (None:
        the rest) and ``rows`` ``[term index, count, count_other, z, q]``), ``contexts`` (per
        term: ``[group, outlet, voice, article, left, match, right]``, indices into the lists
        above, voice -1 when unknown), ``caps`` and ``notes`` (sentences stating the caps);
        and ``topics`` (:func:`topics_data`) only when the run has topic tables: without
        them the data, hence the page, is the same as before topics existed.
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
    found = {
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
    if any(tables.get(name) is not None and len(tables[name]) for name in TOPIC_TABLES):
        found["topics"] = topics_data(
            tables,
            groups,
            group_by,
            max_topics=max_topics,
            max_outlets=max_topic_outlets,
            max_articles=max_topic_articles,
        )
        if not groups:
            found["notes"] = [
                "No distinctive-word comparison in this run (fewer than two groups, or no "
                "term frequent enough): read the topics below."
            ]
    return found


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


def _cut(text, limit: int) -> str:
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _topic_labels(tables: dict[str, pd.DataFrame]) -> dict[int, str]:
    """Each topic's label, from the first topic table that has it."""
    labels: dict[int, str] = {}
    for name in TOPIC_TABLES:
        table = tables.get(name)
        if table is None or not len(table) or "label" not in table:
            continue
        found = table[["topic", "label"]].dropna().sort_values(["topic", "label"], kind="stable")
        for topic, label in found.drop_duplicates("topic").itertuples(index=False):
            labels.setdefault(int(topic), str(label))
    return labels


def _topic_table(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A topic table, or an empty one with its registered columns."""
    columns = list(registry.spec(name).columns)
    table = tables.get(name)
    if table is None:
        return pd.DataFrame(columns=columns)
    return table.assign(**{c: np.nan for c in columns if c not in table})


def _shown_outlets(shares: pd.DataFrame, examples: pd.DataFrame, limit: int) -> list[str]:
    """The ``limit`` outlets with the most articles (from ``outlet_topics``; the most
    examples without it), by name, as the figures of topics show them."""
    if len(shares):
        return outlets_with_most_articles(shares, limit)
    sizes = examples.groupby("outlet")["article_id"].nunique().rename("n_articles")
    return outlets_with_most_articles(sizes.reset_index(), limit)


def _outlet_groups(
    articles: pd.DataFrame | None, outlets: list[str], groups: list[str], group_by: str
) -> list[int]:
    """Each outlet's group (its index in ``groups``; -1 when it has none or several)."""
    group_index = {g: i for i, g in enumerate(groups)}
    if group_by == "outlet":
        return [group_index.get(o, -1) for o in outlets]
    found = [-1] * len(outlets)
    if articles is None or "outlet" not in articles or group_by not in articles:
        return found
    pairs = pd.DataFrame(
        {
            "outlet": articles["outlet"].astype("string"),
            "group": articles[group_by].astype("string"),
        }
    )
    pairs = pairs.dropna().drop_duplicates()
    pairs = pairs[pairs["outlet"].isin(outlets)]
    single = pairs.drop_duplicates("outlet", keep=False)
    for outlet, group in zip(single["outlet"], single["group"]):
        found[outlets.index(outlet)] = group_index.get(group, -1)
    return found


def topics_data(
    tables: dict[str, pd.DataFrame],
    groups: list[str],
    group_by: str,
    *,
    max_topics: int = MAX_TOPICS,
    max_outlets: int = MAX_TOPIC_OUTLETS,
    max_articles: int = MAX_TOPIC_ARTICLES,
    max_words: int = MAX_TOPIC_WORDS,
) -> dict:
    """The topics view: each topic's words and community, each shown outlet's share of it,
    and the articles it fills most.

    Parameters
    ----------
    tables : dict of DataFrame
        ``topic_terms``, ``outlet_topics`` and ``topic_examples`` (any may be missing) and
        ``articles`` (each outlet's group, for its colour).
    groups : list of str
        The page's groups (their index gives an outlet's colour), compared by ``group_by``.
    max_topics : int
        Topics kept: the most prevalent (mean share over all articles), shown by number.
    max_outlets : int
        Outlets shown: those with the most articles, by name.
    max_articles : int
        Articles per topic: among the shown outlets', every outlet's first (the topic fills
        it most) before any second, the higher proportion first.
    max_words : int
        Words per topic and ranking.

    Returns
    -------
    dict
        ``outlets`` (names), ``outlet_articles`` (each one's articles, or None),
        ``outlet_groups`` (index into ``groups``, -1 when an outlet has none or several),
        ``articles`` (``[id, title, opening]``), ``list`` (per topic: ``topic``, ``label``,
        ``community``, ``share``, ``frex`` and ``probable`` (words), ``outlets`` (``[outlet,
        estimate, ci_low, ci_high, rest, q]``) and ``articles`` (``[outlet, article, rank,
        proportion]``, by outlet and rank)), ``n_topics``, ``n_outlets``, ``caps`` and
        ``notes``.
    """
    if max_topics < 1 or max_outlets < 1 or max_articles < 0 or max_words < 0:
        raise ValueError("max_topics and max_outlets must be 1 or more; the others 0 or more")
    terms, shares, examples = (_topic_table(tables, name) for name in TOPIC_TABLES)
    shares = shares.assign(outlet=shares["outlet"].astype(str))
    examples = examples.assign(
        outlet=examples["outlet"].astype(str), article_id=examples["article_id"].astype(str)
    )
    labels = _topic_labels(tables)
    every = sorted({int(t) for table in (terms, shares, examples) for t in table["topic"].dropna()})
    prevalence = topic_shares(shares) if len(shares) else pd.Series(dtype=float)
    weight = np.nan_to_num(prevalence.reindex(every).to_numpy(dtype=float))
    ranked = [t for _, t in sorted(zip(-weight, every))]
    kept = sorted(ranked[:max_topics])

    outlets = _shown_outlets(shares, examples, max_outlets)
    n_outlets = len(set(shares["outlet"]) | set(examples["outlet"]))
    outlet_index = {o: i for i, o in enumerate(outlets)}
    sizes = shares.groupby("outlet")["n_articles"].max()
    outlet_groups = _outlet_groups(tables.get("articles"), outlets, groups, group_by)

    shares = shares[shares["outlet"].isin(outlet_index) & shares["topic"].isin(kept)]
    shares = shares.sort_values(["topic", "outlet"], kind="stable")
    examples = examples[examples["outlet"].isin(outlet_index) & examples["topic"].isin(kept)]
    examples = examples.sort_values(
        ["topic", "rank", "proportion", "outlet", "article_id"],
        ascending=[True, True, False, True, True],
        kind="stable",
    )
    examples = examples.drop_duplicates(["topic", "article_id"])
    examples = examples.groupby("topic", sort=True).head(max_articles)
    shown = examples.drop_duplicates("article_id").sort_values("article_id", kind="stable")
    article_list = [
        [a, _cut(t, TITLE_CHARACTERS), _cut(o, OPENING_CHARACTERS)]
        for a, t, o in zip(
            shown["article_id"],
            shown["title"],
            shown["opening"],
        )
    ]
    article_index = {a[0]: i for i, a in enumerate(article_list)}

    words = terms[terms["topic"].isin(kept) & (terms["rank"] <= max_words)]
    words = words.sort_values(["topic", "ranking", "rank", "term"], kind="stable")
    listed = []
    for topic in kept:
        mine = words[words["topic"] == topic]
        community = mine["community"].dropna()
        own = shares[shares["topic"] == topic]
        chosen = examples[examples["topic"] == topic].sort_values(
            ["outlet", "rank", "article_id"], kind="stable"
        )
        listed.append(
            {
                "topic": topic,
                "label": _cut(labels.get(topic, str(topic)), TITLE_CHARACTERS),
                "community": int(community.iloc[0]) if len(community) else None,
                "share": _significant(prevalence[topic]) if topic in prevalence else None,
                "frex": [str(w) for w in mine.loc[mine["ranking"] == "frex", "term"]],
                "probable": [str(w) for w in mine.loc[mine["ranking"] == "probability", "term"]],
                "outlets": [
                    [
                        outlet_index[o],
                        _round(e, 4),
                        _round(lo, 4),
                        _round(hi, 4),
                        _round(r, 4),
                        _significant(q),
                    ]
                    for o, e, lo, hi, r, q in zip(
                        own["outlet"],
                        own["estimate"],
                        own["ci_low"],
                        own["ci_high"],
                        own["rest"],
                        own["q"],
                    )
                ],
                "articles": [
                    [outlet_index[o], article_index[a], int(r), _round(p, 3)]
                    for o, a, r, p in zip(
                        chosen["outlet"], chosen["article_id"], chosen["rank"], chosen["proportion"]
                    )
                ],
            }
        )
    caps = {
        "max_topics": max_topics,
        "max_outlets": max_outlets,
        "max_articles": max_articles,
        "max_words": max_words,
    }
    return {
        "outlets": outlets,
        "outlet_articles": [int(sizes[o]) if o in sizes else None for o in outlets],
        "outlet_groups": outlet_groups,
        "articles": article_list,
        "list": listed,
        "n_topics": len(every),
        "n_outlets": n_outlets,
        "caps": caps,
        "notes": _topic_notes(
            caps,
            n_topics=len(every),
            n_kept=len(kept),
            n_outlets=n_outlets,
            n_shown=len(outlets),
            n_articles=len(article_list),
            n_marked=int((shares["q"].astype(float) < SIGNIFICANT).sum()),
            n_tested=int(shares["p"].notna().sum()),
        ),
    }


def _topic_notes(caps: dict, **facts) -> list[str]:
    """What the topics view says: a summary, how to read the shares, and its caps."""
    summary = (
        f"{facts['n_topics']} topics from the run's topic model"
        + (
            f"; the {facts['n_kept']} most prevalent are shown"
            if facts["n_kept"] < facts["n_topics"]
            else ""
        )
        + "."
    )
    method = (
        "How to read a topic. A topic is a set of words that tend to come together; it is "
        "named by its FREX words (frequent in the topic and exclusive to it), and its most "
        "probable words are given beside them. Its community groups it with the topics that "
        "share articles with it. An outlet's share: the mean share of its articles' words in "
        "the topic, with the 95% interval resampling the outlet's articles (none where the "
        "outlet has too few). Marked \u25cf: the "
        f"{facts['n_marked']} outlet-topic cells (of the {facts['n_shown']} outlets shown) that "
        "differ from all other articles (permutation test, Benjamini-Hochberg q < "
        f"{SIGNIFICANT} over the {facts['n_tested']} cells tested). Read the articles before "
        "calling a topic a frame."
    )
    outlets = (
        f"the {facts['n_shown']} outlets with the most articles (of {facts['n_outlets']})"
        if facts["n_shown"] < facts["n_outlets"]
        else f"all {facts['n_shown']} outlets"
    )
    caps_note = (
        "What the topics view leaves out, so that it stays small on any corpus: at most "
        f"{caps['max_topics']} topics (the most prevalent); {outlets}, at most "
        f"{caps['max_outlets']}; per topic, at most {caps['max_words']} words of each ranking "
        f"and {caps['max_articles']} articles of those outlets (the article the topic fills "
        "most in each outlet, then the second, up to the run's three), their titles cut at "
        f"{TITLE_CHARACTERS} characters and openings at {OPENING_CHARACTERS} "
        f"({facts['n_articles']:,} different articles in this file)."
    )
    return [summary, method, caps_note]
