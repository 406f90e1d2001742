"""How the methods text describes an interval: of a mean (the studentized bootstrap), of a
pooled ratio (linearised) and of the lede minus the rest (symmetric bootstrap-t)."""

from __future__ import annotations

from collections.abc import Mapping

from analysis import stats
from analysis.report.methods.prose import Citations, confidence_level, literal
from analysis.report.methods.settings import (
    DIFFERENCE_INTERVAL,
    RATIO_INTERVAL,
    UNIT_PLURALS,
    WELCH_INTERVAL,
    code_default,
    interval_method,
)


def resampling_details(unit, section: Mapping) -> list[str]:
    """The resampling unit, the number of resamples and the seed, each said to be not
    recorded when the manifest lacks it."""
    n_resamples, seed = section.get("n_resamples"), section.get("seed")
    if unit in UNIT_PLURALS:
        found = [f"resampling {UNIT_PLURALS[unit]}"]
    elif unit:
        found = [f"resampling unit: {literal(unit)}"]
    else:
        found = ["resampling unit not recorded"]
    found.append(
        f"{n_resamples:,} resamples" if n_resamples is not None else "resamples not recorded"
    )
    found.append(f"seed {seed}" if seed is not None else "seed not recorded")
    return found


def interval_text(manifest: Mapping, section: Mapping, unit, cite: Citations) -> str:
    """The interval of a mean over ``unit``s: the studentized bootstrap from the fewest
    units recorded, or, for a run of an older version, the bootstrap method it recorded."""
    method = interval_method(manifest, section)
    confidence = section.get("confidence")
    level = confidence_level(confidence)
    details = ", ".join(resampling_details(unit, section))
    units = UNIT_PLURALS.get(unit, "units")
    if method == stats.INTERVAL_METHOD:
        minimum = code_default(manifest, section.get("min_units"), "min_units_mean")
        if not cite.first("bootstrap-t"):
            text = f"{level}studentized bootstrap (bootstrap-t) intervals as above; {details}; " + (
                f"reported from {minimum} {units} (missing below)"
                if minimum is not None
                else "fewest units not recorded"
            )
        else:
            tail = f"{(1 - confidence) * 50:g}%" if confidence is not None else "tail"
            text = (
                f"{level}studentized bootstrap (bootstrap-t) intervals (Efron & "
                f"Tibshirani 1993{cite('efron1993')}, ch. 12.5): each resample draws the "
                f"{units} with replacement and gives t\\* = (mean\\* − mean) / se\\*, and the "
                "interval runs from mean − t\\*_upper × se to mean − t\\*_lower × se, with "
                f"t\\*_lower and t\\*_upper the lower and upper {tail} points of t\\* and se "
                f"the standard error of the mean; {details}. Each outlet draws from its own "
                "random stream (numpy's `SeedSequence` of the seed and the outlet's name, "
                "shared by the measures summarised together), so an outlet's interval does "
                "not depend on the other outlets or their order"
            )
            if minimum is not None:
                text += (
                    f". An interval is reported only from {minimum} {units}: with fewer, or "
                    "when the resamples leave it unbounded (very few non-zero values), it is "
                    "reported as missing, because no interval method reached 93–97% coverage "
                    "of skewed or bursty values with fewer units in simulation"
                )
            else:
                text += ". The fewest units an interval is reported for is not recorded"
    else:
        parts = [level.strip(), str(method) if method else ""]
        text = (
            " ".join([part for part in parts if part] + ["bootstrap intervals"])
            + f" (`scipy.stats.bootstrap`; Efron & Tibshirani 1993{cite('efron1993')}; "
            f"Virtanen et al. 2020{cite('virtanen2020')}"
            + ("" if method else "; interval method not recorded")
            + f"), {details}"
        )
        if unit == "article":
            text += (
                "; each article is one unit, so an outlet with fewer than two articles has "
                "no interval (reported as missing)"
            )
    if unit == "sentence":
        text += ". " + stats.SENTENCE_CAVEAT.rstrip(".")
    return text + "."


