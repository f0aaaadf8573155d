"""Tests for ex09_floating_point: against exact arithmetic (fractions, math.fsum).

RuntimeWarnings are errors in this suite, so every call at extreme inputs also checks
that nothing underflowed into a 0 / 0 along the way.
"""

import math
from fractions import Fraction

import numpy as np
import pytest

import utils

ex = utils.load_exercise("01-python-for-ml/ex09_floating_point.py")

EPS = np.finfo(float).eps
RTOL = 4 * EPS  # a stable float64 formula is good to a few units in the last place


def exact_one_minus_cos(x, terms=40):
    """(1 - cos x) / x^2 = sum_k (-1)^k x^(2k) / (2k + 2)!, summed exactly with fractions."""
    xf = Fraction(float(x))
    return float(sum(Fraction((-1) ** k, math.factorial(2 * k + 2)) * xf ** (2 * k) for k in range(terms)))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_machine_epsilon_matches_finfo(dtype):
    # Check that halving finds exactly np.finfo(dtype).eps (2^-10, 2^-23, 2^-52).
    assert ex.machine_epsilon(dtype) == float(np.finfo(dtype).eps)


def test_machine_epsilon_is_the_gap_above_one():
    # Check that the defining property holds: 1 + eps is the next float after 1, and 1 + eps/2 rounds back to 1.
    eps = ex.machine_epsilon()
    assert 1.0 + eps == np.nextafter(1.0, 2.0)
    assert 1.0 + eps / 2 == 1.0
    with pytest.raises(ValueError, match="floating-point"):
        ex.machine_epsilon(np.int32)


def test_stable_one_minus_cos_matches_the_exact_series():
    # Check that the rewritten formula agrees with the exact series (fractions) from x = 1e-8 to 3, and for negative x.
    xs = np.concatenate([np.logspace(-8, 0.5, 25), -np.logspace(-8, 0.5, 5)])
    expected = [exact_one_minus_cos(x) for x in xs]
    np.testing.assert_allclose(ex.one_minus_cos_stable(xs), expected, rtol=RTOL)


def test_stable_one_minus_cos_at_tiny_x():
    # Check that the limit 1/2 comes out where x^2 underflows to 0 (x = 1e-200), with no warning.
    np.testing.assert_allclose(ex.one_minus_cos_stable(np.array([1e-200, -1e-300])), 0.5, rtol=RTOL)


def test_naive_one_minus_cos_shows_cancellation():
    # Check that the naive formula is the literal one: accurate at x = 0.1, wrong in every digit at 1e-8
    # (cos(1e-8) rounds to exactly 1, so it returns 0 instead of 1/2).
    assert ex.one_minus_cos_naive(0.1) == pytest.approx(exact_one_minus_cos(0.1), rel=1e-12)
    assert ex.one_minus_cos_naive(1e-8) == 0.0


def test_one_minus_cos_refuses_zero():
    # Check that x = 0 gets a clear error naming the limit.
    with pytest.raises(ValueError, match="non-zero"):
        ex.one_minus_cos_stable(np.array([1.0, 0.0]))


def test_naive_sum_by_hand_in_float32():
    # Check that float32 loses the 1 (by hand): numbers near 1e8 are 8 apart, so 1e8 + 1 rounds back to 1e8 and then
    # subtracting 1e8 leaves 0 (math.fsum gives the true 1); float64 keeps the 1.
    values = [1e8, 1.0, -1e8]
    assert math.fsum(values) == 1.0
    assert ex.naive_sum(values, np.float32) == 0.0
    assert ex.naive_sum(values, np.float64) == 1.0


def test_naive_sum_is_the_running_sum(rng):
    # Check that naive_sum equals np.cumsum's last entry, the same left-to-right running sum, bit for bit.
    x = rng.standard_normal(1000)
    assert ex.naive_sum(x) == np.cumsum(x)[-1]
    x32 = x.astype(np.float32)
    assert ex.naive_sum(x32, np.float32) == float(np.cumsum(x32)[-1])


def test_pairwise_sum_by_hand():
    # Check that both sums match a hand calculation in float32, where numbers above 2^24 are 2 apart (ties round to an even significand):
    # naive, 2^24 + 1 rounds back to 2^24 four times -> 2^24.
    # Pairwise with blocks of 1: (2^24 + 1) -> 2^24, and (1 + (1 + 1)) = 3; 2^24 + 3 is a tie
    # between 2^24 + 2 and 2^24 + 4 and rounds to the even one, 2^24 + 4: the exact sum.
    values = [2.0**24, 1.0, 1.0, 1.0, 1.0]
    assert ex.naive_sum(values, np.float32) == 2.0**24
    assert ex.pairwise_sum(values, np.float32, block=1) == 2.0**24 + 4
    assert ex.pairwise_sum(values, np.float32, block=8) == 2.0**24  # one block: the same as naive


def test_pairwise_beats_naive_on_a_long_float32_sum():
    # Check that, against math.fsum for 2^14 copies of float32(0.1), the naive error grows with n (above 1e-5)
    # while the pairwise error stays near log2(n) u (below 1e-6).
    x = np.full(2**14, 0.1, dtype=np.float32)
    exact = math.fsum(x.tolist())
    assert abs(ex.naive_sum(x, np.float32) - exact) / exact > 1e-5
    assert abs(ex.pairwise_sum(x, np.float32) - exact) / exact < 1e-6


def test_pairwise_sum_float64_is_within_its_bound(rng):
    # Check that the error bound |pairwise - fsum| <= (log2(n) + block) u sum |x_i| holds in float64, with
    # cancellation (mixed signs) and an odd length.
    x = rng.standard_normal(3001) * 10.0 ** rng.integers(-3, 4, 3001)
    exact = math.fsum(x.tolist())
    bound = (math.log2(x.size) + 8) * (EPS / 2) * np.sum(np.abs(x))
    assert abs(ex.pairwise_sum(x) - exact) <= bound
    assert ex.pairwise_sum([]) == 0.0 and ex.naive_sum([]) == 0.0


def test_sums_refuse_bad_input():
    # Check that a non-float dtype, a 2-D array and a zero block size get clear errors.
    with pytest.raises(ValueError, match="floating-point"):
        ex.naive_sum([1, 2], np.int64)
    with pytest.raises(ValueError, match="1-D"):
        ex.pairwise_sum(np.ones((2, 2)))
    with pytest.raises(ValueError, match="block"):
        ex.pairwise_sum([1.0], block=0)
