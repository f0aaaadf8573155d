"""Numerical gradients by central differences, for checking backward passes.

The central difference

    df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)

has an error of order h**2 (the forward difference only h), so in float64 with
h around 1e-5 an analytic gradient that is right agrees to about 1e-8 relative
error, and one that is wrong is off by far more than 1e-6.

References: CS231n, "Gradient checks" (Stanford course notes).
"""

import numpy as np

__all__ = ["numerical_gradient", "numerical_gradient_array", "rel_error", "check_gradient", "check_gradients"]


def _require_float64(x):
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = type(x).__name__ if not isinstance(x, np.ndarray) else x.dtype
        raise TypeError(f"gradient checks need a float64 ndarray (float32 is too coarse); got {got}")


def numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function f at x by central differences.

    ``x`` is changed in place, one entry at a time, and restored, so f may close
    over it (as a layer closes over its weights).

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x : ndarray of float64, any shape

    Returns
    -------
    ndarray of the same shape as x
    """
    _require_float64(x)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        f_plus = float(f(x))
        x[index] = old - h
        f_minus = float(f(x))
        x[index] = old
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    """Gradient of sum(f(x) * dout) with respect to x: what a backward pass returns.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray`` (a forward pass with everything but x fixed).
    x : ndarray of float64
    dout : ndarray, the upstream gradient, of the shape of f(x)

    Returns
    -------
    ndarray of the same shape as x
    """
    _require_float64(x)
    dout = np.asarray(dout, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        out_plus = np.array(f(x), dtype=float)  # copy: f may return a view of a buffer
        x[index] = old - h
        out_minus = np.array(f(x), dtype=float)
        x[index] = old
        grad[index] = np.sum((out_plus - out_minus) * dout) / (2 * h)
    return grad


def rel_error(a, b, eps=1e-12):
    """Relative error of two gradients: ||a - b|| / (||a|| + ||b||), Euclidean norms.

    Norms rather than entries: an entry whose true gradient is 0 is computed
    numerically as round-off of about 1e-11, which would look like a 100 %
    error entry by entry. A wrong sign or a missing factor still gives an
    error far above 1e-6.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs arrays of the same shape; got {a.shape} and {b.shape}")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), eps))


def check_gradient(f, x, analytic, dout=None, h=1e-5, tol=1e-6):
    """Assert that ``analytic`` matches the numerical gradient of f at x.

    With ``dout`` the function is array-valued and the gradient is that of
    ``sum(f(x) * dout)``; without it f must return a scalar.

    Returns
    -------
    float
        The relative error (below ``tol``, or an AssertionError is raised).
    """
    numeric = numerical_gradient(f, x, h) if dout is None else numerical_gradient_array(f, x, dout, h)
    error = rel_error(analytic, numeric)
    if not error < tol:
        raise AssertionError(f"gradient check failed: relative error {error:.3e} >= {tol:.0e}")
    return error


def check_gradients(f, args, analytic_grads, dout=None, h=1e-5, tol=1e-6):
    """``check_gradient`` for each argument of ``f(*args)`` in turn, the others held fixed:
    ``analytic_grads[i]`` is the gradient with respect to ``args[i]`` (a layer's dx, dW, db, ...)."""
    for i, analytic in enumerate(analytic_grads):

        def f_i(value, i=i):
            return f(*[value if j == i else arg for j, arg in enumerate(args)])

        check_gradient(f_i, args[i], analytic, dout, h, tol)
