"""
Exercise 05: training a GPT (AdamW, clipping, warm-up + cosine) and sampling from it (top-k, top-p)

Learning goals
--------------
- Train ex04's GPT on the course's own text as GPT-2-style models are trained: AdamW (decoupled
  weight decay), a linear warm-up then cosine decay (05/ex09), and gradient clipping by the global norm.
- Beat the bigram baseline on held-out text, and sample with temperature, top-k and top-p.

The math
--------
The loss is ex04's: the mean next-token cross-entropy over all N T positions of a batch (N, T).
AdamW (Loshchilov and Hutter 2019) with g the gradient, lr_t the scheduled rate, lambda the decay:
    p <- p - lr_t lambda p              (only matrices: embeddings and weights, not biases or LN)
    p <- p - lr_t m_hat / (sqrt(v_hat) + eps)        (Adam, 05/ex08; an L2 term in g would be divided by sqrt(v_hat))
Clipping: with G = sqrt(sum over all parameters of ||g||^2), scale every g by min(1, c / G).
Schedule for steps t = 1..n with W warm-up steps: lr_t = lr t / W while t < W, then
    lr_t = lr / 10 + (lr - lr / 10) (1 + cos(pi (t - W) / (n - W))) / 2      (from lr down to lr / 10).
Sampling from logits z (V,): divide by a temperature tau (tau < 1 sharpens), keep the k largest
(top-k) and/or the smallest set of most likely tokens with total probability >= p (top-p), renormalise.
Baseline: the bigram (utils.text.bigram_cross_entropy, smoothed pair counts) sees one character back.

Algorithm
---------
1. Split the text (utils.text.course_text) into 90% training, 10% validation, in one piece each.
2. Each step: B random windows of T + 1 characters; forward, loss, backward, clip, AdamW step.
3. Validation: the mean loss over all non-overlapping windows. 4. Generate: sample, append, repeat.

References: A. Radford et al., "Language models are unsupervised multitask learners" (GPT-2), 2019;
I. Loshchilov, F. Hutter, "Decoupled weight decay regularization", ICLR 2019 (AdamW); A. Holtzman
et al., "The curious case of neural text degeneration", ICLR 2020 (top-p); A. Karpathy, "nanoGPT" (2023).
Builds on: 07-advanced-deep-learning/ex04_gpt.py (gpt: the model, its loss and gradients).
Difficulty: 2 of 3, about 40 minutes.
Run: python 07-advanced-deep-learning/ex05_gpt_training_sampling.py
"""

# %%
import time

import numpy as np

import utils
from utils import nn, optim, plotting
from utils.text import bigram_cross_entropy, char_vocabulary, course_text, random_windows, train_val_split_text
from utils.timing import format_table
from utils.validation import as_float_array, check_positive_number

gpt = utils.load_exercise("07-advanced-deep-learning/ex04_gpt.py", practice=False)

# %% [markdown]
# ## Training tools (AdamW, gradient clipping, the schedule) and sampling (temperature, top-k, top-p)


# %%
class AdamW(optim.Adam):
    """Adam (utils.optim) plus decoupled weight decay on the parameters with 2 or more axes."""

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(lr, beta1, beta2, eps)
        self.weight_decay = weight_decay

    def step(self, params, grads):
        # BEGIN SOLUTION
        # HINT 1: shrink the matrices towards 0 by a fraction of their value, then take the Adam step.
        # HINT 2: p -= lr * weight_decay * p, for p.ndim >= 2 only.
        # HINT 3: for each value with value.ndim >= 2: value *= 1 - self.lr * self.weight_decay; then super().step(...)
        for value in params.values():
            if value.ndim >= 2:  # matrices and embeddings; biases and layer-norm gains are not decayed
                value *= 1.0 - self.lr * self.weight_decay
        super().step(params, grads)
        # END SOLUTION


def clip_grad_norm(grads, max_norm):
    """Scale every gradient in place so that their global L2 norm is at most max_norm; returns the norm before."""
    # BEGIN SOLUTION
    # HINT 1: one norm over all the arrays together, as if they were one long vector.
    # HINT 2: G = sqrt(sum(np.sum(g**2) for g in grads.values())); scale = min(1, max_norm / G).
    # HINT 3: compute G; if G > max_norm: multiply every g by max_norm / G; return G
    total = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
    return total
    # END SOLUTION


def learning_rate(step, config):
    """The rate for step 1, 2, ...: linear warm-up to config["lr"] over W steps, then cosine decay to config["lr"] / 10 (05/ex09)."""
    lr, warmup = config["lr"], config["warmup_steps"]
    if step < warmup:
        return lr * step / warmup
    progress = min(step - warmup, config["n_steps"] - warmup) / max(config["n_steps"] - warmup, 1)  # 0 -> 1
    return lr / 10 + 0.5 * (lr - lr / 10) * (1.0 + np.cos(np.pi * progress))


