"""Tests for utils.nn and utils.optim: module 06's layers (activations, affine, losses, MLP, layer norm, attention, multi-head attention, the transformer block) and 05.08's optimizers as a library."""

import numpy as np
import pytest
from scipy.special import expit, log_softmax, softmax

from utils import gradcheck, nn, optim

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12


def test_sigmoid_softmax_log_softmax_match_scipy_and_stay_finite():
    # Check the stable activations against SciPy, including inputs whose naive exp overflows.
    z = np.array([[-800.0, 0.0, 3.0], [1.0, 2.0, 800.0]])
    np.testing.assert_allclose(nn.sigmoid(z), expit(z), atol=ATOL)
    np.testing.assert_allclose(nn.softmax(z), softmax(z, axis=-1), atol=ATOL)
    np.testing.assert_allclose(nn.log_softmax(z), log_softmax(z, axis=-1), atol=1e-9)


@pytest.mark.parametrize("x_shape", [(4, 3), (2, 5, 3)], ids=["2-D", "3-D"])
def test_affine_backward_matches_numerical_gradients(x_shape, rng):
    # Check dx, dw, db of x @ w + b against central differences, with and without a leading batch axis.
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal((3, 2)), rng.standard_normal(2)
    dout = rng.standard_normal(x_shape[:-1] + (2,))
    dx, dw, db = nn.affine_backward(dout, nn.affine_forward(x, w, b)[1])
    gradcheck.check_gradient(lambda v: nn.affine_forward(v, w, b)[0], x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: nn.affine_forward(x, v, b)[0], w, dw, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: nn.affine_forward(x, w, v)[0], b, db, dout, tol=GRAD_TOL)


@pytest.mark.parametrize("name", ["relu", "tanh"])
def test_activation_backward_matches_numerical_gradient(name, rng):
    # Check ReLU and tanh backward passes; inputs are kept away from ReLU's kink at 0.
    forward, backward = getattr(nn, f"{name}_forward"), getattr(nn, f"{name}_backward")
    x = rng.standard_normal((3, 4))
    x[np.abs(x) < 1e-3] = 0.5
    dout = rng.standard_normal(x.shape)
    gradcheck.check_gradient(lambda v: forward(v)[0], x, backward(dout, forward(x)[1]), dout, tol=GRAD_TOL)


def test_softmax_cross_entropy_value_and_gradient(rng):
    # Check the loss against -mean(log_softmax) from SciPy and its gradient against central differences.
    logits, y = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    loss, dlogits = nn.softmax_cross_entropy(logits, y)
    np.testing.assert_allclose(loss, -log_softmax(logits, axis=1)[np.arange(5), y].mean(), atol=ATOL)
    gradcheck.check_gradient(lambda v: np.array(nn.softmax_cross_entropy(v, y)[0]), logits, dlogits, tol=GRAD_TOL)


def test_mse_loss_by_hand():
    # Check L = 1/N sum ||p - y||^2 / 2 on two rows: ((1 + 4) / 2 + 0) / 2 = 1.25, dp = (p - y) / N.
    loss, dpred = nn.mse_loss(np.array([[1.0, 2.0], [0.0, 0.0]]), np.zeros((2, 2)))
    np.testing.assert_allclose(loss, 1.25, atol=ATOL)
    np.testing.assert_allclose(dpred, [[0.5, 1.0], [0.0, 0.0]], atol=ATOL)


