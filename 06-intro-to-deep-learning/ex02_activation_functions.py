"""
Exercise 02: activation functions and their derivatives

Learning goals
--------------
- Write the common activations (sigmoid, tanh, ReLU, leaky ReLU, ELU, GELU, softmax) and their derivatives.
- Keep them finite and warning-free for inputs as large as +-1000: no inf, nan or overflow warning.
- Compare the exact GELU (erf) and its tanh approximation; see a temperature take softmax from argmax to uniform.

The math
--------
x is an array of any shape; every function except softmax acts elementwise.
    sigmoid    s(x) = 1 / (1 + e^-x)                       s' = s (1 - s)
    tanh       t(x) = (e^x - e^-x) / (e^x + e^-x)           t' = 1 - t^2
    ReLU       max(0, x)                                   1 if x > 0 else 0 (we take 0 at x = 0)
    leaky ReLU x if x > 0 else a x       (a = 0.01)        1 if x > 0 else a
    ELU        x if x > 0 else a (e^x - 1)   (a = 1)        1 if x > 0 else a e^x
    GELU       x Phi(x),  Phi(x) = (1 + erf(x / sqrt 2)) / 2 (the standard normal CDF)
                                                           Phi(x) + x phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi)
    GELU, tanh approximation (Hendrycks & Gimpel):
               g(x) = x (1 + tanh(u)) / 2,  u = sqrt(2/pi) (x + 0.044715 x^3)
               g'(x) = (1 + tanh u) / 2 + x (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 x^2) / 2
For scores z of shape (C,), softmax(z)_k = e^(z_k) / sum_j e^(z_j); its Jacobian is
    J = diag(s) - s s^T   (C, C),
and a backward pass never builds J: dz = J^T dout = s * (dout - (s . dout)).
Here `gelu` is the exact erf form (math.erf, vectorised), `gelu_tanh` the approximation; the demo prints the gap.

Algorithm
---------
1. No exp may overflow: sigmoid takes exp of -|x|, softmax subtracts each row's max, ELU takes expm1 of min(x, 0).
2. Write each derivative, in terms of the function's output where that is cheaper.
3. Check the derivatives against central differences, and the values at +-1000.

References: Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 6.3; V. Nair, G. Hinton, "Rectified linear
units improve restricted Boltzmann machines", ICML 2010; A. Maas et al., "Rectifier nonlinearities improve neural
network acoustic models", ICML 2013 (leaky ReLU); D.-A. Clevert et al., "Fast and accurate deep network learning by
exponential linear units", ICLR 2016; D. Hendrycks, K. Gimpel, "Gaussian error linear units (GELUs)", arXiv:1606.08415.
Difficulty: 1 of 3, about 30 minutes.
Run: python 06-intro-to-deep-learning/ex02_activation_functions.py
"""

# %%
import math

import numpy as np

from utils import plotting
from utils.timing import format_table
from utils.validation import as_float_array, check_positive_number, check_same_shape

_erf = np.vectorize(math.erf, otypes=[float])  # math.erf for arrays (NumPy has no erf of its own)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715

# %% [markdown]
# ## Elementwise activations and their derivatives


# %%
def sigmoid(x):
    """1 / (1 + e^-x) without overflow for large |x|."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Pick the algebraically equal form whose exponent is never positive for each sign of x.
    # HINT 2: z = exp(-|x|); x >= 0: 1 / (1 + z); x < 0: z / (1 + z)
    # HINT 3: z = np.exp(-np.abs(x))
    # HINT 3: return np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    # e^-x overflows for x << 0, so there we use the equal form e^x / (1 + e^x).
    z = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    # END SOLUTION


def sigmoid_grad(x):
    """d sigmoid / dx = s (1 - s), elementwise."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Express the derivative through sigmoid(x) itself: reuse the forward value.
    # HINT 2: s = sigmoid(x); grad = s * (1 - s)
    s = sigmoid(x)
    return s * (1.0 - s)  # both factors in [0, 1]: nothing to overflow
    # END SOLUTION


def tanh(x):
    """tanh(x), elementwise (np.tanh is already stable: it saturates at +-1)."""
    return np.tanh(as_float_array(x, "x"))


def tanh_grad(x):
    """d tanh / dx = 1 - tanh(x)^2, elementwise."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: d/dx tanh(x) can be written using tanh(x) alone.
    # HINT 2: 1 - tanh(x)**2
    return 1.0 - np.tanh(x) ** 2
    # END SOLUTION


def relu(x):
    """max(0, x), elementwise."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Elementwise max with zero; keep it vectorized (no Python loop, no if on arrays).
    return np.maximum(0.0, x)
    # END SOLUTION


