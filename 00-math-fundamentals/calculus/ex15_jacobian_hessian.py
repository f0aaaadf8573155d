"""
Exercise 15: Jacobians, Hessians and what the second derivative says about a critical point

Learning goals
--------------
- Build the Jacobian of a map R^n -> R^m column by column with central differences,
  and check it against the analytic one.
- Build the Hessian of a scalar function from second differences; see that it
  is symmetric, and that it is the Jacobian of the gradient.
- Classify a critical point (grad f = 0) as minimum, maximum or saddle from the
  signs of the Hessian's eigenvalues.

The math
--------
For F: R^n -> R^m, x of shape (n,), the Jacobian J has shape (m, n):
    J_ij = dF_i / dx_j,   column j = (F(x + h e_j) - F(x - h e_j)) / (2h) + O(h^2).
Near x, F(x + dx) ~ F(x) + J dx: the Jacobian is the best linear map.
Example: polar to Cartesian, F(r, t) = (r cos t, r sin t), has
    J = [[cos t, -r sin t], [sin t, r cos t]]   and det J = r.
For f: R^n -> R the Hessian H, shape (n, n), holds the second partials
    H_ij = d^2 f / dx_i dx_j
        ~ (f(x+h e_i+h e_j) - f(x+h e_i-h e_j) - f(x-h e_i+h e_j) + f(x-h e_i-h e_j)) / (4h^2).
For f with continuous second partials H_ij = H_ji (Schwarz's theorem), and H is
the Jacobian of grad f. The truncation error is O(h^2) and the round-off about
eps |f| / h^2, so h ~ eps^(1/4) ~ 1e-4 balances them.
At a critical point x* (grad f = 0) Taylor's theorem leaves
    f(x* + d) ~ f(x*) + 1/2 d^T H d,
so with the eigenvalues of the symmetric H: all > 0 -> local minimum, all < 0 ->
local maximum, both signs -> saddle, some = 0 -> the test is inconclusive.
Example: f(x, y) = x^3 - 3x + y^3 - 3y has grad f = (3x^2 - 3, 3y^2 - 3), so its
critical points are (+-1, +-1), and H = diag(6x, 6y).

Algorithm
---------
1. Jacobian: for each input coordinate j, evaluate F at x +- h e_j; the central
   difference is column j.
2. Hessian: for each pair i <= j, combine four values of f; copy to (j, i).
3. Classify: eigenvalues with np.linalg.eigvalsh (H is symmetric); treat those
   within a tolerance of 0 as zero, because a numeric Hessian is not exact.

References: G. Strang, Calculus, 3rd ed., sec. 13.7 (second derivative test);
Nocedal & Wright, Numerical Optimization, 2nd ed., sec. 2.1 and 8.1.
Difficulty: 2 of 3, about 35 minutes.
Run: python 00-math-fundamentals/calculus/ex15_jacobian_hessian.py
"""

# %%
import numpy as np

from utils import plotting

# %% [markdown]
# ## Implementation


# %%
def _as_vector(x):
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty vector of shape (n,); got shape {x.shape}")
    return x


def _check_point_and_step(x, h):
    """x as a vector of shape (n,), and a ValueError unless the step h is positive."""
    x = _as_vector(x)
    if h <= 0:
        raise ValueError(f"the step h must be positive; got {h}")
    return x


def numerical_jacobian(F, x, h=1e-6):
    """Central-difference Jacobian of F: R^n -> R^m at x.

    Parameters
    ----------
    F : callable, F(ndarray of shape (n,)) -> ndarray of shape (m,) (or a scalar, m = 1)
    x : ndarray of shape (n,)
    h : float, positive step

    Returns
    -------
    ndarray of shape (m, n)
    """
    x = _check_point_and_step(x, h)
    # BEGIN SOLUTION
    # HINT 1: Column j of the Jacobian is how every output changes when only x_j moves.
    # HINT 2: J[:, j] = (F(x + h e_j) - F(x - h e_j)) / (2 h)
    # HINT 3: for j in range(n): step = h e_j; plus, minus = F(x + step), F(x - step) as 1-D arrays
    # HINT 3:     columns.append((plus - minus) / (2 * h))
    # HINT 3: return np.column_stack(columns)   # (m, n)
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)  # (n,)
        step[j] = h
        plus = np.atleast_1d(np.asarray(F(x + step), dtype=float))  # (m,)
        minus = np.atleast_1d(np.asarray(F(x - step), dtype=float))  # (m,)
        columns.append((plus - minus) / (2 * h))  # (m,): how every output moves with x_j
    return np.column_stack(columns)  # (m, n)
    # END SOLUTION


