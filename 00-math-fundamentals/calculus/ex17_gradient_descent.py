"""
Exercise 17: gradient descent, and the learning rate that makes or breaks it

Learning goals
--------------
- Implement gradient descent, x <- x - lr * grad f(x), and record its path.
- On a quadratic, compare the result with the exact minimiser from np.linalg.solve,
  and see that it converges exactly when lr < 2 / L (L = largest Hessian eigenvalue).
- On the Rosenbrock valley, see a learning rate that is too small (crawls),
  about right (arrives) and too large (blows up).

The math
--------
x has shape (n,). A quadratic with a symmetric positive definite A (n, n) and b (n,):
    f(x) = 1/2 x^T A x - b^T x,   grad f(x) = A x - b,   minimiser x* = A^-1 b
(we get x* with np.linalg.solve(A, b), never by forming A^-1). Since
grad f(x) = A (x - x*), one step maps the error e = x - x* to
    e_new = (I - lr A) e.
Along the eigenvector of A with eigenvalue lambda the error is multiplied by
(1 - lr lambda), which shrinks iff |1 - lr lambda| < 1, i.e. 0 < lr < 2 / lambda.
All directions shrink iff lr < 2 / L with L = lambda_max (the smoothness
constant); lr = 1/L is a safe choice, and the slowest direction then shrinks by
(1 - lambda_min / L) per step: a badly conditioned A converges slowly.
The Rosenbrock function, with its minimum f = 0 at (1, 1), is a curved, narrow valley:
    f(x, y) = (1 - x)^2 + 100 (y - x^2)^2
    grad f  = (-2 (1 - x) - 400 x (y - x^2),  200 (y - x^2)).
Its Hessian at (1, 1) has lambda_max ~ 1002, so lr must stay below about 0.002 there
(and lower on the steep valley walls).

Algorithm
---------
1. x_0 given; for k = 0, 1, ...: x_{k+1} = x_k - lr * grad f(x_k).
2. Stop after n_steps, or as soon as |x| exceeds max_norm: the iteration diverged
   (stopping early also keeps the numbers away from overflow).
3. Plot the paths on the contour lines and f(x_k) - f(x*) on a log scale.

References: Nocedal & Wright, Numerical Optimization, 2nd ed., sec. 3.3;
S. Boyd & L. Vandenberghe, Convex Optimization, sec. 9.3; H. H. Rosenbrock,
"An automatic method for finding the greatest or least value of a function",
The Computer Journal 3 (1960).
Difficulty: 1 of 3, about 25 minutes.
Run: python 00-math-fundamentals/calculus/ex17_gradient_descent.py
"""

# %%
import numpy as np

from utils import plotting, quick_mode

# %% [markdown]
# ## Implementation


# %%
def gradient_descent(grad, x0, learning_rate, n_steps, max_norm=1e6):
    """Run x <- x - learning_rate * grad(x) and return every iterate.

    Parameters
    ----------
    grad : callable, grad(ndarray of shape (n,)) -> ndarray of shape (n,)
    x0 : ndarray of shape (n,), the starting point
    learning_rate : float, positive
    n_steps : int, the number of updates
    max_norm : float, stop early once |x_k| > max_norm (divergence)

    Returns
    -------
    ndarray of shape (k + 1, n): x_0, ..., x_k, with k = n_steps unless it diverged
    """
    x0 = np.asarray(x0, dtype=float)
    if x0.ndim != 1:
        raise ValueError(f"x0 must be a vector of shape (n,); got shape {x0.shape}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive; got {learning_rate}")
    if int(n_steps) != n_steps or n_steps < 0:
        raise ValueError(f"n_steps must be a non-negative integer; got {n_steps}")
    # BEGIN SOLUTION
    # HINT 1: Step against the gradient repeatedly, keeping every iterate; stop early on divergence.
    # HINT 2: x <- x - learning_rate * grad(x)
    # HINT 3: path = [x0]; x = x0
    # HINT 3: repeat n_steps: x = x - learning_rate * grad(x); path.append(x)
    # HINT 3:     break if x is not finite or norm(x) > max_norm
    # HINT 3: return np.array(path)
    path = [x0]
    x = x0
    for _ in range(int(n_steps)):
        x = x - learning_rate * grad(x)  # (n,): a new array, so path keeps every iterate
        path.append(x)
        if not np.all(np.isfinite(x)) or np.linalg.norm(x) > max_norm:
            break  # diverged: more steps would only overflow
    return np.array(path)  # (k + 1, n)
    # END SOLUTION


def _check_quadratic(A, b):
    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or b.shape != (A.shape[0],):
        raise ValueError(f"expected A of shape (n, n) and b of shape (n,); got {A.shape} and {b.shape}")
    if not np.allclose(A, A.T):
        raise ValueError("A must be symmetric")
    return A, b


