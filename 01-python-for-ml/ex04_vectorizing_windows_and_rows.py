"""
Exercise 04: vectorizing windows and rows: a moving average and a row-wise softmax

Learning goals
--------------
- Write a moving average and a row-wise softmax three ways (pure Python, one loop,
  vectorized) and check that they agree, as exercise 03 did for dot products and distances.
- Turn a loop over windows into a difference of running sums (np.cumsum), and a loop
  over rows into reductions along an axis with keepdims, so the results broadcast.
- Keep the vectorized softmax stable: subtract each row's maximum before exp.

The math
--------
x has shape (n,); Z (n, k); w is a window length.
- moving average:       a_t = (x_t + ... + x_{t+w-1}) / w,  t = 0..n-w,  a (n - w + 1,)
                        With the running sum c_0 = 0, c_t = x_0 + ... + x_{t-1}:  a_t = (c_{t+w} - c_t) / w.
- row-wise softmax:     P_ij = exp(Z_ij - max_j Z_ij) / sum_l exp(Z_il - max_j Z_ij),  P (n, k)
                        (subtracting the row maximum changes nothing mathematically and keeps exp finite).
The three versions add the same numbers in different orders, so they agree to round-off.

Algorithm
---------
1. Moving average: sum each window (Python), take each window's mean (one loop), or
   difference the running sums (vectorized).
2. Softmax: per row subtract the max, exponentiate, normalise; vectorized with axis=1, keepdims=True.
3. Time all six with utils.timing.median_time (exercise 03 built it) and print the speed-ups.

References: J. VanderPlas, Python Data Science Handbook (2016), ch. 2; J. S. Bridle, "Probabilistic
interpretation of feedforward classification network outputs", 1990 (the softmax).
Difficulty: 1 of 3, about 25 minutes.
Run: python 01-python-for-ml/ex04_vectorizing_windows_and_rows.py
"""

# %%
import math

import numpy as np

import utils
from utils import plotting, timing
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation: moving average


# %%
def _check_window(n, window):
    if not isinstance(window, (int, np.integer)) or not 1 <= window <= n:
        raise ValueError(f"window must be an integer between 1 and len(x) = {n}; got {window!r}")


def _as_signal(x, window):
    x = as_float_array(x, "x", ndim=1)
    _check_window(x.shape[0], window)
    return x


def moving_average_python(x, window):
    """Means of every full window of a Python list: a list of length len(x) - window + 1."""
    x = _as_signal(x, window).tolist()  # checked at the door, then a list of Python floats again
    # BEGIN SOLUTION
    # HINT 1: For each window start, add up the window's values and divide by window.
    out = []
    for start in range(len(x) - window + 1):
        total = 0.0
        for value in x[start : start + window]:
            total += value
        out.append(total / window)
    return out
    # END SOLUTION


def moving_average_loop(x, window):
    """The same means, one NumPy call per window."""
    x = _as_signal(x, window)
    # BEGIN SOLUTION
    # HINT 1: One loop over the window starts; NumPy computes each window's mean.
    out = np.empty(x.shape[0] - window + 1)  # (n - window + 1,)
    for start in range(out.shape[0]):
        out[start] = x[start : start + window].mean()
    return out
    # END SOLUTION


def moving_average_vectorized(x, window):
    """The same means from one running sum: a_t = (c_{t+w} - c_t) / w."""
    x = _as_signal(x, window)
    # BEGIN SOLUTION
    # HINT 1: A running (cumulative) sum turns every window sum into a difference of two entries.
    # HINT 2: c = [0, cumsum(x)]; mean_t = (c[t + window] - c[t]) / window
    # HINT 3: c = np.concatenate([[0.0], np.cumsum(x)])
    # HINT 3: return (c[window:] - c[:-window]) / window
    c = np.concatenate([[0.0], np.cumsum(x)])  # (n + 1,): c[t] = x[0] + ... + x[t-1]
    # Each mean is a difference of two running sums. The running sum grows with n, so for
    # long signals far from 0 the difference loses digits; np.convolve(x, np.ones(w), "valid") / w
    # is exact to round-off but does n * w work.
    return (c[window:] - c[:-window]) / window  # (n - window + 1,)
    # END SOLUTION


# %% [markdown]
# ## Implementation: row-wise softmax


