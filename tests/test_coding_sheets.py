"""Codebooks, coding sheets and reading them back (analysis.coding)."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.coding import CodebookError, coding_units, read_codebook
from analysis.coding.read import CodingError, parse_value, read_codes
from analysis.coding.sheets import assign, draw_sample, write_sheets

CODEBOOK = """\
codebook:
  name: tiny
  description: A codebook for tests.
variables:
  frame:
    unit: paragraph
    type: categorical
    label: Main frame
    instructions: The paragraph's main frame.
    categories: [economy, security, other]
  tone:
    unit: paragraph
    type: ordinal
    label: Tone
    instructions: How negative or positive.
    scale: {-1: negative, 0: neutral, 1: positive}
    validates: {tone: compound}
  direct_quote:
    unit: sentence
    type: binary
    label: Direct quote
    instructions: Does the sentence quote someone?
    validates: {quote: direct}
  speaker:
    unit: sentence
    type: text
    label: Speaker
    instructions: Who speaks.
    validates: {quote: speaker}
"""


def _tables(n_articles: int = 6, outlets=("A", "B", "C")) -> dict[str, pd.DataFrame]:
    """Articles of two paragraphs of two sentences each, spread over ``outlets``."""
    articles, sentences = [], []
    for i in range(n_articles):
        article_id = f"art{i}"
        parts = [f"Sentence {k} of article {i}." for k in range(4)]
        text = f"{parts[0]} {parts[1]}\n\n{parts[2]} {parts[3]}"
        articles.append((article_id, outlets[i % len(outlets)], f"Title {i}", text))
        for k, part in enumerate(parts):
            start = text.index(part)
            sentences.append((article_id, k, k // 2, start, start + len(part), part))
    return {
        "articles": pd.DataFrame(articles, columns=["article_id", "outlet", "title", "text_clean"]),
        "sentences": pd.DataFrame(
            sentences,
            columns=["article_id", "sentence_id", "paragraph_id", "start", "end", "text"],
        ),
    }


@pytest.fixture
def codebook(tmp_path):
    path = tmp_path / "tiny.yml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return read_codebook(path)


@pytest.fixture
def sheets(tmp_path, codebook):
    folder = tmp_path / "sheets"
    write_sheets(_tables(), codebook, folder, n=4, coders=["ana", "ben"], overlap=0.5, seed=3)
    return folder


def _csv(folder, name) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _write(frame: pd.DataFrame, folder, name) -> None:
    frame.to_csv(folder / name, index=False, encoding="utf-8-sig")


def _fill(folder, coder: str, *, tone="1", frame="economy", quote="0", speaker="") -> None:
    """Fill every row of a coder's CSV sheets with the same codes."""
    paragraphs = _csv(folder, f"{coder}_paragraph.csv")
    _write(paragraphs.assign(frame=frame, tone=tone), folder, f"{coder}_paragraph.csv")
    sentences = _csv(folder, f"{coder}_sentence.csv")
    _write(sentences.assign(direct_quote=quote, speaker=speaker), folder, f"{coder}_sentence.csv")


# --- codebooks ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["seed_story", "policy_frames"])
def test_the_shipped_codebooks_read(name):
    book = read_codebook(name)
    assert book.name == name and len(book.variables) >= 10
    assert all(v.instructions for v in book.variables)