def quadratic(x, A, b):
    """f(x) = 1/2 x^T A x - b^T x, vectorised over points of shape (..., n)."""
    A, b = _check_quadratic(A, b)
    x = np.asarray(x, dtype=float)
    return 0.5 * np.einsum("...i,ij,...j->...", x, A, x) - x @ b  # (...)


def quadratic_gradient(x, A, b):
    """grad f(x) = A x - b for the quadratic, shape (n,) (or (..., n) for many points)."""
    A, b = _check_quadratic(A, b)
    x = np.asarray(x, dtype=float)
    # BEGIN SOLUTION
    # HINT 1: Differentiate the quadratic; A is symmetric, so the two terms of x^T A
    # HINT 1: x combine. Points are rows, so write the product with x on the left.
    # HINT 2: x @ A - b  # = A x - b for each row, as A is symmetric
    return x @ A - b  # (..., n): x @ A is A x for each point, as A is symmetric
    # END SOLUTION


def max_stable_learning_rate(A):
    """2 / lambda_max(A): gradient descent on the quadratic converges iff lr is below this."""
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.allclose(A, A.T):
        raise ValueError(f"A must be a symmetric matrix of shape (n, n); got shape {A.shape}")
    # BEGIN SOLUTION
    # HINT 1: GD on a quadratic is stable only when the step is below 2 / (largest curvature).
    # HINT 2: lr_max = 2 / lambda_max(A), A must be positive definite (smallest eigenvalue > 0)
    # HINT 3: ev = np.linalg.eigvalsh(A); if ev[0] <= 0: raise ValueError
    # HINT 3: return 2.0 / ev[-1]
    eigenvalues = np.linalg.eigvalsh(A)  # (n,), ascending: eigvalsh is made for symmetric matrices
    if eigenvalues[0] <= 0:
        raise ValueError(f"A must be positive definite; its smallest eigenvalue is {eigenvalues[0]:.3g}")
    return 2.0 / eigenvalues[-1]
    # END SOLUTION


def rosenbrock(p, a=1.0, b=100.0):
    """(a - x)^2 + b (y - x^2)^2, vectorised over points of shape (..., 2); minimum 0 at (a, a^2)."""
    p = np.asarray(p, dtype=float)
    x, y = p[..., 0], p[..., 1]
    return (a - x) ** 2 + b * (y - x**2) ** 2  # (...)


