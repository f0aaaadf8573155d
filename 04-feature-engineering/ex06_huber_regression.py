"""
Exercise 06: Huber regression, a loss that outliers cannot drag

Learning goals
--------------
- See how a few bad points drag a least-squares line, and how a Huber loss
  (squares for small residuals, absolute values for large ones) resists them.
- Fit it by iteratively reweighted least squares (IRLS) on scikit-learn's
  objective, scale included; compare with dropping exercise 05's MAD outliers.

The math
--------
X has shape (n_samples, n_features) = (n, d), w shape (d,), b the intercept,
sigma > 0 a scale learned with them, r = y - X w - b. We minimise

    F(w, b, sigma) = sum_i [ sigma + sigma * H(r_i / sigma) ] + alpha ||w||^2,
    H(z) = z^2 if |z| <= epsilon, else 2 epsilon |z| - epsilon^2.

Large residuals cost linearly: they pull with a bounded force. For a fixed sigma,
dF/d(w, b) = 0 is weighted least squares with omega_i = min(1, epsilon sigma / |r_i|):

    (A^T Omega A + sigma alpha P) theta = A^T Omega y,     A = [X 1], theta = (w, b),
    P = diag(1, ..., 1, 0) (the intercept is not penalised).
For fixed (w, b), dF/dsigma = n - epsilon^2 n_out - sum_{inliers} r_i^2 / sigma^2 = 0
gives sigma^2 = sum_{inliers} r_i^2 / (n - epsilon^2 n_out), for the set of
inliers (|r_i| <= epsilon sigma) that is consistent with that sigma.

Algorithm
---------
1. Start from least squares and a MAD scale. Repeat until nothing moves:
   a. weights omega from the current residuals; solve the weighted system for theta;
   b. try every inlier set (the k smallest |r_i|) for sigma and keep the best.
   Both steps lower F, which is convex in (w, b, sigma).
2. Demo: a line with 10 corrupted targets: least squares, without MAD outliers, Huber.

References: P. J. Huber, Robust Statistics, Wiley, 1981, ch. 7; A. B. Owen, "A robust
hybrid of lasso and ridge regression", 2007 (the joint scale, as in scikit-learn).
Difficulty: 3 of 3, about 35 minutes.
Run: python 04-feature-engineering/ex06_huber_regression.py
"""

# %%
import numpy as np

from utils import plotting
from utils.base import BaseEstimator, RegressorMixin
from utils.validation import as_float_array, check_fitted, check_positive_int, check_positive_number, check_same_length, check_X, check_X_y


# %% [markdown]
# ## Implementation: Huber regression by IRLS


# %%
def huber_objective(params, X, y, epsilon=1.35, alpha=1e-4):
    """scikit-learn's Huber objective F at params = (w_1..w_d, b, sigma); a float."""
    w, b, sigma = params[:-2], params[-2], params[-1]
    # BEGIN SOLUTION
    # HINT 1: Split residuals by |r| <= epsilon sigma into a quadratic part and a linear part.
    # HINT 2: F = n sigma + sum_in r^2 / sigma + sum_out (2 eps |r| - sigma eps^2) + alpha w.w
    # HINT 3: r = y - X @ w - b; outside = |r| > epsilon * sigma; squared = sum(r[~outside]**2) / sigma
    # HINT 3: linear = sum(2 eps |r_out| - sigma eps^2); return n * sigma + squared + linear + alpha w.w
    r = y - X @ w - b  # (n_samples,)
    outside = np.abs(r) > epsilon * sigma  # (n_samples,)
    squared = np.sum(r[~outside] ** 2) / sigma
    linear = np.sum(2.0 * epsilon * np.abs(r[outside]) - sigma * epsilon**2)
    return float(len(y) * sigma + squared + linear + alpha * w @ w)
    # END SOLUTION


