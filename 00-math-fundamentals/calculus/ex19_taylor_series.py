"""
Exercise 19: Taylor polynomials, a function from its derivatives at one point

Learning goals
--------------
- Build the Taylor polynomial of order n from the derivatives at a point; see its error shrink
  like |x - a|^(n+1) near that point.
- Evaluate a polynomial with Horner's rule: n multiplications, no powers.
- Read the known series of exp and sin off their derivatives.

The math
--------
For f with n + 1 derivatives near a, Taylor's theorem gives
    f(x) = sum_{k=0..n} f^(k)(a) / k! (x - a)^k + R_n(x),   R_n(x) = f^(n+1)(c) / (n+1)! (x - a)^(n+1)
for some c between a and x: the error of the order-n polynomial T_n is O(|x - a|^(n+1)).
So on a log-log plot of |f(x) - T_n(x)| against |x - a| the error is a line of slope n + 1.
Known series at a = 0: exp(x) = sum x^k / k!,  sin(x) = x - x^3/3! + x^5/5! - ...
The derivatives of sin cycle with period 4: sin, cos, -sin, -cos.
The order-1 polynomial is the tangent line and the order-2 one the local quadratic model: Newton's
method (the next exercise) jumps to the zero of the first and the minimum of the second.

Algorithm
---------
1. Coefficients c_k = f^(k)(a) / k!, for k = 0..n, with the factorials from a cumulative product.
2. Evaluate T_n(x) = c_0 + t (c_1 + t (c_2 + ... + t c_n)) with t = x - a (Horner's rule).
3. Measure the error at distances d from a and fit the slope of log error against log d.

References: G. Strang, Calculus, 3rd ed., sec. 10.4 (Taylor series);
D. E. Knuth, The Art of Computer Programming, vol. 2, 3rd ed., sec. 4.6.4 (Horner's rule).
Difficulty: 1 of 3, about 15 minutes.
Run: python 00-math-fundamentals/calculus/ex19_taylor_series.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation


# %%
def taylor_coefficients(derivatives):
    """c_k = f^(k)(a) / k! for k = 0..n (shape (n + 1,)), from derivatives = f(a), f'(a), ..., f^(n)(a)."""
    derivatives = as_float_array(derivatives, "derivatives")
    if derivatives.ndim != 1 or derivatives.size == 0:  # at least f(a)
        raise ValueError(f"derivatives must have shape (n + 1,) with at least f(a); got {derivatives.shape}")
    # BEGIN SOLUTION
    # HINT 1: Each Taylor coefficient is a derivative divided by the matching factorial.
    # HINT 2: c_k = f^(k)(a) / k!, with the factorials from a cumulative product
    factorials = np.cumprod(np.r_[1.0, np.arange(1, derivatives.size)])  # (n + 1,): 0!, 1!, 2!, ...
    return derivatives / factorials
    # END SOLUTION


def taylor_polynomial(derivatives, a, x):
    """T_n(x) = sum_k c_k (x - a)^k, evaluated with Horner's rule; the shape of x."""
    coefficients = taylor_coefficients(derivatives)  # (n + 1,)
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Evaluate the polynomial in t = x - a with Horner's rule, from the highest coefficient down.
    # HINT 2: result = c_n; then result = result * t + c_k for k = n-1 .. 0
    # HINT 3: t = x - a; result = full_like(t, coefficients[-1]); for c in coefficients[-2::-1]: result = result * t + c
    t = x - a
    result = np.full_like(t, coefficients[-1])  # Horner: c_0 + t (c_1 + t (c_2 + ...))
    for c in coefficients[-2::-1]:
        result = result * t + c
    return result
    # END SOLUTION


def exp_derivatives(a, order):
    """f(a), f'(a), ..., f^(order)(a) for f = exp: all equal to exp(a). Shape (order + 1,)."""
    return np.full(order + 1, np.exp(a))


def sin_derivatives(a, order):
    """Derivatives of sin at a, following the cycle sin, cos, -sin, -cos. Shape (order + 1,)."""
    a = as_float_array(a, "a")
    cycle = np.array([np.sin(a), np.cos(a), -np.sin(a), -np.cos(a)])  # (4,)
    return cycle[np.arange(order + 1) % 4]


# %% [markdown]
# ## Demo


# %%
def main():
    # The coefficients of exp at 0 are 1/k!; for sin around a = 1 the error of T_n falls like |x - a|^(n+1).
    a, orders = 1.0, (1, 2, 3, 4)
    print("Taylor coefficients of exp at 0:", np.array2string(taylor_coefficients(exp_derivatives(0.0, 6)), precision=5))
    d = np.geomspace(1e-2, 0.2, 20)  # (20,) distances |x - a|
    errors = {n: np.abs(np.sin(a + d) - taylor_polynomial(sin_derivatives(a, n), a, a + d)) for n in orders}  # (20,) each
    print(f"\nsin around a = {a}:\n{'order n':>7} | {'error at d = 0.2':>16} | {'error at d = 0.01':>17} | slope of log error (n + 1)")
    for n, err in errors.items():
        slope = np.polyfit(np.log10(d), np.log10(err), 1)[0]  # least-squares slope of log error against log d (ex13)
        print(f"{n:>7} | {err[-1]:16.2e} | {err[0]:17.2e} | {slope:.2f}")

    fig, (ax_taylor, ax_error) = plotting.new_figure(1, 2, width=5.5, height=4.2)
    grid = np.linspace(-2.5, 4.5, 300)  # (300,)
    ax_taylor.plot(grid, np.sin(grid), color="black", lw=2.5, label="sin(x)")
    for n in orders:
        ax_taylor.plot(grid, taylor_polynomial(sin_derivatives(a, n), a, grid), label=f"order {n}")
    ax_taylor.set(ylim=(-2, 2), xlabel="x", ylabel="y", title=f"sin and its Taylor polynomials around a = {a}")
    ax_taylor.legend(loc="lower center", ncol=3, fontsize=8)
    for n, err in errors.items():
        ax_error.loglog(d, err, marker=".", label=f"order {n}: slope {n + 1}")
    ax_error.set(xlabel="distance |x - a|", ylabel="error |sin(x) - T_n(x)|", title="The error falls like |x - a|^(n+1)")
    ax_error.legend(fontsize=8)
    plotting.show_or_save(fig, "ex19_taylor_series")


if __name__ == "__main__":
    main()
