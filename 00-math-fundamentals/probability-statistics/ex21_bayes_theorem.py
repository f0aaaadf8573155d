"""
Exercise 21: Bayes' theorem, from a medical test to a coin's bias

Learning goals
--------------
- Update a prior belief with evidence: posterior = prior x likelihood / evidence.
- Work the medical test example and see the base-rate effect: with a rare
  disease, most positive results of a good test are false alarms.
- Update a Beta prior on a coin's bias with flips (the Beta-Bernoulli model)
  and watch the posterior narrow as the flips come in.

The math
--------
Hypotheses H_1, ..., H_K (exactly one is true) with prior probabilities
prior of shape (K,), summing to 1, and data D with likelihoods
likelihood[k] = P(D | H_k) of shape (K,). Bayes' theorem:
    P(H_k | D) = P(D | H_k) P(H_k) / P(D),   P(D) = sum_j P(D | H_j) P(H_j)  (the evidence).
Medical test: H in {disease, healthy}, prior P(disease) = prevalence,
sensitivity = P(+ | disease), specificity = P(- | healthy). After a positive test
    P(disease | +) = sens * prev / (sens * prev + (1 - spec) * (1 - prev)).
Coin: the bias theta = P(heads) in [0, 1] gets the prior Beta(a, b), with density
    p(theta) = theta^(a-1) (1 - theta)^(b-1) / B(a, b),   B(a, b) = Gamma(a) Gamma(b) / Gamma(a + b).
After h heads and t tails the likelihood is theta^h (1 - theta)^t, so the
posterior is again a Beta (the Beta prior is conjugate to the Bernoulli):
    theta | flips ~ Beta(a + h, b + t),   posterior mean (a + h) / (a + b + h + t).

Algorithm
---------
1. Check that the prior is a probability vector and the likelihoods lie in [0, 1].
2. Multiply prior and likelihood entrywise, divide by their sum (the evidence).
3. Medical test: two hypotheses, likelihood (sens, 1 - spec) for a positive
   result and (1 - sens, spec) for a negative one.
4. Coin: count heads h and tails t, return (a + h, b + t); evaluate the Beta
   density in log space (lgamma) so large a, b do not overflow.

References: D. Barber, Bayesian Reasoning and Machine Learning, ch. 1 and 8.1;
A. Gelman et al., Bayesian Data Analysis, 3rd ed., ch. 2.1-2.4 (the Beta-binomial model);
G. Gigerenzer and U. Hoffrage, "How to improve Bayesian reasoning without
instruction", Psychological Review 102(4), 1995 (the base-rate effect).
Difficulty: 1 of 3, about 25 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex21_bayes_theorem.py
"""

# %%
import math

import numpy as np

from utils import plotting

# %% [markdown]
# ## Implementation


# %%
def _check_probabilities(values, name):
    values = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(values)) or np.any((values < 0) | (values > 1)):
        raise ValueError(f"{name} must be probabilities in [0, 1]; got {values}")
    return values


def posterior(prior, likelihood):
    """P(H_k | D) for every hypothesis k, by Bayes' theorem.

    Parameters
    ----------
    prior : array-like of shape (K,), non-negative, summing to 1
    likelihood : array-like of shape (K,), P(D | H_k) in [0, 1]

    Returns
    -------
    ndarray of shape (K,), summing to 1
    """
    prior = _check_probabilities(prior, "prior")
    likelihood = _check_probabilities(likelihood, "likelihood")
    if prior.ndim != 1 or prior.shape != likelihood.shape:
        raise ValueError(f"prior and likelihood must both have shape (K,); got {prior.shape} and {likelihood.shape}")
    if abs(prior.sum() - 1.0) > 1e-8:
        raise ValueError(f"the prior must sum to 1 over the hypotheses; it sums to {prior.sum():.6g}")
    # BEGIN SOLUTION
    # HINT 1: Multiply prior by likelihood, then normalise by
    # HINT 1: the total (the evidence); refuse a zero total.
    # HINT 2: post = prior * likelihood / sum(prior * likelihood)
    # HINT 3: joint = prior * likelihood; evidence = joint.sum()
    # HINT 3: if evidence == 0: raise ValueError; return joint / evidence
    joint = prior * likelihood  # (K,): P(D and H_k)
    evidence = joint.sum()  # P(D)
    if evidence == 0:
        raise ValueError("the evidence P(D) is 0: every hypothesis with prior mass gives the data probability 0")
    return joint / evidence
    # END SOLUTION


