"""The optimizers of 05-model-optimization/ex08_optimizers.py, as a library.

Lessons after ex08 train with these instead of loading the exercise: the lesson is
where SGD and Adam are written and explained; here they are plumbing.

    opt = Adam(lr=1e-3)
    opt.step(params, grads)     # params, grads: dicts name -> ndarray; params change in place

References: D. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015;
I. Sutskever et al., "On the importance of initialization and momentum", ICML 2013.
"""
import numpy as np

from utils.validation import check_positive_number


class Optimizer:
    """Base class: checks lr, keeps per-parameter state, walks over a dict of parameters."""

    def __init__(self, lr):
        self.lr = check_positive_number(lr, "lr")
        self.state = {}  # name -> buffers (velocity, moments, step count)

    def step(self, params, grads):
        """Move every array in ``params`` against ``grads[name]``, in place."""
        missing = set(params) - set(grads)
        if missing:
            raise ValueError(f"grads has no entry for parameters {sorted(missing)}")
        for name, value in params.items():
            grad = np.asarray(grads[name], dtype=float)
            if grad.shape != value.shape:
                raise ValueError(f"gradient of {name!r} has shape {grad.shape}, parameter has {value.shape}")
            value -= self.update(name, grad)

    def update(self, name, grad):
        """The amount to subtract from parameter ``name``."""
        raise NotImplementedError


class SGD(Optimizer):
    """theta <- theta - lr * v, with v = momentum * v + g (v = g without momentum)."""

    def __init__(self, lr=0.01, momentum=0.0):
        super().__init__(lr)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1); got {momentum!r}")
        self.momentum = momentum

    def update(self, name, grad):
        velocity = self.momentum * self.state.get(name, np.zeros_like(grad)) + grad
        self.state[name] = velocity
        return self.lr * velocity


class Adam(Optimizer):
    """Bias-corrected moving averages m of g and v of g^2; step lr * m_hat / (sqrt(v_hat) + eps)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        if not (0 <= beta1 < 1 and 0 <= beta2 < 1):
            raise ValueError(f"beta1 and beta2 must be in [0, 1); got {beta1!r}, {beta2!r}")
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def update(self, name, grad):
        m, v, t = self.state.get(name, (np.zeros_like(grad), np.zeros_like(grad), 0))
        t += 1
        m = self.beta1 * m + (1 - self.beta1) * grad
        v = self.beta2 * v + (1 - self.beta2) * grad**2
        self.state[name] = (m, v, t)
        m_hat, v_hat = m / (1 - self.beta1**t), v / (1 - self.beta2**t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
