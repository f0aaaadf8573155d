"""
Exercise 03: where is a token? Sinusoidal, learned and rotary (RoPE) position encodings

Learning goals
--------------
- Compare the three ways a transformer learns order: add a fixed sinusoid (module 06), add a
  learned vector per position (GPT-2), or rotate queries and keys by an angle that grows
  with the position (RoPE, used by LLaMA and most recent models).
- Write RoPE's forward and backward pass, and check that it makes the attention score
  depend only on the offset between the query's and the key's positions.
- Train the same one-layer attention model with each encoding on sequences of length 16
  and test it on longer ones: length generalisation.

The math
--------
Attention (module 06) sees a set: permute the keys and the output does not change. Order has
to come from the inputs. With x (N, T, D) the token embeddings:
    sinusoidal  x + PE            PE (T, D) fixed, module 06's formula
    learned     x + P[0..T-1]     P (T_max, D) trained; no row exists for positions >= T_max
    rotary      q_t -> R(t) q_t,  k_s -> R(s) k_s   (nothing is added to x)
RoPE: for a vector u (d,) at position p, split u into d / 2 pairs (u_2i, u_2i+1), and turn
pair i by the angle p theta_i, with theta_i = base^(-2i / d), base = 10000:
    out_2i   = u_2i cos(p theta_i) - u_2i+1 sin(p theta_i)
    out_2i+1 = u_2i sin(p theta_i) + u_2i+1 cos(p theta_i)
A rotation R(p) is orthogonal and R(t)^T R(s) = R(s - t), so
    score(t, s) = (R(t) q)^T (R(s) k) = q^T R(s - t) k:  it depends on t - s, not on t.
Backward: out = R u is linear, so du = R(p)^T dout = R(-p) dout, the same rotation turned back.
The demo model: one attention head (06.14, here utils.nn; causal mask) on x, q = x Wq + bq, k = x Wk + bk,
v = x Wv, logits = attention(q, k, v) Wo (N, T, V). The task: at each position t >= 3,
output the token seen 3 steps before, tokens[t - 3]: a lookup by relative position.
The biases bq, bk give every query and key a part that does not depend on the token;
rotated by RoPE, they are what can score "3 steps back" (module 06 showed that bk alone does
nothing without RoPE: its gradient is 0, a softmax ignores a shift of a whole row).

Algorithm
---------
1. rope_forward(u, positions): angles = positions (T, 1) * theta (1, d/2), rotate the pairs.
2. rope_backward(dout, positions): rotate by -angles.
3. Train the model with each encoding (Adam, utils.optim) on length 16; report the accuracy of
   the lag-3 lookup at lengths 16, 64 and 256.

References: J. Su et al., "RoFormer: enhanced transformer with rotary position embedding",
2021; A. Vaswani et al., "Attention is all you need", 2017, sec. 3.5; O. Press, N. Smith,
M. Lewis, "Train short, test long" (ALiBi), ICLR 2022.
Difficulty: 2 of 3, about 50 minutes.
Run: python 07-advanced-deep-learning/ex03_positional_encodings.py
"""

# %%
import numpy as np

import utils
from utils import nn, optim, plotting
from utils.timing import format_table
from utils.validation import check_option

ENCODINGS = ("sinusoidal", "learned", "rotary")
LAG = 3  # the task: output the token seen LAG positions before

# %% [markdown]
# ## Rotary position embedding, forward and backward


# %%
def rope_angles(positions, dim, base=10000.0):
    """Angles p * theta_i of shape (T, dim // 2) for integer positions (T,) and an even dim."""
    positions = np.asarray(positions)
    if positions.ndim != 1 or dim % 2:
        raise ValueError(f"need positions of shape (T,) and an even dim; got {positions.shape} and {dim}")
    # BEGIN SOLUTION
    # HINT 1: one frequency per pair of columns, falling geometrically from 1 to about 1 / base.
    # HINT 2: theta = base ** (-2 * i / dim) for i = 0 .. dim // 2 - 1; angles = positions[:, None] * theta.
    # HINT 3: theta = base ** (-np.arange(0, dim, 2) / dim); return positions[:, None] * theta[None, :]
    theta = base ** (-np.arange(0, dim, 2) / dim)  # (d/2,)
    return positions[:, None] * theta[None, :]  # (T, d/2)
    # END SOLUTION


