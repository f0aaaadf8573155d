"""
Exercise 18: the transformer block, attention and an MLP on a residual stream

Learning goals
--------------
- Assemble a pre-layer-norm transformer block from parts we already have: layer
  normalisation (ex10), causal multi-head self-attention (ex17), a two-layer MLP,
  and two residual connections; write its backward pass.
- See the residual stream: each position's vector passes through the block with
  two additions on the way; attention is the only step that mixes positions, and
  the causal mask lets position i read positions 0..i only.

The math
--------
x (N, T, D): N sequences of T positions with D features. Layer norm (ex10) over the
D features of each position, with learned gamma, beta (D,):
    LN(x) = gamma * (x - mean(x)) / sqrt(var(x) + eps) + beta,   eps = 1e-5
One pre-LN block (Xiong et al. 2020) with causal self-attention (ex17, mask j <= i):
    y = x + MHA(LN_1(x))                                          (N, T, D)
    out = y + relu(LN_2(y) W_1 + b_1) W_2 + b_2                   W_1 (D, F), W_2 (F, D)
Backward: a residual connection out = y + f(y) passes its gradient both ways,
    dL/dy = dL/dout + (dL/dout) df/dy,
so the two branches' gradients are added to the one that skips them.

Algorithm
---------
1. Forward: LN_1, attention, add; LN_2, W_1, relu, W_2, add; keep every cache.
2. Backward: the same steps in reverse, adding each branch's gradient to the residual one.
3. Demo: send a gradient from one output position at a time and measure how much
   reaches each input position, with and without the causal mask.

References: A. Vaswani et al., "Attention is all you need", NeurIPS 2017;
J. L. Ba, J. R. Kiros, G. E. Hinton, "Layer normalization", 2016; R. Xiong et al.,
"On layer normalization in the transformer architecture", ICML 2020;
K. He et al., "Deep residual learning for image recognition", CVPR 2016.
Builds on: 06-intro-to-deep-learning/ex10_normalization.py (normalization), 06-intro-to-deep-learning/ex16_attention.py
(attention), 06-intro-to-deep-learning/ex17_multi_head_attention.py (mha).
Difficulty: 3 of 3, about 45 minutes.
Run: python 06-intro-to-deep-learning/ex18_transformer_block.py
"""

# %%
import numpy as np

import utils
from utils import nn, plotting
from utils.validation import as_float_array, as_float_arrays

normalization = utils.load_exercise("06-intro-to-deep-learning/ex10_normalization.py", practice=False)
attention = utils.load_exercise("06-intro-to-deep-learning/ex16_attention.py", practice=False)
mha = utils.load_exercise("06-intro-to-deep-learning/ex17_multi_head_attention.py", practice=False)

# %% [markdown]
# ## One transformer block: x + attention(LN(x)), then + MLP(LN(.))
#
# ex10's layer norm works on (N, D) matrices; a sequence batch (N, T, D) is N*T rows of
# D features, so we reshape, call it, and reshape back. utils.nn's affine layer takes
# (..., D) as it is.


# %%
def layernorm_forward(x, gamma, beta):
    """ex10's layer norm applied to every position: x (..., D) -> (..., D); returns (out, cache)."""
    x, gamma, beta = as_float_arrays(x=x, gamma=gamma, beta=beta)
    if x.ndim < 2 or x.size == 0:
        raise ValueError(f"x must be a non-empty array of shape (..., D); got shape {x.shape}")
    out, cache = normalization.layernorm_forward(x.reshape(-1, x.shape[-1]), gamma, beta)  # (N*T, D)
    return out.reshape(x.shape), cache


def layernorm_backward(dout, cache):
    """Gradients (dx, dgamma, dbeta) of layernorm_forward."""
    dout = as_float_array(dout, "dout")
    if dout.ndim < 2 or dout.shape[-1] != cache[0].shape[-1] or dout.size != cache[0].size:
        raise ValueError(f"dout must have the shape of the layer's output (..., {cache[0].shape[-1]}); got {dout.shape}")
    dx, dgamma, dbeta = normalization.layernorm_backward(dout.reshape(-1, dout.shape[-1]), cache)  # dx (N*T, D)
    return dx.reshape(dout.shape), dgamma, dbeta


def init_block(d_model, d_ff, rng):
    """A block's parameters: layer norms at identity, attention (ex17), MLP with He-scaled W1."""
    params = {"ln1_gamma": np.ones(d_model), "ln1_beta": np.zeros(d_model)}
    params.update(mha.init_multi_head_attention(d_model, rng))  # Wq, bq, Wk, bk, Wv, bv, Wo, bo
    params.update(
        ln2_gamma=np.ones(d_model),
        ln2_beta=np.zeros(d_model),
        W1=rng.standard_normal((d_model, d_ff)) * np.sqrt(2.0 / d_model),
        b1=np.zeros(d_ff),
        W2=rng.standard_normal((d_ff, d_model)) / np.sqrt(d_ff),
        b2=np.zeros(d_model),
    )
    return params


