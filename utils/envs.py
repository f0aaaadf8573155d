"""Small reinforcement-learning environments with Gymnasium's interface (module 08).

Every environment here follows Gymnasium's API, so an agent written against one of
ours drives ``gymnasium.make(...)`` unchanged (08-reinforcement-learning/ex11):

    obs, info = env.reset(seed=None)
    obs, reward, terminated, truncated, info = env.step(action)
    env.action_space.n, env.observation_space.n or env.observation_space.shape

``terminated`` means the episode reached a terminal state (the pole fell, the agent
fell in a hole); ``truncated`` means a time limit stopped it (``max_episode_steps``,
the limits ``gymnasium.make`` adds). Bootstrapping must stop at the first, not the second.

Tabular environments expose their whole model in Gymnasium's layout,
    P[s][a] = [(prob, next_state, reward, terminated), ...]
which is all dynamic programming needs. CartPole, Mountain Car, FrozenLake,
CliffWalking and Blackjack use Gymnasium's equations, constants and random draws:
the same state, action and generator give the same result (tests/utils/test_envs.py
checks this against Gymnasium itself). Seeding matches too: ``reset(seed=k)`` makes
``np.random.default_rng(k)``, the generator Gymnasium builds from the same seed.

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018):
Example 4.1 (gridworld), Example 6.2 (random walk), Example 6.6 (cliff walking),
Example 5.1 (blackjack), Example 10.1 (mountain car), Example 3.4 (pole balancing);
A. Barto, R. Sutton, C. Anderson, "Neuronlike adaptive elements that can solve
difficult learning control problems", IEEE SMC 13 (1983); A. Moore, PhD thesis (1990);
Farama Foundation, Gymnasium (https://gymnasium.farama.org).
"""

import math

import numpy as np

__all__ = [
    "Discrete",
    "Box",
    "Env",
    "TabularEnv",
    "FrozenLakeEnv",
    "CliffWalkingEnv",
    "GridworldEnv",
    "RandomWalkEnv",
    "BlackjackEnv",
    "CartPoleEnv",
    "MountainCarEnv",
    "transition_arrays",
]

LEFT, DOWN, RIGHT, UP = 0, 1, 2, 3  # FrozenLake's action numbers (Gymnasium's)


class Discrete:
    """The integers 0, 1, ..., n - 1 (an action or a tabular state)."""

    def __init__(self, n):
        self.n = int(n)
        self.shape = ()

    def contains(self, x):
        return isinstance(x, (int, np.integer)) and 0 <= x < self.n

    def sample(self, rng):
        return int(rng.integers(self.n))

    def __repr__(self):
        return f"Discrete({self.n})"


class Box:
    """A box of real vectors, low <= x <= high elementwise (bounds may be infinite)."""

    def __init__(self, low, high, dtype=np.float32):
        self.low, self.high = np.asarray(low, dtype=dtype), np.asarray(high, dtype=dtype)
        self.shape, self.dtype = self.low.shape, np.dtype(dtype)

    def __repr__(self):
        return f"Box(shape={self.shape})"


class Env:
    """Base class: seeding, the step counter and the time limit.

    Subclasses write ``_reset() -> obs`` and ``_step(action) -> (obs, reward, terminated, info)``.
    """

    max_episode_steps = None

    def reset(self, seed=None, options=None):
        if seed is not None or not hasattr(self, "np_random"):
            self.np_random = np.random.default_rng(seed)
        self.elapsed_steps = 0
        return self._reset(), {}

    def step(self, action):
        if not hasattr(self, "elapsed_steps"):
            raise RuntimeError(f"call reset() before step() on this {type(self).__name__}")
        if not self.action_space.contains(action):
            raise ValueError(f"action must be an int in [0, {self.action_space.n}); got {action!r}")
        obs, reward, terminated, info = self._step(action)
        self.elapsed_steps += 1
        truncated = self.max_episode_steps is not None and self.elapsed_steps >= self.max_episode_steps
        return obs, reward, terminated, bool(truncated), info


def categorical_sample(probs, rng):
    """Index i with probability probs[i], drawn exactly as Gymnasium's toy-text envs do.

    The first i whose running sum exceeds one uniform draw (0 if round-off leaves the
    total below the draw, as np.argmax does there); a plain loop, faster than NumPy
    on lists of one to three outcomes.
    """
    u, total = rng.random(), 0.0
    for i, p in enumerate(probs):
        total += p
        if total > u:
            return i
    return 0


