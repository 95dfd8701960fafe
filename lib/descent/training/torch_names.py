r"""descent's optimizers under their torch.optim names, and back.

- :data:`TORCH_EQUIVALENTS`: for each optimizer of :mod:`descent.optim`, the torch.optim class
  and the keywords that make it the same method;
- :data:`TORCH_ONLY`: the keywords of each torch class that descent's class lacks (implementation
  switches, and SGD's switches that are separate classes here);
- :func:`from_torch`: the descent optimizer that a ``torch.optim`` call is.

Only names live here; torch itself is never imported (it is not a requirement of the course).
``tests/test_case_study_torch.py`` checks the tables against torch's signatures.
"""

from __future__ import annotations

from .. import optim

__all__ = ["TORCH_EQUIVALENTS", "TORCH_ONLY", "from_torch"]

#: The torch.optim class of each optimizer and the arguments that make it the same method (the
#: rest of the keywords and defaults are the same; ``tests/test_optim_signatures.py`` checks it).
TORCH_EQUIVALENTS = {
    "SGD": ("SGD", {}),
    "Momentum": ("SGD", {"momentum": 0.9}),
    "Nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "AdaGrad": ("Adagrad", {}),
    "RMSProp": ("RMSprop", {}),
    "Adadelta": ("Adadelta", {}),
    "Adam": ("Adam", {}),
    "AdamW": ("AdamW", {}),
    "AdaMax": ("Adamax", {}),
    "NAdam": ("NAdam", {}),
    "RAdam": ("RAdam", {}),
}

#: For each torch.optim class, the keywords that descent's class of the same method lacks, namely the
#: implementation switches (they change how the update is computed, not what it computes) and, for
#: SGD, the switches that make it another method here (``Momentum``, ``Nesterov``).
#: ``tests/test_case_study_torch.py`` checks the lists against torch's signatures.
TORCH_ONLY = {
    "SGD": ("momentum", "dampening", "nesterov", "foreach", "differentiable", "fused"),
    "Adagrad": ("foreach", "differentiable", "fused"),
    "RMSprop": ("capturable", "foreach", "differentiable"),
    "Adadelta": ("foreach", "capturable", "differentiable"),
    "Adam": ("foreach", "capturable", "differentiable", "fused"),
    "AdamW": ("foreach", "capturable", "differentiable", "fused"),
    "Adamax": ("foreach", "differentiable", "capturable"),
    "NAdam": ("foreach", "capturable", "differentiable"),
    "RAdam": ("foreach", "capturable", "differentiable"),
}


def from_torch(torch_class, lr, **options):
    """The ``descent.optim`` optimizer that ``torch.optim.<torch_class>(params, lr=lr, **options)`` is.

    ``torch_class`` is torch's class name (``"SGD"``, ``"Adagrad"``, ``"RMSprop"``, ``"Adamax"``,
    ...). ``SGD`` becomes :class:`~descent.optim.SGD`, :class:`~descent.optim.Momentum` (with
    ``momentum > 0``) or :class:`~descent.optim.Nesterov` (``nesterov=True``); torch's
    implementation switches (``foreach``, ``fused``, ``capturable``, ``differentiable``) are dropped,
    since they change how the update is computed, not what it computes.

    Raises ValueError for a class torch.optim has but this course does not teach (``LBFGS``,
    ``SparseAdam``, ...) or an option neither has.
    """
    names = {torch_name: name for name, (torch_name, fixed) in TORCH_EQUIVALENTS.items() if not fixed}
    if torch_class not in names:
        raise ValueError(f"torch_class must be one of {sorted(names)}, got {torch_class!r}")
    options = {key: value for key, value in options.items()
               if key not in ("foreach", "fused", "capturable", "differentiable")}
    name = names[torch_class]
    if torch_class == "SGD":
        nesterov = options.pop("nesterov", False)
        momentum = options.pop("momentum", 0)
        if nesterov:
            name = "Nesterov"
        elif momentum:
            name = "Momentum"
        else:
            options.pop("dampening", None)
        if name != "SGD":
            options["momentum"] = momentum
    try:
        return getattr(optim, name)(lr=lr, **options)
    except TypeError as error:
        raise ValueError(f"torch.optim.{torch_class} options {sorted(options)}: {error}") from None
