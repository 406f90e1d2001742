"""Stories and the timeline in a run: their tables, manifest entries, methods text and
report section; the study file's sections and the command line's flags; undated articles
counted; bad inputs refused before any work."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import pipeline, registry
from analysis.measures import Compare, Resampling, StorySettings, TimelineSettings
from benchmarks import synthetic

MAPPING = {"text": "text", "outlet": "outlet", "id": "id", "date": "date", "title": "title"}
TABLES = (*registry.names(made_by="stories"), *registry.names(made_by="timeline"))


def corpus() -> pd.DataFrame:
    """80 synthetic articles over 20 days (so that stories have several articles), an outlet
    whose name is HTML, and two undated articles."""
    frame = pd.DataFrame(synthetic.generate(80, seed=5))
    frame["date"] = [f"2019-03-{1 + i % 20:02d}" for i in range(len(frame))]
    frame.loc[frame.index[:6], "outlet"] = "<b>Bold</b> & Co"
    frame.loc[frame.index[-2:], "date"] = None
    return frame


def run(out: Path, **options) -> pipeline.RunResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pipeline.run(
            corpus(),
            out=out / "tables",
            figures_dir=out / "figures",
            resampling=Resampling(n_resamples=99),
            jobs=1,
            **MAPPING,
            **options,
        )


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    root = tmp_path_factory.mktemp("stories_run")
    events = root / "events.csv"
    events.write_text(
        "date,label\n2019-03-05,<script>alert(1)</script>\n2019-03-12,second\n", encoding="utf-8"
    )
    result = run(
        root,
        compare=Compare(group_by="bias_text"),
        stories=StorySettings(match=True),
        timeline=TimelineSettings(events=events),
    )
    return root, result


def table(root: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(root / "tables" / f"{name}.parquet")


def test_the_run_writes_every_story_and_timeline_table_as_registered(done):
    root, _ = done
    for name in TABLES:
        found = table(root, name)
        assert registry.check(name, found) == [], name
        assert (root / "tables" / f"{name}.csv").is_file(), name
    members = table(root, "story_members")
    assert len(members) == 80
    assert set(members["how"]) == {"text", "undated"}
    assert members.loc[members["how"] == "undated", "story"].isna().all()
    assert set(table(root, "within_story")["level"]) == {"outlet", "bias_text"}
    assert list(table(root, "timeline_events")["label"]) == ["<script>alert(1)</script>", "second"]


def test_undated_articles_are_counted_never_dropped(done):
    root, _ = done
    warned = table(root, "warnings")["message"]
    assert warned.str.contains("2 articles have no date and were matched into no story").any()
    assert warned.str.contains(r"timeline: 2 of 80 articles are in no period \(2 no date\)").any()
    timeline = table(root, "timeline")
    groups = timeline[timeline["level"] == "bias_text"].drop_duplicates("unit")
    assert groups["n_unplaced"].sum() == 2


def test_the_manifest_methods_and_report_describe_them(done):
    root, result = done
    stories, timeline = (result.manifest["parameters"][k] for k in ("stories", "timeline"))
    assert stories["how"] == "text" and stories["n_undated"] == 2
    assert stories["n_in_stories"] == 78
    assert stories["n_stories"] == len(table(root, "stories"))
    assert timeline["period"] == "week" and timeline["n_events"] == 2
    methods = (root / "figures" / "methods.md").read_text(encoding="utf-8")
    assert "## Stories" in methods and "## Over time" in methods
    assert "Kitagawa" in methods and "2 articles without a date are in no story" in methods
    report = (root / "figures" / "report.html").read_text(encoding="utf-8")
    assert '<section id="stories">' in report
    assert "<b>Bold</b>" not in report and "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in report
    assert "<script>alert(1)</script>" not in report


def test_the_same_input_gives_the_same_bytes(done, tmp_path):
    root, _ = done
    events = tmp_path / "events.csv"
    events.write_bytes((root / "events.csv").read_bytes())
    run(
        tmp_path,
        compare=Compare(group_by="bias_text"),
        stories=StorySettings(match=True),
        timeline=TimelineSettings(events=events),
    )
    for name in ("stories", "story_members", "within_story", "timeline"):
        first = (root / "tables" / f"{name}.parquet").read_bytes()
        assert first == (tmp_path / "tables" / f"{name}.parquet").read_bytes(), name


def test_a_story_column_names_the_stories(tmp_path):
    frame = corpus()
    frame["event"] = ["e1", "e2", "", None] * 20
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.run(
            frame,
            out=tmp_path,
            figure_names=[],
            resampling=Resampling(n_resamples=99),
            stories=StorySettings(column="event"),
            **MAPPING,
        )
    members = pd.read_parquet(tmp_path / "story_members.parquet")
    assert set(members["story"].dropna()) == {"e1", "e2"}
    assert (members["how"] == "no story").sum() == 40
    warned = pd.read_parquet(tmp_path / "warnings.parquet")["message"]
    assert warned.str.contains("40 articles have no value in the story column 'event'").any()


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "run", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def test_bad_inputs_are_refused_before_any_work(tmp_path):
    source = tmp_path / "corpus.csv"
    corpus().to_csv(source, index=False)
    bad = tmp_path / "events.csv"
    bad.write_text("date,label\n2019-03-05,fine\nnot a date,oops\n", encoding="utf-8")
    found = cli(str(source), "--events", str(bad), "--out", str(tmp_path / "out1"), cwd=tmp_path)
    assert found.returncode == 2
    assert f"{bad}, row 3, column date: 'not a date' is not a date" in found.stderr
    assert "Traceback" not in found.stderr
    found = cli(
        str(source), "--story-column", "story", "--out", str(tmp_path / "out2"), cwd=tmp_path
    )
    assert found.returncode == 2
    assert "stories.column (--story-column) 'story': the corpus has no such column" in found.stderr
    assert not (tmp_path / "out1").exists() and not (tmp_path / "out2").exists()


def test_the_study_file_turns_them_on(tmp_path):
    source = tmp_path / "corpus.csv"
    corpus().to_csv(source, index=False)
    study = tmp_path / "study.yml"
    study.write_text(
        f"corpus:\n  path: {source}\n"
        "stories:\n  match: true\n  threshold: 0.2\n  window: 2\n"
        "timeline:\n  draw: true\n  period: month\n  smooth: 0\n"
        "resampling:\n  n_resamples: 99\n"
        "figures:\n  include: [measures_over_time]\n",
        encoding="utf-8",
    )
    found = cli("--config", str(study), "--out", str(tmp_path / "out"), "-q", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["stories"]["threshold"] == 0.2
    assert manifest["parameters"]["stories"]["window_days"] == 2
    assert manifest["parameters"]["timeline"]["period"] == "month"
    assert manifest["parameters"]["timeline"]["smooth"] == 0
    assert (tmp_path / "out" / "figures" / "measures_over_time.png").is_file()


def test_topic_proportions_are_compared_within_stories_when_there_is_a_model():
    from analysis import measures, paths
    from analysis.corpus import load_corpus
    from analysis.measures import TopicSettings

    tables = pipeline.prepare(load_corpus(paths.RAW))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = measures.measure(
            tables,
            "tone",
            "frames",
            "voices",
            "topics",
            "stories",
            "timeline",
            resampling=Resampling(n_resamples=99),
            topics=TopicSettings(k=2, level="paragraph"),
            stories=StorySettings(match=True, window=200),
            timeline=TimelineSettings(draw=True),
        )
    labels = set(found["outlet_topics"]["label"])
    within = found["within_story"]
    assert set(within["family"]) == {"tone", "frames", "voices", "topics"}
    assert set(within.loc[within["family"] == "topics", "measure"]) == labels
    assert labels <= set(found["timeline"]["measure"])
    assert found["stories"]["n_articles"].tolist() == [4]  # a 200-day window joins them
