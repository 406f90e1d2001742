"""The methods text's section on checking the measures against people's codes."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.report.methods.prose import Citations, code_span, counted, joined, literal

STATISTIC_WORDS = {
    "f1": "F1",
    "spearman": "Spearman's rho",
    "speaker_agreement": "the share of quotes given the same speaker",
}


def coding_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Checked against coders`` section, or nothing when the run had no codes."""
    found = manifest.get("parameters", {}).get("coding")
    if not found:
        return []
    units = {u: n for u, n in (found.get("units") or {}).items() if u != "article"}
    coders = found.get("coders") or []
    units_text = f" ({joined([counted(n, u) for u, n in units.items()])})" if units else ""
    overlap = found.get("overlap_articles", 0)
    text = (
        f"{counted(len(coders), 'coder')} coded {counted(found.get('articles', 0), 'article')} "
        f"from {counted(found.get('outlets', 0), 'outlet')}{units_text} with the "
        f"codebook {code_span(found.get('codebook'))}; "
        f"{counted(overlap, 'article')} {'was' if overlap == 1 else 'were'} given to every "
        "coder. "
        f"{_uncoded(found)}Agreement between coders is Krippendorff's alpha (Krippendorff "
        f"2004{cite('krippendorff2004')}) at each variable's level of measurement, computed "
        "with the krippendorff package, with a 95% percentile bootstrap interval over units "
        "where at least 50 units were coded twice (below that no interval covered as it "
        "should in the package's simulation): "
        + _listed(found.get("reliability") or [], _alpha)
        + ". Each measure was then compared with the coders' consensus (a majority for "
        "yes/no codes, ties left out; the mean for scales) on the same units (Grimmer & "
        f"Stewart 2013{cite('grimmer2013')}): "
        + _listed(found.get("validation") or [], _agreement)
        + '. The coders\' agreement with each other by the same statistic ("coders") is '
        "the ceiling a measure can be expected to reach; intervals (in brackets) resample "
        "articles and are given from 30 coded articles (75 for Pearson's r)."
    )
    return ["## Checked against coders", "", text, ""]


def _uncoded(found: Mapping) -> str:
    uncoded = found.get("uncoded") or 0
    verb = "was" if uncoded == 1 else "were"
    return (
        f"{counted(uncoded, 'unit')} given to a coder {verb} left uncoded (listed in "
        "warnings.csv). "
        if uncoded
        else ""
    )


def _listed(rows: list, say) -> str:
    return "; ".join(say(row) for row in rows) if rows else "none"


def _number(value) -> str:
    return "not defined" if value is None else f"{value:.2f}"


def _interval(row: Mapping) -> str:
    if row.get("ci_low") is None:
        return ""
    return f" [{row['ci_low']:.2f}, {row['ci_high']:.2f}]"


def _alpha(row: Mapping) -> str:
    return (
        f"{literal(row['variable'])} {_number(row.get('alpha'))}{_interval(row)} "
        f"({row.get('level')}, {counted(row.get('n_units') or 0, 'unit')})"
    )


def _agreement(row: Mapping) -> str:
    statistic = STATISTIC_WORDS.get(row.get("statistic"), literal(row.get("statistic")))
    ceiling = row.get("ceiling")
    return (
        f"{literal(row['variable'])} ({literal(row.get('measure'))}): {statistic} "
        f"{_number(row.get('estimate'))}{_interval(row)}"
        + (f" (coders {ceiling:.2f})" if ceiling is not None else "")
        + f", {counted(row.get('n_units') or 0, 'unit')}"
    )
