"""
Exercise 01: linear regression, in closed form and by gradient descent

Learning goals
--------------
- Fit a line (a hyperplane) by least squares in one step, and know why we call
  np.linalg.lstsq rather than inverting X^T X.
- Handle the intercept by centring the data, and see what happens with a
  constant feature or two columns that say the same thing.
- Walk downhill on the same loss by gradient descent, and watch the path on the
  loss surface: the closed form is where every good path ends.

The math
--------
X has shape (n, d) (n samples, d features), y has shape (n,), the weights w have
shape (d,) and the intercept b is a number. The model predicts y_hat = X w + b.
We minimise the mean squared error

    L(w, b) = (1/n) * sum_i (x_i . w + b - y_i)^2 = (1/n) ||X w + b - y||^2.

Its gradient, with the residual r = X w + b - y of shape (n,), is

    dL/dw = (2/n) X^T r    (shape (d,)),      dL/db = (2/n) sum_i r_i.

Setting dL/db = 0 gives b = mean(y) - mean(X) . w, so with the centred data
Xc = X - mean(X) and yc = y - mean(y) the weights solve the normal equations

    Xc^T Xc w = Xc^T yc.

When the columns of Xc are linearly dependent (a constant feature becomes a
column of zeros after centring; a column that is twice another is redundant)
there are infinitely many solutions. The least-squares solver then returns the
one with the smallest ||w||, the minimum-norm solution; all of them give the
same predictions. The score is R^2 = 1 - sum (y - y_hat)^2 / sum (y - mean y)^2.

Algorithm
---------
1. Centre X and y (skip this with fit_intercept=False).
2. Solve min ||Xc w - yc|| with np.linalg.lstsq (SVD based: works when Xc has
   dependent columns), or solve the normal equations with np.linalg.solve
   (faster, but it squares the condition number and fails when Xc^T Xc is singular).
3. Set b = mean(y) - mean(X) . w.
4. Gradient descent: start anywhere, repeat (w, b) <- (w, b) - lr * gradient.

References: T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical
Learning, 2nd ed., ch. 3.2; G. Strang, Introduction to Linear Algebra, 5th ed.,
ch. 4.3 (least squares); L. N. Trefethen, D. Bau, Numerical Linear Algebra,
lecture 11 (why not the normal equations).
Difficulty: 1 of 3, about 35 minutes.
Run: python 02-fundamentals-of-machine-learning/ex01_linear_regression.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, RegressorMixin
from utils.validation import check_fitted, check_linear_model, check_no_overflow, check_option, check_X, check_X_y

# %% [markdown]
# ## Implementation: the loss and its gradient


# %%
def mse_loss(w, b, X, y):
    """Mean squared error (1/n) ||X w + b - y||^2 of the line (w, b) on (X, y)."""
    w, b, X, y = check_linear_model(w, b, X, y)
    # BEGIN SOLUTION
    # HINT 1: Form the residual vector once; the mean of its squares is one dot product.
    # HINT 2: r = X @ w + b - y  # (n,); loss = (r @ r) / n
    residual = X @ w + b - y  # (n,)
    return float(residual @ residual) / len(y)
    # END SOLUTION


def mse_gradient(w, b, X, y):
    """Gradient of mse_loss: (dL/dw of shape (d,), dL/db a float)."""
    w, b, X, y = check_linear_model(w, b, X, y)
    # BEGIN SOLUTION
    # HINT 1: Differentiate the mean squared residual; the
    # HINT 1: chain rule brings X^T in for w and a mean for b.
    # HINT 2: r = X @ w + b - y; dw = (2 / n) * X.T @ r  # (d,); db = 2 * mean(r)
    # HINT 3: residual = X @ w + b - y
    # HINT 3: dw = (2.0 / len(y)) * (X.T @ residual); db = 2.0 * residual.mean()
    # HINT 3: return dw, float(db)
    residual = X @ w + b - y  # (n,)
    dw = (2.0 / len(y)) * (X.T @ residual)  # (d,)
    db = 2.0 * residual.mean()
    return dw, float(db)
    # END SOLUTION


def gradient_descent(X, y, lr=0.1, n_iters=100, w_init=None, b_init=0.0):
    """Minimise mse_loss by full-batch gradient descent and record the path.

    X (n, d), y (n,); lr: the step size (learning rate); n_iters steps from w_init (d,),
    zeros by default, and b_init. Returns w (d,), b and the path (n_iters + 1, d + 1),
    whose row t holds (w, b) after t steps.
    """
    X, y = check_X_y(X, y, numeric_y=True)
    check_no_overflow(X, "X")  # the gradient multiplies X by the residual X w - y
    if not lr > 0:
        raise ValueError(f"lr must be a positive number; got {lr}")
    if int(n_iters) != n_iters or n_iters < 0:
        raise ValueError(f"n_iters must be a non-negative integer; got {n_iters}")
    w = np.zeros(X.shape[1]) if w_init is None else np.array(w_init, dtype=float)  # (d,)
    if w.shape != (X.shape[1],):
        raise ValueError(f"w_init must have shape ({X.shape[1]},); got {w.shape}")
    b = float(b_init)
    path = np.empty((int(n_iters) + 1, X.shape[1] + 1))  # (n_iters + 1, d + 1)
    path[0] = np.append(w, b)
    # BEGIN SOLUTION
    # HINT 1: Repeat: get the gradient at the current point, step against it, record the point.
    # HINT 2: w <- w - lr * dw; b <- b - lr * db, with (dw, db) = mse_gradient(w, b, X, y)
    # HINT 3: for t in 1..n_iters: dw, db = mse_gradient(w, b, X, y)
    # HINT 3:     w = w - lr * dw; b = b - lr * db   # new arrays, never in place
    # HINT 3:     path[t] = np.append(w, b)
    for t in range(1, int(n_iters) + 1):
        dw, db = mse_gradient(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
        path[t] = np.append(w, b)
    # END SOLUTION
    return w, b, path


# %% [markdown]
# ## Implementation: the closed form, as a scikit-learn-style estimator


# %%
class LinearRegression(RegressorMixin, BaseEstimator):
    """Ordinary least squares.

    Parameters
    ----------
    fit_intercept : bool
        Learn the intercept b (by centring X and y). With False the line passes
        through the origin and intercept_ is 0.0.
    solver : {"lstsq", "normal"}
        "lstsq": np.linalg.lstsq on the centred data (SVD based, handles dependent
        columns with the minimum-norm solution). "normal": np.linalg.solve on the
        normal equations Xc^T Xc w = Xc^T yc (needs independent columns).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    rank_ : int, the rank of the (centred) design matrix
    n_features_in_ : int
    """

    def __init__(self, fit_intercept=True, solver="lstsq"):
        self.fit_intercept = fit_intercept
        self.solver = solver

    def fit(self, X, y):
        """Learn coef_ and intercept_ from X of shape (n, d) and y of shape (n,); returns self."""
        check_option(self.solver, "solver", ("lstsq", "normal"))
        X, y = check_X_y(X, y, numeric_y=True)
        # BEGIN SOLUTION
        # HINT 1: Centre X and y first: the intercept drops out, and is recovered
        # HINT 1: from the means at the end. Then solve the least-squares problem
        # HINT 1: on the centred data with the chosen solver.
        # HINT 2: Xc = X - mean(X), yc = y - mean(y); normal equations (Xc^T Xc) coef = Xc^T yc;
        # HINT 2: intercept = y_mean - x_mean @ coef
        # HINT 3: x_mean, y_mean = X.mean(0), y.mean() (zeros if no intercept); Xc, yc = centred data
        # HINT 3: lstsq: coef, _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None)
        # HINT 3: else: coef = solve(Xc.T @ Xc, Xc.T @ yc) (LinAlgError -> ValueError); rank of Xc
        # HINT 3: coef_ = coef; intercept_ = float(y_mean - x_mean @ coef); rank_ = int(rank)
        if self.fit_intercept:
            x_mean, y_mean = X.mean(axis=0), y.mean()  # (d,), float
            Xc, yc = X - x_mean, y - y_mean  # (n, d), (n,): the intercept drops out
        else:
            x_mean, y_mean = np.zeros(X.shape[1]), 0.0
            Xc, yc = X, y
        if self.solver == "lstsq":
            # SVD based least squares: singular values below eps * max(n, d) * the largest
            # (eps = 2.2e-16, rcond=None) count as zero, so dependent columns get the
            # minimum-norm solution instead of huge, cancelling weights.
            coef, _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None)  # coef: (d,)
        else:
            gram = Xc.T @ Xc  # (d, d)
            try:
                # solve, not inv: one factorisation, and less round-off than forming the inverse
                coef = np.linalg.solve(gram, Xc.T @ yc)  # (d,)
            except np.linalg.LinAlgError:
                raise ValueError("X^T X is singular (dependent or constant columns); use solver='lstsq'") from None
            rank = np.linalg.matrix_rank(Xc)
        self.coef_ = coef
        self.intercept_ = float(y_mean - x_mean @ coef)
        self.rank_ = int(rank)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        """Predictions X w + b, shape (n_samples,)."""
        check_fitted(self, "coef_")
        X = check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}")
        # BEGIN SOLUTION
        # HINT 1: A prediction is the fitted affine function of each row.
        # HINT 2: X @ self.coef_ + self.intercept_  # (n,)
        return X @ self.coef_ + self.intercept_  # (n,)
        # END SOLUTION

    def score(self, X, y):
        """The coefficient of determination R^2 on (X, y) (1 is perfect, 0 is as good as the mean)."""
        X, y = check_X_y(X, y, numeric_y=True)
        y_hat = self.predict(X)
        # BEGIN SOLUTION
        # HINT 1: Compare the model's squared errors with those of always predicting the mean of y.
        # HINT 2: R^2 = 1 - ss_res / ss_tot, ss_res = sum((y - y_hat)**2),
        # HINT 2:   ss_tot = sum((y - mean(y))**2)
        # HINT 3: compute ss_res and ss_tot
        # HINT 3: if ss_tot == 0: return 1.0 if ss_res == 0 else 0.0
        # HINT 3: return float(1 - ss_res / ss_tot)
        ss_res = np.sum((y - y_hat) ** 2)
        ss_tot = np.sum((y - y.mean()) ** 2)
        if ss_tot == 0:  # constant y: R^2 is undefined; like scikit-learn, 1 if perfect else 0
            return 1.0 if ss_res == 0 else 0.0
        return float(1.0 - ss_res / ss_tot)
        # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # 1. One feature, so we can draw the loss surface over (w, b). The feature is not
    #    centred (mean 2), which makes the valley long and narrow: a harder walk.
    rng = np.random.default_rng(0)
    X1, y1, _ = data.make_linear_regression(n_samples=80, coef=[2.0], intercept=5.0, noise=1.0, random_state=rng)
    X1 = X1 + 2.0  # (80, 1): now y = 2 x + 1 + noise
    model = LinearRegression().fit(X1, y1)
    w_star, b_star = model.coef_[0], model.intercept_

    runs = {}
    for lr in (0.03, 0.1):
        w, b, path = gradient_descent(X1, y1, lr=lr, n_iters=150, w_init=[5.0], b_init=6.0)
        runs[lr] = path
    print("One feature, 80 samples")
    print(f"{'method':<24}{'w':>9}{'b':>9}{'MSE':>9}")
    print(f"{'closed form (lstsq)':<24}{w_star:9.4f}{b_star:9.4f}{mse_loss(model.coef_, b_star, X1, y1):9.4f}")
    for lr, path in runs.items():
        w, b = path[-1, :1], path[-1, 1]
        print(f"{f'GD, lr={lr}, 150 steps':<24}{w[0]:9.4f}{b:9.4f}{mse_loss(w, b, X1, y1):9.4f}")

    # 2. A real data set: diabetes progression from 10 standardised measurements.
    X, y = data.load_diabetes()
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=0.25, stratify=False, random_state=0)
    lstsq = LinearRegression().fit(X_tr, y_tr)
    normal = LinearRegression(solver="normal").fit(X_tr, y_tr)
    print("\nDiabetes (10 features): R^2")
    print(f"{'solver':<10}{'train':>8}{'test':>8}")
    for name, m in [("lstsq", lstsq), ("normal", normal)]:
        print(f"{name:<10}{m.score(X_tr, y_tr):8.3f}{m.score(X_te, y_te):8.3f}")

    # 3. Compare with the library (scikit-learn is used only here, never above).
    from sklearn.linear_model import LinearRegression as SkLinearRegression

    sk = SkLinearRegression().fit(X_tr, y_tr)
    print(f"max |coef - sklearn coef| = {np.abs(lstsq.coef_ - sk.coef_).max():.2e}")

    # The figure: the fit, and the two descents on the loss surface.
    fig, (ax_fit, ax_surf) = plotting.new_figure(1, 2, width=5.5, height=4.5)
    x_line = np.linspace(X1.min(), X1.max(), 50)
    plotting.plot_regression_fit(ax_fit, X1[:, 0], y1, x_line, w_star * x_line + b_star, label="least squares")
    ax_fit.set_title(f"y = {w_star:.2f} x + {b_star:.2f}")

    ws = np.linspace(-2.0, 6.0, 200)  # (200,)
    bs = np.linspace(-6.0, 8.0, 200)  # (200,)
    W, B = np.meshgrid(ws, bs)  # (200, 200) each
    # The loss on the whole grid at once: residuals of shape (200, 200, n).
    residual = W[..., None] * X1[:, 0] + B[..., None] - y1  # (200, 200, 80)
    L = np.mean(residual**2, axis=-1)  # (200, 200)
    levels = np.quantile(L, np.linspace(0, 1, 25) ** 2)
    cs = ax_surf.contour(W, B, L, levels=levels, cmap="viridis", linewidths=0.8)
    ax_surf.clabel(cs, cs.levels[::4], fontsize=7, fmt="%.0f")
    for (lr, path), color, z in zip(runs.items(), plotting.COLORS[1:], (3, 2)):
        ax_surf.plot(path[:, 0], path[:, 1], ".-", color=color, markersize=4, linewidth=1.2, zorder=z, label=f"gradient descent, lr={lr}")
    ax_surf.scatter([w_star], [b_star], marker="*", s=200, color="black", zorder=3, label="closed form")
    ax_surf.set(xlabel="w", ylabel="b", title="MSE over (w, b); 150 steps of gradient descent")
    ax_surf.legend(loc="lower left", frameon=True)
    plotting.show_or_save(fig, "ex01_linear_regression")


if __name__ == "__main__":
    main()
