r"""Closed forms for the adaptive methods of chapters 4 and 5: AdaGrad, RMSProp and Adadelta.

Each function is one formula, with the names and argument order of the other theory modules (the
learning rate ``alpha`` first, then the method's other hyperparameters). The symbols are those of the
notation page: :math:`\alpha` the learning rate (torch ``lr``), :math:`\gamma` the decay of a leaky average (torch's ``alpha`` for
RMSprop, ``rho`` for Adadelta), :math:`\varepsilon` the constant in the denominator (``eps``),
:math:`\sigma` the standard deviation of the gradient noise in one coordinate, :math:`t` the
number of steps taken.

**The leaky average.** RMSProp and Adadelta keep :math:`s_t = \gamma s_{t-1} + (1-\gamma)\,x_t`,
which unrolls (from :math:`s_0 = 0`) to

.. math::

    s_t = \sum_{k=0}^{t-1} (1-\gamma)\gamma^k\, x_{t-k}:

the value :math:`k` steps old has the weight :math:`(1-\gamma)\gamma^k`
(:func:`leaky_average_weights`). The weights add up to :math:`1-\gamma^t \to 1`; the newest one
is :math:`1/(1-\gamma)` of the total, as in a flat average over :func:`average_window` values;
they halve every :func:`half_life` steps.

**AdaGrad** divides by :math:`\sqrt{s_t}` with :math:`s_t = \sum_k g_k^2`. A coordinate whose
gradient is pure noise of standard deviation :math:`\sigma` has :math:`s_t \approx \sigma^2 t`,
hence the effective rate :func:`adagrad_rate_under_noise`; a feature present in a fraction
:math:`p` of the examples has :math:`s_t \propto p\,t`, hence :func:`rare_feature_rate_ratio`.

**Adadelta** replaces :math:`\alpha` by :math:`\sqrt{u_{t-1} + \varepsilon}`, the root mean
square of its own past steps; its first step and its growth under a constant gradient are
:func:`adadelta_first_step` and :func:`adadelta_step_growth`.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import in_range, integer, integer_array, non_negative, positive

__all__ = [
    "leaky_average_weights",
    "average_window",
    "half_life",
    "crossover_steps",
    "rmsprop_first_step",
    "adagrad_rate_under_noise",
    "rare_feature_rate_ratio",
    "adadelta_first_step",
    "adadelta_step_growth",
]


def _decay(gamma, name: str = "gamma") -> float:
    return in_range(name, gamma, 0.0, 1.0, high_open=True)


def _root_steps(step):
    r""":math:`\sqrt t` for a step count or an array of them, all integers >= 1."""
    if np.ndim(step) == 0:
        return math.sqrt(integer("step", step, 1))
    return np.sqrt(integer_array("step", step, 1).astype(float))


def leaky_average_weights(gamma, steps) -> np.ndarray:
    r"""The weights :math:`(1-\gamma)\gamma^k`, :math:`k = 0, \dots, steps-1`, of the leaky average.

    Entry :math:`k` is the weight that :math:`s_t = \gamma s_{t-1} + (1-\gamma)x_t` gives to the
    value :math:`x_{t-k}`, seen :math:`k` steps ago. Their sum is :math:`1 - \gamma^{steps}`.

    Parameters
    ----------
    gamma : float
        Decay :math:`\gamma` in [0, 1).
    steps : int
        How many weights, >= 1.

    Returns
    -------
    numpy.ndarray, shape (steps,)
    """
    gamma = _decay(gamma)
    steps = integer("steps", steps, 1)
    return (1.0 - gamma) * gamma ** np.arange(steps, dtype=float)


def average_window(gamma) -> float:
    r"""The window :math:`1/(1-\gamma)` of a leaky average with decay :math:`\gamma \in [0, 1)`.

    The newest value gets the weight :math:`1-\gamma`: a flat average over
    :math:`1/(1-\gamma)` values gives its newest value the same weight (10 values for
    :math:`\gamma = 0.9`). It is also the total of the unnormalised weights
    :math:`1 + \gamma + \gamma^2 + \dots`.
    """
    return 1.0 / (1.0 - _decay(gamma))


def half_life(gamma) -> float:
    r"""The half-life :math:`\ln 2 / \ln(1/\gamma)` of a leaky average, in steps.

    The weight of a value halves every half-life (:math:`\gamma^h = 1/2`), and the newest
    :math:`h` values carry half of the total weight (:math:`1 - \gamma^h = 1/2`). For
    :math:`\gamma = 0.9` it is 6.58 steps, not the window :math:`1/(1-\gamma) = 10`.

    Parameters
    ----------
    gamma : float
        Decay in (0, 1).
    """
    gamma = in_range("gamma", gamma, 0.0, 1.0, low_open=True, high_open=True)
    return math.log(2.0) / math.log(1.0 / gamma)


def crossover_steps(gamma, scale_ratio) -> float:
    r"""Steps after a gradient's scale drops by ``scale_ratio`` until the old and new gradients weigh the same.

    A leaky average of :math:`g^2` that has settled at :math:`g_{\mathrm{old}}^2` and then sees
    :math:`g_{\mathrm{new}} = g_{\mathrm{old}} / c` holds, :math:`k` steps later,
    :math:`\gamma^k g_{\mathrm{old}}^2 + (1-\gamma^k)\, g_{\mathrm{new}}^2`. The two parts are equal when
    :math:`\gamma^k = 1/(1 + c^2)`:

    .. math::

        k^\star = \frac{\ln(1 + c^2)}{\ln(1/\gamma)} = h \log_2(1 + c^2),

    :math:`h` the :func:`half_life`. From then on RMSProp's step is within a factor
    :math:`\sqrt 2` of its new steady size; AdaGrad, whose sum never forgets, never gets there.

    Parameters
    ----------
    gamma : float
        Decay in (0, 1).
    scale_ratio : float
        :math:`c = g_{\mathrm{old}} / g_{\mathrm{new}}`, > 0.
    """
    gamma = in_range("gamma", gamma, 0.0, 1.0, low_open=True, high_open=True)
    c = positive("scale_ratio", scale_ratio)
    return math.log1p(c * c) / math.log(1.0 / gamma)


def rmsprop_first_step(alpha, gamma) -> float:
    r"""Size of RMSProp's first step per coordinate, :math:`\alpha / \sqrt{1 - \gamma}`, as torch takes it.

    torch starts the average at :math:`s_0 = 0` without a bias correction, so
    :math:`s_1 = (1-\gamma)g_0^2` and the first step is :math:`\alpha|g_0|/\sqrt{(1-\gamma)g_0^2}`
    whatever :math:`g_0` is (for :math:`|g_0| \gg \varepsilon`): :math:`10\alpha` at torch's
    default :math:`\gamma = 0.99`.

    Parameters
    ----------
    alpha : float
        Learning rate :math:`\alpha \ge 0`.
    gamma : float
        Decay in [0, 1).
    """
    return non_negative("alpha", alpha) / math.sqrt(1.0 - _decay(gamma))


def adagrad_rate_under_noise(alpha, sigma, step):
    r"""AdaGrad's effective rate :math:`\alpha / (\sigma\sqrt t)` once its sum is made of gradient noise.

    A coordinate whose gradients are noise of variance :math:`\sigma^2` (the iterates have
    settled at the minimum) accumulates :math:`s_t = \sum_{k<t} g_k^2 \approx \sigma^2 t`, so its
    effective rate :math:`\alpha/(\sqrt{s_t} + \varepsilon)` falls like :math:`1/\sqrt t`. What
    the gradient added while the iterates approached the minimum is left out: the formula holds
    once :math:`\sigma^2 t` dominates it.

    Parameters
    ----------
    alpha : float
        Learning rate :math:`\alpha \ge 0`.
    sigma : float
        Noise standard deviation :math:`\sigma > 0`.
    step : int or array_like of int
        :math:`t \ge 1`.

    Returns
    -------
    float or numpy.ndarray
    """
    alpha, sigma = non_negative("alpha", alpha), positive("sigma", sigma)
    return alpha / (sigma * _root_steps(step))


def rare_feature_rate_ratio(p_common, p_rare) -> float:
    r"""How much larger AdaGrad's effective rate is for a rare feature: :math:`\sqrt{p_{\mathrm{common}} / p_{\mathrm{rare}}}`.

    A feature present in a fraction :math:`p` of the examples has a non-zero gradient only in
    those examples, so (with residuals of similar size) its sum of squared gradients grows like
    :math:`p\,t` and its effective rate :math:`\alpha/\sqrt{s_t}` like :math:`1/\sqrt{p\,t}`.

    Parameters
    ----------
    p_common, p_rare : float
        Frequencies in (0, 1].
    """
    p_common = in_range("p_common", p_common, 0.0, 1.0, low_open=True)
    p_rare = in_range("p_rare", p_rare, 0.0, 1.0, low_open=True)
    return math.sqrt(p_common / p_rare)


def adadelta_first_step(alpha, gamma, eps) -> float:
    r"""Adadelta's first step, :math:`\alpha\sqrt{\varepsilon/(1-\gamma)}`, for a gradient :math:`|g_0| \gg \sqrt{\varepsilon/(1-\gamma)}`.

    With :math:`u_0 = 0` and :math:`s_1 = (1-\gamma)g_0^2`, the first step is

    .. math::

        \alpha\,\frac{\sqrt{0 + \varepsilon}}{\sqrt{(1-\gamma)g_0^2 + \varepsilon}}\,|g_0|
        \;\to\; \alpha\sqrt{\frac{\varepsilon}{1-\gamma}} ,

    the same for every gradient large against :math:`\sqrt{\varepsilon/(1-\gamma)}`
    (:math:`3.16 \times 10^{-3}` with torch's defaults :math:`\gamma = 0.9`,
    :math:`\varepsilon = 10^{-6}`, :math:`\alpha = 1`): :math:`\varepsilon` sets the scale of
    the steps.

    Parameters
    ----------
    alpha : float
        torch's multiplier ``lr`` of the step, :math:`\ge 0`; 1 is Zeiler's method, which has none.
    gamma : float
        Decay :math:`\gamma` (Zeiler's and torch's ``rho``) in [0, 1).
    eps : float
        :math:`\varepsilon > 0`.
    """
    return non_negative("alpha", alpha) * math.sqrt(positive("eps", eps) / (1.0 - _decay(gamma)))


def adadelta_step_growth(alpha, gamma, eps, step):
    r"""Adadelta's step after :math:`t` steps of a constant gradient, asymptotically :math:`\alpha\sqrt{\varepsilon(1-\gamma)t}`.

    Once the average of :math:`g^2` has settled at :math:`g^2 \gg \varepsilon`, the step is
    :math:`\Delta_t = \alpha\sqrt{u_{t-1} + \varepsilon}`, and
    :math:`u_t = \gamma u_{t-1} + (1-\gamma)\Delta_t^2` grows by :math:`(1-\gamma)\varepsilon` a
    step (for :math:`\alpha = 1`): :math:`u_t \approx (1-\gamma)\varepsilon\, t`. The step grows
    like :math:`\sqrt t`, in units of :math:`\sqrt\varepsilon`: a slow, built-in warm-up.
    The first steps are larger than this asymptote (the start adds a constant to
    :math:`u_t/\varepsilon`), and the two agree to about 1 % after 10,000 steps at
    :math:`\gamma = 0.9`.

    Parameters
    ----------
    alpha : float
        torch's multiplier ``lr`` of the step, :math:`\ge 0` (1 is Zeiler's method).
    gamma : float
        Decay in [0, 1).
    eps : float
        :math:`\varepsilon > 0`.
    step : int or array_like of int
        :math:`t \ge 1`.

    Returns
    -------
    float or numpy.ndarray
    """
    scale = non_negative("alpha", alpha) * math.sqrt(positive("eps", eps) * (1.0 - _decay(gamma)))
    return scale * _root_steps(step)
