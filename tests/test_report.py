"""The methods text and report.html: true to the manifest, self-contained, escaped."""

from __future__ import annotations

import copy
import json
from html.parser import HTMLParser
from importlib import metadata

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import pipeline, report, stats, tokens
from analysis.config import config_to_run_kwargs, load_config

VERSION = metadata.version("framing-analysis")
HOSTILE = "<script>alert('x')</script>"


def seed_manifest() -> dict:
    """A manifest shaped like the one pipeline.run writes for the seed corpus."""
    return {
        "input": {
            "source": "/data/raw",
            "files": [{"path": "/data/raw/a.txt", "sha256": "ab" * 32, "bytes": 10}],
            "column_mapping": {
                "text": None,
                "outlet": None,
                "id": None,
                "date": None,
                "title": None,
                "dayfirst": False,
            },
        },  # fmt: skip
        "counts": {
            "input_rows": 5,
            "articles": 4,
            "rejected": 1,
            "repairs": 0,
            "sentences": 78,
            "cleaning_removals": 9,
        },
        "rejections": {"empty text": 1},
        "parameters": {
            "distinctive_words": {
                "group_by": "outlet",
                "groups": "A; B",
                "pair": "A vs B",
                "articles": 4,
                "terms": 169,
                "ngram_max": 2,
                "min_count": 2,
                "stop_words": 359,
                "prior": "corpus",
                "prior_scale": 1.0,
                "variance": "full",
                "test_unit": "article",
            },
            "frames": {
                "dictionary": "blasphemy_platforms_2017",
                "negation": False,
                "level": None,
                "resampling_unit": "article",
            },
            "tone": {
                "implementation": "nltk.sentiment.vader with the vaderSentiment lexicon file",
                "negative_threshold": -0.05,
                "positive_threshold": 0.05,
                "resampling_unit": "article",
                "n_resamples": 9999,
                "seed": 0,
                "confidence": 0.95,
                "position_bins": 5,
                "quote_marks": "keep",
                "actors": {"path": "/x/actors_pakistan_2017.yml", "sha256": "cd" * 32},
            },
        },
        "seconds": {"load": 0.01},
        "versions": {"python": "3.11", "framing-analysis": VERSION, "nltk": "3.10"},
    }


def changed(path: str, value) -> dict:
    """The seed manifest with the value at a dotted path replaced (None: removed)."""
    manifest = seed_manifest()
    *parents, last = path.split(".")
    node = manifest
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return manifest


# --- methods text --------------------------------------------------------------------------


def test_methods_text_states_the_recorded_parameters():
    text = report.methods_text(seed_manifest())
    for expected in (
        "4 articles were analysed and 1 rejected (empty text: 1)",
        "9,999 resamples, seed 0",
        "95% studentized bootstrap (bootstrap-t) intervals",
        f"An interval is reported only from {stats.MIN_UNITS_MEAN} articles",
        "Fisher's exact test",
        "The unit is the article.",
        "`blasphemy_platforms_2017`",
        "at most -0.05 and positive when at least 0.05",
        f"`{tokens.TOKEN_PATTERN}`",
        "nltk 3.10's implementation",
        "the corpus prior, α_w = 1 × the term's count",
        "the full four-term variance",
        "Benjamini–Hochberg q-values",
        "used at least 2 times",
        "359 stop words",
        "Punkt",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("parameters.tone.n_resamples", 199, "199 resamples"),
        ("parameters.tone.seed", 42, "seed 42"),
        ("parameters.tone.confidence", 0.9, "90% studentized bootstrap"),
        ("parameters.tone.quote_marks", "drop", "Double quotation marks were removed"),
        ("parameters.tone.resampling_unit", "sentence", stats.SENTENCE_CAVEAT.rstrip(".")),
        ("parameters.tone.resampling_unit", "sentence", "symmetric studentized bootstrap"),
        ("parameters.distinctive_words.test_unit", "outlet", "The unit is the outlet"),
        ("parameters.distinctive_words.correction", "holm", "Holm's family-wise adjusted p-values"),
        ("parameters.frames.resampling_unit", "sentence", "intervals over the sentences"),
        ("parameters.distinctive_words.prior", "uniform", "a uniform prior, α_w = 0.01"),
        ("parameters.distinctive_words.prior_scale", 0.25, "α_w = 0.25 ×"),
        ("parameters.distinctive_words.variance", "approximate", "two-term approximate"),
        ("parameters.distinctive_words.min_count", 5, "used at least 5 times"),
        ("parameters.distinctive_words.ngram_max", 1, "Terms: single words ("),
        ("parameters.frames.dictionary", "policy_frames", "`policy_frames`"),
        ("parameters.frames.negation", True, "counted apart (as negated)"),
        ("parameters.frames.level", 1, "merged to depth 1"),
    ],
)
def test_changing_a_parameter_changes_the_methods_text(path, value, expected):
    before = report.methods_text(seed_manifest())
    after = report.methods_text(changed(path, value))
    assert expected not in before
    assert expected in after


