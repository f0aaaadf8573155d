"""
Exercise 13: a vanilla recurrent network and backpropagation through time

Learning goals
--------------
- Write one step of a recurrent network, h_t = tanh(x_t Wx + h_{t-1} Wh + b),
  and its backward pass, then unroll both over a whole sequence (BPTT).
- See why gradients vanish or explode: backpropagating through T steps
  multiplies T Jacobians diag(1 - h_t^2) Wh^T together.
- Clip gradients by their global norm, which keeps the direction of a step and
  caps its length, and train an RNN to predict the next value of sine waves.

The math
--------
A batch of N sequences of length T with D features is x of shape (N, T, D); the
hidden state has H units. With Wx (D, H), Wh (H, H), b (H,) and h_{-1} = h0 (N, H):
    a_t = x_t Wx + h_{t-1} Wh + b          (N, H)
    h_t = tanh(a_t)                        (N, H)
The sequence forward returns every h_t, stacked as h (N, T, H). A loss may depend
on all of them, so the backward pass receives dh (N, T, H), the gradient of the
loss with respect to each h_t from the layers above. Walking backwards in time,
the gradient reaching h_t is its own dh_t plus what flows back from step t + 1:
    g_t   = dh_t + (da_{t+1} Wh^T)        (the second term is 0 at t = T - 1)
    da_t  = g_t * (1 - h_t^2)
    dx_t  = da_t Wx^T,   dWx += x_t^T da_t,   dWh += h_{t-1}^T da_t,   db += sum_n da_t
and dh0 = da_0 Wh^T. Parameters are shared over time, so their gradients sum over t.
One step back multiplies the gradient by diag(1 - h_t^2) Wh^T, so k steps back
its size changes roughly like (largest singular value of Wh)^k: it vanishes when
that is below 1 and can explode when it is above 1.
Gradient clipping by global norm: with g the concatenation of all gradients and
||g|| its Euclidean norm, replace every gradient by g * min(1, max_norm / ||g||).

Algorithm
---------
1. rnn_step_forward / rnn_step_backward: one time step and its gradients.
2. rnn_forward (through unroll_forward): loop t = 0 .. T-1, keep every step's cache.
3. rnn_backward (through unroll_backward): loop t = T-1 .. 0, add the gradient
   flowing back from t + 1 to dh_t, call the step backward, sum the parameter gradients.
4. Train: forward, mean squared error of a linear read-out, backward, clip, Adam.

References: Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 10.1-10.2 and
10.7 (long-term dependencies) and 10.11.1 (clipping); P. Werbos, "Backpropagation
through time: what it does and how to do it", Proc. IEEE 78 (1990); Pascanu,
Mikolov, Bengio, "On the difficulty of training recurrent neural networks", ICML 2013;
Stanford CS231n assignment 3 (RNN layer API).
Difficulty: 2 of 3, about 40 minutes.
Run: python 06-intro-to-deep-learning/ex13_rnn.py
"""

# %%
import numpy as np

import utils
from utils import data, nn, plotting
from utils.optim import Adam
from utils.timing import format_table
from utils.validation import as_float_array, as_float_arrays, check_positive_int


# %% [markdown]
# ## One time step


# %%
def _check_rnn_shapes(x, h_prev, Wx, Wh, b):
    """The shared shape checks of the step and the sequence forward passes."""
    if Wx.ndim != 2 or Wh.shape != (Wx.shape[1], Wx.shape[1]) or b.shape != (Wx.shape[1],):
        raise ValueError(f"expected Wx (D, H), Wh (H, H), b (H,); got {Wx.shape}, {Wh.shape}, {b.shape}")
    if x.shape[-1] != Wx.shape[0] or h_prev.shape != (x.shape[0], Wx.shape[1]):
        raise ValueError(f"expected x with D = {Wx.shape[0]} features last and h (N, H) = ({x.shape[0]}, {Wx.shape[1]}); "
                         f"got x {x.shape} and h {h_prev.shape}")


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    """One step h_next = tanh(x @ Wx + h_prev @ Wh + b); returns (h_next, cache).

    x (N, D), h_prev (N, H), Wx (D, H), Wh (H, H), b (H,); h_next (N, H).
    """
    x, h_prev, Wx, Wh, b = as_float_arrays(x=x, h_prev=h_prev, Wx=Wx, Wh=Wh, b=b)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (N, D) for one step; got {x.shape}")
    _check_rnn_shapes(x, h_prev, Wx, Wh, b)
    # BEGIN SOLUTION
    # HINT 1: One step mixes the current input and the previous state through one tanh.
    # HINT 2: h_next = tanh(x @ Wx + h_prev @ Wh + b), (N, D) @ (D, H) + (N, H) @ (H, H) -> (N, H)
    h_next = np.tanh(x @ Wx + h_prev @ Wh + b)  # (N, H)
    cache = (x, h_prev, Wx, Wh, h_next)  # tanh' = 1 - tanh^2 needs only the output
    # END SOLUTION
    return h_next, cache


