"""
Exercise 19: a tiny decoder-only transformer that learns to sort digit strings

Learning goals
--------------
- Stack ex18's blocks between token + position embeddings and an output projection
  into a small GPT-style model, and write its backward pass down to the embeddings.
- Train it with Adam on a sequence task, scoring only the answer positions.
- Generate greedily, one token at a time, and check what the attention has learned.

The math
--------
Tokens t (N, T) index a vocabulary of V symbols. Embeddings E_tok (V, D), E_pos (T_max, D):
    x_0 = E_tok[t] + E_pos[0..T-1]                                (N, T, D)
Both are learned (GPT-2 learns its positions too, instead of ex17's fixed sinusoids).
x_l = Block_l(x_{l-1}) for l = 1..L, each with the causal mask (ex18); then a final
layer norm and an output projection W_out (D, V) give the logits (N, T, V).
Position i predicts token i + 1 (it may only look at 0..i). The embedding lookup's
backward adds each position's gradient into the row of its token (a token used
twice gets both) and into the row of its position.
The task: k = 6 digits, "|", then the same digits sorted: 3 1 3 0 7 2 | 0 1 2 3 3 7
(task="reverse" gives 2 7 0 3 1 3). The loss is the mean cross-entropy over the k positions
that predict answer digits (the random prompt cannot be predicted). To write the next sorted
digit, a position must find in the prompt the next digit in order: a lookup by content,
which the attention maps show (reversing, a lookup by position, is learned in ~100 steps).

Algorithm
---------
1. Forward: embed, run the L blocks with a causal mask, final layer norm, logits.
2. Loss: softmax cross-entropy at the answer positions.
3. Backward: the same steps in reverse, scattering the embedding gradient back to
   the rows that were used.
4. Adam on fresh random batches; held-out strings never appear in training.
5. Generate: feed the prompt "digits |", append the most likely next token, repeat k times.

References: A. Vaswani et al., "Attention is all you need", NeurIPS 2017; A. Radford et al., "Language
models are unsupervised multitask learners" (GPT-2), 2019; A. Karpathy, "minGPT", "nanoGPT" (2020-2023).
Builds on: 06-intro-to-deep-learning/ex16_attention.py (attention), 06-intro-to-deep-learning/ex18_transformer_block.py
(transformer_block).
Difficulty: 3 of 3, about 45 minutes.
Run: python 06-intro-to-deep-learning/ex19_transformer.py
"""

# %%
import numpy as np

import utils
from utils import nn, plotting
from utils.digit_tasks import SEPARATOR, VOCAB_SIZE, make_digit_task, next_token_batch
from utils.optim import Adam
from utils.timing import format_table
from utils.validation import as_float_array

attention = utils.load_exercise("06-intro-to-deep-learning/ex16_attention.py", practice=False)
transformer_block = utils.load_exercise("06-intro-to-deep-learning/ex18_transformer_block.py", practice=False)

# %% [markdown]
# ## The model: embeddings, blocks, final layer norm, output projection


# %%
def init_model(n_layers=2, d_model=32, d_ff=128, max_len=16, vocab_size=VOCAB_SIZE, random_state=0):
    """All parameters in one flat dict (what the optimizer steps over): "block0.Wq", "tok_emb", ..."""
    rng = np.random.default_rng(random_state)
    params = {
        "tok_emb": rng.standard_normal((vocab_size, d_model)),  # (V, D): unit scale, the layer norms rescale it
        "pos_emb": 0.5 * rng.standard_normal((max_len, d_model)),  # (T_max, D), learned positions
    }
    for layer in range(n_layers):
        params.update({f"block{layer}.{name}": value for name, value in transformer_block.init_block(d_model, d_ff, rng).items()})
    params.update(lnf_gamma=np.ones(d_model), lnf_beta=np.zeros(d_model),  # final layer norm at identity
                  W_out=rng.standard_normal((d_model, vocab_size)) / np.sqrt(d_model), b_out=np.zeros(vocab_size))  # (D, V), (V,)
    return params


def _blocks(params):
    """The per-block parameter dicts (views of the same arrays), in order."""
    layers = sorted({int(name[5 : name.index(".")]) for name in params if name.startswith("block")})
    return [{name.split(".", 1)[1]: value for name, value in params.items() if name.startswith(f"block{layer}.")} for layer in layers]


