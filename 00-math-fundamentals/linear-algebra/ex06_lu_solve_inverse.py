"""
Exercise 06: solving with the LU factors, and why not to invert

Learning goals
--------------
- Solve A x = b with the factors of P A = L U: a forward and a back substitution.
- Build the inverse from the factors, one column per column of the identity.
- See why we solve A x = b with the factors instead of computing inv(A) @ b.

The math
--------
A has shape (n, n) with P A = L U (exercise 05): P (n, n) a permutation, L (n, n) unit lower
triangular, U (n, n) upper triangular. Multiply A x = b by P: L U x = P b. So
    L y = P b   by forward substitution:  y_i = (P b)_i - sum_{j<i} l_ij y_j   (l_ii = 1, no division),
    U x = y     by back substitution (exercise 04);
2 n^2 operations per right-hand side once the factorisation (about 2/3 n^3) is done.
Column j of inv(A) solves A x = e_j. Why not invert? inv(A) costs about 2 n^3, and
x = inv(A) @ b is less accurate: its residual ||A x - b|| grows like kappa(A) times
machine epsilon, while the residual of the LU solve stays near machine epsilon.

Algorithm
---------
1. Forward substitution with L (unit diagonal), from the top row down.
2. Solve: permute b, forward substitution with L, then exercise 04's back substitution with U.
3. Inverse: factor once, then solve for all the columns e_j of the identity at once; refuse a
   matrix with a pivot that is zero to working precision.

References: L. N. Trefethen, D. Bau, Numerical Linear Algebra, lectures 20-21; N. Higham,
Accuracy and Stability of Numerical Algorithms, 2nd ed., sec. 14.1 (inverse versus solve).
Builds on: 00-math-fundamentals/linear-algebra/ex04_gaussian_elimination.py (gauss),
00-math-fundamentals/linear-algebra/ex05_lu_determinant.py (lu).
Difficulty: 2 of 3, about 20 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex06_lu_solve_inverse.py
"""

# %%
import numpy as np

import utils
from utils import plotting
from utils.validation import as_float_array

gauss = utils.load_exercise("00-math-fundamentals/linear-algebra/ex04_gaussian_elimination.py", practice=False)
lu = utils.load_exercise("00-math-fundamentals/linear-algebra/ex05_lu_determinant.py", practice=False)

# %% [markdown]
# ## Implementation


# %%
def _as_square(A, name="A"):
    A = as_float_array(A, name, finite=True)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix of shape (n, n); got shape {A.shape}")
    return A


def forward_substitution(L, b):
    """Solve L y = b for unit lower-triangular L (n, n) (its diagonal is taken as 1), from the top
    row down; b has shape (n,) or (n, n_rhs), and y the shape of b."""
    L = _as_square(L, "L")
    b = as_float_array(b, "b", finite=True)
    if b.ndim not in (1, 2) or b.shape[0] != L.shape[0]:
        raise ValueError(f"b must have shape (n,) or (n, n_rhs) with n = {L.shape[0]}; got shape {b.shape}")
    # BEGIN SOLUTION
    # HINT 1: Solve from the top row down; L has a unit diagonal, so there is no division.
    # HINT 2: y[i] = b[i] - L[i, :i] @ y[:i]
    # HINT 3: y = np.zeros_like(b); for i in range(n): y[i] = b[i] - L[i, :i] @ y[:i]; return y
    y = np.zeros_like(b)  # (n,) or (n, n_rhs)
    for i in range(L.shape[0]):
        y[i] = b[i] - L[i, :i] @ y[:i]  # no division: l_ii = 1
    return y
    # END SOLUTION


