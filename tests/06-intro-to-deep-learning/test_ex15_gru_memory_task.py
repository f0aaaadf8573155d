"""Tests for ex15_gru_memory_task: the GRU cell and sequence, the memory task, the classifier, a tiny overfit."""

import numpy as np
import pytest
from scipy.special import expit

import utils
from utils import gradcheck
from utils.optim import Adam

ex = utils.load_exercise("06-intro-to-deep-learning/ex15_gru_memory_task.py")

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12

SHAPES = [(1, 3, 2), (4, 2, 3)]  # (N, D, H), batch size 1 included
SHAPE_IDS = ["batch-1", "batch-4"]


def _weights(rng, d, h, n_gates, scale=0.5):
    return (
        rng.standard_normal((d, n_gates * h)) * scale,
        rng.standard_normal((h, n_gates * h)) * scale,
        rng.standard_normal(n_gates * h) * scale,
    )


def test_gru_step_matches_the_equations(rng):
    # Check one GRU step against the equations of Cho et al. written out here (gate order z, r, n).
    n, d, h = 3, 2, 4
    x, h_prev = rng.standard_normal((n, d)), rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h, 3)
    z = expit(x @ Wx[:, :h] + h_prev @ Wh[:, :h] + b[:h])
    r = expit(x @ Wx[:, h : 2 * h] + h_prev @ Wh[:, h : 2 * h] + b[h : 2 * h])
    cand = np.tanh(x @ Wx[:, 2 * h :] + (r * h_prev) @ Wh[:, 2 * h :] + b[2 * h :])
    np.testing.assert_allclose(ex.gru_step_forward(x, h_prev, Wx, Wh, b)[0], (1 - z) * cand + z * h_prev, atol=ATOL)


@pytest.mark.parametrize("n, d, h", SHAPES, ids=SHAPE_IDS)
def test_gru_step_backward_matches_numerical_gradients(n, d, h, rng):
    # Check dx, dh_prev, dWx, dWh and db of one GRU step.
    x, h_prev = rng.standard_normal((n, d)), rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h, 3)
    dout = rng.standard_normal((n, h))
    grads = ex.gru_step_backward(dout, ex.gru_step_forward(x, h_prev, Wx, Wh, b)[1])
    gradcheck.check_gradients(lambda *a: ex.gru_step_forward(*a)[0], [x, h_prev, Wx, Wh, b], grads, dout, tol=GRAD_TOL)


@pytest.mark.parametrize("n, d, h", SHAPES, ids=SHAPE_IDS)
def test_sequence_backward_matches_numerical_gradients(n, d, h, rng):
    # Check dx, dh0, dWx, dWh and db of the unrolled GRU over 4 steps, with a loss on every h_t.
    x, h0 = rng.standard_normal((n, 4, d)), rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h, 3)
    dout = rng.standard_normal((n, 4, h))
    grads = ex.gru_backward(dout, ex.gru_forward(x, h0, Wx, Wh, b)[1])
    gradcheck.check_gradients(lambda *a: ex.gru_forward(*a)[0], [x, h0, Wx, Wh, b], grads, dout, tol=GRAD_TOL)


def test_init_sets_the_forget_block_only(rng):
    # Check that init_sequence_classifier puts forget_bias in the LSTM's block 2 of 4 (i, f, o, g), the
    # GRU's block 1 of 3 (z, r, n), nowhere for the RNN, and zeros elsewhere.
    params = ex.init_sequence_classifier("lstm", 2, 3, 2, rng, forget_bias=1.5)
    np.testing.assert_array_equal(params["b"], [0, 0, 0, 1.5, 1.5, 1.5, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(ex.init_sequence_classifier("gru", 2, 2, 2, rng, forget_bias=1.5)["b"], [1.5, 1.5, 0, 0, 0, 0])
    np.testing.assert_array_equal(ex.init_sequence_classifier("rnn", 2, 2, 2, rng, forget_bias=1.5)["b"], [0, 0])


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_classifier_loss_gradients_match_numerical_gradients(cell, rng):
    # Check the gradients of the whole classifier (cell + read-out of h_{T-1} + softmax cross-entropy).
    params = ex.init_sequence_classifier(cell, 2, 3, 2, rng)
    x, y = ex.make_first_sign_task(3, 4, random_state=1)
    _, grads, _ = ex.sequence_classifier_loss(params, x, y, cell)
    for name, value in params.items():
        gradcheck.check_gradient(lambda v: ex.sequence_classifier_loss(params, x, y, cell)[0], value, grads[name], tol=GRAD_TOL)


def test_memory_task_labels_are_the_first_sign():
    # Check the task: label 1 exactly when the first value is +1, and the start flag is set only at t = 0.
    x, y = ex.make_first_sign_task(50, 7, random_state=0)
    assert x.shape == (50, 7, 2)
    np.testing.assert_array_equal(x[:, 0, 0], 2 * y - 1)
    np.testing.assert_array_equal(x[:, :, 1], np.eye(7)[np.zeros(50, dtype=int)])


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_tiny_batch_is_overfitted(cell, rng):
    # Check that 8 fixed sequences with random labels are learned by heart (loss under 0.05).
    x = rng.standard_normal((8, 6, 2))
    y = rng.integers(0, 2, size=8)
    params = ex.init_sequence_classifier(cell, 2, 8, 2, rng)
    adam = Adam(lr=0.05)
    for _ in range(150):
        loss, grads, _ = ex.sequence_classifier_loss(params, x, y, cell)
        adam.step(params, grads)
    assert loss < 0.05


def test_bad_shapes_get_a_clear_error(rng):
    # Check that weights with the wrong number of gate blocks are refused with a message naming them.
    Wx, Wh, b = _weights(rng, 2, 3, 3)
    with pytest.raises(ValueError, match=r"Wx \(D, 3H\)"):
        ex.gru_step_forward(np.ones((1, 2)), np.zeros((1, 3)), *_weights(rng, 2, 3, 4))
    with pytest.raises(ValueError, match=r"\(N, T, D\)"):
        ex.gru_forward(np.ones((1, 2)), np.zeros((1, 3)), Wx, Wh, b)
