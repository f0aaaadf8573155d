"""Tests for ex05_outliers: z-score, Tukey fences and modified z-score."""

import numpy as np
import pytest
from scipy import stats

import utils

ex = utils.load_exercise("04-feature-engineering/ex05_outliers.py")

ATOL = 1e-12
RTOL = 1e-12


def test_zscores_match_scipy(rng):
    # Check (x - mean) / std with ddof = 0 against scipy.stats.zscore.
    x = rng.normal(5.0, 3.0, size=40)
    np.testing.assert_allclose(ex.zscores(x), stats.zscore(x), rtol=1e-10, atol=ATOL)


def test_zscores_of_a_constant_sample_are_zero():
    # Check the constant sample (std 0): no division by zero, nothing flagged, single value too.
    np.testing.assert_array_equal(ex.zscores([4.0, 4.0, 4.0]), [0.0, 0.0, 0.0])
    assert not ex.zscore_outliers([4.0]).any()


def test_zscore_rule_by_hand():
    # Check by hand: nine 0s and one 10: mean 1, std 3, z of the 10 is 3 (not > 3, so not flagged);
    # with threshold 2.9 it is flagged.
    x = np.array([0.0] * 9 + [10.0])
    np.testing.assert_allclose(ex.zscores(x)[-1], 3.0, rtol=1e-12)
    assert not ex.zscore_outliers(x).any()
    np.testing.assert_array_equal(ex.zscore_outliers(x, threshold=2.9), [False] * 9 + [True])


def test_tukey_fences_by_hand():
    # Check by hand for 1..8: Q1 = 2.75, Q3 = 6.25 (linear interpolation), IQR = 3.5,
    # fences 2.75 - 5.25 = -2.5 and 6.25 + 5.25 = 11.5.
    low, high = ex.tukey_fences(np.arange(1.0, 9.0))
    np.testing.assert_allclose([low, high], [-2.5, 11.5], atol=ATOL)
    # With 30 added (n = 9): Q1 = 3, Q3 = 7 (positions 2 and 6), fences -3 and 13: only 30 is out.
    np.testing.assert_array_equal(ex.iqr_outliers([1, 2, 3, 4, 5, 6, 7, 8, 30.0]).nonzero()[0], [8])


def test_tukey_fences_match_numpy_percentiles(rng):
    # Check against np.percentile for several k, including k = 0 (the quartiles themselves).
    x = rng.exponential(2.0, size=51)
    q1, q3 = np.percentile(x, [25, 75])
    for k in (0.0, 1.5, 3.0):
        np.testing.assert_allclose(ex.tukey_fences(x, k), (q1 - k * (q3 - q1), q3 + k * (q3 - q1)), rtol=RTOL)


def test_modified_zscores_match_scipy_mad(rng):
    # Check 0.6745 (x - median) / MAD with scipy.stats.median_abs_deviation (scale=1).
    x = rng.standard_t(3, size=45)
    expected = 0.6745 * (x - np.median(x)) / stats.median_abs_deviation(x)
    np.testing.assert_allclose(ex.modified_zscores(x), expected, rtol=1e-10, atol=ATOL)


def test_modified_zscores_when_mad_is_zero():
    # Check MAD = 0 (most values equal): values at the median score 0, others +-inf, no warning.
    z = ex.modified_zscores([3.0, 3.0, 3.0, 5.0, 1.0])
    np.testing.assert_array_equal(z, [0.0, 0.0, 0.0, np.inf, -np.inf])
    np.testing.assert_array_equal(ex.mad_outliers([3.0, 3.0, 3.0, 5.0]), [False, False, False, True])


def test_masking_fools_the_zscore_but_not_the_mad(rng):
    # Check the lesson's claim: two enormous values hide a moderate one from the z-score rule,
    # while the MAD rule finds all three.
    x = np.concatenate([rng.normal(0, 1, 100), [8.0, 500.0, -600.0]])
    assert not ex.zscore_outliers(x)[100]
    np.testing.assert_array_equal(np.flatnonzero(ex.mad_outliers(x))[-3:], [100, 101, 102])


def test_rules_reject_bad_samples():
    # Check that NaN, 2-D input and empty samples get a clear error.
    for bad in ([1.0, np.nan], [[1.0, 2.0]], []):
        with pytest.raises(ValueError, match="x"):
            ex.mad_outliers(bad)
    with pytest.raises(ValueError, match="k must be"):
        ex.tukey_fences([1.0, 2.0], k=-1)