def test_a_codebook_gives_each_variable_its_values_level_and_choices(codebook):
    assert codebook.units == ("paragraph", "sentence")
    assert codebook["tone"].values == (-1, 0, 1)
    assert codebook["tone"].choices == ("-1 = negative", "0 = neutral", "1 = positive")
    assert codebook["direct_quote"].choices == ("0 = no", "1 = yes")
    assert codebook.levels == {
        "frame": "nominal",
        "tone": "ordinal",
        "direct_quote": "nominal",
    }
    assert codebook.orders == {"tone": [-1, 0, 1]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("unit: paragraph\n    type: categorical", "unit: page\n    type: categorical"),
            "variables.frame.unit: 'page' is not one of",
        ),
        (("type: categorical", "type: multiple"), "variables.frame.type: 'multiple'"),
        (
            ("categories: [economy, security, other]", "categories: [economy]"),
            "variables.frame.categories: expected a list of at least two",
        ),
        (
            ("categories: [economy, security, other]", "categories: [economy, economy, x]"),
            "empty or repeated: 'economy'",
        ),
        (
            ("{-1: negative, 0: neutral, 1: positive}", "{low: 1, high: 2}"),
            "variables.tone.scale: the values must be whole numbers",
        ),
        (
            ("validates: {tone: compound}", "validates: {frame: security}"),
            "variables.tone.validates: a ordinal variable cannot check frame",
        ),
        (
            ("validates: {tone: compound}", "validates: {tonne: compound}"),
            "'tonne' is not one of frame, tone, actor_tone, quote; did you mean tone?",
        ),
        (
            ("validates: {quote: speaker}", "validates: {quote: direct}"),
            "a text variable checks {quote: speaker}",
        ),
        (("label: Main frame", "lable: Main frame"), "unknown key 'lable'; did you mean label?"),
        (("  frame:\n", "  main frame:\n"), "a variable name is letters, digits and _"),
        (
            ("instructions: Who speaks.", "instructions: ''"),
            "variables.speaker.instructions: expected a non-empty text",
        ),
    ],
)
def test_a_malformed_codebook_is_refused_naming_file_and_variable(tmp_path, change, message):
    path = tmp_path / "bad.yml"
    path.write_text(CODEBOOK.replace(*change, 1), encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        read_codebook(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


# --- units, sample, assignment ------------------------------------------------------------


def test_units_have_stable_ids_and_their_own_text():
    tables = _tables(2)
    paragraphs = coding_units(tables, "paragraph")
    assert paragraphs["unit_id"].tolist() == ["art0/p0", "art0/p1", "art1/p0", "art1/p1"]
    assert paragraphs["text"].iloc[1] == "Sentence 2 of article 0. Sentence 3 of article 0."
    sentences = coding_units(tables, "sentence")
    assert sentences["unit_id"].iloc[5] == "art1/s1"
    assert sentences["text"].iloc[5] == "Sentence 1 of article 1."
    articles = coding_units(tables, "article")
    assert articles["text"].iloc[0].startswith("Title 0\n\nSentence 0")


def test_the_sample_is_stratified_equal_and_reproducible():
    articles = _tables(30)["articles"]
    drawn = draw_sample(articles, 9, seed=1)
    outlets = articles.set_index("article_id").loc[drawn, "outlet"]
    assert outlets.value_counts().tolist() == [3, 3, 3]
    assert drawn.tolist() == draw_sample(articles, 9, seed=1).tolist()
    assert set(drawn) != set(draw_sample(articles, 9, seed=2))


def test_a_small_stratum_gives_all_it_has_and_the_others_make_up():
    articles = pd.concat(
        [
            _tables(20, outlets=("A", "B"))["articles"],
            _tables(1, outlets=("C",))["articles"].assign(article_id="c0"),
        ]
    )
    drawn = draw_sample(articles, 9, seed=0)
    counts = articles.set_index("article_id").loc[drawn, "outlet"].value_counts()
    assert counts.to_dict() == {"A": 4, "B": 4, "C": 1}


def test_adding_an_outlet_does_not_change_the_others_draws():
    two = _tables(20, outlets=("A", "B"))["articles"]
    three = pd.concat([two, two.assign(article_id="x" + two["article_id"], outlet="C")])
    a_in_two = set(draw_sample(two, 4, seed=5)) & set(two.query("outlet == 'A'")["article_id"])
    a_in_three = set(draw_sample(three, 6, seed=5)) & set(two.query("outlet == 'A'")["article_id"])
    assert a_in_two == a_in_three


@pytest.mark.parametrize(
    ("overlap", "everyone", "alone"), [(1.0, 6, 0), (0.5, 3, 3), (1 / 3, 2, 4)]
)
def test_the_overlap_is_coded_by_all_and_the_rest_shared(overlap, everyone, alone):
    ids = pd.Series([f"a{i}" for i in range(6)])
    assigned = assign(ids, ["ana", "ben"], overlap=overlap)
    assert (assigned["coders"] == "ana;ben").sum() == everyone
    rest = assigned.loc[assigned["coders"] != "ana;ben", "coders"].value_counts()
    assert rest.sum() == alone and (rest.max() - rest.min() if alone else 0) <= 1


# --- sheets -------------------------------------------------------------------------------


def test_the_sheets_are_written_once_and_byte_identical(tmp_path, codebook):
    digests = []
    for name in ("one", "two"):
        files = write_sheets(_tables(), codebook, tmp_path / name, n=4, coders=2, seed=3)
        digests.append({f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files})
    assert digests[0] == digests[1]
    assert {"key.csv", "coder1.xlsx", "coder2_sentence.csv", "codebook.yml"} <= set(digests[0])
    with pytest.raises(FileExistsError, match="already holds coding sheets"):
        write_sheets(_tables(), codebook, tmp_path / "one", n=4, coders=2)


def test_a_sheet_hides_the_outlet_and_the_key_keeps_it(sheets):
    sheet = _csv(sheets, "ana_paragraph.csv")
    assert list(sheet.columns) == ["unit_id", "text", "frame", "tone"]
    key = _csv(sheets, "key.csv")
    assert "outlet" in key.columns and set(key["unit"]) == {"paragraph", "sentence"}
    # 4 articles, 2 in the overlap: ana codes 3 articles' 2 paragraphs
    assert len(sheet) == 6 and (key.query("unit == 'paragraph'")["coders"] == "ana;ben").sum() == 4


def test_the_xlsx_has_drop_downs_and_the_instructions(sheets):
    book = load_workbook(sheets / "ana.xlsx")
    assert book.sheetnames == ["instructions", "lists", "paragraphs", "sentences"]
    paragraphs = book["paragraphs"]
    assert [c.value for c in paragraphs[1]] == ["unit_id", "text", "frame", "tone"]
    checks = {str(v.sqref): v.formula1 for v in paragraphs.data_validations.dataValidation}
    assert checks == {"C2:C7": "lists!$A$1:$A$3", "D2:D7": "lists!$B$1:$B$3"}
    assert [c.value for c in book["lists"]["B"]] == ["-1 = negative", "0 = neutral", "1 = positive"]
    instructions = [row[0] for row in book["instructions"].iter_rows(values_only=True)]
    assert "speaker" in instructions and book["lists"].sheet_state == "hidden"


# --- reading codes back -------------------------------------------------------------------


def test_codes_round_trip_through_the_csv_sheets(sheets):
    _fill(sheets, "ana", tone="1 = positive", frame="security", quote="1 = yes", speaker="Khan")
    _fill(sheets, "ben", tone="-1", frame="economy", quote="0")
    read = read_codes(sheets)
    codes = read.codes
    assert len(read.repairs) == 0 and len(read.uncoded) == 0
    ana = codes[(codes["coder"] == "ana") & (codes["unit"] == "paragraph")]
    assert set(ana["tone"]) == {1} and set(ana["frame"]) == {"security"}
    assert str(codes["tone"].dtype) == "Int64" and str(codes["direct_quote"].dtype) == "Int64"
    ben = codes[(codes["coder"] == "ben") & (codes["unit"] == "sentence")]
    assert set(ben["direct_quote"]) == {0} and ben["speaker"].isna().all()
    key = _csv(sheets, "key.csv")
    assert len(codes) == key["coders"].str.count(";").add(1).sum()
    assert codes.set_index(["unit_id", "coder"])["outlet"].notna().all()


def test_codes_round_trip_through_the_xlsx_sheets(sheets):
    """Filled in the workbook, as a coder would, numbers stored as numbers."""
    for coder in ("ana", "ben"):
        path = sheets / f"{coder}.xlsx"
        book = load_workbook(path)
        for row in book["paragraphs"].iter_rows(min_row=2):
            row[2].value, row[3].value = "other", -1.0
        for row in book["sentences"].iter_rows(min_row=2):
            row[2].value, row[3].value = "1 = yes", "Nisar"
        book.save(path)
    codes = read_codes(sheets).codes
    paragraphs = codes[codes["unit"] == "paragraph"]
    assert set(paragraphs["tone"]) == {-1} and set(paragraphs["frame"]) == {"other"}
    assert set(codes.loc[codes["unit"] == "sentence", "speaker"]) == {"Nisar"}


@pytest.mark.parametrize(
    ("column", "value", "repair"),
    [
        ("tone", "positive", "'positive' read as 1"),
        ("tone", " 1 ", "' 1 ' read as 1"),
        ("tone", "1 =  positive", "'1 =  positive' read as 1"),
        ("tone", "1.0", None),
        ("frame", "Security", "'Security' read as 'security'"),
        ("frame", " economy", "' economy' read as 'economy'"),
    ],
)
def test_a_value_written_differently_is_read_and_recorded(sheets, column, value, repair):
    _fill(sheets, "ana")
    _fill(sheets, "ben")
    sheet = _csv(sheets, "ana_paragraph.csv")
    sheet.loc[0, column] = value
    _write(sheet, sheets, "ana_paragraph.csv")
    read = read_codes(sheets)
    repairs = read.repairs
    if repair is None:
        assert len(repairs) == 0
    else:
        assert repairs[["sheet", "row", "column", "repair"]].values.tolist() == [
            ["ana_paragraph.csv", 2, column, repair]
        ]


def _broken(folder, coder, unit, edit) -> None:
    name = f"{coder}_{unit}.csv"
    sheet = _csv(folder, name)
    _write(edit(sheet), folder, name)


MALFORMED = {
    "unknown category": (
        "paragraph",
        lambda s: s.assign(frame=["sports", *s["frame"][1:]]),
        "ana_paragraph.csv, row 2, column 'frame': 'sports' is not one of 'economy', 'security', "
        "'other'",
    ),
    "off the scale": (
        "paragraph",
        lambda s: s.assign(tone=[*s["tone"][:2], "3", *s["tone"][3:]]),
        "ana_paragraph.csv, row 4, column 'tone': '3' is not one of -1 (negative), 0 (neutral), "
        "1 (positive)",
    ),
    "not a number": (
        "paragraph",
        lambda s: s.assign(tone=["1.5", *s["tone"][1:]]),
        "ana_paragraph.csv, row 2, column 'tone': '1.5' is not one of -1 (negative)",
    ),
    "binary not yes or no": (
        "sentence",
        lambda s: s.assign(direct_quote=["maybe", *s["direct_quote"][1:]]),
        "ana_sentence.csv, row 2, column 'direct_quote': 'maybe' is not one of 0 (no), 1 (yes)",
    ),
    "a choice whose label is not its value's": (
        "sentence",
        lambda s: s.assign(direct_quote=["0 = yes", *s["direct_quote"][1:]]),
        "ana_sentence.csv, row 2, column 'direct_quote': '0 = yes' is not one of 0 (no)",
    ),
    "a misspelt choice": (
        "sentence",
        lambda s: s.assign(direct_quote=["1 = yse", *s["direct_quote"][1:]]),
        "'1 = yse' is not one of 0 (no), 1 (yes)",
    ),
    "a misspelt category": (
        "paragraph",
        lambda s: s.assign(frame=["securty", *s["frame"][1:]]),
        "'securty' is not one of 'economy', 'security', 'other'; did you mean security?",
    ),
    "unit not in the sample": (
        "paragraph",
        lambda s: s.assign(unit_id=["nowhere/p0", *s["unit_id"][1:]]),
        "ana_paragraph.csv, row 2, column 'unit_id': 'nowhere/p0' is not in the sample",
    ),
    "unit of another kind": (
        "paragraph",
        lambda s: s.assign(unit_id=[s["unit_id"][0].replace("/p", "/s"), *s["unit_id"][1:]]),
        "is a sentence, not a paragraph",
    ),
    "duplicate row with other codes": (
        "paragraph",
        lambda s: pd.concat([s, s.iloc[[0]].assign(tone="-1")], ignore_index=True),
        "ana_paragraph.csv, row 8, column 'unit_id'",
    ),
    "a variable's column deleted": (
        "paragraph",
        lambda s: s.drop(columns="tone"),
        "ana_paragraph.csv: no column 'tone'",
    ),
    "codes without a unit id": (
        "paragraph",
        lambda s: s.assign(unit_id=["", *s["unit_id"][1:]]),
        "ana_paragraph.csv, row 2, column 'unit_id': empty",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_sheet_is_an_error_naming_sheet_row_and_column(sheets, case):
    unit, edit, message = MALFORMED[case]
    _fill(sheets, "ana")
    _fill(sheets, "ben")
    _broken(sheets, "ana", unit, edit)
    with pytest.raises(CodingError) as caught:
        read_codes(sheets)
    assert message in str(caught.value)
    assert ": 1 problem in the coding sheets:" in str(caught.value)


def test_a_unit_given_to_another_coder_is_refused(sheets):
    _fill(sheets, "ana")
    _fill(sheets, "ben")
    key = _csv(sheets, "key.csv")
    bens = key.query("unit == 'paragraph' and coders == 'ben'")["unit_id"].iloc[0]
    _broken(sheets, "ana", "paragraph", lambda s: s.assign(unit_id=[bens, *s["unit_id"][1:]]))
    with pytest.raises(CodingError, match=f"'{bens}' was not given to ana"):
        read_codes(sheets)


def test_every_problem_is_listed_at_once(sheets):
    _fill(sheets, "ana", tone="9")
    _fill(sheets, "ben", frame="sports")
    with pytest.raises(CodingError) as caught:
        read_codes(sheets)
    assert "12 problems in the coding sheets" in str(caught.value)
    assert "ana_paragraph.csv, row 7" in str(caught.value)
    assert "ben_paragraph.csv, row 2, column 'frame'" in str(caught.value)


def test_an_identical_duplicate_row_is_read_once_and_recorded(sheets):
    _fill(sheets, "ana")
    _fill(sheets, "ben")
    _broken(sheets, "ana", "paragraph", lambda s: pd.concat([s, s.iloc[[0]]], ignore_index=True))
    read = read_codes(sheets)
    assert read.repairs["repair"].tolist() == ["the same row twice: read once"]
    assert not read.codes.duplicated(["unit_id", "coder"]).any()


def test_missing_and_blank_units_are_recorded_as_uncoded(sheets):
    _fill(sheets, "ana")
    _fill(sheets, "ben")
    _broken(sheets, "ana", "paragraph", lambda s: s.iloc[1:])
    _broken(
        sheets, "ana", "sentence", lambda s: s.assign(direct_quote=["", *s["direct_quote"][1:]])
    )
    read = read_codes(sheets)
    assert read.uncoded["reason"].tolist() == ["missing from the sheet", "left blank"]
    assert len(read.codes) == _csv(sheets, "key.csv")["coders"].str.count(";").add(1).sum()


def test_an_extra_column_is_not_read_and_recorded(sheets):
    _fill(sheets, "ana")
    _fill(sheets, "ben")
    _broken(sheets, "ben", "sentence", lambda s: s.assign(notes="hard one"))
    assert read_codes(sheets).repairs["repair"].tolist() == ["column not in the codebook: not read"]


def test_csv_and_xlsx_that_disagree_are_refused(sheets):
    _fill(sheets, "ana")
    _fill(sheets, "ben")
    book = load_workbook(sheets / "ana.xlsx")
    for row in book["paragraphs"].iter_rows(min_row=2):
        row[2].value, row[3].value = "other", 0
    book.save(sheets / "ana.xlsx")
    with pytest.raises(CodingError, match="both hold codes and they differ"):
        read_codes(sheets)


def test_csv_and_xlsx_that_agree_are_read_once(sheets):
    _fill(sheets, "ana", tone="0")
    _fill(sheets, "ben")
    book = load_workbook(sheets / "ana.xlsx")
    for row in book["paragraphs"].iter_rows(min_row=2):
        row[2].value, row[3].value = "economy", "0 = neutral"
    book.save(sheets / "ana.xlsx")
    assert set(read_codes(sheets).codes.query("coder == 'ana'")["tone"].dropna()) == {0}


def test_a_folder_without_a_key_is_not_taken_for_sheets(tmp_path):
    with pytest.raises(CodingError, match="no key.csv"):
        read_codes(tmp_path)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("yes", 1),
        ("YES", 1),
        ("1 = yes", 1),
        ("0", 0),
        ("no", 0),
        ("true", 1),
        ("2", None),
        ("maybe", None),
    ],
)
def test_binary_cells(codebook, text, value):
    assert parse_value(codebook["direct_quote"], text)[0] == value


def test_the_seed_codings_read_without_error():
    from analysis import paths

    read = read_codes(paths.PACKAGE / "codebooks" / "seed_coding")
    assert set(read.codes["coder"]) == {"coder_a", "coder_b"}
    assert len(read.codes) == 2 * (51 + 78)
    assert len(read.uncoded) == 0
    coded = read.codes[read.codes["unit"] == "paragraph"]
    assert coded["tone"].notna().all() and coded["frame_law"].notna().all()


# --- the command line ---------------------------------------------------------------------


def test_code_sheet_writes_sheets_from_a_run_folder(tmp_path, capsys):
    from analysis.__main__ import main

    run = tmp_path / "run"
    run.mkdir()
    for name, table in _tables(9).items():
        table.to_parquet(run / f"{name}.parquet")
    (tmp_path / "tiny.yml").write_text(CODEBOOK, encoding="utf-8")
    argv = ["code-sheet", str(run), "--codebook", str(tmp_path / "tiny.yml"), "--sample", "6"]
    assert (
        main([*argv, "--coders", "ana,ben", "--overlap", "0.5", "--out", str(tmp_path / "s")]) == 0
    )
    assert "6 articles, 36 units (12 paragraphs, 24 sentences)" in capsys.readouterr().out
    assert read_sheet_key_rows(tmp_path / "s") == 36
    # the same folder again is refused, and so is a folder that is not a run's
    assert main([*argv, "--out", str(tmp_path / "s")]) == 2
    assert "already holds coding sheets" in capsys.readouterr().err
    assert main([*argv[:1], str(tmp_path), *argv[2:], "--out", str(tmp_path / "t")]) == 2
    assert "no articles.parquet" in capsys.readouterr().err
    assert main([*argv, "--by", "bias", "--out", str(tmp_path / "u")]) == 2
    assert "no column 'bias' to stratify by" in capsys.readouterr().err


def read_sheet_key_rows(folder) -> int:
    return len(_csv(folder, "key.csv"))
