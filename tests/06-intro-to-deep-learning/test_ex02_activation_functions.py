"""Tests for ex02_activation_functions: values against SciPy, derivatives against central differences."""

import warnings

import numpy as np
import pytest
from scipy import special

import utils
from utils import gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex02_activation_functions.py")

RTOL = 1e-12  # closed forms against SciPy
GRAD_TOL = 1e-6  # relative error of a derivative against central differences
GELU_TANH_MAX_GAP = 1e-3  # the tanh approximation is within about 5e-4 of the exact GELU

ELEMENTWISE = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "gelu_tanh"]


def _away_from_zero(x):
    """ReLU, leaky ReLU and ELU have a kink at 0, where central differences straddle two slopes."""
    x[np.abs(x) < 1e-3] = 0.5
    return x


def test_values_match_scipy_and_numpy(rng):
    # Check each function against an independent formula: SciPy's expit, softmax, erf and ndtr.
    x = rng.standard_normal(50) * 4
    np.testing.assert_allclose(ex.sigmoid(x), special.expit(x), rtol=RTOL)
    np.testing.assert_allclose(ex.tanh(x), np.tanh(x), rtol=RTOL)
    np.testing.assert_allclose(ex.relu(x), np.where(x > 0, x, 0.0), rtol=RTOL)
    np.testing.assert_allclose(ex.leaky_relu(x, 0.2), np.where(x > 0, x, 0.2 * x), rtol=RTOL)
    np.testing.assert_allclose(ex.elu(x, 1.5), np.where(x > 0, x, 1.5 * (np.exp(x) - 1)), rtol=1e-10)
    np.testing.assert_allclose(ex.normal_cdf(x), special.ndtr(x), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ex.gelu(x), x * 0.5 * (1 + special.erf(x / np.sqrt(2))), rtol=1e-12, atol=1e-15)
    Z = rng.standard_normal((4, 6)) * 3
    np.testing.assert_allclose(ex.softmax(Z), special.softmax(Z, axis=1), rtol=RTOL)


def test_gelu_values_by_hand():
    # Check by hand: GELU(0) = 0, GELU(1) = Phi(1) = 0.841344746..., GELU(-1) = -(1 - Phi(1)).
    np.testing.assert_allclose(ex.gelu(np.array([0.0, 1.0, -1.0])), [0.0, 0.8413447460685429, -0.15865525393145707], rtol=1e-12)


