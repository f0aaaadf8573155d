"""
Exercise 10: a variational autoencoder (VAE) on the digits

Learning goals
--------------
- Turn ex09's autoencoder into a generative model: the encoder outputs a
  Gaussian over codes, the decoder a Bernoulli over pixels, and codes drawn
  from the prior N(0, I) decode to new digits.
- Derive the evidence lower bound (ELBO): a reconstruction term plus the KL
  divergence to the prior, in closed form for Gaussians.
- Backpropagate through sampling with the reparameterisation trick, and check
  that gradient against central differences.

The math
--------
X has shape (N, 64), pixels in [0, 1]; k is the latent size. The encoder MLP
maps x to 2k numbers, split into mu (N, k) and s = log sigma^2 (N, k) (a log
variance: any real number gives a positive variance). With eps ~ N(0, I_k),
    z = mu + exp(s / 2) * eps                       (N, k), the reparameterisation
    logits = decoder(z)                              (N, 64), p(x | z) = Bernoulli(sigmoid(logits))
    ELBO(x) = E_q[log p(x | z)] - KL(q(z | x) || N(0, I))  <=  log p(x)
    KL = 1/2 sum_j (mu_j^2 + e^{s_j} - 1 - s_j)      (closed form for two Gaussians)
We minimise the batch mean of -ELBO, estimated with one eps per image:
    L = 1/N sum_n [ rec(x_n, logits_n) + KL_n ],   rec as in ex09 (Bernoulli).
Backward: dL/dz from the decoder, then (eps is a constant input)
    dL/dmu = dL/dz + mu / N          dL/ds = dL/dz * eps * exp(s / 2) / 2 + (e^s - 1) / (2N).

Algorithm
---------
1. Encoder forward, split into mu and s; draw eps; z = mu + exp(s/2) eps.
2. Decoder forward; L = Bernoulli reconstruction + KL.
3. Backward through the decoder to z, through the reparameterisation to (mu, s),
   add the KL's gradients, concatenate and backward through the encoder.
4. Adam on both networks over shuffled mini-batches; then sample z ~ N(0, I) and decode.

References: D. Kingma, M. Welling, "Auto-encoding variational Bayes", ICLR 2014
(appendix B: the Gaussian KL); D. Rezende, S. Mohamed, D. Wierstra, "Stochastic
backpropagation and approximate inference in deep generative models", ICML 2014;
Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 20.10.3.
Builds on: 07-advanced-deep-learning/ex09_autoencoder.py (autoencoder: the Bernoulli reconstruction loss).
Difficulty: 3 of 3, about 50 minutes.
Run: python 07-advanced-deep-learning/ex10_vae.py
"""

# %%
import numpy as np

import utils
from utils import data, nn, optim, plotting
from utils.timing import format_table
from utils.validation import check_positive_int, check_X

autoencoder = utils.load_exercise("07-advanced-deep-learning/ex09_autoencoder.py", practice=False)

# %% [markdown]
# ## The two new pieces: reparameterised sampling and the Gaussian KL


# %%
def reparameterize_forward(mu, log_var, eps):
    """z = mu + exp(log_var / 2) * eps for arrays of shape (N, k); returns (z, cache)."""
    # BEGIN SOLUTION
    # HINT 1: The randomness lives in eps, which we hold fixed; z is then a smooth function of mu and log_var.
    # HINT 2: sigma = exp(log_var / 2); z = mu + sigma * eps.
    # HINT 3: sigma = np.exp(0.5 * log_var); z = mu + sigma * eps; keep (eps, sigma) for the backward pass
    sigma = np.exp(0.5 * log_var)  # (N, k), the standard deviation
    z = mu + sigma * eps  # (N, k)
    # END SOLUTION
    return z, (eps, sigma)


def reparameterize_backward(dz, cache):
    """Gradients (dmu, dlog_var) of the loss, given dz = dL/dz (N, k)."""
    eps, sigma = cache
    # BEGIN SOLUTION
    # HINT 1: z is mu plus something, so dmu is dz; differentiate sigma = exp(log_var / 2) for dlog_var.
    # HINT 2: dz/dlog_var = eps * sigma / 2.
    # HINT 3: return dz, dz * eps * sigma / 2
    return dz, dz * eps * 0.5 * sigma
    # END SOLUTION


