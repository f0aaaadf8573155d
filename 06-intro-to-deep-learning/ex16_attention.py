"""
Exercise 16: scaled dot-product attention, with padding and causal masks

Learning goals
--------------
- Compute attention as a soft lookup: every query scores every key, a softmax turns
  the scores into weights, and the output is the weighted average of the values.
- Mask positions out (padding keys, or the future in a causal model) so that they
  get exactly zero weight, with a softmax that stays finite and warning-free.
- Derive the backward pass through softmax and two matrix products, and see why
  the scores are divided by sqrt(d_k).

The math
--------
Queries q (..., Tq, d_k), keys k (..., Tk, d_k), values v (..., Tk, d_v); the
leading axes (batch, heads) are carried along. mask is boolean, broadcastable to
(..., Tq, Tk), True where query i may look at key j.
    S = q k^T / sqrt(d_k)                          (..., Tq, Tk) scores
    P_ij = exp(S_ij) / sum_{j' allowed} exp(S_ij')  for allowed j, and P_ij = 0 otherwise
    out = P v                                      (..., Tq, d_v)
If q and k have independent entries of mean 0 and variance 1, q . k has variance
d_k; dividing by sqrt(d_k) brings it back to 1, so the softmax does not saturate
into a one-hot vector (where its gradient vanishes) as d_k grows.
A row with no allowed key (all padding) has no distribution to normalise; we define
its weights, output and gradients as 0 (PyTorch returns NaN there).
Backward, from dout (..., Tq, d_v):
    dv = P^T dout,   dP = dout v^T,   dS_ij = P_ij (dP_ij - sum_j' P_ij' dP_ij')
    dq = dS k / sqrt(d_k),   dk = dS^T q / sqrt(d_k)
Masked entries have P_ij = 0, so their dS_ij is 0: no gradient flows to masked keys.

Algorithm
---------
1. Scores S = q k^T / sqrt(d_k).
2. Softmax over the allowed keys of each row: subtract the row's largest allowed score,
   exponentiate allowed entries only, divide by the row sum (by 1 where it is 0).
3. out = P v; keep (q, k, v, P) for the backward pass.

References: A. Vaswani et al., "Attention is all you need", NeurIPS 2017, sec. 3.2.1;
D. Bahdanau, K. Cho, Y. Bengio, "Neural machine translation by jointly learning to
align and translate", ICLR 2015; J. Alammar, "The illustrated transformer" (2018).
Difficulty: 2 of 3, about 30 minutes.
Run: python 06-intro-to-deep-learning/ex16_attention.py
"""

# %%
import numpy as np

from utils import plotting
from utils.timing import format_table
from utils.validation import as_float_array, as_float_arrays, check_grad_shape, check_positive_int

# %% [markdown]
# ## Masks


# %%
def causal_mask(n_positions):
    """(T, T) boolean mask, True on and below the diagonal: position i sees positions 0..i."""
    n_positions = check_positive_int(n_positions, "n_positions")
    # BEGIN SOLUTION
    # HINT 1: Position i may look at positions 0..i: a lower-triangular boolean matrix.
    # HINT 2: np.tril(np.ones((T, T), dtype=bool))
    return np.tril(np.ones((n_positions, n_positions), dtype=bool))  # (T, T)
    # END SOLUTION


def padding_mask(lengths, n_positions):
    """(N, 1, T) boolean mask, True for the first lengths[n] keys of sequence n (the 1 broadcasts over queries)."""
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or np.any(lengths < 0) or np.any(lengths > n_positions):
        raise ValueError(f"lengths must be a 1-D array of integers in 0..{n_positions}; got {lengths}")
    # BEGIN SOLUTION
    # HINT 1: Compare each position index with each sequence's length; add an axis so it broadcasts over queries.
    # HINT 2: (np.arange(T) < lengths[:, None])[:, None, :] -> (N, 1, T)
    return (np.arange(n_positions) < lengths[:, None])[:, None, :]  # (N, 1, T)
    # END SOLUTION


# %% [markdown]
# ## A softmax that ignores masked entries


