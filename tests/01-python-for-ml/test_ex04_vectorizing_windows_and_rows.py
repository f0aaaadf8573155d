"""Tests for ex04_vectorizing_windows_and_rows: the three moving averages and the three softmaxes agree."""

import math

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax

import utils

ex = utils.load_exercise("01-python-for-ml/ex04_vectorizing_windows_and_rows.py")

RTOL = 1e-12  # the versions add the same terms in different orders
ATOL_SUM = 1e-12  # for sums with cancellation: relative to sum |terms|, see each test
RTOL_EXP = 1e-13  # math.exp and np.exp may differ in the last bit or two


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
