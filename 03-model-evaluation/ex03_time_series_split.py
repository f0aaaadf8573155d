"""
Exercise 03: cross-validation on a time series (forward chaining)

Learning goals
--------------
- Build TimeSeriesSplit with scikit-learn's interface: each split trains on the past and
  tests on the block that follows, optionally after a gap and with a capped training window.
- See why shuffled k-fold misleads on a time series: it scores interpolation between
  neighbouring days, while the model will be asked to forecast.

The math
--------
The n samples are in time order (row i is time i). With k splits and test blocks of
m = n // (k + 1) samples (or a given test_size m), split j = 1..k tests on
    test_j = [n - (k - j + 1) m, n - (k - j) m),
and trains on every sample before test_j minus a gap of g samples:
    train_j = [max(0, start_j - g - w), start_j - g),   start_j = n - (k - j + 1) m,
where w = max_train_size caps the window (no cap: the lower end is 0). So
max(train_j) + g < min(test_j): the model never sees the future, and the gap keeps
samples that leak into the test block through autocorrelation out of training.
The first training set has n - k m - g samples; it must not be empty.
Unlike k-fold, the test blocks do not cover all samples (the first n - k m never
are tested) and the training sets grow (or slide) with j.

Algorithm
---------
1. m = test_size or n // (k + 1); refuse settings that leave no training data.
2. For each test start s in n - k m, n - (k - 1) m, ..., n - m: the test block is
   [s, s + m); training ends at s - g and starts at 0 or s - g - w.

References: R. J. Hyndman, G. Athanasopoulos, Forecasting: Principles and Practice, 3rd ed.,
2021, ch. 5.10 (time series cross-validation); C. Bergmeir, J. M. Benitez, "On the use of
cross-validation for time series predictor evaluation", Information Sciences 191, 2012.
Difficulty: 1 of 3, about 10 minutes.
Run: python 03-model-evaluation/ex03_time_series_split.py
"""

# %%
import numpy as np

from utils import plotting
from utils.cv_support import check_n_splits, num_samples

# %% [markdown]
# ## Implementation: forward chaining


# %%
class TimeSeriesSplit:
    """Forward chaining: train on the past, test on the next block of test_size samples
    (default n_samples // (n_splits + 1)), leaving out `gap` samples between them; with
    max_train_size, keep only the most recent training samples."""

    def __init__(self, n_splits=5, max_train_size=None, test_size=None, gap=0):
        self.n_splits = n_splits
        self.max_train_size = max_train_size
        self.test_size = test_size
        self.gap = gap

    def get_n_splits(self, X=None, y=None):
        return self.n_splits

    def split(self, X, y=None):
        n = num_samples(X)
        check_n_splits(self.n_splits, n)
        if self.n_splits + 1 > n:
            raise ValueError(f"TimeSeriesSplit needs n_splits + 1 = {self.n_splits + 1} <= n_samples = {n}")
        m = self.test_size if self.test_size is not None else n // (self.n_splits + 1)
        if m < 1 or self.gap < 0:
            raise ValueError(f"test_size must be at least 1 and gap at least 0; got test_size={m}, gap={self.gap}")
        if n - self.gap - m * self.n_splits <= 0:
            raise ValueError(f"too many splits: n_splits={self.n_splits} test blocks of {m} samples plus gap={self.gap} leave no training data in n_samples={n}")
        # BEGIN SOLUTION
        # HINT 1: Time order: the test blocks of size m are the last n_splits blocks; training is everything
        # HINT 1: before a test block, minus a gap, optionally capped at max_train_size (most recent rows).
        # HINT 2: for test_start in range(n - n_splits * m, n, m): train = [start, test_start - gap)
        # HINT 3: for test_start in range(n - n_splits * m, n, m): train_stop = test_start - gap
        # HINT 3:     train_start = train_stop - max_train_size if capped, else 0
        # HINT 3:     yield arange(train_start, train_stop), arange(test_start, test_start + m)
        for test_start in range(n - self.n_splits * m, n, m):
            train_stop = test_start - self.gap
            train_start = max(0, train_stop - self.max_train_size) if self.max_train_size else 0
            yield np.arange(train_start, train_stop), np.arange(test_start, test_start + m)
        # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # The model (k-nearest neighbours, module 02), shuffled k-fold and cross_val_score (exercise 02) come from the library.
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.neighbors import KNeighborsRegressor

    # A time series with a trend: shuffled folds interpolate between neighbouring
    # days; forward chaining has to forecast, which is what we will ask of the model.
    rng = np.random.default_rng(0)
    t = np.arange(200.0)
    series = 0.03 * t + np.sin(t / 6.0) + 0.3 * rng.standard_normal(t.size)  # (200,)
    splitters = {"KFold(5)\nshuffled": KFold(5, shuffle=True, random_state=0), "TimeSeries\nSplit(5)": TimeSeriesSplit(5)}
    ts_results = {name: cross_val_score(KNeighborsRegressor(n_neighbors=5), t[:, None], series, cv=list(splitter.split(t[:, None])), scoring="r2")
                  for name, splitter in splitters.items()}
    print("5-NN regression on a trending time series: R^2 per fold")
    for name, s in ts_results.items():
        print(f"{name.replace(chr(10), ' '):<22}" + " ".join(f"{v:>6.2f}" for v in s) + f"   mean {s.mean():.2f}")
    print("-> the shuffled folds promise a forecast quality that forward chaining shows the model does not have.")

    # What the two forward-chaining splitters do to 24 samples; the fold scores, every fold a dot.
    fig, axes = plotting.new_mosaic([["a", "scores"], ["b", "scores"]], width=5.0, height=2.6)
    n_small = 24
    for i, (key, splitter) in enumerate([("a", TimeSeriesSplit(4)), ("b", TimeSeriesSplit(4, gap=1, max_train_size=8))]):
        title = "TimeSeriesSplit(4)" if i == 0 else "TimeSeriesSplit(4, gap=1, max_train_size=8)"
        plotting.plot_splits(axes[key], splitter.split(np.zeros((n_small, 1))), n_small, title=title, legend=i == 1)
    plotting.plot_scores_per_fold(axes["scores"], ts_results, "$R^2$ of the fold", "Trending series: 5-NN")
    axes["scores"].legend(loc="lower left")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex03_time_series_split")


if __name__ == "__main__":
    main()
