"""Tests for ex17_multi_head_attention: head reshapes, forward and backward, positional encodings."""

import numpy as np
import pytest
from scipy.special import softmax

import utils
from utils import gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex17_multi_head_attention.py")
attention = utils.load_exercise("06-intro-to-deep-learning/ex16_attention.py", practice=False)

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12


def _params(rng, dim):
    params = ex.init_multi_head_attention(dim, rng)
    for name in ("bq", "bk", "bv", "bo"):
        params[name] = 0.1 * rng.standard_normal(dim)  # non-zero biases, so their gradients are tested too
    return params


def _reference(x_q, x_kv, params, n_heads, mask=None):
    """Multi-head attention written out head by head with scipy's softmax."""
    q, k, v = x_q @ params["Wq"] + params["bq"], x_kv @ params["Wk"] + params["bk"], x_kv @ params["Wv"] + params["bv"]
    d = q.shape[-1] // n_heads
    heads = []
    for j in range(n_heads):
        cols = slice(j * d, (j + 1) * d)
        scores = q[..., cols] @ np.swapaxes(k[..., cols], -1, -2) / np.sqrt(d)  # (N, Tq, Tk)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        heads.append(softmax(scores, axis=-1) @ v[..., cols])
    return np.concatenate(heads, axis=-1) @ params["Wo"] + params["bo"]


def test_split_and_merge_heads_by_hand():
    # Check by hand: with D = 4 and 2 heads, head 0 holds columns 0-1 and head 1 columns 2-3.
    x = np.arange(8.0).reshape(1, 2, 4)  # rows [0 1 2 3] and [4 5 6 7]
    heads = ex.split_heads(x, 2)
    np.testing.assert_array_equal(heads, [[[[0, 1], [4, 5]], [[2, 3], [6, 7]]]])
    np.testing.assert_array_equal(ex.merge_heads(heads), x)


def test_merge_undoes_split(rng):
    # Check merge_heads(split_heads(x)) == x for several head counts.
    x = rng.standard_normal((3, 5, 12))
    for heads in (1, 2, 3, 4, 6, 12):
        np.testing.assert_array_equal(ex.merge_heads(ex.split_heads(x, heads)), x)


@pytest.mark.parametrize("n_heads", [1, 2, 4])
def test_forward_matches_a_head_by_head_reference(n_heads, rng):
    # Check multi-head attention against a loop over heads written here, with a causal mask.
    params = _params(rng, 8)
    x = rng.standard_normal((2, 5, 8))
    mask = attention.causal_mask(5)
    np.testing.assert_allclose(ex.multi_head_attention_forward(x, x, params, n_heads, mask)[0], _reference(x, x, params, n_heads, mask), atol=ATOL)


def test_one_head_is_single_head_attention_with_projections(rng):
    # Check that heads = 1 is ex16's attention on (x Wq + bq, x Wk + bk, x Wv + bv), then Wo, bo.
    params = _params(rng, 6)
    x_q, x_kv = rng.standard_normal((2, 3, 6)), rng.standard_normal((2, 4, 6))
    mask = attention.padding_mask([4, 2], 4)  # (2, 1, 4)
    single, _ = attention.attention_forward(
        x_q @ params["Wq"] + params["bq"], x_kv @ params["Wk"] + params["bk"], x_kv @ params["Wv"] + params["bv"], mask
    )
    expected = single @ params["Wo"] + params["bo"]
    np.testing.assert_allclose(ex.multi_head_attention_forward(x_q, x_kv, params, 1, mask)[0], expected, atol=ATOL)


