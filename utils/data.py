"""Data for the exercises: seeded synthetic generators and offline real data sets.

Every generator takes ``random_state`` (an int seed, ``None`` or a
``np.random.Generator``) and returns plain NumPy arrays: ``X`` of shape
``(n_samples, n_features)`` and ``y`` of shape ``(n_samples,)``. The same seed
gives the same data on every run.

The real data sets are the small copies that ship inside scikit-learn, so they
load without a network connection.
"""

import os
import zipfile
from pathlib import Path

import numpy as np

__all__ = [
    "as_rng",
    "make_blobs",
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_linear_regression",
    "make_polynomial_regression",
    "make_sine_sequences",
    "load_iris",
    "load_wine",
    "load_breast_cancer",
    "load_digits",
    "load_diabetes",
    "load_dataset",
    "load_sample_image",
    "train_test_split",
]


def as_rng(random_state=None):
    """Turn a seed (or an existing Generator) into a ``np.random.Generator``."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return np.random.default_rng(random_state)
    raise TypeError(f"random_state must be None, an int or a np.random.Generator; got {type(random_state).__name__}")


def _check_positive(name, value):
    if int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def _split_evenly(n_samples, n_groups):
    """Sizes of n_groups groups that add up to n_samples (the first ones get the extra)."""
    sizes = np.full(n_groups, n_samples // n_groups)
    sizes[: n_samples % n_groups] += 1
    return sizes


# --------------------------------------------------------------------------- classification


def make_blobs(n_samples=300, centers=3, n_features=2, cluster_std=1.0, center_box=(-8.0, 8.0), random_state=None):
    """Isotropic Gaussian blobs, one per class.

    Parameters
    ----------
    centers : int or array-like of shape (n_centers, n_features)
        How many blobs (their centres drawn uniformly from ``center_box``), or the centres.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,), the blob index of each point
    """
    rng = as_rng(random_state)
    n_samples = _check_positive("n_samples", n_samples)
    if np.isscalar(centers):
        n_centers = _check_positive("centers", centers)
        centers = rng.uniform(*center_box, size=(n_centers, n_features))  # (n_centers, n_features)
    centers = np.asarray(centers, dtype=float)
    if centers.ndim != 2:
        raise ValueError(f"centers must be an int or a 2-D array (n_centers, n_features); got shape {centers.shape}")
    sizes = _split_evenly(n_samples, len(centers))
    y = np.repeat(np.arange(len(centers)), sizes)  # (n_samples,)
    X = centers[y] + cluster_std * rng.standard_normal((n_samples, centers.shape[1]))
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_moons(n_samples=200, noise=0.1, random_state=None):
    """Two interleaving half circles: a classic non-linear binary problem."""
    rng = as_rng(random_state)
    n_outer, n_inner = _split_evenly(_check_positive("n_samples", n_samples), 2)
    t_outer = np.linspace(0, np.pi, n_outer)
    t_inner = np.linspace(0, np.pi, n_inner)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])  # (n_outer, 2)
    inner = np.column_stack([1 - np.cos(t_inner), 0.5 - np.sin(t_inner)])  # (n_inner, 2)
    X = np.vstack([outer, inner]) + noise * rng.standard_normal((n_samples, 2))
    y = np.repeat([0, 1], [n_outer, n_inner])
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_circles(n_samples=200, noise=0.05, factor=0.5, random_state=None):
    """A small circle (class 1) inside a large one (class 0)."""
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1 (inner radius / outer radius); got {factor}")
    rng = as_rng(random_state)
    n_outer, n_inner = _split_evenly(_check_positive("n_samples", n_samples), 2)
    t_outer = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    t_inner = np.linspace(0, 2 * np.pi, n_inner, endpoint=False)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = factor * np.column_stack([np.cos(t_inner), np.sin(t_inner)])
    X = np.vstack([outer, inner]) + noise * rng.standard_normal((n_samples, 2))
    y = np.repeat([0, 1], [n_outer, n_inner])
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_spirals(n_samples=300, n_classes=3, noise=0.2, turns=1.0, random_state=None):
    """Interleaved spiral arms, one per class (the CS231n toy problem)."""
    rng = as_rng(random_state)
    n_classes = _check_positive("n_classes", n_classes)
    sizes = _split_evenly(_check_positive("n_samples", n_samples), n_classes)
    X_parts, y_parts = [], []
    for k, size in enumerate(sizes):
        radius = np.linspace(0.05, 1.0, size)  # (size,)
        angle = 2 * np.pi * (turns * radius + k / n_classes) + noise * rng.standard_normal(size)
        X_parts.append(radius[:, None] * np.column_stack([np.sin(angle), np.cos(angle)]))
        y_parts.append(np.full(size, k))
    X, y = np.vstack(X_parts), np.concatenate(y_parts)
    order = rng.permutation(len(y))
    return X[order], y[order]


# --------------------------------------------------------------------------- regression


def make_linear_regression(n_samples=100, n_features=1, noise=1.0, coef=None, intercept=0.0, random_state=None):
    """y = X @ coef + intercept + Gaussian noise.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), standard normal
    y : ndarray of shape (n_samples,)
    coef : ndarray of shape (n_features,), the true weights (drawn if not given)
    """
    rng = as_rng(random_state)
    n_samples = _check_positive("n_samples", n_samples)
    if coef is None:
        coef = rng.uniform(-3, 3, size=_check_positive("n_features", n_features))
    coef = np.atleast_1d(np.asarray(coef, dtype=float))  # (n_features,)
    X = rng.standard_normal((n_samples, coef.size))  # (n_samples, n_features)
    y = X @ coef + intercept + noise * rng.standard_normal(n_samples)  # (n_samples,)
    return X, y, coef


def make_polynomial_regression(n_samples=100, coefs=(0.5, -1.0, 0.8), x_range=(-3.0, 3.0), noise=1.0, random_state=None):
    """One feature x and y = sum_k coefs[k] * x**k + Gaussian noise.

    Returns
    -------
    x : ndarray of shape (n_samples,), sorted, uniform on ``x_range``
    y : ndarray of shape (n_samples,)
    """
    rng = as_rng(random_state)
    x = np.sort(rng.uniform(*x_range, size=_check_positive("n_samples", n_samples)))
    y = np.polynomial.polynomial.polyval(x, coefs) + noise * rng.standard_normal(x.size)
    return x, y


def make_sine_sequences(n_sequences=64, seq_len=50, n_waves=1, noise=0.05, random_state=None):
    """Noisy sine waves with random frequency and phase, for sequence models.

    Returns
    -------
    X : ndarray of shape (n_sequences, seq_len), the inputs x_0 .. x_{T-1}
    y : ndarray of shape (n_sequences, seq_len), the next values x_1 .. x_T
    """
    rng = as_rng(random_state)
    n_sequences = _check_positive("n_sequences", n_sequences)
    t = np.arange(_check_positive("seq_len", seq_len) + 1)  # (T + 1,)
    freq = rng.uniform(0.05, 0.2, size=(n_sequences, n_waves, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(n_sequences, n_waves, 1))
    waves = np.sin(2 * np.pi * freq * t + phase).sum(axis=1) / n_waves  # (n_sequences, T + 1)
    waves += noise * rng.standard_normal(waves.shape)
    return waves[:, :-1], waves[:, 1:]


# --------------------------------------------------------------------------- splitting


def train_test_split(X, y, test_size=0.25, stratify=True, random_state=None):
    """Shuffle and split (X, y) into a training and a test part.

    A small helper so that every demo splits its data the same way; module 03
    builds the full version (``ex01_train_test_split``) and explains it.

    Parameters
    ----------
    test_size : float in (0, 1)
        Fraction of the samples that go to the test part.
    stratify : bool
        Keep each class's share the same in both parts (classification labels).

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarrays
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples; got {len(X)} and {len(y)}")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be a fraction between 0 and 1; got {test_size}")
    rng = as_rng(random_state)
    groups = [np.flatnonzero(y == label) for label in np.unique(y)] if stratify else [np.arange(len(y))]
    test = []
    for members in groups:
        n_test = int(round(test_size * len(members)))
        test.append(rng.permutation(members)[:n_test])
    test = np.concatenate(test)  # (n_test,)
    is_test = np.zeros(len(y), dtype=bool)
    is_test[test] = True
    train_idx = rng.permutation(np.flatnonzero(~is_test))
    test_idx = rng.permutation(test)
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


