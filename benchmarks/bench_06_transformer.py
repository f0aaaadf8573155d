"""Benchmark: the tiny NumPy transformer of 06-intro-to-deep-learning/ex16 against the same model in PyTorch.

The full training run of ex16 (its FULL_RUN settings): sort strings of 6 digits
("3 1 3 0 7 2 | 0 1 2 3 3 7"), a decoder-only transformer with 2 pre-LN blocks,
d_model 32, 4 heads, an MLP of width 128, learned position embeddings; Adam with a
cosine learning-rate decay from 3e-3, 1000 steps of fresh batches of 64 strings
that never contain one of the 1000 held-out test strings. We report the training
time and the held-out exact-sequence accuracy of greedy decoding (every answer
digit right). Target (issue): at least 99% within 2 minutes on a 2-core machine.

- Ours: ex16.train_digit_model in NumPy, float64.
- PyTorch (when `import torch` works): the same architecture written with
  torch.nn.functional (layer_norm, scaled_dot_product_attention with a causal
  mask, relu, cross_entropy), started from exactly the same initial weights as
  ours and fed exactly the same batches, with torch.optim.Adam and the same
  learning-rate schedule. Once in float32 (PyTorch's default) and once in float64.
  The columns are left out when PyTorch is not installed.

Threads: both libraries run with `--threads` threads (default 1: threadpoolctl limits
NumPy's BLAS, torch.set_num_threads limits PyTorch). The matrices here are small
(64 x 12 rows of width 32 to 128); extra threads mostly wait for each other, and on a
busy machine OpenBLAS's spinning threads can slow a run down several times.

Each training run is timed `--repeats` times (no warm-up: one run is 1000 steps,
so start-up costs are small); we report the median and the accuracy of the last
run, plus each time relative to ours. Timing covers training only, not the
evaluation on the test strings.

Run: python benchmarks/bench_06_transformer.py [--repeats 3] [--steps 1000] [--threads 1]
"""

import argparse
import math
import os
import platform
import sys

import numpy as np

import utils
from utils.timing import format_table, median_time

SEED = 0
TEST_SEED = 123
N_TEST = 1000


def train_ours(ex16, config, test):
    params, history = ex16.train_digit_model(**config, test=test, random_state=SEED)
    return params, history["loss"][-1]


