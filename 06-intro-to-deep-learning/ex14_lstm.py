"""
Exercise 14: LSTM and GRU cells, and a memory task a vanilla RNN struggles with

Learning goals
--------------
- Write the LSTM cell (input, forget and output gates and a cell state) and its
  backward pass, then unroll it over a sequence; write the shorter GRU cell too.
- See why the cell state helps: its gradient flows back through c_t = f_t * c_{t-1} + ...,
  multiplied only by the forget gate, with no squashing nonlinearity and no weight
  matrix on the way.
- Compare an LSTM with the vanilla RNN of ex13 on a task where the answer is the
  first input and everything after it is noise, as the sequences grow longer.

The math
--------
x_t (N, D), h_{t-1} and c_{t-1} (N, H); weights Wx (D, 4H), Wh (H, 4H), b (4H,).
LSTM (gate order i, f, o, g along the 4H axis, as in CS231n):
    a = x_t Wx + h_{t-1} Wh + b                               (N, 4H)
    i = sigmoid(a_i), f = sigmoid(a_f), o = sigmoid(a_o)      input, forget, output gates in (0, 1)
    g = tanh(a_g)                                             the candidate values
    c_t = f * c_{t-1} + i * g,       h_t = o * tanh(c_t)
Backward, with dh = dL/dh_t and dc = dL/dc_t arriving from above and from t + 1:
    dc_total = dc + dh * o * (1 - tanh(c_t)^2)
    do = dh * tanh(c_t), di = dc_total * g, dg = dc_total * i, df = dc_total * c_{t-1}
    dc_{t-1} = dc_total * f
    da = [di i(1-i), df f(1-f), do o(1-o), dg (1-g^2)],  then as for an affine layer.
GRU (Cho et al. 2014), Wx (D, 3H), Wh (H, 3H), b (3H,), gate order z, r, n:
    z = sigmoid(x Wx_z + h Wh_z + b_z)          update gate
    r = sigmoid(x Wx_r + h Wh_r + b_r)          reset gate
    n = tanh(x Wx_n + (r * h) Wh_n + b_n)       candidate state
    h_t = (1 - z) * n + z * h_{t-1}
Forget-gate bias: along the cell-state path dL/dc_0 = dL/dc_{T-1} * prod_t f_t. With
small weights f is close to sigmoid(b_f), so at initialisation that product is
about sigmoid(b_f)^(T-1): 0.5^39 = 2e-12 for b_f = 0, 0.73^39 = 5e-6 for b_f = 1
(the value Jozefowicz et al. 2015 recommend), 0.88^39 = 7e-3 for b_f = 2. A positive
b_f makes the cell "remember by default"; for our sequences of up to 40 steps we
start from b_f = 2, and with b_f = 1 the LSTM needs many more steps at T = 40.

Algorithm
---------
1. lstm_step_forward / lstm_step_backward, one step and its gradients.
2. lstm_forward: loop over t, carrying (h, c); lstm_backward: loop back over t,
   carrying (dh, dc) and summing the weight gradients.
3. The same for the GRU, carrying h only.
4. The memory task: input channel 0 holds a sign s in {-1, +1} at t = 0 and noise
   afterwards, channel 1 marks t = 0; the label is s, read from h_{T-1}.
   Train an RNN and an LSTM with the same hidden size, optimizer and number of steps.

References: S. Hochreiter, J. Schmidhuber, "Long short-term memory", Neural
Computation 9 (1997); F. Gers, J. Schmidhuber, F. Cummins, "Learning to forget",
Neural Computation 12 (2000); K. Cho et al., "Learning phrase representations using
RNN encoder-decoder", EMNLP 2014; R. Jozefowicz, W. Zaremba, I. Sutskever, "An
empirical exploration of recurrent network architectures", ICML 2015; Y. Bengio,
P. Simard, P. Frasconi, "Learning long-term dependencies with gradient descent is
difficult", IEEE TNN 5 (1994); Goodfellow, Bengio, Courville, Deep Learning, ch. 10.10.
Builds on: 06-intro-to-deep-learning/ex04_backpropagation.py (backprop), 06-intro-to-deep-learning/ex13_rnn.py (rnn),
05-model-optimization/ex08_optimizers.py (optimizers).
Difficulty: 3 of 3, about 60 minutes.
Run: python 06-intro-to-deep-learning/ex14_lstm.py
"""

