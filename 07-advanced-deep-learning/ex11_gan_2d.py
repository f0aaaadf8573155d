"""
Exercise 11: a GAN on 2-D data, mode collapse, and packing as the fix

Learning goals
--------------
- Write the two-player game of a generative adversarial network: a
  discriminator D that tells real points from generated ones, a generator G
  that learns to fool it, both small ReLU MLPs (utils.nn) trained by alternating
  Adam steps.
- See why the generator minimises the non-saturating loss -log D(G(z)) and not
  the minimax loss log(1 - D(G(z))): the latter's gradient vanishes exactly
  when the generator is bad.
- Train a vanilla GAN on a ring of 8 Gaussians, the standard test of mode
  collapse (VEEGAN's vanilla GAN kept 1 mode), and see ours smear samples
  between modes. Fix it by packing: D judges m samples at once, so a generator
  that repeats itself is easy to catch; here it also lands far more on modes.

The math
--------
Real points x ~ p_data in R^2; noise z ~ N(0, I_k), k = z_dim; G(z) in R^2;
the discriminator gives a logit d(x), and D(x) = sigmoid(d(x)) is its
probability that x is real. With softplus(a) = log(1 + e^a), on a batch of N
real logits d_r (N,) and N fake logits d_f (N,):
    L_D = 1/N sum softplus(-d_r) + 1/N sum softplus(d_f)     (cross-entropy, real = 1)
    minimax generator:        L_G = -1/N sum softplus(d_f) = 1/N sum log(1 - D(G(z)))
    non-saturating generator: L_G =  1/N sum softplus(-d_f) = -1/N sum log D(G(z))
    dL_G/dd_f = -sigmoid(d_f) / N (minimax)   or   -sigmoid(-d_f) / N (non-saturating)
Early on, D rejects fakes with d_f << 0: the minimax gradient sigmoid(d_f) ~ 0
vanishes while the non-saturating one ~ 1. Both have the same fixed point.
Packing with m samples (PacGAN): D reads a pack (x_1, ..., x_m) as one input
vector of length 2m, all real or all fake; m = 1 is the vanilla GAN.
Why packing: it changes only D's input (no new layer or backward pass), and m fakes
from a collapsed G are m copies of one point, which no pack of real points looks like.
(A gradient penalty needs a second backward pass through D; unrolling, k extra D steps.)

Algorithm
---------
1. Draw B real points and B fakes G(z); group each into B/m packs of m.
2. Discriminator step: L_D on the real and fake packs, backward through D, Adam.
3. Generator step: L_G on the fakes through the updated D, backward through D
   (to its input), un-pack, backward through G, Adam on G only.
4. Repeat, decaying both learning rates linearly; score samples by the modes
   they cover and the fraction within 3 sigma of a mode.

References: I. Goodfellow et al., "Generative adversarial nets", NeurIPS 2014;
L. Metz et al., "Unrolled generative adversarial networks", ICLR 2017;
A. Srivastava et al., "VEEGAN", NeurIPS 2017 (the ring benchmark, Table 1);
Z. Lin et al., "PacGAN: the power of two samples in GANs", NeurIPS 2018.
Difficulty: 3 of 3, about 60 minutes.
Run: python 07-advanced-deep-learning/ex11_gan_2d.py
"""

# %%
import time

import numpy as np

import utils
from utils import generative_data, nn, optim, plotting
from utils.timing import format_table
from utils.validation import check_positive_int

FULL_STEPS = 10000  # full training; the quick path (MLSC_QUICK=1) takes far fewer

# %% [markdown]
# ## The losses of the game, packing, one round of it, and the training loop


# %%
def discriminator_loss(logits_real, logits_fake):
    """L_D for logits (N,) of real and of fake inputs; returns (loss, dlogits_real, dlogits_fake)."""
    # BEGIN SOLUTION
    # HINT 1: Binary cross-entropy with label 1 for the real logits and 0 for the fake ones, each averaged.
    # HINT 2: loss = mean(softplus(-logits_real)) + mean(softplus(logits_fake)); d softplus(a)/da = sigmoid(a).
    # HINT 3: d_real = -sigmoid(-logits_real) / N_real; d_fake = sigmoid(logits_fake) / N_fake
    # softplus(a) = log(1 + e^a) = logaddexp(0, a): no overflow for large a, no log(0) for small a.
    loss = np.mean(np.logaddexp(0.0, -logits_real)) + np.mean(np.logaddexp(0.0, logits_fake))
    d_real = -nn.sigmoid(-logits_real) / len(logits_real)  # (N,)
    d_fake = nn.sigmoid(logits_fake) / len(logits_fake)  # (N,)
    # END SOLUTION
    return float(loss), d_real, d_fake


