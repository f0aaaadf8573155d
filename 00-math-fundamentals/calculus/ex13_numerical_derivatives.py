"""
Exercise 13: numerical derivatives and the step size that makes them accurate

Learning goals
--------------
- Approximate f'(x) with forward, backward and central differences.
- See the two errors that fight each other: truncation (shrinks with h) and
  round-off (grows as h shrinks, like eps / h).
- Read a log-log plot of error against h: its slope is the order of the scheme,
  and its minimum sits near eps^(1/2) (forward) or eps^(1/3) (central).

The math
--------
f maps a real x to a real f(x); h > 0 is the step; eps = 2.2e-16 is the float64
machine epsilon (the gap between 1 and the next float). Taylor's theorem gives
    f(x + h) = f(x) + h f'(x) + h^2/2 f''(x) + h^3/6 f'''(x) + ...
so the three difference quotients are
    forward   D+ = (f(x + h) - f(x)) / h          = f'(x) + h/2 f''(x) + O(h^2)
    backward  D- = (f(x) - f(x - h)) / h          = f'(x) - h/2 f''(x) + O(h^2)
    central   D0 = (f(x + h) - f(x - h)) / (2h)   = f'(x) + h^2/6 f'''(x) + O(h^4)
The h^2 terms cancel in D0, so it is exact for every polynomial of degree <= 2.
Each stored value of f carries a relative round-off of about eps/2, so the
difference of two of them is off by about eps |f|, and dividing by h magnifies
that. A model of the total error:
    forward:  E(h) ~ h/2 |f''| + eps |f| / h     smallest at h* = sqrt(2 eps |f| / |f''|)
    central:  E(h) ~ h^2/6 |f'''| + eps |f| / (2h)   smallest at h* = (1.5 eps |f| / |f'''|)^(1/3)
With |f|, |f''|, |f'''| of order 1 this is h* ~ 1e-8 (forward) and h* ~ 1e-5 (central).
On a log-log plot the truncation part is a line of slope 1 (forward, backward) or
2 (central), and the round-off part a noisy line of slope -1.

Algorithm
---------
1. Write the three difference quotients; each takes a vector of steps at once.
2. For a function with a known derivative, compute |D(h) - f'(x)| on a grid of
   steps from 1e-16 to 1.
3. Fit the slope of log10(error) against log10(h) where truncation dominates.
4. Predict h* from the error model and compare it with the observed minimum.

References: M. T. Heath, Scientific Computing: An Introductory Survey, 2nd ed.,
sec. 1.2.4 and 8.6.1; Nocedal & Wright, Numerical Optimization, 2nd ed., sec. 8.1.
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/calculus/ex13_numerical_derivatives.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array, check_option

SCHEMES = ("forward", "backward", "central")
EPS = np.finfo(np.float64).eps  # 2.22e-16

# %% [markdown]
# ## Implementation



# %%
def _as_step(h, x=0.0):  # h as a float array of positive steps; x must hold numbers
    if np.asarray(x).dtype.kind not in "biuf":  # x keeps its dtype (float32 is part of the lesson)
        raise TypeError(f"x must hold numbers; got dtype {np.asarray(x).dtype}")
    h = as_float_array(h, "h")
    if not np.all(h > 0):
        raise ValueError(f"the step h must be positive; got {h}")
    return h


def forward_difference(f, x, h):
    """(f(x + h) - f(x)) / h, accurate to O(h).

    f is vectorised (array in, same-shape array out); x and h > 0 are floats or arrays that
    broadcast together, and the result has their broadcast shape (so for the two below too).
    """
    h = _as_step(h, x)
    # BEGIN SOLUTION
    # HINT 1: The slope of the secant from x to one step to the right.
    # HINT 2: (f(x + h) - f(x)) / h
    return (f(x + h) - f(x)) / h  # one step to the right
    # END SOLUTION


def backward_difference(f, x, h):
    """(f(x) - f(x - h)) / h, accurate to O(h)."""
    h = _as_step(h, x)
    # BEGIN SOLUTION
    # HINT 1: The slope of the secant from one step to the left up to x.
    # HINT 2: (f(x) - f(x - h)) / h
    return (f(x) - f(x - h)) / h  # one step to the left
    # END SOLUTION


def central_difference(f, x, h):
    """(f(x + h) - f(x - h)) / (2 h), accurate to O(h^2)."""
    h = _as_step(h, x)
    # BEGIN SOLUTION
    # HINT 1: Use points on both sides of x: the secant through them is symmetric around x.
    # HINT 2: (f(x + h) - f(x - h)) / (2 h)
    return (f(x + h) - f(x - h)) / (2 * h)  # symmetric: the h^2 f''/2 terms cancel
    # END SOLUTION


def finite_difference(f, x, h, scheme="central"):
    """Dispatch to one of the schemes by name: "forward", "backward" or "central"."""
    check_option(scheme, "scheme", SCHEMES)
    return {"forward": forward_difference, "backward": backward_difference, "central": central_difference}[scheme](f, x, h)


def derivative_errors(f, dfdx, x, steps, scheme="central"):
    """|D(h) - f'(x)|, shape (k,), for every step of `steps` (k,); dfdx is the exact derivative of f."""
    steps = as_float_array(steps, "steps", ndim=1)
    return np.abs(finite_difference(f, x, steps, scheme) - dfdx(x))  # (k,)


