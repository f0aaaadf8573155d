"""
Exercise 05: LU factorisation, the determinant and the inverse

Learning goals
--------------
- Record Gaussian elimination (exercise 04) as a factorisation P A = L U.
- Read the determinant off the factors: the sign of the permutation times the
  product of U's diagonal (and its logarithm, which never overflows).
- Build the inverse from the factors, and see why we solve A x = b with the
  factors instead of computing inv(A) @ b.

The math
--------
A has shape (n, n). Elimination with partial pivoting produces P A = L U: P (n, n)
reorders the rows of A (one 1 per row and column), L (n, n) has ones on its diagonal
and the multipliers l_ik below it (|l_ik| <= 1 thanks to pivoting), U (n, n) is the
upper-triangular result of elimination. Determinants multiply and a triangular one is
the product of its diagonal; P made of s row swaps has det(P) = (-1)^s, hence
    det(A) = det(P) * prod_i u_ii.
To solve A x = b: L y = P b by forward substitution, then U x = y by back substitution;
2 n^2 operations per right-hand side once the factorisation (about 2/3 n^3) is done.
Column j of inv(A) solves A x = e_j. Why not invert? inv(A) costs about 2 n^3, and
x = inv(A) @ b is less accurate: its residual ||A x - b|| grows like kappa(A) times
machine epsilon, while the residual of the LU solve stays near machine epsilon.

Algorithm
---------
1. LU: for each column k, swap up the row with the largest |u_ik| (i >= k),
   swap the multipliers already stored in L along with it, store the new
   multipliers l_ik = u_ik / u_kk and eliminate below the pivot.
2. Sign of P: swap each entry of the permutation into place, counting the
   swaps (a cycle of length c takes c - 1).
3. Determinant: sign(P) * prod(diag(U)); log|det| = sum(log|u_ii|).
4. Solve: forward substitution with L (unit diagonal), then exercise 04's back
   substitution with U. Inverse: solve for all the columns e_j of the identity.

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
from utils.validation import as_float_array

gauss = utils.load_exercise("00-math-fundamentals/linear-algebra/ex04_gaussian_elimination.py", practice=False)

# %% [markdown]
# ## Implementation


# %%
def _as_square(A, name="A"):
    A = as_float_array(A, name, finite=True)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix of shape (n, n); got shape {A.shape}")
    return A


def lu_decompose(A):
    """P A = L U with partial pivoting: A (n, n) -> P (n, n) a permutation, L (n, n) unit lower triangular
    with |L[i, k]| <= 1, U (n, n) upper triangular (with a zero on its diagonal when A is singular)."""
    A = _as_square(A)
    # BEGIN SOLUTION
    # HINT 1: Elimination that REMEMBERS its multipliers in L and its row swaps (which move L's stored rows too).
    # HINT 2: L[k+1:, k] = U[k+1:, k] / U[k, k]; U[k+1:, k:] -= outer(L[k+1:, k], U[k, k:]); P A = L U
    # HINT 3: U = A.copy(); L = eye(n); order = arange(n); for k: r = k + argmax|U[k:, k]|; swap rows k, r in U,
    # HINT 3: L[:, :k] and order; skip if U[k, k] == 0, else HINT 2; zero below. P = eye(n)[order]
    n = A.shape[0]
    U, L = A.copy(), np.eye(n)  # (n, n) each: U becomes upper triangular, multipliers fill L below the diagonal
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
    # HINT 1: Sort the permutation back to the identity by swaps, and count them.
    # HINT 2: image = argmax(P, axis=1); while image[i] != i: swap image[i] into place, swaps += 1
    # HINT 3: for i in range(n): while image[i] != i: j = image[i]; image[i], image[j] = image[j], image[i];
    # HINT 3: swaps += 1. Return 1.0 if swaps is even else -1.0
    image = np.argmax(P, axis=1)  # (n,), row i has its 1 in column image[i]
    swaps = 0
    for i in range(n):
        while image[i] != i:  # send the value i holds to its own place; each swap settles one more entry
            j = image[i]
            image[i], image[j] = image[j], image[i]
            swaps += 1  # a cycle of length c takes c - 1 swaps
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
    """(sign, log|det(A)|), like np.linalg.slogdet; (0, -inf) if singular. A product of n diagonal entries
    overflows quickly (1e10 ** 40 = 1e400 > 1.8e308), the sum of their logs does not (Gaussian log-likelihoods)."""
    A = _as_square(A)
    # BEGIN SOLUTION
    # HINT 1: Sum the logs of |diag(U)| instead of multiplying (no overflow); track the sign separately.
    # HINT 2: sign = permutation_sign(P) * prod(sign(diag U)); logabsdet = sum(log|diag U|); zero -> (0, -inf)
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
    P, L, U = lu_decompose(A)
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
    P, L, U = lu_decompose(A)
    print(f"max |P A - L U| = {np.max(np.abs(P @ A - L @ U)):.1e},  largest multiplier |l_ik| = {np.max(np.abs(np.tril(L, -1))):.3f} (<= 1)")
    print(f"det(A) = sign(P) {permutation_sign(P):+.0f} * prod(diag U): ours {determinant(A):.10f}, np.linalg.det {np.linalg.det(A):.10f}")
    print(f"max |inverse(A) - np.linalg.inv(A)| = {np.max(np.abs(inverse(A) - np.linalg.inv(A))):.1e}")
    print(f"det(1e10 * I_40) = 1e400 overflows a float; slogdet gives log|det| = {slogdet(1e10 * np.eye(40))[1]:.3f}"
          f" = 400 log(10) = {400 * np.log(10):.3f}")

    # Solve versus invert, on (20, 20) matrices Q1 diag(s) Q2^T with singular values s from 1 down to 1 / kappa.
    kappas = np.logspace(0, 14, 8)  # (8,)
    residuals = {"LU solve": [], "inv(A) @ b": []}
    for kappa in kappas:
        Q1, Q2 = (np.linalg.qr(rng.standard_normal((20, 20)))[0] for _ in range(2))  # (20, 20) random orthogonal
        M = (Q1 * np.logspace(0, -np.log10(kappa), 20)) @ Q2.T  # (20, 20), cond_2(M) = kappa
        b = M @ rng.standard_normal(20)  # (20,)
        for name, x in [("LU solve", lu_solve(*lu_decompose(M), b)), ("inv(A) @ b", inverse(M) @ b)]:
            # Relative residual: how far x is from solving a nearby system exactly (the backward error).
            residuals[name].append(np.linalg.norm(M @ x - b) / (np.linalg.norm(M, 2) * np.linalg.norm(x)))

    fig, axes = plotting.new_mosaic([["A", "P", "L", "U"], ["r", "r", "r", "r"]], width=3.2, height=3.2)
    for name, M, title in [("A", A, "A"), ("P", P, "P (row order)"), ("L", L, "L (unit lower)"), ("U", U, "U (upper)")]:
        plotting.plot_heatmap(axes[name], M, fmt="{:.2f}", title=title, colorbar=False)
        axes[name].set(xticks=[], yticks=[])
    for name, values in residuals.items():
        axes["r"].loglog(kappas, values, "o-", label=name)
    axes["r"].loglog(kappas, np.finfo(float).eps * kappas, "--", color="grey", label="eps * cond(A)")
    axes["r"].set(xlabel="condition number of A", ylabel="||Ax - b|| / (||A|| ||x||)",
                  title="P A = L U above; below: solve with the factors, do not multiply by the inverse")
    axes["r"].legend()
    fig.tight_layout()
    plotting.show_or_save(fig, "ex05_lu_determinant_inverse")


if __name__ == "__main__":
    main()
