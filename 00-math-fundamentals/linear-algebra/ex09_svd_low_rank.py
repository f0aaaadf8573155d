"""
Exercise 09: the SVD by subspace iteration, and the best rank-k approximation

Learning goals
--------------
- Compute the top k singular triplets (sigma_i, u_i, v_i) of any matrix with
  matrix products, QR and a tiny eigenproblem; check them against np.linalg.svd.
- Build the rank-k approximation A_k = sum_{i<=k} sigma_i u_i v_i^T and verify
  the Eckart-Young fact ||A - A_k||_F^2 = sigma_{k+1}^2 + ... + sigma_r^2.
- Compress a photograph: see what k = 5, 20, 50 keep; read the spectrum as
  "how much energy each rank adds".

The math
--------
A has shape (m, n). Its SVD is A = U S V^T with U (m, r) and V (n, r) having
orthonormal columns, S = diag(sigma_1 >= ... >= sigma_r > 0), r = rank(A).
Column by column: A v_i = sigma_i u_i and A^T u_i = sigma_i v_i, so the v_i are
eigenvectors of A^T A (shape (n, n)) with eigenvalues sigma_i^2.
Subspace iteration runs power iteration (ex08) on a block of l = k + p
orthonormal vectors at once, V of shape (n, l): V <- orth(A^T A V). The span of
V turns towards the top-l right singular vectors. Inside that span the best
approximations (Rayleigh-Ritz) come from the small l x l symmetric matrix
    H = (A V)^T (A V) = V^T A^T A V:
if H = W diag(theta) W^T then the columns of V W are the Ritz vectors and theta
estimates sigma^2. The extra p "oversampling" columns make the top k converge
like (sigma_{l+1} / sigma_i)^2 per step instead of (sigma_{i+1} / sigma_i)^2,
which matters when neighbouring singular values are close (photographs!).
Eckart-Young: A_k = U_k S_k V_k^T is the closest matrix of rank <= k to A in the
Frobenius norm, and the error is exactly what it leaves out,
    ||A - A_k||_F^2 = sum_{i>k} sigma_i^2 = ||A||_F^2 - sum_{i<=k} sigma_i^2,
so the "energy kept" sum_{i<=k} sigma_i^2 / ||A||_F^2 tells the error before we build A_k.

Algorithm
---------
1. Start from V = orth(random (n, l)), l = min(k + p, m, n).
2. Repeat: AV = A V; solve the small eigenproblem of AV^T AV (np.linalg.eigh,
   sorted descending); rotate V <- V W, AV <- AV W; Z = A^T AV.
3. Stop when every wanted residual ||Z_i - theta_i v_i|| <= tol * theta_1;
   otherwise V <- orth(Z) (QR) and repeat. After max_iter, warn.
4. U, R = qr(AV[:, :k]); sigma_i = |R_ii| (= ||A v_i||); flip the sign of u_i
   where R_ii < 0, so that A v_i = sigma_i u_i.
5. A_k = U_k diag(sigma_1..k) V_k^T, as (U_k * sigma) @ V_k^T.

References: G. Golub and C. Van Loan, Matrix Computations, 4th ed., sec. 2.4 (SVD,
Eckart-Young) and 8.2.4 (orthogonal iteration); Y. Saad, Numerical Methods for Large
Eigenvalue Problems, 2nd ed., sec. 5.2 (Rayleigh-Ritz); N. Halko, P. Martinsson, J. Tropp,
SIAM Review 53 (2011) (oversampling); C. Eckart and G. Young, Psychometrika 1 (1936).
Difficulty: 2 of 3, about 35 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex09_svd_low_rank.py
"""

# %%
import warnings

import numpy as np

import utils
from utils import data, plotting
from utils.validation import as_float_array, check_no_overflow, check_non_negative_int, check_positive_int, check_positive_number


class ConvergenceWarning(UserWarning):
    """Subspace iteration stopped at max_iter before the tolerance was met (as in exercise 08)."""


# %% [markdown]
# ## Implementation


# %%
def _check_k(k, limit, bound="min(m, n)"):
    if isinstance(k, bool) or int(k) != k or not 1 <= k <= limit:
        raise ValueError(f"k must be an integer between 1 and {limit} ({bound}); got {k!r}")
    return int(k)


