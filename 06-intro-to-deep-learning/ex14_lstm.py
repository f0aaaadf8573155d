"""
Exercise 14: the LSTM cell and its gradient highway

Learning goals
--------------
- Write the LSTM cell (input, forget and output gates and a cell state) and its
  backward pass, then unroll it over a sequence.
- See why the cell state helps: its gradient flows back through c_t = f_t * c_{t-1} + ...,
  multiplied only by the forget gate, with no squashing nonlinearity and no weight
  matrix on the way; and how the forget-gate bias sets how far it reaches.

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
Forget-gate bias: along the cell-state path dL/dc_0 = dL/dc_{T-1} * prod_t f_t. With
small weights f is close to sigmoid(b_f), so at initialisation that product is
about sigmoid(b_f)^(T-1): 0.5^39 = 2e-12 for b_f = 0, 0.73^39 = 5e-6 for b_f = 1
(the value Jozefowicz et al. 2015 recommend), 0.88^39 = 7e-3 for b_f = 2. A positive
b_f makes the cell "remember by default".

Algorithm
---------
1. lstm_step_forward / lstm_step_backward, one step and its gradients.
2. lstm_forward: loop over t, carrying (h, c); lstm_backward: loop back over t,
   carrying (dh, dc) and summing the weight gradients.
3. Demo: a loss on h_{T-1} only; measure |dL/dx_t| at every t for b_f = 0, 1, 2.

References: S. Hochreiter, J. Schmidhuber, "Long short-term memory", Neural
Computation 9 (1997); F. Gers, J. Schmidhuber, F. Cummins, "Learning to forget",
Neural Computation 12 (2000); R. Jozefowicz, W. Zaremba, I. Sutskever, "An
empirical exploration of recurrent network architectures", ICML 2015;
Goodfellow, Bengio, Courville, Deep Learning, ch. 10.10.
Difficulty: 3 of 3, about 45 minutes.
Run: python 06-intro-to-deep-learning/ex14_lstm.py
"""

# %%
import numpy as np

from utils import nn, plotting
from utils.validation import as_float_array, as_float_arrays

# %% [markdown]
# ## The LSTM cell


# %%
def _check_cell_shapes(x, h_prev, Wx, Wh, b, n_gates):
    """Shape checks shared by the LSTM (4 gates) and GRU (3 gates) cells."""
    hidden = Wh.shape[0] if Wh.ndim == 2 else -1
    if Wx.ndim != 2 or Wh.shape != (hidden, n_gates * hidden) or Wx.shape[1] != n_gates * hidden or b.shape != (n_gates * hidden,):
        raise ValueError(f"expected Wx (D, {n_gates}H), Wh (H, {n_gates}H), b ({n_gates}H,); got {Wx.shape}, {Wh.shape}, {b.shape}")
    if x.shape[-1] != Wx.shape[0] or h_prev.shape != (x.shape[0], hidden):
        raise ValueError(f"expected x with D = {Wx.shape[0]} features last and h (N, H) = ({x.shape[0]}, {hidden}); "
                         f"got x {x.shape}, h {h_prev.shape}")


def lstm_gates(x, h_prev, Wx, Wh, b):
    """The gate values (i, f, o, g) of one LSTM step, each of shape (N, H)."""
    x, h_prev, Wx, Wh, b = as_float_arrays(x=x, h_prev=h_prev, Wx=Wx, Wh=Wh, b=b)
    _check_cell_shapes(x, h_prev, Wx, Wh, b, 4)
    # BEGIN SOLUTION
    # HINT 1: One matrix product computes all four gate pre-activations; then split it into four blocks.
    # HINT 2: a = x @ Wx + h_prev @ Wh + b (N, 4H); i, f, o = sigmoid(a_i, a_f, a_o); g = tanh(a_g)
    # HINT 3: a = x @ Wx + h_prev @ Wh + b; a_i, a_f, a_o, a_g = np.split(a, 4, axis=1)
    # HINT 3: return nn.sigmoid(a_i), sigmoid(a_f), sigmoid(a_o), np.tanh(a_g)
    a = x @ Wx + h_prev @ Wh + b  # (N, 4H)
    a_i, a_f, a_o, a_g = np.split(a, 4, axis=1)  # four (N, H) blocks
    # nn.sigmoid never overflows: it uses e^-|a| on both sides of 0
    return nn.sigmoid(a_i), nn.sigmoid(a_f), nn.sigmoid(a_o), np.tanh(a_g)
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
    state, cell, caches = h0, np.zeros_like(h0), []  # (N, H) each, and one cache per step
    for t in range(steps):
        state, cell, step_cache = lstm_step_forward(x[:, t], state, cell, Wx, Wh, b)
        h[:, t] = state
        caches.append(step_cache)
    # END SOLUTION
    return h, caches


