"""Tests for ex23_distributions_inverse_transform: pmfs, densities, CDFs and inverse-transform samplers."""

import numpy as np
import pytest
import scipy.stats

import utils

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex23_distributions_inverse_transform.py")

RTOL = 1e-10
N_DRAWS = 40_000
N_SE = 4.0  # a seeded sample mean may miss its expectation by at most this many standard errors
KS_MAX = 1.63 / np.sqrt(N_DRAWS)  # the KS distance a correct sampler stays below 99 % of the time


def test_densities_match_scipy():
    # Check that each pmf / pdf / cdf agrees with scipy.stats on a grid (outside the support too).
    x = np.linspace(-3, 6, 101)
    k = np.arange(11)
    np.testing.assert_allclose(ex.binomial_pmf(k, 10, 0.35), scipy.stats.binom.pmf(k, 10, 0.35), rtol=RTOL)
    np.testing.assert_allclose(ex.binomial_pmf([0, 1], 1, 0.2), scipy.stats.bernoulli.pmf([0, 1], 0.2), rtol=RTOL)
    np.testing.assert_allclose(ex.uniform_pdf(x, -1.0, 2.0), scipy.stats.uniform.pdf(x, -1.0, 3.0), rtol=RTOL)
    np.testing.assert_allclose(ex.exponential_pdf(x, 1.5), scipy.stats.expon.pdf(x, scale=1 / 1.5), rtol=RTOL)
    np.testing.assert_allclose(ex.exponential_cdf(x, 1.5), scipy.stats.expon.cdf(x, scale=1 / 1.5), rtol=RTOL)


def test_binomial_pmf_sums_to_one_even_at_the_edges():
    # Check that the pmf sums to 1, and that p = 0 and p = 1 put all mass on 0 and n (no warnings).
    k = np.arange(21)
    for p in (0.0, 0.3, 1.0):
        np.testing.assert_allclose(ex.binomial_pmf(k, 20, p).sum(), 1.0, rtol=RTOL)
    assert ex.binomial_pmf(0, 20, 0.0) == 1.0 and ex.binomial_pmf(20, 20, 1.0) == 1.0


def test_exponential_inverse_cdf_matches_scipy_ppf():
    # Check that F^{-1}(u) agrees with scipy.stats.expon.ppf, including u = 0 and u near 1.
    u = np.array([0.0, 1e-12, 0.1, 0.5, 0.9, 1 - 1e-12])
    np.testing.assert_allclose(ex.exponential_inverse_cdf(u, 2.0), scipy.stats.expon.ppf(u, scale=0.5), rtol=1e-9)


def test_exponential_sampler_moments_and_ks(rng):
    # Check that the draws have mean 1/rate and variance 1/rate^2 within a few standard errors, and a small KS distance.
    rate = 2.5
    x = ex.sample_exponential(rate, N_DRAWS, rng)
    assert x.shape == (N_DRAWS,) and x.min() >= 0
    assert abs(x.mean() - 1 / rate) < N_SE * (1 / rate) / np.sqrt(N_DRAWS)
    # The variance of the sample variance of an exponential is (mu_4 - sigma^4)/n = 8 / (rate^4 n).
    assert abs(x.var(ddof=1) - 1 / rate**2) < N_SE * np.sqrt(8 / N_DRAWS) / rate**2
    assert scipy.stats.kstest(x, scipy.stats.expon(scale=1 / rate).cdf).statistic < KS_MAX


def test_discrete_inverse_cdf_by_hand():
    # Check that p = (0.2, 0.5, 0.3) cuts [0, 1) at 0.2 and 0.7 (worked by hand), and that a zero-probability
    # category is never chosen, even for u exactly at a cut.
    u = [0.0, 0.19, 0.2, 0.69, 0.7, 0.999999]
    np.testing.assert_array_equal(ex.discrete_inverse_cdf([0.2, 0.5, 0.3], u), [0, 0, 1, 1, 2, 2])
    np.testing.assert_array_equal(ex.discrete_inverse_cdf([0.0, 0.5, 0.0, 0.5], [0.0, 0.5, 0.4999]), [1, 3, 1])


def test_discrete_sampler_frequencies(rng):
    # Check that each category's frequency is within a few standard errors of its probability.
    probs = np.array([0.05, 0.0, 0.5, 0.15, 0.3])
    draws = ex.sample_discrete(probs, N_DRAWS, rng)
    assert draws.shape == (N_DRAWS,) and draws.min() >= 0 and draws.max() < probs.size
    freq = np.bincount(draws, minlength=probs.size) / N_DRAWS
    se = np.sqrt(probs * (1 - probs) / N_DRAWS)
    assert np.all(np.abs(freq - probs) <= N_SE * se)
    assert freq[1] == 0.0


def test_simple_samplers_moments(rng):
    # Check that Bernoulli, binomial and uniform draws match their means within a few standard errors.
    b = ex.sample_bernoulli(0.3, N_DRAWS, rng)
    assert set(np.unique(b)) <= {0, 1}
    assert abs(b.mean() - 0.3) < N_SE * np.sqrt(0.21 / N_DRAWS)
    k = ex.sample_binomial(12, 0.4, N_DRAWS, rng)
    assert abs(k.mean() - 4.8) < N_SE * np.sqrt(12 * 0.24 / N_DRAWS)
    u = ex.sample_uniform(-1.0, 3.0, N_DRAWS, rng)
    assert -1.0 <= u.min() and u.max() < 3.0
    assert abs(u.mean() - 1.0) < N_SE * np.sqrt(16 / 12 / N_DRAWS)


def test_samplers_are_reproducible_by_seed():
    # Check that the same seed gives the same draws.
    c = ex.sample_discrete([0.5, 0.5], 9, np.random.default_rng(3))
    np.testing.assert_array_equal(c, ex.sample_discrete([0.5, 0.5], 9, np.random.default_rng(3)))


@pytest.mark.parametrize(
    "probs, message",
    [
        ([0.5, -0.1, 0.6], "non-negative"),
        ([0.2, 0.2], "sum to 1"),
        ([0.5, np.nan, 0.5], "finite"),
        ([[0.5, 0.5]], r"\(K,\)"),
    ],
    ids=["negative", "not-summing-to-one", "nan", "2-D"],
)
def test_bad_probabilities_get_a_clear_error(probs, message, rng):
    # Check that an invalid probability vector is refused with a message saying why.
    with pytest.raises(ValueError, match=message):
        ex.sample_discrete(probs, 5, rng)


def test_bad_parameters_get_a_clear_error(rng):
    # Check that bad parameters get a clear error: p outside [0, 1], a non-positive rate, a > b, u outside [0, 1).
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ex.sample_bernoulli(1.2, 5, rng)
    with pytest.raises(ValueError, match="rate"):
        ex.sample_exponential(0.0, 5, rng)
    with pytest.raises(ValueError, match="a < b"):
        ex.uniform_pdf(0.0, 2.0, 1.0)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        ex.exponential_inverse_cdf(1.0)