def relu_grad(x):
    """1 where x > 0, else 0 (the kink at 0 gets 0, the usual convention)."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Slope 1 where x is positive, 0 elsewhere (take 0 at x = 0); return floats, not booleans.
    # HINT 2: (x > 0).astype(float)
    return (x > 0).astype(float)
    # END SOLUTION


def leaky_relu(x, alpha=0.01):
    """x where x > 0, alpha * x elsewhere: a small slope keeps negative units learning."""
    alpha, x = check_positive_number(alpha, "alpha", allow_zero=True), as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Two linear pieces chosen elementwise: np.where picks a branch per entry.
    # HINT 2: np.where(x > 0, x, alpha * x)
    return np.where(x > 0, x, alpha * x)
    # END SOLUTION


def leaky_relu_grad(x, alpha=0.01):
    """1 where x > 0, alpha elsewhere."""
    alpha, x = check_positive_number(alpha, "alpha", allow_zero=True), as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: The slope of each piece: 1 on the right, alpha on the left.
    return np.where(x > 0, 1.0, alpha)
    # END SOLUTION


def elu(x, alpha=1.0):
    """x where x > 0, alpha (e^x - 1) elsewhere: smooth, and saturating at -alpha."""
    alpha, x = check_positive_number(alpha, "alpha", allow_zero=True), as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: np.where computes BOTH branches for every entry: keep the exp branch from overflowing.
    # HINT 2: np.where(x > 0, x, alpha * (exp(min(x, 0)) - 1)), with np.expm1 for accuracy near 0.
    # HINT 3: neg = np.minimum(x, 0.0)   # exponent never positive
    # HINT 3: return np.where(x > 0, x, alpha * np.expm1(neg))
    # np.where evaluates both branches: min(x, 0) keeps exp finite on the discarded side; expm1 is exact near 0.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
    # END SOLUTION


def elu_grad(x, alpha=1.0):
    """1 where x > 0, alpha e^x elsewhere."""
    alpha, x = check_positive_number(alpha, "alpha", allow_zero=True), as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Differentiate alpha * (e^x - 1) for the left piece; same overflow guard as elu.
    # HINT 2: np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))  # exponent <= 0, as in elu
    # END SOLUTION


def normal_cdf(x):
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2, the standard normal CDF, elementwise."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: The standard normal CDF is an affine function of the error function (_erf is given).
    # HINT 2: Phi(x) = 0.5 * (1 + _erf(x / sqrt(2)))
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))
    # END SOLUTION


def gelu(x):
    """The exact GELU, x Phi(x): the input times the probability that a standard normal is below it."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: GELU weights its input by the probability that a standard normal falls below it.
    # HINT 2: x * normal_cdf(x)
    return x * normal_cdf(x)
    # END SOLUTION


def gelu_grad(x):
    """d GELU / dx = Phi(x) + x phi(x), with phi the standard normal density."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Product rule on x * Phi(x); Phi' is the standard normal density.
    # HINT 2: normal_cdf(x) + x * exp(-x**2 / 2) / sqrt(2 * pi)
    density = np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)  # underflows quietly to 0 for |x| > 38
    return normal_cdf(x) + x * density
    # END SOLUTION


def gelu_tanh(x):
    """The tanh approximation of GELU, x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Build the inner cubic u first, then apply the tanh form; tanh saturates, so large u is safe.
    # HINT 2: u = _SQRT_2_OVER_PI * (x + _GELU_CUBIC * x**3); out = 0.5 * x * (1 + tanh(u))
    u = _SQRT_2_OVER_PI * (x + _GELU_CUBIC * x**3)  # 1e9 at x = 1000: large, but tanh saturates at +-1
    return 0.5 * x * (1.0 + np.tanh(u))
    # END SOLUTION


