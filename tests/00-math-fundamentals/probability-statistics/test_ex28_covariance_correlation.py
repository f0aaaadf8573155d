"""Tests for ex28_covariance_correlation: covariance and correlation matrices, ranks, Spearman's rho."""

import numpy as np
import pytest
import scipy.stats

import utils

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex28_covariance_correlation.py")

RTOL = 1e-10
ATOL = 1e-12


def test_covariance_matrix_matches_numpy(rng):
    # Check that the covariance agrees with np.cov with observations in rows (rowvar=False), both ddof, including d = 1.
    for n, d in [(50, 3), (2, 4), (10, 1)]:
        X = rng.standard_normal((n, d)) @ rng.standard_normal((d, d))
        for ddof in (0, 1):
            expected = np.atleast_2d(np.cov(X, rowvar=False, ddof=ddof))
            np.testing.assert_allclose(ex.covariance_matrix(X, ddof), expected, rtol=RTOL, atol=ATOL)


def test_covariance_by_hand():
    # Check that columns (1, 2, 3) and (2, 4, 9) give, worked by hand: means 2 and 5; deviations (-1, 0, 1) and
    # (-3, -1, 4); sums of products: 1 + 0 + 1 = 2, 9 + 1 + 16 = 26, 3 + 0 + 4 = 7; divide by n - 1 = 2.
    X = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 9.0]])
    np.testing.assert_allclose(ex.covariance_matrix(X), [[1.0, 3.5], [3.5, 13.0]], rtol=RTOL)


def test_covariance_survives_a_huge_offset(rng):
    # Check that centring first keeps the covariance right when the data sit near 1e9.
    X = rng.standard_normal((200, 2))
    np.testing.assert_allclose(ex.covariance_matrix(X + 1e9), np.cov(X, rowvar=False), rtol=1e-6)


def test_correlation_matrix_matches_numpy(rng):
    # Check that the correlation agrees with np.corrcoef, with an exact unit diagonal and symmetry.
    X = rng.standard_normal((40, 5)) @ rng.standard_normal((5, 5))
    R = ex.correlation_matrix(X)
    np.testing.assert_allclose(R, np.corrcoef(X, rowvar=False), rtol=RTOL, atol=ATOL)
    np.testing.assert_array_equal(np.diag(R), np.ones(5))
    np.testing.assert_allclose(R, R.T, atol=ATOL)


def test_pearson_by_hand_and_invariances(rng):
    # Check that r = +1 / -1 on exact lines (by hand), and that r is unchanged by positive affine
    # maps of either variable and flips sign under a negative scale.
    assert ex.pearson_correlation([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]) == pytest.approx(1.0)
    assert ex.pearson_correlation([1.0, 2.0, 3.0], [5.0, 3.0, 1.0]) == pytest.approx(-1.0)
    x, y = rng.standard_normal(30), rng.standard_normal(30)
    r = ex.pearson_correlation(x, y)
    np.testing.assert_allclose(ex.pearson_correlation(3 * x - 7, 0.5 * y + 100), r, rtol=1e-9)
    np.testing.assert_allclose(ex.pearson_correlation(-2 * x, y), -r, rtol=1e-9)
    np.testing.assert_allclose(r, scipy.stats.pearsonr(x, y).statistic, rtol=1e-9)


def test_rank_average_matches_scipy_with_ties(rng):
    # Check that ranks are averaged over ties ((10, 20, 20, 30) -> (1, 2.5, 2.5, 4) by hand) as in scipy.stats.rankdata.
    np.testing.assert_allclose(ex.rank_average([20.0, 10.0, 30.0, 20.0]), [2.5, 1.0, 4.0, 2.5])
    np.testing.assert_allclose(ex.rank_average([7.0, 7.0, 7.0]), [2.0, 2.0, 2.0])
    for x in (rng.standard_normal(25), rng.integers(0, 4, 30).astype(float), np.array([3.0])):
        np.testing.assert_allclose(ex.rank_average(x), scipy.stats.rankdata(x), rtol=RTOL)


def test_spearman_matches_scipy_with_ties(rng):
    # Check that Spearman's rho agrees with scipy.stats.spearmanr, on continuous and on heavily tied data.
    for x, y in [
        (rng.standard_normal(40), rng.standard_normal(40)),
        (rng.integers(0, 5, 60).astype(float), rng.integers(0, 3, 60).astype(float)),
    ]:
        y = y + 0.5 * x
        np.testing.assert_allclose(ex.spearman_correlation(x, y), scipy.stats.spearmanr(x, y).statistic, rtol=1e-9)


def test_spearman_sees_monotone_curves_and_resists_outliers(rng):
    # Check that the lesson holds: rho = 1 for an increasing nonlinear curve where Pearson's r < 1, and one
    # outlier that drags Pearson's r up barely moves rho.
    x = rng.uniform(0, 1, 60)
    assert ex.spearman_correlation(x, np.exp(8 * x)) == pytest.approx(1.0)
    assert ex.pearson_correlation(x, np.exp(8 * x)) < 0.9
    a, b = rng.standard_normal(60), rng.standard_normal(60)
    a_out, b_out = np.r_[a, 40.0], np.r_[b, 40.0]
    assert ex.pearson_correlation(a_out, b_out) > 0.5 + abs(ex.pearson_correlation(a, b))
    assert abs(ex.spearman_correlation(a_out, b_out) - ex.spearman_correlation(a, b)) < 0.1


def test_constant_variable_is_refused():
    # Check that a constant variable (0/0 correlation) gets a clear error instead of nan.
    with pytest.raises(ValueError, match="constant"):
        ex.pearson_correlation([1.0, 2.0, 3.0], [5.0, 5.0, 5.0])
    with pytest.raises(ValueError, match="constant"):
        ex.spearman_correlation([4.0, 4.0, 4.0, 4.0], [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match=r"column\(s\) \[1\]"):
        ex.correlation_matrix(np.array([[1.0, 2.0], [3.0, 2.0], [5.0, 2.0]]))


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear error: mismatched lengths, too few rows, NaN, a 1-D X and a bad ddof.
    with pytest.raises(ValueError, match="same length"):
        ex.pearson_correlation([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="same length"):
        ex.spearman_correlation([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="n_samples >= 2"):
        ex.covariance_matrix(np.ones((1, 3)))
    with pytest.raises(ValueError, match="NaN"):
        ex.covariance_matrix(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(ValueError, match=r"\(n_samples, n_features\)"):
        ex.covariance_matrix(np.ones(5))
    with pytest.raises(ValueError, match="ddof"):
        ex.covariance_matrix(np.ones((3, 2)), ddof=2)
