"""
Exercise 04: ridge regression, in closed form and by gradient descent

Learning goals
--------------
- Add an L2 penalty to least squares and solve it exactly with one linear solve; leave the intercept out
  of the penalty by centring the data.
- Solve the same problem by gradient descent and see how the penalty speeds it up: it lifts the smallest
  curvature, so the condition number drops.
- Draw the coefficient path over alpha from one SVD, and watch every coefficient shrink towards zero as
  the penalty grows.

The math
--------
X has shape (n_samples, n_features) = (n, d), y shape (n,). Ridge (scikit-learn's objective) minimises
    J(w, b) = ||y - X w - b||^2 + alpha ||w||^2,         alpha >= 0.
The intercept b is not penalised. Setting dJ/db = 0 gives b = mean(y) - mean(X) w, so with centred data
Xc = X - mean(X), yc = y - mean(y) the problem is in w alone:
    (Xc^T Xc + alpha I) w = Xc^T yc,     (d, d) system, positive definite for alpha > 0.
With the SVD Xc = U diag(s) V^T, the whole path over alpha costs one factorisation:
    w(alpha) = V diag(s / (s^2 + alpha)) U^T yc,
so each direction v_j is shrunk by s_j^2 / (s_j^2 + alpha); ||w(alpha)|| falls monotonically, and
df(alpha) = sum_j s_j^2 / (s_j^2 + alpha) counts the "effective number of parameters" (d at alpha = 0,
0 as alpha -> infinity).

Gradient descent on J / (2n): gradient g(w) = (Xc^T (Xc w - yc) + alpha w) / n, whose curvature lies
between mu = (s_min^2 + alpha) / n and L = (s_max^2 + alpha) / n. With the step lr = 1/L, the error
shrinks by at least (1 - mu / L) per step (steps above 2/L diverge): a larger alpha means a smaller
L / mu and faster convergence.

Algorithm
---------
1. Centre X and y (if fit_intercept); remember the means.
2. Closed form: solve (Xc^T Xc + alpha I) w = Xc^T yc (np.linalg.solve, never inv; alpha = 0 uses
   lstsq, which also handles dependent columns).
3. Gradient descent: w = 0, then w <- w - lr g(w) until max |g| < tol.
4. b = mean(y) - mean(X) w.
5. Path: one SVD of Xc, then w(alpha) for every alpha at once.

References: A. E. Hoerl, R. W. Kennard, "Ridge regression: biased estimation for nonorthogonal
problems", Technometrics 12, 1970; T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical
Learning, 2nd ed., 2009, ch. 3.4.1; S. Boyd, L. Vandenberghe, Convex Optimization, 2004, ch. 9.3.
Difficulty: 1 of 3, about 30 minutes.
Run: python 05-model-optimization/ex04_ridge.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, RegressorMixin
from utils.validation import (as_float_array, check_fitted, check_no_overflow, check_option,
                               check_positive_int, check_positive_number, check_X, check_X_y)


# %% [markdown]
# ## Two solvers for the same problem


# %%
def center_data(X, y, fit_intercept=True):
    """(X - mean(X), y - mean(y), mean(X), mean(y)), zero means when fit_intercept=False: on centred data the
    unpenalised intercept drops out and comes back as b = mean(y) - mean(X) w (the lasso, ex05, too)."""
    X, y = check_X_y(X, y, numeric_y=True)
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), float(y.mean())  # (n_features,), float
    else:
        x_mean, y_mean = np.zeros(X.shape[1]), 0.0
    return X - x_mean, y - y_mean, x_mean, y_mean  # (n_samples, n_features), (n_samples,), (n_features,), float


def ridge_closed_form(X, y, alpha):
    """w minimising ||y - X w||^2 + alpha ||w||^2 (no intercept), shape (n_features,)."""
    X, y = check_X_y(X, y, numeric_y=True)
    alpha = check_positive_number(alpha, "alpha", allow_zero=True)
    # BEGIN SOLUTION
    # HINT 1: Adding alpha to the diagonal makes the normal equations positive
    # HINT 1: definite; alpha = 0 is plain least squares, which may be singular.
    # HINT 2: (X.T @ X + alpha * I) w = X.T @ y; alpha == 0: np.linalg.lstsq(X, y)
    # HINT 3: if alpha == 0: return np.linalg.lstsq(X, y, rcond=None)[0]
    # HINT 3: A = X.T @ X + alpha * np.eye(d); return np.linalg.solve(A, X.T @ y)
    if alpha == 0:
        # Plain least squares: lstsq (SVD) also copes with dependent columns (minimum-norm w).
        return np.linalg.lstsq(X, y, rcond=None)[0]  # (n_features,)
    A = X.T @ X + alpha * np.eye(X.shape[1])  # (n_features, n_features), positive definite for alpha > 0
    return np.linalg.solve(A, X.T @ y)  # solve, not inv: one factorisation, less round-off
    # END SOLUTION


def lipschitz_constant(X, alpha):
    """L = (s_max^2 + alpha) / n, the largest curvature of J / (2n)."""
    X = check_no_overflow(check_X(X), "X")
    return (np.linalg.norm(X, ord=2) ** 2 + alpha) / len(X)  # ord=2: the largest singular value


def ridge_gradient_descent(X, y, alpha, lr=None, max_iter=100_000, tol=1e-10):
    """Minimise (||y - X w||^2 + alpha ||w||^2) / (2n) by gradient descent from w = 0, with step lr (None: 1/L,
    always safe; it must be below 2/L), at most max_iter steps, until max |g| < tol.
    Returns coef (n_features,) and grad_norms (n_iter,), max |g| before each step."""
    X, y = check_X_y(X, y, numeric_y=True)
    alpha = check_positive_number(alpha, "alpha", allow_zero=True)
    L = lipschitz_constant(X, alpha)
    lr = 1.0 / L if lr is None else lr
    if not 0 < lr < 2.0 / L:
        raise ValueError(f"lr must be between 0 and 2/L = {2.0 / L:.4g} or gradient descent diverges; got {lr!r}")
    # BEGIN SOLUTION
    # HINT 1: Gradient of the ridge objective divided by n; stop when its largest entry is below tol.
    # HINT 2: grad = (X.T @ (X @ w - y) + alpha * w) / n; w <- w - lr * grad
    # HINT 3: w = zeros(d); grad_norms = []
    # HINT 3: repeat max_iter: grad = ...; grad_norms.append(max|grad|); break if < tol;
    # HINT 3:   w = w - lr * grad
    # HINT 3: return w, np.array(grad_norms)
    n = len(X)
    w = np.zeros(X.shape[1])  # (n_features,)
    grad_norms = []
    for _ in range(max_iter):
        grad = (X.T @ (X @ w - y) + alpha * w) / n  # (n_features,)
        grad_norms.append(np.max(np.abs(grad)))
        if grad_norms[-1] < tol:
            break
        w = w - lr * grad
    return w, np.array(grad_norms)
    # END SOLUTION


def ridge_path(X, y, alphas, fit_intercept=True):
    """Coefficients for every alpha from one SVD: returns coefs (n_alphas, n_features) and intercepts (n_alphas,)."""
    X, y = check_X_y(X, y, numeric_y=True)
    alphas = as_float_array(alphas, "alphas")
    if alphas.ndim != 1 or np.any(alphas < 0):
        raise ValueError(f"alphas must be a 1-D array of non-negative numbers; got {alphas!r}")
    Xc, yc, x_mean, y_mean = center_data(X, y, fit_intercept)
    # BEGIN SOLUTION
    # HINT 1: One SVD of the centred X serves every alpha: ridge only rescales each singular direction.
    # HINT 2: w(alpha) = V diag(s / (s^2 + alpha)) U^T yc; the factor is 0 where s^2 + alpha == 0
    # HINT 3: U, s, Vt = np.linalg.svd(Xc, full_matrices=False); uty = U.T @ yc
    # HINT 3: denominator = s[None, :]**2 + alphas[:, None]   # (n_alphas, r)
    # HINT 3: factors = np.divide(s, denominator, out=zeros, where=denominator > 0)
    # HINT 3: coefs = (factors * uty[None, :]) @ Vt   # (n_alphas, d)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)  # U (n_samples, r), s (r,), Vt (r, n_features)
    uty = U.T @ yc  # (r,)
    # s / (s^2 + alpha); where s = alpha = 0 (a dependent column, no penalty) the limit is 0 (minimum norm).
    denominator = s[None, :] ** 2 + alphas[:, None]  # (n_alphas, r)
    factors = np.divide(s[None, :], denominator, out=np.zeros_like(denominator), where=denominator > 0)
    coefs = (factors * uty[None, :]) @ Vt  # (n_alphas, n_features)
    # END SOLUTION
    return coefs, y_mean - coefs @ x_mean


def effective_degrees_of_freedom(X, alphas):
    """df(alpha) = sum_j s_j^2 / (s_j^2 + alpha) for the centred X, shape (n_alphas,)."""
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)  # (r,)
    alphas = as_float_array(alphas, "alphas")
    return (s[None, :] ** 2 / (s[None, :] ** 2 + alphas[:, None])).sum(axis=1)  # (n_alphas,)


# %% [markdown]
# ## The estimator


# %%
class LinearModel(RegressorMixin, BaseEstimator):
    """predict and score for a fitted model y ~ X coef_ + intercept_ (Ridge here, ElasticNet in ex05)."""

    def predict(self, X):
        """X w + b, shape (n_samples,)."""
        check_fitted(self, "coef_")
        return check_X(X, n_features=self.n_features_in_, owner=f"this {type(self).__name__}") @ self.coef_ + self.intercept_

    def score(self, X, y):
        """R^2 on (X, y): RegressorMixin's 1 - SS_res / SS_tot (module 03), after checking the input."""
        X, y = check_X_y(X, y, numeric_y=True)
        return super().score(X, y)


