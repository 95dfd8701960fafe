"""Tests for descent.data: offline loading, seeded split, standardisation with training statistics."""

import numpy as np
import pytest

from descent.data import DATASETS, load


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_loads_split_and_standardised(name):
    data = load(name)
    assert data.task == DATASETS[name]
    assert data.n_train + data.n_val == {"breast_cancer": 569, "diabetes": 442, "digits": 1797}[name]
    assert data.n_val == round(0.25 * (data.n_train + data.n_val))
    assert data.X_train.shape == (data.n_train, data.n_features) == (data.n_train, len(data.feature_names))
    assert data.X_val.shape == (data.n_val, data.n_features)
    # Standardised with the training statistics: mean 0, std 1 on the training part (constant columns stay 0).
    np.testing.assert_allclose(data.X_train.mean(axis=0), 0.0, atol=1e-12)
    std = data.X_train.std(axis=0)
    assert np.all((np.abs(std - 1.0) < 1e-12) | (std == 0.0))
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
