"""Tests for ex04_backpropagation: every backward pass against central differences."""

import numpy as np
import pytest
from scipy.special import expit, log_softmax

import utils
from utils import gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex04_backpropagation.py")

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12


@pytest.mark.parametrize("shape", [(1, 3, 2), (4, 5, 3)], ids=["batch-1", "batch-4"])
def test_affine_backward_matches_numerical_gradients(shape, rng):
    # Check dx, dw and db of out = x @ w + b against central differences, batch size 1 included.
    n, d, m = shape
    x, w, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
    dout = rng.standard_normal((n, m))
    dx, dw, db = ex.affine_backward(dout, ex.affine_forward(x, w, b)[1])
    gradcheck.check_gradient(lambda v: ex.affine_forward(v, w, b)[0], x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.affine_forward(x, v, b)[0], w, dw, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.affine_forward(x, w, v)[0], b, db, dout, tol=GRAD_TOL)


def test_affine_forward_by_hand():
    # Check [[1, 2]] @ [[1, 0, 2], [0, 1, 1]] + [1, 1, 1] = [[2, 3, 5]].
    out, _ = ex.affine_forward(np.array([[1.0, 2.0]]), np.array([[1.0, 0, 2], [0, 1, 1]]), np.ones(3))
    np.testing.assert_allclose(out, [[2.0, 3.0, 5.0]], atol=ATOL)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_activation_backward_matches_numerical_gradient(name, rng):
    # Check each activation's backward pass; ReLU inputs are kept away from the kink at 0.
    forward, backward = getattr(ex, f"{name}_forward"), getattr(ex, f"{name}_backward")
    x = rng.standard_normal((3, 4))
    x[np.abs(x) < 1e-3] = 0.5
    dout = rng.standard_normal(x.shape)
    gradcheck.check_gradient(lambda v: forward(v)[0], x, backward(dout, forward(x)[1]), dout, tol=GRAD_TOL)


def test_activations_match_references_and_stay_finite_at_extremes():
    # Check sigmoid against scipy's expit and relu/tanh against NumPy, at +-1000 too.
    x = np.array([-1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0])
    np.testing.assert_allclose(ex.sigmoid(x), expit(x), rtol=1e-12)
    np.testing.assert_array_equal(ex.relu_forward(x)[0], np.maximum(x, 0))
    np.testing.assert_allclose(ex.tanh_forward(x)[0], np.tanh(x))


@pytest.mark.parametrize("loss_name", ["mse", "binary", "softmax"])
def test_loss_gradients_match_numerical_gradients(loss_name, rng):
    # Check the gradient each loss returns against central differences of the loss it returns.
    if loss_name == "mse":
        scores, y, loss = rng.standard_normal((5, 2)), rng.standard_normal((5, 2)), ex.mse_loss
    elif loss_name == "binary":
        scores, y, loss = rng.standard_normal(6), rng.integers(0, 2, 6), ex.binary_cross_entropy
    else:
        scores, y, loss = rng.standard_normal((6, 4)), rng.integers(0, 4, 6), ex.softmax_cross_entropy
    gradcheck.check_gradient(lambda v: loss(v, y)[0], scores, loss(scores, y)[1], tol=GRAD_TOL)


def test_loss_values_match_references(rng):
    # Check the loss values against scipy's log_softmax / expit and the MSE definition.
    logits, y = rng.standard_normal((6, 4)), rng.integers(0, 4, 6)
    expected = -log_softmax(logits, axis=1)[np.arange(6), y].mean()
    assert ex.softmax_cross_entropy(logits, y)[0] == pytest.approx(expected, rel=1e-12)
    z, t = rng.standard_normal(6), rng.integers(0, 2, 6)
    p = expit(z)
    assert ex.binary_cross_entropy(z, t)[0] == pytest.approx(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)), rel=1e-10)
    pred, target = rng.standard_normal(5), rng.standard_normal(5)
    assert ex.mse_loss(pred, target)[0] == pytest.approx(0.5 * np.mean((pred - target) ** 2))


def test_uniform_logits_give_log_c():
    # Check by hand: equal scores over C classes cost log C whatever the label.
    assert ex.softmax_cross_entropy(np.zeros((3, 5)), np.array([0, 2, 4]))[0] == pytest.approx(np.log(5))


def test_losses_are_finite_at_extreme_logits():
    # Check that logits of +-1000 give finite losses and gradients, and the right limits.
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])
    loss, grad = ex.softmax_cross_entropy(logits, np.array([0, 0]))
    assert loss == pytest.approx(1000.0)  # first row costs 0, second row 2000, mean 1000
    assert np.all(np.isfinite(grad))
    loss, grad = ex.binary_cross_entropy(np.array([1000.0, -1000.0]), np.array([0, 0]))
    assert loss == pytest.approx(500.0) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(ex.softmax(logits).sum(axis=1), 1.0)


def test_two_layer_gradients_match_numerical_gradients(rng):
    # Check the composed network's gradients for every parameter.
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 4, 5)
    params = ex.init_two_layer(3, 6, 4, rng)
    _, grads = ex.two_layer_loss(params, X, y)
    for name in params:
        gradcheck.check_gradient(lambda v: ex.two_layer_loss(params, X, y)[0], params[name], grads[name], tol=GRAD_TOL)


def test_two_layer_network_overfits_a_tiny_batch(rng):
    # Check learning: full-batch gradient descent drives the loss on 10 points near zero.
    X, y = rng.standard_normal((10, 4)), np.arange(10) % 3
    params = ex.init_two_layer(4, 32, 3, rng)
    first, _ = ex.two_layer_loss(params, X, y)
    for _ in range(500):
        loss, grads = ex.two_layer_loss(params, X, y)
        for name in params:
            params[name] -= 0.5 * grads[name]
    assert loss < 0.05 * first
    np.testing.assert_array_equal(ex.two_layer_predict(params, X), y)


def test_bad_shapes_and_labels_get_clear_errors():
    # Check the messages for mismatched shapes and out-of-range labels.
    with pytest.raises(ValueError, match=r"x \(N, D\), w \(D, M\)"):
        ex.affine_forward(np.ones((2, 3)), np.ones((4, 2)), np.ones(2))
    with pytest.raises(ValueError, match="labels in 0..C-1"):
        ex.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="same number"):
        ex.mse_loss(np.zeros(3), np.zeros(2))