def rnn_step_backward(dh_next, cache):
    """Gradients (dx, dh_prev, dWx, dWh, db) of one step, given dL/dh_next (N, H)."""
    dh_next = as_float_array(dh_next, "dh_next")
    # BEGIN SOLUTION
    # HINT 1: Go back through tanh first (using h_next), then it is two affine backward passes sharing da.
    # HINT 2: da = dh_next * (1 - h_next**2); dx = da @ Wx.T; dh_prev = da @ Wh.T
    # HINT 2: dWx = x.T @ da; dWh = h_prev.T @ da; db = da.sum(0)
    # HINT 3: unpack the cache; da = dh_next * (1 - h_next**2)
    # HINT 3: dx, dh_prev = da @ Wx.T, da @ Wh.T; dWx, dWh, db = x.T @ da, h_prev.T @ da, da.sum(axis=0)
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1.0 - h_next**2)  # (N, H): back through tanh
    dx = da @ Wx.T  # (N, D)
    dh_prev = da @ Wh.T  # (N, H)
    dWx = x.T @ da  # (D, H)
    dWh = h_prev.T @ da  # (H, H)
    db = da.sum(axis=0)  # (H,)
    # END SOLUTION
    return dx, dh_prev, dWx, dWh, db


# %% [markdown]
# ## A whole sequence: unroll forward, then backpropagate through time


# %%
# These two loops know nothing about tanh: they only call a step function, so
# ex15 runs its GRU cell through them too, since a GRU step has the same API
# (x, h_prev, Wx, Wh, b) -> (h_next, cache) and (dh_next, cache) -> (dx, dh_prev, dWx, dWh, db).
def unroll_forward(step_forward, x, h0, Wx, Wh, b):
    """Call step_forward at t = 0 .. T-1 over x (N, T, D) from h0 (N, H); returns (h (N, T, H), caches)."""
    x, h0, Wx, Wh, b = as_float_arrays(x=x, h0=h0, Wx=Wx, Wh=Wh, b=b)
    # BEGIN SOLUTION
    # HINT 1: Apply step_forward once per time step, feeding each new state into the next step.
    # HINT 2: h[:, t] = step_forward(x[:, t], h[:, t-1], Wx, Wh, b), with h[:, -1] = h0
    # HINT 3: h = zeros((N, T, H)); caches = []; h_prev = h0
    # HINT 3: for t in range(T): h_prev, c = step_forward(x[:, t], h_prev, Wx, Wh, b)
    # HINT 3:     h[:, t] = h_prev; caches.append(c)
    n, steps, _ = x.shape
    h = np.zeros((n, steps, h0.shape[1]))  # (N, T, H)
    caches = []
    h_prev = h0
    for t in range(steps):
        h_prev, step_cache = step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        caches.append(step_cache)
    # END SOLUTION
    return h, caches


def unroll_backward(step_backward, dh, caches):
    """Call step_backward at t = T-1 .. 0; returns the summed gradients (dx, dh0, dWx, dWh, db)."""
    dh = as_float_array(dh, "dh")
    # BEGIN SOLUTION
    # HINT 1: Backprop through time: go from the last step to the first; the
    # HINT 1: state gradient at step t is the loss's own dh[:, t] plus what
    # HINT 1: flows back from step t + 1. Weights are shared: sum them.
    # HINT 2: dx_t, dh_prev, dWx_t, ... = step_backward(dh[:, t] + dh_prev, caches[t]); dWx = sum_t dWx_t
    # HINT 3: dxs = [None] * T; dWx = dWh = db = 0; dh_prev = zeros_like(dh[:, 0])
    # HINT 3: for t in reversed(range(T)):
    # HINT 3:     dxs[t], dh_prev, gx, gh, gb = step_backward(dh[:, t] + dh_prev, caches[t])
    # HINT 3:     dWx += gx; dWh += gh; db += gb
    dxs = [None] * len(caches)  # dx_t for every step, each (N, D)
    dWx = dWh = db = 0.0  # become arrays at the first step; shared weights: every step adds its share
    dh_prev = np.zeros_like(dh[:, 0])  # (N, H): the gradient flowing back from step t + 1; none after the last step
    for t in reversed(range(len(caches))):
        dxs[t], dh_prev, dWx_t, dWh_t, db_t = step_backward(dh[:, t] + dh_prev, caches[t])
        dWx = dWx + dWx_t
        dWh = dWh + dWh_t
        db = db + db_t
    # END SOLUTION
    return np.stack(dxs, axis=1), dh_prev, dWx, dWh, db  # dx (N, T, D)


