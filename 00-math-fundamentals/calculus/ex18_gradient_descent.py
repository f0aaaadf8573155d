"""
Exercise 18: gradient descent, and the learning rate that makes or breaks it

Learning goals
--------------
- Implement gradient descent, x <- x - lr * grad f(x), and record its path.
- On a quadratic, compare the result with the exact minimiser from np.linalg.solve,
  and see that it converges exactly when lr < 2 / L (L = largest Hessian eigenvalue).
- On the Rosenbrock valley, see a learning rate that is too small (crawls), about right (arrives)
  and too large (blows up).

The math
--------
x has shape (n,). A quadratic with a symmetric positive definite A (n, n) and b (n,):
    f(x) = 1/2 x^T A x - b^T x,   grad f(x) = A x - b,   minimiser x* = A^-1 b
(we get x* with np.linalg.solve(A, b), never by forming A^-1). Since grad f(x) = A (x - x*), one
step maps the error e = x - x* to e_new = (I - lr A) e.
Along the eigenvector of A with eigenvalue lambda the error is multiplied by (1 - lr lambda),
which shrinks iff |1 - lr lambda| < 1, i.e. 0 < lr < 2 / lambda.
All directions shrink iff lr < 2 / L with L = lambda_max (the smoothness constant); lr = 1/L is a
safe choice, and the slowest direction then shrinks by (1 - lambda_min / L) per step: a badly
conditioned A converges slowly.
The Rosenbrock function, with its minimum f = 0 at (1, 1), is a curved, narrow valley:
    f(x, y) = (1 - x)^2 + 100 (y - x^2)^2
    grad f  = (-2 (1 - x) - 400 x (y - x^2),  200 (y - x^2)).
Its Hessian at (1, 1) has lambda_max ~ 1002, so lr must stay below about 0.002 there (and lower on
the steep valley walls).

Algorithm
---------
1. x_0 given; for k = 0, 1, ...: x_{k+1} = x_k - lr * grad f(x_k).
2. Stop after n_steps, or as soon as |x| exceeds max_norm: the iteration diverged
   (stopping early also keeps the numbers away from overflow).
3. Plot the paths on the contour lines, and f(x_k) on a log scale.

References: Nocedal & Wright, Numerical Optimization, 2nd ed., sec. 3.3; S. Boyd & L. Vandenberghe,
Convex Optimization, sec. 9.3; H. H. Rosenbrock, "An automatic method for finding the greatest or
least value of a function", The Computer Journal 3 (1960).
Difficulty: 1 of 3, about 25 minutes.
Run: python 00-math-fundamentals/calculus/ex18_gradient_descent.py
"""

# %%
import numpy as np

from utils import plotting, quick_mode
from utils.validation import as_float_array, check_non_negative_int, check_positive_number

# %% [markdown]
# ## Implementation


# %%
def gradient_descent(grad, x0, learning_rate, n_steps, max_norm=1e6):
    """Run x <- x - learning_rate * grad(x) from x0 (n,) and return every iterate, shape (k + 1, n):
    x_0, ..., x_k with k = n_steps, or fewer once |x_k| > max_norm (divergence). grad maps (n,) to (n,).
    """
    x0, n_steps = as_float_array(x0, "x0", ndim=1), check_non_negative_int(n_steps, "n_steps")
    learning_rate = check_positive_number(learning_rate, "learning_rate")
    # BEGIN SOLUTION
    # HINT 1: Step against the gradient repeatedly, keeping every iterate; stop early on divergence.
    # HINT 2: x <- x - learning_rate * grad(x)
    # HINT 3: path = [x0]; x = x0; repeat n_steps: x = x - learning_rate * grad(x); path.append(x)
    # HINT 3:     break if x is not finite or norm(x) > max_norm
    # HINT 3: return np.array(path)
    path, x = [x0], x0
    for _ in range(n_steps):
        x = x - learning_rate * grad(x)  # (n,): a new array, so path keeps every iterate
        path.append(x)
        if not np.all(np.isfinite(x)) or np.linalg.norm(x) > max_norm:
            break  # diverged: more steps would only overflow
    return np.array(path)  # (k + 1, n)
    # END SOLUTION


