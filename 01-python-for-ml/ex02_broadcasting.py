"""
Exercise 02: broadcasting, its rules, pairwise distances and the (n,) vs (n, 1) trap

Learning goals
--------------
- State the broadcasting rules and apply them by hand to predict a result's shape.
- Compute a matrix of pairwise squared distances with no Python loop, two ways,
  and know why the fast one needs a clip at zero.
- Recognise the classic (n,) vs (n, 1) mistake, which silently builds an (n, n)
  matrix instead of n numbers.

The math
--------
Broadcasting lets an elementwise operation combine arrays of different shapes.
Compare two shapes from the RIGHT (the last axis first):
  1. If one shape is shorter, pad it on the left with 1s until both have ndim axes.
  2. Along each axis the sizes must be equal, or one of them must be 1.
  3. A size-1 axis is stretched (without copying) to the other size; the result
     takes the non-1 size, so (0,) with (1,) gives (0,).
Example: (3, 1) with (4,) -> (3, 1) with (1, 4) -> (3, 4).

Pairwise squared distances between the rows of X (n, d) and Y (m, d):
    D_ij = ||x_i - y_j||^2 = ||x_i||^2 + ||y_j||^2 - 2 x_i . y_j,   D has shape (n, m).
The first form broadcasts X[:, None, :] (n, 1, d) against Y[None, :, :] (1, m, d),
an (n, m, d) array of differences. The expanded form needs only an (n, m)
matrix product, but subtracting nearly equal large numbers can leave a tiny
negative value where the true distance is 0, so we clip at 0.

Algorithm
---------
1. broadcast_shape: pad, then compare axis by axis, from the right.
2. Pairwise distances: a double loop (the reference), the (n, m, d) difference,
   and the expansion with one matrix product, clipped at 0.
3. Centre each row with keepdims=True, so the row means have shape (n, 1).

References: NumPy user guide, "Broadcasting"; J. VanderPlas, Python Data Science
Handbook (2016), ch. 2 "Computation on Arrays: Broadcasting".
Difficulty: 2 of 3, about 30 minutes.
Run: python 01-python-for-ml/ex02_broadcasting.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import as_float_array, check_paired_features

# %% [markdown]
# ## Implementation


# %%
def broadcast_shape(shape_a, shape_b):
    """The shape that broadcasting shape_a against shape_b gives (like np.broadcast_shapes).

    Raises a ValueError when some axis has two different sizes, neither of them 1.
    """
    for shape in (shape_a, shape_b):
        if not isinstance(shape, (tuple, list)) or not all(isinstance(s, (int, np.integer)) and s >= 0 for s in shape):
            raise TypeError(f"a shape must be a tuple of non-negative integers; got {shape!r}")
    # BEGIN SOLUTION
    # HINT 1: Line the shapes up from the right (pad the shorter with 1s on the left), then
    # HINT 1: compare axis by axis: equal sizes or a 1 are fine; anything else is an error.
    # HINT 2: per axis: size_a if size_a == size_b or size_b == 1; size_b if size_a == 1; else ValueError
    # HINT 3: ndim = max(len(a), len(b)); pad both with leading 1s to ndim
    # HINT 3: for axis, (sa, sb) in enumerate(zip(a, b)):
    # HINT 3:     append sa if sa == sb or sb == 1; elif sa == 1 append sb; else raise ValueError(...)
    # HINT 3: return tuple(result)
    ndim = max(len(shape_a), len(shape_b))
    a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)  # rule 1: pad on the left with 1s
    b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    result = []
    for axis, (size_a, size_b) in enumerate(zip(a, b)):
        if size_a == size_b or size_b == 1:  # rule 2 and 3: equal, or b stretches to a
            result.append(size_a)
        elif size_a == 1:  # a stretches to b (this takes b's size, even when it is 0)
            result.append(size_b)
        else:
            raise ValueError(f"shapes {tuple(shape_a)} and {tuple(shape_b)} cannot be broadcast: "
                             f"axis {axis - ndim} has sizes {size_a} and {size_b}, and neither is 1")
    return tuple(result)
    # END SOLUTION


def pairwise_sq_dists_loops(X, Y):
    """D[i, j] = sum_k (X[i, k] - Y[j, k])**2 with plain loops: slow, but obviously right."""
    X, Y = check_paired_features(X, Y)  # (n, d) and (m, d)
    # BEGIN SOLUTION
    # HINT 1: Two nested loops, over the rows of X and the rows of Y; sum over the coordinates.
    # HINT 2: D[i, j] = sum_k (X[i, k] - Y[j, k])**2
    D = np.zeros((X.shape[0], Y.shape[0]))  # (n, m)
    for i in range(X.shape[0]):
        for j in range(Y.shape[0]):
            D[i, j] = np.sum((X[i] - Y[j]) ** 2)  # (d,) - (d,): one pair at a time
    return D
    # END SOLUTION


def pairwise_sq_dists_broadcast(X, Y):
    """The same matrix from one broadcast difference of shape (n, m, d): exact, but memory-hungry."""
    X, Y = check_paired_features(X, Y)  # (n, d) and (m, d)
    # BEGIN SOLUTION
    # HINT 1: Insert length-1 axes so that X's rows and Y's rows pair up in an (n, m, d) difference.
    # HINT 2: diff = X[:, None, :] - Y[None, :, :]; D = sum(diff**2, axis=2)
    diff = X[:, None, :] - Y[None, :, :]  # (n, 1, d) - (1, m, d) -> (n, m, d)
    return np.sum(diff**2, axis=2)  # (n, m)
    # END SOLUTION


def pairwise_sq_dists(X, Y):
    """The same matrix from ||x||^2 + ||y||^2 - 2 x.y: one matrix product, clipped at 0."""
    X, Y = check_paired_features(X, Y)  # (n, d) and (m, d)
    # BEGIN SOLUTION
    # HINT 1: Expand the square so the big part is a matrix product; no (n, m, d) array at all.
    # HINT 2: D = |x|^2 (n, 1) + |y|^2 (1, m) - 2 X @ Y.T (n, m), clipped at 0
    # HINT 3: x_sq = np.sum(X**2, axis=1)[:, None]; y_sq = np.sum(Y**2, axis=1)[None, :]
    # HINT 3: return np.maximum(x_sq + y_sq - 2.0 * X @ Y.T, 0.0)
    x_sq = np.sum(X**2, axis=1)[:, None]  # (n, 1)
    y_sq = np.sum(Y**2, axis=1)[None, :]  # (1, m)
    D = x_sq + y_sq - 2.0 * X @ Y.T  # (n, 1) + (1, m) - (n, m) -> (n, m)
    # Round-off can leave -1e-12 where the true value is 0 (a point and itself);
    # a negative squared distance would break a later sqrt, so clip it.
    return np.maximum(D, 0.0)
    # END SOLUTION


def subtract_row_means(X):
    """Centre each row of X (n, d) on its own mean, so every row of the result averages 0."""
    X = as_float_array(X, "X", ndim=2)  # (n, d)
    # BEGIN SOLUTION
    # HINT 1: The row means must be a column (n, 1) to stretch along each row.
    # HINT 2: X - X.mean(axis=1, keepdims=True)
    # keepdims=True keeps the means as a column (n, 1), which stretches along each row.
    # X.mean(axis=1) alone has shape (n,): it would be lined up with the COLUMNS instead,
    # an error for n != d and, worse, a silent wrong answer when n == d.
    return X - X.mean(axis=1, keepdims=True)  # (n, d) - (n, 1) -> (n, d)
    # END SOLUTION


def mean_squared_error(y_true, y_pred):
    """The mean of (y_true - y_pred)**2, refusing shapes that would broadcast to a matrix."""
    y_true, y_pred = as_float_array(y_true, "y_true"), as_float_array(y_pred, "y_pred")
    if y_true.shape != y_pred.shape or y_true.ndim != 1 or y_true.size == 0:
        raise ValueError(f"y_true and y_pred must both have shape (n_samples,); got {y_true.shape} and {y_pred.shape} "
                         "(a (n, 1) column against (n,) would broadcast to (n, n): use .ravel() on the column)")
    # BEGIN SOLUTION
    # HINT 1: Both vectors have shape (n,): subtract, square, average, return a float.
    residuals = y_true - y_pred  # (n,) - (n,) -> (n,)
    return float(np.mean(residuals**2))
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    print(f"{'shape a':10s} {'shape b':10s} {'broadcast_shape':18s} np.broadcast_shapes")
    for a, b in [((3, 1), (4,)), ((5, 1, 2), (3, 1)), ((2, 3), (2,)), ((0,), (1,)), ((2, 3), (3, 2))]:
        try:
            print(f"{str(a):10s} {str(b):10s} {str(broadcast_shape(a, b)):18s} {np.broadcast_shapes(a, b)}")
        except ValueError as error:  # np.broadcast_shapes refuses these shapes too (the tests check it)
            print(f"{str(a):10s} {str(b):10s} ValueError: {error}")

    # Pairwise distances three ways, on 2-D blobs (sorted by cluster, so blocks show up).
    X, y = data.make_blobs(n_samples=60, centers=3, random_state=0)
    X = X[np.argsort(y, kind="stable")]  # (60, 2)
    D_loop, D_bcast, D_fast = pairwise_sq_dists_loops(X, X), pairwise_sq_dists_broadcast(X, X), pairwise_sq_dists(X, X)
    print(f"\nPairwise squared distances {D_fast.shape}: max |broadcast - loops| = {np.max(np.abs(D_bcast - D_loop)):.1e}, "
          f"max |expansion - loops| = {np.max(np.abs(D_fast - D_loop)):.1e} (round-off of the expansion)")
    far_sq = np.sum((X + 1e4) ** 2, axis=1)  # (60,): the same points, moved far from the origin
    unclipped = far_sq[:, None] + far_sq[None, :] - 2.0 * (X + 1e4) @ (X + 1e4).T  # (60, 60)
    print(f"  moved by +1e4: smallest unclipped entry {unclipped.min():.1e}; after the clip {pairwise_sq_dists(X + 1e4, X + 1e4).min():.1f}")

    # The (n,) vs (n, 1) trap: a prediction stored as a column.
    y_true = np.arange(1.0, 7.0)  # (6,)
    y_pred = (y_true + np.array([0.5, -0.5, 0.2, 0.0, -0.3, 0.1]))[:, None]  # (6, 1): a column, as X @ w with w (d, 1)
    wrong = y_true - y_pred  # (6,) - (6, 1) -> (6, 6), no error raised
    mse = mean_squared_error(y_true, y_pred.ravel())
    print(f"\ny_true {y_true.shape} - y_pred {y_pred.shape} gives shape {wrong.shape}: mean of its squares "
          f"{np.mean(wrong**2):.3f} (wrong); mean_squared_error after .ravel(): {mse:.3f}")
    S = np.arange(9.0).reshape(3, 3)  # (3, 3): square, so the wrong version runs silently
    wrong_rows, right_rows = (S - S.mean(axis=1)).mean(axis=1), subtract_row_means(S).mean(axis=1)
    print(f"  row means of S - S.mean(axis=1): {wrong_rows}   with keepdims: {right_rows}")

    fig, axes = plotting.new_figure(1, 3, width=4.6, height=4.0)
    a, b = np.array([0, 10, 20]), np.array([1, 2, 3, 4])
    plotting.plot_heatmap(axes[0], a[:, None] + b[None, :], row_labels=a, col_labels=b, fmt="{:.0f}", colorbar=False,
                          title="a[:, None] + b[None, :]\n(3, 1) + (1, 4) -> (3, 4)").set(xlabel="b", ylabel="a")
    plotting.plot_heatmap(axes[1], D_fast, annotate=False, title="pairwise squared distances (60, 60)\npoints sorted by cluster")
    plotting.plot_heatmap(axes[2], wrong, fmt="{:.1f}", colorbar=False,
                          title="the trap: y_true (6,) - y_pred (6, 1)\n-> (6, 6); intended residuals: the diagonal")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex02_broadcasting")


if __name__ == "__main__":
    main()