def make_torch_trainer(torch, ex16, dtype):
    """Two functions: train(config, test) -> (params, last loss) and accuracy(params, config, test), in PyTorch."""
    functional = torch.nn.functional

    def forward(p, tokens, n_layers, n_heads):
        n, steps = tokens.shape
        dim = p["tok_emb"].shape[1]
        mask = torch.ones(steps, steps, dtype=torch.bool).tril()  # True = may attend, as in ex14
        x = p["tok_emb"][tokens] + p["pos_emb"][:steps]  # (N, T, D)
        for layer in range(n_layers):
            b = {name.split(".", 1)[1]: value for name, value in p.items() if name.startswith(f"block{layer}.")}
            h = functional.layer_norm(x, (dim,), b["ln1_gamma"], b["ln1_beta"], eps=1e-5)
            q, k, v = ((h @ b[f"W{c}"] + b[f"b{c}"]).view(n, steps, n_heads, -1).transpose(1, 2) for c in "qkv")
            heads = functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # (N, h, T, d), 1/sqrt(d) scaling
            x = x + heads.transpose(1, 2).reshape(n, steps, dim) @ b["Wo"] + b["bo"]
            h = functional.layer_norm(x, (dim,), b["ln2_gamma"], b["ln2_beta"], eps=1e-5)
            x = x + functional.relu(h @ b["W1"] + b["b1"]) @ b["W2"] + b["b2"]
        h = functional.layer_norm(x, (dim,), p["lnf_gamma"], p["lnf_beta"], eps=1e-5)
        return h @ p["W_out"] + p["b_out"]  # (N, T, V)

    def train(config, test):
        n_steps, n_digits, n_heads, n_layers = config["n_steps"], config["n_digits"], config["n_heads"], config["n_layers"]
        rng = np.random.default_rng(SEED)  # the same generator calls as ex16.train_digit_model: same weights, same batches
        init = ex16.init_model(n_layers, config["d_model"], config["d_ff"], max_len=2 * n_digits, random_state=rng)
        p = {name: torch.tensor(value, dtype=dtype, requires_grad=True) for name, value in init.items()}
        optimizer = torch.optim.Adam(p.values(), lr=config["lr"])
        exclude = test[:, :n_digits]
        for step in range(1, n_steps + 1):
            sequences = ex16.make_digit_task(config["batch_size"], n_digits, rng, config["task"], exclude)
            inputs, targets, loss_mask = (torch.from_numpy(a) for a in ex16.next_token_batch(sequences, n_digits))
            logits = forward(p, inputs, n_layers, n_heads)
            loss = functional.cross_entropy(logits[loss_mask], targets[loss_mask])
            optimizer.zero_grad()
            loss.backward()
            for group in optimizer.param_groups:
                group["lr"] = config["lr"] * 0.5 * (1 + math.cos(math.pi * (step - 1) / n_steps))
            optimizer.step()
        return p, loss.item()

    def accuracy(p, config, test):
        n_digits = config["n_digits"]
        with torch.no_grad():
            tokens = torch.from_numpy(test[:, : n_digits + 1])
            for _ in range(n_digits):
                next_token = forward(p, tokens, config["n_layers"], config["n_heads"])[:, -1].argmax(dim=-1)
                tokens = torch.cat([tokens, next_token[:, None]], dim=1)
        return float(np.mean(np.all(tokens[:, n_digits + 1 :].numpy() == test[:, n_digits + 1 :], axis=1)))

    return train, accuracy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed training runs per implementation")
    parser.add_argument("--steps", type=int, default=None, help="Adam steps (default: ex16's FULL_RUN, 1000)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS / PyTorch threads for both implementations")
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    threadpool_limits(args.threads)  # NumPy's BLAS is loaded already, so the limit applies to it

    ex16 = utils.load_exercise("06-intro-to-deep-learning/ex19_transformer.py", practice=False)
    config = dict(ex16.FULL_RUN)
    if args.steps is not None:
        config["n_steps"] = args.steps
    test = ex16.make_digit_task(N_TEST, config["n_digits"], np.random.default_rng(TEST_SEED), config["task"])

    results = {}
    seconds, (params, loss) = median_time(lambda: train_ours(ex16, config, test), repeats=args.repeats, warmup=0)
    accuracy, _ = ex16.exact_match_accuracy(params, test, config["n_digits"], config["n_heads"])
    threads = f"{args.threads} thread" + ("s" if args.threads != 1 else "")
    results[f"ours (NumPy, float64, {threads})"] = (seconds, loss, accuracy)
    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not installed: its rows are skipped.")
    if torch is not None:
        torch.set_num_threads(args.threads)
        for dtype, label in ((torch.float32, "float32"), (torch.float64, "float64")):
            train_torch, torch_accuracy = make_torch_trainer(torch, ex16, dtype)
            seconds, (params, loss) = median_time(lambda: train_torch(config, test), repeats=args.repeats, warmup=0)
            name = f"PyTorch {torch.__version__} ({label}, {threads})"
            results[name] = (seconds, loss, torch_accuracy(params, config, test))

    ours = next(iter(results.values()))[0]
    steps = config["n_steps"]
    rows = [[name, f"{1000 * s / steps:.1f}", f"{s:.1f}", f"{s / ours:.2f}x", f"{loss:.4f}", f"{accuracy:.1%}", "yes" if accuracy >= 0.99 and s <= 120 else "no"]
            for name, (s, loss, accuracy) in results.items()]
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Sort {config['n_digits']} digits: {config['n_layers']} pre-LN blocks, d_model {config['d_model']}, {config['n_heads']} heads, "
          f"MLP {config['d_ff']}; Adam lr {config['lr']} (cosine), batch {config['batch_size']}, {steps} steps; "
          f"{N_TEST} held-out strings; median of {args.repeats} runs")
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs{load}\n")
    print(format_table(["implementation", "ms per step", "training s", "time vs ours", "last loss", "held-out exact accuracy",
                        ">= 99% within 2 min"], rows))
    print(f"\nCommand: python benchmarks/bench_06_transformer.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}".rstrip())


if __name__ == "__main__":
    main()
