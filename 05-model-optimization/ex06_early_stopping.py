"""
Exercise 06: early stopping on a validation set

Learning goals
--------------
- Watch a network that is too flexible for its data overfit: the training loss keeps falling while the
  validation loss turns and climbs.
- Write an EarlyStopping monitor with patience and min_delta that stops the training and restores the
  weights of the best epoch (a copy, not a reference).
- See early stopping as regularisation: the restored network has a smoother decision boundary than the
  one trained to the end.

The math
--------
Training minimises the training loss L_train(theta); what we want is a low loss on new data, estimated by
the loss L_val(theta_t) on a held-out validation set after each epoch t = 0, 1, 2, ... Early stopping keeps
    t* = argmin_t L_val(theta_t)    and returns theta_{t*}.
We cannot know that t* is the minimum until later epochs fail to beat it, so: an epoch improves when
L_val(theta_t) < best - min_delta; after `patience` epochs in a row without improvement we stop, at epoch
t* + patience (patience 0 and 1 both stop at the first epoch that does not improve, as in Keras).
For a linear model trained by gradient descent from zero, stopping early acts much like an L2 penalty
(ex04): fewer steps, smaller weights.

The model: logistic regression on 200 random ReLU features phi(x) = max(0, x R + c) (R (2, 200) and
c (200,) drawn once and then frozen, each feature standardised), that is a two-layer network whose first
layer stays at its random start. Full-batch gradient descent on 80 noisy two-moons points (validated on
400) fits the noise after a few dozen epochs.

Algorithm
---------
1. best = +inf, wait = 0.
2. After each epoch compute L_val. If it improves: best = L_val, remember the epoch and a COPY of every
   weight array, wait = 0. Otherwise wait += 1.
3. Stop when wait reaches max(patience, 1); finally write the remembered weights back into the model's
   arrays (in place).

References: L. Prechelt, "Early stopping - but when?", in Neural Networks: Tricks of the Trade, 1998;
I. Goodfellow, Y. Bengio, A. Courville, Deep Learning, 2016, ch. 7.8 (early stopping as L2
regularisation); Keras documentation, "EarlyStopping".
Difficulty: 1 of 3, about 25 minutes.
Run: python 05-model-optimization/ex06_early_stopping.py
"""

# %%
import numpy as np

from utils import data, plotting, quick_mode
from utils.validation import as_float_array, check_non_negative_int, check_positive_int, check_positive_number

# %% [markdown]
# ## The monitor


# %%
class EarlyStopping:
    """Stop when the validation loss has not improved (by more than min_delta >= 0) for ``patience`` >= 0
    epochs (0 behaves like 1); restore_best_weights writes the best epoch's weights back at the end.
    Attributes: best_loss_, best_epoch_, best_params_ (copies of the weights at best_epoch_), wait_
    (epochs since the last improvement), stopped_epoch_ (where step() returned True, or None)."""

    def __init__(self, patience=10, min_delta=0.0, restore_best_weights=True):
        check_non_negative_int(patience, "patience")
        check_positive_number(min_delta, "min_delta", allow_zero=True)
        self.patience, self.min_delta, self.restore_best_weights = patience, min_delta, restore_best_weights
        self.reset()

    def reset(self):  # forget everything seen so far (fit calls it before a new training run)
        self.best_loss_, self.best_epoch_, self.best_params_ = np.inf, None, None
        self.wait_, self.stopped_epoch_ = 0, None

    def step(self, epoch, val_loss, params):
        """Record epoch's validation loss and params (the model's dict of weight arrays); True: stop.
        A NaN or infinite loss never counts as an improvement."""
        # BEGIN SOLUTION
        # HINT 1: An improvement must beat the best loss by more than min_delta;
        # HINT 1: then save COPIES of params and reset the patience counter.
        # HINT 1: Otherwise count; stop when the count reaches patience.
        # HINT 2: improved = isfinite(val_loss) and val_loss < best_loss_ - min_delta
        # HINT 3: if improved: best_loss_, best_epoch_, wait_ = val_loss, epoch, 0; save copies; False
        # HINT 3: wait_ += 1
        # HINT 3: if wait_ >= max(patience, 1): stopped_epoch_ = epoch; return True
        # HINT 3: return False
        if np.isfinite(val_loss) and val_loss < self.best_loss_ - self.min_delta:
            self.best_loss_, self.best_epoch_, self.wait_ = float(val_loss), epoch, 0
            # Copies: the optimizer changes the arrays in place, so references would follow it.
            self.best_params_ = {name: value.copy() for name, value in params.items()}
            return False
        self.wait_ += 1
        if self.wait_ >= max(self.patience, 1):
            self.stopped_epoch_ = epoch
            return True
        return False
        # END SOLUTION

    def restore(self, params):  # write the best weights back into the arrays of params (in place)
        if self.best_params_ is None:
            raise RuntimeError("no epoch has been recorded yet: call step() first")
        # BEGIN SOLUTION
        # HINT 1: Write the saved values INTO the existing arrays, so every reference sees them.
        # HINT 2: params[name][...] = value
        for name, value in self.best_params_.items():
            params[name][...] = value  # in place: every reference to the array sees the best weights
        # END SOLUTION


