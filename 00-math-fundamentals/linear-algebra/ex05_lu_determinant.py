"""
Exercise 05: LU factorisation and the determinant

Learning goals
--------------
- Record Gaussian elimination (exercise 04) as a factorisation P A = L U.
- Read the determinant off the factors: the sign of the permutation times the
  product of U's diagonal (and its logarithm, which never overflows).

The math
--------
A has shape (n, n). Elimination with partial pivoting produces P A = L U: P (n, n)
reorders the rows of A (one 1 per row and column), L (n, n) has ones on its diagonal
and the multipliers l_ik below it (|l_ik| <= 1 thanks to pivoting), U (n, n) is the
upper-triangular result of elimination. Determinants multiply and a triangular one is
the product of its diagonal; P made of s row swaps has det(P) = (-1)^s, hence
    det(A) = det(P) * prod_i u_ii.
The product of n diagonal entries overflows quickly (1e10 ** 40 = 1e400 > 1.8e308); the
sum of their logarithms, log|det(A)| = sum_i log|u_ii|, does not.

Algorithm
---------
1. LU: for each column k, swap up the row with the largest |u_ik| (i >= k),
   swap the multipliers already stored in L along with it, store the new
   multipliers l_ik = u_ik / u_kk and eliminate below the pivot.
2. Sign of P: swap each entry of the permutation into place, counting the
   swaps (a cycle of length c takes c - 1).
3. Determinant: sign(P) * prod(diag(U)); log|det| = sum(log|u_ii|).

References: L. N. Trefethen, D. Bau, Numerical Linear Algebra, lectures 20-21;
G. Strang, Introduction to Linear Algebra, 5th ed., sec. 2.6 (A = LU) and 5.1 (determinants).
Difficulty: 2 of 3, about 30 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex05_lu_determinant.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array

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


# %% [markdown]
# ## Demo


# %%
def main():
    A = np.array([[1.0, 2.0, 0.0, 1.0], [3.0, -1.0, 2.0, 0.0], [0.0, 4.0, 1.0, -2.0], [2.0, 1.0, -1.0, 3.0]])
    P, L, U = lu_decompose(A)
    print(f"max |P A - L U| = {np.max(np.abs(P @ A - L @ U)):.1e},  largest multiplier |l_ik| = {np.max(np.abs(np.tril(L, -1))):.3f} (<= 1)")
    print(f"det(A) = sign(P) {permutation_sign(P):+.0f} * prod(diag U): ours {determinant(A):.10f}, np.linalg.det {np.linalg.det(A):.10f}")
    print(f"det(1e10 * I_40) = 1e400 overflows a float; slogdet gives log|det| = {slogdet(1e10 * np.eye(40))[1]:.3f}"
          f" = 400 log(10) = {400 * np.log(10):.3f}")

    fig, axes = plotting.new_figure(1, 4, width=3.2, height=3.4)
    for ax, (M, title) in zip(axes, [(A, "A"), (P, "P (row order)"), (L, "L (unit lower)"), (U, "U (upper)")]):
        plotting.plot_heatmap(ax, M, fmt="{:.2f}", title=title, colorbar=False)
        ax.set(xticks=[], yticks=[])
    fig.suptitle(f"P A = L U;  det(A) = sign(P) * prod(diag U) = ({permutation_sign(P):+.0f}) * "
                 f"({np.prod(np.diag(U)):.2f}) = {determinant(A):.2f}")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex05_lu_determinant")


if __name__ == "__main__":
    main()
