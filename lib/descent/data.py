r"""Small real data sets, loaded offline and split reproducibly.

The data sets are the ones scikit-learn ships inside its package, so nothing is
downloaded at run time:

``"breast_cancer"``
    Wisconsin diagnostic breast cancer: 569 tumours, 30 features computed from
    a digitised image of a fine needle aspirate, binary target
    (1 = benign, 0 = malignant). Wolberg, Street and Mangasarian (1995).
``"diabetes"``
    442 patients, 10 baseline measurements, regression target: a measure of
    disease progression one year later (Efron et al., 2004).
``"digits"``
    1797 handwritten digits as 8 × 8 grey-level images (64 features), ten
    classes. Alpaydin and Kaynak (1998).

Every loader call does the same three things:

1. shuffles the examples with a seeded generator and splits them into a
   training set and a validation set (the same split for the same ``seed``);
2. standardises each feature to mean 0 and standard deviation 1 using the
   statistics of the **training** set only (the validation set never leaks into
   the scaling);
3. for regression, standardises the target the same way (optional).

Example
-------
>>> from descent.data import load
>>> data = load("breast_cancer")
>>> data.X_train.shape, data.X_val.shape
((427, 30), (142, 30))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Dataset", "DATASETS", "load"]

#: Names accepted by :func:`load`, with the task each one poses.
DATASETS = {
    "breast_cancer": "classification",
    "diabetes": "regression",
    "digits": "classification",
}


@dataclass(frozen=True)
class Dataset:
    """A standardised data set split into training and validation parts.

    Attributes
    ----------
    name : str
        The name passed to :func:`load`.
    task : str
        ``"classification"`` or ``"regression"``.
    X_train, X_val : numpy.ndarray
        Standardised features, shapes ``(n_train, d)`` and ``(n_val, d)``.
    y_train, y_val : numpy.ndarray
        Targets: integer class labels for classification, floats for
        regression (standardised if ``standardize_target`` was true).
    feature_names : tuple of str
        One name per column of ``X``.
    feature_mean, feature_scale : numpy.ndarray
        Training-set statistics used to standardise: ``X = (raw - mean) / scale``.
    target_mean, target_scale : float
        For a standardised regression target, ``y = (raw - mean) / scale``;
        0 and 1 otherwise.
    seed : int
        The seed of the split.
    """

    name: str
    task: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    feature_names: tuple
    feature_mean: np.ndarray = field(repr=False)
    feature_scale: np.ndarray = field(repr=False)
    target_mean: float = 0.0
    target_scale: float = 1.0
    seed: int = 0

    @property
    def n_train(self) -> int:
        """Number of training examples, ``n`` in the text."""
        return self.X_train.shape[0]

    @property
    def n_val(self) -> int:
        """Number of validation examples."""
        return self.X_val.shape[0]

    @property
    def n_features(self) -> int:
        """Number of features (columns of ``X``)."""
        return self.X_train.shape[1]

    def select(self, features) -> "Dataset":
        """Return the same split restricted to some features.

        Parameters
        ----------
        features : sequence of str or int
            Feature names (as in ``feature_names``) or column indices.

        Returns
        -------
        Dataset
            A new data set with only those columns, in the order given.
        """
        columns = _feature_columns(features, self.feature_names)
        return Dataset(
            name=self.name,
            task=self.task,
            X_train=self.X_train[:, columns].copy(),
            y_train=self.y_train,
            X_val=self.X_val[:, columns].copy(),
            y_val=self.y_val,
            feature_names=tuple(self.feature_names[c] for c in columns),
            feature_mean=self.feature_mean[columns].copy(),
            feature_scale=self.feature_scale[columns].copy(),
            target_mean=self.target_mean,
            target_scale=self.target_scale,
            seed=self.seed,
        )


def _feature_columns(features, names) -> list:
    if isinstance(features, (str, bytes)) or not hasattr(features, "__iter__"):
        raise TypeError(
            f"features must be a sequence of feature names or column indices, got {features!r}"
        )
    features = list(features)
    if not features:
        raise ValueError("features must name at least one feature")
    columns = []
    for feature in features:
        if isinstance(feature, str):
            if feature not in names:
                raise ValueError(
                    f"features: unknown feature {feature!r}; valid names are {list(names)}"
                )
            columns.append(names.index(feature))
        elif isinstance(feature, (int, np.integer)) and not isinstance(feature, bool):
            if not 0 <= feature < len(names):
                raise ValueError(
                    f"features: column index {feature} is out of range 0..{len(names) - 1}"
                )
            columns.append(int(feature))
        else:
            raise TypeError(
                f"features: each entry must be a feature name or a column index, got {feature!r}"
            )
    if len(set(columns)) != len(columns):
        raise ValueError("features: each feature may appear only once")
    return columns


#: The names scikit-learn gives the 30 breast-cancer features: ten measurements of the cell nuclei, each as
#: its mean, standard error and worst (largest) value over the image.
_CANCER_MEASUREMENTS = ("radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
                        "concave points", "symmetry", "fractal dimension")
_CANCER_FEATURES = (tuple(f"mean {m}" for m in _CANCER_MEASUREMENTS) + tuple(f"{m} error" for m in _CANCER_MEASUREMENTS)
                    + tuple(f"worst {m}" for m in _CANCER_MEASUREMENTS))


def _breast_cancer_csv():
    """Read scikit-learn's breast-cancer file directly, without importing scikit-learn (about 0.5 s saved).

    Returns None when the file is not where scikit-learn keeps it; :func:`_raw` then uses scikit-learn's loader.
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data" / "breast_cancer.csv"
    if not path.is_file():
        return None
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    return table[:, :-1], table[:, -1].astype(int), _CANCER_FEATURES