def test_the_dictionary_description_and_its_reference_are_used():
    manifest = changed(
        "parameters.frames.dictionary", "policy_frames"
    )  # a built-in from a published scheme
    manifest["parameters"]["frames"]["description"] = {
        "name": "policy_frames",
        "categories": 15,
        "patterns": 400,
        "weighted": False,
        "source": "Frames of the Policy Frames Codebook; terms written for this project.",
        "licence": "MIT",
        "intended_use": "An unvalidated starting point.",
    }
    text = report.methods_text(manifest)
    assert "15 categories, 400 patterns" in text
    assert "Source: Frames of the Policy Frames Codebook" in text
    assert "Intended use: An unvalidated starting point." in text
    assert "Boydstun, A. E." in text
    assert "Boydstun" not in report.methods_text(seed_manifest())


def test_a_parameter_the_manifest_lacks_is_said_to_be_missing_not_defaulted():
    text = report.methods_text(changed("parameters.tone.n_resamples", None))
    assert "resamples not recorded" in text
    assert "9,999" not in text
    assert "Frame parameters are not recorded" in report.methods_text(
        changed("parameters.frames", None)
    )
    # the frames' own resampling is not recorded by this manifest: not borrowed from tone
    frames = report.methods_text(seed_manifest()).split("## Frames")[1].split("##")[0]
    assert "resamples not recorded" in frames


def test_code_properties_come_from_the_package_only_for_the_same_version():
    other = changed("versions.framing-analysis", "0.0.0-other")
    text = report.methods_text(other)
    assert "The tokenizer is not recorded" in text
    assert tokens.TOKEN_PATTERN not in text
    recorded = copy.deepcopy(other)
    recorded["parameters"]["methods"] = {**report.code_parameters(), "token_pattern": r"\w+"}
    text = report.methods_text(recorded)
    assert r"`\w+`" in text and "is not recorded in the manifest" not in text
    assert "Punkt" in text and "bootstrap-t" in text and "Benjamini–Hochberg" in text


def test_references_list_exactly_the_works_cited():
    text = report.methods_text(seed_manifest())
    assert "Monroe, B. L." in text and "Hutto, C. J." in text
    without_words = report.methods_text(changed("parameters.distinctive_words", None))
    assert "Distinctive words\n\nNot computed" in without_words
    assert "Monroe" not in without_words and "Hardie" not in without_words
    cited = text.split("## References")[1]
    assert cited.count("\n- ") == len([k for k in report.REFERENCES.values() if k in cited])


def test_a_skipped_step_says_why():
    manifest = changed("parameters.distinctive_words", {"skipped": "fewer than two groups"})
    assert "Not computed (fewer than two groups)." in report.methods_text(manifest)


def test_voices_are_described_when_the_manifest_records_them():
    manifest = seed_manifest()
    assert "## Voices" not in report.methods_text(manifest)
    manifest["parameters"]["voices"] = {
        "speakers": "/x/speakers.yml",
        "speakers_sha256": "ef" * 32,
        "extraction": "patterns (analysis.quotes), offline",
        "scare_quote_max_words": 3,
        "resampling_unit": "article",
        "n_resamples": 500,
        "seed": 1,
        "confidence": 0.95,
    }
    text = report.methods_text(manifest)
    assert "## Voices" in text and "`speakers.yml`" in text and "500 resamples" in text
    voices = text.split("## Voices")[1].split("\n## ")[0]
    assert "95% linearised intervals over the articles" in voices
    assert f"reported only from {stats.MIN_UNITS_RATIO} articles" in voices
    assert "no resamples or seed enter it" in voices
    assert (
        f"resampling quotes, 500 resamples, seed 1; reported from {stats.MIN_UNITS_MEAN}" in voices
    )