# %%
import numpy as np

import utils
from utils import plotting
from utils.timing import format_table
from utils.validation import as_float_array, as_float_arrays, check_positive_int

backprop = utils.load_exercise("06-intro-to-deep-learning/ex04_backpropagation.py", practice=False)
rnn = utils.load_exercise("06-intro-to-deep-learning/ex13_rnn.py", practice=False)
optimizers = utils.load_exercise("05-model-optimization/ex08_optimizers.py", practice=False)

# %% [markdown]
# ## The LSTM cell


# %%
def _check_cell_shapes(x, h_prev, Wx, Wh, b, n_gates):
    """Shape checks shared by the LSTM (4 gates) and GRU (3 gates) cells."""
    hidden = Wh.shape[0] if Wh.ndim == 2 else -1
    if Wx.ndim != 2 or Wh.shape != (hidden, n_gates * hidden) or Wx.shape[1] != n_gates * hidden or b.shape != (n_gates * hidden,):
        raise ValueError(
            f"expected Wx (D, {n_gates}H), Wh (H, {n_gates}H), b ({n_gates}H,); got {Wx.shape}, {Wh.shape}, {b.shape}"
        )
    if x.shape[-1] != Wx.shape[0] or h_prev.shape != (x.shape[0], hidden):
        raise ValueError(
            f"expected x with D = {Wx.shape[0]} features last and h (N, H) = ({x.shape[0]}, {hidden}); got x {x.shape}, h {h_prev.shape}"
        )


def lstm_gates(x, h_prev, Wx, Wh, b):
    """The gate values (i, f, o, g) of one LSTM step, each of shape (N, H)."""
    x, h_prev, Wx, Wh, b = as_float_arrays(x=x, h_prev=h_prev, Wx=Wx, Wh=Wh, b=b)
    _check_cell_shapes(x, h_prev, Wx, Wh, b, 4)
    # BEGIN SOLUTION
    # HINT 1: One matrix product computes all four gate pre-activations; then split it into four blocks.
    # HINT 2: a = x @ Wx + h_prev @ Wh + b (N, 4H); i, f, o = sigmoid(a_i, a_f, a_o); g = tanh(a_g)
    # HINT 3: a = x @ Wx + h_prev @ Wh + b; a_i, a_f, a_o, a_g = np.split(a, 4, axis=1)
    # HINT 3: return backprop.sigmoid(a_i), sigmoid(a_f), sigmoid(a_o), np.tanh(a_g)
    a = x @ Wx + h_prev @ Wh + b  # (N, 4H)
    a_i, a_f, a_o, a_g = np.split(a, 4, axis=1)  # four (N, H) blocks
    # backprop.sigmoid never overflows: it uses e^-|a| on both sides of 0
    return backprop.sigmoid(a_i), backprop.sigmoid(a_f), backprop.sigmoid(a_o), np.tanh(a_g)
    # END SOLUTION


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    """One LSTM step; returns (h_next, c_next, cache), both states (N, H)."""
    x, h_prev, c_prev, Wx, Wh, b = as_float_arrays(x=x, h_prev=h_prev, c_prev=c_prev, Wx=Wx, Wh=Wh, b=b)
    if c_prev.shape != h_prev.shape:
        raise ValueError(f"c_prev must have the shape of h_prev {h_prev.shape}; got {c_prev.shape}")
    i, f, o, g = lstm_gates(x, h_prev, Wx, Wh, b)
    # BEGIN SOLUTION
    # HINT 1: The cell is a gated sum of old memory and new candidate; the output gate reads it out.
    # HINT 2: c_next = f * c_prev + i * g; h_next = o * tanh(c_next)
    c_next = f * c_prev + i * g  # (N, H): keep part of the old memory, write part of the new
    tanh_c = np.tanh(c_next)  # (N, H)
    h_next = o * tanh_c  # (N, H): show part of the memory
    # END SOLUTION
    cache = (x, h_prev, c_prev, Wx, Wh, i, f, o, g, tanh_c)
    return h_next, c_next, cache


