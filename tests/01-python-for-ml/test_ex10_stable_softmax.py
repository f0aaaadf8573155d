"""Tests for ex10_stable_softmax: against 50-digit decimal arithmetic and SciPy, at +-1000 and beyond.

RuntimeWarnings are errors in this suite, so every call at extreme inputs also checks
that nothing overflowed along the way.
"""

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from scipy.special import logsumexp as scipy_logsumexp
from scipy.special import softmax as scipy_softmax

import utils

ex = utils.load_exercise("01-python-for-ml/ex10_stable_softmax.py")

EPS = np.finfo(float).eps
RTOL = 4 * EPS  # a stable float64 formula is good to a few units in the last place
EXTREME = [-1000.0, -700.0, -30.0, -1.0, 0.0, 1.0, 30.0, 700.0, 1000.0]


def decimal_logsumexp(values):
    with localcontext() as ctx:
        ctx.prec = 50
        return float(sum(Decimal(float(v)).exp() for v in values).ln())


def decimal_sigmoid(value):
    with localcontext() as ctx:
        ctx.prec = 50
        return float(1 / (1 + Decimal(-float(value)).exp()))


def decimal_softmax(values):
    with localcontext() as ctx:
        ctx.prec = 50
        exps = [Decimal(float(v)).exp() for v in values]
        total = sum(exps)
        return [float(e / total) for e in exps]


@pytest.mark.parametrize(
    "values",
    [[1000.0, 1000.0], [-1000.0, -1000.0], [1000.0, 999.0, -1000.0], [0.5, -2.0, 3.0], [710.0], [-1000.0, 0.0]],
    ids=["+1000 twice", "-1000 twice", "mixed extremes", "small", "exp overflows", "one dominates"],
)
def test_logsumexp_matches_decimal(values):
    # Check that logsumexp agrees with 50-digit decimal arithmetic, where exp(1000) is an ordinary number.
    assert ex.logsumexp(values) == pytest.approx(decimal_logsumexp(values), rel=RTOL)


def test_logsumexp_by_hand():
    # Check that log(e^1000 + e^1000) = 1000 + log 2 (worked by hand).
    assert ex.logsumexp([1000.0, 1000.0]) == pytest.approx(1000.0 + math.log(2.0), rel=RTOL)


def test_logsumexp_along_an_axis_matches_scipy(rng):
    # Check that axis=None, 0 and 1 agree with scipy on large scores (the shapes must match too).
    x = 400 * rng.standard_normal((3, 5))
    for axis in (None, 0, 1):
        np.testing.assert_allclose(ex.logsumexp(x, axis=axis), scipy_logsumexp(x, axis=axis), rtol=RTOL)


def test_logsumexp_infinities():
    # Check that -inf terms contribute nothing and all -inf gives -inf (log 0), with no warning (edge cases).
    assert ex.logsumexp([-np.inf, 0.0]) == 0.0
    assert ex.logsumexp([-np.inf, -np.inf]) == -np.inf
    np.testing.assert_array_equal(ex.logsumexp(np.array([[-np.inf, -np.inf], [0.0, -np.inf]]), axis=1), [-np.inf, 0.0])


def test_sigmoid_matches_decimal_at_extremes():
    # Check that +-1000, +-700 and everyday values agree with decimal: finite, accurate, no overflow warning.
    # (sigmoid(-1000) = 5e-435 is below the smallest float64, so the right float answer is 0.)
    expected = [decimal_sigmoid(v) for v in EXTREME]
    result = ex.sigmoid(np.array(EXTREME))
    assert np.all(np.isfinite(result))
    np.testing.assert_allclose(result, expected, rtol=RTOL, atol=0)
    assert result[0] == 0.0 and result[-1] == 1.0


def test_sigmoid_symmetry_and_shape(rng):
    # Check that sigmoid(-x) = 1 - sigmoid(x) and that the shape is kept.
    x = 5 * rng.standard_normal((4, 3))
    s = ex.sigmoid(x)
    assert s.shape == x.shape
    np.testing.assert_allclose(ex.sigmoid(-x), 1.0 - s, rtol=1e-12, atol=1e-15)
    assert ex.sigmoid(0.0) == 0.5


@pytest.mark.parametrize(
    "values",
    [[1000.0, 999.0, -1000.0], [-1000.0, -1000.0, -999.0], [0.0, 1.0, 2.0], [1000.0]],
    ids=["+1000", "-1000", "small", "single"],
)
def test_softmax_matches_decimal(values):
    # Check that softmax agrees with 50-digit decimal arithmetic at +-1000, where exp alone would overflow or underflow.
    result = ex.softmax(np.array(values))
    assert np.all(np.isfinite(result))
    np.testing.assert_allclose(result, decimal_softmax(values), rtol=RTOL, atol=1e-300)


def test_softmax_properties_and_axis(rng):
    # Check that rows sum to 1, adding a constant changes nothing, and axis=0 matches scipy's axis=0.
    x = 300 * rng.standard_normal((4, 6))
    p = ex.softmax(x)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=RTOL)
    np.testing.assert_allclose(ex.softmax(x + 500.0), p, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ex.softmax(x, axis=0), scipy_softmax(x, axis=0), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("scale", [1e150, 1e300])
def test_stay_finite_up_to_1e300(scale):
    # Check that softmax, sigmoid and logsumexp stay finite and scale-consistent far beyond exp's range.
    x = np.array([1.0, -2.0, 3.0, 0.5])
    assert np.all(np.isfinite(ex.softmax(x * scale)))
    assert np.all(np.isfinite(ex.sigmoid(x * scale)))
    np.testing.assert_allclose(ex.logsumexp(x * scale), 3.0 * scale, rtol=1e-12)  # the max dominates


def test_empty_input_gets_a_clear_error():
    # Check that an empty logsumexp and a softmax over an empty axis are refused, and text names x.
    with pytest.raises(ValueError, match="empty"):
        ex.logsumexp([])
    with pytest.raises(ValueError, match="at least one entry"):
        ex.softmax(np.ones((3, 0)))
    with pytest.raises(TypeError, match="x"):
        ex.sigmoid(["a"])
