"""
Exercise 09: learning-rate schedules and the learning-rate range test

Learning goals
--------------
- Write the common schedules as plain functions of the step: step decay, exponential decay, linear decay
  and cosine annealing, each with an optional linear warm-up.
- Find a good learning rate before training with Smith's range test: raise the rate exponentially for a
  few hundred mini-batch steps, watch the loss, and pick a rate an order of magnitude below where it blows up.
- Train a softmax regression on the digits with a constant rate and with warm-up plus cosine decay, with
  ex08's SGD from utils.optim (we set optimizer.lr before every step).

The math
--------
t = 0, 1, 2, ... is the step, lr0 the base rate, T the number of steps of a schedule.
    step decay:         lr(t) = lr0 * gamma^floor(t / step_size)
    exponential decay:  lr(t) = lr0 * gamma^t
    linear decay:       lr(t) = lr0 + (lr_end - lr0) * min(t, T) / T
    cosine annealing:   lr(t) = lr_min + (lr0 - lr_min) * (1 + cos(pi * min(t, T) / T)) / 2
Linear warm-up over W steps from lr_start, then any schedule s counted from the end of the warm-up:
    lr(t) = lr_start + (lr0 - lr_start) * t / W   for t < W,      lr(t) = s(t - W)   for t >= W,
so lr(0) = lr_start and lr(W) = s(0) = lr0.

The range test uses N steps with a geometric sequence of rates from lr_min to lr_max:
    lr_k = lr_min * (lr_max / lr_min)^(k / (N - 1)),    k = 0..N-1,
so lr_{k+1} / lr_k is the same for every k. The raw mini-batch loss is noisy; we follow an exponential
moving average with bias correction (as in Adam, ex08),
    m_k = beta m_{k-1} + (1 - beta) loss_k,   smoothed_k = m_k / (1 - beta^(k+1)),
stop once smoothed_k exceeds 4 times its minimum (divergence), and suggest
    lr = (the rate at which the loss diverged) / 10,
an order of magnitude below the divergence point.

Algorithm
---------
1. Schedules: vectorised NumPy formulas of t; warm-up wraps any of them.
2. Range test: for each k set optimizer.lr = lr_k, compute the loss and gradients on the next
   mini-batch, update the smoothed loss, stop on divergence, step.
3. Train from the same initial weights with the rate held constant, cut by 10 after two thirds of the
   steps, and warm-up + cosine decay to 0; compare at the suggested peak rate and at twice it.

References: L. N. Smith, "Cyclical learning rates for training neural networks", WACV 2017 (the range
test); I. Loshchilov, F. Hutter, "SGDR: stochastic gradient descent with warm restarts", ICLR 2017
(cosine annealing); P. Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1 hour", 2017
(warm-up); I. Goodfellow, Y. Bengio, A. Courville, Deep Learning, 2016, ch. 8.3.1.
Difficulty: 1 of 3, about 25 minutes.
Run: python 05-model-optimization/ex09_learning_rate_schedules.py
"""

# %%
import numpy as np

import utils
from utils import data, nn, optim, plotting
from utils.validation import check_non_negative_int, check_positive_int

# %% [markdown]
# ## Schedules: the learning rate as a function of the step


# %%
def _check_steps(step):
    step = np.asarray(step)
    if not np.issubdtype(step.dtype, np.integer) or np.any(step < 0):
        raise ValueError(f"step must be a non-negative integer (or an array of them); got {step!r}")
    return step


