"""
Exercise 03: vectorization: the same computation with Python loops, one loop, and none

Learning goals
--------------
- Write four everyday computations (dot product, pairwise distances, moving
  average, row-wise softmax) three ways and check that they agree.
- Measure code fairly: one warm-up call, several timed repeats, report the median.
- See why vectorized NumPy wins: the loop runs in compiled code over a whole
  array, instead of paying Python's per-step cost (and NumPy's per-call cost) each time.

The math
--------
x, y have shape (n,); X (n, d) and Y (m, d); Z (n, k); w is a window length.
- dot product:          s = sum_i x_i y_i
- pairwise distances:   D_ij = sum_k (X_ik - Y_jk)^2 = ||x_i||^2 + ||y_j||^2 - 2 x_i . y_j,  D (n, m)
- moving average:       a_t = (x_t + ... + x_{t+w-1}) / w,  t = 0..n-w,  a (n - w + 1,)
                        With the running sum c_0 = 0, c_t = x_0 + ... + x_{t-1}:  a_t = (c_{t+w} - c_t) / w.
- row-wise softmax:     P_ij = exp(Z_ij - max_j Z_ij) / sum_l exp(Z_il - max_j Z_ij),  P (n, k)
                        (subtracting the row maximum changes nothing mathematically and keeps exp finite).

The three ways: pure Python (lists and floats, as many loops as the math has); one loop
(NumPy arrays, one Python loop left over elements, rows or windows); vectorized (no Python
loop; NumPy loops in compiled code). They add the same numbers in different orders, so
they agree to round-off (about 1e-12 relative here), not always bit for bit.

Algorithm
---------
1. For each computation, write the three versions (vectorized pairwise distances: ex02's).
2. median_time: call once to warm up, then time `repeats` calls with a clock, keep the median.
3. Time all twelve functions on the same inputs, print a table of times and speed-ups, and draw it.

References: J. VanderPlas, Python Data Science Handbook (2016), ch. 2; S. van der Walt et al.,
"The NumPy array: a structure for efficient numerical computation", CiSE 13 (2011).
Builds on: 01-python-for-ml/ex02_broadcasting.py (broadcasting).
Difficulty: 1 of 3, about 40 minutes.
Run: python 01-python-for-ml/ex03_vectorization.py
"""

# %%
import math
import time

import numpy as np

import utils
from utils import plotting, timing
from utils.validation import as_float_array, check_paired_features, check_positive_int, check_same_shape

broadcasting = utils.load_exercise("01-python-for-ml/ex02_broadcasting.py", practice=False)

# %% [markdown]
# ## Implementation: dot product


# %%
def _as_vectors(x, y):
    x, y = as_float_array(x, "x", ndim=1), as_float_array(y, "y", ndim=1)
    check_same_shape(x, y, ("x", "y"))
    return x, y


def dot_python(x, y):
    """sum_i x[i] * y[i] over two Python lists of floats."""
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length; got {len(x)} and {len(y)}")
    # BEGIN SOLUTION
    # HINT 1: Plain Python: zip the two sequences and accumulate the products.
    total = 0.0
    for a, b in zip(x, y):
        total += a * b
    return total
    # END SOLUTION


def dot_loop(x, y):
    """The same sum over NumPy arrays, one element per Python step."""
    x, y = _as_vectors(x, y)
    # BEGIN SOLUTION
    # HINT 1: The same loop, but indexing the NumPy arrays one element at a time.
    total = 0.0
    for i in range(x.shape[0]):
        total += x[i] * y[i]  # each x[i] makes a NumPy scalar: slower than a list element
    return float(total)
    # END SOLUTION


def dot_vectorized(x, y):
    """The same sum as one call into compiled code."""
    x, y = _as_vectors(x, y)
    # BEGIN SOLUTION
    # HINT 1: One NumPy call does the whole sum of products in compiled code.
    # HINT 2: float(x @ y)
    return float(x @ y)
    # END SOLUTION


# %% [markdown]
# ## Implementation: pairwise squared distances


# %%
def pairwise_python(X, Y):
    """D[i][j] = sum_k (X[i][k] - Y[j][k])**2 for two lists of rows; returns a list of rows."""
    if any(len(row) != len(X[0]) for row in list(X) + list(Y)):
        raise ValueError("every row of X and Y must have the same length d")
    # BEGIN SOLUTION
    # HINT 1: Lists of lists: for each pair of points, sum the squared coordinate differences.
    D = []
    for xi in X:
        row = []
        for yj in Y:
            total = 0.0
            for a, b in zip(xi, yj):
                total += (a - b) * (a - b)
            row.append(total)
        D.append(row)
    return D
    # END SOLUTION


def pairwise_loop(X, Y):
    """The same matrix, one Python step per row of X."""
    X, Y = check_paired_features(X, Y)
    # BEGIN SOLUTION
    # HINT 1: Keep one loop over the rows of X; vectorise the inner work over all of Y at once.
    # HINT 2: D[i] = sum((Y - X[i])**2, axis=1)  # (m, d) - (d,) broadcasts
    D = np.empty((X.shape[0], Y.shape[0]))  # (n, m)
    for i in range(X.shape[0]):
        diff = Y - X[i]  # (m, d) - (d,) -> (m, d)
        D[i] = np.sum(diff * diff, axis=1)  # (m,)
    return D
    # END SOLUTION