def loglog_slope(h, errors):
    """Least-squares slope of log10(errors) against log10(h), both (k,) positive, k >= 2: the observed order."""
    h, errors = as_float_array(h, "h"), as_float_array(errors, "errors")
    if h.shape != errors.shape or h.ndim != 1 or h.size < 2:
        raise ValueError(f"h and errors must have the same shape (k,) with k >= 2; got {h.shape} and {errors.shape}")
    if np.any(h <= 0) or np.any(errors <= 0):
        raise ValueError("h and errors must be positive to take their logarithms")
    # BEGIN SOLUTION
    # HINT 1: On a log-log plot an error ~ C h^p is a straight line of slope p: fit that line.
    # HINT 2: u = log10(h), v = log10(errors); slope = sum(du * dv) / sum(du * du) with du, dv centred
    # HINT 3: u, v = np.log10(h), np.log10(errors)
    # HINT 3: du, dv = u - u.mean(), v - v.mean()
    # HINT 3: return float(du @ dv / (du @ du))
    u, v = np.log10(h), np.log10(errors)  # (k,) each
    du, dv = u - u.mean(), v - v.mean()  # centre both, then slope = cov(u, v) / var(u)
    return float(du @ dv / (du @ du))
    # END SOLUTION


def error_model(h, scheme, f_scale=1.0, derivative_scale=1.0, eps=EPS):
    """The modelled total error: truncation + round-off (see The math).

    f_scale stands for |f(x)|; derivative_scale for |f''(x)| (forward, backward)
    or |f'''(x)| (central).
    """
    check_option(scheme, "scheme", SCHEMES)
    h = _as_step(h)
    # BEGIN SOLUTION
    # HINT 1: Total error = truncation error (shrinks with h) + round-off error (grows as h shrinks).
    # HINT 2: central: h^2 / 6 * derivative_scale + eps * f_scale / (2 h)
    # HINT 2: one-sided: h / 2 * derivative_scale + eps * f_scale / h
    if scheme == "central":
        return h**2 / 6 * derivative_scale + eps * f_scale / (2 * h)
    return h / 2 * derivative_scale + eps * f_scale / h
    # END SOLUTION


def optimal_step(scheme, f_scale=1.0, derivative_scale=1.0, eps=EPS):
    """The h that minimises error_model: about eps^(1/2) (forward) or eps^(1/3) (central)."""
    check_option(scheme, "scheme", SCHEMES)
    if f_scale <= 0 or derivative_scale <= 0 or eps <= 0:
        raise ValueError(f"the scales and eps must be positive; got {f_scale}, {derivative_scale}, {eps}")
    # BEGIN SOLUTION
    # HINT 1: Minimise error_model over h: set its derivative in h to zero and solve for h.
    # HINT 2: central: h = (1.5 eps F / M)^(1/3); one-sided: h = sqrt(2 eps F / M)
    if scheme == "central":
        # d/dh [h^2/6 M + eps F/(2h)] = h M/3 - eps F/(2 h^2) = 0
        return float((1.5 * eps * f_scale / derivative_scale) ** (1 / 3))
    # d/dh [h/2 M + eps F/h] = M/2 - eps F/h^2 = 0
    return float(np.sqrt(2 * eps * f_scale / derivative_scale))
    # END SOLUTION


# %% [markdown]
# ## Demo: f(x) = sin(x) at x = 1, where f' = cos, f'' = -sin, f''' = -cos


# %%
def main():
    x0 = 1.0
    steps = np.logspace(-16, 0, 161)  # (161,) steps from 1e-16 to 1
    errors = {s: derivative_errors(np.sin, np.cos, x0, steps, s) for s in SCHEMES}  # (161,) each
    scale = {"forward": np.sin(x0), "backward": np.sin(x0), "central": np.cos(x0)}  # f'' or f''' at x0
    best = {s: optimal_step(s, abs(np.sin(x0)), abs(scale[s])) for s in SCHEMES}
    window = {"forward": (1e-4, 1e-1), "backward": (1e-4, 1e-1), "central": (1e-3, 1e-1)}  # truncation regime

    print(f"d/dx sin(x) at x = {x0}: exact cos(1) = {np.cos(x0):.16f}\n")
    print(f"{'scheme':>8} | {'slope':>5} | {'predicted h*':>12} | {'observed best h':>15} | {'best error':>10}")
    fig, ax = plotting.new_figure(width=6.5, height=4.5)
    for i, s in enumerate(SCHEMES):
        mask = (steps >= window[s][0]) & (steps <= window[s][1])
        slope, k = loglog_slope(steps[mask], errors[s][mask]), np.argmin(errors[s])  # observed order, best step
        print(f"{s:>8} | {slope:5.2f} | {best[s]:12.1e} | {steps[k]:15.1e} | {errors[s][k]:10.1e}")
        ax.loglog(steps, np.maximum(errors[s], 1e-17), color=plotting.COLORS[i], label=s, lw=1.2)
        if s != "backward":  # the backward model is the forward one
            ax.loglog(steps, error_model(steps, s, abs(np.sin(x0)), abs(scale[s])), color=plotting.COLORS[i], ls=":")
            ax.axvline(best[s], color=plotting.COLORS[i], ls="--", lw=1)
    ax.set(xlabel="step h", ylabel="|D(h) - f'(x)|", ylim=(1e-17, 10),
           title="Error of the difference quotients for sin'(1)\n(dotted: truncation + round-off model; dashed: h*)")
    ax.legend(loc="lower left")
    plotting.show_or_save(fig, "ex13_numerical_derivatives")


if __name__ == "__main__":
    main()