def _raw(name: str):
    if name == "breast_cancer":
        fast = _breast_cancer_csv()
        if fast is not None:
            return fast
    # Imported here so that `import descent` stays fast for chapters that never load data.
    from sklearn import datasets

    loader = {
        "breast_cancer": datasets.load_breast_cancer,
        "diabetes": datasets.load_diabetes,
        "digits": datasets.load_digits,
    }[name]
    # scaled=False keeps the diabetes measurements in their original units; we standardise ourselves.
    bunch = loader(scaled=False) if name == "diabetes" else loader()
    names = getattr(bunch, "feature_names", None)
    if names is None or len(names) != bunch.data.shape[1]:
        names = [f"x{j}" for j in range(bunch.data.shape[1])]
    return np.asarray(bunch.data, dtype=float), np.asarray(bunch.target), tuple(str(s) for s in names)


def load(
    name: str = "breast_cancer",
    *,
    val_fraction: float = 0.25,
    seed: int = 0,
    features=None,
    standardize_target: bool = True,
) -> Dataset:
    """Load a data set shipped with scikit-learn, split and standardise it.

    Parameters
    ----------
    name : str, default ``"breast_cancer"``
        One of ``"breast_cancer"``, ``"diabetes"``, ``"digits"``.
    val_fraction : float, default 0.25
        Fraction of the examples held out for validation, in the open interval
        (0, 1). The number held out is rounded to the nearest integer, and both
        parts keep at least one example.
    seed : int, default 0
        Seed of the shuffle that decides the split. The same seed always gives
        the same split.
    features : sequence of str or int, optional
        Keep only these features (names or column indices), in this order.
    standardize_target : bool, default True
        For regression data sets, standardise the target with training-set
        statistics. Ignored for classification.

    Returns
    -------
    Dataset
        The split, standardised data.

    Raises
    ------
    ValueError
        For an unknown ``name``, a ``val_fraction`` outside (0, 1), or unknown
        features.
    TypeError
        For a ``seed`` that is not an integer.
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {sorted(DATASETS)}, got {name!r}")
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, (int, float, np.floating)):
        raise TypeError(f"val_fraction must be a number in (0, 1), got {val_fraction!r}")
    if not 0.0 < float(val_fraction) < 1.0:
        raise ValueError(f"val_fraction must be in the open interval (0, 1), got {val_fraction}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {seed!r}")

    X, y, names = _raw(name)
    n = X.shape[0]
    n_val = min(max(int(round(val_fraction * n)), 1), n - 1)
    order = np.random.default_rng(seed).permutation(n)
    val, train = order[:n_val], order[n_val:]

    mean = X[train].mean(axis=0)
    scale = X[train].std(axis=0)
    scale[scale == 0.0] = 1.0  # constant columns (e.g. blank pixels in digits) stay at 0
    X_std = (X - mean) / scale

    task = DATASETS[name]
    target_mean, target_scale = 0.0, 1.0
    if task == "regression":
        y = y.astype(float)
        if standardize_target:
            target_mean = float(y[train].mean())
            target_scale = float(y[train].std())
            y = (y - target_mean) / target_scale
    else:
        y = y.astype(np.int64)

    data = Dataset(
        name=name,
        task=task,
        X_train=X_std[train],
        y_train=y[train],
        X_val=X_std[val],
        y_val=y[val],
        feature_names=names,
        feature_mean=mean,
        feature_scale=scale,
        target_mean=target_mean,
        target_scale=target_scale,
        seed=int(seed),
    )
    return data if features is None else data.select(features)
