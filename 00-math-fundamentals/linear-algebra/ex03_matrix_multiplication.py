"""
Exercise 03: matrix multiplication as the composition of linear maps

Learning goals
--------------
- Multiply matrices with three nested loops, then with one dot product per
  entry (row of A times column of B), and check both against NumPy's `@`.
- Read A @ B as "first apply B, then apply A" and see on a grid why the order
  matters: in general A @ B != B @ A.
- Feel why we vectorize: time the three versions on a few sizes.

The math
--------
A has shape (m, k) and B has shape (k, n); the inner sizes must agree. The
product C = A B has shape (m, n) and entries
    C[i, j] = sum_{p=1..k} A[i, p] B[p, j] = (row i of A) . (column j of B).
A matrix is a linear map: x in R^n goes to B x in R^k. Applying B and then A
sends x to A (B x) = (A B) x, so the product matrix IS the composed map. The
composition "rotate, then shear" is a different map from "shear, then
rotate", which is why A B and B A usually differ.
The loops cost m * n * k multiply-adds either way; `@` does the same arithmetic
in compiled, cache-friendly, vectorized code (BLAS), which is why it is much faster.

Algorithm
---------
1. Check that A is (m, k) and B is (k, n).
2. Three loops: for each i, j, accumulate A[i, p] * B[p, j] over p.
3. Row times column: for each i, j, C[i, j] = A[i, :] @ B[:, j] (the inner loop
   becomes one vectorized dot product).
4. To transform points stored as rows of P, of shape (n_points, 2), by the map M,
   compute P @ M.T (each row p becomes M p).

References: G. Strang, Introduction to Linear Algebra, 5th ed., ch. 2.4 and 8.1;
G. Golub and C. Van Loan, Matrix Computations, 4th ed., sec. 1.1.
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex03_matrix_multiplication.py
"""

# %%
import numpy as np

from utils import plotting, timing
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation


# %%
def _check_shapes(A, B):
    """A and B as float arrays of shapes (m, k) and (k, n), or a ValueError."""
    A, B = as_float_array(A, "A", ndim=2), as_float_array(B, "B", ndim=2)
    if A.shape[1] != B.shape[0]:
        raise ValueError(f"inner dimensions must agree: A is (m, k) = {A.shape} and B must be (k, n), but B is {B.shape}")
    return A, B


def matmul_loops(A, B):
    """C = A B, of shape (m, n), with three nested loops, for A (m, k) and B (k, n), exactly as the formula reads."""
    A, B = _check_shapes(A, B)
    # BEGIN SOLUTION
    # HINT 1: Three loops: row i, column j, and the shared index p that is summed.
    # HINT 2: C[i, j] = sum_p A[i, p] * B[p, j]
    # HINT 3: C = zeros((m, n)); for i, j: total = sum over p of A[i, p] * B[p, j]; C[i, j] = total
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n))  # (m, n)
    for i in range(m):
        for j in range(n):
            total = 0.0
            for p in range(k):
                total += A[i, p] * B[p, j]
            C[i, j] = total
    return C
    # END SOLUTION


def matmul_row_col(A, B):
    """C = A B with one vectorized dot product per entry: C[i, j] = A[i, :] . B[:, j]."""
    A, B = _check_shapes(A, B)
    # BEGIN SOLUTION
    # HINT 1: Replace the innermost loop by one dot product of a row of A with a column of B.
    # HINT 2: C[i, j] = np.dot(A[i, :], B[:, j])
    m, n = A.shape[0], B.shape[1]
    C = np.zeros((m, n))  # (m, n)
    for i in range(m):
        for j in range(n):
            C[i, j] = np.dot(A[i, :], B[:, j])  # row i (k,) . column j (k,): one vectorized dot product
    return C
    # END SOLUTION


