"""
Exercise 30: entropy, cross-entropy and the Kullback-Leibler divergence

Learning goals
--------------
- Compute the entropy of a discrete distribution in nats and in bits, and read it
  as the average surprise (a fair coin: exactly 1 bit).
- Compute the cross-entropy H(p, q) and the KL divergence KL(p || q), and check
  H(p, q) = H(p) + KL(p || q), KL >= 0, and KL(p || q) != KL(q || p).
- See why training a classifier by minimising the cross-entropy loss is the same
  as maximising the likelihood of the labels.
- Handle zero probabilities without warnings: 0 log 0 = 0, and an honest inf
  when q gives probability 0 to something p can produce.

The math
--------
p and q have shape (K,): probability vectors over the same K outcomes.
    entropy        H(p)       = - sum_k p_k log p_k
    cross-entropy  H(p, q)    = - sum_k p_k log q_k
    KL divergence  KL(p || q) =   sum_k p_k log(p_k / q_k) = H(p, q) - H(p)
Terms with p_k = 0 contribute 0 (the limit of t log t as t -> 0). If p_k > 0 but
q_k = 0, then H(p, q) = KL(p || q) = inf: q says an outcome is impossible that p
produces. log base e gives nats; base 2 gives bits (divide by log 2).
Gibbs' inequality: KL(p || q) >= 0, with equality only when p = q; so among all q,
H(p, q) is smallest, and equal to H(p), at q = p.
Classifier loss: labels y of shape (n,) in 0..K-1 and predicted probabilities
P of shape (n, K). The likelihood of the labels is prod_i P[i, y_i], and
    -(1/n) log-likelihood = -(1/n) sum_i log P[i, y_i]
                          = mean over i of H(onehot(y_i), P[i])   (the cross-entropy loss).
So the lowest loss is the highest likelihood. For a model that predicts the
same q for every sample it equals H(p_hat, q), p_hat the label frequencies,
which is smallest at q = p_hat: the maximum-likelihood estimate (exercise 26).

Algorithm
---------
1. Check p and q: 1-D, the same length, finite, non-negative, summing to 1
   (utils.probability_checks, as in exercise 23).
2. Sum only over the support p_k > 0 (no log 0 is ever evaluated).
3. If some p_k > 0 has q_k = 0, return inf; otherwise sum p_k (log p_k - log q_k).
4. Divide by log(base) for other units.
5. The training loss clips predicted probabilities to [eps, 1] before the log, so
   one confident mistake costs a large but finite -log(eps).

References: T. M. Cover and J. A. Thomas, Elements of Information Theory, 2nd ed.,
ch. 2; C. E. Shannon, "A mathematical theory of communication", Bell System
Technical Journal 27, 1948; I. Goodfellow, Y. Bengio, A. Courville, Deep Learning,
ch. 3.13 and 5.5 (cross-entropy and maximum likelihood).
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex30_entropy_kl.py
"""

# %%
import numpy as np

from utils import plotting
from utils.probability_checks import check_probabilities
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation


# %%
def _log_base(base):  # log(base): e for nats, 2 for bits
    if not (base > 0 and base != 1):
        raise ValueError(f"the log base must be positive and not 1 (e for nats, 2 for bits); got {base}")
    return np.log(base)


def _as_pair(p, q):  # two probability vectors (K,) over the same outcomes; the message names p or q
    p, q = check_probabilities(p, name="p"), check_probabilities(q, name="q")
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same length; got {p.size} and {q.size}")
    return p, q


def entropy(p, base=np.e):
    """H(p) = -sum p log p, with 0 log 0 = 0; in nats (base e) or bits (base 2)."""
    p, log_base = check_probabilities(p, name="p"), _log_base(base)
    # BEGIN SOLUTION
    # HINT 1: Drop the zero probabilities first (0 log 0 = 0), then sum -p log p; change base by dividing.
    # HINT 2: -sum(p log p over p > 0) / log_base
    support = p[p > 0]  # (k,): 0 log 0 = 0, so the zeros are dropped before any log
    return float(-np.sum(support * np.log(support)) / log_base) + 0.0  # + 0.0 turns -0.0 into 0.0
    # END SOLUTION


