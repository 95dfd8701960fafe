r"""Adam and its family: AMSGrad, AdamW, AdaMax, NAdam, RAdam."""

import math

import numpy as np

from .._validation import betas_pair, flag, non_negative
from .axpy import axpy_
from .base import Optimizer

__all__ = ["Adam", "AdamW", "AdaMax", "NAdam", "RAdam"]

_ADAM_FAMILY = {
    "lr": non_negative,
    "betas": betas_pair,
    "eps": non_negative,
    "weight_decay": non_negative,
}


class _Moments(Optimizer):
    """Shared by the family: the decay (L2 or decoupled) and the two moment updates."""

    decoupled_weight_decay = False
    _fields = ("step", "exp_avg", "exp_avg_sq")

    def _init_state(self, param):
        return {"step": 0, "exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}

    def _decayed_gradient(self, param, grad, work):
        """Decoupled: shrink theta by (1 - lr wd) and use the raw gradient; else add wd theta to it."""
        if self.decoupled_weight_decay and self.weight_decay != 0:
            param *= 1 - self.lr * self.weight_decay
            return self._gradient(param, grad, work, weight_decay=0)
        return self._gradient(param, grad, work)

    def _update_moments(self, g, state, tmp):
        beta1, beta2 = self.betas
        self._lerp(state["exp_avg"], g, 1 - beta1, tmp)  # m <- beta1 m + (1 - beta1) g
        self._average_square(state["exp_avg_sq"], g, beta2, tmp)  # v <- beta2 v + (1 - beta2) g^2


class Adam(_Moments):
    r"""Adam (Kingma and Ba, 2015), with AMSGrad (Reddi et al., 2018) as an option.

    .. math::

        m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2,

        \theta_{t+1} = \theta_t - \frac{\alpha}{1 - \beta_1^{t}}\,
        \frac{m_t}{\sqrt{v_t} / \sqrt{1 - \beta_2^{t}} + \varepsilon}

    with :math:`t = 1, 2, \dots` counting steps and :math:`g_t` the gradient plus
    ``weight_decay`` times :math:`\theta_t` (L2, which then passes through the
    moments).  With ``amsgrad=True``, :math:`v_t` in the denominator is replaced by
    :math:`\hat v_t = \max(\hat v_{t-1}, v_t)`, so the per-coordinate rate never grows.
    The first step is :math:`\alpha\, g / (|g| + \varepsilon) \approx \alpha\,
    \mathrm{sign}(g)` in every coordinate.

    torch equivalent: ``torch.optim.Adam(params, lr, betas, eps, weight_decay, amsgrad)``.
    torch follows the paper's Algorithm 1: :math:`\varepsilon` is added to the
    bias-corrected root :math:`\sqrt{v_t / (1-\beta_2^t)}`.  The paper's "more
    efficient" reformulation (end of its section 2, used by some other libraries)
    adds :math:`\hat\varepsilon` to the uncorrected :math:`\sqrt{v_t}` instead, which
    amounts to a larger :math:`\varepsilon` in the first steps.
    torch's AMSGrad keeps the maximum of the *uncorrected* :math:`v_t` and then
    bias-corrects it, unlike Reddi et al., who have no bias correction.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha`, >= 0. Default ``1e-3``.
    betas : tuple
        :math:`(\beta_1, \beta_2)`, each in [0, 1). Default ``(0.9, 0.999)``.
    eps : float
        :math:`\varepsilon` >= 0. Default ``1e-8``.
    weight_decay : float
        L2 coefficient, >= 0 (decoupled when ``decoupled_weight_decay=True``,
        which is :class:`AdamW`). Default ``0``.
    amsgrad : bool
        Use the running maximum of :math:`v_t`. Default ``False``.
    maximize : bool
        Ascend instead of descend. Default ``False``.
    decoupled_weight_decay : bool
        Shrink :math:`\theta` directly instead of adding to the gradient. Default ``False``.
    """

    _hyperparameters = {**_ADAM_FAMILY, "amsgrad": flag, "maximize": flag, "decoupled_weight_decay": flag}
    _n_scratch = 2

    def __init__(
        self, lr=1e-3, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, maximize=False,
        decoupled_weight_decay=False,
    ):
        super().__init__(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
        )

    def _state_fields(self):
        return (*self._fields, "max_exp_avg_sq") if self.amsgrad else self._fields

    def _field_note(self):
        return f" with amsgrad={self.amsgrad}"

    def _init_state(self, param):
        state = super()._init_state(param)
        if self.amsgrad:
            state["max_exp_avg_sq"] = np.zeros_like(param)
        return state

    def _update(self, param, grad, state, scratch):
        work, tmp = scratch
        g = self._decayed_gradient(param, grad, work)
        state["step"] += 1
        t, (beta1, beta2) = state["step"], self.betas
        self._update_moments(g, state, tmp)
        step_size = self.lr / (1 - beta1**t)
        v = state["exp_avg_sq"]
        if self.amsgrad:
            v_max = state["max_exp_avg_sq"]
            v = np.maximum(v_max, v, out=v_max)  # v_max <- max(v_max, v)
        denom = np.sqrt(v, out=tmp)
        denom /= (1 - beta2**t) ** 0.5
        denom += self.eps  # sqrt(v) / sqrt(1 - beta2^t) + eps
        update = np.divide(state["exp_avg"], denom, out=tmp)
        axpy_(param, update, -step_size)  # theta <- theta - step_size m / denom


class AdamW(Adam):
    r"""AdamW (Loshchilov and Hutter, 2019): Adam with decoupled weight decay.

    .. math::

        \theta_t \leftarrow (1 - \alpha \lambda_{wd})\, \theta_t,
        \quad \text{then the Adam step with the raw gradient } g_t = \nabla f(\theta_t),

    where :math:`\lambda_{wd}` is ``weight_decay``.  The decay never enters
    :math:`m_t` or :math:`v_t`, so it is not divided by :math:`\sqrt{v_t}`: every
    coordinate shrinks by the same factor, unlike Adam with an L2 term, where
    coordinates with large gradients are barely decayed.

    torch equivalent: ``torch.optim.AdamW(params, lr, betas, eps, weight_decay, amsgrad)``
    (= ``torch.optim.Adam(..., decoupled_weight_decay=True)``).  The paper
    multiplies the decay by a schedule multiplier :math:`\eta_t` only; torch
    multiplies by ``lr``, so the decay per step is :math:`\alpha \lambda_{wd}`.

    Parameters
    ----------
    lr : float
        Default ``1e-3``.
    betas : tuple
        Default ``(0.9, 0.999)``.
    eps : float
        Default ``1e-8``.
    weight_decay : float
        :math:`\lambda_{wd}` >= 0 (torch's AdamW default). Default ``1e-2``.
    amsgrad : bool
        Default ``False``.
    maximize : bool
        Default ``False``.
    """

    _hyperparameters = {**_ADAM_FAMILY, "amsgrad": flag, "maximize": flag}
    decoupled_weight_decay = True

    def __init__(self, lr=1e-3, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, maximize=False):
        # As torch: Adam with decoupled_weight_decay=True, which AdamW fixes (it is not a hyperparameter of AdamW).
        super().__init__(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize,
            decoupled_weight_decay=True,
        )


class AdaMax(_Moments):
    r"""AdaMax (Kingma and Ba, 2015, section 7.1): Adam with an infinity norm.

    .. math::

        m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
        u_t = \max(\beta_2\, u_{t-1},\ |g_t| + \varepsilon),

        \theta_{t+1} = \theta_t - \frac{\alpha}{1 - \beta_1^{t}}\, \frac{m_t}{u_t}

    with :math:`g_t` the gradient plus ``weight_decay`` times :math:`\theta_t`.

    torch equivalent: ``torch.optim.Adamax(params, lr, betas, eps, weight_decay)``.
    The paper has no :math:`\varepsilon`; torch adds it to :math:`|g_t|` inside the
    maximum (so :math:`u_t \ge \varepsilon` and never divides by zero).

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha`, >= 0 (torch's default). Default ``2e-3``.
    betas : tuple
        :math:`(\beta_1, \beta_2)`, each in [0, 1). Default ``(0.9, 0.999)``.
    eps : float
        :math:`\varepsilon` >= 0. Default ``1e-8``.
    weight_decay : float
        L2 coefficient, >= 0. Default ``0``.
    maximize : bool
        Default ``False``.
    """

    _hyperparameters = {**_ADAM_FAMILY, "maximize": flag}
    _n_scratch = 2

    _fields = ("step", "exp_avg", "exp_inf")

    def __init__(self, lr=2e-3, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, maximize=False):
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize)

    def _init_state(self, param):
        return {"step": 0, "exp_avg": np.zeros_like(param), "exp_inf": np.zeros_like(param)}

    def _update(self, param, grad, state, scratch):
        work, tmp = scratch
        m, u = state["exp_avg"], state["exp_inf"]
        g = self._gradient(param, grad, work)
        state["step"] += 1
        t, (beta1, beta2) = state["step"], self.betas
        self._lerp(m, g, 1 - beta1, tmp)  # m <- beta1 m + (1 - beta1) g
        u *= beta2
        abs_g = np.abs(g, out=tmp)
        abs_g += self.eps
        np.maximum(u, abs_g, out=u)  # u <- max(beta2 u, |g| + eps)
        update = np.divide(m, u, out=tmp)
        axpy_(param, update, -self.lr / (1 - beta1**t))