def _rotate(u, angles):
    """Turn each pair (u_2i, u_2i+1) of u (..., T, d) by angles (T, d/2)."""
    even, odd = u[..., 0::2], u[..., 1::2]  # (..., T, d/2) each
    cos, sin = np.cos(angles), np.sin(angles)  # (T, d/2)
    turned = np.stack([even * cos - odd * sin, even * sin + odd * cos], axis=-1)  # (..., T, d/2, 2)
    return turned.reshape(u.shape)  # (..., T, d): pair i back in columns 2i, 2i + 1


def rope_forward(u, positions, base=10000.0):
    """Rotate queries or keys u (..., T, d) by their positions (T,); returns (out, cache)."""
    u = np.asarray(u, dtype=float)
    if u.ndim < 2 or u.shape[-2] != len(positions):
        raise ValueError(f"u must have shape (..., T, d) with T = len(positions) = {len(positions)}; got {u.shape}")
    angles = rope_angles(positions, u.shape[-1], base)  # (T, d/2)
    # BEGIN SOLUTION
    # HINT 1: each pair of columns is a 2-D point; turn it by its angle.
    # HINT 2: out_2i = u_2i cos - u_2i+1 sin, out_2i+1 = u_2i sin + u_2i+1 cos (_rotate does exactly this).
    # HINT 3: return _rotate(u, angles), angles
    return _rotate(u, angles), angles
    # END SOLUTION


def rope_backward(dout, cache):
    """du from dL/dout (..., T, d): the transpose of a rotation is the rotation turned back."""
    angles = cache
    # BEGIN SOLUTION
    # HINT 1: out = R u with R orthogonal, so du = R^T dout.
    # HINT 2: R(angle)^T = R(-angle).
    # HINT 3: return _rotate(dout, -angles)
    return _rotate(dout, -angles)
    # END SOLUTION


# %% [markdown]
# ## A one-head attention model with each encoding; demo: train short, test long


# %%
def init_model(encoding, vocab_size, dim, max_len, rng):
    """Embeddings, Wq, Wk, Wv (D, D), Wo (D, V), biases bq, bk; pos_emb (max_len, D) for "learned" only."""
    check_option(encoding, "encoding", ENCODINGS)
    params = {"tok_emb": rng.standard_normal((vocab_size, dim))}  # (V, D)
    if encoding == "learned":
        params["pos_emb"] = rng.standard_normal((max_len, dim))  # (T_max, D)
    for name in ("Wq", "Wk", "Wv", "Wo"):
        params[name] = rng.standard_normal((dim, dim if name != "Wo" else vocab_size)) / np.sqrt(dim)
    params["bq"], params["bk"] = rng.standard_normal(dim), rng.standard_normal(dim)  # position-free parts of q and k
    return params


def model_loss(params, tokens, encoding, lag=LAG):
    """Mean cross-entropy of predicting tokens[:, t - lag] at positions t >= lag; returns (loss, grads, logits)."""
    check_option(encoding, "encoding", ENCODINGS)
    (n, steps), dim = tokens.shape, params["Wq"].shape[0]
    if encoding == "learned" and steps > len(params["pos_emb"]):
        raise ValueError(f"learned positions exist for T <= {len(params['pos_emb'])} only; got T = {steps}")
    x = params["tok_emb"][tokens]  # (N, T, D)
    if encoding == "sinusoidal":
        x = x + nn.positional_encoding(steps, dim)
    elif encoding == "learned":
        x = x + params["pos_emb"][:steps]
    q, k, v = x @ params["Wq"] + params["bq"], x @ params["Wk"] + params["bk"], x @ params["Wv"]  # (N, T, D)
    if encoding == "rotary":
        q, cache_q = rope_forward(q, np.arange(steps))
        k, cache_k = rope_forward(k, np.arange(steps))
    out, cache_att = nn.attention_forward(q, k, v, nn.causal_mask(steps))  # (N, T, D)
    logits = out @ params["Wo"]  # (N, T, V)
    loss, dlogits = nn.softmax_cross_entropy(logits[:, lag:].reshape(-1, logits.shape[-1]), tokens[:, :-lag].reshape(-1))
    dlogits = np.concatenate([np.zeros((n, lag, logits.shape[-1])), dlogits.reshape(n, steps - lag, -1)], axis=1)  # (N, T, V)
    grads = {"Wo": np.einsum("ntd,ntv->dv", out, dlogits)}
    dq, dk, dv = nn.attention_backward(dlogits @ params["Wo"].T, cache_att)  # (N, T, D) each
    if encoding == "rotary":
        dq, dk = rope_backward(dq, cache_q), rope_backward(dk, cache_k)
    grads["Wq"], grads["Wk"], grads["Wv"] = (np.einsum("ntd,nte->de", x, d) for d in (dq, dk, dv))
    grads["bq"], grads["bk"] = dq.sum(axis=(0, 1)), dk.sum(axis=(0, 1))
    dx = dq @ params["Wq"].T + dk @ params["Wk"].T + dv @ params["Wv"].T  # (N, T, D)
    if encoding == "learned":
        grads["pos_emb"] = np.zeros_like(params["pos_emb"])
        grads["pos_emb"][:steps] = dx.sum(axis=0)
    grads["tok_emb"] = np.zeros_like(params["tok_emb"])
    np.add.at(grads["tok_emb"], tokens, dx)
    return loss, grads, logits


