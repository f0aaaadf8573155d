"""Tests for ex21_centre_and_spread: mean, median, mode, variance and standard deviation."""

import numpy as np
import pytest
import scipy.stats

import utils

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex21_centre_and_spread.py")

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


def test_centre_and_spread_match_numpy(samples):
    # Check that mean, median, variance and std (both ddof) agree with NumPy on odd, even and tied samples.
    for x in samples:
        np.testing.assert_allclose(ex.mean(x), np.mean(x), rtol=RTOL)
        np.testing.assert_allclose(ex.median(x), np.median(x), rtol=RTOL)
        for ddof in (0, 1):
            np.testing.assert_allclose(ex.variance(x, ddof), np.var(x, ddof=ddof), rtol=RTOL)
            np.testing.assert_allclose(ex.std(x, ddof), np.std(x, ddof=ddof), rtol=RTOL)


def test_median_and_variance_by_hand():
    # Check that [3, 1, 10, 2] gives, worked by hand: sorted [1, 2, 3, 10], median (2 + 3) / 2 = 2.5;
    # mean 4, squared deviations 1, 4, 9, 36 sum to 50: variance 50/4 (ddof=0), 50/3 (ddof=1).
    x = [3.0, 1.0, 10.0, 2.0]
    assert ex.median(x) == pytest.approx(2.5)
    assert ex.median([5.0, 1.0, 3.0]) == pytest.approx(3.0)
    assert ex.variance(x, ddof=0) == pytest.approx(50 / 4)
    assert ex.variance(x, ddof=1) == pytest.approx(50 / 3)


def test_variance_survives_a_huge_offset(rng):
    # Check that the two-pass formula keeps the variance of values near 1e9 with spread 1
    # (the one-pass mean(x**2) - mean(x)**2 loses every digit here).
    x = 1e9 + rng.standard_normal(1000)
    np.testing.assert_allclose(ex.variance(x, 1), np.var(x - 1e9, ddof=1), rtol=1e-6)


def test_mode_takes_the_smallest_of_tied_values(samples):
    # Check that ties go to the smallest value ([2, 2, 1, 1, 3]: 1 and 2 both twice, so 1, by hand) as in scipy.stats.mode.
    assert ex.mode([2.0, 2.0, 1.0, 1.0, 3.0]) == (1.0, 2)
    assert ex.mode([0.5, -3.0, 0.5]) == (0.5, 2)
    for x in samples:
        ref = scipy.stats.mode(x)
        assert ex.mode(x) == (float(ref.mode), int(ref.count))


def test_a_single_value():
    # Check that a one-value sample works: every centre is the value, spread 0, and the sample
    # variance (n - 1 = 0) is refused.
    x = [4.2]
    assert ex.mean(x) == ex.median(x) == 4.2
    assert ex.mode(x) == (4.2, 1)
    assert ex.variance(x) == 0.0 and ex.std(x) == 0.0
    with pytest.raises(ValueError, match="at least 2"):
        ex.variance(x, ddof=1)


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear error: NaN, an empty sample, a 2-D array and a bad ddof.
    with pytest.raises(ValueError, match="NaN"):
        ex.mean([1.0, np.nan, 3.0])
    with pytest.raises(ValueError, match="non-empty"):
        ex.median([])
    with pytest.raises(ValueError, match="x must be a 1-D array"):
        ex.variance(np.ones((3, 2)))
    with pytest.raises(ValueError, match="ddof"):
        ex.variance([1.0, 2.0], ddof=2)