class Ridge(LinearModel):
    """Least squares with an L2 penalty alpha >= 0 on the coefficients, not the intercept (scikit-learn's
    scale: no 1/n). solver: "closed_form" or "gd" (gradient descent with lr = 1/L; max_iter, tol).
    Learns coef_ (n_features,), intercept_, n_features_in_, and n_iter_ (the gradient steps, solver="gd")."""

    def __init__(self, alpha=1.0, fit_intercept=True, solver="closed_form", max_iter=100_000, tol=1e-10):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y):
        """Learn coef_ and intercept_; returns self."""
        X, y = check_X_y(X, y, numeric_y=True)
        if not self.alpha >= 0:
            raise ValueError(f"alpha must be a non-negative number; got {self.alpha!r}")
        check_option(self.solver, "solver", ("closed_form", "gd"))
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.tol, "tol", allow_zero=True)  # 0: run all max_iter steps
        # BEGIN SOLUTION
        # HINT 1: Centre the data so the intercept drops out, solve for coef_, then recover the intercept.
        # HINT 2: intercept_ = y_mean - x_mean @ coef_
        # HINT 3: Xc, yc, x_mean, y_mean = center_data(X, y, fit_intercept)
        # HINT 3: closed_form: coef_ = ridge_closed_form(Xc, yc, alpha)
        # HINT 3: else: coef_, norms = ridge_gradient_descent(Xc, yc, alpha, ...); n_iter_ = len(norms)
        # HINT 3: intercept_ = float(y_mean - x_mean @ coef_)
        Xc, yc, x_mean, y_mean = center_data(X, y, self.fit_intercept)  # the intercept drops out of the problem
        if self.solver == "closed_form":
            self.coef_ = ridge_closed_form(Xc, yc, self.alpha)
        else:
            self.coef_, grad_norms = ridge_gradient_descent(Xc, yc, self.alpha, max_iter=self.max_iter, tol=self.tol)
            self.n_iter_ = len(grad_norms)
        self.intercept_ = float(y_mean - x_mean @ self.coef_)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self