class TabularEnv(Env):
    """An environment given entirely by its table P and its start distribution."""

    def __init__(self, P, initial_state_distrib, max_episode_steps=None):
        self.P = P
        self.initial_state_distrib = np.asarray(initial_state_distrib, dtype=float)  # (n_states,)
        self.observation_space = Discrete(len(P))
        self.action_space = Discrete(len(P[0]))
        self.max_episode_steps = max_episode_steps

    def _reset(self):
        self.s = categorical_sample(self.initial_state_distrib, self.np_random)
        return self.s

    def _step(self, action):
        transitions = self.P[self.s][action]
        prob, s, reward, terminated = transitions[categorical_sample([t[0] for t in transitions], self.np_random)]
        self.s = s
        return int(s), reward, terminated, {"prob": prob}


def transition_arrays(P):
    """The table P as dense arrays: probabilities T (S, A, S) and expected rewards R (S, A).

    T[s, a, s'] = P(s' | s, a) and R[s, a] = sum over outcomes of prob * reward. A
    terminal outcome contributes no future value, so its probability mass is left
    out of T (the rows of T sum to 1 minus the probability of terminating).
    """
    n_states, n_actions = len(P), len(P[0])
    T = np.zeros((n_states, n_actions, n_states))  # (S, A, S)
    R = np.zeros((n_states, n_actions))  # (S, A)
    for s in range(n_states):
        for a in range(n_actions):
            for prob, nxt, reward, terminated in P[s][a]:
                R[s, a] += prob * reward
                if not terminated:
                    T[s, a, nxt] += prob
    return T, R


MAPS = {
    "4x4": ["SFFF", "FHFH", "FFFH", "HFFG"],
    "8x8": ["SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF", "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG"],
}


class FrozenLakeEnv(TabularEnv):
    """Walk from S to G over frozen tiles F without falling into a hole H.

    Actions 0 left, 1 down, 2 right, 3 up. On slippery ice the agent moves in the
    chosen direction or either perpendicular one, each with probability 1/3.
    Reward 1 on reaching G, else 0; G and H end the episode. Time limit 100 steps
    on 4x4 and 200 on 8x8, as in ``gymnasium.make("FrozenLake-v1")`` and
    ``gymnasium.make("FrozenLake8x8-v1")``.
    """

    def __init__(self, map_name="4x4", is_slippery=True):
        if map_name not in MAPS:
            raise ValueError(f"map_name must be one of {sorted(MAPS)}; got {map_name!r}")
        self.desc = np.asarray(MAPS[map_name], dtype="c")  # (n_rows, n_cols) of single bytes
        self.nrow, self.ncol = nrow, ncol = self.desc.shape
        success, fail = 1.0 / 3.0, (1.0 - 1.0 / 3.0) / 2.0  # Gymnasium's success_rate and fail_rate

        def outcome(row, col, a):
            if a == LEFT:
                col = max(col - 1, 0)
            elif a == DOWN:
                row = min(row + 1, nrow - 1)
            elif a == RIGHT:
                col = min(col + 1, ncol - 1)
            else:
                row = max(row - 1, 0)
            letter = self.desc[row, col]
            return row * ncol + col, float(letter == b"G"), bool(letter in b"GH")

        P = {}
        for row in range(nrow):
            for col in range(ncol):
                s = row * ncol + col
                P[s] = {}
                for a in range(4):
                    if self.desc[row, col] in b"GH":  # absorbing: the episode is already over
                        P[s][a] = [(1.0, s, 0, True)]
                    elif is_slippery:
                        P[s][a] = [(success if b == a else fail, *outcome(row, col, b)) for b in [(a - 1) % 4, a, (a + 1) % 4]]
                    else:
                        P[s][a] = [(1.0, *outcome(row, col, a))]
        start = (self.desc == b"S").astype(float).ravel()  # (n_states,)
        super().__init__(P, start / start.sum(), max_episode_steps=100 if map_name == "4x4" else 200)


class CliffWalkingEnv(TabularEnv):
    """Sutton & Barto's cliff (Example 6.6): a 4 x 12 grid, start bottom-left, goal bottom-right.

    Actions 0 up, 1 right, 2 down, 3 left. Every step costs -1; stepping into the
    cliff (the bottom row between start and goal) costs -100 and sends the agent
    back to the start. No time limit (as ``gymnasium.make("CliffWalking-v1")``).
    """

    def __init__(self):
        self.shape = n_rows, n_cols = (4, 12)
        moves = {0: (-1, 0), 1: (0, 1), 2: (1, 0), 3: (0, -1)}
        start = (n_rows - 1) * n_cols
        P = {}
        for s in range(n_rows * n_cols):
            row, col = divmod(s, n_cols)
            P[s] = {}
            for a, (dr, dc) in moves.items():
                r, c = min(max(row + dr, 0), n_rows - 1), min(max(col + dc, 0), n_cols - 1)
                if r == n_rows - 1 and 0 < c < n_cols - 1:  # the cliff
                    P[s][a] = [(1.0, start, -100, False)]
                else:
                    P[s][a] = [(1.0, r * n_cols + c, -1, (r, c) == (n_rows - 1, n_cols - 1))]
        super().__init__(P, np.eye(n_rows * n_cols)[start])


