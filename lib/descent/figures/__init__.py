"""Each chapter's own figures, one module per topic (``figures/<topic>.py``).

A figure here is one call from a chapter notebook. Drawing primitives that two or more
chapters use belong in :mod:`descent.plots` instead; the explorers of
:mod:`descent.explorers` draw through both.
"""