def lstm_step_backward(dh_next, dc_next, cache):
    """Gradients (dx, dh_prev, dc_prev, dWx, dWh, db) of one LSTM step."""
    dh_next, dc_next = as_float_arrays(dh_next=dh_next, dc_next=dc_next)
    x, h_prev, c_prev, Wx, Wh, i, f, o, g, tanh_c = cache
    # BEGIN SOLUTION
    # HINT 1: c_t reaches the loss twice: directly via dc_next and through h_t. Sum both, then
    # HINT 1: go back through each gate's nonlinearity and finally the shared affine map.
    # HINT 2: dc = dc_next + dh_next * o * (1 - tanh_c**2); do = dh_next * tanh_c; di = dc*g; dg = dc*i; df = dc*c_prev
    # HINT 2: da = [di*i(1-i), df*f(1-f), do*o(1-o), dg*(1-g**2)] (N, 4H); dc_prev = dc * f
    # HINT 3: compute dc, do, di, dg, df, dc_prev as above
    # HINT 3: da = np.concatenate([...four blocks in i, f, o, g order...], axis=1)
    # HINT 3: dx = da @ Wx.T; dh_prev = da @ Wh.T; dWx, dWh, db = x.T @ da, h_prev.T @ da, da.sum(0)
    dc = dc_next + dh_next * o * (1.0 - tanh_c**2)  # (N, H): c_t reaches the loss directly and through h_t
    do = dh_next * tanh_c
    di, dg, df = dc * g, dc * i, dc * c_prev
    dc_prev = dc * f  # the "gradient highway": only multiplied by the forget gate
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g**2)], axis=1)  # (N, 4H)
    dx = da @ Wx.T  # (N, D)
    dh_prev = da @ Wh.T  # (N, H)
    dWx, dWh, db = x.T @ da, h_prev.T @ da, da.sum(axis=0)  # (D, 4H), (H, 4H), (4H,)
    # END SOLUTION
    return dx, dh_prev, dc_prev, dWx, dWh, db


def lstm_forward(x, h0, Wx, Wh, b):
    """Run the LSTM over x (N, T, D) from h0 (N, H) and c0 = 0; returns (h (N, T, H), cache)."""
    x, h0, Wx, Wh, b = as_float_arrays(x=x, h0=h0, Wx=Wx, Wh=Wh, b=b)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D); got {x.shape}")
    _check_cell_shapes(x, h0, Wx, Wh, b, 4)
    # BEGIN SOLUTION
    # HINT 1: Like the RNN unroll, but carry two states, h and c; c starts at zeros.
    # HINT 2: state, cell, cache_t = lstm_step_forward(x[:, t], state, cell, Wx, Wh, b)
    # HINT 3: h = zeros((N, T, H)); state, cell = h0, zeros_like(h0); caches = []
    # HINT 3: for t in range(T): step; h[:, t] = state; caches.append(cache_t)
    n, steps, _ = x.shape
    h = np.zeros((n, steps, h0.shape[1]))  # (N, T, H)
    state, cell = h0, np.zeros_like(h0)  # (N, H) each
    caches = []
    for t in range(steps):
        state, cell, step_cache = lstm_step_forward(x[:, t], state, cell, Wx, Wh, b)
        h[:, t] = state
        caches.append(step_cache)
    # END SOLUTION
    return h, caches


