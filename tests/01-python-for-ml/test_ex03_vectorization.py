"""Tests for ex03_vectorization: the three versions of each computation agree; the timer takes a median.

No test measures speed (that depends on the machine); the timer is checked with a fake clock.
"""

import math

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax
from scipy.spatial.distance import cdist

import utils

ex = utils.load_exercise("01-python-for-ml/ex03_vectorization.py")

RTOL = 1e-12  # the versions add the same terms in different orders
ATOL_SUM = 1e-12  # for sums with cancellation: relative to sum |terms|, see each test
ATOL_EXPANSION = 1e-10  # ||x||^2 + ||y||^2 - 2 x.y loses about eps * ||x||^2 to cancellation
RTOL_EXP = 1e-13  # math.exp and np.exp may differ in the last bit or two


def test_dot_by_hand():
    # Check that (1, 2, 3) . (4, -5, 6) = 4 - 10 + 18 = 12 in all three versions (worked by hand).
    x, y = [1.0, 2.0, 3.0], [4.0, -5.0, 6.0]
    assert ex.dot_python(x, y) == 12.0
    assert ex.dot_loop(np.array(x), np.array(y)) == 12.0
    assert ex.dot_vectorized(np.array(x), np.array(y)) == 12.0


def test_dot_versions_agree(rng):
    # Check that the two loops add in the same order (identical results) and that the vectorized
    # version matches math.fsum of the products (the correctly rounded sum) to round-off.
    x, y = rng.standard_normal(1000), rng.standard_normal(1000)
    exact = math.fsum((x * y).tolist())
    scale = np.sum(np.abs(x * y))  # cancellation makes a relative error on the result meaningless
    assert ex.dot_python(x.tolist(), y.tolist()) == ex.dot_loop(x, y)
    for value in (ex.dot_python(x.tolist(), y.tolist()), ex.dot_loop(x, y), ex.dot_vectorized(x, y)):
        assert abs(value - exact) <= ATOL_SUM * scale


def test_dot_refuses_different_lengths():
    # Check that mismatched lengths get a clear error in every version.
    with pytest.raises(ValueError, match="same length"):
        ex.dot_python([1.0, 2.0], [1.0])
    for fn in (ex.dot_loop, ex.dot_vectorized):
        with pytest.raises(ValueError, match="same shape"):
            fn(np.ones(2), np.ones(3))


def test_pairwise_by_hand():
    # Check that (0,0)-(3,4) is 25, (1,2)-(3,4) is 4 + 4 = 8, (1,2)-(1,2) is 0 (worked by hand).
    X, Y = [[0.0, 0.0], [1.0, 2.0]], [[3.0, 4.0], [1.0, 2.0]]
    expected = [[25.0, 5.0], [8.0, 0.0]]
    np.testing.assert_allclose(ex.pairwise_python(X, Y), expected)
    np.testing.assert_allclose(ex.pairwise_loop(np.array(X), np.array(Y)), expected)
    np.testing.assert_allclose(ex.pairwise_vectorized(np.array(X), np.array(Y)), expected, atol=ATOL_EXPANSION)


@pytest.mark.parametrize("n, m, d", [(6, 4, 3), (1, 5, 2), (5, 1, 1)])
def test_pairwise_versions_agree_with_scipy(rng, n, m, d):
    # Check that all three agree with scipy's cdist on non-square shapes (a transpose would show).
    X, Y = rng.standard_normal((n, d)), rng.standard_normal((m, d))
    expected = cdist(X, Y, "sqeuclidean")
    np.testing.assert_allclose(ex.pairwise_python(X.tolist(), Y.tolist()), expected, rtol=RTOL)
    np.testing.assert_allclose(ex.pairwise_loop(X, Y), expected, rtol=RTOL)
    np.testing.assert_allclose(ex.pairwise_vectorized(X, Y), expected, rtol=1e-9, atol=ATOL_EXPANSION)


def test_pairwise_vectorized_is_never_negative(rng):
    # Check that the clip works: far from the origin the expansion's round-off must not give negative distances.
    X = 1e4 + rng.standard_normal((15, 3))
    assert ex.pairwise_vectorized(X, X).min() >= 0.0


def test_moving_average_by_hand():
    # Check that windows of 2 over (1, 3, 5, 10) have means 2, 4, 7.5 and a window of 4 one mean, 4.75 (worked by hand).
    x = [1.0, 3.0, 5.0, 10.0]
    versions = [(ex.moving_average_python, x), (ex.moving_average_loop, np.array(x)), (ex.moving_average_vectorized, np.array(x))]
    for fn, arg in versions:
        np.testing.assert_allclose(fn(arg, 2), [2.0, 4.0, 7.5])
        np.testing.assert_allclose(fn(arg, 4), [4.75])
        np.testing.assert_allclose(fn(arg, 1), x)  # a window of one changes nothing


