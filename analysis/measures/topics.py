"""The topics measure: a topic model of the run's documents (:mod:`analysis.topics`), each
article's topic proportions, each outlet's share of each topic with intervals and tests, the
topics' words, the network of topics and its communities.

The map counts each partition's words (the tokens of every measure) and spills them; the
reduce chooses the vocabulary over the whole corpus, fits the model on a random sample of
the documents (``topics.sample``; k chosen on a smaller one when ``topics.k`` is 0), then
gives every document its proportions, part by part. A model saved by an earlier run
(``--apply-topics``) is applied instead of fitted.
"""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import stats, terms, topics
from analysis.measures.base import Context, MeasureBase, Partials, Partition, Tables
from analysis.settings import setting
from analysis.terms.streaming import PartitionTerms, TermCounts

log = logging.getLogger(__name__)

EXAMPLES = 3
"""Articles per topic and outlet in ``topic_examples``."""
EXAMPLE_FLOOR = 0.1
"""An article is an example of a topic only if the topic has this share of its words."""


@dataclass(frozen=True)
class TopicSettings:
    """Whether and how topics are modelled."""

    k: int | None = setting(
        None,
        "int",
        "number of topics (0: chosen over k_min..k_max by stability and coherence; null: no "
        "topic model)",
        flag="--topics",
        optional=True,
        minimum=0,
        metavar="K",
    )
    model: str = setting(
        "nmf",
        "enum",
        "nmf (on TF-IDF) or lda (on counts; slower)",
        flag="--topic-model",
        choices=topics.KINDS,
    )
    level: str = setting(
        "article",
        "enum",
        "what one document of the model is: an article or a paragraph",
        flag="--topic-level",
        choices=("article", "paragraph"),
    )
    k_min: int = setting(5, "int", "smallest k tried when k is 0", minimum=2)
    k_max: int = setting(40, "int", "largest k tried when k is 0", minimum=2)
    k_step: int = setting(5, "int", "step between the k tried", minimum=1)
    seeds: int = setting(
        3, "int", "fits per k, each on its own 80% of the documents (for stability)", minimum=1
    )
    sample: int = setting(
        20000, "int", "documents the model is fitted on (a random sample of them)", minimum=10
    )
    k_sample: int = setting(
        4000, "int", "documents k is chosen on (a random sample of the fitted ones)", minimum=10
    )
    max_terms: int = setting(
        5000, "int", "words the model reads (those in most documents)", minimum=10
    )
    words: int = setting(10, "int", "top words per topic listed in topic_terms", minimum=1)
    apply: Path | None = setting(
        None,
        "path",
        "a topic model saved by an earlier run (OUT/models/topics.topics), applied instead of "
        "fitting one",
        flag="--apply-topics",
        optional=True,
        metavar="FILE",
    )

    def resolved(self, *, seed_corpus: bool) -> TopicSettings:
        return self

    @property
    def ks(self) -> list[int]:
        """The k tried when k is 0."""
        return list(range(self.k_min, self.k_max + 1, self.k_step))


@functools.lru_cache(maxsize=2)
def _load(path: str, modified: float) -> topics.TopicModel:
    return topics.load_model(path)


def model_of(settings) -> topics.TopicModel:
    """The model ``--apply-topics`` names (read once per process and modification time)."""
    path = Path(settings.topics.apply)
    if not path.is_file():
        raise topics.TopicModelError(f"--apply-topics {path}: no such file")
    return _load(str(path), path.stat().st_mtime)


class Topics(MeasureBase):
    """``article_topics`` (streamed), ``outlet_topics``, ``topic_terms``, ``topic_k``,
    ``topic_network``, ``topic_communities`` and ``topic_examples``."""

    name = "topics"

    def enabled(self, settings) -> bool:
        return settings.topics.k is not None or settings.topics.apply is not None

    def partials(self, scratch: Path) -> Partials:
        return Partials(accumulators={"documents": TermCounts(scratch, prefix="topics")})

    def map(self, partition: Partition, settings) -> dict:
        """The part ``documents``: each document's word counts over the partition's words
        (one row per article, or per paragraph; ``article_ids`` is each one's article),
        spilled beside the distinctive words' as ``topics-*``."""
        ngram = (1, settings.words.ngram_max)
        if settings.topics.level == "article":
            counted = partition.term_counts(ngram)
        else:
            counted = paragraph_counts(partition, ngram)
        return {"documents": PartitionTerms(*counted, prefix="topics")}

    def reduce(self, partials: Partials, context: Context) -> Tables:
        settings = context.settings
        chosen = settings.topics
        documents: TermCounts = partials.accumulators["documents"]
        try:
            if chosen.apply is not None:
                model = model_of(settings)
            else:
                model = fit(documents, settings, pool=context.pool)
                context.sink.keep(f"models/topics{topics.SUFFIX}", model.save)
            return topic_tables(model, documents, context)
        finally:
            documents.close()