def model_forward(params, tokens, n_heads):
    """Logits (N, T, V) for tokens (N, T) under a causal mask; returns (logits, cache)."""
    tokens = np.asarray(tokens)
    vocab_size, max_len = params["tok_emb"].shape[0], params["pos_emb"].shape[0]
    if tokens.ndim != 2 or tokens.shape[1] > max_len or not np.issubdtype(tokens.dtype, np.integer):
        raise ValueError(f"tokens must be an integer array (N, T) with T <= {max_len}; got {tokens.dtype} {tokens.shape}")
    if tokens.min() < 0 or tokens.max() >= vocab_size:
        raise ValueError(f"token ids must lie in 0..{vocab_size - 1}; got {tokens.min()}..{tokens.max()}")
    # BEGIN SOLUTION
    # HINT 1: Embed tokens and add position embeddings, run the blocks with a causal
    # HINT 1: mask, then a final layer norm and a projection to vocabulary logits.
    # HINT 2: x = tok_emb[tokens] + pos_emb[:T]  # (N, T, D); logits = LN_f(x) @ W_out + b_out  # (N, T, V)
    # HINT 3: mask = attention.causal_mask(T); x = tok_emb[tokens] + pos_emb[:T]
    # HINT 3: for block in _blocks(params): x, c = transformer_block_forward(x, block, n_heads, mask); keep c
    # HINT 3: h = layernorm_forward(x, lnf); logits = nn.affine_forward(h, W_out, b_out)
    steps = tokens.shape[1]
    mask = attention.causal_mask(steps)  # (T, T): position i sees 0..i
    x = params["tok_emb"][tokens] + params["pos_emb"][:steps]  # (N, T, D)
    block_caches = []
    for block in _blocks(params):
        x, block_cache = transformer_block.transformer_block_forward(x, block, n_heads, mask)
        block_caches.append(block_cache)
    h, cache_lnf = transformer_block.layernorm_forward(x, params["lnf_gamma"], params["lnf_beta"])  # (N, T, D)
    logits, cache_out = nn.affine_forward(h, params["W_out"], params["b_out"])  # (N, T, V)
    # END SOLUTION
    return logits, (tokens, block_caches, cache_lnf, cache_out)


def model_backward(dlogits, cache, params):
    """Gradients of every parameter (a dict like params) from dL/dlogits (N, T, V)."""
    dlogits = as_float_array(dlogits, "dlogits")
    tokens, block_caches, cache_lnf, cache_out = cache
    # BEGIN SOLUTION
    # HINT 1: Reverse model_forward; an embedding lookup's backward scatters rows back, adding duplicates.
    # HINT 2: grads["pos_emb"][:T] = dx.sum(axis=0); np.add.at(grads["tok_emb"], tokens, dx)
    # HINT 3: dh = nn.affine_backward(dlogits, cache_out); dx = transformer_block.layernorm_backward(dh, cache_lnf)
    # HINT 3: for layer in reversed: dx, g = transformer_block_backward(...); keys "block{layer}."
    # HINT 3: pos_emb grad: zeros, first T rows = dx.sum(0); tok_emb grad: zeros, then np.add.at(..., tokens, dx)
    grads = {}
    dh, grads["W_out"], grads["b_out"] = nn.affine_backward(dlogits, cache_out)  # (N, T, D)
    dx, grads["lnf_gamma"], grads["lnf_beta"] = transformer_block.layernorm_backward(dh, cache_lnf)
    for layer in reversed(range(len(block_caches))):
        dx, block_grads = transformer_block.transformer_block_backward(dx, block_caches[layer])
        grads.update({f"block{layer}.{name}": g for name, g in block_grads.items()})
    grads["pos_emb"] = np.zeros_like(params["pos_emb"])  # (T_max, D): positions past T got no use
    grads["pos_emb"][: tokens.shape[1]] = dx.sum(axis=0)
    grads["tok_emb"] = np.zeros_like(params["tok_emb"])  # (V, D)
    np.add.at(grads["tok_emb"], tokens, dx)  # add, not assign: a token used twice gets both gradients
    # END SOLUTION
    return grads


