"""
Exercise 08: optimizers, from plain gradient descent to Adam

Learning goals
--------------
- Write SGD, momentum, Nesterov momentum, AdaGrad, RMSProp and Adam as small classes with one
  `step(params, grads)` method, the way deep-learning libraries do.
- See what each one adds: momentum smooths and speeds up along valleys, adaptive methods scale each
  coordinate by the size of its past gradients.
- Compare them on the Rosenbrock valley, a narrow curved valley that plain gradient descent crawls along.

The math
--------
Parameters p (any shape), gradient g = dL/dp at step t = 1, 2, ..., learning rate lr.
    SGD:       p <- p - lr g
    momentum:  v <- mu v + g;                    p <- p - lr v
    Nesterov:  v <- mu v + g;                    p <- p - lr (g + mu v)
    AdaGrad:   s <- s + g^2;                     p <- p - lr g / (sqrt(s) + eps)
    RMSProp:   s <- rho s + (1 - rho) g^2;       p <- p - lr g / (sqrt(s) + eps)
    Adam:      m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
               m_hat = m / (1 - b1^t);  v_hat = v / (1 - b2^t)   (bias correction: m, v start at 0)
               p <- p - lr m_hat / (sqrt(v_hat) + eps)
All operations are elementwise; v, s, m start at zero. (Momentum and Nesterov are written in the form
PyTorch uses; the Nesterov step looks ahead along v.)

Algorithm
---------
1. Keep one state dictionary per optimizer, keyed by parameter name.
2. At each step, for each parameter: update its state from the gradient, then move the parameter in place.
3. Repeat for a fixed number of steps; record the loss to compare optimizers.

References: Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 8.3-8.5; Sutskever et al., "On the
importance of initialization and momentum in deep learning", ICML 2013; Duchi et al., "Adaptive
subgradient methods", JMLR 2011; Tieleman & Hinton, Coursera lecture 6.5 (RMSProp), 2012; Kingma & Ba,
"Adam: a method for stochastic optimization", ICLR 2015.
Difficulty: 1 of 3, about 25 minutes.
Run: python 05-model-optimization/ex08_optimizers.py
"""

# %%
import numpy as np

import utils
from utils import plotting

# %% [markdown]
# ## Optimizers: `step(params, grads)` updates a dict of arrays in place


# %%
class Optimizer:  # the base class: validates the arguments and walks over the parameters
    def __init__(self, lr):
        if not lr > 0:
            raise ValueError(f"lr must be a positive number; got {lr!r}")
        self.lr = lr
        self.state = {}  # per-parameter buffers (velocity, squared-gradient averages, ...)

    def step(self, params, grads):
        """Move every array in ``params`` (a dict name -> ndarray) against ``grads[name]``."""
        if missing := set(params) - set(grads):
            raise ValueError(f"grads has no entry for parameters {sorted(missing)}")
        for name, value in params.items():
            grad = np.asarray(grads[name], dtype=float)
            if grad.shape != value.shape:
                raise ValueError(f"gradient of {name!r} has shape {grad.shape}, parameter has {value.shape}")
            value -= self.update(name, grad)  # in place: callers holding the array see the change

    def update(self, name, grad):  # the amount to subtract from parameter name: each optimizer's own rule
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum."""

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False):
        super().__init__(lr)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1); got {momentum!r}")
        if nesterov and momentum == 0:
            raise ValueError("nesterov=True needs a momentum above 0")
        self.momentum, self.nesterov = momentum, nesterov

    def update(self, name, grad):
        # BEGIN SOLUTION
        # HINT 1: Keep a velocity per parameter name in self.state; update returns the
        # HINT 1: step to SUBTRACT. Nesterov looks one step ahead along the velocity.
        # HINT 2: v = momentum * v + grad; step = lr * (grad + momentum * v if nesterov else v); plain: lr * grad
        # HINT 3: if momentum == 0: return lr * grad
        # HINT 3: v = self.state.get(name, zeros_like(grad)); v = momentum * v + grad;
        # HINT 3:   self.state[name] = v
        # HINT 3: return lr * (grad + momentum * v if nesterov else v)
        if self.momentum == 0:
            return self.lr * grad
        velocity = self.momentum * self.state.get(name, np.zeros_like(grad)) + grad  # a decaying sum of past gradients
        self.state[name] = velocity
        return self.lr * (grad + self.momentum * velocity if self.nesterov else velocity)  # Nesterov: look ahead
        # END SOLUTION


class AdaGrad(Optimizer):
    """Per-coordinate steps that shrink with the sum of squared gradients."""

    def __init__(self, lr=0.01, eps=1e-8):
        super().__init__(lr)
        self.eps = eps

    def update(self, name, grad):
        # BEGIN SOLUTION
        # HINT 1: Accumulate squared gradients per entry; big past gradients mean smaller steps.
        # HINT 2: G = G + grad**2; step = lr * grad / (sqrt(G) + eps)
        total = self.state.get(name, np.zeros_like(grad)) + grad**2
        self.state[name] = total
        return self.lr * grad / (np.sqrt(total) + self.eps)  # eps keeps 0 / 0 away
        # END SOLUTION


class RMSProp(Optimizer):
    """AdaGrad with a decaying average, so the steps do not shrink forever."""

    def __init__(self, lr=0.001, rho=0.9, eps=1e-8):
        super().__init__(lr)
        if not 0 <= rho < 1:
            raise ValueError(f"rho must be in [0, 1); got {rho!r}")
        self.rho, self.eps = rho, eps

    def update(self, name, grad):
        # BEGIN SOLUTION
        # HINT 1: Like Adagrad, but a decaying average of squared gradients instead of a growing sum.
        # HINT 2: E = rho * E + (1 - rho) * grad**2; step = lr * grad / (sqrt(E) + eps)
        average = self.rho * self.state.get(name, np.zeros_like(grad)) + (1 - self.rho) * grad**2
        self.state[name] = average
        return self.lr * grad / (np.sqrt(average) + self.eps)
        # END SOLUTION


class Adam(Optimizer):
    """Momentum on the gradient plus RMSProp scaling, both bias-corrected."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        if not (0 <= beta1 < 1 and 0 <= beta2 < 1):
            raise ValueError(f"beta1 and beta2 must be in [0, 1); got {beta1!r}, {beta2!r}")
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def update(self, name, grad):
        # BEGIN SOLUTION
        # HINT 1: Keep (m, v, t) per parameter: decaying averages of g and g^2, and the step count for the bias correction.
        # HINT 2: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; m_hat = m / (1 - b1^t); v_hat = v / (1 - b2^t)
        # HINT 2: step = lr * m_hat / (sqrt(v_hat) + eps)
        # HINT 3: m, v, t = self.state.get(name, (zeros, zeros, 0)); t += 1
        # HINT 3: update m and v; self.state[name] = (m, v, t)
        # HINT 3: return lr * m_hat / (np.sqrt(v_hat) + eps)
        m, v, t = self.state.get(name, (np.zeros_like(grad), np.zeros_like(grad), 0))
        t += 1
        m = self.beta1 * m + (1 - self.beta1) * grad  # first moment (mean of g)
        v = self.beta2 * v + (1 - self.beta2) * grad**2  # second moment (mean of g^2)
        self.state[name] = (m, v, t)
        m_hat, v_hat = m / (1 - self.beta1**t), v / (1 - self.beta2**t)  # without this, early steps are biased to 0
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        # END SOLUTION