def transformer_block_forward(x, params, n_heads, mask=None):
    """One pre-LN block on x (N, T, D); returns (out (N, T, D), cache)."""
    x = as_float_array(x, "x")
    if x.ndim != 3 or x.shape[-1] != params["Wq"].shape[0]:
        raise ValueError(f"expected x of shape (N, T, {params['Wq'].shape[0]}); got {x.shape}")
    # BEGIN SOLUTION
    # HINT 1: Pre-norm block: each sub-layer reads a layer-normed copy and ADDS its output to the stream.
    # HINT 2: y = x + MHA(LN1(x)); out = y + W2 relu(LN2(y) W1 + b1) + b2
    # HINT 3: h1 = layernorm_forward(x, ln1); attended = mha.multi_head_attention_forward(h1, h1, ...)
    # HINT 3: y = x + attended; h2 = layernorm_forward(y, ln2)
    # HINT 3: mlp_out = nn.affine_forward(nn.relu_forward(nn.affine_forward(h2, W1, b1)), W2, b2)
    # HINT 3: out = y + mlp_out; keep all seven caches
    h1, cache_ln1 = layernorm_forward(x, params["ln1_gamma"], params["ln1_beta"])  # (N, T, D)
    attended, cache_att = mha.multi_head_attention_forward(h1, h1, params, n_heads, mask)  # (N, T, D)
    y = x + attended  # (N, T, D): first residual connection
    h2, cache_ln2 = layernorm_forward(y, params["ln2_gamma"], params["ln2_beta"])  # (N, T, D)
    hidden, cache_fc1 = nn.affine_forward(h2, params["W1"], params["b1"])  # (N, T, F)
    activated, cache_relu = nn.relu_forward(hidden)  # (N, T, F)
    mlp_out, cache_fc2 = nn.affine_forward(activated, params["W2"], params["b2"])  # (N, T, D)
    out = y + mlp_out  # (N, T, D): second residual connection
    # END SOLUTION
    return out, (cache_ln1, cache_att, cache_ln2, cache_fc1, cache_relu, cache_fc2)


def transformer_block_backward(dout, cache):
    """Gradients (dx, grads) of one block; grads maps each parameter name to its gradient."""
    dout = as_float_array(dout, "dout")
    cache_ln1, cache_att, cache_ln2, cache_fc1, cache_relu, cache_fc2 = cache
    # BEGIN SOLUTION
    # HINT 1: A residual connection copies the gradient: it flows both through the sub-layer and around it.
    # HINT 2: dy = dout + LN2_backward(MLP_backward(dout)); dx = dy + LN1_backward(dh1_q + dh1_kv)
    # HINT 3: back through W2, relu, W1 (_dense_backward, relu_backward) to dh2
    # HINT 3: dy = dout + layernorm_backward(dh2, cache_ln2)
    # HINT 3: dh1_q, dh1_kv, g = mha.multi_head_attention_backward(dy, cache_att); grads.update(g)
    # HINT 3: dx = dy + layernorm_backward(dh1_q + dh1_kv, cache_ln1)
    grads = {}
    dactivated, grads["W2"], grads["b2"] = nn.affine_backward(dout, cache_fc2)  # (N, T, F)
    dhidden = nn.relu_backward(dactivated, cache_relu)
    dh2, grads["W1"], grads["b1"] = nn.affine_backward(dhidden, cache_fc1)  # (N, T, D)
    dy_mlp, grads["ln2_gamma"], grads["ln2_beta"] = layernorm_backward(dh2, cache_ln2)
    dy = dout + dy_mlp  # (N, T, D): the residual path plus the MLP path
    dh1_q, dh1_kv, attention_grads = mha.multi_head_attention_backward(dy, cache_att)
    grads.update(attention_grads)
    dx_att, grads["ln1_gamma"], grads["ln1_beta"] = layernorm_backward(dh1_q + dh1_kv, cache_ln1)
    dx = dy + dx_att  # (N, T, D)
    # END SOLUTION
    return dx, grads


# %% [markdown]
# ## Demo: which input positions reach which output positions?


# %%
def influence_map(params, x, n_heads, mask):
    """(T, T) matrix: entry (t, s) is |dL/dx_s| for a random gradient sent from output position t alone."""
    rng = np.random.default_rng(0)
    _, cache = transformer_block_forward(x, params, n_heads, mask)
    steps = x.shape[1]
    influence = np.zeros((steps, steps))  # (T, T)
    for t in range(steps):
        dout = np.zeros_like(x)  # (N, T, D)
        dout[:, t] = rng.standard_normal((x.shape[0], x.shape[2]))
        dx, _ = transformer_block_backward(dout, cache)  # (N, T, D)
        influence[t] = np.linalg.norm(dx, axis=(0, 2))
    return influence


def main():
    rng = np.random.default_rng(0)
    d_model, n_heads, steps = 16, 2, 8
    params = init_block(d_model, 4 * d_model, rng)
    x = rng.standard_normal((2, steps, d_model))  # (N, T, D)
    out, _ = transformer_block_forward(x, params, n_heads, attention.causal_mask(steps))
    n_params = sum(value.size for value in params.values())
    print(f"One block, D = {d_model}, F = {4 * d_model}, {n_heads} heads: {n_params} parameters; x {x.shape} -> out {out.shape}")
    maps = {"causal mask": influence_map(params, x, n_heads, attention.causal_mask(steps)),
            "no mask": influence_map(params, x, n_heads, None)}
    print("mask          sum of |dL/dx_s| over inputs s > t   over s <= t")
    for name, m in maps.items():
        print(f"{name:<13} {np.triu(m, 1).sum():>32.3f}   {np.tril(m).sum():>11.3f}")
    fig, axes = plotting.new_figure(1, 2, layout="constrained")
    for ax, (name, m) in zip(axes, maps.items()):
        plotting.plot_heatmap(ax, m, annotate=False, colorbar=False, title=f"|dL/dx_s| from output t, {name}")
        ax.set(xlabel="input position s", ylabel="output position t")
    plotting.show_or_save(fig, "ex18_transformer_block")


if __name__ == "__main__":
    main()
