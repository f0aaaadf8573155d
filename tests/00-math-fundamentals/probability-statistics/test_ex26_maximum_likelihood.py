"""Tests for ex26_maximum_likelihood: Bernoulli and Gaussian MLE, log-likelihoods, numeric maximisation."""

import numpy as np
import pytest
import scipy.stats

import utils
from utils import gradcheck

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex26_maximum_likelihood.py")

RTOL = 1e-10
GRID = np.linspace(0.0, 1.0, 10_001)  # spacing 1e-4
GRAD_TOL = 1e-6
ASCENT_RTOL = 1e-6


def test_bernoulli_log_likelihood_matches_scipy(rng):
    # Check that l(p) equals the sum of scipy.stats.bernoulli.logpmf, for scalar and grid p.
    x = (rng.random(40) < 0.35).astype(int)
    p = np.array([0.01, 0.2, 0.35, 0.5, 0.99])
    expected = np.array([scipy.stats.bernoulli.logpmf(x, q).sum() for q in p])
    np.testing.assert_allclose(ex.bernoulli_log_likelihood(p, x), expected, rtol=RTOL)
    np.testing.assert_allclose(ex.bernoulli_log_likelihood(0.35, x), expected[2], rtol=RTOL)


def test_bernoulli_mle_is_the_mean_and_the_grid_argmax(rng):
    # Check that the MLE is the closed form (the fraction of ones) and that a grid search lands on it.
    for n, p in [(10, 0.3), (57, 0.8), (200, 0.5)]:
        x = (rng.random(n) < p).astype(int)
        assert ex.bernoulli_mle(x) == pytest.approx(x.mean())
        p_grid = ex.grid_argmax(ex.bernoulli_log_likelihood(GRID, x), GRID)
        assert abs(p_grid - x.mean()) <= 1e-4


def test_bernoulli_edge_cases_are_stable():
    # Check that all-zeros and all-ones data work: the MLE is 0 or 1, the log-likelihood there is 0
    # (probability 1), the grid search finds the edge, and nothing warns (warnings are errors).
    zeros, ones = np.zeros(8), np.ones(8)
    assert ex.bernoulli_mle(zeros) == 0.0 and ex.bernoulli_mle(ones) == 1.0
    assert ex.bernoulli_log_likelihood(0.0, zeros) == 0.0
    assert ex.bernoulli_log_likelihood(1.0, ones) == 0.0
    assert ex.grid_argmax(ex.bernoulli_log_likelihood(GRID, zeros), GRID) == 0.0
    assert ex.grid_argmax(ex.bernoulli_log_likelihood(GRID, ones), GRID) == 1.0
    # By hand: 8 tails at p = 0.5 have probability 2^-8.
    assert ex.bernoulli_log_likelihood(0.5, zeros) == pytest.approx(8 * np.log(0.5))
    # Data that are impossible under p (a head when p = 0) get -inf, not nan.
    assert ex.bernoulli_log_likelihood(0.0, [0, 1, 0]) == -np.inf
    assert ex.bernoulli_log_likelihood(1.0, [0, 1, 0]) == -np.inf


def test_gaussian_log_likelihood_matches_scipy(rng):
    # Check that l(mu, sigma2) equals the sum of scipy.stats.norm.logpdf, and that grids broadcast.
    x = rng.normal(1.0, 2.0, 30)
    mus = np.array([-1.0, 0.0, 1.5])[:, None]  # (3, 1)
    sigma2s = np.array([0.5, 4.0])[None, :]  # (1, 2)
    expected = np.array([[scipy.stats.norm.logpdf(x, m, np.sqrt(s)).sum() for s in sigma2s[0]] for m in mus[:, 0]])
    result = ex.gaussian_log_likelihood(mus, sigma2s, x)
    assert result.shape == (3, 2)
    np.testing.assert_allclose(result, expected, rtol=RTOL)


def test_gaussian_mle_matches_scipy_norm_fit(rng):
    # Check that (mu_hat, sigma2_hat) agrees with scipy.stats.norm.fit, which returns the MLE (loc, scale).
    for n in (2, 15, 400):
        x = rng.normal(-3.0, 0.7, n)
        loc, scale = scipy.stats.norm.fit(x)
        mu, s2 = ex.gaussian_mle(x)
        np.testing.assert_allclose([mu, s2], [loc, scale**2], rtol=1e-9)


def test_gaussian_mle_variance_is_biased_by_hand():
    # Check that x = (0, 2), with mean 1 and squared deviations 1 + 1, has MLE variance
    # 2 / 2 = 1 (the unbiased ddof=1 value would be 2), worked by hand.
    assert ex.gaussian_mle([0.0, 2.0]) == pytest.approx((1.0, 1.0))


def test_gaussian_mle_maximises_the_log_likelihood(rng):
    # Check that nudging mu or sigma2 away from the closed form lowers the log-likelihood.
    x = rng.normal(0.5, 1.2, 50)
    mu, s2 = ex.gaussian_mle(x)
    best = ex.gaussian_log_likelihood(mu, s2, x)
    for dmu, ds2 in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        assert ex.gaussian_log_likelihood(mu + dmu, s2 + ds2, x) < best


def test_gaussian_score_passes_a_gradient_check(rng):
    # Check that the analytic gradient of l/n in (mu, log sigma) agrees with central differences.
    x = rng.normal(1.0, 2.0, 25)
    n = x.size
    for theta in (np.array([0.3, -0.2]), np.array([2.0, 1.1])):
        f = lambda t: ex.gaussian_log_likelihood(t[0], np.exp(2 * t[1]), x) / n  # noqa: E731
        gradcheck.check_gradient(f, theta.copy(), ex.gaussian_score(theta[0], theta[1], x), tol=GRAD_TOL)


def test_gradient_ascent_reaches_the_closed_form(rng):
    # Check that gradient ascent from (0, 0) converges to the closed-form MLE, where the score is 0.
    x = rng.normal(2.0, 1.5, 60)
    mu, s2, path = ex.gaussian_mle_gradient_ascent(x, learning_rate=0.1, n_steps=3000)
    np.testing.assert_allclose([mu, s2], [x.mean(), x.var()], rtol=ASCENT_RTOL)
    assert path.shape == (3001, 2)
    np.testing.assert_allclose(path[0], [0.0, 1.0])  # sigma = exp(0) at the start
    np.testing.assert_allclose(ex.gaussian_score(mu, 0.5 * np.log(s2), x), [0.0, 0.0], atol=1e-8)


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear error: non-binary Bernoulli data, p outside [0, 1], a non-positive variance, empty data.
    with pytest.raises(ValueError, match="0s and 1s"):
        ex.bernoulli_mle([0, 1, 2])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ex.bernoulli_log_likelihood(1.5, [0, 1])
    with pytest.raises(ValueError, match="positive"):
        ex.gaussian_log_likelihood(0.0, 0.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="non-empty"):
        ex.gaussian_mle([])