class GridworldEnv(TabularEnv):
    """The 4 x 4 gridworld of Sutton & Barto's Example 4.1 (Figure 4.1).

    States 0..15 row by row; 0 and 15 are terminal. Actions 0 up, 1 right, 2 down,
    3 left; a move off the grid leaves the state unchanged. Reward -1 on every step.
    Episodes start in a uniformly random non-terminal state.
    """

    def __init__(self, size=4):
        n = size * size
        moves = {0: (-1, 0), 1: (0, 1), 2: (1, 0), 3: (0, -1)}
        P = {}
        for s in range(n):
            row, col = divmod(s, size)
            P[s] = {}
            for a, (dr, dc) in moves.items():
                if s in (0, n - 1):
                    P[s][a] = [(1.0, s, 0, True)]
                    continue
                r, c = min(max(row + dr, 0), size - 1), min(max(col + dc, 0), size - 1)
                nxt = r * size + c
                P[s][a] = [(1.0, nxt, -1, nxt in (0, n - 1))]
        start = np.ones(n)
        start[[0, n - 1]] = 0
        super().__init__(P, start / start.sum())


class RandomWalkEnv(TabularEnv):
    """The random walk of Sutton & Barto's Example 6.2 (and 7.1 with 19 states).

    States 0..n_states + 1: the ends 0 and n_states + 1 are terminal, the walk starts
    in the middle. Action 0 moves left and 1 right; reward 1 only on leaving to the
    right. Under the 50/50 policy the true values are 1/(n+1), ..., n/(n+1).
    """

    def __init__(self, n_states=5):
        last = n_states + 1
        P = {0: {0: [(1.0, 0, 0, True)], 1: [(1.0, 0, 0, True)]}, last: {0: [(1.0, last, 0, True)], 1: [(1.0, last, 0, True)]}}
        for s in range(1, last):
            P[s] = {0: [(1.0, s - 1, 0, s - 1 == 0)], 1: [(1.0, s + 1, float(s + 1 == last), s + 1 == last)]}
        P = dict(sorted(P.items()))
        super().__init__(P, np.eye(last + 1)[(n_states + 1) // 2])


DECK = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10]  # an infinite deck: ace = 1, faces = 10


def _hand_value(hand):
    """(sum, usable ace): an ace counts 11 when that does not bust the hand."""
    total = sum(hand)
    return (total + 10, 1) if 1 in hand and total + 10 <= 21 else (total, 0)


class BlackjackEnv(Env):
    """Blackjack as in Sutton & Barto's Example 5.1 (``gymnasium.make("Blackjack-v1")``, sab=True).

    Observation (player sum, dealer's showing card 1..10, usable ace 0/1); action
    0 sticks, 1 hits. Reward +1 win, 0 draw, -1 loss; a natural (ace + ten) wins
    unless the dealer also has one. The dealer hits below 17.
    """

    def __init__(self):
        self.action_space = Discrete(2)
        self.observation_space = (Discrete(32), Discrete(11), Discrete(2))

    def reset(self, seed=None, options=None):
        """Deal a new hand; ``options={"state": (player_sum, dealer_card, usable_ace)}`` starts from that state.

        The chosen start (our addition; Gymnasium has none) serves Monte Carlo with exploring
        starts: the player's cards are made to give that sum and ace, the dealer's hidden card is drawn.
        """
        obs, info = super().reset(seed=seed)
        if options and "state" in options:
            total, card, ace = options["state"]
            if not (12 <= total <= 21 and 1 <= card <= 10 and ace in (0, 1)):
                raise ValueError(f"state must be (player sum 12..21, dealer card 1..10, usable ace 0/1); got {options['state']!r}")
            if ace:
                self.player = [1, total - 11] if total > 12 else [1, 1]  # ace as 11 plus the rest
            else:
                self.player = [10, total - 10] if total <= 20 else [10, 9, 2]  # 21 without a usable ace
            self.dealer = [card, self._draw()]
            obs = self._obs()
        return obs, info

    def _draw(self):
        return int(self.np_random.choice(DECK))

    def _obs(self):
        total, ace = _hand_value(self.player)
        return (total, self.dealer[0], ace)

    def _reset(self):
        self.dealer = [self._draw(), self._draw()]
        self.player = [self._draw(), self._draw()]
        # Gymnasium also draws a suit (and a face for a ten) for its pictures; we make the
        # same draws so that the same seed deals the same cards in both.
        self.np_random.choice(["C", "D", "H", "S"])
        if self.dealer[0] == 10:
            self.np_random.choice(["J", "Q", "K"])
        return self._obs()

    def _step(self, action):
        if action == 1:  # hit
            self.player.append(self._draw())
            if _hand_value(self.player)[0] > 21:
                return self._obs(), -1.0, True, {}
            return self._obs(), 0.0, False, {}
        while _hand_value(self.dealer)[0] < 17:  # stick: the dealer plays out
            self.dealer.append(self._draw())
        player, dealer = _hand_value(self.player)[0], _hand_value(self.dealer)[0]
        player, dealer = (0 if player > 21 else player), (0 if dealer > 21 else dealer)
        reward = float(player > dealer) - float(player < dealer)
        if sorted(self.player) == [1, 10] and sorted(self.dealer) != [1, 10]:
            reward = 1.0  # a natural wins outright
        return self._obs(), reward, True, {}


class CartPoleEnv(Env):
    """Balance a pole on a cart (Barto, Sutton & Anderson 1983; ``CartPole-v1``).

    State (x, x_dot, theta, theta_dot); action 0 pushes left, 1 right with 10 N.
    Reward +1 per step; the episode terminates when |theta| > 12 degrees or
    |x| > 2.4, and is truncated after 500 steps. Euler integration with tau = 0.02 s.
    """

    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    theta_threshold_radians, x_threshold = 12 * 2 * math.pi / 360, 2.4

    def __init__(self, max_episode_steps=500):
        high = np.array([self.x_threshold * 2, np.inf, self.theta_threshold_radians * 2, np.inf], dtype=np.float32)
        self.action_space, self.observation_space = Discrete(2), Box(-high, high)
        self.max_episode_steps = max_episode_steps
        self.total_mass = self.masspole + self.masscart
        self.polemass_length = self.masspole * self.length  # length is half the pole's length

    def _reset(self):
        self.state = self.np_random.uniform(low=-0.05, high=0.05, size=(4,))  # (4,)
        return np.array(self.state, dtype=np.float32)

    def _step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta, sintheta = np.cos(theta), np.sin(theta)
        temp = (force + self.polemass_length * np.square(theta_dot) * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * np.square(costheta) / self.total_mass)
        )
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * xacc  # explicit Euler, in Gymnasium's order
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * thetaacc
        self.state = np.array((x, x_dot, theta, theta_dot), dtype=np.float64)  # (4,)
        terminated = bool(abs(x) > self.x_threshold or abs(theta) > self.theta_threshold_radians)
        return np.array(self.state, dtype=np.float32), 1.0, terminated, {}