# %%
def _check_mask(mask, shape):
    """The mask as a boolean array that broadcasts to ``shape``, or a clear error."""
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"mask must be boolean (True = may attend); got dtype {mask.dtype}")
    if mask.ndim > len(shape) or any(m not in (1, n) for m, n in zip(mask.shape[::-1], shape[::-1])):
        raise ValueError(f"mask of shape {mask.shape} does not broadcast to the scores' shape {tuple(shape)}")
    return mask


def masked_softmax(scores, mask=None):
    """Softmax over the last axis over the entries where mask is True; masked entries (and fully masked rows) get 0."""
    scores = as_float_array(scores, "scores")
    if scores.ndim == 0 or scores.shape[-1] == 0:
        raise ValueError(f"scores must have at least one key along the last axis; got shape {scores.shape}")
    mask = np.ones(scores.shape, dtype=bool) if mask is None else _check_mask(mask, scores.shape)
    # BEGIN SOLUTION
    # HINT 1: Shift by the largest ALLOWED score, put -inf on masked entries before
    # HINT 1: exp, and guard the fully masked row (its max is -inf and its sum is 0).
    # HINT 2: row_max = max over allowed scores (0 if none); w = exp(where(mask, scores - row_max, -inf))
    # HINT 2: return w / where(total > 0, total, 1)
    # HINT 3: row_max = np.max(np.where(mask, scores, -inf), axis=-1, keepdims=True); replace non-finite by 0
    # HINT 3: shifted = np.where(mask, scores - row_max, -np.inf); weights = np.exp(shifted)
    # HINT 3: total = weights.sum(-1, keepdims=True); return weights / np.where(total > 0, total, 1.0)
    row_max = np.max(np.where(mask, scores, -np.inf), axis=-1, keepdims=True)  # (..., 1), -inf if all masked
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)  # a fully masked row: any finite shift will do
    # Subtract the largest allowed score (so exp <= 1, no overflow) and put -inf on masked
    # entries *before* exp: exp(-inf) = 0 exactly, and no huge masked score can overflow.
    shifted = np.where(mask, scores - row_max, -np.inf)  # (..., Tk)
    weights = np.exp(shifted)
    total = weights.sum(axis=-1, keepdims=True)  # (..., 1), >= 1 unless the row is fully masked
    return weights / np.where(total > 0, total, 1.0)  # 0 / 1 = 0 for a fully masked row, no 0 / 0
    # END SOLUTION


# %% [markdown]
# ## Scaled dot-product attention, forward and backward


# %%
def attention_forward(q, k, v, mask=None):
    """out = softmax(q k^T / sqrt(d_k), masked) v (..., Tq, d_v); returns (out, cache), the weights in cache[3].

    q (..., Tq, d_k), k (..., Tk, d_k), v (..., Tk, d_v), mask broadcastable to (..., Tq, Tk), True = may attend.
    """
    q, k, v = as_float_arrays(q=q, k=k, v=v)
    if q.ndim < 2 or q.ndim != k.ndim or k.ndim != v.ndim or q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(f"expected q (..., Tq, d_k), k (..., Tk, d_k), v (..., Tk, d_v); got {q.shape}, {k.shape}, {v.shape}")
    if mask is not None:
        _check_mask(mask, np.broadcast_shapes(q.shape[:-2], k.shape[:-2]) + (q.shape[-2], k.shape[-2]))
    # BEGIN SOLUTION
    # HINT 1: Scores are scaled dot products of queries with keys; the weights average the values.
    # HINT 2: scores = q @ k^T / sqrt(d_k) (..., Tq, Tk); weights = masked_softmax(scores, mask); out = weights @ v
    # HINT 3: scale = 1 / sqrt(q.shape[-1]); scores = (q @ np.swapaxes(k, -1, -2)) * scale
    # HINT 3: weights = masked_softmax(scores, mask); out = weights @ v
    scale = 1.0 / np.sqrt(q.shape[-1])
    scores = (q @ np.swapaxes(k, -1, -2)) * scale  # (..., Tq, Tk)
    weights = masked_softmax(scores, mask)  # (..., Tq, Tk)
    out = weights @ v  # (..., Tq, d_v)
    # END SOLUTION
    return out, (q, k, v, weights, scale)


