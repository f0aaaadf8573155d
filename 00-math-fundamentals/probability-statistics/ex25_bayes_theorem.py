"""
Exercise 25: Bayes' theorem, from a medical test to a coin's bias

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
Run: python 00-math-fundamentals/probability-statistics/ex25_bayes_theorem.py
"""

# %%
import math

import numpy as np

from utils import plotting
from utils.probability_checks import check_probabilities, check_probability
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation


# %%
def _as_probabilities(values, name):  # floats in [0, 1], any shape (a prevalence curve, likelihoods)
    values = as_float_array(values, name)
    if not np.all(np.isfinite(values)) or np.any((values < 0) | (values > 1)):
        raise ValueError(f"{name} must be probabilities in [0, 1]; got {values}")
    return values


def posterior(prior, likelihood):
    """P(H_k | D), shape (K,) summing to 1, for a prior (K,) summing to 1 and likelihood[k] = P(D | H_k) (K,)."""
    prior, likelihood = check_probabilities(prior, name="prior"), _as_probabilities(likelihood, "likelihood")
    if prior.shape != likelihood.shape:
        raise ValueError(f"prior and likelihood must both have shape (K,); got {prior.shape} and {likelihood.shape}")
    # BEGIN SOLUTION
    # HINT 1: Multiply prior by likelihood, then normalise by the total (the evidence); refuse a zero total.
    # HINT 2: post = prior * likelihood / sum(prior * likelihood)
    # HINT 3: joint = prior * likelihood; evidence = joint.sum(); if evidence == 0: raise ValueError; return joint / evidence
    joint = prior * likelihood  # (K,): P(D and H_k)
    evidence = joint.sum()  # P(D)
    if evidence == 0:
        raise ValueError("the evidence P(D) is 0: every hypothesis with prior mass gives the data probability 0")
    return joint / evidence
    # END SOLUTION


def medical_test_posterior(prevalence, sensitivity, specificity, positive=True):
    """P(disease | test result) for a test with the given sensitivity and specificity; prevalence may be
    an array (then the result has its shape), to plot the posterior against the prior."""
    prevalence = _as_probabilities(prevalence, "prevalence")
    sensitivity, specificity = check_probability(sensitivity, "sensitivity"), check_probability(specificity, "specificity")
    # BEGIN SOLUTION
    # HINT 1: Two hypotheses (disease, healthy); the likelihood of the observed result comes
    # HINT 1: from sensitivity and specificity. Broadcast over an array of prevalences.
    # HINT 2: positive: P(D | +) = prev * sens / (prev * sens + (1 - prev)(1 - spec))
    # HINT 3: prior = stack([prevalence, 1 - prevalence], axis=-1); likelihood = [sens, 1 - spec] if positive else
    # HINT 3: [1 - sens, spec]; joint = prior * likelihood; evidence = joint.sum(-1) (0 -> ValueError); joint[..., 0] / evidence
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
    """(a_post, b_post), floats: the posterior Beta after a prior Beta(a, b), a, b > 0, and coin flips
    (n,) of 1 (heads) and 0 (tails)."""
    if not (a > 0 and b > 0):
        raise ValueError(f"Beta parameters must be positive; got a={a}, b={b}")
    flips = np.asarray(flips)
    if flips.ndim != 1 or not np.all((flips == 0) | (flips == 1)):
        raise ValueError(f"flips must be a 1-D array of 0 (tails) and 1 (heads); got {flips}")
    # BEGIN SOLUTION
    # HINT 1: The Beta prior is conjugate: add the heads to a and the tails to b.
    # HINT 2: (a + heads, b + tails)
    heads = int(flips.sum())
    return float(a + heads), float(b + flips.size - heads)  # tails = n - heads
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
    theta = as_float_array(theta, "theta")
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
    a, b = as_float_array(a, "a"), as_float_array(b, "b")
    return a / (a + b)


# %% [markdown]
# ## Demo


# %%
def main():
    prevalence, sens, spec = 0.01, 0.95, 0.95
    once = medical_test_posterior(prevalence, sens, spec)
    twice = medical_test_posterior(once, sens, spec)  # yesterday's posterior is today's prior
    print(f"A test with sensitivity {sens:.0%} and specificity {spec:.0%}, for a disease with prevalence {prevalence:.0%}:\n"
          f"  P(disease | +) = {once:.3f},  P(disease | +, +) = {twice:.3f} (a second, independent positive test),  "
          f"P(disease | -) = {medical_test_posterior(prevalence, sens, spec, positive=False):.5f}\n  In 10,000 people: "
          f"{sens * prevalence * 1e4:.0f} true positives, {(1 - spec) * (1 - prevalence) * 1e4:.0f} false positives")

    flips = (np.random.default_rng(1).random(50) < 0.7).astype(int)  # (50,): a coin with true bias 0.7
    biases = np.array([0.3, 0.5, 0.7])  # (3,): the same question with three hypotheses, equal priors
    print(f"\nCoin with true bias 0.7, prior Beta(1, 1) (uniform); and P(bias | flips) for bias in {biases}:")
    print(f"{'flips':>6}{'heads':>7}{'posterior':>16}{'mean':>8}   P(bias | flips)")
    fig, (ax_base, ax_coin) = plotting.new_figure(1, 2, width=5.5, height=4)
    theta = np.linspace(0, 1, 501)  # (501,)
    for i, n in enumerate([0, 1, 5, 50]):
        a_post, b_post = beta_bernoulli_update(1.0, 1.0, flips[:n])
        h = int(flips[:n].sum())
        three = posterior(np.full(3, 1 / 3), biases**h * (1 - biases) ** (n - h))  # (3,)
        print(f"{n:>6}{h:>7}{f'Beta({a_post:.0f}, {b_post:.0f})':>16}{beta_mean(a_post, b_post):>8.3f}   {np.round(three, 4)}")
        ax_coin.plot(theta, beta_pdf(theta, a_post, b_post), linewidth=2, label=f"after {n} flips ({h} heads)")
    ax_coin.axvline(0.7, color="grey", linestyle="--", label="true bias 0.7")
    ax_coin.set(title="Beta-Bernoulli: posterior of a coin's bias", xlabel=r"$\theta$ = P(heads)", ylabel="posterior density")
    ax_coin.legend(loc="upper left")

    priors = np.logspace(-4, 0, 300)[:-1]  # (299,), prevalence from 0.01 % to almost 1
    for s in (spec, 0.99, 0.999):
        ax_base.plot(priors, medical_test_posterior(priors, sens, s), linewidth=2, label=f"specificity {s:.1%}")
    ax_base.plot(priors, priors, color="grey", linestyle=":", label="posterior = prior")
    ax_base.plot(prevalence, once, "o", color="black", label=f"prevalence {prevalence:.0%}: {once:.3f}")
    ax_base.set(title=f"Base-rate effect: P(disease | +), sensitivity {sens:.0%}", xlabel="prevalence (prior)", xscale="log",
                ylabel="posterior after a positive test", ylim=(-0.03, 1.35), yticks=np.linspace(0, 1, 6))
    ax_base.legend(loc="upper left", ncols=2)  # above the curves, which stay below 1
    plotting.show_or_save(fig, "ex25_bayes_theorem")


if __name__ == "__main__":
    main()