def gaussian_kl(mu, log_var):
    """Batch mean of KL(N(mu, e^log_var) || N(0, I)); returns (kl, dmu, dlog_var)."""
    n = len(mu)
    # BEGIN SOLUTION
    # HINT 1: Sum the closed form over the k latent dimensions, then average over the N rows.
    # HINT 2: KL_n = 1/2 sum_j (mu^2 + e^s - 1 - s); dKL/dmu = mu, dKL/ds = (e^s - 1) / 2, each divided by N.
    # HINT 3: var = np.exp(log_var); kl = 0.5 * sum(mu**2 + var - 1 - log_var) / n; grads mu / n, 0.5 * (var - 1) / n
    var = np.exp(log_var)  # (N, k)
    kl = 0.5 * np.sum(mu**2 + var - 1.0 - log_var) / n
    return float(kl), mu / n, 0.5 * (var - 1.0) / n
    # END SOLUTION


# %% [markdown]
# ## The negative ELBO with all its gradients, and the model


# %%
def vae_loss(encoder, decoder, X, eps):
    """-ELBO of X (N, D) with fixed noise eps (N, k); returns (loss, rec, kl, grads_encoder, grads_decoder)."""
    k = eps.shape[1]
    # BEGIN SOLUTION
    # HINT 1: Encoder, split, reparameterise, decoder; then walk the same path back, adding the KL's gradients.
    # HINT 2: the encoder's upstream gradient is concatenate([dmu_rec + dmu_kl, dlv_rec + dlv_kl], axis=1).
    # HINT 3: h, enc_c = mlp_forward(encoder, X); mu, log_var = h[:, :k], h[:, k:]; z, rep_c = reparameterize_forward(...)
    # HINT 3: logits, dec_c = mlp_forward(decoder, z); rec, dlogits = reconstruction_loss(logits, X); kl, dmu_kl, dlv_kl = gaussian_kl(...)
    # HINT 3: dz, g_dec = mlp_backward(dlogits, dec_c); dmu, dlv = reparameterize_backward(dz, rep_c); then the encoder
    h, enc_caches = nn.mlp_forward(encoder, X)  # (N, 2k)
    mu, log_var = h[:, :k], h[:, k:]  # (N, k) each
    z, rep_cache = reparameterize_forward(mu, log_var, eps)  # (N, k)
    logits, dec_caches = nn.mlp_forward(decoder, z)  # (N, D)
    rec, dlogits = autoencoder.reconstruction_loss(logits, X, "bernoulli")
    kl, dmu_kl, dlog_var_kl = gaussian_kl(mu, log_var)
    dz, grads_decoder = nn.mlp_backward(dlogits, dec_caches)  # dz: (N, k)
    dmu, dlog_var = reparameterize_backward(dz, rep_cache)
    dh = np.concatenate([dmu + dmu_kl, dlog_var + dlog_var_kl], axis=1)  # (N, 2k)
    _, grads_encoder = nn.mlp_backward(dh, enc_caches)
    # END SOLUTION
    return rec + kl, rec, kl, grads_encoder, grads_decoder


