"""Words that set outlets apart: TF-IDF, log-odds with an informative Dirichlet prior, keyness.

Everything starts from one sparse document-term matrix (:func:`document_terms`) built with
the project tokenizer, and compares any number of groups (outlets, or any article-level
column such as a bias rating): each group against all the others, or any chosen pair.

- TF-IDF, two views: each group's articles concatenated into one document, and the mean
  of its articles' TF-IDF vectors (:func:`tfidf_by_group`).
- Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
  :func:`log_odds`), with the full four-term variance by default or the paper's two-term
  approximation, z, two-sided p and Benjamini-Hochberg q over all terms of a comparison.
- Keyness (:func:`keyness`): Yates-corrected chi-squared and log-likelihood G2 with the log
  ratio as effect size and BH q-values.
- The default test (:func:`distinctive_terms`' ``p`` and ``q``): Fisher's exact test on how
  many units (articles, or outlets) use each term (:func:`unit_presence`,
  :func:`analysis.stats.presence_test`). The pooled tests above treat every token as an
  independent draw; words come in bursts within articles, so under shuffled labels they
  mark thousands of terms, and they are kept as descriptions (named ``*_pooled_tokens``).
"""

from __future__ import annotations

from analysis.terms.counts import (
    NEWS_STOP_WORDS,
    STOP_WORDS,
    DocumentTerms,
    count_terms,
    document_terms,
)
from analysis.terms.presence import (
    UnitPresence,
    UnitPresenceCounter,
    UntestedTermsWarning,
    unit_presence,
    warn_untested,
)
from analysis.terms.scores import (
    TERM_COLUMNS,
    dirichlet_prior,
    distinctive_terms,
    keyness,
    keyness_arrays,
    log_odds,
    log_odds_arrays,
    tfidf_by_group,
)

__all__ = [
    "DocumentTerms",
    "NEWS_STOP_WORDS",
    "STOP_WORDS",
    "TERM_COLUMNS",
    "UnitPresence",
    "UnitPresenceCounter",
    "UntestedTermsWarning",
    "count_terms",
    "dirichlet_prior",
    "distinctive_terms",
    "document_terms",
    "keyness",
    "keyness_arrays",
    "log_odds",
    "log_odds_arrays",
    "tfidf_by_group",
    "unit_presence",
    "warn_untested",
]
