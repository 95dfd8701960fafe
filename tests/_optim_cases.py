"""What the optimizer parity tests share: the recorded cases, the tolerance against torch,
and turning a case's JSON keyword arguments back into Python ones."""

import json
import pathlib

DATA = pathlib.Path(__file__).parent / "data" / "optim"
META = json.loads((DATA / "cases.json").read_text())
RTOL = {"float64": 1e-10, "float32": 1e-5}


def as_kwargs(kwargs):
    """A case's keyword arguments, with JSON lists back as tuples (``betas``)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
