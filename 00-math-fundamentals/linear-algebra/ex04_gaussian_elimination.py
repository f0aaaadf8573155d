"""
Exercise 04: solving Ax = b by Gaussian elimination with partial pivoting

Learning goals
--------------
- Reduce a square system to upper-triangular form by row operations, then solve
  it from the bottom up by back substitution.
- Understand partial pivoting: before eliminating a column, swap up the row
  with the largest entry in it, so no multiplier exceeds 1 in size.
- See a two-by-two system where skipping the swap gives a completely wrong
  answer in floating point, and recognise a (numerically) singular matrix.

The math
--------
A has shape (n, n) and b has shape (n,), or (n, n_rhs) for n_rhs right-hand sides
solved at once. Elimination turns [A | b] into [U | c] with U upper triangular,
using only row operations that keep the solution set:
    row_i <- row_i - l_ik row_k,   l_ik = a_ik / a_kk   (for i > k),
    swap two rows.
Then U x = c is solved from the last row up (back substitution):
    x_i = (c_i - sum_{j>i} u_ij x_j) / u_ii,   i = n-1, ..., 0.
The pivot a_kk is the number we divide by. A tiny pivot makes a huge
multiplier l_ik, which swamps the other rows with round-off. Partial pivoting
picks the row r >= k with the largest |a_rk| and swaps it into place, so that
|l_ik| <= 1. If even the largest candidate is zero, or tiny compared with the
entries of A (below n * machine epsilon * max|a_ij|), the columns of A are
(numerically) dependent: A is singular and Ax = b has no unique solution.

Algorithm
---------
1. For each column k = 0, ..., n-1:
   a. (pivoting) find r = argmax_{i >= k} |a_ik| and swap rows k and r of [A | b];
      refuse a pivot that is zero relative to the scale of A;
   b. for every row i below k, subtract l_ik times row k (one outer-product update).
2. Back substitution on U x = c, from the last row to the first.

References: L. N. Trefethen and D. Bau, Numerical Linear Algebra, lectures 20-22;
G. Golub and C. Van Loan, Matrix Computations, 4th ed., sec. 3.1-3.4.
Difficulty: 2 of 3, about 30 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex04_gaussian_elimination.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_linear_system

# %% [markdown]
# ## Implementation


# %%
def forward_elimination(A, B, pivot=True):
    """Row-reduce [A | B] to [U | C]: A (n, n), B (n, n_rhs) -> U (n, n) upper triangular, C (n, n_rhs).

    pivot=True swaps the largest remaining entry of each column into the pivot position (partial
    pivoting); pivot=False exists only to show what goes wrong. A singular A raises a ValueError: with
    pivoting when every candidate pivot is below n * eps * max|A|, without when a pivot is exactly zero.
    """
    A, B = as_linear_system(A, B, multi_rhs=True, names=("A", "B"))
    if B.ndim != 2:
        raise ValueError(f"B must have shape (n, n_rhs); got shape {B.shape}")
    n = A.shape[0]
    # BEGIN SOLUTION
    # HINT 1: Work on the augmented matrix [A | B]. For each column k:
    # HINT 1: bring the largest pivot up (if pivoting), refuse a pivot
    # HINT 1: that is zero relative to A's scale, then eliminate below it.
    # HINT 2: multipliers = M[k+1:, k] / M[k, k]; M[k+1:, k:] -= outer(multipliers, M[k, k:])
    # HINT 2: threshold = n * eps * max|A|
    # HINT 3: M = np.hstack([A, B]); threshold = n * eps * max|A|
    # HINT 3: for k in range(n): with pivot: swap up row k + argmax|M[k:, k]|, tiny pivot -> ValueError
    # HINT 3:     (without pivot: M[k, k] == 0 -> ValueError); one outer-product update below row k
    # HINT 3: return M[:, :n], M[:, n:]
    M = np.hstack([A, B])  # (n, n + k), the augmented matrix [A | B]; a copy, A and B stay intact
    # "Zero" must be relative: 1e-20 * I is a fine matrix, and round-off in a
    # singular matrix with entries near 100 leaves pivots near 1e-14, not 0.
    threshold = n * np.finfo(float).eps * np.max(np.abs(A))
    for k in range(n):
        if pivot:
            r = k + int(np.argmax(np.abs(M[k:, k])))  # row of the largest candidate pivot
            if r != k:
                M[[k, r]] = M[[r, k]]  # swap rows k and r (fancy indexing copies the right side first)
            if abs(M[k, k]) <= threshold:
                raise ValueError(f"A is singular (to working precision): no usable pivot in column {k}, "
                                 f"largest candidate {abs(M[k, k]):.2e} <= {threshold:.2e}")
        elif M[k, k] == 0.0:
            raise ValueError(f"zero pivot in column {k} without pivoting: A may be singular, or needs row swaps")
        multipliers = M[k + 1 :, k] / M[k, k]  # (n - k - 1,), l_ik for the rows below
        M[k + 1 :, k:] -= np.outer(multipliers, M[k, k:])  # (n - k - 1, n + n_rhs - k): all rows at once
        M[k + 1 :, k] = 0.0  # exactly zero below the pivot (round-off would leave ~1e-17)
    return M[:, :n], M[:, n:]
    # END SOLUTION


def back_substitution(U, C):
    """Solve U X = C from the last row up: U (n, n) upper triangular (below the diagonal ignored),
    C (n,) or (n, n_rhs); X has the shape of C."""
    U, C = as_linear_system(U, C, multi_rhs=True, names=("U", "C"))
    if np.any(np.diag(U) == 0):
        raise ValueError("U has a zero on its diagonal: the triangular system is singular")
    # BEGIN SOLUTION
    # HINT 1: Solve from the last row up: each row has one new unknown once the later ones are known.
    # HINT 2: X[i] = (C[i] - U[i, i+1:] @ X[i+1:]) / U[i, i]
    # HINT 3: X = zeros_like(C)
    # HINT 3: for i from n - 1 down to 0: X[i] = (C[i] - U[i, i+1:] @ X[i+1:]) / U[i, i]
    # HINT 3: return X
    n = U.shape[0]
    X = np.zeros_like(C)  # (n,) or (n, n_rhs)
    for i in range(n - 1, -1, -1):
        # Everything to the right of the diagonal is already known.
        X[i] = (C[i] - U[i, i + 1 :] @ X[i + 1 :]) / U[i, i]
    return X
    # END SOLUTION


def solve(A, b, pivot=True):
    """Solve A x = b by elimination and back substitution: A (n, n), b (n,) or (n, n_rhs); x has b's shape."""
    A, b = as_linear_system(A, b, multi_rhs=True)
    B = b.reshape(A.shape[0], -1)  # (n, n_rhs): one column per right-hand side
    U, C = forward_elimination(A, B, pivot=pivot)
    return back_substitution(U, C).reshape(b.shape)  # back to (n,) or (n, n_rhs)


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((5, 5)), rng.standard_normal((5, 3))  # (5, 5), (5, 3): three right-hand sides
    X = solve(A, B)
    print(f"Random 5x5 system, 3 right-hand sides: max |X - np.linalg.solve(A, B)| = "
          f"{np.max(np.abs(X - np.linalg.solve(A, B))):.1e}, max |A X - B| = {np.max(np.abs(A @ X - B)):.1e}")

    print("\n[[eps, 1], [1, 1]] x = [1, 2]; the exact x is close to (1, 1)")
    print(f"  {'eps':>7} | {'x without pivoting':>24} | {'x with pivoting':>20} | {'error, no pivot':>15}")
    epsilons = np.logspace(-1, -18, 35)  # (35,)
    errors = {"without pivoting": [], "with partial pivoting": []}
    for eps in epsilons:
        A2, b2 = np.array([[eps, 1.0], [1.0, 1.0]]), np.array([1.0, 2.0])  # (2, 2), (2,)
        exact = np.array([1.0 / (1.0 - eps), (1.0 - 2.0 * eps) / (1.0 - eps)])  # (2,), by Cramer's rule
        x_plain, x_pivot = solve(A2, b2, pivot=False), solve(A2, b2, pivot=True)
        errors["without pivoting"].append(np.linalg.norm(x_plain - exact) / np.linalg.norm(exact))
        errors["with partial pivoting"].append(np.linalg.norm(x_pivot - exact) / np.linalg.norm(exact))
        if np.isclose(np.log10(eps) % 4, 3):  # print every fourth power of ten: 1e-1, 1e-5, ...
            print(f"  {eps:7.0e} | {np.array2string(x_plain, precision=6):>24} | "
                  f"{np.array2string(x_pivot, precision=6):>20} | {errors['without pivoting'][-1]:15.1e}")

    try:
        solve([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], np.ones(3))
    except ValueError as error:
        print(f"\n[[1, 2, 3], [4, 5, 6], [7, 8, 9]] is refused: {error}")

    fig, ax = plotting.new_figure(width=6, height=4.5)
    floor = np.finfo(float).eps / 2  # show an exact answer (error 0) at the rounding floor of the log axis
    for color, (label, values) in zip([plotting.COLORS[3], plotting.COLORS[0]], errors.items()):
        ax.loglog(epsilons, np.maximum(values, floor), "o-", ms=3, color=color, label=label)
    ax.invert_xaxis()
    ax.set(xlabel="pivot size eps (smaller to the right)", ylabel="relative error of x", title="[[eps, 1], [1, 1]] x = [1, 2]")
    ax.legend(loc="upper left")
    plotting.show_or_save(fig, "ex04_gaussian_elimination")


if __name__ == "__main__":
    main()