def numerical_hessian(f, x, h=1e-4):
    """Second-difference Hessian of a scalar f at x, exactly symmetric.

    h = 1e-4 ~ eps^(1/4): the second difference divides round-off by h^2, so the
    step must be larger than for a first derivative.

    Returns
    -------
    ndarray of shape (n, n)
    """
    x = _check_point_and_step(x, h)
    # BEGIN SOLUTION
    # HINT 1: A mixed second difference uses four points
    # HINT 1: around x; fill the upper triangle and mirror it.
    # HINT 2: H_ij = (f(x+h_i+h_j) - f(x+h_i-h_j) - f(x-h_i+h_j) + f(x-h_i-h_j)) / (4 h^2), h_i = h e_i
    # HINT 3: E = h * np.eye(n); H = zeros((n, n))
    # HINT 3: for i in range(n): for j in range(i, n): H[i, j] = the formula above; H[j, i] = H[i, j]
    n = x.size
    E = h * np.eye(n)  # (n, n): row i is the step h e_i
    H = np.zeros((n, n))  # (n, n)
    for i in range(n):
        for j in range(i, n):  # the upper triangle; symmetry fills the rest
            H[i, j] = (
                f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j]) + f(x - E[i] - E[j])
            ) / (4 * h**2)
            H[j, i] = H[i, j]
    return H
    # END SOLUTION