# --------------------------------------------------------------------------- real data sets

_REAL = {
    "iris": "load_iris",
    "wine": "load_wine",
    "breast_cancer": "load_breast_cancer",
    "digits": "load_digits",
    "diabetes": "load_diabetes",
}


def _dataset_cache(name):
    """Where a loaded data set is kept as .npz, so later loads skip importing scikit-learn."""
    from utils import REPO_ROOT

    return Path(os.environ.get("MLSC_CACHE_DIR") or REPO_ROOT / ".cache") / "datasets" / f"{name}.npz"


def _cached(name, build):
    """The arrays ``build()`` returns, read from the cache file when one is there."""
    cache = _dataset_cache(name)
    try:
        with np.load(cache, allow_pickle=False) as stored:
            return {key: stored[key] for key in stored.files}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):  # not cached yet, or unreadable: rebuild
        arrays = build()
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f"{cache.stem}.{os.getpid()}.tmp.npz")
        np.savez(partial, **arrays)
        os.replace(partial, cache)  # atomic: parallel test workers never see half a file
        return arrays


def _load_from_sklearn(name):
    import sklearn.datasets  # imported only here: it takes a second or more to import

    bunch = getattr(sklearn.datasets, _REAL[name])()
    return {
        "X": np.asarray(bunch.data, dtype=float),
        "y": np.asarray(bunch.target),
        "feature_names": np.array([str(f) for f in bunch.feature_names]),
        "target_names": np.array([str(t) for t in getattr(bunch, "target_names", [])]),
    }