# %%
def softmax_python(Z):
    """Softmax of each row of a list of rows (math.exp, after subtracting the row maximum)."""
    Z = _as_logits(Z).tolist()  # checked at the door, then a list of rows of Python floats again
    # BEGIN SOLUTION
    # HINT 1: Row by row: subtract the row's max, exponentiate, divide by the sum.
    # HINT 2: p_j = exp(z_j - max z) / sum_k exp(z_k - max z)
    P = []
    for row in Z:
        top = max(row)  # subtract the maximum: the largest exponent is 0, so exp never overflows
        exps = [math.exp(v - top) for v in row]
        total = sum(exps)
        P.append([e / total for e in exps])
    return P
    # END SOLUTION


def _as_logits(Z):
    Z = as_float_array(Z, "Z", ndim=2)
    if Z.shape[1] == 0:
        raise ValueError(f"Z must have shape (n, k) with k >= 1; got {Z.shape}")
    return Z


def softmax_loop(Z):
    """The same probabilities, one NumPy row per Python step."""
    Z = _as_logits(Z)
    # BEGIN SOLUTION
    # HINT 1: The same per row, but each row is a NumPy vector.
    P = np.empty_like(Z)  # (n, k)
    for i in range(Z.shape[0]):
        e = np.exp(Z[i] - Z[i].max())  # (k,)
        P[i] = e / e.sum()
    return P
    # END SOLUTION


def softmax_vectorized(Z):
    """The same probabilities for all rows at once."""
    Z = _as_logits(Z)
    # BEGIN SOLUTION
    # HINT 1: All rows at once: take the max and the sum along axis 1 with keepdims so they broadcast.
    # HINT 2: e = exp(Z - Z.max(axis=1, keepdims=True)); P = e / e.sum(axis=1, keepdims=True)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))  # (n, k) - (n, 1): each row's max is removed
    return e / e.sum(axis=1, keepdims=True)  # (n, k) / (n, 1)
    # END SOLUTION


# %% [markdown]
# ## Demo
#
# The running-sum moving average does O(n) work whatever the window, while the loops do
# O(n w); the softmax loop pays NumPy's per-call set-up once per row. Compare ratios, not
# milliseconds: they depend on the machine and its load.


# %%
def main():
    scale, repeats = (10, 3) if utils.quick_mode() else (1, 5)
    rng = np.random.default_rng(0)
    signal, window = rng.standard_normal(20_000 // scale), 50  # (n,)
    Z = 5 * rng.standard_normal((500 // scale, 20))  # (n, 20)
    functions = {  # name: (arguments, the three versions)
        f"moving avg. (n={signal.size}, w={window})": ((signal, window), moving_average_python, moving_average_loop, moving_average_vectorized),
        f"row softmax ({Z.shape[0]}x{Z.shape[1]})": ((Z,), softmax_python, softmax_loop, softmax_vectorized),
    }
    table, times = [], []
    for name, (args, *versions) in functions.items():
        # Every version gets the same arrays: checking an ndarray at the door is nearly free, and the
        # pure-Python versions' .tolist() is cheap (checking nested lists would cost more than the loop).
        runs = [timing.median_time(lambda f=f: f(*args), repeats) for f in versions]
        row = [t for t, _ in runs]  # seconds per call: pure Python, one loop, vectorized
        worst = max(np.max(np.abs(np.asarray(out, dtype=float) - runs[2][1])) for _, out in runs[:2])
        times.append(row)
        table.append([name, *(f"{1e3 * t:.4f}" for t in row), f"{row[0] / row[2]:.0f}x", f"{row[1] / row[2]:.0f}x", f"{worst:.0e}"])
    print(f"Median of {repeats} runs after a warm-up, in milliseconds; speed-up = how much faster vectorized is\n")
    headers = ["computation", "pure Python", "one loop", "vectorized", "speed-up vs Python", "vs one loop", "max difference"]
    print(timing.format_table(headers, table))

    times = np.array(times)  # (2, 3)
    fig, ax = plotting.new_figure(width=6.5, height=4.5)
    plotting.plot_grouped_bars(ax, 1e3 * times, [n.replace(" (", "\n(") for n in functions], ["pure Python", "one loop", "vectorized"],
                               notes=[f"{row[0] / row[2]:.0f}x" for row in times], log=True)
    ax.set(ylabel="median time per call (ms, log scale)", title="Windows and rows, three ways (label: speed-up over pure Python)")
    plotting.show_or_save(fig, "ex04_vectorizing_windows_and_rows")


if __name__ == "__main__":
    main()