class NAdam(_Moments):
    r"""NAdam (Dozat, 2016): Adam with a Nesterov-style look-ahead on the momentum.

    .. math::

        \mu_t = \beta_1 \left(1 - \tfrac12\, 0.96^{\,t\,\psi}\right), \qquad
        m_t, v_t \text{ as in Adam},

        \theta_{t+1} = \theta_t - \alpha \left(
        \frac{1 - \mu_t}{1 - \prod_{i \le t} \mu_i}\, g_t
        + \frac{\mu_{t+1}}{1 - \prod_{i \le t+1} \mu_i}\, m_t \right)
        \Big/ \left(\sqrt{v_t / (1 - \beta_2^{t})} + \varepsilon\right)

    with :math:`\psi` = ``momentum_decay`` and :math:`g_t` the gradient (plus the
    L2 term unless ``decoupled_weight_decay``, which shrinks :math:`\theta` by
    :math:`1 - \alpha\lambda_{wd}` first, as AdamW).

    torch equivalent: ``torch.optim.NAdam(params, lr, betas, eps, weight_decay,
    momentum_decay, decoupled_weight_decay)``.  The momentum schedule
    :math:`\mu_t` (with 0.96 and :math:`\psi = 0.004`) is Dozat's; the moment
    :math:`m_t` is updated with the constant :math:`\beta_1`, not :math:`\mu_t`, and
    :math:`\varepsilon` is added outside the root.  As in torch, the running product
    :math:`\prod \mu_i` is kept in float32 whatever the parameter dtype.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha`, >= 0 (torch's default). Default ``2e-3``.
    betas : tuple
        Default ``(0.9, 0.999)``.
    eps : float
        Default ``1e-8``.
    weight_decay : float
        Default ``0``.
    momentum_decay : float
        :math:`\psi` >= 0. Default ``4e-3``.
    decoupled_weight_decay : bool
        Default ``False``.
    maximize : bool
        Default ``False``.
    """

    _hyperparameters = {
        **_ADAM_FAMILY, "momentum_decay": non_negative, "decoupled_weight_decay": flag, "maximize": flag,
    }
    _scalar_state = ("step", "mu_product")
    _fields = ("step", "exp_avg", "exp_avg_sq", "mu_product")
    _n_scratch = 3

    def __init__(
        self, lr=2e-3, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
        decoupled_weight_decay=False, maximize=False,
    ):
        super().__init__(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
        )

    def _init_state(self, param):
        return {**super()._init_state(param), "mu_product": 1.0}

    def _update(self, param, grad, state, scratch):
        work, denom, tmp = scratch
        g = self._decayed_gradient(param, grad, work)
        state["step"] += 1
        t, (beta1, beta2), psi = state["step"], self.betas, self.momentum_decay
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        mu_product = float(np.float32(state["mu_product"]) * np.float32(mu))  # float32, as torch
        state["mu_product"] = mu_product
        mu_product_next = mu_product * mu_next
        self._update_moments(g, state, tmp)
        np.divide(state["exp_avg_sq"], 1 - beta2**t, out=denom)
        np.sqrt(denom, out=denom)
        denom += self.eps  # sqrt(v / (1 - beta2^t)) + eps
        update = np.divide(g, denom, out=tmp)
        axpy_(param, update, -self.lr * (1.0 - mu) / (1.0 - mu_product))
        update = np.divide(state["exp_avg"], denom, out=tmp)
        axpy_(param, update, (-self.lr * mu_next) / (1.0 - mu_product_next))


