"""Tests for ex08_optimizers: hand-computed steps, convergence, and the in-place contract."""

import numpy as np
import pytest

import utils
from utils import gradcheck

ex = utils.load_exercise("05-model-optimization/ex08_optimizers.py")

ATOL = 1e-12


def run_steps(optimizer, grads_sequence, start=1.0):
    """Apply the given gradients one after another to a one-element parameter."""
    params = {"p": np.array([start])}
    for g in grads_sequence:
        optimizer.step(params, {"p": np.array([g])})
    return params["p"][0]


def test_sgd_step_by_hand():
    # Check p = 1 - 0.1 * 2 = 0.8.
    assert run_steps(ex.SGD(lr=0.1), [2.0]) == pytest.approx(0.8)


def test_momentum_two_steps_by_hand():
    # Check by hand with mu = 0.5, lr = 0.1, g = 2 then 4: v1 = 2, p1 = 0.8; v2 = 0.5*2 + 4 = 5, p2 = 0.3.
    assert run_steps(ex.SGD(lr=0.1, momentum=0.5), [2.0, 4.0]) == pytest.approx(0.3)


def test_nesterov_two_steps_by_hand():
    # Check by hand: v1 = 2, step1 = g + mu v1 = 3, p1 = 0.7; v2 = 5, step2 = 4 + 2.5 = 6.5, p2 = 0.05.
    assert run_steps(ex.SGD(lr=0.1, momentum=0.5, nesterov=True), [2.0, 4.0]) == pytest.approx(0.05)


def test_adagrad_two_steps_by_hand():
    # Check by hand: s1 = 4, p1 = 1 - 0.1*2/2 = 0.9; s2 = 4 + 16 = 20, p2 = 0.9 - 0.1*4/sqrt(20).
    assert run_steps(ex.AdaGrad(lr=0.1, eps=0.0), [2.0, 4.0]) == pytest.approx(0.9 - 0.4 / np.sqrt(20))


def test_rmsprop_two_steps_by_hand():
    # Check by hand with rho = 0.5: s1 = 2, p1 = 1 - 0.1*2/sqrt(2); s2 = 1 + 8 = 9, p2 = p1 - 0.1*4/3.
    expected = 1 - 0.2 / np.sqrt(2) - 0.4 / 3
    assert run_steps(ex.RMSProp(lr=0.1, rho=0.5, eps=0.0), [2.0, 4.0]) == pytest.approx(expected)


def test_adam_first_step_is_lr_times_sign():
    # Check the bias correction: Adam's first step is lr * g / |g| = lr * sign(g), whatever |g|.
    for g in [1e-4, 3.0, -250.0]:
        assert run_steps(ex.Adam(lr=0.01, eps=0.0), [g]) == pytest.approx(1.0 - 0.01 * np.sign(g))


def test_adam_two_steps_by_hand():
    # Check by hand with b1 = 0.5, b2 = 0.5, g = 2 then 4:
    # m2 = 0.5*1 + 2 = 2.5, v2 = 0.5*2 + 8 = 9; m_hat = 2.5/0.75, v_hat = 9/0.75.
    m_hat, v_hat = 2.5 / 0.75, 9 / 0.75
    expected = 1 - 0.1 - 0.1 * m_hat / np.sqrt(v_hat)
    assert run_steps(ex.Adam(lr=0.1, beta1=0.5, beta2=0.5, eps=0.0), [2.0, 4.0]) == pytest.approx(expected)


def test_state_is_kept_per_parameter():
    # Check that two parameters with different gradients keep separate momentum.
    opt = ex.SGD(lr=0.1, momentum=0.5)
    params = {"a": np.array([1.0]), "b": np.array([1.0])}
    for _ in range(2):
        opt.step(params, {"a": np.array([2.0]), "b": np.array([0.0])})
    np.testing.assert_allclose(params["a"], [1 - 0.2 - 0.3], atol=ATOL)
    np.testing.assert_allclose(params["b"], [1.0], atol=ATOL)


def test_step_updates_arrays_in_place():
    # Check that the caller's array object itself moves (layers hold references to their weights).
    weights = np.ones((2, 3))
    ex.Adam(lr=0.1).step({"w": weights}, {"w": np.ones((2, 3))})
    np.testing.assert_allclose(weights, 0.9)


@pytest.mark.parametrize("name", ["SGD", "momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam"])
def test_every_optimizer_converges_on_a_convex_quadratic(name, rng):
    # Check convergence to the minimiser A^-1 b of 0.5 p^T A p - b^T p (found with solve).
    A = np.array([[3.0, 0.5], [0.5, 1.0]])
    b = np.array([1.0, -2.0])
    optimizer = {
        "SGD": ex.SGD(lr=0.2),
        "momentum": ex.SGD(lr=0.05, momentum=0.9),
        "Nesterov": ex.SGD(lr=0.05, momentum=0.9, nesterov=True),
        "AdaGrad": ex.AdaGrad(lr=1.0),
        "RMSProp": ex.RMSProp(lr=0.01),
        "Adam": ex.Adam(lr=0.05),
    }[name]
    params = {"p": np.zeros(2)}
    for _ in range(3000):
        optimizer.step(params, {"p": A @ params["p"] - b})
    np.testing.assert_allclose(params["p"], np.linalg.solve(A, b), atol=1e-2)


def test_rosenbrock_gradient_matches_numerical_gradient(rng):
    # Check the Rosenbrock gradient against central differences, and its minimum 0 at (1, 1).
    p = rng.standard_normal(2)
    gradcheck.check_gradient(lambda v: ex.rosenbrock(v)[0], p, ex.rosenbrock(p)[1])
    assert ex.rosenbrock(np.array([1.0, 1.0]))[0] == 0.0


def test_bad_hyperparameters_and_gradients_get_clear_errors():
    # Check the messages for impossible settings and mismatched gradients.
    with pytest.raises(ValueError, match="lr must be a positive"):
        ex.Adam(lr=0)
    with pytest.raises(ValueError, match="momentum"):
        ex.SGD(momentum=1.0)
    with pytest.raises(ValueError, match="nesterov"):
        ex.SGD(nesterov=True)
    with pytest.raises(ValueError, match="shape"):
        ex.SGD().step({"w": np.ones(3)}, {"w": np.ones(2)})
    with pytest.raises(ValueError, match="no entry"):
        ex.SGD().step({"w": np.ones(3)}, {})
