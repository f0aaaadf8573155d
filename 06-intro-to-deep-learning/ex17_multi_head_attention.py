"""
Exercise 17: multi-head attention and sinusoidal positional encodings

Learning goals
--------------
- Build multi-head attention from ex16's attention: project to queries, keys and values,
  split the model dimension into heads with a reshape, attend in every head at once,
  merge and project back; write the backward pass by running those steps in reverse.
- Give attention a sense of order with sinusoidal positional encodings, whose dot
  product depends only on the distance between two positions.

The math
--------
Queries from x_q (N, Tq, D), keys and values from x_kv (N, Tk, D) (x_kv = x_q for self-attention);
Wq, Wk, Wv, Wo (D, D) and bq, bk, bv, bo (D,). With h heads of size d = D / h:
    Q = x_q Wq + bq,  K = x_kv Wk + bk,  V = x_kv Wv + bv            (N, T, D)
    split: (N, T, D) -> (N, T, h, d) -> (N, h, T, d)                 (reshape, then swap T and h)
    head outputs A = attention(Q_h, K_h, V_h, mask)                 (N, h, Tq, d)   (ex16)
    merge: (N, h, Tq, d) -> (N, Tq, h, d) -> (N, Tq, D)
    out = merge(A) Wo + bo                                          (N, Tq, D)
Each head attends with its own d-dimensional slice, so the heads can look for different
things at the cost of one head of size D. Backward: each reshape or transpose is undone
on the gradient; each projection is an affine layer (ex04; utils.nn) on every position.
A surprise: dL/dbk is always 0. The key bias adds q . bk to every score in a row, and a
softmax does not change when its whole row is shifted (many implementations drop bk).
Sinusoidal positional encoding, position p = 0..T-1, column j = 0..D-1, i = j // 2:
    PE[p, 2i] = sin(p / 10000^(2i / D)),    PE[p, 2i + 1] = cos(p / 10000^(2i / D))
Each pair of columns turns on a circle at its own speed w_i = 10000^(-2i / D). Moving k
positions rotates each pair by a fixed angle, so PE[p + k] is a linear function of PE[p],
and PE[p] . PE[p'] = sum_i cos((p - p') w_i) depends only on the offset p - p'.

Algorithm
---------
1. Project with three affine layers; split the heads (reshape + transpose).
2. Run ex16's attention on the (N, h, T, d) arrays; the mask gets a head axis.
3. Merge the heads, project with Wo. Backward: the same steps in reverse order.
4. Positional encoding: an outer product of positions and frequencies, then sin / cos.

References: A. Vaswani et al., "Attention is all you need", NeurIPS 2017, sec. 3.2.2 and 3.5;
J. Alammar, "The illustrated transformer" (2018); Stanford CS231n assignment 3 (transformer layers).
Builds on: 06-intro-to-deep-learning/ex16_attention.py (attention).
Difficulty: 2 of 3, about 35 minutes.
Run: python 06-intro-to-deep-learning/ex17_multi_head_attention.py
"""

# %%
import numpy as np

import utils
from utils import nn, plotting
from utils.validation import as_float_array, check_positive_int

attention = utils.load_exercise("06-intro-to-deep-learning/ex16_attention.py", practice=False)

PARAM_NAMES = ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")

# %% [markdown]
# ## Splitting the model dimension into heads, and merging it back


