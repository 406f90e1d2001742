"""The methods text's section on groups of outlets (pooled estimates, outlets as units)."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.report.methods.intervals import ratio_interval_text
from analysis.report.methods.prose import Citations, code_span, joined, literal


def groups_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Groups`` section, or nothing when the run summarised no groups."""
    found = manifest.get("parameters", {}).get("groups")
    if not found:
        return []
    groups = [literal(g) for g in found.get("groups") or []]
    group_by = code_span(found.get("group_by"))
    text = (
        f"Tone, frames and voices were also summarised per value of {group_by}"
        + (f" ({joined(groups)})" if groups else "")
        + ". Each estimate pools the group's articles: the mean of their values for tone and "
        "frame rates, the ratio of their summed counts for the voice measures. Its interval "
        "takes the outlets as the units, since articles of one outlet share its writers, "
        "editors and sources and are not independent: each outlet contributes two sums (of "
        "its articles' values and its number of articles, or of the voice measure's two "
        "counts), and the estimate is their pooled ratio, with "
        + ratio_interval_text(manifest, found, "outlets", "min_clusters", cite)
    )
    return ["## Groups", "", text, ""]
