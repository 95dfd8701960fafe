r"""A progress bar for long runs, shown while they run and gone when they end.

In a Jupyter kernel the bar is tqdm's notebook bar (an ipywidgets progress bar), displayed
with a display id; when the run ends the display is replaced by an empty HTML output. So a
reader of a live notebook watches the epochs go by, while a notebook executed to build the
static site (where nobody watches, and where a widget would be frozen) keeps no widget and
no text in that cell: the bar leaves nothing behind, in either case. Outside a kernel (a
script, a terminal) it is tqdm's text bar on standard error, also removed at the end.

Nothing is shown unless asked for (``progress=True`` in :func:`descent.training.fit` and
:func:`descent.training.lr_range_test`); tqdm is imported only then.
"""

from __future__ import annotations

import sys

__all__ = ["ProgressBar"]


class ProgressBar:
    """A bar over ``total`` units of work (epochs, steps), or nothing when ``enabled`` is False.

    Use it as a context manager, so that the bar is removed even when the run fails::

        with ProgressBar(epochs, "training", enabled=progress) as bar:
            for epoch in range(epochs):
                ...
                bar.update(val_loss=f"{val_loss:.3g}")
    """

    def __init__(self, total, description="", enabled=True):
        self._bar = None
        self._display = None
        if not enabled:
            return
        if _in_jupyter_kernel():
            from IPython.display import display
            from tqdm.notebook import tqdm as notebook_bar

            self._bar = notebook_bar(total=total, desc=description, leave=False, display=False)
            self._display = display(self._bar.container, display_id=True)
        else:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=description, leave=False, file=sys.stderr)

    @property
    def shown(self) -> bool:
        """Whether a bar is on screen."""
        return self._bar is not None

    def update(self, n=1, **postfix):
        """Advance by ``n`` units and show ``postfix`` (name -> value) after the bar."""
        if self._bar is None:
            return
        if postfix:
            self._bar.set_postfix(postfix, refresh=False)
        self._bar.update(n)

    def close(self):
        """Remove the bar (a notebook cell keeps an empty output in its place)."""
        if self._bar is None:
            return
        bar, self._bar = self._bar, None
        bar.total = bar.n  # a run that stopped early is complete, not failed (no red bar)
        bar.close()
        if self._display is not None:
            from IPython.display import HTML

            self._display.update(HTML(""))
            self._display = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _in_jupyter_kernel() -> bool:
    """True inside an IPython kernel (a notebook, live or executed), False in a plain interpreter."""
    if "IPython" not in sys.modules:  # never imported: certainly not a kernel
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
