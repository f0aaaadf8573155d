"""
Exercise 05: LU factorisation, the determinant and the inverse

Learning goals
--------------
- Record Gaussian elimination (exercise 04) as a factorisation P A = L U, with
  P a permutation, L unit lower triangular and U upper triangular.
- Read the determinant off the factors: the sign of the permutation times the
  product of U's diagonal (and its logarithm, which never overflows).
- Build the inverse column by column from the factors, and see why in practice
  we solve A x = b with the factors instead of computing inv(A) @ b.

The math
--------
A has shape (n, n). Elimination with partial pivoting produces
    P A = L U,
where P (n, n) reorders the rows of A (one 1 per row and column), L (n, n) has
ones on its diagonal and the multipliers l_ik below it (|l_ik| <= 1 thanks to
pivoting), and U (n, n) is the upper-triangular result of elimination.
Determinants multiply and a triangular determinant is the product of its
diagonal, so det(P) det(A) = det(L) det(U) = prod_i u_ii. A permutation that
is a product of s row swaps has det(P) = (-1)^s = +-1, hence
    det(A) = det(P) * prod_i u_ii.
To solve A x = b: L y = P b by forward substitution, then U x = y by back
substitution; 2 n^2 operations per right-hand side once the factorisation
(about 2/3 n^3 operations) is done. Column j of inv(A) solves A x = e_j.
Why not invert? inv(A) costs about 2 n^3 operations (three times the
factorisation), and x = inv(A) @ b is less accurate: its residual ||A x - b||
grows like the condition number kappa(A) times machine epsilon, while the
residual of the LU solve stays near machine epsilon.

Algorithm
---------
1. LU: for each column k, swap up the row with the largest |u_ik| (i >= k),
   swap the multipliers already stored in L along with it, store the new
   multipliers l_ik = u_ik / u_kk and eliminate below the pivot.
2. Sign of P: follow the cycles of the permutation; a cycle of length c is
   c - 1 swaps.
3. Determinant: sign(P) * prod(diag(U)); log|det| = sum(log|u_ii|).
4. Solve: forward substitution with L (its diagonal is 1), back substitution
   with U (from exercise 04). Inverse: solve for each column e_j of the identity.

References: L. N. Trefethen, D. Bau, Numerical Linear Algebra, lectures 20-21; N. Higham,
Accuracy and Stability of Numerical Algorithms, 2nd ed., sec. 14.1 (inverse versus solve).
Builds on: 00-math-fundamentals/linear-algebra/ex04_gaussian_elimination.py (gauss).
Difficulty: 2 of 3, about 50 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex05_lu_determinant_inverse.py
"""

# %%
import numpy as np

import utils
from utils import plotting
from utils.validation import as_float_array, as_float_array

# Back substitution is exercise 04's; a learner practising this exercise uses the reference.
gauss = utils.load_exercise("00-math-fundamentals/linear-algebra/ex04_gaussian_elimination.py", practice=False)

# %% [markdown]
# ## Implementation


# %%
def _as_square(A, name="A"):
    A = as_float_array(A, name)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix of shape (n, n); got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return A


def lu_decompose(A):
    """LU factorisation with partial pivoting: P @ A = L @ U.

    A (n, n) gives P (n, n), a permutation matrix; L (n, n), unit lower triangular with
    |L[i, k]| <= 1; U (n, n), upper triangular. A singular A still has an LU factorisation
    (U then has a zero on its diagonal); only solving with it is impossible.
    """
    A = _as_square(A)
    # BEGIN SOLUTION
    # HINT 1: Gaussian elimination that REMEMBERS its multipliers in L and its row swaps in a
    # HINT 1: permutation; swapping rows must also swap the multipliers already stored in L.
    # HINT 2: L[k+1:, k] = U[k+1:, k] / U[k, k]; U[k+1:, k:] -= outer(L[k+1:, k], U[k, k:]); P A = L U
    # HINT 3: U = A.copy(); L = eye(n); order = arange(n)
    # HINT 3: for k: r = k + argmax|U[k:, k]|; swap rows k, r in U, in L[:, :k] and in order
    # HINT 3:     skip if U[k, k] == 0; else L[k+1:, k] = ...; U[k+1:, k:] -= outer(...); zero below
    # HINT 3: P = eye(n)[order]; return P, L, U
    n = A.shape[0]
    U = A.copy()  # (n, n), becomes upper triangular
    L = np.eye(n)  # (n, n), multipliers fill in below the diagonal
    order = np.arange(n)  # (n,), order[i] = the row of A now in position i
    for k in range(n):
        r = k + int(np.argmax(np.abs(U[k:, k])))  # largest candidate pivot, by absolute value
        if r != k:
            U[[k, r]] = U[[r, k]]
            L[[k, r], :k] = L[[r, k], :k]  # the multipliers found so far belong to the rows they were found in
            order[[k, r]] = order[[r, k]]
        if U[k, k] == 0.0:
            continue  # the whole column is zero below: nothing to eliminate (A is singular)
        L[k + 1 :, k] = U[k + 1 :, k] / U[k, k]  # (n - k - 1,)
        U[k + 1 :, k:] -= np.outer(L[k + 1 :, k], U[k, k:])  # (n - k - 1, n - k)
        U[k + 1 :, k] = 0.0  # exact zeros below the pivot
    P = np.eye(n)[order]  # (n, n): row i of P @ A is row order[i] of A
    return P, L, U
    # END SOLUTION


