"""Tests for ex19_taylor_series: Taylor coefficients, Horner evaluation and the remainder's order."""

import math

import numpy as np
import pytest

import utils

ex = utils.load_exercise("00-math-fundamentals/calculus/ex19_taylor_series.py")

ATOL = 1e-12
SLOPE_TOL = 0.1


def test_taylor_coefficients_of_exp_are_one_over_k_factorial():
    # Check that the coefficients of exp are the known series exp(x) = sum x^k / k!, against math.factorial.
    np.testing.assert_allclose(
        ex.taylor_coefficients(ex.exp_derivatives(0.0, 10)), [1 / math.factorial(k) for k in range(11)], rtol=1e-15
    )


def test_taylor_coefficients_of_sin():
    # Check that the coefficients of sin are the known series sin(x) = x - x^3/3! + x^5/5! - x^7/7!.
    expected = [0, 1, 0, -1 / 6, 0, 1 / 120, 0, -1 / 5040]
    np.testing.assert_allclose(ex.taylor_coefficients(ex.sin_derivatives(0.0, 7)), expected, rtol=1e-15, atol=ATOL)


def test_taylor_coefficients_of_a_polynomial_by_hand():
    # Check that the derivatives of p = 2 - 3x + 5x^3 at 0, p(0) = 2, p'(0) = -3, p''(0) = 0 and
    # p'''(0) = 30 (by hand), give back its coefficients (2, -3, 0, 5).
    np.testing.assert_allclose(ex.taylor_coefficients([2.0, -3.0, 0.0, 30.0]), [2.0, -3.0, 0.0, 5.0], atol=ATOL)


def test_taylor_polynomial_reproduces_a_polynomial_exactly(rng):
    # Check that the order-3 Taylor polynomial of a cubic around a = 1.5 is the cubic itself,
    # evaluated independently with np.polynomial.
    a = 1.5
    derivatives = [2 - 3 * a + 5 * a**3, -3 + 15 * a**2, 30 * a, 30.0]  # p, p', p'', p''' at a, by hand
    x = rng.uniform(-3, 3, 10)
    np.testing.assert_allclose(
        ex.taylor_polynomial(derivatives, a, x), np.polynomial.polynomial.polyval(x, [2, -3, 0, 5]), rtol=1e-12
    )


def test_high_order_taylor_polynomial_of_exp_gives_e():
    # Check that the order-20 polynomial of exp around 0 gives e = np.exp(1) at x = 1, and
    # that of sin around 1 gives np.sin near 1.
    np.testing.assert_allclose(ex.taylor_polynomial(ex.exp_derivatives(0.0, 20), 0.0, 1.0), np.e, rtol=1e-15)
    x = np.linspace(0.0, 2.0, 7)
    np.testing.assert_allclose(ex.taylor_polynomial(ex.sin_derivatives(1.0, 20), 1.0, x), np.sin(x), atol=1e-14)


def test_order_zero_is_the_constant_f_a():
    # Check that order n = 0 (an edge case) gives T_0(x) = f(a) everywhere, with x's shape.
    out = ex.taylor_polynomial([3.0], 1.0, np.zeros((2, 3)))
    np.testing.assert_array_equal(out, np.full((2, 3), 3.0))


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_taylor_error_falls_like_distance_to_the_n_plus_1(n):
    # Check that log|exp(x) - T_n(x)| around a = 0.5 has slope n + 1 in log|x - a| (the remainder theorem).
    a, d = 0.5, np.geomspace(1e-2, 1e-1, 10)
    err = np.abs(np.exp(a + d) - ex.taylor_polynomial(ex.exp_derivatives(a, n), a, a + d))
    slope = np.polyfit(np.log(d), np.log(err), 1)[0]
    assert abs(slope - (n + 1)) < SLOPE_TOL


def test_bad_input_gets_a_clear_error():
    # Check that empty derivatives (not even f(a)) get a clear message.
    with pytest.raises(ValueError, match=r"shape \(n \+ 1,\)"):
        ex.taylor_coefficients([])
