"""Benchmark: module 07's generative models against their targets and references.

Three parts, each selectable with --only:

- gan: ex09's packed GAN (m = 2, its full 10,000 steps) on the ring of 8 Gaussians
  (radius 2, sigma 0.02), one run per seed. Scored on 2,500 samples: modes covered
  (at least 20 samples within 3 sigma of the mode) and the fraction of samples within
  3 sigma of a mode. The published anchor is Srivastava et al. 2017 (VEEGAN), Table 1,
  same data and scores: vanilla GAN 1 mode / 99.3 %, unrolled GAN 7.6 / 35.6 %,
  VEEGAN 8.0 / 52.9 %. With --vanilla, ex09's vanilla GAN (m = 1, otherwise the same)
  runs on the first seed too. Target: 8 modes and >= 90 % in < 60 s.
- diffusion: ex11's DDPM (its full 8,000 steps) on i.i.d. two moons, 2,000 samples
  scored by the sliced Wasserstein-1 distance to 2,000 held-out real points, against
  the distance between two real samples of that size. Target: ratio <= 2.
- vae: ex08's VAE (latent 2, one hidden layer of 128, Adam 1e-3, batch 64, 100 epochs,
  Bernoulli decoder) against the same network and training in PyTorch (float64, so
  the precision is ours; PyTorch's own initialisation and shuffling). Test ELBO per
  image, the mean over 10 noise draws, on ex08's 75/25 digits split; median over the
  seeds. Target: ours within 2 % of PyTorch's. The column is skipped without PyTorch.

Times are wall-clock seconds of one training run (process CPU seconds in brackets);
the machine's load average is printed, since other jobs share the cores.

Run: python benchmarks/bench_07_generative.py [--only gan|diffusion|vae] [--seeds 0,1,2] [--vanilla]
"""

import argparse
import os
import platform
import sys
import time

import numpy as np

import utils
from utils import data, generative_data
from utils.timing import format_table

VAE_EPOCHS, VAE_LR, VAE_BATCH, VAE_HIDDEN, VAE_LATENT = 100, 1e-3, 64, 128, 2


