"""
Exercise 01: the perceptron and Rosenblatt's learning rule

Learning goals
--------------
- Write the oldest learning machine: a weighted sum, a threshold, and a rule
  that nudges the weights towards every example it gets wrong.
- See it stop with zero training errors on linearly separable data, after at
  most (R / gamma)^2 mistakes (Novikoff's bound).
- See it never stop on XOR: no single line separates the four points, which is
  why we will stack neurons into layers (ex03).

The math
--------
X has shape (n_samples, n_features); labels are mapped to t_i in {-1, +1}.
The weights w have shape (n_features,) and the bias b is a number:
    score(x) = w . x + b,         prediction = +1 if score(x) > 0 else -1.
Rosenblatt's rule visits the samples one at a time; when t_i * score(x_i) <= 0
(a mistake, or exactly on the line) it moves the line towards x_i:
    w <- w + eta * t_i * x_i,     b <- b + eta * t_i.
Starting from w = 0, b = 0 the learning rate eta only rescales w and b: no prediction changes.
Novikoff (1962): write z_i = (x_i, 1) and R = max_i ||z_i||. If some unit vector u (n_features + 1,)
separates the data with margin gamma = min_i t_i (u . z_i) > 0, the rule makes at most
(R / gamma)^2 mistakes, whatever the order of the samples.

Algorithm
---------
1. classes_ = the two sorted labels; t = -1 for the first, +1 for the second.
2. w = 0, b = 0. For each epoch (at most max_iter): visit the samples (in a new
   random order when shuffle=True) and apply the rule; count the mistakes.
3. Stop after the first epoch with no mistake: the training set is separated.

References: F. Rosenblatt, "The perceptron: a probabilistic model for information storage and
organization in the brain", Psychological Review 65 (1958); A. Novikoff, "On convergence proofs for
perceptrons" (1962); M. Minsky, S. Papert, Perceptrons (1969), on XOR; Bishop, PRML (2006), ch. 4.1.7.
Difficulty: 1 of 3, about 20 minutes.
Run: python 06-intro-to-deep-learning/ex01_perceptron.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import check_fitted, check_positive_int, check_positive_number, check_X, check_X_y

# %% [markdown]
# ## Implementation: one update, then the estimator


# %%
def perceptron_update(w, b, x, t, eta=1.0):
    """Rosenblatt's rule for one sample x (n_features,) with label t in {-1, +1}; returns (w, b, mistake),
    the new weights (n_features,) and bias, and whether t * score <= 0 caused an update."""
    if t not in (-1, 1):
        raise ValueError(f"t must be -1 or +1; got {t!r}")
    # BEGIN SOLUTION
    # HINT 1: A mistake is a point on the wrong side of (or exactly on) the line; only mistakes move w and b.
    # HINT 2: mistake when t * (w @ x + b) <= 0; then w <- w + eta * t * x and b <- b + eta * t.
    # HINT 3: mistake = t * (w @ x + b) <= 0
    # HINT 3: if mistake: w = w + eta * t * x (a NEW array), b = b + eta * t
    # HINT 3: return w, b, bool(mistake)
    mistake = t * (w @ x + b) <= 0  # a point exactly on the line counts as a mistake
    if mistake:
        w = w + eta * t * x  # (n_features,), a new array: the caller's w is left alone
        b = b + eta * t
    return w, b, bool(mistake)
    # END SOLUTION


class Perceptron:
    """A binary linear classifier trained with Rosenblatt's rule.

    Parameters: max_iter (the most epochs), eta0 > 0 (the learning rate: it scales w and b, not the
    predictions), shuffle (a new random order every epoch), random_state (for the shuffling).
    Attributes: classes_ (2,), the sorted labels (the second is "+1"); coef_ (n_features,); intercept_;
    errors_, the mistakes (updates) of each epoch; n_iter_, the epochs run; converged_, no mistake in the last.
    """

    def __init__(self, max_iter=100, eta0=1.0, shuffle=True, random_state=None):
        self.max_iter = max_iter
        self.eta0 = eta0
        self.shuffle = shuffle
        self.random_state = random_state

    def fit(self, X, y):
        """Run the rule until an epoch has no mistake or max_iter epochs have passed; returns self."""
        X, y = check_X_y(X, y)
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.eta0, "eta0")
        classes, y_idx = np.unique(y, return_inverse=True)  # y_idx: (n_samples,) in {0, 1}
        if len(classes) != 2:
            raise ValueError(f"this Perceptron is binary: y must hold exactly two classes; got {len(classes)} class(es) {classes[:5]} in the {len(X)} sample(s) of X")
        t = 2 * y_idx - 1  # (n_samples,), -1 for classes[0] and +1 for classes[1]
        rng = data.as_rng(self.random_state)
        # BEGIN SOLUTION
        # HINT 1: Start from all zeros and sweep the data in epochs, calling perceptron_update on each sample.
        # HINT 2: one epoch = for i in order: w, b, mistake = perceptron_update(w, b, X[i], t[i], self.eta0)
        # HINT 3: w, b = zeros(n_features), 0.0; errors = []
        # HINT 3: repeat max_iter times: order = rng.permutation(n) if shuffle else arange(n);
        # HINT 3:     count mistakes over the epoch, append the count to errors, stop after an epoch with none
        w, b, errors = np.zeros(X.shape[1]), 0.0, []  # (n_features,), a number, mistakes per epoch
        for _ in range(int(self.max_iter)):
            order = rng.permutation(len(X)) if self.shuffle else np.arange(len(X))  # (n_samples,)
            mistakes = 0
            for i in order:
                w, b, mistake = perceptron_update(w, b, X[i], t[i], self.eta0)
                mistakes += mistake
            errors.append(mistakes)
            if mistakes == 0:  # a full pass without an update: every sample is on its side
                break
        # END SOLUTION
        self.classes_, self.coef_, self.intercept_ = classes, w, float(b)
        self.errors_, self.n_iter_, self.converged_ = errors, len(errors), errors[-1] == 0
        return self

    def decision_function(self, X):
        """The scores w . x + b, shape (n_samples,): positive means classes_[1]."""
        check_fitted(self, "coef_")
        X = check_X(X, n_features=len(self.coef_), owner="this Perceptron")
        # BEGIN SOLUTION
        # HINT 1: The signed score is the same affine function the update rule tests.
        # HINT 2: scores = X @ self.coef_ + self.intercept_, shape (n_samples,)
        return X @ self.coef_ + self.intercept_  # (n_samples,)
        # END SOLUTION

    def predict(self, X):
        """classes_[1] where the score is positive, classes_[0] elsewhere; shape (n_samples,)."""
        positive = self.decision_function(X) > 0  # (n_samples,), checks that fit was called
        return self.classes_[positive.astype(int)]

    def score(self, X, y):
        """Accuracy on (X, y)."""
        return float(np.mean(self.predict(X) == np.asarray(y)))


# %% [markdown]
# ## Data: a separable problem with a known margin, and XOR


# %%
def make_separable(n_samples=60, margin=0.2, random_state=None):
    """Points X (n_samples, 2) in [-2, 2]^2 at least `margin` from a line, labels y (n_samples,) in {0, 1} by its
    side, and u (3,), the separating unit vector (w, b) / ||(w, b)||."""
    rng = data.as_rng(random_state)
    normal, offset = np.array([1.0, -2.0]), 0.5
    u = np.append(normal, offset) / np.linalg.norm(normal)  # distance to the line = u . (x, 1)
    X = np.empty((0, 2))
    while len(X) < n_samples:
        candidates = rng.uniform(-2, 2, size=(4 * n_samples, 2))  # (4 n, 2)
        distance = candidates @ u[:2] + u[2]  # (4 n,), signed distance to the line
        X = np.vstack([X, candidates[np.abs(distance) >= margin]])
    X = X[:n_samples]  # (n_samples, 2)
    return X, (X @ u[:2] + u[2] > 0).astype(int), u / np.linalg.norm(u)  # y (n_samples,): the side of the line


def mistake_bound(X, y, u):
    """Novikoff's bound (R / gamma)^2 for the separating direction u of shape (n_features + 1,)."""
    Z = np.column_stack([X, np.ones(len(X))])  # (n_samples, n_features + 1)
    t = np.where(y == np.unique(y)[1], 1.0, -1.0)  # (n_samples,)
    gamma = np.min(t * (Z @ (u / np.linalg.norm(u))))
    if gamma <= 0:
        raise ValueError("u does not separate the data, so there is no mistake bound")
    return (np.linalg.norm(Z, axis=1).max() / gamma) ** 2  # (R / gamma)^2


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


