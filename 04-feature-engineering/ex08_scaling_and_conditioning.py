"""
Exercise 08: why gradient descent needs scaled features (conditioning)

Learning goals
--------------
- Measure how badly conditioned a least-squares problem is: the condition number
  kappa of A^T A, with A = [X 1].
- Run gradient descent with the safe step 1 / L and count the steps it needs, on
  features in their raw units and after exercise 07's scalers.
- Connect the two: the number of steps grows like kappa, and standardising the
  features brings kappa (and the steps) down by orders of magnitude.

The math
--------
X has shape (n_samples, n_features) = (n, d), A = [X 1] of shape (n, d + 1),
theta = (w, b). The mean squared error and its gradient are

    loss(theta) = (1 / n) ||A theta - y||^2,    grad = (2 / n) A^T (A theta - y).

The loss is a quadratic bowl with curvatures lambda_i = 2 eig_i(A^T A) / n.
With the step 1 / L, L = lambda_max, each step shrinks the error along the
direction of lambda_i by the factor (1 - lambda_i / L): fast for the steepest
direction, as slow as 1 - 1 / kappa for the flattest, where

    kappa = lambda_max / lambda_min = cond(A^T A).

So reaching a tolerance tol takes about kappa * log(1 / tol) steps. Features in
units 100 times apart (rooms vs square metres) make kappa about 100^2 larger.

Algorithm
---------
1. condition_number: eigenvalues of A^T A (symmetric: np.linalg.eigvalsh), largest
   over smallest.
2. gd_steps_to_converge: theta = 0; repeat theta -= grad / L until
   ||grad|| <= tol ||grad_0||; record loss - optimal loss at every step.
3. Demo: a price from rooms (1 to 6) and floor area (30 to 250 m^2), raw and scaled.

References: Y. LeCun, L. Bottou, G. Orr, K.-R. Mueller, "Efficient BackProp", 1998,
section 4.3 (normalising inputs); J. Nocedal, S. Wright, Numerical Optimization,
2nd ed., ch. 3.3 (the rate of steepest descent).
Difficulty: 2 of 3, about 20 minutes.
Run: python 04-feature-engineering/ex08_scaling_and_conditioning.py
"""

# %%
import numpy as np

import utils
from utils import plotting
from utils.validation import check_no_overflow, check_X, check_X_y


# %% [markdown]
# ## Implementation: the condition number and gradient descent


# %%
def condition_number(X):
    """kappa = lambda_max / lambda_min of A^T A, A = [X 1] (inf when A^T A is singular)."""
    X = check_X(X, owner="condition_number")
    check_no_overflow(X, "X")
    # BEGIN SOLUTION
    # HINT 1: Add the intercept column, then compare the largest and the smallest eigenvalue.
    # HINT 2: kappa = eig_max(A^T A) / eig_min(A^T A), A = [X 1]
    # HINT 3: A = column_stack([X, ones(n)]); eig = np.linalg.eigvalsh(A.T @ A)
    # HINT 3: return eig[-1] / eig[0] if eig[0] > 0 else inf
    A = np.column_stack([X, np.ones(len(X))])  # (n_samples, n_features + 1)
    eig = np.linalg.eigvalsh(A.T @ A)  # ascending; eigvalsh: A^T A is symmetric
    # Round-off can leave a singular A^T A with a tiny (even negative) smallest eigenvalue.
    return float(eig[-1] / eig[0]) if eig[0] > eig[-1] * 1e-15 else np.inf
    # END SOLUTION


def gd_steps_to_converge(X, y, tol=1e-6, max_iter=10_000):
    """Gradient descent on the mean squared error of y ~ X w + b, with step 1 / L.

    Returns
    -------
    n_steps : int (max_iter if it did not converge)
    gaps : ndarray of shape (n_steps + 1,), loss minus the least-squares optimum
    """
    X, y = check_X_y(X, y, numeric_y=True)
    check_no_overflow(X, "X")
    A = np.column_stack([X, np.ones(len(X))])  # (n_samples, n_features + 1)
    L = 2.0 * np.linalg.eigvalsh(A.T @ A)[-1] / len(y)  # the largest curvature
    best = np.linalg.lstsq(A, y, rcond=None)[0]  # (n_features + 1,), the least-squares optimum

    def loss(theta):
        return np.mean((A @ theta - y) ** 2)

    # BEGIN SOLUTION
    # HINT 1: Start from zero, step against the gradient by 1 / L, and stop when the gradient
    # HINT 1: has shrunk by the factor tol; keep loss - best loss after every step.
    # HINT 2: grad = 2 A^T (A theta - y) / n; theta = theta - grad / L
    # HINT 3: theta = zeros(d + 1); gaps = [loss(theta) - loss(best)]
    # HINT 3: for step in 1..max_iter: grad = ...; g0 = ||grad|| at step 1
    # HINT 3:     theta -= grad / L; gaps.append(...); if ||grad|| <= tol * g0: return step, gaps
    theta = np.zeros(A.shape[1])  # (n_features + 1,): w then b
    gaps = [loss(theta) - loss(best)]
    for step in range(1, max_iter + 1):
        grad = 2.0 * A.T @ (A @ theta - y) / len(y)  # (n_features + 1,)
        norm = np.linalg.norm(grad)
        if step == 1:
            g0 = norm
        theta = theta - grad / L
        gaps.append(loss(theta) - loss(best))
        if norm <= tol * g0:
            return step, np.array(gaps)
    return max_iter, np.array(gaps)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    from sklearn.preprocessing import MinMaxScaler, StandardScaler  # exercise 07's scalers, from the library

    # Rooms (1 to 6) and floor area (30 to 250 m^2) predict a price.
    rng = np.random.default_rng(0)
    rooms = rng.integers(1, 7, size=200).astype(float)  # (200,)
    area = 30 + 35 * rooms + rng.normal(0, 25, size=200)  # (200,)
    X = np.column_stack([rooms, area])  # (200, 2)
    y = 20 * rooms + 3 * area + rng.normal(0, 10, size=200)  # (200,)
    max_iter = 2_000 if utils.quick_mode() else 20_000
    runs = {"raw units": X, "StandardScaler": StandardScaler().fit_transform(X), "MinMaxScaler": MinMaxScaler().fit_transform(X)}
    print(f"Gradient descent on y ~ rooms + area (step 1/L, stop at ||grad|| <= 1e-6 ||grad_0||, at most {max_iter} steps)")
    print(f"{'features':<16}{'kappa(A^T A)':>14}{'steps':>8}")
    curves = {}
    for name, features in runs.items():
        steps, curves[name] = gd_steps_to_converge(features, y, max_iter=max_iter)
        shown = f"{steps}" if steps < max_iter else f">{max_iter}"
        print(f"{name:<16}{condition_number(features):14.3g}{shown:>8}")

    fig, ax = plotting.new_figure(width=6.5, height=4.2)
    for (name, gaps), color in zip(curves.items(), plotting.COLORS):
        ax.plot(np.arange(1, len(gaps) + 1), np.maximum(gaps, 1e-16), color=color, label=name)
    ax.set(xscale="log", yscale="log", xlabel="gradient-descent step", ylabel="loss - optimal loss",
           title="Same data, same step rule 1/L")
    ax.legend()
    plotting.show_or_save(fig, "ex08_scaling_and_conditioning")


if __name__ == "__main__":
    main()