def test_sgd_with_momentum_by_hand():
    # Check two momentum steps on a constant gradient g = 1: v = 1 then 1.9; theta = 1 - 0.1 - 0.19.
    params = {"w": np.array([1.0])}
    opt = optim.SGD(lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.step(params, {"w": np.array([1.0])})
    np.testing.assert_allclose(params["w"], [1.0 - 0.1 - 0.19], atol=ATOL)


def test_adam_first_step_is_lr_times_sign_and_minimises_a_quadratic():
    # Check Adam's bias correction (first step = lr * g / (|g| + eps)) and that it drives x^2 to 0.
    params = {"w": np.array([3.0, -2.0])}
    opt = optim.Adam(lr=0.01)
    opt.step(params, {"w": 2 * params["w"]})
    np.testing.assert_allclose(params["w"], [2.99, -1.99], atol=1e-8)
    opt = optim.Adam(lr=0.05)
    for _ in range(2000):
        opt.step(params, {"w": 2 * params["w"]})
    np.testing.assert_allclose(params["w"], 0.0, atol=1e-3)


@pytest.mark.parametrize("make, match", [(lambda: optim.SGD(lr=-1), "lr"), (lambda: optim.SGD(momentum=1.0), "momentum"),
                                         (lambda: optim.Adam(beta1=1.0), "beta1")])
def test_optimizers_refuse_bad_hyperparameters(make, match):
    # Check that an out-of-range hyperparameter is refused by name.
    with pytest.raises(ValueError, match=match):
        make()


def test_step_refuses_missing_or_misshapen_gradients():
    # Check that step names a parameter without a gradient and a gradient of the wrong shape.
    params = {"w": np.zeros(3)}
    with pytest.raises(ValueError, match="no entry"):
        optim.Adam().step(params, {})
    with pytest.raises(ValueError, match="shape"):
        optim.Adam().step(params, {"w": np.zeros(2)})


def test_layers_refuse_mismatched_shapes():
    # Check the clear errors of affine_forward and softmax_cross_entropy.
    with pytest.raises(ValueError, match="expected x"):
        nn.affine_forward(np.zeros((2, 3)), np.zeros((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="integer labels"):
        nn.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))


# --- attention, multi-head attention, layer norm, the transformer block, the MLP (06.14-06.16 as a library) ---


def _reference_attention(q, k, v, mask):
    """A loop over the rows with SciPy's softmax: an independent check of nn.attention_forward."""
    out = np.zeros(q.shape[:-1] + v.shape[-1:])
    for index in np.ndindex(q.shape[:-2]):
        for i in range(q.shape[-2]):
            allowed = np.broadcast_to(mask, q.shape[:-2] + (q.shape[-2], k.shape[-2]))[index + (i,)]
            scores = k[index][allowed] @ q[index + (i,)] / np.sqrt(q.shape[-1])
            out[index + (i,)] = softmax(scores) @ v[index][allowed]
    return out


def test_causal_mask_and_masked_softmax_by_hand():
    # Check the 3 x 3 causal mask by hand, and that a masked entry gets weight 0 and a fully masked row all zeros.
    np.testing.assert_array_equal(nn.causal_mask(3), [[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    weights = nn.masked_softmax(np.array([[0.0, np.log(3.0), 1e300], [1.0, 2.0, 3.0]]),
                                np.array([[True, True, False], [False, False, False]]))
    np.testing.assert_allclose(weights, [[0.25, 0.75, 0.0], [0.0, 0.0, 0.0]], atol=ATOL)


def test_attention_forward_matches_a_row_by_row_reference(rng):
    # Check attention with a causal mask on (2 heads, 4 queries) against a per-row SciPy softmax over the allowed keys.
    q, k, v = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4, 5))
    out, cache = nn.attention_forward(q, k, v, nn.causal_mask(4))
    np.testing.assert_allclose(out, _reference_attention(q, k, v, nn.causal_mask(4)), atol=1e-12)
    np.testing.assert_allclose(cache[3].sum(axis=-1), 1.0, atol=1e-12)


def test_attention_backward_matches_numerical_gradients(rng):
    # Check dq, dk, dv through a padding-style mask (N, 1, Tk) against central differences.
    q, k, v = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4)), rng.standard_normal((2, 5, 2))
    mask = np.arange(5) < np.array([3, 5])[:, None, None]  # (2, 1, 5)
    dout = rng.standard_normal((2, 3, 2))
    dq, dk, dv = nn.attention_backward(dout, nn.attention_forward(q, k, v, mask)[1])
    for x, grad, f in ((q, dq, lambda t: nn.attention_forward(t, k, v, mask)[0]), (k, dk, lambda t: nn.attention_forward(q, t, v, mask)[0]),
                       (v, dv, lambda t: nn.attention_forward(q, k, t, mask)[0])):
        gradcheck.check_gradient(f, x, grad, dout, tol=GRAD_TOL)