# %% [markdown]
# ## Demo


# %%
def main():
    X, y, u = make_separable(n_samples=100, margin=0.05, random_state=1)  # each point at least 0.05 from the line
    problems = {"Separable (100 points)": (X, y, (-2.1, 2.1)), "XOR (4 points)": (XOR_X, XOR_Y, (-0.5, 1.5))}
    fig, axes = plotting.new_figure(1, 2, width=4.6, height=4.2, layout="constrained")
    models = {name: Perceptron(max_iter=25, random_state=0).fit(Xp, yp) for name, (Xp, yp, _) in problems.items()}
    for ax, (name, (Xp, yp, lim)), model in zip(axes, problems.items(), models.values()):
        # The line after each epoch: refit with max_iter = k (same seed, same visiting order).
        steps = [Perceptron(max_iter=k, random_state=0).fit(Xp, yp) for k in range(1, model.n_iter_ + 1)]
        print(f"{name}: mistakes per epoch {model.errors_}\n  converged: {model.converged_}; "
              f"best training accuracy after any epoch: {max(step.score(Xp, yp) for step in steps):.0%}")
        plotting.plot_clusters(ax, Xp, yp)
        for points in ax.collections:
            points.set_sizes([20 if len(Xp) > 10 else 120])
        for step in steps:
            plotting.plot_line(ax, step.coef_, step.intercept_, lim, color="grey", alpha=0.5, lw=1)
        plotting.plot_line(ax, model.coef_, model.intercept_, lim, color="black", lw=2, label="after the last epoch")
        ax.set(xlim=lim, ylim=lim, aspect="equal", xlabel="$x_1$", ylabel="$x_2$",
               title=f"{name}: {model.errors_[-1]} mistakes in epoch {model.n_iter_}")
    print(f"Separable: {sum(next(iter(models.values())).errors_)} mistakes in all "
          f"<= Novikoff's bound (R / gamma)^2 = {mistake_bound(X, y, u):.0f}")
    plotting.show_or_save(fig, "ex01_perceptron")


if __name__ == "__main__":
    main()
