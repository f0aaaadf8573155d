"""
Exercise 03: the bias-variance decomposition, measured

Learning goals
--------------
- Split the expected squared error of a learning method into bias^2, variance and noise, by drawing many
  training sets from a function we know.
- Fit polynomials of degree 0 to 15 by least squares on a well-conditioned basis (x scaled to [-1, 1],
  Legendre polynomials) and watch bias fall and variance rise with the degree.
- Check the identity E[(y - f_hat(x))^2] = bias^2 + variance + noise within Monte Carlo error, and see
  where the U-shaped test error comes from.

The math
--------
Data: y = f(x) + eps with f(x) = sin(2 pi x) on [0, 1] and eps ~ N(0, sigma^2). A training set D has n = n_samples
pairs (x_i, y_i) at fixed, evenly spaced x_i (a "fixed design": only the noise changes from one training
set to the next). The method fits f_hat_D, a polynomial of degree p. At a test point x, over training
sets D and a fresh test noise eps,
    E[(y - f_hat_D(x))^2] = (f(x) - E_D f_hat_D(x))^2 + Var_D f_hat_D(x) + sigma^2
                          =          bias^2(x)        +    variance(x)     + noise,
because eps is independent of D and has mean 0 (the cross terms vanish). We average each term over a
grid of test points x_t. Estimated from S training sets with predictions P of shape (S, n_test):
    mean_t  = (1/S) sum_s P[s, t],   bias^2 = mean over t of (f(x_t) - mean_t)^2,
    variance = mean over t of (1/S) sum_s (P[s, t] - mean_t)^2.

The basis: z = 2 (x - low) / (high - low) - 1 maps [low, high] to [-1, 1], and the design matrix A has
columns L_0(z) .. L_p(z), the Legendre polynomials, shape (n, p+1). The monomials 1, x, ..., x^15 on
[0, 1] are nearly parallel (condition number around 1e11); Legendre columns on [-1, 1] are close to
orthogonal. All S training sets share A, so one least-squares solve with the targets as columns,
Y of shape (n, S), fits them all at once.

Algorithm
---------
1. Draw S training sets (S noisy copies of y at the same x_i), fit the degree-p polynomial to all of
   them by np.linalg.lstsq on the Legendre design matrix, predict on the grid of test points.
2. Draw fresh noisy targets at the grid points, one set per training set, and average the squared
   errors: the Monte Carlo estimate of the expected error.
3. Compute bias^2 and variance from the (S, n_test) predictions; noise = sigma^2.
4. Repeat for p = 0..15 and plot the three terms and their sum.

References: C. M. Bishop, Pattern Recognition and Machine Learning, 2006, ch. 3.2 (Figures 3.5 and 3.6);
T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed., 2009, ch. 7.3;
S. Geman, E. Bienenstock, R. Doursat, "Neural networks and the bias/variance dilemma", Neural
Computation 4, 1992.
Difficulty: 2 of 3, about 25 minutes.
Run: python 05-model-optimization/ex03_bias_variance.py
"""

# %%
import numpy as np

from utils import data, plotting, quick_mode
from utils.validation import as_float_array, check_no_overflow, check_non_negative_int

# %% [markdown]
# ## Polynomials on a well-conditioned basis


# %%
def true_function(x):
    """The function the data come from: f(x) = sin(2 pi x)."""
    return np.sin(2.0 * np.pi * as_float_array(x, "x"))


def legendre_design(x, degree, domain=(0.0, 1.0)):
    """Columns L_0(z) .. L_degree(z) with z = x mapped from ``domain`` to [-1, 1]; shape (n_samples, degree + 1)."""
    x, degree = as_float_array(x, "x", ndim=1), check_non_negative_int(degree, "degree")
    low, high = domain
    # BEGIN SOLUTION
    # HINT 1: Map the domain onto [-1, 1] first, where Legendre polynomials are well conditioned.
    # HINT 2: z = 2 (x - low) / (high - low) - 1; A = np.polynomial.legendre.legvander(z, degree)
    z = 2.0 * (x - low) / (high - low) - 1.0  # (n_samples,), in [-1, 1] on the domain
    return np.polynomial.legendre.legvander(z, int(degree))  # (n_samples, degree + 1)
    # END SOLUTION