def cross_entropy(p, q, base=np.e):
    """H(p, q) = -sum p log q; inf when q_k = 0 for some p_k > 0."""
    (p, q), log_base = _as_pair(p, q), _log_base(base)
    # BEGIN SOLUTION
    # HINT 1: Only outcomes p can produce matter; if q gives one of them probability 0, the answer is inf.
    # HINT 2: -sum(p log q over p > 0) / log_base
    support = p > 0  # (K,) mask
    if np.any(q[support] == 0):
        return float("inf")  # p produces an outcome that q calls impossible
    return float(-np.sum(p[support] * np.log(q[support])) / log_base)
    # END SOLUTION


def kl_divergence(p, q, base=np.e):
    """KL(p || q) = sum p log(p / q) >= 0; inf when q_k = 0 for some p_k > 0."""
    (p, q), log_base = _as_pair(p, q), _log_base(base)
    # BEGIN SOLUTION
    # HINT 1: Same support rules as cross_entropy; use log p - log q, and clip a tiny negative to 0.
    # HINT 2: KL = sum over p > 0 of p (log p - log q) / log_base; inf if q = 0 where p > 0
    # HINT 3: support = p > 0; if any q[support] == 0: return inf; kl = sum(ps * (log(ps) - log(qs))) / log_base
    # HINT 3: return max(kl, 0.0)
    support = p > 0  # (K,) mask
    if np.any(q[support] == 0):
        return float("inf")
    ps, qs = p[support], q[support]  # (k,) each
    # log p - log q rather than log(p / q): the ratio of two tiny numbers may underflow or overflow.
    kl = np.sum(ps * (np.log(ps) - np.log(qs))) / log_base
    return float(max(kl, 0.0))  # KL >= 0; round-off can give -1e-17 when p == q
    # END SOLUTION


