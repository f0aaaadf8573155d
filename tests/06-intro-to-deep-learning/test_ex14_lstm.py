"""Tests for ex14_lstm: the LSTM cell and sequence, its gates, the forget-gate bias."""

import numpy as np
import pytest
from scipy.special import expit

import utils
from utils import gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex14_lstm.py")

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


def test_lstm_step_matches_the_equations(rng):
    # Check one LSTM step against the equations written out here with scipy's expit (gate order i, f, o, g).
    n, d, h = 3, 2, 4
    x, h_prev, c_prev = rng.standard_normal((n, d)), rng.standard_normal((n, h)), rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h, 4)
    a = x @ Wx + h_prev @ Wh + b
    i, f, o, g = expit(a[:, :h]), expit(a[:, h : 2 * h]), expit(a[:, 2 * h : 3 * h]), np.tanh(a[:, 3 * h :])
    h_next, c_next, _ = ex.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    np.testing.assert_allclose(c_next, f * c_prev + i * g, atol=ATOL)
    np.testing.assert_allclose(h_next, o * np.tanh(f * c_prev + i * g), atol=ATOL)


@pytest.mark.parametrize("n, d, h", SHAPES, ids=SHAPE_IDS)
def test_lstm_step_backward_matches_numerical_gradients(n, d, h, rng):
    # Check all six gradients of one LSTM step, with upstream gradients on both h_next and c_next.
    x, h_prev, c_prev = rng.standard_normal((n, d)), rng.standard_normal((n, h)), rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h, 4)
    dh, dc = rng.standard_normal((n, h)), rng.standard_normal((n, h))
    grads = ex.lstm_step_backward(dh, dc, ex.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)[2])
    args = [x, h_prev, c_prev, Wx, Wh, b]

    def both(*a):  # stack (h_next, c_next) so one dout weights both outputs
        h_next, c_next, _ = ex.lstm_step_forward(*a)
        return np.stack([h_next, c_next])

    gradcheck.check_gradients(both, args, grads, np.stack([dh, dc]), tol=GRAD_TOL)


@pytest.mark.parametrize("n, d, h", SHAPES, ids=SHAPE_IDS)
def test_sequence_backward_matches_numerical_gradients(n, d, h, rng):
    # Check dx, dh0, dWx, dWh and db of the unrolled LSTM over 4 steps, with a loss on every h_t.
    x, h0 = rng.standard_normal((n, 4, d)), rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h, 4)
    dout = rng.standard_normal((n, 4, h))
    grads = ex.lstm_backward(dout, ex.lstm_forward(x, h0, Wx, Wh, b)[1])
    gradcheck.check_gradients(lambda *a: ex.lstm_forward(*a)[0], [x, h0, Wx, Wh, b], grads, dout, tol=GRAD_TOL)


def test_gates_lie_in_the_unit_interval_and_stay_finite(rng):
    # Check i, f, o in (0, 1) and g in (-1, 1) for ordinary inputs, and finite values at +-1000.
    Wx, Wh, b = _weights(rng, 3, 5, 4)
    i, f, o, g = ex.lstm_gates(rng.standard_normal((6, 3)), rng.standard_normal((6, 5)), Wx, Wh, b)
    for gate in (i, f, o):
        assert np.all((gate > 0) & (gate < 1))
    assert np.all(np.abs(g) < 1)
    extreme = np.array([[1000.0, -1000.0, 0.0]])
    h_next, c_next, _ = ex.lstm_step_forward(extreme, np.zeros((1, 5)), np.zeros((1, 5)), Wx, Wh, b)
    assert np.all(np.isfinite(h_next)) and np.all(np.abs(h_next) <= 1)
    assert np.all(np.abs(c_next) <= 1)  # c = f * 0 + i * g with |i g| <= 1


def test_cell_state_is_carried_when_the_forget_gate_is_open():
    # Check by hand: with i = 0 (bias -1000), f = 1 (bias +1000), the cell state passes unchanged.
    h = 2
    b = np.concatenate([np.full(h, -1000.0), np.full(h, 1000.0), np.zeros(h), np.zeros(h)])
    c_prev = np.array([[0.3, -2.0]])
    _, c_next, _ = ex.lstm_step_forward(np.ones((1, 1)), np.zeros((1, h)), c_prev, np.zeros((1, 4 * h)), np.zeros((h, 4 * h)), b)
    np.testing.assert_allclose(c_next, c_prev, atol=ATOL)


def test_forget_bias_keeps_gradients_alive_through_time(rng):
    # Check the documented effect: with small weights, dL/dx_0 from a loss on h_{T-1} shrinks like
    # sigmoid(b_f)^(T-1), so b_f = 2 gives a gradient far larger (about (0.88/0.5)^9 = 160x) than b_f = 0.
    steps, h = 10, 4
    x = rng.standard_normal((2, steps, 2))
    Wx, Wh, _ = _weights(rng, 2, h, 4, scale=0.1)
    dout = np.zeros((2, steps, h))
    dout[:, -1] = 1.0
    norms = {}
    for bias in (0.0, 2.0):
        b = np.zeros(4 * h)
        b[h : 2 * h] = bias
        dx, *_ = ex.lstm_backward(dout, ex.lstm_forward(x, np.zeros((2, h)), Wx, Wh, b)[1])
        norms[bias] = np.linalg.norm(dx[:, 0])
    assert norms[2.0] > 30 * norms[0.0]


def test_bad_shapes_get_a_clear_error(rng):
    # Check that weights with the wrong number of gate blocks, or x without a time axis, are refused.
    Wx, Wh, b = _weights(rng, 2, 3, 3)
    with pytest.raises(ValueError, match=r"Wx \(D, 4H\)"):
        ex.lstm_step_forward(np.ones((1, 2)), np.zeros((1, 3)), np.zeros((1, 3)), Wx, Wh, b)
    with pytest.raises(ValueError, match=r"\(N, T, D\)"):
        ex.lstm_forward(np.ones((1, 2)), np.zeros((1, 3)), *_weights(rng, 2, 3, 4))
