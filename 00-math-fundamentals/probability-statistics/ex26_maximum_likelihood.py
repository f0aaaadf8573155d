"""
Exercise 26: maximum likelihood estimation for the Bernoulli and the Gaussian

Learning goals
--------------
- Write the log-likelihood of i.i.d. data and maximise it by calculus: the Bernoulli MLE is the
  sample mean, the Gaussian MLE is the sample mean and the *biased* variance (divide by n, not n - 1).
- Check the closed forms numerically, by a grid search and by gradient ascent.
- Evaluate log-likelihoods stably, also at the edge p = 0 or 1 (0 log 0 = 0).

The math
--------
x has shape (n,): i.i.d. observations.
Bernoulli(p), x_i in {0, 1}, k = sum_i x_i heads:
    L(p) = prod_i p^x_i (1 - p)^(1 - x_i)
    l(p) = log L(p) = k log p + (n - k) log(1 - p)
    dl/dp = k / p - (n - k) / (1 - p) = 0   =>   p_hat = k / n  (the sample mean).
    d2l/dp2 = -k / p^2 - (n - k) / (1 - p)^2 < 0, so it is a maximum. When k = 0, l(p) = n log(1 - p)
    falls with p, so the maximum sits on the edge p_hat = 0 (and p_hat = 1 when k = n): the sample mean.
Gaussian N(mu, s2), with s2 = sigma^2:
    l(mu, s2) = -(n/2) log(2 pi s2) - sum_i (x_i - mu)^2 / (2 s2)
    dl/dmu = sum_i (x_i - mu) / s2 = 0                       =>  mu_hat = x_bar
    dl/ds2 = -n / (2 s2) + sum_i (x_i - mu)^2 / (2 s2^2) = 0  =>  s2_hat = (1/n) sum_i (x_i - x_bar)^2
    s2_hat is biased (E[s2_hat] = (n-1)/n sigma^2): maximum likelihood is not the same as unbiased.
    Since sum_i (x_i - mu)^2 = sum_i (x_i - x_bar)^2 + n (x_bar - mu)^2, l depends on the data only
    through n, x_bar and s2_hat.
For gradient ascent we use theta = (mu, log sigma), which keeps sigma > 0, and the average l / n:
    d(l/n)/dmu        = (x_bar - mu) / sigma^2
    d(l/n)/d log sigma = -1 + (1/n) sum_i (x_i - mu)^2 / sigma^2

Algorithm
---------
1. Closed forms: p_hat = mean(x); mu_hat = mean(x), s2_hat = mean((x - mu_hat)^2).
2. Grid search: evaluate l(p) on a grid of p in [0, 1] and take the arg max.
3. Gradient ascent: from (mu, log sigma) = (0, 0), repeat theta <- theta + learning_rate * grad(l/n)(theta).

References: L. Wasserman, All of Statistics, ch. 9.3-9.4; C. M. Bishop, Pattern Recognition and
Machine Learning, ch. 1.2.4 and 2.1 (maximum likelihood for the Gaussian and the Bernoulli, and
the bias of the variance).
Difficulty: 2 of 3, about 30 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex26_maximum_likelihood.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array, check_same_shape

# %% [markdown]
# ## Implementation


# %%
def _as_binary(x):  # Bernoulli data: (n,) of 0s and 1s
    x = as_float_array(x, "x")
    if x.ndim != 1 or x.size == 0 or not np.all((x == 0) | (x == 1)):
        raise ValueError(f"x (Bernoulli data) must be a non-empty 1-D array of 0s and 1s; got {x}")
    return x


def _xlogy(c, y):
    """c * log(y) with 0 * log(anything) = 0, and c * log(0) = -inf for c > 0, without warnings."""
    c, y = np.broadcast_arrays(as_float_array(c, "c"), as_float_array(y, "y"))
    out = np.zeros(c.shape)  # the 0 * log(y) = 0 entries stay 0
    use = (c != 0) & (y > 0)  # log only where it is finite and needed
    out[use] = c[use] * np.log(y[use])
    out[(c != 0) & (y == 0)] = -np.inf  # the data are impossible under this parameter
    return out


def bernoulli_log_likelihood(p, x):
    """l(p) = k log p + (n - k) log(1 - p) for 0/1 data x (n,); p a float or a grid, the result its shape.
    A p that makes the data impossible (p = 0 with a head) gives -inf, not a warning."""
    x = _as_binary(x)
    p = as_float_array(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must lie in [0, 1]")
    # BEGIN SOLUTION
    # HINT 1: Only the number of heads k and the count n matter; use _xlogy so 0 log 0 = 0.
    # HINT 2: k log p + (n - k) log(1 - p)
    k, n = x.sum(), x.size  # sufficient statistics: only the number of heads matters
    return (_xlogy(k, p) + _xlogy(n - k, 1 - p))[()]  # shape of p ([()] makes 0-d a float); all tails at p = 0: 0
    # END SOLUTION


def bernoulli_mle(x):
    """The maximum-likelihood p for 0/1 data: the fraction of ones."""
    x = _as_binary(x)
    # BEGIN SOLUTION
    # HINT 1: Setting the derivative of the log-likelihood to zero gives the fraction of heads.
    return float(x.mean())
    # END SOLUTION


def gaussian_log_likelihood(mu, sigma2, x):
    """l(mu, sigma2) = sum_i log N(x_i | mu, sigma2); mu and sigma2 broadcast (grids welcome)."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    mu, sigma2 = as_float_array(mu, "mu"), as_float_array(sigma2, "sigma2")
    if np.any(sigma2 <= 0):
        raise ValueError("the variance sigma2 must be positive")
    # BEGIN SOLUTION
    # HINT 1: Use the decomposition of the squared deviations around x_bar so that a whole grid of
    # HINT 1: (mu, sigma2) needs only one pass over the data.
    # HINT 2: -n/2 log(2 pi sigma2) - [sum (x - x_bar)^2 + n (x_bar - mu)^2] / (2 sigma2)
    n, x_bar = x.size, x.mean()
    squares = np.sum((x - x_bar) ** 2) + n * (x_bar - mu) ** 2  # broadcast shape of (mu, sigma2)
    return (-0.5 * n * np.log(2 * np.pi * sigma2) - squares / (2 * sigma2))[()]
    # END SOLUTION


