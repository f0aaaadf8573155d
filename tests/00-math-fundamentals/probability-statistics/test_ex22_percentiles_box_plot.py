"""Tests for ex22_percentiles_box_plot: percentiles, the IQR, skewness and box-plot statistics."""

import numpy as np
import pytest
import scipy.stats
from matplotlib import cbook

import utils

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex22_percentiles_box_plot.py")

RTOL = 1e-12
ATOL = 1e-12


@pytest.fixture
def samples(rng):
    # Odd and even lengths, a skewed one, and one with many repeated values.
    return [
        rng.standard_normal(7),
        rng.standard_normal(10),
        rng.exponential(2.0, 101),
        rng.integers(0, 5, 40).astype(float),
    ]


def test_percentiles_match_numpy_linear_interpolation(samples):
    # Check that many percentiles, including the ends 0 and 100, agree with np.percentile's default.
    q = np.array([0, 1, 10, 25, 33.3, 50, 75, 90, 99, 100])
    for x in samples:
        np.testing.assert_allclose(ex.percentile(x, q), np.percentile(x, q), rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(ex.percentile(x, 37.5), np.percentile(x, 37.5), rtol=RTOL, atol=ATOL)


def test_percentile_by_hand():
    # Check that sorted [10, 20, 30, 40] gives, worked by hand: q = 25 sits at index 3 * 0.25 = 0.75,
    # three quarters from 10 to 20, so 17.5; q = 50 at index 1.5, so 25.
    x = [40.0, 10.0, 30.0, 20.0]
    np.testing.assert_allclose(ex.percentile(x, [25, 50, 100]), [17.5, 25.0, 40.0], rtol=RTOL)


def test_iqr_matches_scipy(samples):
    # Check that the interquartile range agrees with scipy.stats.iqr.
    for x in samples:
        np.testing.assert_allclose(ex.iqr(x), scipy.stats.iqr(x), rtol=RTOL, atol=ATOL)


def test_skewness_matches_scipy_and_has_the_right_sign(samples, rng):
    # Check that the biased skewness agrees with scipy.stats.skew, is positive on a right-skewed
    # sample, and 0 for a sample that is symmetric about its mean.
    for x in samples:
        np.testing.assert_allclose(ex.skewness(x), scipy.stats.skew(x), rtol=1e-10)
    assert ex.skewness(rng.exponential(1.0, 500)) > 0
    assert ex.skewness(-rng.exponential(1.0, 500)) < 0
    assert ex.skewness([-2.0, -1.0, 0.0, 1.0, 2.0]) == pytest.approx(0.0, abs=ATOL)


def test_skewness_is_scale_and_shift_invariant(rng):
    # Check that g_1 does not change when the data are shifted or stretched by a positive factor.
    x = rng.gamma(2.0, size=50)
    np.testing.assert_allclose(ex.skewness(3.0 * x + 7.0), ex.skewness(x), rtol=1e-10)


def test_a_single_value():
    # Check that a one-value sample works: every percentile is the value and the IQR is 0.
    x = [4.2]
    assert ex.percentile(x, 30) == ex.percentile(x, 100) == 4.2
    assert ex.iqr(x) == 0.0


def test_box_plot_stats_match_matplotlib(rng):
    # Check that the box, whiskers and outliers agree with matplotlib's own boxplot_stats.
    x = np.concatenate([rng.standard_normal(60), [6.0, -5.0, 8.5]])
    ours, ref = ex.box_plot_stats(x), cbook.boxplot_stats(x)[0]
    for key in ("q1", "med", "q3", "whislo", "whishi", "mean"):
        np.testing.assert_allclose(ours[key], ref[key], rtol=RTOL, err_msg=key)
    np.testing.assert_allclose(np.sort(ours["fliers"]), np.sort(ref["fliers"]), rtol=RTOL)


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear error: inf, an empty sample, a constant sample's skewness
    # and an out-of-range percentile.
    with pytest.raises(ValueError, match="NaN"):
        ex.percentile([1.0, np.inf], 50)
    with pytest.raises(ValueError, match="non-empty"):
        ex.box_plot_stats([])
    with pytest.raises(ValueError, match="constant"):
        ex.skewness([3.0, 3.0, 3.0])
    with pytest.raises(ValueError, match=r"\[0, 100\]"):
        ex.percentile([1.0, 2.0], 101)