def fit_polynomial(x, y, degree, domain=(0.0, 1.0)):
    """Least-squares coefficients, (degree + 1,) or (degree + 1, S), of a polynomial in the Legendre basis,
    for y of shape (n_samples,), or (n_samples, S): S training sets that share the same x (one solve fits them all)."""
    y = as_float_array(y, "y", finite=True)
    x = as_float_array(x, "x", finite=True)  # NaN would stop the SVD of lstsq from converging
    check_no_overflow(x, "x", power=max(int(degree), 1))  # the basis holds powers of x up to x^degree
    A = legendre_design(x, degree, domain)  # (n_samples, degree + 1)
    if y.ndim not in (1, 2) or len(y) != len(A):
        raise ValueError(f"y must have shape ({len(A)},) or ({len(A)}, S) to match x; got {y.shape}")
    # BEGIN SOLUTION
    # HINT 1: Least squares on the Legendre design; lstsq handles a matrix y (one column per data set).
    # HINT 2: A = legendre_design(x, degree, domain); coef = np.linalg.lstsq(A, y, rcond=None)[0]
    # lstsq works through the SVD: no normal equations, so no squared condition number;
    # and one factorisation of A serves every column of y.
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)  # (degree + 1,) or (degree + 1, S)
    return coef
    # END SOLUTION


def predict_polynomial(coef, x, domain=(0.0, 1.0)):
    """The fitted polynomial at x, shape (n_samples,)."""
    return legendre_design(x, len(coef) - 1, domain) @ coef  # (n_samples,)


# %% [markdown]
# ## The decomposition by simulation


# %%
def bias_variance(degree, n_datasets=300, n_train=25, noise=0.3, x_test=None, random_state=None, function=true_function):
    """Estimate bias^2, variance, noise and the expected squared error of degree-p least squares, from
    n_datasets training sets of n_train points (x evenly spaced on [0, 1], noise the std sigma of eps),
    tested at x_test (n_test,) (default 101 points on [0, 1]); function is the true f (vectorised).

    Returns a dict: floats "bias2", "variance", "noise" (sigma^2), "error" (the Monte Carlo estimate of
    E[(y - f_hat(x))^2]) and "error_se" (its standard error); "predictions" (n_datasets, n_test), "x_train".
    """
    degree = check_non_negative_int(degree, "degree")
    if n_train < degree + 1:
        raise ValueError(f"a degree-{degree} polynomial needs at least {degree + 1} training samples; got n_train={n_train}")
    if n_datasets < 2:
        raise ValueError(f"n_datasets must be at least 2 to estimate a variance; got {n_datasets}")
    rng = data.as_rng(random_state)
    x_test = np.linspace(0.0, 1.0, 101) if x_test is None else as_float_array(x_test, "x_test")
    x_train = np.linspace(0.0, 1.0, n_train)  # (n_train,), the same in every training set
    f_test = function(x_test)  # (n_test,)
    # BEGIN SOLUTION
    # HINT 1: Draw all S training sets at once as columns of Y, fit them in
    # HINT 1: one lstsq, then compare the average prediction with the truth
    # HINT 1: (bias) and the predictions with their average (variance).
    # HINT 2: bias2 = mean_t (f(x_t) - mean_s fhat_s(x_t))^2; variance = mean_t mean_s (fhat_s - mean_s fhat)^2
    # HINT 2: error = mean over s, t of (y_test - fhat_s(x_t))^2, with fresh noisy y_test
    # HINT 3: Y = f(x_train)[:, None] + noise * rng.standard_normal((n_train, n_datasets))
    # HINT 3: predictions = (legendre_design(x_test) @ fit_polynomial(x_train, Y, degree)).T
    # HINT 3: y_test = f_test + fresh noise; mean_prediction = predictions.mean(0); bias2, variance
    # HINT 3: per_dataset_error = mean over t; error = its mean; error_se = std(ddof=1) / sqrt(S)
    Y = function(x_train)[:, None] + noise * rng.standard_normal((n_train, n_datasets))  # (n_train, S)
    coef = fit_polynomial(x_train, Y, degree)  # (degree + 1, S)
    predictions = (legendre_design(x_test, degree) @ coef).T  # (S, n_test)
    y_test = f_test + noise * rng.standard_normal(predictions.shape)  # (S, n_test), fresh test targets
    mean_prediction = predictions.mean(axis=0)  # (n_test,), E_D f_hat(x_t)
    bias2 = np.mean((f_test - mean_prediction) ** 2)
    variance = np.mean(np.mean((predictions - mean_prediction) ** 2, axis=0))  # 1/S, not 1/(S-1)
    per_dataset_error = np.mean((y_test - predictions) ** 2, axis=1)  # (S,), one squared error per training set
    error = per_dataset_error.mean()
    error_se = per_dataset_error.std(ddof=1) / np.sqrt(n_datasets)
    # END SOLUTION
    return {"bias2": float(bias2), "variance": float(variance), "noise": float(noise**2), "error": float(error),
            "error_se": float(error_se), "predictions": predictions, "x_train": x_train}


