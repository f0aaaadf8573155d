"""
Exercise 19: a tiny decoder-only transformer that learns to sort digit strings

Learning goals
--------------
- Assemble a pre-layer-norm transformer block from parts we already have: layer
  normalisation (ex10), causal multi-head self-attention (ex17), a two-layer MLP,
  and two residual connections; write its backward pass.
- Stack blocks between token + position embeddings and an output projection into
  a small GPT-style model, and train it with Adam (05/ex08) on a sequence task.
- Generate greedily, one token at a time, and check what the attention has learned.

The math
--------
Tokens t (N, T) index a vocabulary of V symbols. Embeddings E_tok (V, D), E_pos (T_max, D):
    x_0 = E_tok[t] + E_pos[0..T-1]                                (N, T, D)
Both are learned (GPT-2 learns its positions too, instead of ex17's fixed sinusoids).
Layer norm (ex10) over the D features of each position, with learned gamma, beta (D,):
    LN(x) = gamma * (x - mean(x)) / sqrt(var(x) + eps) + beta,   eps = 1e-5
One pre-LN block (Xiong et al. 2020) with causal self-attention (ex17, mask j <= i):
    y = x + MHA(LN_1(x))                                          (N, T, D)
    out = y + relu(LN_2(y) W_1 + b_1) W_2 + b_2                   W_1 (D, F), W_2 (F, D)
After L blocks, a final layer norm and an output projection W_out (D, V) give the
logits (N, T, V). Position i predicts token i + 1 (it may only look at 0..i).
The task: k = 6 digits, a separator "|", then the same digits sorted, e.g.
3 1 3 0 7 2 | 0 1 2 3 3 7 (task="reverse" gives 2 7 0 3 1 3 instead). The loss is the
mean cross-entropy over the k positions that predict answer digits; the prompt
is random, so predicting it would only add noise. Each position's vector travels
up the blocks on its own "residual stream"; attention is the only step that moves
information between positions. To write the next sorted digit, the position that
holds the previous answer digit has to find, among the prompt's digits, the next
one in order: a lookup by content, which the attention maps below show.
Reversing is a lookup by position instead, and is learned in about 100 steps.

Algorithm
---------
1. Forward: embed, run the L blocks with a causal mask, final layer norm, logits.
2. Loss: softmax cross-entropy (ex04) at the answer positions.
3. Backward: the same steps in reverse, summing the gradients of the two residual
   branches, and scattering the embedding gradient back to the rows that were used.
4. Adam on fresh random batches; held-out strings never appear in training.
5. Generate: feed the prompt "digits |", append the most likely next token, repeat k times.

References: A. Vaswani et al., "Attention is all you need", NeurIPS 2017; A. Radford
et al., "Language models are unsupervised multitask learners" (GPT-2), 2019;
J. L. Ba, J. R. Kiros, G. E. Hinton, "Layer normalization", 2016; R. Xiong et al.,
"On layer normalization in the transformer architecture", ICML 2020;
A. Karpathy, "minGPT" and "nanoGPT" (2020-2023) for the decoder-only layout.
Builds on: 06-intro-to-deep-learning/ex04_backpropagation.py (backprop), 06-intro-to-deep-learning/ex10_normalization.py
(normalization), 05-model-optimization/ex08_optimizers.py (optimizers), 06-intro-to-deep-learning/ex16_attention.py
(attention), 06-intro-to-deep-learning/ex17_multi_head_attention.py (mha).
Difficulty: 3 of 3, about 60 minutes.
Run: python 06-intro-to-deep-learning/ex19_transformer.py
"""

# %%
import time

import numpy as np

import utils
from utils import plotting
from utils.timing import format_table
from utils.validation import as_float_array, as_float_arrays, check_option, check_positive_int

backprop = utils.load_exercise("06-intro-to-deep-learning/ex04_backpropagation.py", practice=False)
normalization = utils.load_exercise("06-intro-to-deep-learning/ex10_normalization.py", practice=False)
optimizers = utils.load_exercise("05-model-optimization/ex08_optimizers.py", practice=False)
attention = utils.load_exercise("06-intro-to-deep-learning/ex16_attention.py", practice=False)
mha = utils.load_exercise("06-intro-to-deep-learning/ex17_multi_head_attention.py", practice=False)

