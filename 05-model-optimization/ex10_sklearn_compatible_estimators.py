"""
Exercise 10: our estimators inside scikit-learn (get_params, set_params, Pipeline, GridSearchCV)

Learning goals
--------------
- See why one convention, "__init__ only stores its keyword arguments under the
  same names", is enough to write get_params and set_params once for every model.
- Write them, including the nested form "step__param" that reaches inside a
  pipeline or a wrapped estimator.
- Put an estimator you built (ex04's Ridge) in scikit-learn's Pipeline and
  GridSearchCV, next to scikit-learn's own, and get the same scores.

The math
--------
There is little: an estimator is described by its parameters, a dict
    theta = {name: value for each argument of __init__}
read back from the attributes of the same names. Nesting composes names with "__":
a pipeline with steps [("scale", s), ("model", m)] has the parameters
    {"steps": [...], "scale": s, "model": m, "scale__" + k: v for (k, v) in s's, "model__" + k: ...}.
set_params(**{"model__C": 0.1}) splits at the first "__", and passes {"C": 0.1}
on to the object named "model". A search needs only this and clone (ex01):
for every candidate theta_c, clone(estimator).set_params(**theta_c).fit(...).

Algorithm
---------
1. Names: the arguments of type(estimator).__init__ (inspect.signature, as ex01's clone reads them).
2. get_params: {name: getattr(estimator, name)}; with deep=True, for each value that
   has get_params (an estimator), add its own parameters prefixed "name__"; for a list
   of (step, estimator) pairs, add each step under its name and its parameters as "step__...".
3. set_params: group the keys by the part before the first "__"; a key without "__"
   is set on the estimator (or replaces a step); the rest goes to that sub-estimator.
4. Demo: the same pipeline and grid search with our Ridge (ex04) and scikit-learn's.

References: L. Buitinck et al., "API design for machine learning software:
experiences from the scikit-learn project", ECML PKDD workshop, 2013;
scikit-learn developer guide, "Developing scikit-learn estimators".
Builds on: 05-model-optimization/ex04_ridge.py (ridge).
Difficulty: 1 of 3, about 20 minutes.
Run: python 05-model-optimization/ex10_sklearn_compatible_estimators.py
"""

# %%
import inspect

import numpy as np

import utils
from utils import data, plotting

ridge = utils.load_exercise("05-model-optimization/ex04_ridge.py", practice=False)  # the estimator we plug in

# %% [markdown]
# ## get_params and set_params from the constructor


# %%
def constructor_arguments(estimator):
    """Names of the keyword arguments of the estimator's constructor (without self, *args, **kwargs)."""
    skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [p.name for p in inspect.signature(type(estimator).__init__).parameters.values() if p.name != "self" and p.kind not in skip]


def _named_steps(value):
    """The (name, estimator) pairs of a pipeline's steps list; [] for any other value."""
    if isinstance(value, list) and value and all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in value):
        return value
    return []


def get_params(estimator, deep=True):
    """The estimator's constructor arguments as a dict; with ``deep``, nested ones as "name__param"."""
    # BEGIN SOLUTION
    # HINT 1: every constructor argument is stored under its own name: read them back.
    # HINT 2: params[name] = getattr(estimator, name) for name in constructor_arguments(estimator);
    # HINT 2: a nested value v adds {f"{name}__{k}": w for k, w in get_params(v).items()}.
    # HINT 3: for each name: store the value; if deep and the value has get_params, recurse with the prefix "name__";
    # HINT 3: for each (step, child) in _named_steps(value): params[step] = child, then recurse with "step__".
    params = {}
    for name in constructor_arguments(estimator):
        value = getattr(estimator, name)
        params[name] = value
        if not deep:
            continue
        children = ([(name, value)] if hasattr(value, "get_params") and not isinstance(value, type) else []) + _named_steps(value)
        for prefix, child in children:
            params[prefix] = child
            if hasattr(child, "get_params"):
                params.update({f"{prefix}__{k}": v for k, v in get_params(child, deep=True).items()})
    return params
    # END SOLUTION