def medical_test_posterior(prevalence, sensitivity, specificity, positive=True):
    """P(disease | test result) for a test with the given sensitivity and specificity.

    prevalence may be an array (then the result has its shape), for plotting
    the posterior against the prior.
    """
    prevalence = _check_probabilities(prevalence, "prevalence")
    sensitivity = float(_check_probabilities(sensitivity, "sensitivity"))
    specificity = float(_check_probabilities(specificity, "specificity"))
    # BEGIN SOLUTION
    # HINT 1: Two hypotheses (disease, healthy); the likelihood of the observed result comes
    # HINT 1: from sensitivity and specificity. Broadcast over an array of prevalences.
    # HINT 2: positive: P(D | +) = prev * sens / (prev * sens + (1 - prev)(1 - spec))
    # HINT 3: prior = stack([prevalence, 1 - prevalence], axis=-1)
    # HINT 3: likelihood = [sens, 1 - spec] if positive else [1 - sens, spec]
    # HINT 3: joint = prior * likelihood; evidence = joint.sum(-1) (0 -> ValueError);
    # HINT 3:   return joint[..., 0] / evidence
    # The same theorem as posterior(), for every prevalence at once.
    prior = np.stack([prevalence, 1.0 - prevalence], axis=-1)  # (..., 2): (disease, healthy)
    if positive:
        likelihood = np.array([sensitivity, 1.0 - specificity])  # (2,): P(+ | disease), P(+ | healthy)
    else:
        likelihood = np.array([1.0 - sensitivity, specificity])  # (2,): P(- | disease), P(- | healthy)
    joint = prior * likelihood  # (..., 2)
    evidence = joint.sum(axis=-1)  # (...,): P(result)
    if np.any(evidence == 0):
        raise ValueError("the evidence P(result) is 0: this result is impossible under the given numbers")
    return (joint[..., 0] / evidence)[()]  # [()] turns a 0-d array into a float
    # END SOLUTION


def beta_bernoulli_update(a, b, flips):
    """Posterior Beta parameters after observing coin flips (1 = heads, 0 = tails).

    Parameters
    ----------
    a, b : positive floats, the prior Beta(a, b)
    flips : array-like of 0/1 of shape (n,)

    Returns
    -------
    (a_post, b_post) : floats
    """
    if not (a > 0 and b > 0):
        raise ValueError(f"Beta parameters must be positive; got a={a}, b={b}")
    flips = np.asarray(flips)
    if flips.ndim != 1 or not np.all((flips == 0) | (flips == 1)):
        raise ValueError(f"flips must be a 1-D array of 0 (tails) and 1 (heads); got {flips}")
    # BEGIN SOLUTION
    # HINT 1: The Beta prior is conjugate: add the heads to a and the tails to b.
    # HINT 2: (a + heads, b + tails)
    heads = int(flips.sum())
    tails = flips.size - heads
    return float(a + heads), float(b + tails)
    # END SOLUTION


def _xlogy(c, x):
    """c * log(x) with the convention 0 * log(0) = 0 (theta^0 = 1 even at theta = 0)."""
    out = np.zeros_like(x)  # shape of x
    if c != 0:
        # log(0) = -inf is the right limit here (the density is 0 or inf at the edge),
        # so the divide-by-zero warning is expected and silenced on purpose.
        with np.errstate(divide="ignore"):
            out = c * np.log(x)
    return out


def beta_pdf(theta, a, b):
    """The Beta(a, b) density at theta in [0, 1] (any shape), computed in log space."""
    if not (a > 0 and b > 0):
        raise ValueError(f"Beta parameters must be positive; got a={a}, b={b}")
    theta = np.asarray(theta, dtype=float)
    if np.any((theta < 0) | (theta > 1)):
        raise ValueError("theta must lie in [0, 1]")
    # BEGIN SOLUTION
    # HINT 1: Work in logs (the Gamma functions overflow): the log density, then one exp.
    # HINT 2: log pdf = (a - 1) log theta + (b - 1) log(1 - theta) - log B(a, b), log B = lgamma sums
    # Gamma(a) overflows for a > 171, so we add logarithms instead: log B(a, b) via lgamma.
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    log_density = _xlogy(a - 1, theta) + _xlogy(b - 1, 1 - theta) - log_beta  # shape of theta
    return np.exp(log_density)
    # END SOLUTION