def step_decay(step, base_lr, step_size, gamma=0.1):
    """lr0 * gamma^floor(t / step_size): multiply by gamma every step_size steps."""
    step = _check_steps(step)
    step_size = check_positive_int(step_size, "step_size")
    # BEGIN SOLUTION
    # HINT 1: The rate drops by a factor gamma after every step_size steps (integer division).
    # HINT 2: base_lr * gamma ** (step // step_size)
    return base_lr * gamma ** (step // step_size)
    # END SOLUTION


def exponential_decay(step, base_lr, gamma):
    """lr0 * gamma^t: multiply by gamma every step."""
    step = _check_steps(step)
    # BEGIN SOLUTION
    # HINT 1: Multiply by gamma every step; use a float exponent (step is an integer array).
    # HINT 2: base_lr * gamma ** step.astype(float)
    return base_lr * gamma ** step.astype(float)  # float power: gamma^t for large t underflows gently to 0
    # END SOLUTION


def linear_decay(step, base_lr, total_steps, end_lr=0.0):
    """From lr0 at t = 0 in a straight line to end_lr at t = total_steps, then flat."""
    step, total_steps = _check_steps(step), check_positive_int(total_steps, "total_steps")
    # BEGIN SOLUTION
    # HINT 1: Interpolate linearly from base_lr to end_lr over total_steps, then hold end_lr.
    # HINT 2: progress = min(step, total_steps) / total_steps; lr = base_lr + (end_lr - base_lr) * progress
    progress = np.minimum(step, total_steps) / total_steps  # in [0, 1]
    return base_lr + (end_lr - base_lr) * progress
    # END SOLUTION


def cosine_decay(step, base_lr, total_steps, min_lr=0.0):
    """Half a cosine from lr0 at t = 0 down to min_lr at t = total_steps, then flat."""
    step, total_steps = _check_steps(step), check_positive_int(total_steps, "total_steps")
    # BEGIN SOLUTION
    # HINT 1: Half a cosine period from base_lr down to min_lr, then hold min_lr.
    # HINT 2: lr = min_lr + 0.5 (base_lr - min_lr)(1 + cos(pi * min(step, T) / T))
    progress = np.minimum(step, total_steps) / total_steps  # in [0, 1]
    return min_lr + 0.5 * (base_lr - min_lr) * (1.0 + np.cos(np.pi * progress))
    # END SOLUTION


def with_warmup(step, schedule, warmup_steps, start_lr=0.0, **schedule_args):
    """A linear warm-up from start_lr to schedule_args["base_lr"] over warmup_steps, then ``schedule``, whose
    clock starts there: lr(warmup_steps) = schedule(0). E.g. with_warmup(t, cosine_decay, 100, base_lr=0.1, total_steps=900)."""
    step, warmup_steps = _check_steps(step), check_non_negative_int(warmup_steps, "warmup_steps")
    if "base_lr" not in schedule_args:
        raise ValueError("with_warmup needs the schedule's base_lr (the rate the warm-up climbs to)")
    # BEGIN SOLUTION
    # HINT 1: A linear ramp for the first warmup_steps, then the schedule shifted to start at warmup_steps.
    # HINT 2: ramp = start_lr + (base_lr - start_lr) * min(step, W) / W; after = schedule(max(step - W, 0))
    # HINT 3: after = schedule(np.maximum(step - warmup_steps, 0), **schedule_args)
    # HINT 3: if warmup_steps == 0: return after
    # HINT 3: ramp = ...; return np.where(step < warmup_steps, ramp, after)
    after = schedule(np.maximum(step - warmup_steps, 0), **schedule_args)  # the schedule, started at W
    if warmup_steps == 0:
        return after
    ramp = start_lr + (schedule_args["base_lr"] - start_lr) * np.minimum(step, warmup_steps) / warmup_steps
    return np.where(step < warmup_steps, ramp, after)
    # END SOLUTION


# %% [markdown]
# ## The learning-rate range test


# %%
def range_test_rates(min_lr, max_lr, n_steps):
    """The geometric sequence lr_k = min_lr (max_lr / min_lr)^(k / (n_steps - 1)), shape (n_steps,)."""
    if not 0 < min_lr < max_lr or n_steps < 2:
        raise ValueError(f"need 0 < min_lr < max_lr and n_steps >= 2; got {min_lr!r}, {max_lr!r}, {n_steps!r}")
    # BEGIN SOLUTION
    # HINT 1: Geometric spacing: equal ratios between consecutive rates, from min_lr to max_lr.
    # HINT 2: min_lr * (max_lr / min_lr) ** (arange(n_steps) / (n_steps - 1))
    return min_lr * (max_lr / min_lr) ** (np.arange(n_steps) / (n_steps - 1))  # (n_steps,)
    # END SOLUTION


def lr_range_test(loss_and_grads, params, optimizer, min_lr=1e-5, max_lr=10.0, n_steps=200, beta=0.9, diverge_factor=4.0):
    """Smith's range test: one mini-batch step of loss_and_grads(params) -> (loss, grads) per rate, rates rising
    geometrically, params trained in place, optimizer.lr overwritten every step; stops once the smoothed loss
    (beta) exceeds diverge_factor times its minimum. Returns {"lr", "loss", "smoothed"} (one entry per step
    taken) and "diverged" (stopped early: the last rate is the divergence point)."""
    rates = range_test_rates(min_lr, max_lr, n_steps)
    # BEGIN SOLUTION
    # HINT 1: Raise the rate each step, train one step at it, and watch a smoothed loss; stop
    # HINT 1: early once it blows up (not finite, or diverge_factor times the best so far).
    # HINT 2: avg = beta avg + (1 - beta) loss; smoothed_k = avg / (1 - beta^(k+1))
    # HINT 3: for k, lr in enumerate(rates): optimizer.lr = lr; loss, grads = loss_and_grads(params)
    # HINT 3:     losses.append(loss); smoothed.append(bias-corrected running average)
    # HINT 3:     break if not finite or > diverge_factor * best; best = min(...); optimizer.step
    # HINT 3: return dict(lr=rates[:n], loss, smoothed, diverged=n < n_steps or last loss not finite)
    losses, smoothed, average, best = [], [], 0.0, np.inf
    for k, lr in enumerate(rates):
        optimizer.lr = lr
        loss, grads = loss_and_grads(params)
        losses.append(loss)
        average = beta * average + (1 - beta) * loss
        smoothed.append(average / (1 - beta ** (k + 1)))  # bias correction: the average starts at 0
        if not np.isfinite(smoothed[-1]) or smoothed[-1] > diverge_factor * best:
            break
        best = min(best, smoothed[-1])
        optimizer.step(params, grads)
    n = len(losses)
    return {"lr": rates[:n], "loss": np.array(losses), "smoothed": np.array(smoothed), "diverged": n < n_steps or not np.isfinite(losses[-1])}
    # END SOLUTION


def suggest_lr(result):
    """An order of magnitude below the divergence point: the rate where the test stopped, / 10."""
    if not result["diverged"]:
        raise ValueError("the loss never diverged: run the range test again with a larger max_lr")
    return float(result["lr"][-1] / 10.0)


# %% [markdown]
# ## Training with a schedule


# %%
def minibatches(X, y, batch_size, rng):
    """An endless stream of shuffled mini-batches (a new permutation every epoch)."""
    while True:
        order = rng.permutation(len(X))
        for start in range(0, len(X) - batch_size + 1, batch_size):  # full batches only
            yield X[order[start : start + batch_size]], y[order[start : start + batch_size]]


def softmax_regression_loss(params, X, y):
    """Mean softmax cross-entropy of the scores X @ W + b, and its gradients (the model we train, utils.nn)."""
    scores, cache = nn.affine_forward(X, params["W"], params["b"])  # (N, C)
    loss, dscores = nn.softmax_cross_entropy(scores, y)  # stable log-softmax inside
    _, dW, db = nn.affine_backward(dscores, cache)
    return loss, {"W": dW, "b": db}


def train(params, optimizer, batches, schedule, n_steps):
    """n_steps mini-batch steps with optimizer.lr = schedule(t); returns the training losses."""
    losses = np.empty(n_steps)
    for t in range(n_steps):
        optimizer.lr = float(schedule(t))
        X_batch, y_batch = next(batches)
        losses[t], grads = softmax_regression_loss(params, X_batch, y_batch)
        optimizer.step(params, grads)
    return losses


# %% [markdown]
# ## Demo: digits with softmax regression and SGD with momentum


# %%
def main():
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    initial = {"W": np.random.default_rng(0).normal(0.0, 0.01, (64, 10)), "b": np.zeros(10)}  # small random start

    # 1. The range test, on a copy of the initial weights.
    params = {name: value.copy() for name, value in initial.items()}
    batches = minibatches(X_train, y_train, 32, np.random.default_rng(1))
    result = lr_range_test(lambda p: softmax_regression_loss(p, *next(batches)), params, optim.SGD(lr=1e-5, momentum=0.9),
                           min_lr=1e-4, max_lr=10.0, n_steps=200)
    lr = suggest_lr(result)
    print(f"Range test: divergence after {len(result['lr'])} steps at lr = {result['lr'][-1]:.3g}; suggested lr = {lr:.3g}")

    # 2. Train from the same start with three schedules, at the suggested peak rate and at twice it.
    n_steps = 400 if utils.quick_mode() else 1200
    warmup = n_steps // 10
    print(f"\n{n_steps} steps of SGD with momentum 0.9, 32 samples per batch")
    print(f"{'peak lr':>8}  {'schedule':<26} {'train loss (last 50)':>21} {'test accuracy':>14}")
    for peak in [lr, 2 * lr]:
        schedules = {"constant": lambda t: peak,  # used within this iteration only, so peak is this one
                     "step decay (x0.1 at 2/3)": lambda t: step_decay(t, peak, step_size=2 * n_steps // 3),
                     "warm-up + cosine": lambda t: with_warmup(t, cosine_decay, warmup, base_lr=peak, total_steps=n_steps - warmup)}
        for name, schedule in schedules.items():
            params = {k: v.copy() for k, v in initial.items()}
            batches = minibatches(X_train, y_train, 32, np.random.default_rng(2))
            losses = train(params, optim.SGD(lr=peak, momentum=0.9), batches, schedule, n_steps)
            accuracy = np.mean(np.argmax(X_test @ params["W"] + params["b"], axis=1) == y_test)
            print(f"{peak:>8.3g}  {name:<26} {losses[-50:].mean():>21.4f} {accuracy:>14.1%}")

    fig, axes = plotting.new_figure(1, 2, width=5.2, height=4.0)
    t = np.arange(1000)
    axes[0].plot(t, step_decay(t, 0.1, step_size=300, gamma=0.3), label="step decay (x0.3 every 300)")
    axes[0].plot(t, exponential_decay(t, 0.1, gamma=0.997), label="exponential (gamma = 0.997)")
    axes[0].plot(t, linear_decay(t, 0.1, total_steps=1000), label="linear to 0")
    axes[0].plot(t, with_warmup(t, cosine_decay, 100, base_lr=0.1, total_steps=900, min_lr=0.005), label="warm-up 100 + cosine")
    axes[0].set(xlabel="step t", ylabel="learning rate", title="Schedules with base rate 0.1")
    axes[0].legend(loc="upper right", fontsize=8)

    axes[1].plot(result["lr"], result["loss"], color="lightgrey", linewidth=0.8, label="mini-batch loss")
    axes[1].plot(result["lr"], result["smoothed"], label="smoothed")
    axes[1].axvline(result["lr"][-1], color="grey", linestyle=":", label=f"diverged: {result['lr'][-1]:.2g}")
    axes[1].axvline(lr, color="black", linestyle="--", label=f"suggested lr: {lr:.2g}")
    axes[1].set(xscale="log", ylim=(0, 1.2 * result["smoothed"][0] + 0.5), xlabel="learning rate (log scale)", ylabel="training loss",
                title="Range test: SGD + momentum, 32 per batch")
    axes[1].legend(loc="upper left", fontsize=8)
    plotting.show_or_save(fig, "ex09_learning_rate_schedules")


if __name__ == "__main__":
    main()
