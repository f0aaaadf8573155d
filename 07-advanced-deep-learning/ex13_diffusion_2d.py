"""
Exercise 13: a denoising diffusion model (DDPM) on 2-D data

Learning goals
--------------
- Destroy data step by step with Gaussian noise (the forward process), and
  jump to any step in one line with its closed form.
- Train a small MLP to predict the noise that was added, from the noisy point
  and the step number: a plain regression with squared error.
- Generate by running the process backwards (ancestral sampling), from pure
  noise to points on the data, and score the result with the sliced
  Wasserstein distance.

The math
--------
Data x_0 in R^2; T steps with variances beta_1 < ... < beta_T (a linear schedule);
alpha_t = 1 - beta_t and abar_t = alpha_1 alpha_2 ... alpha_t.
    forward step:   q(x_t | x_{t-1}) = N(sqrt(alpha_t) x_{t-1}, beta_t I)
    closed form:    x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps,   eps ~ N(0, I)
abar_T is close to 0, so x_T is almost exactly N(0, I). A network
eps_theta(x_t, t) : R^2 x {1..T} -> R^2 (an MLP on x_t and a sinusoidal
embedding of t) minimises
    L = 1/N sum_n ||eps_theta(x_t_n, t_n) - eps_n||^2 / 2,   t_n uniform on {1..T}.
Sampling: x_T ~ N(0, I), then for t = T, ..., 1
    x_{t-1} = (x_t - beta_t / sqrt(1 - abar_t) eps_theta(x_t, t)) / sqrt(alpha_t) + sigma_t z,
with z ~ N(0, I), sigma_t^2 = beta_t, and no noise at the last step (t = 1).

Algorithm
---------
1. Schedule: betas, alphas, abar (cumulative products).
2. Training step: draw x_0 from the data, t and eps; form x_t in closed form;
   regress eps_theta(x_t, t) on eps; backward through the MLP (utils.nn); Adam.
3. Sampling: the loop above, for n points at once.
4. Score: sliced Wasserstein distance to held-out real points, next to the
   distance between two real samples of the same size.

References: J. Ho, A. Jain, P. Abbeel, "Denoising diffusion probabilistic models",
NeurIPS 2020 (Algorithms 1 and 2); J. Sohl-Dickstein et al., "Deep unsupervised
learning using nonequilibrium thermodynamics", ICML 2015; N. Bonneel et al.,
"Sliced and Radon Wasserstein barycenters of measures", JMIV 51 (2015).
Difficulty: 2 of 3, about 45 minutes.
Run: python 07-advanced-deep-learning/ex13_diffusion_2d.py
"""

# %%
import numpy as np

import utils
from utils import generative_data, nn, optim, plotting
from utils.timing import format_table
from utils.validation import check_positive_int

FULL_STEPS = 8000  # training steps of the full run; the quick path takes far fewer

# %% [markdown]
# ## The forward process


# %%
def linear_schedule(T=100, beta_1=1e-4, beta_T=0.1):
    """(betas, alphas, alpha_bars), each of shape (T,), entry t - 1 for step t."""
    T = check_positive_int(T, "T")
    if not 0 < beta_1 <= beta_T < 1:
        raise ValueError(f"need 0 < beta_1 <= beta_T < 1; got {beta_1!r} and {beta_T!r}")
    # BEGIN SOLUTION
    # HINT 1: The betas grow linearly; alpha and abar follow from them.
    # HINT 2: alphas = 1 - betas; alpha_bars = cumulative product of alphas.
    # HINT 3: betas = np.linspace(beta_1, beta_T, T); return betas, 1 - betas, np.cumprod(1 - betas)
    betas = np.linspace(beta_1, beta_T, T)  # (T,)
    return betas, 1.0 - betas, np.cumprod(1.0 - betas)  # betas, alphas, alpha_bars
    # END SOLUTION


