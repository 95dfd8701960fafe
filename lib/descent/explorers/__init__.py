"""Interactive explorers: ipywidgets sliders that redraw a figure, one module per chapter topic.

Import the module you need, e.g. ``from descent.explorers.learning_rate import LearningRate2D``.
Every explorer derives from :class:`descent.explorers.base.Explorer`; each module lists its explorers in
``EXPLORERS`` (the benchmark ``benchmarks/bench_explorers.py`` times every explorer it finds that way).
"""
