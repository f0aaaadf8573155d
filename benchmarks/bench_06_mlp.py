"""Benchmark: our NumPy MLP (06-intro-to-deep-learning/ex06) against scikit-learn and PyTorch.

The same task for every library: the digits data (pixels / 16), the stratified
75/25 split with seed 0 that ex06 uses, a 64 -> 128 -> 64 -> 10 ReLU network with a
softmax output, Adam (learning rate 2e-3), mini-batches of 32, 30 epochs, and an
L2 penalty on the weights only.

- Ours: alpha = 1e-4 on alpha/2 sum ||W||^2 per mini-batch.
- scikit-learn's MLPClassifier divides its penalty by the batch size, so it gets
  alpha = 1e-4 * 32 for the same objective. Early stopping is switched off
  (n_iter_no_change larger than max_iter) so it runs all 30 epochs; reaching
  max_iter raises a ConvergenceWarning, which we silence here and only here.
- PyTorch (when `import torch` works): nn.Linear layers with the same sizes, float32
  (its default; ours and scikit-learn's are float64), weight decay 1e-4 on the
  weights and none on the biases, which is the same penalty gradient alpha W.
  The column is left out when PyTorch is not installed. PyTorch runs on one thread
  (torch.set_num_threads(1)): a batch of 32 is too small to gain from threads, and
  with its default pool on a busy 2-core machine it was 30-60x slower. NumPy's matrix
  products at this batch size stay below OpenBLAS's threading threshold anyway.

Each model is trained `--repeats` times after one warm-up run; we report the
median training time, that time divided by the epochs, and the test accuracy of
the last run, plus each library's time relative to ours.

Run: python benchmarks/bench_06_mlp.py [--repeats 3] [--epochs 30]
"""

import argparse
import os
import platform
import sys
import warnings

import numpy as np

import utils
from utils.timing import format_table, median_time

HIDDEN = (128, 64)
LEARNING_RATE = 2e-3
BATCH_SIZE = 32
ALPHA = 1e-4
SEED = 0


def train_ours(ex06, X_train, y_train, epochs):
    model = ex06.MLPClassifier(hidden_layer_sizes=HIDDEN, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE,
                               max_epochs=epochs, alpha=ALPHA, random_state=SEED)
    return model.fit(X_train, y_train)


def train_sklearn(X_train, y_train, epochs):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(hidden_layer_sizes=HIDDEN, activation="relu", solver="adam", learning_rate_init=LEARNING_RATE,
                          batch_size=BATCH_SIZE, max_iter=epochs, alpha=ALPHA * BATCH_SIZE, shuffle=True,
                          n_iter_no_change=epochs + 1, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter reached on purpose: a fixed epoch budget
        return model.fit(X_train, y_train)


def make_torch_trainer(torch):
    """A function (X_train, y_train, epochs) -> predict function, for the same network in PyTorch."""

    def train(X_train, y_train, epochs):
        torch.set_num_threads(1)
        torch.manual_seed(SEED)
        sizes = [X_train.shape[1], *HIDDEN, len(np.unique(y_train))]
        layers = []
        for d_in, d_out in zip(sizes[:-1], sizes[1:]):
            layers += [torch.nn.Linear(d_in, d_out), torch.nn.ReLU()]
        net = torch.nn.Sequential(*layers[:-1])  # no ReLU after the last layer
        weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
        biases = [p for name, p in net.named_parameters() if name.endswith("bias")]
        optimizer = torch.optim.Adam([{"params": weights, "weight_decay": ALPHA}, {"params": biases, "weight_decay": 0.0}],
                                     lr=LEARNING_RATE)
        X = torch.tensor(X_train, dtype=torch.float32)
        y = torch.tensor(y_train, dtype=torch.long)
        generator = torch.Generator().manual_seed(SEED)
        loss_fn = torch.nn.CrossEntropyLoss()
        for _ in range(epochs):
            order = torch.randperm(len(X), generator=generator)
            for start in range(0, len(X), BATCH_SIZE):
                batch = order[start : start + BATCH_SIZE]
                optimizer.zero_grad()
                loss_fn(net(X[batch]), y[batch]).backward()
                optimizer.step()

        def predict(X_new):
            with torch.no_grad():
                return net(torch.tensor(X_new, dtype=torch.float32)).argmax(dim=1).numpy()

        return predict

    return train


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per library (after one warm-up)")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args(argv)

    ex06 = utils.load_exercise("06-intro-to-deep-learning/ex07_train_mlp.py", practice=False)
    X_train, X_test, y_train, y_test = ex06.load_digits_split(random_state=SEED)
    epochs = args.epochs

    results = {}
    seconds, model = median_time(lambda: train_ours(ex06, X_train, y_train, epochs), repeats=args.repeats, warmup=1)
    results["ours (NumPy, float64)"] = (seconds, np.mean(model.predict(X_test) == y_test))
    seconds, model = median_time(lambda: train_sklearn(X_train, y_train, epochs), repeats=args.repeats, warmup=1)
    results["scikit-learn MLPClassifier (float64)"] = (seconds, np.mean(model.predict(X_test) == y_test))
    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not installed: its column is skipped.")
    if torch is not None:
        train_torch = make_torch_trainer(torch)
        seconds, predict = median_time(lambda: train_torch(X_train, y_train, epochs), repeats=args.repeats, warmup=1)
        results[f"PyTorch {torch.__version__} (float32)"] = (seconds, np.mean(predict(X_test) == y_test))

    ours = results["ours (NumPy, float64)"][0]
    rows = [[name, f"{1000 * s / epochs:.1f}", f"{s:.2f}", f"{s / ours:.2f}x", f"{accuracy:.1%}"]
            for name, (s, accuracy) in results.items()]
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Digits, {len(X_train)} train / {len(X_test)} test, MLP 64-{'-'.join(map(str, HIDDEN))}-10, Adam lr {LEARNING_RATE}, "
          f"batch {BATCH_SIZE}, {epochs} epochs; median of {args.repeats} runs after a warm-up")
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs{load}\n")
    print(format_table(["implementation", "ms per epoch", "training s", "time vs ours", "test accuracy"], rows))
    print(f"\nCommand: python benchmarks/bench_06_mlp.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}".rstrip())


if __name__ == "__main__":
    main()
