"""What makes a class an estimator: parameters read from the constructor, and a few mixins.

Every model in this course follows scikit-learn's convention: ``__init__`` only stores
its keyword arguments under the same names (no checks, no work), ``fit`` learns the
attributes ending in ``_``. That convention is enough to write ``get_params`` and
``set_params`` once, here, by reading the constructor's signature:

    class Ridge(RegressorMixin, BaseEstimator):
        def __init__(self, alpha=1.0, fit_intercept=True):
            self.alpha = alpha
            self.fit_intercept = fit_intercept

    Ridge(alpha=0.1).get_params()          # {'alpha': 0.1, 'fit_intercept': True}
    Ridge().set_params(alpha=10.0)          # the same object, alpha changed
    Pipeline([...]).set_params(model__alpha=10.0)   # "step__param" reaches inside

With those two methods (and the tags below), scikit-learn's ``clone``, ``Pipeline``,
``cross_val_score`` and ``GridSearchCV`` accept our estimators as they are.

The mixins add what one kind of estimator shares: ``score`` (accuracy for classifiers,
R^2 for regressors), ``fit_transform`` for transformers, ``fit_predict`` for clusterers.

An estimator declares what data it accepts with one class attribute, ``_domain``, a
dict with any of these keys (all False by default):

    binary_only     two classes at most (a binary linear SVM)
    non_negative    X >= 0 (counts: multinomial naive Bayes)
    allow_nan       NaN in X marks a missing value (imputers, scalers)
    requires_y      fit needs y even though it is a transformer (RFE, SelectKBest)
    categorical     X holds categories, strings allowed (encoders)
    boolean_output  transform returns a boolean mask, not X's float dtype (MissingIndicator)
    multi_output    y may be 2-D
    poor_score      scores below the usual bar on the library's toy checks are expected

``__sklearn_tags__`` translates it into scikit-learn's tags, importing scikit-learn only
when scikit-learn asks (no exercise imports scikit-learn).
"""

import inspect

import numpy as np

__all__ = ["BaseEstimator", "ClassifierMixin", "RegressorMixin", "TransformerMixin", "ClusterMixin"]

_DOMAIN_KEYS = ("binary_only", "non_negative", "allow_nan", "requires_y", "categorical", "boolean_output", "multi_output", "poor_score")


class BaseEstimator:
    """get_params / set_params / repr from the constructor's keyword arguments."""

    _domain = {}

    @classmethod
    def _get_param_names(cls):
        """The constructor's parameter names, sorted (every one must be stored under its own name)."""
        init = cls.__init__
        if init is object.__init__:
            return []
        params = list(inspect.signature(init).parameters.values())[1:]  # drop self
        for p in params:
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                raise TypeError(f"{cls.__name__}.__init__ must name every parameter; *args / **kwargs hide them")
        return sorted(p.name for p in params)

    def get_params(self, deep=True):
        """The constructor's parameters as a dict; with ``deep``, also ``name__param`` of nested estimators.

        A parameter that is a list of ``(name, estimator)`` pairs (a pipeline's ``steps``)
        shows each step under its name, and the step's parameters as ``name__param``.
        """
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            out[name] = value
            if not deep:
                continue
            if _is_estimator(value):
                out.update((f"{name}__{k}", v) for k, v in value.get_params(deep=True).items())
            for step, child in _named_steps(value):
                out[step] = child
                if _is_estimator(child):
                    out.update((f"{step}__{k}", v) for k, v in child.get_params(deep=True).items())
        return out

    def set_params(self, **params):
        """Set parameters (``alpha=1.0``, nested ``model__alpha=1.0``, or a whole step); returns self."""
        if not params:
            return self
        valid = self.get_params(deep=True)
        own = self._get_param_names()
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}; valid ones: {', '.join(own)}")
            if sub:
                nested.setdefault(name, {})[sub] = value
            elif name in own:
                setattr(self, name, value)
            else:  # a step of a list of (name, estimator) pairs: replace it in a new list
                for param in own:
                    steps = getattr(self, param)
                    if any(step == name for step, _ in _named_steps(steps)):
                        setattr(self, param, [(s, value if s == name else e) for s, e in steps])
        valid = self.get_params(deep=True)
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self):
        """ClassName(changed=value, ...): only the parameters that differ from their defaults."""
        defaults = {
            p.name: p.default for p in list(inspect.signature(type(self).__init__).parameters.values())[1:]
        }
        changed = []
        for name in self._get_param_names():
            value, default = getattr(self, name, None), defaults.get(name, inspect.Parameter.empty)
            same = value is default
            if not same and not isinstance(value, (np.ndarray, BaseEstimator)):
                try:
                    same = bool(value == default) and type(value) is type(default)
                except Exception:  # objects that cannot be compared are shown
                    same = False
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def _inner_estimator(self):
        """The estimator a wrapper delegates to: its ``estimator``, or its last step; else None."""
        params = self._get_param_names()
        if "estimator" in params:
            return getattr(self, "estimator")
        for name in params:
            steps = _named_steps(getattr(self, name))
            if steps:
                return steps[-1][1]
        return None

    def __sklearn_tags__(self):
        """scikit-learn's tags from the mixins and ``_domain`` (scikit-learn imported only here)."""
        from sklearn.utils import ClassifierTags, InputTags, RegressorTags, Tags, TargetTags, TransformerTags

        inner = self._inner_estimator()
        if inner is not None and hasattr(inner, "__sklearn_tags__"):
            # A wrapper (pipeline, search, RFE) is the kind of estimator it wraps.
            import copy

            tags = copy.deepcopy(inner.__sklearn_tags__())
            transforms = isinstance(self, TransformerMixin) or hasattr(self, "transform")
            tags.transformer_tags = TransformerTags() if transforms else None
            if self._domain.get("requires_y"):
                tags.target_tags.required = True
            return tags
        domain = dict(self._domain)
        unknown = set(domain) - set(_DOMAIN_KEYS)
        if unknown:
            raise ValueError(f"unknown _domain keys {sorted(unknown)} in {type(self).__name__}")
        tags = Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            input_tags=InputTags(
                allow_nan=domain.get("allow_nan", False),
                positive_only=domain.get("non_negative", False),
                categorical=domain.get("categorical", False),
                string=domain.get("categorical", False),
            ),
        )
        if isinstance(self, ClassifierMixin):
            tags.estimator_type = "classifier"
            tags.classifier_tags = ClassifierTags(multi_class=not domain.get("binary_only", False),
                                                  poor_score=domain.get("poor_score", False))
            tags.target_tags.required = True
        if isinstance(self, RegressorMixin):
            tags.estimator_type = "regressor"
            tags.regressor_tags = RegressorTags(poor_score=domain.get("poor_score", False))
            tags.target_tags.required = True
        if isinstance(self, ClusterMixin):
            tags.estimator_type = "clusterer"
        if isinstance(self, TransformerMixin) or hasattr(self, "transform"):
            tags.transformer_tags = TransformerTags(preserves_dtype=[] if domain.get("boolean_output") else ["float64"])
        if domain.get("requires_y"):
            tags.target_tags.required = True
        tags.target_tags.multi_output = domain.get("multi_output", False)
        tags.target_tags.single_output = True
        return tags