def gaussian_mle(x):
    """The maximum-likelihood (mu, sigma2) of a Gaussian: the mean and the biased (ddof=0) variance."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    # BEGIN SOLUTION
    # HINT 1: The sample mean and the variance with divisor n (not n - 1).
    return float(x.mean()), float(np.mean((x - x.mean()) ** 2))  # divide by n: the MLE, not the unbiased n - 1
    # END SOLUTION


def grid_argmax(values, grid):
    """The grid point where values (of the grid's shape) is largest: a brute-force maximiser."""
    values, grid = np.asarray(values), np.asarray(grid)
    check_same_shape(values, grid, ("values", "grid"))
    # BEGIN SOLUTION
    # HINT 1: The grid point with the largest value.
    return float(grid[np.argmax(values)])
    # END SOLUTION


def gaussian_score(mu, log_sigma, x):
    """Gradient, shape (2,), of the average log-likelihood l/n with respect to (mu, log sigma)."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Differentiate the mean log-likelihood in mu and in log sigma (so sigma stays positive).
    # HINT 2: d_mu = (mean(x) - mu) / sigma^2; d_log_sigma = -1 + mean((x - mu)^2) / sigma^2
    sigma2 = np.exp(2.0 * log_sigma)
    return np.array([(x.mean() - mu) / sigma2, -1.0 + np.mean((x - mu) ** 2) / sigma2])  # (2,): d_mu, d_log_sigma
    # END SOLUTION


def gaussian_mle_gradient_ascent(x, learning_rate=0.1, n_steps=3000, init=(0.0, 0.0)):
    """Maximise the Gaussian log-likelihood by gradient ascent on (mu, log sigma): (mu, sigma2), floats,
    the final estimate, and path (n_steps + 1, 2), the (mu, sigma) visited."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Climb the score: add learning_rate times the gradient, record every point; report sigma^2.
    # HINT 2: theta <- theta + learning_rate * gaussian_score(theta[0], theta[1], x)
    # HINT 3: theta = array(init); path = [theta.copy()]; repeat n_steps: theta += learning_rate * score; record
    # HINT 3: path = np.array(path); path[:, 1] = exp(path[:, 1]); return float(theta[0]), float(exp(2 * theta[1])), path
    theta = np.array(init, dtype=float)  # (2,): (mu, log sigma)
    path = [theta.copy()]  # every (mu, log sigma) visited
    for _ in range(n_steps):
        theta += learning_rate * gaussian_score(theta[0], theta[1], x)  # ascent: plus the gradient
        path.append(theta.copy())
    path = np.array(path)  # (n_steps + 1, 2)
    path[:, 1] = np.exp(path[:, 1])  # report sigma, not log sigma
    return float(theta[0]), float(np.exp(2 * theta[1])), path
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(17)
    p_grid = np.linspace(0.0, 1.0, 10_001)  # (10001,), both edges included
    coin = (rng.random(100) < 0.3).astype(int)  # (100,), a coin with P(heads) = 0.3
    datasets = {"10 flips": coin[:10], "100 flips": coin, "10 tails, no heads": np.zeros(10, dtype=int)}
    x = rng.normal(2.0, 1.5, size=60)  # (60,), true mu = 2, sigma^2 = 2.25
    (mu_hat, s2_hat), (mu_ga, s2_ga, path) = gaussian_mle(x), gaussian_mle_gradient_ascent(x)
    print(f"{'Bernoulli data':<22}{'closed form':>12}{'grid search':>13}")
    for name, data in datasets.items():
        print(f"{name:<22}{bernoulli_mle(data):>12.4f}{grid_argmax(bernoulli_log_likelihood(p_grid, data), p_grid):>13.4f}")
    print(f"\n{'Gaussian, n = 60':<22}{'mu':>10}{'sigma^2':>10}\n{'closed form (MLE)':<22}{mu_hat:>10.4f}{s2_hat:>10.4f}\n"
          f"{'gradient ascent':<22}{mu_ga:>10.4f}{s2_ga:>10.4f}\n{'unbiased (ddof=1)':<22}{'':>10}{x.var(ddof=1):>10.4f}"
          f"   (not the MLE: larger by n/(n-1))\n{'truth':<22}{2.0:>10.4f}{2.25:>10.4f}")
    fig, (ax_b, ax_g) = plotting.new_figure(1, 2, width=5.5, height=4.2)
    for i, (name, data) in enumerate(datasets.items()):
        p_hat = bernoulli_mle(data)
        relative = bernoulli_log_likelihood(p_grid, data) - bernoulli_log_likelihood(p_hat, data)  # (10001,), 0 at the MLE
        ax_b.plot(p_grid, relative, color=plotting.COLORS[i], linewidth=2, label=f"{name}: $\\hat p$ = {p_hat:.2f}")
        ax_b.plot(p_hat, 0.0, "o", color=plotting.COLORS[i], markersize=8)
    ax_b.set(title="Bernoulli: log-likelihood minus its maximum", xlabel="p", ylabel=r"$\ell(p) - \ell(\hat p)$", ylim=(-12, 1))
    ax_b.legend(loc="lower right")
    MU, SIGMA = np.meshgrid(np.linspace(-0.5, 4.0, 200), np.linspace(0.6, 4.0, 200))  # (200, 200) each
    ll = gaussian_log_likelihood(MU, SIGMA**2, x)  # (200, 200), by broadcasting
    contours = ax_g.contour(MU, SIGMA, ll, levels=ll.max() - np.array([200, 100, 50, 20, 10, 5, 2, 0.5]), cmap="viridis")
    ax_g.clabel(contours, fmt=lambda v: f"{v - ll.max():.1f}", fontsize=7)
    ax_g.plot(path[:, 0], path[:, 1], ".-", color=plotting.COLORS[3], markersize=2, linewidth=1, label="gradient ascent from (0, 1)")
    ax_g.plot(mu_hat, np.sqrt(s2_hat), "*", color="black", markersize=14, label="closed-form MLE")
    ax_g.set(title="Gaussian: log-likelihood (contours: below the max)", xlabel=r"$\mu$", ylabel=r"$\sigma$")
    ax_g.legend(loc="upper right")
    plotting.show_or_save(fig, "ex26_maximum_likelihood")


if __name__ == "__main__":
    main()