class MountainCarEnv(Env):
    """Drive an under-powered car up a hill (Moore 1990; Sutton & Barto Example 10.1; ``MountainCar-v0``).

    State (position, velocity); action 0 accelerates left, 1 not at all, 2 right.
    velocity += (a - 1) 0.001 - 0.0025 cos(3 position), clipped to [-0.07, 0.07];
    position += velocity, clipped to [-1.2, 0.6] (hitting the left wall stops the car).
    Reward -1 per step until position >= 0.5; truncated after 200 steps.
    """

    min_position, max_position, max_speed, goal_position, force, gravity = -1.2, 0.6, 0.07, 0.5, 0.001, 0.0025

    def __init__(self, max_episode_steps=200):
        low = np.array([self.min_position, -self.max_speed], dtype=np.float32)
        high = np.array([self.max_position, self.max_speed], dtype=np.float32)
        self.action_space, self.observation_space = Discrete(3), Box(low, high)
        self.max_episode_steps = max_episode_steps

    def _reset(self):
        self.state = np.array([self.np_random.uniform(low=-0.6, high=-0.4), 0])  # (2,)
        return np.array(self.state, dtype=np.float32)

    def _step(self, action):
        position, velocity = self.state
        velocity += (action - 1) * self.force + math.cos(3 * position) * (-self.gravity)
        velocity = np.clip(velocity, -self.max_speed, self.max_speed)
        position = np.clip(position + velocity, self.min_position, self.max_position)
        if position == self.min_position and velocity < 0:
            velocity = 0
        self.state = (position, velocity)
        terminated = bool(position >= self.goal_position and velocity >= 0)
        return np.array(self.state, dtype=np.float32), -1.0, terminated, {}
