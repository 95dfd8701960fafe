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
    1797 handwritten digits as 8 × 8 grey-level images (64 features, pixel
    values 0 to 16), ten classes. Alpaydin and Kaynak (1998).

Every loader call does the same three things:

1. splits the examples with a seeded generator into a training set, a validation
   set and, for the digits, a **test** set (the same split for the same ``seed``).
   For the digits the split is **stratified**: every part has each class in
   the proportion of the whole data set, within one example;
2. scales the features using statistics of the **training** set only (the
   validation and test sets never leak into the scaling): each feature to mean 0
   and standard deviation 1, except for the digits, whose 64 pixels share one
   mean and one standard deviation (see :data:`DEFAULTS` for why);
3. for regression, standardises the target the same way (optional).

**The test set is out of reach of tuning code.** :func:`load` returns a
:class:`Dataset` with the training and validation parts only; a training loop,
a learning-rate search or an early-stopping rule that is handed a ``Dataset``
cannot touch the test examples. They are returned only by a separate, deliberate
call, :func:`load_test`, with the same arguments, once the choices are made.

Example
-------
>>> from descent.data import load, load_test
>>> data = load("digits")
>>> data.X_train.shape, data.X_val.shape, data.n_test
((989, 64), (449, 64), 359)
>>> test = load_test("digits")        # at the very end, once
>>> test.X.shape
(359, 64)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validation as check

__all__ = ["Dataset", "DATASETS", "DEFAULTS", "SCALINGS", "TestSet", "load", "load_test"]

#: Names accepted by :func:`load`, with the task each one poses.
DATASETS = {
    "breast_cancer": "classification",
    "diabetes": "regression",
    "digits": "classification",
}

#: How each data set is split and scaled unless told otherwise (the arguments of :func:`load`).
#: The digits get a stratified test set and one pixel scale: standardising each pixel by itself
#: divides the nearly always blank border pixels by standard deviations as small as 0.03, so that
#: one stroke there in a validation image becomes a feature of 88 standard deviations. The other
#: two keep the unstratified two-way split and per-feature scaling the chapters were written with.
DEFAULTS = {
    "breast_cancer": {"test_fraction": 0.0, "stratify": False, "scaling": "feature"},
    "diabetes": {"test_fraction": 0.0, "stratify": False, "scaling": "feature"},
    "digits": {"test_fraction": 0.2, "stratify": True, "scaling": "global"},
}

#: The feature scalings. ``"feature"`` standardises every column with its own training mean and
#: standard deviation; ``"global"`` subtracts one training mean and divides by one training
#: standard deviation, both taken over all columns together (for pixels, which share a unit).
SCALINGS = ("feature", "global")


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
    n_test : int
        Number of examples held out as the test set (0 if none). They are not
        in this object: :func:`load_test` returns them.
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
    n_test: int = 0

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
            n_test=self.n_test,
        )


@dataclass(frozen=True)
class TestSet:
    """The held-out test examples of a split, scaled with its training statistics.

    Returned only by :func:`load_test`: evaluate on it once, after every choice
    (architecture, optimizer, rate, schedule, number of epochs) was made on the
    validation set.

    Attributes
    ----------
    name : str
    X, y : numpy.ndarray
        Scaled features ``(n_test, d)`` and targets ``(n_test,)``.
    seed : int
        The seed of the split.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    seed: int = 0

    @property
    def n(self) -> int:
        """Number of test examples."""
        return self.X.shape[0]


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
        elif isinstance(feature, (int, np.integer)) and not isinstance(feature, bool):  # a name or an index
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


def _digits_csv():
    """Read scikit-learn's digits file directly (about 1 s faster than importing its loader).

    The file holds one image a row: 64 pixel values (row by row) and the label. Returns None
    when the file is not where scikit-learn keeps it.
    """
    import gzip

    path = _sklearn_data_file("digits.csv.gz")
    if path is None:
        return None
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",")
    names = tuple(f"pixel_{row}_{col}" for row in range(8) for col in range(8))
    return table[:, :-1], table[:, -1].astype(int), names


def _diabetes_csv():
    """Read scikit-learn's diabetes files directly (importing scikit-learn takes longer than a chapter's
    least-squares work): the ten measurements in their original units, a patient a row, and the target, as
    ``load_diabetes(scaled=False)`` returns them; None when the files are not where scikit-learn keeps them."""
    data, target = _sklearn_data_file("diabetes_data_raw.csv.gz"), _sklearn_data_file("diabetes_target.csv.gz")
    if data is None or target is None:
        return None
    names = ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")
    return np.loadtxt(data), np.loadtxt(target), names


def _sklearn_data_file(filename):
    """The path of one of scikit-learn's bundled data files, found without importing scikit-learn."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data" / filename
    return path if path.is_file() else None


