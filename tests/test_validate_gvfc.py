"""benchmarks/validate_gvfc.py: a hand-made GVFC-shaped example, and the real corpus if present."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks import validate_gvfc

# One pattern per frame, so the expected counts can be worked out by hand.
DICTIONARY = """\
dictionary:
  gun_rights: ["second amendment"]
  gun_control: ["gun control"]
  politics: [senate]
  mental_health: [mental*]
  public_space_safety: ["school safety"]
  race_ethnicity: [racis*]
  public_opinion: [protest*]
  society_culture: [culture]
  economic_consequences: [stocks]
"""
# (headline, relevant, theme 1, theme 2); 99 = none
HEADLINES = [
    ("Senate debates gun control", 1, 2, 3),
    ("Gun-control march draws crowds", 1, 2, 7),  # public opinion missed
    ("Protest over the Second Amendment", 1, 7, 99),  # gun rights predicted, not labelled
    ("Mental health and school safety after the shooting", 1, 4, 5),
    ("Gun stocks rise", 1, 9, 99),
    ("Racist attack at a store", 1, 6, 99),
    ("Gun culture in America", 1, 8, 99),
    ("Senate hearing on mental illness", 1, 4, 99),  # politics predicted, not labelled
    ("Senate passes farm bill", 2, 99, 99),  # not relevant: left out
    ("Gun control protest planned", 1, 99, 99),  # relevant but never coded: left out
]


@pytest.fixture
def fake_gvfc(tmp_path):
    data = tmp_path / "gvfc"
    data.mkdir()
    rows = pd.DataFrame(
        HEADLINES, columns=["news_title", "Q1 Relevant", "Q3 Theme1", "Q3 Theme2"]
    ).assign(**{"Q2 Focus": 2})
    rows = rows[["news_title", "Q1 Relevant", "Q2 Focus", "Q3 Theme1", "Q3 Theme2"]]
    rows.to_csv(data / "GVFC_headlines_and_annotations.csv", index=False)
    pd.DataFrame(
        {
            "id": [1, 2],
            "article_url": ["https://a.example/1", "https://b.example/2"],
            "headline": ["Shooting in a small town", "Markets react"],
            "lead_3_sentences_summary_of_full_article_text": [
                "Protesters gathered outside the Senate.",
                "Gun stocks fell on Monday.",
            ],
            "Q1 Relevant": [1, 1],
            "Q2 Focus": [2, 2],
            "Q3 Theme1": [7, 9],
            "Q3 Theme2": [3, 99],
        }
    ).to_csv(data / "GVFC_extension_multimodal.csv", index=False)
    dictionary = tmp_path / "tiny.yml"
    dictionary.write_text(DICTIONARY, encoding="utf-8")
    return data, dictionary


def test_hand_made_example(fake_gvfc, tmp_path):
    data, dictionary = fake_gvfc
    out = tmp_path / "out"
    args = ["--data", str(data), "--dictionary", str(dictionary), "--out", str(out)]
    metrics = validate_gvfc.main(args)
    table = metrics[(metrics["dataset"] == "headlines") & (metrics["subset"] == "all")]
    table = table.set_index("category")
    assert list(table.index) == [*validate_gvfc.FRAMES.values(), "macro"]
    assert (table["n_units"] == 8).all()
    expected = {  # precision, recall, n labelled
        "gun_control": (1.0, 1.0, 2),  # "Gun-control" counts: phrases match across hyphens
        "politics": (0.5, 1.0, 1),
        "mental_health": (1.0, 1.0, 2),
        "public_opinion": (1.0, 0.5, 2),
        "public_space_safety": (1.0, 1.0, 1),
        "economic_consequences": (1.0, 1.0, 1),
    }
    for frame, (precision, recall, n) in expected.items():
        assert table.loc[frame, ["precision", "recall", "n_labelled"]].tolist() == pytest.approx(
            [precision, recall, n]
        ), frame
    assert table.loc["gun_rights", "n_labelled"] == 0
    assert np.isnan(table.loc["gun_rights", "recall"])
    f1 = table.loc[list(validate_gvfc.FRAMES.values()), "f1"]
    assert table.loc["macro", "f1"] == pytest.approx(f1[table["n_labelled"] > 0].mean())

    extension = metrics[(metrics["dataset"] == "extension") & (metrics["subset"] == "all")]
    extension = extension.set_index("category")
    assert len(extension) == 10 and (extension["n_units"] == 2).all()
    assert extension.loc[["public_opinion", "politics"], "recall"].tolist() == [1.0, 1.0]
    names = {p.name for p in out.iterdir()}
    assert {"gvfc_metrics.csv", "gvfc_validation.png", "gvfc_validation.csv"} <= names


def test_real_corpus_macro_f1(tmp_path):
    data = validate_gvfc.default_data_dir()
    if not (data / "GVFC_headlines_and_annotations.csv").exists():
        pytest.skip(f"GVFC data not found in {data} (set FRAMING_GVFC)")
    metrics = validate_gvfc.main(["--data", str(data), "--out", str(tmp_path)])
    macro = metrics[metrics["category"] == "macro"].set_index(["dataset", "subset"])["f1"]
    # Observed: held-out headlines 0.67, held-out headline + lead 0.56.
    assert macro["headlines", "held_out"] > 0.60
    assert metrics.query("dataset == 'headlines' and subset == 'all'")["n_units"].max() == 1301
    if ("extension", "held_out") in macro.index:
        assert macro["extension", "held_out"] > 0.50
