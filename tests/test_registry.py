"""The table registry (analysis/registry.py) against the figures, the docs and a real run."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import figures, paths, pipeline, registry
from analysis.corpus import load_corpus
from analysis.measures import StorySettings, TimelineSettings, TopicSettings


def run_pipeline(
    corpus, out: Path, *, group_by: str = "outlet", codes=None, learn=None, **sections
) -> None:
    """Run the main job on ``corpus`` into ``out/tables``, without figures and with few
    resamples (the tables' columns do not depend on the number).

    The only call of :func:`analysis.pipeline.run` in this file: adapt it here when the
    run's settings change.
    """
    from analysis.settings import Compare, Resampling

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # few articles per outlet: intervals are missing
        pipeline.run(
            corpus,
            out=out / "tables",
            figures_dir=out / "figures",
            figure_names=[],
            resampling=Resampling(n_resamples=99),
            compare=Compare(group_by=group_by),
            jobs=1,
            codes=codes,
            learn=learn,
            **sections,
        )


def faulty_seed_corpus() -> pd.DataFrame:
    """The seed articles as a DataFrame, plus an empty text (rejected) and an outlet spelled
    in another case (a repair), so that every table has rows."""
    seed = load_corpus(paths.RAW).articles
    frame = seed[["article_id", "outlet", "published", "title", "text", "outlet_country"]]
    faulty = pd.DataFrame(
        [
            {"article_id": "empty", "outlet": "Breitbart News", "text": "", "outlet_country": "US"},
            {
                "article_id": "respelled",
                "outlet": "breitbart news",
                "text": seed["text"].iloc[2] + " One more sentence.",
                "outlet_country": "US",
            },
        ]
    )
    return pd.concat([frame, faulty], ignore_index=True)


@pytest.fixture(scope="module")
def run_tables(tmp_path_factory) -> dict[str, Path]:
    """Two runs' table folders: the seed corpus as bundled (actors, story dictionary, the
    seed codings), and a
    DataFrame of it with faulty rows, grouped by country (group measures, rejections,
    repairs), with a topic model whose k is chosen, stories matched by their text and a
    timeline with events; the first has stories named by a column."""
    root = tmp_path_factory.mktemp("registry")
    run_pipeline(
        None,
        root / "seed",
        codes=paths.PACKAGE / "codebooks" / "seed_coding",
        learn="frames",
        stories=StorySettings(column="outlet_country"),
    )
    events = root / "events.csv"
    events.write_text("date,label\n2017-03-20,an event\n", encoding="utf-8")
    run_pipeline(
        faulty_seed_corpus(),
        root / "grouped",
        group_by="outlet_country",
        topics=TopicSettings(k=0, k_min=2, k_max=3, k_step=1, level="paragraph"),
        stories=StorySettings(match=True),
        timeline=TimelineSettings(events=events),
    )
    return {"seed": root / "seed" / "tables", "grouped": root / "grouped" / "tables"}


# the registry itself


def test_names_are_in_reading_order_and_filter():
    assert registry.names() == tuple(registry.TABLES)
    assert registry.names()[:2] == ("articles", "rejected")
    assert registry.names()[-1] == "warnings"
    assert set(registry.names(streamed=True)) == {
        "articles",
        "sentences",
        "clean_audit",
        "frame_scores",
        "term_scores",
        "quotes",
        "frame_predictions",
        "article_topics",
    }
    assert "article_voices" in registry.names(csv=False)
    assert registry.names(made_by="groups") == ("group_measures",)
    assert set(registry.names(streamed=True, csv=True)) == {"clean_audit", "term_scores"}


def test_every_table_says_what_a_row_is():
    for table in registry.TABLES.values():
        assert table.doc.startswith("One row"), table.name
        assert "\n" not in table.doc and "|" not in table.doc, table.name
        assert table.made_by in registry.MADE_BY, table.name


def test_an_unknown_name_lists_the_tables():
    with pytest.raises(KeyError, match="did you mean outlet_tone.*registered tables are articles"):
        registry.spec("outlet_tones")
    with pytest.raises(ValueError, match="made_by 'tones'"):
        registry.names(made_by="tones")


def test_check_names_missing_extra_and_mistyped_columns():
    frame = pd.DataFrame(
        {
            "article_id": pd.Series(["a"], dtype="str"),
            "rule": pd.Series([1], dtype="int64"),
            "extra": [0.5],
        }
    )
    assert registry.check("clean_audit", frame) == [
        "clean_audit: column 'rule' is int64, registered as str",
        "clean_audit: missing column 'removed_text' (str)",
        "clean_audit: unregistered column 'extra' (float64)",
    ]


def test_check_allows_extra_columns_where_registered():
    frame = pd.DataFrame({"warning": ["W"], "message": ["m"], "outlet": ["A"]})
    assert registry.check("warnings", frame) == []


def test_a_spec_refuses_unknown_optional_columns_and_steps():
    with pytest.raises(ValueError, match="optional columns b"):
        registry.TableSpec("t", "run", {"a": "str"}, optional=("b",))
    with pytest.raises(ValueError, match="made_by 'nobody'"):
        registry.TableSpec("t", "nobody", {"a": "str"})


def test_the_registry_imports_nothing_of_the_package():
    source = (paths.PACKAGE / "registry.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import) analysis", source, flags=re.MULTILINE)


# the figures


def test_every_figure_needs_registered_tables():
    for name, spec in figures.REGISTRY.items():
        unknown = [table for table in spec.needs if table not in registry.TABLES]
        assert not unknown, f"figure {name} needs unregistered tables {unknown}"


def test_a_figure_needing_an_unknown_table_is_refused():
    with pytest.raises(ValueError, match="'frame_scorez', not a table of analysis.registry"):
        figures.register("a_test_figure", caption="", needs=("articles", "frame_scorez"))
    assert "a_test_figure" not in figures.REGISTRY


# the docs

DOCS = paths.ROOT / "docs" / "methods.md"
DOCS_HEADING = "### Tables a run writes"


def _written_as(table: registry.TableSpec) -> str:
    return ("Parquet + CSV" if table.csv else "Parquet") + (", streamed" if table.streamed else "")


def expected_doc_rows() -> list[str]:
    """The rows of the docs' table list, from the registry."""
    return [
        f"| `{t.name}` | {t.made_by} | {_written_as(t)} | {t.doc} |"
        for t in registry.TABLES.values()
    ]


