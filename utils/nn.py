"""The layers of module 06, as a library: CS231n-style forward/backward pairs.

Written and explained in 06-intro-to-deep-learning/ex02_activation_functions.py
(sigmoid, softmax) and ex04_backpropagation.py (affine, ReLU, tanh, the losses).
Later lessons take them from here instead of loading those exercises, the way
module 03 takes scikit-learn's metrics after writing its own.

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


# --- g06 ---
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
