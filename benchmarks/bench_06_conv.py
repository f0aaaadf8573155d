"""Benchmark: our im2col convolution (06-intro-to-deep-learning/ex10) and digits CNN (ex11).

1. One convolution layer, forward and backward together: a batch of 64 images,
   16 -> 32 channels, 28x28, 3x3 filters, padding 1, stride 1.
   - ours, im2col (ex10's conv_forward_im2col + conv_backward_im2col), float64 and float32
     (the code is dtype-agnostic; float32 is PyTorch's default);
   - ours, naive loops (conv_forward_naive + conv_backward_naive): far too slow for a batch
     of 64, so it runs on a batch of `--naive-batch` images (default 2), once, and the time
     is scaled by 64 / naive_batch (its cost grows linearly with the batch);
   - PyTorch CPU (when `import torch` works): torch.nn.functional.conv2d forward, then
     backward with the same upstream gradient, with PyTorch's default thread pool.
   Before timing we check that the three agree (float64) on the output and all gradients.
   Targets: im2col within 3x of PyTorch's time (same dtype) and at least 20x faster than loops.
2. The CNN of ex11 trained on the digits (stratified 75/25 split, ex11's seed), full run:
   time per epoch, total time and test accuracy (with `--seeds K`, also the test accuracy
   of the same training with K - 1 further seeds, to show the spread one seed hides);
   and, with PyTorch, the same architecture (conv 3x3 32, conv 3x3 32, max pool,
   dropout 0.25, linear 128, dropout 0.5, linear 10), the same Adam learning rate,
   cosine decay, batch size and epochs, in float32 with PyTorch's own initialisation.
   Target: our CNN reaches 98.5 % within 60 s. Its number of epochs was chosen on the
   training digits alone (benchmarks/select_06_cnn.py).

NumPy uses OpenBLAS with its default threads (all cores) unless OPENBLAS_NUM_THREADS says
otherwise; the thread counts are printed with the tables. Medians of `--repeats` runs after one
warm-up run (the CNN is trained once per library: it takes tens of seconds).

Run: python benchmarks/bench_06_conv.py [--repeats 7] [--naive-batch 2] [--epochs N] [--seeds K] [--skip-cnn]
"""

import argparse
import os
import platform
import sys
import time

import numpy as np

import utils
from utils.timing import format_table, median_time

BATCH, C_IN, C_OUT, SIZE, KERNEL = 64, 16, 32, 28, 3
CONV_PARAM = {"stride": 1, "pad": 1}


def conv_inputs(dtype, batch=BATCH, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, C_IN, SIZE, SIZE)).astype(dtype)
    w = (rng.standard_normal((C_OUT, C_IN, KERNEL, KERNEL)) * 0.1).astype(dtype)
    b = rng.standard_normal(C_OUT).astype(dtype)
    dout = rng.standard_normal((batch, C_OUT, SIZE, SIZE)).astype(dtype)
    return x, w, b, dout


def ours(ex10, x, w, b, dout, version="im2col"):
    forward, backward = getattr(ex10, f"conv_forward_{version}"), getattr(ex10, f"conv_backward_{version}")
    out, cache = forward(x, w, b, CONV_PARAM)
    return (out, *backward(dout, cache))


def torch_conv(torch, x, w, b, dout):
    xt, wt, bt = (torch.from_numpy(a).requires_grad_() for a in (x, w, b))  # no copy: shares NumPy's memory
    out = torch.nn.functional.conv2d(xt, wt, bt, stride=1, padding=1)
    out.backward(torch.from_numpy(dout))
    return out.detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


def import_torch():
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: its rows are skipped.")
        return None
    return torch


def conv_benchmark(ex10, torch, repeats, naive_batch):
    # Agreement first (float64): a fast wrong answer is no answer.
    x, w, b, dout = conv_inputs(np.float64, batch=2)
    fast, slow = ours(ex10, x, w, b, dout), ours(ex10, x, w, b, dout, "naive")
    gaps = {"naive": max(np.abs(f - s).max() for f, s in zip(fast, slow))}
    if torch is not None:
        gaps["PyTorch"] = max(np.abs(f - t).max() for f, t in zip(fast, torch_conv(torch, x, w, b, dout)))
    print("max |im2col - other| over output and gradients (float64, batch 2): " + ", ".join(f"{k} {v:.1e}" for k, v in gaps.items()))

    rows, times = [], {}
    x, w, b, dout = conv_inputs(np.float64, batch=naive_batch)
    start = time.perf_counter()
    ours(ex10, x, w, b, dout, "naive")
    times["naive", "float64"] = (time.perf_counter() - start) * BATCH / naive_batch
    for dtype in (np.float64, np.float32):
        name = np.dtype(dtype).name
        x, w, b, dout = conv_inputs(dtype)
        times["im2col", name], _ = median_time(lambda: ours(ex10, x, w, b, dout), repeats=repeats, warmup=1)
        if torch is not None:
            times["torch", name], _ = median_time(lambda: torch_conv(torch, x, w, b, dout), repeats=repeats, warmup=1)
    labels = {"naive": f"ours, naive loops (batch {naive_batch}, x{BATCH // naive_batch})", "im2col": "ours, im2col"}
    if torch is not None:
        labels["torch"] = f"PyTorch {torch.__version__} conv2d"
    for (impl, dtype), seconds in times.items():
        reference = times["im2col", dtype]
        rows.append([labels[impl], dtype, f"{1000 * seconds:.1f}", f"{seconds / reference:.2f}x"])
    print(f"\nConvolution forward + backward: batch {BATCH}, {C_IN} -> {C_OUT} channels, {SIZE}x{SIZE}, {KERNEL}x{KERNEL}, pad 1, "
          f"median of {repeats} runs (naive: one run)")
    print(format_table(["implementation", "dtype", "ms", "time vs im2col (same dtype)"], rows))
    speedup = times["naive", "float64"] / times["im2col", "float64"]
    print(f"\nim2col vs naive loops (float64): {speedup:.0f}x faster (target >= 20x: {'met' if speedup >= 20 else 'NOT met'})")
    if torch is not None:
        for dtype in ("float32", "float64"):
            ratio = times["im2col", dtype] / times["torch", dtype]
            print(f"im2col / PyTorch ({dtype}): {ratio:.2f}x (target <= 3x: {'met' if ratio <= 3 else 'NOT met'})")


