"""analysis.classify: training sets from codes, nested cross-validation grouped by article,
scores against scikit-learn's, saving and applying a model, and the GVFC check of issue 24
(the learned model beats the dictionary on the same folds)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import f1_score, precision_score, recall_score

from analysis import classify, coding, paths, pipeline
from analysis.classify.labels import TrainingSet

SEED_CODES = paths.PACKAGE / "codebooks" / "seed_coding"
WORDS = {
    "economy": ["jobs", "prices", "market", "wages", "inflation", "taxes"],
    "security": ["police", "attack", "troops", "border", "threat", "arrest"],
}
FILLER = [
    "the",
    "a",
    "report",
    "said",
    "on",
    "this",
    "day",
    "officials",
    "later",
    "added",
    "that",
    "people",
    "were",
    "told",
]


def synthetic_articles(n: int = 60, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` articles whose frames show in their words (with noise), and their labels: one
    0/1 column per frame."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for i in range(n):
        frames = {name: int(rng.random() < 0.4) for name in WORDS}
        words = list(rng.choice(FILLER, 25))
        for name, present in frames.items():
            pool = WORDS[name] if present else FILLER
            words += list(rng.choice(pool, 2))
            if rng.random() < 0.3:  # noise: a frame word without the frame
                words.append(rng.choice(WORDS[name]))
            if present and rng.random() < 0.15:  # a framed article without its words
                words = [w for w in words if w not in WORDS[name]]
        rng.shuffle(words)
        rows.append(
            {
                "article_id": f"a{i:03d}",
                "outlet": ["Left", "Right"][i % 2],
                "title": "",
                "text_clean": " ".join(words) + ".",
            }
        )
        labels.append({"unit_id": f"a{i:03d}", **frames})
    return pd.DataFrame(rows), pd.DataFrame(labels)


@pytest.fixture(scope="module")
def trained():
    articles, labels = synthetic_articles()
    model = classify.train(labels, articles, seed=3)
    return articles, labels, model


# training sets


def test_a_table_of_labels_is_a_multi_label_set_of_article_units():
    articles, labels = synthetic_articles(10)
    data = classify.training_set(labels, articles)
    assert (data.unit, data.kind, data.categories) == ("article", "multi", list(WORDS))
    assert data.units["text"].tolist() == articles["text_clean"].tolist()
    single = classify.training_set(
        pd.DataFrame({"unit_id": labels["unit_id"], "label": ["x", "y"] * 5}), articles
    )
    assert single.kind == "single" and single.labels.sum(axis=1).eq(1).all()


def test_unknown_units_and_constant_labels_are_refused():
    articles, labels = synthetic_articles(10)
    with pytest.raises(classify.LabelError, match="1 coded articles are not in the run"):
        classify.training_set(pd.concat([labels, labels.head(1).assign(unit_id="zz")]), articles)
    with pytest.raises(classify.LabelError, match="no category is coded both present"):
        classify.training_set(labels.assign(economy=1, security=0), articles)


@pytest.fixture(scope="module")
def seed_tables():
    from analysis.corpus import load_corpus

    return pipeline.prepare(load_corpus(paths.RAW))


def test_codes_give_the_frame_variables_with_their_links_and_split_units_left_out(seed_tables):
    coded = coding.read_codes(SEED_CODES)
    data = classify.training_set(coded, seed_tables, variable="frames")
    assert data.unit == "paragraph" and data.kind == "multi" and len(data.categories) == 7
    assert data.links["frame_religion"] == "religion_and_the_sacred"
    assert len(data.units) == 51  # every coded paragraph
    split = data.labels.isna()
    assert split.any(axis=1).sum() == data.n_undecided > 0
    religion = coding.consensus(coded.codes, coded.codebook["frame_religion"])
    assert split["frame_religion"].sum() == religion["undecided"].sum()


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        ("tone", "learn one categorical variable, or yes/no variables"),
        ("nonsense", "has no variable 'nonsense'"),
        ("frame_religion,direct_quote", "learn variables of one unit"),
    ],
)
def test_variables_that_cannot_be_learned_are_named(variable, message):
    coded = coding.read_codes(SEED_CODES)
    with pytest.raises(classify.LabelError, match=message):
        classify.learnable(coded, variable)


# folds


def test_folds_hold_whole_articles_and_depend_on_the_seed_only():
    groups = np.repeat([f"g{i}" for i in range(12)], 3)
    fold = classify.assign_folds(groups, 5, seed=0)
    assert all(len(set(fold[groups == g])) == 1 for g in set(groups))
    assert set(fold) == set(range(5))
    assert (classify.assign_folds(groups, 5, seed=0) == fold).all()
    assert not (classify.assign_folds(groups, 5, seed=1) == fold).all()
    with pytest.raises(classify.LabelError, match="at least two"):
        classify.assign_folds(["only"] * 4, 5, seed=0)


def test_no_text_of_a_test_fold_is_learned_from():
    """Labels that only an article's own words could give away: each article has a word of
    its own and a random label shared by its paragraphs. Folds that split articles would
    let the model learn the word; folds by article leave it at chance."""
    rng = np.random.default_rng(7)
    rows, labels = [], []
    for a in range(40):
        label = int(rng.random() < 0.5)
        for p in range(4):
            words = " ".join(rng.choice(FILLER, 12))
            rows.append((f"art{a}", f"art{a}/p{p}", f"{words} marker{a} marker{a}"))
            labels.append(label)
    units = pd.DataFrame(rows, columns=["article_id", "unit_id", "text"]).assign(outlet="X")
    data = TrainingSet(
        units[["unit_id", "article_id", "outlet", "text"]],
        pd.DataFrame({"flag": labels}, dtype=float),
        "flag",
        "paragraph",
        "multi",
    )
    model = classify.train(data, learning_curve=False)
    f1 = classify.f1_scores(
        model.crossval[["truth"]].to_numpy(), model.crossval[["predicted"]].to_numpy()
    )[0]
    assert f1 < 0.65  # chance for a balanced label is about 0.5


# scores


def test_cross_validated_scores_equal_scikit_learn(trained):
    _, _, model = trained
    table = classify.evaluation(model.crossval, n_resamples=199)
    classifier = table[table["predictor"] == "classifier"].set_index(["category", "statistic"])
    f1s = []
    for category, part in model.crossval.groupby("category"):
        truth, predicted = part["truth"], part["predicted"]
        assert classifier.loc[(category, "f1"), "estimate"] == pytest.approx(
            f1_score(truth, predicted)
        )
        assert classifier.loc[(category, "precision"), "estimate"] == pytest.approx(
            precision_score(truth, predicted)
        )
        assert classifier.loc[(category, "recall"), "estimate"] == pytest.approx(
            recall_score(truth, predicted)
        )
        f1s.append(f1_score(truth, predicted))
        assert len(part) == 60  # each coded unit predicted once, by a model without it
    assert classifier.loc[("macro", "f1"), "estimate"] == pytest.approx(np.mean(f1s))
    row = classifier.loc[("macro", "f1")]
    assert row["ci_low"] < row["estimate"] < row["ci_high"] and row["n_articles"] == 60
    assert classifier.loc[("macro", "f1"), "estimate"] > 0.7  # the frames show in the words


def test_intervals_are_missing_below_thirty_coded_articles(trained):
    _, _, model = trained
    few = model.crossval[model.crossval["article_id"] < "a020"].reset_index(drop=True)
    table = classify.evaluation(few, n_resamples=99)
    assert table["ci_low"].isna().all()
    assert (table["interval_note"] == "fewer than 30 coded articles (20)").all()


def test_the_dictionary_is_scored_on_the_same_units(seed_tables):
    from analysis.lexicon import compare_to_labels, count_matches, read_dictionary

    coded = coding.read_codes(SEED_CODES)
    dictionary = read_dictionary("blasphemy_platforms_2017")
    model = classify.train(coded, seed_tables, dictionary=dictionary, learning_curve=False)
    table = classify.evaluation(model.crossval, n_resamples=99)
    scored = table[(table["predictor"] == "dictionary") & (table["statistic"] == "f1")]
    data = classify.training_set(coded, seed_tables)
    matches = count_matches(data.units["text"].tolist(), dictionary)
    counts = pd.DataFrame(matches.category_counts(), columns=matches.categories)
    for category, frame in data.links.items():
        known = data.labels[category].notna()
        expected = compare_to_labels(
            counts.loc[known, [frame]].rename(columns={frame: category}),
            data.labels.loc[known, [category]],
        )
        got = scored.set_index("category").loc[category, "estimate"]
        assert got == pytest.approx(expected["f1"].iloc[0])
    difference = table[table["predictor"] == "difference"].set_index("category")["estimate"]
    both = table[table["statistic"] == "f1"].pivot(
        index="category", columns="predictor", values="estimate"
    )
    assert np.allclose(difference, (both["classifier"] - both["dictionary"])[difference.index])


def test_calibration_and_confusion_count_every_unit(trained):
    _, _, model = trained
    calibration = classify.calibration(model.crossval, bins=5)
    for category, part in model.crossval.groupby("category"):
        rows = calibration[calibration["category"] == category]
        observed, mean = calibration_curve(part["truth"], part["probability"], n_bins=5)
        assert np.allclose(rows["observed_share"], observed)
        assert np.allclose(rows["mean_probability"], mean)
        assert rows["n_units"].sum() == len(part)
    confusion = classify.confusion_table(model.crossval)
    assert len(confusion) == 8 and (confusion.groupby("category")["n_units"].sum() == 60).all()


def test_a_single_label_model_picks_one_category_per_unit():
    articles, labels = synthetic_articles(45, seed=4)
    label = np.where(
        labels["economy"] == 1, "economy", np.where(labels["security"] == 1, "security", "other")
    )
    model = classify.train(
        pd.DataFrame({"unit_id": labels["unit_id"], "label": label}), articles, learning_curve=False
    )
    assert model.kind == "single"
    wide = model.crossval.pivot(index="unit_id", columns="category", values="predicted")
    assert (wide.sum(axis=1) == 1).all()
    confusion = classify.confusion_table(model.crossval, "single")
    assert confusion["n_units"].sum() == 45 and len(confusion) == 9
    probabilities = model.predict_proba(articles["text_clean"].head(5))
    assert np.allclose(probabilities.sum(axis=1), 1)


def test_the_learning_curve_trains_on_more_articles_at_each_step(trained):
    _, _, model = trained
    macro = model.learning[model.learning["category"] == "macro"]
    assert macro["fraction"].tolist() == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert macro["n_articles"].is_monotonic_increasing
    assert macro["f1"].iloc[-1] > macro["f1"].iloc[0]
    # on the whole of each fold, with the C its inner cross-validation chose: the scores
    scores = classify.evaluation(model.crossval, n_resamples=9)
    reported = scores[(scores["predictor"] == "classifier") & (scores["statistic"] == "f1")]
    assert macro["f1"].iloc[-1] == pytest.approx(
        reported.set_index("category").loc["macro", "estimate"]
    )


def test_the_strongest_features_are_the_frames_words(trained):
    _, _, model = trained
    features = classify.top_features(model, n=5)
    top = features[(features["direction"] == "for")].groupby("category")["feature"].apply(set)
    assert len(top["economy"] & set(WORDS["economy"])) >= 3
    assert len(top["security"] & set(WORDS["security"])) >= 3


# saving and applying


def test_a_saved_model_predicts_the_same_and_a_foreign_file_is_refused(trained, tmp_path):
    articles, _, model = trained
    path = model.save(tmp_path / "m.model")
    again = classify.load_model(path)
    texts = articles["text_clean"]
    assert np.array_equal(again.predict_proba(texts), model.predict_proba(texts))
    pd.testing.assert_frame_equal(again.crossval, model.crossval)
    pd.testing.assert_frame_equal(again.learning, model.learning)
    assert again.parameters == model.parameters
    assert model.save(tmp_path / "twice.model").read_bytes() == path.read_bytes()
    (tmp_path / "other.model").write_bytes(b"not a model")
    with pytest.raises(classify.ModelFileError, match="other.model: not a frame classifier"):
        classify.load_model(tmp_path / "other.model")


def test_a_model_file_is_data_a_pickle_inside_is_never_run(tmp_path):
    """A model file whose arrays hold a pickled object is refused, not unpickled."""
    import io
    import zipfile

    payload = io.BytesIO()
    np.savez(payload, **{"coef/0": np.array([object()], dtype=object)})
    with zipfile.ZipFile(tmp_path / "evil.model", "w") as archive:
        archive.writestr("model.json", '{"format": 1}')
        archive.writestr("arrays.npz", payload.getvalue())
    with pytest.raises(classify.ModelFileError, match="evil.model: not a frame classifier"):
        classify.load_model(tmp_path / "evil.model")


def test_a_model_with_the_dictionary_and_a_single_label_survives_saving(seed_tables, tmp_path):
    from analysis.lexicon import read_dictionary

    dictionary = read_dictionary("blasphemy_platforms_2017")
    ids = seed_tables["articles"]["article_id"].astype(str)
    labels = pd.DataFrame({"unit_id": ids, "label": ["law", "religion", "law", "religion"]})
    model = classify.train(labels, seed_tables, dictionary=dictionary, word_pairs=True)
    again = classify.load_model(model.save(tmp_path / "single.model"))
    texts = seed_tables["articles"]["text_clean"]
    assert np.array_equal(again.predict_proba(texts), model.predict_proba(texts))
    probabilities, counts = again.predict_with_counts(texts)
    pd.testing.assert_frame_equal(counts, model.predict_with_counts(texts)[1])
    pd.testing.assert_frame_equal(again.chosen, model.chosen)
    assert again.links == model.links and again.categories == model.categories


def test_training_is_deterministic(trained):
    articles, labels, model = trained
    again = classify.train(labels, articles, seed=3)
    pd.testing.assert_frame_equal(again.crossval, model.crossval)
    pd.testing.assert_frame_equal(again.learning, model.learning)


# the GVFC (issue 24's "done means")


def test_on_the_gvfc_headlines_the_learned_model_beats_the_dictionary_on_the_same_folds():
    from benchmarks import learned_gvfc, validate_gvfc

    path = validate_gvfc.default_data_dir() / validate_gvfc.FILES["headlines"][0]
    assert path.is_file(), (
        f"GVFC data not found at {path}: set FRAMING_GVFC to the folder holding "
        f"{validate_gvfc.FILES['headlines'][0]} (CI has it)"
    )
    units = validate_gvfc.load_units(path, validate_gvfc.FILES["headlines"][1])
    dictionary = classify_dictionary()
    _, scores = learned_gvfc.compare(units, dictionary, n_resamples=999)
    macro = scores[(scores["category"] == "macro") & (scores["statistic"] == "f1")]
    macro = macro.set_index(["subset", "predictor"])
    for subset in ("all", "held_out"):
        assert (
            macro.loc[(subset, "classifier"), "estimate"]
            > macro.loc[(subset, "dictionary"), "estimate"]
        )
        assert macro.loc[(subset, "difference"), "ci_low"] > 0  # better beyond chance
    # the dictionary's held-out score is validate_gvfc's (same units, same rule)
    assert macro.loc[("held_out", "dictionary"), "estimate"] == pytest.approx(0.677, abs=0.001)


def classify_dictionary():
    from analysis.lexicon import read_dictionary

    return read_dictionary("gun_violence_frames")


def test_predictions_with_the_dictionary_counts_match_each_text_once(seed_tables):
    from analysis.classify.features import transform_with_counts
    from analysis.lexicon import count_matches, read_dictionary

    dictionary = read_dictionary("blasphemy_platforms_2017")
    coded = coding.read_codes(SEED_CODES)
    model = classify.train(coded, seed_tables, dictionary=dictionary, learning_curve=False)
    texts = seed_tables["articles"]["text_clean"].tolist()
    X, counts = transform_with_counts(model.features, texts)
    assert (model.features.transform(texts) != X).nnz == 0
    assert np.array_equal(counts, count_matches(texts, dictionary).category_counts())
    probabilities, table = model.predict_with_counts(texts)
    assert np.array_equal(probabilities, model.predict_proba(texts))
    assert list(table.columns) == list(dictionary.categories)


def test_folds_by_outlet_hold_each_outlet_out_whole():
    articles, labels = synthetic_articles(40, seed=5)
    model = classify.train(labels, articles, by_outlet=True, learning_curve=False)
    folds = model.crossval.groupby("outlet")["fold"].nunique()
    assert (folds == 1).all() and model.crossval["fold"].nunique() == 2
    assert model.parameters["folds_by"] == "outlet"


def test_single_label_folds_with_one_category_still_predict(seed_tables):
    ids = seed_tables["articles"]["article_id"].astype(str)
    labels = pd.DataFrame({"unit_id": ids, "label": ["law", "law", "law", "security"]})
    model = classify.train(labels, seed_tables)  # a fold trains on the three "law" only
    assert model.kind == "single" and len(model.learning)
    assert (model.crossval.groupby("unit_id")["predicted"].sum() == 1).all()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame({"unit_id": ["a000"], "frame": ["law"]}), "not 0/1: frame"),
        (pd.DataFrame({"unit_id": ["a000"]}), "no category column"),
    ],
)
def test_a_table_of_labels_says_what_it_needs(table, message):
    articles, _ = synthetic_articles(5)
    with pytest.raises(classify.LabelError, match=message):
        classify.training_set(table, articles)


def test_scores_count_the_units_each_frame_is_scored_on(seed_tables):
    coded = coding.read_codes(SEED_CODES)
    data = classify.training_set(coded, seed_tables)
    model = classify.train(data, learning_curve=False)
    table = classify.evaluation(model.crossval, n_resamples=9).set_index("category")
    for category in data.categories:
        assert table.loc[category, "n_units"].iloc[0] == data.labels[category].notna().sum()
    assert list(dict.fromkeys(table.index))[:-1] == data.categories  # the codebook's order


def test_article_sums_and_prevalence_name_what_they_lack(trained):
    articles, _, model = trained
    predictions = model.crossval.rename(columns={"truth": "unused"})
    sums = classify.article_sums(predictions)
    assert set(sums.columns) >= {"article_id", "outlet", "category", "n_units", "n_predicted"}
    assert (sums["n_units"] == 1).all() and len(sums) == len(predictions)
    with pytest.raises(ValueError, match="sums \\(see article_sums\\) lacks the column n_units"):
        classify.prevalence(sums.drop(columns="n_units"), model.crossval)


def test_a_folder_is_not_a_model(tmp_path):
    with pytest.raises(classify.ModelFileError, match="a folder; give the model file"):
        classify.load_model(tmp_path)