def transform_points(M, points):
    """Apply the map M (d, d) to every row of `points` (n_points, d); row i of the result is M @ points[i]."""
    M, points = as_float_array(M, "M", ndim=2), as_float_array(points, "points", ndim=2)
    if M.shape[0] != M.shape[1] or points.shape[1] != M.shape[0]:
        raise ValueError(f"expected M of shape (d, d) and points of shape (n_points, d); got {M.shape} and {points.shape}")
    # BEGIN SOLUTION
    # HINT 1: The points are ROWS. Applying M to each row p (M p) means multiplying by M's transpose.
    # HINT 2: points @ M.T  # (n_points, d)
    # Each point is a row p, and we want M p. Transposing (M P^T)^T = P M^T keeps the
    # points as rows; writing points @ M instead would apply the transpose of M.
    return points @ M.T  # (n_points, d)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def _grid_lines(extent=2, step=0.5, samples=30):
    """Horizontal and vertical lines of a square grid, each an array of shape (samples, 2)."""
    ticks = np.arange(-extent, extent + step / 2, step)  # (n_lines,)
    t = np.linspace(-extent, extent, samples)  # (samples,)
    horizontal = [np.column_stack([t, np.full_like(t, c)]) for c in ticks]
    vertical = [np.column_stack([np.full_like(t, c), t]) for c in ticks]
    return horizontal + vertical


def _draw_map(ax, M, title):
    """The image of the grid, the unit square and the basis vectors under M."""
    for line in _grid_lines():
        image = transform_points(M, line)  # (samples, 2)
        ax.plot(image[:, 0], image[:, 1], color="grey", lw=0.6, alpha=0.7)
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)  # (4, 2) corners
    ax.fill(*transform_points(M, square).T, color=plotting.COLORS[4], alpha=0.4)
    e1, e2 = M[:, 0], M[:, 1]  # where the basis vectors land: the columns of M
    for vec, name, color, side in [(e1, "$Me_1$", plotting.COLORS[0], "left"), (e2, "$Me_2$", plotting.COLORS[3], "right")]:
        ax.annotate("", xy=vec, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color=color, lw=2))
        ax.text(vec[0] + (0.15 if side == "left" else -0.15), vec[1] + 0.15, name, color=color, fontsize=11, ha=side,
                fontweight="bold")
    ax.grid(False)
    ax.set(aspect="equal", xlim=(-3, 3), ylim=(-3, 3), title=title, xlabel="$x_1$", ylabel="$x_2$")


def main():
    rng = np.random.default_rng(0)

    A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])  # (3, 2)
    B = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])  # (2, 3)
    print("A (3x2) @ B (2x3) with loops:\n", matmul_loops(A, B))
    print("row x column and @ agree:", np.allclose(matmul_row_col(A, B), A @ B) and np.allclose(matmul_loops(A, B), A @ B))

    # Timing: small sizes, so the pure-Python triple loop finishes quickly. Median of 3 runs.
    rows = []
    for n in [8, 16, 32]:
        X, Y = rng.standard_normal((2, n, n))  # (n, n) each
        t_loops, t_rowcol, t_at = (timing.median_time(lambda f=f: f(X, Y), repeats=3)[0]
                                   for f in (matmul_loops, matmul_row_col, np.matmul))
        rows.append([n, f"{1e3 * t_loops:.3f}", f"{1e3 * t_rowcol:.3f}", f"{1e3 * t_at:.4f}", f"{t_loops / t_at:.0f}x"])
    print("\n" + timing.format_table(["n", "3 loops (ms)", "row x col (ms)", "@ (ms)", "loops / @"], rows))

    # Composition: a shear and a rotation by 90 degrees, applied in both orders.
    shear = np.array([[1.0, 1.0], [0.0, 1.0]])  # x1 += x2
    rotate = np.array([[0.0, -1.0], [1.0, 0.0]])  # turn a quarter counter-clockwise
    x = np.array([1.0, 2.0])
    print(f"\nshear @ (rotate @ x) = {shear @ (rotate @ x)}  equals  (shear @ rotate) @ x = {matmul_row_col(shear, rotate) @ x}")
    print("shear @ rotate:\n", matmul_row_col(shear, rotate), "\nrotate @ shear (the order matters):\n", matmul_row_col(rotate, shear))

    fig, axes = plotting.new_figure(1, 5, width=3.2, height=3.4)
    maps = [
        (np.eye(2), "identity: the grid"),
        (shear, "A = shear"),
        (rotate, "B = rotate 90°"),
        (matmul_row_col(shear, rotate), "AB: rotate, then shear"),
        (matmul_row_col(rotate, shear), "BA: shear, then rotate"),
    ]
    for ax, (M, title) in zip(axes, maps):
        _draw_map(ax, M, title)
    fig.suptitle("A matrix moves the whole grid; AB means 'first B, then A', and AB ≠ BA", y=1.02)
    plotting.show_or_save(fig, "ex03_matrix_multiplication")


if __name__ == "__main__":
    main()