def test_the_methods_doc_lists_the_registered_tables():
    text = DOCS.read_text(encoding="utf-8")
    assert DOCS_HEADING in text, f"docs/methods.md has no section {DOCS_HEADING!r}"
    section = text.split(DOCS_HEADING, 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    listed = [re.match(r"\| `([^`]+)`", row).group(1) for row in rows]
    missing = [name for name in registry.TABLES if name not in listed]
    unknown = [name for name in listed if name not in registry.TABLES]
    assert not missing and not unknown, (
        f"docs/methods.md {DOCS_HEADING!r}: tables missing {missing}, not registered {unknown}"
    )
    expected = expected_doc_rows()
    assert rows == expected, (
        f"docs/methods.md {DOCS_HEADING!r} differs from analysis/registry.py; its rows "
        "should read:\n" + "\n".join(expected)
    )


# a run's files


def test_a_run_writes_only_registered_tables_with_their_columns(run_tables):
    problems = []
    for run, folder in run_tables.items():
        written = sorted(folder.glob("*.parquet"))
        assert written, f"{run}: no table written in {folder}"
        for path in written:
            name = path.stem
            if name not in registry.TABLES:
                problems.append(f"{run}: {path.name} is not a registered table")
                continue
            problems.extend(f"{run}: {p}" for p in registry.check(name, pd.read_parquet(path)))
    assert problems == []


def test_the_runs_write_every_registered_table_and_its_csv(run_tables):
    seen = set()
    for run, folder in run_tables.items():
        for path in folder.glob("*.parquet"):
            name = path.stem
            seen.add(name)
            if name in registry.TABLES:
                has_csv = (folder / f"{name}.csv").exists()
                assert has_csv == registry.spec(name).csv, f"{run}: {name}.csv"
    assert seen >= set(registry.TABLES), f"never written: {set(registry.TABLES) - seen}"


def test_the_faulty_rows_are_in_the_rejected_and_repairs_tables(run_tables):
    folder = run_tables["grouped"]
    assert len(pd.read_parquet(folder / "rejected.parquet")) == 1
    assert len(pd.read_parquet(folder / "repairs.parquet")) >= 1
    assert len(pd.read_parquet(folder / "group_measures.parquet"))