def gelu_tanh_grad(x):
    """Derivative of gelu_tanh (product and chain rule, see the module docstring)."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Product rule on 0.5 * x * (1 + tanh(u)), then chain rule through u(x).
    # HINT 2: t = tanh(u); du_dx = _SQRT_2_OVER_PI * (1 + 3 * _GELU_CUBIC * x**2)
    # HINT 2: grad = 0.5 * (1 + t) + 0.5 * x * (1 - t**2) * du_dx
    t = np.tanh(_SQRT_2_OVER_PI * (x + _GELU_CUBIC * x**3))
    du_dx = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_CUBIC * x**2)
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t**2) * du_dx
    # END SOLUTION


# %% [markdown]
# ## Softmax: a vector function, so its derivative is a Jacobian


# %%
def softmax(scores):
    """Row-wise softmax of scores (N, C), stable for any finite scores."""
    scores = as_float_array(scores, "scores", ndim=2)
    # BEGIN SOLUTION
    # HINT 1: Subtract each row's max before exponentiating: the result is unchanged, exp cannot overflow.
    # HINT 2: e = exp(scores - max_row); probs = e / e.sum(axis=1, keepdims=True)
    shifted = scores - scores.max(axis=1, keepdims=True)  # (N, C), largest entry 0: exp cannot overflow
    exp = np.exp(shifted)  # (N, C)
    return exp / exp.sum(axis=1, keepdims=True)
    # END SOLUTION


def softmax_jacobian(z):
    """J[i, j] = d softmax(z)_i / d z_j = s_i ([i = j] - s_j), for scores z of shape (C,)."""
    z = as_float_array(z, "z")
    if z.ndim != 1 or z.size == 0:
        raise ValueError(f"softmax_jacobian expects z, one score vector of shape (C,) with C >= 1; got shape {z.shape}")
    # BEGIN SOLUTION
    # HINT 1: Get s = softmax(z) (one row), then the Jacobian is a diagonal part minus a rank-one part.
    # HINT 2: J = np.diag(s) - np.outer(s, s), shape (C, C)
    s = softmax(z[None, :])[0]  # (C,)
    return np.diag(s) - np.outer(s, s)  # (C, C), symmetric, each row sums to 0
    # END SOLUTION


def softmax_backward(dout, s):
    """dz = J^T dout for each row: s * (dout - sum(s * dout)), with s = softmax(z), both (N, C)."""
    dout, s = as_float_array(dout, "dout"), as_float_array(s, "s", ndim=2)
    check_same_shape(dout, s, ("dout", "s"))
    if np.any(s < 0) or np.any(s > 1):
        raise ValueError(f"s must hold softmax probabilities in [0, 1]; got values from {s.min():.3g} to {s.max():.3g}")
    # BEGIN SOLUTION
    # HINT 1: Multiply dout by the Jacobian of each row without building any (C, C) matrix.
    # HINT 2: dz = s * (dout - sum_c(s * dout)) per row, the sum with keepdims=True, shape (N, C)
    # HINT 3: inner = np.sum(s * dout, axis=1, keepdims=True)   # (N, 1)
    # HINT 3: return s * (dout - inner)                          # (N, C)
    return s * (dout - np.sum(s * dout, axis=1, keepdims=True))  # (N, C), O(N C) instead of O(N C^2)
    # END SOLUTION


ACTIVATIONS = {"sigmoid": (sigmoid, sigmoid_grad), "tanh": (tanh, tanh_grad), "ReLU": (relu, relu_grad),
               "leaky ReLU": (leaky_relu, leaky_relu_grad), "ELU": (elu, elu_grad), "GELU": (gelu, gelu_grad),
               "GELU (tanh)": (gelu_tanh, gelu_tanh_grad)}

# %% [markdown]
# ## Demo


# %%
def main():
    extremes = np.array([-1000.0, 0.0, 1000.0])
    rows = [[name] + [f"{v + 0.0:g}" for v in np.concatenate([f(extremes), df(extremes)])] for name, (f, df) in ACTIVATIONS.items()]
    print("Values and derivatives at -1000, 0 and 1000 (finite, no warnings):\n")
    print(format_table(["activation", "f(-1000)", "f(0)", "f(1000)", "f'(-1000)", "f'(0)", "f'(1000)"], rows))
    print("\nsoftmax([1000, 999, -1000]) =", np.round(softmax(np.array([[1000.0, 999.0, -1000.0]]))[0], 4))
    grid = np.linspace(-6, 6, 2001)  # (2001,)
    gap, gap_grad = np.abs(gelu(grid) - gelu_tanh(grid)), np.abs(gelu_grad(grid) - gelu_tanh_grad(grid))  # (2001,) each
    print(f"\nGELU: the tanh approximation differs from the exact erf form by at most {gap.max():.1e}"
          f" (at x = {grid[gap.argmax()]:+.2f}); the derivatives by at most {gap_grad.max():.1e}.")
    x = np.linspace(-4, 4, 801)  # (801,)
    fig, (ax_f, ax_d, ax_soft) = plotting.new_figure(1, 3, width=4.6, height=3.8)
    for i, (name, (f, df)) in enumerate(ACTIVATIONS.items()):
        if name != "GELU (tanh)":  # indistinguishable from GELU at this scale: the gap is printed above
            ax_f.plot(x, f(x), color=plotting.COLORS[i], lw=1.8, label=name)
            ax_d.plot(x, df(x), color=plotting.COLORS[i], lw=1.8, label=name)
    ax_f.set(title="Activations f(x)", xlabel="x", ylabel="f(x)", ylim=(-1.5, 4.0))
    ax_d.set(title="Their derivatives f'(x)", xlabel="x", ylabel="f'(x)")
    ax_f.legend(loc="upper left", fontsize=8)
    scores = np.array([2.0, 1.0, 0.1])
    temperatures = np.logspace(-1.5, 1.5, 200)  # (200,)
    probs = softmax(scores[None, :] / temperatures[:, None])  # (200, 3)
    ax_soft.plot(temperatures, probs, lw=1.8, label=[f"score {score:g}" for score in scores])  # one line per column
    ax_soft.axhline(1 / 3, color="grey", ls=":", lw=1, label="uniform, 1/3")
    ax_soft.set(xscale="log", title="softmax(z / T) for z = (2, 1, 0.1)", xlabel="temperature T", ylabel="probability")
    ax_soft.legend()
    plotting.show_or_save(fig, "ex02_activation_functions")


if __name__ == "__main__":
    main()