def paragraph_counts(partition: Partition, ngram: tuple[int, int]):
    """:func:`analysis.terms.count_terms` with one document per paragraph: the counts, the
    terms, each paragraph's article and its token total."""
    sentences = partition.sentences
    keys = sentences.groupby(["article_id", "paragraph_id"], sort=False, dropna=False)
    number = keys.ngroup().to_numpy()
    counts, names, paragraphs, tokens = terms.count_terms(
        sentences.assign(article_id=number), ngram_range=ngram, tokenized=partition.tokenized
    )
    _, first = np.unique(number, return_index=True)  # each paragraph's first sentence
    article_of = sentences["article_id"].to_numpy(dtype=object)[first]
    return counts, names, article_of[np.asarray(paragraphs, dtype=np.int64)], tokens


def fit(documents: TermCounts, settings, *, pool=None) -> topics.TopicModel:
    """The topic model of the spilled documents, as the run's settings ask
    (:func:`analysis.topics.fit_documents`), its fits shared with ``pool``."""
    chosen = settings.topics
    model = topics.fit_documents(
        documents,
        k=chosen.k,
        kind=chosen.model,
        ks=chosen.ks,
        seeds=chosen.seeds,
        sample=chosen.sample,
        k_sample=chosen.k_sample,
        max_terms=chosen.max_terms,
        seed=settings.resampling.seed,
        map_fn=_shared_map(pool),
    )
    model.parameters["level"] = chosen.level
    log.info(
        "topics: %d topics (%s) fitted on %d of %d documents, %d words",
        model.k,
        chosen.model,
        model.parameters["n_documents"],
        model.parameters["n_corpus_documents"],
        len(model.terms),
    )
    return model


def _shared_map(pool):
    """A ``map`` that runs the jobs here from the first and on ``pool`` (one worker, when the
    run has one) from the last, one at a time each, so two cores fit at once however long
    each job takes."""
    if pool is None:
        return map

    def shared(function, jobs):
        jobs = list(jobs)
        results: dict[int, object] = {}
        lock = threading.Lock()
        bounds = {"next": 0, "last": len(jobs) - 1}
        finished = threading.Event()
        failed: list[BaseException] = []

        def send() -> None:
            with lock:
                if bounds["last"] < bounds["next"]:
                    finished.set()
                    return
                at = bounds["last"]
                bounds["last"] -= 1
            pool.submit(function, jobs[at]).add_done_callback(lambda f: received(at, f))

        def received(at, future) -> None:
            if future.exception() is not None:
                failed.append(future.exception())
                finished.set()
                return
            results[at] = future.result()
            send()

        send()
        while True:
            with lock:
                if bounds["next"] > bounds["last"]:
                    break
                at = bounds["next"]
                bounds["next"] += 1
            results[at] = function(jobs[at])
        finished.wait()
        if failed:
            raise failed[0]
        return [results[i] for i in range(len(jobs))]

    return shared