def beta_mean(a, b):
    """The mean a / (a + b) of Beta(a, b)."""
    return a / (a + b)


# %% [markdown]
# ## Demo


# %%
def main():
    prevalence, sens, spec = 0.01, 0.95, 0.95
    print(f"A test with sensitivity {sens:.0%} and specificity {spec:.0%}, "
          f"for a disease with prevalence {prevalence:.0%}")
    once = medical_test_posterior(prevalence, sens, spec)
    twice = medical_test_posterior(once, sens, spec)  # yesterday's posterior is today's prior
    negative = medical_test_posterior(prevalence, sens, spec, positive=False)
    print(f"  P(disease | +)      = {once:.3f}")
    print(f"  P(disease | +, +)   = {twice:.3f}   (a second, independent positive test)")
    print(f"  P(disease | -)      = {negative:.5f}")
    print("  In 10,000 people: "
          f"{sens * prevalence * 1e4:.0f} true positives, {(1 - spec) * (1 - prevalence) * 1e4:.0f} false positives\n")

    print(f"{'prevalence':>10}{'P(disease | +)':>16}")
    for p in (0.001, 0.01, 0.1, 0.5):
        print(f"{p:>10.3f}{medical_test_posterior(p, sens, spec):>16.3f}")

    rng = np.random.default_rng(1)
    true_bias = 0.7
    flips = (rng.random(50) < true_bias).astype(int)  # (50,)
    print(f"\nCoin with true bias {true_bias}, prior Beta(1, 1) (uniform):")
    print(f"{'flips':>6}{'heads':>7}{'posterior':>16}{'mean':>8}")
    fig, (ax_base, ax_coin) = plotting.new_figure(1, 2, width=5.5, height=4)
    theta = np.linspace(0, 1, 501)
    for i, n in enumerate([0, 1, 5, 50]):
        a_post, b_post = beta_bernoulli_update(1.0, 1.0, flips[:n])
        label = f"Beta({a_post:.0f}, {b_post:.0f})"
        print(f"{n:>6}{int(flips[:n].sum()):>7}{label:>16}{beta_mean(a_post, b_post):>8.3f}")
        ax_coin.plot(theta, beta_pdf(theta, a_post, b_post), color=plotting.COLORS[i], linewidth=2,
                     label=f"after {n} flips ({int(flips[:n].sum())} heads)")
    ax_coin.axvline(true_bias, color="grey", linestyle="--", label=f"true bias {true_bias}")

    # The same question with three hypotheses instead of a continuum: posterior() directly.
    biases = np.array([0.3, 0.5, 0.7])  # (3,)
    print(f"\nThree hypotheses, bias in {biases}, equal priors:")
    for n in (5, 50):
        h = flips[:n].sum()
        post = posterior(np.full(3, 1 / 3), biases**h * (1 - biases) ** (n - h))  # (3,)
        print(f"  after {n:>2} flips: P(bias | flips) = {np.round(post, 4)}, sum = {post.sum():.1f}")
    ax_coin.set(title="Beta-Bernoulli: posterior of a coin's bias", xlabel=r"$\theta$ = P(heads)",
                ylabel="posterior density")
    ax_coin.legend(loc="upper left")

    priors = np.logspace(-4, 0, 300)[:-1]  # (299,), prevalence from 0.01 % to almost 1
    for i, s in enumerate([spec, 0.99, 0.999]):
        ax_base.plot(priors, medical_test_posterior(priors, sens, s), color=plotting.COLORS[i], linewidth=2,
                     label=f"specificity {s:.1%}")
    ax_base.plot(priors, priors, color="grey", linestyle=":", label="posterior = prior")
    ax_base.plot(prevalence, once, "o", color="black", label=f"prevalence {prevalence:.0%}: {once:.3f}")
    ax_base.set_xscale("log")
    ax_base.set(title=f"Base-rate effect: P(disease | +), sensitivity {sens:.0%}", xlabel="prevalence (prior)",
                ylabel="posterior after a positive test", ylim=(-0.03, 1.35), yticks=np.linspace(0, 1, 6))
    ax_base.legend(loc="upper left", ncols=2)  # above the curves, which stay below 1
    plotting.show_or_save(fig, "ex21_bayes_theorem")


if __name__ == "__main__":
    main()
