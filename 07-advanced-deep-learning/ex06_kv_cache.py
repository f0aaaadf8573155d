"""
Exercise 06: a KV cache, so that a GPT writes each new token in constant work per layer

Learning goals
--------------
- See why generating with ex04's GPT (sampled as in ex05) repeats work: each new token reruns
  the model over the whole context, although the keys and values of the old positions never
  change (the causal mask stops old positions from seeing new ones).
- Keep those keys and values in a cache and run only the new position through the model,
  attending to the cached keys: the same logits as the full forward pass, to 1e-10.
- Measure the speed-up for long generations, and what the cache costs in memory.

The math
--------
In block l, position i's key and value are k_i = LN_1(x_i) Wk + bk and v_i = LN_1(x_i) Wv + bv
(x_i (D,) its residual stream). With a causal mask, x_i depends on tokens 0..i only, so
k_i and v_i are fixed once token i is known. Writing token p + 1 needs, in every block,
    q_p = LN_1(x_p) Wq + bq,    out_p = softmax(q_p [k_0 .. k_p]^T / sqrt(d)) [v_0 .. v_p]
per head: one query against p + 1 cached keys. The MLP, the layer norms and the output
layer act on position p alone. The cache holds, per block, K and V of shape (N, h, T_max, d).
A chunk of c new tokens at positions p0 .. p0 + c - 1 (the prompt, at the start) is the same
computation with c queries and the mask "key j is allowed for query i when j <= p0 + i".
Work for writing G tokens after a prompt of P: recomputing costs sum over t of (P + t)
positions per layer, O((P + G)^2) rows through the MLPs and O((P + G)^3) attention
scores; with the cache, G rows and O((P + G)^2) scores. Memory: 2 L N T_max D numbers.

Algorithm
---------
1. new_cache(params, N, n_heads): zeros K, V per block, length 0.
2. forward_cached(params, tokens (N, c), cache, n_heads): embed at positions length..length+c-1;
   per block: LN_1, project q, k, v, write k, v into the cache, attend over cache[:length + c],
   merge heads, project, residual, then LN_2 + MLP + residual; final LN and tied logits;
   advance length by c.
3. Generate: prefill with the prompt, then feed one sampled token at a time.

References: R. Pope et al., "Efficiently scaling transformer inference", MLSys 2023 (sec. 2);
N. Shazeer, "Fast transformer decoding: one write-head is all you need", 2019 (multi-query
attention, a smaller cache); A. Karpathy, "nanoGPT" (2023).
Builds on: 07-advanced-deep-learning/ex04_gpt.py (gpt: the model), 07-advanced-deep-learning/ex05_gpt_training_sampling.py
(gpt_training: sampling and generate); layer norm, heads and attention come from utils.nn.
Difficulty: 2 of 3, about 45 minutes.
Run: python 07-advanced-deep-learning/ex06_kv_cache.py
"""

# %%
import time

import numpy as np

import utils
from utils import nn, plotting
from utils.timing import format_table

gpt = utils.load_exercise("07-advanced-deep-learning/ex04_gpt.py", practice=False)
gpt_training = utils.load_exercise("07-advanced-deep-learning/ex05_gpt_training_sampling.py", practice=False)

# %% [markdown]
# ## The cache and the cached forward pass