def test_distinctive_words_name_the_unit_test_its_family_and_the_effect_sizes():
    text = report.methods_text(seed_manifest())
    words = text.split("## Distinctive words")[1].split("\n## ")[0]
    for expected in (
        "the number of articles that use it at least once",
        "Fisher's exact test (Fisher 1922; Agresti 1992), two-sided by doubling the smaller tail",
        "the permutation test of the unit labels, computed exactly",
        "not how often they use it",
        "were computed over one family: every term of every comparison",
        "`p_pooled_tokens` and `q_pooled_tokens`",
        "Lijffijt et al. 2016",
        "reported as effect sizes without p-values",
    ):
        assert expected in words, expected
    assert "chi2_q" not in text and "g2_q" not in text
    assert "Fisher, R. A. (1922)" in text and "Lijffijt, J." in text
    by_outlet = report.methods_text(changed("parameters.distinctive_words.test_unit", "outlet"))
    assert "the number of outlets that use it" in by_outlet and "little power" in by_outlet
    unrecorded = report.methods_text(changed("parameters.distinctive_words.test_unit", None))
    assert "(`test_unit`) is not recorded" in unrecorded and "Fisher" not in unrecorded
    assert "p_pooled_tokens" not in unrecorded  # an older run's p and q: described as they were
    assert "two-sided normal p, and Benjamini–Hochberg q-values" in unrecorded


def test_intervals_below_their_minimum_are_said_to_be_missing():
    text = report.methods_text(seed_manifest())
    assert f"reported only from {stats.MIN_UNITS_MEAN} articles" in text
    assert "reported as missing" in text
    assert "percentile" not in text and "scipy.stats.bootstrap" not in text
    # the frames' interval is the same method: named, not described twice
    frames = text.split("## Frames")[1].split("\n## ")[0]
    assert "bootstrap-t) intervals as above" in frames
    assert f"from {stats.MIN_UNITS_MEAN} articles (missing below)" in frames
    sentences = report.methods_text(changed("parameters.tone.resampling_unit", "sentence"))
    assert f"from {stats.MIN_UNITS_DIFFERENCE} sentences on each side" in sentences
    assert "symmetric studentized bootstrap interval (Hall 1988)" in sentences
    assert "d ± c × se, with c the 95% point of |t\\*|; 9,999 resamples, seed 0" in sentences
    assert "Hall, P. (1988)" in sentences and "Welch, B. L. (1947)" in sentences
    assert "Hall, P." not in text  # cited only where the difference is described


def test_an_older_runs_welch_difference_interval_is_kept():
    manifest = changed("versions.framing-analysis", "0.0.0-other")
    manifest["parameters"]["tone"]["resampling_unit"] = "sentence"
    manifest["parameters"]["methods"] = {
        **report.code_parameters(),
        "difference_interval": "Welch's t",
        "min_units_difference": 10,
    }
    text = report.methods_text(manifest)
    assert "with Welch's t interval (unequal variances; Welch 1947), reported from 10 " in text
    assert "Hall 1988" not in text and "Hall, P." not in text and "symmetric" not in text
    del manifest["parameters"]["methods"]["difference_interval"]
    assert "an interval method not recorded" in report.methods_text(manifest)


def test_the_interval_formulas_render_as_written():
    text = report.methods_text(changed("parameters.tone.resampling_unit", "sentence"))
    html = report.markdown_to_html(text)
    assert "t* = (mean* − mean) / se*" in html and "t* = (d* − d) / se*" in html
    assert "<em>" not in html.split("References")[0]


def test_an_older_runs_recorded_interval_method_is_kept():
    manifest = changed("versions.framing-analysis", "0.0.0-other")
    manifest["parameters"]["methods"] = {"interval": "percentile", "fdr": "bh"}
    manifest["parameters"]["groups"] = {"group_by": "bias_text", "n_resamples": 99, "seed": 3}
    text = report.methods_text(manifest)
    assert "95% percentile bootstrap intervals (`scipy.stats.bootstrap`" in text
    assert "bootstrap-t" not in text and "reported only from" not in text
    assert "intervals over the outlets (method not recorded; 99 resamples, seed 3)" in text