def permutation_sign(P):
    """det(P) = +1 or -1 for a permutation matrix: (-1) ** (number of row swaps)."""
    P = _as_square(P, "P")
    n = P.shape[0]
    if not (np.all((P == 0) | (P == 1)) and np.all(P.sum(axis=0) == 1) and np.all(P.sum(axis=1) == 1)):
        raise ValueError("P must be a permutation matrix: 0s and 1s with exactly one 1 in each row and column")
    # BEGIN SOLUTION
    # HINT 1: Decompose the permutation into cycles; a cycle of length c
    # HINT 1: is c - 1 swaps. The sign is +1 for an even number of swaps.
    # HINT 2: image = argmax(P, axis=1); swaps = sum over cycles of (length - 1); sign = (-1)^swaps
    # HINT 3: image = np.argmax(P, axis=1); seen = zeros(n, bool); swaps = 0
    # HINT 3: for start: walk image[] from start until a seen index, counting the length
    # HINT 3:     swaps += max(length - 1, 0)
    # HINT 3: return 1.0 if swaps is even else -1.0
    image = np.argmax(P, axis=1)  # (n,), row i has its 1 in column image[i]
    seen = np.zeros(n, dtype=bool)  # (n,)
    swaps = 0
    for start in range(n):
        length, i = 0, start
        while not seen[i]:  # walk one cycle start -> image[start] -> ... -> start
            seen[i] = True
            i = image[i]
            length += 1
        swaps += max(length - 1, 0)  # a cycle of length c is c - 1 swaps
    return 1.0 if swaps % 2 == 0 else -1.0
    # END SOLUTION


def determinant(A):
    """det(A) = det(P) * prod(diag(U)) from P A = L U."""
    A = _as_square(A)
    # BEGIN SOLUTION
    # HINT 1: Take determinants of both sides of P A = L U; triangular factors make it easy.
    # HINT 2: det(A) = permutation_sign(P) * prod(diag(U))
    P, _, U = lu_decompose(A)
    return float(permutation_sign(P) * np.prod(np.diag(U)))
    # END SOLUTION


def slogdet(A):
    """(sign, log|det(A)|), like np.linalg.slogdet; never overflows (sign 0 and -inf if singular).

    The product of n diagonal entries overflows quickly (1e10 ** 40 = 1e400 > 1.8e308);
    the sum of their logarithms does not. Log-likelihoods of Gaussians need exactly this.
    """
    A = _as_square(A)
    # BEGIN SOLUTION
    # HINT 1: Sum the logs of |diag(U)| instead of multiplying (no overflow); track the sign separately.
    # HINT 2: sign = permutation_sign(P) * prod(sign(diag U)); logabsdet = sum(log|diag U|);
    # HINT 2:   zero -> (0, -inf)
    P, _, U = lu_decompose(A)
    diagonal = np.diag(U)  # (n,)
    if np.any(diagonal == 0):
        return 0.0, -np.inf  # log(0) would warn; the determinant is exactly 0
    sign = permutation_sign(P) * np.prod(np.sign(diagonal))
    return float(sign), float(np.sum(np.log(np.abs(diagonal))))
    # END SOLUTION


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
        raise ValueError(
            f"expected P, L, U of one shape (n, n) and b of shape (n,) or (n, n_rhs); "
            f"got {P.shape}, {L.shape}, {U.shape} and {b.shape}"
        )
    # BEGIN SOLUTION
    # HINT 1: Substitute P A = L U into A x = b: two triangular solves, one per factor.
    # HINT 2: y = forward_substitution(L, P @ b); x = gauss.back_substitution(U, y)
    y = forward_substitution(L, P @ b)  # (n,) or (n, n_rhs): P b puts b's rows in the pivot order
    return gauss.back_substitution(U, y)  # (n,) or (n, n_rhs)
    # END SOLUTION


