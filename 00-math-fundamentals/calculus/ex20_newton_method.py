"""
Exercise 20: Newton's method for roots and minima, in 1-D and in n-D

Learning goals
--------------
- Use the first-order Taylor model to find roots (Newton's method) and the second-order model to
  find minima, in 1-D and in n-D (solving with the Hessian, never inverting it).
- See quadratic convergence (correct digits double every step) and where Newton's method fails.

The math
--------
Newton's method for a root of f replaces f by its tangent (its order-1 Taylor polynomial at x_k)
and jumps to its zero:
    x_{k+1} = x_k - f(x_k) / f'(x_k).
Near a simple root x* (f'(x*) != 0) the error e_k = x_k - x* obeys
    e_{k+1} ~ f''(x*) / (2 f'(x*)) e_k^2      (quadratic convergence),
so e_{k+1} / e_k^2 stays bounded. For a minimum we apply the same step to f', i.e. we jump to the
minimum of the order-2 model:  x_{k+1} = x_k - f'(x_k) / f''(x_k).
In n-D, with gradient g (n,) and Hessian H (n, n):  solve H p = -g,   x_{k+1} = x_k + p.
Failures: f'(x_k) = 0 (a flat tangent never meets zero: we raise ValueError), a singular H
(ValueError), and starts from which the iterates cycle or run away (for f = x^3 - 2x + 2 from 0
they cycle 0, 1, 0, ...; for f = x^(1/3) every step doubles the distance): after max_iter steps
without convergence we raise RuntimeError.

Algorithm
---------
1. Repeat the step until |step| <= tol * max(1, |x|); check the derivative (or solve the Hessian
   system) before every step.
2. Record every iterate, so we can plot the error and the ratios e_{k+1} / e_k^2.

References: G. Strang, Calculus, 3rd ed., sec. 3.8 (Newton's method);
Nocedal & Wright, Numerical Optimization, 2nd ed., sec. 3.3 (Newton's method, Theorem 3.5).
Difficulty: 2 of 3, about 25 minutes.
Run: python 00-math-fundamentals/calculus/ex20_newton_method.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array, check_positive_int, check_positive_number

# %% [markdown]
# ## Implementation


# %%
def newton_root(f, df, x0, tol=1e-12, max_iter=50):
    """(root, iterates): a root of f by Newton's method from x0, and x_0 ... x_k (shape (k + 1,)).

    f and df are the function and its derivative (floats in, floats out); stop when |step| <=
    tol * max(1, |x|). ValueError if f'(x_k) = 0 (a flat tangent has no zero); RuntimeError
    without convergence within max_iter steps (cycling or divergence).
    """
    tol, max_iter = check_positive_number(tol, "tol"), check_positive_int(max_iter, "max_iter")
    # BEGIN SOLUTION
    # HINT 1: Jump to the zero of the tangent line; stop when the step is tiny relative to x.
    # HINT 1: A flat tangent has no zero; running out of iterations is an error.
    # HINT 2: x <- x - f(x) / f'(x); converged when |step| <= tol * max(1, |x|)
    # HINT 3: x = float(x0); iterates = [x]; repeat max_iter: f(x) == 0 -> return; f'(x) == 0 -> ValueError
    # HINT 3:     step = -f(x) / f'(x); x += step; record; stop if not finite; converged -> return
    # HINT 3: raise RuntimeError(...)
    x = float(x0)
    iterates = [x]  # x_0, x_1, ...
    for _ in range(max_iter):
        fx, slope = f(x), df(x)
        if fx == 0:
            return x, np.array(iterates)  # landed exactly on the root
        if slope == 0:
            raise ValueError(f"f'(x) = 0 at x = {x:.6g}: the tangent is flat and never crosses zero; start elsewhere")
        step = -fx / slope  # the zero of the tangent line is x + step
        x = x + step
        iterates.append(x)
        if not np.isfinite(x):
            break
        if abs(step) <= tol * max(1.0, abs(x)):
            return x, np.array(iterates)
    raise RuntimeError(f"Newton's method did not converge in {max_iter} steps (last iterates "
                       f"{', '.join(f'{v:.6g}' for v in iterates[-3:])}); it may cycle or diverge from this start")
    # END SOLUTION


def newton_minimize_1d(df, d2f, x0, tol=1e-12, max_iter=50):
    """A stationary point of f (where f' = 0), by Newton's method on f': (x, iterates) like newton_root.
    It converges to a minimum when f'' > 0 there; check f'' at the answer (a maximum is stationary too).
    """
    # BEGIN SOLUTION
    # HINT 1: A minimum of f is a root of f': reuse newton_root on the derivative.
    # HINT 2: newton_root(df, d2f, x0, tol, max_iter)
    return newton_root(df, d2f, x0, tol, max_iter)  # the root of f' is where the order-2 model is flat
    # END SOLUTION


def newton_minimize(grad, hess, x0, tol=1e-12, max_iter=50):
    """(x, iterates): a stationary point x (n,) of f: R^n -> R by Newton steps H p = -g, and the
    iterates (k + 1, n). grad maps x (n,) to the gradient (n,), hess to the Hessian (n, n).
    ValueError if a Hessian is singular; RuntimeError without convergence in max_iter steps.
    """
    x = as_float_array(x0, "x0", ndim=1)
    tol, max_iter = check_positive_number(tol, "tol"), check_positive_int(max_iter, "max_iter")
    # BEGIN SOLUTION
    # HINT 1: The n-dimensional Newton step minimises the local quadratic model: solve with the Hessian.
    # HINT 2: H(x) step = -grad(x); x <- x + step
    # HINT 3: iterates = [x]; repeat max_iter: g, H = grad(x), hess(x); step = np.linalg.solve(H, -g)
    # HINT 3:     (LinAlgError -> ValueError); x = x + step; stop on non-finite x; return when small step
    # HINT 3: raise RuntimeError(...)
    iterates = [x]
    for _ in range(max_iter):
        g, H = grad(x), hess(x)  # (n,), (n, n)
        try:
            step = np.linalg.solve(H, -g)  # (n,): solve, not inv(H) @ g: cheaper and more accurate
        except np.linalg.LinAlgError:
            raise ValueError(f"the Hessian is singular at x = {x}: the quadratic model has no unique minimum") from None
        x = x + step
        iterates.append(x)
        if not np.all(np.isfinite(x)):
            break
        if np.linalg.norm(step) <= tol * max(1.0, np.linalg.norm(x)):
            return x, np.array(iterates)
    raise RuntimeError(f"Newton's method did not converge in {max_iter} steps; last x = {x}")
    # END SOLUTION


def rosenbrock_hessian(p):
    """Hessian of (1 - x)^2 + 100 (y - x^2)^2, shape (2, 2)."""
    x, y = as_float_array(p, "p")
    # BEGIN SOLUTION
    # HINT 1: Differentiate the Rosenbrock gradient (a = 1, b = 100) once more; the result is symmetric.
    # HINT 2: [[1200 x^2 - 400 y + 2, -400 x], [-400 x, 200]]
    # The gradient (-2(1 - x) - 400 x (y - x^2), 200 (y - x^2)), differentiated once more:
    return np.array([[1200 * x**2 - 400 * y + 2, -400 * x], [-400 * x, 200.0]])  # (2, 2), symmetric
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # sqrt(2) as a root, ln 2 as a 1-D minimum, the Rosenbrock minimum (1, 1) in 2-D.
    root, xs = newton_root(lambda x: x * x - 2, lambda x: 2 * x, 3.0)
    errors = np.abs(xs - np.sqrt(2))  # (k + 1,)
    print(f"Newton for x^2 - 2 = 0 from x0 = 3:\n{'k':>2} | {'x_k':>19} | {'|e_k|':>8} | e_k / e_(k-1)^2")
    for k, (x, e) in enumerate(zip(xs, errors)):
        print(f"{k:2d} | {x:19.16f} | {e:8.1e} | {e / errors[k - 1] ** 2 if 0 < k and errors[k - 1] > 1e-7 else '':.5}")
    print(f"The ratio tends to f''/(2 f') at the root = 1/(2 sqrt 2) = {1 / (2 * np.sqrt(2)):.3f}.")
    x_min, xs_min = newton_minimize_1d(lambda x: np.exp(x) - 2, np.exp, 2.0)
    rosenbrock_gradient = lambda p: np.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2),  # noqa: E731
                                              200 * (p[1] - p[0] ** 2)])  # as in exercise 18
    p_min, ps = newton_minimize(rosenbrock_gradient, rosenbrock_hessian, np.array([-1.2, 1.0]))
    print(f"min of exp(x) - 2x: {x_min:.15f} = ln 2 in {len(xs_min) - 1} steps; Rosenbrock from (-1.2, 1): "
          f"{p_min} in {len(ps) - 1} steps\n\nWhen Newton's method fails:")
    for name, f, df, x0 in [("x^2 - 2 from x0 = 0", lambda x: x * x - 2, lambda x: 2 * x, 0.0),
                            ("x^3 - 2x + 2 from x0 = 0", lambda x: x**3 - 2 * x + 2, lambda x: 3 * x**2 - 2, 0.0),
                            ("cbrt(x) from x0 = 1", np.cbrt, lambda x: 1 / (3 * np.cbrt(x) ** 2), 1.0)]:
        try:
            newton_root(f, df, x0, max_iter=40)
        except (ValueError, RuntimeError) as error:  # a flat tangent; a cycle; a run away
            print(f"  {name:<25} -> {type(error).__name__}: {error}")

    fig, (ax_steps, ax_conv) = plotting.new_figure(1, 2, width=5.5, height=4.2)
    grid = np.linspace(1.0, 3.2, 200)  # (200,)
    ax_steps.plot(grid, grid**2 - 2, color="black", lw=2.5, label="f(x) = x^2 - 2")
    for x in xs[:3]:  # each tangent x -> f(x) + f'(x) (t - x) meets zero at the next iterate
        t = np.array([x - (x * x - 2) / (2 * x), x])  # (2,): from the tangent's zero up to x_k
        ax_steps.plot(t, x * x - 2 + 2 * x * (t - x), "--", marker="o", label=f"tangent at x = {x:.4f}")
    ax_steps.axhline(0.0, color="grey", lw=0.8)
    ax_steps.set(xlabel="x", ylabel="y", title="Newton: follow the tangent to zero")
    ax_steps.legend(fontsize=8)
    runs = {"sqrt(2) (root)": errors, "ln 2 (1-D minimum)": np.abs(xs_min - np.log(2)),
            "Rosenbrock (2-D minimum)": np.linalg.norm(ps - 1, axis=1)}  # |x_k - x*| for k = 0, 1, ...
    plotting.plot_loss_curves(ax_conv, {k: np.maximum(e, 1e-17) for k, e in runs.items()}, xlabel="iterate",
                              ylabel="error |x_k - x*| (0 drawn at 1e-17)", log_y=True, title="The exponent doubles")
    plotting.show_or_save(fig, "ex20_newton_method")


if __name__ == "__main__":
    main()
