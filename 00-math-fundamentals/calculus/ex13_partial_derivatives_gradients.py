"""
Exercise 13: partial derivatives, gradients and gradient fields

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
   directional derivative against grad . u for all directions u.

References: G. Strang, Calculus, 3rd ed. (MIT OpenCourseWare), sec. 13.3-13.4;
Goodfellow, Bengio & Courville, Deep Learning, sec. 4.3.
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/calculus/ex13_partial_derivatives_gradients.py
"""

# %%
import numpy as np

from utils import plotting

# %% [markdown]
# ## Implementation
#
# Functions here are vectorised over leading axes: `f` takes points of shape
# `(..., n)` and returns values of shape `(...)`, so one call evaluates a grid.


# %%
def _as_points(x):
    x = np.asarray(x, dtype=float)
    if x.ndim < 1 or x.shape[-1] < 1:
        raise ValueError(f"points must have shape (..., n) with n >= 1; got {x.shape}")
    return x


def partial_derivative(f, x, i, h=1e-5):
    """Central-difference estimate of df/dx_i at the points x.

    Parameters
    ----------
    f : callable, f(points of shape (..., n)) -> values of shape (...)
    x : ndarray of shape (..., n)
    i : int, 0 <= i < n
    h : float, positive step

    Returns
    -------
    ndarray of shape (...)
    """
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
    """All n partial derivatives stacked on the last axis: the gradient at each point.

    Returns
    -------
    ndarray of shape (..., n), like x
    """
    x = _as_points(x)
    # BEGIN SOLUTION
    # HINT 1: The gradient stacks the n partial derivatives along a new last axis.
    # HINT 2: np.stack([partial_derivative(f, x, i, h) for i in range(n)], axis=-1)
    partials = [partial_derivative(f, x, i, h) for i in range(x.shape[-1])]  # n arrays of shape (...)
    return np.stack(partials, axis=-1)  # (..., n)
    # END SOLUTION


def directional_derivative(grad, u):
    """D_u f = grad . (u / |u|): the slope of f when we walk in direction u.

    Parameters
    ----------
    grad : ndarray of shape (..., n), the gradient at each point
    u : ndarray of shape (n,), a non-zero direction (normalised here)

    Returns
    -------
    ndarray of shape (...)
    """
    grad, u = _as_points(grad), np.asarray(u, dtype=float)
    if u.shape != grad.shape[-1:]:
        raise ValueError(f"direction u must have shape ({grad.shape[-1]},); got {u.shape}")
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
    x = _as_points(x)
    return 0.5 * np.einsum("...i,ij,...j->...", x, A, x) + x @ b  # (...)


def quadratic_gradient(x, A, b):
    """Analytic gradient of `quadratic`: 1/2 (A + A^T) x + b, shape (..., n)."""
    x, A, b = _as_points(x), np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    n = x.shape[-1]
    if A.shape != (n, n) or b.shape != (n,):
        raise ValueError(f"expected A of shape ({n}, {n}) and b of shape ({n},); got {A.shape} and {b.shape}")
    # BEGIN SOLUTION
    # HINT 1: Differentiate the quadratic form term by term; A need not be symmetric.
    # HINT 2: grad = 0.5 (A + A^T) x + b, written as 0.5 * x @ (A + A.T) + b for a batch of rows
    # d/dx_k sum_ij x_i A_ij x_j = sum_j A_kj x_j + sum_i x_i A_ik = (A x + A^T x)_k
    # A + A^T is symmetric, so the row form x @ (A + A^T) equals (A + A^T) x for every point.
    return 0.5 * x @ (A + A.T) + b  # (..., n)
    # END SOLUTION


def bump(x):
    """g(x, y) = x exp(-x^2 - y^2): a hill at (1/sqrt 2, 0) and a dip at (-1/sqrt 2, 0)."""
    x = _as_points(x)
    return x[..., 0] * np.exp(-x[..., 0] ** 2 - x[..., 1] ** 2)  # (...)


