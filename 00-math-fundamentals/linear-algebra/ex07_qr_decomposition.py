"""
Exercise 07: QR decomposition by Householder reflections and Gram-Schmidt

Learning goals
--------------
- Factor A = Q R (orthonormal Q, upper-triangular R) three ways: classical and
  modified Gram-Schmidt, Householder reflections.
- Watch Q lose orthogonality on ill-conditioned matrices: badly for classical GS,
  less for modified, not at all for Householder.
- Solve min ||A x - b|| with QR, and see why it beats the normal equations.

The math
--------
A has shape (m, n) and k = min(m, n). The (reduced) QR decomposition is
    A = Q R,  Q of shape (m, k) with Q^T Q = I,  R of shape (k, n) upper triangular.
Gram-Schmidt builds Q column by column: subtract from a_j its components along
q_1..q_{j-1}, then normalise; r_ij = q_i . a_j and r_jj is the length left over.
Classical GS takes every component from the original a_j; modified GS from the
partly reduced vector, so the round-off of one projection is projected out by the
later ones. For condition number kappa, ||Q^T Q - I|| grows like eps * kappa^2 for
classical GS (up to order 1), like eps * kappa for modified GS, and stays near eps
for Householder: H = I - 2 v v^T (||v|| = 1) is orthogonal and mirrors x onto a
multiple of e_1 when v is parallel to x + sign(x_1) ||x|| e_1 (the sign avoids
subtracting nearly equal numbers); R = H_p ... H_1 A and Q = H_1 ... H_p.
Least squares: with A = Q R (full column rank, m >= n), ||A x - b|| is smallest
when R x = Q^T b; the normal equations square kappa(A^T A) = kappa(A)^2.

Algorithm
---------
1. Classical GS: r_ij = q_i . a_j for all i < j at once; v = a_j - sum_i r_ij q_i;
   r_jj = ||v||; q_j = v / r_jj.
2. Modified GS: normalise column j, then immediately remove its component from
   every later column.
3. Householder: for column k, build v from the entries k.. of the current
   column, apply H to the remaining rows of R, and accumulate Q <- Q H.
4. Least squares: A = Q R, then solve the triangular system R x = Q^T b.

References: L. N. Trefethen, D. Bau, Numerical Linear Algebra, lectures 7-11 and 16 (lecture 9
compares the two Gram-Schmidt variants); A. Bjorck, BIT 7, 1967; L. Giraud, J. Langou,
M. Rozloznik, "The loss of orthogonality in the Gram-Schmidt orthogonalization process", 2005.
Difficulty: 3 of 3, about 50 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex07_qr_decomposition.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array, check_no_overflow, check_option

# %% [markdown]
# ## Implementation


# %%
def _as_matrix(A, tall=False, name="A"):
    A = as_float_array(A, name, finite=True)
    if A.ndim != 2 or A.size == 0:
        raise ValueError(f"{name} must be a non-empty matrix of shape (m, n); got shape {A.shape}")
    if tall and A.shape[0] < A.shape[1]:
        raise ValueError(f"{name} must have at least as many rows as columns (m >= n); got shape {A.shape}")
    return check_no_overflow(A, name)  # the column norms square the entries


def _dependent_column(remaining, original, m):
    """Is a column (numerically) a combination of the earlier ones? Round-off alone leaves about m * eps
    of its `original` length after removing its components along the earlier q's, so a `remaining` length
    that short counts as zero (np.linalg.matrix_rank's rule); relative, so A and 1e-30 * A agree."""
    return remaining <= m * np.finfo(float).eps * original


def classical_gram_schmidt(A):
    """Reduced QR of a tall, full-column-rank A (m, n), m >= n, by classical Gram-Schmidt: Q (m, n) with
    orthonormal columns (in exact arithmetic), R (n, n) upper triangular with positive diagonal."""
    A = _as_matrix(A, tall=True)
    # BEGIN SOLUTION
    # HINT 1: Subtract from the ORIGINAL column its components along the q's so far; normalise what is left.
    # HINT 2: R[:j, j] = Q[:, :j].T @ A[:, j]; v = A[:, j] - Q[:, :j] @ R[:j, j]; R[j, j] = |v|; q_j = v / |v|
    # HINT 3: Q, R = zeros; for j: R[:j, j], v, R[j, j]; if _dependent_column(R[j, j], |A[:, j]|, m):
    # HINT 3: ValueError; Q[:, j] = v / R[j, j]
    m, n = A.shape
    Q, R = np.zeros((m, n)), np.zeros((n, n))  # (m, n), (n, n)
    for j in range(n):
        R[:j, j] = Q[:, :j].T @ A[:, j]  # (j,): components of the ORIGINAL column along q_1..q_{j-1}
        v = A[:, j] - Q[:, :j] @ R[:j, j]  # (m,): what is left of column j
        R[j, j] = np.linalg.norm(v)
        if _dependent_column(R[j, j], np.linalg.norm(A[:, j]), m):
            raise ValueError(f"column {j} of A is linearly dependent on the earlier columns: A is rank-deficient")
        Q[:, j] = v / R[j, j]
    return Q, R
    # END SOLUTION


def modified_gram_schmidt(A):
    """Reduced QR of a tall, full-column-rank A by modified Gram-Schmidt (same outputs as classical)."""
    A = _as_matrix(A, tall=True)
    # BEGIN SOLUTION
    # HINT 1: As soon as q_j is known, remove it from every LATER (already reduced) column.
    # HINT 2: R[j, j] = |V[:, j]|; q_j = V[:, j] / R[j, j]; R[j, j+1:] = q_j @ V[:, j+1:];
    # HINT 2: V[:, j+1:] -= outer(q_j, R[j, j+1:])
    # HINT 3: V = A.copy(); for j: R[j, j] = norm(V[:, j]); dependent -> ValueError; q_j; the two HINT 2 updates
    m, n = A.shape
    V = A.copy()  # (m, n), columns get reduced in place
    Q, R = np.zeros((m, n)), np.zeros((n, n))  # (m, n), (n, n)
    for j in range(n):
        R[j, j] = np.linalg.norm(V[:, j])
        if _dependent_column(R[j, j], np.linalg.norm(A[:, j]), m):
            raise ValueError(f"column {j} of A is linearly dependent on the earlier columns: A is rank-deficient")
        Q[:, j] = V[:, j] / R[j, j]
        # Remove q_j from the later, already-reduced columns now: its error is projected out again, not piled up.
        R[j, j + 1 :] = Q[:, j] @ V[:, j + 1 :]  # (n - j - 1,)
        V[:, j + 1 :] -= np.outer(Q[:, j], R[j, j + 1 :])  # (m, n - j - 1)
    return Q, R
    # END SOLUTION


def householder_qr(A, mode="reduced"):
    """QR of any (m, n) matrix, rank-deficient too, by Householder reflections: Q orthonormal columns, R upper
    triangular; mode "reduced": Q (m, k), R (k, n), k = min(m, n), like np.linalg.qr; "complete": Q (m, m), R (m, n)."""
    A = _as_matrix(A)
    check_option(mode, "mode", ("reduced", "complete"))
    # BEGIN SOLUTION
    # HINT 1: Mirror column k's lower part onto a multiple of e_1; apply each mirror to R, accumulate it into Q.
    # HINT 2: x = R[k:, k]; v = x + sign(x_0) |x| e_1, normalised; H = I - 2 v v^T
    # HINT 2: R[k:, k:] -= 2 outer(v, v @ R[k:, k:]); Q[:, k:] -= 2 outer(Q[:, k:] @ v, v)
    # HINT 3: R = A.copy(); Q = eye(m); for k in range(min(m - 1, n)): x = R[k:, k], skip if |x| == 0;
    # HINT 3: v = ..., update R and Q; R[k+1:, k] = 0. Return (Q, R), or (Q[:, :p], R[:p, :]) with p = min(m, n)
    m, n = A.shape
    R, Q = A.copy(), np.eye(m)  # (m, n) becomes upper triangular; (m, m) accumulates H_1 H_2 ... H_p
    for k in range(min(m - 1, n)):  # the last row (when m <= n) needs no reflection
        x = R[k:, k]  # (m - k,) the part of column k to be mirrored onto e_1
        norm_x = np.linalg.norm(x)
        if norm_x == 0.0:
            continue  # nothing to zero out (rank-deficient column): skip, instead of dividing by 0
        v = x.copy()  # (m - k,)
        v[0] += np.copysign(norm_x, x[0])  # add sign(x_1) ||x||: two terms of one sign, nothing cancels
        v /= np.linalg.norm(v)  # unit vector, so H = I - 2 v v^T
        R[k:, k:] -= 2.0 * np.outer(v, v @ R[k:, k:])  # (m - k, n - k): H applied to the remaining rows
        Q[:, k:] -= 2.0 * np.outer(Q[:, k:] @ v, v)  # (m, m - k): Q <- Q H
        R[k + 1 :, k] = 0.0  # exact zeros below the diagonal
    p = m if mode == "complete" else min(m, n)
    return Q[:, :p], R[:p, :]  # (m, k), (k, n) reduced; (m, m), (m, n) complete
    # END SOLUTION


def orthogonality_loss(Q):
    """||Q^T Q - I|| (Frobenius norm): 0 for perfectly orthonormal columns."""
    Q = _as_matrix(Q, name="Q")
    # BEGIN SOLUTION
    # HINT 1: How far Q^T Q is from the identity, in the Frobenius norm.
    # HINT 2: norm(Q.T @ Q - I)
    return float(np.linalg.norm(Q.T @ Q - np.eye(Q.shape[1])))
    # END SOLUTION


def lstsq_qr(A, b):
    """The x minimising ||A x - b||_2, for a tall A (m, n), m >= n, of full column rank, via
    A = Q R; b has shape (m,) or (m, n_rhs), and x shape (n,) or (n, n_rhs)."""
    A = _as_matrix(A, tall=True)
    b = as_float_array(b, "b", finite=True)
    if b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError(f"b must have shape (m,) or (m, n_rhs) with m = {A.shape[0]}; got shape {b.shape}")
    # BEGIN SOLUTION
    # HINT 1: Put A = Q R in the normal equations, use Q^T Q = I; refuse a tiny diagonal entry of R (rank-deficient).
    # HINT 2: x solves R x = Q^T b; rank-deficient if min|diag R| <= max(m, n) eps max|diag R|
    # HINT 3: Q, R = householder_qr(A); diagonal = |diag(R)|; check rank; return np.linalg.solve(R, Q.T @ b)
    Q, R = householder_qr(A)  # (m, n), (n, n)
    diagonal = np.abs(np.diag(R))  # (n,)
    if diagonal.min() <= max(A.shape) * np.finfo(float).eps * diagonal.max():
        raise ValueError("A is rank-deficient (to working precision): the least-squares solution is not unique")
    # Q^T b keeps the part of b that A can reach; R x = Q^T b is triangular (ex04's back substitution; solve does the same).
    return np.linalg.solve(R, Q.T @ b)  # (n,) or (n, n_rhs)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    A = np.random.default_rng(0).standard_normal((6, 4))  # (6, 4)
    Q, R = householder_qr(A)
    print(f"Householder QR of a random 6 x 4 matrix: max |QR - A| = {np.max(np.abs(Q @ R - A)):.1e}, "
          f"||Q^T Q - I|| = {orthogonality_loss(Q):.1e}")

    # Orthogonality loss on Hilbert matrices H[i, j] = 1 / (i + j + 1) of growing size and condition number.
    methods = {"classical Gram-Schmidt": classical_gram_schmidt, "modified Gram-Schmidt": modified_gram_schmidt,
               "Householder": householder_qr}
    hilberts = [1.0 / (np.arange(n)[:, None] + np.arange(n)[None, :] + 1.0) for n in range(2, 13)]  # (n, n) each
    conditions = np.array([np.linalg.cond(H) for H in hilberts])  # (11,)
    losses = {name: np.array([orthogonality_loss(f(H)[0]) for H in hilberts]) for name, f in methods.items()}
    print(f"\n{'n':>3} | {'cond(H_n)':>9} | {'CGS':>9} | {'MGS':>9} | {'Householder':>11}   (||Q^T Q - I||)")
    for row, H in enumerate(hilberts):
        print(f"{len(H):3d} | {conditions[row]:9.1e} | " + " | ".join(f"{losses[name][row]:9.1e}" for name in methods))

    # Least squares: the coefficients (all 1) of a degree-12 polynomial from exact samples.
    V = np.vander(np.linspace(0.0, 1.0, 40), 13, increasing=True)  # (40, 13): columns 1, t, t^2, ...
    y = V @ np.ones(13)  # (40,)
    x_qr, x_normal = lstsq_qr(V, y), np.linalg.solve(V.T @ V, V.T @ y)  # (13,) each; A^T A squares cond(V)
    print(f"\nDegree-12 fit, cond(V) = {np.linalg.cond(V):.1e}: max error of the coefficients "
          f"{np.max(np.abs(x_qr - 1)):.1e} by QR, {np.max(np.abs(x_normal - 1)):.1e} by the normal equations")

    eps = np.finfo(float).eps
    fig, ax = plotting.new_figure(width=6.5, height=4.5)
    for color, (name, values) in zip([plotting.COLORS[3], plotting.COLORS[1], plotting.COLORS[0]], losses.items()):
        ax.loglog(conditions, values, "o-", ms=4, color=color, label=name)
    ax.loglog(conditions, np.minimum(eps * conditions**2, 10), ":", color="grey", label=r"$\epsilon\,\kappa^2$")
    ax.loglog(conditions, eps * conditions, "--", color="grey", label=r"$\epsilon\,\kappa$")
    ax.set(xlabel=r"condition number $\kappa$ of the Hilbert matrix $H_n$, n = 2..12",
           ylabel=r"loss of orthogonality $||Q^TQ - I||$", title="Gram-Schmidt loses orthogonality")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.08))
    plotting.show_or_save(fig, "ex07_qr_decomposition")


if __name__ == "__main__":
    main()
