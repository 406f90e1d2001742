"""How well extraction and attribution agree with hand-labelled quotes.

Use it to check the patterns on a sample of your own corpus before trusting the measures:
label every quote of a few articles (span, speaker) in a table like
``tests/fixtures/seed_quotes.yml`` and compare.
"""

from __future__ import annotations

import pandas as pd

GOLD_COLUMNS = ["article_id", "kind", "start", "end", "speaker"]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def match_quotes(
    predicted: pd.DataFrame, gold: pd.DataFrame, *, min_overlap: float = 0.5
) -> pd.DataFrame:
    """Pair predicted and hand-labelled quotes one to one.

    A pair is two quotes of the same article and the same kind (a ``post`` counts as a
    ``direct`` quote: hand labels mark embedded posts as direct quotes) whose character
    spans overlap by at least ``min_overlap`` (intersection over union); pairs are taken
    greedily, largest overlap first.

    Parameters
    ----------
    predicted : DataFrame
        :func:`analysis.quotes.extract_quotes` output (``article_id, kind, start, end,
        speaker``); nested quotes are left out (hand labels do not mark them).
    gold : DataFrame
        Hand labels with :data:`GOLD_COLUMNS` (``speaker`` missing when the text names
        nobody).

    Returns
    -------
    DataFrame
        One row per predicted or gold quote: ``article_id``, ``kind``, ``pred`` and
        ``gold`` (row positions, missing when unpaired), ``overlap``, ``pred_speaker``,
        ``gold_speaker``.
    """
    predicted = predicted[~predicted.get("nested", False)].reset_index(drop=True)
    pred_kind = predicted["kind"].astype(str).replace({"post": "direct"})
    candidates = []
    for p, row in predicted.iterrows():
        same = gold[(gold["article_id"] == row["article_id"]) & (gold["kind"] == pred_kind[p])]
        for g, other in same.iterrows():
            score = _overlap((row["start"], row["end"]), (other["start"], other["end"]))
            if score >= min_overlap:
                candidates.append((-score, p, g))
    used_p, used_g, rows = set(), set(), []
    for negative, p, g in sorted(candidates):
        if p in used_p or g in used_g:
            continue
        used_p.add(p)
        used_g.add(g)
        rows.append((p, g, -negative))
    rows += [(p, None, 0.0) for p in range(len(predicted)) if p not in used_p]
    rows += [(None, g, 0.0) for g in gold.index if g not in used_g]
    out = []
    for p, g, score in rows:
        source = predicted.loc[p] if p is not None else gold.loc[g]
        out.append(
            {
                "article_id": source["article_id"],
                "kind": pred_kind[p] if p is not None else gold.loc[g, "kind"],
                "pred": p,
                "gold": g,
                "overlap": score,
                "pred_speaker": predicted.loc[p, "speaker"] if p is not None else pd.NA,
                "gold_speaker": gold.loc[g, "speaker"] if g is not None else pd.NA,
            }
        )
    return pd.DataFrame(out).astype({"pred": "Int64", "gold": "Int64"})


def quote_scores(pairs: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall of extraction and of attribution, overall and per kind.

    Extraction: precision is the share of predicted quotes paired with a hand-labelled
    one, recall the share of hand-labelled quotes paired. Attribution: precision is the
    share of paired predictions *with a speaker* whose speaker equals the labelled one;
    recall the share of labelled quotes *with a speaker* that were paired and given that
    speaker.

    Parameters
    ----------
    pairs : DataFrame
        :func:`match_quotes` output.

    Returns
    -------
    DataFrame
        Rows ``all``, ``direct``, ``indirect``; columns ``extraction_precision``,
        ``extraction_recall``, ``attribution_precision``, ``attribution_recall``,
        ``n_predicted``, ``n_gold``.
    """
    rows = {}
    for kind, frame in [("all", pairs), *pairs.groupby("kind", sort=True)]:
        predicted = frame["pred"].notna()
        labelled = frame["gold"].notna()
        paired = predicted & labelled
        said = paired & frame["pred_speaker"].notna()
        correct = said & (frame["pred_speaker"] == frame["gold_speaker"]).fillna(False)
        gold_said = labelled & frame["gold_speaker"].notna()
        rows[kind] = {
            "extraction_precision": paired.sum() / max(predicted.sum(), 1),
            "extraction_recall": paired.sum() / max(labelled.sum(), 1),
            "attribution_precision": correct.sum() / max(said.sum(), 1),
            "attribution_recall": (correct & gold_said).sum() / max(gold_said.sum(), 1),
            "n_predicted": int(predicted.sum()),
            "n_gold": int(labelled.sum()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
