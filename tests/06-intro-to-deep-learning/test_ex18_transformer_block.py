"""Tests for ex18_transformer_block: layer norm on sequences, the block, its gradients and causality."""

import numpy as np
import pytest

import utils
from utils import gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex18_transformer_block.py")
attention = utils.load_exercise("06-intro-to-deep-learning/ex16_attention.py", practice=False)

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12
ZERO_GRAD_ATOL = 1e-8  # the key bias has a zero gradient (softmax ignores a shift of a whole row)


def _jitter(params, rng):
    """Move every parameter off its initial value (gammas off 1, biases off 0), so each gradient is tested."""
    for value in params.values():
        value += 0.1 * rng.standard_normal(value.shape)
    return params


def test_layernorm_normalises_every_position_of_a_sequence_batch(rng):
    # Check that ex10's layer norm, applied to (N, T, D), gives every position mean 0 and variance
    # 1 (up to eps = 1e-5), scaled by gamma and shifted by beta; a constant position stays finite.
    x = 5 + 3 * rng.standard_normal((2, 4, 16))
    out, _ = ex.layernorm_forward(x, np.ones(16), np.zeros(16))
    assert out.shape == x.shape
    np.testing.assert_allclose(out.mean(axis=-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=-1), 1.0, rtol=1e-5)
    scaled, _ = ex.layernorm_forward(x, np.full(16, 2.0), np.full(16, 3.0))
    np.testing.assert_allclose(scaled, 2 * out + 3, atol=1e-12)
    const, _ = ex.layernorm_forward(np.full((1, 2, 3), 7.0), np.ones(3), np.zeros(3))
    np.testing.assert_array_equal(const, 0.0)


@pytest.mark.parametrize("shape", [(1, 5), (2, 3, 4)], ids=["batch-1-2d", "batch-2-3d"])
def test_layernorm_backward_matches_numerical_gradients(shape, rng):
    # Check dx, dgamma and dbeta against central differences, for 2-D and 3-D inputs.
    x = rng.standard_normal(shape)
    gamma, beta = 1 + 0.1 * rng.standard_normal(shape[-1]), 0.1 * rng.standard_normal(shape[-1])
    dout = rng.standard_normal(shape)
    dx, dgamma, dbeta = ex.layernorm_backward(dout, ex.layernorm_forward(x, gamma, beta)[1])
    gradcheck.check_gradient(lambda v: ex.layernorm_forward(v, gamma, beta)[0], x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.layernorm_forward(x, v, beta)[0], gamma, dgamma, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.layernorm_forward(x, gamma, v)[0], beta, dbeta, dout, tol=GRAD_TOL)


@pytest.mark.parametrize("n, steps, heads", [(1, 4, 2), (2, 3, 1)], ids=["batch-1-2-heads", "batch-2-1-head"])
def test_block_backward_matches_numerical_gradients(n, steps, heads, rng):
    # Check dx and all sixteen parameter gradients of one block with a causal mask.
    params = _jitter(ex.init_block(4, 6, rng), rng)
    x = rng.standard_normal((n, steps, 4))
    mask = attention.causal_mask(steps)
    dout = rng.standard_normal(x.shape)
    dx, grads = ex.transformer_block_backward(dout, ex.transformer_block_forward(x, params, heads, mask)[1])
    assert set(grads) == set(params)

    def f(_):
        return ex.transformer_block_forward(x, params, heads, mask)[0]

    gradcheck.check_gradient(f, x, dx, dout, tol=GRAD_TOL)
    for name, value in params.items():
        if name == "bk":
            np.testing.assert_allclose(gradcheck.numerical_gradient_array(f, value, dout), 0.0, atol=ZERO_GRAD_ATOL)
            np.testing.assert_allclose(grads[name], 0.0, atol=ZERO_GRAD_ATOL)
        else:
            gradcheck.check_gradient(f, value, grads[name], dout, tol=GRAD_TOL)


def test_block_is_the_identity_plus_two_residual_branches(rng):
    # Check the residual structure: with Wo, bo, W2 and b2 zero, both branches add nothing and out = x.
    params = ex.init_block(4, 6, rng)
    for name in ("Wo", "bo", "W2", "b2"):
        params[name][:] = 0.0
    x = rng.standard_normal((2, 3, 4))
    np.testing.assert_allclose(ex.transformer_block_forward(x, params, 2, attention.causal_mask(3))[0], x, atol=ATOL)


def test_block_output_at_t_ignores_later_inputs(rng):
    # Check the same causality one level down: a block's output at t does not depend on x after t.
    params = ex.init_block(8, 16, rng)
    x = rng.standard_normal((1, 5, 8))
    before, _ = ex.transformer_block_forward(x, params, 2, attention.causal_mask(5))
    x[:, 2:] += rng.standard_normal((1, 3, 8))
    after, _ = ex.transformer_block_forward(x, params, 2, attention.causal_mask(5))
    np.testing.assert_allclose(after[:, :2], before[:, :2], atol=ATOL)


def test_bad_input_gets_a_clear_error(rng):
    # Check that a gamma of the wrong length and x without a time axis are refused with a clear message.
    with pytest.raises(ValueError, match="gamma"):
        ex.layernorm_forward(np.ones((2, 3)), np.ones(4), np.zeros(4))
    with pytest.raises(ValueError, match=r"\(N, T, 4\)"):
        ex.transformer_block_forward(np.ones((2, 4)), ex.init_block(4, 6, rng), 2)