def lstm_backward(dh, caches):
    """Gradients (dx, dh0, dWx, dWh, db) of the LSTM from dL/dh (N, T, H)."""
    dh = as_float_array(dh, "dh")
    if dh.ndim != 3 or dh.shape[1] != len(caches):
        raise ValueError(f"dh must have shape (N, T, H) with T = {len(caches)}; got {dh.shape}")
    # BEGIN SOLUTION
    # HINT 1: Backprop through time with two incoming gradients per step: dh (plus the future's) and dc.
    # HINT 2: dx[:, t], dh_prev, dc_prev, gx, gh, gb = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, caches[t])
    # HINT 3: dx = zeros((N, T, D)); dWx, dWh, db = zeros; dh_prev = dc_prev = zeros((N, H))
    # HINT 3: for t in reversed(range(T)): call lstm_step_backward as above; dWx += gx; dWh += gh; db += gb
    n, steps, hidden = dh.shape
    Wx = caches[0][3]
    dx = np.zeros((n, steps, Wx.shape[0]))  # (N, T, D)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros((hidden, 4 * hidden)), np.zeros(4 * hidden)
    dh_prev, dc_prev = np.zeros((n, hidden)), np.zeros((n, hidden))  # nothing flows back from after the end
    for t in reversed(range(steps)):
        dx[:, t], dh_prev, dc_prev, dWx_t, dWh_t, db_t = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, caches[t])
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    # END SOLUTION
    return dx, dh_prev, dWx, dWh, db


# %% [markdown]
# ## Demo: how far back does the gradient reach?


# %%
def input_gradient_norms(forget_bias, seq_len=40, n_hidden=16, random_state=0):
    """|dL/dx_t| (averaged over 8 sequences) for a loss on h_{T-1} only, small random weights."""
    rng = np.random.default_rng(random_state)
    x = rng.standard_normal((8, seq_len, 2))  # (N, T, D)
    Wx, Wh = 0.1 * rng.standard_normal((2, 4 * n_hidden)), 0.1 * rng.standard_normal((n_hidden, 4 * n_hidden))
    b = np.zeros(4 * n_hidden)  # (4H,)
    b[n_hidden : 2 * n_hidden] = forget_bias  # the forget block
    dh = np.zeros((8, seq_len, n_hidden))  # (N, T, H): the loss sees h_{T-1} only
    dh[:, -1] = 1.0
    dx = lstm_backward(dh, lstm_forward(x, np.zeros((8, n_hidden)), Wx, Wh, b)[1])[0]  # (N, T, D)
    return np.linalg.norm(dx, axis=2).mean(axis=0)  # (T,)


def main():
    fig, ax = plotting.new_figure()
    print("forget bias b_f   sigmoid(b_f)^39   |dL/dx_0| / |dL/dx_39|")
    for bias in (0.0, 1.0, 2.0):
        norms = input_gradient_norms(bias)
        print(f"{bias:>15.0f}   {nn.sigmoid(bias) ** 39:>15.1e}   {norms[0] / norms[-1]:>22.1e}")
        ax.semilogy(np.arange(len(norms)), norms, label=f"b_f = {bias:.0f}")
    ax.set(xlabel="time step t (the loss reads h at t = 39)", ylabel="|dL/dx_t|", title="An open forget gate carries the gradient back")
    ax.legend()
    plotting.show_or_save(fig, "ex14_lstm")


if __name__ == "__main__":
    main()
