"""Benchmark: module 07's transformers against PyTorch and against their targets.

1. GPT (07-advanced-deep-learning/ex04_gpt.py, trained by ex05 with its FULL_RUN settings but 2000 steps): a
   character-level GPT on the course's docstrings (utils.text.course_text, 90% / 10% split).
   Validation loss (mean cross-entropy in nats per character over all non-overlapping
   windows of the validation text) against:
   - the bigram baseline (add-0.1 smoothed counts on the training text). Target: at least
     25% below it.
   - the same model in PyTorch (torch.nn.functional: embedding lookup, layer_norm,
     scaled_dot_product_attention with a causal mask, relu, tied output layer), started from
     exactly the same initial weights, fed exactly the same batches, with torch.optim.AdamW
     (weight decay on the matrices only, as ours), torch.nn.utils.clip_grad_norm_ and the same
     warm-up + cosine schedule; float32 (and float64 with --float64). Target: ours within 2% of it.
2. KV cache (ex06): greedy generation of 256 tokens after a 16-token prompt with ex04's
   architecture (block size 272), recomputing the whole context for every token against the
   cache. Target: at least 5x faster, identical tokens. Median of --repeats runs.
3. Seq2seq dates (ex07 trains, ex08 decodes): exact-sequence accuracy of greedy and beam
   decoding on held-out dates. Target: at least 99%.

Threads: both libraries use --threads threads (default 1).
Run: python benchmarks/bench_07_transformers.py [--only gpt|kv|seq2seq] [--steps 2000] [--repeats 3] [--threads 1]
     [--skip-torch] [--float64]
"""

import argparse
import os
import platform
import sys
import time

import numpy as np

import utils
from utils.text import bigram_cross_entropy, char_vocabulary, course_text, random_windows, train_val_split_text
from utils.timing import format_table, median_time


BENCH_STEPS = 2000  # ex05's FULL_RUN trains 600 steps (about a minute); the 25% target needs about 2000


def load_text():
    chars, ids = char_vocabulary(course_text())
    return (len(chars), *train_val_split_text(ids))


def make_torch_gpt(torch, gpt, training, dtype):
    """train(train_ids, vocab_size, config) -> params (dict of tensors), and val_loss(params, ids, config)."""
    functional = torch.nn.functional

    def forward(p, tokens, config):
        n, steps = tokens.shape
        dim, n_heads = config["d_model"], config["n_heads"]
        mask = torch.ones(steps, steps, dtype=torch.bool).tril()
        x = p["tok_emb"][tokens] + p["pos_emb"][:steps]
        for layer in range(config["n_layers"]):
            b = {name.split(".", 1)[1]: value for name, value in p.items() if name.startswith(f"block{layer}.")}
            h = functional.layer_norm(x, (dim,), b["ln1_gamma"], b["ln1_beta"], eps=1e-5)
            q, k, v = ((h @ b[f"W{c}"] + b[f"b{c}"]).view(n, steps, n_heads, -1).transpose(1, 2) for c in "qkv")
            heads = functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
            x = x + heads.transpose(1, 2).reshape(n, steps, dim) @ b["Wo"] + b["bo"]
            h = functional.layer_norm(x, (dim,), b["ln2_gamma"], b["ln2_beta"], eps=1e-5)
            x = x + functional.relu(h @ b["W1"] + b["b1"]) @ b["W2"] + b["b2"]
        h = functional.layer_norm(x, (dim,), p["lnf_gamma"], p["lnf_beta"], eps=1e-5)
        return h @ p["tok_emb"].T  # tied output layer

    def train(train_ids, vocab_size, config):
        rng = np.random.default_rng(config["seed"])  # the same generator calls as training.train_gpt
        init = gpt.init_gpt(vocab_size, config["block_size"], config["n_layers"], config["d_model"], config["d_ff"], rng)
        p = {name: torch.tensor(value, dtype=dtype, requires_grad=True) for name, value in init.items()}
        groups = [{"params": [v for v in p.values() if v.ndim >= 2], "weight_decay": config["weight_decay"]},
                  {"params": [v for v in p.values() if v.ndim < 2], "weight_decay": 0.0}]
        optimizer = torch.optim.AdamW(groups, lr=config["lr"], betas=(0.9, 0.99), eps=1e-8)
        for step in range(config["n_steps"]):
            inputs, targets = (torch.from_numpy(a) for a in random_windows(train_ids, config["batch_size"], config["block_size"], rng))
            logits = forward(p, inputs, config)
            loss = functional.cross_entropy(logits.reshape(-1, vocab_size), targets.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(p.values()), config["clip"])
            for group in optimizer.param_groups:
                group["lr"] = training.learning_rate(step + 1, config)
            optimizer.step()
        return p

    def val_loss(p, ids, config):
        block = config["block_size"]
        n_windows = (len(ids) - 1) // block
        windows = torch.from_numpy(ids[np.arange(n_windows)[:, None] * block + np.arange(block + 1)])
        with torch.no_grad():
            logits = forward(p, windows[:, :-1], config)
            return float(functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), windows[:, 1:].reshape(-1)))

    return train, val_loss


