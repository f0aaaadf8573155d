"""Tests for ex04_knn_imputation: NaN-aware distances, donor weights and KNNImputer, against scikit-learn."""

import numpy as np
import pytest
from sklearn.impute import KNNImputer as SkKNNImputer
from sklearn.metrics.pairwise import nan_euclidean_distances as sk_nan_euclidean_distances

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex04_knn_imputation.py")

RTOL = 1e-10  # same arithmetic as scikit-learn up to summation order
ATOL = 1e-10
# scikit-learn expands |x - y|^2 = |x|^2 - 2 x.y + |y|^2 (round-off ~1e-9 relative); we
# subtract directly. Inverse-distance weights carry that difference into the imputed values.
DIST_RTOL = 1e-7


def _with_nans(rng, n=30, d=4, fraction=0.2, integers=False):
    """Random data with `fraction` of the entries missing; integers make ties in most_frequent."""
    X = rng.integers(0, 4, size=(n, d)).astype(float) if integers else rng.standard_normal((n, d)) * [1, 10, 100, 0.1][:d]
    X[rng.uniform(size=X.shape) < fraction] = np.nan
    return X


def test_nan_euclidean_distances_matches_sklearn(rng):
    # Check the distance matrix, including rows sharing no present coordinate (NaN).
    X, Y = _with_nans(rng, n=9, d=4, fraction=0.3), _with_nans(rng, n=7, d=4, fraction=0.3)
    X[0] = [np.nan, 1.0, np.nan, np.nan]
    Y[0] = [2.0, np.nan, 3.0, 4.0]
    np.testing.assert_allclose(ex.nan_euclidean_distances(X, Y), sk_nan_euclidean_distances(X, Y), rtol=DIST_RTOL, atol=1e-9)


def test_nan_euclidean_distance_by_hand():
    # Check by hand: x = (0, NaN, 3), y = (4, 1, 0): present in both {0, 2}; 3/2 * (16 + 9) = 37.5.
    d = ex.nan_euclidean_distances([[0.0, np.nan, 3.0]], [[4.0, 1.0, 0.0]])
    np.testing.assert_allclose(d, [[np.sqrt(37.5)]], rtol=1e-12)


def test_donor_weights_by_hand():
    # Check by hand: 1/distance, a NaN distance weighs 0, a zero distance takes all the weight.
    d = np.array([[1.0, 2.0, np.nan], [0.0, 3.0, 0.0]])
    np.testing.assert_allclose(ex.donor_weights(d, "distance"), [[1.0, 0.5, 0.0], [1.0, 0.0, 1.0]])
    np.testing.assert_allclose(ex.donor_weights(d, "uniform"), [[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])


@pytest.mark.parametrize("n_neighbors", [1, 3, 40])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_knn_imputer_matches_sklearn(rng, n_neighbors, weights):
    # Check fit_transform on the training data and transform on new data against scikit-learn,
    # including more neighbours than donors (40) and a test row that is entirely missing.
    X_train = _with_nans(rng, n=30, d=4, fraction=0.25)
    X_test = _with_nans(rng, n=8, d=4, fraction=0.4)
    X_test[0] = np.nan
    ours = ex.KNNImputer(n_neighbors=n_neighbors, weights=weights, add_indicator=True)
    sk = SkKNNImputer(n_neighbors=n_neighbors, weights=weights, add_indicator=True).fit(X_train)
    rtol = RTOL if weights == "uniform" else DIST_RTOL
    np.testing.assert_allclose(ours.fit_transform(X_train), sk.transform(X_train), rtol=rtol, atol=ATOL)
    np.testing.assert_allclose(ours.transform(X_test), sk.transform(X_test), rtol=rtol, atol=ATOL)


def test_knn_imputer_by_hand():
    # Check by hand: row (0, NaN) has donors (1, 10), (3, 30), (10, 100) at distances 1, 3, 10
    # (scaled by 2/1); with k = 2 the value is the mean of 10 and 30 = 20.
    X = np.array([[0.0, np.nan], [1.0, 10.0], [3.0, 30.0], [10.0, 100.0]])
    out = ex.KNNImputer(n_neighbors=2).fit_transform(X)
    np.testing.assert_allclose(out[0], [0.0, 20.0], atol=ATOL)
    out = ex.KNNImputer(n_neighbors=2, weights="distance").fit_transform(X)
    np.testing.assert_allclose(out[0, 1], (10 / 1 + 30 / 3) / (1 / 1 + 1 / 3), rtol=1e-12)


@pytest.mark.parametrize("keep", [False, True])
def test_knn_imputer_empty_column_like_sklearn(rng, keep):
    # Check a column with no observed value: dropped, or zeros with keep_empty_features=True.
    X = _with_nans(rng, n=10, d=3)
    X[:, 0] = np.nan
    ours = ex.KNNImputer(n_neighbors=2, keep_empty_features=keep).fit_transform(X)
    sk = SkKNNImputer(n_neighbors=2, keep_empty_features=keep).fit_transform(X)
    np.testing.assert_allclose(ours, sk, rtol=RTOL, atol=ATOL)


def test_knn_imputer_uses_training_rows_only():
    # Check that the donors come from the training rows: a test row cannot donate to another.
    imputer = ex.KNNImputer(n_neighbors=1).fit([[0.0, 1.0], [10.0, 2.0]])
    out = imputer.transform([[9.0, np.nan], [9.0, 500.0]])
    np.testing.assert_allclose(out[0], [9.0, 2.0], atol=ATOL)


def test_transform_before_fit_and_wrong_columns():
    # Check the messages: transform before fit, and a different number of columns than in fit.
    with pytest.raises(NotFittedError, match="call fit"):
        ex.KNNImputer().transform([[1.0, 2.0]])
    fitted = ex.KNNImputer().fit([[1.0, np.nan], [3.0, 4.0]])
    with pytest.raises(ValueError, match="expecting 2 features"):
        fitted.transform([[1.0, 2.0, 3.0]])


def test_bad_input_gets_clear_errors():
    # Check bad n_neighbors and weights.
    with pytest.raises(ValueError, match="n_neighbors"):
        ex.KNNImputer(n_neighbors=0).fit([[1.0]])
    with pytest.raises(ValueError, match="weights"):
        ex.KNNImputer(weights="gaussian").fit([[1.0]])