def fit(params, train_step, validation_loss, max_epochs, early_stopping=None):
    """Train params (a dict of weight arrays, updated in place) for at most max_epochs epochs of
    train_step(params) -> training loss, with validation_loss(params) after each and an optional
    EarlyStopping; returns {"train": [...], "validation": [...]}, one entry per epoch that ran."""
    max_epochs = check_positive_int(max_epochs, "max_epochs")
    history = {"train": [], "validation": []}
    if early_stopping is not None:
        early_stopping.reset()
    # BEGIN SOLUTION
    # HINT 1: Each epoch: one training pass, one validation loss; ask the callback whether to stop.
    # HINT 2: history["train"].append(train_step(params)); history["validation"].append(validation_loss(params))
    # HINT 3: for epoch in range(max_epochs): record both losses
    # HINT 3:     if early_stopping and early_stopping.step(epoch, last val loss, params): break
    # HINT 3: if early_stopping and restore_best_weights: early_stopping.restore(params)
    for epoch in range(int(max_epochs)):
        history["train"].append(float(train_step(params)))
        history["validation"].append(float(validation_loss(params)))
        if early_stopping is not None and early_stopping.step(epoch, history["validation"][-1], params):
            break
    if early_stopping is not None and early_stopping.restore_best_weights:
        early_stopping.restore(params)  # also when training ran to max_epochs: the best epoch may be earlier
    # END SOLUTION
    return history


# %% [markdown]
# ## A model that can overfit, and the demo


# %%
def random_relu_features(X_train, n_features, rng):
    """phi(X) = max(0, X R + c), standardised with the training statistics; returns the map phi."""
    X_train = as_float_array(X_train, "X_train", ndim=2, finite=True, allow_empty=False)  # (n_samples, n_features_in)
    n_features, rng = check_positive_int(n_features, "n_features"), data.as_rng(rng)
    R = rng.standard_normal((X_train.shape[1], n_features))  # (n_features_in, n_features)
    c = rng.uniform(-2.0, 2.0, n_features)  # (n_features,), kinks spread over the data
    raw = lambda X: np.maximum(0.0, X @ R + c)  # noqa: E731  (n_samples, n_features)
    mean, std = raw(X_train).mean(axis=0), raw(X_train).std(axis=0) + 1e-12  # +1e-12: a feature may be 0 everywhere
    return lambda X: (raw(X) - mean) / std


def logistic_loss(params, F, y):
    z = F @ params["w"] + params["b"]  # (n_samples,); mean binary cross-entropy, log(1 + e^z) finite for any z
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def make_train_step(F, y, lr):
    """One full-batch gradient-descent epoch on the logistic loss, updating params IN PLACE."""

    def train_step(params):
        loss, z = logistic_loss(params, F, y), F @ params["w"] + params["b"]  # z: (n_samples,)
        error = (0.5 * (1.0 + np.tanh(z / 2.0)) - y) / len(y)  # sigmoid(z) - y, via tanh: no overflow
        params["w"] -= lr * (F.T @ error)  # (n_features,)
        params["b"] -= lr * error.sum()
        return loss

    return train_step


def predict(params, F):  # class 1 where the score is positive
    return (F @ params["w"] + params["b"] > 0).astype(int)


def main():
    X, y = data.make_moons(n_samples=480, noise=0.4, random_state=1)
    X_train, y_train, X_val, y_val = X[:80], y[:80], X[80:], y[80:]  # make_moons shuffles: a random split
    phi = random_relu_features(X_train, 200, np.random.default_rng(0))
    F_train, F_val = phi(X_train), phi(X_val)  # (80, 200), (400, 200)
    monitor, runs = EarlyStopping(patience=50), {}
    print(f"{'run':<18} {'epochs run':>10} {'weights after':>14} {'val loss':>9} {'val acc':>8} {'train acc':>10}")
    for name, stopper in [("early stopping", monitor), ("no early stopping", None)]:
        params = {"w": np.zeros(F_train.shape[1]), "b": np.zeros(1)}  # the same start for both runs
        history = fit(params, make_train_step(F_train, y_train, lr=0.1), lambda p: logistic_loss(p, F_val, y_val),
                      1000 if quick_mode() else 3000, stopper)
        runs[name] = params, history, np.mean(predict(params, F_val) == y_val)
        kept = stopper.best_epoch_ + 1 if stopper else len(history["validation"])  # epochs are counted from 0
        print(f"{name:<18} {len(history['validation']):>10} {f'{kept} epochs':>14} {logistic_loss(params, F_val, y_val):>9.3f} "
              f"{runs[name][2]:>8.1%} {np.mean(predict(params, F_train) == y_train):>10.1%}")

    fig, axes = plotting.new_figure(1, 3, width=4.8, height=4.0)
    plotting.plot_loss_curves(axes[0], {"training": history["train"], "validation": history["validation"]},  # the full run's
                              xlabel="epochs trained", ylabel="cross-entropy", log_y=True, title="Training keeps improving; validation turns")
    # plot_loss_curves puts the loss after the k-th epoch at x = k, so epoch index t sits at t + 1.
    axes[0].axvline(monitor.stopped_epoch_ + 1, color="grey", linestyle="--", label=f"stopped after {monitor.stopped_epoch_ + 1} epochs (patience 50)")
    axes[0].plot(monitor.best_epoch_ + 1, monitor.best_loss_, marker="*", markersize=14, color="black", linestyle="none",
                 label=f"best, after {monitor.best_epoch_ + 1} epochs: restored")
    axes[0].legend(loc="lower left")
    for ax, (name, (params, _, acc)) in zip(axes[1:], runs.items()):
        plotting.plot_decision_boundary(ax, lambda G, p=params: predict(p, phi(G)), X_train, y_train,
                                        title=f"{name}: validation accuracy {acc:.0%}")
    plotting.show_or_save(fig, "ex06_early_stopping")


if __name__ == "__main__":
    main()
