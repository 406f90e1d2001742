"""The methods text's section on distinctive words (the unit test, q-values, effect
sizes)."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.report.methods.prose import Citations, code_span, counted, joined, literal
from analysis.report.methods.settings import UNIT_PLURALS, code_default

FDR_METHODS = {"bh": "Benjamini–Hochberg", "by": "Benjamini–Yekutieli"}


def words_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Distinctive words`` section: the groups and terms compared, the test on
    units and the effect sizes, as lines of Markdown."""
    words = manifest.get("parameters", {}).get("distinctive_words")
    if not words or words.get("skipped"):
        reason = (words or {}).get("skipped") or "fewer than two groups, or no term frequent enough"
        return ["## Distinctive words", "", f"Not computed ({literal(reason)}).", ""]
    fdr = code_default(manifest, words.get("fdr"), "fdr")
    fdr_name = FDR_METHODS.get(fdr, fdr) if fdr else None
    fdr_text = (
        f"{fdr_name} q-values (`scipy.stats.false_discovery_control`, method {code_span(fdr)}; "
        f"Benjamini & Hochberg 1995{cite('benjamini1995')})"
        if fdr
        else "q-values (false discovery rate method not recorded)"
    )
    stop_source = code_default(manifest, words.get("stop_words_source"), "stop_words_source")
    groups = [g for g in str(words.get("groups", "")).split("; ") if g]
    ngram = words.get("ngram_max")
    prior, scale, variance = words.get("prior"), words.get("prior_scale"), words.get("variance")
    if prior == "corpus":
        prior_text = (
            f"the corpus prior, α_w = {scale:g} × the term's count in all compared groups pooled"
        )
    elif prior == "uniform":
        prior_text = "a uniform prior, α_w = 0.01 for every term"
    else:
        prior_text = f"the prior {literal(prior)} (scale {scale})"
    variance_text = {
        "full": "the full four-term variance",
        "approximate": "the paper's two-term approximate variance",
    }.get(variance, f"variance form {literal(variance)}")
    text = (
        f"Groups were the values of {code_span(words.get('group_by'))}"
        + (f" ({joined([literal(g) for g in groups])})" if groups else "")
        + f", {counted(words.get('articles', 0), 'article')}. Terms: "
        + ("single words and two-word phrases" if ngram == 2 else "single words")
        + " (lower-cased, possessive 's removed, no number-only tokens"
        + (", no bigram across punctuation" if ngram == 2 else "")
        + f"), used at least {words.get('min_count')} times in the corpus "
        f"({counted(words.get('terms', 0), 'term')} kept); "
        + (
            f"{words['stop_words']:,} stop words ({literal(stop_source or 'list not recorded')}; "
            "Pedregosa et al. "
            f"2011{cite('pedregosa2011')}) were dropped"
            + (", and any bigram containing one" if ngram == 2 else "")
            if words.get("stop_words") is not None
            else "stop words: not recorded"
        )
        + ". Each group was compared with all the others pooled"
        + (f", and the pair {literal(words['pair'])} directly" if words.get("pair") else "")
        + "."
    )
    lines = ["## Distinctive words", "", text, ""]
    test_fdr_text = (
        "Holm's family-wise adjusted p-values (`analysis.stats.adjust_p`, method `holm`; "
        f"Holm 1979{cite('holm1979')})"
        if words.get("correction") == "holm"
        else fdr_text
    )
    lines.append(word_test_text(words, test_fdr_text, cite))
    lines.append("")
    if words.get("test_unit") is None:  # a run before the unit test: its p and q pooled tokens
        lines.append(
            "Log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn "
            f"2008{cite('monroe2008')}) used {prior_text}, and {variance_text}; z = δ/σ, "
            f"two-sided normal p, and {fdr_text} over each comparison's terms. "
            "TF-IDF (scikit-learn's `TfidfTransformer`: smoothed idf, l2-normalised rows) was "
            "computed on each group's articles joined and as the mean of its articles' "
            "vectors. Keyness: Yates-corrected chi-squared and log-likelihood G2 on each "
            f"term's 2×2 table, with the same q-values, and the log ratio (Hardie "
            f"2014{cite('hardie2014')})."
        )
        return [*lines, ""]
    lines.append(
        "Effect sizes, which rank the terms but are not used to call them significant: "
        "log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn "
        f"2008{cite('monroe2008')}) used {prior_text}, and {variance_text}; z = δ/σ. Their "
        "two-sided normal p and Benjamini–Hochberg q over each comparison's terms are kept "
        "as `p_pooled_tokens` and `q_pooled_tokens`: like every test that pools a side's "
        "tokens, they treat each token as an independent draw, but words come in bursts "
        f"within articles (Lijffijt et al. 2016{cite('lijffijt2016')}), and with shuffled "
        "labels they still call many terms significant. TF-IDF (scikit-learn's "
        "`TfidfTransformer`: smoothed idf, l2-normalised rows) was computed on each group's "
        "articles joined and as the mean of its articles' vectors. Keyness, on each term's "
        "2×2 table of token counts: Yates-corrected chi-squared, log-likelihood G2 and the "
        f"log ratio (Hardie 2014{cite('hardie2014')}), reported as effect sizes without "
        "p-values."
    )
    return [*lines, ""]


def word_test_text(words: Mapping, fdr_text: str, cite: Citations) -> str:
    """The distinctive words' significance test, on the unit the run recorded."""
    unit = words.get("test_unit")
    if unit not in ("article", "outlet"):
        return "The unit of the significance test (`test_unit`) is not recorded in the " + (
            f"manifest ({literal(unit)})." if unit else "manifest."
        )
    units = UNIT_PLURALS.get(unit, "outlets")
    text = (
        f"Significance: for each term, the number of {units} that use it at least once was "
        f"compared between the two sides of each comparison with Fisher's exact test "
        f"(Fisher 1922{cite('fisher1922')}; Agresti 1992{cite('agresti1992')}), two-sided by "
        "doubling the smaller tail (at most 1); a side with fewer than two units has no p."
    )
    if unit == "outlet":
        text += (
            " The unit is the outlet, as the groups are sets of outlets: the articles of one "
            "outlet within a group are one unit, which uses a term when any of them does; "
            "with few outlets per group, or many outlets of one article, the test has little "
            "power."
        )
    else:
        text += " The unit is the article."
    text += (
        " Shuffling the units between the sides leaves the number using the term on one side "
        "hypergeometric, so this is the permutation test of the unit labels, computed "
        "exactly, and it holds whatever words do within a unit (repeats, bursts), which "
        f"tests that pool every token do not (Lijffijt et al. 2016{cite('lijffijt2016')}). "
        "It asks whether more of a group's units use the term, not how often they use it. "
        f"{fdr_text[0].upper() + fdr_text[1:]} were computed over one family: every term of "
        "every comparison of each group against the rest (`term_scores`), and, separately, "
        "the terms of the pair (`term_pair`)."
    )
    return text