SEPARATOR = 10  # token ids 0-9 are the digits, 10 is "|"
VOCAB_SIZE = 11

# %% [markdown]
# ## One transformer block: x + attention(LN(x)), then + MLP(LN(.))
#
# Layer norm (ex10) and the affine layer (ex04) work on (N, D) matrices; a sequence
# batch (N, T, D) is N*T rows of D features, so we reshape, call them, and reshape back.


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


def _dense_forward(x, w, b):
    """ex04's affine layer on every position: x (N, T, D) -> (N, T, M)."""
    out, cache = backprop.affine_forward(x.reshape(-1, x.shape[-1]), w, b)  # (N*T, M)
    return out.reshape(*x.shape[:-1], -1), cache


def _dense_backward(dout, cache):
    dx, dw, db = backprop.affine_backward(dout.reshape(-1, dout.shape[-1]), cache)
    return dx.reshape(*dout.shape[:-1], -1), dw, db


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
    # HINT 3: mlp_out = _dense_forward(relu_forward(_dense_forward(h2, W1, b1)), W2, b2)
    # HINT 3: out = y + mlp_out; keep all seven caches
    h1, cache_ln1 = layernorm_forward(x, params["ln1_gamma"], params["ln1_beta"])  # (N, T, D)
    attended, cache_att = mha.multi_head_attention_forward(h1, h1, params, n_heads, mask)  # (N, T, D)
    y = x + attended  # (N, T, D): first residual connection
    h2, cache_ln2 = layernorm_forward(y, params["ln2_gamma"], params["ln2_beta"])  # (N, T, D)
    hidden, cache_fc1 = _dense_forward(h2, params["W1"], params["b1"])  # (N, T, F)
    activated, cache_relu = backprop.relu_forward(hidden)  # (N, T, F)
    mlp_out, cache_fc2 = _dense_forward(activated, params["W2"], params["b2"])  # (N, T, D)
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
    dactivated, grads["W2"], grads["b2"] = _dense_backward(dout, cache_fc2)  # (N, T, F)
    dhidden = backprop.relu_backward(dactivated, cache_relu)
    dh2, grads["W1"], grads["b1"] = _dense_backward(dhidden, cache_fc1)  # (N, T, D)
    dy_mlp, grads["ln2_gamma"], grads["ln2_beta"] = layernorm_backward(dh2, cache_ln2)
    dy = dout + dy_mlp  # (N, T, D): the residual path plus the MLP path
    dh1_q, dh1_kv, attention_grads = mha.multi_head_attention_backward(dy, cache_att)
    grads.update(attention_grads)
    dx_att, grads["ln1_gamma"], grads["ln1_beta"] = layernorm_backward(dh1_q + dh1_kv, cache_ln1)
    dx = dy + dx_att  # (N, T, D)
    # END SOLUTION
    return dx, grads


# %% [markdown]
# ## The model: embeddings, blocks, final layer norm, output projection


# %%
def init_model(n_layers=2, d_model=32, d_ff=128, max_len=16, vocab_size=VOCAB_SIZE, random_state=0):
    """All parameters in one flat dict (what ex08's optimizers step over): "block0.Wq", "tok_emb", ..."""
    rng = np.random.default_rng(random_state)
    params = {
        "tok_emb": rng.standard_normal((vocab_size, d_model)),  # (V, D): unit scale, the layer norms rescale it
        "pos_emb": 0.5 * rng.standard_normal((max_len, d_model)),  # (T_max, D), learned positions
    }
    for layer in range(n_layers):
        params.update({f"block{layer}.{name}": value for name, value in init_block(d_model, d_ff, rng).items()})
    params.update(
        lnf_gamma=np.ones(d_model),
        lnf_beta=np.zeros(d_model),
        W_out=rng.standard_normal((d_model, vocab_size)) / np.sqrt(d_model),
        b_out=np.zeros(vocab_size),
    )
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
    # HINT 3: for block in _blocks(params): x, c =
    # HINT 3:   transformer_block_forward(x, block, n_heads, mask); keep c
    # HINT 3: h = layernorm_forward(x, lnf); logits = _dense_forward(h, W_out, b_out)
    steps = tokens.shape[1]
    mask = attention.causal_mask(steps)  # (T, T): position i sees 0..i
    x = params["tok_emb"][tokens] + params["pos_emb"][:steps]  # (N, T, D)
    block_caches = []
    for block in _blocks(params):
        x, block_cache = transformer_block_forward(x, block, n_heads, mask)
        block_caches.append(block_cache)
    h, cache_lnf = layernorm_forward(x, params["lnf_gamma"], params["lnf_beta"])  # (N, T, D)
    logits, cache_out = _dense_forward(h, params["W_out"], params["b_out"])  # (N, T, V)
    # END SOLUTION
    return logits, (tokens, block_caches, cache_lnf, cache_out)


