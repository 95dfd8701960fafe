"""Tests for descent.data: offline loading, seeded split, standardisation with training statistics."""

import numpy as np
import pytest

from descent.data import DATASETS, DEFAULTS, Dataset, load, load_test

SIZES = {"breast_cancer": 569, "diabetes": 442, "digits": 1797}


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_loads_split_and_standardised(name):
    data = load(name)
    assert data.task == DATASETS[name]
    n = SIZES[name]
    assert data.n_train + data.n_val + data.n_test == n
    assert data.n_val == round(0.25 * n) and data.n_test == round(DEFAULTS[name]["test_fraction"] * n)
    assert data.X_train.shape == (data.n_train, data.n_features) == (data.n_train, len(data.feature_names))
    assert data.X_val.shape == (data.n_val, data.n_features)
    if DEFAULTS[name]["scaling"] == "feature":
        # Standardised with the training statistics: mean 0, std 1 on the training part (constant columns stay 0).
        np.testing.assert_allclose(data.X_train.mean(axis=0), 0.0, atol=1e-12)
        std = data.X_train.std(axis=0)
        assert np.all((np.abs(std - 1.0) < 1e-12) | (std == 0.0))
    else:
        # One mean and one standard deviation for all the pixels, from the training part.
        assert abs(data.X_train.mean()) < 1e-12 and abs(data.X_train.std() - 1.0) < 1e-12
        assert np.all(data.feature_scale == data.feature_scale[0]) and np.all(data.feature_mean == data.feature_mean[0])
    # The validation part is scaled with the same numbers, so its mean is not exactly zero.
    assert np.abs(data.X_val.mean(axis=0)).max() > 1e-6


def test_split_is_seeded_and_seeds_differ():
    a, b, c = load("breast_cancer", seed=0), load("breast_cancer", seed=0), load("breast_cancer", seed=1)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_val, b.y_val)
    assert not np.array_equal(a.y_train, c.y_train)


def test_split_partitions_the_raw_data():
    from sklearn.datasets import load_breast_cancer

    raw = load_breast_cancer().data
    data = load("breast_cancer", val_fraction=0.3, seed=5)
    restored = np.vstack([data.X_train, data.X_val]) * data.feature_scale + data.feature_mean
    # Every raw row appears exactly once among the training and validation rows.
    key = lambda rows: np.round(rows, 6).tolist()  # noqa: E731
    assert sorted(map(tuple, key(restored))) == sorted(map(tuple, key(raw)))
    assert data.n_val == round(0.3 * 569)


def test_classification_labels_and_regression_target():
    cancer = load("breast_cancer")
    assert cancer.y_train.dtype.kind == "i" and set(np.unique(cancer.y_train)) == {0, 1}
    diabetes = load("diabetes")
    assert diabetes.y_train.dtype.kind == "f"
    assert abs(diabetes.y_train.mean()) < 1e-12 and abs(diabetes.y_train.std() - 1.0) < 1e-12
    raw = load("diabetes", standardize_target=False)
    np.testing.assert_allclose(raw.y_train, diabetes.y_train * diabetes.target_scale + diabetes.target_mean)
    assert raw.y_train.min() >= 25 and raw.y_train.max() <= 346  # the disease-progression score's range


def test_select_features_by_name_and_index():
    data = load("breast_cancer")
    two = load("breast_cancer", features=["worst radius", "worst texture"])
    assert two.feature_names == ("worst radius", "worst texture")
    np.testing.assert_array_equal(two.X_train, data.X_train[:, [20, 21]])
    np.testing.assert_array_equal(data.select([21, 20]).X_val, data.X_val[:, [21, 20]])


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"name": "mnist"}, ValueError, "name must be one of"),
        ({"val_fraction": 0.0}, ValueError, "val_fraction"),
        ({"val_fraction": 1.0}, ValueError, "val_fraction"),
        ({"val_fraction": "half"}, TypeError, "val_fraction"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"features": ["no such feature"]}, ValueError, "unknown feature"),
        ({"features": [30]}, ValueError, "out of range"),
        ({"features": "worst radius"}, TypeError, "sequence"),
        ({"features": [20, 20]}, ValueError, "only once"),
        ({"features": []}, ValueError, "at least one"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, words):
    with pytest.raises(error, match=words):
        load(**kwargs)


def test_breast_cancer_is_read_without_scikit_learn_exactly_as_scikit_learn_loads_it():
    from sklearn.datasets import load_breast_cancer

    from descent.data import _breast_cancer_csv

    X, y, names = _breast_cancer_csv()
    reference = load_breast_cancer()
    np.testing.assert_array_equal(X, reference.data)
    np.testing.assert_array_equal(y, reference.target)
    assert names == tuple(str(name) for name in reference.feature_names)