def train_gpt(train_ids, vocab_size, config, log_every=0, val_ids=None):
    """Train a GPT with AdamW, warm-up + cosine and clipping; returns (params, history)."""
    rng = np.random.default_rng(config["seed"])
    params = gpt.init_gpt(vocab_size, config["block_size"], config["n_layers"], config["d_model"], config["d_ff"], rng)
    opt = AdamW(lr=config["lr"], beta1=0.9, beta2=0.99, weight_decay=config["weight_decay"])
    history = {"loss": [], "grad_norm": [], "lr": [], "val_step": [], "val_loss": []}
    start = time.perf_counter()
    for step in range(config["n_steps"]):
        inputs, targets = random_windows(train_ids, config["batch_size"], config["block_size"], rng)  # (B, T) each
        loss, grads = gpt.gpt_loss(params, inputs, targets, config["n_heads"])
        history["grad_norm"].append(clip_grad_norm(grads, config["clip"]))
        opt.lr = learning_rate(step + 1, config)  # step 1 already moves (lr(0) = 0)
        opt.step(params, grads)
        history["loss"].append(loss)
        history["lr"].append(opt.lr)
        if log_every and (step + 1) % log_every == 0 and val_ids is not None:
            history["val_step"].append(step + 1)
            history["val_loss"].append(gpt.evaluate_loss(params, val_ids, config["n_heads"]))
            print(f"  step {step + 1:4d}: training loss {np.mean(history['loss'][-log_every:]):.3f}, "
                  f"validation {history['val_loss'][-1]:.3f} ({time.perf_counter() - start:.0f} s)")
    return params, history


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    """The distribution (V,) we draw the next token from, given the last position's logits (V,)."""
    temperature = check_positive_number(temperature, "temperature")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1]; got {top_p!r}")
    logits = as_float_array(logits, "logits", ndim=1, allow_empty=False)  # (V,)
    # BEGIN SOLUTION
    # HINT 1: soften or sharpen with the temperature, then zero out the unlikely tail, then renormalise.
    # HINT 2: top-k keeps z >= the k-th largest; top-p keeps the sorted prefix until cumsum first reaches p.
    # HINT 3: z = logits / T; probs = softmax(z); if top_k: probs[z < np.sort(z)[-k]] = 0
    # HINT 3: if top_p: order = argsort(-probs); keep order[: first index where cumsum >= p, plus 1]
    z = np.asarray(logits, dtype=float) / temperature  # (V,)
    probs = np.exp(z - z.max())  # subtract the max: exp <= 1, no overflow
    probs /= probs.sum()
    if top_k is not None and top_k < len(z):
        probs[z < np.sort(z)[-top_k]] = 0.0  # ties with the k-th largest are kept
    if top_p is not None:
        order = np.argsort(-probs, kind="stable")  # most likely first
        cumulative = np.cumsum(probs[order]) / probs.sum()
        n_keep = int(np.searchsorted(cumulative, top_p - 1e-12)) + 1  # smallest prefix with mass >= p
        probs[order[n_keep:]] = 0.0
    return probs / probs.sum()
    # END SOLUTION


def generate(params, prompt, n_new, n_heads, rng, temperature=1.0, top_k=None, top_p=None):
    """Append n_new sampled ids to the 1-D prompt; the model sees the last block_size ids."""
    ids = list(prompt)
    block_size = params["pos_emb"].shape[0]
    for _ in range(n_new):
        logits, _ = gpt.gpt_forward(params, np.array([ids[-block_size:]]), n_heads)  # (1, T, V)
        probs = sampling_probs(logits[0, -1], temperature, top_k, top_p)  # (V,)
        ids.append(int(rng.choice(len(probs), p=probs)))
    return ids


# %% [markdown]
# ## Demo: train on the docstrings of modules 00-06, beat the bigram, sample


# %%
# Full run (a minute of one idle core): near 2.6 nats, 8% below the bigram's 2.83 (2000 steps: 2.06, 27%).
FULL_RUN = dict(block_size=64, n_layers=2, d_model=64, n_heads=4, d_ff=256, batch_size=16, n_steps=600, lr=3e-3,
                warmup_steps=40, weight_decay=0.1, clip=1.0, seed=0)
QUICK_RUN = dict(FULL_RUN, block_size=32, d_model=32, d_ff=64, batch_size=8, n_steps=40, warmup_steps=5)


def main():
    quick = utils.quick_mode()
    config = QUICK_RUN if quick else FULL_RUN
    chars, ids = char_vocabulary(course_text())  # the vocabulary: every character of the whole text (95 of them)
    train_ids, val_ids = train_val_split_text(ids)
    val_ids = val_ids[:2000] if quick else val_ids
    print(f"{len(train_ids):,} training and {len(val_ids):,} validation characters, V = {len(chars)}; "
          f"{config['n_steps']} AdamW steps of {config['batch_size']} x {config['block_size']} characters")
    params, history = train_gpt(train_ids, len(chars), config, log_every=config["n_steps"] // 4, val_ids=val_ids)
    bigram, val, n_params = bigram_cross_entropy(train_ids, val_ids, len(chars)), history["val_loss"][-1], sum(v.size for v in params.values())
    print(format_table(["model", "parameters", "validation loss (nats / char)"],
                       [["uniform guess", 0, f"{np.log(len(chars)):.3f}"], ["bigram counts", len(chars) ** 2, f"{bigram:.3f}"],
                        [f"GPT, {config['n_layers']} blocks, D = {config['d_model']}", n_params, f"{val:.3f} ({1 - val / bigram:.0%} below bigram)"]]))

    rng, prompt = np.random.default_rng(1), [chars.index(c) for c in "Learning goals\n"]
    for settings in (dict(temperature=1.0), dict(temperature=0.7, top_k=10), dict(temperature=1.0, top_p=0.9)):
        sample = generate(params, prompt, 80 if quick else 240, config["n_heads"], rng, **settings)
        print(f"\n--- {settings} ---\n" + "".join(chars[i] for i in sample))

    fig, ax_loss = plotting.new_figure(1, 1, width=6, height=4, layout="tight")
    plotting.plot_loss_curves(ax_loss, {"training (per batch)": history["loss"]}, xlabel="step", ylabel="cross-entropy (nats)",
                              title="GPT on the course's docstrings")
    ax_loss.plot(history["val_step"], history["val_loss"], "o-", label="validation")
    ax_loss.axhline(bigram, color="gray", linestyle="--", label="bigram baseline")
    ax_loss.legend()
    plotting.show_or_save(fig, "ex05_gpt_training_sampling")


if __name__ == "__main__":
    main()
