"""Tests for ex15_gaussian_mixture: stable log-densities, EM steps and GaussianMixture against sklearn."""

import warnings

import numpy as np
import pytest
from scipy.special import logsumexp as scipy_logsumexp
from scipy.stats import multivariate_normal
from sklearn.mixture import GaussianMixture as SklearnGaussianMixture

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex15_gaussian_mixture.py")

ATOL = 1e-10
PARAM_ATOL = 1e-4  # both EMs run to tol=1e-10 from k-means starts on well-separated data
MONOTONE_SLACK = 1e-10  # round-off allowed when checking that the log-likelihood never drops


def random_covariances(rng, k, d):
    """k random symmetric positive definite (d, d) matrices."""
    A = rng.standard_normal((k, d, d))
    return A @ A.transpose(0, 2, 1) + 0.5 * np.eye(d)


@pytest.fixture(scope="module")
def shaped_blobs():
    # Three well-separated clusters with different shapes and sizes (a unique, easy optimum).
    rng = np.random.default_rng(7)
    means = np.array([[0.0, 0.0], [9.0, 3.0], [-3.0, 9.0]])
    covs = np.array([[[3.0, 1.2], [1.2, 1.0]], [[0.4, 0.0], [0.0, 2.0]], [[1.0, -0.5], [-0.5, 0.8]]])
    X = np.vstack([rng.multivariate_normal(m, c, size=s) for m, c, s in zip(means, covs, [160, 90, 110])])
    return X, means


def order_by(means, reference):
    """Indices that put the fitted components in the order of the reference means."""
    return np.array([np.argmin(((means - m) ** 2).sum(axis=1)) for m in reference])


def test_log_density_matches_scipy(rng):
    # Check log N(x | mu_j, Sigma_j) for full and diagonal covariances against scipy's logpdf.
    X, means = rng.standard_normal((20, 3)) * 2, rng.standard_normal((4, 3))
    covs = random_covariances(rng, 4, 3)
    expected = np.column_stack([multivariate_normal(means[j], covs[j]).logpdf(X) for j in range(4)])
    np.testing.assert_allclose(ex.log_gaussian_density(X, means, covs), expected, atol=1e-9)
    diag = rng.uniform(0.1, 3.0, size=(4, 3))
    expected = np.column_stack([multivariate_normal(means[j], np.diag(diag[j])).logpdf(X) for j in range(4)])
    np.testing.assert_allclose(ex.log_gaussian_density(X, means, diag), expected, atol=1e-9)


def test_log_density_in_high_dimension(rng):
    # Check d = 200 with small variances: det(Sigma) underflows to 0 (log det ~ -900), the log does not.
    d = 200
    cov = 0.01 * np.eye(d) + 0.001
    X, mean = rng.standard_normal((3, d)) * 0.1, np.zeros((1, d))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = ex.log_gaussian_density(X, mean, cov[None])
    np.testing.assert_allclose(ours[:, 0], multivariate_normal(mean[0], cov).logpdf(X), rtol=1e-10)