def best_scale(residuals, epsilon):
    """The sigma > 0 that minimises F for fixed residuals (exact: tries every inlier set)."""
    residuals = as_float_array(residuals, "residuals", ndim=1, finite=True, allow_empty=False)
    a, n = np.sort(np.abs(residuals)), residuals.size  # a: (n_samples,), ascending
    # BEGIN SOLUTION
    # HINT 1: For a fixed set of outliers (the largest |r|), F in sigma has a closed-form
    # HINT 1: minimiser; try every number of outliers and keep the candidate with the smallest F.
    # HINT 2: with n_out outliers: sigma^2 = (sum of the n_in smallest a^2) / (n - eps^2 n_out)
    # HINT 3: n_out = arange(n); sums = cumsum(a**2)[n - n_out - 1]; keep n - eps**2 n_out > 0
    # HINT 3: F(sigma) = huber_objective([b=0, sigma], X with no columns, y=residuals); argmin
    n_out = np.arange(n)  # (n_samples,): 0 .. n-1 outliers, the largest |r| are the outliers
    sums = np.cumsum(a**2)[n - n_out - 1]  # (n_samples,), sum of the n_in smallest squared residuals
    denominator = n - epsilon**2 * n_out
    ok = denominator > 0  # otherwise dF/dsigma < 0 there: sigma must grow
    candidates = np.maximum(np.sqrt(sums[ok] / denominator[ok]), 1e-12)  # (n_ok,); a perfect fit gives 0
    values = [huber_objective(np.array([0.0, s]), np.empty((n, 0)), residuals, epsilon, 0.0) for s in candidates]
    return float(candidates[np.argmin(values)])
    # END SOLUTION


class HuberRegressor(RegressorMixin, BaseEstimator):
    """Linear regression with the Huber loss and a jointly learned scale (scikit-learn's objective).

    Parameters
    ----------
    epsilon : float >= 1, residuals beyond epsilon * scale_ count linearly
    alpha : float >= 0, the L2 penalty on coef_
    max_iter : int; tol : float, stop when no parameter moves more than tol * (1 + its size)

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,); intercept_, scale_ : float; n_iter_ : int
    outliers_ : ndarray of bool, shape (n_samples,), |residual| > epsilon * scale_
    """

    def __init__(self, epsilon=1.35, alpha=1e-4, max_iter=1000, tol=1e-10):
        self.epsilon = epsilon
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y):
        if not self.epsilon >= 1.0:
            raise ValueError(f"epsilon must be >= 1.0; got {self.epsilon}")
        check_positive_number(self.alpha, "alpha", allow_zero=True)
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.tol, "tol", allow_zero=True)  # 0: run all max_iter steps
        X, y = check_X_y(X, y, numeric_y=True)
        if len(X) < 2:
            raise ValueError(f"X has n_samples={len(X)}; HuberRegressor needs at least 2 samples to learn a line and a scale")
        n, d = X.shape
        A = np.column_stack([X, np.ones(n)])  # (n_samples, n_features + 1)
        P = np.diag(np.append(np.ones(d), 0.0))  # (n_features + 1, n_features + 1), no penalty on the intercept
        # BEGIN SOLUTION
        # HINT 1: Alternate: with sigma fixed, weighted least squares (IRLS) gives theta; with theta
        # HINT 1: fixed, best_scale gives sigma. Start from ordinary least squares and a MAD scale.
        # HINT 2: omega_i = min(1, eps sigma / |r_i|); (A.T diag(omega) A + sigma alpha P) theta = A.T (omega y)
        # HINT 3: theta = lstsq(A, y); sigma = max(MAD(r) / 0.6745, 1e-12); loop: omega;
        # HINT 3: theta = lstsq(A.T @ (A * omega[:, None]) + sigma * alpha * P, A.T @ (omega y));
        # HINT 3: sigma = best_scale(y - A @ theta, eps); stop when both barely move
        theta = np.linalg.lstsq(A, y, rcond=None)[0]  # (n_features + 1,), start from least squares
        r = y - A @ theta  # (n_samples,)
        sigma = max(np.median(np.abs(r - np.median(r))) / 0.6745, 1e-12)  # a robust first scale
        for n_iter in range(1, self.max_iter + 1):
            omega = np.where(np.abs(r) <= self.epsilon * sigma, 1.0, self.epsilon * sigma / np.maximum(np.abs(r), 1e-300))
            lhs = A.T @ (A * omega[:, None]) + sigma * self.alpha * P  # (n_features + 1, n_features + 1)
            new_theta = np.linalg.lstsq(lhs, A.T @ (omega * y), rcond=None)[0]  # lstsq: safe if singular
            r = y - A @ new_theta  # (n_samples,)
            new_sigma = best_scale(r, self.epsilon)  # the exact best sigma for these residuals
            step = max(np.max(np.abs(new_theta - theta)), abs(new_sigma - sigma))
            theta, sigma = new_theta, new_sigma
            if step <= self.tol * (1.0 + max(np.max(np.abs(theta)), sigma)):
                break
        self.n_iter_ = n_iter
        self.coef_, self.intercept_, self.scale_ = theta[:d], float(theta[d]), float(sigma)
        self.outliers_ = np.abs(r) > self.epsilon * sigma
        # END SOLUTION
        self.n_features_in_ = d
        return self

    def predict(self, X):
        check_fitted(self, "coef_")
        return check_X(X, self.n_features_in_, owner="this HuberRegressor") @ self.coef_ + self.intercept_


