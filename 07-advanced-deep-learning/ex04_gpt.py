"""
Exercise 04: a GPT, the model: embeddings, causal blocks and an output layer tied to the input

Learning goals
--------------
- Assemble a decoder-only GPT from module 06's pre-LN transformer blocks (utils.nn): token and
  position embeddings, L causal blocks, a final layer norm, and an output layer that reuses the token embeddings (weight tying).
- Write its backward pass, where the tied embedding collects gradients at both ends, and check
  every parameter's gradient against central differences.
- See the causal mask at the scale of the whole model: the logits at position t depend on tokens 0..t only.

The math
--------
Text -> characters -> ids t (N, T) in 0..V-1; block_size T is the context length.
    x_0 = E[t] + P[0..T-1]                     E (V, D) tokens, P (T, D) positions   (N, T, D)
    x_l = Block_l(x_{l-1}),  l = 1..L          06's block: x + MHA(LN(x)), then + MLP(LN(.)), causal mask
    logits = LN_f(x_L) E^T                     (N, T, V): the same E, transposed (weight tying)
    loss = mean over all N T positions of -log softmax(logits)[next token]
Tying saves V D parameters, and E gets gradients from both ends: dE = (scatter of dx_0) + dlogits^T h.
dP[s] = sum over the batch of dx_0[:, s]. With the causal mask, dlogits at position t reaches x_0 at
positions s <= t only. Initialisation (GPT-2): N(0, 0.02^2) embeddings give near-uniform first
predictions (loss near log V); each residual branch's output matrix is divided by sqrt(2 L).

Algorithm
---------
1. init_gpt: embeddings, L blocks (utils.nn.init_block) under "block{l}.", the final layer norm.
2. Forward: embed, run the blocks with a causal mask, LN_f, multiply by E^T.
3. Backward: the same steps in reverse; the two uses of E add up; scatter dx_0 into E's rows.
4. Check: central differences on a tiny model; an untrained model's loss near log V (evaluate_loss:
   all non-overlapping windows of a text in one batch); which positions each position's logits see.

References: A. Radford et al., "Language models are unsupervised multitask learners" (GPT-2), 2019;
O. Press, L. Wolf, "Using the output embedding to improve language models", EACL 2017 (tying);
A. Karpathy, "nanoGPT" (2023).
Difficulty: 3 of 3, about 50 minutes.
Run: python 07-advanced-deep-learning/ex04_gpt.py
"""

# %%
import numpy as np

from utils import gradcheck, nn, plotting
from utils.text import char_vocabulary, course_text
from utils.timing import format_table

# %% [markdown]
# ## The model: embeddings, module 06's blocks (utils.nn), final layer norm, tied output layer


# %%
def init_gpt(vocab_size, block_size=64, n_layers=2, d_model=64, d_ff=256, random_state=0):
    """Parameters in one flat dict: "tok_emb", "pos_emb", "block0.Wq", ..., "lnf_gamma", "lnf_beta"."""
    rng = np.random.default_rng(random_state)
    params = {"tok_emb": 0.02 * rng.standard_normal((vocab_size, d_model))}  # (V, D), GPT-2's scale: small first logits
    params["pos_emb"] = 0.02 * rng.standard_normal((block_size, d_model))  # (T, D)
    for layer in range(n_layers):
        block = nn.init_block(d_model, d_ff, rng)
        block["Wo"] /= np.sqrt(2 * n_layers)  # GPT-2: the 2L residual branches add up, so each starts smaller
        block["W2"] /= np.sqrt(2 * n_layers)
        params.update({f"block{layer}.{name}": value for name, value in block.items()})
    params.update(lnf_gamma=np.ones(d_model), lnf_beta=np.zeros(d_model))
    return params


def n_layers_of(params):  # the number of blocks, from the parameter names "block0.Wq", "block1.Wq", ...
    return len({name.split(".")[0] for name in params if name.startswith("block")})


def block_params(params, layer):  # block `layer`'s parameters under utils.nn's names (views, not copies)
    return {name.split(".", 1)[1]: value for name, value in params.items() if name.startswith(f"block{layer}.")}


def gpt_forward(params, tokens, n_heads):
    """Logits (N, T, V) of ids (N, T); returns (logits, cache)."""
    tokens = np.asarray(tokens)
    vocab_size, block_size = params["tok_emb"].shape[0], params["pos_emb"].shape[0]
    if (tokens.ndim != 2 or not 1 <= tokens.shape[1] <= block_size or not np.issubdtype(tokens.dtype, np.integer)
            or tokens.min() < 0 or tokens.max() >= vocab_size):
        raise ValueError(f"tokens must be integer ids in 0..{vocab_size - 1} of shape (N, T) with 1 <= T <= {block_size}; "
                         f"got {tokens.dtype} {tokens.shape}, values {tokens.min()}..{tokens.max()}")
    # BEGIN SOLUTION
    # HINT 1: module 06's transformer forward, with the output layer replaced by the transposed token embedding.
    # HINT 2: x = tok_emb[tokens] + pos_emb[:T]; blocks with a causal mask; h = LN_f(x); logits = h @ tok_emb.T
    # HINT 3: causal_mask(T); nn.transformer_block_forward per block (keep caches); layernorm_forward; keep h.
    steps = tokens.shape[1]
    mask = nn.causal_mask(steps)  # (T, T)
    x = params["tok_emb"][tokens] + params["pos_emb"][:steps]  # (N, T, D)
    block_caches = []
    for layer in range(n_layers_of(params)):
        x, block_cache = nn.transformer_block_forward(x, block_params(params, layer), n_heads, mask)  # (N, T, D)
        block_caches.append(block_cache)
    h, cache_lnf = nn.layernorm_forward(x, params["lnf_gamma"], params["lnf_beta"])  # (N, T, D)
    logits = h @ params["tok_emb"].T  # (N, T, V): weight tying
    # END SOLUTION
    return logits, (tokens, block_caches, cache_lnf, h)