def lu_solve(P, L, U, b):
    """Solve A x = b from the factors of P A = L U (each (n, n)): L y = P b, then U x = y.
    b has shape (n,) or (n, n_rhs), and x the shape of b."""
    P, L, U = _as_square(P, "P"), _as_square(L, "L"), _as_square(U, "U")
    b = as_float_array(b, "b")
    if not P.shape == L.shape == U.shape or b.ndim not in (1, 2) or b.shape[0] != P.shape[0]:
        raise ValueError(f"expected P, L, U of one shape (n, n) and b of shape (n,) or (n, n_rhs); "
                         f"got {P.shape}, {L.shape}, {U.shape} and {b.shape}")
    # BEGIN SOLUTION
    # HINT 1: Substitute P A = L U into A x = b: two triangular solves, one per factor.
    # HINT 2: y = forward_substitution(L, P @ b); x = gauss.back_substitution(U, y)
    y = forward_substitution(L, P @ b)  # (n,) or (n, n_rhs): P b puts b's rows in the pivot order
    return gauss.back_substitution(U, y)  # (n,) or (n, n_rhs)
    # END SOLUTION


def inverse(A):
    """inv(A) (n, n) from one LU: column j solves A x = e_j. ValueError if A is singular to working
    precision (a pivot below n * eps * max|A|)."""
    A = _as_square(A)
    n = A.shape[0]
    P, L, U = lu.lu_decompose(A)
    threshold = n * np.finfo(float).eps * np.max(np.abs(A))  # "zero" relative to the size of A
    if np.min(np.abs(np.diag(U))) <= threshold:
        raise ValueError(f"A is singular (to working precision): a pivot of U is below {threshold:.2e}")
    # BEGIN SOLUTION
    # HINT 1: The j-th column of the inverse solves A x = e_j; reuse one LU for every column.
    # HINT 2: A_inv[:, j] = lu_solve(P, L, U, e_j); lu_solve takes all n right-hand sides at once
    return lu_solve(P, L, U, np.eye(n))  # (n, n): column j solves A x = e_j
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(1)
    A = np.array([[1.0, 2.0, 0.0, 1.0], [3.0, -1.0, 2.0, 0.0], [0.0, 4.0, 1.0, -2.0], [2.0, 1.0, -1.0, 3.0]])
    b = np.array([1.0, 2.0, 3.0, 4.0])  # (4,)
    x = lu_solve(*lu.lu_decompose(A), b)  # (4,)
    print(f"max |A x - b| = {np.max(np.abs(A @ x - b)):.1e}; max |x - np.linalg.solve| = {np.max(np.abs(x - np.linalg.solve(A, b))):.1e}")
    print(f"max |inverse(A) - np.linalg.inv(A)| = {np.max(np.abs(inverse(A) - np.linalg.inv(A))):.1e}")

    # Solve versus invert, on (20, 20) matrices Q1 diag(s) Q2^T with singular values s from 1 down to 1 / kappa.
    kappas = np.logspace(0, 14, 8)  # (8,)
    residuals = {"LU solve": [], "inv(A) @ b": []}
    for kappa in kappas:
        Q1, Q2 = (np.linalg.qr(rng.standard_normal((20, 20)))[0] for _ in range(2))  # (20, 20) random orthogonal
        M = (Q1 * np.logspace(0, -np.log10(kappa), 20)) @ Q2.T  # (20, 20), cond_2(M) = kappa
        b = M @ rng.standard_normal(20)  # (20,)
        for name, x in [("LU solve", lu_solve(*lu.lu_decompose(M), b)), ("inv(A) @ b", inverse(M) @ b)]:
            # Relative residual: how far x is from solving a nearby system exactly (the backward error).
            residuals[name].append(np.linalg.norm(M @ x - b) / (np.linalg.norm(M, 2) * np.linalg.norm(x)))
    print(f"\n{'cond(A)':>9}" + "".join(f"{name:>14}" for name in residuals))
    for i, kappa in enumerate(kappas):
        print(f"{kappa:9.0e}" + "".join(f"{r[i]:14.1e}" for r in residuals.values()))

    fig, ax = plotting.new_figure(width=7, height=4.2)
    for name, values in residuals.items():
        ax.loglog(kappas, values, "o-", label=name)
    ax.loglog(kappas, np.finfo(float).eps * kappas, "--", color="grey", label="eps * cond(A)")
    ax.set(xlabel="condition number of A", ylabel="||Ax - b|| / (||A|| ||x||)",
           title="Solve with the factors, do not multiply by the inverse")
    ax.legend()
    plotting.show_or_save(fig, "ex06_lu_solve_inverse")


if __name__ == "__main__":
    main()
