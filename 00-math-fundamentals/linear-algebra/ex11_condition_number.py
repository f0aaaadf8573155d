"""
Exercise 11: the condition number, or how much a linear system amplifies errors

Learning goals
--------------
- Compute the condition number kappa(A) = sigma_max / sigma_min from the
  singular values, and say when a matrix counts as singular.
- Perturb b by a relative amount eps, re-solve A x = b, and watch the relative
  change in x stay below kappa(A) * eps, reaching it for the worst direction.
- Meet the Hilbert matrices, whose kappa grows like e^(3.5 n), and read
  log10(kappa) as "digits lost" when solving in float64.

The math
--------
A is square, of shape (n, n), with singular values sigma_1 >= ... >= sigma_n
(ex09). Its condition number in the 2-norm is
    kappa(A) = ||A|| ||A^{-1}|| = sigma_1 / sigma_n >= 1,
with kappa = 1 for orthogonal matrices (and their multiples), and kappa = inf
when A is singular. If A x = b and A (x + dx) = b + db, then dx = A^{-1} db and
    ||dx|| / ||x|| <= kappa(A) * ||db|| / ||b||,
because ||dx|| <= ||db|| / sigma_n and ||b|| <= sigma_1 ||x||. Equality holds
for b along u_1 and db along u_n (the first and last left singular vectors):
then x = v_1 / sigma_1 is as short as possible and dx = eps v_n / sigma_n as
long as possible. Rounding b to float64 is already a relative perturbation of
about u = 1.1e-16 (machine epsilon / 2), so a backward-stable solver loses
about log10(kappa) of the ~16 digits. The Hilbert matrix H_ij = 1 / (i + j + 1)
(i, j from 0) is the classic example: kappa(H_10) is about 1.6e13.
Numerically singular: when sigma_n <= n * eps * sigma_1 (eps = 2.2e-16), sigma_n
is indistinguishable from round-off and the computed ratio is meaningless; we
return inf there, exactly when np.linalg.matrix_rank says A is rank-deficient.
(np.linalg.cond returns the meaningless large number instead.)

Algorithm
---------
1. kappa: singular values s of A; if s[-1] <= max(m, n) * eps * s[0], return
   inf, else s[0] / s[-1].
2. Sensitivity: x = solve(A, b), x' = solve(A, b + db); report
   ||x' - x|| / ||x|| and ||db|| / ||b||.
3. Worst case: from the SVD, b = u_1 and db = eps * u_n.
4. Hilbert: H[i, j] = 1 / (i + j + 1) by broadcasting a column against a row.

References: L. Trefethen and D. Bau, Numerical Linear Algebra, lectures 12-13;
N. Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., ch. 7 and
sec. 28.1 (Hilbert matrices); G. Golub and C. Van Loan, Matrix Computations, 4th
ed., sec. 2.6.2.
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/linear-algebra/ex11_condition_number.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array, as_matrix, check_positive_int

# %% [markdown]
# ## Implementation


# %%
def condition_number(A):
    """kappa(A) = sigma_max / sigma_min >= 1 in the 2-norm, for A of shape (m, n); inf when
    sigma_min <= max(m, n) * eps * sigma_max. A non-square A gives its least-squares problem's kappa."""
    A = as_matrix(A)
    # BEGIN SOLUTION
    # HINT 1: The ratio of the largest to the smallest singular value; a smallest
    # HINT 1: one at round-off level means "singular to working precision" (inf).
    # HINT 2: s = svd(A, compute_uv=False); inf if s[-1] <= max(m, n) eps s[0]; else s[0] / s[-1]
    # HINT 3: s = np.linalg.svd(A, compute_uv=False)   # descending
    # HINT 3: if s[-1] <= max(A.shape) * np.finfo(float).eps * s[0]: return np.inf
    # HINT 3: return s[0] / s[-1]
    s = np.linalg.svd(A, compute_uv=False)  # (min(m, n),), descending
    # Below this threshold sigma_min is round-off, and so is the ratio. Comparing
    # (instead of dividing first) also covers the zero matrix without 0 / 0.
    if s[-1] <= max(A.shape) * np.finfo(float).eps * s[0]:
        return np.inf
    return s[0] / s[-1]
    # END SOLUTION


def hilbert(n):
    """The n x n Hilbert matrix, H[i, j] = 1 / (i + j + 1) for i, j = 0..n-1."""
    n = check_positive_int(n, "n")
    # BEGIN SOLUTION
    # HINT 1: Build the (n, n) matrix from a column and a row of indices with broadcasting (0-based!).
    # HINT 2: i = arange(n); 1 / (i[:, None] + i[None, :] + 1)
    i = np.arange(int(n))  # (n,)
    return 1.0 / (i[:, None] + i[None, :] + 1)  # (n, 1) + (1, n) -> (n, n)
    # END SOLUTION