def gpt_backward(dlogits, cache, params):
    """Gradients of every parameter (a dict like params) from dL/dlogits (N, T, V)."""
    tokens, block_caches, cache_lnf, h = cache
    # BEGIN SOLUTION
    # HINT 1: run the forward steps backwards; tok_emb is used twice, so its two gradients add up.
    # HINT 2: dtok_emb = dlogits^T h (from logits = h E^T) + the embedding rows' scatter of dx_0.
    # HINT 3: einsum("ntv,ntd->vd", dlogits, h); dh = dlogits @ E; LN_f, blocks reversed; pos sum; np.add.at(dE, tokens, dx)
    grads = {"tok_emb": np.einsum("ntv,ntd->vd", dlogits, h)}  # (V, D): the output-layer use of E
    dh = dlogits @ params["tok_emb"]  # (N, T, D)
    dx, grads["lnf_gamma"], grads["lnf_beta"] = nn.layernorm_backward(dh, cache_lnf)
    for layer in reversed(range(len(block_caches))):
        dx, block_grads = nn.transformer_block_backward(dx, block_caches[layer])
        grads.update({f"block{layer}.{name}": g for name, g in block_grads.items()})
    grads["pos_emb"] = np.zeros_like(params["pos_emb"])  # (T_max, D)
    grads["pos_emb"][: tokens.shape[1]] = dx.sum(axis=0)
    np.add.at(grads["tok_emb"], tokens, dx)  # the input-layer use of E, added to the output-layer one
    # END SOLUTION
    return grads


def gpt_loss(params, tokens, targets, n_heads):
    """Mean next-token cross-entropy over all positions; returns (loss, grads)."""
    logits, cache = gpt_forward(params, tokens, n_heads)  # (N, T, V)
    loss, dflat = nn.softmax_cross_entropy(logits.reshape(-1, logits.shape[-1]), np.asarray(targets).reshape(-1))
    return loss, gpt_backward(dflat.reshape(logits.shape), cache, params)



def evaluate_loss(params, ids, n_heads):
    """Mean cross-entropy over all non-overlapping windows of ids (block_size + 1 long), in one batch."""
    block_size = params["pos_emb"].shape[0]
    starts = np.arange((len(ids) - 1) // block_size) * block_size  # (W,)
    windows = ids[starts[:, None] + np.arange(block_size + 1)]  # (W, T + 1)
    logits, _ = gpt_forward(params, windows[:, :-1], n_heads)  # (W, T, V)
    return nn.softmax_cross_entropy(logits.reshape(-1, logits.shape[-1]), windows[:, 1:].reshape(-1))[0]


# %% [markdown]
# ## Demo: check the gradients, the first loss, and the causal structure of the whole model


# %%
def main():
    chars, ids = char_vocabulary(course_text())  # the vocabulary: every character of the course's docstrings
    vocab_size, n_heads, rng = len(chars), 4, np.random.default_rng(0)
    params = init_gpt(vocab_size, block_size=64, n_layers=2, d_model=64, d_ff=256, random_state=0)  # ex05's model
    loss = evaluate_loss(params, ids[:4097], n_heads)  # the first 64 windows of the text
    n_params = sum(value.size for value in params.values())
    print(f"Untrained GPT, 2 blocks, D = 64: {n_params:,} parameters (tying saves {vocab_size * 64:,}); "
          f"loss {loss:.3f} nats, log V = {np.log(vocab_size):.3f}")

    tiny = init_gpt(7, block_size=5, n_layers=2, d_model=8, d_ff=12, random_state=1)
    for value in tiny.values():  # off the initial values (LN gains 1, biases 0), so every gradient is exercised
        value += 0.3 * rng.standard_normal(value.shape)
    tokens, targets = rng.integers(0, 7, size=(2, 5)), rng.integers(0, 7, size=(2, 5))
    _, grads = gpt_loss(tiny, tokens, targets, 2)
    rows = []
    for name in ("tok_emb", "pos_emb", "block0.Wq", "block0.W1", "block1.Wo", "block1.ln2_gamma", "lnf_beta"):
        numeric = gradcheck.numerical_gradient(lambda _: gpt_loss(tiny, tokens, targets, 2)[0], tiny[name])
        rows.append([name, str(tiny[name].shape), f"{gradcheck.rel_error(grads[name], numeric):.1e}"])
    print("\nGradients of a tiny GPT (V = 7, T = 5, D = 8) against central differences")
    print(format_table(["parameter", "shape", "relative error"], rows))

    steps = 16  # influence of input position s on the logits at position t: ||d(u . logits_t) / dx_0[s]||
    logits, cache = gpt_forward(params, ids[None, :steps], n_heads)  # (1, T, V)
    influence = np.zeros((steps, steps))  # (T, T)
    for t in range(steps):
        dlogits = np.zeros_like(logits)  # (1, T, V)
        dlogits[0, t] = rng.standard_normal(vocab_size)  # a random direction u at position t only
        influence[t] = np.linalg.norm(gpt_backward(dlogits, cache, params)["pos_emb"][:steps], axis=1)  # dP[s] = dx_0[s]
    print(f"\nLargest influence of a later position (above the diagonal): {np.triu(influence, 1).max():.1e}")
    fig, ax = plotting.new_figure(1, 1, width=6, height=5)
    plotting.plot_heatmap(ax, influence / influence.max(axis=1, keepdims=True), annotate=False, cmap="magma",
                          title="Logits at position t depend on positions s <= t only")
    ax.set(xlabel="input position s", ylabel="logits at position t")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex04_gpt")


if __name__ == "__main__":
    main()