def lstm_backward(dh, cache):
    """Gradients (dx, dh0, dWx, dWh, db) of the LSTM from dL/dh (N, T, H)."""
    dh = as_float_array(dh, "dh")
    caches = cache
    if dh.ndim != 3 or dh.shape[1] != len(caches):
        raise ValueError(f"dh must have shape (N, T, H) with T = {len(caches)}; got {dh.shape}")
    # BEGIN SOLUTION
    # HINT 1: Backprop through time with two incoming gradients per step: dh (plus the future's) and dc.
    # HINT 2: dx[:, t], dh_prev, dc_prev, gx, gh, gb = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, caches[t])
    # HINT 3: dx = zeros((N, T, D)); dWx, dWh, db = zeros; dh_prev = dc_prev = zeros((N, H))
    # HINT 3: for t in reversed(range(T)): call lstm_step_backward as above; dWx += gx; dWh += gh;
    # HINT 3:   db += gb
    n, steps, hidden = dh.shape
    Wx = caches[0][3]
    dx = np.zeros((n, steps, Wx.shape[0]))  # (N, T, D)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros((hidden, 4 * hidden)), np.zeros(4 * hidden)
    dh_prev, dc_prev = np.zeros((n, hidden)), np.zeros((n, hidden))  # nothing flows back from after the end
    for t in reversed(range(steps)):
        dx[:, t], dh_prev, dc_prev, dWx_t, dWh_t, db_t = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, caches[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    # END SOLUTION
    return dx, dh_prev, dWx, dWh, db


# %% [markdown]
# ## The GRU cell: two gates, no separate cell state


# %%
def gru_step_forward(x, h_prev, Wx, Wh, b):
    """One GRU step h_next = (1 - z) * n + z * h_prev; returns (h_next, cache)."""
    x, h_prev, Wx, Wh, b = as_float_arrays(x=x, h_prev=h_prev, Wx=Wx, Wh=Wh, b=b)
    _check_cell_shapes(x, h_prev, Wx, Wh, b, 3)
    # BEGIN SOLUTION
    # HINT 1: Compute the update and reset gates first; the candidate only sees the reset part of h_prev.
    # HINT 2: z, r = sigmoid(x @ Wx[:, :2H] + h_prev @ Wh[:, :2H] + b[:2H]) split in two
    # HINT 2: n = tanh(x @ Wx[:, 2H:] + (r * h_prev) @ Wh[:, 2H:] + b[2H:]); h_next = (1 - z) * n + z * h_prev
    # HINT 3: gates = ...; z, r = np.split(backprop.sigmoid(gates), 2, axis=1); reset_h = r * h_prev
    # HINT 3: n = np.tanh(x @ Wx[:, 2H:] + reset_h @ Wh[:, 2H:] + b[2H:])
    # HINT 3: h_next = (1 - z) * n + z * h_prev
    hidden = h_prev.shape[1]
    gates = x @ Wx[:, : 2 * hidden] + h_prev @ Wh[:, : 2 * hidden] + b[: 2 * hidden]  # (N, 2H)
    z, r = np.split(backprop.sigmoid(gates), 2, axis=1)  # (N, H) each
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
    # HINT 2: da_n = dh_next*(1-z)*(1-n**2); dreset_h = da_n @ Wh[:, 2H:].T; dz = dh_next*(h_prev-n);
    # HINT 2:   dr = dreset_h*h_prev dh_prev = dh_next*z + dreset_h*r + da_zr @ Wh[:, :2H].T;
    # HINT 2:   dWh = [h_prev.T @ da_zr, reset_h.T @ da_n]
    # HINT 3: da_n, dreset_h, dz, dr as above; da_zr = concat([dz*z*(1-z), dr*r*(1-r)], 1)
    # HINT 3: da = concat([da_zr, da_n], 1)   # (N, 3H); dx = da @ Wx.T
    # HINT 3: dh_prev = the three paths; dWx = x.T @ da; dWh = concat of the two blocks; db = da.sum(0)
    hidden = h_prev.shape[1]
    da_n = dh_next * (1 - z) * (1 - n**2)  # (N, H): back through h = (1 - z) n + ..., then tanh
    dreset_h = da_n @ Wh[:, 2 * hidden :].T  # (N, H)
    dz = dh_next * (h_prev - n)
    dr = dreset_h * h_prev
    da_zr = np.concatenate([dz * z * (1 - z), dr * r * (1 - r)], axis=1)  # (N, 2H)
    da = np.concatenate([da_zr, da_n], axis=1)  # (N, 3H)
    dx = da @ Wx.T  # (N, D)
    dh_prev = dh_next * z + dreset_h * r + da_zr @ Wh[:, : 2 * hidden].T  # (N, H): three paths back to h_prev
    dWx = x.T @ da  # (D, 3H)
    dWh = np.concatenate([h_prev.T @ da_zr, reset_h.T @ da_n], axis=1)  # (H, 3H)
    db = da.sum(axis=0)  # (3H,)
    # END SOLUTION
    return dx, dh_prev, dWx, dWh, db


def gru_forward(x, h0, Wx, Wh, b):
    """Run the GRU over x (N, T, D) from h0 (N, H); returns (h (N, T, H), cache)."""
    x, h0, Wx, Wh, b = as_float_arrays(x=x, h0=h0, Wx=Wx, Wh=Wh, b=b)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D); got {x.shape}")
    _check_cell_shapes(x, h0, Wx, Wh, b, 3)
    # A GRU step has the RNN step's API (one state, no cell), so ex13's loop runs it unchanged.
    return rnn.unroll_forward(gru_step_forward, x, h0, Wx, Wh, b)


