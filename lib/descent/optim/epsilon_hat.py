r"""Adam in the paper's "efficient" order, with :math:`\hat\varepsilon` added to the uncorrected root.

Kingma and Ba end section 2 of the Adam paper with a reformulation that saves a few operations:
fold both bias corrections into the step size and add the small constant to :math:`\sqrt{v_t}`,

.. math::

    \alpha_t = \alpha\, \frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}, \qquad
    \theta_{t+1} = \theta_t - \alpha_t\, \frac{m_t}{\sqrt{v_t} + \hat\varepsilon} .

TensorFlow's and Keras's Adam (whose ``epsilon`` is documented as this :math:`\hat\varepsilon`, default
``1e-7``) and scikit-learn's ``MLPClassifier(solver="adam")`` (``epsilon=1e-8``) compute this form;
torch (and :class:`descent.optim.Adam`) add :math:`\varepsilon` to the *corrected* root
:math:`\sqrt{\hat v_t}`. The two agree exactly when the constant is 0; otherwise this form is torch's
with a step-dependent :math:`\varepsilon_t = \hat\varepsilon / \sqrt{1-\beta_2^t}`
(:func:`descent.theory.adam.epsilon_hat_equivalent`), larger in the first steps.

This class is not part of torch (so it is not exported by :mod:`descent.optim`); it exists so that the
course can measure what the placement changes. It has no weight decay and no AMSGrad option.
"""

from __future__ import annotations

import numpy as np

from .._validation import betas_pair, non_negative
from .adam import _Moments
from .axpy import axpy_

__all__ = ["AdamEpsilonHat"]


class AdamEpsilonHat(_Moments):
    r"""Adam with :math:`\hat\varepsilon` added to :math:`\sqrt{v_t}` and the corrections folded into the rate.

    .. math::

        m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2,

        \theta_{t+1} = \theta_t - \alpha\, \frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}\,
        \frac{m_t}{\sqrt{v_t} + \hat\varepsilon}

    The moments are updated exactly as in :class:`descent.optim.Adam` (the same code); only the last
    line differs.

    Parameters
    ----------
    lr : float
        :math:`\alpha \ge 0`. Default ``1e-3``.
    betas : tuple
        :math:`(\beta_1, \beta_2)`, each in [0, 1). Default ``(0.9, 0.999)``.
    eps : float
        :math:`\hat\varepsilon \ge 0`. Default ``1e-8`` (scikit-learn's; TensorFlow's is ``1e-7``).
    """

    _hyperparameters = {"lr": non_negative, "betas": betas_pair, "eps": non_negative}
    _n_scratch = 2

    def __init__(self, lr=1e-3, *, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(lr=lr, betas=betas, eps=eps)

    def _update(self, param, grad, state, scratch):
        _, tmp = scratch
        state["step"] += 1
        t, (beta1, beta2) = state["step"], self.betas
        self._update_moments(grad, state, tmp)
        step_size = self.lr * (1 - beta2**t) ** 0.5 / (1 - beta1**t)  # alpha_t
        denom = np.sqrt(state["exp_avg_sq"], out=tmp)
        denom += self.eps  # sqrt(v) + eps_hat
        step = np.divide(state["exp_avg"], denom, out=tmp)
        axpy_(param, step, -step_size)  # theta <- theta - alpha_t m / (sqrt(v) + eps_hat)
