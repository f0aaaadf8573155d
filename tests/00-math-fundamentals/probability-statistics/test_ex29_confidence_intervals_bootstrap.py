"""Tests for ex29_confidence_intervals_bootstrap: t and z intervals, coverage, bootstrap, permutation test."""

import itertools

import numpy as np
import pytest
import scipy.stats

import utils

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex29_confidence_intervals_bootstrap.py")

RTOL = 1e-10
N_SE = 4.0  # a seeded Monte Carlo estimate may miss by at most this many of its standard errors
N_TRIALS = 4000


def test_quantile_tables_match_scipy():
    # Check that the tabulated critical values agree with scipy's quantile functions.
    np.testing.assert_allclose(ex.Z_975, scipy.stats.norm.ppf(0.975), rtol=1e-12)
    for df, t in ex.T_975.items():
        np.testing.assert_allclose(t, scipy.stats.t.ppf(0.975, df), rtol=1e-6)


def test_mean_interval_by_hand():
    # Check that x = (2, 4) gives, worked by hand: mean 3, s = sqrt(2) (ddof = 1), standard error sqrt(2)/sqrt(2) = 1,
    # so with c = 1.96 the interval is (3 - 1.96, 3 + 1.96).
    low, high = ex.mean_confidence_interval([2.0, 4.0], 1.96)
    assert (low, high) == pytest.approx((1.04, 4.96))


def test_mean_interval_matches_scipy_t_and_normal(rng):
    # Check that the t interval agrees with scipy.stats.t.interval and the z interval with scipy.stats.norm.interval.
    for n in (2, 10, 60):
        x = rng.normal(3.0, 2.0, n)
        sem = scipy.stats.sem(x)
        expected_t = scipy.stats.t.interval(0.95, n - 1, loc=x.mean(), scale=sem)
        expected_z = scipy.stats.norm.interval(0.95, loc=x.mean(), scale=sem)
        t_crit = scipy.stats.t.ppf(0.975, n - 1)
        np.testing.assert_allclose(ex.mean_confidence_interval(x, t_crit), expected_t, rtol=RTOL)
        np.testing.assert_allclose(ex.mean_confidence_interval(x, ex.Z_975), expected_z, rtol=RTOL)


def test_mean_interval_works_row_by_row(rng):
    # Check that a (n_samples, n) array gives one interval per row, the same as row by row.
    X = rng.standard_normal((6, 8))
    low, high = ex.mean_confidence_interval(X, 2.0)
    assert low.shape == high.shape == (6,)
    for i in range(6):
        np.testing.assert_allclose((low[i], high[i]), ex.mean_confidence_interval(X[i], 2.0), rtol=RTOL)


def test_coverage_is_near_the_nominal_level():
    # Check that t intervals on normal data cover the true mean 95 % of the time (within Monte
    # Carlo error), and that the normal approximation undercovers for small n.
    se = np.sqrt(0.95 * 0.05 / N_TRIALS)
    t9 = scipy.stats.t.ppf(0.975, 9)
    cov_t = ex.coverage(ex.normal_draw, 5.0, 10, N_TRIALS, t9, random_state=0)
    assert abs(cov_t - 0.95) < N_SE * se
    cov_z = ex.coverage(ex.normal_draw, 5.0, 5, N_TRIALS, scipy.stats.norm.ppf(0.975), random_state=0)
    cov_t4 = ex.coverage(ex.normal_draw, 5.0, 5, N_TRIALS, scipy.stats.t.ppf(0.975, 4), random_state=0)
    assert cov_z < cov_t4 - 0.03  # theory: about 0.88 against 0.95


def test_bootstrap_is_reproducible_and_resamples_the_data(rng):
    # Check that a seed fixes the result, another seed changes it, and every resample median
    # (odd n) is one of the data values: the resamples draw from x itself.
    x = rng.exponential(1.0, 31)
    a = ex.bootstrap_distribution(x, np.median, 500, random_state=7)
    b = ex.bootstrap_distribution(x, np.median, 500, random_state=7)
    c = ex.bootstrap_distribution(x, np.median, 500, random_state=8)
    assert a.shape == (500,)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert np.all(np.isin(a, x))
    assert ex.bootstrap_percentile_ci(x, random_state=3) == ex.bootstrap_percentile_ci(x, random_state=3)


