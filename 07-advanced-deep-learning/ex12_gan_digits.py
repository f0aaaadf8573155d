"""
Exercise 12: a GAN on the digits, and how to read its training curves

Learning goals
--------------
- Scale ex11's game up to 8x8 images: a generator with a tanh output layer
  (pixels in [-1, 1]) and the same discriminator, losses and packing code.
- Learn to read GAN curves, which never go down like a classifier's loss:
  L_D near 2 log 2 and D(real), D(fake) near 1/2 mean a balanced game;
  L_D falling to 0 means the discriminator has won and the generator learns
  nothing; the classes a digit classifier finds among the samples show
  mode collapse that the losses hide.

The math
--------
Images x in [-1, 1]^64 (pixels / 8 - 1). Noise z ~ N(0, I_k) (N, k). The
generator is an MLP with ReLU hidden layers whose last affine output a (N, 64)
goes through tanh: G(z) = tanh(a), so dL/da = dL/dG * (1 - G^2) (module 06). The
discriminator, losses and gradients are ex11's, with packs of m = 1 (vanilla):
    L_D = mean softplus(-d(x)) + mean softplus(d(G(z))),   L_G = mean softplus(-d(G(z))).
Monitors, averaged over a batch: D(real) = mean sigmoid(d(x)), D(fake) = mean
sigmoid(d(G(z))). At the game's equilibrium p_G = p_data, D = 1/2 everywhere
and L_D = 2 log 2 = 1.386.

Algorithm
---------
1. Draw B real images and B fakes; a discriminator Adam step (ex11).
2. A generator Adam step: ex11's generator gradient through D, then through tanh
   and the generator MLP.
3. Every few hundred steps: record L_D, L_G, D(real), D(fake), and the classes
   that a logistic-regression judge (trained on the real digits) sees among
   500 samples.

References: I. Goodfellow et al., "Generative adversarial nets", NeurIPS 2014;
A. Radford, L. Metz, S. Chintala, "Unsupervised representation learning with deep
convolutional GANs" (DCGAN: tanh output, Adam with beta1 = 0.5), ICLR 2016;
T. Salimans et al., "Improved techniques for training GANs", NeurIPS 2016
(judging samples with a classifier).
Builds on: 07-advanced-deep-learning/ex11_gan_2d.py (gan: the losses and the discriminator step).
Difficulty: 2 of 3, about 40 minutes.
Run: python 07-advanced-deep-learning/ex12_gan_digits.py
"""

# %%
import numpy as np

import utils
from utils import data, nn, optim, plotting
from utils.timing import format_table
from utils.validation import check_positive_int

gan = utils.load_exercise("07-advanced-deep-learning/ex11_gan_2d.py", practice=False)

FULL_STEPS = 6000  # full training; the quick path takes far fewer

# %% [markdown]
# ## The generator with a tanh output, and its gradients


# %%
def generate(G_params, z):
    """G(z) = tanh(MLP(z)) for z (N, k); returns (images (N, 64) in (-1, 1), caches)."""
    a, mlp_caches = nn.mlp_forward(G_params, z)  # (N, 64)
    images, tanh_cache = nn.tanh_forward(a)  # (N, 64)
    return images, (mlp_caches, tanh_cache)


def generator_gradients(G_params, D, z):
    """Non-saturating L_G of the images G(z), judged by D (kept fixed); returns (loss, grads of G)."""
    # BEGIN SOLUTION
    # HINT 1: As in ex11, backpropagate through D to the images; then one more layer, the tanh.
    # HINT 2: dL/da = dL/dimages * (1 - images^2): nn.tanh_backward.
    # HINT 3: images, (mlp_c, tanh_c) = generate(G_params, z); logits, d_c = mlp_forward(D, images)
    # HINT 3: loss, dlogits = generator_loss(logits[:, 0]); dimages = mlp_backward(dlogits[:, None], d_c)[0]
    # HINT 3: grads = mlp_backward(tanh_backward(dimages, tanh_c), mlp_c)[1]
    images, (mlp_caches, tanh_cache) = generate(G_params, z)  # (N, 64)
    logits, d_caches = nn.mlp_forward(D, images)  # (N, 1)
    loss, dlogits = gan.generator_loss(logits[:, 0], "non-saturating")
    dimages, _ = nn.mlp_backward(dlogits[:, None], d_caches)  # (N, 64); D's own gradients are not used
    _, grads = nn.mlp_backward(nn.tanh_backward(dimages, tanh_cache), mlp_caches)
    # END SOLUTION
    return loss, grads


def discriminator_confidence(D, images):
    """Mean probability D(x) = sigmoid(d(x)) that the images (N, 64) are real."""
    return float(np.mean(nn.sigmoid(nn.mlp_forward(D, images)[0])))


# %% [markdown]
# ## Training, with the curves recorded


