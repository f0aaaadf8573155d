"""The layers of module 06, as a library: CS231n-style forward/backward pairs.

Written and explained in 06-intro-to-deep-learning: the activation functions (sigmoid,
softmax), backpropagation (affine, ReLU, tanh, the losses), the MLP, layer normalization,
scaled dot-product attention with masks, multi-head attention with sinusoidal positional
encodings, and the pre-LN transformer block. Later lessons (modules 07-08) take them from
here instead of loading those exercises, the way module 03 takes scikit-learn's metrics
after writing its own.

Every ``*_forward`` returns ``(out, cache)``; every ``*_backward(dout, cache)``
returns the gradients of its inputs. A loss returns ``(loss, dscores)``, averaged
over the N rows. Shapes: x (N, D), w (D, M), b (M,), logits (N, C), labels y (N,).
"""
import numpy as np

from utils.validation import as_float_array, check_grad_shape, check_same_shape


def sigmoid(x):
    """1 / (1 + e^-x) for any x: only exp(-|x|) is ever computed, so nothing overflows."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z, axis=-1):
    """Softmax along ``axis``, with the maximum subtracted first so exp cannot overflow."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    """log softmax(z) by log-sum-exp: finite for any finite z."""
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def affine_forward(x, w, b):
    """out = x @ w + b; x may have leading batch axes (..., D)."""
    x, w, b = as_float_array(x, "x"), as_float_array(w, "w", ndim=2), as_float_array(b, "b", ndim=1)
    if x.shape[-1] != w.shape[0] or b.shape != (w.shape[1],):
        raise ValueError(f"expected x (..., D), w (D, M), b (M,); got {x.shape}, {w.shape}, {b.shape}")
    return x @ w + b, (x, w)


def affine_backward(dout, cache):
    """(dx, dw, db): dx = dout @ w.T, dw = sum over rows of x^T dout, db = sum of dout."""
    x, w = cache
    dout = as_float_array(dout, "dout")
    check_grad_shape(dout, x.shape[:-1] + (w.shape[1],))
    x2, dout2 = x.reshape(-1, x.shape[-1]), dout.reshape(-1, w.shape[1])  # batch axes flattened
    return dout @ w.T, x2.T @ dout2, dout2.sum(axis=0)


def relu_forward(x):
    x = as_float_array(x, "x")
    return np.maximum(0.0, x), x


def relu_backward(dout, cache):
    check_grad_shape(dout, cache.shape)
    return dout * (cache > 0)


def tanh_forward(x):
    out = np.tanh(as_float_array(x, "x"))
    return out, out


def tanh_backward(dout, cache):
    check_grad_shape(dout, cache.shape)
    return dout * (1.0 - cache**2)


def softmax_cross_entropy(logits, y):
    """Mean of -log softmax(logits)[n, y_n] over the N rows; returns (loss, dlogits)."""
    logits, y = as_float_array(logits, "logits", ndim=2), np.asarray(y)
    if y.shape != (len(logits),) or not np.issubdtype(y.dtype, np.integer) or len(y) == 0 or y.min() < 0 or y.max() >= logits.shape[1]:
        raise ValueError(f"expected logits (N, C) and y (N,) of integer labels in 0..C-1; got {logits.shape} and y {y.dtype} {y.shape}")
    rows = np.arange(len(y))
    log_probs = log_softmax(logits, axis=1)  # (N, C)
    dlogits = np.exp(log_probs)  # softmax, (N, C)
    dlogits[rows, y] -= 1.0
    return -log_probs[rows, y].mean(), dlogits / len(y)


def mse_loss(pred, y):
    """L = 1/N sum ||pred_n - y_n||^2 / 2; returns (loss, dpred)."""
    pred, y = as_float_array(pred, "pred"), as_float_array(y, "y")
    check_same_shape(pred, y, ("pred", "y"))
    if len(pred) == 0:
        raise ValueError("mse_loss needs at least one row; got empty pred and y")
    diff = pred - y
    return 0.5 * np.sum(diff**2) / len(pred), diff / len(pred)


# --- Attention and the transformer block (module 06's ex16-ex18, as a library) ---
# Shapes: N batch, T positions (Tq queries, Tk keys), D model width, h heads of width d = D / h,
# F the hidden width of a block's MLP.


def causal_mask(n_positions):
    """(T, T) boolean mask, True on and below the diagonal: position i may attend to 0..i."""
    if int(n_positions) != n_positions or n_positions < 1:
        raise ValueError(f"n_positions must be a positive integer; got {n_positions!r}")
    return np.tril(np.ones((int(n_positions), int(n_positions)), dtype=bool))


def masked_softmax(scores, mask=None):
    """Softmax over the last axis counting only entries where mask is True (a fully masked row gives 0s).

    Shift by the largest ALLOWED score and put -inf on masked entries before exp: exp(-inf) = 0
    exactly, and no huge masked score can overflow.
    """
    scores = as_float_array(scores, "scores")
    if mask is None:
        return softmax(scores, axis=-1)
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"mask must be boolean (True = may attend); got dtype {mask.dtype}")
    if np.broadcast_shapes(mask.shape, scores.shape) != scores.shape:
        raise ValueError(f"mask of shape {mask.shape} does not broadcast to the scores' shape {scores.shape}")
    row_max = np.max(np.where(mask, scores, -np.inf), axis=-1, keepdims=True)  # (..., 1)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # a fully masked row: any finite shift
    weights = np.exp(np.where(mask, scores - row_max, -np.inf))  # (..., Tk)
    total = weights.sum(axis=-1, keepdims=True)
    return weights / np.where(total > 0, total, 1.0)


def attention_forward(q, k, v, mask=None):
    """out = softmax(q k^T / sqrt(d_k), masked) v for q (..., Tq, d_k), k (..., Tk, d_k), v (..., Tk, d_v).

    mask broadcasts to (..., Tq, Tk), True = may attend. Returns (out (..., Tq, d_v), cache);
    the attention weights are cache[3].
    """
    q, k, v = as_float_array(q, "q"), as_float_array(k, "k"), as_float_array(v, "v")
    if q.ndim < 2 or q.ndim != k.ndim or k.ndim != v.ndim or q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(f"expected q (..., Tq, d_k), k (..., Tk, d_k), v (..., Tk, d_v); got {q.shape}, {k.shape}, {v.shape}")
    scale = 1.0 / np.sqrt(q.shape[-1])  # keeps the scores' variance near 1 as d_k grows
    weights = masked_softmax((q @ np.swapaxes(k, -1, -2)) * scale, mask)  # (..., Tq, Tk)
    return weights @ v, (q, k, v, weights, scale)


def attention_backward(dout, cache):
    """(dq, dk, dv) from dL/dout (..., Tq, d_v); softmax backward dS = P * (dP - sum_j P dP)."""
    q, k, v, weights, scale = cache
    check_grad_shape(dout, weights.shape[:-1] + v.shape[-1:])
    dv = np.swapaxes(weights, -1, -2) @ dout  # (..., Tk, d_v)
    dweights = dout @ np.swapaxes(v, -1, -2)  # (..., Tq, Tk)
    dscores = weights * (dweights - np.sum(weights * dweights, axis=-1, keepdims=True))  # 0 on masked entries
    return (dscores @ k) * scale, (np.swapaxes(dscores, -1, -2) @ q) * scale, dv


def split_heads(x, n_heads):
    """(N, T, D) -> (N, h, T, D // h): head j gets columns j*d .. (j+1)*d - 1."""
    n, steps, dim = x.shape
    if dim % n_heads:
        raise ValueError(f"d_model = {dim} is not divisible by n_heads = {n_heads}")
    return x.reshape(n, steps, n_heads, dim // n_heads).transpose(0, 2, 1, 3)


def merge_heads(x):
    """(N, h, T, d) -> (N, T, h * d), the inverse of split_heads."""
    n, heads, steps, d = x.shape
    return x.transpose(0, 2, 1, 3).reshape(n, steps, heads * d)


def init_multi_head_attention(d_model, rng):
    """Wq, Wk, Wv, Wo (D, D) with variance 1 / D (Q, K, V keep the input's scale) and zero biases."""
    params = {}
    for name in ("q", "k", "v", "o"):
        params[f"W{name}"] = rng.standard_normal((d_model, d_model)) / np.sqrt(d_model)
        params[f"b{name}"] = np.zeros(d_model)
    return params


def multi_head_attention_forward(x_q, x_kv, params, n_heads, mask=None):
    """Heads of attention of x_q (N, Tq, D) over x_kv (N, Tk, D); returns (out (N, Tq, D), cache).

    mask: boolean (Tq, Tk) or (N, Tq, Tk), True = may attend; it is shared by the heads.
    """
    x_q, x_kv = as_float_array(x_q, "x_q", ndim=3), as_float_array(x_kv, "x_kv", ndim=3)
    if mask is not None and np.ndim(mask) == 3:
        mask = np.asarray(mask)[:, None]  # (N, 1, Tq, Tk): one mask for every head
    q, cache_q = affine_forward(x_q, params["Wq"], params["bq"])  # (N, Tq, D)
    k, cache_k = affine_forward(x_kv, params["Wk"], params["bk"])  # (N, Tk, D)
    v, cache_v = affine_forward(x_kv, params["Wv"], params["bv"])  # (N, Tk, D)
    heads, cache_att = attention_forward(split_heads(q, n_heads), split_heads(k, n_heads), split_heads(v, n_heads), mask)
    out, cache_o = affine_forward(merge_heads(heads), params["Wo"], params["bo"])  # (N, Tq, D)
    return out, (cache_q, cache_k, cache_v, cache_att, cache_o, n_heads)


def multi_head_attention_backward(dout, cache):
    """(dx_q, dx_kv, grads) from dL/dout (N, Tq, D); for self-attention dx = dx_q + dx_kv."""
    cache_q, cache_k, cache_v, cache_att, cache_o, n_heads = cache
    grads = {}
    dmerged, grads["Wo"], grads["bo"] = affine_backward(dout, cache_o)  # (N, Tq, D)
    dq, dk, dv = attention_backward(split_heads(dmerged, n_heads), cache_att)  # (N, h, T, d) each
    dx_q, grads["Wq"], grads["bq"] = affine_backward(merge_heads(dq), cache_q)
    dx_k, grads["Wk"], grads["bk"] = affine_backward(merge_heads(dk), cache_k)
    dx_v, grads["Wv"], grads["bv"] = affine_backward(merge_heads(dv), cache_v)
    return dx_q, dx_k + dx_v, grads  # x_kv feeds both the keys and the values


def positional_encoding(n_positions, d_model):
    """(T, D) sinusoids: PE[p, 2i] = sin(p w_i), PE[p, 2i + 1] = cos(p w_i), w_i = 10000^(-2i / D)."""
    if int(n_positions) != n_positions or int(d_model) != d_model or n_positions < 1 or d_model < 1:
        raise ValueError(f"n_positions and d_model must be positive integers; got {n_positions!r}, {d_model!r}")
    columns = np.arange(d_model)  # (D,)
    angles = np.arange(n_positions)[:, None] * 10000.0 ** (-(2 * (columns // 2)) / d_model)  # (T, D)
    return np.where(columns % 2 == 0, np.sin(angles), np.cos(angles))


def layernorm_forward(x, gamma, beta, eps=1e-5):
    """gamma * (x - mean) / sqrt(var + eps) + beta over the last axis of x (..., D); returns (out, cache)."""
    x = as_float_array(x, "x")
    if x.ndim < 1 or x.shape[-1:] != np.shape(gamma) or np.shape(gamma) != np.shape(beta):
        raise ValueError(f"expected x (..., D) and gamma, beta (D,); got {x.shape}, {np.shape(gamma)}, {np.shape(beta)}")
    inv_std = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + eps)  # (..., 1); eps keeps a constant row finite
    xhat = (x - x.mean(axis=-1, keepdims=True)) * inv_std  # (..., D)
    return gamma * xhat + beta, (xhat, gamma, inv_std)


def layernorm_backward(dout, cache):
    """(dx, dgamma, dbeta); dx = inv_std / D (D dxhat - sum dxhat - xhat sum(dxhat xhat)) per row."""
    xhat, gamma, inv_std = cache
    check_grad_shape(dout, xhat.shape)
    rows = tuple(range(dout.ndim - 1))  # every axis but the features
    dxhat, d = dout * gamma, xhat.shape[-1]  # (..., D)
    dx = inv_std / d * (d * dxhat - dxhat.sum(-1, keepdims=True) - xhat * np.sum(dxhat * xhat, -1, keepdims=True))
    return dx, np.sum(dout * xhat, axis=rows), dout.sum(axis=rows)


def init_block(d_model, d_ff, rng):
    """A pre-LN block: layer norms at identity, attention weights, an MLP with He-scaled W1 (D, F), W2 (F, D)."""
    params = {"ln1_gamma": np.ones(d_model), "ln1_beta": np.zeros(d_model)}
    params.update(init_multi_head_attention(d_model, rng))
    params.update(ln2_gamma=np.ones(d_model), ln2_beta=np.zeros(d_model),
                  W1=rng.standard_normal((d_model, d_ff)) * np.sqrt(2.0 / d_model), b1=np.zeros(d_ff),
                  W2=rng.standard_normal((d_ff, d_model)) / np.sqrt(d_ff), b2=np.zeros(d_model))
    return params


def transformer_block_forward(x, params, n_heads, mask=None):
    """y = x + MHA(LN_1(x)); out = y + relu(LN_2(y) W1 + b1) W2 + b2, on x (N, T, D); returns (out, cache)."""
    h1, cache_ln1 = layernorm_forward(x, params["ln1_gamma"], params["ln1_beta"])  # (N, T, D)
    attended, cache_att = multi_head_attention_forward(h1, h1, params, n_heads, mask)
    y = x + attended  # (N, T, D): first residual connection
    h2, cache_ln2 = layernorm_forward(y, params["ln2_gamma"], params["ln2_beta"])
    hidden, cache_fc1 = affine_forward(h2, params["W1"], params["b1"])  # (N, T, F)
    activated, cache_relu = relu_forward(hidden)
    mlp_out, cache_fc2 = affine_forward(activated, params["W2"], params["b2"])  # (N, T, D)
    return y + mlp_out, (cache_ln1, cache_att, cache_ln2, cache_fc1, cache_relu, cache_fc2)


def transformer_block_backward(dout, cache):
    """(dx, grads): each residual connection passes the gradient both through its branch and around it."""
    cache_ln1, cache_att, cache_ln2, cache_fc1, cache_relu, cache_fc2 = cache
    grads = {}
    dactivated, grads["W2"], grads["b2"] = affine_backward(dout, cache_fc2)  # (N, T, F)
    dh2, grads["W1"], grads["b1"] = affine_backward(relu_backward(dactivated, cache_relu), cache_fc1)
    dy_mlp, grads["ln2_gamma"], grads["ln2_beta"] = layernorm_backward(dh2, cache_ln2)
    dy = dout + dy_mlp  # (N, T, D)
    dh1_q, dh1_kv, attention_grads = multi_head_attention_backward(dy, cache_att)
    grads.update(attention_grads)
    dx_att, grads["ln1_gamma"], grads["ln1_beta"] = layernorm_backward(dh1_q + dh1_kv, cache_ln1)
    return dy + dx_att, grads


# --- A plain MLP (module 06's ex03 and ex07), for lessons that only need a network ---


def mlp_init(sizes, rng):
    """He-initialised {"W1", "b1", ..., "WL", "bL"} for layer sizes (d_0, ..., d_L)."""
    params = {}
    for l, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"] = rng.standard_normal((d_in, d_out)) * np.sqrt(2.0 / d_in)  # (d_in, d_out)
        params[f"b{l}"] = np.zeros(d_out)
    return params


def mlp_forward(params, x):
    """ReLU hidden layers and a linear last layer on x (N, d_0); returns (out (N, d_L), caches)."""
    n_layers, caches, h = len(params) // 2, [], x
    for l in range(1, n_layers + 1):
        h, affine_cache = affine_forward(h, params[f"W{l}"], params[f"b{l}"])  # (N, d_l)
        relu_cache = None
        if l < n_layers:
            h, relu_cache = relu_forward(h)
        caches.append((affine_cache, relu_cache))
    return h, caches


def mlp_backward(dout, caches):
    """From dL/dout (N, d_L): (dL/dx (N, d_0), grads {"W1": ..., "b1": ...})."""
    grads = {}
    for l in range(len(caches), 0, -1):
        affine_cache, relu_cache = caches[l - 1]
        if relu_cache is not None:
            dout = relu_backward(dout, relu_cache)
        dout, grads[f"W{l}"], grads[f"b{l}"] = affine_backward(dout, affine_cache)
    return dout, grads

# --- Inverted dropout (module 06's regularization lesson, as a library) ---
def dropout_forward(x, p, mode, rng=None):
    """Inverted dropout (06.09): in "train" mode keep each entry with probability 1 - p and scale
    it by 1 / (1 - p); in "test" mode the identity. Returns (out, cache)."""
    x = as_float_array(x, "x")
    if not 0 <= p < 1:
        raise ValueError(f"p is the probability of dropping a unit and must be in [0, 1); got {p!r}")
    if mode not in ("train", "test"):
        raise ValueError(f"mode must be 'train' or 'test'; got {mode!r}")
    if mode == "test":
        return x, None
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"training mode needs a random generator rng=np.random.default_rng(seed); got {rng!r}")
    mask = (rng.random(x.shape) >= p) / (1.0 - p)  # 0 (dropped) or 1 / (1 - p) (kept)
    return x * mask, mask


def dropout_backward(dout, cache):
    """dx = dout * mask (the forward pass's mask), or dout when the forward pass was in "test" mode."""
    dout = as_float_array(dout, "dout")
    if cache is None:
        return dout
    check_grad_shape(dout, cache.shape)
    return dout * cache