class VAE:
    """Encoder D -> hidden -> 2k, decoder k -> hidden -> D (Bernoulli logits), mini-batch Adam on -ELBO.

    Attributes after fit: encoder_, decoder_ (parameter dicts), loss_curve_ (mean -ELBO per epoch).
    """

    def __init__(self, latent_dim=2, hidden_sizes=(128,), learning_rate=1e-3, batch_size=64, max_epochs=100,
                 random_state=None):
        self.latent_dim, self.hidden_sizes = latent_dim, hidden_sizes
        self.learning_rate, self.batch_size, self.max_epochs = learning_rate, batch_size, max_epochs
        self.random_state = random_state

    def fit(self, X, callback=None):
        """Train on X (N, D) in [0, 1]; callback(epoch, self) runs after every epoch. Returns self."""
        X = check_X(X)
        k, batch = check_positive_int(self.latent_dim, "latent_dim"), check_positive_int(self.batch_size, "batch_size")
        rng = data.as_rng(self.random_state)
        hidden = list(self.hidden_sizes)
        self.encoder_ = nn.mlp_init([X.shape[1], *hidden, 2 * k], rng)
        self.decoder_ = nn.mlp_init([k, *hidden[::-1], X.shape[1]], rng)
        opt_encoder, opt_decoder = optim.Adam(lr=self.learning_rate), optim.Adam(lr=self.learning_rate)
        self.loss_curve_ = []
        for epoch in range(check_positive_int(self.max_epochs, "max_epochs")):
            order, total = rng.permutation(len(X)), 0.0  # order: (N,)
            for start in range(0, len(X), batch):
                X_batch = X[order[start : start + batch]]  # (batch, D)
                eps = rng.standard_normal((len(X_batch), k))  # (batch, k), fresh noise every step
                loss, _, _, g_enc, g_dec = vae_loss(self.encoder_, self.decoder_, X_batch, eps)
                opt_encoder.step(self.encoder_, g_enc)  # in place: the networks' arrays change
                opt_decoder.step(self.decoder_, g_dec)
                total += loss * len(X_batch)
            self.loss_curve_.append(total / len(X))
            if callback is not None:
                callback(epoch + 1, self)
        return self

    def elbo(self, X, rng, n_draws=10):
        """Mean ELBO per image (nats, higher is better), averaging n_draws noise draws; returns (elbo, rec, kl)."""
        X = check_X(X)
        draws = [vae_loss(self.encoder_, self.decoder_, X, rng.standard_normal((len(X), self.latent_dim)))[:3]
                 for _ in range(check_positive_int(n_draws, "n_draws"))]
        loss, rec, kl = np.mean(draws, axis=0)  # each a scalar
        return -loss, rec, kl

    def encode(self, X):
        """The posterior means mu (N, k)."""
        return nn.mlp_forward(self.encoder_, check_X(X))[0][:, : self.latent_dim]

    def decode(self, z):
        """Pixel probabilities (N, D) for codes z (N, k)."""
        return nn.sigmoid(nn.mlp_forward(self.decoder_, np.asarray(z, dtype=float))[0])

    def sample(self, n, rng):
        """n new images (n, D): z ~ N(0, I), decoded to pixel probabilities."""
        return self.decode(rng.standard_normal((check_positive_int(n, "n"), self.latent_dim)))


# %% [markdown]
# ## Demo: the ELBO, new digits, and a walk across the latent plane


# %%
def main():
    from scipy.stats import norm

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    epochs = 3 if utils.quick_mode() else 100

    def report(epoch, model):
        if epoch % max(epochs // 5, 1) == 0:
            print(f"  epoch {epoch:>3}: training -ELBO {model.loss_curve_[-1]:.2f} nats per image", flush=True)

    model = VAE(latent_dim=2, hidden_sizes=(128,), max_epochs=epochs, random_state=0).fit(X_train, callback=report)
    rows = [[name, *(f"{v:.2f}" for v in model.elbo(X_eval, np.random.default_rng(1)))]
            for name, X_eval in (("train", X_train), ("test", X_test))]
    print(format_table(["split", "ELBO (nats)", "reconstruction", "KL"], rows))

    fig, axes = plotting.new_figure(1, 3, width=4.6, height=4.6, layout="constrained")
    codes = model.encode(X_test)  # (n_test, 2)
    points = axes[0].scatter(codes[:, 0], codes[:, 1], c=y_test, cmap="tab10", s=8)
    fig.colorbar(points, ax=axes[0], label="digit")
    axes[0].set(title="Posterior means of the test digits", xlabel="z_1", ylabel="z_2")
    grid = norm.ppf(np.linspace(0.05, 0.95, 10))  # (10,): the prior's 5 % ... 95 % quantiles, equal mass apart
    z = np.array([[a, b] for b in grid[::-1] for a in grid])  # (100, 2), rows from top to bottom
    plotting.plot_image_grid(axes[1], model.decode(z), n_cols=10, title="A walk across the latent plane")
    plotting.plot_image_grid(axes[2], model.sample(36, np.random.default_rng(2)), n_cols=6, title="New digits: z ~ N(0, I)")
    plotting.show_or_save(fig, "ex10_vae")


if __name__ == "__main__":
    main()
