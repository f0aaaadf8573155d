"""Tests for ex13_rnn: one RNN step, backpropagation through time, clipping, a tiny overfit."""

import numpy as np
import pytest

import utils
from utils import gradcheck
from utils.optim import Adam

ex = utils.load_exercise("06-intro-to-deep-learning/ex13_rnn.py")

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12


def _weights(rng, d, h):
    return rng.standard_normal((d, h)) * 0.5, rng.standard_normal((h, h)) * 0.5, rng.standard_normal(h) * 0.1


def test_step_forward_by_hand():
    # Check by hand: x = 1, h_prev = 2, Wx = 0.5, Wh = -0.25, b = 0.1 gives tanh(0.5 - 0.5 + 0.1) = tanh(0.1).
    h, _ = ex.rnn_step_forward(np.array([[1.0]]), np.array([[2.0]]), np.array([[0.5]]), np.array([[-0.25]]), np.array([0.1]))
    np.testing.assert_allclose(h, [[np.tanh(0.1)]], atol=ATOL)


@pytest.mark.parametrize("n, d, h", [(1, 3, 4), (4, 2, 5), (3, 5, 1)], ids=["batch-1", "batch-4", "one-unit"])
def test_step_backward_matches_numerical_gradients(n, d, h, rng):
    # Check dx, dh_prev, dWx, dWh and db of one step against central differences.
    x, h_prev = rng.standard_normal((n, d)), rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h)
    dout = rng.standard_normal((n, h))
    grads = ex.rnn_step_backward(dout, ex.rnn_step_forward(x, h_prev, Wx, Wh, b)[1])  # (dx, dh_prev, dWx, dWh, db)
    gradcheck.check_gradients(lambda *a: ex.rnn_step_forward(*a)[0], [x, h_prev, Wx, Wh, b], grads, dout, tol=GRAD_TOL)


def test_sequence_forward_matches_the_recurrence(rng):
    # Check rnn_forward against the recurrence h_t = tanh(x_t Wx + h_{t-1} Wh + b) written out here.
    x, h0 = rng.standard_normal((3, 6, 2)), rng.standard_normal((3, 4))
    Wx, Wh, b = _weights(rng, 2, 4)
    h, _ = ex.rnn_forward(x, h0, Wx, Wh, b)
    state = h0
    for t in range(6):
        state = np.tanh(x[:, t] @ Wx + state @ Wh + b)
        np.testing.assert_allclose(h[:, t], state, atol=ATOL)


@pytest.mark.parametrize("n, steps, d, h", [(1, 5, 2, 3), (3, 4, 3, 2), (2, 1, 2, 3)], ids=["batch-1", "batch-3", "one-step"])
def test_bptt_matches_numerical_gradients(n, steps, d, h, rng):
    # Check every gradient of backpropagation through time, with a loss on every hidden state.
    x, h0 = rng.standard_normal((n, steps, d)), rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h)
    dout = rng.standard_normal((n, steps, h))
    grads = ex.rnn_backward(dout, ex.rnn_forward(x, h0, Wx, Wh, b)[1])
    gradcheck.check_gradients(lambda *a: ex.rnn_forward(*a)[0], [x, h0, Wx, Wh, b], grads, dout, tol=GRAD_TOL)


def test_gradient_from_the_last_step_only_reaches_the_first_input(rng):
    # Check that a loss on h_{T-1} alone still gives x_0 a gradient (it flows back through time).
    x, h0 = rng.standard_normal((2, 5, 3)), np.zeros((2, 4))
    Wx, Wh, b = _weights(rng, 3, 4)
    dout = np.zeros((2, 5, 4))
    dout[:, -1] = rng.standard_normal((2, 4))
    dx, *_ = ex.rnn_backward(dout, ex.rnn_forward(x, h0, Wx, Wh, b)[1])
    assert np.linalg.norm(dx[:, 0]) > 1e-6
    numeric = gradcheck.numerical_gradient_array(lambda v: ex.rnn_forward(v, h0, Wx, Wh, b)[0], x, dout)
    assert gradcheck.rel_error(dx, numeric) < GRAD_TOL


