"""
Exercise 10: overflow, and stable log-sum-exp, sigmoid and softmax

Learning goals
--------------
- Know the range of float64: where exp overflows to inf and underflows to 0.
- Write log-sum-exp, sigmoid and softmax that stay finite and accurate at +-1000,
  by shifting or folding the exponent so exp never sees a large positive number.
- Handle the edge cases an ML library meets: rows of -inf (masked entries), axes.

The math
--------
A float64 number is (-1)^s * m * 2^e with e at most 1023: the largest finite value is
(2 - 2^-52) 2^1023, about 1.8e308, so exp(x) overflows to inf for x > 709.78; below
about 2.2e-308 the numbers lose precision (subnormals) and exp(x) underflows to 0
for x < -745.13. x has any shape; the reductions run along `axis`.
- Log-sum-exp: with m = max_i x_i,
      logsumexp(x) = log sum_i exp(x_i) = m + log sum_i exp(x_i - m),
  so the largest exponent is 0 and the sum lies in [1, n]: no overflow, and the
  log never sees 0. If every x_i is -inf, the answer is log 0 = -inf (shift by 0).
- Softmax uses the same shift (it cancels between numerator and denominator):
      softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m).
- Sigmoid: sigmoid(x) = 1 / (1 + e^-x) = e^x / (1 + e^x); with z = e^-|x| <= 1:
      sigmoid(x) = 1 / (1 + z) for x >= 0 and z / (1 + z) for x < 0.

Algorithm
---------
1. logsumexp: the maximum along the axis (0 where it is infinite), the shifted sum,
   the log, the maximum added back.
2. sigmoid: z = exp(-|x|), then the form for the sign of each entry.
3. softmax: subtract the maximum along the axis, exponentiate, normalise.

References: D. Goldberg, "What every computer scientist should know about floating-point
arithmetic", ACM Computing Surveys 23(1) (1991); P. Blanchard, D. J. Higham, N. J. Higham,
"Accurately computing the log-sum-exp and softmax functions", IMA J. Numer. Anal. 41 (2021).
Difficulty: 2 of 3, about 15 minutes.
Run: python 01-python-for-ml/ex10_stable_softmax.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation


# %%
def logsumexp(x, axis=None):
    """log(sum(exp(x))) along axis, without overflow (shift by the maximum)."""
    x = as_float_array(x, "x")
    if x.size == 0:
        raise ValueError("x is empty: its logsumexp is undefined (it would be log 0)")
    # BEGIN SOLUTION
    # HINT 1: Shift by the max so exp cannot overflow; an all-infinite max must not become the shift.
    # HINT 2: m = max(x, axis, keepdims); m = 0 where not finite; out = log(sum(exp(x - m))) + m
    # HINT 3: m = np.max(x, axis=axis, keepdims=True); m = np.where(np.isfinite(m), m, 0.0)
    # HINT 3: with np.errstate(divide="ignore"): out = np.log(np.sum(np.exp(x - m), axis)) + squeeze(m)
    # HINT 3: return float(out) if out.ndim == 0 else out
    m = np.max(x, axis=axis, keepdims=True)  # broadcastable against x
    m = np.where(np.isfinite(m), m, 0.0)  # all -inf (or +inf): shifting by it would give nan
    with np.errstate(divide="ignore"):  # log(0) = -inf is the right answer when every x_i is -inf
        out = np.log(np.sum(np.exp(x - m), axis=axis)) + np.squeeze(m, axis=axis)
    return float(out) if out.ndim == 0 else out
    # END SOLUTION


def sigmoid(x):
    """1 / (1 + exp(-x)), elementwise, finite and accurate for any float x."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Use exp(-|x|), which never overflows, and the matching algebraic form for each sign.
    # HINT 2: z = exp(-|x|); x >= 0: 1 / (1 + z); x < 0: z / (1 + z)
    z = np.exp(-np.abs(x))  # in (0, 1]: exp never sees a large positive argument
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    # END SOLUTION


def softmax(x, axis=-1):
    """exp(x_i) / sum_j exp(x_j) along axis, shifted by the maximum so exp never overflows."""
    x = as_float_array(x, "x")
    if x.ndim == 0 or x.shape[axis] == 0:
        raise ValueError(f"x must have at least one entry along axis {axis} for a softmax; got shape {x.shape}")
    # BEGIN SOLUTION
    # HINT 1: Subtract the max along the axis before exponentiating; normalise along the same axis.
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))  # same shape as x; the largest entry is exp(0) = 1
    return e / np.sum(e, axis=axis, keepdims=True)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    big = np.array([1000.0, 999.0, -1000.0])  # (3,)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # the naive formulas overflow on purpose
        naive = {"logsumexp": np.log(np.sum(np.exp(big))), "sigmoid": 1.0 / (1.0 + np.exp(-big)),
                 "softmax": np.exp(big) / np.sum(np.exp(big))}
    print(f"Overflow: exp(709) = {np.exp(709.0):.3e}, exp(710) overflows; exp(-746) = {np.exp(-746.0)}. x = {big}")
    for name, stable in [("logsumexp", logsumexp(big)), ("sigmoid", sigmoid(big)), ("softmax", softmax(big))]:
        print(f"  {name:9s}: naive {naive[name]}, stable {np.round(stable, 6)}")

    # logsumexp([t, t - 1]) = t + log(1 + e^-1) for every t: the naive formula holds only inside exp's range
    t = np.linspace(-1000.0, 1000.0, 2001)  # (2001,)
    pairs = np.stack([t, t - 1.0], axis=1)  # (2001, 2)
    with np.errstate(over="ignore", divide="ignore"):
        naive_lse = np.log(np.sum(np.exp(pairs), axis=1))  # (2001,): inf above 709.78, -inf below about -745
    stable_lse = logsumexp(pairs, axis=1)  # (2001,)
    ok = np.isfinite(naive_lse)
    print(f"\nlogsumexp([t, t - 1]) - t should be log(1 + 1/e) = {np.log1p(np.exp(-1.0)):.6f} for every t:")
    print(f"  naive finite for t in [{t[ok].min():.0f}, {t[ok].max():.0f}] only; stable: max error "
          f"{np.max(np.abs(stable_lse - t - np.log1p(np.exp(-1.0)))):.1e} on all of [-1000, 1000]")

    fig, ax = plotting.new_figure(1, 1, width=6.4, height=4.0)
    ax.axvspan(709.78, t[-1], color=plotting.COLORS[3], alpha=0.15, label="exp overflows to inf")
    ax.axvspan(t[0], t[ok].min(), color=plotting.COLORS[4], alpha=0.15, label="exp underflows to 0")
    ax.plot(t, stable_lse - t, color=plotting.COLORS[0], linewidth=3, label="stable (shift by the max)")
    ax.plot(t[ok], naive_lse[ok] - t[ok], "--", color=plotting.COLORS[1], linewidth=2, label="naive log(sum(exp)) (where finite)")
    ax.set(xlabel="t", ylabel="logsumexp([t, t - 1]) - t", ylim=(0.0, 0.6), title="Log-sum-exp inside and outside the range of exp")
    ax.legend(loc="lower center", fontsize=8)
    plotting.show_or_save(fig, "ex10_stable_softmax")


if __name__ == "__main__":
    main()