@pytest.mark.parametrize("window", [1, 3, 10, 50])
def test_moving_average_versions_agree_with_convolution(rng, window):
    # Check that all three agree with np.convolve with a box of ones (an independent formula), and the
    # output length n - window + 1 (an off-by-one in the window count would show).
    x = rng.standard_normal(200) + 3.0
    expected = np.convolve(x, np.ones(window), mode="valid") / window
    np.testing.assert_allclose(ex.moving_average_python(x.tolist(), window), expected, rtol=RTOL)
    np.testing.assert_allclose(ex.moving_average_loop(x, window), expected, rtol=RTOL)
    # the running-sum version subtracts sums of up to 200 values of size ~3: allow eps * 600 or so
    np.testing.assert_allclose(ex.moving_average_vectorized(x, window), expected, rtol=0, atol=1e-12)


def test_moving_average_refuses_a_bad_window():
    # Check that a window of 0 or longer than the signal gets a clear error.
    for fn in (ex.moving_average_python, ex.moving_average_loop, ex.moving_average_vectorized):
        with pytest.raises(ValueError, match="window"):
            fn([1.0, 2.0, 3.0], 4)
        with pytest.raises(ValueError, match="window"):
            fn([1.0, 2.0, 3.0], 0)


def test_softmax_by_hand():
    # Check that softmax(0, ln 3) = (1, 3) / 4 = (0.25, 0.75) and a row of equal scores is uniform (worked by hand).
    Z = [[0.0, math.log(3.0)], [7.0, 7.0]]
    expected = [[0.25, 0.75], [0.5, 0.5]]
    np.testing.assert_allclose(ex.softmax_python(Z), expected, rtol=RTOL_EXP)
    np.testing.assert_allclose(ex.softmax_loop(np.array(Z)), expected, rtol=RTOL_EXP)
    np.testing.assert_allclose(ex.softmax_vectorized(np.array(Z)), expected, rtol=RTOL_EXP)


def test_softmax_versions_agree_with_scipy(rng):
    # Check that all three agree with scipy.special.softmax along the rows (axis=1; axis=0 would differ).
    Z = 4 * rng.standard_normal((6, 5))
    expected = scipy_softmax(Z, axis=1)
    np.testing.assert_allclose(ex.softmax_python(Z.tolist()), expected, rtol=RTOL_EXP)
    np.testing.assert_allclose(ex.softmax_loop(Z), expected, rtol=RTOL_EXP)
    np.testing.assert_allclose(ex.softmax_vectorized(Z), expected, rtol=RTOL_EXP)


def test_softmax_extreme_scores_stay_finite():
    # Check that scores of +-1000 stay finite (exp would overflow without the max subtraction):
    # (1000, 1000 - ln 3) -> (0.75, 0.25); (-1000, -1000) -> uniform.
    Z = [[1000.0, 1000.0 - math.log(3.0)], [-1000.0, -1000.0]]
    expected = [[0.75, 0.25], [0.5, 0.5]]
    np.testing.assert_allclose(ex.softmax_python(Z), expected, rtol=1e-12)
    np.testing.assert_allclose(ex.softmax_loop(np.array(Z)), expected, rtol=1e-12)
    np.testing.assert_allclose(ex.softmax_vectorized(np.array(Z)), expected, rtol=1e-12)


class FakeClock:
    """A clock that returns the given times in turn, so a test knows every duration exactly."""

    def __init__(self, ticks):
        self.ticks = list(ticks)

    def __call__(self):
        return self.ticks.pop(0)


def test_median_time_takes_the_median_after_a_warm_up():
    # Check that, with a fake clock, durations 1, 10, 2 s give the median 2 (the mean would be 4.33, the minimum 1),
    # and the function runs once untimed plus once per repeat.
    calls = []
    clock = FakeClock([0.0, 1.0, 5.0, 15.0, 20.0, 22.0])
    assert ex.median_time(lambda: calls.append(1), repeats=3, clock=clock) == pytest.approx(2.0)
    assert len(calls) == 4
    assert clock.ticks == []  # exactly two clock readings per repeat


def test_median_time_passes_the_arguments():
    # Check that args reach the function, and that bad repeats are refused.
    seen = []
    ex.median_time(lambda a, b: seen.append((a, b)), args=(1, 2), repeats=2)
    assert seen == [(1, 2)] * 3
    with pytest.raises(ValueError, match="repeats"):
        ex.median_time(print, repeats=0)