# %% [markdown]
# ## Demo: the path on the diabetes data


# %%
def main():
    X, y, names, _ = data.load_diabetes(return_names=True)
    X = X * np.sqrt(len(X))  # the loader's columns have unit norm; now each has standard deviation 1

    alphas = np.logspace(-2, 5, 60)
    coefs, _ = ridge_path(X, y, alphas)  # (60, 10)

    print(f"{'alpha':>8} {'df':>6} {'||w||':>8}  closed form vs gradient descent")
    for alpha in [0.0, 1.0, 100.0, 10_000.0]:
        closed = Ridge(alpha=alpha).fit(X, y)
        gd = Ridge(alpha=alpha, solver="gd").fit(X, y)
        dof = effective_degrees_of_freedom(X, [alpha])[0]
        print(f"{alpha:>8g} {dof:>6.2f} {np.linalg.norm(closed.coef_):>8.2f}  "
              f"max |difference| {np.max(np.abs(closed.coef_ - gd.coef_)):.1e} after {gd.n_iter_} steps")

    from sklearn.linear_model import Ridge as SklearnRidge  # compare with the library

    reference = SklearnRidge(alpha=1.0).fit(X, y).coef_
    print(f"\nscikit-learn's Ridge(alpha=1): max |coef difference| = {np.max(np.abs(reference - Ridge(alpha=1.0).fit(X, y).coef_)):.1e}")

    fig, (ax_path, ax_gd) = plotting.new_figure(1, 2, width=5.6, height=4.3)
    for j, name in enumerate(names):
        ax_path.plot(alphas, coefs[:, j], label=name, color=plotting.COLORS[j % len(plotting.COLORS)],
                     linestyle="-" if j < len(plotting.COLORS) else "--")
    ax_path.axhline(0.0, color="black", linewidth=0.8)
    ax_path.set(xscale="log", xlabel="alpha (log scale)", ylabel="coefficient")
    ax_path.set_title("Ridge path on diabetes: the weights shrink towards 0", pad=38)
    ax_path.legend(ncol=2, fontsize=8, loc="upper right")
    top = ax_path.secondary_xaxis("top", functions=(lambda a: a, lambda a: a))
    ticks = [0.01, 1.0, 100.0, 10_000.0]
    top.set_xticks(ticks, labels=[f"{d:.1f}" for d in effective_degrees_of_freedom(X, ticks)])
    top.set_xlabel("effective degrees of freedom df(alpha)")

    Xc, yc, _, _ = center_data(X, y)
    s = np.linalg.svd(Xc, compute_uv=False)  # singular values, for the condition number of each alpha
    for alpha in [1.0, 100.0, 1000.0]:
        _, grad_norms = ridge_gradient_descent(Xc, yc, alpha, max_iter=3000, tol=1e-8)
        ratio = (s[0] ** 2 + alpha) / (s[-1] ** 2 + alpha)
        ax_gd.plot(np.arange(len(grad_norms)), grad_norms, label=f"alpha = {alpha:g} (L/mu = {ratio:.0f})")
    ax_gd.set(yscale="log", xlabel="gradient step (lr = 1/L)", ylabel="max |gradient|")
    ax_gd.set_title("Gradient descent: a larger alpha converges faster", pad=38)
    ax_gd.legend()
    plotting.show_or_save(fig, "ex04_ridge")


if __name__ == "__main__":
    main()