# %%
def new_cache(params, batch_size, n_heads):
    """An empty cache: per block, K and V of shape (N, h, T_max, d), and the number of filled positions."""
    block_size, dim = params["pos_emb"].shape
    shape = (batch_size, n_heads, block_size, dim // n_heads)
    return {"length": 0, "k": [np.zeros(shape) for _ in range(gpt.n_layers_of(params))],
            "v": [np.zeros(shape) for _ in range(gpt.n_layers_of(params))]}


def _dense(x, w, b):
    return x @ w + b  # (N, c, M): an affine layer on every position, no cache needed (no backward here)


def forward_cached(params, tokens, cache, n_heads):
    """Logits (N, c, V) of c new tokens (N, c) that follow the cache's positions; updates the cache in place."""
    tokens = np.asarray(tokens)
    start, block_size = cache["length"], params["pos_emb"].shape[0]
    if tokens.ndim != 2 or tokens.shape[0] != cache["k"][0].shape[0] or start + tokens.shape[1] > block_size:
        raise ValueError(f"tokens must have shape ({cache['k'][0].shape[0]}, c) with {start} + c <= {block_size} positions; "
                         f"got {tokens.shape}")
    steps = tokens.shape[1]
    end = start + steps
    # BEGIN SOLUTION
    # HINT 1: ex04's forward, but the blocks' attention reads keys and values from the cache.
    # HINT 2: x = tok_emb[tokens] + pos_emb[start:end]; query i (position start + i) may see keys 0 .. start + i.
    # HINT 3: mask = arange(end)[None, :] <= (start + arange(c))[:, None]; per block: h = LN_1(x); q, k, v projections;
    # HINT 3: cache["k"][l][:, :, start:end] = split_heads(k); attend q over cache[..., :end]; x += merged @ Wo + bo;
    # HINT 3: x += relu(LN_2(x) @ W1 + b1) @ W2 + b2. After the blocks: LN_f, logits = h @ tok_emb.T; length = end.
    mask = np.arange(end)[None, :] <= (start + np.arange(steps))[:, None]  # (c, end): causal, shifted by start
    x = params["tok_emb"][tokens] + params["pos_emb"][start:end]  # (N, c, D)
    for layer in range(gpt.n_layers_of(params)):
        p = gpt.block_params(params, layer)
        h = nn.layernorm_forward(x, p["ln1_gamma"], p["ln1_beta"])[0]  # (N, c, D)
        q = nn.split_heads(_dense(h, p["Wq"], p["bq"]), n_heads)  # (N, h, c, d)
        cache["k"][layer][:, :, start:end] = nn.split_heads(_dense(h, p["Wk"], p["bk"]), n_heads)  # write the new keys
        cache["v"][layer][:, :, start:end] = nn.split_heads(_dense(h, p["Wv"], p["bv"]), n_heads)
        heads, _ = nn.attention_forward(q, cache["k"][layer][:, :, :end], cache["v"][layer][:, :, :end], mask)  # (N, h, c, d)
        x = x + _dense(nn.merge_heads(heads), p["Wo"], p["bo"])  # (N, c, D)
        h = nn.layernorm_forward(x, p["ln2_gamma"], p["ln2_beta"])[0]
        x = x + _dense(np.maximum(_dense(h, p["W1"], p["b1"]), 0.0), p["W2"], p["b2"])  # (N, c, D)
    h = nn.layernorm_forward(x, params["lnf_gamma"], params["lnf_beta"])[0]
    logits = h @ params["tok_emb"].T  # (N, c, V)
    cache["length"] = end
    # END SOLUTION
    return logits


# %% [markdown]
# ## Generation, with and without the cache


# %%
def generate_cached(params, prompt, n_new, n_heads, rng, **sampling):
    """ex05's generate (1-D prompt), with a KV cache: prefill the prompt, then one token per call."""
    if len(prompt) + n_new - 1 > params["pos_emb"].shape[0]:
        raise ValueError(f"prompt + n_new - 1 = {len(prompt) + n_new - 1} positions exceed block_size {params['pos_emb'].shape[0]}")
    ids = list(prompt)
    cache = new_cache(params, 1, n_heads)
    # BEGIN SOLUTION
    # HINT 1: the prompt goes through once; after that only the last sampled token is fed in.
    # HINT 2: logits = forward_cached(params, np.array([ids]), cache, n_heads)[0, -1] predicts the next token.
    # HINT 3: logits = prefill; loop n_new times: sample with gpt_training.sampling_probs, append,
    # HINT 3: then (unless it was the last) logits = forward_cached(params, np.array([[ids[-1]]]), cache, n_heads)[0, -1]
    logits = forward_cached(params, np.array([ids]), cache, n_heads)[0, -1]  # (V,)
    for i in range(n_new):
        probs = gpt_training.sampling_probs(logits, **sampling)
        ids.append(int(rng.choice(len(probs), p=probs)))
        if i < n_new - 1:
            logits = forward_cached(params, np.array([[ids[-1]]]), cache, n_heads)[0, -1]  # (V,)
    # END SOLUTION
    return ids


def generate_recomputing(params, prompt, n_new, n_heads, rng, **sampling):
    """The same as ex05's generate: the whole context through the model for every new token."""
    return gpt_training.generate(params, prompt, n_new, n_heads, rng, **sampling)


# %% [markdown]
# ## Demo: the same logits, the same tokens, far less work


# %%
def main():
    quick = utils.quick_mode()
    n_new = 64 if quick else 256
    config = dict(gpt_training.FULL_RUN, block_size=n_new + 16)  # positions for a prompt of 16 and n_new new tokens
    vocab_size, n_heads = 95, config["n_heads"]
    # Speed does not depend on what the weights are, so we take an untrained model of ex05's shape.
    params = gpt.init_gpt(vocab_size, config["block_size"], config["n_layers"], config["d_model"], config["d_ff"], random_state=0)
    rng = np.random.default_rng(0)
    tokens = rng.integers(0, vocab_size, size=(2, config["block_size"]))  # (2, T)
    full, _ = gpt.gpt_forward(params, tokens, n_heads)
    cache = new_cache(params, 2, n_heads)
    pieces = [forward_cached(params, tokens[:, :16], cache, n_heads)]  # prefill 16, then one at a time
    pieces += [forward_cached(params, tokens[:, t : t + 1], cache, n_heads) for t in range(16, config["block_size"])]
    error = np.max(np.abs(np.concatenate(pieces, axis=1) - full))
    print(f"Largest difference between cached and full-pass logits over {config['block_size']} positions: {error:.1e}")

    prompt = list(rng.integers(0, vocab_size, size=16))
    rows, times = [], {}
    for name, generate in (("recompute every step", generate_recomputing), ("KV cache", generate_cached)):
        start = time.perf_counter()
        out = generate(params, prompt, n_new, n_heads, np.random.default_rng(1), top_k=1)  # greedy: top-1
        times[name] = (time.perf_counter() - start, out)
    (t_full, out_full), (t_cache, out_cache) = times.values()
    for name, (seconds, _) in times.items():
        rows.append([name, f"{seconds:.2f} s", f"{1000 * seconds / n_new:.1f} ms", f"{t_full / seconds:.1f}x"])
    print(f"\nGreedy generation of {n_new} tokens after a 16-token prompt, {config['n_layers']} blocks, D = {config['d_model']}")
    print(format_table(["method", "time", "per token", "speed-up"], rows))
    print(f"Identical tokens: {out_full == out_cache}. Cache memory: 2 x {config['n_layers']} blocks x "
          f"{config['block_size']} positions x {config['d_model']} numbers = {2 * config['n_layers'] * config['block_size'] * config['d_model'] * 8 / 1024:.0f} KiB")

    lengths = np.arange(1, n_new + 1)
    fig, ax = plotting.new_figure(1, 1, width=6, height=4)
    ax.plot(lengths, np.cumsum(16 + lengths - 1), label="recompute: positions through the model")
    ax.plot(lengths, 16 + lengths - 1, label="KV cache: positions through the model")
    ax.set(xlabel="tokens generated", ylabel="positions processed (cumulative)", yscale="log",
           title="Work grows quadratically without a cache, linearly with one")
    ax.legend()
    fig.tight_layout()
    plotting.show_or_save(fig, "ex06_kv_cache")


if __name__ == "__main__":
    main()