def classify_critical_point(H, atol=1e-6, rtol=1e-8):
    """Classify a critical point as "minimum", "maximum", "saddle" or "degenerate" from H.

    An eigenvalue counts as zero when |lambda| <= atol + rtol * max|lambda|, as in
    np.isclose: a numeric Hessian carries errors of about 1e-7 (see The math), so
    a tiny eigenvalue may be noise. With a zero eigenvalue the second-order test
    cannot decide: "degenerate" (x^4 + y^4 and x^4 - y^4 both have H = 0 at 0).
    """
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix of shape (n, n); got {H.shape}")
    if not np.allclose(H, H.T, rtol=1e-8, atol=1e-10 * max(1.0, np.abs(H).max())):
        raise ValueError("H must be symmetric (a Hessian of a smooth function is)")
    # BEGIN SOLUTION
    # HINT 1: The signs of the Hessian's eigenvalues decide: all
    # HINT 1: positive, all negative, mixed, or a (near) zero one.
    # HINT 2: ev = eigvalsh(H) ascending; zero if |ev| <= atol + rtol * max|ev|
    # HINT 3: ev = np.linalg.eigvalsh(H); zero = atol + rtol * max(|ev|)
    # HINT 3: any |ev| <= zero -> "degenerate"; ev[0] > 0 -> "minimum"; ev[-1] < 0 -> "maximum";
    # HINT 3:   else "saddle"
    eigenvalues = np.linalg.eigvalsh(H)  # (n,), ascending; eigvalsh is for symmetric matrices
    zero = atol + rtol * np.abs(eigenvalues).max()
    if np.any(np.abs(eigenvalues) <= zero):
        return "degenerate"
    if eigenvalues[0] > 0:
        return "minimum"
    if eigenvalues[-1] < 0:
        return "maximum"
    return "saddle"
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
    p = np.asarray(p, dtype=float)
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
    J_num, J_exact = numerical_jacobian(polar_to_cartesian, p), polar_jacobian(p)
    print(f"Jacobian of (r, t) -> (r cos t, r sin t) at r = 2, t = pi/6 (det J = r = {np.linalg.det(J_exact):.6f}):")
    print(np.array2string(J_num, precision=6), f"\nmax |numeric - analytic| = {np.abs(J_num - J_exact).max():.1e}\n")

    # A function with a non-zero mixed partial: the Hessian is still symmetric.
    def wavy(q):
        return np.sin(q[0] * q[1]) + q[0] ** 2 * q[2] + np.exp(q[1] - q[2])

    q = np.array([0.5, -1.0, 0.3])
    H = numerical_hessian(wavy, q)
    H_from_jacobian = numerical_jacobian(lambda v: numerical_jacobian(wavy, v, 1e-5)[0], q, 1e-4)  # (3, 3)
    print("Hessian of sin(xy) + x^2 z + exp(y - z) at (0.5, -1, 0.3):")
    print(np.array2string(H, precision=5))
    print(f"|H - H^T| max = {np.abs(H - H.T).max():.1e};  "
          f"Jacobian of the gradient differs by {np.abs(H - H_from_jacobian).max():.1e}\n")

    print("Critical points of f(x, y) = x^3 - 3x + y^3 - 3y:")
    print(f"{'point':>9} | {'|grad f|':>8} | {'eigenvalues of H':>18} | {'type':>10}")
    print("-" * 56)
    points = [(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)]
    kinds = {}
    for point in points:
        H = numerical_hessian(cubic, np.array(point))
        kinds[point] = classify_critical_point(H)
        eig = np.linalg.eigvalsh(H)
        label = f"({point[0]:+.0f}, {point[1]:+.0f})"
        print(f"{label:>9} | {np.linalg.norm(cubic_gradient(point)):8.1e} | "
              f"{np.array2string(eig, precision=3):>18} | {kinds[point]:>10}")

    fig = plotting.new_figure(1, 2, width=5.5, height=5)[0]
    fig.axes[1].remove()
    ax_map = fig.axes[0]
    ax_3d = fig.add_subplot(1, 2, 2, projection="3d")

    xs = np.linspace(-2.2, 2.2, 200)  # (200,)
    grid = np.stack(np.meshgrid(xs, xs), axis=-1)  # (200, 200, 2)
    filled = ax_map.contourf(grid[..., 0], grid[..., 1], cubic(grid), levels=25, cmap="RdBu_r")
    ax_map.contour(grid[..., 0], grid[..., 1], cubic(grid), levels=25, colors="k", linewidths=0.3)
    fig.colorbar(filled, ax=ax_map, shrink=0.8, label="f(x, y)")
    markers = {"minimum": "o", "maximum": "^", "saddle": "X"}
    for point, kind in kinds.items():
        ax_map.scatter(*point, marker=markers[kind], s=90, color="white", edgecolor="black", zorder=3)
        ax_map.annotate(kind, point, xytext=(8, 8), textcoords="offset points", fontsize=9,
                        bbox=dict(facecolor="white", edgecolor="none", alpha=0.8))
    ax_map.set(aspect="equal", xlabel="x", ylabel="y", title="f = x³ - 3x + y³ - 3y: critical points\nclassified by the Hessian's eigenvalues")

    # The saddle at (1, -1): H = diag(6, -6). Along the first eigenvector (x) f curves up,
    # along the second (y) it curves down.
    s = np.linspace(-0.7, 0.7, 60)  # (60,)
    dx, dy = np.meshgrid(s, s)  # (60, 60) each
    local = np.stack([1 + dx, -1 + dy], axis=-1)  # (60, 60, 2)
    ax_3d.computed_zorder = False  # draw in call order, so the curves stay on top of the surface
    ax_3d.plot_surface(dx, dy, cubic(local), cmap="RdBu_r", alpha=0.6, linewidth=0, zorder=1)
    ax_3d.plot(s, np.zeros_like(s), cubic(np.column_stack([1 + s, -1 + 0 * s])), color=plotting.COLORS[2], lw=3, zorder=5,
               label="along eigenvector (1, 0): λ = +6, curves up")
    ax_3d.plot(np.zeros_like(s), s, cubic(np.column_stack([1 + 0 * s, -1 + s])), color=plotting.COLORS[1], lw=3, zorder=5,
               label="along eigenvector (0, 1): λ = -6, curves down")
    ax_3d.scatter([0], [0], [cubic(np.array([1.0, -1.0]))], color="black", s=30, zorder=6)
    ax_3d.set(xlabel="x - 1", ylabel="y + 1", zlabel="f", title="The saddle at (1, -1), H = diag(6, -6)",
              xticks=[-0.5, 0, 0.5], yticks=[-0.5, 0, 0.5])
    ax_3d.view_init(elev=25, azim=-60)
    ax_3d.legend(loc="upper center", bbox_to_anchor=(0.5, 0.02), fontsize=8)
    fig.tight_layout()
    plotting.show_or_save(fig, "ex15_jacobian_hessian")


if __name__ == "__main__":
    main()