def gru_backward(dh, cache):
    """Gradients (dx, dh0, dWx, dWh, db) of the GRU from dL/dh (N, T, H)."""
    dh = as_float_array(dh, "dh")
    caches = cache
    if dh.ndim != 3 or dh.shape[1] != len(caches):
        raise ValueError(f"dh must have shape (N, T, H) with T = {len(caches)}; got {dh.shape}")
    return rnn.unroll_backward(gru_step_backward, dh, caches)  # ex13's backpropagation through time


# %% [markdown]
# ## The memory task and a classifier on the last hidden state


# %%
def make_first_sign_task(n_sequences, seq_len, noise=1.0, random_state=None):
    """Sequences whose label is the sign of their first value; returns x (N, T, 2) and y (N,) in {0, 1}.

    Channel 0: the sign s = +-1 at t = 0, then Gaussian noise with standard deviation
    ``noise``. Channel 1: 1 at t = 0, else 0 (it tells the network where the sequence starts).
    """
    n_sequences, seq_len = check_positive_int(n_sequences, "n_sequences"), check_positive_int(seq_len, "seq_len")
    rng = np.random.default_rng(random_state)
    y = rng.integers(0, 2, size=n_sequences)  # (N,)
    x = np.zeros((n_sequences, seq_len, 2))  # (N, T, 2)
    x[:, :, 0] = noise * rng.standard_normal((n_sequences, seq_len))
    x[:, 0, 0] = 2.0 * y - 1.0
    x[:, 0, 1] = 1.0
    return x, y


def init_sequence_classifier(cell, n_in, n_hidden, n_classes, rng, forget_bias=1.0):
    """Weights of an RNN / LSTM / GRU followed by a linear read-out (Glorot-like scaling)."""
    n_gates = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    b = np.zeros(n_gates * n_hidden)  # (G H,)
    if cell == "lstm":
        b[n_hidden : 2 * n_hidden] = forget_bias  # the forget block: remember by default
    return {"Wx": rng.standard_normal((n_in, n_gates * n_hidden)) / np.sqrt(n_in),  # (D, G H)
            "Wh": rng.standard_normal((n_hidden, n_gates * n_hidden)) / np.sqrt(n_hidden), "b": b,  # (H, G H), (G H,)
            "Wy": rng.standard_normal((n_hidden, n_classes)) / np.sqrt(n_hidden), "by": np.zeros(n_classes)}  # (H, C), (C,)


