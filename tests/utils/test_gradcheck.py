"""utils.gradcheck against derivatives known in closed form."""

import numpy as np
import pytest

from utils import gradcheck


def test_numerical_gradient_of_a_quadratic_form(rng):
    # Check d/dx (x^T A x) = (A + A^T) x.
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    numeric = gradcheck.numerical_gradient(lambda v: v @ A @ v, x)
    np.testing.assert_allclose(numeric, (A + A.T) @ x, rtol=1e-7, atol=1e-9)


def test_numerical_gradient_restores_its_input(rng):
    # Check that x is left exactly as it was after all the nudging.
    x = rng.standard_normal((3, 2))
    before = x.copy()
    gradcheck.numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_array_of_a_matrix_product(rng):
    # Check that for out = x @ W the gradient of sum(out * dout) is dout @ W^T.
    x, W = rng.standard_normal((3, 4)), rng.standard_normal((4, 5))
    dout = rng.standard_normal((3, 5))
    numeric = gradcheck.numerical_gradient_array(lambda v: v @ W, x, dout)
    np.testing.assert_allclose(numeric, dout @ W.T, rtol=1e-7, atol=1e-9)


def test_rel_error_values():
    # Check hand-computed cases: equal arrays, a sign flip, a 10 % scale error.
    a = np.array([3.0, 4.0])
    assert gradcheck.rel_error(a, a) == 0.0
    assert gradcheck.rel_error(a, -a) == pytest.approx(1.0)
    assert gradcheck.rel_error(a, 1.1 * a) == pytest.approx(0.5 / 10.5)
    assert gradcheck.rel_error(np.zeros(3), np.zeros(3)) == 0.0


def test_check_gradient_catches_a_wrong_gradient(rng):
    # Check that a gradient off by a factor of 2 is rejected and the right one accepted.
    x = rng.standard_normal(5)
    assert gradcheck.check_gradient(lambda v: np.sum(v**2), x, 2 * x) < 1e-8
    with pytest.raises(AssertionError, match="relative error"):
        gradcheck.check_gradient(lambda v: np.sum(v**2), x, x)


def test_float32_is_refused():
    # Check that a float32 input is refused: its round-off would hide real errors.
    with pytest.raises(TypeError, match="float64"):
        gradcheck.numerical_gradient(lambda v: v.sum(), np.ones(3, dtype=np.float32))


def test_check_gradients_checks_every_argument_and_names_a_wrong_one():
    # Check f(a, b) = a * b elementwise: the right gradients (b * dout, a * dout) pass; a wrong
    # gradient for the second argument fails.
    a, b, dout = np.array([1.0, 2.0]), np.array([3.0, -1.0]), np.array([0.5, 2.0])
    gradcheck.check_gradients(lambda x, y: x * y, [a, b], [b * dout, a * dout], dout)
    with pytest.raises(AssertionError, match="relative error"):
        gradcheck.check_gradients(lambda x, y: x * y, [a, b], [b * dout, 2 * a * dout], dout)
