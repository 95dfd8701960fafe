"""Closed-form analysis of the optimizers on quadratics: rates, stability limits and optimal settings."""