def test_logsumexp_is_stable():
    # Check against scipy, and by hand at +-1000: log(e^1000 + e^1000) = 1000 + log 2 (no overflow)
    # and log(e^-1000 + e^-1000) = -1000 + log 2 (no log 0).
    a = np.array([[1000.0, 1000.0], [-1000.0, -1000.0], [0.0, -np.inf], [3.0, -2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = ex.logsumexp(a, axis=1)
    np.testing.assert_allclose(ours, [1000 + np.log(2), -1000 + np.log(2), 0.0, scipy_logsumexp([3.0, -2.0])])
    np.testing.assert_allclose(ex.logsumexp(a[:, :1], axis=0), scipy_logsumexp(a[:, :1], axis=0))


def test_e_step_against_scipy(rng):
    # Check the mean log-likelihood and the responsibilities (rows sum to 1) against scipy's densities.
    X, means = rng.standard_normal((30, 2)) * 3, rng.standard_normal((3, 2))
    covs, weights = random_covariances(rng, 3, 2), np.array([0.2, 0.5, 0.3])
    log_joint = np.column_stack(
        [np.log(weights[j]) + multivariate_normal(means[j], covs[j]).logpdf(X) for j in range(3)]
    )
    mean_ll, log_resp = ex.e_step(X, weights, means, covs)
    np.testing.assert_allclose(mean_ll, scipy_logsumexp(log_joint, axis=1).mean(), atol=ATOL)
    resp = np.exp(log_resp)
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, atol=ATOL)
    np.testing.assert_allclose(resp, np.exp(log_joint - scipy_logsumexp(log_joint, axis=1, keepdims=True)), atol=ATOL)


def test_m_step_with_hard_responsibilities(rng):
    # Check that one-hot responsibilities give each group's share, mean and biased covariance
    # (np.cov with bias=True) plus reg_covar on the diagonal.
    X, labels = rng.standard_normal((40, 3)), np.repeat([0, 1, 2], [10, 12, 18])
    weights, means, covs = ex.m_step(X, np.eye(3)[labels], reg_covar=0.01)
    np.testing.assert_allclose(weights, [10 / 40, 12 / 40, 18 / 40], atol=ATOL)
    for j in range(3):
        group = X[labels == j]
        np.testing.assert_allclose(means[j], group.mean(axis=0), atol=ATOL)
        np.testing.assert_allclose(covs[j], np.cov(group, rowvar=False, bias=True) + 0.01 * np.eye(3), atol=ATOL)
    _, _, diag = ex.m_step(X, np.eye(3)[labels], reg_covar=0.01, covariance_type="diag")
    np.testing.assert_allclose(diag[2], X[labels == 2].var(axis=0) + 0.01, atol=ATOL)


def test_log_likelihood_never_decreases(rng):
    # Check the EM guarantee over many steps from random starts on overlapping data.
    X = rng.standard_normal((300, 2)) * [2.0, 1.0]
    for seed in range(3):
        for kind in ["full", "diag"]:
            model = ex.GaussianMixture(4, covariance_type=kind, tol=0.0, max_iter=60, init_params="random",
                                       random_state=seed).fit(X)
            history = np.array(model.lower_bounds_)
            assert len(history) == 60
            assert np.all(np.diff(history) >= -MONOTONE_SLACK * np.abs(history[:-1]))


@pytest.mark.parametrize("kind", ["full", "diag"])
def test_matches_sklearn_on_separated_clusters(shaped_blobs, kind):
    # Check weights, means, covariances (up to the order of the components), the log-likelihood
    # and the responsibilities against sklearn's GaussianMixture.
    X, true_means = shaped_blobs
    ours = ex.GaussianMixture(3, covariance_type=kind, tol=1e-10, max_iter=500, random_state=0).fit(X)
    ref = SklearnGaussianMixture(3, covariance_type=kind, tol=1e-10, max_iter=500, random_state=0).fit(X)
    o, r = order_by(ours.means_, true_means), order_by(ref.means_, true_means)
    np.testing.assert_allclose(ours.weights_[o], ref.weights_[r], atol=PARAM_ATOL)
    np.testing.assert_allclose(ours.means_[o], ref.means_[r], atol=PARAM_ATOL)
    np.testing.assert_allclose(ours.covariances_[o], ref.covariances_[r], atol=PARAM_ATOL)
    np.testing.assert_allclose(ours.score(X), ref.score(X), atol=PARAM_ATOL)
    np.testing.assert_allclose(ours.predict_proba(X)[:, o], ref.predict_proba(X)[:, r], atol=PARAM_ATOL)
    assert ours.converged_


def test_score_is_the_mean_log_likelihood(shaped_blobs, rng):
    # Check score / score_samples on new points against the mixture density built from scipy.
    X, _ = shaped_blobs
    model = ex.GaussianMixture(3, random_state=0).fit(X)
    X_new = rng.uniform(-5, 10, size=(50, 2))
    log_joint = np.column_stack([
        np.log(model.weights_[j]) + multivariate_normal(model.means_[j], model.covariances_[j]).logpdf(X_new)
        for j in range(3)
    ])
    np.testing.assert_allclose(model.score_samples(X_new), scipy_logsumexp(log_joint, axis=1), atol=1e-9)
    np.testing.assert_allclose(model.score(X_new), scipy_logsumexp(log_joint, axis=1).mean(), atol=1e-9)


def test_far_away_points_get_finite_responsibilities(shaped_blobs):
    # Check that a point 1000 away from every component (all densities underflow to 0) still gets
    # a probability row that sums to 1, and no NaN: the log-sum-exp at work.
    X, _ = shaped_blobs
    model = ex.GaussianMixture(3, random_state=0).fit(X)
    far = np.array([[1000.0, 1000.0], [-1000.0, 500.0]])
    proba = model.predict_proba(far)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=ATOL)
    assert np.all(np.isfinite(model.score_samples(far)))


def test_duplicate_points_are_held_by_reg_covar(shaped_blobs):
    # Check that a component on 40 copies of one point keeps covariance reg_covar * I (not a
    # singular matrix), with no warning; without reg_covar we get a clear error instead.
    X, _ = shaped_blobs
    X = np.vstack([X, np.tile([[20.0, -20.0]], (40, 1))])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = ex.GaussianMixture(4, reg_covar=1e-6, random_state=0).fit(X)
    j = np.argmin(((model.means_ - [20.0, -20.0]) ** 2).sum(axis=1))
    np.testing.assert_allclose(model.means_[j], [20.0, -20.0], atol=1e-8)
    np.testing.assert_allclose(model.covariances_[j], 1e-6 * np.eye(2), atol=1e-9)
    assert np.isfinite(model.score(X))
    with pytest.raises(ValueError, match="reg_covar"):
        ex.GaussianMixture(4, reg_covar=0.0, random_state=0).fit(X)


def test_constant_feature(shaped_blobs):
    # Check that a constant column (zero variance in every component) is held by reg_covar.
    X, _ = shaped_blobs
    X = np.column_stack([X, np.full(len(X), 4.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = ex.GaussianMixture(3, random_state=0).fit(X)
    np.testing.assert_allclose(model.covariances_[:, 2, 2], 1e-6, rtol=1e-6)
    assert np.all(np.isfinite(model.predict_proba(X)))


def test_restarts_keep_the_best_and_seeds_repeat(rng):
    # Check that more restarts never end lower than the first run alone (the first run is the same
    # for the same seed), and that the same seed gives the same model.
    X = rng.standard_normal((200, 2)) * [2.0, 1.0]
    one = ex.GaussianMixture(5, init_params="random", random_state=3).fit(X)
    five = ex.GaussianMixture(5, init_params="random", n_init=5, random_state=3).fit(X)
    assert five.lower_bound_ >= one.lower_bound_
    again = ex.GaussianMixture(5, init_params="random", random_state=3).fit(X)
    np.testing.assert_array_equal(one.means_, again.means_)


def test_predict_before_fit_is_refused():
    # Check the clear message when the model has not been fitted.
    with pytest.raises(NotFittedError, match="call fit"):
        ex.GaussianMixture(2).predict(np.zeros((3, 2)))


def test_bad_input_gets_a_clear_error(shaped_blobs):
    # Check too many components, unknown options, negative reg_covar and a wrong feature count.
    X, _ = shaped_blobs
    with pytest.raises(ValueError, match="n_samples=3 should be >= n_components=4"):
        ex.GaussianMixture(4).fit(X[:3])
    with pytest.raises(ValueError, match="covariance_type"):
        ex.GaussianMixture(2, covariance_type="spherical").fit(X)
    with pytest.raises(ValueError, match="init_params"):
        ex.GaussianMixture(2, init_params="k-means++").fit(X)
    with pytest.raises(ValueError, match="reg_covar"):
        ex.GaussianMixture(2, reg_covar=-1.0).fit(X)
    with pytest.raises(ValueError, match="X has 3 features, but GaussianMixture is expecting 2 features"):
        ex.GaussianMixture(2, random_state=0).fit(X).predict(np.zeros((1, 3)))