def rnn_forward(x, h0, Wx, Wh, b):
    """Run the RNN over x (N, T, D) from h0 (N, H); returns (h (N, T, H), cache)."""
    x, h0, Wx, Wh, b = as_float_arrays(x=x, h0=h0, Wx=Wx, Wh=Wh, b=b)
    if x.ndim != 3 or x.shape[1] == 0:
        raise ValueError(f"x must have shape (N, T, D) with at least one time step; got {x.shape}")
    _check_rnn_shapes(x, h0, Wx, Wh, b)
    return unroll_forward(rnn_step_forward, x, h0, Wx, Wh, b)


def rnn_backward(dh, cache):
    """Backpropagation through time: gradients (dx, dh0, dWx, dWh, db) from dL/dh (N, T, H)."""
    dh = as_float_array(dh, "dh")
    caches = cache
    if dh.ndim != 3 or dh.shape[1] != len(caches):
        raise ValueError(f"dh must have shape (N, T, H) with T = {len(caches)}; got {dh.shape}")
    return unroll_backward(rnn_step_backward, dh, caches)


def clip_grad_norm(grads, max_norm):
    """Scale every gradient by min(1, max_norm / global norm), keeping the step's direction; returns (clipped, norm)."""
    if not max_norm > 0:
        raise ValueError(f"max_norm must be a positive number; got {max_norm!r}")
    # BEGIN SOLUTION
    # HINT 1: Measure the global norm over ALL gradients together; shrink them all by one factor if too big.
    # HINT 2: norm = sqrt(sum_g sum(g**2)); scale = min(1, max_norm / norm) (1 if norm == 0)
    # HINT 3: norm = sqrt of the sum of squares of every array in grads
    # HINT 3: scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    # HINT 3: return {name: g * scale}, float(norm)
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0  # a zero gradient has no direction to keep
    return {name: g * scale for name, g in grads.items()}, float(norm)
    # END SOLUTION


# %% [markdown]
# ## A next-value predictor: RNN, then a linear read-out at every step


# %%
def init_rnn_regressor(n_in, n_hidden, n_out, rng):
    """Small random input and read-out weights, Wh a scaled orthogonal matrix (eigenvalues on |z| = 0.9)."""
    n_in, n_hidden, n_out = check_positive_int(n_in, "n_in"), check_positive_int(n_hidden, "n_hidden"), check_positive_int(n_out, "n_out")
    q, _ = np.linalg.qr(rng.standard_normal((n_hidden, n_hidden)))  # (H, H), orthogonal
    return {"Wx": rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in), "Wh": 0.9 * q, "b": np.zeros(n_hidden),  # (D, H), (H, H), (H,)
            "Wy": rng.standard_normal((n_hidden, n_out)) / np.sqrt(n_hidden), "by": np.zeros(n_out)}  # (H, K), (K,)


def rnn_regression_loss(params, x, y):
    """Mean squared error of the read-out at every step; returns (loss, grads, predictions).

    x (N, T, D), y (N, T, K); predictions (N, T, K).
    """
    x = as_float_array(x, "x")
    n, steps, _ = x.shape
    h0 = np.zeros((n, params["Wh"].shape[0]))  # (N, H)
    h, rnn_cache = rnn_forward(x, h0, params["Wx"], params["Wh"], params["b"])  # (N, T, H)
    flat_h = h.reshape(n * steps, -1)  # (N*T, H): one read-out for every step of every sequence
    pred, out_cache = nn.affine_forward(flat_h, params["Wy"], params["by"])  # (N*T, K)
    loss, dpred = nn.mse_loss(pred, y.reshape(n * steps, -1))
    dflat_h, dWy, dby = nn.affine_backward(dpred, out_cache)
    _, _, dWx, dWh, db = rnn_backward(dflat_h.reshape(h.shape), rnn_cache)
    grads = {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby}
    return loss, grads, pred.reshape(n, steps, -1)