def bump_gradient(x):
    """Analytic gradient of `bump`, shape (..., 2)."""
    x = _as_points(x)
    if x.shape[-1] != 2:
        raise ValueError(f"bump is a function of 2 variables: points must have shape (..., 2); got {x.shape}")
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
    # 1. Numeric against analytic gradients.
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))  # not symmetric on purpose
    b = rng.standard_normal(4)  # (4,)
    x = rng.standard_normal(4)  # (4,)
    num_q = numerical_gradient(lambda p: quadratic(p, A, b), x)
    exact_q = quadratic_gradient(x, A, b)
    p = np.array([0.3, -0.8])
    num_g, exact_g = numerical_gradient(bump, p), bump_gradient(p)
    print(f"{'function':<24} | {'numeric gradient':<40} | max |difference|")
    print("-" * 84)
    print(f"{'quadratic, n = 4':<24} | {np.array2string(num_q, precision=4):<40} | {np.max(np.abs(num_q - exact_q)):.1e}")
    print(f"{'bump at (0.3, -0.8)':<24} | {np.array2string(num_g, precision=4):<40} | {np.max(np.abs(num_g - exact_g)):.1e}")

    # 2. Directional derivatives: grad . u against a slope measured along u.
    print(f"\nDirectional derivatives of the bump at {p}: grad = {np.round(exact_g, 4)}")
    print(f"{'angle of u':>10} | {'grad . u':>9} | {'(g(p+tu)-g(p-tu))/2t':>21}")
    print("-" * 47)
    for deg in (0, 45, 90, 180, np.degrees(np.arctan2(exact_g[1], exact_g[0]))):
        u = np.array([np.cos(np.radians(deg)), np.sin(np.radians(deg))])  # (2,)
        t = 1e-5
        slope = (bump(p + t * u) - bump(p - t * u)) / (2 * t)
        print(f"{deg:6.1f} deg | {directional_derivative(exact_g, u):9.5f} | {slope:21.5f}")
    print("The last row is the gradient's own direction: the steepest slope, equal to |grad| =", f"{np.linalg.norm(exact_g):.5f}")

    # 3. The gradient field over the contour lines.
    xs = np.linspace(-2, 2, 200)  # (200,)
    grid = np.stack(np.meshgrid(xs, xs), axis=-1)  # (200, 200, 2)
    coarse = np.stack(np.meshgrid(np.linspace(-2, 2, 17), np.linspace(-2, 2, 17)), axis=-1)  # (17, 17, 2)
    field = numerical_gradient(bump, coarse)  # (17, 17, 2): every point in 2 pairs of calls

    fig, (ax_field, ax_dir) = plotting.new_figure(1, 2, width=5.5, height=5)
    levels = np.linspace(-0.4, 0.4, 17)
    contours = ax_field.contour(grid[..., 0], grid[..., 1], bump(grid), levels=levels, cmap="RdBu_r", linewidths=1)
    fig.colorbar(contours, ax=ax_field, shrink=0.8, label="g(x, y)")
    ax_field.quiver(coarse[..., 0], coarse[..., 1], field[..., 0], field[..., 1], color="black", alpha=0.7, width=0.004)
    # On one level set, the gradient and the tangent: perpendicular.
    q = np.array([0.35, 0.75])
    g_q = bump_gradient(q)
    tangent = np.array([-g_q[1], g_q[0]]) / np.linalg.norm(g_q)  # (2,): the gradient turned by 90 degrees
    ax_field.contour(grid[..., 0], grid[..., 1], bump(grid), levels=[bump(q)], colors=plotting.COLORS[1], linewidths=2.5)
    ax_field.plot(*np.column_stack([q - 0.5 * tangent, q + 0.5 * tangent]), color=plotting.COLORS[2], lw=2.5, zorder=5)
    ax_field.annotate(
        "",
        xy=q + 0.7 * g_q / np.linalg.norm(g_q),
        xytext=q,
        arrowprops=dict(arrowstyle="-|>", lw=2.5, color=plotting.COLORS[3]),
        zorder=6,
    )
    ax_field.scatter(*q, color="black", zorder=7)
    ax_field.text(
        -1.9,
        1.9,
        "at the black dot:\nred arrow = grad g,\ngreen = tangent of\nthe orange level set",
        fontsize=8,
        va="top",
        bbox=dict(facecolor="white", edgecolor="grey", alpha=0.9),
    )
    ax_field.set(
        aspect="equal",
        xlabel="x",
        ylabel="y",
        title="g = x exp(-x² - y²): contours and gradient field\n(arrows point uphill, across the contours)",
    )

    angles = np.linspace(0, 2 * np.pi, 361)  # (361,)
    directions = np.column_stack([np.cos(angles), np.sin(angles)])  # (361, 2)
    measured = (bump(p + 1e-5 * directions) - bump(p - 1e-5 * directions)) / 2e-5  # (361,)
    ax_dir.plot(np.degrees(angles), directions @ exact_g, lw=3, alpha=0.4, label="grad g . u")
    ax_dir.plot(np.degrees(angles), measured, color="black", lw=1, ls="--", label="slope measured along u")
    best = np.degrees(np.arctan2(exact_g[1], exact_g[0])) % 360
    ax_dir.axvline(best, color=plotting.COLORS[3], ls=":", label=f"direction of grad g ({best:.0f}°)")
    ax_dir.axhline(np.linalg.norm(exact_g), color="grey", lw=0.8, ls=":", label=f"|grad g| = {np.linalg.norm(exact_g):.3f}")
    ax_dir.set(
        xlabel="angle of the unit direction u (degrees)",
        ylabel="directional derivative D_u g",
        title=f"Slope of g at ({p[0]}, {p[1]}) in every direction",
        xticks=np.arange(0, 361, 90),
    )
    ax_dir.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    plotting.show_or_save(fig, "ex13_partial_derivatives_gradients")


if __name__ == "__main__":
    main()