def test_groups_use_the_ratio_interval_over_outlets():
    manifest = seed_manifest()
    assert "## Groups" not in report.methods_text(manifest)
    manifest["parameters"]["groups"] = {
        "group_by": "bias_text",
        "groups": ["Left", "Right"],
        "resampling_unit": "outlet",
        "n_resamples": 9999,
        "seed": 0,
        "confidence": 0.95,
    }
    groups = report.methods_text(manifest).split("## Groups")[1].split("\n## ")[0]
    for expected in (
        "takes the outlets as the units",
        "95% linearised intervals over the outlets",
        "the HC2 small-sample correction",
        "Student's t with one degree of freedom fewer than the outlets",
        "on the log scale",
        "no resamples or seed enter it",
        f"reported only from {stats.MIN_CLUSTERS} outlets",
    ):
        assert expected in groups, expected
    assert "percentile" not in groups and "9,999" not in groups
    text = report.methods_text(manifest)
    assert "Cochran, W. G. (1977)" in text and "Bell, R. M., & McCaffrey" in text


def test_hostile_values_cannot_break_the_markdown():
    manifest = changed("rejections", {"a `b` *c* [d](e)": 1})
    manifest["outlets"] = [{"outlet": HOSTILE, "articles": 1}]
    text = report.methods_text(manifest)
    assert "<script>" not in text  # escaped for any Markdown renderer, not only ours
    html = report.markdown_to_html(text)
    assert "a `b` *c* [d](e): 1" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; (1 article)" in html


# --- Markdown and captions -----------------------------------------------------------------


def test_markdown_to_html_escapes_everything_it_does_not_render():
    html = report.markdown_to_html(
        f"# Title {HOSTILE}\n\nText with `a<b*c*` and **bold** and \\*stars\\*.\n\n"
        "- one <i>\n  continued\n- two",
        shift=1,
    )
    assert "<script" not in html
    assert "<h2>Title &lt;script&gt;" in html
    assert "<code>a&lt;b*c*</code>" in html
    assert "<strong>bold</strong>" in html
    assert "*stars*" in html and "<em>stars</em>" not in html
    assert "<li>one &lt;i&gt; continued</li>" in html


def test_read_captions_reads_what_build_all_writes(tmp_path):
    path = tmp_path / "captions.md"
    path.write_text(
        "# Figure captions\n\n## one\n\nFirst caption.\n\n## two\n\nSecond, <b>.\n",
        encoding="utf-8",
    )
    assert report.read_captions(path) == {"one": "First caption.", "two": "Second, <b>."}
    assert report.read_captions(tmp_path / "missing.md") == {}


# --- report.html ---------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_self_contained(html: str) -> None:
    """No script, no external style sheet, font, frame or link: every src and href stays
    in the page."""
    parser = _Collector()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "link", "iframe", "object", "embed", "base"), tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("src", "href", "srcset", "action", "poster", "data"):
            if name in attrs:
                assert attrs[name].startswith(("data:image/", "#")), (tag, name, attrs[name])
    lowered = html.lower()
    for needle in ("@import", "url(", "<script", "javascript:"):
        assert needle not in lowered, needle


@pytest.fixture
def run_folder(tmp_path):
    """An output folder as a run leaves it, with hostile names everywhere."""
    out = tmp_path / "out"
    figures = out / "figures"
    figures.mkdir(parents=True)
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1])
    fig.savefig(figures / "tone_by_voice.png", dpi=50)
    fig.savefig(figures / "stale.png", dpi=50)
    plt.close(fig)
    (figures / "tone_by_voice.csv").write_text("x\n1\n", encoding="utf-8")
    (figures / "captions.md").write_text(
        f"# Figure captions\n\n## tone_by_voice\n\nTone of {HOSTILE}.\n\n## stale\n\nOld.\n",
        encoding="utf-8",
    )
    pd.DataFrame(
        {
            "source_file": ["c.csv"],
            "source_row": [3],
            "article_id": [HOSTILE],
            "column": ["text"],
            "reason": ["<img src=x onerror=alert(1)>"],
        }
    ).to_csv(out / "rejected.csv", index=False)
    manifest = seed_manifest()
    manifest["input"]["source"] = f"/data/{HOSTILE}.csv"
    manifest["rejections"] = {"<img src=x onerror=alert(1)>": 1}
    manifest["outlets"] = [
        {"outlet": HOSTILE, "articles": 2, "words_received": 10, "first_published": None,
         "last_published": None, "undated": 2},
    ]  # fmt: skip
    manifest["outputs"] = [str(figures / "tone_by_voice.png"), str(figures / "tone_by_voice.csv")]
    return out, figures, manifest