# -- the digits: stratified three-way split, one pixel scale, a test set out of reach ---------


def _raw_digits():
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.data, bunch.target


def test_digits_are_read_without_scikit_learn_exactly_as_scikit_learn_loads_them():
    from descent.data import _digits_csv

    X, y, names = _digits_csv()
    raw_X, raw_y = _raw_digits()
    np.testing.assert_array_equal(X, raw_X)
    np.testing.assert_array_equal(y, raw_y)
    assert names[:3] == ("pixel_0_0", "pixel_0_1", "pixel_0_2") and len(names) == 64


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_the_digits_split_is_stratified_disjoint_and_complete(seed):
    data, test = load("digits", seed=seed), load_test("digits", seed=seed)
    raw_X, raw_y = _raw_digits()
    assert (data.n_train, data.n_val, data.n_test, test.n) == (989, 449, 359, 359)
    # Every raw image appears exactly once in the three parts (restored from the scaled values).
    parts = [data.X_train, data.X_val, test.X]
    restored = np.rint(np.vstack(parts) * data.feature_scale + data.feature_mean).astype(int)
    labels = np.concatenate([data.y_train, data.y_val, test.y])
    key = lambda X, y: sorted(map(tuple, np.column_stack([X, y]).tolist()))  # noqa: E731
    assert key(restored, labels) == key(raw_X.astype(int), raw_y)
    # Stratified: each class's count in each part is its share of the part, within one example.
    counts = np.bincount(raw_y)
    for part_y in (data.y_train, data.y_val, test.y):
        share = counts * len(part_y) / len(raw_y)
        assert np.all(np.abs(np.bincount(part_y, minlength=10) - share) <= 1.0), (np.bincount(part_y), share)


def test_digits_scaling_uses_training_pixels_only():
    data = load("digits", seed=3)
    raw_X, raw_y = _raw_digits()
    train = np.rint(data.X_train * data.feature_scale + data.feature_mean)
    assert data.feature_mean[0] == pytest.approx(train.mean(), rel=1e-12)
    assert data.feature_scale[0] == pytest.approx(train.std(), rel=1e-12)
    assert data.feature_mean[0] != pytest.approx(raw_X.mean(), rel=1e-6)  # not the whole data set's
    # the point of one scale: no validation pixel ends up dozens of standard deviations out
    assert np.abs(data.X_val).max() < 3 and np.abs(load_test("digits", seed=3).X).max() < 3
    per_feature = load("digits", seed=3, scaling="feature")
    assert np.abs(per_feature.X_val).max() > 10


def test_the_test_set_is_only_reached_deliberately():
    data = load("digits")
    assert isinstance(data, Dataset)
    assert not any("test" in name and name != "n_test" for name in vars(data))  # only its size
    assert data.n_test == 359
    first, again = load_test("digits", seed=2), load_test("digits", seed=2)
    np.testing.assert_array_equal(first.X, again.X)
    assert not np.array_equal(first.y, load_test("digits", seed=3).y)
    # the test set does not depend on the validation fraction
    np.testing.assert_array_equal(load_test("digits", seed=2, val_fraction=0.1).y, first.y)
    with pytest.raises(ValueError, match="has no test set"):
        load_test("breast_cancer")
    assert load_test("breast_cancer", test_fraction=0.2).n == round(0.2 * 569)


def test_split_options_and_their_errors():
    no_test = load("digits", test_fraction=0.0)
    assert no_test.n_test == 0 and no_test.n_train + no_test.n_val == 1797
    unstratified = load("digits", stratify=False)
    assert unstratified.n_val == 449
    picked = load("digits", features=[0, 9, 10])
    assert picked.X_train.shape == (989, 3)
    assert load_test("digits", features=[0, 9, 10]).X.shape == (359, 3)
    with pytest.raises(ValueError, match="test_fraction must be in"):
        load("digits", test_fraction=1.0)
    with pytest.raises(ValueError, match="leave no training example"):
        load("digits", val_fraction=0.6, test_fraction=0.4)
    with pytest.raises(ValueError, match="stratify applies to classification"):
        load("diabetes", stratify=True)
    with pytest.raises(ValueError, match="scaling must be one of"):
        load("digits", scaling="pixel")


def test_diabetes_is_read_without_scikit_learn_exactly_as_scikit_learn_loads_it():
    from sklearn.datasets import load_diabetes

    from descent.data import _diabetes_csv

    X, y, names = _diabetes_csv()
    reference = load_diabetes(scaled=False)
    np.testing.assert_array_equal(X, reference.data)
    np.testing.assert_array_equal(y, reference.target)
    assert names == tuple(str(name) for name in reference.feature_names)