def rosenbrock_gradient(p, a=1.0, b=100.0):
    """Analytic gradient of rosenbrock, shape (..., 2)."""
    p = np.asarray(p, dtype=float)
    if p.shape[-1:] != (2,):
        raise ValueError(f"rosenbrock takes points of shape (..., 2); got {p.shape}")
    # BEGIN SOLUTION
    # HINT 1: Chain rule on (a - x)^2 + b (y - x^2)^2, coordinate by coordinate.
    # HINT 2: dx = -2 (a - x) - 4 b x (y - x^2); dy = 2 b (y - x^2)
    x, y = p[..., 0], p[..., 1]
    dx = -2 * (a - x) - 4 * b * x * (y - x**2)  # chain rule on b (y - x^2)^2: 2 b (y - x^2) * (-2x)
    dy = 2 * b * (y - x**2)
    return np.stack([dx, dy], axis=-1)  # (..., 2)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # A 2-D quadratic with eigenvalues 10 and 1 (condition number 10), rotated by 30 degrees.
    angle = np.radians(30)
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])  # (2, 2) rotation
    A = R @ np.diag([10.0, 1.0]) @ R.T  # (2, 2), symmetric positive definite
    x_star = np.array([1.0, 2.0])  # (2,) where we put the minimum
    b = A @ x_star  # (2,)
    exact = np.linalg.solve(A, b)  # (2,): solve, not inv(A) @ b
    limit = max_stable_learning_rate(A)
    x0 = np.array([-3.0, 5.0])
    f_star = quadratic(exact, A, b)

    print(f"Quadratic: eigenvalues of A = {np.linalg.eigvalsh(A)}, so lr must be < 2/L = {limit:.3f}")
    print(f"{'learning rate':>18} | {'steps':>5} | {'|x_k - x*|':>10} | {'f(x_k) - f*':>11} | result")
    print("-" * 66)
    quad_runs = {}
    for factor in (0.25, 0.5, 0.95, 1.05):
        lr = factor * limit
        path = gradient_descent(lambda x: quadratic_gradient(x, A, b), x0, lr, 100)
        quad_runs[f"lr = {factor:.2f} x 2/L"] = path
        err = np.linalg.norm(path[-1] - exact)
        print(f"{lr:7.3f} ({factor:.2f} 2/L) | {len(path) - 1:5d} | {err:10.2e} | {quadratic(path[-1], A, b) - f_star:11.2e} | "
              f"{'converges' if err < np.linalg.norm(x0 - exact) else 'DIVERGES'}")
    print(f"np.linalg.solve(A, b) = {exact}; gradient descent with lr = 1/L ended at {quad_runs['lr = 0.50 x 2/L'][-1]}")

    # Rosenbrock: three learning rates, the same start.
    n_steps = 3000 if quick_mode() else 20000
    start = np.array([-1.5, 2.0])
    rosen_runs = {}
    print(f"\nRosenbrock from ({start[0]}, {start[1]}), {n_steps} steps:")
    print(f"{'learning rate':>13} | {'steps run':>9} | {'final point':>24} | {'f(final)':>9}")
    print("-" * 66)
    for lr, verdict in ((1e-4, "too small"), (1.5e-3, "about right"), (2.5e-3, "too large")):
        path = gradient_descent(rosenbrock_gradient, start, lr, n_steps)
        rosen_runs[f"lr = {lr:g} ({verdict})"] = path
        final = f"({path[-1][0]:.4f}, {path[-1][1]:.4f})" if np.linalg.norm(path[-1]) < 1e3 else "diverged"
        print(f"{lr:13g} | {len(path) - 1:9d} | {final:>24} | {rosenbrock(path[-1]):9.2e}")

    fig, axes = plotting.new_figure(2, 2, width=5.5, height=4.3)
    (ax_qpath, ax_qloss), (ax_rpath, ax_rloss) = axes

    xs, ys = np.linspace(-4.5, 5.5, 200), np.linspace(-3.5, 7, 200)  # (200,) each
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)  # (200, 200, 2)
    gap = quadratic(grid, A, b) - f_star  # (200, 200), >= 0
    ax_qpath.contour(grid[..., 0], grid[..., 1], gap, levels=np.geomspace(0.05, 200, 12), colors="grey", linewidths=0.6)
    for i, (label, path) in enumerate(quad_runs.items()):
        shown = path[:25] if i < 3 else path[:12]  # the first steps; the diverging run soon leaves the picture
        ax_qpath.plot(shown[:, 0], shown[:, 1], "o-", ms=2.5, lw=1, color=plotting.COLORS[i], label=label)
    ax_qpath.scatter(*exact, marker="*", s=200, color="black", zorder=3, label="solve(A, b)")
    ax_qpath.set(xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]), aspect="equal", xlabel="$x_1$", ylabel="$x_2$",
                 title=f"Quadratic, eigenvalues 10 and 1: 2/L = {limit:.2f}")
    ax_qpath.legend(loc="upper left", fontsize=7, framealpha=0.9, frameon=True)

    gaps = {label: np.maximum(quadratic(path, A, b) - f_star, 1e-16) for label, path in quad_runs.items()}
    plotting.plot_loss_curves(ax_qloss, gaps, xlabel="step k", ylabel="f(x_k) - f(x*)", log_y=True,
                              title="Quadratic: the gap to the minimum (log scale)")
    ax_qloss.legend(fontsize=7)

    xs, ys = np.linspace(-2, 2, 300), np.linspace(-1, 3, 300)  # (300,) each
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)  # (300, 300, 2)
    ax_rpath.contour(grid[..., 0], grid[..., 1], rosenbrock(grid), levels=np.geomspace(0.1, 2000, 15), colors="grey",
                     linewidths=0.6)
    for i, (label, path) in enumerate(rosen_runs.items()):
        shown = path[np.linalg.norm(path, axis=1) < 10]  # (m, 2): the diverging run leaves the picture
        ax_rpath.plot(shown[:, 0], shown[:, 1], "-", lw=1.5, marker="o", ms=2, markevery=max(len(shown) // 30, 1),
                      color=plotting.COLORS[i], label=label)
    ax_rpath.scatter([1], [1], marker="*", s=200, color="black", zorder=3, label="minimum (1, 1)")
    ax_rpath.scatter(*start, marker="s", color="black", zorder=3)
    ax_rpath.set(xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]), xlabel="x", ylabel="y", title=f"Rosenbrock, {n_steps} steps from ({start[0]}, {start[1]})")
    ax_rpath.legend(loc="lower right", fontsize=7)

    losses = {label: rosenbrock(path) for label, path in rosen_runs.items()}
    plotting.plot_loss_curves(ax_rloss, losses, xlabel="step k", ylabel="f(x_k)", log_y=True,
                              title="Rosenbrock: loss (log scale); the large step blows up")
    ax_rloss.set(xscale="log", ylim=(1e-13, 1e5))  # the too-large run shoots off the top
    ax_rloss.legend(fontsize=7)
    fig.tight_layout()
    plotting.show_or_save(fig, "ex17_gradient_descent")


if __name__ == "__main__":
    main()
