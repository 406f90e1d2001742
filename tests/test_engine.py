"""The engines: partitions, workers and Dask give the same tables as one process; every
input is accounted for; shards are read one by one."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from analysis import engine, pipeline, progress, stats, terms
from analysis.measures import (
    Compare,
    LearnedSettings,
    Resampling,
    StorySettings,
    TimelineSettings,
    TopicSettings,
    WordSettings,
)
from benchmarks import synthetic

MAPPING = {"text": "text", "outlet": "outlet", "id": "id", "date": "date", "title": "title"}
QUICK = {
    "resampling": Resampling(n_resamples=49),
    "compare": Compare(group_by="bias_text"),
    "words": WordSettings(min_count=2),
    "stories": StorySettings(match=True),
    "timeline": TimelineSettings(draw=True),
    "figure_names": [],
}
TOPICS = TopicSettings(k=0, k_min=2, k_max=4, k_step=1, seeds=2)
"""A topic model whose k is chosen, so that two workers share the fits."""


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    """36 synthetic articles recombined from the seed corpus's paragraphs, 9 outlets."""
    return pd.DataFrame(synthetic.generate(36, seed=3))


def run(source, out: Path, **kwargs) -> pipeline.RunResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.UndefinedIntervalWarning)
        return pipeline.run(source, out=out, **{**MAPPING, **QUICK, **kwargs})


def tables_of(folder: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}


def same_bytes(first: Path, second: Path) -> list[str]:
    """Names of the table files (Parquet and CSV) whose bytes differ, or that one lacks."""
    names = {p.name for p in first.glob("*.parquet")} | {p.name for p in first.glob("*.csv")}
    names |= {p.name for p in second.glob("*.parquet")} | {p.name for p in second.glob("*.csv")}
    return sorted(
        n
        for n in names
        if not (first / n).exists()
        or not (second / n).exists()
        or (first / n).read_bytes() != (second / n).read_bytes()
    )


def assert_same_tables(first: dict, second: dict) -> None:
    """Every table equal, exactly."""
    assert sorted(first) == sorted(second)
    for name in first:
        a, b = first[name].reset_index(drop=True), second[name].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)


@pytest.fixture(scope="module")
def learned(corpus, tmp_path_factory) -> LearnedSettings:
    """A frame classifier of the corpus's articles (two frames read off their words), so
    that every engine also applies one."""
    from analysis import classify
    from analysis.corpus import load_corpus

    tables = pipeline.prepare(load_corpus(corpus, **MAPPING))
    articles = tables["articles"]
    text = articles["text_clean"].str.lower()
    labels = pd.DataFrame(
        {
            "unit_id": articles["article_id"].astype(str),
            "platforms": text.str.contains("facebook").astype(int),
            "law": text.str.contains("court|law").astype(int),
        }
    )
    model = classify.train(labels, tables, learning_curve=False)
    return LearnedSettings(model=model.save(tmp_path_factory.mktemp("model") / "m.model"))


