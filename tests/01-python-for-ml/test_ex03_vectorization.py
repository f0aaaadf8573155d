"""Tests for ex03_vectorization: the three versions of the dot product and the distances agree; the timer takes a median.

No test measures speed (that depends on the machine); the timer is checked with a fake clock.
"""

import math

import numpy as np
import pytest
from scipy.spatial.distance import cdist

import utils

ex = utils.load_exercise("01-python-for-ml/ex03_vectorization.py")

RTOL = 1e-12  # the versions add the same terms in different orders
ATOL_SUM = 1e-12  # for sums with cancellation: relative to sum |terms|, see each test
ATOL_EXPANSION = 1e-10  # ||x||^2 + ||y||^2 - 2 x.y loses about eps * ||x||^2 to cancellation


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
    with pytest.raises(ValueError, match="same shape"):
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