class RAdam(_Moments):
    r"""RAdam (Liu et al., 2020): Adam whose adaptive rate is switched on gradually.

    .. math::

        \rho_\infty = \frac{2}{1 - \beta_2} - 1, \qquad
        \rho_t = \rho_\infty - \frac{2 t \beta_2^{t}}{1 - \beta_2^{t}},

        \theta_{t+1} = \theta_t - \alpha\, \frac{m_t}{1 - \beta_1^{t}} \times
        \begin{cases}
        r_t\, \dfrac{\sqrt{1 - \beta_2^{t}}}{\sqrt{v_t} + \varepsilon} & \rho_t > 5 \\
        1 & \text{otherwise}
        \end{cases}
        \qquad
        r_t = \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\rho_\infty}{(\rho_\infty - 4)(\rho_\infty - 2)\rho_t}}

    with :math:`m_t, v_t` as in Adam.  While the variance estimate is unreliable
    (:math:`\rho_t \le 5`, the first few steps) the update is bias-corrected momentum SGD.

    torch equivalent: ``torch.optim.RAdam(params, lr, betas, eps, weight_decay,
    decoupled_weight_decay)``.  The paper's Algorithm 2 switches the adaptive rate on
    when :math:`\rho_t > 4`; torch when :math:`\rho_t > 5`.  The paper has no
    :math:`\varepsilon`; torch adds it to :math:`\sqrt{v_t}`, before the bias correction.

    Parameters
    ----------
    lr : float
        Default ``1e-3``.
    betas : tuple
        Default ``(0.9, 0.999)``.
    eps : float
        Default ``1e-8``.
    weight_decay : float
        Default ``0``.
    decoupled_weight_decay : bool
        Default ``False``.
    maximize : bool
        Default ``False``.
    """

    _hyperparameters = {**_ADAM_FAMILY, "decoupled_weight_decay": flag, "maximize": flag}
    _n_scratch = 3

    def __init__(
        self, lr=1e-3, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False,
        maximize=False,
    ):
        super().__init__(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
            decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
        )

    def _update(self, param, grad, state, scratch):
        work, update, tmp = scratch
        g = self._decayed_gradient(param, grad, work)
        state["step"] += 1
        t, (beta1, beta2) = state["step"], self.betas
        self._update_moments(g, state, tmp)
        bias_correction2 = 1 - beta2**t
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * (beta2**t) / bias_correction2
        np.divide(state["exp_avg"], 1 - beta1**t, out=update)  # bias-corrected m
        update *= self.lr
        rect = 1.0
        if rho_t > 5.0:
            adaptive = np.sqrt(state["exp_avg_sq"], out=tmp)
            adaptive += self.eps
            np.divide(bias_correction2**0.5, adaptive, out=adaptive)
            update *= adaptive
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        axpy_(param, update, -rect)  # theta <- theta - r_t update
