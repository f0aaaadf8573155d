"""
Exercise 03: vectorization: the same computation with Python loops, one loop, and none

Learning goals
--------------
- Write two everyday computations (dot product, pairwise distances) three ways and
  check that they agree (exercise 04 does the same for windows and rows).
- Measure code fairly: one warm-up call, several timed repeats, report the median.
- See why vectorized NumPy wins: the loop runs in compiled code, not Python's per-step cost.

The math
--------
x, y have shape (n,); X (n, d) and Y (m, d).
- dot product:          s = sum_i x_i y_i
- pairwise distances:   D_ij = sum_k (X_ik - Y_jk)^2 = ||x_i||^2 + ||y_j||^2 - 2 x_i . y_j,  D (n, m)

The three ways: pure Python (lists and floats, as many loops as the math has); one loop
(NumPy arrays, one Python loop left over elements, rows or windows); vectorized (no Python
loop; NumPy loops in compiled code). They add the same numbers in different orders, so
they agree to round-off (about 1e-12 relative here), not always bit for bit.

Algorithm
---------
1. For each computation, write the three versions (vectorized pairwise distances: ex02's).
2. median_time: call once to warm up, then time `repeats` calls with a clock, keep the median.
3. Time all six functions on the same inputs, print a table of times and speed-ups, and draw it.

References: J. VanderPlas, Python Data Science Handbook (2016), ch. 2; S. van der Walt et al.,
"The NumPy array: a structure for efficient numerical computation", CiSE 13 (2011).
Builds on: 01-python-for-ml/ex02_broadcasting.py (broadcasting).
Difficulty: 1 of 3, about 25 minutes.
Run: python 01-python-for-ml/ex03_vectorization.py
"""

# %%
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
    """sum_i x[i] * y[i] in plain Python: checked at the door, then summed over lists by _dot_lists."""
    x, y = _as_vectors(x, y)  # (n,) each
    return _dot_lists(x.tolist(), y.tolist())


def _dot_lists(x, y):
    """sum_i x[i] * y[i] over two Python lists of floats, checked by dot_python (main times this loop alone)."""
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
# ## Implementation: pairwise squared distances, and a fair timer


# %%
def pairwise_python(X, Y):
    """D[i][j] = sum_k (X[i][k] - Y[j][k])**2 for two lists of rows; returns a list of rows."""
    X, Y = (A.tolist() for A in check_paired_features(X, Y))  # checked, then lists of rows of Python floats
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


def median_time(fn, args=(), repeats=5, clock=time.perf_counter):
    """Median wall time of fn(*args) in seconds, over `repeats` calls after one untimed warm-up call.
    The median ignores the odd slow run; `clock` returns seconds (replaceable in tests)."""
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
# Vectorized wins by one to three orders of magnitude; "one loop" is often SLOWER than pure
# Python for the dot product (x[i] builds a NumPy scalar each step). Compare ratios, not
# milliseconds: they depend on the machine and its load.


# %%
def main():
    scale, repeats = (10, 3) if utils.quick_mode() else (1, 5)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(100_000 // scale), rng.standard_normal(100_000 // scale)  # (n,) each
    X, Y = rng.standard_normal((150 // scale, 8)), rng.standard_normal((150 // scale, 8))  # (n, 8), (m, 8)

    # Each case: name, then (function, arguments) of the three versions. The pure-Python dot product
    # is timed on lists, without its door check (one NumPy round trip would cost more than the loop).
    cases = [(f"dot product (n={x.size})", (_dot_lists, (x.tolist(), y.tolist())), (dot_loop, (x, y)), (dot_vectorized, (x, y))),
             (f"pairwise dist. ({X.shape[0]}x{Y.shape[0]}, d=8)", (pairwise_python, (X, Y)), (pairwise_loop, (X, Y)),
              (pairwise_vectorized, (X, Y)))]
    times = np.array([[median_time(fn, args, repeats) for fn, args in versions] for _, *versions in cases])  # (2, 3), s
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