# %%
def train_digit_gan(X, rng, n_steps=None, z_dim=16, hidden=(128,), batch_size=64, lr=5e-4, monitor=None,
                    monitor_every=250):
    """Train on images X (n, 64) in [-1, 1]; returns (G_params, D, history).

    history holds per-step "loss_D", "loss_G" and, every monitor_every steps, "step",
    "D_real", "D_fake" on the step's batch, plus whatever monitor(G_params) returns,
    under "monitor".
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or np.abs(X).max() > 1:
        raise ValueError(f"X must be a 2-D array of images scaled to [-1, 1]; got shape {X.shape}, max |x| {np.abs(X).max():.3g}")
    n_steps = FULL_STEPS if n_steps is None else check_positive_int(n_steps, "n_steps")
    G = nn.mlp_init([z_dim, *hidden, X.shape[1]], rng)
    D = nn.mlp_init([X.shape[1], *hidden[::-1], 1], rng)
    opt_G, opt_D = optim.Adam(lr=lr, beta1=0.5), optim.Adam(lr=lr, beta1=0.5)
    history = {"loss_D": [], "loss_G": [], "step": [], "D_real": [], "D_fake": [], "monitor": []}
    for step in range(1, n_steps + 1):
        X_real = X[rng.integers(0, len(X), size=batch_size)]  # (B, 64)
        z = rng.standard_normal((batch_size, z_dim))  # (B, z_dim)
        fake = generate(G, z)[0]  # (B, 64)
        loss_D, grads_D = gan.discriminator_gradients(D, X_real, fake, pack_size=1)
        opt_D.step(D, grads_D)
        loss_G, grads_G = generator_gradients(G, D, z)
        opt_G.step(G, grads_G)
        history["loss_D"].append(loss_D)
        history["loss_G"].append(loss_G)
        if step % monitor_every == 0 or step == n_steps:
            history["step"].append(step)
            history["D_real"].append(discriminator_confidence(D, X_real))
            history["D_fake"].append(discriminator_confidence(D, fake))
            history["monitor"].append(None if monitor is None else monitor(G))
    return G, D, history


# %% [markdown]
# ## Demo: train, judge the samples with a classifier, read the curves


# %%
def main():
    from sklearn.linear_model import LogisticRegression

    X, y = data.load_digits()
    X = X / 8.0 - 1.0  # (1797, 64), pixels 0..16 -> [-1, 1], the range of tanh
    judge = LogisticRegression(max_iter=2000).fit(X, y)  # a digit classifier that judges the samples
    rng_eval = np.random.default_rng(1)
    z_eval = rng_eval.standard_normal((500, 16))  # the same noise at every check, so changes are the model's

    def monitor(G):
        labels = judge.predict(generate(G, z_eval)[0])  # (500,)
        counts = np.bincount(labels, minlength=10)
        return int(np.sum(counts >= 10)), counts  # classes with at least 2 % of the samples

    n_steps = 250 if utils.quick_mode() else None
    G, D, h = train_digit_gan(X, np.random.default_rng(0), n_steps=n_steps, monitor=monitor)
    rows = []
    for i, step in enumerate(h["step"]):
        window = slice(max(step - 100, 0), step)  # the losses are noisy: mean of the last 100 steps
        rows.append([step, f"{np.mean(h['loss_D'][window]):.3f}", f"{np.mean(h['loss_G'][window]):.3f}",
                     f"{h['D_real'][i]:.2f}", f"{h['D_fake'][i]:.2f}", h["monitor"][i][0]])
        if len(h["step"]) > 12 and i % 4 != 3 and i != len(h["step"]) - 1:
            rows.pop()  # a long run prints every 4th check
    print(format_table(["step", "L_D", "L_G", "D(real)", "D(fake)", "digit classes seen"], rows))
    print(f"At balance L_D = 2 log 2 = {2 * np.log(2):.3f} and D(real) = D(fake) = 0.5."
          f" Class counts of the last 500 samples: {h['monitor'][-1][1].tolist()}")

    fig, axes = plotting.new_figure(1, 3, width=4.2, height=3.6, layout="constrained")
    smooth = np.ones(100) / 100
    axes[0].plot(np.convolve(h["loss_D"], smooth, "valid"), label="L_D")
    axes[0].plot(np.convolve(h["loss_G"], smooth, "valid"), label="L_G")
    axes[0].axhline(2 * np.log(2), color="gray", ls="--", label="2 log 2")
    axes[0].set(xlabel="step", title="Losses (100-step means)")
    axes[1].plot(h["step"], h["D_real"], marker="o", label="D(real)")
    axes[1].plot(h["step"], h["D_fake"], marker="o", label="D(fake)")
    axes[1].axhline(0.5, color="gray", ls="--")
    axes[1].set(xlabel="step", ylim=(0, 1), title="Discriminator's confidence")
    axes[2].plot(h["step"], [m[0] for m in h["monitor"]], marker="o")
    axes[2].set(xlabel="step", ylim=(0, 10.5), title="Digit classes among 500 samples")
    for ax in axes[:2]:
        ax.legend()
    plotting.show_or_save(fig, "ex12_gan_digits_curves")

    samples = generate(G, z_eval[:40])[0]  # (40, 64)
    fig, axes = plotting.new_figure(4, 10, width=0.9, height=0.9, layout="constrained", squeeze=False)
    for ax, image in zip(axes.ravel(), samples):
        ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=-1, vmax=1)
        ax.axis("off")
    fig.suptitle("Generated digits")
    plotting.show_or_save(fig, "ex12_gan_digits")


if __name__ == "__main__":
    main()