SEQUENCE_LAYERS = {"rnn": (rnn.rnn_forward, rnn.rnn_backward), "lstm": (lstm_forward, lstm_backward),
                   "gru": (gru_forward, gru_backward)}


def sequence_classifier_loss(params, x, y, cell):
    """Softmax cross-entropy (ex04) of a read-out of h_{T-1}; returns (loss, grads, logits)."""
    x = as_float_array(x, "x")
    forward, backward = SEQUENCE_LAYERS[cell]
    n, steps, _ = x.shape
    h0 = np.zeros((n, params["Wh"].shape[0]))  # (N, H)
    h, cache = forward(x, h0, params["Wx"], params["Wh"], params["b"])  # (N, T, H)
    logits, out_cache = backprop.affine_forward(h[:, -1], params["Wy"], params["by"])  # (N, C)
    loss, dlogits = backprop.softmax_cross_entropy(logits, y)
    dlast, dWy, dby = backprop.affine_backward(dlogits, out_cache)
    dh = np.zeros_like(h)  # (N, T, H): only the last state reaches the loss
    dh[:, -1] = dlast
    _, _, dWx, dWh, db = backward(dh, cache)
    return loss, {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby}, logits


def train_sequence_classifier(cell, seq_len, n_steps, n_hidden=16, batch_size=32, lr=0.01, forget_bias=2.0, random_state=0):
    """Adam on fresh batches of the memory task; returns (params, losses)."""
    rng = np.random.default_rng(random_state)
    params = init_sequence_classifier(cell, 2, n_hidden, 2, rng, forget_bias=forget_bias)
    adam = optimizers.Adam(lr=lr)
    losses = []
    for _ in range(n_steps):
        x, y = make_first_sign_task(batch_size, seq_len, random_state=rng)
        loss, grads, _ = sequence_classifier_loss(params, x, y, cell)
        adam.step(params, rnn.clip_grad_norm(grads, max_norm=1.0)[0])
        losses.append(loss)
    return params, losses


# %% [markdown]
# ## Demo: the same budget for an RNN and an LSTM, as the sequences grow


# %%
def main():
    quick = utils.quick_mode()
    lengths = [5, 20] if quick else [5, 10, 20, 30, 40, 50]
    n_steps = 40 if quick else 200
    results = {cell: [] for cell in ("rnn", "lstm")}
    curves = {}
    for seq_len in lengths:
        x_test, y_test = make_first_sign_task(500, seq_len, random_state=1000 + seq_len)
        for cell in results:
            params, losses = train_sequence_classifier(cell, seq_len, n_steps)
            logits = sequence_classifier_loss(params, x_test, y_test, cell)[2]
            results[cell].append(np.mean(logits.argmax(axis=1) == y_test))
            if seq_len == lengths[-1]:
                curves[f"{cell.upper()}, T = {seq_len}"] = losses
    rows = [[t, f"{r:.1%}", f"{l:.1%}"] for t, r, l in zip(lengths, results["rnn"], results["lstm"])]
    print(f"Test accuracy after {n_steps} Adam steps (batch 32, H = 16, LSTM forget bias 2, chance = 50%):")
    print(format_table(["sequence length T", "vanilla RNN", "LSTM"], rows))

    fig, (ax_acc, ax_loss) = plotting.new_figure(1, 2, width=5.2)
    for cell, marker in (("rnn", "o"), ("lstm", "s")):
        ax_acc.plot(lengths, results[cell], marker=marker, label="vanilla RNN" if cell == "rnn" else "LSTM")
    ax_acc.axhline(0.5, color="grey", ls="--", label="chance")
    ax_acc.set(xlabel="sequence length T", ylabel="test accuracy", ylim=(0.4, 1.02), title="Remember the first sign through T - 1 noisy steps")
    ax_acc.legend()
    plotting.plot_loss_curves(ax_loss, curves, xlabel="Adam step", ylabel="cross-entropy", title=f"Training loss at T = {lengths[-1]}")
    plotting.show_or_save(fig, "ex14_lstm")


if __name__ == "__main__":
    main()
