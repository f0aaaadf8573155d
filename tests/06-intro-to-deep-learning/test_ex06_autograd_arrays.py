"""Tests for ex06_autograd_arrays: array gradients against hand results, central differences and ex04."""

import numpy as np
import pytest

import utils
from utils import gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex06_autograd_arrays.py")
backprop = utils.load_exercise("06-intro-to-deep-learning/ex04_backpropagation.py", practice=False)

ATOL = 1e-12
GRAD_TOL = 1e-6  # relative error against central differences
ENGINE_VS_HAND_RTOL = 1e-10  # the engine and ex04 do the same arithmetic


def test_unbroadcast_by_hand():
    # Check by hand: a (2, 3) gradient of ones reduced to (3,) is (2, 2, 2); to (2, 1) it is (3, 3); to (1, 3) (2, 2, 2).
    g = np.ones((2, 3))
    np.testing.assert_array_equal(ex.unbroadcast(g, (3,)), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(ex.unbroadcast(g, (2, 1)), [[3.0], [3.0]])
    np.testing.assert_array_equal(ex.unbroadcast(g, (1, 3)), [[2.0, 2.0, 2.0]])
    np.testing.assert_array_equal(ex.unbroadcast(g, (2, 3)), g)


def _check_tensor_op(op, *arrays, rng):
    """Gradcheck each input of op (Tensors in, Tensor out) through the scalar sum(op(...) * dout)."""
    tensors = [ex.Tensor(a) for a in arrays]
    out = op(*tensors)
    dout = rng.standard_normal(out.shape)
    (out * dout).sum().backward()
    for i, (tensor, array) in enumerate(zip(tensors, arrays)):
        def f(v, i=i):
            args = [ex.Tensor(v if j == i else a) for j, a in enumerate(arrays)]
            return op(*args).data
        gradcheck.check_gradient(f, array, tensor.grad, dout, tol=GRAD_TOL)
        assert tensor.grad.shape == array.shape


@pytest.mark.parametrize("n", [1, 4], ids=["batch-1", "batch-4"])
def test_tensor_gradients_with_broadcasting(n, rng):
    # Check add and mul with a bias (M,) broadcast over (N, M), a column (N, 1), and matmul.
    x, bias, col = rng.standard_normal((n, 3)), rng.standard_normal(3), rng.standard_normal((n, 1))
    _check_tensor_op(lambda a, b: a + b, x, bias, rng=rng)
    _check_tensor_op(lambda a, b: a * b, x, col, rng=rng)
    _check_tensor_op(lambda a, b: a - b * a, x, bias, rng=rng)
    _check_tensor_op(lambda a, b: a @ b, x, rng.standard_normal((3, 2)), rng=rng)


@pytest.mark.parametrize("n", [1, 5], ids=["batch-1", "batch-5"])
def test_tensor_reductions_and_activations(n, rng):
    # Check sum (all / per axis), mean, relu (away from the kink) and log_softmax against central differences.
    x = rng.standard_normal((n, 4))
    x[np.abs(x) < 1e-3] = 0.5
    _check_tensor_op(lambda a: a.sum(axis=0), x, rng=rng)
    _check_tensor_op(lambda a: a.sum(axis=1), x, rng=rng)
    _check_tensor_op(lambda a: a.mean() * a, x, rng=rng)
    _check_tensor_op(lambda a: a.relu(), x, rng=rng)
    _check_tensor_op(lambda a: a.log_softmax(), x, rng=rng)


def test_cross_entropy_gradient_and_extreme_logits(rng):
    # Check the loss and dlogits against ex04's softmax_cross_entropy, and finiteness at logits +-1000.
    for logits in [rng.standard_normal((6, 4)), np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])]:
        y = np.arange(len(logits)) % logits.shape[1]
        z = ex.Tensor(logits)
        loss = ex.cross_entropy(z, y)
        loss.backward()
        expected_loss, expected_grad = backprop.softmax_cross_entropy(logits, y)
        assert float(loss.data) == pytest.approx(expected_loss, rel=1e-12)
        np.testing.assert_allclose(z.grad, expected_grad, atol=1e-12)
        assert np.all(np.isfinite(z.grad))


def test_engine_agrees_with_ex04_hand_written_backward(rng):
    # Check the engine against ex04's affine -> relu -> affine -> softmax cross-entropy backward passes.
    X, y = rng.standard_normal((7, 3)), rng.integers(0, 4, 7)
    arrays = backprop.init_two_layer(3, 5, 4, rng)
    expected_loss, expected = backprop.two_layer_loss(arrays, X, y)
    params = {k: ex.Tensor(v.copy()) for k, v in arrays.items()}
    loss = ex.cross_entropy(ex.mlp_logits(params, X), y)
    loss.backward()
    assert float(loss.data) == pytest.approx(expected_loss, rel=ENGINE_VS_HAND_RTOL)
    for name in arrays:
        np.testing.assert_allclose(params[name].grad, expected[name], rtol=ENGINE_VS_HAND_RTOL, atol=1e-14)


def test_training_loss_decreases(rng):
    # Check learning: 60 plain gradient steps on a small moons set lower the loss by more than half.
    X, y = utils.data.make_moons(n_samples=60, noise=0.1, random_state=0)
    params = {k: ex.Tensor(v) for k, v in backprop.init_two_layer(2, 16, 2, rng).items()}
    losses = []
    for _ in range(60):
        loss = ex.cross_entropy(ex.mlp_logits(params, X), y)
        loss.backward()
        for t in params.values():
            t.data -= 0.5 * t.grad
        losses.append(float(loss.data))
    assert losses[-1] < 0.5 * losses[0]


def test_bad_input_gets_a_clear_error():
    # Check the messages: non-scalar backward, matmul shapes, bad labels.
    with pytest.raises(ValueError, match="scalar output"):
        ex.Tensor(np.ones((2, 2))).backward()
    with pytest.raises(ValueError, match=r"\(N, K\) and \(K, M\)"):
        ex.Tensor(np.ones((2, 3))) @ ex.Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match="integer labels"):
        ex.cross_entropy(ex.Tensor(np.zeros((2, 3))), np.array([0.0, 1.0]))