def pairwise_vectorized(X, Y):
    """The same matrix from ||x||^2 + ||y||^2 - 2 x.y, clipped at 0: exercise 02's pairwise_sq_dists."""
    return broadcasting.pairwise_sq_dists(X, Y)  # (n, m), one matrix product and no Python loop


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
    _check_window(len(x), window)
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
    if len(Z) == 0 or any(len(row) == 0 for row in Z):
        raise ValueError("Z must be a non-empty list of non-empty rows")
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
# ## Implementation: measuring


# %%
def median_time(fn, args=(), repeats=5, clock=time.perf_counter):
    """Median wall time of fn(*args) in seconds, over `repeats` calls after one untimed warm-up call.

    The median ignores the odd slow run (another program woke up, memory was paged in);
    `clock` is a function returning seconds, replaceable in tests.
    """
    repeats = check_positive_int(repeats, "repeats")
    # BEGIN SOLUTION
    # HINT 1: Call once untimed (warm-up), then time several calls and report the median.
    # HINT 2: times = [clock() after - clock() before for each repeat]; return median(times)
    # HINT 3: fn(*args); times = []
    # HINT 3: repeat `repeats` times: start = clock(); fn(*args); times.append(clock() - start)
    # HINT 3: return float(np.median(times))
    fn(*args)  # warm-up: caches, lazy imports and first-call set-up are not what we measure
    times = []
    for _ in range(repeats):
        start = clock()
        fn(*args)
        times.append(clock() - start)
    return float(np.median(times))
    # END SOLUTION


# %% [markdown]
# ## Demo
#
# What to look for: vectorized wins by one to three orders of magnitude, and "one loop" is
# often SLOWER than pure Python: x[i] builds a new NumPy scalar each time and every NumPy
# call on a short slice pays microseconds of set-up (except pairwise distances, where each
# step already handles an (m, d) block). Compare ratios, not milliseconds: they depend on
# the machine and its load.


# %%
def main():
    scale, repeats = (10, 3) if utils.quick_mode() else (1, 5)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(100_000 // scale), rng.standard_normal(100_000 // scale)  # (n,) each
    X, Y = rng.standard_normal((150 // scale, 8)), rng.standard_normal((150 // scale, 8))  # (n, 8), (m, 8)
    signal, window = rng.standard_normal(20_000 // scale), 50  # (n,)
    Z = 5 * rng.standard_normal((500 // scale, 20))  # (n, 20)

    # The pure-Python versions get lists (converted before timing: conversion is not the point).
    cases = [
        (f"dot product (n={x.size})", (dot_python, (x.tolist(), y.tolist())), (dot_loop, (x, y)), (dot_vectorized, (x, y))),
        (f"pairwise dist. ({X.shape[0]}x{Y.shape[0]}, d=8)", (pairwise_python, (X.tolist(), Y.tolist())),
         (pairwise_loop, (X, Y)), (pairwise_vectorized, (X, Y))),
        (f"moving avg. (n={signal.size}, w={window})", (moving_average_python, (signal.tolist(), window)),
         (moving_average_loop, (signal, window)), (moving_average_vectorized, (signal, window))),
        (f"row softmax ({Z.shape[0]}x{Z.shape[1]})", (softmax_python, (Z.tolist(),)),
         (softmax_loop, (Z,)), (softmax_vectorized, (Z,))),
    ]
    times = np.array([[median_time(fn, args, repeats) for fn, args in versions] for _, *versions in cases])  # (4, 3), s
    table = []
    for (name, *versions), row in zip(cases, times):
        results = [np.asarray(fn(*args), dtype=float) for fn, args in versions]
        worst = max(np.max(np.abs(r - results[2])) for r in results[:2])  # agreement with vectorized
        table.append([name, *(f"{1e3 * t:.4f}" for t in row), f"{row[0] / row[2]:.0f}x", f"{row[1] / row[2]:.0f}x", f"{worst:.0e}"])
    print(f"Median of {repeats} runs after a warm-up, in milliseconds; speed-up = how much faster vectorized is\n")
    headers = ["computation", "pure Python", "one loop", "vectorized", "speed-up vs Python", "vs one loop", "max difference"]
    print(timing.format_table(headers, table))

    fig, ax = plotting.new_figure(width=8.5, height=4.5)
    plotting.plot_grouped_bars(ax, 1e3 * times, [case[0].replace(" (", "\n(") for case in cases], ["pure Python", "one loop", "vectorized"],
                               notes=[f"{row[0] / row[2]:.0f}x" for row in times], log=True)
    ax.set(ylabel="median time per call (ms, log scale)",
           title="The same computation three ways (label: speed-up of vectorized over pure Python)")
    plotting.show_or_save(fig, "ex03_vectorization")


if __name__ == "__main__":
    main()