def generator_loss(logits_fake, kind="non-saturating"):
    """L_G for the fake logits (N,), "non-saturating" or "minimax"; returns (loss, dlogits_fake)."""
    if kind not in ("non-saturating", "minimax"):
        raise ValueError(f"kind must be 'non-saturating' or 'minimax'; got {kind!r}")
    n = len(logits_fake)
    # BEGIN SOLUTION
    # HINT 1: Minimax: minus the discriminator's fake term. Non-saturating: pretend the fakes are real.
    # HINT 2: minimax loss = -mean(softplus(logits_fake)); non-saturating loss = mean(softplus(-logits_fake)).
    # HINT 3: minimax grad = -sigmoid(logits_fake) / n; non-saturating grad = -sigmoid(-logits_fake) / n
    if kind == "minimax":
        return float(-np.mean(np.logaddexp(0.0, logits_fake))), -nn.sigmoid(logits_fake) / n
    return float(np.mean(np.logaddexp(0.0, -logits_fake))), -nn.sigmoid(-logits_fake) / n
    # END SOLUTION


def pack(x, m):
    """Group the rows of x (N, 2) into N/m packs (N/m, 2m): rows i*m ... i*m + m - 1 form pack i."""
    if len(x) % m:
        raise ValueError(f"cannot pack {len(x)} samples into packs of m={m}: N must be a multiple of m")
    return x.reshape(len(x) // m, m * x.shape[1])  # (N/m, 2m), a view: no copy


def unpack(dpacked, m):
    """The backward pass of pack: (N/m, 2m) -> (N, 2), the same numbers back in sample order."""
    return dpacked.reshape(dpacked.shape[0] * m, dpacked.shape[1] // m)  # (N, 2)


class Generator:
    """A trained generator: sample(n, rng) draws z ~ N(0, I) and returns G(z), shape (n, 2)."""

    def __init__(self, params, z_dim):
        self.params, self.z_dim = params, z_dim
        self.history_ = {"loss_D": [], "loss_G": []}

    def sample(self, n, rng):
        z = rng.standard_normal((check_positive_int(n, "n"), self.z_dim))  # (n, z_dim)
        return nn.mlp_forward(self.params, z)[0]  # (n, 2)


def discriminator_gradients(D, X_real, fake, pack_size=2):
    """L_D on B real (B, 2) and B fake (B, 2) points in packs of pack_size; returns (loss, grads of D)."""
    # BEGIN SOLUTION
    # HINT 1: Run D once on the real packs and the fake packs stacked together, then split the logits.
    # HINT 2: logits = D(vstack(pack(X_real, m), pack(fake, m))); the first B/m rows are real.
    # HINT 3: logits, caches = nn.mlp_forward(D, both); loss, d_real, d_fake = discriminator_loss(...)
    # HINT 3: grads = nn.mlp_backward(concatenate([d_real, d_fake])[:, None], caches)[1]
    both = np.vstack([pack(X_real, pack_size), pack(fake, pack_size)])  # (2B/m, 2m)
    logits, caches = nn.mlp_forward(D, both)  # (2B/m, 1)
    n_packs = len(X_real) // pack_size
    loss, d_real, d_fake = discriminator_loss(logits[:n_packs, 0], logits[n_packs:, 0])
    _, grads = nn.mlp_backward(np.concatenate([d_real, d_fake])[:, None], caches)  # D's input gradient is unused
    # END SOLUTION
    return loss, grads


def generator_gradients(G_params, D, z, pack_size=2, kind="non-saturating"):
    """L_G of the fakes G(z) for z (B, z_dim), judged by D; returns (loss, grads of G). D is not changed."""
    # BEGIN SOLUTION
    # HINT 1: The loss depends on G only through the fake points: backpropagate through D to its input.
    # HINT 2: dL/dG(z) = unpack(dL/d(D input)); then G's gradients from mlp_backward of that.
    # HINT 3: fake, g_caches = nn.mlp_forward(G_params, z); logits, d_caches = nn.mlp_forward(D, pack(fake, m))
    # HINT 3: loss, dlogits = generator_loss(logits[:, 0], kind); dpacked = nn.mlp_backward(dlogits[:, None], d_caches)[0]
    # HINT 3: grads = nn.mlp_backward(unpack(dpacked, m), g_caches)[1]
    fake, g_caches = nn.mlp_forward(G_params, z)  # (B, 2)
    logits, d_caches = nn.mlp_forward(D, pack(fake, pack_size))  # (B/m, 1)
    loss, dlogits = generator_loss(logits[:, 0], kind)
    dpacked, _ = nn.mlp_backward(dlogits[:, None], d_caches)  # (B/m, 2m); D's own gradients are not used
    _, grads = nn.mlp_backward(unpack(dpacked, pack_size), g_caches)
    # END SOLUTION
    return loss, grads


def gan_step(G, D, X_real, rng, opt_G, opt_D, pack_size=2, kind="non-saturating"):
    """A D step, then a G step on the same fakes judged by the new D, for X_real (B, 2); returns (L_D, L_G)."""
    z = rng.standard_normal((len(X_real), G.z_dim))  # (B, z_dim)
    fake = nn.mlp_forward(G.params, z)[0]  # (B, 2)
    loss_D, grads_D = discriminator_gradients(D, X_real, fake, pack_size)
    opt_D.step(D, grads_D)
    loss_G, grads_G = generator_gradients(G.params, D, z, pack_size, kind)
    opt_G.step(G.params, grads_G)
    return loss_D, loss_G


def train_gan(X, rng, n_steps=None, pack_size=2, batch_size=256, g_hidden=(128, 128), d_hidden=(128,), z_dim=2, lr=2e-3,
              callback=None):
    """Train a GAN on the rows of X (n, 2); returns the Generator.

    n_steps=None runs the script's full training (FULL_STEPS). Each step shows D
    batch_size real and batch_size fake points, in packs of pack_size (1 = vanilla).
    callback(step, generator), if given, runs every n_steps // 10 steps.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2); got {X.shape}")
    n_steps = FULL_STEPS if n_steps is None else check_positive_int(n_steps, "n_steps")
    pack_size, batch_size = check_positive_int(pack_size, "pack_size"), check_positive_int(batch_size, "batch_size")
    if batch_size % pack_size:
        raise ValueError(f"batch_size must be a multiple of pack_size; got {batch_size} and {pack_size}")
    G = Generator(nn.mlp_init([z_dim, *g_hidden, 2], rng), z_dim)
    D = nn.mlp_init([2 * pack_size, *d_hidden, 1], rng)
    # beta1 = 0.5, as GAN practice since DCGAN: the opponent moves, so old gradients age fast.
    opt_G, opt_D = optim.Adam(lr=lr, beta1=0.5), optim.Adam(lr=lr, beta1=0.5)
    for step in range(n_steps):
        # Linear decay to 5 %: the modes are 0.02 wide; small late steps settle G on their centres.
        opt_G.lr = opt_D.lr = lr * (1.0 - 0.95 * step / n_steps)
        X_real = X[rng.integers(0, len(X), size=batch_size)]  # (batch_size, 2), drawn with replacement
        loss_D, loss_G = gan_step(G, D, X_real, rng, opt_G, opt_D, pack_size)
        G.history_["loss_D"].append(loss_D)
        G.history_["loss_G"].append(loss_G)
        if callback is not None and (step + 1) % max(n_steps // 10, 1) == 0:
            callback(step + 1, G)
    return G


# %% [markdown]
# ## Demo: the vanishing minimax gradient, then vanilla against packed training


# %%
def main():
    print("Generator gradient |dL_G/dd_f| (times N) where D rejects a fake with logit d_f:")
    rows = [[f"{d:+.0f}", f"{-generator_loss(np.array([d]), 'minimax')[1][0]:.4f}",
             f"{-generator_loss(np.array([d]), 'non-saturating')[1][0]:.4f}"] for d in (-8.0, -4.0, 0.0, 4.0)]
    print(format_table(["d_f", "minimax", "non-saturating"], rows))

    X, _ = generative_data.make_gaussian_ring(20000, random_state=0)  # (20000, 2), radius 2, sigma 0.02
    n_steps = 300 if utils.quick_mode() else None
    results = {}
    for name, m in (("vanilla GAN", 1), ("packed GAN (m=2)", 2)):
        curve = []

        def report(step, G, name=name, curve=curve):
            modes, quality = generative_data.ring_mode_stats(G.sample(2500, np.random.default_rng(1)))
            curve.append((step, modes, quality))
            print(f"  {name:<17} step {step:>5}: {modes} modes, {quality:5.1%} high quality", flush=True)

        start = time.perf_counter()
        G = train_gan(X, np.random.default_rng(0), n_steps=n_steps, pack_size=m, callback=report)
        results[name] = (G, curve, time.perf_counter() - start)

    rows = [[name, curve[-1][1], f"{curve[-1][2]:.1%}", f"{seconds:.1f}"] for name, (G, curve, seconds) in results.items()]
    rows += [["VEEGAN paper: vanilla GAN", 1, "99.3%", ""], ["VEEGAN paper: unrolled GAN", 7.6, "35.6%", ""],
             ["VEEGAN paper: VEEGAN", 8.0, "52.9%", ""]]
    print("\n" + format_table(["model (2,500 samples)", "modes of 8", "within 3 sigma", "train s"], rows))

    fig, axes = plotting.new_figure(1, 3, width=4.0, height=4.0, layout="constrained")
    axes[0].scatter(*X[:2500].T, s=2, color="gray")
    axes[0].set_title("real data")
    for ax, (name, (G, curve, _)) in zip(axes[1:], results.items()):
        ax.scatter(*G.sample(2500, np.random.default_rng(1)).T, s=2)
        ax.set_title(f"{name}: {curve[-1][1]} modes, {curve[-1][2]:.0%}")
    for ax in axes:
        ax.set(xlim=(-2.6, 2.6), ylim=(-2.6, 2.6), aspect="equal")
    plotting.show_or_save(fig, "ex11_gan_2d")


if __name__ == "__main__":
    main()
