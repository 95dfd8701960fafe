r"""The ravine of chapters 3 and 4, at any angle to the coordinate axes.

:func:`descent.models.rotated_ravine` builds :math:`f(\theta) = \tfrac12\theta^\top R_\varphi\,\mathrm{diag}(1, \kappa)\,
R_\varphi^\top\theta`: the ravine :math:`\tfrac12(x_1^2 + \kappa x_2^2)` written in axes turned by
:math:`\varphi`. Its start is the point :math:`(-1, 0.5)` of the ravine's own axes, turned with it, so every
angle poses the same problem seen from another angle. Methods that treat all directions alike (gradient
descent, momentum) take the same steps at every angle; methods that rescale each coordinate (AdaGrad,
RMSProp, Adam) do not.
"""

from __future__ import annotations

import numpy as np

from .._validation import at_least, real
from .objectives import Quadratic

__all__ = ["rotated_ravine"]

#: The start in the ravine's own axes (the one chapter 3 uses).
RAVINE_START = (-1.0, 0.5)


def rotated_ravine(angle_degrees: float = 0.0, kappa: float = 100.0) -> Quadratic:
    r"""The ravine :math:`\tfrac12(x_1^2 + \kappa x_2^2)`, rotated by ``angle_degrees``, from :math:`(-1, 0.5)` rotated.

    Parameters
    ----------
    angle_degrees : float, default 0
        The rotation :math:`\varphi` in degrees (0: the ravine's axes are the coordinate axes).
    kappa : float, default 100
        Condition number :math:`\kappa \ge 1` (eigenvalues 1 and :math:`\kappa`).

    Returns
    -------
    descent.models.Quadratic
        With ``angle`` in radians and the rotated start.
    """
    phi = np.radians(real("angle_degrees", angle_degrees))
    kappa = at_least("kappa", kappa, 1.0)
    turn = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
    return Quadratic([1.0, kappa], angle=float(phi), start=turn @ np.array(RAVINE_START))