def test_bootstrap_interval_contains_the_statistic_and_matches_scipy(rng):
    # Check that the interval holds the sample statistic, that a constant sample gives a
    # zero-width interval, and that the endpoints for the mean agree with
    # scipy.stats.bootstrap(method="percentile") within Monte Carlo error.
    x = rng.normal(0.0, 1.0, 50)
    low, high = ex.bootstrap_percentile_ci(x, np.median, random_state=0)
    assert low <= np.median(x) <= high
    assert ex.bootstrap_percentile_ci(np.full(9, 2.5), np.median, random_state=0) == (2.5, 2.5)
    ours = ex.bootstrap_percentile_ci(x, np.mean, 0.9, n_resamples=5000, random_state=1)
    ref = scipy.stats.bootstrap((x,), np.mean, confidence_level=0.9, n_resamples=5000, method="percentile", rng=2)
    np.testing.assert_allclose(ours, (ref.confidence_interval.low, ref.confidence_interval.high), atol=0.03)


def _exact_two_sided_p(x, y):
    """Exact permutation p-value by enumerating every split of the pooled data (independent reference)."""
    pooled = np.concatenate([x, y])
    observed = abs(x.mean() - y.mean())
    count = total = 0
    for idx in itertools.combinations(range(pooled.size), x.size):
        mask = np.zeros(pooled.size, dtype=bool)
        mask[list(idx)] = True
        total += 1
        count += abs(pooled[mask].mean() - pooled[~mask].mean()) >= observed - 1e-12
    return count / total


def test_permutation_p_value_matches_exact_enumeration():
    # Check that on a tiny sample (4 + 4 values, 70 splits) the Monte Carlo p-value is within
    # its standard error of the exact one (by hand: the observed split is the most extreme, p = 2/70).
    x, y = np.array([5.1, 6.3, 5.8, 7.0]), np.array([4.0, 4.4, 5.0, 3.9])
    exact = _exact_two_sided_p(x, y)
    assert exact == pytest.approx(2 / 70)
    B = 20_000
    observed, p, null = ex.permutation_test(x, y, n_resamples=B, random_state=0)
    assert observed == pytest.approx(x.mean() - y.mean())
    assert null.shape == (B,)
    assert abs(p - exact) < N_SE * np.sqrt(exact * (1 - exact) / B) + 1 / B


def test_permutation_p_value_matches_scipy(rng):
    # Check that the p-value agrees with scipy.stats.permutation_test with the same statistic and two-sided alternative.
    x, y = rng.normal(0.0, 1.0, 15), rng.normal(0.7, 1.0, 18)
    B = 9999
    _, p, _ = ex.permutation_test(x, y, n_resamples=B, random_state=1)
    ref = scipy.stats.permutation_test(
        (x, y), lambda a, b, axis: a.mean(axis=axis) - b.mean(axis=axis), vectorized=True,
        permutation_type="independent", alternative="two-sided", n_resamples=B, rng=2,
    )
    assert abs(p - ref.pvalue) < N_SE * np.sqrt(2 * ref.pvalue * (1 - ref.pvalue) / B) + 2 / B


def test_permutation_p_value_edge_cases(rng):
    # Check that identical groups give p = 1 (d = 0: every relabelling is as extreme) and far-apart groups
    # (p is never 0: the +1 correction gives at least 1/(B + 1)).
    x = rng.standard_normal(12)
    _, p_same, _ = ex.permutation_test(x, x.copy(), n_resamples=999, random_state=0)
    assert p_same == 1.0
    _, p_far, _ = ex.permutation_test(x + 100.0, x, n_resamples=999, random_state=0)
    assert 1 / 1000 <= p_far <= 3 / 1000


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear error: a one-value sample, a non-positive critical value, a bad confidence, empty groups.
    with pytest.raises(ValueError, match="n >= 2"):
        ex.mean_confidence_interval([1.0], 1.96)
    with pytest.raises(ValueError, match="positive"):
        ex.mean_confidence_interval([1.0, 2.0], -1.0)
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        ex.bootstrap_percentile_ci([1.0, 2.0, 3.0], confidence=95)
    with pytest.raises(ValueError, match="non-empty"):
        ex.permutation_test([], [1.0, 2.0])