def solution_sensitivity(A, b, delta_b):
    """(||x' - x|| / ||x||, ||delta_b|| / ||b||) for A x = b and A x' = b + delta_b, with A (n, n), b (n,).

    By the bound, the first is at most condition_number(A) times the second.
    """
    A = as_matrix(A, square=True)
    b, delta_b = as_float_array(b, "b"), as_float_array(delta_b, "delta_b")
    if b.shape != (A.shape[0],) or delta_b.shape != b.shape:
        raise ValueError(f"expected b and delta_b of shape ({A.shape[0]},); got {b.shape} and {delta_b.shape}")
    if not np.linalg.norm(b) > 0:
        raise ValueError("b must be nonzero: a relative change of the zero vector is undefined")
    # BEGIN SOLUTION
    # HINT 1: Solve twice, with and without the perturbation, and compare the relative changes.
    # HINT 2: x = solve(A, b); x_new = solve(A, b + delta_b); return |x_new - x| / |x|, |delta_b| / |b|
    x = np.linalg.solve(A, b)  # (n,)
    x_new = np.linalg.solve(A, b + delta_b)  # (n,)
    return np.linalg.norm(x_new - x) / np.linalg.norm(x), np.linalg.norm(delta_b) / np.linalg.norm(b)
    # END SOLUTION


def worst_case_perturbation(A, eps):
    """The b = u_1 and delta_b = eps u_n, each (n,), that make the bound an equality (||delta_b|| = eps ||b||)."""
    A = as_matrix(A, square=True)
    if not eps > 0:
        raise ValueError(f"eps must be positive; got {eps}")
    # BEGIN SOLUTION
    # HINT 1: The worst b lies along the largest singular direction, the worst perturbation
    # HINT 1: along the smallest one (they then get amplified by sigma_max / sigma_min).
    # HINT 2: U = svd(A)[0]; b = U[:, 0]; delta_b = eps * U[:, -1]
    U, _, _ = np.linalg.svd(A)  # (n, n), columns u_1 .. u_n
    return U[:, 0], eps * U[:, -1]
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    eps = 1e-10  # relative size of the perturbation of b
    print(f"Hilbert matrices: solve H x = H @ ones, then perturb b by a relative eps = {eps:g}")
    print("{:>3} {:>13} {:>15} {:>13} {:>13} {:>10}".format("n", "kappa (ours)", "np.linalg.cond", "rounding err",
                                                           "worst change", "kappa*eps"))
    rows = []
    for n in range(2, 15):
        H = hilbert(n)  # (n, n)
        kappa = condition_number(H)
        x_true = np.ones(n)  # (n,)
        b = H @ x_true  # (n,)
        rounding = np.linalg.norm(np.linalg.solve(H, b) - x_true) / np.linalg.norm(x_true)
        if not np.isfinite(kappa):
            print(f"{n:>3} {'inf':>13} {np.linalg.cond(H):>15.3e} {rounding:>13.1e}   (numerically singular)")
            continue
        deltas = rng.standard_normal((200, n))  # (200, n) random directions for db
        deltas *= eps * np.linalg.norm(b) / np.linalg.norm(deltas, axis=1, keepdims=True)  # ||db|| = eps ||b||
        random_changes = np.array([solution_sensitivity(H, b, db)[0] for db in deltas])  # (200,)
        worst = solution_sensitivity(H, *worst_case_perturbation(H, eps))[0]
        rows.append((kappa, rounding, np.median(random_changes), random_changes.min(), random_changes.max(), worst))
        print(f"{n:>3} {kappa:>13.3e} {np.linalg.cond(H):>15.3e} {rounding:>13.1e} {worst:>13.3e} {kappa * eps:>10.3e}")

    kappas, rounding, medians, lows, highs, worst = np.array(rows).T  # each (n_finite,)
    fig, ax = plotting.new_figure(width=6.5, height=4.6)
    ax.loglog(kappas, kappas * eps, color="black", lw=1, label=r"bound $\kappa \cdot \varepsilon$")
    ax.loglog(kappas, worst, "v", color=plotting.COLORS[3], ms=7, label=r"worst case: $b = u_1$, $\delta b \propto u_n$")
    ax.errorbar(kappas, medians, yerr=[medians - lows, highs - medians], fmt="o", ms=4, capsize=3,
                color=plotting.COLORS[0], label=r"random $\delta b$: median, min-max")
    ax.loglog(kappas, kappas * np.finfo(float).eps / 2, color="grey", ls="--", lw=1, label=r"$\kappa \cdot u$ (rounding, u = 1.1e-16)")
    ax.loglog(kappas, rounding, "s", ms=4, color="grey", label=r"rounding only: $\delta b = 0$")
    ax.set(xlabel=r"condition number $\kappa(H_n)$, n = 2..10", ylabel=r"relative change in x,  $\|\delta x\| / \|x\|$",
           title=rf"Relative change in x for $\|\delta b\| / \|b\|$ = {eps:g}")
    ax.legend(loc="upper left", fontsize=8)
    plotting.show_or_save(fig, "ex11_condition_number")


if __name__ == "__main__":
    main()