def set_params(estimator, **params):
    """Set constructor arguments, nested ones as "name__param" (a step may be replaced whole); returns estimator."""
    valid = get_params(estimator, deep=True)
    for key in params:
        if key.partition("__")[0] not in valid:
            raise ValueError(f"invalid parameter {key!r} for {type(estimator).__name__}; valid: {sorted(valid)}")
    # BEGIN SOLUTION
    # HINT 1: split each key at the first "__": before it names a parameter (or a step), after it goes one level down.
    # HINT 2: own keys: setattr(estimator, key, value); nested: set_params(valid[head], **{tail: value}).
    # HINT 3: nested = {}; for key, value: head, _, tail = key.partition("__");
    # HINT 3: tail -> nested[head][tail] = value; a constructor argument -> setattr;
    # HINT 3: a step name -> rebuild the steps list with the new estimator; finally recurse into nested.
    nested = {}
    names = constructor_arguments(estimator)
    for key, value in params.items():
        head, _, tail = key.partition("__")
        if tail:
            nested.setdefault(head, {})[tail] = value
        elif head in names:
            setattr(estimator, head, value)
        else:  # a step of a pipeline: replace it in a new list
            for name in names:
                steps = _named_steps(getattr(estimator, name))
                if any(step == head for step, _ in steps):
                    setattr(estimator, name, [(step, value if step == head else old) for step, old in steps])
    current = get_params(estimator, deep=True)
    for head, sub_params in nested.items():
        set_params(current[head], **sub_params)
    return estimator
    # END SOLUTION


# %% [markdown]
# ## Demo: our estimators next to scikit-learn's


# %%
def main():
    from sklearn.linear_model import Ridge as SkRidge
    from sklearn.model_selection import GridSearchCV, KFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler as SkStandardScaler

    # 1. Parameters, read from the constructor: ours and the method every estimator inherits agree.
    ours_ridge = ridge.Ridge
    print(f"get_params(Ridge(alpha=2)) == Ridge(alpha=2).get_params(): {get_params(ours_ridge(alpha=2.0)) == ours_ridge(alpha=2.0).get_params()}")
    pipe = Pipeline([("scale", SkStandardScaler()), ("ridge", ours_ridge(alpha=1.0))])
    print("get_params(pipe) keys:", sorted(k for k in get_params(pipe) if k != "steps"))
    set_params(pipe, ridge__alpha=0.1, scale__with_mean=True)
    print(f"after set_params(ridge__alpha=0.1): alpha = {pipe.named_steps['ridge'].alpha}")

    # 2. GridSearchCV over ridge's alpha, ours and scikit-learn's: the same curve of cross-validated R^2.
    folds = KFold(5, shuffle=True, random_state=0)
    Xd, yd = data.load_diabetes()
    alphas = np.logspace(-3, 2, 11)  # (11,)
    searches = {}
    for name, model in [("ours", ours_ridge()), ("scikit-learn", SkRidge())]:
        search = GridSearchCV(Pipeline([("scale", SkStandardScaler()), ("ridge", model)]), {"ridge__alpha": alphas}, cv=folds)
        searches[name] = search.fit(Xd, yd)
    print("\nDiabetes, GridSearchCV over ridge__alpha (11 values, 5 folds)")
    print(f"{'':<14}{'best alpha':>12}{'best R^2':>10}")
    for name, search in searches.items():
        print(f"{name:<14}{search.best_params_['ridge__alpha']:>12.4g}{search.best_score_:>10.4f}")
    gap = np.max(np.abs(searches["ours"].cv_results_["mean_test_score"] - searches["scikit-learn"].cv_results_["mean_test_score"]))
    print(f"max |difference| of the 11 mean scores: {gap:.1e}")

    fig, ax = plotting.new_figure(1, 1, width=6.0, height=4.0)
    for (name, search), style in zip(searches.items(), ["o-", "x--"]):
        ax.semilogx(alphas, search.cv_results_["mean_test_score"], style, label=name)
    ax.set(xlabel="alpha", ylabel="mean cross-validated R^2", title="GridSearchCV: our Ridge and scikit-learn's")
    ax.legend()
    plotting.show_or_save(fig, "ex10_sklearn_compatible_estimators")


if __name__ == "__main__":
    main()
