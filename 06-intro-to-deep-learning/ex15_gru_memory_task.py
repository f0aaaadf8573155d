"""
Exercise 15: the GRU, and a memory task where gated cells beat the vanilla RNN

Learning goals
--------------
- Write the GRU cell (Cho et al. 2014): two gates and no separate cell state; its
  step has the RNN step's API, so ex13's unrolled loops run it unchanged.
- Train a classifier on the last hidden state of the vanilla RNN (ex13), the LSTM (ex14)
  and the GRU on a task whose answer is the first input, all else noise, as sequences grow.

The math
--------
x_t (N, D), h_{t-1} (N, H); Wx (D, 3H), Wh (H, 3H), b (3H,), gate order z, r, n:
    z = sigmoid(x Wx_z + h Wh_z + b_z)          update gate
    r = sigmoid(x Wx_r + h Wh_r + b_r)          reset gate
    n = tanh(x Wx_n + (r * h) Wh_n + b_n)       candidate state
    h_t = (1 - z) * n + z * h_{t-1}
h_{t-1} reaches h_t by three paths (z * h, both gates, r * h in the candidate): its gradient sums three terms.
The classifier: logits = h_{T-1} W_y + b_y (N, C) and the mean softmax cross-entropy.
The task: channel 0 holds a sign s in {-1, +1} at t = 0 and Gaussian noise after,
channel 1 marks t = 0; the label is s. Gradient norms are clipped at 1 (ex13). The LSTM
starts with forget bias b_f = 2 (ex14: 0.88^39 = 7e-3 of the gradient survives 40 steps);
the GRU's counterpart, b_z = 2, makes z = 0.88, so h_t keeps most of h_{t-1} by default.

Algorithm
---------
1. gru_step_forward / gru_step_backward; gru_forward / gru_backward through ex13's loops.
2. The memory task and the classifier's loss and gradients for any of the three cells.
3. Train each cell with the same budget; measure test accuracy as the sequences grow.

References: K. Cho et al., "Learning phrase representations using RNN encoder-decoder", EMNLP 2014;
Y. Bengio, P. Simard, P. Frasconi, "Learning long-term dependencies with gradient descent is difficult",
IEEE TNN 5 (1994); J. Chung et al., "Empirical evaluation of gated recurrent neural networks on sequence
modeling", 2014; Goodfellow, Bengio, Courville, Deep Learning, ch. 10.10.
Builds on: 06-intro-to-deep-learning/ex13_rnn.py (rnn), 06-intro-to-deep-learning/ex14_lstm.py (lstm).
Difficulty: 3 of 3, about 45 minutes.
Run: python 06-intro-to-deep-learning/ex15_gru_memory_task.py
"""

# %%
import numpy as np

import utils
from utils import nn, plotting
from utils.optim import Adam
from utils.timing import format_table
from utils.validation import as_float_array, as_float_arrays, check_positive_int

rnn = utils.load_exercise("06-intro-to-deep-learning/ex13_rnn.py", practice=False)
lstm = utils.load_exercise("06-intro-to-deep-learning/ex14_lstm.py", practice=False)

# %% [markdown]
# ## The GRU cell: two gates, no separate cell state


# %%
def gru_step_forward(x, h_prev, Wx, Wh, b):
    """One GRU step h_next = (1 - z) * n + z * h_prev; returns (h_next, cache)."""
    x, h_prev, Wx, Wh, b = as_float_arrays(x=x, h_prev=h_prev, Wx=Wx, Wh=Wh, b=b)
    lstm._check_cell_shapes(x, h_prev, Wx, Wh, b, 3)
    # BEGIN SOLUTION
    # HINT 1: Compute the update and reset gates first; the candidate only sees the reset part of h_prev.
    # HINT 2: z, r = sigmoid(x @ Wx[:, :2H] + h_prev @ Wh[:, :2H] + b[:2H]) split in two
    # HINT 2: n = tanh(x @ Wx[:, 2H:] + (r * h_prev) @ Wh[:, 2H:] + b[2H:]); h_next = (1 - z) * n + z * h_prev
    # HINT 3: gates = ...; z, r = np.split(nn.sigmoid(gates), 2, axis=1); reset_h = r * h_prev
    # HINT 3: n = np.tanh(x @ Wx[:, 2H:] + reset_h @ Wh[:, 2H:] + b[2H:]); h_next = (1 - z) * n + z * h_prev
    hidden = h_prev.shape[1]
    gates = x @ Wx[:, : 2 * hidden] + h_prev @ Wh[:, : 2 * hidden] + b[: 2 * hidden]  # (N, 2H)
    z, r = np.split(nn.sigmoid(gates), 2, axis=1)  # (N, H) each
    reset_h = r * h_prev  # (N, H): the part of the past the candidate may see
    n = np.tanh(x @ Wx[:, 2 * hidden :] + reset_h @ Wh[:, 2 * hidden :] + b[2 * hidden :])  # (N, H)
    h_next = (1 - z) * n + z * h_prev  # (N, H)
    # END SOLUTION
    return h_next, (x, h_prev, Wx, Wh, z, r, n, reset_h)


