"""Tests for ex16_attention: masks, a stable masked softmax, attention forward and backward."""

import numpy as np
import pytest
from scipy.special import softmax

import utils
from utils import gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex16_attention.py")

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12


def _weights_of(q, k, mask=None):
    """The attention weights, read through the output: with v = identity, out = P."""
    tk = k.shape[-2]
    eye = np.broadcast_to(np.eye(tk), k.shape[:-2] + (tk, tk)).copy()
    return ex.attention_forward(q, k, eye, mask)[0]


def test_masks_by_hand():
    # Check the two masks on tiny cases worked out by hand.
    np.testing.assert_array_equal(ex.causal_mask(3), [[True, False, False], [True, True, False], [True, True, True]])
    np.testing.assert_array_equal(ex.padding_mask([2, 0, 3], 3), [[[True, True, False]], [[False, False, False]], [[True, True, True]]])


def test_attention_matches_a_direct_reference(rng):
    # Check out = softmax(q k^T / sqrt(d_k)) v against scipy's softmax, with batch and head axes.
    q, k, v = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((2, 3, 6, 7))
    expected = softmax(np.einsum("bhid,bhjd->bhij", q, k) / np.sqrt(5), axis=-1) @ v
    np.testing.assert_allclose(ex.attention_forward(q, k, v)[0], expected, atol=ATOL)


def test_masked_attention_matches_a_reference_on_the_allowed_keys(rng):
    # Check each masked row against scipy's softmax over its allowed keys only.
    q, k, v = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 5, 2))
    mask = ex.padding_mask([3, 5], 5) & ex.causal_mask(5)  # (2, 5, 5)
    out, _ = ex.attention_forward(q, k, v, mask)
    for n in range(2):
        for i in range(5):
            allowed = np.flatnonzero(mask[n, i])
            weights = softmax(q[n, i] @ k[n, allowed].T / np.sqrt(3))
            np.testing.assert_allclose(out[n, i], weights @ v[n, allowed], atol=ATOL)


def test_scores_are_divided_by_sqrt_dk():
    # Check by hand: q = (1, 1, 1, 1), keys (1, 1, 1, 1) and 0, d_k = 4, so the scores are 4/2 = 2 and 0
    # and the weights are (e^2, 1) / (e^2 + 1); without the scaling they would be (e^4, 1) / (e^4 + 1).
    q = np.ones((1, 4))
    k = np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    p = np.exp(2.0) / (np.exp(2.0) + 1.0)
    np.testing.assert_allclose(_weights_of(q, k), [[p, 1 - p]], atol=ATOL)


def test_rows_sum_to_one_and_masked_keys_get_zero_weight(rng):
    # Check that every row with an allowed key sums to 1 and masked entries are exactly 0.
    q, k = rng.standard_normal((3, 6, 4)), rng.standard_normal((3, 6, 4))
    mask = ex.padding_mask([6, 2, 4], 6) & ex.causal_mask(6)
    weights = _weights_of(q, k, mask)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=ATOL)
    assert np.all(weights[~mask] == 0.0)
    assert np.all(weights[mask] > 0.0)


def test_masked_keys_do_not_change_the_output(rng):
    # Check that changing a padded key and its value (even to huge numbers) leaves the output unchanged.
    q, k, v = rng.standard_normal((1, 4, 3)), rng.standard_normal((1, 5, 3)), rng.standard_normal((1, 5, 2))
    mask = ex.padding_mask([3], 5)
    out, _ = ex.attention_forward(q, k, v, mask)
    k[:, 3:] = 1e6
    v[:, 3:] = -1e6
    np.testing.assert_allclose(ex.attention_forward(q, k, v, mask)[0], out, atol=ATOL)


def test_causal_mask_hides_the_future(rng):
    # Check that perturbing position 3 of k and v changes only the outputs at positions 3 and later.
    q, k, v = rng.standard_normal((1, 6, 4)), rng.standard_normal((1, 6, 4)), rng.standard_normal((1, 6, 4))
    before, _ = ex.attention_forward(q, k, v, ex.causal_mask(6))
    k[:, 3] += 1.0
    v[:, 3] += 1.0
    after, _ = ex.attention_forward(q, k, v, ex.causal_mask(6))
    np.testing.assert_allclose(after[:, :3], before[:, :3], atol=ATOL)
    assert np.all(np.abs(after[:, 3:] - before[:, 3:]).max(axis=-1) > 1e-6)


