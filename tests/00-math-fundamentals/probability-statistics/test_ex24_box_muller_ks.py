"""Tests for ex24_box_muller_ks: the normal density and CDF, Box-Muller draws, the KS distance."""

import numpy as np
import pytest
import scipy.stats

import utils

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex24_box_muller_ks.py")

RTOL = 1e-10
N_DRAWS = 40_000
N_SE = 4.0  # a seeded sample mean may miss its expectation by at most this many standard errors
KS_MAX = 1.63 / np.sqrt(N_DRAWS)  # the KS distance a correct sampler stays below 99 % of the time


def test_normal_density_and_cdf_match_scipy():
    # Check that the normal pdf and cdf agree with scipy.stats on a grid, for a shifted and scaled normal.
    x = np.linspace(-3, 6, 101)
    np.testing.assert_allclose(ex.normal_pdf(x, 1.0, 2.0), scipy.stats.norm.pdf(x, 1.0, 2.0), rtol=RTOL)
    np.testing.assert_allclose(ex.normal_cdf(x, 1.0, 2.0), scipy.stats.norm.cdf(x, 1.0, 2.0), rtol=1e-8)


def test_box_muller_gives_standard_normals(rng):
    # Check that the draws have mean 0, variance 1, a small KS distance to N(0, 1), and the requested (odd) size.
    z = ex.box_muller(N_DRAWS + 1, rng)
    assert z.shape == (N_DRAWS + 1,)
    assert abs(z.mean()) < N_SE / np.sqrt(z.size)
    assert abs(z.var(ddof=1) - 1) < N_SE * np.sqrt(2 / z.size)
    assert scipy.stats.kstest(z, "norm").statistic < KS_MAX
    # The two halves (cos and sin) are independent: their correlation is near 0.
    half = z.size // 2
    assert abs(np.corrcoef(z[:half], z[half : 2 * half])[0, 1]) < N_SE / np.sqrt(half)


def test_ks_statistic_matches_scipy(rng):
    # Check that our KS distance agrees with scipy.stats.kstest on a right and a wrong distribution.
    x = rng.standard_normal(500)
    for cdf in (scipy.stats.norm.cdf, scipy.stats.norm(0.3, 1.2).cdf, scipy.stats.expon.cdf):
        np.testing.assert_allclose(ex.ks_statistic(x, cdf), scipy.stats.kstest(x, cdf).statistic, rtol=RTOL)


def test_ks_statistic_by_hand():
    # Check that, worked by hand, one sample at 0.5 against Uniform(0, 1) has D = 0.5 (F(0.5) = 0.5, F_n jumps 0 -> 1);
    # samples [0.1, 0.2] against Uniform(0, 1): after the second jump F_n = 1, F = 0.2, so D = 0.8.
    uniform_cdf = lambda t: np.clip(t, 0, 1)  # noqa: E731
    assert ex.ks_statistic([0.5], uniform_cdf) == pytest.approx(0.5)
    assert ex.ks_statistic([0.2, 0.1], uniform_cdf) == pytest.approx(0.8)


def test_box_muller_is_reproducible_by_seed():
    # Check that the same seed gives the same draws.
    a = ex.box_muller(7, np.random.default_rng(3))
    b = ex.box_muller(7, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)


def test_bad_parameters_get_a_clear_error(rng):
    # Check that a non-positive sigma and a non-positive size get a clear error.
    with pytest.raises(ValueError, match="sigma"):
        ex.normal_pdf(0.0, 0.0, -1.0)
    with pytest.raises(ValueError, match="size"):
        ex.box_muller(0, rng)
