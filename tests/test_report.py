"""The methods text and report.html: true to the manifest, self-contained, escaped."""

from __future__ import annotations

import copy
import html as html_module
import json
import re
from html.parser import HTMLParser
from importlib import metadata

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import paths, pipeline, report, stats, tokens
from analysis.config import load_config

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
        report.methods.TOKENIZER_TEXT,
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
    assert "not the one of this version" in text and report.methods.TOKENIZER_TEXT not in text
    assert "Punkt" in text and "bootstrap-t" in text and "Benjamini–Hochberg" in text


MAX_SENTENCE_CHARACTERS = 600
"""A methods sentence a reader can follow (the longest on the seed manifest is about 500)."""
MAX_UNBROKEN_CHARACTERS = 60
"""The longest run without a space: a path or a digest, never a pasted regular expression."""


def _sentences(markdown: str) -> list[str]:
    """The sentences of a Markdown text's paragraphs (headings and the references left out)."""
    body = markdown.split("## References")[0]
    paragraphs = [p for p in body.split("\n\n") if p.strip() and not p.startswith("#")]
    return [s for p in paragraphs for s in re.split(r"(?<=[.;])\s+(?=[A-Z(])", " ".join(p.split()))]


@pytest.mark.parametrize(
    "manifest",
    [seed_manifest(), changed("parameters.tone.resampling_unit", "sentence")],
    ids=["seed", "sentence-unit"],
)
def test_the_tokenizer_is_described_in_words_not_pasted(manifest):
    text = report.methods_text(manifest)
    assert tokens.TOKEN_PATTERN not in text and tokens.PLAIN_TOKEN_PATTERN not in text
    assert "hashtags and @handles are kept whole" in text and "“U.S.”" in text
    assert "(`token_pattern`)" in text  # where the exact pattern is
    sentences = _sentences(text)
    assert len(sentences) > 20
    for sentence in sentences:
        assert len(sentence) <= MAX_SENTENCE_CHARACTERS, sentence
        assert max(map(len, sentence.split())) <= MAX_UNBROKEN_CHARACTERS, sentence


def test_a_long_recorded_pattern_of_another_version_is_not_pasted():
    manifest = changed("versions.framing-analysis", "0.0.0-other")
    long_pattern = "[" + "".join(chr(c) for c in range(0x300, 0x370)) + r"\w]+"
    manifest["parameters"]["methods"] = {**report.code_parameters(), "token_pattern": long_pattern}
    text = report.methods_text(manifest)
    assert long_pattern not in text and "\u0300" not in text
    assert "not the one of this version" in text and "(`token_pattern`)" in text