def _as_quadratic(x, A, b):  # points x (..., n), a symmetric A (n, n) and b (n,) as float arrays
    x, A, b = as_float_array(x, "x"), as_float_array(A, "A"), as_float_array(b, "b")
    if A.ndim != 2 or A.shape[0] != A.shape[1] or b.shape != (A.shape[0],):
        raise ValueError(f"expected A of shape (n, n) and b of shape (n,); got {A.shape} and {b.shape}")
    if not np.allclose(A, A.T):
        raise ValueError("A must be symmetric")
    if x.shape[-1:] != b.shape:
        raise ValueError(f"x must be a point of shape ({len(b)},) or points (..., {len(b)}); got shape {x.shape}")
    return x, A, b


def quadratic(x, A, b):
    """f(x) = 1/2 x^T A x - b^T x, vectorised over points of shape (..., n)."""
    x, A, b = _as_quadratic(x, A, b)
    return 0.5 * np.einsum("...i,ij,...j->...", x, A, x) - x @ b  # (...)


def quadratic_gradient(x, A, b):
    """grad f(x) = A x - b for the quadratic, shape (n,) (or (..., n) for many points)."""
    x, A, b = _as_quadratic(x, A, b)
    # BEGIN SOLUTION
    # HINT 1: Differentiate the quadratic; A is symmetric, so the two terms of x^T A x combine.
    # HINT 1: Points are rows, so write the product with x on the left.
    # HINT 2: x @ A - b  # = A x - b for each row, as A is symmetric
    return x @ A - b  # (..., n): x @ A is A x for each point, as A is symmetric
    # END SOLUTION


def max_stable_learning_rate(A):
    """2 / lambda_max(A): gradient descent on the quadratic converges iff lr is below this."""
    A = as_float_array(A, "A")
    if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.allclose(A, A.T):
        raise ValueError(f"A must be a symmetric matrix of shape (n, n); got shape {A.shape}")
    # BEGIN SOLUTION
    # HINT 1: GD on a quadratic is stable only when the step is below 2 / (largest curvature).
    # HINT 2: lr_max = 2 / lambda_max(A), A must be positive definite (smallest eigenvalue > 0)
    # HINT 3: ev = np.linalg.eigvalsh(A); if ev[0] <= 0: raise ValueError; return 2.0 / ev[-1]
    eigenvalues = np.linalg.eigvalsh(A)  # (n,), ascending: eigvalsh is made for symmetric matrices
    if eigenvalues[0] <= 0:
        raise ValueError(f"A must be positive definite; its smallest eigenvalue is {eigenvalues[0]:.3g}")
    return 2.0 / eigenvalues[-1]
    # END SOLUTION


def _as_points(p):  # a point (2,) or points (..., 2) as a float array
    p = as_float_array(p, "p")
    if p.shape[-1:] != (2,):
        raise ValueError(f"p must be a point (2,) or points (..., 2) for rosenbrock; got shape {p.shape}")
    return p


def rosenbrock(p, a=1.0, b=100.0):
    """(a - x)^2 + b (y - x^2)^2, vectorised over points of shape (..., 2); minimum 0 at (a, a^2)."""
    p = _as_points(p)
    x, y = p[..., 0], p[..., 1]
    return (a - x) ** 2 + b * (y - x**2) ** 2  # (...)