# %% [markdown]
# ## A test problem, and the demo: each optimizer from the same start, its path and its loss


# %%
def rosenbrock(p, a=1.0, b=100.0):
    """f(x, y) = (a - x)^2 + b (y - x^2)^2 and its gradient; minimum 0 at (a, a^2)."""
    x, y = p
    return (a - x) ** 2 + b * (y - x**2) ** 2, np.array([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)])  # grad (2,)


def main():
    start, n_steps = np.array([-1.5, 2.0]), 500 if utils.quick_mode() else 2000
    fig, (ax_path, ax_loss) = plotting.new_figure(1, 2, width=5.2)
    xs, ys = np.meshgrid(np.linspace(-2, 2, 300), np.linspace(-1, 3, 300))
    ax_path.contour(xs, ys, np.log10(rosenbrock(np.stack([xs, ys]))[0] + 1e-3), levels=25, cmap="Greys", linewidths=0.6)
    print(f"{'optimizer':<10} {'Rosenbrock f after ' + str(n_steps):>24} {'distance to (1, 1)':>20}")
    optimizers = {"SGD": SGD(lr=1e-3), "momentum": SGD(lr=1e-3, momentum=0.9), "Nesterov": SGD(lr=1e-3, momentum=0.9, nesterov=True),
                  "AdaGrad": AdaGrad(lr=0.5), "RMSProp": RMSProp(lr=0.01), "Adam": Adam(lr=0.05)}  # rates that suit the valley
    curves = {}
    for name, optimizer in optimizers.items():
        params, path, curves[name] = {"p": start.copy()}, [start], np.empty(n_steps)
        for t in range(n_steps):
            curves[name][t], grad = rosenbrock(params["p"])
            optimizer.step(params, {"p": grad})  # moves params["p"] in place
            path.append(params["p"].copy())
        ax_path.plot(*np.array(path).T, linewidth=1.4, label=name)  # path: (n_steps + 1, 2)
        print(f"{name:<10} {curves[name][-1]:>24.2e} {np.linalg.norm(params['p'] - 1):>20.3f}")
    ax_path.plot(1, 1, marker="*", markersize=14, color="black")
    ax_path.set(title="Paths on the Rosenbrock valley", xlabel="x", ylabel="y", xlim=(-2, 2), ylim=(-1, 3))
    ax_path.legend(loc="upper right")
    plotting.plot_loss_curves(ax_loss, curves, xlabel="step", ylabel="f(x, y)", log_y=True, title="Rosenbrock: f along the path")
    plotting.show_or_save(fig, "ex08_optimizers")


if __name__ == "__main__":
    main()