def test_softmax_is_finite_at_extreme_scores():
    # Check +-1000 scores: the masked softmax equals scipy's (max-subtracted) softmax, finite, no warnings.
    scores = np.array([[1000.0, -1000.0, 999.0], [-1000.0, -1000.0, -1001.0]])
    weights = ex.masked_softmax(scores)
    assert np.all(np.isfinite(weights))
    np.testing.assert_allclose(weights, softmax(scores, axis=-1), atol=ATOL)
    # A masked entry with a huge score must neither overflow nor take any weight.
    mask = np.array([[False, True, True], [True, True, True]])
    masked = ex.masked_softmax(scores, mask)
    np.testing.assert_allclose(masked[0], [0.0, *softmax([-1000.0, 999.0])], atol=ATOL)


def test_fully_masked_rows_give_zeros_without_nan(rng):
    # Check the documented choice: a query with no allowed key gets zero weights, zero output and zero gradients.
    q, k, v = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 2))
    mask = ex.padding_mask([0, 2], 3)  # sequence 0 has no real key at all
    out, cache = ex.attention_forward(q, k, v, mask)
    np.testing.assert_array_equal(out[0], 0.0)
    np.testing.assert_allclose(_weights_of(q, k, mask)[1].sum(axis=-1), 1.0, atol=ATOL)
    dq, dk, dv = ex.attention_backward(np.ones_like(out), cache)
    for grad in (dq[0], dk[0], dv[0]):
        np.testing.assert_array_equal(grad, 0.0)


MASK_CASES = {
    "no-mask": lambda n, t: None,
    "causal": lambda n, t: ex.causal_mask(t),
    "padding": lambda n, t: ex.padding_mask(np.arange(n) % t + 1, t),
    "padding+causal": lambda n, t: ex.padding_mask(np.maximum(t - np.arange(n), 1), t) & ex.causal_mask(t),
}


@pytest.mark.parametrize("mask_name", list(MASK_CASES))
@pytest.mark.parametrize("shape", [(1, 3, 4, 2), (3, 5, 3, 4)], ids=["batch-1", "batch-3"])
def test_attention_backward_matches_numerical_gradients(shape, mask_name, rng):
    # Check dq, dk and dv against central differences, with each kind of mask and batch size 1.
    n, t, d_k, d_v = shape
    q, k, v = rng.standard_normal((n, t, d_k)), rng.standard_normal((n, t, d_k)), rng.standard_normal((n, t, d_v))
    mask = MASK_CASES[mask_name](n, t)
    dout = rng.standard_normal((n, t, d_v))
    dq, dk, dv = ex.attention_backward(dout, ex.attention_forward(q, k, v, mask)[1])
    gradcheck.check_gradient(lambda a: ex.attention_forward(a, k, v, mask)[0], q, dq, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda a: ex.attention_forward(q, a, v, mask)[0], k, dk, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda a: ex.attention_forward(q, k, a, mask)[0], v, dv, dout, tol=GRAD_TOL)


def test_cross_attention_gradients_with_different_lengths(rng):
    # Check the gradients when Tq != Tk and d_k != d_v (queries from one sequence, keys from another).
    q, k, v = rng.standard_normal((2, 2, 3)), rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 5, 4))
    mask = ex.padding_mask([5, 3], 5)
    dout = rng.standard_normal((2, 2, 4))
    dq, dk, dv = ex.attention_backward(dout, ex.attention_forward(q, k, v, mask)[1])
    gradcheck.check_gradient(lambda a: ex.attention_forward(a, k, v, mask)[0], q, dq, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda a: ex.attention_forward(q, a, v, mask)[0], k, dk, dout, tol=GRAD_TOL)
    np.testing.assert_array_equal(dk[1, 3:], 0.0)  # padded keys receive no gradient
    np.testing.assert_array_equal(dv[1, 3:], 0.0)


def test_bad_input_gets_a_clear_error(rng):
    # Check shape and mask errors name what was expected.
    q = rng.standard_normal((2, 3, 4))
    with pytest.raises(ValueError, match="d_k"):
        ex.attention_forward(q, rng.standard_normal((2, 3, 5)), q)
    with pytest.raises(ValueError, match="does not broadcast"):
        ex.attention_forward(q, q, q, np.ones((4, 4), dtype=bool))
    with pytest.raises(TypeError, match="boolean"):
        ex.attention_forward(q, q, q, np.ones((3, 3)))
    with pytest.raises(ValueError, match="lengths"):
        ex.padding_mask([4], 3)