def cross_entropy_loss(probs, y, eps=1e-12):
    """The classifier loss -(1/n) sum_i log probs[i, y_i], the mean negative log-likelihood, for predicted
    probability rows probs (n, K) and integer labels y (n,) in 0..K-1; eps: the smallest probability logged."""
    probs = as_float_array(probs, "probs")
    y = np.asarray(y)
    if probs.ndim != 2 or y.shape != (probs.shape[0],):
        raise ValueError(f"expected probs of shape (n, K) and y of shape (n,); got {probs.shape} and {y.shape}")
    if not np.all(np.isfinite(probs)) or np.any((probs < 0) | (probs > 1)):
        raise ValueError("predicted probabilities must lie in [0, 1] (apply softmax or sigmoid first)")
    if not np.issubdtype(y.dtype, np.integer) or np.any((y < 0) | (y >= probs.shape[1])):
        raise ValueError(f"labels y must be integers in 0..{probs.shape[1] - 1}; got {y}")
    # BEGIN SOLUTION
    # HINT 1: Pick each row's probability of the true label, clip it away from 0, average -log.
    # HINT 2: -mean(log(clip(probs[arange(n), y], eps, 1)))
    picked = probs[np.arange(y.size), y]  # (n,): the probability given to the true label
    # Clip before the log: a predicted 0 for the true label would give log(0) = -inf (and a warning);
    # training needs a finite loss, so it costs -log(eps) = 27.6 nats instead.
    return float(-np.mean(np.log(np.clip(picked, eps, 1.0))))
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    print(f"{'distribution':<24}{'H (bits)':>10}{'H (nats)':>10}")
    for name, p in [("fair coin", [0.5, 0.5]), ("biased coin 0.9 / 0.1", [0.9, 0.1]),
                    ("fair die", np.full(6, 1 / 6)), ("certain outcome", [1.0, 0.0, 0.0])]:
        print(f"{name:<24}{entropy(p, 2):>10.4f}{entropy(p):>10.4f}")
    p, q, r = np.array([0.5, 0.3, 0.2, 0.0]), np.full(4, 0.25), np.array([0.6, 0.4, 0.0, 0.0])  # (4,) each
    print(f"\np = {p}, q = {q}, r = {r}\nH(p) = {entropy(p, 2):.4f} bits, H(p, q) = {cross_entropy(p, q, 2):.4f} bits, "
          f"KL(p || q) = {kl_divergence(p, q, 2):.4f} bits  (H(p) + KL = {entropy(p, 2) + kl_divergence(p, q, 2):.4f})\n"
          f"KL(q || p) = {kl_divergence(q, p, 2)} (q puts mass where p has none), "
          f"KL(p || r) = {kl_divergence(p, r, 2)}, KL(r || p) = {kl_divergence(r, p, 2):.4f}")

    # Cross-entropy loss = negative log-likelihood: a "model" that predicts P(class 1) = theta for every sample.
    y = np.array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0])  # (10,): 3 ones, p_hat = 0.3
    p_hat = np.bincount(y, minlength=2) / y.size  # (2,)
    thetas = np.linspace(0.01, 0.99, 99)  # (99,)
    losses = np.array([cross_entropy_loss(np.tile([1 - t, t], (y.size, 1)), y) for t in thetas])  # (99,)
    best = thetas[np.argmin(losses)]
    print(f"\nLabels {y}: the loss is lowest at theta = {best:.2f} = the fraction of ones (the MLE); "
          f"minimum loss {losses.min():.4f} nats = H(p_hat) = {entropy(p_hat):.4f} nats")

    fig, (ax_h, ax_ce, ax_kl) = plotting.new_figure(1, 3, width=4.4, height=3.8)
    coin = np.linspace(0, 1, 201)  # (201,)
    ax_h.plot(coin, [entropy([1 - c, c], 2) for c in coin], linewidth=2)
    ax_h.set(title="Entropy of a coin: 1 bit when fair", xlabel="P(heads)", ylabel="H (bits)")
    ax_ce.plot(thetas, losses, linewidth=2, label=r"loss = $H(\hat p, q_\theta)$")
    ax_ce.axhline(entropy(p_hat), color=plotting.COLORS[2], linestyle="--", label=r"$H(\hat p)$")
    ax_ce.axvline(best, color="grey", linestyle=":", label=rf"minimum at $\theta$ = {best:.2f}")
    ax_ce.vlines(thetas[70], entropy(p_hat), losses[70], color=plotting.COLORS[3],  # theta = 0.71: the gap is the KL
                 label=rf"KL$(\hat p\,\|\,q_\theta)$ at $\theta$ = {thetas[70]:.2f}")
    ax_ce.set(title="Cross-entropy loss of 10 labels (3 ones)", xlabel=r"predicted P(class 1) = $\theta$",
              ylabel="loss (nats)", ylim=(0, 2.5))
    ax_ce.legend(loc="upper center", frameon=True, framealpha=0.95)
    k, p2 = np.arange(4), np.array([0.7, 0.2, 0.05, 0.05])  # (4,) each, against the uniform q
    ax_kl.bar(k - 0.2, p2, 0.4, label="p")
    ax_kl.bar(k + 0.2, q, 0.4, label="q")
    ax_kl.set(title=f"KL(p||q) = {kl_divergence(p2, q, 2):.2f} bits,  KL(q||p) = {kl_divergence(q, p2, 2):.2f} bits",
              xlabel="outcome", ylabel="probability", xticks=k)
    ax_kl.legend()
    fig.tight_layout()
    plotting.show_or_save(fig, "ex30_entropy_kl")


if __name__ == "__main__":
    main()