def gru_step_backward(dh_next, cache):
    """Gradients (dx, dh_prev, dWx, dWh, db) of one GRU step."""
    dh_next = as_float_array(dh_next, "dh_next")
    x, h_prev, Wx, Wh, z, r, n, reset_h = cache
    # BEGIN SOLUTION
    # HINT 1: h_prev reaches h_next by three paths: directly through z * h_prev, through
    # HINT 1: the gates z and r, and through reset_h inside the candidate. Sum all three.
    # HINT 2: da_n = dh_next*(1-z)*(1-n**2); dreset_h = da_n @ Wh[:, 2H:].T; dz = dh_next*(h_prev-n); dr = dreset_h*h_prev
    # HINT 2: dh_prev = dh_next*z + dreset_h*r + da_zr @ Wh[:, :2H].T; dWh = [h_prev.T @ da_zr, reset_h.T @ da_n]
    # HINT 3: da_n, dreset_h, dz, dr as above; da_zr = concat([dz*z*(1-z), dr*r*(1-r)], 1)
    # HINT 3: da = concat([da_zr, da_n], 1)   # (N, 3H); dx = da @ Wx.T
    # HINT 3: dh_prev = the three paths; dWx = x.T @ da; dWh = concat of the two blocks; db = da.sum(0)
    hidden = h_prev.shape[1]
    da_n = dh_next * (1 - z) * (1 - n**2)  # (N, H): back through h = (1 - z) n + ..., then tanh
    dreset_h = da_n @ Wh[:, 2 * hidden :].T  # (N, H)
    dz, dr = dh_next * (h_prev - n), dreset_h * h_prev  # (N, H) each
    da_zr = np.concatenate([dz * z * (1 - z), dr * r * (1 - r)], axis=1)  # (N, 2H)
    da = np.concatenate([da_zr, da_n], axis=1)  # (N, 3H)
    dh_prev = dh_next * z + dreset_h * r + da_zr @ Wh[:, : 2 * hidden].T  # (N, H): three paths back to h_prev
    dx, dWx, db = da @ Wx.T, x.T @ da, da.sum(axis=0)  # (N, D), (D, 3H), (3H,)
    dWh = np.concatenate([h_prev.T @ da_zr, reset_h.T @ da_n], axis=1)  # (H, 3H)
    # END SOLUTION
    return dx, dh_prev, dWx, dWh, db


def gru_forward(x, h0, Wx, Wh, b):
    """Run the GRU over x (N, T, D) from h0 (N, H); returns (h (N, T, H), cache)."""
    x, h0, Wx, Wh, b = as_float_arrays(x=x, h0=h0, Wx=Wx, Wh=Wh, b=b)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D); got {x.shape}")
    lstm._check_cell_shapes(x, h0, Wx, Wh, b, 3)
    return rnn.unroll_forward(gru_step_forward, x, h0, Wx, Wh, b)  # the RNN step's API: ex13's loop runs it unchanged


def gru_backward(dh, caches):
    """Gradients (dx, dh0, dWx, dWh, db) of the GRU from dL/dh (N, T, H)."""
    if np.ndim(dh) != 3 or np.shape(dh)[1] != len(caches):
        raise ValueError(f"dh must have shape (N, T, H) with T = {len(caches)}; got {np.shape(dh)}")
    return rnn.unroll_backward(gru_step_backward, dh, caches)  # as_float_array inside  # ex13's backpropagation through time


# %% [markdown]
# ## The memory task and a classifier on the last hidden state


# %%
def make_first_sign_task(n_sequences, seq_len, noise=1.0, random_state=None):
    """x (N, T, 2): channel 0 the sign s = +-1 at t = 0 then N(0, noise^2), channel 1 a start flag; y (N,) = [s > 0]."""
    n_sequences, seq_len = check_positive_int(n_sequences, "n_sequences"), check_positive_int(seq_len, "seq_len")
    rng = np.random.default_rng(random_state)
    y, x = rng.integers(0, 2, size=n_sequences), np.zeros((n_sequences, seq_len, 2))  # (N,), (N, T, 2)
    x[:, :, 0] = noise * rng.standard_normal((n_sequences, seq_len))
    x[:, 0] = np.stack([2.0 * y - 1.0, np.ones(n_sequences)], axis=1)  # (N, 2): the sign and the start flag
    return x, y