def train_torch_cnn(torch, X_train, y_train, X_test, y_test, epochs, batch_size, lr):
    torch.manual_seed(0)
    nn = torch.nn
    net = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(512, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10),
    )
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda e: 0.5 * (1 + np.cos(np.pi * (e + 1) / epochs)))
    X, y = torch.tensor(X_train, dtype=torch.float32), torch.tensor(y_train)
    generator = torch.Generator().manual_seed(0)
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    for _ in range(epochs):
        net.train()
        order = torch.randperm(len(X), generator=generator)
        for first in range(0, len(X), batch_size):
            batch = order[first : first + batch_size]
            optimizer.zero_grad()
            loss_fn(net(X[batch]), y[batch]).backward()
            optimizer.step()
        schedule.step()
    seconds = time.perf_counter() - start
    net.eval()
    with torch.no_grad():
        accuracy = (net(torch.tensor(X_test, dtype=torch.float32)).argmax(dim=1).numpy() == y_test).mean()
    return seconds, accuracy


def train_ours(ex11, X_train, y_train, X_test, y_test, epochs, seed):
    """ex11's full run with the given seed: (seconds, test accuracy after the last epoch)."""
    rng = np.random.default_rng(seed)
    params = ex11.init_cnn(rng)
    start = time.perf_counter()
    history = ex11.train_cnn(params, X_train, y_train, X_test, y_test, epochs, rng)
    return time.perf_counter() - start, history["test accuracy"][-1]  # the time includes the per-epoch evaluations


def cnn_benchmark(ex11, torch, epochs, seeds):
    X_train, X_test, y_train, y_test = ex11.load_digit_images()
    ours_seconds, ours_accuracy = train_ours(ex11, X_train, y_train, X_test, y_test, epochs, ex11.SEED)
    rows = [[f"ours (NumPy, float64), seed {ex11.SEED}", f"{ours_seconds / epochs:.2f}", f"{ours_seconds:.1f}", "1.00x", f"{ours_accuracy:.2%}"]]
    if torch is not None:
        seconds, accuracy = train_torch_cnn(torch, X_train, y_train, X_test, y_test, epochs, 64, 3e-3)
        rows.append([f"PyTorch {torch.__version__} (float32)", f"{seconds / epochs:.2f}", f"{seconds:.1f}", f"{seconds / ours_seconds:.2f}x", f"{accuracy:.2%}"])
    print(f"\nCNN on digits ({len(X_train)} train / {len(X_test)} test, 8x8), {epochs} epochs, batch 64, Adam 3e-3 with cosine decay")
    print(format_table(["implementation", "s per epoch", "total s", "time vs ours", "test accuracy"], rows))
    met = ours_accuracy >= 0.985 and ours_seconds <= 60
    print(f"\nOur CNN (ex11's seed {ex11.SEED}): {ours_accuracy:.2%} in {ours_seconds:.1f} s (target >= 98.5 % within 60 s: {'met' if met else 'NOT met'})")
    if seeds > 1:  # how much of that is the luck of one seed: the same training with other seeds
        others = [ex11.SEED + k for k in range(1, seeds)]
        accuracies = [ours_accuracy] + [train_ours(ex11, X_train, y_train, X_test, y_test, epochs, seed)[1] for seed in others]
        listed = ", ".join(f"{a:.2%}" for a in accuracies)
        print(f"Seeds {ex11.SEED}..{others[-1]}: {listed}; mean {np.mean(accuracies):.2%}, min {min(accuracies):.2%}, max {max(accuracies):.2%}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per convolution (after one warm-up)")
    parser.add_argument("--naive-batch", type=int, default=2, help="batch size for the naive loops (scaled to 64)")
    parser.add_argument("--epochs", type=int, default=None, help="CNN epochs (default: ex11's full run)")
    parser.add_argument("--seeds", type=int, default=1, help="also train the CNN with this many seeds in all, for the spread")
    parser.add_argument("--skip-cnn", action="store_true", help="only the convolution layer")
    args = parser.parse_args(argv)

    ex10 = utils.load_exercise("06-intro-to-deep-learning/ex11_convolution.py", practice=False)
    ex11 = utils.load_exercise("06-intro-to-deep-learning/ex12_cnn.py", practice=False)
    torch = import_torch()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    threads = f", PyTorch threads {torch.get_num_threads()}" if torch is not None else ""
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "default (all cores)")
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs{load}; OpenBLAS threads {blas}{threads}")

    conv_benchmark(ex10, torch, args.repeats, args.naive_batch)
    if not args.skip_cnn:
        cnn_benchmark(ex11, torch, args.epochs or ex11.FULL_EPOCHS, args.seeds)
    print(f"\nCommand: python benchmarks/bench_06_conv.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}".rstrip())


if __name__ == "__main__":
    main()