def model_backward(dlogits, cache, params):
    """Gradients of every parameter (a dict like params) from dL/dlogits (N, T, V)."""
    dlogits = as_float_array(dlogits, "dlogits")
    tokens, block_caches, cache_lnf, cache_out = cache
    # BEGIN SOLUTION
    # HINT 1: Reverse model_forward; an embedding lookup's backward scatters rows back, adding duplicates.
    # HINT 2: grads["pos_emb"][:T] = dx.sum(axis=0); np.add.at(grads["tok_emb"], tokens, dx)
    # HINT 3: dh = _dense_backward(dlogits, cache_out); dx = layernorm_backward(dh, cache_lnf)
    # HINT 3: for layer in reversed: dx, g = transformer_block_backward(...); keys "block{layer}."
    # HINT 3: pos_emb grad: zeros, first T rows = dx.sum(0); tok_emb grad: zeros, then
    # HINT 3:   np.add.at(grads["tok_emb"], tokens, dx)
    grads = {}
    dh, grads["W_out"], grads["b_out"] = _dense_backward(dlogits, cache_out)  # (N, T, D)
    dx, grads["lnf_gamma"], grads["lnf_beta"] = layernorm_backward(dh, cache_lnf)
    for layer in reversed(range(len(block_caches))):
        dx, block_grads = transformer_block_backward(dx, block_caches[layer])
        grads.update({f"block{layer}.{name}": g for name, g in block_grads.items()})
    grads["pos_emb"] = np.zeros_like(params["pos_emb"])  # (T_max, D): positions past T got no use
    grads["pos_emb"][: tokens.shape[1]] = dx.sum(axis=0)
    grads["tok_emb"] = np.zeros_like(params["tok_emb"])  # (V, D)
    np.add.at(grads["tok_emb"], tokens, dx)  # add, not assign: a token used twice gets both gradients
    # END SOLUTION
    return grads


def model_loss(params, tokens, targets, loss_mask, n_heads):
    """Mean cross-entropy (ex04) of the predictions where loss_mask is True; returns (loss, grads).

    tokens, targets, loss_mask: (N, T); targets[n, i] is the token that should follow tokens[n, :i+1].
    """
    loss_mask = np.asarray(loss_mask, dtype=bool)
    if np.shape(targets) != np.shape(tokens) or loss_mask.shape != np.shape(tokens) or not loss_mask.any():
        raise ValueError(
            f"tokens, targets and loss_mask must share the shape (N, T), with at least one True in loss_mask; "
            f"got {np.shape(tokens)}, {np.shape(targets)}, {loss_mask.shape}"
        )
    # BEGIN SOLUTION
    # HINT 1: Only positions where loss_mask is True count; boolean indexing picks them as rows.
    # HINT 2: loss, dsel = softmax_cross_entropy(logits[loss_mask], targets[loss_mask]); dlogits[loss_mask] = dsel
    # HINT 3: logits, cache = model_forward(params, tokens, n_heads)
    # HINT 3: loss, dsel =
    # HINT 3:   backprop.softmax_cross_entropy(logits[loss_mask], np.asarray(targets)[loss_mask])
    # HINT 3: dlogits = zeros_like(logits); dlogits[loss_mask] = dsel
    logits, cache = model_forward(params, tokens, n_heads)  # (N, T, V)
    loss, dselected = backprop.softmax_cross_entropy(logits[loss_mask], np.asarray(targets)[loss_mask])  # (M, V)
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
        raise ValueError(
            f"need a prompt (N, T0) with T0 >= 1 and T0 + n_new - 1 <= {max_len} positions; got {tokens.shape} and n_new = {n_new}"
        )
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
# ## The task: sort (or reverse) a string of digits