def top_k_svd(A, k, oversample=10, tol=1e-8, max_iter=500, random_state=None):
    """The top k singular triplets of A (m, n), 1 <= k <= min(m, n): U (m, k) and Vt (k, n) orthonormal,
    s (k,) descending, as np.linalg.svd(A, full_matrices=False) cut to k (each (u_i, v_i) up to a common sign;
    for sigma_i = 0, u_i is any unit vector orthogonal to the others). `oversample` extra columns p speed up
    convergence; stop when ||A^T A v_i - sigma_i^2 v_i|| <= tol * sigma_1^2 for i = 1..k, or warn at max_iter."""
    A = as_float_array(A, "A", finite=True)
    if A.ndim != 2 or A.size == 0:
        raise ValueError(f"A must be a non-empty matrix of shape (m, n); got shape {A.shape}")
    check_no_overflow(A, "A")  # A^T A squares the entries
    m, n = A.shape
    k = _check_k(k, min(m, n), f"min(m, n) for A of shape {A.shape}")
    oversample, tol = check_non_negative_int(oversample, "oversample"), check_positive_number(tol, "tol")
    max_iter = check_positive_int(max_iter, "max_iter")
    n_cols = min(k + oversample, m, n)  # l: we never need more columns than the rank allows
    rng = data.as_rng(random_state)
    V, _ = np.linalg.qr(rng.standard_normal((n, n_cols)))  # (n, l), orthonormal start
    # BEGIN SOLUTION
    # HINT 1: Block power iteration on A^T A: each round, solve the small l x l eigenproblem inside span(V)
    # HINT 1: (Rayleigh-Ritz), check the residuals, multiply by A^T A, re-orthonormalise; then QR of A v_i.
    # HINT 2: theta, W = eigh((A V)^T (A V)) (descending); V <- V W; Z = A^T (A V); residual_i = |Z_i - theta_i V_i|
    # HINT 2: converged when max residual <= tol * theta[0]; then U, R = qr(A V[:, :k]); s = |diag R|
    # HINT 3: repeat: AV = A @ V; theta, W = eigh(AV.T @ AV) reversed; V, AV = V @ W, AV @ W; Z = A.T @ AV;
    # HINT 3: stop if the first k residuals are small; V = qr(Z)[0]. Then flip U's columns where diag(R) < 0
    converged = False
    for _ in range(max_iter):
        AV = A @ V  # (m, l)
        # Rayleigh-Ritz: the best estimates inside span(V) come from the tiny l x l problem, solved by
        # np.linalg.eigh (ex08 showed how); it returns ascending eigenvalues, we want descending.
        theta, W = np.linalg.eigh(AV.T @ AV)  # (l,), (l, l)
        theta, W = theta[::-1], W[:, ::-1]
        V, AV = V @ W, AV @ W  # (n, l), (m, l): Ritz vectors and their images
        Z = A.T @ AV  # (n, l) = A^T A V, one block power-iteration step
        residuals = np.linalg.norm(Z[:, :k] - V[:, :k] * theta[:k], axis=0)  # (k,)
        converged = residuals.max() <= tol * theta[0]  # "<=": the zero matrix (theta_1 = 0) has converged
        if converged:
            break
        # Orthonormalise, or every column turns towards v_1 and the block collapses onto one direction.
        V, _ = np.linalg.qr(Z)  # (n, l)
    # sigma_i = ||A v_i|| measured directly (sqrt(theta_i) would square the condition and lose the small
    # sigmas); QR of AV gives orthonormal u_i = A v_i / sigma_i, and still an orthonormal u_i for sigma_i = 0.
    U, R = np.linalg.qr(AV[:, :k])  # (m, k), (k, k) ~ diag(+-sigma)
    U = U * np.where(np.diag(R) < 0, -1.0, 1.0)  # (m, k), signs flipped so that A v_i = +sigma_i u_i
    s, Vt = np.abs(np.diag(R)), V[:, :k].T  # (k,), (k, n)
    # END SOLUTION
    if not converged:
        warnings.warn(f"subspace iteration did not reach tol={tol} in max_iter={max_iter} steps; try more "
                      "oversampling or more steps. Returning the last estimate.", ConvergenceWarning, stacklevel=2)
    return U, s, Vt