def test_contracting_weights_make_gradients_vanish(rng):
    # Check ||dL/dh_{t-1}|| <= 0.5 ||dL/dh_t|| when Wh is 0.5 x an orthogonal matrix (|tanh'| <= 1).
    q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    x = rng.standard_normal((3, 12, 2))
    norms = ex.hidden_gradient_norms(x, rng.standard_normal((2, 6)), 0.5 * q, np.zeros(6), rng)
    assert norms[-1] == pytest.approx(1.0)
    assert np.all(norms[:-1] <= 0.5 * norms[1:] + 1e-15)


def test_clipping_caps_the_norm_and_keeps_the_direction(rng):
    # Check that a gradient of global norm 10 is scaled to norm 2 in the same direction.
    grads = {"a": rng.standard_normal((3, 4)), "b": rng.standard_normal(5)}
    flat = np.concatenate([g.ravel() for g in grads.values()])
    scale = 10.0 / np.linalg.norm(flat)
    grads = {k: v * scale for k, v in grads.items()}
    clipped, norm = ex.clip_grad_norm(grads, max_norm=2.0)
    assert norm == pytest.approx(10.0)
    new_flat = np.concatenate([clipped[k].ravel() for k in grads])
    assert np.linalg.norm(new_flat) == pytest.approx(2.0)
    np.testing.assert_allclose(new_flat, flat * scale * 0.2, atol=ATOL)  # same direction, 1/5 of the length


def test_clipping_leaves_small_and_zero_gradients_alone(rng):
    # Check that a gradient already below max_norm (or zero) is returned unchanged, without 0/0.
    grads = {"w": np.array([0.3, 0.4])}  # norm 0.5, by hand
    clipped, norm = ex.clip_grad_norm(grads, max_norm=1.0)
    assert norm == pytest.approx(0.5)
    np.testing.assert_array_equal(clipped["w"], grads["w"])
    clipped, norm = ex.clip_grad_norm({"w": np.zeros(3)}, max_norm=1.0)
    assert norm == 0.0
    np.testing.assert_array_equal(clipped["w"], np.zeros(3))
    with pytest.raises(ValueError, match="max_norm"):
        ex.clip_grad_norm(grads, max_norm=0)


def test_regression_loss_gradients_match_numerical_gradients(rng):
    # Check the gradients of the full model (RNN + read-out + MSE) against central differences.
    params = ex.init_rnn_regressor(2, 3, 1, rng)
    x, y = rng.standard_normal((2, 4, 2)), rng.standard_normal((2, 4, 1))
    _, grads, _ = ex.rnn_regression_loss(params, x, y)
    for name, value in params.items():
        gradcheck.check_gradient(lambda v: ex.rnn_regression_loss(params, x, y)[0], value, grads[name], tol=GRAD_TOL)


def test_tiny_batch_is_overfitted(rng):
    # Check that Adam with clipping drives the loss on two short sequences to under 2% of its start.
    params = ex.init_rnn_regressor(1, 16, 1, rng)
    x = rng.standard_normal((2, 8, 1))
    y = np.cumsum(x, axis=1) / 3  # a running sum: needs the memory of earlier steps
    adam = Adam(lr=0.02)
    first = ex.rnn_regression_loss(params, x, y)[0]
    for _ in range(200):
        loss, grads, _ = ex.rnn_regression_loss(params, x, y)
        adam.step(params, ex.clip_grad_norm(grads, 1.0)[0])
    assert loss < 0.02 * first


def test_bad_shapes_get_a_clear_error(rng):
    # Check that mismatched shapes are refused with a message naming the expected shapes.
    Wx, Wh, b = _weights(rng, 3, 4)
    with pytest.raises(ValueError, match=r"\(N, T, D\)"):
        ex.rnn_forward(np.ones((2, 3)), np.zeros((2, 4)), Wx, Wh, b)
    with pytest.raises(ValueError, match="D = 3"):
        ex.rnn_step_forward(np.ones((2, 5)), np.zeros((2, 4)), Wx, Wh, b)
    with pytest.raises(ValueError, match=r"Wh \(H, H\)"):
        ex.rnn_step_forward(np.ones((2, 3)), np.zeros((2, 4)), Wx, np.ones((4, 3)), b)


def test_an_empty_sequence_is_refused():
    # Check that a sequence with no time steps gets a clear error instead of empty gradients later.
    with pytest.raises(ValueError, match="at least one time step"):
        ex.rnn_forward(np.zeros((2, 0, 3)), np.zeros((2, 4)), np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4))