def test_gelu_tanh_is_close_to_the_exact_gelu_but_not_equal(rng):
    # Check the approximation: within 1e-3 of x Phi(x) everywhere we look, yet a different function.
    x = np.linspace(-8, 8, 1601)
    gap = np.abs(ex.gelu_tanh(x) - x * special.ndtr(x))
    assert gap.max() < GELU_TANH_MAX_GAP
    assert gap.max() > 1e-5  # it is an approximation, so a copy of the exact form would fail here
    formula = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    np.testing.assert_allclose(ex.gelu_tanh(x), formula, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivatives_match_central_differences(name, rng):
    # Check each derivative f'(x) against central differences of f, elementwise (dout = 1).
    f, df = getattr(ex, name), getattr(ex, f"{name}_grad")
    x = _away_from_zero(rng.standard_normal((3, 5)) * 2)
    numeric = gradcheck.numerical_gradient_array(lambda v: f(v), x, np.ones_like(x))
    assert gradcheck.rel_error(df(x), numeric) < GRAD_TOL


@pytest.mark.parametrize("alpha", [0.05, 0.3, 2.0])
def test_alpha_enters_the_derivatives(alpha, rng):
    # Check leaky ReLU and ELU derivatives for other slopes, so a hard-coded alpha fails.
    x = _away_from_zero(rng.standard_normal(8) * 2)
    for f, df in [(ex.leaky_relu, ex.leaky_relu_grad), (ex.elu, ex.elu_grad)]:
        numeric = gradcheck.numerical_gradient_array(lambda v: f(v, alpha), x, np.ones_like(x))
        assert gradcheck.rel_error(df(x, alpha), numeric) < GRAD_TOL


def test_softmax_jacobian_matches_central_differences_and_its_properties(rng):
    # Check J[i, j] = d s_i / d z_j column by column against central differences; J is symmetric, rows sum to 0.
    z = rng.standard_normal(5)
    J = ex.softmax_jacobian(z)
    for j in range(5):
        e = np.zeros(5)
        e[j] = 1e-5
        column = (special.softmax(z + e) - special.softmax(z - e)) / 2e-5
        np.testing.assert_allclose(J[:, j], column, atol=1e-9)
    np.testing.assert_allclose(J, J.T, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)


@pytest.mark.parametrize("shape", [(1, 3), (4, 6)], ids=["batch-1", "batch-4"])
def test_softmax_backward_matches_central_differences(shape, rng):
    # Check the backward pass dz = J^T dout against central differences of sum(softmax(z) * dout).
    z, dout = rng.standard_normal(shape), rng.standard_normal(shape)
    dz = ex.softmax_backward(dout, ex.softmax(z))
    gradcheck.check_gradient(lambda v: ex.softmax(v), z, dz, dout, tol=GRAD_TOL)


def test_extreme_inputs_give_the_right_limits_without_warnings():
    # Check +-1000: finite values, the right limits, and no RuntimeWarning (overflow, invalid).
    x = np.array([-1000.0, 1000.0])
    expected = {
        "sigmoid": ([0.0, 1.0], [0.0, 0.0]),
        "tanh": ([-1.0, 1.0], [0.0, 0.0]),
        "relu": ([0.0, 1000.0], [0.0, 1.0]),
        "leaky_relu": ([-10.0, 1000.0], [0.01, 1.0]),
        "elu": ([-1.0, 1000.0], [0.0, 1.0]),
        "gelu": ([0.0, 1000.0], [0.0, 1.0]),
        "gelu_tanh": ([0.0, 1000.0], [0.0, 1.0]),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, (values, slopes) in expected.items():
            np.testing.assert_allclose(getattr(ex, name)(x), values, atol=1e-12, err_msg=name)
            np.testing.assert_allclose(getattr(ex, f"{name}_grad")(x), slopes, atol=1e-12, err_msg=name)
        s = ex.softmax(np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, -1000.0]]))
        np.testing.assert_allclose(s, [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]], atol=1e-12)
        J = ex.softmax_jacobian(np.array([1000.0, -1000.0]))
        assert np.all(np.isfinite(J))


def test_derivatives_at_zero_follow_the_stated_conventions():
    # Check by hand at x = 0: sigmoid' = 1/4, tanh' = 1, ReLU' = 0 (convention), leaky' = a, ELU' = a, GELU' = 1/2.
    zero = np.array([0.0])
    assert ex.sigmoid_grad(zero)[0] == pytest.approx(0.25)
    assert ex.tanh_grad(zero)[0] == pytest.approx(1.0)
    assert ex.relu_grad(zero)[0] == 0.0
    assert ex.leaky_relu_grad(zero, 0.1)[0] == pytest.approx(0.1)
    assert ex.elu_grad(zero, 2.0)[0] == pytest.approx(2.0)
    assert ex.gelu_grad(zero)[0] == pytest.approx(0.5)
    assert ex.gelu_tanh_grad(zero)[0] == pytest.approx(0.5)


def test_bad_input_gets_a_clear_error():
    # Check the messages for a negative slope and for shapes the softmax helpers cannot use.
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        ex.leaky_relu(np.ones(3), alpha=-0.1)
    with pytest.raises(ValueError, match=r"shape \(C,\)"):
        ex.softmax_jacobian(np.ones((2, 3)))
    with pytest.raises(ValueError, match="same shape"):
        ex.softmax_backward(np.ones((2, 3)), np.ones((2, 4)))