def test_multi_head_attention_matches_per_head_reference_and_its_gradients(rng):
    # Check MHA against projecting by hand and running the reference attention on each head's column slice,
    # then every input and parameter gradient against central differences.
    params = nn.init_multi_head_attention(4, rng)
    params = {name: value + 0.1 * rng.standard_normal(value.shape) for name, value in params.items()}  # nonzero biases
    x_q, x_kv, mask = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4)), np.ones((3, 5), dtype=bool)
    mask[0, 2:] = False
    out, cache = nn.multi_head_attention_forward(x_q, x_kv, params, 2, mask)
    q, k, v = (x @ params[f"W{n}"] + params[f"b{n}"] for x, n in ((x_q, "q"), (x_kv, "k"), (x_kv, "v")))
    heads = [_reference_attention(q[..., s], k[..., s], v[..., s], mask) for s in (slice(0, 2), slice(2, 4))]
    np.testing.assert_allclose(out, np.concatenate(heads, axis=-1) @ params["Wo"] + params["bo"], atol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx_q, dx_kv, grads = nn.multi_head_attention_backward(dout, cache)
    gradcheck.check_gradient(lambda t: nn.multi_head_attention_forward(t, x_kv, params, 2, mask)[0], x_q, dx_q, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda t: nn.multi_head_attention_forward(x_q, t, params, 2, mask)[0], x_kv, dx_kv, dout, tol=GRAD_TOL)
    for name in ("Wq", "bq", "Wk", "Wv", "bv", "Wo", "bo"):
        gradcheck.check_gradient(lambda _: nn.multi_head_attention_forward(x_q, x_kv, params, 2, mask)[0], params[name], grads[name],
                                 dout, tol=GRAD_TOL)
    np.testing.assert_allclose(grads["bk"], 0.0, atol=1e-12)  # a softmax ignores a shift of its whole row


def test_split_and_merge_heads_by_hand():
    # Check that head j gets columns j*d..(j+1)*d - 1 and that merge_heads undoes split_heads.
    x = np.arange(12.0).reshape(1, 2, 6)
    heads = nn.split_heads(x, 3)
    np.testing.assert_array_equal(heads[0, 1], [[2, 3], [8, 9]])
    np.testing.assert_array_equal(nn.merge_heads(heads), x)


def test_positional_encoding_by_hand_and_its_offset_property():
    # Check PE[0] = (0, 1, 0, 1), PE[1] = (sin 1, cos 1, sin 0.01, cos 0.01) for D = 4, and that
    # PE[p] . PE[p + 7] is the same for every p (it depends only on the offset).
    pe = nn.positional_encoding(50, 4)
    np.testing.assert_allclose(pe[:2], [[0, 1, 0, 1], [np.sin(1), np.cos(1), np.sin(0.01), np.cos(0.01)]], atol=ATOL)
    dots = np.sum(pe[:-7] * pe[7:], axis=1)
    np.testing.assert_allclose(dots, dots[0], atol=1e-12)


def test_layernorm_normalises_rows_and_its_gradients(rng):
    # Check that with gamma = 1, beta = 0 each row of a 3-D input has mean 0 and variance 1 / (1 + eps / var),
    # then dx, dgamma, dbeta against central differences.
    x, gamma, beta = 3 + 2 * rng.standard_normal((2, 3, 5)), rng.standard_normal(5), rng.standard_normal(5)
    out = nn.layernorm_forward(x, np.ones(5), np.zeros(5))[0]
    np.testing.assert_allclose(out.mean(axis=-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=-1), x.var(axis=-1) / (x.var(axis=-1) + 1e-5), atol=1e-12)
    dout = rng.standard_normal(x.shape)
    dx, dgamma, dbeta = nn.layernorm_backward(dout, nn.layernorm_forward(x, gamma, beta)[1])
    gradcheck.check_gradient(lambda t: nn.layernorm_forward(t, gamma, beta)[0], x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda t: nn.layernorm_forward(x, t, beta)[0], gamma, dgamma, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda t: nn.layernorm_forward(x, gamma, t)[0], beta, dbeta, dout, tol=GRAD_TOL)


def test_transformer_block_is_identity_with_silent_branches_and_its_gradients(rng):
    # Check that with Wo, bo, W2, b2 = 0 both residual branches add nothing (out = x), then that a causal block's
    # dx and every parameter gradient match central differences.
    x, mask = rng.standard_normal((2, 4, 4)), nn.causal_mask(4)
    params = nn.init_block(4, 6, rng)
    silent = {**params, "Wo": 0 * params["Wo"], "W2": 0 * params["W2"]}
    np.testing.assert_allclose(nn.transformer_block_forward(x, silent, 2, mask)[0], x, atol=ATOL)
    params = {name: value + 0.1 * rng.standard_normal(value.shape) for name, value in params.items()}
    out, cache = nn.transformer_block_forward(x, params, 2, mask)
    dout = rng.standard_normal(out.shape)
    dx, grads = nn.transformer_block_backward(dout, cache)
    gradcheck.check_gradient(lambda t: nn.transformer_block_forward(t, params, 2, mask)[0], x, dx, dout, tol=GRAD_TOL)
    for name in ("ln1_gamma", "ln1_beta", "Wq", "Wk", "Wv", "Wo", "ln2_gamma", "ln2_beta", "W1", "b1", "W2", "b2"):
        gradcheck.check_gradient(lambda _: nn.transformer_block_forward(x, params, 2, mask)[0], params[name], grads[name],
                                 dout, tol=GRAD_TOL)


def test_mlp_forward_by_hand_and_its_gradients(rng):
    # Check a 1-1-1 MLP by hand (relu(2 * -1 + 1) = 0 and relu(2 * 3 + 1) = 7, times 3, plus 0.5), then the
    # gradients of a 3-5-4-2 MLP against central differences.
    tiny = {"W1": np.array([[2.0]]), "b1": np.array([1.0]), "W2": np.array([[3.0]]), "b2": np.array([0.5])}
    np.testing.assert_allclose(nn.mlp_forward(tiny, np.array([[-1.0], [3.0]]))[0], [[0.5], [21.5]], atol=ATOL)
    params, x = nn.mlp_init([3, 5, 4, 2], rng), rng.standard_normal((6, 3))
    out, caches = nn.mlp_forward(params, x)
    dout = rng.standard_normal(out.shape)
    dx, grads = nn.mlp_backward(dout, caches)
    gradcheck.check_gradient(lambda t: nn.mlp_forward(params, t)[0], x, dx, dout, tol=GRAD_TOL)
    for name in params:
        gradcheck.check_gradient(lambda _: nn.mlp_forward(params, x)[0], params[name], grads[name], dout, tol=GRAD_TOL)


def test_attention_layers_refuse_bad_shapes():
    # Check the clear errors: heads that do not divide D, a mask of the wrong shape, misshapen q/k/v.
    with pytest.raises(ValueError, match="divisible"):
        nn.split_heads(np.zeros((1, 2, 6)), 4)
    with pytest.raises(ValueError, match="broadcast"):
        nn.attention_forward(np.zeros((3, 2)), np.zeros((4, 2)), np.zeros((4, 2)), np.ones((3, 3), dtype=bool))
    with pytest.raises(ValueError, match="expected q"):
        nn.attention_forward(np.zeros((3, 2)), np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="gamma"):
        nn.layernorm_forward(np.zeros((2, 3)), np.ones(4), np.zeros(4))

# --- dropout ---
def test_dropout_keeps_the_mean_and_passes_gradients_through_the_kept_units():
    # Check inverted dropout: the identity in test mode; in train mode each entry is 0 or x / (1 - p),
    # about a fraction p is dropped, the mean is kept, and the gradient is dout times the same mask.
    rng = np.random.default_rng(0)
    x = np.ones((200, 100))
    out, cache = nn.dropout_forward(x, 0.3, "test")
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(nn.dropout_backward(x, cache), x)
    out, cache = nn.dropout_forward(x, 0.3, "train", rng)
    assert set(np.unique(out)) <= {0.0, 1 / 0.7}
    assert abs(np.mean(out == 0) - 0.3) < 0.01 and abs(out.mean() - 1.0) < 0.02
    dout = rng.standard_normal(x.shape)
    np.testing.assert_allclose(nn.dropout_backward(dout, cache), dout * out, atol=ATOL)
    with pytest.raises(ValueError, match="random generator"):
        nn.dropout_forward(x, 0.3, "train")
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        nn.dropout_forward(x, 1.0, "train", rng)
