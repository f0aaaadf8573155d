"""
Exercise 17: gradient checking, the test every hand-written gradient must pass

Learning goals
--------------
- Compare an analytic gradient with a central-difference one through the relative error, and read
  it: ~1e-8 is right, ~1e-2 is a bug.
- Write the central-difference gradient yourself (the tool behind utils.gradcheck) and check it.
- Catch planted bugs in the gradient of the logistic-regression loss, and see why the check must
  run in float64, not float32.

The math
--------
X has shape (n, d) (one sample per row), y in {0, 1}^n has shape (n,), the weights w have shape
(d,). With z = X w (shape (n,)) and sigma(z) = 1 / (1 + e^-z), the mean cross-entropy loss with an
L2 penalty and its gradient are
    L(w) = 1/n sum_i [ log(1 + e^{z_i}) - y_i z_i ] + l2/2 |w|^2
    grad L(w) = 1/n X^T (sigma(z) - y) + l2 w,   shape (d,).
(-y log p - (1 - y) log(1 - p) with p = sigma(z) simplifies to log(1 + e^z) - y z; we compute
log(1 + e^z) as np.logaddexp(0, z), which never overflows.) The check compares the analytic g_a with
the central difference
    g_n[i] = (L(w + h e_i) - L(w - h e_i)) / (2h),  h = 1e-5,
through the relative error
    rel(g_a, g_n) = |g_a - g_n| / (|g_a| + |g_n|)   (Euclidean norms),
which is 0 for equal vectors, 1 for opposite ones, and ignores the overall scale.
In float64 the central difference is accurate to about h^2 + eps/h ~ 1e-10, so a correct gradient
gives rel ~ 1e-8 or less. In float32 (eps = 1.2e-7) the round-off eps/h ~ 1e-2 swamps everything:
a check in float32 cannot tell a right gradient from a subtly wrong one.

Algorithm
---------
1. For each coordinate i: nudge w[i] by +h, evaluate L, nudge by -h, evaluate L, restore w[i];
   the difference over 2h is g_n[i].
2. Compute rel(g_a, g_n): below 1e-6 passes; above 1e-4 almost surely a bug.
3. Repeat for planted bugs (a wrong sign, a missing 1/n, half the L2 term, a dropped sample) and
   for float32 inputs.

References: CS231n notes, "Gradient checks" (Stanford); Goodfellow, Bengio & Courville, Deep
Learning, sec. 11.5 (debugging strategies).
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/calculus/ex17_gradient_checking.py
"""

# %%
import numpy as np

from utils import data, gradcheck, plotting
from utils.validation import as_float_array, check_linear_model, check_option, check_positive_number, check_same_shape

BUGS = ("sign", "missing_mean", "half_l2", "dropped_sample")

# %% [markdown]
# ## Implementation


# %%
def central_difference_gradient(f, w, h=1e-5):
    """Gradient (shape and dtype of w) of a scalar function f at w (a float ndarray of any shape), by central
    differences, one entry at a time. w is nudged in place and restored, so f may close over it; its dtype
    is kept (float32 in, float32 arithmetic), which is what lets us see float32 fail.
    """
    if not isinstance(w, np.ndarray) or not np.issubdtype(w.dtype, np.floating):
        got = w.dtype if isinstance(w, np.ndarray) else type(w).__name__
        raise TypeError(f"w must be a floating-point ndarray (an integer one would round the step away); got {got}")
    h = check_positive_number(h, "h")
    # BEGIN SOLUTION
    # HINT 1: Nudge one entry of w at a time (any shape: np.ndindex), evaluate
    # HINT 1: f on both sides, and put the entry back before moving on.
    # HINT 2: grad[index] = (f(w with +h at index) - f(w with -h at index)) / (2 h)
    # HINT 3: grad = zeros_like(w); for index in np.ndindex(w.shape): old = w[index]
    # HINT 3:     w[index] = old + h; f_plus = f(w); w[index] = old - h; f_minus = f(w); w[index] = old
    # HINT 3:     grad[index] = (f_plus - f_minus) / (2 * h)
    grad = np.zeros_like(w)  # same shape and dtype as w
    for index in np.ndindex(w.shape):
        old = w[index]
        w[index] = old + h
        f_plus = f(w)
        w[index] = old - h
        f_minus = f(w)
        w[index] = old  # restore, so the next coordinate starts from w itself
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad
    # END SOLUTION