def model_loss(params, tokens, targets, loss_mask, n_heads):
    """Mean cross-entropy of the predictions where loss_mask is True; returns (loss, grads).

    tokens, targets, loss_mask: (N, T); targets[n, i] is the token that should follow tokens[n, :i+1].
    """
    loss_mask = np.asarray(loss_mask, dtype=bool)
    if np.shape(targets) != np.shape(tokens) or loss_mask.shape != np.shape(tokens) or not loss_mask.any():
        raise ValueError(f"tokens, targets and loss_mask must share the shape (N, T), with at least one True in loss_mask; "
                         f"got {np.shape(tokens)}, {np.shape(targets)}, {loss_mask.shape}")
    # BEGIN SOLUTION
    # HINT 1: Only positions where loss_mask is True count; boolean indexing picks them as rows.
    # HINT 2: loss, dsel = softmax_cross_entropy(logits[loss_mask], targets[loss_mask]); dlogits[loss_mask] = dsel
    # HINT 3: logits, cache = model_forward(params, tokens, n_heads)
    # HINT 3: loss, dsel = nn.softmax_cross_entropy(logits[loss_mask], np.asarray(targets)[loss_mask])
    # HINT 3: dlogits = zeros_like(logits); dlogits[loss_mask] = dsel
    logits, cache = model_forward(params, tokens, n_heads)  # (N, T, V)
    loss, dselected = nn.softmax_cross_entropy(logits[loss_mask], np.asarray(targets)[loss_mask])  # (M, V)
    dlogits = np.zeros_like(logits)  # (N, T, V): positions outside the mask do not reach the loss
    dlogits[loss_mask] = dselected
    # END SOLUTION
    return loss, model_backward(dlogits, cache, params)


def greedy_generate(params, prompt, n_new, n_heads):
    """Append n_new tokens to prompt (N, T0), each the argmax of the next-token logits; returns (N, T0 + n_new)."""
    tokens = np.asarray(prompt)
    max_len = params["pos_emb"].shape[0]
    # The last new token is never fed back in, so the model must see at most T0 + n_new - 1 positions.
    if tokens.ndim != 2 or tokens.shape[1] < 1 or n_new < 0 or tokens.shape[1] + n_new - 1 > max_len:
        raise ValueError(f"need a prompt (N, T0) with T0 >= 1 and T0 + n_new - 1 <= {max_len} positions; got {tokens.shape} and n_new = {n_new}")
    # BEGIN SOLUTION
    # HINT 1: Run the model on everything so far; the LAST position's logits predict the next token.
    # HINT 2: next_token = logits[:, -1].argmax(-1); tokens = concat([tokens, next_token[:, None]], 1)
    # HINT 3: repeat n_new times: logits = model_forward(params, tokens, n_heads)[0]
    # HINT 3:     append argmax of logits[:, -1] as a new column of tokens
    for _ in range(n_new):
        logits, _ = model_forward(params, tokens, n_heads)  # (N, T, V); the last position predicts the next token
        next_token = logits[:, -1].argmax(axis=-1)  # (N,)
        tokens = np.concatenate([tokens, next_token[:, None]], axis=1)  # (N, T + 1)
    # END SOLUTION
    return tokens


def attention_maps(params, tokens, n_heads):
    """The attention weights of every block for tokens (N, T): a list of (N, h, T, T) arrays."""
    _, (_, block_caches, _, _) = model_forward(params, tokens, n_heads)
    # block cache[1] is ex17's cache; its [3] is ex16's cache (q, k, v, weights, scale)
    return [block_cache[1][3][3] for block_cache in block_caches]


# %% [markdown]
# ## The task (utils.digit_tasks: sort or reverse a digit string), training


# %%
def exact_match_accuracy(params, sequences, n_digits, n_heads):
    """Fraction of sequences whose whole answer greedy decoding gets right, and the generated answers."""
    generated = greedy_generate(params, sequences[:, : n_digits + 1], n_digits, n_heads)  # (N, 2k + 1)
    answers = generated[:, n_digits + 1 :]  # (N, k)
    return float(np.mean(np.all(answers == sequences[:, n_digits + 1 :], axis=1))), answers