def init_sequence_classifier(cell, n_in, n_hidden, n_classes, rng, forget_bias=1.0):
    """Weights of an RNN / LSTM / GRU and a linear read-out (Glorot-like scaling); forget_bias opens the LSTM f / GRU z gate."""
    n_gates = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    b = np.zeros(n_gates * n_hidden)  # (G H,)
    if cell != "rnn":  # the LSTM's forget block f, the GRU's update block z: "remember by default"
        b[slice(n_hidden, 2 * n_hidden) if cell == "lstm" else slice(0, n_hidden)] = forget_bias
    return {"Wx": rng.standard_normal((n_in, n_gates * n_hidden)) / np.sqrt(n_in),  # (D, G H)
            "Wh": rng.standard_normal((n_hidden, n_gates * n_hidden)) / np.sqrt(n_hidden), "b": b,  # (H, G H), (G H,)
            "Wy": rng.standard_normal((n_hidden, n_classes)) / np.sqrt(n_hidden), "by": np.zeros(n_classes)}  # (H, C), (C,)


SEQUENCE_LAYERS = {"rnn": (rnn.rnn_forward, rnn.rnn_backward), "lstm": (lstm.lstm_forward, lstm.lstm_backward),
                   "gru": (gru_forward, gru_backward)}


def sequence_classifier_loss(params, x, y, cell):
    """Softmax cross-entropy of a read-out of h_{T-1}; returns (loss, grads, logits)."""
    x, (forward, backward) = as_float_array(x, "x"), SEQUENCE_LAYERS[cell]
    h0 = np.zeros((len(x), params["Wh"].shape[0]))  # (N, H)
    h, cache = forward(x, h0, params["Wx"], params["Wh"], params["b"])  # (N, T, H)
    logits, out_cache = nn.affine_forward(h[:, -1], params["Wy"], params["by"])  # (N, C)
    loss, dlogits = nn.softmax_cross_entropy(logits, y)
    dh = np.zeros_like(h)  # (N, T, H): only the last state reaches the loss
    dh[:, -1], dWy, dby = nn.affine_backward(dlogits, out_cache)
    _, _, dWx, dWh, db = backward(dh, cache)
    return loss, {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby}, logits


def train_sequence_classifier(cell, seq_len, n_steps, n_hidden=16, batch_size=32, lr=0.01, forget_bias=2.0, random_state=0):
    """Adam on fresh batches of the memory task; returns (params, losses)."""
    rng = np.random.default_rng(random_state)
    params, adam, losses = init_sequence_classifier(cell, 2, n_hidden, 2, rng, forget_bias=forget_bias), Adam(lr=lr), []
    for _ in range(n_steps):
        x, y = make_first_sign_task(batch_size, seq_len, random_state=rng)
        loss, grads, _ = sequence_classifier_loss(params, x, y, cell)
        adam.step(params, rnn.clip_grad_norm(grads, max_norm=1.0)[0])
        losses.append(loss)
    return params, losses


# %% [markdown]
# ## Demo: the same budget for the RNN, the LSTM and the GRU, as the sequences grow


# %%
def main():
    lengths, n_steps = ([5, 20], 40) if utils.quick_mode() else ([5, 10, 20, 30, 40, 50], 200)
    names = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}
    results = {cell: [] for cell in names}
    for seq_len in lengths:
        x_test, y_test = make_first_sign_task(500, seq_len, random_state=1000 + seq_len)
        for cell in names:
            logits = sequence_classifier_loss(train_sequence_classifier(cell, seq_len, n_steps)[0], x_test, y_test, cell)[2]
            results[cell].append(np.mean(logits.argmax(axis=1) == y_test))
    print(f"Test accuracy after {n_steps} Adam steps (batch 32, H = 16, LSTM b_f = GRU b_z = 2, chance = 50%):")
    print(format_table(["sequence length T"] + list(names.values()), [[t] + [f"{results[c][k]:.1%}" for c in names] for k, t in enumerate(lengths)]))

    fig, ax = plotting.new_figure()
    for (cell, label), marker in zip(names.items(), "os^"):
        ax.plot(lengths, results[cell], marker=marker, label=label)
    ax.axhline(0.5, color="grey", ls="--", label="chance")
    ax.set(xlabel="sequence length T", ylabel="test accuracy", ylim=(0.4, 1.02), title="Remember the first sign through T - 1 noisy steps")
    ax.legend()
    plotting.show_or_save(fig, "ex15_gru_memory_task")


if __name__ == "__main__":
    main()