def _raw(name: str):
    fast = {"breast_cancer": _breast_cancer_csv, "digits": _digits_csv, "diabetes": _diabetes_csv}.get(name)
    if fast is not None:
        table = fast()
        if table is not None:
            return table
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
    test_fraction=None,
    seed: int = 0,
    features=None,
    standardize_target: bool = True,
    stratify=None,
    scaling=None,
) -> Dataset:
    """Load a data set shipped with scikit-learn, split and scale it.

    Parameters
    ----------
    name : str, default ``"breast_cancer"``
        One of ``"breast_cancer"``, ``"diabetes"``, ``"digits"``.
    val_fraction : float, default 0.25
        Fraction of all the examples held out for validation, in the open
        interval (0, 1). The number held out is rounded to the nearest integer.
    test_fraction : float, optional
        Fraction of all the examples held out as the test set, in [0, 1), chosen
        before the validation set (so the test set does not depend on
        ``val_fraction``). Default: 0.2 for the digits, 0 (no test set) for the
        others (:data:`DEFAULTS`). The training set keeps at least one example.
    seed : int, default 0
        Seed of the shuffle that decides the split. The same seed always gives
        the same split.
    features : sequence of str or int, optional
        Keep only these features (names or column indices), in this order.
    standardize_target : bool, default True
        For regression data sets, standardise the target with training-set
        statistics. Ignored for classification.
    stratify : bool, optional
        Keep each class's proportion in every part (classification only).
        Default: True for the digits, False for the others.
    scaling : {"feature", "global"}, optional
        See :data:`SCALINGS`. Default: ``"global"`` for the digits,
        ``"feature"`` for the others.

    Returns
    -------
    Dataset
        The training and validation parts, scaled. The test part, if any, is
        not in it: see :func:`load_test`.

    Raises
    ------
    ValueError
        For an unknown ``name``, a fraction out of range (or fractions that leave
        no training example), ``stratify`` for a regression data set, or unknown
        features.
    TypeError
        For a ``seed`` that is not an integer.

    Notes
    -----
    How the stratified split works: within each class the examples are shuffled,
    and the ``r``-th of a class of ``n_c`` examples gets the key ``(r + 1/2) / n_c``;
    sorting all examples by key (ties in random order) interleaves the classes
    evenly, so any leading part of that order holds every class in proportion,
    within one example. The test set is the first part, the validation set the
    next, the training set the rest.
    """
    return _split(name, val_fraction, test_fraction, seed, features, standardize_target, stratify, scaling)[0]


def load_test(
    name: str = "breast_cancer",
    *,
    val_fraction: float = 0.25,
    test_fraction=None,
    seed: int = 0,
    features=None,
    standardize_target: bool = True,
    stratify=None,
    scaling=None,
) -> TestSet:
    """The test set of the split that :func:`load` makes with the same arguments.

    Call it once, at the end, to report how the final choice generalises; never to
    choose. The features are scaled with the **training** statistics of that split.

    Raises
    ------
    ValueError
        As :func:`load`, and when the split has no test set (``test_fraction`` 0).
    """
    data, test = _split(name, val_fraction, test_fraction, seed, features, standardize_target, stratify, scaling)
    if test is None:
        raise ValueError(
            f"the {name!r} split has no test set with test_fraction={test_fraction!r}; "
            f"pass test_fraction in (0, 1) to both load and load_test"
        )
    return test


def _split(name, val_fraction, test_fraction, seed, features, standardize_target, stratify, scaling):
    defaults = DEFAULTS[check.choice("name", name, sorted(DATASETS))]
    val_fraction = check.in_range("val_fraction", val_fraction, 0.0, 1.0, low_open=True, high_open=True)
    test_fraction = check.in_range(
        "test_fraction", defaults["test_fraction"] if test_fraction is None else test_fraction, 0.0, 1.0,
        high_open=True,
    )
    seed = check.integer("seed", seed, 0, floats=False)
    stratify = check.flag("stratify", defaults["stratify"] if stratify is None else stratify)
    scaling = check.choice("scaling", defaults["scaling"] if scaling is None else scaling, SCALINGS)
    task = DATASETS[name]
    if stratify and task != "classification":
        raise ValueError(f"stratify applies to classification data sets only; {name!r} is a regression set")

    X, y, names = _raw(name)
    n = X.shape[0]
    n_test = int(round(test_fraction * n))
    n_val = max(int(round(val_fraction * n)), 1)
    if n_test + n_val > n - 1:
        raise ValueError(
            f"val_fraction={val_fraction} and test_fraction={test_fraction} leave no training example "
            f"({n_val} + {n_test} of {n})"
        )
    rng = np.random.default_rng(seed)
    order = _stratified_order(y, rng) if stratify else rng.permutation(n)
    test, val, train = order[:n_test], order[n_test : n_test + n_val], order[n_test + n_val :]

    if scaling == "feature":
        mean = X[train].mean(axis=0)
        scale = X[train].std(axis=0)
        scale[scale == 0.0] = 1.0  # constant columns stay at 0
    else:
        mean = np.full(X.shape[1], X[train].mean())
        scale = np.full(X.shape[1], X[train].std() or 1.0)
    X_std = (X - mean) / scale

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
        n_test=n_test,
    )
    test_set = None
    if n_test:
        columns = list(range(X.shape[1])) if features is None else _feature_columns(features, names)
        test_set = TestSet(name=name, X=X_std[test][:, columns], y=y[test], seed=int(seed))
    return (data if features is None else data.select(features)), test_set


def _stratified_order(y, rng):
    """All indices, ordered so that every leading part holds each class in proportion (see :func:`load`)."""
    keys = np.empty(len(y))
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        keys[members] = (np.arange(len(members)) + 0.5) / len(members)
    tie_break = rng.permutation(len(y))
    return np.lexsort((tie_break, keys))