def test_report_is_self_contained_and_escapes_hostile_names(run_folder):
    out, figures, manifest = run_folder
    path = report.write_report(out, manifest=manifest, figures_dir=figures)
    html = path.read_text(encoding="utf-8")
    assert path == out / "report.html"
    assert_self_contained(html)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count('src="data:image/png;base64,') == 1
    assert "Tone of &lt;script&gt;" in html
    assert "Not embedded" in html  # the stale figure of an earlier run is not shown
    assert "Files: tone_by_voice.csv, tone_by_voice.png." in html


def test_report_bytes_are_the_same_for_the_same_inputs(run_folder):
    out, figures, manifest = run_folder
    first = report.write_report(out, manifest=manifest, figures_dir=figures).read_bytes()
    manifest["seconds"] = {"load": 99.0}  # durations differ between runs and are not shown
    second = report.write_report(out, manifest=manifest, figures_dir=figures).read_bytes()
    assert first == second


def test_report_reads_the_manifest_and_captions_from_the_folder(run_folder):
    out, figures, manifest = run_folder
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    html = report.write_report(out).read_text(encoding="utf-8")
    assert "tone_by_voice" in html and "&lt;script&gt;" in html


# --- a whole study from a config file ------------------------------------------------------

ARTICLES = [
    ("a1", "Daily Planet", "Officials said the new bridge plan is a disaster for the city."),
    ("a2", "Daily Planet", 'The mayor called the bridge "a triumph" and praised the budget.'),
    ("b1", HOSTILE, "Critics warned the bridge budget will fail and hurt the city badly."),
    ("b2", HOSTILE, "The city council praised the bridge, a great plan for the budget."),
    ("c1", "Gotham Gazette", "The bridge plan is a wonderful idea, residents said happily."),
    ("c2", "Gotham Gazette", "Residents fear the bridge budget is a terrible waste of money."),
]


@pytest.mark.filterwarnings("ignore::analysis.stats.UndefinedIntervalWarning")
def test_a_study_given_only_by_a_config_file_writes_every_output(tmp_path):
    study = tmp_path / "study"
    study.mkdir()
    pd.DataFrame(
        [{"story": i, "paper": o, "body": t * 3, "day": "2020-01-0" + i[1]} for i, o, t in ARTICLES]
    ).to_csv(study / "corpus.csv", index=False)
    (study / "study.yml").write_text(
        "corpus:\n  path: corpus.csv\n  text: body\n  outlet: paper\n  id: story\n"
        "  date: day\n"
        "resampling:\n  n_resamples: 99\n"
        "figures:\n  formats: [png]\n"
        "output:\n  out: results\n",
        encoding="utf-8",
    )
    cfg = load_config(study / "study.yml")
    result = pipeline.run(**config_to_run_kwargs(cfg))
    out = study / "results"
    methods = report.write_methods(out, result.manifest)
    page = report.write_report(out, manifest=result.manifest, figures_dir=out / "figures")

    assert result.manifest["counts"]["articles"] == 6
    for name in ("manifest.json", "articles.parquet", "outlet_tone.csv", "figures/captions.md"):
        assert (out / name).is_file(), name
    text = methods.read_text(encoding="utf-8")
    assert "99 resamples" in text and "6 articles were analysed" in text
    assert "`policy_frames`" in text  # the default dictionary on a corpus of one's own
    # filled from the run's own tables where the manifest does not record them
    assert "3 outlets: " in text and "Gotham Gazette (2 articles)" in text
    assert "15 categories" in text and "Boydstun, A. E." in text
    html = page.read_text(encoding="utf-8")
    assert_self_contained(html)
    pngs = sorted((out / "figures").glob("*.png"))
    assert pngs and html.count('src="data:image/png;base64,') == len(pngs)
    assert "&lt;script&gt;alert" in html and HOSTILE not in html
    assert "Gotham Gazette" in html
