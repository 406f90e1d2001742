"""Topic models of the coverage (:mod:`analysis.measures.topics` runs them): topics found in
the words of the articles, each outlet's share of each, and topics grouped into candidate
frames.

A topic is a set of words that tend to appear together; it is not a frame until a person
has read its words and articles and says which frame it expresses (docs/methods.md,
"Topics").

- :mod:`~analysis.topics.model`: the vocabulary, NMF or LDA, each document's proportions,
  the model file;
- :mod:`~analysis.topics.documents`: the model fitted on the documents the measure's map
  spilled (vocabulary, sample, k, fit);
- :mod:`~analysis.topics.choose`: coherence, stability and perplexity over a range of k;
- :mod:`~analysis.topics.labels`: top words, FREX words, the articles a topic fills most;
- :mod:`~analysis.topics.effects`: outlets' shares with intervals, tests against the rest;
- :mod:`~analysis.topics.network`: the topic network and its communities (ANTMN).
"""

from analysis.topics.choose import (
    K_COLUMNS,
    chosen_k,
    k_diagnostics,
    matched_overlap,
    npmi_coherence,
    top_word_indices,
)
from analysis.topics.documents import (
    DOCUMENTS_PER_TOPIC,
    fit_documents,
    rows_of,
    vocabulary_of,
)
from analysis.topics.effects import (
    OUTLET_COLUMNS,
    article_proportions,
    community_shares,
    long_proportions,
    outlet_topics,
    permutation_p,
    topic_shares,
)
from analysis.topics.labels import (
    TERM_COLUMNS,
    articles_of,
    frex_scores,
    opening,
    top_articles,
    topic_labels,
    topic_terms,
)
from analysis.topics.model import (
    KINDS,
    SUFFIX,
    TopicModel,
    TopicModelError,
    Vocabulary,
    fit_topics,
    load_model,
    save_model,
)
from analysis.topics.network import communities_of, topic_communities, topic_network

__all__ = [
    "DOCUMENTS_PER_TOPIC",
    "article_proportions",
    "fit_documents",
    "long_proportions",
    "rows_of",
    "vocabulary_of",
    "KINDS",
    "K_COLUMNS",
    "OUTLET_COLUMNS",
    "SUFFIX",
    "TERM_COLUMNS",
    "TopicModel",
    "TopicModelError",
    "Vocabulary",
    "articles_of",
    "chosen_k",
    "communities_of",
    "community_shares",
    "fit_topics",
    "frex_scores",
    "k_diagnostics",
    "load_model",
    "matched_overlap",
    "npmi_coherence",
    "opening",
    "outlet_topics",
    "permutation_p",
    "save_model",
    "top_articles",
    "top_word_indices",
    "topic_communities",
    "topic_labels",
    "topic_network",
    "topic_shares",
    "topic_terms",
]
