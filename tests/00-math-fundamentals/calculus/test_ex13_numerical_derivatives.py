"""Tests for ex13_numerical_derivatives: difference quotients, their order and the best step."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("00-math-fundamentals/calculus/ex13_numerical_derivatives.py")

ATOL = 1e-12
EXACT_RTOL = 1e-9  # "exact up to round-off" for a large step h
SLOPE_TOL = 0.1  # observed order within 0.1 of the theoretical one
DECADE_TOL = 1.0  # the best observed step within one power of ten of the prediction
EPS = np.finfo(np.float64).eps
STEPS = np.logspace(-16, 0, 161)  # 10 steps per decade


def test_difference_quotients_by_hand():
    # Check that for f(x) = x^2 at x = 3, h = 0.5 the quotients are, by hand: forward (3.5^2 - 9)/0.5 = 6.5,
    # backward (9 - 2.5^2)/0.5 = 5.5, central (3.5^2 - 2.5^2)/1 = 6 = f'(3).
    def f(x):
        return x**2

    np.testing.assert_allclose(ex.forward_difference(f, 3.0, 0.5), 6.5, atol=ATOL)
    np.testing.assert_allclose(ex.backward_difference(f, 3.0, 0.5), 5.5, atol=ATOL)
    np.testing.assert_allclose(ex.central_difference(f, 3.0, 0.5), 6.0, atol=ATOL)


def test_central_difference_of_a_cubic_by_hand():
    # Check that the central difference of x^3 is 3x^2 + h^2 (by hand: ((x+h)^3 - (x-h)^3) / (2h)), so 3.01 at x = 1, h = 0.1.
    np.testing.assert_allclose(ex.central_difference(lambda x: x**3, 1.0, 0.1), 3.01, rtol=EXACT_RTOL)


@pytest.mark.parametrize("h", [1.0, 0.3, 1e-3])
def test_central_difference_is_exact_for_quadratics(rng, h):
    # Check that the central difference of a + b x + c x^2 equals b + 2 c x for any step.
    a, b, c = rng.standard_normal(3)
    x = rng.uniform(-2, 2, size=5)
    np.testing.assert_allclose(
        ex.central_difference(lambda t: a + b * t + c * t**2, x, h), b + 2 * c * x, rtol=EXACT_RTOL, atol=1e-9
    )


def test_one_sided_differences_are_exact_only_for_lines():
    # Check that forward/backward are exact for a line, and miss a parabola by exactly c*h.
    b, c, h, x = 1.7, 0.8, 0.25, 0.4
    for scheme in ("forward", "backward"):
        np.testing.assert_allclose(ex.finite_difference(lambda t: 2.0 + b * t, x, h, scheme), b, rtol=EXACT_RTOL)
    sign = {"forward": 1, "backward": -1}
    for scheme in ("forward", "backward"):
        got = ex.finite_difference(lambda t: c * t**2, x, h, scheme)
        np.testing.assert_allclose(got, 2 * c * x + sign[scheme] * c * h, rtol=EXACT_RTOL)


def test_vector_of_steps_matches_one_at_a_time():
    # Check that a whole vector of steps gives the same numbers as one call per step.
    hs = np.array([1e-1, 1e-3, 1e-5])
    for scheme in ex.SCHEMES:
        together = ex.finite_difference(np.exp, 0.5, hs, scheme)
        alone = [ex.finite_difference(np.exp, 0.5, h, scheme) for h in hs]
        np.testing.assert_allclose(together, alone, rtol=0, atol=0)


def test_derivative_errors_are_absolute_errors():
    # Check that the errors are |D(h) - f'(x)| as defined, for exp at x = 0 (f' = 1), against a direct quotient.
    hs = np.array([0.1, 0.01])
    expected = np.abs((np.exp(hs) - np.exp(-hs)) / (2 * hs) - 1.0)
    np.testing.assert_allclose(ex.derivative_errors(np.exp, np.exp, 0.0, hs, "central"), expected, rtol=1e-12)


def test_loglog_slope_of_a_power_law():
    # Check that errors = 3 h^2 have slope exactly 2, and 5 / h slope exactly -1.
    h = np.logspace(-6, -1, 11)
    np.testing.assert_allclose(ex.loglog_slope(h, 3 * h**2), 2.0, atol=1e-10)
    np.testing.assert_allclose(ex.loglog_slope(h, 5 / h), -1.0, atol=1e-10)


@pytest.mark.parametrize(
    "scheme, order, window",
    [("forward", 1, (1e-4, 1e-1)), ("backward", 1, (1e-4, 1e-1)), ("central", 2, (1e-3, 1e-1))],
)
def test_observed_order_in_the_truncation_regime(scheme, order, window):
    # Check that the error of exp'(1) falls like h^1 (one-sided) or h^2 (central) for moderate h.
    mask = (STEPS >= window[0]) & (STEPS <= window[1])
    errors = ex.derivative_errors(np.exp, np.exp, 1.0, STEPS[mask], scheme)
    assert abs(ex.loglog_slope(STEPS[mask], errors) - order) < SLOPE_TOL


def test_round_off_makes_tiny_steps_worse():
    # Check that below the optimum the error grows again as h shrinks (slope about -1).
    mask = (STEPS >= 1e-14) & (STEPS <= 1e-10)
    errors = ex.derivative_errors(np.exp, np.exp, 1.0, STEPS[mask], "central")
    assert ex.loglog_slope(STEPS[mask], errors) < -0.5


@pytest.mark.parametrize("scheme, power", [("forward", 1 / 2), ("central", 1 / 3)])
def test_error_minimum_is_near_the_predicted_step(scheme, power):
    # Check that the observed best step for exp'(1) is within a decade of eps^(1/2) (forward)
    # or eps^(1/3) (central), and that the model's optimum is too.
    errors = ex.derivative_errors(np.exp, np.exp, 1.0, STEPS, scheme)
    best = STEPS[np.argmin(errors)]
    assert abs(np.log10(best) - power * np.log10(EPS)) < DECADE_TOL
    assert abs(np.log10(ex.optimal_step(scheme)) - power * np.log10(EPS)) < DECADE_TOL


def test_central_beats_forward_at_their_best_steps():
    # Check that the central difference at its best step is far more accurate than forward at its best.
    forward = ex.derivative_errors(np.exp, np.exp, 1.0, STEPS, "forward").min()
    central = ex.derivative_errors(np.exp, np.exp, 1.0, STEPS, "central").min()
    assert central < forward / 100


@pytest.mark.parametrize("scheme", ["forward", "central"])
def test_optimal_step_minimises_the_error_model(scheme):
    # Check that h* minimises the error model: the model error at h* is below its value a little to either side.
    h_star = ex.optimal_step(scheme, f_scale=2.0, derivative_scale=0.5)
    at = ex.error_model(h_star, scheme, 2.0, 0.5)
    assert at < ex.error_model(h_star * 1.05, scheme, 2.0, 0.5)
    assert at < ex.error_model(h_star / 1.05, scheme, 2.0, 0.5)


def test_error_model_by_hand():
    # Check that the error model matches a hand calculation: forward at h = 0.1, scales 1, eps = 0.01: 0.1/2 + 0.01/0.1 = 0.15;
    # central: 0.01/6 + 0.01/0.2 = 0.051666...
    np.testing.assert_allclose(ex.error_model(0.1, "forward", eps=0.01), 0.15, rtol=1e-12)
    np.testing.assert_allclose(ex.error_model(0.1, "central", eps=0.01), 0.01 / 6 + 0.05, rtol=1e-12)


def test_coarser_precision_needs_a_larger_step():
    # Check that with float32's epsilon the optimum moves to a larger step, as eps^(1/2) predicts.
    eps32 = float(np.finfo(np.float32).eps)
    np.testing.assert_allclose(
        ex.optimal_step("forward", eps=eps32) / ex.optimal_step("forward"), np.sqrt(eps32 / EPS), rtol=1e-9
    )


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear message: unknown scheme, non-positive step, mismatched shapes.
    with pytest.raises(ValueError, match="scheme must be one of"):
        ex.finite_difference(np.sin, 1.0, 0.1, "centered")
    with pytest.raises(ValueError, match="must be positive"):
        ex.central_difference(np.sin, 1.0, 0.0)
    with pytest.raises(ValueError, match="same shape"):
        ex.loglog_slope(np.ones(3), np.ones(4))