def timed(function):
    """(result, wall seconds, CPU seconds) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def bench_gan(seeds, vanilla):
    ex09 = utils.load_exercise("07-advanced-deep-learning/ex11_gan_2d.py", practice=False)
    X, _ = generative_data.make_gaussian_ring(20000, random_state=0)
    runs = [(f"packed GAN (m=2), seed {s}", s, 2) for s in seeds]
    if vanilla:
        runs.append((f"vanilla GAN (m=1), seed {seeds[0]}", seeds[0], 1))
    rows = []
    for name, seed, m in runs:
        G, wall, cpu = timed(lambda: ex09.train_gan(X, np.random.default_rng(seed), pack_size=m))
        modes, quality = generative_data.ring_mode_stats(G.sample(2500, np.random.default_rng(100 + seed)))
        rows.append([name, modes, f"{quality:.1%}", f"{wall:.1f} ({cpu:.1f})"])
        print(f"  {rows[-1]}", flush=True)
    rows += [["VEEGAN paper: vanilla GAN", 1, "99.3%", ""], ["VEEGAN paper: unrolled GAN", 7.6, "35.6%", ""],
             ["VEEGAN paper: VEEGAN", 8.0, "52.9%", ""]]
    print(f"\n8-Gaussian ring, radius 2, sigma 0.02; {ex09.FULL_STEPS} steps of 256 real + 256 fake points")
    print(format_table(["model (2,500 samples)", "modes of 8", "within 3 sigma", "train s wall (CPU)"], rows))


def bench_diffusion(seeds):
    ex11 = utils.load_exercise("07-advanced-deep-learning/ex13_diffusion_2d.py", practice=False)
    X, _ = generative_data.make_two_moons(4000, noise=0.05, random_state=0)
    X_held, _ = generative_data.make_two_moons(2000, noise=0.05, random_state=1)
    X_other, _ = generative_data.make_two_moons(2000, noise=0.05, random_state=2)
    real = generative_data.sliced_wasserstein(X_other, X_held, random_state=4)
    rows = []
    for seed in seeds:
        (params, betas, _), wall, cpu = timed(lambda: ex11.train_ddpm(X, np.random.default_rng(seed)))
        samples, _ = ex11.ancestral_sample(lambda x, t: ex11.predict_noise(params, x, t, len(betas))[0], 2000, betas,
                                           np.random.default_rng(100 + seed))
        model = generative_data.sliced_wasserstein(samples, X_held, random_state=4)
        rows.append([f"DDPM, seed {seed}", f"{model:.4f}", f"{model / real:.2f}x", f"{wall:.1f} ({cpu:.1f})"])
        print(f"  {rows[-1]}", flush=True)
    rows.append(["another real sample", f"{real:.4f}", "1.00x", ""])
    print(f"\nTwo moons (noise 0.05), 2,000 points against 2,000 held-out real points; {ex11.FULL_STEPS} training steps")
    print(format_table(["samples", "sliced W1", "vs real-real", "train s wall (CPU)"], rows))


def train_torch_vae(torch, X_train, seed):
    """The same VAE in PyTorch (float64); returns a function X -> mean ELBO over 10 draws."""
    torch.manual_seed(seed)
    nn, D = torch.nn, X_train.shape[1]
    encoder = nn.Sequential(nn.Linear(D, VAE_HIDDEN), nn.ReLU(), nn.Linear(VAE_HIDDEN, 2 * VAE_LATENT)).double()
    decoder = nn.Sequential(nn.Linear(VAE_LATENT, VAE_HIDDEN), nn.ReLU(), nn.Linear(VAE_HIDDEN, D)).double()
    optimizer = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=VAE_LR)

    def neg_elbo(X):
        h = encoder(X)
        mu, log_var = h[:, :VAE_LATENT], h[:, VAE_LATENT:]
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        rec = nn.functional.binary_cross_entropy_with_logits(decoder(z), X, reduction="sum") / len(X)
        kl = 0.5 * torch.sum(mu**2 + log_var.exp() - 1 - log_var) / len(X)
        return rec + kl

    X = torch.tensor(X_train, dtype=torch.float64)
    for _ in range(VAE_EPOCHS):
        order = torch.randperm(len(X))
        for start in range(0, len(X), VAE_BATCH):
            optimizer.zero_grad()
            neg_elbo(X[order[start : start + VAE_BATCH]]).backward()
            optimizer.step()

    def elbo(X_eval):
        with torch.no_grad():
            X_eval = torch.tensor(X_eval, dtype=torch.float64)
            return -float(np.mean([neg_elbo(X_eval).item() for _ in range(10)]))

    return elbo


def bench_vae(seeds):
    ex08 = utils.load_exercise("07-advanced-deep-learning/ex10_vae.py", practice=False)
    X, y = data.load_digits()
    X_train, X_test, _, _ = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    results = {"ours (NumPy, float64)": []}
    try:
        import torch

        torch.set_num_threads(1)  # small batches: threads only add overhead on a shared machine
        results[f"PyTorch {torch.__version__} (float64)"] = []
    except ImportError:
        torch = None
        print("PyTorch is not installed: its column is skipped.")
    for seed in seeds:
        model, wall, cpu = timed(lambda: ex08.VAE(latent_dim=VAE_LATENT, hidden_sizes=(VAE_HIDDEN,), learning_rate=VAE_LR,
                                                  batch_size=VAE_BATCH, max_epochs=VAE_EPOCHS, random_state=seed).fit(X_train))
        results["ours (NumPy, float64)"].append((model.elbo(X_test, np.random.default_rng(seed))[0], wall, cpu))
        if torch is not None:
            elbo, wall, cpu = timed(lambda: train_torch_vae(torch, X_train, seed))
            results[f"PyTorch {torch.__version__} (float64)"].append((elbo(X_test), wall, cpu))
        print(f"  seed {seed}: " + ", ".join(f"{name}: {runs[-1][0]:.2f}" for name, runs in results.items()), flush=True)
    medians = {name: [float(np.median([r[i] for r in runs])) for i in range(3)] for name, runs in results.items()}
    reference = list(medians.values())[-1][0]
    rows = [[name, f"{elbo:.2f}", f"{abs(elbo - reference) / abs(reference):.2%}", f"{wall:.1f} ({cpu:.1f})"]
            for name, (elbo, wall, cpu) in medians.items()]
    print(f"\nDigits VAE 64-{VAE_HIDDEN}-{2 * VAE_LATENT} / {VAE_LATENT}-{VAE_HIDDEN}-64, Adam {VAE_LR}, batch {VAE_BATCH}, "
          f"{VAE_EPOCHS} epochs; medians over seeds {list(seeds)}")
    print(format_table(["implementation", "test ELBO (nats/image)", "gap to the last row", "train s wall (CPU)"], rows))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["gan", "diffusion", "vae"], help="run one part only")
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds, one run per seed and model")
    parser.add_argument("--vanilla", action="store_true", help="also train the vanilla GAN on the first seed")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs{load}")
    for name, run in (("gan", lambda: bench_gan(seeds, args.vanilla)), ("diffusion", lambda: bench_diffusion(seeds)),
                      ("vae", lambda: bench_vae(seeds))):
        if args.only in (None, name):
            print(f"\n== {name} ==")
            run()
    load = f" (load average now {os.getloadavg()[0]:.1f})" if hasattr(os, "getloadavg") else ""
    print(f"\nCommand: python benchmarks/bench_07_generative.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}"
          f"{load}".rstrip())


if __name__ == "__main__":
    main()