def topic_tables(model: topics.TopicModel, documents: TermCounts, context: Context) -> Tables:
    """Every table of the measure, from a fitted model."""
    settings = context.settings
    options = settings.resampling.options
    outlets = context.articles.set_index("article_id")["outlet"]
    labels = topics.topic_labels(model)
    vocabulary = model.vocabulary
    writer = context.sink.open("article_topics", rows=len(outlets) * model.k)
    wide, candidates = [], []
    products = np.zeros((model.k, model.k), dtype=np.int64)
    for part in documents.parts:
        payload = documents.read(part)
        theta = model.proportions(vocabulary.columns(payload["counts"], payload["terms"]))
        # the network's products in integers (proportions to 1/65,536): exact sums, so
        # the same however the documents are cut into partitions
        known = np.rint(theta[np.isfinite(theta).all(axis=1)] * 2**16).astype(np.int64)
        products += known.T @ known
        per_article = topics.article_proportions(
            theta, payload["article_ids"], np.asarray(payload["counts"].sum(axis=1)).ravel()
        )
        per_article.insert(1, "outlet", per_article["article_id"].map(outlets).astype(str))
        wide.append(per_article)
        long = topics.long_proportions(per_article, model.k)
        writer.write(long)
        candidates.append(
            topics.top_articles(long[long["proportion"] >= EXAMPLE_FLOOR], n=EXAMPLES)
        )
    context.sink.record("article_topics", writer.close())
    wide = pd.concat(wide, ignore_index=True)
    network = topics.topic_network(products=products.astype(float), seed=options["seed"])
    communities = topics.communities_of(network, model.k)
    # each part's top articles hold the corpus's: the top of their union
    examples = topics.top_articles(
        pd.concat(candidates, ignore_index=True).drop(columns="rank"), n=EXAMPLES
    )
    texts = context.sink.rows(
        "articles", ["article_id", "title", "text_clean"], "article_id", set(examples["article_id"])
    ).set_index("article_id")
    examples["title"] = examples["article_id"].map(texts["title"]).fillna("").astype(str)
    examples["opening"] = examples["article_id"].map(texts["text_clean"]).map(topics.opening)
    examples["label"] = [labels[t - 1] for t in examples["topic"]]
    terms_table = topics.topic_terms(model, n=settings.topics.words)
    terms_table.insert(
        2, "community", terms_table["topic"].map(communities.set_index("topic")["community"])
    )
    shares = topics.outlet_topics(wide, labels, **options, map_fn=_shared_map(context.pool))
    stats.warn_missing_intervals(
        shares.rename(columns={"n_articles": "n_units"}),
        "topics",
        unit="article",
        minimum=topics.effects.MIN_TESTED,
        key="topic",
    )
    out = {
        "outlet_topics": shares,
        "topic_terms": terms_table,
        "topic_network": network,
        "topic_communities": topics.community_shares(wide, communities, **options),
        "topic_examples": examples[
            ["topic", "label", "outlet", "rank", "article_id", "proportion", "title", "opening"]
        ],
    }
    if len(model.diagnostics.columns):
        out["topic_k"] = model.diagnostics
    return out


def manifest_entry(settings, tables, *, path, fitted: bool) -> dict:
    """What the manifest records of the topic model a run fitted (``fitted``) or applied:
    its parameters, where it is (``path``: where the run leaves it), the choice of k (the
    chosen row of ``topic_k``), the communities, and the outlet-topic cells tested and
    found different from the rest."""
    model = topics.load_model(path)
    p = model.parameters
    entry = {
        "kind": model.kind,
        "k": model.k,
        "level": p.get("level", settings.topics.level),
        "seed": p.get("seed"),
        "n_documents_fitted": p.get("n_documents"),
        "n_documents": p.get("n_corpus_documents"),
        "n_terms": len(model.terms),
        "iterations": p.get("iterations"),
        "k_chosen": bool(p.get("k_chosen")),
        "k_tried": p.get("k_tried", []),
        "k_documents": p.get("k_documents", 0),
        "seeds": settings.topics.seeds,
        "seconds_choosing": p.get("seconds_choosing"),
        "seconds_fitting": p.get("seconds_fitting"),
        "fitted_in_run": fitted,
        "model": str(path),
    }
    diagnostics = model.diagnostics
    if len(diagnostics.columns):
        row = diagnostics[diagnostics["chosen"]].iloc[0]
        entry["coherence"] = float(row["coherence"])
        entry["stability"] = None if pd.isna(row["stability"]) else float(row["stability"])
        summary = diagnostics[diagnostics["seed"] == -1]
        entry["k_stable"] = int((summary["stability"] >= topics.choose.MIN_STABILITY).sum())
    found = tables["outlet_topics"]
    network = tables["topic_network"]
    entry["communities"] = (
        int(pd.concat([network["community"], network["community_other"]]).nunique())
        if len(network)
        else 1
    )
    entry["cells_tested"] = int(found["p"].notna().sum())
    entry["cells_different"] = int((found["q"] < 0.05).sum())
    entry["outlets_tested"] = int(found.loc[found["p"].notna(), "outlet"].nunique())
    entry["outlets"] = int(found["outlet"].nunique())
    entry["min_tested"] = topics.effects.MIN_TESTED
    return entry