@pytest.fixture(scope="module")
def one_process(corpus, learned, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("jobs1")
    run(corpus, out, jobs=1, partition_size=5, learned=learned, topics=TOPICS)
    return out


def test_two_workers_write_the_same_bytes_as_one_process(corpus, one_process, learned, tmp_path):
    result = run(corpus, tmp_path, jobs=2, partition_size=5, learned=learned, topics=TOPICS)
    assert (tmp_path / "frame_prevalence.parquet").is_file()
    assert result.manifest["engine"]["jobs"] == 2
    assert result.manifest["engine"]["partitions"] == 8
    assert same_bytes(one_process, tmp_path) == []


def test_partition_size_does_not_change_the_tables(corpus, one_process, learned, tmp_path):
    run(corpus, tmp_path, jobs=1, partition_size=1000, learned=learned, topics=TOPICS)
    assert_same_tables(tables_of(one_process), tables_of(tmp_path))


def test_dask_local_cluster_gives_every_table_of_the_default_engine(
    corpus, one_process, learned, tmp_path
):
    pytest.importorskip("dask.distributed")
    result = run(
        corpus, tmp_path, engine="dask", jobs=2, partition_size=5, learned=learned, topics=TOPICS
    )
    assert result.manifest["engine"]["name"] == "dask"
    assert_same_tables(tables_of(one_process), tables_of(tmp_path))


def shards(corpus: pd.DataFrame, folder: Path) -> Path:
    """The corpus as three JSON Lines shards plus one Parquet shard, with a bad line, an
    empty text, an article repeated from an earlier shard (same text: rejected) and an id
    reused with another text (renamed)."""
    folder.mkdir()
    rows = corpus.to_dict("records")
    parts = [rows[0:10], rows[10:20], rows[20:30]]
    parts[1].append(dict(rows[3]))  # the same article again, in a later shard
    parts[2].append({**rows[4], "text": "A different text under a reused id. It has words."})
    parts[2].append({**rows[5], "id": "empty-one", "text": "   "})
    for index, part in enumerate(parts):
        lines = [json.dumps(row) for row in part]
        if index == 0:
            lines.insert(2, "{not json")
        (folder / f"part-{index}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pd.DataFrame(rows[30:]).to_parquet(folder / "part-3.parquet", index=False)
    return folder


@pytest.mark.parametrize("which", ["local", "dask"])
def test_every_input_of_a_sharded_corpus_is_accounted_for(corpus, tmp_path, which):
    if which == "dask":
        pytest.importorskip("dask.distributed")
    folder = shards(corpus, tmp_path / "shards")
    result = run(folder, tmp_path / "out", engine=which, jobs=2)
    manifest = result.manifest
    accounting = manifest["accounting"]
    assert accounting == {"inputs": 40, "loaded": 37, "rejected": 3, "unaccounted": 0}
    assert manifest["counts"]["input_rows"] == 40
    assert manifest["engine"]["sharded"] and manifest["engine"]["partitions"] == 4
    rejected = pd.read_csv(tmp_path / "out" / "rejected.csv")
    reasons = " | ".join(rejected["reason"])
    assert "not valid JSON" in reasons and "empty text" in reasons
    repeated = rejected[rejected["reason"].str.startswith("duplicate of article_id")]
    assert repeated["source_file"].str.endswith("part-1.jsonl").all()
    assert "part-0.jsonl, row 5" in repeated["reason"].iloc[0]  # after the bad line
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    assert articles["article_id"].is_unique and len(articles) == 37
    renamed = corpus["id"].iloc[4] + "#2"
    assert renamed in set(articles["article_id"])
    repairs = pd.read_csv(tmp_path / "out" / "repairs.csv")
    assert repairs["repair"].str.contains(f"renamed '{renamed}'").any()
    # the renamed article is an article of its own in every summary
    per_outlet = articles["outlet"].value_counts()
    frames = result.tables["outlet_frames"]
    # an outlet whose articles have no words is listed in the frame table with no units
    wordless = set(frames.loc[frames["n_units"] == 0, "outlet"])
    scored = result.tables["frame_scores"]["article_id"].map(
        articles.set_index("article_id")["outlet"]
    )
    assert not wordless & set(scored)
    for name in ("outlet_frames", "outlet_tone"):
        table = result.tables[name]
        counts = table[~table["outlet"].isin(wordless)].groupby("outlet")["n_articles"].max()
        assert counts.to_dict() == per_outlet.reindex(counts.index).to_dict(), name
    words = frames[~frames["outlet"].isin(wordless)]
    assert (words["n_units"] == words["outlet"].map(per_outlet)).all()


def test_shards_give_the_summaries_of_the_same_corpus_in_one_file(corpus, tmp_path):
    folder = tmp_path / "shards"
    folder.mkdir()
    for index, start in enumerate(range(0, len(corpus), 12)):
        corpus.iloc[start : start + 12].to_parquet(folder / f"p{index}.parquet", index=False)
    run(folder, tmp_path / "sharded", jobs=2)
    run(corpus, tmp_path / "whole", jobs=1)
    sharded, whole = tables_of(tmp_path / "sharded"), tables_of(tmp_path / "whole")
    for name in ("outlet_tone", "outlet_frames", "frame_audit", "term_scores", "speaker_table"):
        pd.testing.assert_frame_equal(sharded[name], whole[name], check_exact=True, obj=name)


def test_a_corpus_file_is_cut_into_partitions_in_order(corpus):
    planned = engine.plan(corpus, engine.LoadOptions(**MAPPING), partition_size=10)
    assert planned.n_partitions == 4 and planned.n_articles == 36
    sizes = [task.size for task in planned.tasks()]
    assert sizes == [10, 10, 10, 6]
    assert not planned.chunks  # handed out: the loading process keeps no text


def test_shard_folders_are_told_apart_from_text_folders(tmp_path):
    (tmp_path / "a.jsonl.xz").write_bytes(b"")
    (tmp_path / "b.parquet").write_bytes(b"")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    assert [p.name for p in engine.shard_files(tmp_path)] == ["a.jsonl.xz", "b.parquet"]
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text("text", encoding="utf-8")
    assert engine.shard_files(tmp_path) is None  # a folder of .txt files is one corpus


def test_progress_bars_are_off_when_tqdm_disable_is_set(monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")
    assert progress.bar(range(3)).disable
    monkeypatch.delenv("TQDM_DISABLE")
    assert progress.enabled() is None  # tqdm decides: on a terminal only


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_scheduler_without_the_dask_engine_is_an_error(tmp_path):
    done = cli("run", "--scheduler", "tcp://127.0.0.1:8786", "--out", tmp_path)
    assert done.returncode == 2
    assert "compute.scheduler" in done.stderr and "engine dask" in done.stderr


def test_outlet_spellings_that_differ_in_case_across_shards_are_one_outlet(corpus, tmp_path):
    folder = tmp_path / "shards"
    folder.mkdir()
    first, second = corpus.iloc[:18].copy(), corpus.iloc[18:].copy()
    name = first["outlet"].iloc[0]
    second.loc[second["outlet"] == name, "outlet"] = name.upper()
    assert (second["outlet"] == name.upper()).any()
    first.to_parquet(folder / "a.parquet", index=False)
    second.to_parquet(folder / "b.parquet", index=False)
    result = run(folder, tmp_path / "out", jobs=1)
    articles = pd.read_parquet(tmp_path / "out" / "articles.parquet")
    assert name.upper() not in set(articles["outlet"])
    assert name.upper() not in set(result.tables["outlet_tone"]["outlet"])
    repairs = pd.read_csv(tmp_path / "out" / "repairs.csv")
    note = repairs[repairs["repair"].str.contains("merged into")]
    assert len(note) == 1 and note["source_file"].iloc[0] == str(folder)
    assert name.upper() in note["repair"].iloc[0] and "across shards" in note["repair"].iloc[0]


def test_term_columns_are_the_vocabulary_positions_of_a_partitions_terms(tmp_path):
    from analysis.terms.streaming import TermCounts

    vocabulary = pa.array(sorted(["b", "co-op", "é", "zz"]), pa.string())
    local = ["zz", "a", "é", "c", "b", "zzz", "co-op", "ß"]
    payload = {"terms": pa.array(local, pa.large_string())}
    where, kept = TermCounts(tmp_path)._columns(payload, vocabulary)
    words = vocabulary.to_pylist()
    assert where.tolist() == [words.index(t) if t in words else -1 for t in local]
    assert [local[k] for k in kept] == words  # every vocabulary term, in vocabulary order
    where, kept = TermCounts(tmp_path)._columns(payload, pa.array([], pa.string()))
    assert where.tolist() == [-1] * len(local) and len(kept) == 0


def test_term_reduce_over_partitions_equals_the_whole_matrix_when_one_has_no_compared_article(
    tmp_path,
):
    from analysis.terms.streaming import PartitionTerms, TermCounts

    texts = {
        "a1": "Press freedom matters. Freedom of the press, said the court.",
        "a2": "The court ruled on press freedom and blasphemy laws.",
        "b1": "Blasphemy laws divide the court; press freedom groups object.",
        "b2": "Press groups and the court disagree on blasphemy laws again.",
        "c1": "Weather report: rain, then more rain over the court.",
        "c2": "Rain again for the court and the press.",
        "a3": "Freedom, press freedom, and again press freedom.",
        "b3": "Blasphemy laws: the court and the press once more.",
    }
    sentences = pd.DataFrame({"article_id": list(texts), "text": list(texts.values())})
    labels = pd.Series({"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "b3": "B"})
    counts = TermCounts(tmp_path)
    for ids in (["a1", "a2", "b1"], ["c1", "c2"], ["b2", "a3", "b3"]):  # c: not compared
        counts.add(PartitionTerms(*terms.count_terms(sentences[sentences["article_id"].isin(ids)])))
    found = counts.distinctive(labels, pair=("A", "B"), min_count=2)
    whole = terms.document_terms(sentences[sentences["article_id"].isin(labels.index)], min_count=2)
    pd.testing.assert_frame_equal(
        pd.concat(list(found.scores), ignore_index=True),
        terms.distinctive_terms(whole, labels),
        check_exact=False,
        rtol=1e-12,
    )
    pd.testing.assert_frame_equal(
        found.pair.reset_index(drop=True),
        terms.distinctive_terms(whole, labels, pairs=[("A", "B")]).reset_index(drop=True),
        check_exact=False,
        rtol=1e-12,
    )
    assert not list(tmp_path.glob("*.restricted.npy"))  # pass 3 took what pass 2 left
    counts.close()
    assert not list(tmp_path.iterdir())


def test_pool_workers_use_one_blas_thread_although_the_fork_server_started_blas():
    from threadpoolctl import threadpool_info

    from analysis.engine.execute import local_pool

    with local_pool(1) as pool:
        pools = pool.submit(threadpool_info).result()
    blas = [p["num_threads"] for p in pools if p["user_api"] == "blas"]
    assert blas and set(blas) == {1}