def least_squares_line(x, y):
    """(slope, intercept) of the least-squares line through (x, y) (module 02), the fit outliers drag."""
    x, y = as_float_array(x, "x", ndim=1, finite=True), as_float_array(y, "y", ndim=1, finite=True)
    check_same_length(x, y, ("x", "y"))
    slope, intercept = np.polyfit(x, y, 1)  # least squares on [x, 1]
    return float(slope), float(intercept)


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(7)
    xr = np.sort(rng.uniform(0, 10, 80))  # (80,)
    yr = 1.5 * xr + 2.0 + rng.normal(0.0, 1.0, 80)  # (80,)
    bad = rng.choice(np.flatnonzero(xr > 6), size=10, replace=False)  # 10 corrupted targets at large x
    yr[bad] = rng.uniform(-8.0, -2.0, size=10)
    ols = least_squares_line(xr, yr)
    huber = HuberRegressor(epsilon=1.35).fit(xr[:, None], yr)
    # The other cure: exercise 05's MAD rule (modified z-score > 3.5) on the residuals, then refit.
    deviation = np.abs(yr - ols[0] * xr - ols[1] - np.median(yr - ols[0] * xr - ols[1]))  # (80,)
    keep = 0.6745 * deviation <= 3.5 * np.median(deviation)
    fits = {"true line": (1.5, 2.0), "least squares": ols, f"least squares without {(~keep).sum()} MAD outliers":
            least_squares_line(xr[keep], yr[keep]), "Huber (IRLS), epsilon = 1.35": (huber.coef_[0], huber.intercept_)}
    print(f"{'fit (y = 1.5 x + 2, 10 of 80 targets corrupted)':<48}{'slope':>7}{'intercept':>11}")
    for name, (slope, intercept) in fits.items():
        print(f"{name:<48}{slope:7.3f}{intercept:11.3f}")
    print(f"Huber: scale_ = {huber.scale_:.3f}, {huber.outliers_.sum()} points beyond epsilon * scale_, {huber.n_iter_} iterations")

    fig, ax = plotting.new_figure(width=6.5, height=4.3)
    corrupted = np.isin(np.arange(80), bad)
    ax.scatter(xr[~corrupted], yr[~corrupted], s=14, color=plotting.COLORS[0], label="data")
    ax.scatter(xr[corrupted], yr[corrupted], s=30, marker="x", color=plotting.COLORS[3], label="corrupted targets")
    grid = np.linspace(0, 10, 2)
    for (name, (slope, intercept)), color in zip(fits.items(), ["black", *plotting.COLORS[1:]]):
        ax.plot(grid, slope * grid + intercept, color=color, linestyle=":" if name == "true line" else "-", label=name)
    ax.set(title="10 corrupted targets: least squares vs Huber", xlabel="x", ylabel="y")
    ax.legend(loc="upper left", fontsize=8)
    plotting.show_or_save(fig, "ex06_huber_regression")


if __name__ == "__main__":
    main()