def ratio_interval_text(
    manifest: Mapping, section: Mapping, units: str, minimum_key: str, cite: Citations
) -> str:
    """The interval of a pooled ratio over ``units`` (a plural: articles, outlets)."""
    method = code_default(manifest, section.get("ratio_interval"), "ratio_interval")
    confidence = section.get("confidence")
    level = confidence_level(confidence)
    if method != RATIO_INTERVAL:
        details = resampling_details(None, section)[1:]
        return (
            f"{level}intervals over the {units} (method "
            + (literal(method) if method else "not recorded")
            + f"; {', '.join(details)})."
        )
    minimum = code_default(manifest, None, minimum_key)
    if not cite.first("ratio"):
        return (
            f"{level}linearised ratio intervals over the {units} as above (no "
            "resamples, no seed), "
            + (
                f"reported from {minimum} {units} (missing below)."
                if minimum is not None
                else f"fewest {units} not recorded."
            )
        )
    text = (
        f"{level}linearised intervals over the {units}. Such an interval uses "
        f"the ratio estimator's standard error (Cochran 1977{cite('cochran1977')}), from "
        "each unit's residual y − R x (R the pooled ratio, y and x the unit's two sums), "
        "with the HC2 small-sample correction (each squared residual divided by 1 − x / Σx; "
        f"Bell & McCaffrey 2002{cite('bell2002')}), and Student's t with one degree of "
        f"freedom fewer than the {units}. For a rate (no negative numerator) it is computed "
        "on the log scale, so that it stays above zero and follows the rate's skew, else on "
        "the ratio's own scale. The interval is computed, not resampled, so no resamples or "
        "seed enter it"
    )
    if minimum is not None:
        text += (
            f". It is reported only from {minimum} {units}, and as missing below that, "
            "where it did not reach 93–97% coverage in simulation"
        )
    else:
        text += f". The fewest {units} it is reported for is not recorded"
    return text + "."


def lede_difference_text(manifest: Mapping, section: Mapping, cite: Citations) -> str:
    """The interval of the lede minus the rest when sentences are the units: the symmetric
    studentized bootstrap, or, for a run of an older version, the method it recorded."""
    method = code_default(manifest, None, "difference_interval")
    minimum = code_default(manifest, None, "min_units_difference")
    tail = (
        f", reported from {minimum} sentences on each side (missing below)."
        if minimum is not None
        else "."
    )
    if method == WELCH_INTERVAL:
        return (
            f" The lede minus the rest is the difference of two sentence means, with Welch's t "
            f"interval (unequal variances; Welch 1947{cite('welch1947')})" + tail
        )
    if method != DIFFERENCE_INTERVAL:
        return (
            " The lede minus the rest is the difference of two sentence means, with "
            + (
                f"the interval method {literal(method)}"
                if method
                else "an interval method not recorded"
            )
            + tail
        )
    confidence = section.get("confidence")
    level = confidence_level(confidence)
    point = f"{confidence * 100:g}%" if confidence is not None else "confidence-level"
    details = ", ".join(resampling_details(None, section)[1:])
    text = (
        " The lede minus the rest is the difference d of two sentence means, with a "
        f"{level}symmetric studentized bootstrap interval (Hall "
        f"1988{cite('hall1988')}): the lede sentences and the other sentences are resampled "
        "each on their own, each resample's difference d\\* is studentized by its standard "
        "error for unequal variances, t\\* = (d\\* − d) / se\\* with se = √(s_a² / n_a + "
        f"s_b² / n_b) (Welch 1947{cite('welch1947')}), and the interval is d ± c × se, with c "
        f"the {point} point of |t\\*|; {details}, from a random stream of the "
        "outlet's own"
    )
    if minimum is not None:
        text += (
            f". It is reported only from {minimum} sentences on each side, and as missing "
            "below that: in simulation it reached 93–97% coverage there, while Welch's t "
            "interval and the equal-tailed bootstrap-t did not with 10 to 30 a side"
        )
    else:
        text += ". The fewest sentences on each side it is reported for is not recorded"
    return text + "."