def lag_accuracy(params, tokens, encoding, lag=LAG):
    """Fraction of positions t >= lag whose argmax prediction is tokens[t - lag]."""
    logits = model_loss(params, tokens, encoding, lag)[2]
    return float(np.mean(logits[:, lag:].argmax(axis=-1) == tokens[:, :-lag]))


def train_lag_model(encoding, n_steps, train_len=16, vocab_size=10, dim=16, batch_size=32, lr=1e-2, random_state=0):
    """Adam on fresh random sequences of length train_len; returns (params, losses)."""
    rng = np.random.default_rng(random_state)
    params = init_model(encoding, vocab_size, dim, train_len, rng)
    adam, losses = optim.Adam(lr=lr), []
    for _ in range(n_steps):
        tokens = rng.integers(0, vocab_size, size=(batch_size, train_len))  # (B, T)
        loss, grads, _ = model_loss(params, tokens, encoding)
        adam.step(params, grads)
        losses.append(loss)
    return params, losses


def main():
    q, k = np.random.default_rng(0).standard_normal((2, 64))
    print("RoPE: the score of the same q and k at positions (t, s) depends on t - s only")
    rows = [[t, s, t - s, f"{rope_forward(q[None], [t])[0][0] @ rope_forward(k[None], [s])[0][0]:.6f}"]
            for t, s in ((5, 2), (105, 102), (1005, 1002), (5, 4))]
    print(format_table(["query position t", "key position s", "t - s", "score"], rows))

    n_steps, lengths, test_rng = (150 if utils.quick_mode() else 500), (16, 64, 256), np.random.default_rng(1)
    tests = {length: test_rng.integers(0, 10, size=(64 if length < 256 else 16, length)) for length in lengths}
    rows, accuracy = [], np.full((len(ENCODINGS), len(lengths)), np.nan)  # (encodings, lengths)
    for e, encoding in enumerate(ENCODINGS):
        params, losses = train_lag_model(encoding, n_steps)
        for j, length in enumerate(lengths):
            if encoding != "learned" or length <= 16:  # learned positions exist up to the training length only
                accuracy[e, j] = lag_accuracy(params, tests[length], encoding)
        rows.append([encoding, f"{np.mean(losses[-20:]):.3f}"] + ["no positions" if np.isnan(a) else f"{a:.1%}" for a in accuracy[e]])
    print(f"\nOne attention head, trained {n_steps} Adam steps on length 16 to output the token {LAG} steps back (chance 10%)")
    print(format_table(["encoding", "final loss"] + [f"accuracy at T = {n}" for n in lengths], rows))
    print("Learned positions stop at T = 16; sinusoids meet unseen angles; RoPE sees offsets only, yet fades at T = 256:\n"
          "250 keys compete for the softmax, and far offsets give angles training never tried.")

    fig, ax = plotting.new_figure(1, 1, width=6.5, height=4, layout="tight")
    plotting.plot_grouped_bars(ax, 100 * np.nan_to_num(accuracy.T), [f"test length T = {n}" for n in lengths], ENCODINGS)
    ax.axhline(10, color="gray", linestyle="--", linewidth=1)  # chance: 1 in 10 tokens
    ax.set(ylabel="% of lag-3 lookups right", ylim=(0, 115), title="Trained on T = 16, tested on longer sequences (chance 10%)")
    plotting.show_or_save(fig, "ex03_positional_encodings")


if __name__ == "__main__":
    main()
