"""
Exercise 16: Jacobians, Hessians and what the second derivative says about a critical point

Learning goals
--------------
- Build the Jacobian of a map R^n -> R^m column by column with central differences; check it by hand.
- Build the Hessian of a scalar function from second differences; see that it is symmetric, and that
  it is the Jacobian of the gradient.
- Classify a critical point (grad f = 0) as minimum, maximum or saddle from the Hessian's eigenvalues.

The math
--------
For F: R^n -> R^m, x of shape (n,), the Jacobian J has shape (m, n):
    J_ij = dF_i / dx_j,   column j = (F(x + h e_j) - F(x - h e_j)) / (2h) + O(h^2).
Near x, F(x + dx) ~ F(x) + J dx: the Jacobian is the best linear map.
Example: polar to Cartesian, F(r, t) = (r cos t, r sin t), has J = [[cos t, -r sin t], [sin t, r cos t]], det J = r.
For f: R^n -> R the Hessian H, shape (n, n), holds the second partials
    H_ij = d^2 f / dx_i dx_j
        ~ (f(x+h e_i+h e_j) - f(x+h e_i-h e_j) - f(x-h e_i+h e_j) + f(x-h e_i-h e_j)) / (4h^2).
For f with continuous second partials H_ij = H_ji (Schwarz's theorem), and H is the Jacobian of
grad f. The truncation error is O(h^2) and the round-off about eps |f| / h^2, so h ~ eps^(1/4) ~ 1e-4.
At a critical point x* (grad f = 0) Taylor's theorem leaves
    f(x* + d) ~ f(x*) + 1/2 d^T H d,
so with the eigenvalues of the symmetric H: all > 0 -> local minimum, all < 0 -> local maximum,
both signs -> saddle, some = 0 -> the test is inconclusive. Example: f(x, y) = x^3 - 3x + y^3 - 3y
has grad f = (3x^2 - 3, 3y^2 - 3), so its critical points are (+-1, +-1), and H = diag(6x, 6y).

Algorithm
---------
1. Jacobian: for each input coordinate j, evaluate F at x +- h e_j; the central difference is column j.
2. Hessian: for each pair i <= j, combine four values of f; copy to (j, i).
3. Classify: eigenvalues with np.linalg.eigvalsh (H is symmetric); treat those within a tolerance
   of 0 as zero, because a numeric Hessian is not exact.

References: G. Strang, Calculus, 3rd ed., sec. 13.7 (second derivative test);
Nocedal & Wright, Numerical Optimization, 2nd ed., sec. 2.1 and 8.1.
Difficulty: 2 of 3, about 35 minutes.
Run: python 00-math-fundamentals/calculus/ex16_jacobian_hessian.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array, check_positive_number

# %% [markdown]
# ## Implementation


# %%
def _as_vector(x):  # a point of shape (n,), n >= 1
    return as_float_array(x, "x", ndim=1, allow_empty=False)


def numerical_jacobian(F, x, h=1e-6):
    """Central-difference Jacobian (m, n) of F: R^n -> R^m (a scalar output counts as m = 1) at x (n,)."""
    x, h = _as_vector(x), check_positive_number(h, "h")
    # BEGIN SOLUTION
    # HINT 1: Column j of the Jacobian is how every output changes when only x_j moves.
    # HINT 2: J[:, j] = (F(x + h e_j) - F(x - h e_j)) / (2 h)
    # HINT 3: for j in range(n): step = h e_j; columns.append((F(x + step) - F(x - step)) / (2 * h)) as a 1-D array
    # HINT 3: return np.column_stack(columns)   # (m, n)
    columns = []
    for j in range(x.size):
        step = h * np.eye(x.size)[j]  # (n,): h along coordinate j
        difference = np.atleast_1d(np.asarray(F(x + step), dtype=float) - np.asarray(F(x - step), dtype=float))  # (m,)
        columns.append(difference / (2 * h))  # (m,): how every output moves with x_j
    return np.column_stack(columns)  # (m, n)
    # END SOLUTION


def numerical_hessian(f, x, h=1e-4):
    """Second-difference Hessian (n, n) of a scalar f at x (n,), exactly symmetric.

    h = 1e-4 ~ eps^(1/4): the second difference divides round-off by h^2, so the
    step must be larger than for a first derivative.
    """
    x, h = _as_vector(x), check_positive_number(h, "h")
    # BEGIN SOLUTION
    # HINT 1: A mixed second difference uses four points around x; fill the upper triangle and mirror it.
    # HINT 2: H_ij = (f(x+h_i+h_j) - f(x+h_i-h_j) - f(x-h_i+h_j) + f(x-h_i-h_j)) / (4 h^2), h_i = h e_i
    # HINT 3: E = h * np.eye(n); H = zeros((n, n))
    # HINT 3: for i in range(n): for j in range(i, n): H[i, j] = the formula above; H[j, i] = H[i, j]
    n = x.size
    E, H = h * np.eye(n), np.zeros((n, n))  # (n, n) each; row i of E is the step h e_i
    for i in range(n):
        for j in range(i, n):  # the upper triangle; symmetry fills the rest
            H[i, j] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j]) + f(x - E[i] - E[j])) / (4 * h**2)
            H[j, i] = H[i, j]
    return H
    # END SOLUTION


def classify_critical_point(H, atol=1e-6, rtol=1e-8):
    """Classify a critical point as "minimum", "maximum", "saddle" or "degenerate" from H.

    An eigenvalue counts as zero when |lambda| <= atol + rtol * max|lambda|, as in np.isclose: a numeric
    Hessian carries errors of about 1e-7 (see The math), so a tiny eigenvalue may be noise. With a zero
    eigenvalue the test cannot decide: "degenerate" (x^4 + y^4 and x^4 - y^4 both have H = 0 at 0).
    """
    H = as_float_array(H, "H")
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix of shape (n, n); got {H.shape}")
    if not np.allclose(H, H.T, rtol=1e-8, atol=1e-10 * max(1.0, np.abs(H).max())):
        raise ValueError("H must be symmetric (a Hessian of a smooth function is)")
    # BEGIN SOLUTION
    # HINT 1: The signs of the Hessian's eigenvalues decide: all positive, all negative, mixed, or a (near) zero one.
    # HINT 2: ev = eigvalsh(H) ascending; zero if |ev| <= atol + rtol * max|ev|
    # HINT 3: ev = np.linalg.eigvalsh(H); zero = atol + rtol * max(|ev|)
    # HINT 3: any |ev| <= zero -> "degenerate"; ev[0] > 0 -> "minimum"; ev[-1] < 0 -> "maximum"; else "saddle"
    eigenvalues = np.linalg.eigvalsh(H)  # (n,), ascending; eigvalsh is for symmetric matrices
    zero = atol + rtol * np.abs(eigenvalues).max()
    if np.any(np.abs(eigenvalues) <= zero):
        return "degenerate"
    return "minimum" if eigenvalues[0] > 0 else "maximum" if eigenvalues[-1] < 0 else "saddle"
    # END SOLUTION


def polar_to_cartesian(p):
    """F(r, t) = (r cos t, r sin t): R^2 -> R^2."""
    r, t = _as_vector(p)
    return np.array([r * np.cos(t), r * np.sin(t)])  # (2,)


def polar_jacobian(p):
    """Analytic Jacobian of polar_to_cartesian, shape (2, 2)."""
    r, t = _as_vector(p)
    # BEGIN SOLUTION
    # HINT 1: Differentiate (r cos t, r sin t) with respect to r (first column) and t (second column).
    # HINT 2: [[cos t, -r sin t], [sin t, r cos t]]
    return np.array([[np.cos(t), -r * np.sin(t)], [np.sin(t), r * np.cos(t)]])  # rows: outputs; columns: r, t
    # END SOLUTION


def cubic(p):
    """f(x, y) = x^3 - 3x + y^3 - 3y, with critical points (+-1, +-1). Vectorised over (..., 2)."""
    p = as_float_array(p, "p")
    if p.shape[-1:] != (2,):
        raise ValueError(f"p must be a point (2,) or points (..., 2); got shape {p.shape}")
    return p[..., 0] ** 3 - 3 * p[..., 0] + p[..., 1] ** 3 - 3 * p[..., 1]


def cubic_gradient(p):
    """Analytic gradient of cubic, shape (2,)."""
    x, y = _as_vector(p)
    # BEGIN SOLUTION
    # HINT 1: Differentiate x^3 - 3x + y^3 - 3y in each coordinate.
    return np.array([3 * x**2 - 3, 3 * y**2 - 3])
    # END SOLUTION


def cubic_hessian(p):
    """Analytic Hessian of cubic, shape (2, 2)."""
    x, y = _as_vector(p)
    # BEGIN SOLUTION
    # HINT 1: Differentiate the gradient once more; there is no xy term.
    return np.array([[6 * x, 0.0], [0.0, 6 * y]])  # the mixed partial d^2f/dxdy is 0: no xy term
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    p = np.array([2.0, np.pi / 6])
    J_num, J_exact = numerical_jacobian(polar_to_cartesian, p), polar_jacobian(p)  # (2, 2) each
    print(f"Jacobian of (r, t) -> (r cos t, r sin t) at r = 2, t = pi/6: det J = r = {np.linalg.det(J_exact):.6f}, "
          f"max |numeric - analytic| = {np.abs(J_num - J_exact).max():.1e}")

    # A function with a non-zero mixed partial: its Hessian is still symmetric, and the Jacobian of its gradient.
    wavy = lambda q: np.sin(q[0] * q[1]) + q[0] ** 2 * q[2] + np.exp(q[1] - q[2])  # noqa: E731
    q = np.array([0.5, -1.0, 0.3])
    H, H_from_jacobian = numerical_hessian(wavy, q), numerical_jacobian(lambda v: numerical_jacobian(wavy, v, 1e-5)[0], q, 1e-4)
    print(f"Hessian of sin(xy) + x^2 z + exp(y - z) at {q}: |H - H^T| max = {np.abs(H - H.T).max():.1e}, "
          f"Jacobian of the gradient differs by {np.abs(H - H_from_jacobian).max():.1e}")
    print(f"\nCritical points of f(x, y) = x^3 - 3x + y^3 - 3y:\n{'point':>12} | {'|grad f|':>8} | "
          f"{'|H - analytic H|':>16} | {'eigenvalues of H':>16} | {'type':>8}")
    kinds = {}
    for point in [(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)]:
        H = numerical_hessian(cubic, np.array(point))  # (2, 2)
        kinds[point] = classify_critical_point(H)
        print(f"{str(point):>12} | {np.linalg.norm(cubic_gradient(point)):8.1e} | {np.abs(H - cubic_hessian(point)).max():16.1e}"
              f" | {np.array2string(np.linalg.eigvalsh(H), precision=3):>16} | {kinds[point]:>8}")
    fig, ax = plotting.new_figure(width=6, height=5)
    grid = np.stack(np.meshgrid(np.linspace(-2.2, 2.2, 200), np.linspace(-2.2, 2.2, 200)), axis=-1)  # (200, 200, 2)
    filled = ax.contourf(grid[..., 0], grid[..., 1], cubic(grid), levels=25, cmap="RdBu_r")
    fig.colorbar(filled, ax=ax, shrink=0.8, label="f(x, y)")
    for point, kind in kinds.items():
        ax.scatter(*point, marker={"minimum": "o", "maximum": "^", "saddle": "X"}[kind], s=90, c="w", edgecolors="k")
        ax.annotate(kind, point, xytext=(8, 8), textcoords="offset points", bbox=dict(facecolor="white", alpha=0.8))
    ax.set(aspect="equal", xlabel="x", ylabel="y",
           title="f = x³ - 3x + y³ - 3y: critical points\nclassified by the signs of the Hessian's eigenvalues")
    plotting.show_or_save(fig, "ex16_jacobian_hessian")


if __name__ == "__main__":
    main()