def attention_backward(dout, cache):
    """Gradients (dq, dk, dv) of attention, given dL/dout (..., Tq, d_v)."""
    dout = as_float_array(dout, "dout")
    q, k, v, weights, scale = cache
    check_grad_shape(dout, weights.shape[:-1] + v.shape[-1:])  # (..., Tq, d_v)
    # BEGIN SOLUTION
    # HINT 1: Undo the two matrix products in reverse, with the softmax backward (row by row) in
    # HINT 1: between. Use swapaxes(-1, -2) for transposes so leading batch/head axes are kept.
    # HINT 2: dv = P^T @ dout; dP = dout @ v^T; dS = P * (dP - sum(P * dP, -1)); dq = dS @ k * scale; dk = dS^T @ q * scale
    # HINT 3: dv = swapaxes(weights) @ dout; dweights = dout @ swapaxes(v)
    # HINT 3: dscores = weights * (dweights - np.sum(weights * dweights, axis=-1, keepdims=True))
    # HINT 3: dq = (dscores @ k) * scale; dk = (swapaxes(dscores) @ q) * scale
    dv = np.swapaxes(weights, -1, -2) @ dout  # (..., Tk, d_v)
    dweights = dout @ np.swapaxes(v, -1, -2)  # (..., Tq, Tk)
    # Softmax backward, row by row: dS = P * (dP - <P, dP>); masked entries have P = 0, so dS = 0 there.
    dscores = weights * (dweights - np.sum(weights * dweights, axis=-1, keepdims=True))  # (..., Tq, Tk)
    dq = (dscores @ k) * scale  # (..., Tq, d_k)
    dk = (np.swapaxes(dscores, -1, -2) @ q) * scale  # (..., Tk, d_k)
    # END SOLUTION
    return dq, dk, dv


# %% [markdown]
# ## Demo: who attends to whom in a toy sentence


# %%
def main():
    rng = np.random.default_rng(0)
    tokens = ["the", "cat", "sat", "on", "the", "mat", "<pad>", "<pad>"]
    embedding = {word: rng.standard_normal(16) for word in sorted(set(tokens))}  # one random vector of d_k = 16 per word
    x = np.stack([embedding[w] for w in tokens])[None]  # (1, 8, 16): a batch of one sentence
    # Self-attention with q = k = v = x: a token's score is largest for itself and its repeats.
    masks = {"no mask": None, "padding mask (length 6)": padding_mask([6], len(tokens)),  # (1, 1, 8)
             "padding + causal mask": padding_mask([6], len(tokens)) & causal_mask(len(tokens))}  # (1, 8, 8)
    fig, axes = plotting.new_figure(1, 3, width=5.2, height=4.6, layout="constrained")
    for ax, (title, mask) in zip(axes, masks.items()):
        _, cache = attention_forward(x, x, x, mask)
        plotting.plot_heatmap(ax, cache[3][0], row_labels=tokens, col_labels=tokens, title=title, colorbar=False, vmin=0, vmax=1)
        ax.set(xlabel="key (attended to)", ylabel="query")
        ax.tick_params(axis="x", labelrotation=45)
    fig.suptitle(r"Attention weights softmax$(q k^\top / \sqrt{d_k})$ with q = k = v = word vectors (each row sums to 1)")

    print("Why divide by sqrt(d_k): the average largest weight in a row of 16 random keys (1/16 = 0.06 is uniform; 1.00 one-hot)")
    rows = []
    for dim in (4, 16, 64, 256):
        scores = rng.standard_normal((200, 1, dim)) @ rng.standard_normal((200, dim, 16))  # (200, 1, 16): q . k for 16 keys
        rows.append([dim] + [f"{masked_softmax(scores * c).max(axis=-1).mean():.2f}" for c in (1 / np.sqrt(dim), 1.0)])
    print(format_table(["d_k", "scaled by 1/sqrt(d_k)", "unscaled"], rows))
    plotting.show_or_save(fig, "ex16_attention")


if __name__ == "__main__":
    main()