# %%
def split_heads(x, n_heads):
    """(N, T, D) -> (N, n_heads, T, D // n_heads): head j gets columns j*d .. (j+1)*d - 1."""
    x = as_float_array(x, "x")
    if x.ndim != 3 or x.shape[-1] % n_heads:
        raise ValueError(f"expected x (N, T, D) with D divisible by n_heads = {n_heads}; got {x.shape}")
    # BEGIN SOLUTION
    # HINT 1: Cut the last axis into n_heads pieces, then move the head axis in front of time.
    # HINT 2: (N, T, D) -> reshape (N, T, h, D // h) -> transpose(0, 2, 1, 3) -> (N, h, T, d)
    n, steps, dim = x.shape
    return x.reshape(n, steps, n_heads, dim // n_heads).transpose(0, 2, 1, 3)  # (N, h, T, d)
    # END SOLUTION


def merge_heads(x):
    """(N, h, T, d) -> (N, T, h * d), the inverse of split_heads."""
    x = as_float_array(x, "x")
    if x.ndim != 4:
        raise ValueError(f"expected x (N, h, T, d); got {x.shape}")
    # BEGIN SOLUTION
    # HINT 1: The exact inverse of split_heads: move the head axis back next to d, then join them.
    # HINT 2: (N, h, T, d) -> transpose(0, 2, 1, 3) -> reshape (N, T, h * d)
    n, heads, steps, d = x.shape
    return x.transpose(0, 2, 1, 3).reshape(n, steps, heads * d)  # (N, T, D)
    # END SOLUTION


# %% [markdown]
# ## Multi-head attention, forward and backward


# %%
def init_multi_head_attention(d_model, rng):
    """Projection weights with variance 1 / d_model (so Q, K, V keep the input's scale), zero biases."""
    d_model = check_positive_int(d_model, "d_model")
    params = {}
    for name in ("q", "k", "v", "o"):
        params[f"W{name}"], params[f"b{name}"] = rng.standard_normal((d_model, d_model)) / np.sqrt(d_model), np.zeros(d_model)
    return params


def multi_head_attention_forward(x_q, x_kv, params, n_heads, mask=None):
    """Queries from x_q (N, Tq, D) attend over x_kv (N, Tk, D); mask (Tq, Tk) or (N, Tq, Tk), True = may attend.
    Returns (out (N, Tq, D), cache)."""
    x_q, x_kv, dim = as_float_array(x_q, "x_q"), as_float_array(x_kv, "x_kv"), params["Wq"].shape[0]
    if x_q.ndim != 3 or x_kv.ndim != 3 or x_q.shape[-1] != dim or x_kv.shape[-1] != dim or len(x_q) != len(x_kv):
        raise ValueError(f"expected x_q (N, Tq, {dim}) and x_kv (N, Tk, {dim}); got {x_q.shape} and {x_kv.shape}")
    if dim % n_heads:
        raise ValueError(f"d_model = {dim} is not divisible by n_heads = {n_heads}")
    if mask is not None and np.ndim(mask) not in (2, 3):
        raise ValueError(f"mask must have shape (Tq, Tk) or (N, Tq, Tk) (N and Tq may be 1); got {np.shape(mask)}")
    head_mask = mask if mask is None or np.ndim(mask) == 2 else np.asarray(mask)[:, None]  # (N, 1, Tq, Tk): every head
    # BEGIN SOLUTION
    # HINT 1: Project to q, k, v, split into heads, run ex16's attention on all heads at once, merge, project.
    # HINT 2: q = x_q @ Wq + bq; k, v from x_kv; heads = attention(split(q), split(k), split(v)); out = merge(heads) @ Wo + bo
    # HINT 3: q = nn.affine_forward(x_q, Wq, bq); k, v likewise from x_kv   # (N, T, D) each
    # HINT 3: heads, cache_att = attention.attention_forward(split_heads of q, k, v, head_mask)
    # HINT 3: out, cache_o = nn.affine_forward(merge_heads(heads), Wo, bo)
    q, cache_q = nn.affine_forward(x_q, params["Wq"], params["bq"])  # (N, Tq, D)
    k, cache_k = nn.affine_forward(x_kv, params["Wk"], params["bk"])  # (N, Tk, D)
    v, cache_v = nn.affine_forward(x_kv, params["Wv"], params["bv"])  # (N, Tk, D)
    heads, cache_att = attention.attention_forward(split_heads(q, n_heads), split_heads(k, n_heads),
                                                   split_heads(v, n_heads), head_mask)  # (N, h, Tq, d)
    out, cache_o = nn.affine_forward(merge_heads(heads), params["Wo"], params["bo"])  # (N, Tq, D)
    # END SOLUTION
    return out, (cache_q, cache_k, cache_v, cache_att, cache_o, n_heads)


def multi_head_attention_backward(dout, cache):
    """Gradients (dx_q, dx_kv, grads) from dL/dout (N, Tq, D), grads a dict by parameter name.
    For self-attention (x_q and x_kv the same array) the input's gradient is dx_q + dx_kv."""
    dout = as_float_array(dout, "dout")
    cache_q, cache_k, cache_v, cache_att, cache_o, n_heads = cache
    # BEGIN SOLUTION
    # HINT 1: Reverse the forward chain; merge_heads and split_heads are each other's
    # HINT 1: backward. x_kv was used twice (keys and values), so its gradient is a sum.
    # HINT 2: dmerged from the Wo affine; dq, dk, dv = attention_backward(split_heads(dmerged)); dx_kv = dx_k + dx_v
    # HINT 3: dmerged, dWo, dbo = nn.affine_backward(dout, cache_o)
    # HINT 3: dq, dk, dv = attention.attention_backward(split_heads(dmerged, n_heads), cache_att)
    # HINT 3: dx_q, dWq, dbq = nn.affine_backward(merge_heads(dq), cache_q); same for k and v; dx_kv = dx_k + dx_v
    grads = {}
    dmerged, grads["Wo"], grads["bo"] = nn.affine_backward(dout, cache_o)  # (N, Tq, D)
    dq, dk, dv = attention.attention_backward(split_heads(dmerged, n_heads), cache_att)  # (N, h, T, d) each
    dx_q, grads["Wq"], grads["bq"] = nn.affine_backward(merge_heads(dq), cache_q)  # (N, Tq, D)
    dx_k, grads["Wk"], grads["bk"] = nn.affine_backward(merge_heads(dk), cache_k)  # (N, Tk, D)
    dx_v, grads["Wv"], grads["bv"] = nn.affine_backward(merge_heads(dv), cache_v)  # (N, Tk, D)
    dx_kv = dx_k + dx_v  # x_kv feeds both the keys and the values
    # END SOLUTION
    return dx_q, dx_kv, grads


# %% [markdown]
# ## Sinusoidal positional encoding


# %%
def positional_encoding(n_positions, d_model):
    """(n_positions, d_model) sinusoidal encodings: sin on even columns, cos on odd ones."""
    n_positions, d_model = check_positive_int(n_positions, "n_positions"), check_positive_int(d_model, "d_model")
    # BEGIN SOLUTION
    # HINT 1: Columns come in pairs 2i, 2i+1 sharing one frequency; even columns use sin, odd use cos.
    # HINT 2: w = 10000 ** (-2 * (col // 2) / d_model); angles = pos[:, None] * w  # (T, D)
    # HINT 3: positions = arange(T)[:, None]; columns = arange(D)
    # HINT 3: frequencies = 10000.0 ** (-(2 * (columns // 2)) / d_model); angles = positions * frequencies
    # HINT 3: return np.where(columns % 2 == 0, sin(angles), cos(angles))
    positions, columns = np.arange(n_positions)[:, None], np.arange(d_model)  # (T, 1), (D,)
    frequencies = 10000.0 ** (-(2 * (columns // 2)) / d_model)  # (D,): columns 2i and 2i+1 share w_i
    angles = positions * frequencies  # (T, D)
    return np.where(columns % 2 == 0, np.sin(angles), np.cos(angles))  # (T, D)
    # END SOLUTION


# %% [markdown]
# ## Demo: shapes through the layer, a gradient check, the encodings


# %%
def main():
    rng = np.random.default_rng(0)
    n, steps, dim, heads = 2, 5, 8, 2
    x = rng.standard_normal((n, steps, dim))  # (2, 5, 8)
    params = init_multi_head_attention(dim, rng)
    q = nn.affine_forward(x, params["Wq"], params["bq"])[0]  # (2, 5, 8)
    out, _ = multi_head_attention_forward(x, x, params, heads, attention.causal_mask(steps))
    print(f"Shapes: x {x.shape} -> Q = x Wq + bq {q.shape} -> {heads} heads {split_heads(q, heads).shape} -> weights per head "
          f"{(n, heads, steps, steps)} -> merged {merge_heads(split_heads(q, heads)).shape} -> out = merged Wo + bo {out.shape}")

    pe = positional_encoding(100, 64)  # (100, 64)
    similarity = pe @ pe.T  # (100, 100)
    print(f"\nPE[p] . PE[p'] depends only on p - p': PE[3].PE[10] = {similarity[3, 10]:.4f}, PE[40].PE[47] = {similarity[40, 47]:.4f}")
    fig, (ax_pe, ax_sim) = plotting.new_figure(1, 2, width=4.8, height=4.2, layout="constrained")
    plotting.plot_heatmap(ax_pe, pe, annotate=False, cmap="RdBu_r", title="Positional encoding PE[p, j]", vmin=-1, vmax=1)
    ax_pe.set(xlabel="column j (low j: fast rotation)", ylabel="position p")
    plotting.plot_heatmap(ax_sim, similarity, annotate=False, title="Dot products PE[p] . PE[p']: a function of p - p'")
    ax_sim.set(xlabel="position p'", ylabel="position p")
    plotting.show_or_save(fig, "ex17_multi_head_attention")


if __name__ == "__main__":
    main()