def test_the_docs_appendix_holds_the_exact_patterns():
    """docs/methods.md gives the patterns the methods text only describes: verbatim, so a
    changed pattern fails here until the appendix is updated."""
    docs = (paths.ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    appendix = docs.split("## Appendix: exact patterns", 1)[1]
    for pattern in (
        tokens.PLAIN_TOKEN_PATTERN,
        tokens.CLAUSE_BREAK,
        tokens._POSSESSIVE.pattern,
        'python -c "from analysis import tokens; print(tokens.TOKEN_PATTERN)"',
    ):
        assert f"```\n{pattern}\n```" in appendix, pattern
    # what the appendix says of the full pattern: the plain one with \w widened by the marks
    assert tokens.PLAIN_TOKEN_PATTERN.replace(r"\w", tokens._WORD) == tokens.TOKEN_PATTERN
    assert tokens._POSSESSIVE.flags & re.IGNORECASE


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
    assert "## Voices" in text and "`speakers.yml`" in text
    voices = text.split("## Voices")[1].split("\n## ")[0]
    assert "95% linearised intervals over the articles" in voices
    assert f"reported only from {stats.MIN_UNITS_RATIO} articles" in voices
    assert "no resamples or seed enter it" in voices
    assert "the quotes of one article, which are not independent, count as one unit" in voices
    assert f"reported from {stats.MIN_QUOTING_ARTICLES} articles" in voices
    # a manifest written when quote tone resampled quotes keeps its own account
    manifest["parameters"]["voices"]["resampling_unit"] = "article (quote tone: quote)"
    voices = report.methods_text(manifest).split("## Voices")[1].split("\n## ")[0]
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
    result = pipeline.run(config=cfg)
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


# --- the report's opening, its figure notes and its glossary -------------------------------

GLOSSARY_TEXT = f"""# Glossary

Plain words for the report, with <b>markup</b> that stays text.

## article

One news text.

## confidence interval (CI)

A range of values. `code` and *italics* and {HOSTILE}.

## outlet

A news organisation.

## rate per 1,000 words

Matches per 1,000 words.
"""


@pytest.fixture(autouse=True)
def glossary(tmp_path, monkeypatch):
    """A small glossary in place of docs/glossary.md, so the page's tests do not depend on
    the repository's."""
    path = tmp_path / "glossary" / "glossary.md"
    path.parent.mkdir()
    path.write_text(GLOSSARY_TEXT, encoding="utf-8")
    monkeypatch.setattr(report.opening, "GLOSSARY", path)
    return path


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def _plain(html: str) -> str:
    """The visible text of some HTML, on one line."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def _opening(html: str) -> str:
    """The page's opening: from the title to the corpus section."""
    return html.split("<body>")[1].split('<h2 id="corpus">')[0]


def _outlets(counts: dict[str, int], first="2017-03-01", last="2017-07-07") -> list[dict]:
    return [
        {"outlet": name, "articles": n, "words_received": 100 * n, "first_published": first,
         "last_published": last, "undated": 0}
        for name, n in counts.items()
    ]  # fmt: skip


SEED_VOICES = {
    "speakers": "/x/speakers_pakistan_2017.yml",
    "extraction": "patterns (analysis.quotes), offline",
    "resampling_unit": "article (quote tone: quote)",
}


def _opening_run(tmp_path, manifest: dict, units: dict[str, int]) -> tuple[str, dict]:
    """report.html for ``manifest``, written in a figure folder apart from the tables (as
    the main job does): a term_scores table whose groups have ``units`` articles, one
    figure, and the manifest's outputs listing them."""
    tables, figures = tmp_path / "tables", tmp_path / "figures"
    tables.mkdir()
    figures.mkdir()
    total = sum(units.values())
    pd.DataFrame(
        {
            "group": list(units),
            "term": "word",
            "n_units": list(units.values()),
            "n_units_other": [total - n for n in units.values()],
        }
    ).to_csv(tables / "term_scores.csv", index=False)
    fig, ax = plt.subplots(figsize=(1, 1))
    fig.savefig(figures / "frame_salience.png", dpi=50)
    plt.close(fig)
    (figures / "captions.md").write_text(
        "# Figure captions\n\n## frame_salience\n\nFrame salience.\n", encoding="utf-8"
    )
    manifest["outputs"] = [str(tables / "term_scores.csv"), str(figures / "frame_salience.png")]
    manifest["parameters"]["frames"]["description"] = {
        "name": "blasphemy_platforms_2017",
        "intended_use": "Teaching, and the seed story only.",
    }
    html = report.write_report(figures, manifest=manifest, figures_dir=figures).read_text("utf-8")
    return html, manifest


def test_the_report_opens_with_the_corpus_its_sections_and_what_it_cannot_show(tmp_path):
    manifest = seed_manifest()
    names = ["Al Jazeera English", "Breitbart News", "IBT UK", "Daily (unconfirmed)"]
    manifest["outlets"] = _outlets(dict.fromkeys(names, 1))
    manifest["parameters"]["voices"] = SEED_VOICES
    manifest["parameters"]["distinctive_words"]["groups"] = "; ".join(names)
    html, _ = _opening_run(tmp_path, manifest, dict.fromkeys(names, 1))
    assert_self_contained(html)
    opening = _plain(_opening(html))
    assert opening.startswith(
        "Framing analysis report This report describes 4 articles from 4 outlets, published "
        "between 2017-03-01 and 2017-07-07: Al Jazeera English, Breitbart News, Daily "
        "(unconfirmed) and IBT UK. 1 input could not be used and is left out (see Rejected "
        "inputs). Words in italics in this opening are explained in the glossary"
    ), opening
    for expected in (
        "What each section shows",
        "Rejected inputs: the 1 input that could not be used, and why.",
        "Figures: 1 figure, each with its caption (written for a paper) and how to read it: "
        "Frames: how often each outlet uses the words of each frame.",
        "Words used in this report: the glossary",
        "What these numbers cannot show",
        "One article per outlet: these figures describe 4 articles, not 4 outlets.",
        f"No confidence interval where an outlet has fewer than {stats.MIN_UNITS_MEAN} "
        f"articles ({stats.MIN_UNITS_RATIO:,} for the voice measures); here: all 4 outlets.",
        f"No word could be tested: the test needs at least {report.opening.MIN_UNITS_TEST} "
        "articles in each group",
        "Actors and speakers come from the seed story's lists (actors_pakistan_2017.yml and "
        "speakers_pakistan_2017.yml)",
        "Frame scores are counts of the dictionary's words per 1,000 words, not readings of "
        "meaning: a word counts wherever it appears, even right after “not”.",
        "What the dictionary blasphemy_platforms_2017 is for, in its own words: “Teaching, "
        "and the seed story only.”",
        "Tone is VADER's reading of the words, not of their meaning",
        "the tone near an actor is the tone of the sentences naming it",
        "Quotes and their speakers are found by patterns",
    ):
        assert expected in opening, expected
    for absent in ("Only the", "compare only", "role words", "Groups of outlets"):
        assert absent not in opening, absent
    # the glossary's words link to their entries, once each
    assert opening.count("confidence interval") == 1
    assert '<a href="#glossary-confidence-interval-ci"><em>confidence interval</em></a>' in html
    assert '<a href="#glossary-outlet"><em>outlets</em></a>' in html
    assert html.count('href="#glossary-outlet"') == 1


def test_only_the_limits_that_apply_to_the_run_appear(tmp_path):
    from analysis.figures import MAX_OUTLETS

    counts = {f"Outlet {i:02d}": 600 for i in range(MAX_OUTLETS + 2)}
    counts.update({"Small A": 10, "Small B": 10, "Small C": 1})
    manifest = seed_manifest()
    manifest["outlets"] = _outlets(counts, first=None, last=None)
    for row in manifest["outlets"]:
        row["undated"] = row["articles"]
    manifest["counts"] = {"articles": sum(counts.values()), "rejected": 0}
    manifest["rejections"] = {}
    manifest["parameters"]["tone"]["actors"] = None
    manifest["parameters"]["frames"]["negation"] = True
    manifest["parameters"]["voices"] = {**SEED_VOICES, "speakers": "/x/speaker_categories.yml"}
    manifest["parameters"]["distinctive_words"]["groups"] = "; ".join(list(counts)[:MAX_OUTLETS])
    html, _ = _opening_run(tmp_path, manifest, {**counts, "Small B": 1, "Small C": 1})
    opening = _plain(_opening(html))
    n = len(counts)
    for expected in (
        f"This report describes {sum(counts.values()):,} articles from {len(counts)} outlets "
        "(none has a date).",
        "Rejected inputs: none here: every input was used.",
        f"1 of the {n} outlets has a single article: for it, the figures describe an article, "
        "not an outlet.",
        f"No confidence interval where an outlet has fewer than {stats.MIN_UNITS_MEAN} articles "
        f"({stats.MIN_UNITS_RATIO:,} for the voice measures); here: 3 of the {n} outlets.",
        f"The words of 2 groups could not be tested (the test needs at least "
        f"{report.opening.MIN_UNITS_TEST} articles in each group): Small B and Small C.",
        f"Distinctive words compare only the {MAX_OUTLETS} outlets with the most articles, of {n}.",
        f"Only the {MAX_OUTLETS} outlets with the most articles are shown in the figures, of "
        f"{n}; the tables have every outlet.",
        "Speakers are sorted into kinds by role words only (speaker_categories.yml)",
        "(right after “not” or “no” it is counted apart)",
        "irony, sarcasm and who is speaking are not understood.",
    ):
        assert expected in opening, expected
    for absent in (
        "One article per outlet",
        "seed story's lists",
        "No word could be tested",
        "Outlet 00",  # more outlets than the opening names
        "input could not be used",
        "naming it",  # no actors
    ):
        assert absent not in opening, absent


def test_an_interval_limit_names_both_counts_when_they_differ(tmp_path):
    manifest = seed_manifest()
    manifest["outlets"] = _outlets({"A": 60, "B": 60, "C": 10})
    manifest["parameters"]["voices"] = SEED_VOICES
    html, _ = _opening_run(tmp_path, manifest, {"A": 60, "B": 60, "C": 10})
    assert (
        f"No confidence interval where an outlet has fewer than {stats.MIN_UNITS_MEAN} articles "
        f"({stats.MIN_UNITS_RATIO:,} for the voice measures); here: 1 of the 3 outlets (all 3 "
        "outlets for the voice measures)."
    ) in _plain(_opening(html))


def test_the_opening_escapes_user_text(run_folder):
    out, figures, manifest = run_folder
    manifest["parameters"]["frames"]["description"] = {"intended_use": HOSTILE}
    html = report.write_report(out, manifest=manifest, figures_dir=figures).read_text("utf-8")
    assert_self_contained(html)
    opening = _opening(html)
    assert "describes 4 <a" in opening
    assert (
        "from 1 <a" in opening and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;." in opening
    )
    assert "in its own words: “&lt;script&gt;" in opening
    assert "(2 articles without a date)" not in opening and "(none has a date)" in opening


def test_each_figure_says_how_to_read_it(run_folder):
    from analysis.figures.reading import HOW_TO_READ

    out, figures, manifest = run_folder
    html = report.write_report(out, manifest=manifest, figures_dir=figures).read_text("utf-8")
    tone = html.split('<figure id="tone_by_voice">')[1].split("</figure>")[0]
    how = tone.split("</figcaption>")[0].split("How to read this:</strong> ")[1]
    assert how.startswith(html_module.escape(HOW_TO_READ["tone_by_voice"]))
    stale = html.split('<figure id="stale">')[1].split("</figure>")[0]
    assert "How to read this" not in stale  # a figure the package does not know: no note


def _ids_and_links(html: str) -> tuple[set[str], list[str]]:
    parser = _Collector()
    parser.feed(html)
    ids = {attrs["id"] for _, attrs in parser.tags if "id" in attrs}
    links = [attrs["href"][1:] for tag, attrs in parser.tags if tag == "a" and "href" in attrs]
    return ids, links


def test_the_glossary_ends_the_page_and_every_link_has_a_target(run_folder):
    out, figures, manifest = run_folder
    html = report.write_report(out, manifest=manifest, figures_dir=figures).read_text("utf-8")
    section = html.split('<section id="glossary">')[1].split("</section>")[0]
    assert html.index('<section id="glossary">') > html.index('id="provenance"')
    assert "<h2>Words used in this report</h2>" in section
    assert "# Glossary" not in section and ">Glossary<" not in section  # its own title dropped
    assert "with &lt;b&gt;markup&lt;/b&gt; that stays text" in section
    assert '<h3 id="glossary-confidence-interval-ci">confidence interval (CI)</h3>' in section
    assert "<code>code</code> and <em>italics</em> and &lt;script&gt;" in section
    assert_self_contained(html)
    ids, links = _ids_and_links(html)
    assert "glossary-outlet" in links
    assert set(links) <= ids


def test_without_a_glossary_the_page_says_where_it_is(run_folder, glossary, monkeypatch):
    monkeypatch.setattr(report.opening, "GLOSSARY", glossary.parent / "missing.md")
    out, figures, manifest = run_folder
    html = report.write_report(out, manifest=manifest, figures_dir=figures).read_text("utf-8")
    section = _plain(html.split('<section id="glossary">')[1].split("</section>")[0])
    assert section.startswith("Words used in this report")
    assert "docs/glossary.md" in section
    assert 'href="#glossary-' not in html and "Words in <em>italics</em>" not in html
    assert "docs/glossary.md" in _plain(_opening(html))


def test_glossary_entries_are_found_by_their_names():
    entries = report.opening.glossary_entries(
        "# Glossary\n\n## confidence interval (CI)\n\ntext\n\n## q-value / q\n\n"
        "## rate per 1,000 words\n\n### not an entry\n"
    )
    assert entries["confidence interval (ci)"] == "glossary-confidence-interval-ci"
    assert entries["confidence interval"] == entries["ci"] == "glossary-confidence-interval-ci"
    assert entries["q"] == entries["q-value"] == "glossary-q-value-q"
    assert entries["rate per 1,000 words"] == "glossary-rate-per-1-000-words"
    assert "not an entry" not in entries and "glossary" not in entries


def test_the_repositorys_glossary_renders_and_every_link_finds_its_entry(run_folder, monkeypatch):
    monkeypatch.setattr(report.opening, "GLOSSARY", paths.ROOT / "docs" / "glossary.md")
    out, figures, manifest = run_folder
    html = report.write_report(out, manifest=manifest, figures_dir=figures).read_text("utf-8")
    assert_self_contained(html)
    ids, links = _ids_and_links(html)
    assert [link for link in links if link.startswith("glossary-")]
    assert set(links) <= ids