# %%
TASKS = {
    "sort": lambda digits: np.sort(digits, axis=1),  # 3 1 3 0 | 0 1 3 3
    "reverse": lambda digits: digits[:, ::-1],  # 3 1 3 0 | 0 3 1 3
}


def make_digit_task(n_sequences, n_digits, rng, task="sort", exclude=None):
    """Sequences "d_1 .. d_k | answer" of shape (N, 2k + 1), the answer the sorted or reversed digits.

    ``exclude`` is an array of digit strings (M, k) that must not appear (the held-out
    test set, when drawing training data); rows that hit one are drawn again.
    """
    n_sequences, n_digits = check_positive_int(n_sequences, "n_sequences"), check_positive_int(n_digits, "n_digits")
    check_option(task, "task", sorted(TASKS))
    digits = rng.integers(0, 10, size=(n_sequences, n_digits))  # (N, k)
    if exclude is not None:
        powers = 10 ** np.arange(n_digits)  # (k,): a string of digits as one integer
        banned = np.asarray(exclude) @ powers  # (M,)
        clash = np.isin(digits @ powers, banned)  # (N,)
        while clash.any():
            digits[clash] = rng.integers(0, 10, size=(clash.sum(), n_digits))
            clash = np.isin(digits @ powers, banned)
    separator = np.full((n_sequences, 1), SEPARATOR)  # (N, 1)
    return np.concatenate([digits, separator, TASKS[task](digits)], axis=1)  # (N, 2k + 1)


def next_token_batch(sequences, n_digits):
    """(inputs, targets, loss_mask), each (N, 2k): predict token i + 1 from tokens 0..i, score the answer only."""
    inputs, targets = sequences[:, :-1], sequences[:, 1:]  # (N, 2k) each
    loss_mask = np.zeros(inputs.shape, dtype=bool)
    loss_mask[:, n_digits:] = True  # from the separator on, every prediction is an answer digit
    return inputs, targets, loss_mask


def exact_match_accuracy(params, sequences, n_digits, n_heads):
    """Fraction of sequences whose whole answer greedy decoding gets right, and the generated answers."""
    generated = greedy_generate(params, sequences[:, : n_digits + 1], n_digits, n_heads)  # (N, 2k + 1)
    answers = generated[:, n_digits + 1 :]  # (N, k)
    return float(np.mean(np.all(answers == sequences[:, n_digits + 1 :], axis=1))), answers


def train_digit_model(n_steps, task="sort", n_digits=6, batch_size=64, n_layers=2, d_model=32, n_heads=4, d_ff=128, lr=3e-3,
                      eval_every=None, test=None, random_state=0, progress=None):
    """Adam with a cosine learning-rate decay on fresh batches that never contain a test string.

    Returns (params, history) with history = {"loss": per step, "eval_step": [...],
    "eval_accuracy": [...] (exact-match on ``test`` every ``eval_every`` steps, only
    watched, never used to choose anything), "seconds": training time without those evaluations}.
    progress(step, loss, accuracy), if given, is called after each evaluation (the demo prints it).
    """
    rng = np.random.default_rng(random_state)
    params = init_model(n_layers, d_model, d_ff, max_len=2 * n_digits, random_state=rng)
    adam = optimizers.Adam(lr=lr)
    history = {"loss": [], "eval_step": [], "eval_accuracy": [], "seconds": 0.0}
    exclude = None if test is None else test[:, :n_digits]
    start, eval_seconds = time.perf_counter(), 0.0
    for step in range(1, n_steps + 1):
        sequences = make_digit_task(batch_size, n_digits, rng, task, exclude)  # (B, 2k + 1)
        loss, grads = model_loss(params, *next_token_batch(sequences, n_digits), n_heads)
        adam.lr = lr * 0.5 * (1 + np.cos(np.pi * (step - 1) / n_steps))  # cosine decay: big steps first, fine ones last
        adam.step(params, grads)
        history["loss"].append(loss)
        if test is not None and eval_every and (step % eval_every == 0 or step == n_steps):
            eval_start = time.perf_counter()
            history["eval_step"].append(step)
            history["eval_accuracy"].append(exact_match_accuracy(params, test, n_digits, n_heads)[0])
            eval_seconds += time.perf_counter() - eval_start
            if progress is not None:
                progress(step, loss, history["eval_accuracy"][-1])
    history["seconds"] = time.perf_counter() - start - eval_seconds
    return params, history