def rank_k_approximation(U, s, Vt, k):
    """A_k = sum_{i<=k} s_i u_i v_i^T, of shape (m, n) and rank <= k, from an SVD U (m, r), s (r,), Vt (r, n)."""
    U, s, Vt = (np.asarray(x, dtype=float) for x in (U, s, Vt))
    if U.ndim != 2 or Vt.ndim != 2 or s.shape != (U.shape[1],) or Vt.shape[0] != s.size:
        raise ValueError(f"expected U (m, r), s (r,), Vt (r, n); got {U.shape}, {s.shape}, {Vt.shape}")
    k = _check_k(k, s.size, "r, the length of s")
    # BEGIN SOLUTION
    # HINT 1: Scale U's first k columns by the singular values, then one matrix product with Vt.
    # HINT 2: (U[:, :k] * s[:k]) @ Vt[:k]  # (m, k) @ (k, n)
    # Scale the k columns of U by the sigmas, then one product: O(m n k), no (m, n) outer product per term.
    return (U[:, :k] * s[:k]) @ Vt[:k]  # (m, k) @ (k, n) -> (m, n)
    # END SOLUTION


def energy_kept(s, total_energy):
    """(k,): entry j-1 is (sigma_1^2 + ... + sigma_j^2) / ||A||_F^2, for the leading singular values s (k,),
    descending, and total_energy = ||A||_F^2 (the sum of ALL sigma_i^2)."""
    s = as_float_array(s, "s")
    if s.ndim != 1 or not total_energy > 0:
        raise ValueError(f"expected s of shape (k,) and total_energy > 0; got {s.shape} and {total_energy}")
    # BEGIN SOLUTION
    # HINT 1: The fraction of the total squared singular values kept by the first 1, 2, ... components.
    # HINT 2: np.cumsum(s**2) / total_energy
    return np.cumsum(s**2) / total_energy  # (k,)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    image = data.load_sample_image("china")  # (427, 640), gray values in [0, 1]
    # Every second pixel and ranks up to 50; the quick run (MLSC_QUICK=1) takes every fourth
    # pixel and ranks up to 20, an eighth of the work per iteration (m n (k + 10) multiply-adds).
    step, ranks = (4, [5, 10, 20]) if utils.quick_mode() else (2, [5, 20, 50])
    A = image[::step, ::step]  # (107, 160) quick, (214, 320) full
    m, n = A.shape
    U, s, Vt = top_k_svd(A, max(ranks), random_state=0)
    total = np.sum(A**2)  # ||A||_F^2, no SVD needed
    kept = energy_kept(s, total)  # (max(ranks),)
    s_lib = np.linalg.svd(A, compute_uv=False)  # (min(m, n),), compare with the library: LAPACK's full SVD
    print(f"Image {m} x {n}; top {max(ranks)} singular triplets by subspace iteration; max relative difference "
          f"from np.linalg.svd {np.max(np.abs(s - s_lib[: s.size]) / s_lib[: s.size]):.1e}")
    print(f"{'k':>3} {'energy kept':>12} {'rel. error':>11} {'Eckart-Young':>13} {'storage':>8}")
    fig, axes = plotting.new_figure(1, 5, width=3.6, height=3.2)
    axes[0].imshow(A, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title("original", fontsize=9)
    for ax, k in zip(axes[1:], ranks):
        A_k = rank_k_approximation(U, s, Vt, k)  # (m, n)
        error = np.linalg.norm(A - A_k) / np.sqrt(total)
        predicted = np.sqrt(max(1.0 - kept[k - 1], 0.0))  # sqrt(sum of the discarded sigma^2) / ||A||_F
        storage = k * (m + n + 1) / (m * n)  # U_k, s_k, V_k instead of every pixel
        print(f"{k:>3} {kept[k - 1]:>12.4%} {error:>11.4f} {predicted:>13.4f} {storage:>8.1%}")
        ax.imshow(np.clip(A_k, 0, 1), cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"rank {k}: {kept[k - 1]:.1%} energy, {storage:.0%} storage", fontsize=9)
    for ax in axes[:-1]:
        ax.axis("off")
    axes[-1].semilogy(np.arange(1, s_lib.size + 1), s_lib, color="grey", label="np.linalg.svd (all)")
    axes[-1].semilogy(np.arange(1, s.size + 1), s, "o", ms=3, color=plotting.COLORS[0], label=f"ours (top {s.size})")
    axes[-1].set(xlabel="index i", ylabel=r"$\sigma_i$", title="Singular value spectrum")
    axes[-1].legend()
    fig.suptitle("Low-rank approximation of a photograph (Eckart-Young: the best rank k)")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex09_svd_low_rank")


if __name__ == "__main__":
    main()
