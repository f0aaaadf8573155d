"""
Exercise 14: partial derivatives, gradients and gradient fields

Learning goals
--------------
- Compute a partial derivative by freezing every coordinate but one, and stack
  the partials into the gradient, numerically and by hand.
- Use the gradient for any direction: the directional derivative is grad f . u.
- See on a contour plot that the gradient is perpendicular to the level sets
  and points uphill, the direction of steepest ascent.

The math
--------
f maps x in R^n, an array of shape (n,), to a number. e_i is the i-th unit
vector. The partial derivative along coordinate i and the gradient are
    df/dx_i (x) = lim_{h->0} (f(x + h e_i) - f(x)) / h
    grad f (x)  = (df/dx_1, ..., df/dx_n),  shape (n,).
We estimate each partial with the central difference (f(x + h e_i) - f(x - h e_i)) / (2h).
For a unit vector u (|u| = 1) the chain rule gives the directional derivative
    D_u f (x) = d/dt f(x + t u) at t = 0 = grad f (x) . u = |grad f| cos(angle).
It is largest, |grad f|, for u = grad f / |grad f|: the gradient points uphill.
Along a level set {f = c} the value does not change, so D_t f = 0 for the
tangent t: the gradient is perpendicular to the level sets.
Examples: the quadratic q(x) = 1/2 x^T A x + b^T x (A of shape (n, n), b of
shape (n,)) has grad q = 1/2 (A + A^T) x + b, which is A x + b when A is
symmetric; the bump-and-dip g(x, y) = x exp(-x^2 - y^2) has
    dg/dx = (1 - 2x^2) exp(-x^2 - y^2),   dg/dy = -2xy exp(-x^2 - y^2).

Algorithm
---------
1. For each coordinate i, shift every point by +h e_i and -h e_i, evaluate f,
   and take the central difference: n pairs of calls give the gradient at all
   points at once.
2. Compare with the analytic gradients of q and g.
3. Draw g's contour lines with its gradient field on top, and check the
   directional derivative against grad . u for a few directions u.

References: G. Strang, Calculus, 3rd ed. (MIT OpenCourseWare), sec. 13.3-13.4;
Goodfellow, Bengio & Courville, Deep Learning, sec. 4.3.
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/calculus/ex14_partial_derivatives_gradients.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation
#
# Every function is vectorised over leading axes: points (..., n) in, values (...) out.


# %%
def _as_points(x, n=None, name="x"):  # float points of shape (..., n), n >= 1
    x = as_float_array(x, name)
    if x.ndim < 1 or x.shape[-1] < 1 or (n is not None and x.shape[-1] != n):
        raise ValueError(f"{name} must be points of shape (..., {n or 'n'}) with n >= 1; got {x.shape}")
    return x


def _as_quadratic(x, A, b):  # points x (..., n), A (n, n), b (n,) as float arrays
    x, A, b = _as_points(x), as_float_array(A, "A"), as_float_array(b, "b")
    n = x.shape[-1]
    if A.shape != (n, n) or b.shape != (n,):
        raise ValueError(f"expected A of shape ({n}, {n}) and b of shape ({n},) for x of shape {x.shape}; got {A.shape} and {b.shape}")
    return x, A, b


def partial_derivative(f, x, i, h=1e-5):
    """Central-difference estimate of df/dx_i, shape (...), at the points x (..., n); 0 <= i < n, step h > 0."""
    x = _as_points(x)
    n = x.shape[-1]
    if not 0 <= i < n:
        raise ValueError(f"coordinate index i must be in [0, {n}); got {i}")
    if h <= 0:
        raise ValueError(f"the step h must be positive; got {h}")
    # BEGIN SOLUTION
    # HINT 1: Move only coordinate i, by h in both directions; the other coordinates stay fixed.
    # HINT 2: step = h e_i (an (n,) vector); (f(x + step) - f(x - step)) / (2 h)
    # HINT 3: step = np.zeros(n); step[i] = h
    # HINT 3: return (f(x + step) - f(x - step)) / (2 * h)   # step broadcasts over a batch of points
    step = np.zeros(n)  # (n,): h along coordinate i, 0 elsewhere
    step[i] = h
    return (f(x + step) - f(x - step)) / (2 * h)  # (...): step broadcasts over all points
    # END SOLUTION


def numerical_gradient(f, x, h=1e-5):
    """All n partial derivatives stacked on the last axis: the gradient at each point, shape (..., n) like x."""
    x = _as_points(x)
    # BEGIN SOLUTION
    # HINT 1: The gradient stacks the n partial derivatives along a new last axis.
    # HINT 2: np.stack([partial_derivative(f, x, i, h) for i in range(n)], axis=-1)
    partials = [partial_derivative(f, x, i, h) for i in range(x.shape[-1])]  # n arrays of shape (...)
    return np.stack(partials, axis=-1)  # (..., n)
    # END SOLUTION


def directional_derivative(grad, u):
    """D_u f = grad . (u / |u|), shape (...): the slope of f walking along u (n,), non-zero; grad is (..., n)."""
    grad, u = _as_points(grad, name="grad"), as_float_array(u, "u")
    if u.shape != grad.shape[-1:]:
        raise ValueError(f"direction u must have shape ({grad.shape[-1]},) to match grad {grad.shape}; got {u.shape}")
    norm = np.linalg.norm(u)
    if norm == 0:
        raise ValueError("direction u must be non-zero: the zero vector has no direction")
    # BEGIN SOLUTION
    # HINT 1: The rate of change along u is the gradient dotted with the UNIT vector along u.
    # HINT 2: grad @ (u / ||u||)
    return grad @ (u / norm)  # (...): dot product over the last axis
    # END SOLUTION


def quadratic(x, A, b):
    """q(x) = 1/2 x^T A x + b^T x for points x of shape (..., n); A (n, n), b (n,)."""
    x, A, b = _as_quadratic(x, A, b)
    return 0.5 * np.einsum("...i,ij,...j->...", x, A, x) + x @ b  # (...)


def quadratic_gradient(x, A, b):
    """Analytic gradient of `quadratic`: 1/2 (A + A^T) x + b, shape (..., n)."""
    x, A, b = _as_quadratic(x, A, b)
    # BEGIN SOLUTION
    # HINT 1: Differentiate the quadratic form term by term; A need not be symmetric.
    # HINT 2: grad = 0.5 (A + A^T) x + b, written as 0.5 * x @ (A + A.T) + b for a batch of rows
    # d/dx_k sum_ij x_i A_ij x_j = sum_j A_kj x_j + sum_i x_i A_ik = (A x + A^T x)_k
    # A + A^T is symmetric, so the row form x @ (A + A^T) equals (A + A^T) x for every point.
    return 0.5 * x @ (A + A.T) + b  # (..., n)
    # END SOLUTION


def bump(x):
    """g(x, y) = x exp(-x^2 - y^2): a hill at (1/sqrt 2, 0) and a dip at (-1/sqrt 2, 0)."""
    x = _as_points(x, 2)
    return x[..., 0] * np.exp(-x[..., 0] ** 2 - x[..., 1] ** 2)  # (...)


def bump_gradient(x):
    """Analytic gradient of `bump`, shape (..., 2)."""
    x = _as_points(x, 2)
    # BEGIN SOLUTION
    # HINT 1: Product rule and chain rule on x * exp(-x^2 - y^2), coordinate by coordinate.
    # HINT 2: df/dx = (1 - 2x^2) e; df/dy = -2 x y e, with e = exp(-x^2 - y^2)
    # HINT 3: px, py = x[..., 0], x[..., 1]; e = np.exp(-px**2 - py**2)
    # HINT 3: return np.stack([(1 - 2 * px**2) * e, -2 * px * py * e], axis=-1)
    px, py = x[..., 0], x[..., 1]  # (...) each
    e = np.exp(-(px**2) - py**2)  # (...)
    return np.stack([(1 - 2 * px**2) * e, -2 * px * py * e], axis=-1)  # (..., 2)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    A, b, x = rng.standard_normal((4, 4)), rng.standard_normal(4), rng.standard_normal(4)  # A not symmetric on purpose
    p = np.array([0.3, -0.8])
    num_q, exact_q = numerical_gradient(lambda z: quadratic(z, A, b), x), quadratic_gradient(x, A, b)  # (4,) each
    num_g, exact_g = numerical_gradient(bump, p), bump_gradient(p)  # (2,) each
    print(f"max |numeric - analytic| gradient: quadratic (n = 4) {np.max(np.abs(num_q - exact_q)):.1e}, "
          f"bump at {p} {np.max(np.abs(num_g - exact_g)):.1e}")

    # Directional derivatives: grad . u against a slope measured along u.
    print(f"\nbump at {p}: grad = {np.round(exact_g, 4)}, |grad| = {np.linalg.norm(exact_g):.5f}")
    print(f"{'angle of u':>10} | {'grad . u':>9} | {'(g(p+tu)-g(p-tu))/2t':>21}")
    for deg in (0, 45, 90, 180, np.degrees(np.arctan2(exact_g[1], exact_g[0]))):  # last: grad's own direction
        u, t = np.array([np.cos(np.radians(deg)), np.sin(np.radians(deg))]), 1e-5  # (2,) unit direction
        print(f"{deg:6.1f} deg | {directional_derivative(exact_g, u):9.5f} | {(bump(p + t * u) - bump(p - t * u)) / (2 * t):21.5f}")

    # The gradient field over the contour lines, and at one point the gradient against the level set's tangent.
    xs = np.linspace(-2, 2, 200)  # (200,)
    grid = np.stack(np.meshgrid(xs, xs), axis=-1)  # (200, 200, 2)
    coarse = np.stack(np.meshgrid(np.linspace(-2, 2, 17), np.linspace(-2, 2, 17)), axis=-1)  # (17, 17, 2)
    field = numerical_gradient(bump, coarse)  # (17, 17, 2): every point in 2 pairs of calls
    fig, ax = plotting.new_figure(width=6, height=5.5)
    contours = ax.contour(grid[..., 0], grid[..., 1], bump(grid), levels=np.linspace(-0.4, 0.4, 17), cmap="RdBu_r")
    fig.colorbar(contours, ax=ax, shrink=0.8, label="g(x, y)")
    ax.quiver(coarse[..., 0], coarse[..., 1], field[..., 0], field[..., 1], color="black", alpha=0.7, width=0.004)
    q = np.array([0.35, 0.75])
    g_q = bump_gradient(q) / np.linalg.norm(bump_gradient(q))  # (2,) unit gradient
    tangent = np.array([-g_q[1], g_q[0]])  # (2,): the gradient turned by 90 degrees
    ax.contour(grid[..., 0], grid[..., 1], bump(grid), levels=[bump(q)], colors=plotting.COLORS[1], linewidths=2.5)
    ax.plot(*np.column_stack([q - 0.5 * tangent, q + 0.5 * tangent]), color=plotting.COLORS[2], lw=2.5, label="tangent")
    ax.annotate("", xy=q + 0.7 * g_q, xytext=q, arrowprops=dict(arrowstyle="-|>", lw=2.5, color=plotting.COLORS[3]))
    ax.set(aspect="equal", xlabel="x", ylabel="y", title="g = x exp(-x² - y²): the gradient field points uphill,\n"
           "across the contours (red arrow: grad g, perpendicular to the orange level set)")
    ax.legend(loc="lower left")
    plotting.show_or_save(fig, "ex14_partial_derivatives_gradients")


if __name__ == "__main__":
    main()