# %% [markdown]
# ## Demo


# %%
def main():
    degrees = np.arange(16)
    n_datasets = 500 if quick_mode() else 2000
    rng = np.random.default_rng(0)
    x_test = np.linspace(0.0, 1.0, 101)
    results = [bias_variance(p, n_datasets=n_datasets, x_test=x_test, random_state=rng) for p in degrees]

    print(f"Polynomials fitted to {n_datasets} training sets: 25 evenly spaced x, y = sin(2 pi x) + N(0, 0.3^2)")
    print(f"{'degree':>6} {'bias^2':>10} {'variance':>10} {'noise':>7} {'sum':>10} {'MC error':>10} {'+-':>8}")
    for p, r in zip(degrees, results):
        total = r["bias2"] + r["variance"] + r["noise"]
        print(f"{p:>6} {r['bias2']:>10.4f} {r['variance']:>10.4f} {r['noise']:>7.3f} {total:>10.4f} {r['error']:>10.4f} {r['error_se']:>8.4f}")

    print("(bias^2 from S training sets carries about variance / S of Monte Carlo noise: ~1e-4 means 'none measurable')")

    fig, (ax_fits, ax_terms) = plotting.new_figure(1, 2, width=5.6, height=4.2)
    shown = {1: plotting.COLORS[0], 3: plotting.COLORS[2], 15: plotting.COLORS[3]}
    for p, color in shown.items():
        predictions = results[p]["predictions"]
        for s in range(15):  # a few individual fits, faint
            ax_fits.plot(x_test, predictions[s], color=color, alpha=0.3, linewidth=0.8)
        ax_fits.plot(x_test, predictions.mean(axis=0), color=color, linewidth=2.2, label=f"degree {p}: mean of all fits")
    ax_fits.plot(x_test, true_function(x_test), color="black", linestyle="--", linewidth=1.5, label="true f(x) = sin(2 pi x)")
    ax_fits.set(ylim=(-2.0, 2.0), xlabel="x", ylabel="y", title="15 fits each (faint) and their mean (bold)")
    ax_fits.legend(loc="lower left", fontsize=8)

    terms = {name: np.array([r[name] for r in results]) for name in ("bias2", "variance", "noise", "error")}
    ax_terms.plot(degrees, terms["bias2"], marker="o", label="bias$^2$")
    ax_terms.plot(degrees, terms["variance"], marker="o", label="variance")
    ax_terms.plot(degrees, terms["noise"], linestyle=":", color="grey", label="noise $\\sigma^2$")
    ax_terms.plot(degrees, terms["bias2"] + terms["variance"] + terms["noise"], color="black", linewidth=2, label="bias$^2$ + variance + noise")
    ax_terms.plot(degrees, terms["error"], linestyle="none", marker="x", markersize=8, color=plotting.COLORS[3], label="expected test error (Monte Carlo)")
    ax_terms.set(yscale="log", xlabel="polynomial degree", ylabel="squared error (log scale)", title="The decomposition against model complexity")
    ax_terms.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    plotting.show_or_save(fig, "ex03_bias_variance")


if __name__ == "__main__":
    main()
