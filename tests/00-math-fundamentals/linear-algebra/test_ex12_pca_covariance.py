"""Tests for ex12_pca_covariance: standardising, covariance, PCA by eigh, projection."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex12_pca_covariance.py")

RTOL = 1e-10
ATOL = 1e-10
VECTOR_ATOL = 1e-8


def _correlated_data(rng, n=60, d=5):
    """Gaussian data with distinct variances along random directions (no ties)."""
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return (rng.standard_normal((n, d)) * np.linspace(3.0, 0.5, d)) @ Q.T + rng.uniform(-5, 5, d)


def _assert_rows_equal_up_to_sign(A, B):
    signs = np.sign(np.sum(A * B, axis=1, keepdims=True))
    np.testing.assert_allclose(signs * A, B, atol=VECTOR_ATOL)


def test_covariance_matches_numpy(rng):
    # Check that the covariance agrees with np.cov (which also divides by n - 1), and by hand on x = (1, 2, 3, 4):
    # mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, 5 / 3 (not 5 / 4).
    X = _correlated_data(rng)
    np.testing.assert_allclose(ex.covariance_matrix(X), np.cov(X, rowvar=False), rtol=RTOL)
    np.testing.assert_allclose(ex.covariance_matrix(np.array([[1.0], [2.0], [3.0], [4.0]])), [[5.0 / 3.0]])


def test_standardize_gives_the_correlation_matrix(rng):
    # Check that standardised data has mean 0, sample std 1, and covariance = np.corrcoef(X).
    X = _correlated_data(rng)
    Z, mean, scale = ex.standardize(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=ATOL)
    np.testing.assert_allclose(Z.std(axis=0, ddof=1), 1.0, rtol=RTOL)
    np.testing.assert_allclose(ex.covariance_matrix(Z), np.corrcoef(X, rowvar=False), atol=ATOL)
    np.testing.assert_allclose(Z * scale + mean, X, rtol=RTOL)


@pytest.mark.parametrize("n_components", [1, 2, 5])
def test_pca_matches_sklearn(rng, n_components):
    # Check that components (up to sign), explained_variance_ and explained_variance_ratio_ agree with
    # sklearn's PCA, and the mean.
    X = _correlated_data(rng)
    components, variance, ratio, mean = ex.pca(X, n_components)
    reference = PCA(n_components=n_components, svd_solver="full").fit(X)
    assert components.shape == (n_components, X.shape[1])
    _assert_rows_equal_up_to_sign(components, reference.components_)
    np.testing.assert_allclose(variance, reference.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(ratio, reference.explained_variance_ratio_, rtol=1e-9)
    np.testing.assert_allclose(mean, reference.mean_, rtol=RTOL)


def test_pca_on_standardised_wine_matches_sklearn():
    # Check that the demo's real case, standardised wine with all 13 components, agrees with sklearn.
    X, _ = utils.data.load_wine()
    Z, _, _ = ex.standardize(X)
    components, variance, ratio, _ = ex.pca(Z)
    reference = PCA(svd_solver="full").fit(Z)
    _assert_rows_equal_up_to_sign(components, reference.components_)
    np.testing.assert_allclose(variance, reference.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(ratio, reference.explained_variance_ratio_, rtol=1e-9, atol=1e-15)


def test_pca_is_the_eigendecomposition_of_the_covariance(rng):
    # Check that C w_j = lambda_j w_j with np.cov's C, the components are orthonormal, the variance descends,
    # and that the ratios of all components sum to 1.
    X = _correlated_data(rng)
    components, variance, ratio, _ = ex.pca(X)
    C = np.cov(X, rowvar=False)
    np.testing.assert_allclose(C @ components.T, components.T * variance, atol=ATOL)
    np.testing.assert_allclose(components @ components.T, np.eye(X.shape[1]), atol=ATOL)
    assert np.all(np.diff(variance) <= 0)
    assert ratio.sum() == pytest.approx(1.0)


def test_projection_variance_equals_the_eigenvalues(rng):
    # Check that var(Z_j) = lambda_j (ddof = 1), that the projected columns are uncorrelated, and
    # that the scores have mean 0.
    X = _correlated_data(rng)
    components, variance, _, mean = ex.pca(X, 3)
    scores = ex.project(X, components, mean)
    assert scores.shape == (X.shape[0], 3)
    np.testing.assert_allclose(np.cov(scores, rowvar=False), np.diag(variance), atol=1e-9)
    np.testing.assert_allclose(scores.mean(axis=0), 0.0, atol=ATOL)


def test_project_matches_sklearn_transform(rng):
    # Check that the projection agrees with sklearn's transform (columns up to the components' sign).
    X = _correlated_data(rng)
    components, _, _, mean = ex.pca(X, 2)
    reference = PCA(n_components=2, svd_solver="full").fit(X)
    _assert_rows_equal_up_to_sign(ex.project(X, components, mean).T, reference.transform(X).T)


def test_pca_by_hand_on_a_line():
    # Check that points on the line y = x, (-1, -1), (0, 0), (1, 1), have one direction (worked by hand):
    # (1, 1)/sqrt 2 with variance ((-sqrt2)^2 + 0 + sqrt2^2) / 2 = 2, and nothing across it.
    components, variance, ratio, _ = ex.pca(np.array([[-1.0, -1.0], [0.0, 0.0], [1.0, 1.0]]))
    np.testing.assert_allclose(components[0], np.array([1.0, 1.0]) / np.sqrt(2), atol=VECTOR_ATOL)
    np.testing.assert_allclose(variance, [2.0, 0.0], atol=ATOL)
    np.testing.assert_allclose(ratio, [1.0, 0.0], atol=ATOL)


def test_sign_convention(rng):
    # Check that the documented convention holds: each component's largest-magnitude entry is positive,
    # and fix_signs flips exactly the columns that need it (worked by hand below).
    components, _, _, _ = ex.pca(_correlated_data(rng))
    biggest = components[np.arange(components.shape[0]), np.argmax(np.abs(components), axis=1)]
    assert np.all(biggest > 0)
    V = np.array([[0.6, 0.1], [-0.8, -0.9]])
    np.testing.assert_allclose(ex.fix_signs(V), [[-0.6, -0.1], [0.8, 0.9]])
    np.testing.assert_allclose(ex.fix_signs(np.array([[0.8], [-0.6]])), [[0.8], [-0.6]])


def test_result_does_not_depend_on_sample_order(rng):
    # Check that shuffling the samples gives the same components and variances.
    X = _correlated_data(rng)
    a = ex.pca(X, 3)
    b = ex.pca(X[rng.permutation(len(X))], 3)
    for left, right in zip(a, b):
        np.testing.assert_allclose(left, right, atol=1e-9)


def test_constant_feature(rng):
    # Check that a constant column is handled: standardize leaves it at 0 without a 0/0, its variance 0 shows up
    # as a last eigenvalue of exactly 0 (not -1e-17) with ratio 0 along that feature's axis, and
    # the other components ignore it.
    X = np.column_stack([_correlated_data(rng, d=3), np.full(60, 0.1)])
    Z, _, scale = ex.standardize(X)
    np.testing.assert_array_equal(Z[:, 3], 0.0)
    assert scale[3] == 1.0
    components, variance, ratio, _ = ex.pca(Z)
    assert variance[-1] >= 0.0 and variance[-1] == pytest.approx(0.0, abs=1e-12)
    assert ratio[-1] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(np.abs(components[-1]), [0, 0, 0, 1], atol=VECTOR_ATOL)
    np.testing.assert_allclose(components[:3, 3], 0.0, atol=VECTOR_ATOL)


def test_all_constant_and_bad_input_are_refused():
    # Check that bad input gets a clear error: no variance at all, one sample, a vector, NaN, and n_components.
    with pytest.raises(ValueError, match="constant"):
        ex.pca(np.ones((5, 3)))
    with pytest.raises(ValueError, match="n_samples >= 2"):
        ex.covariance_matrix(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"shape \(n_samples, n_features\)"):
        ex.standardize(np.ones(5))
    with pytest.raises(ValueError, match="finite"):
        ex.pca(np.array([[1.0, np.nan], [2.0, 3.0]]))
    for k in [0, 4, 1.5]:
        with pytest.raises(ValueError, match="n_components"):
            ex.pca(np.arange(12.0).reshape(4, 3) ** 2, k)
    with pytest.raises(ValueError, match=r"components \(k, d\)"):
        ex.project(np.ones((4, 3)), np.ones((2, 2)), np.zeros(3))