def q_sample(x0, t, eps, alpha_bars):
    """x_t for clean points x0 (N, 2), steps t (N,) in 1..T and noise eps (N, 2), in closed form."""
    # BEGIN SOLUTION
    # HINT 1: Each row has its own step, so pick each row's abar and broadcast it over the 2 coordinates.
    # HINT 2: x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, with abar_t = alpha_bars[t - 1].
    # HINT 3: abar = alpha_bars[t - 1][:, None]; return np.sqrt(abar) * x0 + np.sqrt(1 - abar) * eps
    abar = alpha_bars[t - 1][:, None]  # (N, 1)
    return np.sqrt(abar) * x0 + np.sqrt(1.0 - abar) * eps  # (N, 2)
    # END SOLUTION


def time_embedding(t, T, dim=16):
    """Sinusoidal features of the step, shape (N, dim): sin and cos of t * w_i, w_i from 1 down to 1/T.

    The frequencies are geometric, as in the transformer's position encoding: the fast ones
    tell neighbouring steps apart, the slow ones vary smoothly over the whole range 1..T.
    """
    freqs = float(T) ** (-np.arange(dim // 2) / (dim // 2 - 1))  # (dim/2,), from 1 to 1/T
    angles = np.asarray(t, dtype=float)[:, None] * freqs  # (N, dim/2)
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1)  # (N, dim)


# %% [markdown]
# ## The noise predictor, its loss, sampling and training


# %%
def predict_noise(params, x_t, t, T):
    """eps_theta(x_t, t): the MLP on [x_t, embedding(t)]; returns (eps_hat (N, 2), caches)."""
    inputs = np.concatenate([x_t, time_embedding(t, T)], axis=1)  # (N, 2 + 16)
    return nn.mlp_forward(params, inputs)


def denoising_loss(params, x0, t, eps, alpha_bars):
    """L = 1/N sum ||eps_theta(x_t, t) - eps||^2 / 2 for fixed t and eps; returns (loss, grads)."""
    # BEGIN SOLUTION
    # HINT 1: Noise the points in closed form, predict the noise, and compare: a mean squared error.
    # HINT 2: x_t = q_sample(x0, t, eps, alpha_bars); loss and dL/deps_hat from nn.mse_loss(eps_hat, eps).
    # HINT 3: eps_hat, caches = predict_noise(params, x_t, t, len(alpha_bars)); loss, d = nn.mse_loss(eps_hat, eps);
    # HINT 3: grads = nn.mlp_backward(d, caches)[1]
    x_t = q_sample(x0, t, eps, alpha_bars)  # (N, 2)
    eps_hat, caches = predict_noise(params, x_t, t, len(alpha_bars))  # (N, 2)
    loss, deps_hat = nn.mse_loss(eps_hat, eps)  # (1/N) sum ||.||^2 / 2 and its gradient
    _, grads = nn.mlp_backward(deps_hat, caches)
    # END SOLUTION
    return loss, grads


def ancestral_sample(noise_fn, n, betas, rng, keep=()):
    """Run the reverse process for n points; noise_fn(x_t (n, 2), t (n,)) -> eps_hat (n, 2).

    Returns x_0 of shape (n, 2) and a dict {t: x_t} for the steps listed in keep.
    """
    alphas, alpha_bars = 1.0 - betas, np.cumprod(1.0 - betas)  # (T,) each
    x = rng.standard_normal((check_positive_int(n, "n"), 2))  # x_T: (n, 2)
    snapshots = {len(betas): x.copy()} if len(betas) in keep else {}
    # BEGIN SOLUTION
    # HINT 1: Go from t = T down to 1; remove the predicted noise, rescale, add fresh noise except at t = 1.
    # HINT 2: x = (x - beta_t / sqrt(1 - abar_t) eps_hat) / sqrt(alpha_t) + sqrt(beta_t) z, index t - 1.
    # HINT 3: for t in range(T, 0, -1): eps_hat = noise_fn(x, np.full(n, t)); mean = ...; x = mean + (t > 1) * ...
    for t in range(len(betas), 0, -1):
        eps_hat = noise_fn(x, np.full(n, t))  # (n, 2)
        mean = (x - betas[t - 1] / np.sqrt(1.0 - alpha_bars[t - 1]) * eps_hat) / np.sqrt(alphas[t - 1])  # (n, 2)
        x = mean + np.sqrt(betas[t - 1]) * rng.standard_normal((n, 2)) if t > 1 else mean
        if t - 1 in keep:
            snapshots[t - 1] = x.copy()
    # END SOLUTION
    return x, snapshots


def train_ddpm(X, rng, n_steps=None, T=100, hidden=(128, 128), batch_size=256, lr=2e-3, callback=None):
    """Fit eps_theta on the rows of X (n, 2); returns (params, betas, losses)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2); got {X.shape}")
    n_steps = FULL_STEPS if n_steps is None else check_positive_int(n_steps, "n_steps")
    betas, _, alpha_bars = linear_schedule(T)
    params = nn.mlp_init([2 + time_embedding(np.ones(1), T).shape[1], *hidden, 2], rng)
    optimizer, losses = optim.Adam(lr=lr), []
    for step in range(n_steps):
        optimizer.lr = lr * (1.0 - 0.95 * step / n_steps)  # linear decay: late steps refine, early ones explore
        x0 = X[rng.integers(0, len(X), size=batch_size)]  # (batch, 2)
        t = rng.integers(1, T + 1, size=batch_size)  # (batch,), uniform on 1..T
        loss, grads = denoising_loss(params, x0, t, rng.standard_normal(x0.shape), alpha_bars)
        optimizer.step(params, grads)
        losses.append(loss)
        if callback is not None and (step + 1) % max(n_steps // 5, 1) == 0:
            callback(step + 1, float(np.mean(losses[-200:])))
    return params, betas, losses


# %% [markdown]
# ## Demo: noise the moons, learn to denoise, sample


# %%
def main():
    X, _ = generative_data.make_two_moons(4000, noise=0.05, random_state=0)  # (4000, 2) training points
    X_held, _ = generative_data.make_two_moons(2000, noise=0.05, random_state=1)  # (2000, 2), never trained on
    X_other, _ = generative_data.make_two_moons(2000, noise=0.05, random_state=2)  # a second real sample
    n_steps, T = (300 if utils.quick_mode() else None), 100
    params, betas, _ = train_ddpm(X, np.random.default_rng(0), n_steps=n_steps, T=T,
                                       callback=lambda s, l: print(f"  step {s:>5}: loss {l:.4f}", flush=True))
    keep = (100, 50, 25, 10, 0)
    samples, snapshots = ancestral_sample(lambda x, t: predict_noise(params, x, t, T)[0], 2000, betas,
                                          np.random.default_rng(3), keep=keep)
    swd_model = generative_data.sliced_wasserstein(samples, X_held, random_state=4)
    swd_real = generative_data.sliced_wasserstein(X_other, X_held, random_state=4)
    print(f"\nAfter training, abar_T = {np.prod(1 - betas):.4f} (x_T is nearly pure noise)")
    print(format_table(["2,000 points vs held-out real", "sliced Wasserstein-1"],
                       [["DDPM samples", f"{swd_model:.4f}"], ["another real sample", f"{swd_real:.4f}"],
                        ["ratio", f"{swd_model / swd_real:.2f}x"]]))

    _, _, alpha_bars = linear_schedule(T)
    rng = np.random.default_rng(5)
    fig, axes = plotting.new_figure(2, len(keep), width=2.6, height=2.6, layout="constrained", squeeze=False)
    for j, t in enumerate(keep[::-1]):
        forward = X[:1000] if t == 0 else q_sample(X[:1000], np.full(1000, t), rng.standard_normal((1000, 2)), alpha_bars)
        axes[0, j].scatter(*forward.T, s=1, color="gray")
        axes[1, j].scatter(*snapshots[t][:1000].T, s=1)
        for ax, direction in zip(axes[:, j], ("forward", "reverse")):
            ax.set(title=f"{direction}, t = {t}", xlim=(-3, 3.5), ylim=(-3, 3), xticks=[], yticks=[])
    plotting.show_or_save(fig, "ex13_diffusion_2d")


if __name__ == "__main__":
    main()
