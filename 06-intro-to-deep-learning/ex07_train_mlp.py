"""
Exercise 07: training an MLP on handwritten digits

Learning goals
--------------
- Put the pieces together: the layers and loss of ex04 and the optimizers of module 05
  (now utils.nn and utils.optim) and a mini-batch loop, into a scikit-learn-style classifier.
- Add an L2 penalty (weight decay) to the loss and to its gradient; watch training and
  test loss and accuracy epoch by epoch.

The math
--------
X has shape (n_samples, 64) (8x8 images, pixels scaled to [0, 1]) and y holds
labels; classes_ are the sorted distinct labels and y is encoded as indices
0..K-1. With layer sizes (d_0 = 64, d_1, ..., d_L = K), the network computes
    H_0 = X,  H_l = relu(H_{l-1} W_l + b_l) for l < L,  scores = H_{L-1} W_L + b_L   (N, K)
and on a mini-batch B of size N minimises
    J = -1/N sum_{n in B} log softmax(scores_n)_{y_n}  +  alpha/2 sum_l ||W_l||^2
(biases are not penalised), so the penalty adds alpha W_l to dJ/dW_l. One epoch
shuffles the training set and takes one optimizer step per mini-batch.
(scikit-learn's MLPClassifier divides its penalty by the batch size: its alpha
equals ours times batch_size.)

Algorithm
---------
1. Initialise W_l with He scaling, N(0, 2 / d_{l-1}), and b_l = 0.
2. For each epoch: shuffle, split into mini-batches; for each batch run the
   forward pass, the loss, the backward pass and an Adam or SGD step.
3. After each epoch record the training (and, if given, validation) loss and accuracy.
4. predict_proba = softmax(scores); predict = classes_[argmax].

References: Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 6, 7.1 (L2) and 8.1-8.5 (mini-batches,
Adam); Y. LeCun et al., "Efficient BackProp" (1998); D. Kingma, J. Ba, "Adam: a method for stochastic
optimization", ICLR 2015; the digits: UCI "Optical Recognition of Handwritten Digits" (Alpaydin, Kaynak, 1998).
Difficulty: 2 of 3, about 40 minutes.
Run: python 06-intro-to-deep-learning/ex07_train_mlp.py
"""

# %%
import numpy as np

import utils
from utils import data, nn, plotting
from utils.base import BaseEstimator, ClassifierMixin
from utils.optim import SGD, Adam
from utils.timing import format_table
from utils.validation import check_fitted, check_option, check_positive_int, check_positive_number, check_X, check_X_y

# %% [markdown]
# ## Mini-batches


# %%
def iterate_minibatches(X, y, batch_size, rng):
    """Yield (X_batch, y_batch) pairs that cover every sample once, in a random order (the last may be smaller)."""
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples; got {len(X)} and {len(y)}")
    batch_size = check_positive_int(batch_size, "batch_size")
    # BEGIN SOLUTION
    # HINT 1: Shuffle indices once per call, then slice them into consecutive chunks and yield each chunk.
    # HINT 2: order = rng.permutation(n); batch k = order[k*batch_size : (k+1)*batch_size]
    # HINT 3: order = rng.permutation(len(X))
    # HINT 3: for start in range(0, len(X), batch_size):
    # HINT 3:     idx = order[start:start + batch_size]; yield X[idx], y[idx]
    order = rng.permutation(len(X))  # (n_samples,), a fresh order every epoch
    for start in range(0, len(X), int(batch_size)):
        batch = order[start : start + int(batch_size)]  # (batch_size,) or fewer at the end
        yield X[batch], y[batch]
    # END SOLUTION


# %% [markdown]
# ## The network: parameters, loss and gradients