def bench_gpt(args, torch):
    gpt = utils.load_exercise("07-advanced-deep-learning/ex04_gpt.py", practice=False)
    training = utils.load_exercise("07-advanced-deep-learning/ex05_gpt_training_sampling.py", practice=False)
    config = dict(training.FULL_RUN)
    if args.steps:
        config["n_steps"] = args.steps
    vocab_size, train_ids, val_ids = load_text()
    bigram = bigram_cross_entropy(train_ids, val_ids, vocab_size)
    start, cpu = time.perf_counter(), time.process_time()
    params, _ = training.train_gpt(train_ids, vocab_size, config)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    ours = gpt.evaluate_loss(params, val_ids, config["n_heads"])
    rows = [["bigram counts", "-", "-", f"{bigram:.4f}", "-", "-"],
            ["ours (NumPy, float64)", f"{seconds:.0f}", f"{cpu:.0f}", f"{ours:.4f}", f"{1 - ours / bigram:.1%}", "-"]]
    if torch is not None:
        for dtype, label in ((torch.float32, "float32"), (torch.float64, "float64"))[: 2 if args.float64 else 1]:
            train, val_loss = make_torch_gpt(torch, gpt, training, dtype)
            start, cpu = time.perf_counter(), time.process_time()
            p = train(train_ids, vocab_size, config)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            loss = val_loss(p, val_ids, config)
            rows.append([f"PyTorch {torch.__version__} ({label})", f"{seconds:.0f}", f"{cpu:.0f}", f"{loss:.4f}", f"{1 - loss / bigram:.1%}",
                         f"{ours / loss - 1:+.2%}"])
    print(f"GPT on the course's docstrings: {config['n_layers']} blocks, D {config['d_model']}, {config['n_heads']} heads, "
          f"MLP {config['d_ff']}, context {config['block_size']}, batch {config['batch_size']}, {config['n_steps']} AdamW steps, "
          f"lr {config['lr']} (warm-up {config['warmup_steps']}, cosine to lr / 10), weight decay {config['weight_decay']}, "
          f"clip {config['clip']}; {len(train_ids):,} / {len(val_ids):,} characters, V = {vocab_size}")
    print(format_table(["model", "training s (wall)", "CPU s", "validation loss", "below bigram", "ours vs this"], rows))
    return ours, bigram


def bench_kv_cache(args):
    gpt = utils.load_exercise("07-advanced-deep-learning/ex04_gpt.py", practice=False)
    training = utils.load_exercise("07-advanced-deep-learning/ex05_gpt_training_sampling.py", practice=False)
    kv_cache = utils.load_exercise("07-advanced-deep-learning/ex06_kv_cache.py", practice=False)
    config = dict(training.FULL_RUN)
    n_new, prompt_len = 256, 16
    params = gpt.init_gpt(95, prompt_len + n_new, config["n_layers"], config["d_model"], config["d_ff"], random_state=0)
    prompt = list(np.random.default_rng(0).integers(0, 95, size=prompt_len))
    results = {}
    for name, generate in (("recompute every step", kv_cache.generate_recomputing), ("KV cache", kv_cache.generate_cached)):
        seconds, tokens = median_time(lambda: generate(params, prompt, n_new, config["n_heads"], np.random.default_rng(1), top_k=1),
                                      repeats=args.repeats, warmup=0)
        results[name] = (seconds, tokens)
    (t_full, tok_full), (t_cache, tok_cache) = results.values()
    rows = [[name, f"{s:.3f}", f"{1000 * s / n_new:.2f}", f"{t_full / s:.1f}x"] for name, (s, _) in results.items()]
    print(f"\nKV cache: greedy generation of {n_new} tokens after a {prompt_len}-token prompt, ex04's architecture "
          f"(block size {prompt_len + n_new}), median of {args.repeats}")
    print(format_table(["method", "seconds", "ms per token", "speed-up"], rows))
    print(f"Identical tokens: {tok_full == tok_cache}")
    return t_full / t_cache, tok_full == tok_cache


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=BENCH_STEPS, help=f"GPT AdamW steps (default {BENCH_STEPS})")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each generation")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--skip-torch", action="store_true", help="leave out the PyTorch rows")
    parser.add_argument("--float64", action="store_true", help="also train the PyTorch GPT in float64 (slow)")
    parser.add_argument("--only", choices=("gpt", "kv", "seq2seq"), default=None)
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_limits

    threadpool_limits(args.threads)
    torch = None
    if not args.skip_torch:
        try:
            import torch

            torch.set_num_threads(args.threads)
        except ImportError:
            print("PyTorch is not installed: its rows are skipped.")
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs{load}\n")
    if args.only in (None, "gpt"):
        bench_gpt(args, torch)
    if args.only in (None, "kv"):
        bench_kv_cache(args)
    if args.only in (None, "seq2seq") and (utils.REPO_ROOT / "07-advanced-deep-learning/ex07_seq2seq_transformer.py").exists():
        bench_seq2seq(args)
    print(f"\nCommand: python benchmarks/bench_07_transformers.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}".rstrip())


def bench_seq2seq(args):
    seq2seq = utils.load_exercise("07-advanced-deep-learning/ex07_seq2seq_transformer.py", practice=False)
    beam = utils.load_exercise("07-advanced-deep-learning/ex08_beam_search.py", practice=False)
    print(f"\nSeq2seq dates (ex07 FULL_RUN: 2 + 2 blocks, D 32, 4 heads; Adam 3e-3 with cosine decay): target >= 99%")
    start = time.perf_counter()
    config = dict(seq2seq.FULL_RUN)
    params, _ = seq2seq.train(**config, log_every=config["n_steps"] // 5)
    src, tgt = seq2seq.encode_dates(*seq2seq.make_dates(1000, np.random.default_rng(123), split="test"))  # held-out days
    rows = [[name, f"{beam.exact_accuracy(decode(params, src, config['n_heads']), tgt):.1%}"]
            for name, decode in (("greedy", beam.greedy_decode), ("beam, width 3", beam.beam_decode))]
    print(f"{config['n_steps']} Adam steps of {config['batch_size']} dates; {len(tgt)} held-out days (never trained on)")
    print(format_table(["decoding", "exact-sequence accuracy"], rows))
    print(f"Training and decoding: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