def rosenbrock_gradient(p, a=1.0, b=100.0):
    """Analytic gradient of rosenbrock, shape (..., 2)."""
    p = _as_points(p)
    # BEGIN SOLUTION
    # HINT 1: Chain rule on (a - x)^2 + b (y - x^2)^2, coordinate by coordinate.
    # HINT 2: dx = -2 (a - x) - 4 b x (y - x^2); dy = 2 b (y - x^2)
    x, y = p[..., 0], p[..., 1]
    dx = -2 * (a - x) - 4 * b * x * (y - x**2)  # chain rule on b (y - x^2)^2: 2 b (y - x^2) * (-2x)
    return np.stack([dx, 2 * b * (y - x**2)], axis=-1)  # (..., 2): [df/dx, df/dy]
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # A 2-D quadratic with eigenvalues 10 and 1 (condition number 10), rotated by 30 degrees.
    angle = np.radians(30)
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])  # (2, 2) rotation
    A = R @ np.diag([10.0, 1.0]) @ R.T  # (2, 2), symmetric positive definite
    b = A @ np.array([1.0, 2.0])  # (2,): puts the minimum at (1, 2)
    exact = np.linalg.solve(A, b)  # (2,): solve, not inv(A) @ b
    limit, x0, f_star = max_stable_learning_rate(A), np.array([-3.0, 5.0]), quadratic(exact, A, b)

    print(f"Quadratic: eigenvalues of A = {np.linalg.eigvalsh(A)}, so lr must be < 2/L = {limit:.3f}\n"
          f"{'learning rate':>18} | {'steps':>5} | {'|x_k - x*|':>10} | {'f(x_k) - f*':>11} | result")
    quad_runs = {}
    for factor in (0.25, 0.5, 0.95, 1.05):
        path = gradient_descent(lambda x: quadratic_gradient(x, A, b), x0, factor * limit, 100)
        quad_runs[f"lr = {factor:.2f} x 2/L"], err = path, np.linalg.norm(path[-1] - exact)
        print(f"{factor * limit:7.3f} ({factor:.2f} 2/L) | {len(path) - 1:5d} | {err:10.2e} | "
              f"{quadratic(path[-1], A, b) - f_star:11.2e} | {'converges' if err < np.linalg.norm(x0 - exact) else 'DIVERGES'}")
    print(f"np.linalg.solve(A, b) = {exact}; gradient descent with lr = 1/L ended at {quad_runs['lr = 0.50 x 2/L'][-1]}")

    # Rosenbrock: three learning rates, the same start.
    n_steps, start = (3000 if quick_mode() else 20000), np.array([-1.5, 2.0])
    rosen_losses = {}
    print(f"\nRosenbrock from ({start[0]}, {start[1]}), {n_steps} steps:\n"
          f"{'learning rate':>13} | {'steps run':>9} | {'final point':>24} | {'f(final)':>9}")
    for lr, verdict in ((1e-4, "too small"), (1.5e-3, "about right"), (2.5e-3, "too large")):
        path = gradient_descent(rosenbrock_gradient, start, lr, n_steps)
        rosen_losses[f"lr = {lr:g} ({verdict})"] = rosenbrock(path)
        final = f"({path[-1][0]:.4f}, {path[-1][1]:.4f})" if np.linalg.norm(path[-1]) < 1e3 else "diverged"
        print(f"{lr:13g} | {len(path) - 1:9d} | {final:>24} | {rosenbrock(path[-1]):9.2e}")

    fig, (ax_path, ax_loss) = plotting.new_figure(1, 2, width=5.5, height=4.5)
    grid = np.stack(np.meshgrid(np.linspace(-4.5, 5.5, 200), np.linspace(-3.5, 7, 200)), axis=-1)  # (200, 200, 2)
    ax_path.contour(grid[..., 0], grid[..., 1], quadratic(grid, A, b) - f_star, levels=np.geomspace(0.05, 200, 12),
                    colors="grey", linewidths=0.6)
    for i, (label, path) in enumerate(quad_runs.items()):
        shown = path[:25] if i < 3 else path[:12]  # the first steps; the diverging run soon leaves the picture
        ax_path.plot(shown[:, 0], shown[:, 1], "o-", ms=2.5, lw=1, color=plotting.COLORS[i], label=label)
    ax_path.scatter(*exact, marker="*", s=200, color="black", zorder=3, label="solve(A, b)")
    ax_path.set(xlim=(-4.5, 5.5), ylim=(-3.5, 7), aspect="equal", xlabel="$x_1$", ylabel="$x_2$",
                title=f"Quadratic, eigenvalues 10 and 1: 2/L = {limit:.2f}")
    ax_path.legend(loc="upper left", fontsize=7, framealpha=0.9, frameon=True)
    plotting.plot_loss_curves(ax_loss, rosen_losses, xlabel="step k", ylabel="f(x_k)", log_y=True,
                              title=f"Rosenbrock from ({start[0]}, {start[1]}): the loss (log scales)")
    ax_loss.set(xscale="log", ylim=(1e-13, 1e5))  # the too-large run shoots off the top
    fig.tight_layout()
    plotting.show_or_save(fig, "ex18_gradient_descent")


if __name__ == "__main__":
    main()