def inverse(A):
    """inv(A), one column at a time: column j solves A x = e_j.

    Raises
    ------
    ValueError
        If A is singular to working precision (a pivot below n * eps * max|A|).
    """
    A = _as_square(A)
    n = A.shape[0]
    P, L, U = lu_decompose(A)
    threshold = n * np.finfo(float).eps * np.max(np.abs(A))  # "zero" relative to the size of A
    if np.min(np.abs(np.diag(U))) <= threshold:
        raise ValueError(f"A is singular (to working precision): a pivot of U is below {threshold:.2e}")
    # BEGIN SOLUTION
    # HINT 1: The j-th column of the inverse solves A x = e_j; reuse one LU for every column.
    # HINT 2: A_inv[:, j] = lu_solve(P, L, U, eye(n)[:, j])
    # HINT 3: (P, L, U = lu_decompose(A) already done)
    # HINT 3: for j in range(n): A_inv[:, j] = lu_solve(P, L, U, identity[:, j])
    identity = np.eye(n)  # (n, n)
    A_inv = np.zeros((n, n))  # (n, n)
    for j in range(n):
        A_inv[:, j] = lu_solve(P, L, U, identity[:, j])  # (n,), the j-th column
    return A_inv
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def _matrix_with_condition(n, kappa, rng):
    """A random (n, n) matrix with singular values from 1 down to 1/kappa, so cond_2(A) = kappa."""
    Q1, _ = np.linalg.qr(rng.standard_normal((n, n)))  # (n, n), random orthogonal
    Q2, _ = np.linalg.qr(rng.standard_normal((n, n)))  # (n, n), random orthogonal
    return (Q1 * np.logspace(0, -np.log10(kappa), n)) @ Q2.T  # (n, n) = Q1 diag(s) Q2^T


def main():
    rng = np.random.default_rng(1)

    A = np.array([[1.0, 2.0, 0.0, 1.0], [3.0, -1.0, 2.0, 0.0], [0.0, 4.0, 1.0, -2.0], [2.0, 1.0, -1.0, 3.0]])
    P, L, U = lu_decompose(A)
    print("A =\n", A)
    print(f"max |P A - L U| = {np.max(np.abs(P @ A - L @ U)):.1e},  largest multiplier |l_ik| = {np.max(np.abs(np.tril(L, -1))):.3f} (<= 1)")
    print(f"sign(P) = {permutation_sign(P):+.0f}, prod(diag U) = {np.prod(np.diag(U)):.4f}")
    print(f"det(A): ours {determinant(A):.10f}   np.linalg.det {np.linalg.det(A):.10f}")
    print(f"max |inverse(A) - np.linalg.inv(A)| = {np.max(np.abs(inverse(A) - np.linalg.inv(A))):.1e}")

    big = 1e10 * np.eye(40)
    print(f"\ndet(1e10 * I_40) = 1e400 overflows a float; slogdet gives log|det| = {slogdet(big)[1]:.3f}"
          f" = 400 log(10) = {400 * np.log(10):.3f}")

    # Solve versus invert, on matrices of growing condition number; b = A x_true.
    print(f"\n{'cond(A)':>8} | {'residual, LU solve':>18} | {'residual, inv(A) @ b':>20}")
    kappas = np.logspace(0, 14, 8)  # (8,)
    residuals = {"LU solve": [], "inv(A) @ b": []}
    for kappa in kappas:
        M = _matrix_with_condition(20, kappa, rng)
        b = M @ rng.standard_normal(20)  # (20,)
        factors = lu_decompose(M)
        for name, x in [("LU solve", lu_solve(*factors, b)), ("inv(A) @ b", inverse(M) @ b)]:
            # Relative residual: how far x is from solving a nearby system exactly (the backward error).
            residuals[name].append(np.linalg.norm(M @ x - b) / (np.linalg.norm(M, 2) * np.linalg.norm(x)))
        print(f"{kappa:8.0e} | {residuals['LU solve'][-1]:18.1e} | {residuals['inv(A) @ b'][-1]:20.1e}")

    fig, axes = plotting.new_figure(1, 4, width=3.3, height=3.2)
    for ax, (M, title) in zip(axes, [(A, "A"), (P, "P (row order)"), (L, "L (unit lower)"), (U, "U (upper)")]):
        plotting.plot_heatmap(ax, M, fmt="{:.2f}", title=title, colorbar=False)
        ax.set(xticks=[], yticks=[])
    fig.suptitle("P A = L U for a 4 x 4 matrix", y=1.02)
    plotting.show_or_save(fig, "ex05_lu_determinant_inverse")

    fig, ax = plotting.new_figure(width=6, height=4)
    for name, values in residuals.items():
        ax.loglog(kappas, values, "o-", label=name)
    ax.loglog(kappas, np.finfo(float).eps * kappas, "--", color="grey", label="eps * cond(A)")
    ax.set(xlabel="condition number of A", ylabel="relative residual ||Ax - b|| / (||A|| ||x||)",
           title="Solve with the factors; do not multiply by the inverse")
    ax.legend()
    plotting.show_or_save(fig, "ex05_lu_determinant_inverse_solve_vs_inv")


if __name__ == "__main__":
    main()
