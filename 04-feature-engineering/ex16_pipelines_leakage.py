"""
Exercise 16: pipelines, and the leakage they prevent

Learning goals
--------------
- Chain transformers and a model into one estimator (Pipeline) whose fit runs
  fit_transform on every step but the last, and whose predict only transforms.
- See data leakage measured: choosing features with the labels of ALL the rows,
  then cross-validating, makes pure noise look predictable; the same selection
  inside a pipeline, refitted in every fold, gives the honest chance level.

The math
--------
Cross-validation estimates the accuracy of a whole procedure P (preprocessing
plus model) on new data: split the rows into K folds; for each fold k, run P on
the other K - 1 folds only, and score it on fold k. The estimate is honest only
if fold k played no part in any decision of P. Selecting the k features with
the largest ANOVA F statistic F_j (exercise 15) on all n rows uses the labels of
fold k. With d = 2000 noise features and n = 50 rows, F_j ~ F(1, 48) for every
column, and the largest of 2000 such draws is large by chance: some features
agree with the labels on all the rows, including fold k, so the "held-out" score
is high even though no feature carries any signal (the expected accuracy is 1/2).

Algorithm
---------
1. Pipeline.fit: X_t = step.fit_transform(X_t, y) for each step but the last, then
   last.fit(X_t, y). predict / score: X_t = step.transform(X_t), then the last step.
2. Leaky: SelectKBest (scikit-learn's) on all rows, then cross-validate the model (CV: module 03).
   Honest: cross-validate Pipeline([scaler, SelectKBest, model]) on the same folds; several seeds.

References: T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed., ch. 7.10.2
("The wrong and right way to do cross-validation"); S. Kaufman et al., "Leakage in data mining", ACM TKDD 6(4), 2012.
Difficulty: 2 of 3, about 20 minutes.
Run: python 04-feature-engineering/ex16_pipelines_leakage.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.base import BaseEstimator
from utils.validation import check_fitted

# %% [markdown]
# ## Implementation: the pipeline


# %%
class Pipeline(BaseEstimator):
    """A chain of transformers ending in an estimator, used as one estimator.

    steps : list of (name, estimator) pairs; every step but the last needs fit (or fit_transform)
        and transform; the last needs fit. named_steps : dict {name: estimator}.
    """

    def __init__(self, steps):
        self.steps = steps

    @property
    def named_steps(self):
        return dict(self.steps)

    def _validate_steps(self):
        if not isinstance(self.steps, (list, tuple)) or len(self.steps) == 0:
            raise ValueError("steps must be a non-empty list of (name, estimator) pairs")
        names = [name for name, _ in self.steps]
        if len(set(names)) != len(names):
            raise ValueError(f"step names must be unique; got {names}")
        for name, step in self.steps[:-1]:
            if not (hasattr(step, "fit") or hasattr(step, "fit_transform")) or not hasattr(step, "transform"):
                raise TypeError(f"step {name!r} ({type(step).__name__}) must have fit and transform: "
                                "only the last step may be a plain model")

    def _transform_steps(self, X):
        """X passed through the transform of every step but the last."""
        check_fitted(self, "n_features_in_")
        # BEGIN SOLUTION
        # HINT 1: Pass X through every step's transform except the last step (the model).
        for _, step in self.steps[:-1]:
            X = step.transform(X)
        return X
        # END SOLUTION

    def fit(self, X, y=None):
        self._validate_steps()
        if hasattr(X, "toarray"):  # scikit-learn's checks expect a clear refusal of sparse input
            raise TypeError("X is a sparse matrix; these steps need a dense array: pass X.toarray()")
        X = np.asarray(X)  # not converted to float: a first step may encode text categories
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D of shape (n_samples, n_features); got shape {X.shape}")
        Xt = X  # (n_samples, n_features), then each step's output
        # BEGIN SOLUTION
        # HINT 1: Fit each transformer on the output of the previous one (fit_transform when
        # HINT 1: available), then fit the final estimator on the fully transformed data.
        # HINT 2: Xt = step.fit_transform(Xt, y) for each transformer; steps[-1][1].fit(Xt, y)
        # HINT 3: for _, step in steps[:-1]: Xt = step.fit_transform(Xt, y) (or fit, then transform)
        for _, step in self.steps[:-1]:  # fit_transform: one pass that learns the statistics and applies them
            Xt = step.fit_transform(Xt, y) if hasattr(step, "fit_transform") else step.fit(Xt, y).transform(Xt)
        self.steps[-1][1].fit(Xt, y)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        return self.steps[-1][1].predict(self._transform_steps(X))

    def score(self, X, y):
        return self.steps[-1][1].score(self._transform_steps(X), y)

    # Only when the last step can transform (or give probabilities) do these attributes exist:
    # hasattr(pipeline, "transform") tells the truth, as in scikit-learn.
    @property
    def predict_proba(self):
        self._last_step_has("predict_proba")
        return lambda X: self.steps[-1][1].predict_proba(self._transform_steps(X))

    @property
    def transform(self):
        self._last_step_has("transform")
        return lambda X: self.steps[-1][1].transform(self._transform_steps(X))

    @property
    def fit_transform(self):
        self._last_step_has("transform")
        return lambda X, y=None: self.fit(X, y).transform(X)

    def _last_step_has(self, method):
        if not hasattr(self.steps[-1][1], method):
            raise AttributeError(f"this Pipeline has no {method}: its last step {self.steps[-1][0]!r} has none")


# %% [markdown]
# ## Implementation: cross-validation, the honest and the leaky way


# %%
def make_model(k=20):
    """The procedure under test: standardise, keep the k best features by F, logistic regression."""
    from sklearn.feature_selection import SelectKBest  # exercise 15's selector, from the library
    from sklearn.linear_model import LogisticRegression  # the demo subject, from the library
    from sklearn.preprocessing import StandardScaler  # exercise 07's scaler, from the library

    return Pipeline([("scale", StandardScaler()), ("select", SelectKBest(k=k)), ("model", LogisticRegression(C=1.0))])


def leakage_experiment(n_samples=50, n_features=2000, k=20, n_splits=5, random_state=None):
    """Mean CV accuracy on pure noise, (leaky, honest): scale and select on all rows first and
    cross-validate the classifier, or cross-validate the whole pipeline (selection sees training folds only)."""
    from sklearn.feature_selection import SelectKBest
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.preprocessing import StandardScaler

    rng = data.as_rng(random_state)
    X = rng.standard_normal((n_samples, n_features))  # (n_samples, n_features): no feature carries any signal
    y = np.repeat([0, 1], [n_samples // 2, n_samples - n_samples // 2])  # balanced labels
    seed = int(rng.integers(2**31))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)  # the same folds for both
    # BEGIN SOLUTION
    # HINT 1: Select on ALL labels, then CV (leaky); CV the whole pipeline, so that
    # HINT 1: selection is refitted inside every training fold (honest).
    # HINT 2: leaky = cv(LogisticRegression, SelectKBest(StandardScaler(X), y)); honest = cv(make_model(k), X)
    # HINT 3: selected = SelectKBest(k=k).fit_transform(StandardScaler().fit_transform(X), y)
    # HINT 3: cross_val_score(LogisticRegression(C=1.0), selected, y, cv=folds).mean(); then make_model(k) on X
    selected = SelectKBest(k=k).fit_transform(StandardScaler().fit_transform(X), y)  # uses every label
    leaky = cross_val_score(LogisticRegression(C=1.0), selected, y, cv=folds).mean()
    honest = cross_val_score(make_model(k), X, y, cv=folds).mean()  # selection refitted per fold
    return float(leaky), float(honest)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    n_repeats = 6 if utils.quick_mode() else 30
    results = np.array([leakage_experiment(random_state=seed) for seed in range(n_repeats)])  # (n_repeats, 2)
    print(f"Pure noise: 50 rows, 2000 features, keep the 20 best by ANOVA F, 5-fold CV; {n_repeats} data sets")
    print(f"{'protocol':<44}{'mean CV accuracy':>17}{'min':>7}{'max':>7}")
    for name, column in [("select on all rows, then CV (leaky)", results[:, 0]), ("CV of the whole pipeline (honest)", results[:, 1])]:
        print(f"{name:<44}{column.mean():17.3f}{column.min():7.3f}{column.max():7.3f}")
    print("The truth: no feature is related to the labels, so any classifier scores 0.5 on new data.")

    fig, ax = plotting.new_figure(width=6.5, height=4.2)
    bins = np.linspace(0.2, 1.0, 33)
    ax.hist(results[:, 1], bins=bins, color=plotting.COLORS[2], alpha=0.8, label="honest: selection inside each fold")
    ax.hist(results[:, 0], bins=bins, color=plotting.COLORS[3], alpha=0.8, label="leaky: selection on all rows first")
    ax.axvline(0.5, color="black", linestyle="--", label="chance (the truth)")
    ax.set(xlabel="5-fold CV accuracy on pure noise", ylabel="data sets", title=f"Feature selection before CV: {n_repeats} noise data sets")
    ax.legend(loc="upper left")
    plotting.show_or_save(fig, "ex16_pipelines_leakage")


if __name__ == "__main__":
    main()