def train_digit_model(n_steps, task="sort", n_digits=6, batch_size=64, n_layers=2, d_model=32, n_heads=4, d_ff=128, lr=3e-3,
                      eval_every=None, test=None, random_state=0, progress=None):
    """Adam with a cosine learning-rate decay on fresh batches that never contain a test string.

    Returns (params, history): history["loss"] per step, and the exact-match accuracy on
    ``test`` every ``eval_every`` steps (watched only, never used to choose anything) in
    history["eval_step"] and history["eval_accuracy"]; progress(step, loss, accuracy) is called after each.
    """
    rng = np.random.default_rng(random_state)
    params = init_model(n_layers, d_model, d_ff, max_len=2 * n_digits, random_state=rng)
    adam = Adam(lr=lr)
    history = {"loss": [], "eval_step": [], "eval_accuracy": []}
    exclude = None if test is None else test[:, :n_digits]
    for step in range(1, n_steps + 1):
        sequences = make_digit_task(batch_size, n_digits, rng, task, exclude)  # (B, 2k + 1)
        loss, grads = model_loss(params, *next_token_batch(sequences, n_digits), n_heads)
        adam.lr = lr * 0.5 * (1 + np.cos(np.pi * (step - 1) / n_steps))  # cosine decay: big steps first, fine ones last
        adam.step(params, grads)
        history["loss"].append(loss)
        if test is not None and eval_every and (step % eval_every == 0 or step == n_steps):
            history["eval_step"].append(step)
            history["eval_accuracy"].append(exact_match_accuracy(params, test, n_digits, n_heads)[0])
            if progress is not None:
                progress(step, loss, history["eval_accuracy"][-1])
    return params, history


# %% [markdown]
# ## Demo: train, generate, look inside


# %%
# The full run (about 15 s) reaches 99% held-out exact-sequence accuracy after about 500
# steps and 100% by the end (benchmarks/bench_06_transformer.py times it); the quick path
# stops at about 45%: the first answer digit is almost always right by then.
FULL_RUN = dict(n_steps=1000, task="sort", n_digits=6, batch_size=64, n_layers=2, d_model=32, n_heads=4, d_ff=128, lr=3e-3)
QUICK_RUN = dict(FULL_RUN, n_steps=100)


def main():
    config = QUICK_RUN if utils.quick_mode() else FULL_RUN
    task, k, n_heads = config["task"], config["n_digits"], config["n_heads"]
    test = make_digit_task(200 if utils.quick_mode() else 1000, k, np.random.default_rng(123), task)  # held out
    params, history = train_digit_model(**config, eval_every=config["n_steps"] // 5, test=test, progress=lambda step, loss, acc: print(
        f"  step {step:>5}: loss {loss:.4f}, held-out exact-sequence accuracy {acc:.1%}", flush=True))
    accuracy, answers = exact_match_accuracy(params, test, k, n_heads)
    per_digit = np.mean(answers == test[:, k + 1 :], axis=0)  # (k,)
    print(format_table(["answer digit"] + [str(j + 1) for j in range(k)] + ["whole answer"],
                       [["held-out accuracy"] + [f"{a:.0%}" for a in per_digit] + [f"{accuracy:.1%}"]]))
    for row, answer in zip(test[:3], answers[:3]):
        print(f"  {' '.join(map(str, row[:k]))} |  ->  {' '.join(map(str, answer))}")

    tokens = test[:1, :-1]  # (1, 2k): what the model reads when it predicts the last answer digit
    weights = attention_maps(params, tokens, n_heads)[-1][0]  # (h, T, T), last block
    labels = [str(t) if t != SEPARATOR else "|" for t in tokens[0]]
    fig, axes = plotting.new_figure(1, 3, width=4.6, height=4.0, layout="constrained")
    plotting.plot_loss_curves(axes[0], {"training loss": history["loss"]}, xlabel="Adam step", ylabel="cross-entropy (answer digits)",
                              log_y=True, title=f"Training loss; held-out accuracy {accuracy:.0%}")
    for ax, head in zip(axes[1:], (0, 1)):
        plotting.plot_heatmap(ax, weights[head], row_labels=labels, col_labels=labels, annotate=False, colorbar=False, vmin=0, vmax=1,
                              title=f"Last block, head {head}: attention weights")
        ax.set(xlabel="key position (token)", ylabel="query position (token)")
    print("Attention maps: in the rows from '|' on, each position looks up in the prompt the digit it writes next.")
    plotting.show_or_save(fig, "ex19_transformer")


if __name__ == "__main__":
    main()
