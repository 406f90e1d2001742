"""The methods text's section on topic models."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.report.methods.prose import Citations, code_span, counted

KIND_WORDS = {
    "nmf": "non-negative matrix factorization (NMF) of sublinear TF-IDF weights",
    "lda": "latent Dirichlet allocation (LDA, batch variational Bayes) of word counts",
}


def topics_section(manifest: Mapping, cite: Citations) -> list[str]:
    """The ``## Topics`` section, or nothing without a topic model."""
    found = manifest.get("parameters", {}).get("topics")
    if not found:
        return []
    kind = found.get("kind")
    citation = cite("lee1999") if kind == "nmf" else cite("blei2003")
    author = "Lee & Seung 1999" if kind == "nmf" else "Blei et al. 2003"
    unit = "paragraph" if found.get("level") == "paragraph" else "article"
    origin = (
        "A topic model was fitted"
        if found.get("fitted_in_run", True)
        else f"A topic model saved by an earlier run ({code_span(found.get('model'))}) was "
        "applied; it had been fitted"
    )
    text = (
        f"{origin} by {KIND_WORDS.get(kind, str(kind))} ({author}{citation}; scikit-learn, "
        f"Pedregosa et al. 2011{cite('pedregosa2011')}) on "
        f"{counted(found.get('n_documents_fitted') or 0, unit)}"
        + (
            f", a random sample of the corpus's {found.get('n_documents'):,}"
            if (found.get("n_documents") or 0) > (found.get("n_documents_fitted") or 0)
            else ""
        )
        + f", reading the {counted(found.get('n_terms') or 0, 'word')} (and two-word terms) "
        "used in the most documents, among those in at least 5 documents (2 below 100 "
        "documents) and in at most half of them; the words are the tokens of every other "
        "measure, stop words left out. "
    )
    k = found.get("k")
    if found.get("k_chosen"):
        tried = found.get("k_tried") or []
        text += (
            f"The number of topics, {k}, was chosen among k = "
            f"{', '.join(map(str, tried))} on {counted(found.get('k_documents') or 0, unit)}: "
            f"each k was fitted {found.get('seeds')} times, each time on its own random 80% "
            "of those documents, and measured by the coherence of each topic's ten most "
            "probable words (mean normalized pointwise mutual information of their pairs over "
            f"the documents; Bouma 2009{cite('bouma2009')}, Röder et al. "
            f"2015{cite('roder2015')}) and its stability (the share of top words shared by "
            "topics matched between fits, averaged over pairs of fits; Greene et al. "
            f"2014{cite('greene2014')}). "
            + _rule(found)
            + "; held-out perplexity, where computed, is shown but not used, since it "
            f"disagrees with people's reading of topics (Chang et al. 2009{cite('chang2009')}). "
        )
    else:
        text += f"The number of topics, {k}, was given. "
    text += (
        f"Each {unit}'s topic proportions were then computed from its own words alone"
        + (
            " (non-negative least squares on the topics, scaled by each topic's total weight)"
            if kind == "nmf"
            else ""
        )
        + (
            ", and each article's proportions are the means of its paragraphs' weighted by "
            "their words"
            if unit == "paragraph"
            else ""
        )
        + ". Topics are named by their FREX words, which are both frequent in the topic and "
        f"exclusive to it (Bischof & Airoldi 2012{cite('bischof2012')}; weight 0.5, as in "
        f"stm, Roberts et al. 2014{cite('roberts2014')}), and by the articles they fill most. "
        "Each outlet's mean proportion has a studentized bootstrap interval resampling its "
        "articles (from 50 articles). "
        + _tests(found, cite)
        + "Topics were grouped into candidate frames as in ANTMN (Walter & Ophir "
        f"2019{cite('walter2019')}): a network of topics linked by the cosine similarity of "
        f"their proportions across the {unit}s, split into "
        f"{counted(found.get('communities') or 0, 'community', 'communities')} by the Louvain "
        f"method (Blondel et al. 2008{cite('blondel2008')}). A topic, or a community of "
        "topics, becomes a frame only when a reader has read its words and articles and "
        "names the frame."
    )
    return ["## Topics", "", text, ""]


def _tests(found: Mapping, cite: Citations) -> str:
    """The sentence on the tests of each outlet against the rest."""
    tested = found.get("cells_tested") or 0
    if not tested:
        return (
            "No outlet had the 50 articles with topic words needed to be tested against the "
            "others. "
        )
    return (
        f"Each of the {counted(found.get('outlets_tested') or 0, 'outlet')} with 50 articles "
        "or more was tested against all other articles by a permutation test of the "
        "difference of means (outlet labels shuffled across articles; Phipson & Smyth "
        f"2010{cite('phipson2010')}), adjusted by Benjamini-Hochberg{cite('benjamini1995')} "
        f"over the {counted(tested, 'outlet-topic cell')} tested: "
        f"{found.get('cells_different', 0):,} had q < 0.05. "
    )


def _rule(found: Mapping) -> str:
    """How k was picked: by the rule among stable k, as the most stable when none was, or
    as the only k the documents allowed."""
    values = (
        f" (coherence {found['coherence']:.3f}, stability {found['stability']:.2f})"
        if found.get("coherence") is not None and found.get("stability") is not None
        else ""
    )
    if len(found.get("k_tried") or []) == 1:
        return (
            f"Only k = {found.get('k')} could be tried (the others need 10 documents per "
            f"topic), so k was not chosen among others{values}"
        )
    if found.get("k_stable") == 0:
        return (
            "No k reached stability 0.6, so the most stable was taken, as the rule says when "
            f"none does{values}: its topics change with the sample of documents"
        )
    return f"The rule takes the most coherent k among those with stability 0.6 or more{values}"
