"""
Exercise 02: batch, stochastic and mini-batch gradient descent

Learning goals
--------------
- Write one training loop that becomes batch, stochastic or mini-batch gradient
  descent by changing a single number: the batch size.
- See the trade: a full batch takes one careful step per epoch, SGD takes n
  noisy ones; mini-batches sit in between and make good use of vectorised code.
- See the learning rate decide everything: too small crawls, too large diverges,
  and with a constant rate SGD stalls at a noise floor above the minimum.

The math
--------
X has shape (n_samples, n_features) = (n, d), y has shape (n,), weights w of shape (d,) and intercept b.
On a batch B (a set of |B| sample indices) the mean squared error and its
gradient are

    L_B(w, b) = (1/|B|) sum_{i in B} (x_i . w + b - y_i)^2
    dL_B/dw   = (2/|B|) X_B^T r_B,    dL_B/db = (2/|B|) sum_{i in B} r_i,

with r_B = X_B w + b - y_B. Because a random batch is a random subset, the
batch gradient is an unbiased estimate of the full gradient (B = all samples).
One epoch shuffles the sample order and walks through it in batches of size m:

    batch GD       m = n   -> 1 update per epoch, exact gradient
    mini-batch GD  1<m<n   -> ceil(n/m) updates per epoch
    stochastic GD  m = 1   -> n updates per epoch, one sample each

Each update is (w, b) <- (w, b) - lr * gradient. For the full-batch loss, with
A = [X 1] of shape (n, d+1), the Hessian is H = (2/n) A^T A. The loss is a
quadratic, so each step multiplies the error along the eigenvector of H with
eigenvalue lambda by (1 - lr * lambda): with L_max the largest eigenvalue, every
lr < 2/L_max lowers the loss at each step and lr > 2/L_max diverges.

Algorithm
---------
1. Start from w = 0, b = 0 (or given values).
2. For each epoch: order = rng.permutation(n) (or 0..n-1 without shuffling).
3. For each consecutive slice of order of length m (the last may be shorter):
   compute the batch gradient and take one step.
4. After each epoch record the MSE on the whole training set.

References: L. Bottou, F. E. Curtis, J. Nocedal, "Optimization Methods for
Large-Scale Machine Learning", SIAM Review 60(2), 2018, sections 3-4;
I. Goodfellow, Y. Bengio, A. Courville, Deep Learning, 2016, ch. 8.1.3.
Difficulty: 2 of 3, about 25 minutes.
Run: python 02-fundamentals-of-machine-learning/ex02_gradient_descent_variants.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import check_linear_model, check_no_overflow, check_non_negative_int, check_positive_number
from utils.validation import check_X, check_X_y

# %% [markdown]
# ## Implementation


# %%
def mse_and_gradient(w, b, X, y):
    """Mean squared error on (X, y) and its gradient: loss (float), dw (n_features,), db (float)."""
    w, b, X, y = check_linear_model(w, b, X, y)
    # BEGIN SOLUTION
    # HINT 1: The batch's loss and gradient share one residual vector; m = len(y) is the batch size.
    # HINT 2: r = X @ w + b - y; loss = r @ r / m; dw = (2 / m) X.T @ r; db = 2 mean(r)
    residual = X @ w + b - y  # (batch_size,)
    loss = float(residual @ residual) / len(y)
    dw = (2.0 / len(y)) * (X.T @ residual)  # (n_features,)
    db = 2.0 * float(residual.mean())
    return loss, dw, db
    # END SOLUTION


def minibatch_gradient_descent(X, y, batch_size=None, lr=0.05, n_epochs=20, shuffle=True, random_state=None, w_init=None, b_init=0.0):
    """Train a linear regression by (mini-)batch gradient descent.

    X : (n_samples, n_features); y : (n_samples,); batch_size : 1..n, or None for the full batch; lr : the constant
    learning rate; n_epochs : passes over the data; shuffle : a new order
    rng.permutation(n) each epoch (rng = np.random.default_rng(random_state)), else 0..n-1;
    w_init : (n_features,) (zeros by default), b_init : float. Returns w (n_features,), b (float) and
    losses (n_epochs + 1,): the MSE on all of (X, y) before training and after each epoch.
    """
    X, y = check_X_y(X, y, numeric_y=True)
    check_no_overflow(X, "X")  # the gradient multiplies X by the residual X w - y
    n, d = X.shape
    batch_size = n if batch_size is None else batch_size
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be an integer between 1 and n_samples={n}; got {batch_size!r}")
    check_positive_number(lr, "lr")
    n_epochs = check_non_negative_int(n_epochs, "n_epochs")
    rng = data.as_rng(random_state)
    w = np.zeros(d) if w_init is None else np.array(w_init, dtype=float)  # (n_features,)
    if w.shape != (d,):
        raise ValueError(f"w_init must have shape ({d},); got {w.shape}")
    b = float(b_init)
    losses = np.empty(n_epochs + 1)  # (n_epochs + 1,)
    losses[0] = mse_and_gradient(w, b, X, y)[0]
    # BEGIN SOLUTION
    # HINT 1: One epoch = one fresh order of the rows, cut into batches;
    # HINT 1: a step per batch. batch_size decides the variant (1: SGD,
    # HINT 1: n: full batch). Record the full-data loss after each epoch.
    # HINT 2: per batch B: (dw, db) = gradient on X[B], y[B]; w -= lr * dw; b -= lr * db
    # HINT 3: for epoch in 1..n_epochs: order = rng.permutation(n) if shuffle else arange(n)
    # HINT 3:     for start in range(0, n, batch_size): batch = order[start:start + batch_size]
    # HINT 3:         _, dw, db = mse_and_gradient(w, b, X[batch], y[batch]); step w and b
    # HINT 3:     losses[epoch] = mse_and_gradient(w, b, X, y)[0]
    for epoch in range(1, n_epochs + 1):
        order = rng.permutation(n) if shuffle else np.arange(n)  # (n_samples,)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]  # (batch_size,), the last one may be shorter
            _, dw, db = mse_and_gradient(w, b, X[batch], y[batch])
            w = w - lr * dw
            b = b - lr * db
        losses[epoch] = mse_and_gradient(w, b, X, y)[0]
    # END SOLUTION
    return w, b, losses


def batch_gradient_descent(X, y, **kwargs):
    """Full-batch gradient descent: one exact-gradient step per epoch."""
    return minibatch_gradient_descent(X, y, batch_size=None, **kwargs)


def stochastic_gradient_descent(X, y, **kwargs):
    """Stochastic gradient descent: n single-sample steps per epoch."""
    return minibatch_gradient_descent(X, y, batch_size=1, **kwargs)


def smoothness_constant(X):
    """L_max, the largest eigenvalue of the full-batch Hessian (2/n) A^T A with A = [X 1].

    Batch gradient descent lowers the loss at every step when lr < 2 / L_max.
    """
    X = check_no_overflow(check_X(X), "X")
    # BEGIN SOLUTION
    # HINT 1: The MSE Hessian in (w, b) is constant; its
    # HINT 1: largest eigenvalue is the smoothness constant L.
    # HINT 2: A = [X, 1] (n, d+1); Hessian = (2 / n) A.T @ A; L = its largest eigenvalue
    # HINT 3: A = np.column_stack([X, np.ones(n)]); H = (2.0 / n) * (A.T @ A)
    # HINT 3: return float(np.linalg.eigvalsh(H)[-1])   # symmetric: eigvalsh, ascending
    A = np.column_stack([X, np.ones(len(X))])  # (n_samples, n_features + 1)
    # eigvalsh: the Hessian is symmetric, so its eigenvalues are real and come sorted
    return float(np.linalg.eigvalsh((2.0 / len(X)) * (A.T @ A))[-1])
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    X, y, _ = data.make_linear_regression(n_samples=600, n_features=5, noise=0.5, intercept=2.0, random_state=0)
    n_epochs = 15 if utils.quick_mode() else 30
    A = np.column_stack([X, np.ones(len(X))])  # (n_samples, n_features + 1)
    best = np.linalg.lstsq(A, y, rcond=None)[0]  # (n_features + 1,), the least-squares target
    best_loss = mse_and_gradient(best[:-1], best[-1], X, y)[0]
    L_max = smoothness_constant(X)
    print(f"least-squares MSE = {best_loss:.4f}; batch GD diverges for lr > 2 / L_max = {2 / L_max:.3f}")

    # Left: the three variants, each with a learning rate that suits it. Right: batch GD's learning rate.
    curves, lr_curves = {}, {}
    print(f"\n{'variant':<17}{'lr':>7}{'updates/epoch':>15}{'excess MSE':>12}")
    for name, m, lr in [("batch", None, 0.5), ("mini-batch (32)", 32, 0.05), ("stochastic (1)", 1, 0.005)]:
        losses = minibatch_gradient_descent(X, y, batch_size=m, lr=lr, n_epochs=n_epochs, random_state=1)[2]
        print(f"{name:<17}{lr:>7}{int(np.ceil(len(X) / (m or len(X)))):>15}{losses[-1] - best_loss:>12.2e}")
        curves[f"{name}, lr={lr}"] = losses - best_loss
    for fraction in (0.05, 0.5, 0.95, 1.05):
        lr_curves[f"lr = {fraction} x 2/L_max"] = batch_gradient_descent(X, y, lr=fraction * 2 / L_max, n_epochs=n_epochs)[2] - best_loss

    fig, axes = plotting.new_figure(1, 2, width=5.0, height=4.0)
    for ax, curve_set, title in zip(axes, [curves, lr_curves], ["Three variants (same epochs)", "Batch GD: the learning rate"]):
        for label, values in curve_set.items():
            # Floor at 1e-12: batch GD reaches round-off, where the excess is 0 or -1e-17.
            ax.plot(np.arange(n_epochs + 1), np.maximum(values, 1e-12), ".-", markersize=3, label=label)
        ax.set(yscale="log", xlabel="epoch", ylabel="MSE - least-squares MSE", title=title)
        ax.legend()
    plotting.show_or_save(fig, "ex02_gradient_descent_variants")


if __name__ == "__main__":
    main()