# %% [markdown]
# ## Demo: train, generate, look inside


# %%
# The full run reaches 99% held-out exact-sequence accuracy after about 500 steps and
# 100% by the end (benchmarks/bench_06_transformer.py times it); the quick path, which
# the test suite runs, stops at about 45%: the first (smallest) answer digit is almost
# always right by then, the middle ones about two times in three.
FULL_RUN = dict(n_steps=1000, task="sort", n_digits=6, batch_size=64, n_layers=2, d_model=32, n_heads=4, d_ff=128, lr=3e-3)
QUICK_RUN = dict(FULL_RUN, n_steps=100)


def main():
    quick = utils.quick_mode()
    config = QUICK_RUN if quick else FULL_RUN
    task, n_digits, n_heads = config["task"], config["n_digits"], config["n_heads"]
    test = make_digit_task(200 if quick else 1000, n_digits, np.random.default_rng(123), task)  # held out, never trained on
    eval_every = config["n_steps"] // (4 if quick else 10)
    print(f"Training {config['n_steps']} Adam steps on fresh batches ({'quick path' if quick else 'about 15 s on a free core'}); "
          f"held-out accuracy every {eval_every} steps:", flush=True)
    params, history = train_digit_model(**config, eval_every=eval_every, test=test, progress=lambda step, loss, acc: print(
        f"  step {step:>5}: loss {loss:.4f}, held-out exact-sequence accuracy {acc:.1%}", flush=True))
    accuracy, answers = exact_match_accuracy(params, test, n_digits, n_heads)
    n_params = sum(value.size for value in params.values())
    print(f"Task: {task} {n_digits} digits. Model: {config['n_layers']} blocks, D = {config['d_model']}, {n_heads} heads, {n_params} parameters")
    print(format_table(
        ["Adam steps", "training time", "loss (last 20 steps)", "held-out exact-sequence accuracy"],
        [[config["n_steps"], f"{history['seconds']:.1f} s", f"{np.mean(history['loss'][-20:]):.4f}", f"{accuracy:.1%} of {len(test)}"]],
    ))
    per_position = np.mean(answers == test[:, n_digits + 1 :], axis=0)  # (k,)
    print("Accuracy of each answer digit: " + "  ".join(f"{j + 1}: {a:.0%}" for j, a in enumerate(per_position)))
    print("\nGreedy generation on held-out prompts (the model writes the 6 digits after '|'):")
    for row, answer in zip(test[:5], answers[:5]):
        prompt = " ".join(map(str, row[:n_digits]))
        got, want = " ".join(map(str, answer)), " ".join(map(str, row[n_digits + 1 :]))
        print(f"  {prompt} |  ->  {got}   {'correct' if got == want else 'wrong, expected ' + want}")

    tokens = test[:1, :-1]  # (1, 2k): what the model reads when it predicts the last answer digit
    weights = attention_maps(params, tokens, n_heads)[-1][0]  # (h, T, T), last block
    labels = [str(t) if t != SEPARATOR else "|" for t in tokens[0]]
    fig, axes = plotting.new_figure(1, 3, width=4.6, height=4.0)
    plotting.plot_loss_curves(axes[0], {"training loss": history["loss"]}, xlabel="Adam step", ylabel="cross-entropy (answer digits)",
                              log_y=True, title="Training loss and held-out accuracy")
    ax_acc = axes[0].twinx()
    ax_acc.plot(history["eval_step"], history["eval_accuracy"], "o-", color=plotting.COLORS[1], label="held-out exact accuracy")
    ax_acc.set(ylim=(0, 1.02), ylabel="held-out exact-sequence accuracy")
    ax_acc.legend(loc="center right")
    ax_acc.grid(False)
    ax_acc.spines["right"].set_visible(True)
    for ax, head in zip(axes[1:], (0, 1)):
        plotting.plot_heatmap(ax, weights[head], row_labels=labels, col_labels=labels, annotate=False, colorbar=False, vmin=0, vmax=1,
                              title=f"Last block, head {head}: attention weights")
        ax.set(xlabel="key position (token)", ylabel="query position (token)")
    fig.tight_layout()
    print("\nAttention maps: in the rows from '|' on, each position looks up in the prompt the digit it writes next.")
    plotting.show_or_save(fig, "ex19_transformer")


if __name__ == "__main__":
    main()