def load_dataset(name, return_names=False):
    """Load a small real data set bundled with scikit-learn (no network needed).

    The first load reads scikit-learn's copy and keeps the arrays in
    ``.cache/datasets/`` (ignored by git); later loads read that file, which is
    much faster than importing scikit-learn.

    Parameters
    ----------
    name : {"iris", "wine", "breast_cancer", "digits", "diabetes"}
    return_names : bool
        Also return the feature names and (for classification) the class names.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,), int class labels or float targets
    feature_names, target_names : lists of str (only with ``return_names=True``)
    """
    if name not in _REAL:
        raise ValueError(f"unknown data set {name!r}; expected one of {sorted(_REAL)}")
    arrays = _cached(name, lambda: _load_from_sklearn(name))
    if not return_names:
        return arrays["X"], arrays["y"]
    return arrays["X"], arrays["y"], arrays["feature_names"].tolist(), arrays["target_names"].tolist()


def load_iris(return_names=False):
    """150 iris flowers, 4 measurements, 3 species."""
    return load_dataset("iris", return_names)


def load_wine(return_names=False):
    """178 wines, 13 chemical measurements, 3 cultivars."""
    return load_dataset("wine", return_names)


def load_breast_cancer(return_names=False):
    """569 tumours, 30 features, malignant (0) or benign (1)."""
    return load_dataset("breast_cancer", return_names)


def load_digits(return_names=False):
    """1797 handwritten digits as 8x8 images flattened to 64 features (values 0..16)."""
    return load_dataset("digits", return_names)


def load_diabetes(return_names=False):
    """442 patients, 10 standardised features, a disease-progression score to regress."""
    return load_dataset("diabetes", return_names)


def load_sample_image(name="china", gray=True):
    """A photograph bundled with scikit-learn: ``"china"`` (a temple) or ``"flower"``.

    Returns
    -------
    ndarray of float64 in [0, 1]
        Shape (427, 640) in gray scale, or (427, 640, 3) in colour.
    """
    files = {"china": "china.jpg", "flower": "flower.jpg"}
    if name not in files:
        raise ValueError(f"unknown sample image {name!r}; expected one of {sorted(files)}")
    def build():
        import sklearn.datasets

        return {"image": sklearn.datasets.load_sample_image(files[name])}

    image = _cached(f"image_{name}", build)["image"].astype(float) / 255.0  # (H, W, 3)
    if gray:
        image = image @ np.array([0.299, 0.587, 0.114])  # ITU-R BT.601 luma weights, (H, W)
    return image