CASES = {
    "self-batch-1-causal": (1, 4, 4, 2, "causal"),
    "self-batch-2-padding": (2, 4, 4, 2, "padding"),
    "cross-batch-2-4-heads": (2, 3, 5, 4, "padding"),
    "cross-1-head-no-mask": (2, 2, 3, 1, None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_backward_matches_numerical_gradients(case, rng):
    # Check the gradients of both inputs and all eight parameters, with masks and batch size 1.
    n, tq, tk, heads, mask_kind = CASES[case]
    dim = 4
    params = _params(rng, dim)
    x_q, x_kv = rng.standard_normal((n, tq, dim)), rng.standard_normal((n, tk, dim))
    mask = {"causal": attention.causal_mask(tq), "padding": attention.padding_mask(np.arange(n) + tk - 1, tk), None: None}[mask_kind]
    dout = rng.standard_normal((n, tq, dim))
    dx_q, dx_kv, grads = ex.multi_head_attention_backward(dout, ex.multi_head_attention_forward(x_q, x_kv, params, heads, mask)[1])
    assert set(grads) == set(ex.PARAM_NAMES)

    def f(_):
        return ex.multi_head_attention_forward(x_q, x_kv, params, heads, mask)[0]

    gradcheck.check_gradient(f, x_q, dx_q, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(f, x_kv, dx_kv, dout, tol=GRAD_TOL)
    for name in ex.PARAM_NAMES:
        if name == "bk":  # q . (k + bk) shifts a whole row of scores by q . bk, which softmax ignores: dbk = 0
            numeric = gradcheck.numerical_gradient_array(f, params[name], dout)
            np.testing.assert_allclose(grads[name], 0.0, atol=1e-12)
            np.testing.assert_allclose(numeric, 0.0, atol=1e-8)
            continue
        gradcheck.check_gradient(f, params[name], grads[name], dout, tol=GRAD_TOL)


def test_self_attention_input_gradient_is_the_sum_of_both_paths(rng):
    # Check that for x_q = x_kv = x, dL/dx = dx_q + dx_kv (x reaches the loss as query, key and value).
    params = _params(rng, 4)
    x = rng.standard_normal((2, 3, 4))
    mask = attention.causal_mask(3)
    dout = rng.standard_normal((2, 3, 4))
    dx_q, dx_kv, _ = ex.multi_head_attention_backward(dout, ex.multi_head_attention_forward(x, x, params, 2, mask)[1])
    gradcheck.check_gradient(lambda v: ex.multi_head_attention_forward(v, v, params, 2, mask)[0], x, dx_q + dx_kv, dout, tol=GRAD_TOL)


def test_masks_are_respected_in_every_head(rng):
    # Check that padded key positions do not change the output, and the causal mask hides later positions.
    params = _params(rng, 8)
    x = rng.standard_normal((2, 5, 8))
    pad = attention.padding_mask([3, 5], 5)
    out, _ = ex.multi_head_attention_forward(x, x, params, 4, pad)
    changed = x.copy()
    changed[0, 3:] = 100.0  # padding of sequence 0
    np.testing.assert_allclose(ex.multi_head_attention_forward(x, changed, params, 4, pad)[0], out, atol=1e-10)
    causal = attention.causal_mask(5)
    out, _ = ex.multi_head_attention_forward(x, x, params, 4, causal)
    changed = x.copy()
    changed[:, 2] += 1.0
    after, _ = ex.multi_head_attention_forward(changed, changed, params, 4, causal)
    np.testing.assert_allclose(after[:, :2], out[:, :2], atol=1e-10)
    assert np.abs(after[:, 2:] - out[:, 2:]).min(axis=-1).max() > 0


def test_positional_encoding_by_hand():
    # Check by hand for D = 4: frequencies 1 and 10000^(-2/4) = 1/100;
    # PE[0] = (0, 1, 0, 1), PE[1] = (sin 1, cos 1, sin 0.01, cos 0.01), PE[3, 2] = sin 0.03.
    pe = ex.positional_encoding(5, 4)
    assert pe.shape == (5, 4)
    np.testing.assert_allclose(pe[0], [0.0, 1.0, 0.0, 1.0], atol=ATOL)
    np.testing.assert_allclose(pe[1], [np.sin(1), np.cos(1), np.sin(0.01), np.cos(0.01)], atol=ATOL)
    assert pe[3, 2] == pytest.approx(np.sin(0.03), abs=ATOL)
    assert pe[4, 3] == pytest.approx(np.cos(0.04), abs=ATOL)


def test_positional_encoding_at_chosen_positions_and_odd_width():
    # Check the formula at p = 7 for D = 6, and at p = 3 for an odd D = 5 (its last column is a sine).
    pe = ex.positional_encoding(8, 6)
    freqs = [1.0, 10000 ** (-2 / 6), 10000 ** (-4 / 6)]
    expected = [f(7 * w) for w in freqs for f in (np.sin, np.cos)]
    np.testing.assert_allclose(pe[7], expected, atol=ATOL)
    odd = ex.positional_encoding(4, 5)
    freqs = [1.0, 10000 ** (-2 / 5), 10000 ** (-4 / 5)]
    expected = [np.sin(3 * freqs[0]), np.cos(3 * freqs[0]), np.sin(3 * freqs[1]), np.cos(3 * freqs[1]), np.sin(3 * freqs[2])]
    np.testing.assert_allclose(odd[3], expected, atol=ATOL)


def test_positional_encoding_dot_products_depend_only_on_the_offset():
    # Check the property PE[p] . PE[p + k] = sum_i cos(k w_i), the same for every p.
    pe = ex.positional_encoding(50, 16)
    for k in (1, 5, 13):
        dots = np.sum(pe[:-k] * pe[k:], axis=1)
        np.testing.assert_allclose(dots, dots[0], atol=1e-10)
    np.testing.assert_allclose(np.sum(pe**2, axis=1), 8.0, atol=1e-10)  # sin^2 + cos^2 = 1 for each of 8 pairs


def test_bad_input_gets_a_clear_error(rng):
    # Check that a model width not divisible by the heads, wrong shapes and bad masks are refused.
    params = _params(rng, 6)
    x = rng.standard_normal((2, 3, 6))
    with pytest.raises(ValueError, match="divisible"):
        ex.multi_head_attention_forward(x, x, params, 4)
    with pytest.raises(ValueError, match=r"x_q \(N, Tq, 6\)"):
        ex.multi_head_attention_forward(x[0], x, params, 2)
    with pytest.raises(ValueError, match="mask"):
        ex.multi_head_attention_forward(x, x, params, 2, np.ones((1, 1, 3, 3), dtype=bool))
    with pytest.raises(ValueError, match="must be a positive integer"):
        ex.positional_encoding(0, 4)