# %%
def init_mlp(layer_sizes, rng):
    """He-initialised parameters {"W1", "b1", ..., "WL", "bL"} for layer sizes (d_0, ..., d_L)."""
    params = {}
    for l, (d_in, d_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params[f"W{l}"], params[f"b{l}"] = rng.standard_normal((d_in, d_out)) * np.sqrt(2.0 / d_in), np.zeros(d_out)  # (d_in, d_out), (d_out,)
    return params


def mlp_scores(params, X):
    """The class scores (N, K) of the ReLU network: no caches, for prediction."""
    n_layers, H = len(params) // 2, X  # H: (N, d_0)
    for l in range(1, n_layers):
        H = np.maximum(0.0, H @ params[f"W{l}"] + params[f"b{l}"])  # (N, d_l)
    return H @ params[f"W{n_layers}"] + params[f"b{n_layers}"]  # (N, K)


def mlp_loss(params, X, y, alpha=0.0):
    """The penalised loss J on a batch X (N, d_0), labels y (N,) in 0..K-1, and its gradients; returns (loss, grads).

    params holds W_l (d_{l-1}, d_l) and b_l (d_l,) for l = 1..L; grads is a dict like params.
    """
    alpha = check_positive_number(alpha, "alpha", allow_zero=True)
    n_layers = len(params) // 2
    # BEGIN SOLUTION
    # HINT 1: Loop the affine + ReLU layers forward, keeping caches; the last layer is affine only.
    # HINT 1: Then backprop in reverse with nn's backward functions, and add the L2 term to loss and weight grads.
    # HINT 2: loss = softmax_cross_entropy(scores, y) + 0.5 * alpha * sum_l ||W_l||^2
    # HINT 2: grads[W_l] = (backprop gradient) + alpha * params[W_l]
    # HINT 3: H = X; hidden layers l: Z, ca = affine_forward(H, W_l, b_l); H, cr = relu_forward(Z)
    # HINT 3: scores = affine_forward(H, W_L, b_L); loss, dscores = softmax_cross_entropy(...) + L2
    # HINT 3: backward: affine_backward last; then for l down to 1: relu_backward, affine_backward
    # HINT 3: add alpha * W_l to every dW_l; return float(loss), grads
    caches, H = [], X  # H: (N, d_0)
    for l in range(1, n_layers):
        Z, affine_cache = nn.affine_forward(H, params[f"W{l}"], params[f"b{l}"])  # (N, d_l)
        H, relu_cache = nn.relu_forward(Z)  # (N, d_l)
        caches.append((affine_cache, relu_cache))
    scores, last_cache = nn.affine_forward(H, params[f"W{n_layers}"], params[f"b{n_layers}"])  # (N, K)
    loss, dscores = nn.softmax_cross_entropy(scores, y)
    loss += 0.5 * alpha * sum(np.sum(params[f"W{l}"] ** 2) for l in range(1, n_layers + 1))

    grads = {}
    dH, grads[f"W{n_layers}"], grads[f"b{n_layers}"] = nn.affine_backward(dscores, last_cache)
    for l in range(n_layers - 1, 0, -1):
        affine_cache, relu_cache = caches[l - 1]
        dZ = nn.relu_backward(dH, relu_cache)
        dH, grads[f"W{l}"], grads[f"b{l}"] = nn.affine_backward(dZ, affine_cache)
    for l in range(1, n_layers + 1):
        grads[f"W{l}"] = grads[f"W{l}"] + alpha * params[f"W{l}"]  # d/dW of alpha/2 ||W||^2
    return float(loss), grads
    # END SOLUTION


# %% [markdown]
# ## The classifier


# %%
class MLPClassifier(ClassifierMixin, BaseEstimator):
    """A ReLU multi-layer perceptron with a softmax output, trained by mini-batch Adam or SGD.

    Parameters: hidden_layer_sizes (tuple of widths), learning_rate > 0, batch_size >= 1 (capped at
    n_samples), max_epochs >= 1, alpha >= 0 (the L2 penalty), solver "adam" or "sgd" (momentum 0.9),
    random_state (initial weights and shuffling).
    Attributes: classes_ (K,); coefs_ and intercepts_, the W_l (d_{l-1}, d_l) and b_l (d_l,); loss_curve_,
    the mean mini-batch J of each epoch; n_iter_; history_, only when fit gets validation data:
    "train_loss", "train_accuracy", "val_loss", "val_accuracy" per epoch (cross-entropy without the penalty).
    """

    def __init__(self, hidden_layer_sizes=(100,), learning_rate=1e-3, batch_size=32, max_epochs=30, alpha=1e-4,
                 solver="adam", random_state=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.alpha = alpha
        self.solver = solver
        self.random_state = random_state

    def _check_params(self):
        sizes = [check_positive_int(h, f"hidden_layer_sizes[{i}]") for i, h in enumerate(self.hidden_layer_sizes)]
        check_positive_int(self.batch_size, "batch_size")
        check_positive_int(self.max_epochs, "max_epochs")
        check_positive_number(self.learning_rate, "learning_rate")
        check_positive_number(self.alpha, "alpha", allow_zero=True)
        check_option(self.solver, "solver", ("adam", "sgd"))
        return sizes

    def _evaluate(self, params, X, y_idx):
        """(cross-entropy, accuracy) of the network on (X, class indices)."""
        scores = mlp_scores(params, X)  # (N, K)
        loss, _ = nn.softmax_cross_entropy(scores, y_idx)
        return float(loss), float(np.mean(np.argmax(scores, axis=1) == y_idx))

    def fit(self, X, y, X_val=None, y_val=None):
        """Train on (X, y); with (X_val, y_val) also record the curves in history_. Returns self."""
        hidden = self._check_params()
        X, y = check_X_y(X, y, classification=True)
        classes, y_idx = np.unique(y, return_inverse=True)  # y_idx: (n_samples,) in 0..K-1
        if len(classes) < 2:
            raise ValueError(f"y has 1 class {classes} in the {len(X)} sample(s) of X; MLPClassifier needs at least two classes")
        validation = None
        if X_val is not None:
            X_val, y_val = check_X_y(X_val, y_val)
            X_val = check_X(X_val, n_features=X.shape[1], owner="this MLPClassifier")
            unseen = np.setdiff1d(np.unique(y_val), classes)
            if len(unseen):
                raise ValueError(f"y_val has labels never seen in y: {unseen[:5]}")
            validation = (X_val, np.searchsorted(classes, y_val))  # labels -> indices
        rng = data.as_rng(self.random_state)
        params = init_mlp([X.shape[1], *hidden, len(classes)], rng)
        optimizer = Adam(lr=self.learning_rate) if self.solver == "adam" else SGD(lr=self.learning_rate, momentum=0.9)
        self.loss_curve_ = []
        self.history_ = {} if validation is None else {"train_loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}
        # BEGIN SOLUTION
        # HINT 1: Each epoch: walk the mini-batches, take an optimizer step on each, and record the mean loss.
        # HINT 1: With validation data, also record train and val loss/accuracy via self._evaluate.
        # HINT 2: epoch loss = sum over batches of loss * len(y_batch), divided by len(X)
        # HINT 3: for epoch in range(max_epochs): total = 0
        # HINT 3:     for Xb, yb in iterate_minibatches(X, y_idx, min(batch_size, len(X)), rng):
        # HINT 3:         loss, grads = mlp_loss(...); optimizer.step(...); total += loss * len(yb)
        # HINT 3:     loss_curve_.append(total / len(X)); with validation: append _evaluate results
        for _ in range(int(self.max_epochs)):
            total = 0.0
            for X_batch, y_batch in iterate_minibatches(X, y_idx, min(int(self.batch_size), len(X)), rng):
                loss, grads = mlp_loss(params, X_batch, y_batch, self.alpha)
                optimizer.step(params, grads)  # updates the arrays in params in place
                total += loss * len(y_batch)
            self.loss_curve_.append(total / len(X))
            if validation is not None:
                for prefix, (X_eval, y_eval) in (("train", (X, y_idx)), ("val", validation)):
                    loss, accuracy = self._evaluate(params, X_eval, y_eval)
                    self.history_[f"{prefix}_loss"].append(loss)
                    self.history_[f"{prefix}_accuracy"].append(accuracy)
        # END SOLUTION
        self.classes_, self.n_features_in_, self.n_iter_ = classes, X.shape[1], len(self.loss_curve_)
        self.coefs_ = [params[f"W{l}"] for l in range(1, len(params) // 2 + 1)]
        self.intercepts_ = [params[f"b{l}"] for l in range(1, len(params) // 2 + 1)]
        return self

    def predict_proba(self, X):
        """Class probabilities (n_samples, K), columns in the order of classes_."""
        check_fitted(self, "coefs_")
        X = check_X(X, n_features=self.n_features_in_, owner="this MLPClassifier")
        params = {f"{kind}{l}": p for l, (W, b) in enumerate(zip(self.coefs_, self.intercepts_), start=1)
                  for kind, p in (("W", W), ("b", b))}
        # BEGIN SOLUTION
        # HINT 1: Class probabilities are the softmax of the network's scores.
        # HINT 2: nn.softmax(mlp_scores(params, X)), shape (n_samples, K)
        return nn.softmax(mlp_scores(params, X))  # (n_samples, K)
        # END SOLUTION

    def predict(self, X):
        """The most probable label of each row, shape (n_samples,)."""
        proba = self.predict_proba(X)  # (n_samples, K), checks that fit was called
        return self.classes_[np.argmax(proba, axis=1)]


# %% [markdown]
# ## Demo


# %%
def load_digits_split(random_state=0):
    """Digits with pixels scaled to [0, 1], split 75/25 with stratification (fixed seed)."""
    X, y = data.load_digits()
    return data.train_test_split(X / 16.0, y, test_size=0.25, stratify=True, random_state=random_state)


def main():
    X_train, X_test, y_train, y_test = load_digits_split()
    epochs = 8 if utils.quick_mode() else 30
    model = MLPClassifier(hidden_layer_sizes=(128, 64), learning_rate=2e-3, batch_size=32, max_epochs=epochs,
                          alpha=1e-4, random_state=0)
    model.fit(X_train, y_train, X_test, y_test)
    h = model.history_
    print(f"Digits ({len(X_train)} training, {len(X_test)} test images), MLP 64 -> 128 -> 64 -> 10, Adam, batch 32:")
    rows = [[e + 1, f"{h['train_loss'][e]:.4f}", f"{h['val_loss'][e]:.4f}", f"{h['train_accuracy'][e]:.1%}",
             f"{h['val_accuracy'][e]:.1%}"] for e in sorted({0, epochs // 4, epochs // 2, epochs - 1})]
    print(format_table(["epoch", "train loss", "test loss", "train accuracy", "test accuracy"], rows))
    print(f"{np.sum(model.predict(X_test) != y_test)} of {len(y_test)} test digits misclassified")

    fig, ax = plotting.new_figure()
    plotting.plot_loss_curves(ax, {"train": h["train_loss"], "test": h["val_loss"]}, xlabel="epoch", ylabel="cross-entropy",
                              log_y=True, title=f"Training an MLP on the digits (test accuracy {model.score(X_test, y_test):.1%})")
    plotting.show_or_save(fig, "ex07_train_mlp")


if __name__ == "__main__":
    main()
