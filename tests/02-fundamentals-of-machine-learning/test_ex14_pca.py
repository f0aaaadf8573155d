"""Tests for ex14_pca: PCA by SVD (and by the covariance) against a hand-made case and sklearn."""

import warnings

import numpy as np
import pytest
from sklearn.decomposition import PCA as SklearnPCA

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex14_pca.py")

ATOL = 1e-10
SKLEARN_ATOL = 1e-6  # our SVD and sklearn's are different LAPACK calls: agree to round-off


@pytest.fixture(scope="module")
def correlated():
    rng = np.random.default_rng(3)
    mixing = rng.standard_normal((6, 6)) * np.array([5.0, 3.0, 2.0, 1.0, 0.5, 0.2])[:, None]
    return rng.standard_normal((80, 6)) @ mixing + rng.uniform(-10, 10, size=6)


def known_variances(variances, n=8, seed=0):
    """Data whose covariance is exactly diag(variances): scaled orthonormal, centred columns."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, len(variances)))
    Q, _ = np.linalg.qr(A - A.mean(axis=0))  # centred, orthonormal columns
    return Q * np.sqrt(np.asarray(variances) * (n - 1)) + np.arange(1.0, len(variances) + 1)


def test_hand_made_covariance():
    # Check by hand: columns with variances 1, 4, 2, 3 and no correlation. The components are the
    # coordinate axes in the order 4, 3, 2, 1 (columns 1, 3, 2, 0), with a + sign; the ratios are
    # 0.4, 0.3, 0.2, 0.1 and the singular values sqrt(variance * (n - 1)).
    X = known_variances([1.0, 4.0, 2.0, 3.0])
    pca = ex.PCA().fit(X)
    np.testing.assert_allclose(pca.components_, np.eye(4)[[1, 3, 2, 0]], atol=1e-12)
    np.testing.assert_allclose(pca.explained_variance_, [4.0, 3.0, 2.0, 1.0], atol=ATOL)
    np.testing.assert_allclose(pca.explained_variance_ratio_, [0.4, 0.3, 0.2, 0.1], atol=ATOL)
    np.testing.assert_allclose(pca.singular_values_, np.sqrt(np.array([4.0, 3.0, 2.0, 1.0]) * 7), atol=ATOL)
    np.testing.assert_allclose(pca.mean_, [1.0, 2.0, 3.0, 4.0], atol=ATOL)


@pytest.mark.parametrize("fraction, expected", [(0.35, 1), (0.65, 2), (0.75, 3), (0.95, 4)])
def test_float_n_components_keeps_just_enough(fraction, expected):
    # Check by hand on ratios 0.4, 0.3, 0.2, 0.1 (cumulative 0.4, 0.7, 0.9, 1.0): keep the fewest
    # components whose cumulative ratio is above the fraction; noise_variance_ is the mean of the rest.
    X = known_variances([1.0, 4.0, 2.0, 3.0])
    pca = ex.PCA(n_components=fraction).fit(X)
    assert pca.n_components_ == expected
    assert pca.components_.shape == (expected, 4)
    rest = np.array([4.0, 3.0, 2.0, 1.0])[expected:]
    assert pca.noise_variance_ == pytest.approx(rest.mean() if rest.size else 0.0)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "auto"])
def test_matches_sklearn(correlated, solver, rng):
    # Check every fitted attribute, transform of new data and inverse_transform against sklearn
    # (same sign convention, so no "up to sign" is needed).
    X = correlated
    ours = ex.PCA(n_components=4, svd_solver=solver).fit(X)
    ref = SklearnPCA(n_components=4, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.mean_, ref.mean_, atol=SKLEARN_ATOL)
    np.testing.assert_allclose(ours.components_, ref.components_, atol=SKLEARN_ATOL)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=SKLEARN_ATOL)
    np.testing.assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_, atol=SKLEARN_ATOL)
    np.testing.assert_allclose(ours.singular_values_, ref.singular_values_, rtol=SKLEARN_ATOL)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=SKLEARN_ATOL)
    X_new = rng.standard_normal((5, 6)) * 4
    np.testing.assert_allclose(ours.transform(X_new), ref.transform(X_new), atol=1e-5)
    Z = rng.standard_normal((5, 4))
    np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z), atol=1e-5)


def test_float_n_components_matches_sklearn(correlated):
    # Check the count chosen for several fractions against sklearn's rule.
    for fraction in [0.5, 0.9, 0.99, 0.999]:
        ours = ex.PCA(n_components=fraction).fit(correlated)
        ref = SklearnPCA(n_components=fraction, svd_solver="full").fit(correlated)
        assert ours.n_components_ == ref.n_components_


def test_wide_data_matches_sklearn(rng):
    # Check fewer samples than features (r = n), where the covariance route would have d - n zero directions.
    X = rng.standard_normal((10, 25))
    ours = ex.PCA(n_components=5).fit(X)
    ref = SklearnPCA(n_components=5, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.components_, ref.components_, atol=SKLEARN_ATOL)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=SKLEARN_ATOL)
    assert ex.PCA().fit(X).n_components_ == 10


def test_sign_convention_and_orthonormal_rows(correlated):
    # Check that each component's largest-magnitude entry is positive and the rows are orthonormal.
    pca = ex.PCA().fit(correlated)
    V = pca.components_
    assert np.all(V[np.arange(len(V)), np.abs(V).argmax(axis=1)] > 0)
    np.testing.assert_allclose(V @ V.T, np.eye(len(V)), atol=ATOL)
    # flip_signs itself, worked by hand: rows (0.6, -0.8) and (-0.8, -0.6) have biggest entries -0.8.
    flipped, signs = ex.flip_signs(np.array([[0.6, -0.8], [-0.8, -0.6]]))
    np.testing.assert_allclose(flipped, [[-0.6, 0.8], [0.8, 0.6]], atol=ATOL)
    np.testing.assert_allclose(signs, [-1.0, -1.0])


def test_round_trip_at_full_rank(correlated, rng):
    # Check inverse_transform(transform(X)) == X when all components are kept, tall and wide data.
    for X in [correlated, rng.standard_normal((7, 12))]:
        pca = ex.PCA().fit(X)
        np.testing.assert_allclose(pca.inverse_transform(pca.transform(X)), X, atol=1e-9)
        np.testing.assert_allclose(pca.fit_transform(X), pca.transform(X), atol=ATOL)


def test_projection_is_the_best_rank_k_fit(correlated):
    # Check the variance of the scores: column j of transform(X) has variance explained_variance_[j],
    # and the scores are uncorrelated; the kept variance + the lost error = the total.
    pca = ex.PCA(n_components=3).fit(correlated)
    Z = pca.transform(correlated)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.diag(pca.explained_variance_), atol=1e-8)
    lost = ((pca.inverse_transform(Z) - correlated) ** 2).sum() / (len(Z) - 1)
    total = np.var(correlated, axis=0, ddof=1).sum()
    np.testing.assert_allclose(pca.explained_variance_.sum() + lost, total, rtol=1e-10)


def test_constant_feature_and_constant_data(correlated):
    # Check that a constant column gets zero loading everywhere that matters, and that data with
    # no variance at all gives zero ratios without a division warning.
    X = np.column_stack([correlated, np.full(len(correlated), 7.0)])
    pca = ex.PCA(n_components=6).fit(X)
    np.testing.assert_allclose(pca.components_[:, -1], 0.0, atol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flat = ex.PCA().fit(np.full((5, 3), 2.0))
    np.testing.assert_array_equal(flat.explained_variance_ratio_, 0.0)
    np.testing.assert_allclose(flat.transform(np.full((2, 3), 2.0)), 0.0, atol=ATOL)


def test_predict_before_fit_is_refused():
    # Check the clear message when the model has not been fitted.
    with pytest.raises(NotFittedError, match="call fit"):
        ex.PCA().transform(np.zeros((2, 2)))


def test_bad_input_gets_a_clear_error(correlated):
    # Check out-of-range n_components, one sample, an unknown solver and wrong shapes.
    for bad in [0, 7, 1.5, -0.2, "mle"]:
        with pytest.raises(ValueError, match="n_components must be"):
            ex.PCA(n_components=bad).fit(correlated)
    with pytest.raises(ValueError, match="at least 2 samples"):
        ex.PCA().fit(correlated[:1])
    with pytest.raises(ValueError, match="svd_solver"):
        ex.PCA(svd_solver="randomized").fit(correlated)
    pca = ex.PCA(n_components=2).fit(correlated)
    with pytest.raises(ValueError, match="X has 5 features, but PCA is expecting 6 features"):
        pca.transform(np.zeros((1, 5)))
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\)"):
        pca.inverse_transform(np.zeros((1, 3)))