def relative_error(a, b, eps=1e-12):
    """|a - b| / (|a| + |b|) with Euclidean norms; 0 when both are (nearly) zero."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    check_same_shape(a, b, ("a", "b"))
    # BEGIN SOLUTION
    # HINT 1: Compare the difference with the sizes of both gradients, guarding 0 / 0.
    # HINT 2: |a - b| / max(|a| + |b|, eps)
    # eps keeps 0 / 0 away: two zero gradients agree perfectly.
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), eps))
    # END SOLUTION


def gradient_check(f, grad_f, w, h=1e-5):
    """Relative error between grad_f(w) and the central-difference gradient of f at w."""
    numeric = central_difference_gradient(f, w.copy(), h)  # a copy: the caller's w is never touched
    return relative_error(grad_f(w), numeric)


def _as_data(w, X, y):
    check_linear_model(w, 0.0, X, y)  # w (d,), X (n, d), y (n,), finite numbers
    return (np.asarray(a) if np.asarray(a).dtype.kind == "f" else np.asarray(a, dtype=float) for a in (w, X, y))  # float32 stays


def sigmoid(z):
    """1 / (1 + e^-z) = exp(-log(1 + e^-z)), without overflow for any z; keeps the dtype."""
    z = np.asarray(z) if np.asarray(z).dtype.kind == "f" else as_float_array(z, "z")  # lists, ints: float64
    return np.exp(-np.logaddexp(0, -z))  # logaddexp(0, t) = log(1 + e^t), computed stably


def logistic_loss(w, X, y, l2=0.0):
    """Mean cross-entropy of a logistic regression with weights w, plus l2/2 |w|^2."""
    w, X, y = _as_data(w, X, y)
    # BEGIN SOLUTION
    # HINT 1: Mean cross-entropy on logits z = X w, in a form that cannot overflow, plus the L2 term.
    # HINT 2: mean(logaddexp(0, z) - y z) + 0.5 * l2 * w @ w
    z = X @ w  # (n,) logits
    return np.mean(np.logaddexp(0, z) - y * z) + 0.5 * l2 * (w @ w)  # logaddexp: no overflow at z = +-1000
    # END SOLUTION


def logistic_loss_gradient(w, X, y, l2=0.0):
    """Analytic gradient of logistic_loss with respect to w, shape (d,)."""
    w, X, y = _as_data(w, X, y)
    # BEGIN SOLUTION
    # HINT 1: The logistic loss has a famously simple gradient: the prediction error, pushed back through X
    # HINT 1: and averaged; then add the L2 part.
    # HINT 2: X.T @ (sigmoid(X @ w) - y) / n + l2 * w
    residual = sigmoid(X @ w) - y  # (n,): predicted probability minus label
    return X.T @ residual / X.shape[0] + l2 * w  # (d,)
    # END SOLUTION


def buggy_logistic_loss_gradient(w, X, y, l2=0.0, bug="sign"):
    """The gradient with one planted mistake, for the checker to find."""
    w, X, y = _as_data(w, X, y)
    check_option(bug, "bug", BUGS)
    n, residual = X.shape[0], sigmoid(X @ w) - y  # residual (n,)
    if bug == "sign":
        return X.T @ (-residual) / n + l2 * w  # y - p instead of p - y
    if bug == "missing_mean":
        return X.T @ residual + l2 * w  # the sum, not the mean
    if bug == "half_l2":
        return X.T @ residual / n + 0.5 * l2 * w  # d/dw (l2/2 |w|^2) is l2 w, not l2 w / 2
    return X[:-1].T @ residual[:-1] / n + l2 * w  # an off-by-one slice drops the last sample


# %% [markdown]
# ## Demo


# %%
def main():
    X_raw, y = data.make_blobs(n_samples=200, centers=2, n_features=6, cluster_std=3.0, random_state=0)
    X_std = (X_raw - X_raw.mean(axis=0)) / X_raw.std(axis=0)  # (200, 6): standardised features
    X, y = np.column_stack([np.ones(len(X_std)), X_std]), y.astype(float)  # (200, 7): a column of ones for the bias
    w, l2 = 0.5 * np.random.default_rng(0).standard_normal(X.shape[1]), 0.1  # (7,)

    def loss(v):
        return logistic_loss(v, X, y, l2)

    ours, library = central_difference_gradient(loss, w.copy()), gradcheck.numerical_gradient(loss, w.copy())  # (7,) each
    print(f"Two overlapping blobs, X {X.shape}, l2 = {l2}; our central difference against "
          f"utils.gradcheck.numerical_gradient: rel error {relative_error(ours, library):.1e}\n")
    rows = [("correct", gradient_check(loss, lambda v: logistic_loss_gradient(v, X, y, l2), w))]
    rows += [(bug, gradient_check(loss, lambda v, b=bug: buggy_logistic_loss_gradient(v, X, y, l2, b), w)) for bug in BUGS]
    print(f"{'gradient':<16} | {'rel error':>9} | verdict (pass if < 1e-6)")  # a table of the planted bugs
    for name, err in rows:
        print(f"{name:<16} | {err:9.1e} | {'PASS' if err < 1e-6 else 'FAIL'}")

    # float32: the same check of the CORRECT gradient, with data and weights rounded to single precision.
    X32, y32, w32 = X.astype(np.float32), y.astype(np.float32), w.astype(np.float32)
    exact = logistic_loss_gradient(w, X, y, l2)  # (7,) in float64
    steps = np.logspace(-10, -1, 19)  # (19,)
    err64 = [relative_error(exact, central_difference_gradient(loss, w.copy(), h)) for h in steps]
    err32 = [relative_error(exact, central_difference_gradient(lambda v: logistic_loss(v, X32, y32, l2), w32.copy(), h))
             for h in steps]
    subtle = min(err for name, err in rows if name != "correct")
    print(f"\nThe correct gradient at h = 1e-5: float64 rel error {err64[10]:.1e}, float32 {err32[10]:.1e}, while the "
          f"subtlest bug scores {subtle:.1e}:\nin float32 a correct gradient looks as wrong as a buggy one (best step "
          f"h = {steps[np.argmin(err32)]:.0e} reaches only {min(err32):.1e}; float64's best {min(err64):.1e}).")

    fig, ax = plotting.new_figure(width=6, height=4.5)
    ax.loglog(steps, err64, "o-", ms=3, label="float64")
    ax.loglog(steps, err32, "s-", ms=3, label="float32")
    ax.axhline(1e-6, color="black", ls="--", lw=1, label="pass threshold 1e-6")
    ax.axhline(subtle, color=plotting.COLORS[3], ls=":", label=f"the subtlest planted bug ({subtle:.0e})")
    ax.axvline(1e-5, color="grey", ls=":", lw=1, label="default step h = 1e-5")
    ax.set(xlabel="step h", ylabel="relative error of the correct gradient",
           title="The same correct gradient, checked in float64 and float32")
    ax.legend(loc="lower right", fontsize=8)
    plotting.show_or_save(fig, "ex17_gradient_checking")


if __name__ == "__main__":
    main()
