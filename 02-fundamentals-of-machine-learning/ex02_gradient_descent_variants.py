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
X has shape (n, d), y has shape (n,), weights w of shape (d,) and intercept b.
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
import time

import numpy as np

import utils
from utils import data, plotting
from utils.validation import check_X, check_X_y

# %% [markdown]
# ## Input checks


# %%
def check_batch_size(batch_size, n_samples):
    """batch_size as an int in 1..n_samples (None means the full batch)."""
    if batch_size is None:
        return n_samples
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= n_samples:
        raise ValueError(f"batch_size must be an integer between 1 and n_samples={n_samples}; got {batch_size!r}")
    return int(batch_size)


# %% [markdown]
# ## Implementation


# %%
def mse_and_gradient(w, b, X, y):
    """Mean squared error on (X, y) and its gradient.

    Returns
    -------
    loss : float
    dw : ndarray of shape (d,)
    db : float
    """
    # BEGIN SOLUTION
    # HINT 1: The batch's loss and gradient share one residual vector; m = len(y) is the batch size.
    # HINT 2: r = X @ w + b - y; loss = r @ r / m; dw = (2 / m) X.T @ r; db = 2 mean(r)
    residual = X @ w + b - y  # (m,)
    loss = float(residual @ residual) / len(y)
    dw = (2.0 / len(y)) * (X.T @ residual)  # (d,)
    db = 2.0 * float(residual.mean())
    return loss, dw, db
    # END SOLUTION


def minibatch_gradient_descent(X, y, batch_size=None, lr=0.05, n_epochs=20, shuffle=True, random_state=None, w_init=None, b_init=0.0):
    """Train a linear regression by (mini-)batch gradient descent.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    y : ndarray of shape (n,)
    batch_size : int in 1..n, or None for the full batch (n)
    lr : float, the constant learning rate
    n_epochs : int, passes over the data
    shuffle : bool
        Visit the samples in a new random order each epoch, order = rng.permutation(n)
        with rng = np.random.default_rng(random_state); otherwise in the order 0..n-1.
    random_state : None, int or np.random.Generator
    w_init : ndarray of shape (d,), optional (zeros by default)
    b_init : float

    Returns
    -------
    w : ndarray of shape (d,)
    b : float
    losses : ndarray of shape (n_epochs + 1,)
        The MSE on all of (X, y) before training and after each epoch.
    """
    X, y = check_X_y(X, y, numeric_y=True)
    n, d = X.shape
    batch_size = check_batch_size(batch_size, n)
    if not lr > 0:
        raise ValueError(f"lr must be a positive number; got {lr}")
    if isinstance(n_epochs, bool) or not isinstance(n_epochs, (int, np.integer)) or n_epochs < 0:
        raise ValueError(f"n_epochs must be a non-negative integer; got {n_epochs!r}")
    rng = data.as_rng(random_state)
    w = np.zeros(d) if w_init is None else np.array(w_init, dtype=float)  # (d,)
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
        order = rng.permutation(n) if shuffle else np.arange(n)  # (n,)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]  # (m,), the last one may be shorter
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
    X = check_X(X)
    # BEGIN SOLUTION
    # HINT 1: The MSE Hessian in (w, b) is constant; its
    # HINT 1: largest eigenvalue is the smoothness constant L.
    # HINT 2: A = [X, 1] (n, d+1); Hessian = (2 / n) A.T @ A; L = its largest eigenvalue
    # HINT 3: A = np.column_stack([X, np.ones(n)]); H = (2.0 / n) * (A.T @ A)
    # HINT 3: return float(np.linalg.eigvalsh(H)[-1])   # symmetric: eigvalsh, ascending
    A = np.column_stack([X, np.ones(len(X))])  # (n, d + 1)
    # eigvalsh: the Hessian is symmetric, so its eigenvalues are real and come sorted
    return float(np.linalg.eigvalsh((2.0 / len(X)) * (A.T @ A))[-1])
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    X, y, _ = data.make_linear_regression(n_samples=600, n_features=5, noise=0.5, intercept=2.0, random_state=rng)
    n_epochs = 15 if utils.quick_mode() else 30

    # The target: the least-squares solution (np.linalg.lstsq on [X 1]) and its loss.
    A = np.column_stack([X, np.ones(len(X))])  # (n, d + 1)
    best = np.linalg.lstsq(A, y, rcond=None)[0]  # (d + 1,)
    best_loss = mse_and_gradient(best[:-1], best[-1], X, y)[0]
    L_max = smoothness_constant(X)
    print(f"n = {len(X)}, d = {X.shape[1]}, least-squares MSE = {best_loss:.4f}, L_max = {L_max:.3f} (batch GD diverges for lr > {2 / L_max:.3f})")

    # 1. The three variants, each with a learning rate that suits it.
    variants = [("batch", None, 0.5), ("mini-batch (32)", 32, 0.05), ("stochastic (1)", 1, 0.005)]
    curves = {}
    print(f"\n{'variant':<17}{'lr':>7}{'updates/epoch':>15}{'excess MSE':>12}{'||w - w*||':>12}{'time (ms)':>11}")
    for name, m, lr in variants:
        start = time.perf_counter()
        w, b, losses = minibatch_gradient_descent(X, y, batch_size=m, lr=lr, n_epochs=n_epochs, random_state=1)
        ms = 1000 * (time.perf_counter() - start)
        updates = int(np.ceil(len(X) / (m or len(X))))
        gap = np.linalg.norm(np.append(w, b) - best)
        print(f"{name:<17}{lr:>7}{updates:>15}{losses[-1] - best_loss:>12.2e}{gap:>12.2e}{ms:>11.1f}")
        curves[f"{name}, lr={lr}"] = losses - best_loss

    # 2. The learning rate, for batch GD: fractions of the divergence threshold 2 / L_max.
    lr_curves = {}
    for fraction in (0.05, 0.5, 0.95, 1.05):
        lr = fraction * 2 / L_max
        losses = batch_gradient_descent(X, y, lr=lr, n_epochs=n_epochs)[2]
        lr_curves[f"lr = {fraction} x 2/L_max"] = losses - best_loss

    # 3. The learning rate, for SGD: larger steps learn faster but stall higher.
    sgd_curves = {}
    for lr in (0.001, 0.01, 0.05):
        losses = stochastic_gradient_descent(X, y, lr=lr, n_epochs=n_epochs, random_state=1)[2]
        sgd_curves[f"lr = {lr}"] = losses - best_loss

    fig, axes = plotting.new_figure(1, 3, width=4.6, height=4.0)
    titles = ["Three variants (same epochs)", "Batch GD: the learning rate", "SGD: speed vs noise floor"]
    epochs = np.arange(n_epochs + 1)  # epoch 0 is the starting point
    for ax, curve_set, title in zip(axes, [curves, lr_curves, sgd_curves], titles):
        for label, values in curve_set.items():
            # Floor at 1e-12: batch GD reaches round-off, where the excess is 0 or -1e-17.
            ax.plot(epochs, np.maximum(values, 1e-12), ".-", markersize=3, label=label)
        ax.set(yscale="log", xlabel="epoch", ylabel="MSE - least-squares MSE", title=title)
        ax.legend()
    plotting.show_or_save(fig, "ex02_gradient_descent_variants")


if __name__ == "__main__":
    main()