def _is_estimator(value):
    return hasattr(value, "get_params") and not isinstance(value, type)


def _named_steps(value):
    """The (name, estimator) pairs of a list like a pipeline's steps; [] for anything else."""
    if isinstance(value, (list, tuple)) and value and all(
        isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in value
    ):
        return list(value)
    return []


class ClassifierMixin:
    """score = accuracy, the fraction of samples whose predicted label is right."""

    def score(self, X, y):
        """Mean accuracy of ``predict(X)`` against the labels y."""
        y = np.asarray(y)
        return float(np.mean(self.predict(X) == y.reshape(len(y))))


class RegressorMixin:
    """score = R^2, the coefficient of determination (1 perfect, 0 as good as the mean)."""

    def score(self, X, y):
        """R^2 = 1 - sum (y - y_hat)^2 / sum (y - mean y)^2 of ``predict(X)`` against y."""
        y = np.asarray(y, dtype=float)
        y = y.reshape(len(y))
        y_hat = self.predict(X)
        ss_res = np.sum((y - y_hat) ** 2)
        ss_tot = np.sum((y - y.mean()) ** 2)
        if ss_tot == 0:  # constant y: R^2 is undefined; like scikit-learn, 1 if perfect else 0
            return 1.0 if ss_res == 0 else 0.0
        return float(1.0 - ss_res / ss_tot)


class TransformerMixin:
    """fit_transform = fit, then transform the same X."""

    def fit_transform(self, X, y=None, **fit_params):
        """``fit(X, y).transform(X)``."""
        return self.fit(X, y, **fit_params).transform(X)


class ClusterMixin:
    """fit_predict = fit, then the labels of the training points."""

    def fit_predict(self, X, y=None):
        """``fit(X).labels_``: the cluster of every training sample."""
        return self.fit(X).labels_


def all_estimators(modules=None, practice=None):
    """Every public estimator class of the exercises: ``[(name, class), ...]`` in reading order.

    An estimator is a class that inherits ``BaseEstimator``, is defined in an exercise
    script (not imported into it), has ``fit``, and whose name starts neither with ``_``
    nor ``Base`` (shared parents like ``BaseDecisionTree``). ``modules`` limits the
    search to folders starting with those prefixes (``("02", "04")``).
    """
    import utils  # here, not at the top: utils/__init__ would import itself

    found = []
    for path in utils.list_exercises():
        if modules is not None and not path.startswith(tuple(modules)):
            continue
        module = utils.load_exercise(path, practice=practice)
        for name, cls in vars(module).items():
            if (
                isinstance(cls, type)
                and issubclass(cls, BaseEstimator)
                and cls.__module__ == module.__name__
                and hasattr(cls, "fit")
                and not name.startswith(("_", "Base"))
            ):
                found.append((name, cls))
    return found


def example_estimators(practice=None):
    """One ready-to-fit instance of every estimator of ``all_estimators()``: ``[(name, estimator), ...]``.

    Constructors with required arguments get small ones, chosen by the argument's name:
    ``estimator`` a LinearRegression, ``steps`` StandardScaler then LinearRegression,
    ``param_grid`` / ``param_distributions`` a two-value grid over ``fit_intercept``.
    A new estimator with another required argument gets a clear error here.
    """
    found = all_estimators(practice=practice)
    classes = dict(found)
    examples = {
        "estimator": lambda: classes["LinearRegression"](),
        "steps": lambda: [("scale", classes["StandardScaler"]()), ("model", classes["LinearRegression"]())],
        "param_grid": lambda: {"fit_intercept": [True, False]},
        "param_distributions": lambda: {"fit_intercept": [True, False]},
    }
    out = []
    for name, cls in found:
        required = [p.name for p in list(inspect.signature(cls.__init__).parameters.values())[1:] if p.default is p.empty]
        missing = [p for p in required if p not in examples]
        if missing:
            raise TypeError(f"{name} requires {missing}: teach utils.base.example_estimators an example value")
        out.append((name, cls(**{p: examples[p]() for p in required})))
    return out
