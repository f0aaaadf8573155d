"""Tests for ex27_lln_clt: running means, the standard error, standardised means and the CLT."""

import numpy as np
import pytest
import scipy.stats

import utils

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex27_lln_clt.py")

RTOL = 1e-12
N_REPEATS = 20_000
N_SE = 4.0  # a seeded Monte Carlo estimate may miss by at most this many of its standard errors


def test_running_mean_by_hand():
    # Check that the running means of (2, 4, 6, 0) are 2, 3, 4, 3 (worked by hand).
    np.testing.assert_allclose(ex.running_mean([2.0, 4.0, 6.0, 0.0]), [2.0, 3.0, 4.0, 3.0], rtol=RTOL)
    np.testing.assert_allclose(ex.running_mean([5.0]), [5.0])


def test_running_mean_matches_the_cumsum_formula(rng):
    # Check that the running means equal cumsum(x) / (1, 2, ..., n), for one path and for several paths at once.
    x = rng.exponential(1.0, (4, 300))
    expected = np.cumsum(x, axis=-1) / np.arange(1, 301)
    np.testing.assert_allclose(ex.running_mean(x), expected, rtol=1e-10)
    np.testing.assert_allclose(ex.running_mean(x[2]), expected[2], rtol=1e-10)


def test_running_mean_settles_on_the_expectation(rng):
    # Check that after 20,000 draws every path is within a few standard errors of mu (the law of large numbers).
    n = 20_000
    paths = ex.running_mean(rng.exponential(2.0, (5, n)))
    assert np.all(np.abs(paths[:, -1] - 2.0) < N_SE * 2.0 / np.sqrt(n))


def test_sample_means_shape_and_expectation(rng):
    # Check that there is one mean per repeat, and that their average is mu within its standard error.
    draw = lambda r, shape: r.uniform(0.0, 1.0, shape)  # noqa: E731, mean 1/2, sd 1/sqrt(12)
    means = ex.sample_means(draw, 7, N_REPEATS, rng)
    assert means.shape == (N_REPEATS,)
    assert abs(means.mean() - 0.5) < N_SE * np.sqrt(1 / 12 / 7 / N_REPEATS)


def test_standard_error_shrinks_like_one_over_sqrt_n(rng):
    # Check that sd(X_bar_n) * sqrt(n) = sigma for each n, and the slope -1/2 on a log-log scale.
    ns = np.array([1, 4, 16, 64])
    sd = ex.spread_of_means(ex.exponential_draw, ns, N_REPEATS, rng)
    assert sd.shape == (4,)
    # The sd of a sample sd is about sd * sqrt((kurtosis - 1) / (4 m)); for these means kurtosis <= 9.
    np.testing.assert_allclose(sd * np.sqrt(ns), 1.0, rtol=N_SE * np.sqrt(8 / (4 * N_REPEATS)))
    slope = np.polyfit(np.log(ns), np.log(sd), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.02)


def test_standardized_means_have_mean_zero_and_sd_one(rng):
    # Check that Z has mean ~0 and sd ~1 for several n, which fails if sqrt(n) or sigma is misplaced.
    for n in (1, 5, 50):
        z = ex.standardized_means(ex.exponential_draw, 1.0, 1.0, n, N_REPEATS, rng)
        assert z.shape == (N_REPEATS,)
        assert abs(z.mean()) < N_SE / np.sqrt(N_REPEATS)
        assert abs(z.std(ddof=1) - 1.0) < N_SE * np.sqrt(8 / (4 * N_REPEATS))
    # A distribution with mu != 0 and sigma != 1: Uniform(2, 8) has mu = 5, sigma = sqrt(3).
    draw = lambda r, shape: r.uniform(2.0, 8.0, shape)  # noqa: E731
    z = ex.standardized_means(draw, 5.0, np.sqrt(3.0), 9, N_REPEATS, rng)
    assert abs(z.mean()) < N_SE / np.sqrt(N_REPEATS) and abs(z.std() - 1.0) < 0.03


def test_ks_distance_to_normal_decreases_with_n(rng):
    # Check that the KS distance of the standardised exponential means to N(0, 1) (the CLT)
    # falls as n grows (n = 1, 10, 50), and our distance agrees with scipy.stats.kstest.
    distances = []
    for n in (1, 10, 50):
        z = ex.standardized_means(ex.exponential_draw, 1.0, 1.0, n, N_REPEATS, rng)
        distances.append(ex.ks_distance_to_normal(z))
        np.testing.assert_allclose(distances[-1], scipy.stats.kstest(z, "norm").statistic, rtol=1e-8)
    assert distances[0] > distances[1] > distances[2]
    assert distances[0] > 0.1  # one exponential draw is far from normal (the exact distance is about 0.16)


def test_ks_distance_to_normal_matches_scipy(rng):
    # Check that the KS distance equals scipy.stats.kstest's statistic against N(0, 1), for normal and skewed samples.
    from scipy import stats

    for z in (rng.standard_normal(200), rng.exponential(1.0, 50) - 1.0, np.array([0.3])):
        np.testing.assert_allclose(ex.ks_distance_to_normal(z), stats.kstest(z, "norm").statistic, rtol=1e-10)


def test_bad_input_gets_a_clear_error(rng):
    # Check that bad input gets a clear error: an empty or 3-D array, a non-positive n and a non-positive sigma.
    with pytest.raises(ValueError, match=r"\(n_paths, n\)"):
        ex.running_mean(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"n >= 1"):
        ex.running_mean([])
    with pytest.raises(ValueError, match="n must be a positive integer"):
        ex.sample_means(ex.exponential_draw, 0, 10, rng)
    with pytest.raises(ValueError, match="sigma"):
        ex.standardized_means(ex.exponential_draw, 1.0, 0.0, 5, 10, rng)
