r"""Adam and its family in closed form: bias correction, the band, ε, weight decay, NAdam's μ_t, RAdam's ρ_t.

Adam (:class:`descent.optim.Adam`, as torch computes it) keeps two leaky averages of the
gradient :math:`g_t` and of its square, and divides one by the root of the other:

.. math::

    m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
    v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2, \qquad
    \hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t},

    \theta_{t+1} = \theta_t - \alpha\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon},
    \qquad t = 1, 2, \dots

Every function here is one formula that follows from these lines (or from the variants of
the family in :mod:`descent.optim`), vectorised over the step :math:`t` where that is natural. The
chapters check each against a run of the optimizer itself.

- Bias correction: :func:`bias_correction`, :func:`uncorrected_step_factor`, :func:`first_step`.
- The band a constant rate ends in on a noise-free quadratic: :func:`critical_denominator`, :func:`band_rms`.
- Where ε goes: :func:`epsilon_hat_equivalent`.
- Weight decay: :func:`l2_decay_rate` (Adam with an L2 term), :func:`decoupled_decay_factor` (AdamW).
- NAdam: :func:`nadam_momentum`.
- RAdam: :func:`radam_rho_infinity`, :func:`radam_rho`, :func:`radam_rectifier`,
  :func:`radam_first_adaptive_step`, :func:`rectifier_shortfall`, :func:`warmup_steps`,
  :func:`linear_warmup_shortfall`.

Invalid arguments raise ``ValueError`` (``TypeError`` for a value of the wrong kind) naming them.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import in_range, integer, integer_array, non_negative, positive, real

__all__ = [
    "bias_correction",
    "uncorrected_step_factor",
    "first_step",
    "critical_denominator",
    "band_rms",
    "epsilon_hat_equivalent",
    "l2_decay_rate",
    "decoupled_decay_factor",
    "nadam_momentum",
    "radam_rho_infinity",
    "radam_rho",
    "radam_rectifier",
    "radam_first_adaptive_step",
    "rectifier_shortfall",
    "warmup_steps",
    "linear_warmup_shortfall",
]


def _beta(name, value):
    return in_range(name, value, 0, 1, high_open=True)


def _betas(betas):
    try:
        beta1, beta2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None
    return _beta("betas[0] (beta1)", beta1), _beta("betas[1] (beta2)", beta2)


def _steps(t):
    """The step(s) t >= 1 as an int64 array (0-d for a number)."""
    return integer_array("t", t, 1)


def _out(array):
    """A 0-d result as a float, anything else as an array."""
    array = np.asarray(array, dtype=float)
    return float(array) if array.ndim == 0 else array


# ----------------------------------------------------------------------------- bias correction


def bias_correction(beta, t):
    r"""The bias-correction divisor :math:`1 - \beta^t` of a leaky average started at zero.

    A leaky average :math:`m_t = \beta m_{t-1} + (1-\beta) g_t` with :math:`m_0 = 0` of a constant
    :math:`g` equals :math:`(1 - \beta^t)\, g`: it starts too small by this factor, which Adam divides
    out (:math:`\hat m_t = m_t / (1 - \beta_1^t)`, :math:`\hat v_t = v_t / (1 - \beta_2^t)`).

    Parameters
    ----------
    beta : float
        The average's decay, in [0, 1).
    t : int or array_like of int
        Step(s), >= 1.

    Returns
    -------
    float or numpy.ndarray
    """
    beta = _beta("beta", beta)
    return _out(1.0 - beta ** _steps(t).astype(float))


def uncorrected_step_factor(t, betas=(0.9, 0.999)):
    r"""How much larger Adam's step would be without bias correction, for a steady gradient.

    For a constant gradient (and :math:`\varepsilon \to 0`) the uncorrected step
    :math:`\alpha\, m_t / \sqrt{v_t}` is the corrected one times

    .. math::

        \frac{1 - \beta_1^t}{\sqrt{1 - \beta_2^t}},

    which is :math:`(1-\beta_1)/\sqrt{1-\beta_2} = 0.1/\sqrt{0.001} \approx 3.16` at :math:`t = 1` with the
    default betas, rises to about 6.57 at :math:`t = 12`, and tends to 1 only after thousands of steps.

    Parameters
    ----------
    t : int or array_like of int
        Step(s), >= 1.
    betas : (float, float), default (0.9, 0.999)

    Returns
    -------
    float or numpy.ndarray
    """
    beta1, beta2 = _betas(betas)
    steps = _steps(t).astype(float)
    return _out((1.0 - beta1**steps) / np.sqrt(1.0 - beta2**steps))


def first_step(alpha, betas=(0.9, 0.999), corrected=True):
    r"""The size of Adam's first step in every coordinate with a nonzero gradient (for :math:`\varepsilon \to 0`).

    After one step :math:`m_1 = (1-\beta_1) g_1` and :math:`v_1 = (1-\beta_2) g_1^2`. With bias correction
    :math:`\hat m_1 / \sqrt{\hat v_1} = g_1/|g_1|`, so the step is :math:`\alpha\,\mathrm{sign}(g_1)`: size
    :math:`\alpha` whatever the gradient. Without it, :math:`m_1/\sqrt{v_1} = (1-\beta_1)/\sqrt{1-\beta_2}\,
    \mathrm{sign}(g_1)`, about :math:`3.16\,\alpha` with the default betas.

    Parameters
    ----------
    alpha : float
        :math:`\alpha \ge 0`.
    betas : (float, float), default (0.9, 0.999)
    corrected : bool, default True
        With bias correction (as Adam is defined), or without.

    Returns
    -------
    float
    """
    alpha = non_negative("alpha", alpha)
    beta1, beta2 = _betas(betas)
    if corrected:
        return alpha
    return alpha * (1.0 - beta1) / math.sqrt(1.0 - beta2)


# ----------------------------------------------------------------------------- the band


def critical_denominator(alpha, beta1, curvature):
    r"""The denominator :math:`\sqrt{\hat v}` below which Adam turns unstable on a quadratic of curvature L.

    Late in a run :math:`\hat v_t` changes slowly (over about :math:`1/(1-\beta_2)` steps), so over a few
    steps Adam is heavy-ball momentum with a frozen per-coordinate rate. Writing
    :math:`D = \sqrt{\hat v} + \varepsilon` and :math:`m_t = (1-\beta_1)\, u_t`, the step
    :math:`\theta \leftarrow \theta - (\alpha/D)\, m_t` is torch's momentum with learning rate
    :math:`\alpha(1-\beta_1)/D` and momentum :math:`\beta_1`, which is stable iff
    :math:`\alpha(1-\beta_1)L/D < 2 + 2\beta_1`, that is iff

    .. math::

        D > D^\ast = \frac{\alpha\,(1-\beta_1)\,L}{2\,(1+\beta_1)} .

    Parameters
    ----------
    alpha : float
        :math:`\alpha > 0`.
    beta1 : float
        In [0, 1).
    curvature : float
        :math:`L > 0` (the coordinate's curvature).

    Returns
    -------
    float
    """
    alpha, beta1, curvature = positive("alpha", alpha), _beta("beta1", beta1), positive("curvature", curvature)
    return alpha * (1.0 - beta1) * curvature / (2.0 * (1.0 + beta1))


def band_rms(alpha, beta1=0.9):
    r"""The root-mean-square distance from the minimum at which constant-rate Adam settles on a quadratic.

    On a noise-free quadratic Adam first converges, but :math:`\hat v_t` keeps forgetting the large early
    gradients until :math:`\sqrt{\hat v_t}` falls below :func:`critical_denominator`; the iterates are then
    thrown out again, which raises :math:`\hat v_t`, and so on. They end in a band where
    :math:`\sqrt{\hat v}`, the root-mean-square gradient :math:`L\,\mathrm{rms}(\theta)`, sits at that
    threshold:

    .. math::

        \mathrm{rms}(\theta - \theta^\star) \approx \frac{D^\ast}{L} = \frac{\alpha\,(1-\beta_1)}{2\,(1+\beta_1)},

    proportional to :math:`\alpha` and independent of the curvature (:math:`\alpha/38` for
    :math:`\beta_1 = 0.9`). An estimate: the band is a cycle of bursts, and its measured rms is a few per
    cent above this value.

    Parameters
    ----------
    alpha : float
        :math:`\alpha > 0`.
    beta1 : float, default 0.9

    Returns
    -------
    float
    """
    alpha, beta1 = positive("alpha", alpha), _beta("beta1", beta1)
    return alpha * (1.0 - beta1) / (2.0 * (1.0 + beta1))


# ----------------------------------------------------------------------------- where ε goes


def epsilon_hat_equivalent(eps_hat, beta2, t):
    r"""The :math:`\varepsilon` of torch's form that equals a given :math:`\hat\varepsilon` of the paper's efficient form.

    The efficient form (the end of section 2 of Kingma and Ba; TensorFlow, Keras and scikit-learn) folds
    the bias corrections into the rate and adds :math:`\hat\varepsilon` to the uncorrected root:

    .. math::

        \theta_{t+1} = \theta_t - \alpha\,\frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}\,
        \frac{m_t}{\sqrt{v_t} + \hat\varepsilon}
        = \theta_t - \alpha\,\frac{\hat m_t}{\sqrt{\hat v_t} + \hat\varepsilon / \sqrt{1-\beta_2^t}} .

    So it is torch's Adam with a step-dependent :math:`\varepsilon_t = \hat\varepsilon/\sqrt{1-\beta_2^t}`:
    :math:`\sqrt{1000} \approx 31.6` times :math:`\hat\varepsilon` at :math:`t = 1` for
    :math:`\beta_2 = 0.999`, falling to :math:`\hat\varepsilon` over thousands of steps.

    Parameters
    ----------
    eps_hat : float
        :math:`\hat\varepsilon \ge 0`.
    beta2 : float
        In [0, 1).
    t : int or array_like of int
        Step(s), >= 1.

    Returns
    -------
    float or numpy.ndarray
    """
    eps_hat, beta2 = non_negative("eps_hat", eps_hat), _beta("beta2", beta2)
    return _out(eps_hat / np.sqrt(1.0 - beta2 ** _steps(t).astype(float)))


# ----------------------------------------------------------------------------- weight decay


def l2_decay_rate(weight_decay, v_hat, eps=1e-8):
    r"""The fraction of a weight that Adam with an L2 term removes per step, per unit of learning rate.

    With an L2 term the gradient is :math:`g + c\,\theta`; the decay part :math:`c\,\theta` passes through
    the moments and is divided by :math:`\sqrt{\hat v} + \varepsilon` like the rest, so coordinate i shrinks
    by about

    .. math::

        \alpha\, \frac{c}{\sqrt{\hat v_i} + \varepsilon}

    of itself per step (while :math:`\theta` changes slowly compared with the averaging window): little
    where gradients are large, a lot where they are small. AdamW's decoupled decay removes
    :math:`\alpha c` from every coordinate alike (:func:`decoupled_decay_factor`).

    Parameters
    ----------
    weight_decay : float
        :math:`c \ge 0`.
    v_hat : float or array_like
        The bias-corrected second moment :math:`\hat v_i \ge 0`, per coordinate.
    eps : float, default 1e-8

    Returns
    -------
    float or numpy.ndarray
    """
    weight_decay, eps = non_negative("weight_decay", weight_decay), non_negative("eps", eps)
    v_hat = np.asarray(v_hat, dtype=float)
    if not np.all(np.isfinite(v_hat)) or np.any(v_hat < 0):
        raise ValueError(f"v_hat must be finite and >= 0 everywhere, got {v_hat!r}")
    with np.errstate(divide="ignore"):
        return _out(weight_decay / (np.sqrt(v_hat) + eps))


def decoupled_decay_factor(alpha, weight_decay, steps=1):
    r"""The factor by which torch's AdamW shrinks every weight over ``steps`` steps, apart from the gradient.

    torch's AdamW first multiplies every parameter by :math:`1 - \alpha c` and then takes the Adam
    step with the raw gradient. The decay is multiplied by the learning rate :math:`\alpha` (the paper
    multiplies it by the schedule's multiplier :math:`\eta_t` only), so over k steps at a constant rate the
    factor is

    .. math::

        (1 - \alpha c)^k \approx e^{-k\alpha c} :

    halving :math:`\alpha` halves the decay unless :math:`c` is doubled. (The course writes :math:`c` for
    the strength of weight decay, decoupled or not; torch's documentation calls it :math:`\lambda`.)

    Parameters
    ----------
    alpha : float
        :math:`\alpha \ge 0`.
    weight_decay : float
        :math:`c \ge 0`, with :math:`\alpha c \le 1`.
    steps : int, default 1
        k >= 0.

    Returns
    -------
    float
    """
    alpha, weight_decay = non_negative("alpha", alpha), non_negative("weight_decay", weight_decay)
    steps = integer("steps", steps, 0)
    if alpha * weight_decay > 1:
        raise ValueError(f"alpha * weight_decay must be <= 1 (a shrink factor >= 0), got {alpha * weight_decay!r}")
    return (1.0 - alpha * weight_decay) ** steps


# ----------------------------------------------------------------------------- NAdam


def nadam_momentum(t, beta1=0.9, momentum_decay=4e-3):
    r"""NAdam's momentum schedule :math:`\mu_t` as torch computes it (Dozat's warming schedule).

    .. math::

        \mu_t = \beta_1 \left(1 - \tfrac12\, 0.96^{\,t\,\psi}\right), \qquad \psi = \text{momentum\_decay} = 0.004 .

    It starts at :math:`\mu_1 \approx \beta_1/2 = 0.45`, is still only about 0.52 at :math:`t = 1000`
    (:math:`0.96^{4} \approx 0.85`), 0.81 at :math:`t = 10^4`, and tends to :math:`\beta_1`.

    Parameters
    ----------
    t : int or array_like of int
        Step(s), >= 1.
    beta1 : float, default 0.9
    momentum_decay : float, default 4e-3
        :math:`\psi \ge 0`.

    Returns
    -------
    float or numpy.ndarray
    """
    beta1, psi = _beta("beta1", beta1), non_negative("momentum_decay", momentum_decay)
    return _out(beta1 * (1.0 - 0.5 * 0.96 ** (_steps(t).astype(float) * psi)))


# ----------------------------------------------------------------------------- RAdam


def radam_rho_infinity(beta2):
    r""":math:`\rho_\infty = 2/(1-\beta_2) - 1`, the length of the simple moving average that an
    exponential average with decay :math:`\beta_2` approximates (1999 for :math:`\beta_2 = 0.999`).

    Parameters
    ----------
    beta2 : float
        In [0, 1).

    Returns
    -------
    float
    """
    beta2 = _beta("beta2", beta2)
    return 2.0 / (1.0 - beta2) - 1.0


def radam_rho(t, beta2=0.999):
    r"""RAdam's :math:`\rho_t`: the length of the moving average that :math:`\hat v_t` amounts to after t steps.

    .. math::

        \rho_t = \rho_\infty - \frac{2\, t\, \beta_2^t}{1 - \beta_2^t},

    with :math:`\rho_1 = 1` and :math:`\rho_t \approx t` for :math:`t \ll 1/(1-\beta_2)`: early on,
    :math:`\hat v_t` is an average of only about t squared gradients.

    Parameters
    ----------
    t : int or array_like of int
        Step(s), >= 1.
    beta2 : float, default 0.999

    Returns
    -------
    float or numpy.ndarray
    """
    rho_inf = radam_rho_infinity(beta2)
    steps = _steps(t).astype(float)
    power = beta2**steps
    return _out(rho_inf - 2.0 * steps * power / (1.0 - power))


def radam_rectifier(t, beta2=0.999):
    r"""RAdam's rectifier :math:`r_t`, the factor that scales the adaptive step (``nan`` where :math:`\rho_t \le 4`).

    .. math::

        r_t = \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\,\rho_\infty}{(\rho_\infty - 4)(\rho_\infty - 2)\,\rho_t}},

    the ratio of the standard deviation of :math:`1/\sqrt{\hat v_t}` at :math:`\rho_\infty` to its value
    at :math:`\rho_t` (a variance that is infinite for :math:`\rho_t \le 4`). It rises from about 0.02
    to 1 over a few thousand steps for :math:`\beta_2 = 0.999`. Whether a step uses it is decided by
    a threshold on :math:`\rho_t`: 4 in the paper, 5 in torch (:func:`radam_first_adaptive_step`).

    Parameters
    ----------
    t : int or array_like of int
        Step(s), >= 1.
    beta2 : float, default 0.999
        Must leave :math:`\rho_\infty > 4` (:math:`\beta_2 > 0.6`).

    Returns
    -------
    float or numpy.ndarray
    """
    rho_inf = radam_rho_infinity(beta2)
    if rho_inf <= 4:
        raise ValueError(f"beta2 must be > 0.6 (so that rho_infinity > 4), got {beta2!r}")
    rho = np.asarray(radam_rho(t, beta2))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho)
        rectifier = np.where(rho > 4, np.sqrt(np.where(rho > 4, ratio, 0.0)), np.nan)
    return _out(rectifier)


def radam_first_adaptive_step(beta2=0.999, threshold=5.0):
    r"""The first step t at which RAdam uses the adaptive (rectified) step: the smallest t with :math:`\rho_t > `
    ``threshold``.

    torch uses ``threshold = 5``; the paper's Algorithm 2 uses 4. Since :math:`\rho_t \approx t` at first,
    the first adaptive step is t = 6 in torch and t = 5 in the paper for :math:`\beta_2 = 0.999`; before it
    RAdam takes bias-corrected momentum steps, :math:`\alpha\,\hat m_t`, which are not normalised by the
    gradient's size. Returns ``math.inf`` when :math:`\rho_\infty \le` ``threshold`` (never adaptive).

    Parameters
    ----------
    beta2 : float, default 0.999
    threshold : float, default 5.0
        >= 4 (below 4 the rectifier is undefined).

    Returns
    -------
    int or float
    """
    rho_inf = radam_rho_infinity(beta2)
    threshold = real("threshold", threshold, ">= 4")
    if threshold < 4:
        raise ValueError(f"threshold must be >= 4 (the rectifier needs rho_t > 4), got {threshold!r}")
    if rho_inf <= threshold:
        return math.inf
    t = 1
    while radam_rho(t, beta2) <= threshold:  # rho_t increases with t, roughly like t at first
        t += 1
    return t


def rectifier_shortfall(beta2=0.999):
    r"""How much adaptive step the rectifier withholds in total: :math:`\sum_{t \ge 1} (1 - r_t)`, with
    :math:`r_t = 0` while :math:`\rho_t \le 4`.

    About :math:`1/(1-\beta_2)` (1033 for :math:`\beta_2 = 0.999`, 107 for 0.99): the same as a linear
    warmup of the rate over :func:`warmup_steps` :math:`= 2/(1-\beta_2)` steps withholds
    (:func:`linear_warmup_shortfall`), the link Ma and Yarats pointed out. The shapes differ: :math:`r_t`
    rises faster at first and approaches 1 more slowly.

    Parameters
    ----------
    beta2 : float, default 0.999
        In (0.6, 1).

    Returns
    -------
    float
    """
    rho_inf = radam_rho_infinity(beta2)
    if rho_inf <= 4:
        raise ValueError(f"beta2 must be > 0.6 (so that rho_infinity > 4), got {beta2!r}")
    horizon = int(math.ceil(40.0 / (1.0 - beta2))) + 10  # beyond it beta2^t < e^-40: the terms vanish
    rectifier = np.nan_to_num(np.asarray(radam_rectifier(np.arange(1, horizon + 1), beta2)), nan=0.0)
    return float(np.sum(1.0 - rectifier))


def warmup_steps(beta2=0.999):
    r"""The length :math:`\tau = 2/(1-\beta_2)` of the linear warmup that withholds as much as RAdam's rectifier.

    Parameters
    ----------
    beta2 : float, default 0.999

    Returns
    -------
    float
    """
    beta2 = _beta("beta2", beta2)
    return 2.0 / (1.0 - beta2)


def linear_warmup_shortfall(steps):
    r"""What a linear warmup :math:`\eta_t = \min(1, t/\tau)` of ``steps`` :math:`= \tau` steps withholds:
    :math:`\sum_{t \ge 1} (1 - \min(1, t/\tau)) = (\tau - 1)/2`.

    Parameters
    ----------
    steps : float
        :math:`\tau > 0` (need not be an integer).

    Returns
    -------
    float
    """
    tau = positive("steps", steps)
    t = np.arange(1, int(math.ceil(tau)) + 1)
    return float(np.sum(1.0 - np.minimum(1.0, t / tau)))