def hidden_gradient_norms(x, Wx, Wh, b, rng):
    """||dL/dh_t|| for every t when L = <g, h_{T-1}> with a random unit g: how gradients travel back in time."""
    x, Wx, Wh, b = as_float_arrays(x=x, Wx=Wx, Wh=Wh, b=b)
    n, steps, _ = x.shape
    _, caches = rnn_forward(x, np.zeros((n, Wh.shape[0])), Wx, Wh, b)
    grad = rng.standard_normal((n, Wh.shape[0]))  # (N, H)
    grad /= np.linalg.norm(grad, axis=1, keepdims=True)
    norms = np.zeros(steps)  # (T,)
    for t in reversed(range(steps)):
        norms[t] = np.linalg.norm(grad, axis=1).mean()
        _, grad, _, _, _ = rnn_step_backward(grad, caches[t])
    return norms


# %% [markdown]
# ## Demo: next-value prediction on sine waves, and gradients through time


# %%
def main():
    rng = np.random.default_rng(0)
    steps = 80 if utils.quick_mode() else 500
    X, Y = data.make_sine_sequences(n_sequences=96, seq_len=40, noise=0.02, random_state=0)  # (96, 40) each
    x_train, y_train, x_test, y_test = X[:64, :, None], Y[:64, :, None], X[64:, :, None], Y[64:, :, None]  # (64 or 32, 40, 1)

    params = init_rnn_regressor(1, 32, 1, rng)
    adam = Adam(lr=0.005)
    norms = []
    for _ in range(steps):
        grads, norm = clip_grad_norm(rnn_regression_loss(params, x_train, y_train)[1], max_norm=1.0)
        adam.step(params, grads)
        norms.append(norm)
    test_loss, _, pred = rnn_regression_loss(params, x_test, y_test)
    baseline = nn.mse_loss(x_test.ravel(), y_test.ravel())[0]  # "next value = this value"
    print(format_table(["next-value predictor", "test MSE / 2"],
                       [["repeat the current value", f"{baseline:.5f}"], [f"RNN, H = 32, {steps} Adam steps", f"{test_loss:.5f}"]]))
    print(f"Gradient norm before clipping: first step {norms[0]:.2f}, largest {max(norms):.2f}, last {norms[-1]:.3f}")

    # Gradients through time on an untrained RNN whose Wh is a scaled orthogonal matrix.
    x_probe = 0.5 * rng.standard_normal((32, 60, 4))  # (32, 60, 4)
    q, _ = np.linalg.qr(rng.standard_normal((32, 32)))  # (32, 32), orthogonal
    Wx_probe = rng.standard_normal((4, 32)) / 2
    profile = {scale: hidden_gradient_norms(x_probe, Wx_probe, scale * q, np.zeros(32), rng) for scale in (0.5, 1.0, 1.5, 3.0)}
    print("\n" + format_table(["scale of Wh", "||dL/dh_59||", "||dL/dh_40||", "||dL/dh_0||"],
                              [[s, f"{v[-1]:.2f}", f"{v[40]:.2e}", f"{v[0]:.2e}"] for s, v in profile.items()]))

    fig, axes = plotting.new_figure(1, 2, width=4.6, height=3.8, layout="constrained")
    t = np.arange(1, x_test.shape[1] + 1)
    for i, color in zip(range(2), plotting.COLORS):
        axes[0].plot(t, y_test[i, :, 0], color=color, lw=2, alpha=0.4, label=f"sequence {i}: true $x_{{t+1}}$")
        axes[0].plot(t, pred[i, :, 0], "--", color=color, label=f"sequence {i}: RNN prediction")
    axes[0].set(xlabel="time step t + 1", ylabel="value", ylim=(-1.3, 1.9), title="One-step-ahead predictions (test)")
    axes[0].legend(fontsize=7, loc="upper center", ncol=2)
    for scale, values in profile.items():
        axes[1].semilogy(np.arange(len(values)), values, label=f"Wh = {scale} x orthogonal")
    axes[1].set(xlabel="time step t", ylabel="||dL/dh_t||", title="Gradient of L(h_59) through time")
    axes[1].legend(fontsize=8)
    plotting.show_or_save(fig, "ex13_rnn")


if __name__ == "__main__":
    main()
